//! The Tasks tab acting on many tasks at once.

use egui::{Key, Pos2};
use egui_kittest::kittest::Queryable as _;
use whoowns::model::TaskStatus;

use super::{CTRL, example_app, remaining};

#[test]
fn the_listed_tasks_of_a_node_are_set_at_once_and_undone_in_one_step() {
    let mut harness = example_app();
    let before = remaining(&harness);
    let states_before = harness.state().project().tasks.clone();
    harness.get_by_label("Web servers").click();
    harness.run();
    harness.get_by_label("Tasks").click();
    harness.run();
    harness.get_by_label_contains("listed tasks to…").click();
    harness.run();
    harness.get_by_label("Not applicable").click();
    harness.run();
    let project = harness.state().project().clone();
    let web: Vec<_> = project.tasks.iter().filter(|(key, _)| key.starts_with("web/")).collect();
    assert!(web.len() >= 2, "the web servers' tasks were all set: {web:?}");
    assert!(web.iter().all(|(_, state)| state.status == TaskStatus::NotApplicable));
    // Only the listed tasks (the web servers' own, their account's, their flows') changed.
    let changed: Vec<_> =
        project.tasks.iter().filter(|(key, state)| states_before.get(*key) != Some(*state)).collect();
    assert!(changed.iter().all(|(_, state)| state.status == TaskStatus::NotApplicable));
    assert!(
        changed.iter().all(|(key, _)| !key.starts_with("orders-db/") && !key.starts_with("order-queue/"))
    );
    assert!(remaining(&harness) > 0, "tasks of other nodes stay open");
    assert!(remaining(&harness) < before);
    // One undo step brings every one back.
    harness.hover_at(Pos2::new(700.0, 400.0));
    harness.key_press_modifiers(CTRL, Key::Z);
    harness.run();
    assert_eq!(remaining(&harness), before);
}
