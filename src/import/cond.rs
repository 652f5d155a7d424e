//! Conditions on resource properties, written in `assets/resource-types.ron`: whether a bucket
//! has KMS encryption, whether a load balancer is internet-facing...
//!
//! A path is a `.`-separated list of keys, read from a resource's properties (CloudFormation
//! `Properties`, Terraform `values`). Lists are walked through: `Rules.Protocol` reads
//! `Protocol` of every element of `Rules`. A key that holds a dot is written in brackets:
//! `Parameters.[rds.force_ssl]`.
//!
//! A condition is read in one of two [`Mode`]s:
//!
//! - [`Mode::Sure`], for tasks marked done, `private` and encryption in transit: a test holds
//!   when values are found and *every* one passes it — every list element at the path, both
//!   branches of an `Fn::If` — and values the source does not give (`AWS::NoValue`, a parameter
//!   without a default) fail it. A false "done" hides work, so doubt counts against.
//! - [`Mode::Maybe`], for exposure, variants and folds: a test holds when *some* value passes it,
//!   and values the source does not give might.
//!
//! `Not` reads its condition in the other mode, so `Not(Equals(p, x))` surely holds when no
//! value could be `x`. `Element`, `Has` and `Every` say how they treat lists themselves.

use serde::Deserialize;
use serde_json::Value;

/// A test on a resource's properties.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub(super) enum Cond {
    /// Always holds.
    Always,
    /// A value is set: not null, not an empty string, not an empty list. A reference to another
    /// resource (or a value known only after apply) is set.
    Present(String),
    /// No value is set.
    Absent(String),
    /// A value is `true` (or the text "true").
    True(String),
    /// A value is `false` (or the text "false").
    False(String),
    /// A value equals the text, ignoring ASCII case (numbers and booleans compare as text).
    Equals(String, String),
    /// A value equals one of the texts, ignoring ASCII case.
    OneOf(String, Vec<String>),
    /// A text value starts with the prefix, ignoring ASCII case.
    StartsWith(String, String),
    /// A text value contains the text.
    Contains(String, String),
    /// A number (or numeric text) is at least this much.
    AtLeast(String, f64),
    /// At least this many values are set at the path (e.g. two subnets).
    CountAtLeast(String, usize),
    /// Some value at the path (a list that holds it) equals the text, ignoring ASCII case.
    Has(String, String),
    /// Some element at the path has fields (paths inside the element) equal to all these texts,
    /// e.g. a load balancer attribute `Key: deletion_protection.enabled, Value: true`.
    Element(String, Vec<(String, String)>),
    /// Some element at the path satisfies the condition, read inside the element: a policy
    /// statement that denies plaintext for every principal, on every action, on the objects.
    Exists(String, Box<Cond>),
    /// Some text value at the path ends with the suffix (case-sensitive). The text of `Fn::Sub`
    /// and `Fn::Join` counts as written, parts only deployment knows standing for themselves
    /// (`${Bucket.Arn}/*` ends with `/*`).
    EndsWith(String, String),
    /// There are elements at the path and every one satisfies the condition, read inside the
    /// element: every listener, every replica, every cache behaviour.
    Every(String, Box<Cond>),
    /// The value at the path, a JSON document (a policy held as text, or already a mapping),
    /// satisfies the condition.
    Json(String, Box<Cond>),
    /// Every condition holds.
    All(Vec<Cond>),
    /// At least one condition holds.
    Any(Vec<Cond>),
    /// The condition does not hold.
    Not(Box<Cond>),
}

/// How doubt is read: see the module docs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Mode {
    /// Every possible value passes; doubt fails.
    Sure,
    /// Some possible value passes; doubt passes.
    Maybe,
}

impl Mode {
    fn flipped(self) -> Self {
        match self {
            Self::Sure => Self::Maybe,
            Self::Maybe => Self::Sure,
        }
    }
}

/// The key of the object the CloudFormation reader puts where a parameter without a default is
/// referenced: its value is not known.
pub(super) const UNKNOWN: &str = "whoowns::Unknown";

/// What a plan shows for a value that is only known after apply; it is set.
pub(super) const KNOWN_AFTER_APPLY: &str = "(known after apply)";

/// The deepest nesting of conditions evaluated; deeper ones are false. Conditions come from the
/// mapping file, which is checked by the tests, so this is only a guard.
const MAX_COND_DEPTH: usize = 32;

/// The deepest nesting of `Fn::If` and lists followed while reading a path.
const MAX_VALUE_DEPTH: usize = 16;

/// The most JSON documents parsed for one `Json` condition.
const MAX_DOCUMENTS: usize = 64;

/// One value found at a path, as far as the source tells.
#[derive(Clone, Copy, Debug)]
enum Found<'a> {
    /// A plain value.
    Known(&'a Value),
    /// Null, or `AWS::NoValue`: not set.
    Unset,
    /// A parameter without a default: anything, or nothing.
    Unknown,
    /// Set, to what only deployment tells: a reference, a function, a value known after apply.
    Computed(&'a Value),
}

/// A value found, and whether it is one branch of an `Fn::If`.
#[derive(Clone, Copy, Debug)]
struct Seen<'a> {
    found: Found<'a>,
    branch: bool,
}

impl Cond {
    /// Whether the condition surely holds on `props` ([`Mode::Sure`]).
    pub fn surely(&self, props: &Value) -> bool {
        self.eval(props, Mode::Sure, 0).is_some()
    }

    /// Whether the condition may hold on `props` ([`Mode::Maybe`]).
    pub fn maybe(&self, props: &Value) -> bool {
        self.eval(props, Mode::Maybe, 0).is_some()
    }

    /// When the condition surely holds on `props`, the top-level property names that made it
    /// hold (for notes such as "set in template: ...BucketEncryption").
    pub fn evidence(&self, props: &Value) -> Option<Vec<String>> {
        self.eval(props, Mode::Sure, 0).map(|paths| {
            let mut keys: Vec<String> = Vec::new();
            for path in paths {
                let key = segments(&path).first().map_or_else(String::new, |s| (*s).to_owned());
                if !key.is_empty() && !keys.contains(&key) {
                    keys.push(key);
                }
            }
            keys
        })
    }

    /// Every path the condition reads (paths inside `Every` and `Json` are relative to what they
    /// read).
    pub fn paths(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.collect_paths(&mut out, 0);
        out
    }

    fn collect_paths<'a>(&'a self, out: &mut Vec<&'a str>, depth: usize) {
        if depth > MAX_COND_DEPTH {
            return;
        }
        match self {
            Self::Always => {}
            Self::Present(p)
            | Self::Absent(p)
            | Self::True(p)
            | Self::False(p)
            | Self::Equals(p, _)
            | Self::OneOf(p, _)
            | Self::StartsWith(p, _)
            | Self::Contains(p, _)
            | Self::AtLeast(p, _)
            | Self::CountAtLeast(p, _)
            | Self::Has(p, _)
            | Self::EndsWith(p, _) => out.push(p),
            Self::Element(p, fields) => {
                out.push(p);
                out.extend(fields.iter().map(|(field, _)| field.as_str()));
            }
            Self::Every(p, cond) | Self::Json(p, cond) | Self::Exists(p, cond) => {
                out.push(p);
                cond.collect_paths(out, depth + 1);
            }
            Self::All(conds) | Self::Any(conds) => {
                for cond in conds {
                    cond.collect_paths(out, depth + 1);
                }
            }
            Self::Not(cond) => cond.collect_paths(out, depth + 1),
        }
    }

    fn eval(&self, props: &Value, mode: Mode, depth: usize) -> Option<Vec<String>> {
        if depth > MAX_COND_DEPTH {
            return None;
        }
        let test = |path: &String, set_only: bool, pass: &dyn Fn(&Value) -> bool| {
            leaf(&values_at(props, path), mode, set_only, pass).then(|| vec![path.clone()])
        };
        match self {
            Self::Always => Some(Vec::new()),
            Self::Present(path) => test(path, true, &is_set),
            Self::Absent(path) => {
                let present = leaf(&values_at(props, path), mode.flipped(), true, &is_set);
                (!present).then(Vec::new)
            }
            Self::True(path) => test(path, false, &|v| text_eq(v, "true")),
            Self::False(path) => test(path, false, &|v| text_eq(v, "false")),
            Self::Equals(path, expected) => test(path, false, &|v| text_eq(v, expected)),
            Self::OneOf(path, choices) => test(path, false, &|v| choices.iter().any(|c| text_eq(v, c))),
            Self::StartsWith(path, prefix) => test(path, false, &|v| {
                v.as_str().is_some_and(|s| {
                    s.len() >= prefix.len()
                        && s.is_char_boundary(prefix.len())
                        && s[..prefix.len()].eq_ignore_ascii_case(prefix)
                })
            }),
            Self::Contains(path, part) => {
                test(path, false, &|v| v.as_str().is_some_and(|s| s.contains(part.as_str())))
            }
            Self::AtLeast(path, minimum) => test(path, false, &|v| number(v).is_some_and(|n| n >= *minimum)),
            Self::CountAtLeast(path, minimum) => {
                let count = values_at(props, path)
                    .iter()
                    // A branch may not be taken, and counting both branches overcounts.
                    .filter(|seen| mode == Mode::Maybe || !seen.branch)
                    .filter(|seen| match seen.found {
                        Found::Known(v) => is_set(v),
                        Found::Computed(_) => true,
                        Found::Unknown => mode == Mode::Maybe,
                        Found::Unset => false,
                    })
                    .count();
                (count >= *minimum).then(|| vec![path.clone()])
            }
            Self::Has(path, expected) => {
                some(&values_at(props, path), mode, &|v| text_eq(v, expected)).then(|| vec![path.clone()])
            }
            Self::Element(path, fields) => {
                let matches = |element: &Value| {
                    element.is_object()
                        && fields.iter().all(|(field, expected)| {
                            leaf(&values_at(element, field), mode, false, &|v| text_eq(v, expected))
                        })
                };
                some(&values_at(props, path), mode, &matches).then(|| vec![path.clone()])
            }
            Self::Exists(path, cond) => {
                let elements = values_at(props, path);
                let holds =
                    elements.iter().filter(|seen| mode == Mode::Maybe || !seen.branch).any(|seen| match seen
                        .found
                    {
                        Found::Known(element) => cond.eval(element, mode, depth + 1).is_some(),
                        Found::Unknown | Found::Computed(_) => mode == Mode::Maybe,
                        Found::Unset => false,
                    });
                holds.then(|| vec![path.clone()])
            }
            Self::EndsWith(path, suffix) => {
                let values = values_at(props, path);
                let holds = values.iter().filter(|seen| mode == Mode::Maybe || !seen.branch).any(|seen| {
                    match seen.found {
                        Found::Known(value) | Found::Computed(value) => {
                            written_text(value, 0).is_some_and(|text| text.ends_with(suffix.as_str()))
                        }
                        Found::Unknown => mode == Mode::Maybe,
                        Found::Unset => false,
                    }
                });
                holds.then(|| vec![path.clone()])
            }
            Self::Every(path, cond) => {
                let elements = values_at(props, path);
                let holds = !elements.is_empty()
                    && elements.iter().all(|seen| match seen.found {
                        Found::Known(element) => cond.eval(element, mode, depth + 1).is_some(),
                        Found::Unknown | Found::Computed(_) => mode == Mode::Maybe,
                        Found::Unset => false,
                    });
                holds.then(|| vec![path.clone()])
            }
            Self::Json(path, cond) => {
                let documents = values_at(props, path);
                let parsed = |seen: &Seen<'_>| match seen.found {
                    Found::Known(Value::String(text)) => serde_json::from_str::<Value>(text)
                        .ok()
                        .map(|doc| cond.eval(&doc, mode, depth + 1).is_some()),
                    Found::Known(doc) => Some(cond.eval(doc, mode, depth + 1).is_some()),
                    Found::Unknown | Found::Computed(_) => Some(mode == Mode::Maybe),
                    Found::Unset => Some(false),
                };
                let mut results =
                    documents.iter().take(MAX_DOCUMENTS).map(|seen| parsed(seen).unwrap_or(false));
                let holds = match mode {
                    Mode::Sure => {
                        !documents.is_empty() && documents.len() <= MAX_DOCUMENTS && results.all(|r| r)
                    }
                    Mode::Maybe => results.any(|r| r),
                };
                holds.then(|| vec![path.clone()])
            }
            Self::All(conds) => {
                let mut paths = Vec::new();
                for cond in conds {
                    paths.extend(cond.eval(props, mode, depth + 1)?);
                }
                Some(paths)
            }
            Self::Any(conds) => conds.iter().find_map(|cond| cond.eval(props, mode, depth + 1)),
            Self::Not(cond) => match cond.eval(props, mode.flipped(), depth + 1) {
                Some(_) => None,
                None => Some(cond.paths().into_iter().map(str::to_owned).collect()),
            },
        }
    }
}

/// A test on the values at a path: in [`Mode::Sure`] there are values and every one passes; in
/// [`Mode::Maybe`] some value may pass. `set_only`: the test is whether a value is set, which a
/// computed value passes even in [`Mode::Sure`].
fn leaf(values: &[Seen<'_>], mode: Mode, set_only: bool, pass: &dyn Fn(&Value) -> bool) -> bool {
    let passes = |seen: &Seen<'_>| match seen.found {
        Found::Known(value) => pass(value),
        Found::Unset => false,
        Found::Unknown => mode == Mode::Maybe,
        Found::Computed(_) => set_only || mode == Mode::Maybe,
    };
    match mode {
        Mode::Sure => !values.is_empty() && values.iter().all(passes),
        Mode::Maybe => values.iter().any(passes),
    }
}

/// Whether some value (a list element) passes: in [`Mode::Sure`] a plain value outside any
/// `Fn::If`; in [`Mode::Maybe`] any value, unknown ones included.
fn some(values: &[Seen<'_>], mode: Mode, pass: &dyn Fn(&Value) -> bool) -> bool {
    values.iter().filter(|seen| mode == Mode::Maybe || !seen.branch).any(|seen| match seen.found {
        Found::Known(value) => pass(value),
        Found::Unknown | Found::Computed(_) => mode == Mode::Maybe,
        Found::Unset => false,
    })
}

/// Splits a path into keys; `[...]` holds a key with dots in it.
pub(super) fn segments(path: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(bracketed) = rest.strip_prefix('[')
            && let Some(end) = bracketed.find(']')
        {
            out.push(&bracketed[..end]);
            rest = bracketed[end + 1..].strip_prefix('.').unwrap_or(&bracketed[end + 1..]);
            continue;
        }
        match rest.find('.') {
            Some(dot) => {
                out.push(&rest[..dot]);
                rest = &rest[dot + 1..];
            }
            None => {
                out.push(rest);
                rest = "";
            }
        }
    }
    out
}

/// Every value at `path` under `root`, walking through lists and both branches of `Fn::If`;
/// lists found at the end are flattened into their elements.
fn values_at<'a>(root: &'a Value, path: &str) -> Vec<Seen<'a>> {
    let keys = segments(path);
    let mut out = Vec::new();
    walk(root, &keys, false, 0, &mut out);
    out
}

fn walk<'a>(value: &'a Value, keys: &[&str], branch: bool, depth: usize, out: &mut Vec<Seen<'a>>) {
    if depth > MAX_VALUE_DEPTH {
        return;
    }
    if let Some(branches) = if_branches(value) {
        for taken in branches {
            let before = out.len();
            walk(taken, keys, true, depth + 1, out);
            if out.len() == before {
                // The branch does not set the value: not set, when that branch is taken.
                out.push(Seen { found: Found::Unset, branch: true });
            }
        }
        return;
    }
    let (Some((key, rest)), Value::Object(map)) = (keys.split_first(), value) else {
        match value {
            Value::Array(items) => {
                for item in items {
                    walk(item, keys, branch, depth + 1, out);
                }
            }
            _ if keys.is_empty() => out.push(Seen { found: classify(value), branch }),
            _ => match classify(value) {
                // Below a value the source does not give, nothing is known either.
                found @ (Found::Unknown | Found::Computed(_) | Found::Unset) => {
                    out.push(Seen { found, branch });
                }
                Found::Known(_) => {}
            },
        }
        return;
    };
    if is_intrinsic(map) {
        out.push(Seen { found: classify(value), branch });
        return;
    }
    if let Some(child) = map.get(*key) {
        walk(child, rest, branch, depth + 1, out);
    }
}

/// The two branches of `{"Fn::If": [condition, then, else]}`.
fn if_branches(value: &Value) -> Option<[&Value; 2]> {
    let map = value.as_object().filter(|map| map.len() == 1)?;
    match map.get("Fn::If")?.as_array()?.as_slice() {
        [_, then, otherwise] => Some([then, otherwise]),
        _ => None,
    }
}

/// Whether a mapping is a function call (`Ref`, `Fn::...`) or the unknown marker.
fn is_intrinsic(map: &serde_json::Map<String, Value>) -> bool {
    map.len() == 1
        && map.keys().next().is_some_and(|key| key == "Ref" || key == UNKNOWN || key.starts_with("Fn::"))
}

fn classify(value: &Value) -> Found<'_> {
    match value {
        Value::Null => Found::Unset,
        Value::String(text) if text == KNOWN_AFTER_APPLY => Found::Computed(value),
        Value::Object(map) if is_intrinsic(map) => match map.get("Ref") {
            Some(Value::String(name)) if name == "AWS::NoValue" => Found::Unset,
            _ if map.contains_key(UNKNOWN) => Found::Unknown,
            _ => Found::Computed(value),
        },
        other => Found::Known(other),
    }
}

/// The deepest nesting of `Fn::Join` rendered by [`written_text`].
const MAX_TEXT_DEPTH: usize = 8;

/// A value as text as far as the source writes it: a string; the template of `Fn::Sub`; the
/// parts of `Fn::Join` joined, each part only deployment knows written `${...}`. `None` for
/// other values.
fn written_text(value: &Value, depth: usize) -> Option<String> {
    if depth > MAX_TEXT_DEPTH {
        return None;
    }
    match value {
        Value::String(text) if text != KNOWN_AFTER_APPLY => Some(text.clone()),
        Value::Object(map) if map.len() == 1 => match (map.get("Fn::Sub"), map.get("Fn::Join")) {
            (Some(Value::String(template)), _) => Some(template.clone()),
            (Some(Value::Array(parts)), _) => parts.first().and_then(Value::as_str).map(str::to_owned),
            (_, Some(Value::Array(join))) => match join.as_slice() {
                [Value::String(separator), Value::Array(parts)] => Some(
                    parts
                        .iter()
                        .map(|part| written_text(part, depth + 1).unwrap_or_else(|| "${...}".to_owned()))
                        .collect::<Vec<_>>()
                        .join(separator),
                ),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

fn is_set(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::String(text) => !text.is_empty(),
        Value::Array(items) => !items.is_empty(),
        _ => true,
    }
}

/// Whether a scalar reads as `expected`, ignoring ASCII case.
pub(super) fn text_eq(value: &Value, expected: &str) -> bool {
    match value {
        Value::String(text) => text.eq_ignore_ascii_case(expected),
        Value::Bool(flag) => expected.eq_ignore_ascii_case(if *flag { "true" } else { "false" }),
        Value::Number(n) => {
            n.to_string() == expected
                || expected.parse::<f64>().ok().zip(n.as_f64()).is_some_and(|(a, b)| a == b)
        }
        _ => false,
    }
}

/// A number, or text that reads as one.
pub(super) fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

/// The plain values at `path`, for reading ports and directions: what an `Fn::If` or a function
/// gives is left out.
pub(super) fn plain_values_at<'a>(root: &'a Value, path: &str) -> Vec<&'a Value> {
    values_at(root, path)
        .into_iter()
        .filter_map(|seen| match seen.found {
            Found::Known(value) if !seen.branch => Some(value),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests;
