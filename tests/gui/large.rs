//! Large designs you can navigate (issue 13, item 4): find, zoom to selection, a task or a
//! listed node brought into view, the minimap, flows hidden or faded away from the selection and
//! filtered by kind, boundaries collapsed into one block.

use super::*;
use whoowns::model::geometry::{BOUNDARY_LABEL_HEIGHT, NODE_SIZE};
use whoowns::ui::canvas::FlowFocus;

fn node_centre_in_scene(harness: &Harness<'static, WhoownsApp>, id: &str) -> Pos2 {
    let pos = harness.state().project().node(id).unwrap().position.unwrap();
    Pos2::new(pos.x + NODE_SIZE.0 / 2.0, pos.y + NODE_SIZE.1 / 2.0)
}

fn in_view(harness: &Harness<'static, WhoownsApp>, id: &str) -> bool {
    harness.state().canvas().scene_rect().contains(node_centre_in_scene(harness, id))
}

fn find(harness: &mut Harness<'static, WhoownsApp>, text: &str) {
    harness.key_press_modifiers(CTRL, Key::F);
    harness.run();
    let field = harness.get_by_label("Find");
    field.type_text(text);
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
}

#[test]
fn find_selects_a_node_by_its_label_and_brings_it_close_enough_to_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = estate_app(dir.path(), 2_000);
    let project = harness.state().project();
    let node = project
        .nodes
        .iter()
        .rev()
        .find(|n| project.nodes.iter().filter(|m| m.label.starts_with(&n.label)).count() == 1)
        .unwrap()
        .clone();
    assert!(harness.state().zoom() < 0.3);
    find(&mut harness, &node.label.to_uppercase());
    assert_eq!(harness.state().selection().nodes.iter().collect::<Vec<_>>(), vec![&node.id]);
    assert!(harness.state().zoom() >= 0.7, "zoomed in to read it: {}", harness.state().zoom());
    assert!(in_view(&harness, &node.id));
    // Esc closes the find bar.
    harness.key_press(Key::Escape);
    harness.run();
    assert!(harness.query_by_label("Find").is_none());
}

#[test]
fn find_finds_tasks_by_control_and_zoom_to_selection_shows_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = estate_app(dir.path(), 2_000);
    // A control of a node's task that no account task shares, so the first task found for it
    // is about a node.
    let derivation = harness.state().document().derivation();
    let account_controls: Vec<String> = derivation
        .tasks
        .iter()
        .filter(|t| t.subject.node_ids().is_empty())
        .flat_map(|t| t.template.controls.iter().map(|c| c.to_lowercase()))
        .collect();
    let control = derivation
        .tasks
        .iter()
        .filter(|t| t.subject.node_ids().len() == 1)
        .flat_map(|t| t.template.controls.iter())
        .map(|c| c.to_lowercase())
        .find(|c| !account_controls.iter().any(|a| a.contains(c.as_str())))
        .unwrap();
    find(&mut harness, &control);
    assert_eq!(harness.state().selection().nodes.len(), 1, "the first task's node is selected");
    let selected = harness.state().selection().nodes.first().unwrap().clone();
    assert!(in_view(&harness, &selected));
    harness.key_press(Key::Escape);
    harness.run();

    harness.key_press_modifiers(CTRL, Key::Num0);
    harness.run();
    assert!(harness.state().zoom() < 0.3, "fitted again");
    harness.key_press_modifiers(CTRL, Key::Num2);
    harness.run();
    assert!((harness.state().zoom() - 1.0).abs() < 0.01, "zoom to selection: {}", harness.state().zoom());
    assert!(in_view(&harness, &selected));
}

#[test]
fn clicking_a_task_brings_its_node_into_view() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = estate_app(dir.path(), 2_000);
    harness.key_press_modifiers(CTRL, Key::Num1);
    harness.run();
    harness.get_by_label("Tasks").click();
    harness.run();
    // The last node's tasks: far from the centre of the design.
    let project = harness.state().project();
    let last = project.nodes.last().unwrap().clone();
    assert!(!in_view(&harness, &last.id));
    harness.get_by_label("Search tasks").focus();
    harness.run();
    harness.get_by_label("Search tasks").type_text(&last.label);
    harness.run();
    let derivation = harness.state().document().derivation();
    let task =
        derivation.tasks.iter().find(|t| t.is_remaining() && t.subject.concerns_node(&last.id)).unwrap();
    let title = task.template.title.clone();
    harness.get_all_by_label(&title).next().unwrap().click();
    harness.run();
    assert!(harness.state().selection().nodes.contains(&last.id));
    assert!(in_view(&harness, &last.id), "the task's node was brought into view");
}

#[test]
fn clicking_in_the_minimap_moves_the_view_there() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = estate_app(dir.path(), 2_000);
    harness.key_press_modifiers(CTRL, Key::Num1);
    harness.run();
    let before = harness.state().canvas().scene_rect().center();
    let minimap = harness.get_by_label("Minimap").rect();
    harness.get_by_label("Minimap").hover();
    click_at(&mut harness, minimap.left_top() + vec2(12.0, 12.0), Modifiers::NONE);
    let after = harness.state().canvas().scene_rect().center();
    assert!(after.x < before.x - 500.0 && after.y < before.y - 200.0, "{before:?} → {after:?}");
    assert!((harness.state().zoom() - 1.0).abs() < 0.01, "the zoom stays");
}

/// A flow of the example with neither end `web`, and the point on screen halfway along it.
fn flow_away_from_web(harness: &Harness<'static, WhoownsApp>) -> (String, Pos2) {
    let app = harness.state();
    let project = app.project();
    let strips: Vec<egui::Rect> = project
        .boundaries
        .iter()
        .filter_map(|b| b.rect)
        .map(|r| egui::Rect::from_min_size(Pos2::new(r.x, r.y), vec2(r.w, BOUNDARY_LABEL_HEIGHT + 8.0)))
        .collect();
    project
        .flows
        .iter()
        .filter(|f| f.from != "web" && f.to != "web")
        .find_map(|f| {
            let middle =
                node_centre_in_scene(harness, &f.from).lerp(node_centre_in_scene(harness, &f.to), 0.5);
            let on_node = project.nodes.iter().filter_map(|n| n.position).any(|p| {
                egui::Rect::from_min_size(Pos2::new(p.x, p.y), vec2(NODE_SIZE.0, NODE_SIZE.1))
                    .expand(30.0)
                    .contains(middle)
            });
            let on_strip = strips.iter().any(|s| s.contains(middle));
            (!on_node && !on_strip).then(|| (f.id.clone(), app.canvas().screen_position(middle)))
        })
        .expect("a flow away from the web servers with room to click it")
}

#[test]
fn flows_away_from_the_selection_hide_and_flows_filter_by_kind() {
    let mut harness = example_app();
    let (flow, middle) = flow_away_from_web(&harness);
    click_at(&mut harness, middle, Modifiers::NONE);
    assert!(harness.state().selection().flows.contains(&flow), "the flow is there to click");

    harness.get_by_label("Web servers").click();
    harness.run();
    command(&mut harness, Command::SetFlowFocus(FlowFocus::Hide));
    click_at(&mut harness, middle, Modifiers::NONE);
    assert!(!harness.state().selection().flows.contains(&flow), "hidden: it is away from the web servers");

    command(&mut harness, Command::SetFlowFocus(FlowFocus::Fade));
    harness.get_by_label("Web servers").click();
    harness.run();
    click_at(&mut harness, middle, Modifiers::NONE);
    assert!(harness.state().selection().flows.contains(&flow), "faded flows can still be picked");

    // Only flows between trust zones: this one stays inside the production account or not.
    command(&mut harness, Command::SetFlowFocus(FlowFocus::All));
    let view = harness.state().document().view();
    let f = view.flow_index(&flow).unwrap();
    let (a, b) = view.flow_ends(f).unwrap();
    let crossing = view.trust_zone(a) != view.trust_zone(b);
    command(&mut harness, Command::ToggleCrossingFlows);
    command(&mut harness, Command::SelectNone);
    click_at(&mut harness, middle, Modifiers::NONE);
    assert_eq!(harness.state().selection().flows.contains(&flow), crossing);
    harness.get_by_label("Flows filtered");
}

#[test]
fn a_collapsed_boundary_is_one_block_with_its_members_worst_task() {
    let mut harness = example_app();
    harness.get_by_label("Web servers");
    harness.get_by_label("Collapse VPC Shop VPC 10.0.0.0/16").click();
    harness.run();
    assert!(harness.query_by_label("Web servers").is_none(), "its nodes are inside the block");
    harness.get_by_label_contains("VPC Shop VPC 10.0.0.0/16 (collapsed: 3 nodes, ");
    harness.get_by_label_contains("remaining task(s), worst ");
    // The rest of the design is still there, with its flows drawn to the block.
    harness.get_by_label("Users");
    harness.get_by_label("Expand VPC Shop VPC 10.0.0.0/16").click();
    harness.run();
    harness.get_by_label("Web servers");
}
