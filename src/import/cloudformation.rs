//! CloudFormation and SAM templates (already parsed to JSON values, short-form tags expanded):
//! resources, their properties and the references between them (`Ref`, `Fn::GetAtt`,
//! `Fn::Sub`, SAM event sources), and `DependsOn`, which orders deployment: it is kept apart
//! from references, so it draws a flow only where nothing else connects the two resources and
//! never decides placement or folding.
//!
//! Properties are read as deployment would see them where the template says: a `Ref` to a
//! parameter becomes its `Default`; a parameter without one is unknown (see
//! [`super::cond::UNKNOWN`]), except AWS-typed parameters (a subnet id, an SSM parameter), whose
//! value is set but known only at deployment. Resources with a `Condition:` are marked
//! conditional.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use serde_json::{Map, Value};

use super::cond::UNKNOWN;
use super::copies::Copies;
use super::for_each;
use super::report::Warnings;
use super::source::{Budget, Collected, MAX_DEPENDS_ON, Names, Resource, Source};
use super::types::ResourceTypes;
use super::yaml::FN_TAGS;
use super::{ImportError, SourceFormat};

/// The SAM transform.
const SAM_TRANSFORM: &str = "AWS::Serverless-2016-10-31";

/// SAM event types that create an EventBridge rule or schedule of their own.
const SAM_RULE_EVENTS: &[(&str, &str)] = &[
    ("Schedule", "AWS::Events::Rule"),
    ("CloudWatchEvent", "AWS::Events::Rule"),
    ("EventBridgeRule", "AWS::Events::Rule"),
    ("ScheduleV2", "AWS::Scheduler::Schedule"),
];

/// SAM resource types that have `Events` and a `Globals` section.
const SAM_GLOBALS: &[(&str, &str)] = &[
    ("AWS::Serverless::Function", "Function"),
    ("AWS::Serverless::Api", "Api"),
    ("AWS::Serverless::HttpApi", "HttpApi"),
    ("AWS::Serverless::SimpleTable", "SimpleTable"),
    ("AWS::Serverless::StateMachine", "StateMachine"),
    ("AWS::Serverless::LayerVersion", "LayerVersion"),
];

/// The deepest nesting walked when looking for references.
const MAX_WALK_DEPTH: usize = 160;

/// Whether a parsed document looks like a CloudFormation template.
pub(super) fn looks_like(doc: &Value) -> bool {
    doc.get("Resources").is_some() || doc.get("AWSTemplateFormatVersion").is_some()
}

/// Whether `key` is an intrinsic or condition function the importer knows (`Fn::Join`...).
fn known_function(key: &str) -> bool {
    key.strip_prefix("Fn::").is_some_and(|name| FN_TAGS.contains(&name))
}

/// Reads a template.
pub(super) fn read(
    source_name: &str,
    name: String,
    doc: &Value,
    types: &ResourceTypes,
    copies: &Copies,
) -> Result<Source, ImportError> {
    let structure = |message: String| ImportError::Structure { source_name: source_name.to_owned(), message };
    let resources = match doc.get("Resources") {
        Some(Value::Object(resources)) => resources,
        Some(_) => {
            return Err(structure("`Resources` must be a mapping of logical ids to resources".to_owned()));
        }
        None => return Err(structure("the template has no `Resources` section".to_owned())),
    };
    let mut source = Source {
        format: SourceFormat::CloudFormation,
        name,
        description: doc.get("Description").and_then(Value::as_str).unwrap_or_default().to_owned(),
        note_prefix: "set in template",
        resources: Vec::new(),
        skipped: Vec::new(),
        warnings: Warnings::default(),
    };
    let is_sam = match doc.get("Transform") {
        Some(Value::String(transform)) => transform == SAM_TRANSFORM,
        Some(Value::Array(transforms)) => transforms.iter().any(|t| t.as_str() == Some(SAM_TRANSFORM)),
        _ => false,
    };

    // Parameters: those that stand for a subnet, VPC or security group become boundaries; every
    // one is read as its default (or as unknown) in properties.
    let parameters = match doc.get("Parameters") {
        Some(Value::Object(parameters)) => parameters.clone(),
        _ => Map::new(),
    };
    let mut boundary_params = Vec::new();
    let mut parameter_values: HashMap<String, Value> = HashMap::new();
    for (id, parameter) in &parameters {
        if resources.contains_key(id) {
            source.warnings.push_with(|| {
                format!(
                    "Parameters.{id}: a parameter and a resource are both named {id}; references to it \
                     are read as the resource"
                )
            });
            continue;
        }
        let parameter_type = parameter.get("Type").and_then(Value::as_str).unwrap_or_default();
        if let Some(value) = parameter_value(id, parameter_type, parameter.get("Default")) {
            parameter_values.insert(id.clone(), value);
        }
        if let Some(kind) = types.parameter_boundary(parameter_type) {
            boundary_params.push(Resource {
                id: id.clone(),
                resource_type: format!("Parameter {id}"),
                props: Value::Null,
                refs: Vec::new(),
                place: format!("Parameters.{id}"),
                boundary: Some(kind),
                conditional: false,
                depends_on: Vec::new(),
            });
        }
    }

    let known =
        Names::of(resources.keys().map(String::as_str).chain(boundary_params.iter().map(|p| p.id.as_str())));
    let globals = if is_sam { doc.get("Globals").and_then(Value::as_object) } else { None };
    let mut walker = Walker {
        known: &known,
        place: String::new(),
        warned: BTreeSet::new(),
        warnings: Warnings::default(),
        budget: Budget::default(),
    };
    let mut implicit: Vec<Resource> = Vec::new();

    for (id, body) in resources {
        let Some(resource_type) = body.get("Type").and_then(Value::as_str) else {
            source.warnings.push_with(|| format!("Resources.{id} has no Type; it is not imported"));
            continue;
        };
        let mut props = match body.get("Properties") {
            Some(Value::Object(props)) => Value::Object(props.clone()),
            _ => Value::Object(Map::new()),
        };
        if let Some(globals) = globals
            && let Some((_, section)) = SAM_GLOBALS.iter().find(|(t, _)| *t == resource_type)
            && let Some(defaults) = globals.get(*section).and_then(|defaults| copies.copy(defaults))
        {
            props = merged(defaults, &props, 0);
        }
        walker.place = format!("Resources.{id}.Properties");
        let mut refs = Collected::default();
        let has_events =
            resource_type == "AWS::Serverless::Function" || resource_type == "AWS::Serverless::StateMachine";
        if let Value::Object(map) = &props {
            for (key, value) in map {
                if has_events && key == "Events" {
                    continue;
                }
                walker.walk(value, &mut vec![key.clone()], &mut refs, 0);
            }
        }
        if has_events && let Some(Value::Object(events)) = props.get("Events") {
            sam_events(id, events, &mut walker, &mut refs, &mut implicit);
        }
        if resource_type == "AWS::Serverless::Connector" {
            connector_ends(&props, &known, &mut walker.budget, &mut refs);
        }
        resolve_parameters(&mut props, &parameter_values, copies, 0);
        let place = format!("Resources.{id}.Properties");
        let refs = refs.finish(&place, &mut walker.warnings);
        source.resources.push(Resource {
            id: id.clone(),
            resource_type: resource_type.to_owned(),
            props,
            refs,
            place,
            boundary: None,
            conditional: body.get("Condition").is_some(),
            depends_on: depends_on(body, &known),
        });
    }
    let mut implicit_ids: HashSet<String> = HashSet::new();
    for mut resource in implicit {
        if resources.contains_key(&resource.id) || !implicit_ids.insert(resource.id.clone()) {
            source.warnings.push_with(|| {
                format!(
                    "{}: SAM names what it creates for this event {}, which is already the name of another \
                     resource; the event is drawn to that resource",
                    resource.place, resource.id
                )
            });
            continue;
        }
        resolve_parameters(&mut resource.props, &parameter_values, copies, 0);
        source.resources.push(resource);
    }
    if copies.newly_refused() {
        source.warnings.push(format!(
            "parameter defaults and SAM globals are copied where they are used only up to {} MiB; beyond, \
             a Ref reads as a value set at deployment and globals are not merged",
            super::copies::MAX_COPIED >> 20
        ));
    }
    source.resources.extend(boundary_params);
    source.warnings.append(walker.warnings);
    Ok(source)
}

/// Expands the `Fn::ForEach` loops (the `AWS::LanguageExtensions` transform) in the template's
/// `Resources`, reading list parameters as their defaults.
pub(super) fn expand_loops(doc: &mut Value, warnings: &mut Warnings) {
    let Some(Value::Object(resources)) = doc.get("Resources") else { return };
    if !for_each::has_loops(resources) {
        return;
    }
    let parameters = doc.get("Parameters").and_then(Value::as_object);
    let parameter = |name: &str| {
        let parameter = parameters?.get(name)?;
        let parameter_type = parameter.get("Type").and_then(Value::as_str).unwrap_or_default();
        parameter_value(name, parameter_type, parameter.get("Default"))
    };
    let expanded = for_each::expand(resources, &parameter, warnings);
    if let Some(doc) = doc.as_object_mut() {
        doc.insert("Resources".to_owned(), Value::Object(expanded));
    }
}

/// What a `Ref` to a parameter reads as: its default (a list for list types), nothing (the
/// `Ref` stays, set to a value known at deployment) for AWS-typed parameters, else unknown.
fn parameter_value(id: &str, parameter_type: &str, default: Option<&Value>) -> Option<Value> {
    let aws_typed = parameter_type.starts_with("AWS::") || parameter_type.starts_with("List<AWS::");
    if parameter_type.starts_with("AWS::SSM::Parameter::Value<") {
        // The default names an SSM parameter; its value is read at deployment.
        return None;
    }
    match default {
        Some(Value::String(text))
            if parameter_type.starts_with("List<") || parameter_type == "CommaDelimitedList" =>
        {
            Some(Value::Array(text.split(',').map(|item| Value::String(item.trim().to_owned())).collect()))
        }
        Some(default) if !default.is_null() => Some(default.clone()),
        _ if aws_typed => None,
        _ => {
            let mut unknown = Map::new();
            unknown.insert(UNKNOWN.to_owned(), Value::String(id.to_owned()));
            Some(Value::Object(unknown))
        }
    }
}

/// Replaces every `{"Ref": parameter}` in `value` by what the parameter reads as, within the
/// budget of `copies`.
fn resolve_parameters(value: &mut Value, parameters: &HashMap<String, Value>, copies: &Copies, depth: usize) {
    if depth > MAX_WALK_DEPTH || parameters.is_empty() {
        return;
    }
    if let Value::Object(map) = value
        && map.len() == 1
        && let Some(Value::String(name)) = map.get("Ref")
    {
        if let Some(replacement) = parameters.get(name).and_then(|replacement| copies.copy(replacement)) {
            *value = replacement;
        }
        return;
    }
    match value {
        Value::Array(items) => {
            for item in items {
                resolve_parameters(item, parameters, copies, depth + 1);
            }
        }
        Value::Object(map) => {
            for child in map.values_mut() {
                resolve_parameters(child, parameters, copies, depth + 1);
            }
        }
        _ => {}
    }
}

/// Finds references in property values.
struct Walker<'a> {
    known: &'a Names,
    /// Where the properties being walked are, for warnings.
    place: String,
    warned: BTreeSet<String>,
    warnings: Warnings,
    budget: Budget,
}

impl Walker<'_> {
    fn walk(&mut self, value: &Value, path: &mut Vec<String>, out: &mut Collected, depth: usize) {
        if depth > MAX_WALK_DEPTH {
            return;
        }
        match value {
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    path.push(index.to_string());
                    self.walk(item, path, out, depth + 1);
                    path.pop();
                }
            }
            Value::Object(map) => {
                if map.len() == 1
                    && let Some((key, argument)) = map.iter().next()
                    && self.intrinsic(key, argument, path, out, depth)
                {
                    return;
                }
                for (key, child) in map {
                    path.push(key.clone());
                    self.walk(child, path, out, depth + 1);
                    path.pop();
                }
            }
            _ => {}
        }
    }

    /// Handles `{key: argument}` when `key` is an intrinsic; false when it is a plain key.
    fn intrinsic(
        &mut self,
        key: &str,
        argument: &Value,
        path: &mut Vec<String>,
        out: &mut Collected,
        depth: usize,
    ) -> bool {
        match key {
            "Ref" => {
                if let Some(target) = argument.as_str() {
                    self.push(path, target, out);
                }
                true
            }
            "Fn::GetAtt" => {
                let target = match argument {
                    Value::String(text) => text.split('.').next(),
                    Value::Array(parts) => parts.first().and_then(Value::as_str),
                    _ => None,
                };
                if let Some(target) = target {
                    self.push(path, target, out);
                }
                if let Value::Array(parts) = argument {
                    // The attribute may itself be computed.
                    for part in parts.iter().skip(1) {
                        self.walk(part, path, out, depth + 1);
                    }
                }
                true
            }
            "Fn::Sub" => {
                let (text, variables) = match argument {
                    Value::String(text) => (Some(text.as_str()), None),
                    Value::Array(parts) => {
                        (parts.first().and_then(Value::as_str), parts.get(1).and_then(Value::as_object))
                    }
                    _ => (None, None),
                };
                if let Some(variables) = variables {
                    for value in variables.values() {
                        self.walk(value, path, out, depth + 1);
                    }
                }
                for name in sub_names(text.unwrap_or_default()) {
                    if !variables.is_some_and(|v| v.contains_key(name)) {
                        self.push(path, name, out);
                    }
                }
                true
            }
            "Condition" => true,
            _ if key.starts_with("Fn::") => {
                if !known_function(key) && self.warned.insert(key.to_owned()) {
                    let place = &self.place;
                    self.warnings.push_with(|| {
                        format!(
                            "{place}.{}: unknown intrinsic function {key}; its arguments are read as plain values",
                            path.join(".")
                        )
                    });
                }
                self.walk(argument, path, out, depth + 1);
                true
            }
            _ => false,
        }
    }

    /// Records a reference to `target` when it is a resource (or boundary parameter) of the
    /// template: the name is looked up before the path is copied.
    fn push(&mut self, path: &[String], target: &str, out: &mut Collected) {
        if let Some(name) = self.known.get(target) {
            out.add(&mut self.budget, path, name);
        }
    }
}

/// The resource names in `${Name}` and `${Name.Attribute}` of a `Fn::Sub` string, skipping
/// `${!Literal}` escapes and pseudo parameters.
fn sub_names(text: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        let inner = after[..end].trim();
        if !inner.starts_with('!') && !inner.starts_with("AWS::") {
            let name = inner.split('.').next().unwrap_or(inner);
            if !name.is_empty() {
                names.push(name);
            }
        }
        rest = &after[end + 1..];
    }
    names
}

/// The resources of the source a resource's `DependsOn` names (one id or a list).
fn depends_on(body: &Value, known: &Names) -> Vec<Arc<str>> {
    let ids: Vec<&str> = match body.get("DependsOn") {
        Some(Value::String(one)) => vec![one.as_str()],
        Some(Value::Array(many)) => many.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let mut found: Vec<Arc<str>> = Vec::new();
    for id in ids {
        if let Some(name) = known.get(id)
            && !found.contains(name)
            && found.len() < MAX_DEPENDS_ON
        {
            found.push(Arc::clone(name));
        }
    }
    found
}

/// SAM `Globals` merged under a resource's own properties: the resource wins, mappings merge.
fn merged(defaults: Value, own: &Value, depth: usize) -> Value {
    match (defaults, own) {
        (Value::Object(mut out), Value::Object(own)) if depth < MAX_WALK_DEPTH => {
            for (key, value) in own {
                let value = match out.remove(key) {
                    Some(default) => merged(default, value, depth + 1),
                    None => value.clone(),
                };
                out.insert(key.clone(), value);
            }
            Value::Object(out)
        }
        _ => own.clone(),
    }
}

/// SAM event sources: a reference from the function (or state machine) under `Events.<name>`
/// to what triggers it; schedules and rules, and implicit APIs, become resources of their own.
fn sam_events(
    owner: &str,
    events: &Map<String, Value>,
    walker: &mut Walker<'_>,
    refs: &mut Collected,
    implicit: &mut Vec<Resource>,
) {
    for (name, event) in events {
        let event_type = event.get("Type").and_then(Value::as_str).unwrap_or_default();
        let properties = event.get("Properties").cloned().unwrap_or(Value::Object(Map::new()));
        let path = ["Events".to_owned(), name.clone()];
        let place = format!("Resources.{owner}.Properties.Events.{name}");
        if let Some((_, rule_type)) = SAM_RULE_EVENTS.iter().find(|(t, _)| *t == event_type) {
            let id = format!("{owner}{name}");
            let mut own_refs = Collected::default();
            if let Value::Object(map) = &properties {
                for (key, value) in map {
                    walker.walk(value, &mut vec![key.clone()], &mut own_refs, 0);
                }
            }
            let own_refs = own_refs.finish(&place, &mut walker.warnings);
            refs.add(&mut walker.budget, &path, &Arc::from(id.as_str()));
            implicit.push(Resource {
                id,
                resource_type: (*rule_type).to_owned(),
                props: properties,
                refs: own_refs,
                place,
                boundary: None,
                conditional: false,
                depends_on: Vec::new(),
            });
            continue;
        }
        let implicit_api = match event_type {
            "Api" if properties.get("RestApiId").is_none() => {
                Some(("ServerlessRestApi", "AWS::Serverless::Api"))
            }
            "HttpApi" if properties.get("ApiId").is_none() => {
                Some(("ServerlessHttpApi", "AWS::Serverless::HttpApi"))
            }
            _ => None,
        };
        if let Some((id, api_type)) = implicit_api {
            let target = walker.known.get(id).cloned().unwrap_or_else(|| Arc::from(id));
            if !implicit.iter().any(|r| r.id == id) {
                implicit.push(Resource {
                    id: id.to_owned(),
                    resource_type: api_type.to_owned(),
                    props: Value::Object(Map::new()),
                    refs: Vec::new(),
                    place,
                    boundary: None,
                    conditional: false,
                    depends_on: Vec::new(),
                });
            }
            refs.add(&mut walker.budget, &path, &target);
            continue;
        }
        let before = refs.len();
        let mut event_path = path.to_vec();
        walker.walk(&properties, &mut event_path, refs, 0);
        if refs.len() == before {
            walker.warnings.push_with(|| {
                format!(
                    "{place}: the {} event's source is not in the template; no flow is drawn for it",
                    if event_type.is_empty() { "untyped" } else { event_type }
                )
            });
        }
    }
}

/// A SAM connector names its ends by logical id (`Source: {Id: Fn}`), not by `Ref`.
fn connector_ends(props: &Value, known: &Names, budget: &mut Budget, refs: &mut Collected) {
    for end in ["Source", "Destination"] {
        let ends: Vec<&Value> = match props.get(end) {
            Some(Value::Array(items)) => items.iter().collect(),
            Some(one) => vec![one],
            None => Vec::new(),
        };
        for item in ends {
            if let Some(name) = item.get("Id").and_then(Value::as_str).and_then(|id| known.get(id)) {
                refs.add(budget, &[end, "Id"], name);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn read_json(doc: &Value) -> Source {
        read("t.json", "t".into(), doc, ResourceTypes::builtin().unwrap(), &Copies::default()).unwrap()
    }

    fn targets(resource: &Resource) -> Vec<(String, String)> {
        resource.refs.iter().map(|r| (r.dotted(), r.target.to_string())).collect()
    }

    #[test]
    fn finds_ref_getatt_and_sub_and_keeps_depends_on_apart() {
        let doc = json!({"Resources": {
            "Fn": {"Type": "AWS::Lambda::Function", "DependsOn": ["Table", "Nope"], "Properties": {
                "Role": {"Fn::GetAtt": ["Role", "Arn"]},
                "Environment": {"Variables": {
                    "TABLE": {"Ref": "Table"},
                    "QUEUE": {"Fn::Sub": "${Queue.QueueName}-${AWS::Region}-${!Literal}"},
                    "BUCKET": {"Fn::Sub": ["${B}", {"B": {"Ref": "Bucket"}}]},
                    "PARAM": {"Ref": "SomeParameter"},
                    "ODD": {"Fn::Frobnicate": {"Ref": "Table"}},
                }},
            }},
            "Table": {"Type": "AWS::DynamoDB::Table"},
            "Queue": {"Type": "AWS::SQS::Queue"},
            "Bucket": {"Type": "AWS::S3::Bucket"},
            "Role": {"Type": "AWS::IAM::Role"},
        }});
        let source = read_json(&doc);
        let function = source.resources.iter().find(|r| r.id == "Fn").unwrap();
        let found = targets(function);
        for expected in [
            ("Role", "Role"),
            ("Environment.Variables.TABLE", "Table"),
            ("Environment.Variables.QUEUE", "Queue"),
            ("Environment.Variables.BUCKET", "Bucket"),
            ("Environment.Variables.ODD", "Table"),
        ] {
            assert!(
                found.contains(&(expected.0.to_owned(), expected.1.to_owned())),
                "{expected:?} {found:?}"
            );
        }
        assert_eq!(found.len(), 5, "DependsOn orders deployment, it is no reference: {found:?}");
        let depends: Vec<&str> = function.depends_on.iter().map(|d| &**d).collect();
        assert_eq!(depends, ["Table"], "only resources of the source");
        let warnings = source.warnings.kept();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("Fn::Frobnicate"));
    }

    #[test]
    fn sam_globals_events_and_implicit_apis() {
        let doc = json!({
            "Transform": "AWS::Serverless-2016-10-31",
            "Globals": {"Function": {"Runtime": "python3.12", "Environment": {"Variables": {"A": "1"}}}},
            "Resources": {
                "Fn": {"Type": "AWS::Serverless::Function", "Properties": {
                    "Environment": {"Variables": {"B": "2"}},
                    "Events": {
                        "Get": {"Type": "Api", "Properties": {"Path": "/", "Method": "get"}},
                        "Jobs": {"Type": "SQS", "Properties": {"Queue": {"Fn::GetAtt": ["Queue", "Arn"]}}},
                        "Nightly": {"Type": "Schedule", "Properties": {"Schedule": "rate(1 day)"}},
                        "Iot": {"Type": "IoTRule", "Properties": {"Sql": "SELECT 1"}},
                    },
                }},
                "Queue": {"Type": "AWS::SQS::Queue"},
            },
        });
        let source = read_json(&doc);
        let function = source.resources.iter().find(|r| r.id == "Fn").unwrap();
        assert_eq!(function.props["Runtime"], "python3.12");
        assert_eq!(function.props["Environment"]["Variables"], json!({"A": "1", "B": "2"}));
        let found = targets(function);
        assert!(found.contains(&("Events.Get".into(), "ServerlessRestApi".into())), "{found:?}");
        assert!(found.contains(&("Events.Jobs.Queue".into(), "Queue".into())), "{found:?}");
        assert!(found.contains(&("Events.Nightly".into(), "FnNightly".into())), "{found:?}");
        let ids: Vec<&str> = source.resources.iter().map(|r| r.id.as_str()).collect();
        assert!(ids.contains(&"ServerlessRestApi") && ids.contains(&"FnNightly"), "{ids:?}");
        assert!(source.warnings.kept().iter().any(|w| w.contains("Events.Iot")), "{:?}", source.warnings);
    }

    #[test]
    fn parameters_read_as_their_defaults_or_as_unknown() {
        let doc = json!({
            "Parameters": {
                "Engine": {"Type": "String", "Default": "postgres"},
                "Key": {"Type": "String"},
                "Subnets": {"Type": "List<AWS::EC2::Subnet::Id>"},
                "Zones": {"Type": "CommaDelimitedList", "Default": "a, b"},
                "Ami": {"Type": "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>", "Default": "/aws/ami"},
            },
            "Resources": {"Db": {"Type": "AWS::RDS::DBInstance", "Condition": "IsProd", "Properties": {
                "Engine": {"Ref": "Engine"}, "KmsKeyId": {"Ref": "Key"}, "Subnets": {"Ref": "Subnets"},
                "Zones": {"Ref": "Zones"}, "Image": {"Ref": "Ami"}, "Region": {"Ref": "AWS::Region"},
            }}},
        });
        let source = read_json(&doc);
        let db = &source.resources[0];
        assert!(db.conditional);
        assert_eq!(db.props["Engine"], "postgres");
        assert_eq!(db.props["KmsKeyId"], json!({UNKNOWN: "Key"}));
        assert_eq!(db.props["Subnets"], json!({"Ref": "Subnets"}), "an AWS-typed value is set");
        assert_eq!(db.props["Zones"], json!(["a", "b"]));
        assert_eq!(db.props["Image"], json!({"Ref": "Ami"}), "an SSM parameter's default is its name");
        assert_eq!(db.props["Region"], json!({"Ref": "AWS::Region"}));
        // References are found before parameters are read.
        assert_eq!(targets(db), vec![("Subnets".to_owned(), "Subnets".to_owned())]);
    }

    #[test]
    fn name_clashes_are_warnings() {
        let doc = json!({
            "Transform": "AWS::Serverless-2016-10-31",
            "Parameters": {"Queue": {"Type": "String"}},
            "Resources": {
                "Queue": {"Type": "AWS::SQS::Queue"},
                "Fn": {"Type": "AWS::Serverless::Function", "Properties": {"Events": {
                    "Nightly": {"Type": "Schedule", "Properties": {"Schedule": "rate(1 day)"}}}}},
                "FnNightly": {"Type": "AWS::SNS::Topic"},
            },
        });
        let source = read_json(&doc);
        let warnings = source.warnings.kept().join("\n");
        assert!(
            warnings.contains("Parameters.Queue: a parameter and a resource are both named Queue"),
            "{warnings}"
        );
        assert!(
            warnings.contains("Events.Nightly: SAM names what it creates for this event FnNightly"),
            "{warnings}"
        );
        let nightly: Vec<&Resource> = source.resources.iter().filter(|r| r.id == "FnNightly").collect();
        assert_eq!(nightly.len(), 1);
        assert_eq!(nightly[0].resource_type, "AWS::SNS::Topic");
    }

    #[test]
    fn boundary_parameters_and_structure_errors() {
        let doc = json!({
            "Parameters": {"Subnets": {"Type": "List<AWS::EC2::Subnet::Id>"}, "Name": {"Type": "String"}},
            "Resources": {"Fn": {"Type": "AWS::Lambda::Function", "Properties": {
                "VpcConfig": {"SubnetIds": {"Ref": "Subnets"}, "Other": {"Ref": "Name"}}
            }}},
        });
        let source = read_json(&doc);
        assert!(source.resources.iter().any(|r| r.id == "Subnets" && r.boundary.is_some()));
        assert_eq!(targets(&source.resources[0]), vec![("VpcConfig.SubnetIds".into(), "Subnets".into())]);
        assert_eq!(source.resources[0].props["VpcConfig"]["Other"], json!({UNKNOWN: "Name"}));
        let error = read(
            "t.json",
            "t".into(),
            &json!({"Resources": []}),
            ResourceTypes::builtin().unwrap(),
            &Copies::default(),
        );
        assert!(matches!(error, Err(ImportError::Structure { .. })));
    }

    #[test]
    fn sub_names_skip_literals_and_pseudo_parameters() {
        assert_eq!(sub_names("${A}/${B.Arn}/${!C}/${AWS::Region}/${ D }"), vec!["A", "B", "D"]);
        assert_eq!(sub_names("${unclosed"), Vec::<&str>::new());
    }
}
