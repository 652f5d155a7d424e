//! Teams on the customer side: inheritance project → boundary → node → task in the derivation,
//! the CSV export and `check --team`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "test helpers fail loudly")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use whoowns::catalog::Catalog;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/teams.ron")
}

fn run(args: &[&str]) -> Output {
    let config = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_whoowns"))
        .env("WHOOWNS_CONFIG_DIR", config.path())
        .args(args)
        .output()
        .expect("run whoowns")
}

fn team_of(derivation: &whoowns::checklist::Derivation, key: &str) -> Option<String> {
    derivation.task(key).unwrap_or_else(|| panic!("no task {key}")).team.as_deref().map(str::to_owned)
}

#[test]
fn teams_are_inherited_project_boundary_node_task() {
    let catalog = Catalog::builtin();
    let project = whoowns::io::load(&fixture(), catalog).unwrap().project;
    let derivation = whoowns::checklist::derive(&project, catalog);
    // The grandparent account boundary gives the guest OS to the platform team.
    assert_eq!(team_of(&derivation, "web/ec2.patch_guest_os").as_deref(), Some("platform"));
    // The project gives everything else to the app team.
    assert_eq!(team_of(&derivation, "web/ec2.instance_profile").as_deref(), Some("app"));
    // The task state names its own team.
    assert_eq!(team_of(&derivation, "web/ec2.imdsv2").as_deref(), Some("msp"));
    // The node gives its backups to the MSP; the rest of it is the app team's.
    assert_eq!(team_of(&derivation, "db/rds.resilience").as_deref(), Some("msp"));
    assert!(derivation.tasks.iter().all(|t| t.team.is_some()));
    // An account task of the payments account would follow the boundary; the implicit
    // account's follow the project.
    let account = derivation.tasks.iter().find(|t| t.key.starts_with("account/")).unwrap();
    assert_eq!(account.team.as_deref(), Some("app"), "{}", account.key);
}

#[test]
fn without_teams_nothing_changes() {
    let catalog = Catalog::builtin();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ecommerce.ron");
    let project = whoowns::io::load(&example, catalog).unwrap().project;
    let derivation = whoowns::checklist::derive(&project, catalog);
    assert!(derivation.tasks.iter().all(|t| t.team.is_none()));
}

#[test]
fn the_csv_has_a_team_column() {
    let output = run(&["export", fixture().to_str().unwrap(), "--format", "csv"]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let csv = String::from_utf8(output.stdout).unwrap();
    let header = csv.lines().next().unwrap();
    assert!(header.ends_with(",team"), "{header}");
    let row = csv.lines().find(|l| l.starts_with("web/ec2.patch_guest_os,")).unwrap();
    assert!(row.ends_with(",Platform team"), "{row}");
    let row = csv.lines().find(|l| l.starts_with("db/rds.resilience,")).unwrap();
    assert!(row.ends_with(",Acme MSP"), "{row}");
}

#[test]
fn check_and_export_give_one_teams_list() {
    let path = fixture();
    let output = run(&["check", path.to_str().unwrap(), "--team", "msp", "--fail-on", "low"]);
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    let report = String::from_utf8(output.stdout).unwrap();
    assert!(report.contains("web/ec2.imdsv2") && report.contains("db/rds.resilience"), "{report}");
    assert!(!report.contains("web/ec2.patch_guest_os"), "{report}");
    assert!(report.contains(": 2 services, 2 tasks"), "{report}");

    let output = run(&["export", path.to_str().unwrap(), "--format", "csv", "--team", "platform"]);
    let csv = String::from_utf8(output.stdout).unwrap();
    assert!(csv.lines().skip(1).all(|l| l.ends_with(",Platform team")), "{csv}");
    assert!(csv.lines().count() > 1, "{csv}");

    let output = run(&["check", path.to_str().unwrap(), "--team", "nobody"]);
    assert_eq!(output.status.code(), Some(2));
    let error = String::from_utf8(output.stderr).unwrap();
    assert!(error.contains("no team \"nobody\"") && error.contains("platform, app, msp"), "{error}");
}

#[test]
fn the_matrix_shows_teams() {
    let output = run(&["matrix", fixture().to_str().unwrap(), "--teams"]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let matrix = String::from_utf8(output.stdout).unwrap();
    assert!(
        matrix.contains("1 = Platform team (platform), 2 = App team (app), 3 = Acme MSP (msp)"),
        "{matrix}"
    );
    // web: AWS for layers 1-5, the platform team's guest OS, then the app team's.
    let row = matrix.lines().find(|l| l.starts_with("web ")).unwrap();
    assert!(row.contains("A  A  A  A  A  1  2  2"), "{row}");
}

#[test]
fn unknown_teams_are_errors_and_files_without_teams_are_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.ron");
    let text =
        std::fs::read_to_string(fixture()).unwrap().replace("team: Some(\"msp\")", "team: Some(\"msq\")");
    std::fs::write(&bad, text).unwrap();
    let error = whoowns::io::load(&bad, Catalog::builtin()).unwrap_err().to_string();
    assert!(error.contains("unknown team \"msq\""), "{error}");
    // The fixture is canonical: teams and assignments round-trip.
    let output = run(&["fmt", "--check", fixture().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
}
