//! Catalog overlays from the command line: from the project's `catalogs`, the user's catalogs
//! folder and `--catalog`; and a project whose overlay is missing, which still opens and keeps
//! everything.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "test helpers fail loudly")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ACME: &str = include_str!("fixtures/overlay/acme.ron");
const DESIGN: &str = include_str!("fixtures/overlay/design.ron");

/// Runs whoowns with `config` as its configuration folder, so the tester's own catalogs stay out.
fn whoowns(config: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_whoowns"))
        .env("WHOOWNS_CONFIG_DIR", config)
        .args(args)
        .output()
        .expect("run whoowns")
}

/// Runs whoowns with an empty configuration folder.
fn run(args: &[&str]) -> Output {
    let config = tempfile::tempdir().unwrap();
    whoowns(config.path(), args)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A folder with the design, and its overlay when `with_overlay`.
fn design_folder(with_overlay: bool) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let design = dir.path().join("design.ron");
    std::fs::write(&design, DESIGN).unwrap();
    if with_overlay {
        std::fs::create_dir(dir.path().join("catalogs")).unwrap();
        std::fs::write(dir.path().join("catalogs/acme.ron"), ACME).unwrap();
    }
    (dir, design)
}

#[test]
fn the_projects_overlay_is_layered_and_its_tasks_derived() {
    let (_dir, design) = design_folder(true);
    let output = run(&["check", design.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let report = text(&output.stdout);
    // The overlay's override: EC2's guest OS is shared, its patch task still there; the retired
    // task is gone; the deployer's task is done as recorded.
    assert!(report.contains("web/ec2.patch_guest_os"), "{report}");
    assert!(!report.contains("remove_stopped"), "{report}");
    assert!(!report.contains("deployer/acme_deployer.signed_artifacts"), "{report}");
    let output = run(&["matrix", design.to_str().unwrap()]);
    let matrix = text(&output.stdout);
    let row = matrix.lines().find(|l| l.starts_with("web ")).unwrap();
    assert!(row.contains("A  A  A  A  A  S  C"), "{row}");
}

#[test]
fn a_missing_overlay_keeps_the_project_whole() {
    let (_dir, design) = design_folder(false);
    let path = design.to_str().unwrap();
    // check cannot check it: exit 2, naming the file.
    let output = run(&["check", path]);
    assert_eq!(output.status.code(), Some(2));
    let error = text(&output.stderr);
    assert!(error.contains("catalog overlay catalogs/acme.ron not found"), "{error}");
    // The project still loads: the node and its task state are kept, and say why.
    let output = run(&["matrix", path]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let warning = text(&output.stderr);
    assert!(
        warning.contains("unknown service \"acme_deployer\", from catalogs/acme.ron, not found"),
        "{warning}"
    );
    assert!(text(&output.stdout).contains("deployer"));
    // Saved back (fmt rewrites in canonical form) byte for byte unchanged.
    let output = run(&["fmt", "--check", path]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let output = run(&["fmt", path]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(std::fs::read_to_string(&design).unwrap(), DESIGN);
}

#[test]
fn a_missing_overlay_round_trips_through_the_library_byte_for_byte() {
    let (_dir, design) = design_folder(false);
    let catalog = whoowns::catalog::Catalog::builtin();
    let loaded = whoowns::io::load(&design, catalog).unwrap();
    assert!(loaded.warnings.iter().any(|w| w.contains("acme_deployer")), "{:?}", loaded.warnings);
    let derivation = whoowns::checklist::derive(&loaded.project, catalog);
    assert_eq!(derivation.owners[0], None);
    assert_eq!(derivation.orphaned, ["deployer/acme_deployer.signed_artifacts"]);
    let saved = design.with_file_name("saved.ron");
    whoowns::io::save(&saved, &loaded.project).unwrap();
    assert_eq!(std::fs::read_to_string(&saved).unwrap(), DESIGN);
}

#[test]
fn without_catalogs_an_unknown_service_is_still_an_error() {
    let (_dir, design) = design_folder(false);
    let plain = DESIGN.replace("    catalogs: [\n        \"catalogs/acme.ron\",\n    ],\n", "");
    std::fs::write(&design, plain).unwrap();
    let output = run(&["check", design.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("unknown service \"acme_deployer\""), "{}", text(&output.stderr));
}

#[test]
fn overlays_come_from_the_user_folder_and_the_command_line_in_order() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("catalogs")).unwrap();
    std::fs::write(dir.path().join("catalogs/acme.ron"), ACME).unwrap();
    let extra = dir.path().join("extra.ron");
    std::fs::write(
        &extra,
        "Catalog(retire_tasks: [(service: \"acme_deployer\", task: \"signed_artifacts\", reason: \"Signed by the platform.\")])",
    )
    .unwrap();
    let output = whoowns(dir.path(), &["catalog", "--catalog", extra.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let listing = text(&output.stdout);
    assert!(listing.contains("acme_deployer"), "{listing}");
    let user = listing.find("acme.ron (user catalogs folder)").unwrap();
    let given = listing.find("extra.ron (--catalog)").unwrap();
    assert!(user < given, "{listing}");
    assert!(listing.contains("retired acme_deployer.signed_artifacts: Signed by the platform."), "{listing}");
}

#[test]
fn an_invalid_overlay_is_an_error_with_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.ron");
    std::fs::write(&bad, "Catalog(\n  retire_tasks: [(service: \"ec2\", task: \"nope\", reason: \"x\")],\n)")
        .unwrap();
    let output = whoowns(dir.path(), &["catalog", "--catalog", bad.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let error = text(&output.stderr);
    assert!(error.contains(&format!("{}:2:", bad.display())) && error.contains("no such task"), "{error}");
    let output =
        whoowns(dir.path(), &["catalog", "--catalog", dir.path().join("none.ron").to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("cannot read the catalog overlay"));
}
