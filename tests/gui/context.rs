//! The right-click menu on the canvas.

use egui_kittest::kittest::Queryable as _;

use super::example_app;

#[test]
fn a_right_click_on_a_node_selects_it_and_offers_what_applies() {
    let mut harness = example_app();
    let before = harness.state().project().nodes.len();
    harness.get_by_label("Web servers").click_secondary();
    harness.run();
    let selected: Vec<&str> = harness.state().selection().nodes.iter().map(String::as_str).collect();
    assert_eq!(selected, ["web"], "the right click selected what it was on");
    // A node is not a boundary: nothing to ungroup.
    assert!(harness.query_by_label("Ungroup").is_none());
    harness.get_by_label("Duplicate").click();
    harness.run();
    assert_eq!(harness.state().project().nodes.len(), before + 1);
    assert!(harness.query_by_label("Duplicate").is_none(), "the menu closed");
}

#[test]
fn a_right_click_on_a_boundary_offers_ungroup_and_collapse() {
    let mut harness = example_app();
    let boundaries = harness.state().project().boundaries.len();
    let first = &harness.state().project().boundaries[0];
    let label = format!("{} {}", first.kind.name(), first.display_name());
    harness.get_by_label(&label).click_secondary();
    harness.run();
    harness.get_by_label("Collapse or expand");
    harness.get_by_label("Ungroup").click();
    harness.run();
    assert_eq!(harness.state().project().boundaries.len(), boundaries - 1);
}
