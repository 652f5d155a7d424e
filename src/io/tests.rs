//! Round trips and error reports of the `.ron` file.

use super::*;
use crate::model::{Boundary, BoundaryKind, DataClass, Flow, Node, Pos, Rect, TaskState, TaskStatus};

fn sample() -> Project {
    let mut project = Project::named("Sample");
    let mut web = Node::new("web", "ec2");
    web.label = "Web server".into();
    web.position = Some(Pos::new(120.0, 80.5));
    let mut db = Node::new("db", "rds");
    db.data = DataClass::Confidential;
    let mut svc = Node::new("svc", "ecs");
    svc.variant = Some("fargate".into());
    project.nodes.extend([web, db, svc]);
    let mut flow = Flow::new("web-db", "web", "db");
    flow.protocol = "PostgreSQL".into();
    project.flows.push(flow);
    let mut vpc = Boundary::new("vpc", BoundaryKind::Vpc);
    vpc.members = vec!["web".into(), "db".into()];
    vpc.rect = Some(Rect { x: 0.0, y: 0.0, w: 400.0, h: 300.0 });
    project.boundaries.push(vpc);
    project.tasks.insert(
        "web/ec2.imdsv2".into(),
        TaskState {
            status: TaskStatus::Done,
            note: "launch template \"lt-1\"\nline two".into(),
            ticket: "SEC-1".into(),
            updated: Some("2026-11-28".into()),
            team: None,
        },
    );
    project
}

fn catalog() -> &'static Catalog {
    Catalog::builtin()
}

fn parse_text(text: &str) -> Result<Loaded, LoadError> {
    parse(Path::new("design.ron"), text.as_bytes(), catalog())
}

fn error_of(text: &str) -> String {
    parse_text(text).expect_err("should be refused").to_string()
}

const MINIMAL: &str = "Project(version: 1, nodes: [Node(id: \"web\", service: \"ec2\")])";

#[test]
fn save_then_load_gives_the_normalized_project() {
    let project = sample();
    let text = to_ron_string(&project).unwrap();
    let loaded = parse_text(&text).unwrap();
    let mut expected = project;
    expected.normalize();
    assert_eq!(loaded.project, expected);
    assert!(loaded.warnings.is_empty());
}

#[test]
fn the_same_project_always_gives_the_same_bytes() {
    let mut shuffled = sample();
    shuffled.nodes.reverse();
    shuffled.boundaries[0].members.reverse();
    let a = to_ron_string(&sample()).unwrap();
    let b = to_ron_string(&shuffled).unwrap();
    assert_eq!(a, b);
    assert!(a.starts_with("Project(\n    version: 2,\n"), "{a}");
    assert!(!a.contains('\r'));
    // Canonical text is a fixed point.
    let again = to_ron_string(&parse_text(&a).unwrap().project).unwrap();
    assert_eq!(a, again);
}

#[test]
fn strings_round_trip_with_quotes_backslashes_and_controls() {
    let mut project = Project::named("It's \\' \"quoted\" \\ back\tslash\u{7}\nnew line é ✓");
    project.description = "\\\\'".into();
    let text = to_ron_string(&project).unwrap();
    assert!(text.contains("It's"), "{text}");
    assert_eq!(parse_text(&text).unwrap().project.name, project.name);
    assert_eq!(parse_text(&text).unwrap().project.description, project.description);
}

#[test]
fn hand_written_minimal_files_load() {
    let loaded = parse_text(MINIMAL).unwrap();
    assert_eq!(loaded.project.nodes[0].service, "ec2");
    assert!(loaded.project.nodes[0].position.is_none());
    // Implicit Some and no struct names are fine by hand.
    let text =
        "(version: 1, nodes: [(id: \"svc\", service: \"ecs\", variant: \"fargate\", position: (1, 2))])";
    let loaded = parse_text(text).unwrap();
    assert_eq!(loaded.project.nodes[0].variant.as_deref(), Some("fargate"));
    assert_eq!(loaded.project.nodes[0].position, Some(Pos::new(1.0, 2.0)));
}

#[test]
fn truncated_file_reports_line_and_column() {
    let text = to_ron_string(&sample()).unwrap();
    let cut = &text[..text.len() / 2];
    let error = error_of(cut);
    assert!(error.starts_with("design.ron:"), "{error}");
    let location = error.split(':').nth(1).unwrap();
    assert!(location.parse::<usize>().is_ok(), "{error}");
}

#[test]
fn wrong_types_name_the_place() {
    let error = error_of(
        "Project(\n  version: 1,\n  nodes: [Node(id: \"a\", service: \"ec2\", internet_facing: \"yes\")],\n)",
    );
    assert!(error.starts_with("design.ron:3:") && error.contains("`nodes[0].internet_facing`"), "{error}");
    let error = error_of("Project(version: 1, tasks: {\"a/b\": TaskState(status: done, note: 5)})");
    assert!(error.contains("`tasks[\"a/b\"].note`"), "{error}");
    let error = error_of("Project(version: 1, nodes: [Node(id: \"a\")])");
    assert!(error.contains("`nodes[0]`") && error.contains("service"), "{error}");
}

#[test]
fn a_fractional_version_says_so() {
    let error = error_of("Project(version: 1.5)");
    assert!(error.contains("`version` must be a whole number such as 2, not 1.5"), "{error}");
    let error = error_of("Project(version: \"1\")");
    assert!(error.contains("whole number"), "{error}");
}

#[test]
fn old_mac_line_endings_are_counted() {
    let error = error_of("Project(\r  version: 1,\r  name: 42,\r)");
    assert!(error.starts_with("design.ron:3:9: `name`"), "{error}");
}

#[test]
fn positions_beyond_the_coordinate_limit_are_dropped_with_a_warning() {
    let text = "Project(version: 1, nodes: [Node(id: \"a\", service: \"ec2\", position: Some(Pos(3e38, 0))), \
                Node(id: \"b\", service: \"ec2\", position: Some(Pos(-1000000, 1000000)))], \
                boundaries: [Boundary(id: \"v\", kind: vpc, rect: Some(Rect(999000, 0, 2000, 10)))])";
    let loaded = parse_text(text).unwrap();
    assert_eq!(loaded.project.nodes[0].position, None);
    assert!(loaded.project.nodes[1].position.is_some(), "the limit itself is allowed");
    assert_eq!(loaded.project.boundaries[0].rect, None);
    assert_eq!(loaded.warnings.len(), 2, "{:?}", loaded.warnings);
}

#[test]
fn saving_refuses_what_could_not_be_opened_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.ron");
    let mut project = Project::named("big");
    project.flows =
        (0..=crate::model::limits::MAX_FLOWS).map(|i| Flow::new(format!("f{i}"), "a", "b")).collect();
    let error = save(&path, &project).unwrap_err().to_string();
    assert!(error.contains("flows") && error.contains("at most"), "{error}");
    assert!(!path.exists());
}

#[test]
fn a_capped_report_counts_the_rest() {
    let mut text = String::from("Project(version: 1, nodes: [\n");
    for i in 0..1234 {
        text.push_str(&format!("Node(id: \"n{i}\", service: \"nope\"),\n"));
    }
    text.push_str("])");
    let error = error_of(&text);
    assert_eq!(error.lines().count(), MAX_SHOWN_PROBLEMS + 1);
    assert!(error.lines().last().unwrap().ends_with("and 1,134 more problems"), "{error}");
    assert_eq!(thousands(1_234_567), "1,234,567");
    assert_eq!(thousands(999), "999");
}

#[test]
fn unknown_fields_are_refused() {
    let error = error_of("Project(version: 1, colour: \"red\")");
    assert!(error.contains("colour"), "{error}");
}

#[test]
fn unknown_service_suggests_a_near_miss() {
    let error = error_of("Project(\n version: 1,\n nodes: [Node(id: \"a\", service: \"ec3\")],\n)");
    assert!(error.contains("design.ron:3:"), "{error}");
    assert!(error.contains("unknown service \"ec3\"") && error.contains("did you mean \"ec2\""), "{error}");
}

#[test]
fn unknown_variant_lists_the_known_ones() {
    let error = error_of(
        "Project(version: 1, nodes: [Node(id: \"a\", service: \"ecs\", variant: Some(\"lambda\"))])",
    );
    assert!(error.contains("unknown variant \"lambda\"") && error.contains("ec2, fargate"), "{error}");
    let error =
        error_of("Project(version: 1, nodes: [Node(id: \"a\", service: \"s3\", variant: Some(\"x\"))])");
    assert!(error.contains("s3 has no variants"), "{error}");
}

#[test]
fn future_and_missing_versions_are_explained() {
    let error = error_of("Project(version: 7, nodes: [], future_field: 1)");
    assert!(error.contains("format version 7") && error.contains("newer whoowns"), "{error}");
    let error = error_of("Project(nodes: [])");
    assert!(error.contains("no `version` field"), "{error}");
    let error = error_of("Project(version: 0)");
    assert!(error.contains("version 0"), "{error}");
}

#[test]
fn duplicate_ids_point_at_the_second_one() {
    let text = "Project(\n version: 1,\n nodes: [\n  Node(id: \"a\", service: \"ec2\"),\n  Node(id: \"a\", service: \"s3\"),\n ],\n)";
    let error = error_of(text);
    assert!(error.contains("design.ron:5:") && error.contains("duplicate id \"a\""), "{error}");
}

#[test]
fn dangling_references_are_refused() {
    let text = "Project(version: 1, nodes: [Node(id: \"a\", service: \"ec2\")],\n\
        flows: [Flow(id: \"f\", from: \"a\", to: \"ghost\")],\n\
        boundaries: [Boundary(id: \"b\", kind: vpc, members: [\"phantom\"], parent: Some(\"nowhere\"))])";
    let error = error_of(text);
    assert!(error.contains("`to` names \"ghost\""), "{error}");
    assert!(error.contains("member \"phantom\" is not a node"), "{error}");
    assert!(error.contains("parent \"nowhere\" is not a boundary"), "{error}");
    assert_eq!(error.lines().count(), 3, "one line per problem: {error}");
}

#[test]
fn parent_cycles_are_refused() {
    let text = "Project(version: 1, boundaries: [\
        Boundary(id: \"a\", kind: vpc, parent: Some(\"b\")), Boundary(id: \"b\", kind: subnet, parent: Some(\"a\"))])";
    assert!(error_of(text).contains("parents form a loop"));
}

#[test]
fn bad_ids_are_refused() {
    let error = error_of("Project(version: 1, nodes: [Node(id: \"../etc\", service: \"ec2\")])");
    assert!(error.contains("id \"../etc\""), "{error}");
    let error = error_of("Project(version: 1, nodes: [Node(id: \"a\\u{7}\", service: \"ec2\")])");
    assert!(error.contains("may only hold"), "{error}");
}

#[test]
fn too_many_nodes_fail_early_with_the_limit() {
    let mut text = String::from("Project(version: 1, nodes: [");
    for i in 0..=crate::model::limits::MAX_NODES {
        text.push_str(&format!("(id:\"n{i}\",service:\"s3\"),"));
    }
    text.push_str("])");
    let error = error_of(&text);
    assert!(error.contains("more than 200000 items") && error.contains("`nodes["), "{error}");
}

#[test]
fn huge_strings_load() {
    let label = "x".repeat(8 * 1024 * 1024);
    let text = format!("Project(version: 1, nodes: [Node(id: \"a\", service: \"ec2\", label: \"{label}\")])");
    assert_eq!(parse_text(&text).unwrap().project.nodes[0].label.len(), label.len());
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let text = format!("Project(version: 1, name: {}1{})", "[".repeat(100_000), "]".repeat(100_000));
    let error = error_of(&text);
    assert!(error.starts_with("design.ron:1:") && error.contains("nests deeper"), "{error}");
}

#[test]
fn invalid_utf8_is_located() {
    let mut bytes = b"Project(\n version: 1,\n name: \"".to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe]);
    bytes.extend_from_slice(b"\")");
    let error = parse(Path::new("design.ron"), &bytes, catalog()).unwrap_err().to_string();
    assert!(error.starts_with("design.ron:3:9: ") && error.contains("UTF-8"), "{error}");
}

#[test]
fn non_finite_positions_are_dropped_with_a_warning() {
    let text =
        "Project(version: 1, nodes: [Node(id: \"a\", service: \"ec2\", position: Some(Pos(NaN, inf)))])";
    let loaded = parse_text(text).unwrap();
    assert_eq!(loaded.project.nodes[0].position, None);
    assert_eq!(loaded.warnings.len(), 1);
}

#[test]
fn files_over_the_limit_are_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.ron");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(MAX_FILE_SIZE + 1).unwrap();
    let error = load(&path, catalog()).unwrap_err();
    assert!(matches!(error, LoadError::TooLarge { .. }), "{error}");
    assert!(error.to_string().contains("256 MiB"), "{error}");
}

#[test]
fn a_missing_file_names_the_path() {
    let error = load(Path::new("/nonexistent/x.ron"), catalog()).unwrap_err().to_string();
    assert!(error.starts_with("/nonexistent/x.ron: cannot read"), "{error}");
}

#[test]
fn loading_never_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.ron");
    std::fs::write(&path, "Project(version: 1, nodes: [Node(id: \"a\", service: \"nope\")])").unwrap();
    let before = std::fs::metadata(&path).unwrap().modified().unwrap();
    assert!(load(&path, catalog()).is_err());
    assert_eq!(std::fs::metadata(&path).unwrap().modified().unwrap(), before);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn save_writes_canonical_text_and_keeps_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.ron");
    save(&path, &sample()).unwrap();
    let first = std::fs::read_to_string(&path).unwrap();
    let mut changed = sample();
    changed.name = "Changed".into();
    save(&path, &changed).unwrap();
    assert_eq!(std::fs::read_to_string(backup_path(&path)).unwrap(), first);
    assert_eq!(load(&path, catalog()).unwrap().project.name, "Changed");
}

#[test]
fn each_problem_points_at_its_own_occurrence() {
    let text = "Project(\n version: 1,\n nodes: [\n  Node(id: \"a\", service: \"ec3\", label: \"ghost\"),\n  \
                Node(id: \"b\", service: \"ec3\"),\n ],\n boundaries: [\n  Boundary(id: \"v\", kind: vpc, members: [\n   \"a\",\n   \"ghost\",\n  ]),\n ],\n)";
    let error = error_of(text);
    let lines: Vec<&str> = error.lines().collect();
    assert_eq!(lines.len(), 3, "{error}");
    assert!(lines[0].starts_with("design.ron:4:") && lines[0].contains("node \"a\""), "{error}");
    assert!(lines[1].starts_with("design.ron:5:") && lines[1].contains("node \"b\""), "{error}");
    // The member, not the label with the same text.
    assert!(lines[2].starts_with("design.ron:10:4:") && lines[2].contains("member \"ghost\""), "{error}");
}

#[test]
fn resources_account_ids_and_regions_round_trip_and_are_checked() {
    let mut project = sample();
    project.nodes[0].resources =
        vec!["arn:aws:ec2:eu-west-1:111122223333:instance/*".into(), "i-0abc".into()];
    let mut account = Boundary::new("prod", BoundaryKind::Account);
    account.account_id = Some("111122223333".into());
    let mut region = Boundary::new("ireland", BoundaryKind::Region);
    region.region = Some("eu-west-1".into());
    project.boundaries.extend([account, region]);
    project.evidence = Some("sample.evidence.json".into());
    let text = to_ron_string(&project).unwrap();
    assert!(text.contains("account_id: Some(\"111122223333\")"), "{text}");
    let loaded = parse_text(&text).unwrap();
    assert_eq!(loaded.project.nodes.iter().find(|n| n.id == "web").unwrap().resources.len(), 2);
    assert_eq!(loaded.project.evidence.as_deref(), Some("sample.evidence.json"));

    // A design without any of them writes none of the new fields.
    let plain = to_ron_string(&sample()).unwrap();
    assert!(!plain.contains("resources") && !plain.contains("account_id") && !plain.contains("evidence"));

    let bad = text.replace("111122223333\")", "1111\")").replace("eu-west-1\")", "Ireland\")");
    let error = error_of(&bad);
    assert!(error.contains("account_id \"1111\" is not valid: an AWS account id is 12 digits"), "{error}");
    assert!(error.contains("region \"Ireland\" is not valid"), "{error}");
    let error = error_of(&text.replace("sample.evidence.json", "../../etc/x.json"));
    assert!(error.contains("evidence \"../../etc/x.json\" is not valid"), "{error}");
    let error = error_of(&text.replace("\"i-0abc\"", "\"*\""));
    assert!(error.contains("would match every resource"), "{error}");
    let error = error_of(&text.replace("kind: region", "kind: vpc"));
    assert!(error.contains("only region boundaries have a region"), "{error}");
}
