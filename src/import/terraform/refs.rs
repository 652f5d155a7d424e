//! References between Terraform resources, found two ways:
//!
//! - from the plan's `configuration`: every expression lists the `references` it reads
//!   (`aws_vpc.this.id`, `var.vpc_id`, `module.db.endpoint`); variables are followed up to the
//!   module call and outputs down into the child module. An expression that reads
//!   `count.index` or `each.*` picks the instance with the referrer's own key
//!   (`aws_subnet.private[count.index]`), not every instance, also through a variable or output
//!   that passes on one resource's instances (`var.subnet_ids[count.index]`);
//! - from values: a string equal to another resource's `id` or `arn` (all a state has), where
//!   the string can name a resource: an ARN, an AWS-shaped id (`subnet-0abc…`), or the value of an
//!   attribute that holds ids (`*_id`, `*_arn`, `*_name`, and the attributes the mapping reads
//!   references from, such as `bucket`). Common words (`default`, `main`) never match.
//!
//! `depends_on` orders changes; it is read apart from references ([`Config::depends_on`],
//! [`ResourceIndex::depends_on_in_state`]) so it never decides placement or folding.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use serde_json::Value;

use super::address::{self, Address};
use crate::import::source::{Budget, Collected, MAX_DEPENDS_ON};

/// References already resolved: module path, instance keys and the reference text.
type Visited = BTreeSet<(Vec<String>, Vec<Option<String>>, String)>;

/// How deep variables and outputs are followed across modules.
const MAX_RESOLVE_DEPTH: usize = 24;
/// The deepest nesting walked in values and expressions.
const MAX_WALK_DEPTH: usize = 160;
/// The most resources one reference may stand for (`module.x.all_instances`).
const MAX_TARGETS: usize = 1_024;
/// A value that is the id of more resources than this names none of them in particular.
const MAX_SHARED_ID: usize = 4;

/// A module path and a local address (`TYPE.NAME`).
type LocalKey = (Vec<String>, String);

/// One instance of a resource.
struct Instance {
    /// Its key, for `count` and `for_each`.
    key: Option<String>,
    /// The instance keys of the module calls it is in (`module.app["eu"]`).
    module_keys: Vec<Option<String>>,
    /// Its full address.
    name: Arc<str>,
}

impl Instance {
    /// Whether it is in the module instances `scope` names (a `None` there is any instance).
    fn in_scope(&self, scope: &[Option<String>]) -> bool {
        scope.iter().zip(&self.module_keys).all(|(wanted, key)| wanted.is_none() || wanted == key)
    }
}

/// The imported resources by module path and local address, with their instance keys.
#[derive(Default)]
pub(super) struct ResourceIndex {
    by_local: HashMap<LocalKey, Vec<Instance>>,
}

impl ResourceIndex {
    /// Records the resource at `parsed`, whose full address is `name`.
    pub fn insert(&mut self, parsed: &Address, name: &Arc<str>) {
        self.by_local.entry((parsed.modules.clone(), parsed.local.clone())).or_default().push(Instance {
            key: parsed.index.clone(),
            module_keys: parsed.module_keys.clone(),
            name: Arc::clone(name),
        });
    }

    /// The instances of `local` in `modules`, within the module instances `scope` names (a
    /// reference inside `module.app["eu"]` means that instance's resources, not `["us"]`'s): the
    /// one with key `index` when given; with `pick` (the referrer's key, for `count.index` and
    /// `each` expressions), the instance with the same key (or, for counts, the same position
    /// modulo the count), or every instance when none has it.
    fn lookup(
        &self,
        modules: &[String],
        scope: &[Option<String>],
        local: &str,
        index: Option<&str>,
        pick: Option<&str>,
        out: &mut BTreeSet<Arc<str>>,
    ) {
        let Some(all) = self.by_local.get(&(modules.to_vec(), local.to_owned())) else { return };
        let instances: Vec<&Instance> = all.iter().filter(|instance| instance.in_scope(scope)).collect();
        if let (None, Some(key)) = (index, pick)
            && instances.iter().any(|instance| instance.key.is_some())
        {
            let position =
                key.parse::<usize>().ok().filter(|_| !instances.is_empty()).map(|k| k % instances.len());
            let same = instances.iter().find(|instance| instance.key.as_deref() == Some(key)).or_else(|| {
                let position = position?.to_string();
                instances.iter().find(|instance| instance.key.as_deref() == Some(position.as_str()))
            });
            if let Some(instance) = same {
                out.insert(Arc::clone(&instance.name));
                return;
            }
            // No instance has the referrer's key: any of them may be the one.
        }
        for instance in instances {
            if out.len() >= MAX_TARGETS {
                return;
            }
            if index.is_none() || instance.key.as_deref() == index {
                out.insert(Arc::clone(&instance.name));
            }
        }
    }
}

impl ResourceIndex {
    /// The resources a state's `depends_on` list names: absolute addresses, with or without an
    /// instance key.
    pub fn depends_on_in_state(&self, raw: &Value) -> BTreeSet<Arc<str>> {
        let mut targets = BTreeSet::new();
        let list = raw.get("depends_on").and_then(Value::as_array);
        for entry in list.into_iter().flatten().filter_map(Value::as_str) {
            if targets.len() >= MAX_DEPENDS_ON {
                break;
            }
            if let Some(parsed) = address::parse(entry) {
                let (modules, scope, local) = (&parsed.modules, &parsed.module_keys, &parsed.local);
                self.lookup(modules, scope, local, parsed.index.as_deref(), None, &mut targets);
            }
        }
        targets
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

    /// Adds the references of the resource at `parsed`, from its expressions, to `out`.
    pub fn references(
        &self,
        parsed: &Address,
        index: &ResourceIndex,
        budget: &mut Budget,
        out: &mut Collected,
    ) {
        let Some(expressions) =
            self.resource(&parsed.modules, &parsed.local).and_then(|r| r.get("expressions"))
        else {
            return;
        };
        expression_refs(expressions, &mut Vec::new(), 0, &mut |path, references| {
            // Terraform lists every prefix of a reference (`aws_subnet.a[0].id`, `aws_subnet.a[0]`,
            // `aws_subnet.a`); the bare one would name every instance, so it goes when an indexed
            // one is there.
            let with_index: HashSet<&str> =
                references.iter().filter_map(|r| r.find('[').map(|at| &r[..at])).collect();
            let by_instance = references.iter().any(|r| *r == "count.index" || r.starts_with("each."));
            let pick = if by_instance { parsed.index.as_deref() } else { None };
            for reference in references {
                if with_index.contains(reference) {
                    continue;
                }
                let mut targets = BTreeSet::new();
                let mut seen = BTreeSet::new();
                let at = Scope { modules: &parsed.modules, keys: &parsed.module_keys };
                self.resolve(at, reference, pick, index, 0, &mut seen, &mut targets);
                for target in &targets {
                    out.add(budget, path, target);
                }
            }
        });
    }

    /// The resources the configuration's `depends_on` of the resource at `parsed` names (a
    /// whole module, `module.db`, names none in particular).
    pub fn depends_on(&self, parsed: &Address, index: &ResourceIndex) -> BTreeSet<Arc<str>> {
        let mut targets = BTreeSet::new();
        let list = self.resource(&parsed.modules, &parsed.local).and_then(|r| r.get("depends_on"));
        for entry in list.and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
            if targets.len() >= MAX_DEPENDS_ON {
                break;
            }
            let at = Scope { modules: &parsed.modules, keys: &parsed.module_keys };
            self.resolve(at, entry, None, index, 0, &mut BTreeSet::new(), &mut targets);
        }
        targets
    }

    #[expect(clippy::too_many_arguments, reason = "a recursive walk with its context")]
    fn resolve(
        &self,
        at: Scope<'_>,
        reference: &str,
        pick: Option<&str>,
        index: &ResourceIndex,
        depth: usize,
        seen: &mut Visited,
        out: &mut BTreeSet<Arc<str>>,
    ) {
        if depth > MAX_RESOLVE_DEPTH
            || out.len() >= MAX_TARGETS
            || !seen.insert((at.modules.to_vec(), at.keys.to_vec(), reference.to_owned()))
        {
            return;
        }
        let Some(steps) = address::steps(reference) else { return };
        let Some(first) = steps.first() else { return };
        match first.name.as_str() {
            "var" => {
                let (Some(variable), Some((call, parent))) = (steps.get(1), at.modules.split_last()) else {
                    return;
                };
                let inner = all_refs(self.call_argument(parent, call, &variable.name));
                let pick = pick.filter(|_| one_resource(&inner));
                let up = Scope { modules: parent, keys: &at.keys[..at.keys.len().min(parent.len())] };
                for inner in inner {
                    self.resolve(up, &inner, pick, index, depth + 1, seen, out);
                }
            }
            "module" => {
                let (Some(call), Some(output)) = (steps.get(1), steps.get(2)) else { return };
                let mut child = at.modules.to_vec();
                child.push(call.name.clone());
                let mut child_keys = at.keys.to_vec();
                child_keys.resize(at.modules.len(), None);
                child_keys.push(call.index.clone());
                let expression = self
                    .modules
                    .get(&child)
                    .and_then(|m| m.get("outputs"))
                    .and_then(|o| o.get(&output.name))
                    .and_then(|o| o.get("expression"));
                let inner = all_refs(expression);
                let pick = pick.filter(|_| one_resource(&inner));
                let down = Scope { modules: &child, keys: &child_keys };
                for inner in inner {
                    self.resolve(down, &inner, pick, index, depth + 1, seen, out);
                }
            }
            "data" | "local" | "each" | "count" | "path" | "self" | "terraform" => {}
            _ => {
                let Some(name) = steps.get(1) else { return };
                let local = format!("{}.{}", first.name, name.name);
                index.lookup(at.modules, at.keys, &local, name.index.as_deref(), pick, out);
            }
        }
    }

    /// The expression the call of module `call` (in the module at `parent`) passes for its
    /// variable `variable`.
    fn call_argument(&self, parent: &[String], call: &str, variable: &str) -> Option<&'a Value> {
        self.modules
            .get(parent)
            .and_then(|m| m.get("module_calls"))
            .and_then(|calls| calls.get(call))
            .and_then(|c| c.get("expressions"))
            .and_then(|e| e.get(variable))
    }

    /// The expressions the configuration gives the resource at `parsed` (attribute → expression).
    pub fn expressions(&self, parsed: &Address) -> Option<&'a Value> {
        self.resource(&parsed.modules, &parsed.local).and_then(|r| r.get("expressions"))
    }

    /// Whether `expression`, in the module at `modules`, sets a value: a constant that is not
    /// null, a reference to anything but a variable, any other expression, a block written out,
    /// or a variable whose module call sets it so (a variable left at its default is known at
    /// plan time, so a value unknown under it comes from the provider).
    pub fn sets(&self, modules: &[String], expression: &Value, depth: usize) -> bool {
        if depth > MAX_RESOLVE_DEPTH {
            return false;
        }
        let Value::Object(map) = expression else {
            // A block (a list of bodies) written in the configuration.
            return expression.is_array();
        };
        if !is_expression(map) {
            return true;
        }
        if let Some(constant) = map.get("constant_value") {
            return !constant.is_null();
        }
        let references: Vec<&str> = map
            .get("references")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        if references.is_empty() {
            return true;
        }
        references.iter().any(|reference| {
            let Some(variable) = reference.strip_prefix("var.") else { return true };
            let variable = variable.split(['.', '[']).next().unwrap_or(variable);
            let Some((call, parent)) = modules.split_last() else { return false };
            self.call_argument(parent, call, variable)
                .is_some_and(|argument| self.sets(parent, argument, depth + 1))
        })
    }
}

/// Where a reference is read: a module path and the instance keys of its calls, as far as known.
#[derive(Clone, Copy)]
struct Scope<'s> {
    modules: &'s [String],
    keys: &'s [Option<String>],
}

/// Whether a mapping of the configuration is an expression (it has `references` or
/// `constant_value`) rather than a block body (attribute → expression).
pub(super) fn is_expression(map: &serde_json::Map<String, Value>) -> bool {
    map.contains_key("references") || map.contains_key("constant_value")
}

/// Whether `references` (of a variable's or an output's expression) all name one resource, or
/// pass on one variable or output: then `var.subnet_ids[count.index]` picks the instance with
/// the referrer's key (`aws_subnet.private[*].id` lists instances in key order). A list made of
/// several resources is not narrowed: which element is which is not known.
fn one_resource(references: &[String]) -> bool {
    if references.iter().any(|reference| reference.contains('[')) {
        // An element is already chosen (`aws_subnet.private[0].id`): the key is not the index.
        return false;
    }
    let bases: BTreeSet<String> = references
        .iter()
        .filter_map(|reference| {
            let steps = address::steps(reference)?;
            let first = steps.first()?;
            let second = steps.get(1)?;
            match first.name.as_str() {
                "count" | "each" | "path" | "terraform" => None,
                "data" | "local" => Some(String::new()),
                "module" => Some(format!("module.{}.{}", second.name, steps.get(2)?.name)),
                name => Some(format!("{name}.{}", second.name)),
            }
        })
        .collect();
    bases.len() == 1 && !bases.contains("")
}

/// Every reference an expression lists, anywhere in it.
fn all_refs(expression: Option<&Value>) -> Vec<String> {
    let mut raw = Vec::new();
    if let Some(expression) = expression {
        expression_refs(expression, &mut Vec::new(), 0, &mut |_, references| {
            raw.extend(references.iter().map(|r| (*r).to_owned()));
        });
    }
    raw
}

/// Calls `visit` with each `references` list of an expression tree and the attribute path it is
/// under.
fn expression_refs(
    value: &Value,
    path: &mut Vec<String>,
    depth: usize,
    visit: &mut dyn FnMut(&[String], &[&str]),
) {
    if depth > MAX_WALK_DEPTH {
        return;
    }
    match value {
        Value::Object(map) => {
            if let Some(Value::Array(references)) = map.get("references") {
                let references: Vec<&str> = references.iter().filter_map(Value::as_str).collect();
                visit(path, &references);
            }
            for (key, child) in map {
                if key == "references" || key == "constant_value" {
                    continue;
                }
                path.push(key.clone());
                expression_refs(child, path, depth + 1, visit);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(i.to_string());
                expression_refs(item, path, depth + 1, visit);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Keys whose values never name another resource.
const NOT_REFERENCES: &[&str] = &["id", "arn", "tags", "tags_all", "name", "name_prefix", "description"];

/// Values too common to name one resource: a configuration recorder named `default` is not what
/// `tenancy = "default"` means.
const COMMON_WORDS: &[&str] = &[
    "all", "allow", "aws", "default", "deny", "disabled", "enabled", "false", "main", "none", "null",
    "primary", "private", "public", "this", "true",
];

/// A resource as value matching sees it.
pub(super) struct Valued<'a> {
    /// Its address.
    pub address: &'a Arc<str>,
    /// Its type.
    pub resource_type: &'a str,
    /// Its values.
    pub values: &'a Value,
}

/// Adds the references found by value to `out` (one per resource of `resources`): strings that
/// can name a resource (see the module docs) and equal another resource's `id` or `arn`, in the
/// attributes where the configuration linked nothing (`linked`, per resource): a reference the
/// configuration states wins over a value that happens to match. When a
/// value is the id of several resources (S3 configuration resources share their bucket's name),
/// the ones `preferred` accepts win; a value shared by more than a few is ambiguous and skipped.
pub(super) fn value_references(
    resources: &[Valued<'_>],
    preferred: impl Fn(&str) -> bool,
    reference_keys: &HashSet<&str>,
    linked: &[HashSet<String>],
    budget: &mut Budget,
    out: &mut [Collected],
) {
    let mut owners: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, resource) in resources.iter().enumerate() {
        for key in ["id", "arn"] {
            if let Some(text) = resource.values.get(key).and_then(Value::as_str)
                && can_name_a_resource(text)
            {
                let list = owners.entry(text).or_default();
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }
    }
    // Decided once per value, not once per string that holds it.
    let chosen: HashMap<&str, Vec<usize>> = owners
        .into_iter()
        .filter_map(|(value, all)| {
            let best: Vec<usize> =
                all.iter().copied().filter(|&o| preferred(resources[o].resource_type)).collect();
            let chosen = if best.is_empty() { all } else { best };
            (chosen.len() <= MAX_SHARED_ID).then_some((value, chosen))
        })
        .collect();
    if chosen.is_empty() {
        return;
    }
    for (i, (resource, collected)) in resources.iter().zip(out.iter_mut()).enumerate() {
        let Value::Object(map) = resource.values else { continue };
        let mut found = |path: &[String], text: &str| {
            let Some(targets) = chosen.get(text) else { return };
            if !(text.starts_with("arn:") || aws_shaped_id(text) || holds_ids(path, reference_keys)) {
                return;
            }
            for &target in targets.iter().filter(|&&t| t != i) {
                collected.add(budget, path, resources[target].address);
            }
        };
        let linked = linked.get(i);
        for (key, value) in map {
            if !NOT_REFERENCES.contains(&key.as_str()) && !linked.is_some_and(|keys| keys.contains(key)) {
                strings(value, &mut vec![key.clone()], 0, &mut found);
            }
        }
    }
}

/// Whether `text` may be a resource's id or ARN worth matching: not a common word, not a number.
fn can_name_a_resource(text: &str) -> bool {
    text.len() >= 3
        && text.chars().any(|c| c.is_ascii_alphabetic())
        && !COMMON_WORDS.iter().any(|word| word.eq_ignore_ascii_case(text))
}

/// Whether `text` looks like an EC2-style id: `vpc-0a1b2c3d`, `subnet-0123456789abcdef0`,
/// `tgw-attach-…`: lower-case words, a dash, 8 or 17 hex digits.
fn aws_shaped_id(text: &str) -> bool {
    let Some((prefix, hex)) = text.rsplit_once('-') else { return false };
    !prefix.is_empty()
        && prefix.chars().all(|c| c.is_ascii_lowercase() || c == '-')
        && (hex.len() == 8 || hex.len() == 17)
        && hex.chars().all(|c| c.is_ascii_hexdigit())
}

/// Whether the attribute at `path` holds ids: `*_id`, `*_ids`, `*_arn`, `*_arns`, `*_name`,
/// `*_names`, or one the mapping reads references from.
fn holds_ids(path: &[String], reference_keys: &HashSet<&str>) -> bool {
    let Some(key) = path.iter().rev().find(|key| key.parse::<usize>().is_err()) else { return false };
    ["_id", "_ids", "_arn", "_arns", "_name", "_names"].iter().any(|end| key.ends_with(end))
        || reference_keys.contains(key.as_str())
}

/// Calls `found` with every string under `value` and its path; the path is only copied by
/// `found`, when the string matches.
fn strings(value: &Value, path: &mut Vec<String>, depth: usize, found: &mut dyn FnMut(&[String], &str)) {
    if depth > MAX_WALK_DEPTH {
        return;
    }
    match value {
        Value::String(text) => found(path, text),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(i.to_string());
                strings(item, path, depth + 1, found);
                path.pop();
            }
        }
        Value::Object(map) => {
            for (key, child) in map {
                path.push(key.clone());
                strings(child, path, depth + 1, found);
                path.pop();
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests;
