//! References between Terraform resources, found two ways:
//!
//! - from the plan's `configuration`: every expression lists the `references` it reads
//!   (`aws_vpc.this.id`, `var.vpc_id`, `module.db.endpoint`); variables are followed up to the
//!   module call and outputs down into the child module;
//! - from values: a string equal to another resource's `id` or `arn` (all a state has).

use std::collections::{BTreeSet, HashMap, HashSet};

use serde_json::Value;

use super::address::{self, Address};
use crate::import::source::Reference;

/// How deep variables and outputs are followed across modules.
const MAX_RESOLVE_DEPTH: usize = 24;
/// The deepest nesting walked in values and expressions.
const MAX_WALK_DEPTH: usize = 160;

/// A module path and a local address (`TYPE.NAME`).
type LocalKey = (Vec<String>, String);

/// An instance key (for `count` and `for_each`) and the full address of that instance.
type Instance = (Option<String>, String);

/// The imported resources by module path and local address, with their instance keys.
#[derive(Default)]
pub(super) struct ResourceIndex {
    by_local: HashMap<LocalKey, Vec<Instance>>,
}

impl ResourceIndex {
    /// Records the resource at `address` (its full address string).
    pub fn insert(&mut self, parsed: &Address, address: &str) {
        self.by_local
            .entry((parsed.modules.clone(), parsed.local.clone()))
            .or_default()
            .push((parsed.index.clone(), address.to_owned()));
    }

    fn lookup(&self, modules: &[String], local: &str, index: Option<&str>, out: &mut BTreeSet<String>) {
        if let Some(instances) = self.by_local.get(&(modules.to_vec(), local.to_owned())) {
            for (key, address) in instances {
                if index.is_none() || key.as_deref() == index {
                    out.insert(address.clone());
                }
            }
        }
    }
}

/// The `configuration` section: module bodies by module path.
pub(super) struct Config<'a> {
    modules: HashMap<Vec<String>, &'a Value>,
    resources: HashMap<(Vec<String>, &'a str), &'a Value>,
}

impl<'a> Config<'a> {
    /// Indexes the modules under `configuration.root_module`.
    pub fn new(root: Option<&'a Value>) -> Self {
        let mut modules = HashMap::new();
        let mut resources = HashMap::new();
        let mut pending: Vec<(Vec<String>, &'a Value)> = root.into_iter().map(|r| (Vec::new(), r)).collect();
        while let Some((path, module)) = pending.pop() {
            if path.len() > MAX_RESOLVE_DEPTH {
                continue;
            }
            if let Some(Value::Object(calls)) = module.get("module_calls") {
                for (name, call) in calls {
                    if let Some(child) = call.get("module") {
                        let mut child_path = path.clone();
                        child_path.push(name.clone());
                        pending.push((child_path, child));
                    }
                }
            }
            for resource in module.get("resources").and_then(Value::as_array).into_iter().flatten() {
                if let Some(address) = resource.get("address").and_then(Value::as_str) {
                    resources.entry((path.clone(), address)).or_insert(resource);
                }
            }
            modules.insert(path, module);
        }
        Self { modules, resources }
    }

    fn resource(&self, modules: &[String], local: &str) -> Option<&'a Value> {
        self.resources.get(&(modules.to_vec(), local)).copied()
    }

    /// The references of the resource at `parsed`, from its expressions and `depends_on`.
    pub fn references(&self, parsed: &Address, index: &ResourceIndex) -> Vec<Reference> {
        let Some(resource) = self.resource(&parsed.modules, &parsed.local) else { return Vec::new() };
        let mut raw: Vec<(Vec<String>, String)> = Vec::new();
        if let Some(expressions) = resource.get("expressions") {
            expression_refs(expressions, &mut Vec::new(), &mut raw, 0);
        }
        if let Some(Value::Array(depends)) = resource.get("depends_on") {
            for depend in depends.iter().filter_map(Value::as_str) {
                raw.push((vec!["depends_on".to_owned()], depend.to_owned()));
            }
        }
        // Terraform lists every prefix of a reference (`aws_subnet.a[0].id`, `aws_subnet.a[0]`,
        // `aws_subnet.a`); the bare one would name every instance, so it goes when an indexed
        // one is there.
        let indexed: HashSet<(Vec<String>, String)> = raw
            .iter()
            .filter_map(|(path, reference)| {
                reference.find('[').map(|at| (path.clone(), reference[..at].to_owned()))
            })
            .collect();
        raw.retain(|(path, reference)| !indexed.contains(&(path.clone(), reference.clone())));
        let mut out: Vec<Reference> = Vec::new();
        let mut found: HashSet<(Vec<String>, String)> = HashSet::new();
        for (path, reference) in raw {
            let mut targets = BTreeSet::new();
            let mut seen = BTreeSet::new();
            self.resolve(&parsed.modules, &reference, index, 0, &mut seen, &mut targets);
            for target in targets {
                if found.insert((path.clone(), target.clone())) {
                    out.push(Reference::new(&path, target));
                }
            }
        }
        out
    }

    fn resolve(
        &self,
        modules: &[String],
        reference: &str,
        index: &ResourceIndex,
        depth: usize,
        seen: &mut BTreeSet<(Vec<String>, String)>,
        out: &mut BTreeSet<String>,
    ) {
        if depth > MAX_RESOLVE_DEPTH || !seen.insert((modules.to_vec(), reference.to_owned())) {
            return;
        }
        let Some(steps) = address::steps(reference) else { return };
        let Some(first) = steps.first() else { return };
        match first.name.as_str() {
            "var" => {
                let (Some(variable), Some((call, parent))) = (steps.get(1), modules.split_last()) else {
                    return;
                };
                let expression = self
                    .modules
                    .get(parent)
                    .and_then(|m| m.get("module_calls"))
                    .and_then(|calls| calls.get(call))
                    .and_then(|c| c.get("expressions"))
                    .and_then(|e| e.get(&variable.name));
                for (_, inner) in all_refs(expression) {
                    self.resolve(parent, &inner, index, depth + 1, seen, out);
                }
            }
            "module" => {
                let (Some(call), Some(output)) = (steps.get(1), steps.get(2)) else { return };
                let mut child = modules.to_vec();
                child.push(call.name.clone());
                let expression = self
                    .modules
                    .get(&child)
                    .and_then(|m| m.get("outputs"))
                    .and_then(|o| o.get(&output.name))
                    .and_then(|o| o.get("expression"));
                for (_, inner) in all_refs(expression) {
                    self.resolve(&child, &inner, index, depth + 1, seen, out);
                }
            }
            "data" | "local" | "each" | "count" | "path" | "self" | "terraform" => {}
            _ => {
                let Some(name) = steps.get(1) else { return };
                let local = format!("{}.{}", first.name, name.name);
                index.lookup(modules, &local, name.index.as_deref(), out);
            }
        }
    }
}

fn all_refs(expression: Option<&Value>) -> Vec<(Vec<String>, String)> {
    let mut raw = Vec::new();
    if let Some(expression) = expression {
        expression_refs(expression, &mut Vec::new(), &mut raw, 0);
    }
    raw
}

/// Collects `references` lists in an expression tree, with the attribute path they are under.
fn expression_refs(
    value: &Value,
    path: &mut Vec<String>,
    out: &mut Vec<(Vec<String>, String)>,
    depth: usize,
) {
    if depth > MAX_WALK_DEPTH {
        return;
    }
    match value {
        Value::Object(map) => {
            if let Some(Value::Array(references)) = map.get("references") {
                for reference in references.iter().filter_map(Value::as_str) {
                    out.push((path.clone(), reference.to_owned()));
                }
            }
            for (key, child) in map {
                if key == "references" || key == "constant_value" {
                    continue;
                }
                path.push(key.clone());
                expression_refs(child, path, out, depth + 1);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(i.to_string());
                expression_refs(item, path, out, depth + 1);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Keys whose values never name another resource.
const NOT_REFERENCES: &[&str] = &["id", "arn", "tags", "tags_all", "name", "name_prefix", "description"];

/// References found by value: for each resource (by position in `resources`, given as
/// `(address, type, values)`), the strings in its values equal to another resource's `id` or
/// `arn`. When a value is the id of several resources (S3 configuration resources share their
/// bucket's name), the ones `preferred` accepts win.
pub(super) fn value_references(
    resources: &[(&str, &str, &Value)],
    preferred: impl Fn(&str) -> bool,
) -> Vec<Vec<Reference>> {
    let mut by_value: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, (_, _, values)) in resources.iter().enumerate() {
        for key in ["id", "arn"] {
            if let Some(text) = values.get(key).and_then(Value::as_str)
                && text.len() >= 3
                && text.chars().any(|c| c.is_ascii_alphabetic())
            {
                let owners = by_value.entry(text).or_default();
                if !owners.contains(&i) {
                    owners.push(i);
                }
            }
        }
    }
    let mut out = vec![Vec::new(); resources.len()];
    if by_value.is_empty() {
        return out;
    }
    for (i, (_, _, values)) in resources.iter().enumerate() {
        let Value::Object(map) = values else { continue };
        let mut found: Vec<(Vec<String>, &str)> = Vec::new();
        for (key, value) in map {
            if NOT_REFERENCES.contains(&key.as_str()) {
                continue;
            }
            strings(value, &mut vec![key.clone()], &mut found, 0);
        }
        let mut added: HashSet<(Vec<String>, usize)> = HashSet::new();
        for (path, text) in found {
            let Some(owners) = by_value.get(text) else { continue };
            let others: Vec<usize> = owners.iter().copied().filter(|&o| o != i).collect();
            let best: Vec<usize> = others.iter().copied().filter(|&o| preferred(resources[o].1)).collect();
            for target in if best.is_empty() { others } else { best } {
                if added.insert((path.clone(), target)) {
                    out[i].push(Reference::new(&path, resources[target].0));
                }
            }
        }
    }
    out
}

fn strings<'v>(
    value: &'v Value,
    path: &mut Vec<String>,
    out: &mut Vec<(Vec<String>, &'v str)>,
    depth: usize,
) {
    if depth > MAX_WALK_DEPTH {
        return;
    }
    match value {
        Value::String(text) => out.push((path.clone(), text)),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(i.to_string());
                strings(item, path, out, depth + 1);
                path.pop();
            }
        }
        Value::Object(map) => {
            for (key, child) in map {
                path.push(key.clone());
                strings(child, path, out, depth + 1);
                path.pop();
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn follows_variables_and_outputs_across_modules() {
        let configuration = json!({
            "resources": [{"address": "aws_instance.web", "expressions": {
                "subnet_id": {"references": ["module.network.private_subnet_ids[0]", "module.network.private_subnet_ids"]},
                "key_name": {"references": ["aws_key_pair.ops[0].id", "aws_key_pair.ops[0]", "aws_key_pair.ops"]},
                "tags": {"constant_value": {"Name": "web"}},
            }, "depends_on": ["aws_iam_role.web"]}],
            "module_calls": {"network": {
                "expressions": {"vpc_id": {"references": ["aws_vpc.main.id", "aws_vpc.main"]}},
                "module": {
                    "outputs": {"private_subnet_ids": {"expression": {"references": ["aws_subnet.private"]}}},
                    "resources": [{"address": "aws_subnet.private", "expressions": {
                        "vpc_id": {"references": ["var.vpc_id"]}
                    }}],
                },
            }},
        });
        let mut index = ResourceIndex::default();
        for address in [
            "aws_instance.web",
            "aws_iam_role.web",
            "aws_key_pair.ops[0]",
            "aws_key_pair.ops[1]",
            "aws_vpc.main",
            "module.network.aws_subnet.private[0]",
            "module.network.aws_subnet.private[1]",
        ] {
            index.insert(&address::parse(address).unwrap(), address);
        }
        let config = Config::new(Some(&configuration));
        let web = config.references(&address::parse("aws_instance.web").unwrap(), &index);
        let targets: Vec<(String, &str)> =
            web.iter().map(|r| (r.path.join("."), r.target.as_str())).collect();
        assert_eq!(
            targets,
            vec![
                ("key_name".to_owned(), "aws_key_pair.ops[0]"),
                ("subnet_id".to_owned(), "module.network.aws_subnet.private[0]"),
                ("subnet_id".to_owned(), "module.network.aws_subnet.private[1]"),
                ("depends_on".to_owned(), "aws_iam_role.web"),
            ]
        );
        let subnet =
            config.references(&address::parse("module.network.aws_subnet.private[0]").unwrap(), &index);
        assert_eq!(subnet.iter().map(|r| r.target.as_str()).collect::<Vec<_>>(), vec!["aws_vpc.main"]);
    }

    #[test]
    fn matches_ids_and_arns_preferring_owners() {
        let bucket = json!({"id": "payments", "arn": "arn:aws:s3:::payments", "bucket": "payments"});
        let versioning = json!({"id": "payments", "bucket": "payments"});
        let policy = json!({"id": "payments", "bucket": "payments", "policy": "{}"});
        let function =
            json!({"id": "fn", "environment": [{"variables": {"BUCKET": "arn:aws:s3:::payments"}}]});
        let resources = [
            ("aws_s3_bucket.p", "aws_s3_bucket", &bucket),
            ("aws_s3_bucket_versioning.p", "aws_s3_bucket_versioning", &versioning),
            ("aws_s3_bucket_policy.p", "aws_s3_bucket_policy", &policy),
            ("aws_lambda_function.f", "aws_lambda_function", &function),
        ];
        let refs = value_references(&resources, |t| t == "aws_s3_bucket");
        assert_eq!(refs[1], vec![Reference::new(&["bucket".to_owned()], "aws_s3_bucket.p")]);
        assert_eq!(refs[2], vec![Reference::new(&["bucket".to_owned()], "aws_s3_bucket.p")]);
        assert_eq!(refs[3][0].target, "aws_s3_bucket.p");
        assert_eq!(refs[3][0].path.join("."), "environment.0.variables.BUCKET");
    }
}
