//! Duplicate keys in JSON: serde_json keeps the last value of a key given twice without a
//! word, which can drop a whole `Resources` block. [`duplicate_keys`] finds them, with
//! `line:column`, so the report says so as it does for YAML.

use std::collections::HashSet;

use super::report::Warnings;
use crate::io::Location;

/// One open container of the walk.
enum Open {
    /// An object: the keys seen so far, and whether a key comes next.
    Object {
        keys: HashSet<String>,
        key_next: bool,
    },
    Array,
}

/// Warns about every key given twice in one object of `text`, which serde_json has already
/// parsed (so the walk can be simple: strings, brackets, commas and colons).
pub(super) fn duplicate_keys(text: &str) -> Warnings {
    let mut warnings = Warnings::default();
    let bytes = text.as_bytes();
    let mut stack: Vec<Open> = Vec::new();
    let (mut line, mut line_start) = (1usize, 0usize);
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                line += 1;
                line_start = i + 1;
            }
            b'{' => stack.push(Open::Object { keys: HashSet::new(), key_next: true }),
            b'[' => stack.push(Open::Array),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => {
                if let Some(Open::Object { key_next, .. }) = stack.last_mut() {
                    *key_next = true;
                }
            }
            b'"' => {
                let start = i;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                if let Some(Open::Object { keys, key_next }) = stack.last_mut()
                    && std::mem::take(key_next)
                {
                    let Some(raw) = text.get(start..=i) else { break };
                    let key = if raw.contains('\\') {
                        serde_json::from_str::<String>(raw).unwrap_or_else(|_| raw.to_owned())
                    } else {
                        raw[1..raw.len().saturating_sub(1).max(1)].to_owned()
                    };
                    if !keys.insert(key.clone()) {
                        let column = text[line_start..start].chars().count() + 1;
                        let at = Location { line, column };
                        warnings.push_with(|| format!("{at}: duplicate key {key:?}; the last value is used"));
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_given_twice_in_one_object_are_named_where_they_are() {
        let text = "{\"Resources\": {\"A\": {\"x\": [{\"k\": 1}, {\"k\": 2}]}},\n  \"Outputs\": {}, \"Resources\": {},\n \"é\": {\"\\u0041\": 1, \"A\": \"}\"}}";
        let (warnings, omitted) = duplicate_keys(text).finish();
        assert_eq!(omitted, 0);
        assert_eq!(
            warnings,
            vec![
                "2:18: duplicate key \"Resources\"; the last value is used".to_owned(),
                "3:21: duplicate key \"A\"; the last value is used".to_owned(),
            ]
        );
        assert!(duplicate_keys("{\"a\": \"a\", \"b\": [\"a\", \"a\"]}").finish().0.is_empty());
    }
}
