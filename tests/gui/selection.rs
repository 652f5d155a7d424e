//! One selection reducer behind both canvas paths: nodes as widgets (a small design), and nodes
//! painted as one mesh and found by position (thousands on screen at far zoom). The same
//! gestures give the same selections on both.

use super::*;
use whoowns::model::geometry::{BOUNDARY_LABEL_HEIGHT, NODE_SIZE};
use whoowns::ui::canvas::MESH_NODES_ABOVE;

const SHIFT: Modifiers = Modifiers::SHIFT;

/// Where the canvas is sure to be: right of the palette, left of the side panel, above the
/// minimap.
const REGION: (Pos2, Pos2) = (Pos2::new(270.0, 90.0), Pos2::new(840.0, 680.0));

fn selected_nodes(harness: &Harness<'static, WhoownsApp>) -> Vec<String> {
    harness.state().selection().nodes.iter().cloned().collect()
}

fn node_rect_in_scene(harness: &Harness<'static, WhoownsApp>, index: usize) -> Option<egui::Rect> {
    let pos = harness.state().project().nodes[index].position?;
    Some(egui::Rect::from_min_size(Pos2::new(pos.x, pos.y), vec2(NODE_SIZE.0, NODE_SIZE.1)))
}

/// Whether nothing that takes a press is at `on_screen`: no node, no boundary label strip.
fn is_empty(harness: &Harness<'static, WhoownsApp>, on_screen: Pos2) -> bool {
    let app = harness.state();
    let p = app.canvas().scene_position(on_screen);
    let project = app.project();
    // Nodes drawn in full have a connect handle on their edge: keep clear of it too.
    let margin = if app.zoom() >= 0.3 { 24.0 / app.zoom() } else { 2.0 };
    let on_node = (0..project.nodes.len())
        .any(|i| node_rect_in_scene(harness, i).is_some_and(|r| r.expand(margin).contains(p)));
    let on_strip = project.boundaries.iter().filter_map(|b| b.rect).any(|r| {
        egui::Rect::from_min_size(Pos2::new(r.x, r.y), vec2(r.w, BOUNDARY_LABEL_HEIGHT))
            .expand(4.0)
            .contains(p)
    });
    !on_node && !on_strip
}

fn first_empty_point(harness: &Harness<'static, WhoownsApp>) -> Pos2 {
    let (min, max) = REGION;
    let mut y = min.y;
    while y < max.y {
        let mut x = min.x;
        while x < max.x {
            if is_empty(harness, Pos2::new(x, y)) {
                return Pos2::new(x, y);
            }
            x += 7.0;
        }
        y += 7.0;
    }
    panic!("no empty point on the canvas");
}

/// Two nodes that sit alone (no other node over their centre) inside the region, by id with
/// their centres on screen.
fn two_lone_nodes(harness: &Harness<'static, WhoownsApp>) -> [(String, Pos2); 2] {
    let project = harness.state().project();
    let (min, max) = REGION;
    let inside = |p: Pos2| p.x > min.x && p.y > min.y && p.x < max.x && p.y < max.y;
    let lone: Vec<(String, Pos2)> = (0..project.nodes.len())
        .filter_map(|i| {
            let rect = node_rect_in_scene(harness, i)?;
            let alone = (0..project.nodes.len()).all(|j| {
                j == i || node_rect_in_scene(harness, j).is_none_or(|r| !r.expand(8.0).intersects(rect))
            });
            let centre = node_on_screen(harness, &project.nodes[i].id);
            (alone && inside(centre)).then(|| (project.nodes[i].id.clone(), centre))
        })
        .take(2)
        .collect();
    [lone[0].clone(), lone[1].clone()]
}

/// Click, Shift+click on another node, Shift+click on the first again, click on empty canvas.
fn click_shift_click_and_clear(
    harness: &mut Harness<'static, WhoownsApp>,
    a: &(String, Pos2),
    b: &(String, Pos2),
) {
    click_at(harness, a.1, Modifiers::NONE);
    assert_eq!(selected_nodes(harness), vec![a.0.clone()], "click selects only the node");
    click_at(harness, b.1, SHIFT);
    let mut both = vec![a.0.clone(), b.0.clone()];
    both.sort();
    assert_eq!(selected_nodes(harness), both, "Shift+click adds");
    click_at(harness, a.1, SHIFT);
    assert_eq!(selected_nodes(harness), vec![b.0.clone()], "Shift+click on a selected node takes it out");
    let empty = first_empty_point(harness);
    click_at(harness, empty, Modifiers::NONE);
    assert!(selected_nodes(harness).is_empty(), "a click on empty canvas clears the nodes");
}

/// Drags node `a` down and checks it moved (and that a drag on an unselected node selects it).
fn drag_moves_the_node(harness: &mut Harness<'static, WhoownsApp>, a: &(String, Pos2)) {
    let before = harness.state().project().node(&a.0).unwrap().position.unwrap();
    drag(harness, a.1, a.1 + vec2(0.0, 60.0));
    let after = harness.state().project().node(&a.0).unwrap().position.unwrap();
    assert!(
        after.y > before.y && (after.x - before.x).abs() <= 20.0,
        "{before:?} → {after:?} (snapped to the grid)"
    );
    assert_eq!(selected_nodes(harness), vec![a.0.clone()]);
    harness.key_press_modifiers(CTRL, Key::Z);
    harness.run();
}

/// A rubber band from an empty point around node `a` selects exactly the nodes it encloses.
fn rubber_band_selects_what_it_encloses(harness: &mut Harness<'static, WhoownsApp>, a: &(String, Pos2)) {
    let (start, end) = [12.0_f32, 20.0, 30.0, 45.0]
        .into_iter()
        .map(|m| (a.1 - vec2(m + 40.0, m), a.1 + vec2(m + 40.0, m)))
        .find(|(start, _)| is_empty(harness, *start))
        .expect("an empty corner near the node");
    let band = {
        let canvas = harness.state().canvas();
        egui::Rect::from_two_pos(canvas.scene_position(start), canvas.scene_position(end))
    };
    let project = harness.state().project();
    let mut expected: Vec<String> = (0..project.nodes.len())
        .filter(|&i| node_rect_in_scene(harness, i).is_some_and(|r| band.contains_rect(r)))
        .map(|i| project.nodes[i].id.clone())
        .collect();
    expected.sort();
    assert!(expected.contains(&a.0));
    drag(harness, start, end);
    assert_eq!(selected_nodes(harness), expected);
}

#[test]
fn the_widget_path_clicks_shift_clicks_drags_and_bands() {
    let mut harness = example_app();
    let [a, b] = two_lone_nodes(&harness);
    assert!(harness.query_by_label("Web servers").is_some(), "nodes are widgets at this size");
    click_shift_click_and_clear(&mut harness, &a, &b);
    drag_moves_the_node(&mut harness, &a);
    rubber_band_selects_what_it_encloses(&mut harness, &a);
}

#[test]
fn the_mesh_path_selects_the_same_way_with_thousands_of_nodes_on_screen() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = estate_app(dir.path(), 2_000);
    // Zoomed to fit: every node is a block on screen, far more than widgets are made for.
    let app = harness.state();
    assert!(app.zoom() < 0.3, "zoom {}", app.zoom());
    assert!(app.project().nodes.len() > MESH_NODES_ABOVE);
    let label = app.project().nodes[10].display_name().to_owned();
    assert!(harness.query_by_label(&label).is_none(), "nodes are one mesh, not widgets");
    let [a, b] = two_lone_nodes(&harness);
    click_shift_click_and_clear(&mut harness, &a, &b);
    drag_moves_the_node(&mut harness, &a);
    rubber_band_selects_what_it_encloses(&mut harness, &a);
}
