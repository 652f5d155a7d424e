//! Specifications of the derivation, on small hand-built projects.

use super::*;
use crate::catalog::Catalog;
use crate::model::{Boundary, BoundaryKind, DataClass, Flow, Node, Project, TaskState};

fn catalog() -> &'static Catalog {
    Catalog::builtin()
}

fn node(id: &str, service: &str) -> Node {
    Node::new(id, service)
}

fn keys(derivation: &Derivation) -> Vec<&str> {
    derivation.tasks.iter().map(|t| t.key.as_str()).collect()
}

fn has_task(derivation: &Derivation, key: &str) -> bool {
    derivation.tasks.iter().any(|t| t.key == key)
}

#[test]
fn ec2_gets_os_patching_and_lambda_does_not() {
    let mut project = Project::default();
    project.nodes.push(node("web", "ec2"));
    project.nodes.push(node("fn", "lambda"));
    let derivation = derive(&project, catalog());
    assert!(has_task(&derivation, "web/ec2.patch_guest_os"));
    assert!(
        !derivation.tasks.iter().any(|t| t.subject.concerns_node("fn") && t.layer() == Layer::GuestOs),
        "Lambda's guest OS is AWS's"
    );
}

#[test]
fn every_node_task_is_on_a_layer_the_customer_owns_or_shares() {
    let mut project = Project::default();
    for service in &catalog().services {
        project.nodes.push(node(&format!("n-{}", service.id), &service.id));
    }
    let derivation = derive(&project, catalog());
    for task in derivation.tasks.iter().filter(|t| t.origin == Origin::Service) {
        let Subject::Node(id) = &task.subject else { panic!("service task without a node") };
        let index = project.nodes.iter().position(|n| n.id == **id).unwrap();
        let owner = derivation.owners[index].unwrap().get(task.layer());
        assert!(owner.involves_customer(), "{} on a layer owned by {owner}", task.key);
    }
}

#[test]
fn switching_ecs_to_fargate_hands_the_guest_os_to_aws() {
    let mut project = Project::default();
    project.nodes.push(node("svc", "ecs"));
    let on_ec2 = derive(&project, catalog());
    assert_eq!(on_ec2.owners[0].unwrap().get(Layer::GuestOs), crate::responsibility::Owner::Customer);
    assert!(has_task(&on_ec2, "svc/ecs.patch_container_instances"));
    project.nodes[0].variant = Some("fargate".into());
    let on_fargate = derive(&project, catalog());
    assert_eq!(on_fargate.owners[0].unwrap().get(Layer::GuestOs), crate::responsibility::Owner::Aws);
    assert!(!has_task(&on_fargate, "svc/ecs.patch_container_instances"));
    assert!(has_task(&on_fargate, "svc/ecs.fargate_latest_platform"));
}

#[test]
fn summary_counts_services_not_actors() {
    let mut project = Project::default();
    project.nodes.push(node("internet", "internet"));
    project.nodes.push(node("web", "ec2"));
    project.nodes.push(node("fn", "lambda"));
    let derivation = derive(&project, catalog());
    assert_eq!(derivation.summary.services, 2);
    let guest = derivation.summary.counts(Layer::GuestOs);
    assert_eq!((guest.aws, guest.customer), (1, 1));
    assert_eq!(derivation.summary.counts(Layer::Physical).aws, 2);
}

#[test]
fn account_tasks_appear_once_with_any_service_and_not_for_actors_alone() {
    let mut project = Project::default();
    project.nodes.push(node("internet", "internet"));
    assert!(derive(&project, catalog()).tasks.is_empty());
    project.nodes.push(node("a", "s3"));
    project.nodes.push(node("b", "s3"));
    let derivation = derive(&project, catalog());
    let account: Vec<_> = keys(&derivation).into_iter().filter(|k| *k == "account/config_enabled").collect();
    assert_eq!(account.len(), 1);
    assert!(has_task(&derivation, "rule/no_cloudtrail"));
    project.nodes.push(node("trail", "cloudtrail"));
    assert!(!has_task(&derive(&project, catalog()), "rule/no_cloudtrail"));
}

#[test]
fn account_tasks_with_services_need_one_of_them_drawn() {
    let mut project = Project::default();
    project.nodes.push(node("table", "dynamodb"));
    let derivation = derive(&project, catalog());
    assert!(has_task(&derivation, "account/root_user"), "an account task without services is always there");
    assert!(!has_task(&derivation, "account/ebs_default_encryption"), "no EBS-backed service is drawn");
    assert!(
        !has_task(&derivation, "account/cloudtrail_multi_region"),
        "no trail is drawn: the rule asks for one"
    );
    project.nodes.push(node("web", "ec2"));
    project.nodes.push(node("web2", "ec2"));
    let derivation = derive(&project, catalog());
    let ebs: Vec<_> =
        keys(&derivation).into_iter().filter(|k| *k == "account/ebs_default_encryption").collect();
    assert_eq!(ebs, ["account/ebs_default_encryption"], "once per account, however many instances");
}

#[test]
fn no_control_is_on_two_tasks_of_one_node_or_of_the_account() {
    // Every service once, each variant of it once: the worst case for duplicates.
    let mut project = Project::default();
    for service in &catalog().services {
        project.nodes.push(node(&format!("n-{}", service.id), &service.id));
        for variant in &service.variants {
            let mut n = node(&format!("n-{}-{}", service.id, variant.id), &service.id);
            n.variant = Some(variant.id.clone());
            project.nodes.push(n);
        }
    }
    let derivation = derive(&project, catalog());
    let mut scopes: std::collections::HashMap<String, Vec<&str>> = std::collections::HashMap::new();
    for task in &derivation.tasks {
        let scope = match &task.subject {
            Subject::Account(account) => format!("account {account:?}"),
            Subject::Node(id) => id.to_string(),
            Subject::Flow { flow, .. } => flow.to_string(),
        };
        for control in &task.template.controls {
            let seen = scopes.entry(scope.clone()).or_default();
            assert!(!seen.contains(&control.as_str()), "{control} twice in {scope} ({})", task.key);
            seen.push(control);
        }
    }
}

#[test]
fn exposure_lands_on_the_first_node_where_the_fix_belongs() {
    let mut project = Project::default();
    project.nodes.push(node("internet", "internet"));
    project.nodes.push(node("web", "ec2"));
    project.nodes.push(node("db", "rds"));
    project.flows.push(Flow::new("f1", "internet", "web"));
    project.flows.push(Flow::new("f2", "web", "db"));
    let derivation = derive(&project, catalog());
    let task = derivation.task("rule/exposed_compute/web").expect("the exposed server");
    assert_eq!(task.severity(), Severity::High);
    assert!(task.detail.contains("internet → web"), "{}", task.detail);
    assert!(!has_task(&derivation, "rule/exposed_data_store/db"), "the database is behind the server");

    // Put a load balancer in front: the server is no longer reached directly, and the load
    // balancer's own WAF task says it is reached from the internet with no WAF.
    project.nodes.push(node("lb", "elb"));
    project.flows[0].to = "lb".into();
    project.flows.push(Flow::new("f3", "lb", "web"));
    let derivation = derive(&project, catalog());
    assert!(!has_task(&derivation, "rule/exposed_compute/web"));
    let waf_task = derivation.task("lb/elb.attach_waf").expect("the load balancer's WAF task");
    assert!(waf_task.detail.contains("No web filter"), "{}", waf_task.detail);
    assert!(!has_task(&derivation, "rule/front_door_without_waf/lb"), "one task per control");

    // Draw a WAF feeding it: the design satisfies the task, with the reason.
    project.nodes.push(node("acl", "waf"));
    project.flows[0].to = "acl".into();
    project.flows.push(Flow::new("f4", "acl", "lb"));
    let derivation = derive(&project, catalog());
    let waf_task = derivation.task("lb/elb.attach_waf").unwrap();
    assert_eq!(waf_task.status, TaskStatus::Done);
    assert!(waf_task.by_design.as_deref().is_some_and(|r| r.contains("acl")), "{:?}", waf_task.by_design);
    assert!(!has_task(&derivation, "rule/exposed_compute/web"));
}

#[test]
fn a_waf_in_front_of_a_database_does_not_hide_it() {
    let mut project = Project::default();
    project.nodes.push(node("internet", "internet"));
    project.nodes.push(node("acl", "waf"));
    project.nodes.push(node("db", "rds"));
    project.flows.push(Flow::new("f1", "internet", "acl"));
    project.flows.push(Flow::new("f2", "acl", "db"));
    let derivation = derive(&project, catalog());
    let task = derivation.task("rule/exposed_data_store/db").expect("WAF cannot front a database");
    assert!(task.detail.contains("internet → acl → db"), "{}", task.detail);
}

#[test]
fn access_points_end_a_path_and_public_data_is_no_finding() {
    let mut project = Project::default();
    project.nodes.push(node("users", "users"));
    project.nodes.push(node("desk", "workspaces"));
    project.nodes.push(node("files", "s3"));
    let mut site = node("site", "s3");
    site.data = DataClass::Public;
    project.nodes.push(site);
    project.flows.push(Flow::new("f1", "users", "desk"));
    project.flows.push(Flow::new("f2", "desk", "files"));
    project.flows.push(Flow::new("f3", "users", "site"));
    let derivation = derive(&project, catalog());
    assert!(!derivation.tasks.iter().any(|t| t.key.starts_with("rule/exposed")), "{:?}", keys(&derivation));
}

#[test]
fn internet_facing_data_store_is_exposed_by_itself() {
    let mut project = Project::default();
    let mut db = node("db", "rds");
    db.internet_facing = true;
    db.data = DataClass::Confidential;
    project.nodes.push(db);
    let task = derive(&project, catalog()).task("rule/exposed_data_store/db").cloned().expect("exposed");
    assert_eq!(task.severity(), Severity::Critical, "confidential data");
}

#[test]
fn unencrypted_flows_touching_users_or_leaving_a_vpc_are_flagged() {
    let mut project = Project::default();
    project.nodes.push(node("users", "users"));
    project.nodes.push(node("web", "ec2"));
    project.nodes.push(node("db", "rds"));
    project.nodes.push(node("other", "ec2"));
    let mut public = Flow::new("public", "users", "web");
    public.encrypted_in_transit = Some(false);
    let mut inside = Flow::new("inside", "web", "db");
    inside.encrypted_in_transit = Some(false);
    let mut crossing = Flow::new("crossing", "web", "other");
    crossing.encrypted_in_transit = Some(false);
    project.flows.extend([public, inside, crossing]);
    let mut vpc = Boundary::new("vpc", BoundaryKind::Vpc);
    vpc.members = vec!["web".into(), "db".into()];
    project.boundaries.push(vpc);
    let derivation = derive(&project, catalog());
    assert!(has_task(&derivation, "rule/unencrypted_public_flow/public"));
    assert!(has_task(&derivation, "rule/unencrypted_boundary_flow/crossing"));
    assert!(!keys(&derivation).iter().any(|k| k.ends_with("/inside")), "same VPC: no task");
    let task = derivation.task("rule/unencrypted_public_flow/public").unwrap();
    assert_eq!(task.layer(), Layer::EncryptionInTransit);
    assert_eq!(task.subject.node_ids(), vec!["users", "web"]);
}

#[test]
fn nested_boundaries_count_for_the_vpc() {
    let mut project = Project::default();
    project.nodes.push(node("a", "ec2"));
    project.nodes.push(node("b", "ec2"));
    let mut flow = Flow::new("f", "a", "b");
    flow.encrypted_in_transit = Some(false);
    project.flows.push(flow);
    let mut vpc = Boundary::new("vpc", BoundaryKind::Vpc);
    vpc.members = vec!["b".into()];
    let mut subnet = Boundary::new("subnet", BoundaryKind::Subnet);
    subnet.members = vec!["a".into()];
    subnet.parent = Some("vpc".into());
    project.boundaries.extend([vpc, subnet]);
    assert!(!has_task(&derive(&project, catalog()), "rule/unencrypted_boundary_flow/f"));
}

#[test]
fn sensitive_data_severity_follows_who_owns_encryption_at_rest() {
    let mut project = Project::default();
    let mut bucket = node("payments", "s3");
    bucket.data = DataClass::Restricted;
    let mut db = node("ledger", "rds");
    db.data = DataClass::Confidential;
    let mut iam = node("iam", "iam");
    iam.data = DataClass::Restricted;
    project.nodes.extend([bucket, db, iam]);
    let derivation = derive(&project, catalog());
    let at_rest = |id: &str| {
        derivation
            .tasks
            .iter()
            .filter(|t| {
                t.subject.concerns_node(id) && t.layer() == Layer::EncryptionAtRest && !t.detail.is_empty()
            })
            .collect::<Vec<_>>()
    };
    let bucket_tasks = at_rest("payments");
    assert_eq!(bucket_tasks.len(), 1, "one task, not a service task and a rule task");
    assert_eq!(bucket_tasks[0].severity(), Severity::Medium, "S3 encrypts by default: a key question");
    assert!(bucket_tasks[0].detail.contains("by default"), "{}", bucket_tasks[0].detail);
    let db_tasks = at_rest("ledger");
    assert_eq!(db_tasks.len(), 1);
    assert_eq!(db_tasks[0].severity(), Severity::Critical, "RDS encryption is the customer's to turn on");
    assert!(at_rest("iam").is_empty(), "IAM's encryption at rest is AWS's");
}

#[test]
fn account_tasks_are_derived_per_account_boundary() {
    let mut project = Project::default();
    for id in ["a", "b", "outside"] {
        project.nodes.push(node(id, "s3"));
    }
    let mut prod = Boundary::new("prod", BoundaryKind::Account);
    prod.members = vec!["a".into()];
    let mut dev = Boundary::new("dev", BoundaryKind::Account);
    dev.members = vec!["b".into()];
    let empty = Boundary::new("empty", BoundaryKind::Account);
    project.boundaries.extend([prod, dev, empty]);
    let derivation = derive(&project, catalog());
    let config: Vec<&str> =
        keys(&derivation).into_iter().filter(|k| k.starts_with("account/config_enabled")).collect();
    assert_eq!(
        config,
        ["account/config_enabled", "account/config_enabled/dev", "account/config_enabled/prod"]
    );
    let task = derivation.task("account/config_enabled/prod").unwrap();
    assert_eq!(task.subject, Subject::Account(Some("prod".into())));
    assert_eq!(task.subject.name(&project, &crate::view::ModelView::build(&project)), "Account: prod");
    assert!(has_task(&derivation, "rule/no_cloudtrail/dev"));
}

#[test]
fn nodes_called_account_or_rule_keep_their_task_states() {
    let mut project = Project::default();
    project.nodes.push(node("account", "s3"));
    project.nodes.push(node("rule", "eventbridge"));
    let done = TaskState { status: TaskStatus::Done, ..TaskState::default() };
    let first = |id: &str| {
        derive(&project, catalog()).tasks.iter().find(|t| t.subject.concerns_node(id)).unwrap().key.clone()
    };
    let (a, r) = (first("account"), first("rule"));
    project.tasks.insert(a.clone(), done.clone());
    project.tasks.insert(r.clone(), done);
    let derivation = derive(&project, catalog());
    assert!(derivation.orphaned.is_empty(), "{:?}", derivation.orphaned);
    assert_eq!(derivation.task(&a).unwrap().status, TaskStatus::Done);
    assert_eq!(derivation.task(&r).unwrap().status, TaskStatus::Done);
}

#[test]
fn keys_do_not_change_when_an_unrelated_node_is_edited_moved_or_relabelled() {
    let mut project = Project::default();
    project.nodes.push(node("internet", "internet"));
    project.nodes.push(node("web", "ec2"));
    project.nodes.push(node("db", "rds"));
    project.nodes.push(node("bucket", "s3"));
    project.flows.push(Flow::new("f1", "internet", "web"));
    project.flows.push(Flow::new("f2", "web", "db"));
    let before: Vec<String> = derive(&project, catalog())
        .tasks
        .iter()
        .filter(|t| !t.subject.concerns_node("bucket"))
        .map(|t| t.key.clone())
        .collect();
    let bucket = project.node_mut("bucket").unwrap();
    bucket.label = "Renamed".into();
    bucket.position = Some(crate::model::Pos::new(500.0, 20.0));
    bucket.notes = "x".into();
    bucket.internet_facing = true;
    // Reordering the node list changes nothing either.
    project.nodes.reverse();
    let after: Vec<String> = derive(&project, catalog())
        .tasks
        .iter()
        .filter(|t| !t.subject.concerns_node("bucket"))
        .map(|t| t.key.clone())
        .collect();
    assert_eq!(before, after);
}

#[test]
fn statuses_apply_and_orphans_are_reported_not_dropped() {
    let mut project = Project::default();
    project.nodes.push(node("web", "ec2"));
    let done = TaskState { status: TaskStatus::Done, ..TaskState::default() };
    project.tasks.insert("web/ec2.imdsv2".into(), done.clone());
    project.tasks.insert("gone/ec2.imdsv2".into(), done);
    let derivation = derive(&project, catalog());
    assert_eq!(derivation.task("web/ec2.imdsv2").unwrap().status, TaskStatus::Done);
    assert_eq!(derivation.orphaned, vec!["gone/ec2.imdsv2".to_owned()]);
}

#[test]
fn done_accepted_and_not_applicable_are_not_remaining() {
    let mut project = Project::default();
    project.nodes.push(node("web", "ec2"));
    let all = derive(&project, catalog()).counts();
    for (key, status) in [
        ("web/ec2.imdsv2", TaskStatus::Done),
        ("web/ec2.no_public_ip", TaskStatus::AcceptedRisk),
        ("web/ec2.remove_stopped", TaskStatus::NotApplicable),
        ("web/ec2.instance_logs", TaskStatus::InProgress),
    ] {
        project.tasks.insert(key.into(), TaskState { status, ..TaskState::default() });
    }
    let counts = derive(&project, catalog()).counts();
    assert_eq!(counts.total, all.total);
    assert_eq!(counts.remaining, all.remaining - 3);
    assert_eq!(counts.done, 1);
    assert_eq!(counts.closed, 3);
}

#[test]
fn remaining_at_or_above_counts_higher_severities() {
    let counts = TaskCounts { remaining_by_severity: [4, 3, 2, 1], ..TaskCounts::default() };
    assert_eq!(counts.remaining_at_or_above(Severity::High), 3);
    assert_eq!(counts.remaining_at_or_above(Severity::Low), 10);
}
