//! `terraform show -json` output: a plan (`planned_values`, `configuration`) or a state
//! (`values`), with modules (`child_modules`, `module_calls`) walked recursively.

mod address;
mod refs;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use serde_json::Value;

use super::cond::KNOWN_AFTER_APPLY;
use super::report::Warnings;
use super::source::{Budget, Collected, Names, Resource, Source};
use super::types::ResourceTypes;
use super::{ImportError, SourceFormat};

/// The deepest module nesting read.
const MAX_MODULE_DEPTH: usize = 32;
/// The deepest nesting of `after_unknown` followed.
const MAX_UNKNOWN_DEPTH: usize = 64;

/// Whether a parsed document looks like `terraform show -json` output.
pub(super) fn looks_like(doc: &Value) -> bool {
    doc.get("format_version").is_some()
        && ["planned_values", "values", "configuration", "terraform_version", "resource_changes"]
            .iter()
            .any(|key| doc.get(key).is_some())
}

/// Whether a parsed document is `terraform providers schema -json` output.
pub(super) fn looks_like_provider_schemas(doc: &Value) -> bool {
    doc.get("format_version").is_some() && doc.get("provider_schemas").is_some()
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
        warnings: Warnings::default(),
    };

    let found = managed_resources(root, &mut source);
    let mut index = refs::ResourceIndex::default();
    let mut names = Names::default();
    // Address, name, type, values, and the raw resource (a state records `depends_on` there).
    let mut kept: Vec<(address::Address, Arc<str>, &str, &Value, &Value)> = Vec::new();
    for (parsed, resource) in &found {
        let Some(text) = resource.get("address").and_then(Value::as_str) else { continue };
        let resource_type = resource.get("type").and_then(Value::as_str).unwrap_or_default();
        if !resource_type.starts_with("aws_") {
            let provider =
                resource.get("provider_name").and_then(Value::as_str).unwrap_or("another provider");
            source.skipped.push(format!("{text}: not an AWS resource ({provider})"));
            continue;
        }
        let name = names.insert(text);
        index.insert(parsed, &name);
        let values = resource.get("values").unwrap_or(&Value::Null);
        kept.push((parsed.clone(), name, resource_type, values, resource));
    }

    let config = refs::Config::new(doc.get("configuration").and_then(|c| c.get("root_module")));
    let mut budget = Budget::default();
    let mut collected: Vec<Collected> = kept.iter().map(|_| Collected::default()).collect();
    for ((parsed, ..), out) in kept.iter().zip(collected.iter_mut()) {
        config.references(parsed, &index, &mut budget, out);
    }
    let rules = types.rules(true);
    let preferred = |t: &str| rules.get(t).is_some_and(|rule| rule.fold.is_none() && rule.link.is_none());
    let valued: Vec<refs::Valued<'_>> = kept
        .iter()
        .map(|(_, address, resource_type, values, _)| refs::Valued { address, resource_type, values })
        .collect();
    let reference_keys = types.reference_keys(true);
    // What the configuration links wins: value matching reads only the other attributes.
    let linked: Vec<HashSet<String>> = collected.iter().map(Collected::attributes).collect();
    refs::value_references(&valued, preferred, &reference_keys, &linked, &mut budget, &mut collected);

    let unknown = after_unknown(doc);
    for ((parsed, address, resource_type, values, raw), out) in kept.iter().zip(collected) {
        let mut props = (*values).clone();
        if let Some(unknown) = unknown.get(&**address) {
            let filler = Filler { config: &config, modules: &parsed.modules };
            filler.fill(&mut props, unknown, config.expressions(parsed), 0);
        }
        let mut references = out.finish(address, &mut source.warnings);
        references.retain(|r| r.target != *address);
        source.resources.push(Resource {
            id: address.to_string(),
            resource_type: (*resource_type).to_owned(),
            props,
            refs: references,
            place: address.to_string(),
            boundary: None,
            conditional: false,
            depends_on: config
                .depends_on(parsed, &index)
                .into_iter()
                .chain(index.depends_on_in_state(raw))
                .filter(|target| target != address)
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect(),
        });
    }
    Ok(source)
}

/// Every managed resource of every module, with its parsed address; data sources are counted in
/// `source.skipped`.
fn managed_resources<'a>(root: Option<&'a Value>, source: &mut Source) -> Vec<(address::Address, &'a Value)> {
    let mut found: Vec<(address::Address, &Value)> = Vec::new();
    let mut data_sources = 0usize;
    let mut pending: Vec<(&Value, usize)> = root.into_iter().map(|r| (r, 0)).collect();
    let mut seen_addresses: HashSet<&str> = HashSet::new();
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
                source.warnings.push_with(|| format!("{text}: not a resource address; not imported"));
                continue;
            };
            if parsed.data || resource.get("mode").and_then(Value::as_str) == Some("data") {
                data_sources += 1;
                continue;
            }
            if !seen_addresses.insert(text) {
                source.warnings.push_with(|| format!("{text} is listed twice; the first is imported"));
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
    found
}

/// A plan's `resource_changes[].change.after_unknown`, by address: which values are only known
/// after apply.
fn after_unknown(doc: &Value) -> HashMap<&str, &Value> {
    let changes = doc.get("resource_changes").and_then(Value::as_array).into_iter().flatten();
    changes
        .filter_map(|change| {
            let address = change.get("address")?.as_str()?;
            let unknown = change.get("change")?.get("after_unknown")?;
            Some((address, unknown))
        })
        .collect()
}

/// Fills in the values a plan leaves out because they are known only after apply.
struct Filler<'c, 'a> {
    config: &'c refs::Config<'a>,
    /// The module path of the resource, where its expressions' variables are read.
    modules: &'c [String],
}

impl Filler<'_, '_> {
    /// Sets [`KNOWN_AFTER_APPLY`] where the plan's `after_unknown` says a value is only known
    /// after apply and `expression` (the configuration's, at the same place) sets it: a key or
    /// log bucket that comes from another resource is set, which is what `Present` conditions
    /// ask. Where the configuration says nothing, the provider computes the value (AWS provider
    /// v4+ marks `logging`, `versioning`, `server_side_encryption` unknown on every new bucket):
    /// it stays unset and settles nothing. Nothing else changes: an explicit null stays null, an
    /// empty list stays empty.
    fn fill(&self, values: &mut Value, unknown: &Value, expression: Option<&Value>, depth: usize) {
        if depth > MAX_UNKNOWN_DEPTH {
            return;
        }
        match unknown {
            Value::Bool(true)
                if values.is_null() && expression.is_some_and(|e| self.config.sets(self.modules, e, 0)) =>
            {
                *values = Value::String(KNOWN_AFTER_APPLY.to_owned());
            }
            Value::Object(keys) => {
                let created = values.is_null();
                if created {
                    *values = Value::Object(serde_json::Map::new());
                }
                let Value::Object(map) = values else { return };
                for (key, inner) in keys {
                    if !any_unknown(inner, depth + 1) {
                        continue;
                    }
                    let absent = !map.contains_key(key);
                    let slot = map.entry(key.clone()).or_insert(Value::Null);
                    self.fill(slot, inner, child(expression, key), depth + 1);
                    if absent && slot.is_null() {
                        map.remove(key);
                    }
                }
                if created && map.is_empty() {
                    *values = Value::Null;
                }
            }
            Value::Array(items) => {
                let created = values.is_null();
                if created {
                    *values = Value::Array(Vec::new());
                }
                let Value::Array(list) = values else { return };
                for (i, inner) in items.iter().enumerate() {
                    if !any_unknown(inner, depth + 1) {
                        continue;
                    }
                    let length = list.len();
                    while list.len() <= i {
                        list.push(Value::Null);
                    }
                    self.fill(&mut list[i], inner, item(expression, i), depth + 1);
                    // Elements added only to hold what stayed unset go again.
                    while list.len() > length && list.last().is_some_and(Value::is_null) {
                        list.pop();
                    }
                }
                if created && list.is_empty() {
                    *values = Value::Null;
                }
            }
            _ => {}
        }
    }
}

/// The configuration's expression for `key` under `expression`: inside a block body, its
/// attribute; under an expression, the expression itself (it gives the whole value).
fn child<'e>(expression: Option<&'e Value>, key: &str) -> Option<&'e Value> {
    match expression? {
        Value::Object(map) if refs::is_expression(map) => expression,
        Value::Object(map) => map.get(key),
        Value::Array(blocks) => blocks.first().and_then(|block| child(Some(block), key)),
        _ => None,
    }
}

/// The configuration's expression for element `index` under `expression`: the block written
/// at that place, or the expression that gives the whole list.
fn item(expression: Option<&Value>, index: usize) -> Option<&Value> {
    match expression? {
        Value::Array(blocks) => blocks.get(index),
        _ => expression,
    }
}

/// Whether `after_unknown` says some value under it is unknown.
fn any_unknown(unknown: &Value, depth: usize) -> bool {
    if depth > MAX_UNKNOWN_DEPTH {
        return false;
    }
    match unknown {
        Value::Bool(flag) => *flag,
        Value::Object(map) => map.values().any(|inner| any_unknown(inner, depth + 1)),
        Value::Array(items) => items.iter().any(|inner| any_unknown(inner, depth + 1)),
        _ => false,
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
        let found: Vec<(String, &str)> = function.refs.iter().map(|r| (r.dotted(), &*r.target)).collect();
        // The recorded dependencies only order changes: the queue is no reference.
        assert_eq!(found, vec![("environment.0.variables.B".to_owned(), "aws_s3_bucket.b")]);
        assert_eq!(source.skipped.len(), 2, "{:?}", source.skipped);
    }

    #[test]
    fn only_values_known_after_apply_that_the_configuration_sets_are_filled() {
        let configuration = json!({"resources": [], "module_calls": {"m": {
            "expressions": {"key": {"references": ["aws_kms_key.k.arn", "aws_kms_key.k"]}, "none": {"constant_value": null}},
            "module": {},
        }}});
        let config = refs::Config::new(Some(&configuration));
        let modules = vec!["m".to_owned()];
        let filler = Filler { config: &config, modules: &modules };
        let mut values = json!({"bucket": "b", "logging": [], "kms_key_id": null, "rule": [{"x": 1}]});
        let unknown = json!({
            "target_bucket": true, "bucket": true, "logging": [], "kms_key_id": false,
            "rule": [{"key": true}, {"key": true}], "id": false, "block": {"inner": true},
            "website": true, "versioning": [{"enabled": true}], "from_var": true, "default_var": true,
            "null_var": true,
        });
        let expressions = json!({
            "target_bucket": {"references": ["aws_s3_bucket.logs.id", "aws_s3_bucket.logs"]},
            "rule": [{"key": {"constant_value": "k"}}, {"key": {"constant_value": "k"}}],
            "block": [{"inner": {}}],
            "from_var": {"references": ["var.key"]},
            "default_var": {"references": ["var.unset"]},
            "null_var": {"references": ["var.none"]},
        });
        filler.fill(&mut values, &unknown, Some(&expressions), 0);
        assert_eq!(
            values,
            json!({
                "bucket": "b", "target_bucket": KNOWN_AFTER_APPLY, "logging": [], "kms_key_id": null,
                "rule": [{"x": 1, "key": KNOWN_AFTER_APPLY}, {"key": KNOWN_AFTER_APPLY}],
                "block": {"inner": KNOWN_AFTER_APPLY}, "from_var": KNOWN_AFTER_APPLY,
            }),
            "explicit nulls and empty lists stay; what the provider computes stays unset"
        );
    }

    #[test]
    fn plans_fill_from_after_unknown_only() {
        let doc = json!({
            "format_version": "1.2",
            "planned_values": {"root_module": {"resources": [
                {"address": "aws_lambda_function.f", "mode": "managed", "type": "aws_lambda_function",
                 "values": {"kms_key_arn": null, "function_name": "f"}},
                {"address": "aws_sqs_queue.q", "mode": "managed", "type": "aws_sqs_queue", "values": {}},
            ]}},
            "resource_changes": [{"address": "aws_sqs_queue.q", "change": {"after_unknown": {"kms_master_key_id": true}}}],
            "configuration": {"root_module": {"resources": [
                {"address": "aws_lambda_function.f", "expressions": {"kms_key_arn": {"references": ["aws_kms_key.k.arn"]}}},
            ]}},
        });
        let source = read_json(&doc);
        assert_eq!(
            source.resources[0].props["kms_key_arn"],
            Value::Null,
            "a reference alone does not set it"
        );
        assert_eq!(
            source.resources[1].props.get("kms_master_key_id"),
            None,
            "unknown, and no configuration sets it: the provider computes it"
        );
    }

    #[test]
    fn recognises_formats() {
        assert!(looks_like(&json!({"format_version": "1.2", "planned_values": {}})));
        assert!(!looks_like(&json!({"Resources": {}})));
        assert!(looks_like_raw_state(&json!({"version": 4, "terraform_version": "1.9.0", "resources": []})));
    }
}
