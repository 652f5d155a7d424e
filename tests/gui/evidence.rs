//! Findings in the app (issue 15): load Security Hub findings, see which node fails, show the
//! failing tasks in the Tasks tab, keep the findings beside the design and find them again
//! when it opens.

use super::*;

const IMDS: &str = "Require IMDSv2 on every instance and launch template";
const ROOT: &str = "Hold no root access keys, put MFA on the root user and stop using it day to day";

fn findings() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ecommerce.findings.json")
}

fn node_fails(harness: &Harness<'static, WhoownsApp>, id: &str) -> bool {
    let app = harness.state();
    let index = app.project().nodes.iter().position(|n| n.id == id).unwrap();
    app.document().evidence().is_some_and(|held| held.node_fails(index))
}

#[test]
fn load_findings_see_the_failing_node_and_filter_the_tasks() {
    let dir = tempfile::tempdir().unwrap();
    let design = dir.path().join("shop.ron");
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/ecommerce.ron"), &design).unwrap();
    let answers = vec![Some(findings()), Some(design.clone())];
    let mut harness =
        app(AppOptions { file: Some(design.clone()), ..AppOptions::scripted(ScriptedDialogs::new(answers)) });
    assert!(harness.state().document().evidence().is_none());

    command(&mut harness, Command::LoadFindings);
    assert_eq!(harness.state().tab(), Tab::Evidence, "the findings' tab opens");
    assert!(node_fails(&harness, "web"), "IMDSv2 fails on the web servers");
    assert!(!node_fails(&harness, "cdn"));
    harness.get_by_label("Marked done but failing (1)");
    assert!(
        harness.state().messages().iter().any(|m| m.text.contains("5 failing")),
        "{:?}",
        harness.state().messages()
    );

    // The failing count shows exactly the failing tasks.
    harness.get_by_label("5 failing").click();
    harness.run();
    harness.run();
    assert_eq!(harness.state().tab(), Tab::Tasks);
    harness.get_by_label(&format!("Done: {IMDS}"));
    assert!(harness.query_by_label(&format!("Done: {ROOT}")).is_none(), "a verified task is filtered out");

    // Kept beside the design, the findings come back when it opens again; the design is not written.
    let before = std::fs::read(&design).unwrap();
    command(&mut harness, Command::KeepFindings);
    assert!(dir.path().join("shop.evidence.json").exists());
    assert_eq!(std::fs::read(&design).unwrap(), before);
    command(&mut harness, Command::ClearFindings);
    assert!(harness.state().document().evidence().is_none());
    command(&mut harness, Command::Open);
    assert!(node_fails(&harness, "web"), "read back from shop.evidence.json");
}

#[test]
fn a_broken_findings_file_says_where_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("findings.json");
    std::fs::write(&broken, "{\"Findings\": [ {\"SchemaVersion\": \"2018-10-08\", ").unwrap();
    let mut harness = app(AppOptions::scripted(ScriptedDialogs::new([Some(broken)])));
    let before = harness.state().project().clone();
    command(&mut harness, Command::LoadFindings);
    let messages = harness.state().messages();
    assert!(messages.iter().any(|m| m.is_error && m.text.contains("findings.json:1:")), "{messages:?}");
    assert!(harness.state().document().evidence().is_none());
    assert_eq!(harness.state().project(), &before);
}
