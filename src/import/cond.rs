//! Conditions on resource properties, written in `assets/resource-types.ron`: whether a bucket
//! has KMS encryption, whether a load balancer is internet-facing...
//!
//! A path is a `.`-separated list of keys, read from a resource's properties (CloudFormation
//! `Properties`, Terraform `values`). Lists are walked through: `Rules.Protocol` reads
//! `Protocol` of every element of `Rules`. A key that holds a dot is written in brackets:
//! `Parameters.[rds.force_ssl]`. A condition holds when any value found satisfies it.

use serde::Deserialize;
use serde_json::Value;

/// A test on a resource's properties.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub(super) enum Cond {
    /// Always holds.
    Always,
    /// A value is set: not null, not an empty string, not an empty list.
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
    /// A text value contains the text (e.g. a policy held as a JSON string).
    Contains(String, String),
    /// A number (or numeric text) is at least this much.
    AtLeast(String, f64),
    /// At least this many values are set at the path (e.g. two subnets).
    CountAtLeast(String, usize),
    /// An element at the path whose fields (paths inside the element) equal all these texts, e.g.
    /// a load balancer attribute `Key: deletion_protection.enabled, Value: true`.
    Element(String, Vec<(String, String)>),
    /// Every condition holds.
    All(Vec<Cond>),
    /// At least one condition holds.
    Any(Vec<Cond>),
    /// The condition does not hold.
    Not(Box<Cond>),
}

/// The deepest nesting of conditions evaluated; deeper ones are false. Conditions come from the
/// mapping file, which is checked by the tests, so this is only a guard.
const MAX_COND_DEPTH: usize = 32;

impl Cond {
    /// Whether the condition holds on `props`.
    pub fn holds(&self, props: &Value) -> bool {
        self.eval(props, 0).is_some()
    }

    /// When the condition holds on `props`, the top-level property names that made it hold (for
    /// notes such as "set in template: ...BucketEncryption").
    pub fn evidence(&self, props: &Value) -> Option<Vec<String>> {
        self.eval(props, 0).map(|paths| {
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

    /// Every path the condition reads.
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
            | Self::Element(p, _) => out.push(p),
            Self::All(conds) | Self::Any(conds) => {
                for cond in conds {
                    cond.collect_paths(out, depth + 1);
                }
            }
            Self::Not(cond) => cond.collect_paths(out, depth + 1),
        }
    }

    fn eval(&self, props: &Value, depth: usize) -> Option<Vec<String>> {
        if depth > MAX_COND_DEPTH {
            return None;
        }
        let found = |path: &String, test: &dyn Fn(&Value) -> bool| {
            values_at(props, path).into_iter().any(test).then(|| vec![path.clone()])
        };
        match self {
            Self::Always => Some(Vec::new()),
            Self::Present(path) => found(path, &is_set),
            Self::Absent(path) => (!values_at(props, path).into_iter().any(is_set)).then(Vec::new),
            Self::True(path) => found(path, &|v| text_eq(v, "true")),
            Self::False(path) => found(path, &|v| text_eq(v, "false")),
            Self::Equals(path, expected) => found(path, &|v| text_eq(v, expected)),
            Self::OneOf(path, choices) => found(path, &|v| choices.iter().any(|c| text_eq(v, c))),
            Self::StartsWith(path, prefix) => found(path, &|v| {
                v.as_str().is_some_and(|s| {
                    s.len() >= prefix.len()
                        && s.is_char_boundary(prefix.len())
                        && s[..prefix.len()].eq_ignore_ascii_case(prefix)
                })
            }),
            Self::Contains(path, part) => {
                found(path, &|v| v.as_str().is_some_and(|s| s.contains(part.as_str())))
            }
            Self::AtLeast(path, minimum) => found(path, &|v| number(v).is_some_and(|n| n >= *minimum)),
            Self::CountAtLeast(path, minimum) => {
                let count = values_at(props, path).into_iter().filter(|v| is_set(v)).count();
                (count >= *minimum).then(|| vec![path.clone()])
            }
            Self::Element(path, fields) => found(path, &|element| {
                element.is_object()
                    && fields.iter().all(|(field, expected)| {
                        values_at(element, field).into_iter().any(|v| text_eq(v, expected))
                    })
            }),
            Self::All(conds) => {
                let mut paths = Vec::new();
                for cond in conds {
                    paths.extend(cond.eval(props, depth + 1)?);
                }
                Some(paths)
            }
            Self::Any(conds) => conds.iter().find_map(|cond| cond.eval(props, depth + 1)),
            Self::Not(cond) => match cond.eval(props, depth + 1) {
                Some(_) => None,
                None => Some(cond.paths().into_iter().map(str::to_owned).collect()),
            },
        }
    }
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

/// Every value at `path` under `root`, walking through lists; lists found at the end are
/// flattened into their elements.
pub(super) fn values_at<'a>(root: &'a Value, path: &str) -> Vec<&'a Value> {
    let mut current = vec![root];
    for key in segments(path) {
        let mut next = Vec::new();
        for value in flatten(current) {
            if let Some(child) = value.as_object().and_then(|map| map.get(key)) {
                next.push(child);
            }
        }
        current = next;
    }
    flatten(current)
}

/// Replaces lists (and lists in lists, a few levels down) by their elements.
fn flatten(values: Vec<&Value>) -> Vec<&Value> {
    let mut out = Vec::new();
    let mut pending: Vec<(&Value, usize)> = values.into_iter().rev().map(|v| (v, 0)).collect();
    while let Some((value, depth)) = pending.pop() {
        match value {
            Value::Array(items) if depth < 4 => pending.extend(items.iter().rev().map(|v| (v, depth + 1))),
            Value::Array(_) => {}
            other => out.push(other),
        }
    }
    out
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn paths_walk_lists_and_brackets() {
        let props = json!({
            "BucketEncryption": {"ServerSideEncryptionConfiguration": [
                {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}
            ]},
            "Parameters": {"rds.force_ssl": 1},
        });
        let path =
            "BucketEncryption.ServerSideEncryptionConfiguration.ServerSideEncryptionByDefault.SSEAlgorithm";
        assert_eq!(values_at(&props, path), vec![&json!("aws:kms")]);
        assert_eq!(values_at(&props, "Parameters.[rds.force_ssl]"), vec![&json!(1)]);
        assert_eq!(segments("a.[b.c].d"), vec!["a", "b.c", "d"]);
    }

    #[test]
    fn conditions_hold_and_give_evidence() {
        let props = json!({
            "MultiAZ": true, "DeletionProtection": "true", "BackupRetentionPeriod": 7,
            "Scheme": "Internet-Facing", "Subnets": ["a", "b"],
            "Attributes": [{"Key": "deletion_protection.enabled", "Value": "true"}],
            "PubliclyAccessible": {"Fn::If": ["C", true, false]},
        });
        let resilient = Cond::All(vec![
            Cond::True("MultiAZ".into()),
            Cond::True("DeletionProtection".into()),
            Cond::AtLeast("BackupRetentionPeriod".into(), 1.0),
        ]);
        assert_eq!(
            resilient.evidence(&props),
            Some(vec!["MultiAZ".into(), "DeletionProtection".into(), "BackupRetentionPeriod".into()])
        );
        assert!(Cond::Equals("Scheme".into(), "internet-facing".into()).holds(&props));
        assert!(Cond::CountAtLeast("Subnets".into(), 2).holds(&props));
        assert!(!Cond::CountAtLeast("Subnets".into(), 3).holds(&props));
        let attribute =
            vec![("Key".into(), "deletion_protection.enabled".into()), ("Value".into(), "true".into())];
        assert!(Cond::Element("Attributes".into(), attribute).holds(&props));
        // An intrinsic is not a value the importer can read: neither true nor false.
        assert!(!Cond::True("PubliclyAccessible".into()).holds(&props));
        assert!(!Cond::False("PubliclyAccessible".into()).holds(&props));
        assert!(Cond::Not(Box::new(Cond::Equals("Scheme".into(), "internal".into()))).holds(&props));
        assert!(Cond::Absent("Nothing".into()).holds(&props));
        assert!(Cond::StartsWith("Scheme".into(), "internet".into()).holds(&props));
        assert!(Cond::Contains("Scheme".into(), "Facing".into()).holds(&props));
        assert!(!Cond::Contains("Scheme".into(), "facing".into()).holds(&props));
    }
}
