//! YAML to a JSON value, with CloudFormation's short-form tags turned into their long form
//! (`!Ref X` → `{"Ref": "X"}`, `!GetAtt A.B` → `{"Fn::GetAtt": ["A", "B"]}`, `!Sub s` →
//! `{"Fn::Sub": s}`...), so the rest of the importer reads one shape for YAML and JSON.
//!
//! Built on saphyr-parser's event stream with an explicit stack: nesting is bounded by
//! [`MAX_DEPTH`], and every value built counts against [`MAX_VALUES`] — alias expansions and the
//! copies kept of anchored values included — so no input can exhaust the stack or memory.
//! Unknown tags are warnings; the tagged value is kept as if untagged.

use std::borrow::Cow;
use std::collections::HashMap;

use saphyr_parser::{Event, Marker, Parser, ScalarStyle, Span, Tag};
use serde_json::{Map, Number, Value};

use super::ImportError;
use super::report::Warnings;
use crate::io::Location;

/// The deepest nesting of sequences and mappings accepted.
pub(super) const MAX_DEPTH: usize = 128;

/// The most values a document may hold once aliases are expanded, copies of anchored values
/// included (a guard against "billion laughs" documents).
pub(super) const MAX_VALUES: usize = 4_000_000;

/// The YAML core schema's tag prefix (`!!str` and friends).
const CORE_PREFIX: &str = "tag:yaml.org,2002:";

/// CloudFormation functions written `!Name` that become `{"Fn::Name": ...}`; with the `Fn::`
/// prefix, the intrinsic and condition functions the importer knows.
pub(super) const FN_TAGS: &[&str] = &[
    "And",
    "Base64",
    "Cidr",
    "Contains",
    "EachMemberEquals",
    "EachMemberIn",
    "Equals",
    "FindInMap",
    "GetAZs",
    "GetAtt",
    "If",
    "ImportValue",
    "Join",
    "Length",
    "Not",
    "Or",
    "RefAll",
    "Select",
    "Split",
    "Sub",
    "ToJsonString",
    "Transform",
    "ValueOf",
    "ValueOfAll",
];

/// A parsed YAML document and what was odd about it.
#[derive(Debug)]
pub(super) struct ParsedYaml {
    /// The first document, as JSON.
    pub value: Value,
    /// Unknown tags, duplicate keys, extra documents, each with `line:column`.
    pub warnings: Warnings,
}

enum Frame {
    Sequence {
        items: Vec<Value>,
        anchor: usize,
        tag: Option<Tag>,
        start: Marker,
    },
    Mapping {
        entries: Map<String, Value>,
        key: Option<String>,
        anchor: usize,
        tag: Option<Tag>,
        start: Marker,
    },
}

struct Builder<'a> {
    source_name: &'a str,
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Value, usize)>,
    root: Option<Value>,
    warnings: Warnings,
    values: usize,
}

/// Parses the first YAML document of `text`.
pub(super) fn parse(source_name: &str, text: &str) -> Result<ParsedYaml, ImportError> {
    let mut builder = Builder {
        source_name,
        stack: Vec::new(),
        anchors: HashMap::new(),
        root: None,
        warnings: Warnings::default(),
        values: 0,
    };
    let mut documents = 0usize;
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|error| {
            syntax(source_name, location(*error.marker()), format!("invalid YAML: {}", error.info()))
        })?;
        match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    builder.warnings.push_with(|| {
                        format!(
                            "{}: only the first YAML document is imported; the others are ignored",
                            location(span.start)
                        )
                    });
                    break;
                }
            }
            Event::Scalar(text, style, anchor, tag) => builder.scalar(&text, style, anchor, tag, span)?,
            Event::SequenceStart(anchor, tag) => {
                builder.open(
                    span,
                    Frame::Sequence { items: Vec::new(), anchor, tag: owned(tag), start: span.start },
                )?;
            }
            Event::MappingStart(anchor, tag) => builder.open(
                span,
                Frame::Mapping { entries: Map::new(), key: None, anchor, tag: owned(tag), start: span.start },
            )?,
            Event::SequenceEnd | Event::MappingEnd => builder.close()?,
            Event::Alias(id) => builder.alias(id, span)?,
            Event::StreamEnd => break,
            Event::Nothing | Event::StreamStart | Event::DocumentEnd => {}
        }
    }
    Ok(ParsedYaml { value: builder.root.unwrap_or(Value::Null), warnings: builder.warnings })
}

fn owned(tag: Option<Cow<'_, Tag>>) -> Option<Tag> {
    tag.map(Cow::into_owned)
}

fn location(marker: Marker) -> Location {
    Location { line: marker.line().max(1), column: marker.col() + 1 }
}

fn syntax(source_name: &str, location: Location, message: String) -> ImportError {
    ImportError::Syntax { source_name: source_name.to_owned(), location, message }
}

impl Builder<'_> {
    fn count(&mut self, added: usize, at: Marker) -> Result<(), ImportError> {
        self.values = self.values.saturating_add(added);
        if self.values > MAX_VALUES {
            return Err(syntax(
                self.source_name,
                location(at),
                format!("the document holds more than {MAX_VALUES} values once aliases are expanded"),
            ));
        }
        Ok(())
    }

    fn open(&mut self, span: Span, frame: Frame) -> Result<(), ImportError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(syntax(
                self.source_name,
                location(span.start),
                format!("the document nests deeper than {MAX_DEPTH} levels"),
            ));
        }
        self.count(1, span.start)?;
        self.stack.push(frame);
        Ok(())
    }

    fn close(&mut self) -> Result<(), ImportError> {
        let Some(frame) = self.stack.pop() else { return Ok(()) };
        let (value, anchor, tag, start) = match frame {
            Frame::Sequence { items, anchor, tag, start } => (Value::Array(items), anchor, tag, start),
            Frame::Mapping { entries, key, anchor, tag, start } => {
                if let Some(key) = key {
                    self.warnings.push_with(|| format!("{}: key {key:?} has no value", location(start)));
                }
                (Value::Object(entries), anchor, tag, start)
            }
        };
        let value = match tag {
            Some(tag) => self.apply_tag(&tag, value, start),
            None => value,
        };
        self.remember(anchor, &value, start)?;
        self.insert(value, start);
        Ok(())
    }

    fn scalar(
        &mut self,
        text: &str,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<Cow<'_, Tag>>,
        span: Span,
    ) -> Result<(), ImportError> {
        self.count(1, span.start)?;
        if let Some(Frame::Mapping { key: key @ None, .. }) = self.stack.last_mut() {
            // A mapping key: keep its text as written.
            *key = Some(text.to_owned());
            if anchor > 0 {
                self.anchors.insert(anchor, (Value::String(text.to_owned()), 1));
            }
            return Ok(());
        }
        let value = match tag {
            None => resolve(text, style),
            Some(tag) => self.tagged_scalar(&tag, text, style, span.start),
        };
        self.remember(anchor, &value, span.start)?;
        self.insert(value, span.start);
        Ok(())
    }

    fn alias(&mut self, id: usize, span: Span) -> Result<(), ImportError> {
        let Some((value, size)) = self.anchors.get(&id).cloned() else {
            return Err(syntax(
                self.source_name,
                location(span.start),
                "alias to an unknown anchor".to_owned(),
            ));
        };
        self.count(size, span.start)?;
        self.insert(value, span.start);
        Ok(())
    }

    /// Keeps a copy of an anchored value for its aliases. The copy counts against
    /// [`MAX_VALUES`]: nested anchors copy their contents once per level, so a document of
    /// anchored sequences in anchored sequences would otherwise multiply its size without an alias.
    fn remember(&mut self, anchor: usize, value: &Value, at: Marker) -> Result<(), ImportError> {
        if anchor > 0 {
            let size = size_of(value);
            self.count(size, at)?;
            self.anchors.insert(anchor, (value.clone(), size));
        }
        Ok(())
    }

    fn insert(&mut self, value: Value, at: Marker) {
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(value);
                }
            }
            Some(Frame::Sequence { items, .. }) => items.push(value),
            Some(Frame::Mapping { entries, key, .. }) => match key.take() {
                None => {
                    let text = match value {
                        Value::String(text) => text,
                        scalar @ (Value::Number(_) | Value::Bool(_) | Value::Null) => scalar.to_string(),
                        other => {
                            // Not the value's JSON text: keys of keys would escape the quotes of
                            // the level below again at every level, doubling the text each time.
                            let kind = if other.is_array() { "list" } else { "mapping" };
                            self.warnings.push_with(|| {
                                format!("{}: a {kind} used as a mapping key is not imported", location(at))
                            });
                            format!("({kind} key at {})", location(at))
                        }
                    };
                    *key = Some(text);
                }
                Some(key) => {
                    if entries.contains_key(&key) {
                        self.warnings.push_with(|| {
                            format!("{}: duplicate key {key:?}; the last value is used", location(at))
                        });
                    }
                    entries.insert(key, value);
                }
            },
        }
    }

    fn tagged_scalar(&mut self, tag: &Tag, text: &str, style: ScalarStyle, at: Marker) -> Value {
        if tag.handle == CORE_PREFIX {
            return core_scalar(&tag.suffix, text, style);
        }
        if tag.handle == "!" {
            match tag.suffix.as_str() {
                "Ref" | "Condition" => return single(&tag.suffix, Value::String(text.to_owned())),
                "GetAtt" => {
                    let parts = match text.split_once('.') {
                        Some((resource, attribute)) => vec![resource.into(), attribute.into()],
                        None => vec![Value::String(text.to_owned())],
                    };
                    return single("Fn::GetAtt", Value::Array(parts));
                }
                "Sub" | "ImportValue" | "GetAZs" | "Base64" => {
                    return single(&format!("Fn::{}", tag.suffix), Value::String(text.to_owned()));
                }
                name if FN_TAGS.contains(&name) => {
                    return single(&format!("Fn::{name}"), resolve(text, style));
                }
                "" => return Value::String(text.to_owned()),
                _ => {}
            }
        }
        self.unknown_tag(tag, at);
        resolve(text, style)
    }

    fn apply_tag(&mut self, tag: &Tag, value: Value, at: Marker) -> Value {
        if tag.handle == CORE_PREFIX {
            return value;
        }
        if tag.handle == "!" {
            match tag.suffix.as_str() {
                "Ref" | "Condition" => return single(&tag.suffix, value),
                name if FN_TAGS.contains(&name) => return single(&format!("Fn::{name}"), value),
                "" => return value,
                _ => {}
            }
        }
        self.unknown_tag(tag, at);
        value
    }

    fn unknown_tag(&mut self, tag: &Tag, at: Marker) {
        self.warnings.push_with(|| {
            format!(
                "{}: unknown tag {}{}; its value is kept without it",
                location(at),
                tag.handle,
                tag.suffix
            )
        });
    }
}

fn single(key: &str, value: Value) -> Value {
    let mut map = Map::new();
    map.insert(key.to_owned(), value);
    Value::Object(map)
}

fn size_of(value: &Value) -> usize {
    let mut size = 0usize;
    let mut pending = vec![value];
    while let Some(value) = pending.pop() {
        size = size.saturating_add(1);
        match value {
            Value::Array(items) => pending.extend(items),
            Value::Object(entries) => pending.extend(entries.values()),
            _ => {}
        }
    }
    size
}

/// A scalar with a core-schema tag (`!!str`, `!!int`...).
fn core_scalar(suffix: &str, text: &str, style: ScalarStyle) -> Value {
    match suffix {
        "str" => Value::String(text.to_owned()),
        "int" | "float" | "bool" | "null" => match resolve(text, ScalarStyle::Plain) {
            Value::String(_) => Value::String(text.to_owned()),
            other => other,
        },
        _ => resolve(text, style),
    }
}

/// The YAML 1.2 core schema for untagged scalars: quoted scalars are text; plain ones may be
/// null, booleans or numbers.
pub(super) fn resolve(text: &str, style: ScalarStyle) -> Value {
    if style != ScalarStyle::Plain {
        return Value::String(text.to_owned());
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    if let Some(number) = integer(text) {
        return Value::Number(number);
    }
    if is_float(text)
        && let Some(number) = text.parse::<f64>().ok().and_then(Number::from_f64)
    {
        return Value::Number(number);
    }
    Value::String(text.to_owned())
}

fn integer(text: &str) -> Option<Number> {
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (radix, digits) = if let Some(octal) = digits.strip_prefix("0o") {
        (8, octal)
    } else if let Some(hex) = digits.strip_prefix("0x") {
        (16, hex)
    } else {
        (10, digits)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = i64::from_str_radix(digits, radix).ok()?;
    Some(Number::from(if negative { magnitude.checked_neg()? } else { magnitude }))
}

fn is_float(text: &str) -> bool {
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(at) => (&body[..at], Some(&body[at + 1..])),
        None => (body, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    let mantissa_ok = digits(whole) && digits(fraction) && !(whole.is_empty() && fraction.is_empty());
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn value(text: &str) -> Value {
        parse("t.yaml", text).unwrap().value
    }

    #[test]
    fn short_form_tags_become_long_form() {
        let text = "\
A: !Ref Bucket
B: !GetAtt Table.StreamArn
C: !Sub '${Fn}-x'
D: !Join [',', [a, !Ref P]]
E: !If [Cond, !Ref X, !Ref 'AWS::NoValue']
F: !GetAZs ''
G: !Select [0, !GetAZs '']
H: !Equals [!Ref Env, prod]
I: !Not [!Condition IsProd]
J: !FindInMap [M, !Ref 'AWS::Region', Ami]
K: !Base64 |
  #!/bin/bash
L: !Cidr [10.0.0.0/16, 4, 8]
M: !ImportValue shared-vpc
N: !Split [',', 'a,b']
O: !And [!Condition A, !Or [!Condition B, !Condition C]]
P: !GetAtt [Queue, Arn]
";
        assert_eq!(
            value(text),
            json!({
                "A": {"Ref": "Bucket"},
                "B": {"Fn::GetAtt": ["Table", "StreamArn"]},
                "C": {"Fn::Sub": "${Fn}-x"},
                "D": {"Fn::Join": [",", ["a", {"Ref": "P"}]]},
                "E": {"Fn::If": ["Cond", {"Ref": "X"}, {"Ref": "AWS::NoValue"}]},
                "F": {"Fn::GetAZs": ""},
                "G": {"Fn::Select": [0, {"Fn::GetAZs": ""}]},
                "H": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
                "I": {"Fn::Not": [{"Condition": "IsProd"}]},
                "J": {"Fn::FindInMap": ["M", {"Ref": "AWS::Region"}, "Ami"]},
                "K": {"Fn::Base64": "#!/bin/bash\n"},
                "L": {"Fn::Cidr": ["10.0.0.0/16", 4, 8]},
                "M": {"Fn::ImportValue": "shared-vpc"},
                "N": {"Fn::Split": [",", "a,b"]},
                "O": {"Fn::And": [{"Condition": "A"}, {"Fn::Or": [{"Condition": "B"}, {"Condition": "C"}]}]},
                "P": {"Fn::GetAtt": ["Queue", "Arn"]},
            })
        );
    }

    #[test]
    fn core_schema_scalars() {
        let text = "a: 1\nb: -2\nc: 1.5\nd: true\ne: ~\nf: '1'\ng: 2010-09-09\nh: 10.0.0.0/16\ni: !!str 80\nj: 0x1F\nk: .inf\n";
        assert_eq!(
            value(text),
            json!({"a": 1, "b": -2, "c": 1.5, "d": true, "e": null, "f": "1", "g": "2010-09-09",
                   "h": "10.0.0.0/16", "i": "80", "j": 31, "k": ".inf"})
        );
    }

    #[test]
    fn unknown_tags_warn_and_keep_the_value() {
        let parsed = parse("t.yaml", "a: !Frobnicate x\nb: !Weird [1]\n").unwrap();
        assert_eq!(parsed.value, json!({"a": "x", "b": [1]}));
        let warnings = parsed.warnings.kept();
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].starts_with("1:4: unknown tag !Frobnicate"), "{warnings:?}");
    }

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let error = parse("broken.yaml", "a: 1\nb: [1, 2\nc: 3\n").unwrap_err();
        let text = error.to_string();
        assert!(text.starts_with("broken.yaml:"), "{text}");
        let ImportError::Syntax { location, .. } = error else { panic!("{text}") };
        assert!(location.line >= 2, "{text}");
    }

    #[test]
    fn anchors_aliases_and_duplicates() {
        let parsed = parse("t.yaml", "a: &x {k: v}\nb: *x\nb: 2\n").unwrap();
        assert_eq!(parsed.value, json!({"a": {"k": "v"}, "b": 2}));
        assert!(
            parsed.warnings.kept().iter().any(|w| w.contains("duplicate key \"b\"")),
            "{:?}",
            parsed.warnings
        );
    }

    #[test]
    fn alias_bombs_and_deep_nesting_are_refused() {
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            bomb.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
        }
        assert!(matches!(parse("bomb.yaml", &bomb), Err(ImportError::Syntax { .. })));
        let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
        let error = parse("deep.yaml", &deep).unwrap_err().to_string();
        assert!(error.contains("deeper than 128"), "{error}");
        // Deeper still, the scanner stops first; either way it is a syntax error, not a crash.
        let deeper = format!("{}1{}", "[".repeat(5000), "]".repeat(5000));
        assert!(matches!(parse("deeper.yaml", &deeper), Err(ImportError::Syntax { .. })));
        let mut block = String::new();
        for depth in 0..300 {
            block.push_str(&format!("{}k{depth}:\n", " ".repeat(depth)));
        }
        assert!(parse("block.yaml", &block).unwrap_err().to_string().contains("deeper than 128"));
    }

    #[test]
    fn only_the_first_document_is_read() {
        let parsed = parse("t.yaml", "---\na: 1\n---\nb: 2\n").unwrap();
        assert_eq!(parsed.value, json!({"a": 1}));
        assert_eq!(parsed.warnings.kept().len(), 1);
    }

    #[test]
    fn anchored_copies_count_without_any_alias() {
        // Every level anchors a sequence holding the level below: keeping a copy of each anchored
        // value copies the whole document once per level. No alias, yet 20 copies of 300,000
        // values is over the limit.
        let depth = 20;
        let mut text = String::new();
        for level in 0..depth {
            text.push_str(&format!("&a{level} ["));
        }
        text.push_str(&vec!["x"; 300_000].join(", "));
        text.push_str(&"]".repeat(depth));
        let error = parse("anchors.yaml", &text).unwrap_err().to_string();
        assert!(error.contains("more than 4000000 values"), "{error}");
        // A document with a few anchors is fine.
        assert!(parse("ok.yaml", "a: &x [1, 2]\nb: &y {k: *x}\nc: *y\n").is_ok());
    }

    #[test]
    fn warnings_are_bounded() {
        let text: String = (0..5_000).map(|_| "a: 1\n").collect();
        let parsed = parse("dupes.yaml", &text).unwrap();
        let (kept, omitted) = parsed.warnings.finish();
        assert_eq!(kept.len(), crate::import::report::MAX_WARNINGS);
        assert_eq!(kept.len() + omitted, 4_999);
    }

    #[test]
    fn complex_keys_stay_small_however_deep() {
        // Found by fuzzing: each level of `? ` keys once doubled the escaped text of the one below.
        let text = format!("{}fun", " ? ".repeat(60));
        let parsed = parse("keys.yaml", &text).unwrap();
        assert!(parsed.value.to_string().len() < 200, "{}", parsed.value);
        let parsed = parse("scalars.yaml", "5: a\ntrue: b\n~: c\n? [x]\n: d\n").unwrap();
        let keys: Vec<&str> = parsed.value.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["(list key at 4:3)", "5", "true", "~"]);
    }
}
