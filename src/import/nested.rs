//! Nested stacks whose template is a local file (`AWS::CloudFormation::Stack` with a relative
//! `TemplateURL`, SAM's `AWS::Serverless::Application` with a `Location` path, as written before
//! `aws cloudformation package` uploads them) are read and inlined into the parent template:
//!
//! - each child resource joins the parent's `Resources` under the stack's logical id followed by
//!   its own (`Network` + `PrivateSubnet` → `NetworkPrivateSubnet`);
//! - a child `Ref` to one of its parameters becomes the value the stack passes in `Parameters`
//!   (so the child's instance lands in the parent's subnet); a parameter not passed is copied to
//!   the parent's `Parameters` under the prefixed name, default and type included;
//! - the parent's `Fn::GetAtt Stack.Outputs.Name` becomes the output's value, so references, and
//!   with them flows, cross from the parent into the child.
//!
//! Templates behind a URL are not fetched (whoowns reads no network) and stay listed as skipped.
//! Only regular files at relative paths are read (no absolute paths, drives or network shares,
//! devices or pipes). Reading is bounded: nesting depth, cycles, files and bytes read, and the
//! number of resources inlined.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use serde_json::{Map, Value};

use super::cloudformation;
use super::report::Warnings;

/// The deepest chain of stacks followed.
const MAX_NESTING: usize = 5;
/// The most resources inlined from all nested templates of one import.
const MAX_INLINED: usize = 100_000;
/// The most nested template files read for one import.
const MAX_FILES: usize = 200;
/// The most bytes of nested templates read for one import.
const MAX_BYTES: u64 = 256 * 1024 * 1024;
/// The deepest value nesting rewritten.
const MAX_VALUE_DEPTH: usize = 160;

/// Inlines the local nested stacks of `doc`, the template read from `file`.
pub(super) fn inline(doc: &mut Value, file: &Path, warnings: &mut Warnings) {
    let mut inliner = Inliner { warnings, inlined: 0, files: 0, bytes: 0 };
    let chain = vec![std::fs::canonicalize(file).unwrap_or_else(|_| file.to_owned())];
    inliner.inline_stacks(doc, "", file.parent().unwrap_or(Path::new(".")), &chain);
}

struct Inliner<'a> {
    warnings: &'a mut Warnings,
    /// Resources inlined so far.
    inlined: usize,
    /// Nested template files read so far, and their bytes.
    files: usize,
    bytes: u64,
}

/// What a stack's child template gives its parent: the values of its outputs.
type Outputs = HashMap<String, Value>;

impl Inliner<'_> {
    /// Inlines the nested stacks of `doc`, found in `folder`; `source` names a nested template in
    /// warnings (`""` for the file imported).
    fn inline_stacks(&mut self, doc: &mut Value, source: &str, folder: &Path, chain: &[PathBuf]) {
        let stacks: Vec<(String, Value)> = match doc.get("Resources").and_then(Value::as_object) {
            Some(resources) => resources
                .iter()
                .filter_map(|(id, body)| Some((id.clone(), template_location(body)?.clone())))
                .collect(),
            None => return,
        };
        let mut outputs: HashMap<String, Outputs> = HashMap::new();
        for (stack, location) in stacks {
            let place = format!("{source}Resources.{stack}");
            let Some(child) = self.read_child(&place, &location, folder, chain) else { continue };
            if let Some(stack_outputs) = self.merge(doc, &stack, &child) {
                outputs.insert(stack, stack_outputs);
            }
        }
        if !outputs.is_empty() {
            for section in ["Resources", "Outputs"] {
                if let Some(value) = doc.get_mut(section) {
                    replace_stack_outputs(value, &outputs, 0);
                }
            }
        }
    }

    /// Reads, parses and (recursively) inlines the template a stack points at; `None`, with a
    /// warning, when it cannot.
    fn read_child(
        &mut self,
        place: &str,
        location: &Value,
        folder: &Path,
        chain: &[PathBuf],
    ) -> Option<Value> {
        if location.get("ApplicationId").is_some() {
            self.warnings.push(format!(
                "{place}: the application comes from the Serverless Application Repository, which whoowns \
                 does not fetch; its resources are not imported"
            ));
            return None;
        }
        let Some(location) = location.as_str() else {
            self.warnings.push(format!(
                "{place}: the nested stack's template location is not plain text; its resources are not imported"
            ));
            return None;
        };
        let lower = location.to_ascii_lowercase();
        if ["http://", "https://", "s3://"].iter().any(|scheme| lower.starts_with(scheme)) {
            self.warnings.push(format!(
                "{place}: the nested stack's template is at {location}, which whoowns does not fetch; \
                 import that template on its own"
            ));
            return None;
        }
        if self.inlined >= MAX_INLINED {
            // Said when the limit was reached.
            return None;
        }
        let relative = Path::new(location);
        if relative.components().any(|c| matches!(c, Component::Prefix(_) | Component::RootDir)) {
            self.warnings.push(format!(
                "{place}: {location} is not a path relative to the template; whoowns reads nested \
                 templates only from relative paths"
            ));
            return None;
        }
        if chain.len() > MAX_NESTING {
            self.warnings.push(format!(
                "{place}: nested stacks go deeper than {MAX_NESTING} levels; {location} is not imported"
            ));
            return None;
        }
        let path = folder.join(location.trim_start_matches("./"));
        let canonical = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if chain.contains(&canonical) {
            self.warnings.push(format!("{place}: {location} includes itself; it is imported once"));
            return None;
        }
        let name = path.display().to_string();
        match std::fs::metadata(&path) {
            Ok(metadata) if metadata.is_file() => {
                if self.files >= MAX_FILES || self.bytes + metadata.len() > MAX_BYTES {
                    self.warnings.push(format!(
                        "{place}: nested templates exceed {MAX_FILES} files or {} MiB; {location} is not imported",
                        MAX_BYTES >> 20
                    ));
                    return None;
                }
                self.files += 1;
                self.bytes += metadata.len();
            }
            Ok(_) => {
                self.warnings.push(format!("{place}: {location} is not a regular file; it is not read"));
                return None;
            }
            Err(error) => {
                self.warnings
                    .push(format!("{place}: the nested stack's template {name} cannot be read: {error}"));
                return None;
            }
        }
        let parsed = super::read_text(&path)
            .and_then(|text| super::parse_document(&name, text.strip_prefix('\u{feff}').unwrap_or(&text)));
        let (mut child, parse_warnings) = match parsed {
            Ok(parsed) => parsed,
            Err(error) => {
                self.warnings.push(format!("{place}: the nested stack's template cannot be read: {error}"));
                return None;
            }
        };
        self.warnings.append(parse_warnings);
        if !cloudformation::looks_like(&child) {
            self.warnings.push(format!("{place}: {name} is not a CloudFormation template"));
            return None;
        }
        cloudformation::expand_loops(&mut child, self.warnings);
        let mut inner_chain = chain.to_vec();
        inner_chain.push(canonical);
        self.inline_stacks(&mut child, &format!("{name}: "), path.parent().unwrap_or(folder), &inner_chain);
        Some(child)
    }

    /// Adds the resources of `child` to `doc` under the stack's name and returns the child's
    /// outputs, in the parent's terms.
    fn merge(&mut self, doc: &mut Value, stack: &str, child: &Value) -> Option<Outputs> {
        let child_resources = child.get("Resources").and_then(Value::as_object)?;
        let passed: Map<String, Value> = doc
            .pointer(&format!("/Resources/{}/Properties/Parameters", escape_pointer(stack)))
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let renamed: HashMap<String, String> =
            child_resources.keys().map(|id| (id.clone(), format!("{stack}{id}"))).collect();
        let mut parameters: HashMap<String, Value> = HashMap::new();
        let mut new_parameters = Map::new();
        if let Some(declared) = child.get("Parameters").and_then(Value::as_object) {
            for (name, declaration) in declared {
                let value = match passed.get(name) {
                    Some(value) => value.clone(),
                    None => {
                        let prefixed = format!("{stack}{name}");
                        new_parameters.insert(prefixed.clone(), declaration.clone());
                        single("Ref", Value::String(prefixed))
                    }
                };
                parameters.insert(name.clone(), value);
            }
        }
        let rename = Rename { resources: &renamed, parameters: &parameters };

        let Some(Value::Object(resources)) = doc.get_mut("Resources") else { return None };
        for (id, body) in child_resources {
            if self.inlined >= MAX_INLINED {
                self.warnings.push(format!(
                    "Resources.{stack}: nested stacks hold more than {MAX_INLINED} resources; the rest are not imported"
                ));
                break;
            }
            let new_id = &renamed[id];
            if resources.contains_key(new_id) {
                self.warnings.push(format!(
                    "Resources.{stack}: its resource {id} would be called {new_id}, which the parent template \
                     already uses; it is not imported"
                ));
                continue;
            }
            let mut body = rename.value(body, &[], 0);
            rename.depends_on(&mut body);
            resources.insert(new_id.clone(), body);
            self.inlined += 1;
        }
        if !new_parameters.is_empty() {
            let parameters =
                doc.as_object_mut()?.entry("Parameters").or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(parameters) = parameters {
                for (name, declaration) in new_parameters {
                    parameters.entry(name).or_insert(declaration);
                }
            }
        }
        let outputs = child
            .get("Outputs")
            .and_then(Value::as_object)
            .map(|outputs| {
                outputs
                    .iter()
                    .filter_map(|(name, output)| {
                        Some((name.clone(), rename.value(output.get("Value")?, &[], 0)))
                    })
                    .collect()
            })
            .unwrap_or_default();
        Some(outputs)
    }
}

/// Where a nested stack's template is, for the resource types that have one.
fn template_location(body: &Value) -> Option<&Value> {
    let key = match body.get("Type")?.as_str()? {
        "AWS::CloudFormation::Stack" => "TemplateURL",
        "AWS::Serverless::Application" => "Location",
        _ => return None,
    };
    body.get("Properties")?.get(key)
}

fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn single(key: &str, value: Value) -> Value {
    let mut map = Map::new();
    map.insert(key.to_owned(), value);
    Value::Object(map)
}

/// How a child template's names read in the parent.
struct Rename<'a> {
    resources: &'a HashMap<String, String>,
    parameters: &'a HashMap<String, Value>,
}

impl Rename<'_> {
    /// `value` with references to the child's resources renamed and its parameters replaced.
    /// `shadowed` are `Fn::Sub` variables, which hide names inside their text.
    fn value(&self, value: &Value, shadowed: &[String], depth: usize) -> Value {
        if depth > MAX_VALUE_DEPTH {
            return value.clone();
        }
        let Value::Object(map) = value else {
            return match value {
                Value::Array(items) => {
                    Value::Array(items.iter().map(|i| self.value(i, shadowed, depth + 1)).collect())
                }
                other => other.clone(),
            };
        };
        if map.len() == 1
            && let Some((key, argument)) = map.iter().next()
        {
            match (key.as_str(), argument) {
                ("Ref", Value::String(name)) => {
                    if let Some(new) = self.resources.get(name) {
                        return single("Ref", Value::String(new.clone()));
                    }
                    if let Some(passed) = self.parameters.get(name) {
                        return passed.clone();
                    }
                }
                ("Fn::GetAtt", Value::String(text)) => {
                    let (name, attribute) = text.split_once('.').unwrap_or((text, ""));
                    if let Some(new) = self.resources.get(name) {
                        return single("Fn::GetAtt", Value::String(format!("{new}.{attribute}")));
                    }
                }
                ("Fn::GetAtt", Value::Array(parts)) => {
                    let mut parts: Vec<Value> =
                        parts.iter().map(|p| self.value(p, shadowed, depth + 1)).collect();
                    if let Some(Value::String(name)) = parts.first()
                        && let Some(new) = self.resources.get(name)
                    {
                        parts[0] = Value::String(new.clone());
                    }
                    return single("Fn::GetAtt", Value::Array(parts));
                }
                ("Fn::Sub", Value::String(text)) => {
                    return single("Fn::Sub", Value::String(self.sub_text(text, shadowed)));
                }
                ("Fn::Sub", Value::Array(parts)) => {
                    let variables: Vec<String> = parts
                        .get(1)
                        .and_then(Value::as_object)
                        .map(|v| v.keys().cloned().collect())
                        .unwrap_or_default();
                    let parts = parts
                        .iter()
                        .enumerate()
                        .map(|(index, part)| match (index, part) {
                            (0, Value::String(text)) => Value::String(self.sub_text(text, &variables)),
                            _ => self.value(part, shadowed, depth + 1),
                        })
                        .collect();
                    return single("Fn::Sub", Value::Array(parts));
                }
                _ => {}
            }
        }
        Value::Object(map.iter().map(|(k, v)| (k.clone(), self.value(v, shadowed, depth + 1))).collect())
    }

    /// `Fn::Sub` text with `${Resource}` and `${Resource.Attribute}` renamed, and `${Parameter}`
    /// replaced when the value passed is text or a plain reference.
    fn sub_text(&self, text: &str, shadowed: &[String]) -> String {
        replace_sub_variables(text, |inner| {
            let (name, attribute) = match inner.split_once('.') {
                Some((name, attribute)) => (name, Some(attribute)),
                None => (inner, None),
            };
            if shadowed.iter().any(|s| s == name) {
                return None;
            }
            if let Some(new) = self.resources.get(name) {
                return Some(match attribute {
                    Some(attribute) => format!("${{{new}.{attribute}}}"),
                    None => format!("${{{new}}}"),
                });
            }
            match (self.parameters.get(name)?, attribute) {
                (Value::String(literal), None) => Some(literal.clone()),
                (passed, None) => reference_as_sub(passed),
                _ => None,
            }
        })
    }

    /// Renames the resources a resource's `DependsOn` names.
    fn depends_on(&self, body: &mut Value) {
        let Some(depends_on) = body.get_mut("DependsOn") else { return };
        let rename = |value: &mut Value| {
            if let Value::String(name) = value
                && let Some(new) = self.resources.get(name.as_str())
            {
                *name = new.clone();
            }
        };
        match depends_on {
            Value::Array(names) => names.iter_mut().for_each(rename),
            one => rename(one),
        }
    }
}

/// `${...}` for a value that is a plain `Ref` or `GetAtt`, so it can stand inside `Fn::Sub` text.
fn reference_as_sub(value: &Value) -> Option<String> {
    let map = value.as_object().filter(|m| m.len() == 1)?;
    if let Some(Value::String(name)) = map.get("Ref") {
        return Some(format!("${{{name}}}"));
    }
    match map.get("Fn::GetAtt")? {
        Value::String(text) => Some(format!("${{{text}}}")),
        Value::Array(parts) => match parts.as_slice() {
            [Value::String(name), Value::String(attribute)] => Some(format!("${{{name}.{attribute}}}")),
            _ => None,
        },
        _ => None,
    }
}

/// `text` with each `${inner}` replaced by what `replace` gives (kept when it gives `None`);
/// `${!literal}` is never touched.
fn replace_sub_variables(text: &str, mut replace: impl FnMut(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        let inner = after[..end].trim();
        out.push_str(&rest[..start]);
        match (!inner.starts_with('!')).then(|| replace(inner)).flatten() {
            Some(replacement) => out.push_str(&replacement),
            None => out.push_str(&rest[start..start + 2 + end + 1]),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Replaces the parent's `Fn::GetAtt Stack.Outputs.Name` by the value of that output.
fn replace_stack_outputs(value: &mut Value, outputs: &HashMap<String, Outputs>, depth: usize) {
    if depth > MAX_VALUE_DEPTH {
        return;
    }
    match value {
        Value::Array(items) => {
            items.iter_mut().for_each(|item| replace_stack_outputs(item, outputs, depth + 1));
        }
        Value::Object(map) => {
            if map.len() == 1 {
                let target = match map.get("Fn::GetAtt") {
                    Some(Value::String(text)) => {
                        text.split_once(".Outputs.").map(|(s, o)| (s.to_owned(), o.to_owned()))
                    }
                    Some(Value::Array(parts)) => match parts.as_slice() {
                        [Value::String(stack), Value::String(attribute)] => {
                            attribute.strip_prefix("Outputs.").map(|o| (stack.clone(), o.to_owned()))
                        }
                        _ => None,
                    },
                    _ => None,
                };
                if let Some((stack, output)) = target
                    && let Some(found) = outputs.get(&stack).and_then(|o| o.get(&output))
                {
                    *value = found.clone();
                    return;
                }
                if let Some(Value::String(text)) = map.get_mut("Fn::Sub") {
                    *text = sub_stack_outputs(text, outputs);
                } else if let Some(Value::Array(parts)) = map.get_mut("Fn::Sub")
                    && let Some(Value::String(text)) = parts.first_mut()
                {
                    *text = sub_stack_outputs(text, outputs);
                }
            }
            for child in map.values_mut() {
                replace_stack_outputs(child, outputs, depth + 1);
            }
        }
        _ => {}
    }
}

fn sub_stack_outputs(text: &str, outputs: &HashMap<String, Outputs>) -> String {
    replace_sub_variables(text, |inner| {
        let (stack, output) = inner.split_once(".Outputs.")?;
        reference_as_sub(outputs.get(stack)?.get(output)?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sub_variables_are_replaced_and_literals_kept() {
        let out = replace_sub_variables("a ${X} ${!X} ${Y.Arn} ${unclosed", |inner| {
            (inner.starts_with('X') || inner.starts_with('Y')).then(|| format!("<{inner}>"))
        });
        assert_eq!(out, "a <X> ${!X} <Y.Arn> ${unclosed");
    }

    #[test]
    fn child_names_read_in_the_parent() {
        let resources = HashMap::from([("Bucket".to_owned(), "StoreBucket".to_owned())]);
        let parameters = HashMap::from([
            ("Env".to_owned(), Value::String("prod".to_owned())),
            ("Vpc".to_owned(), serde_json::json!({"Ref": "SharedVpc"})),
        ]);
        let rename = Rename { resources: &resources, parameters: &parameters };
        let value = serde_json::json!({
            "A": {"Ref": "Bucket"},
            "B": {"Fn::GetAtt": "Bucket.Arn"},
            "C": {"Fn::GetAtt": ["Bucket", "Arn"]},
            "D": {"Fn::Sub": "${Bucket}-${Env}-${Vpc}-${AWS::Region}"},
            "E": {"Fn::Sub": ["${Bucket}-${Env}", {"Env": "x"}]},
            "F": {"Ref": "Vpc"},
        });
        assert_eq!(
            rename.value(&value, &[], 0),
            serde_json::json!({
                "A": {"Ref": "StoreBucket"},
                "B": {"Fn::GetAtt": "StoreBucket.Arn"},
                "C": {"Fn::GetAtt": ["StoreBucket", "Arn"]},
                "D": {"Fn::Sub": "${StoreBucket}-prod-${SharedVpc}-${AWS::Region}"},
                "E": {"Fn::Sub": ["${StoreBucket}-${Env}", {"Env": "x"}]},
                "F": {"Ref": "SharedVpc"},
            })
        );
    }
}
