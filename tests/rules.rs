//! The graph rules on the probe designs of the domain review (§6.2) and on the shipped examples:
//! each finding lands where the fix belongs, with the severity the review calls for, and no
//! control is asked for twice in one scope.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "test helpers fail loudly")]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use whoowns::catalog::{Catalog, Severity};
use whoowns::checklist::{Derivation, Subject, Task, derive};
use whoowns::model::{BoundaryKind, Project};
use whoowns::view::ModelView;

/// A design from a compact description: nodes `id:service[:flags]`, flows `from>to[:protocol]`.
/// Flags: `public` (internet-facing), `conf`/`restricted`/`open` (data class), `plain`
/// (for flows: marked unencrypted).
fn design(nodes: &[&str], flows: &[&str]) -> Project {
    let mut text = String::from("Project(version: 2, nodes: [");
    for node in nodes {
        let mut parts = node.split(':');
        let (id, service) = (parts.next().unwrap(), parts.next().unwrap());
        text.push_str(&format!("Node(id: \"{id}\", service: \"{service}\""));
        for flag in parts {
            text.push_str(match flag {
                "public" => ", internet_facing: true",
                "conf" => ", data: confidential",
                "restricted" => ", data: restricted",
                "open" => ", data: public",
                other => panic!("unknown flag {other}"),
            });
        }
        text.push_str("), ");
    }
    text.push_str("], flows: [");
    for (i, flow) in flows.iter().enumerate() {
        let (ends, protocol) = flow.split_once(':').unwrap_or((flow, ""));
        let (from, to) = ends.split_once('>').unwrap();
        let (protocol, plain) = match protocol.strip_suffix(" plain") {
            Some(p) => (p, true),
            None => (protocol, false),
        };
        text.push_str(&format!(
            "Flow(id: \"f{i}\", from: \"{from}\", to: \"{to}\", protocol: \"{protocol}\""
        ));
        if plain {
            text.push_str(", encrypted_in_transit: false");
        }
        text.push_str("), ");
    }
    text.push_str("])");
    whoowns::io::parse(Path::new("probe.ron"), text.as_bytes(), Catalog::builtin()).unwrap().project
}

fn rule_keys(derivation: &Derivation) -> Vec<&str> {
    derivation.tasks.iter().filter(|t| t.key.starts_with("rule/")).map(|t| t.key.as_str()).collect()
}

fn task<'a>(derivation: &'a Derivation, key: &str) -> &'a Task {
    derivation.task(key).unwrap_or_else(|| panic!("no task {key}: {:?}", rule_keys(derivation)))
}

#[test]
fn a_public_load_balancer_without_a_waf_is_pointed_out_on_its_own_waf_task() {
    let project = design(
        &["internet:internet", "alb:elb:public", "web:ec2", "db:rds"],
        &["internet>alb", "alb>web", "web>db"],
    );
    let derivation = derive(&project, Catalog::builtin());
    let waf = task(&derivation, "alb/elb.attach_waf");
    assert!(waf.detail.contains("No web filter"), "{}", waf.detail);
    assert!(
        rule_keys(&derivation).iter().all(|k| !k.starts_with("rule/exposed")),
        "{:?}",
        rule_keys(&derivation)
    );
}

#[test]
fn a_server_reached_from_the_internet_is_the_finding_not_the_database_behind_it() {
    let project = design(
        &["internet:internet", "web:ec2:public", "db:rds"],
        &["internet>web:SSH", "web>db:PostgreSQL"],
    );
    let derivation = derive(&project, Catalog::builtin());
    let exposed = task(&derivation, "rule/exposed_compute/web");
    assert_eq!(exposed.severity(), Severity::High);
    assert!(!exposed.template.title.contains("WAF in front of"), "advice that can be followed");
    assert!(derivation.task("rule/exposed_data_store/db").is_none());
}

#[test]
fn a_public_bucket_of_public_data_is_no_finding() {
    let project = design(&["users:users", "site:s3:open"], &["users>site:HTTPS"]);
    assert!(rule_keys(&derive(&project, Catalog::builtin())).iter().all(|k| !k.starts_with("rule/exposed")));
}

#[test]
fn a_function_url_is_the_finding_not_the_table_behind_it() {
    let project =
        design(&["users:users", "fn:lambda:public", "table:dynamodb"], &["users>fn:HTTPS", "fn>table:HTTPS"]);
    let derivation = derive(&project, Catalog::builtin());
    assert!(derivation.task("rule/exposed_compute/fn").is_some());
    assert!(derivation.task("rule/exposed_data_store/table").is_none());
}

#[test]
fn desktops_are_an_access_point_that_ends_the_path() {
    let project = design(
        &["users:users", "desk:workspaces", "db:rds", "files:s3"],
        &["users>desk", "desk>db", "desk>files"],
    );
    assert!(rule_keys(&derive(&project, Catalog::builtin())).iter().all(|k| !k.starts_with("rule/exposed")));
}

#[test]
fn a_waf_in_front_of_a_database_does_not_hide_it() {
    let project = design(&["internet:internet", "acl:waf", "db:rds"], &["internet>acl", "acl>db"]);
    assert!(derive(&project, Catalog::builtin()).task("rule/exposed_data_store/db").is_some());
}

#[test]
fn plaintext_to_on_premises_is_found_outside_every_boundary() {
    let project = design(&["office:on_premises", "bucket:s3:restricted"], &["office>bucket:HTTP plain"]);
    let derivation = derive(&project, Catalog::builtin());
    let flow = task(&derivation, "rule/unencrypted_boundary_flow/f0");
    assert!(flow.detail.contains("leaves AWS"), "{}", flow.detail);
}

#[test]
fn an_http_flow_from_users_is_plaintext_without_a_flag() {
    let project = design(&["users:users", "web:ec2"], &["users>web:HTTP"]);
    let derivation = derive(&project, Catalog::builtin());
    assert_eq!(task(&derivation, "rule/unencrypted_public_flow/f0").severity(), Severity::High);
}

#[test]
fn a_plaintext_flow_out_of_a_vpc_is_found_and_one_inside_is_not() {
    let mut project =
        design(&["fn:lambda", "table:dynamodb", "db:rds"], &["fn>table:plaintext", "fn>db:PostgreSQL plain"]);
    let mut vpc = whoowns::model::Boundary::new("vpc", BoundaryKind::Vpc);
    vpc.members = vec!["fn".into(), "db".into()];
    project.boundaries.push(vpc);
    let derivation = derive(&project, Catalog::builtin());
    assert!(derivation.task("rule/unencrypted_boundary_flow/f0").is_some());
    assert!(derivation.task("rule/unencrypted_boundary_flow/f1").is_none(), "same VPC");
}

#[test]
fn confidential_data_on_default_encrypted_stores_is_a_medium_key_question_once() {
    let project = design(&["table:dynamodb:conf", "bucket:s3:conf", "db:rds:conf"], &[]);
    let derivation = derive(&project, Catalog::builtin());
    for (node, severity) in
        [("table", Severity::Medium), ("bucket", Severity::Medium), ("db", Severity::Critical)]
    {
        let flagged: Vec<&Task> = derivation
            .tasks
            .iter()
            .filter(|t| t.subject.concerns_node(node) && t.detail.contains("data."))
            .collect();
        assert_eq!(flagged.len(), 1, "{node}: one task for the concern");
        assert_eq!(flagged[0].severity(), severity, "{node}");
    }
}

/// The scopes a task belongs to for "one task per control": its account, and its node.
fn control_scopes(task: &Task, project: &Project, view: &ModelView) -> Vec<String> {
    let account_of = |node: &str| {
        view.node_index(node)
            .and_then(|i| view.enclosing(i, BoundaryKind::Account))
            .map_or_else(|| "(outside)".to_owned(), |b| project.boundaries[b].id.clone())
    };
    match &task.subject {
        Subject::Account(account) => vec![format!("account {}", account.as_deref().unwrap_or("(outside)"))],
        Subject::Node(node) => vec![format!("account {}", account_of(node)), format!("node {node}")],
        Subject::Flow { flow, .. } => vec![format!("flow {flow}")],
    }
}

#[test]
fn no_control_is_asked_for_twice_in_one_scope_in_any_example() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "ron") {
            continue;
        }
        let project = whoowns::io::load(&path, Catalog::builtin()).unwrap().project;
        let view = ModelView::build(&project);
        let derivation = derive(&project, Catalog::builtin());
        // Account-scoped controls are checked against the account's tasks and every node in
        // it; node-scoped ones within the node.
        let mut seen: BTreeMap<(String, String), &str> = BTreeMap::new();
        let account_controls: BTreeSet<&str> = derivation
            .tasks
            .iter()
            .filter(|t| matches!(t.subject, Subject::Account(_)))
            .flat_map(|t| t.template.controls.iter().map(String::as_str))
            .collect();
        for task in derivation.remaining() {
            for control in &task.template.controls {
                let scopes = control_scopes(task, &project, &view);
                let scope = if account_controls.contains(control.as_str()) {
                    &scopes[0]
                } else {
                    scopes.last().unwrap()
                };
                if let Some(other) = seen.insert((scope.clone(), control.clone()), &task.key) {
                    panic!("{}: {control} on {other} and {} in {scope}", path.display(), task.key);
                }
            }
        }
    }
}
