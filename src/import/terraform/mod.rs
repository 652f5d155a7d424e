//! `terraform show -json` output: a plan (`planned_values`, `configuration`) or a state
//! (`values`), with modules (`child_modules`, `module_calls`) walked recursively.

mod address;
mod refs;

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::source::{Reference, Resource, Source};
use super::types::ResourceTypes;
use super::{ImportError, SourceFormat};

/// The deepest module nesting read.
const MAX_MODULE_DEPTH: usize = 32;

/// Whether a parsed document looks like `terraform show -json` output.
pub(super) fn looks_like(doc: &Value) -> bool {
    doc.get("format_version").is_some()
        && ["planned_values", "values", "configuration", "terraform_version", "resource_changes"]
            .iter()
            .any(|key| doc.get(key).is_some())
}

/// Whether a parsed document is a raw `terraform.tfstate` file (not `show -json` output).
pub(super) fn looks_like_raw_state(doc: &Value) -> bool {
    doc.get("format_version").is_none()
        && doc.get("terraform_version").is_some()
        && doc.get("resources").is_some_and(Value::is_array)
}

/// Reads a plan or state.
pub(super) fn read(
    source_name: &str,
    name: String,
    doc: &Value,
    types: &ResourceTypes,
) -> Result<Source, ImportError> {
    let (root, kind) = match (doc.get("planned_values"), doc.get("values")) {
        (Some(planned), _) => (planned.get("root_module"), "plan"),
        (None, Some(values)) => (values.get("root_module"), "state"),
        (None, None) => (None, if doc.get("configuration").is_some() { "plan" } else { "state" }),
    };
    if root.is_some_and(|r| !r.is_object()) {
        return Err(ImportError::Structure {
            source_name: source_name.to_owned(),
            message: "`root_module` must be an object".to_owned(),
        });
    }
    let version = doc.get("terraform_version").and_then(Value::as_str).unwrap_or("unknown");
    let mut source = Source {
        format: SourceFormat::Terraform,
        name,
        description: format!("Terraform {kind} (terraform {version})."),
        note_prefix: if kind == "plan" { "set in plan" } else { "set in state" },
        resources: Vec::new(),
        skipped: Vec::new(),
        warnings: Vec::new(),
    };

    // Every managed AWS resource of every module.
    let mut found: Vec<(address::Address, &Value)> = Vec::new();
    let mut data_sources = 0usize;
    let mut pending: Vec<(&Value, usize)> = root.into_iter().map(|r| (r, 0)).collect();
    let mut seen_addresses: HashSet<String> = HashSet::new();
    while let Some((module, depth)) = pending.pop() {
        if depth > MAX_MODULE_DEPTH {
            source.warnings.push(format!(
                "modules nest deeper than {MAX_MODULE_DEPTH} levels; the deeper ones are not imported"
            ));
            continue;
        }
        for resource in module.get("resources").and_then(Value::as_array).into_iter().flatten() {
            let Some(text) = resource.get("address").and_then(Value::as_str) else {
                source.warnings.push("a resource without an address is not imported".to_owned());
                continue;
            };
            let Some(parsed) = address::parse(text) else {
                source.warnings.push(format!("{text}: not a resource address; not imported"));
                continue;
            };
            if parsed.data || resource.get("mode").and_then(Value::as_str) == Some("data") {
                data_sources += 1;
                continue;
            }
            if !seen_addresses.insert(text.to_owned()) {
                source.warnings.push(format!("{text} is listed twice; the first is imported"));
                continue;
            }
            found.push((parsed, resource));
        }
        // Children are pushed in reverse so they come out in file order.
        if let Some(children) = module.get("child_modules").and_then(Value::as_array) {
            pending.extend(children.iter().rev().map(|child| (child, depth + 1)));
        }
    }
    if data_sources > 0 {
        source.skipped.push(format!(
            "{data_sources} data source{} (data.*): read by Terraform, not created by it",
            if data_sources == 1 { "" } else { "s" }
        ));
    }

    let mut index = refs::ResourceIndex::default();
    let mut kept: Vec<(address::Address, &str, &str, &Value)> = Vec::new();
    for (parsed, resource) in &found {
        let Some(text) = resource.get("address").and_then(Value::as_str) else { continue };
        let resource_type = resource.get("type").and_then(Value::as_str).unwrap_or_default();
        if !resource_type.starts_with("aws_") {
            let provider =
                resource.get("provider_name").and_then(Value::as_str).unwrap_or("another provider");
            source.skipped.push(format!("{text}: not an AWS resource ({provider})"));
            continue;
        }
        index.insert(parsed, text);
        let values = resource.get("values").unwrap_or(&Value::Null);
        kept.push((parsed.clone(), text, resource_type, values));
    }

    let config = refs::Config::new(doc.get("configuration").and_then(|c| c.get("root_module")));
    let rules = types.rules(true);
    let preferred = |t: &str| rules.get(t).is_some_and(|rule| rule.fold.is_none() && rule.link.is_none());
    let by_value = refs::value_references(
        &kept.iter().map(|(_, text, t, values)| (*text, *t, *values)).collect::<Vec<_>>(),
        preferred,
    );
    for ((parsed, text, resource_type, values), value_refs) in kept.iter().zip(by_value) {
        let mut references = config.references(parsed, &index);
        let mut props = (*values).clone();
        for reference in &references {
            if reference.path.first().is_some_and(|key| key != "depends_on") {
                fill_unknown(&mut props, &reference.path);
            }
        }
        for reference in value_refs {
            if !references.iter().any(|r| r.target == reference.target && r.path == reference.path) {
                references.push(reference);
            }
        }
        references.retain(|r| r.target != *text);
        source.resources.push(Resource {
            id: (*text).to_owned(),
            resource_type: (*resource_type).to_owned(),
            props,
            refs: references,
            place: (*text).to_owned(),
            boundary: None,
        });
    }
    depends_on_from_state(&found, &mut source.resources);
    Ok(source)
}

/// What a plan shows for a value that comes from another resource and is not known yet.
pub(super) const KNOWN_AFTER_APPLY: &str = "(known after apply)";

/// Sets [`KNOWN_AFTER_APPLY`] at `path` when nothing is there: a plan leaves out values that are
/// only known after apply, but a reference there means the attribute is set (a KMS key, a log
/// bucket...), which is what `Present` conditions ask.
fn fill_unknown(values: &mut Value, path: &[String]) {
    let mut current = values;
    for (i, key) in path.iter().enumerate() {
        let next_is_index = path.get(i + 1).is_some_and(|k| k.parse::<usize>().is_ok());
        let empty =
            || if next_is_index { Value::Array(Vec::new()) } else { Value::Object(serde_json::Map::new()) };
        let last = i + 1 == path.len();
        if current.is_null() {
            *current = Value::Object(serde_json::Map::new());
        }
        current = match (key.parse::<usize>(), current) {
            (Ok(index), Value::Array(items)) => {
                if index == items.len() {
                    items.push(if last { Value::Null } else { empty() });
                }
                match items.get_mut(index) {
                    Some(item) => item,
                    None => return,
                }
            }
            (Err(_), Value::Object(map)) => {
                map.entry(key.clone()).or_insert_with(|| if last { Value::Null } else { empty() })
            }
            _ => return,
        };
    }
    if current.is_null() {
        *current = Value::String(KNOWN_AFTER_APPLY.to_owned());
    }
}

/// Adds the `depends_on` references a state records on each resource (addresses, with or
/// without instance keys).
fn depends_on_from_state(found: &[(address::Address, &Value)], resources: &mut [Resource]) {
    let raw_by_address: HashMap<&str, &Value> = found
        .iter()
        .filter_map(|(_, raw)| raw.get("address").and_then(Value::as_str).map(|a| (a, *raw)))
        .collect();
    let all_ids: HashSet<String> = resources.iter().map(|r| r.id.clone()).collect();
    let mut by_base: HashMap<String, Vec<String>> = HashMap::new();
    for resource in resources.iter() {
        let base = match resource.id.strip_suffix(']').and_then(|s| s.rfind('[').map(|at| &s[..at])) {
            Some(base) => base.to_owned(),
            None => resource.id.clone(),
        };
        by_base.entry(base).or_default().push(resource.id.clone());
    }
    for resource in resources.iter_mut() {
        let Some(raw) = raw_by_address.get(resource.id.as_str()) else { continue };
        let Some(depends) = raw.get("depends_on").and_then(Value::as_array) else { continue };
        for depend in depends.iter().filter_map(Value::as_str) {
            let targets: Vec<String> = match by_base.get(depend) {
                Some(targets) => targets.clone(),
                None if all_ids.contains(depend) => vec![depend.to_owned()],
                None => Vec::new(),
            };
            for target in targets {
                if target != resource.id && !resource.refs.iter().any(|r| r.target == target) {
                    resource.refs.push(Reference::new(&["depends_on".to_owned()], target));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn read_json(doc: &Value) -> Source {
        read("t.json", "t".into(), doc, ResourceTypes::builtin().unwrap()).unwrap()
    }

    #[test]
    fn reads_state_modules_and_skips_data_and_other_providers() {
        let doc = json!({
            "format_version": "1.0", "terraform_version": "1.9.0",
            "values": {"root_module": {
                "resources": [
                    {"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b",
                     "values": {"id": "bucket-b", "arn": "arn:aws:s3:::bucket-b"}},
                    {"address": "data.aws_caller_identity.me", "mode": "data", "type": "aws_caller_identity", "name": "me"},
                    {"address": "aws_sqs_queue.q", "mode": "managed", "type": "aws_sqs_queue", "name": "q",
                     "values": {"id": "https://sqs/q"}},
                    {"address": "random_id.x", "mode": "managed", "type": "random_id", "name": "x",
                     "provider_name": "registry.terraform.io/hashicorp/random"},
                ],
                "child_modules": [{"address": "module.app", "resources": [
                    {"address": "module.app.aws_lambda_function.f", "mode": "managed", "type": "aws_lambda_function",
                     "name": "f", "values": {"id": "f", "environment": [{"variables": {"B": "arn:aws:s3:::bucket-b"}}]},
                     "depends_on": ["aws_s3_bucket.b", "aws_sqs_queue.q"]},
                ]}],
            }},
        });
        let source = read_json(&doc);
        assert_eq!(source.note_prefix, "set in state");
        let ids: Vec<&str> = source.resources.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, vec!["aws_s3_bucket.b", "aws_sqs_queue.q", "module.app.aws_lambda_function.f"]);
        let function = &source.resources[2];
        // One reference per target: the value match wins over the recorded dependency.
        let to_bucket: Vec<_> = function.refs.iter().filter(|r| r.target == "aws_s3_bucket.b").collect();
        assert_eq!(to_bucket.len(), 1);
        assert_eq!(to_bucket[0].path[0], "environment");
        assert!(function.refs.iter().any(|r| r.target == "aws_sqs_queue.q" && r.path[0] == "depends_on"));
        assert_eq!(source.skipped.len(), 2, "{:?}", source.skipped);
    }

    #[test]
    fn referenced_values_are_known_after_apply() {
        let mut values = json!({"bucket": "b", "logging": []});
        fill_unknown(&mut values, &["target_bucket".to_owned()]);
        fill_unknown(&mut values, &["bucket".to_owned()]);
        fill_unknown(&mut values, &["logging".to_owned(), "0".to_owned(), "target".to_owned()]);
        fill_unknown(&mut values, &["odd".to_owned(), "5".to_owned()]);
        assert_eq!(
            values,
            json!({"bucket": "b", "target_bucket": KNOWN_AFTER_APPLY, "logging": [{"target": KNOWN_AFTER_APPLY}], "odd": []})
        );
    }

    #[test]
    fn recognises_formats() {
        assert!(looks_like(&json!({"format_version": "1.2", "planned_values": {}})));
        assert!(!looks_like(&json!({"Resources": {}})));
        assert!(looks_like_raw_state(&json!({"version": 4, "terraform_version": "1.9.0", "resources": []})));
    }
}
