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
//! Templates behind a URL are not fetched (whoowns reads no network). A URL (`https://`, `s3://`,
//! or a `Fn::Sub`/`Fn::Join` read with parameter defaults) whose path ends in a file that exists
//! at the same relative path next to the template (`.../infrastructure/vpc.yaml` →
//! `infrastructure/vpc.yaml`) is read from there, as a repository holds its nested templates
//! before they are uploaded, and the report says so. A dynamic reference (`{{resolve:ssm:...}}`)
//! is resolved only at deployment and is said so.
//!
//! Only regular files under the imported template's folder are read (no `../` out of it, no
//! absolute path elsewhere, no link that leads out of it, no devices or pipes), unless the caller
//! allows more folders ([`super::ImportOptions::nested_roots`], `--allow-nested-from DIR`).
//! Reading is bounded: nesting depth, cycles, files and bytes read, and the number of resources
//! inlined.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::cloudformation;
use super::copies::Copies;
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
/// The most path segments of a URL tried as a local path.
const MAX_URL_SEGMENTS: usize = 32;

/// Inlines the local nested stacks of `doc`, the template read from `file`. Nested templates are
/// read from under the template's folder, and under the folders of `allowed`.
pub(super) fn inline(
    doc: &mut Value,
    file: &Path,
    allowed: &[PathBuf],
    copies: &Copies,
    warnings: &mut Warnings,
) {
    let folder = match file.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    };
    let top = std::fs::canonicalize(&folder).unwrap_or_else(|_| folder.clone());
    let mut roots = vec![top];
    roots.extend(allowed.iter().filter_map(|dir| std::fs::canonicalize(dir).ok()));
    let mut inliner = Inliner { warnings, roots, copies, inlined: 0, files: 0, bytes: 0 };
    let chain = vec![std::fs::canonicalize(file).unwrap_or_else(|_| file.to_owned())];
    inliner.inline_stacks(doc, "", &folder, &chain);
    if copies.newly_refused() {
        inliner.warnings.push(format!(
            "nested stacks' parameters and outputs are copied where they are used only up to {} MiB; beyond, \
             they read as values set at deployment",
            super::copies::MAX_COPIED >> 20
        ));
    }
}

struct Inliner<'a> {
    warnings: &'a mut Warnings,
    /// The folders nested templates may be read from (canonical): the imported template's first.
    roots: Vec<PathBuf>,
    /// The budget for copies of parameters and outputs.
    copies: &'a Copies,
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
        let defaults = parameter_defaults(doc);
        let mut outputs: HashMap<String, Outputs> = HashMap::new();
        for (stack, location) in stacks {
            let place = format!("{source}Resources.{stack}");
            let Some(child) = self.read_child(&place, &location, &defaults, folder, chain) else { continue };
            if let Some(stack_outputs) = self.merge(doc, &stack, &child) {
                outputs.insert(stack, stack_outputs);
            }
        }
        if !outputs.is_empty() {
            for section in ["Resources", "Outputs"] {
                if let Some(value) = doc.get_mut(section) {
                    replace_stack_outputs(value, &outputs, self.copies, 0);
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
        defaults: &HashMap<String, String>,
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
        let Some(location) = written_location(location, defaults) else {
            self.warnings.push(format!(
                "{place}: the nested stack's template location is not plain text; its resources are not imported"
            ));
            return None;
        };
        if location.contains("{{resolve:") {
            self.warnings.push(format!(
                "{place}: the nested stack's template location {location} is a dynamic reference, resolved only \
                 at deployment; its resources are not imported"
            ));
            return None;
        }
        if self.inlined >= MAX_INLINED {
            // Said when the limit was reached.
            return None;
        }
        if chain.len() > MAX_NESTING {
            self.warnings.push(format!(
                "{place}: nested stacks go deeper than {MAX_NESTING} levels; {location} is not imported"
            ));
            return None;
        }
        let lower = location.to_ascii_lowercase();
        let remote = ["http://", "https://", "s3://"].iter().any(|scheme| lower.starts_with(scheme));
        let path = if remote || location.contains("${") {
            let Some(local) = self.local_copy(&location, folder) else {
                self.warnings.push(format!(
                    "{place}: the nested stack's template is at {location}, which whoowns does not fetch, and no \
                     file at the same path is next to the template; import that template on its own"
                ));
                return None;
            };
            self.warnings.push(format!(
                "{place}: the nested stack's template is at {location}; read from {}, at the same path next to \
                 the template",
                self.shown(&local)
            ));
            local
        } else {
            folder.join(location.trim_start_matches("./"))
        };
        let canonical = match std::fs::canonicalize(&path) {
            Ok(canonical) => canonical,
            Err(error) => {
                self.warnings.push(format!(
                    "{place}: the nested stack's template {} cannot be read: {error}",
                    path.display()
                ));
                return None;
            }
        };
        if !self.inside_roots(&canonical) {
            self.warnings.push(format!(
                "{place}: {location} is outside the folder of the imported template; whoowns reads nested \
                 templates only from under it (allow another folder with --allow-nested-from DIR)"
            ));
            return None;
        }
        if chain.contains(&canonical) {
            self.warnings.push(format!("{place}: {location} includes itself; it is imported once"));
            return None;
        }
        let name = path.display().to_string();
        match std::fs::metadata(&canonical) {
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
        let parsed = super::read_text(&canonical)
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

    /// Whether a canonical path is under one of the folders nested templates may come from.
    fn inside_roots(&self, canonical: &Path) -> bool {
        self.roots.iter().any(|root| canonical.starts_with(root))
    }

    /// A path as the report shows it: relative to the imported template's folder when under it.
    fn shown(&self, path: &Path) -> String {
        let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
        match self.roots.first().and_then(|top| canonical.strip_prefix(top).ok()) {
            Some(relative) => relative.display().to_string(),
            None => path.display().to_string(),
        }
    }

    /// The file at the same relative path as a URL's path, next to the template: the longest
    /// tail of the URL's path (after its host, after any part deployment fills in) that names a
    /// regular file under `folder` or one of its parents up to the imported template's folder.
    fn local_copy(&self, url: &str, folder: &Path) -> Option<PathBuf> {
        let after_host = match url.split_once("://") {
            Some((_, rest)) => rest.split_once('/').map_or("", |(_, path)| path),
            None => url,
        };
        let known = after_host.rsplit_once('}').map_or(after_host, |(_, rest)| rest);
        let known = known.split(['?', '#']).next().unwrap_or(known);
        let segments: Vec<&str> = known.split('/').filter(|s| !s.is_empty() && *s != ".").collect();
        if segments.is_empty() || segments.len() > MAX_URL_SEGMENTS || segments.contains(&"..") {
            return None;
        }
        let mut folders = vec![folder.to_owned()];
        let top = self.roots.first()?;
        let mut current = std::fs::canonicalize(folder).ok()?;
        while current != *top && current.starts_with(top) && folders.len() < MAX_URL_SEGMENTS {
            current = current.parent()?.to_owned();
            folders.push(current.clone());
        }
        for start in 0..segments.len() {
            let tail: PathBuf = segments[start..].iter().collect();
            for dir in &folders {
                let candidate = dir.join(&tail);
                let regular = std::fs::metadata(&candidate).is_ok_and(|m| m.is_file());
                if regular && std::fs::canonicalize(&candidate).is_ok_and(|c| self.inside_roots(&c)) {
                    return Some(candidate);
                }
            }
        }
        None
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
        let rename = Rename { resources: &renamed, parameters: &parameters, copies: self.copies };

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

/// The text parameters of a template read as their defaults (for template locations).
fn parameter_defaults(doc: &Value) -> HashMap<String, String> {
    let parameters = doc.get("Parameters").and_then(Value::as_object);
    parameters
        .into_iter()
        .flatten()
        .filter_map(|(name, parameter)| {
            let default = match parameter.get("Default")? {
                Value::String(text) => text.clone(),
                Value::Number(number) => number.to_string(),
                _ => return None,
            };
            Some((name.clone(), default))
        })
        .collect()
}

/// A template location as text: plain text, or a `Ref`, `Fn::Sub` or `Fn::Join` read with
/// parameter defaults; what only deployment knows stays `${Name}`.
fn written_location(location: &Value, defaults: &HashMap<String, String>) -> Option<String> {
    written(location, defaults, &HashMap::new(), 0)
}

fn written(
    value: &Value,
    defaults: &HashMap<String, String>,
    variables: &HashMap<String, String>,
    depth: usize,
) -> Option<String> {
    if depth > 8 {
        return None;
    }
    let map = match value {
        Value::String(text) => return Some(text.clone()),
        Value::Object(map) if map.len() == 1 => map,
        _ => return None,
    };
    if let Some(Value::String(name)) = map.get("Ref") {
        return Some(defaults.get(name).cloned().unwrap_or_else(|| format!("${{{name}}}")));
    }
    if let Some(sub) = map.get("Fn::Sub") {
        let (template, own) = match sub {
            Value::String(template) => (template.as_str(), HashMap::new()),
            Value::Array(parts) => {
                let template = parts.first()?.as_str()?;
                let own: HashMap<String, String> = parts
                    .get(1)
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                    .filter_map(|(name, value)| {
                        Some((name.clone(), written(value, defaults, variables, depth + 1)?))
                    })
                    .collect();
                (template, own)
            }
            _ => return None,
        };
        return Some(replace_sub_variables(template, |inner| {
            own.get(inner).or_else(|| variables.get(inner)).or_else(|| defaults.get(inner)).cloned()
        }));
    }
    if let Some(Value::Array(join)) = map.get("Fn::Join")
        && let [Value::String(separator), Value::Array(parts)] = join.as_slice()
    {
        let parts: Vec<String> = parts
            .iter()
            .map(|part| written(part, defaults, variables, depth + 1).unwrap_or_else(|| "${...}".to_owned()))
            .collect();
        return Some(parts.join(separator));
    }
    None
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
    copies: &'a Copies,
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
                    if let Some(passed) =
                        self.parameters.get(name).and_then(|passed| self.copies.copy(passed))
                    {
                        return passed;
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
fn replace_stack_outputs(
    value: &mut Value,
    outputs: &HashMap<String, Outputs>,
    copies: &Copies,
    depth: usize,
) {
    if depth > MAX_VALUE_DEPTH {
        return;
    }
    match value {
        Value::Array(items) => {
            items.iter_mut().for_each(|item| replace_stack_outputs(item, outputs, copies, depth + 1));
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
                    && let Some(found) = copies.copy(found)
                {
                    *value = found;
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
                replace_stack_outputs(child, outputs, copies, depth + 1);
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
        let copies = Copies::default();
        let rename = Rename { resources: &resources, parameters: &parameters, copies: &copies };
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
