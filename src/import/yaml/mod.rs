//! YAML to a JSON value, with CloudFormation's short-form tags turned into their long form
//! (`!Ref X` → `{"Ref": "X"}`, `!GetAtt A.B` → `{"Fn::GetAtt": ["A", "B"]}`, `!Sub s` →
//! `{"Fn::Sub": s}`...), so the rest of the importer reads one shape for YAML and JSON.
//!
//! Built on saphyr-parser's event stream with an explicit stack: nesting is bounded by
//! [`MAX_DEPTH`], and every value built counts against [`MAX_VALUES`] and its text against
//! [`MAX_TEXT_BYTES`] — alias expansions and the copies kept of anchored values included — so no
//! input can exhaust the stack or memory (one long string aliased thousands of times is refused
//! before it is copied). Unknown tags are warnings; the tagged value is kept as if untagged.
//!
//! Read as CloudFormation's toolchain (PyYAML) reads it: merge keys (`<<: *defaults`) are
//! expanded, and flow collections or quoted scalars continued at their key's column, which YAML
//! 1.2 refuses, are accepted (see [`relax`]).

mod relax;

use std::borrow::Cow;
use std::collections::HashMap;

use saphyr_parser::{Event, Marker, Parser, ScalarStyle, Span, Tag};
use serde_json::{Map, Number, Value};

use super::ImportError;
use super::report::Warnings;
use crate::io::Location;

/// The deepest nesting of sequences and mappings accepted.
pub const MAX_DEPTH: usize = 128;

/// The most values a document may hold once aliases are expanded, copies of anchored values
/// included (a guard against "billion laughs" documents).
pub const MAX_VALUES: usize = 4_000_000;

/// The most text (string scalars and mapping keys, in bytes) a document may hold once aliases are
/// expanded, copies of anchored values included: twice the largest file imported, so a document
/// without aliases always fits.
pub const MAX_TEXT_BYTES: usize = 2 * crate::model::limits::MAX_SOURCE_SIZE as usize;

/// The YAML core schema's tag prefix (`!!str` and friends).
const CORE_PREFIX: &str = "tag:yaml.org,2002:";

/// The merge key (`<<: *defaults`), when written plain.
const MERGE_KEY: &str = "<<";

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
    /// How many values and bytes of text the document holds once aliases are expanded.
    pub cost: Cost,
}

/// What a document costs once aliases are expanded: values and bytes of text, copies of anchored
/// values included.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cost {
    /// Values (scalars, sequences, mappings).
    pub values: usize,
    /// Bytes of text: string scalars and mapping keys.
    pub bytes: usize,
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
        /// Whether the pending key is the merge key.
        merge: bool,
        /// Values of merge keys, merged in when the mapping closes.
        merges: Vec<(Value, Marker)>,
        anchor: usize,
        tag: Option<Tag>,
        start: Marker,
    },
}

/// An anchored value kept for its aliases, and what it costs.
struct Anchored {
    value: Value,
    cost: Cost,
}

struct Builder<'a> {
    source_name: &'a str,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Anchored>,
    root: Option<Value>,
    warnings: Warnings,
    cost: Cost,
    /// Spaces added at the start of lines by [`relax`], by 1-based line: taken off columns in
    /// messages.
    pads: &'a HashMap<usize, usize>,
}

/// Parses the first YAML document of `text`. When the parser refuses an indentation that only
/// YAML 1.2 forbids (see [`relax`]), the text is read again with those lines padded; the error
/// given, if it still fails, is the first one.
pub(super) fn parse(source_name: &str, text: &str) -> Result<ParsedYaml, ImportError> {
    let no_pads = HashMap::new();
    let error = match parse_with(source_name, text, &no_pads) {
        Ok(parsed) => return Ok(parsed),
        Err(error) => error,
    };
    let ImportError::Syntax { location, message, .. } = &error else { return Err(error) };
    if !message.starts_with("invalid YAML: invalid indentation") {
        return Err(error);
    }
    match relax::pad(text, location.line, location.column) {
        Some(padded) => parse_with(source_name, &padded.text, &padded.pads).map_err(|_| error),
        None => Err(error),
    }
}

/// Parses `text`, whose lines were padded by `pads`.
fn parse_with(
    source_name: &str,
    text: &str,
    pads: &HashMap<usize, usize>,
) -> Result<ParsedYaml, ImportError> {
    let mut builder = Builder {
        source_name,
        stack: Vec::new(),
        anchors: HashMap::new(),
        root: None,
        warnings: Warnings::default(),
        cost: Cost::default(),
        pads,
    };
    let mut documents = 0usize;
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|error| {
            syntax(source_name, builder.location(*error.marker()), format!("invalid YAML: {}", error.info()))
        })?;
        match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    let at = builder.location(span.start);
                    builder.warnings.push_with(|| {
                        format!("{at}: only the first YAML document is imported; the others are ignored")
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
                Frame::Mapping {
                    entries: Map::new(),
                    key: None,
                    merge: false,
                    merges: Vec::new(),
                    anchor,
                    tag: owned(tag),
                    start: span.start,
                },
            )?,
            Event::SequenceEnd | Event::MappingEnd => builder.close()?,
            Event::Alias(id) => builder.alias(id, span)?,
            Event::StreamEnd => break,
            Event::Nothing | Event::StreamStart | Event::DocumentEnd => {}
        }
    }
    // An empty text is one null value, and costs one like any other.
    let value = builder.root.take().unwrap_or_else(|| {
        builder.cost.values += 1;
        Value::Null
    });
    Ok(ParsedYaml { value, warnings: builder.warnings, cost: builder.cost })
}

fn owned(tag: Option<Cow<'_, Tag>>) -> Option<Tag> {
    tag.map(Cow::into_owned)
}

fn syntax(source_name: &str, location: Location, message: String) -> ImportError {
    ImportError::Syntax { source_name: source_name.to_owned(), location, message }
}

impl Builder<'_> {
    /// Where `marker` is in the text as the user wrote it (padding taken off).
    fn location(&self, marker: Marker) -> Location {
        let line = marker.line().max(1);
        let pad = self.pads.get(&line).copied().unwrap_or(0);
        Location { line, column: marker.col().saturating_sub(pad) + 1 }
    }

    fn count(&mut self, added: Cost, at: Marker) -> Result<(), ImportError> {
        self.cost.values = self.cost.values.saturating_add(added.values);
        self.cost.bytes = self.cost.bytes.saturating_add(added.bytes);
        if self.cost.values > MAX_VALUES {
            return Err(syntax(
                self.source_name,
                self.location(at),
                format!("the document holds more than {MAX_VALUES} values once aliases are expanded"),
            ));
        }
        if self.cost.bytes > MAX_TEXT_BYTES {
            return Err(syntax(
                self.source_name,
                self.location(at),
                format!(
                    "the document holds more than {} MiB of text once aliases are expanded",
                    MAX_TEXT_BYTES >> 20
                ),
            ));
        }
        Ok(())
    }

    fn open(&mut self, span: Span, frame: Frame) -> Result<(), ImportError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(syntax(
                self.source_name,
                self.location(span.start),
                format!("the document nests deeper than {MAX_DEPTH} levels"),
            ));
        }
        self.count(Cost { values: 1, bytes: 0 }, span.start)?;
        self.stack.push(frame);
        Ok(())
    }

    fn close(&mut self) -> Result<(), ImportError> {
        let Some(frame) = self.stack.pop() else { return Ok(()) };
        let (value, anchor, tag, start) = match frame {
            Frame::Sequence { items, anchor, tag, start } => (Value::Array(items), anchor, tag, start),
            Frame::Mapping { mut entries, key, merges, anchor, tag, start, .. } => {
                if let Some(key) = key {
                    let at = self.location(start);
                    self.warnings.push_with(|| format!("{at}: key {key:?} has no value"));
                }
                self.merge(&mut entries, merges);
                (Value::Object(entries), anchor, tag, start)
            }
        };
        let value = match tag.and_then(|tag| self.wrapper_key(&tag, start)) {
            Some(key) => {
                // The wrapping object and its key count like any other value and key.
                self.count(Cost { values: 1, bytes: key.len() }, start)?;
                single(&key, value)
            }
            None => value,
        };
        self.remember(anchor, &value, start)?;
        self.insert(value, start);
        Ok(())
    }

    /// Merges the values of a mapping's merge keys under its own entries, as YAML's merge key
    /// does: the mapping's own keys win, then earlier merged mappings over later ones.
    fn merge(&mut self, entries: &mut Map<String, Value>, merges: Vec<(Value, Marker)>) {
        for (value, at) in merges {
            let sources = match value {
                Value::Array(items) => items,
                one => vec![one],
            };
            for source in sources {
                let Value::Object(source) = source else {
                    let at = self.location(at);
                    self.warnings.push_with(|| {
                        format!("{at}: a merge key (<<) takes a mapping or a list of mappings; this one is ignored")
                    });
                    continue;
                };
                for (key, value) in source {
                    entries.entry(key).or_insert(value);
                }
            }
        }
    }

    fn scalar(
        &mut self,
        text: &str,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<Cow<'_, Tag>>,
        span: Span,
    ) -> Result<(), ImportError> {
        self.count(Cost { values: 1, bytes: text.len() }, span.start)?;
        if let Some(Frame::Mapping { key: key @ None, merge, .. }) = self.stack.last_mut() {
            // A mapping key: keep its text as written.
            *key = Some(text.to_owned());
            *merge = style == ScalarStyle::Plain && tag.is_none() && text == MERGE_KEY;
            if anchor > 0 {
                let cost = Cost { values: 1, bytes: text.len() };
                self.count(cost, span.start)?;
                self.anchors.insert(anchor, Anchored { value: Value::String(text.to_owned()), cost });
            }
            return Ok(());
        }
        let value = match tag {
            None => resolve(text, style),
            Some(tag) => {
                let value = self.tagged_scalar(&tag, text, style, span.start);
                // What the tag added (a `Fn::` object, a split `GetAtt`) counts too.
                let held = cost_of(&value);
                let added = Cost {
                    values: held.values.saturating_sub(1),
                    bytes: held.bytes.saturating_sub(text.len()),
                };
                self.count(added, span.start)?;
                value
            }
        };
        self.remember(anchor, &value, span.start)?;
        self.insert(value, span.start);
        Ok(())
    }

    fn alias(&mut self, id: usize, span: Span) -> Result<(), ImportError> {
        let Some(cost) = self.anchors.get(&id).map(|anchored| anchored.cost) else {
            return Err(syntax(
                self.source_name,
                self.location(span.start),
                "alias to an unknown anchor".to_owned(),
            ));
        };
        // Counted before it is copied: a long text aliased many times is refused, not copied.
        self.count(cost, span.start)?;
        let value = self.anchors.get(&id).map(|anchored| anchored.value.clone()).unwrap_or(Value::Null);
        self.insert(value, span.start);
        Ok(())
    }

    /// Keeps a copy of an anchored value for its aliases. The copy counts against the budget:
    /// nested anchors copy their contents once per level, so a document of anchored sequences in
    /// anchored sequences would otherwise multiply its size without an alias.
    fn remember(&mut self, anchor: usize, value: &Value, at: Marker) -> Result<(), ImportError> {
        if anchor > 0 {
            let cost = cost_of(value);
            self.count(cost, at)?;
            self.anchors.insert(anchor, Anchored { value: value.clone(), cost });
        }
        Ok(())
    }

    fn insert(&mut self, value: Value, at: Marker) {
        let location = self.location(at);
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(value);
                }
            }
            Some(Frame::Sequence { items, .. }) => items.push(value),
            Some(Frame::Mapping { entries, key, merge, merges, .. }) => match key.take() {
                None => {
                    *merge = false;
                    let text = match value {
                        Value::String(text) => text,
                        scalar @ (Value::Number(_) | Value::Bool(_) | Value::Null) => scalar.to_string(),
                        other => {
                            // Not the value's JSON text: keys of keys would escape the quotes of
                            // the level below again at every level, doubling the text each time.
                            let kind = if other.is_array() { "list" } else { "mapping" };
                            self.warnings.push_with(|| {
                                format!("{location}: a {kind} used as a mapping key is not imported")
                            });
                            format!("({kind} key at {location})")
                        }
                    };
                    *key = Some(text);
                }
                Some(_) if std::mem::take(merge) => merges.push((value, at)),
                Some(key) => {
                    if entries.contains_key(&key) {
                        self.warnings.push_with(|| {
                            format!("{location}: duplicate key {key:?}; the last value is used")
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

    /// The key of the one-key object a tag on a collection wraps it in (`!Select [..]` →
    /// `Fn::Select`); `None` when the collection stays as it is (a core tag, or a tag whoowns
    /// does not know, which is said).
    fn wrapper_key(&mut self, tag: &Tag, at: Marker) -> Option<String> {
        if tag.handle == CORE_PREFIX {
            return None;
        }
        if tag.handle == "!" {
            match tag.suffix.as_str() {
                "Ref" | "Condition" => return Some(tag.suffix.clone()),
                name if FN_TAGS.contains(&name) => return Some(format!("Fn::{name}")),
                "" => return None,
                _ => {}
            }
        }
        self.unknown_tag(tag, at);
        None
    }

    fn unknown_tag(&mut self, tag: &Tag, at: Marker) {
        let at = self.location(at);
        self.warnings.push_with(|| {
            format!("{at}: unknown tag {}{}; its value is kept without it", tag.handle, tag.suffix)
        });
    }
}

fn single(key: &str, value: Value) -> Value {
    let mut map = Map::new();
    map.insert(key.to_owned(), value);
    Value::Object(map)
}

/// What a value costs: its values, and the bytes of its strings and keys.
pub(super) fn cost_of(value: &Value) -> Cost {
    let mut cost = Cost::default();
    let mut pending = vec![value];
    while let Some(value) = pending.pop() {
        cost.values = cost.values.saturating_add(1);
        match value {
            Value::String(text) => cost.bytes = cost.bytes.saturating_add(text.len()),
            Value::Array(items) => pending.extend(items),
            Value::Object(entries) => {
                for (key, value) in entries {
                    cost.bytes = cost.bytes.saturating_add(key.len());
                    pending.push(value);
                }
            }
            _ => {}
        }
    }
    cost
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
    if radix == 10 && digits.len() > 1 && digits.starts_with('0') {
        // `054676820928` (an account id), `000400` (a file mode): text for YAML 1.1, which
        // CloudFormation's toolchain reads, where 1.2 would drop the zeros.
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
    if exponent.is_none() && !mantissa.contains('.') {
        // Digits alone are an integer, or text (see `integer`).
        return false;
    }
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
mod tests;
