use super::*;
use crate::catalog::Category;

const ACME: &str = include_str!("../../../tests/fixtures/overlay/acme.ron");

fn overlay(name: &str) -> OverlayRef {
    OverlayRef { path: PathBuf::from(name), source: Source::CommandLine, declared: None }
}

fn layered(text: &str) -> Result<Catalog, OverlayError> {
    Catalog::builtin().with_overlay_text(&overlay("acme.ron"), text)
}

fn problems(text: &str) -> Vec<String> {
    match layered(text) {
        Ok(_) => Vec::new(),
        Err(error) => error.to_string().lines().map(str::to_owned).collect(),
    }
}

#[test]
fn an_overlay_adds_overrides_and_retires() {
    let catalog = layered(ACME).unwrap();
    let deployer = catalog.service("acme_deployer").unwrap();
    assert_eq!(deployer.category, Category::new("internal_platform"));
    assert_eq!(deployer.origin.as_deref(), Some("acme.ron"));
    assert_eq!(deployer.tasks[0].controls, ["ACME.12"]);
    assert!(catalog.category(Category::new("internal_platform")).is_some());
    let s3 = catalog.service("s3").unwrap();
    assert!(s3.tasks.iter().any(|t| t.id == "data_owner_tag"));
    let ec2 = catalog.service("ec2").unwrap();
    assert!(!ec2.tasks.iter().any(|t| t.id == "remove_stopped"));
    assert_eq!(ec2.owners.get(Layer::GuestOs), Owner::Shared);
    // The built-in catalog is untouched.
    assert_eq!(Catalog::builtin().service("ec2").unwrap().owners.get(Layer::GuestOs), Owner::Customer);
    let applied = &catalog.layering()[0];
    assert_eq!(applied.services, ["acme_deployer"]);
    assert_eq!(applied.added_tasks, 1);
    assert_eq!(applied.retired.len(), 1);
    assert!(
        applied.overrides[0].contains("ec2 guest_os: customer → shared: Golden AMIs"),
        "{:?}",
        applied.overrides
    );
}

#[test]
fn overlays_layer_in_order_and_later_ones_see_earlier_ones() {
    let first = layered(ACME).unwrap();
    let second = "Catalog(add_tasks: [(service: \"acme_deployer\", tasks: [(id: \"rotate_tokens\", \
                  title: \"Rotate deploy tokens\", layer: identity_access, severity: medium, controls: [\"ACME.13\"])])])";
    let both = first.with_overlay_text(&overlay("second.ron"), second).unwrap();
    assert_eq!(both.service("acme_deployer").unwrap().tasks.len(), 2);
    assert_eq!(both.layering().len(), 2);
}

#[test]
fn syntax_errors_name_line_and_column() {
    let lines = problems("Catalog(\n    services: [\n        (id: \"x\", nme: \"X\"),\n    ],\n)");
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with("acme.ron:3:"), "{lines:?}");
}

#[test]
fn a_missing_layer_in_a_new_service_is_an_error() {
    let text = ACME.replace("compliance: customer,\n            },", "},");
    let lines = problems(&text);
    assert!(lines.iter().any(|l| l.starts_with("acme.ron:") && l.contains("compliance")), "{lines:?}");
}

#[test]
fn overlay_rules_are_as_strict_as_the_builtin_catalog() {
    let cases = [
        // A task on a layer AWS owns.
        (
            ACME.replace(
                "layer: application,\n                    severity: high",
                "layer: host_os,\n                    severity: high",
            ),
            "so the customer has no task there",
        ),
        // A malformed control id.
        (ACME.replace("\"ACME.12\"", "\"ACME-12\""), "malformed Security Hub control id"),
        // A duplicate service.
        (ACME.replace("\"acme_deployer\"", "\"ec2\""), "already in the catalog"),
        // Retiring without a reason, or a task that does not exist.
        (ACME.replace("Our MSP removes stopped instances weekly.", " "), "say why in `reason`"),
        (ACME.replace("task: \"remove_stopped\"", "task: \"no_such_task\""), "no such task"),
        // An unknown service, with a hint.
        (
            ACME.replace("(service: \"s3\"", "(service: \"s4\""),
            "no such service in the catalog (did you mean \"s3\"?)",
        ),
        // An override of a variant that does not exist.
        (
            ACME.replace(
                "(service: \"ec2\", layer: guest_os",
                "(service: \"ec2\", variant: \"spot\", layer: guest_os",
            ),
            "unknown variant \"spot\"",
        ),
        // A category that is not declared.
        (
            ACME.replace("category: internal_platform", "category: saas"),
            "category saas is not in `categories`",
        ),
        // Handing a layer with tasks to AWS without retiring them.
        (ACME.replace("owner: shared", "owner: aws"), "patch_guest_os"),
    ];
    for (text, expected) in cases {
        let lines = problems(&text);
        assert!(
            lines.iter().any(|l| l.contains(expected) && l.starts_with("acme.ron:")),
            "{expected}: {lines:?}"
        );
    }
}

#[test]
fn problems_point_at_the_line_of_what_they_are_about() {
    let text = ACME.replace("task: \"remove_stopped\"", "task: \"no_such_task\"");
    let lines = problems(&text);
    let line = text.lines().position(|l| l.contains("no_such_task")).unwrap() + 1;
    assert!(lines[0].starts_with(&format!("acme.ron:{line}:")), "{lines:?}");
}

#[test]
fn a_missing_project_overlay_is_recorded_and_others_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("design.ron");
    let refs = project_overlays(&project, &["catalogs/acme.ron".to_owned()]);
    let catalog = Catalog::builtin().with_overlays(&refs).unwrap();
    assert_eq!(catalog.missing().len(), 1);
    assert_eq!(catalog.missing()[0].declared, "catalogs/acme.ron");
    assert!(!catalog.has_project_overlays(&["catalogs/acme.ron".to_owned()]));
    let given = OverlayRef { path: dir.path().join("nope.ron"), source: Source::CommandLine, declared: None };
    assert!(matches!(Catalog::builtin().with_overlays(&[given]), Err(OverlayError::Io { .. })));
}

#[test]
fn project_overlays_resolve_against_the_project_folder() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("catalogs")).unwrap();
    std::fs::write(dir.path().join("catalogs/acme.ron"), ACME).unwrap();
    let refs = project_overlays(&dir.path().join("design.ron"), &["catalogs/acme.ron".to_owned()]);
    let catalog = Catalog::builtin().with_overlays(&refs).unwrap();
    assert!(catalog.service("acme_deployer").is_some());
    assert_eq!(catalog.service("acme_deployer").unwrap().origin.as_deref(), Some("catalogs/acme.ron"));
    assert!(catalog.has_project_overlays(&["catalogs/acme.ron".to_owned()]));
}
