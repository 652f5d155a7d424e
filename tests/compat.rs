//! Files written by every released format version load forever (tests/fixtures/versions/).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "test helpers fail loudly")]

use std::path::Path;

use whoowns::catalog::Catalog;
use whoowns::checklist::derive;
use whoowns::model::{BoundaryKind, DataClass, TaskStatus};

#[test]
fn every_released_version_fixture_loads() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/versions");
    let mut versions = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let loaded = whoowns::io::load(&path, Catalog::builtin()).unwrap_or_else(|e| panic!("{e}"));
        assert!(loaded.warnings.is_empty(), "{}: {:?}", path.display(), loaded.warnings);
        assert_eq!(
            loaded.project.version,
            whoowns::model::CURRENT_VERSION,
            "upgraded to the current version"
        );
        versions.push(path.file_name().unwrap().to_string_lossy().into_owned());
    }
    // One fixture per released version, named v<N>-*.ron.
    for version in 1..=whoowns::model::CURRENT_VERSION {
        assert!(
            versions.iter().any(|name| name.starts_with(&format!("v{version}-"))),
            "no fixture for version {version}"
        );
    }
}

#[test]
fn version_1_keeps_its_meaning() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/versions/v1-every-field.ron");
    let project = whoowns::io::load(&path, Catalog::builtin()).unwrap().project;
    let api = project.node("api").unwrap();
    assert_eq!(api.variant.as_deref(), Some("container_image"));
    assert_eq!(api.data, DataClass::Confidential);
    assert!(api.notes.contains("new\nline"));
    assert!(project.node("bucket").unwrap().internet_facing);
    assert_eq!(project.flow("api-db").unwrap().encrypted_in_transit, Some(false));
    // Version 1's default (encrypted) becomes "as the protocol says" in version 2.
    assert_eq!(project.flow("people-api").unwrap().encrypted_in_transit, None);
    assert_eq!(project.boundary("az").unwrap().kind, BoundaryKind::AvailabilityZone);
    assert_eq!(project.tasks["account/organizations"].status, TaskStatus::AcceptedRisk);
    assert_eq!(project.tasks["svc/ecs.secrets_not_env"].status, TaskStatus::Open);
    let derivation = derive(&project, Catalog::builtin());
    // `gone` is a node the file no longer has. Any other orphan must be a template the catalog
    // retired, with a record saying where its state goes (`api/lambda.guardduty_lambda` became the
    // account task guardduty_lambda_protection), so that a migration can carry it over.
    assert!(derivation.orphaned.contains(&"gone/ec2.imdsv2".to_owned()), "{:?}", derivation.orphaned);
    for key in derivation.orphaned.iter().filter(|key| !key.starts_with("gone/")) {
        let (_, rest) = key.split_once('/').unwrap();
        let (service, task) = rest.split_once('.').unwrap();
        assert!(
            Catalog::builtin().retired_records(service, task).next().is_some(),
            "{key} orphaned without a record"
        );
    }
}

#[test]
fn version_2_keeps_its_meaning() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/versions/v2-every-field.ron");
    let text = std::fs::read_to_string(&path).unwrap();
    let project = whoowns::io::load(&path, Catalog::builtin()).unwrap().project;
    assert_eq!(project.node("db").unwrap().resources.len(), 2);
    assert_eq!(project.boundary("account").unwrap().account_id.as_deref(), Some("111122223333"));
    assert_eq!(project.boundary("region").unwrap().region.as_deref(), Some("eu-west-1"));
    assert_eq!(project.evidence.as_deref(), Some("every-field.evidence.json"));
    assert_eq!(project.teams.len(), 3);
    let derivation = derive(&project, Catalog::builtin());
    assert_eq!(derivation.task("api/lambda.no_public_invoke").unwrap().team.as_deref(), Some("app"));
    // The fixture is canonical: saving it again writes the same text.
    assert_eq!(whoowns::io::to_ron_string(&project).unwrap(), text);
}
