//! From resources and references to a project: nodes with their services, variants and
//! exposure; boundaries with parents and members; flows; tasks the properties settle.
//!
//! Every pass is linear or near-linear in the resources and references of the source (sets and
//! maps, never rescans of growing lists), so a source of tens of thousands of resources imports in
//! seconds.

mod flows;
mod ids;
mod nodes;
mod physical;
mod places;
mod roles;

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::Value;

use super::report::Warnings;
use super::source::{Reference, Resource, Source};
use super::types::{ResourceTypes, TypeRule};
use super::{ImportReport, SourceFormat, UnknownResource};
use crate::catalog::{Catalog, Service};
use crate::checklist::{self, Origin};
use crate::model::{Boundary, BoundaryKind, Flow, Node, Project, TaskState, TaskStatus, slug};
use ids::Ids;
use places::Placement;
use roles::{Role, Roles};

/// How many flows without a known protocol the report names.
const UNKNOWN_PROTOCOL_LISTED: usize = 5;

/// Everything the passes share.
pub(super) struct Ctx<'a> {
    resources: &'a [Resource],
    rules: Vec<Option<&'a TypeRule>>,
    roles: Roles,
    index: HashMap<&'a str, usize>,
    types: &'a ResourceTypes,
}

impl Ctx<'_> {
    fn props(&self, i: usize) -> &Value {
        &self.resources[i].props
    }

    /// The resource `reference` names, by index.
    fn target(&self, reference: &Reference) -> Option<usize> {
        self.index.get(&*reference.target).copied()
    }

    /// Whether resource `i`'s rule ignores `reference` (neither flow nor containment).
    fn ignored(&self, i: usize, reference: &Reference) -> bool {
        self.rules[i].is_some_and(|rule| rule.ignore.iter().any(|p| reference.is_under(p)))
    }
}

/// Turns a parsed source into a project and a report.
pub(super) fn assemble(
    source: &Source,
    source_name: &str,
    types: &ResourceTypes,
    catalog: &'static Catalog,
) -> (Project, ImportReport) {
    let terraform = source.format == SourceFormat::Terraform;
    let table = types.rules(terraform);
    let rules: Vec<Option<&TypeRule>> = source
        .resources
        .iter()
        .map(|r| {
            if r.boundary.is_some() {
                None
            } else if !terraform && r.resource_type.starts_with("Custom::") {
                table.get("AWS::CloudFormation::CustomResource")
            } else {
                table.get(&r.resource_type)
            }
        })
        .collect();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, resource) in source.resources.iter().enumerate() {
        index.entry(resource.id.as_str()).or_insert(i);
    }
    let mut warnings = source.warnings.clone();
    let roles = roles::assign(
        &roles::Input { resources: &source.resources, rules: &rules, index: &index, catalog },
        &mut warnings,
    );
    let ctx = Ctx { resources: &source.resources, rules, roles, index, types };
    let contributors = roles::contributors(&ctx.roles);
    let parts_of = |n: usize| contributors.get(&n).map_or(&[][..], Vec::as_slice);

    let placement = Placement::of(&ctx, &contributors);
    // What the nodes are and the tasks their resources settle come first: a node that refuses
    // plaintext (a parameter group forcing TLS) makes the flows to it encrypted.
    let mut services: HashMap<usize, &Service> = HashMap::new();
    let mut settled: HashMap<usize, BTreeMap<String, Vec<String>>> = HashMap::new();
    for &n in &placement.nodes {
        if let Some(service) = nodes::node_service(&ctx, catalog, n) {
            services.insert(n, service);
            settled.insert(n, nodes::settled_checks(&ctx, parts_of(n), n));
        }
    }
    let tls: Vec<bool> = (0..ctx.resources.len())
        .map(|i| {
            let task = ctx.rules[i].and_then(|rule| rule.tls_enforced_by.as_deref());
            task.is_some_and(|task| settled.get(&i).is_some_and(|tasks| tasks.contains_key(task)))
        })
        .collect();
    let (flows, flow_notes) = flows::build(&ctx, &placement.members, &tls);

    // Ids: nodes, then boundaries, then flows.
    let mut ids = Ids::default();
    let mut node_id: HashMap<usize, String> = HashMap::new();
    for &n in &placement.nodes {
        node_id.insert(n, ids.fresh(&ids::stem(&ctx.resources[n].id, terraform)));
    }
    let mut boundary_id: HashMap<usize, String> = HashMap::new();
    for &b in &placement.boundaries {
        boundary_id.insert(b, ids.fresh(&ids::stem(&ctx.resources[b].id, terraform)));
    }

    let mut project = Project::named(source.name.clone());
    let mut report = ImportReport::new(source_name, source.format);
    for &n in &placement.nodes {
        let Some(service) = services.get(&n) else { continue };
        let parts = parts_of(n);
        let (variant, variant_note) = nodes::node_variant(&ctx, service, parts);
        let mut node = Node::new(node_id.get(&n).cloned().unwrap_or_default(), service.id.clone());
        node.variant = variant;
        node.label.clone_from(&ctx.resources[n].id);
        node.internet_facing = nodes::internet_facing(&ctx, parts, placement.of_node(n), n);
        node.notes = nodes::node_notes(&ctx, parts, variant_note);
        node.resources = physical::resources_of(&ctx, n, terraform);
        project.nodes.push(node);
    }

    let created: HashSet<String> = project.nodes.iter().map(|n| n.id.clone()).collect();
    let has_content = !project.nodes.is_empty() || !placement.boundaries.is_empty();
    let account_id = has_content.then(|| ids.fresh(&format!("{}-account", slug(&source.name))));
    for &b in &placement.boundaries {
        let Role::Boundary(kind) = ctx.roles.role[b] else { continue };
        let mut boundary = Boundary::new(boundary_id.get(&b).cloned().unwrap_or_default(), kind);
        boundary.label = places::boundary_label(&ctx.resources[b]);
        boundary.parent =
            placement.parent.get(&b).and_then(|p| boundary_id.get(p)).cloned().or_else(|| account_id.clone());
        boundary.members = placement
            .members
            .get(&b)
            .into_iter()
            .flatten()
            .filter_map(|n| node_id.get(n))
            .filter(|id| created.contains(id.as_str()))
            .cloned()
            .collect();
        project.boundaries.push(boundary);
    }
    if let Some(account_id) = &account_id {
        let mut account = Boundary::new(account_id.clone(), BoundaryKind::Account);
        account.label = display_name(source_name);
        account.members = placement
            .nodes
            .iter()
            .filter(|&&n| placement.of_node(n).is_empty())
            .filter_map(|n| node_id.get(n))
            .filter(|id| created.contains(id.as_str()))
            .cloned()
            .collect();
        project.boundaries.insert(0, account);
    }

    let mut unknown_protocol: Vec<String> = Vec::new();
    for draft in &flows.drafts {
        let (Some(from), Some(to)) = (node_id.get(&draft.from), node_id.get(&draft.to)) else { continue };
        if !created.contains(from.as_str()) || !created.contains(to.as_str()) {
            continue;
        }
        let mut flow = Flow::new(ids.fresh(&ids::flow_stem(from, to)), from.clone(), to.clone());
        flow.protocol.clone_from(&draft.protocol);
        // What no protocol or port says is encrypted is not assumed to be.
        flow.encrypted_in_transit = Some(draft.encrypted.unwrap_or(false));
        if draft.encrypted.is_none() {
            unknown_protocol
                .push(format!("{} → {}", ctx.resources[draft.from].id, ctx.resources[draft.to].id));
        }
        flow.label.clone_from(&draft.label);
        project.flows.push(flow);
    }
    if let Some(reason) = &flows.capped {
        warnings.push(reason.clone());
    }
    if !unknown_protocol.is_empty() {
        let count = unknown_protocol.len();
        let mut listed: Vec<String> = unknown_protocol.into_iter().take(UNKNOWN_PROTOCOL_LISTED).collect();
        if count > UNKNOWN_PROTOCOL_LISTED {
            listed.push(format!("and {} more", count - UNKNOWN_PROTOCOL_LISTED));
        }
        warnings.push(format!(
            "{count} flow{} with no known protocol, marked unencrypted until you say otherwise: {}",
            if count == 1 { "" } else { "s" },
            listed.join(", ")
        ));
    }

    mark_settled_tasks(
        &mut project,
        &mut report,
        catalog,
        source.note_prefix,
        &placement.nodes,
        &node_id,
        &settled,
    );
    describe(&ctx, source, source_name, &mut project, &mut report, flow_notes, warnings);
    (project, report)
}

/// Marks done the settled tasks that are tasks of the derived checklist (the node's service has
/// the template, for its variant, in a layer the customer has a part in).
fn mark_settled_tasks(
    project: &mut Project,
    report: &mut ImportReport,
    catalog: &'static Catalog,
    note_prefix: &str,
    nodes: &[usize],
    node_id: &HashMap<usize, String>,
    settled: &HashMap<usize, BTreeMap<String, Vec<String>>>,
) {
    if settled.values().all(BTreeMap::is_empty) {
        return;
    }
    let derivation = checklist::derive(project, catalog);
    let derived: HashSet<&str> =
        derivation.tasks.iter().filter(|t| t.origin == Origin::Service).map(|t| t.key.as_str()).collect();
    let service_of: HashMap<&str, &str> =
        project.nodes.iter().map(|n| (n.id.as_str(), n.service.as_str())).collect();
    let mut marked: BTreeMap<String, TaskState> = BTreeMap::new();
    for n in nodes {
        let (Some(id), Some(tasks)) = (node_id.get(n), settled.get(n)) else { continue };
        let Some(service) = service_of.get(id.as_str()) else { continue };
        for (task, places) in tasks {
            let key = format!("{id}/{service}.{task}");
            if derived.contains(key.as_str()) {
                let note = format!("{note_prefix}: {}", places.join("; "));
                marked.insert(key, TaskState { status: TaskStatus::Done, note, ..TaskState::default() });
            }
        }
    }
    for (key, state) in marked {
        report.satisfied.push(format!("{key}: {}", state.note));
        project.tasks.insert(key, state);
    }
}

/// The report's lists and the project's description: what was not imported, folded, skipped.
fn describe(
    ctx: &Ctx<'_>,
    source: &Source,
    source_name: &str,
    project: &mut Project,
    report: &mut ImportReport,
    flow_notes: flows::FlowNotes,
    mut warnings: Warnings,
) {
    let mut not_imported: Vec<String> = Vec::new();
    for (i, resource) in ctx.resources.iter().enumerate() {
        match &ctx.roles.role[i] {
            Role::Unknown => {
                report.unknown.push(UnknownResource {
                    id: resource.id.clone(),
                    resource_type: resource.resource_type.clone(),
                });
                not_imported.push(format!("{} ({})", resource.id, resource.resource_type));
            }
            Role::Fold(_) => {
                let owners: Vec<&str> =
                    ctx.roles.owners[i].iter().map(|&o| ctx.resources[o].id.as_str()).collect();
                report.folded.push(format!("{} folded into {}", resource.described(), owners.join(", ")));
            }
            Role::Orphan => {
                warnings.push_with(|| {
                    format!("{}: what it configures is not in the source; not imported", resource.described())
                });
                not_imported.push(format!("{} ({})", resource.id, resource.resource_type));
            }
            Role::Skip(reason) => {
                report.skipped.push(format!("{} ({}): {reason}", resource.id, resource.resource_type));
            }
            Role::Node | Role::Boundary(_) | Role::Link => {}
        }
    }
    report.folded.extend(flow_notes.linked);
    for (id, resource_type, why) in flow_notes.unlinked {
        warnings.push_with(|| format!("{id} ({resource_type}): {why}; no flow"));
        not_imported.push(format!("{id} ({resource_type})"));
    }
    report.skipped.extend(flow_notes.skipped);
    report.skipped.extend(source.skipped.iter().cloned());
    (report.warnings, report.omitted_warnings) = warnings.finish();

    let mut description = source.description.trim().to_owned();
    if !description.is_empty() {
        description.push_str("\n\n");
    }
    description.push_str(&format!("Imported from {} by whoowns.", display_name(source_name)));
    if !not_imported.is_empty() {
        description.push_str(&format!("\n\nNot imported: {}.", not_imported.join(", ")));
    }
    project.description = description;
    report.nodes = project.nodes.len();
    report.flows = project.flows.len();
    report.boundaries = project.boundaries.len();
}

/// The file name of a source, without its folders: project files should not carry local paths.
fn display_name(source_name: &str) -> String {
    std::path::Path::new(source_name)
        .file_name()
        .map_or_else(|| source_name.to_owned(), |name| name.to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::catalog::Catalog;
    use crate::import::import_str;
    use crate::model::Project;

    fn project(template: &serde_json::Value) -> Project {
        import_str("t.json", &template.to_string(), Catalog::builtin()).unwrap().project
    }

    fn flows(project: &Project) -> Vec<(String, String, String, bool)> {
        let mut out: Vec<_> = project
            .flows
            .iter()
            .map(|f| (f.from.clone(), f.to.clone(), f.protocol.clone(), f.encrypted_in_transit == Some(true)))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn folds_follow_chains_to_the_node() {
        let project = project(&json!({"Resources": {
            "Lb": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Scheme": "internal"}},
            "Listener": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {"LoadBalancerArn": {"Ref": "Lb"}}},
            "Rule": {"Type": "AWS::ElasticLoadBalancingV2::ListenerRule", "Properties": {
                "ListenerArn": {"Ref": "Listener"}, "Actions": [{"TargetGroupArn": {"Ref": "Tg"}}]}},
            "Tg": {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": {
                "Protocol": "HTTPS", "Targets": [{"Id": {"Ref": "Fn"}}]}},
            "Fn": {"Type": "AWS::Lambda::Function"},
        }}));
        assert_eq!(project.nodes.len(), 2);
        assert!(!project.node("lb").unwrap().internet_facing, "an internal scheme");
        assert_eq!(flows(&project), vec![("lb".into(), "fn".into(), "HTTPS".into(), true)]);
        assert!(project.node("lb").unwrap().notes.contains("Tg (TargetGroup)"));
    }

    #[test]
    fn egress_rules_flow_from_the_group_and_ports_name_protocols() {
        let project = project(&json!({"Resources": {
            "App": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"SecurityGroupEgress": [
                {"DestinationSecurityGroupId": {"Ref": "Cache"}, "FromPort": 6379, "ToPort": 6379},
                {"DestinationSecurityGroupId": {"Ref": "Cache"}, "FromPort": 0, "ToPort": 65535},
            ]}},
            "Cache": {"Type": "AWS::EC2::SecurityGroup"},
            "Old": {"Type": "AWS::EC2::SecurityGroupIngress", "Properties": {
                "GroupId": {"Ref": "App"}, "SourceSecurityGroupId": {"Ref": "Cache"}, "FromPort": 21, "ToPort": 21}},
            "Web": {"Type": "AWS::EC2::Instance", "Properties": {"SecurityGroupIds": [{"Ref": "App"}]}},
            "Redis": {"Type": "AWS::ElastiCache::CacheCluster", "Properties": {
                "Engine": "redis", "VpcSecurityGroupIds": [{"Ref": "Cache"}]}},
        }}));
        assert_eq!(
            flows(&project),
            vec![
                ("redis".into(), "web".into(), "FTP".into(), false),
                ("web".into(), "redis".into(), "Redis".into(), false),
            ]
        );
        assert_eq!(project.flow("web-redis").unwrap().label, "port 6379");
    }

    #[test]
    fn variants_prefer_explicit_proposals_and_the_cautious_one() {
        let project = project(&json!({"Resources": {
            "Service": {"Type": "AWS::ECS::Service", "Properties": {"TaskDefinition": {"Ref": "Task"}}},
            "Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"RequiresCompatibilities": ["FARGATE"]}},
            "Batch": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"RequiresCompatibilities": ["EC2"]}},
            "Mixed": {"Type": "AWS::ECS::Service", "Properties": {"LaunchType": "EC2", "TaskDefinition": {"Ref": "Both"}}},
            "Both": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"RequiresCompatibilities": ["FARGATE"]}},
        }}));
        let variant = |id: &str| project.node(id).unwrap().variant.clone().unwrap_or_default();
        assert_eq!(variant("service"), "fargate", "the task definition decides when the service does not");
        assert_eq!(variant("batch"), "ec2", "a task definition no service runs is a node");
        assert_eq!(variant("mixed"), "ec2", "EC2 launch type: the customer owns more");
        assert!(project.node("mixed").unwrap().notes.contains("Variants found: ec2 (Mixed), fargate (Both)"));
    }
}
