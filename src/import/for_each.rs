//! `Fn::ForEach` loops of the `AWS::LanguageExtensions` transform, expanded in `Resources`
//! before the template is read, the way CloudFormation expands them:
//!
//! ```yaml
//! Fn::ForEach::Buckets:
//!   - Name                      # the identifier
//!   - [Logs, Assets]            # the collection: a list, or a Ref to a list parameter
//!   - ${Name}Bucket:            # one resource per item; &{Name} keeps letters and digits only
//!       Type: AWS::S3::Bucket
//!       Properties: { BucketName: !Sub "shop-${Name}" }
//! ```
//!
//! Inside a loop `Ref: Name` reads as the item and `${Name}` or `&{Name}` in any string is
//! replaced by it. Loops nest. Expansion is bounded: hostile templates cannot multiply
//! resources without end.

use serde_json::{Map, Value};

use super::report::Warnings;

/// The prefix of a loop's key in `Resources`.
const FOR_EACH: &str = "Fn::ForEach::";
/// The most resources the loops of one template may make; the rest are left out, with a warning.
pub(super) const MAX_PRODUCED: usize = 10_000;
/// The most loop iterations, counted over every loop and nesting level (empty templates too).
const MAX_ITERATIONS: usize = 100_000;
/// The most bytes of text substitution may write in all: `${X}` repeated in a long string, with
/// long items, cannot grow without end.
const MAX_SUBSTITUTED_BYTES: usize = 64 * 1024 * 1024;
/// The deepest loop nesting expanded.
const MAX_LOOP_DEPTH: usize = 8;
/// The deepest value nesting substituted into.
const MAX_VALUE_DEPTH: usize = 160;

/// Whether `resources` holds a loop.
pub(super) fn has_loops(resources: &Map<String, Value>) -> bool {
    resources.keys().any(|key| key.starts_with(FOR_EACH))
}

/// `resources` with every loop replaced by the resources it makes. `parameter` gives what a
/// `Ref` to a parameter reads as (a list for list parameters), for collections that name one.
pub(super) fn expand(
    resources: &Map<String, Value>,
    parameter: &dyn Fn(&str) -> Option<Value>,
    warnings: &mut Warnings,
) -> Map<String, Value> {
    let mut expansion = Expansion {
        parameter,
        warnings,
        out: Map::new(),
        produced: 0,
        iterations: 0,
        bytes: 0,
        capped: false,
    };
    expansion.expand_map(resources, "Resources", &[], 0);
    expansion.out
}

struct Expansion<'a> {
    parameter: &'a dyn Fn(&str) -> Option<Value>,
    warnings: &'a mut Warnings,
    out: Map<String, Value>,
    /// Resources made by loops so far.
    produced: usize,
    /// Loop iterations so far.
    iterations: usize,
    /// Bytes of text written by substitution so far.
    bytes: usize,
    /// Whether a limit was reached: expansion stops.
    capped: bool,
}

/// An identifier bound to the item of the current iteration.
type Binding = (String, String);

/// A limit was reached while substituting.
struct Exhausted;

impl Expansion<'_> {
    fn expand_map(&mut self, map: &Map<String, Value>, place: &str, bindings: &[Binding], depth: usize) {
        for (key, value) in map {
            if self.capped {
                return;
            }
            if key.starts_with(FOR_EACH) {
                self.expand_loop(value, &format!("{place}.{key}"), bindings, depth);
                continue;
            }
            if !bindings.is_empty() {
                if self.produced >= MAX_PRODUCED {
                    self.cap(place, &format!("they make more than {MAX_PRODUCED} resources"));
                    return;
                }
                self.produced += 1;
            }
            let substituted = self
                .substitute_text(key, bindings)
                .and_then(|id| Ok((id, self.substitute(value, bindings, 0)?)));
            let Ok((id, value)) = substituted else {
                self.cap(place, &format!("they write more than {} MiB of text", MAX_SUBSTITUTED_BYTES >> 20));
                return;
            };
            if self.out.contains_key(&id) {
                self.warnings.push_with(|| {
                    format!("{place}: Resources.{id} is made twice (by a loop and another entry); the first is kept")
                });
                continue;
            }
            self.out.insert(id, value);
        }
    }

    fn expand_loop(&mut self, body: &Value, place: &str, bindings: &[Binding], depth: usize) {
        let not_expanded = |why: &str| format!("{place}: {why}; the resources it makes are not imported");
        if depth >= MAX_LOOP_DEPTH {
            self.warnings.push(not_expanded(&format!("loops nest deeper than {MAX_LOOP_DEPTH}")));
            return;
        }
        let Some([identifier, collection, template]) = body.as_array().map(Vec::as_slice) else {
            self.warnings
                .push(not_expanded("a loop is a list of an identifier, a collection and a template"));
            return;
        };
        let (Some(identifier), Some(template)) = (identifier.as_str(), template.as_object()) else {
            self.warnings.push(not_expanded("the identifier must be text and the template a mapping"));
            return;
        };
        let Ok(collection) = self.substitute(collection, bindings, 0) else {
            self.cap(place, &format!("they write more than {} MiB of text", MAX_SUBSTITUTED_BYTES >> 20));
            return;
        };
        let Some(items) = self.items(&collection) else {
            self.warnings.push(not_expanded(
                "its collection is neither a list nor a Ref to a list parameter with a default",
            ));
            return;
        };
        for item in items {
            self.iterations += 1;
            if self.iterations > MAX_ITERATIONS {
                self.cap(place, &format!("they run more than {MAX_ITERATIONS} times"));
            }
            if self.capped {
                return;
            }
            let mut inner = bindings.to_vec();
            inner.push((identifier.to_owned(), item));
            self.expand_map(template, place, &inner, depth + 1);
        }
    }

    /// Stops the expansion, saying why once.
    fn cap(&mut self, place: &str, why: &str) {
        if !self.capped {
            self.capped = true;
            self.warnings
                .push(format!("{place}: Fn::ForEach loops stop here: {why}; the rest are not imported"));
        }
    }

    /// The items of a collection: text items of a list, or of the list a parameter reads as.
    fn items(&self, collection: &Value) -> Option<Vec<String>> {
        let list = match collection {
            Value::Array(items) => items.clone(),
            Value::Object(map) if map.len() == 1 => match map.get("Ref").and_then(Value::as_str) {
                Some(name) => match (self.parameter)(name)? {
                    Value::Array(items) => items,
                    _ => return None,
                },
                None => return None,
            },
            _ => return None,
        };
        Some(
            list.iter()
                .filter_map(|item| match item {
                    Value::String(text) => Some(text.clone()),
                    Value::Number(number) => Some(number.to_string()),
                    _ => None,
                })
                .collect(),
        )
    }

    /// `value` with the loop identifiers in `bindings` replaced by their items.
    fn substitute(&mut self, value: &Value, bindings: &[Binding], depth: usize) -> Result<Value, Exhausted> {
        if bindings.is_empty() || depth > MAX_VALUE_DEPTH {
            return Ok(value.clone());
        }
        Ok(match value {
            Value::String(text) => Value::String(self.substitute_text(text, bindings)?),
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|item| self.substitute(item, bindings, depth + 1))
                    .collect::<Result<_, _>>()?,
            ),
            Value::Object(map) => {
                if map.len() == 1
                    && let Some(Value::String(name)) = map.get("Ref")
                    && let Some((_, item)) = bindings.iter().rev().find(|(identifier, _)| identifier == name)
                {
                    return Ok(Value::String(item.clone()));
                }
                let mut out = Map::new();
                for (key, child) in map {
                    out.insert(
                        self.substitute_text(key, bindings)?,
                        self.substitute(child, bindings, depth + 1)?,
                    );
                }
                Value::Object(out)
            }
            other => other.clone(),
        })
    }

    /// `text` with `${Identifier}` replaced by the item and `&{Identifier}` by its letters and
    /// digits, within the byte budget.
    fn substitute_text(&mut self, text: &str, bindings: &[Binding]) -> Result<String, Exhausted> {
        let mut text = text.to_owned();
        if text.contains('{') {
            for (identifier, item) in bindings.iter().rev() {
                let alphanumeric: String = item.chars().filter(char::is_ascii_alphanumeric).collect();
                for (pattern, replacement) in [
                    (format!("${{{identifier}}}"), item.as_str()),
                    (format!("&{{{identifier}}}"), &alphanumeric),
                ] {
                    let grown = text.len() + text.matches(&pattern).count() * replacement.len();
                    if self.bytes + grown > MAX_SUBSTITUTED_BYTES {
                        return Err(Exhausted);
                    }
                    text = text.replace(&pattern, replacement);
                }
            }
        }
        self.bytes += text.len();
        if self.bytes > MAX_SUBSTITUTED_BYTES { Err(Exhausted) } else { Ok(text) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn expanded(resources: &Value, parameters: &Value) -> (Map<String, Value>, Vec<String>) {
        let mut warnings = Warnings::default();
        let parameter = |name: &str| parameters.get(name).cloned();
        let out = expand(resources.as_object().unwrap(), &parameter, &mut warnings);
        (out, warnings.kept().to_vec())
    }

    #[test]
    fn a_loop_makes_one_resource_per_item_with_the_identifier_replaced() {
        let (out, warnings) = expanded(
            &json!({
                "Topic": {"Type": "AWS::SNS::Topic"},
                "Fn::ForEach::Buckets": ["Name", ["logs", "web-assets"], {
                    "&{Name}Bucket": {
                        "Type": "AWS::S3::Bucket",
                        "Properties": {"BucketName": {"Fn::Sub": "shop-${Name}"}, "Tags": [{"Value": {"Ref": "Name"}}]}
                    }
                }]
            }),
            &json!({}),
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        let ids: Vec<&str> = out.keys().map(String::as_str).collect();
        assert_eq!(ids, ["Topic", "logsBucket", "webassetsBucket"]);
        assert_eq!(out["webassetsBucket"]["Properties"]["BucketName"]["Fn::Sub"], "shop-web-assets");
        assert_eq!(out["logsBucket"]["Properties"]["Tags"][0]["Value"], "logs");
    }

    #[test]
    fn loops_nest_and_read_list_parameters() {
        let (out, warnings) = expanded(
            &json!({
                "Fn::ForEach::Envs": ["Env", {"Ref": "Environments"}, {
                    "Fn::ForEach::Tiers": ["Tier", ["Web", "Api"], {
                        "${Env}${Tier}Function": {"Type": "AWS::Lambda::Function"}
                    }]
                }]
            }),
            &json!({"Environments": ["Prod", "Test"]}),
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        let ids: Vec<&str> = out.keys().map(String::as_str).collect();
        assert_eq!(ids, ["ProdApiFunction", "ProdWebFunction", "TestApiFunction", "TestWebFunction"]);
    }

    #[test]
    fn unreadable_loops_are_warnings_and_explosions_are_capped() {
        let (out, warnings) = expanded(
            &json!({
                "Fn::ForEach::Odd": ["X", {"Fn::GetAtt": ["A", "B"]}, {"R${X}": {}}],
                "Fn::ForEach::Broken": "nope",
            }),
            &json!({}),
        );
        assert!(out.is_empty());
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings.iter().all(|w| w.contains("not imported")));

        let items: Vec<String> = (0..200).map(|i| i.to_string()).collect();
        let (out, warnings) = expanded(
            &json!({
                "Fn::ForEach::A": ["A", items, {
                    "Fn::ForEach::B": ["B", items, {"R${A}x${B}": {"Type": "AWS::SNS::Topic"}}]
                }]
            }),
            &json!({}),
        );
        assert_eq!(out.len(), MAX_PRODUCED);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
    }

    #[test]
    fn empty_loops_and_growing_text_are_bounded() {
        let items: Vec<String> = (0..1_000).map(|i| i.to_string()).collect();
        let (out, warnings) = expanded(
            &json!({"Fn::ForEach::A": ["A", items, {"Fn::ForEach::B": ["B", items, {}]}]}),
            &json!({}),
        );
        assert!(out.is_empty());
        assert!(warnings.len() == 1 && warnings[0].contains("more than 100000 times"), "{warnings:?}");

        let long = "x".repeat(1 << 20);
        let items: Vec<String> = (0..100).map(|i| format!("{i}{long}")).collect();
        let (out, warnings) = expanded(
            &json!({"Fn::ForEach::A": ["A", items, {"R${A}": {"Properties": {"Name": "${A}${A}${A}"}}}]}),
            &json!({}),
        );
        assert!(out.len() < 20, "{}", out.len());
        assert!(warnings.len() == 1 && warnings[0].contains("MiB of text"), "{warnings:?}");
    }
}
