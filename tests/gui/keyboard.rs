//! The keyboard does what it says (issue 13, item 2): canvas shortcuts work whatever has the
//! focus unless a text field uses the key itself; egui's own interface zoom never fires; Esc
//! closes menus; the side panel keeps its width; the canvas zoom never drifts.

use super::*;

fn zoom(harness: &Harness<'static, WhoownsApp>) -> f32 {
    harness.state().zoom()
}

/// The side panel's left edge, by its first tab.
fn side_panel_left(harness: &Harness<'static, WhoownsApp>) -> f32 {
    harness.get_by_label("Responsibility").rect().min.x
}

#[test]
fn zoom_keys_zoom_the_canvas_from_inside_a_text_field_and_never_the_interface() {
    let mut harness = example_app();
    let fitted = zoom(&harness);
    harness.get_by_label("Search services").focus();
    harness.run();
    harness.get_by_label("Search services").type_text("s3");
    harness.run();
    assert!(harness.ctx.egui_wants_keyboard_input(), "the palette search has the keyboard");

    harness.key_press_modifiers(CTRL, Key::Minus);
    harness.run();
    assert!((zoom(&harness) - fitted * 0.8).abs() < 0.01, "zoom {} after Ctrl+-", zoom(&harness));
    harness.key_press_modifiers(CTRL, Key::Equals);
    harness.run();
    assert!((zoom(&harness) - fitted).abs() < 0.01);
    harness.key_press_modifiers(CTRL, Key::Plus);
    harness.run();
    harness.key_press_modifiers(CTRL, Key::Num0);
    harness.run();
    assert!((zoom(&harness) - fitted).abs() < 0.01, "Ctrl+0 fits again");
    assert_eq!(harness.ctx.zoom_factor(), 1.0, "the interface itself never zoomed");

    // Keys the field uses stay with it: Ctrl+A selects its text, not every node.
    harness.key_press_modifiers(CTRL, Key::A);
    harness.run();
    assert!(harness.state().selection().is_empty());
    assert!(harness.ctx.egui_wants_keyboard_input(), "still typing");
}

#[test]
fn esc_closes_an_open_menu_and_otherwise_selects_nothing() {
    let mut harness = example_app();
    harness.get_by_label("Web servers").click();
    harness.run();
    harness.get_by_label("File").click();
    harness.run();
    assert!(harness.query_by_label_contains("Save As").is_some(), "the File menu is open");
    harness.key_press(Key::Escape);
    harness.run();
    assert!(harness.query_by_label_contains("Save As").is_none(), "Esc closed the menu");
    assert!(harness.state().selection().nodes.contains("web"), "and left the selection alone");
    harness.key_press(Key::Escape);
    harness.run();
    assert!(harness.state().selection().is_empty(), "Esc with no menu open selects nothing");

    // The same command is in the Edit menu.
    harness.get_by_label("Web servers").click();
    harness.run();
    harness.get_by_label("Edit").click();
    harness.run();
    harness.get_by_label_contains("Select none").click();
    harness.run();
    assert!(harness.state().selection().is_empty());
}

#[test]
fn the_side_panel_keeps_the_width_it_was_given_and_the_zoom_stays() {
    let mut harness = example_app();
    let (left, fitted) = (side_panel_left(&harness), zoom(&harness));
    let unchanged = |harness: &Harness<'static, WhoownsApp>, step: &str| {
        assert_eq!(side_panel_left(harness), left, "the side panel moved after {step}");
        assert_eq!(zoom(harness), fitted, "the zoom drifted after {step}");
    };
    harness.key_press_modifiers(CTRL, Key::A);
    harness.run();
    harness.get_by_label("Tasks").click();
    harness.run();
    harness.get_by_label_contains("Tasks of ").rect();
    unchanged(&harness, "select all and the Tasks tab");
    harness.get_by_label("Web servers").click();
    harness.run();
    harness.get_by_label("Properties").click();
    harness.run();
    harness.get_by_role_and_label(egui::accesskit::Role::TextInput, "Label").focus();
    harness.run();
    harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "Label")
        .type_text(" that goes on and on, much longer than the panel is wide, and further still");
    harness.run();
    unchanged(&harness, "typing a long label");

    // A banner comes and goes over the canvas.
    let dir = tempfile::tempdir().unwrap();
    harness.state_mut().run_command(Command::SelectNone);
    harness.run();
    let mut harness = {
        drop(harness);
        app_with_dialogs(vec![Some(dir.path().join("tasks.md"))])
    };
    let fitted = zoom(&harness);
    command(&mut harness, Command::Export(whoowns::export::Format::Markdown));
    assert!(harness.state().messages().iter().any(|m| m.text.starts_with("Exported to")));
    assert_eq!(zoom(&harness), fitted, "a banner does not change the zoom");
    harness.get_by_label("Dismiss").click();
    harness.run();
    assert_eq!(zoom(&harness), fitted);

    // Resizing the side panel by its edge keeps the zoom too.
    let edge = side_panel_left(&harness) - 8.0;
    drag(&mut harness, Pos2::new(edge, 500.0), Pos2::new(edge - 120.0, 500.0));
    assert!(side_panel_left(&harness) < edge - 60.0, "the panel got wider");
    assert!((zoom(&harness) - fitted).abs() < 1e-4, "the zoom stayed at {fitted}, now {}", zoom(&harness));
}
