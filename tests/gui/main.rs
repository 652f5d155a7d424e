//! The desktop app driven headless with egui_kittest (interaction only, no GPU): the flows a
//! person goes through, found by their accessible names as a screen reader would.
#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "test helpers fail loudly")]

mod boundaries;
mod context;
mod evidence;
mod keyboard;
mod large;
mod recovery;
mod selection;
mod tasks;

use std::path::{Path, PathBuf};

use egui::{Key, Modifiers, Pos2, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use whoowns::model::TaskStatus;
use whoowns::ui::{AppOptions, Command, ScriptedDialogs, Tab, WhoownsApp};

const CTRL: Modifiers = Modifiers::COMMAND;
const CTRL_SHIFT: Modifiers = Modifiers { shift: true, ..Modifiers::COMMAND };

fn app(options: AppOptions) -> Harness<'static, WhoownsApp> {
    let mut harness = Harness::builder()
        .with_size(vec2(1440.0, 900.0))
        .with_max_steps(24)
        .build_eframe(move |cc| WhoownsApp::new(cc, options));
    harness.run();
    harness
}

fn example_app() -> Harness<'static, WhoownsApp> {
    app(AppOptions::scripted(ScriptedDialogs::default()))
}

fn app_with_dialogs(answers: Vec<Option<PathBuf>>) -> Harness<'static, WhoownsApp> {
    app(AppOptions::scripted(ScriptedDialogs::new(answers)))
}

fn command(harness: &mut Harness<'static, WhoownsApp>, command: Command) {
    harness.state_mut().run_command(command);
    harness.run();
}

/// A point on the canvas, away from the side panels.
fn canvas_point(x: f32, y: f32) -> Pos2 {
    Pos2::new(x, y)
}

fn centre_of(harness: &Harness<'static, WhoownsApp>, label: &str) -> Pos2 {
    harness.get_by_label(label).rect().center()
}

fn drag(harness: &mut Harness<'static, WhoownsApp>, from: Pos2, to: Pos2) {
    harness.hover_at(from);
    harness.run();
    harness.drag_at(from);
    harness.run();
    let middle = from + (to - from) / 2.0;
    harness.hover_at(middle);
    harness.run();
    harness.hover_at(to);
    harness.run();
    harness.drop_at(to);
    harness.run();
}

/// A click at `pos` with `modifiers` held (Shift+click).
fn click_at(harness: &mut Harness<'static, WhoownsApp>, pos: Pos2, modifiers: Modifiers) {
    harness.hover_at(pos);
    harness.run();
    harness.event(egui::Event::ModifiersChanged(modifiers));
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers,
        });
    }
    harness.event(egui::Event::ModifiersChanged(Modifiers::NONE));
    harness.run();
}

/// The app with a generated estate of `services` services open, saved in `dir`.
fn estate_app(dir: &Path, services: usize) -> Harness<'static, WhoownsApp> {
    let project = whoowns::generate::generate(services, 3, whoowns::catalog::Catalog::builtin());
    let path = dir.join("estate.ron");
    whoowns::io::save(&path, &project).unwrap();
    app(AppOptions { file: Some(path), ..AppOptions::scripted(ScriptedDialogs::default()) })
}

/// Where the centre of node `id` is on screen.
fn node_on_screen(harness: &Harness<'static, WhoownsApp>, id: &str) -> Pos2 {
    let app = harness.state();
    let pos = app.project().node(id).and_then(|n| n.position).expect("the node has a place");
    let (w, h) = whoowns::model::geometry::NODE_SIZE;
    app.canvas().screen_position(Pos2::new(pos.x + w / 2.0, pos.y + h / 2.0))
}

fn remaining(harness: &Harness<'static, WhoownsApp>) -> usize {
    harness.state().document().derivation().counts().remaining
}

fn write_project(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn starts_with_the_ecommerce_example_unsaved_and_clean() {
    let harness = example_app();
    let app = harness.state();
    assert_eq!(app.project().name, "E-commerce shop");
    assert!(app.document().path.is_none(), "the example has no file until saved");
    assert!(!app.document().is_dirty());
    harness.get_by_label("Web servers");
    harness.get_by_label("Responsibility");
}

#[test]
fn place_a_service_by_clicking_the_palette_then_the_canvas() {
    let mut harness = example_app();
    command(&mut harness, Command::New);
    assert!(harness.state().project().nodes.is_empty());
    place(&mut harness, "Amazon S3", canvas_point(700.0, 450.0));
    let project = harness.state().project();
    assert_eq!(project.nodes.len(), 1, "one node placed");
    assert_eq!(project.nodes[0].service, "s3");
    assert!(harness.state().selection().nodes.contains(&project.nodes[0].id));
}

#[test]
fn place_a_service_by_dragging_it_from_the_palette() {
    let mut harness = example_app();
    command(&mut harness, Command::New);
    let from = centre_of(&harness, "AWS Lambda");
    drag(&mut harness, from, canvas_point(800.0, 400.0));
    let project = harness.state().project();
    assert_eq!(project.nodes.len(), 1);
    assert_eq!(project.nodes[0].service, "lambda");
}

/// The canvas node labelled `label` (the palette may have a button with the same name).
fn canvas_node_centre(harness: &Harness<'static, WhoownsApp>, label: &str) -> Pos2 {
    harness
        .get_all_by_label(label)
        .map(|node| node.rect().center())
        .find(|centre| centre.x > 400.0 && centre.x < 1000.0)
        .expect("a node on the canvas")
}

fn place(harness: &mut Harness<'static, WhoownsApp>, palette_label: &str, at: Pos2) {
    harness.get_by_label(palette_label).click();
    harness.run();
    harness.hover_at(at);
    harness.run();
    harness.drag_at(at);
    harness.drop_at(at);
    harness.run();
}

#[test]
fn connect_two_nodes_by_dragging_from_the_handle() {
    let mut harness = example_app();
    command(&mut harness, Command::New);
    place(&mut harness, "Amazon EC2", canvas_point(600.0, 400.0));
    place(&mut harness, "Amazon RDS", canvas_point(900.0, 400.0));
    assert_eq!(harness.state().project().nodes.len(), 2);
    // The handle shows on the selected or hovered node.
    let ec2 = canvas_node_centre(&harness, "Amazon EC2");
    harness.hover_at(ec2);
    harness.run();
    let handle = centre_of(&harness, "Connect from Amazon EC2");
    let rds = canvas_node_centre(&harness, "Amazon RDS");
    drag(&mut harness, handle, rds);
    let project = harness.state().project();
    assert_eq!(project.flows.len(), 1, "one flow");
    assert_eq!((project.flows[0].from.as_str(), project.flows[0].to.as_str()), ("ec2", "rds"));
    assert_eq!(project.flows[0].encrypted_in_transit, None, "a new flow follows its protocol (HTTPS)");
    assert!(harness.state().selection().flows.contains(&project.flows[0].id));
}

#[test]
fn move_a_node_then_undo_and_redo() {
    let mut harness = example_app();
    let before = harness.state().project().node("web").unwrap().position.unwrap();
    let centre = centre_of(&harness, "Web servers");
    drag(&mut harness, centre, centre + vec2(0.0, 120.0));
    let moved = harness.state().project().node("web").unwrap().position.unwrap();
    assert!(moved.y > before.y + 40.0, "moved from {before:?} to {moved:?}");
    assert_eq!(moved.x, before.x);
    assert!(harness.state().document().is_dirty());

    harness.key_press_modifiers(CTRL, Key::Z);
    harness.run();
    assert_eq!(harness.state().project().node("web").unwrap().position.unwrap(), before);
    assert!(!harness.state().document().is_dirty(), "undo back to the opened state is clean");

    harness.key_press_modifiers(CTRL_SHIFT, Key::Z);
    harness.run();
    assert_eq!(harness.state().project().node("web").unwrap().position.unwrap(), moved);
    harness.key_press_modifiers(CTRL, Key::Z);
    harness.run();
    harness.key_press_modifiers(CTRL, Key::Y);
    harness.run();
    assert_eq!(harness.state().project().node("web").unwrap().position.unwrap(), moved);
}

#[test]
fn delete_a_node_with_its_flows_and_undo() {
    let mut harness = example_app();
    let flows_before = harness.state().project().flows.len();
    harness.get_by_label("Web servers").click();
    harness.run();
    assert!(harness.state().selection().nodes.contains("web"));
    harness.key_press(Key::Delete);
    harness.run();
    let project = harness.state().project();
    assert!(project.node("web").is_none());
    assert!(project.flows.iter().all(|f| f.from != "web" && f.to != "web"));
    assert!(project.flows.len() < flows_before);
    harness.key_press_modifiers(CTRL, Key::Z);
    harness.run();
    assert!(harness.state().project().node("web").is_some());
    assert_eq!(harness.state().project().flows.len(), flows_before);
}

#[test]
fn mark_a_task_done_and_the_remaining_count_drops() {
    let mut harness = example_app();
    let before = remaining(&harness);
    harness.get_by_label("Web servers").click();
    harness.run();
    harness.get_by_label("Tasks").click();
    harness.run();
    assert_eq!(harness.state().tab(), Tab::Tasks);
    harness.get_by_label("Done: Require IMDSv2 on every instance and launch template").click();
    harness.run();
    assert_eq!(remaining(&harness), before - 1);
    let state = &harness.state().project().tasks["web/ec2.imdsv2"];
    assert_eq!(state.status, TaskStatus::Done);
    assert!(state.updated.is_some());
    // The status change is undoable like any other.
    harness.key_press_modifiers(CTRL, Key::Z);
    harness.run();
    assert_eq!(remaining(&harness), before);
}

#[test]
fn a_task_without_a_security_hub_control_says_why() {
    let mut harness = example_app();
    harness.get_by_label("Web servers").click();
    harness.run();
    harness.get_by_label("Tasks").click();
    harness.run();
    // ec2/instance_profile has no control: the panel shows the catalog's basis in its place.
    harness.get_by_label(
        "no Security Hub control checks for a profile; CIS 1.18 / 5.0 1.17; EC2 user guide, IAM roles for EC2",
    );
}

#[test]
fn switch_a_variant_and_the_owner_changes_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_project(
        dir.path(),
        "ecs.ron",
        "Project(version: 1, name: \"ECS\", nodes: [Node(id: \"svc\", service: \"ecs\", label: \"Orders service\")])",
    );
    let mut harness =
        app(AppOptions { file: Some(path), ..AppOptions::scripted(ScriptedDialogs::default()) });
    harness.get_by_label("Orders service").click();
    harness.run();
    harness.get_by_label("Guest OS and patching: Customer");
    harness.get_by_label("Deployment:").click();
    harness.run();
    harness.get_by_label("Fargate launch type").click();
    harness.run();
    harness.get_by_label("Guest OS and patching: AWS");
    assert_eq!(harness.state().project().node("svc").unwrap().variant.as_deref(), Some("fargate"));
}

#[test]
fn save_and_reopen_through_the_file_dialog() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shop.ron");
    let mut harness = app_with_dialogs(vec![Some(path.clone()), Some(path.clone())]);
    harness.key_press_modifiers(CTRL, Key::S);
    harness.run();
    assert!(path.exists(), "Ctrl+S on an untitled document asks where and saves");
    assert_eq!(harness.state().document().path.as_deref(), Some(path.as_path()));
    let saved = harness.state().project().clone();

    // Change something, then open the saved file: the app asks before discarding.
    harness.get_by_label("Web servers").click();
    harness.run();
    harness.key_press(Key::Delete);
    harness.run();
    assert!(harness.state().document().is_dirty());
    harness.key_press_modifiers(CTRL, Key::O);
    harness.run();
    harness.get_by_label("Discard").click();
    harness.run();
    assert_eq!(harness.state().project(), &saved);
    assert!(!harness.state().document().is_dirty());
}

#[test]
fn cancel_keeps_unsaved_work() {
    let mut harness = example_app();
    harness.get_by_label("Web servers").click();
    harness.run();
    harness.key_press(Key::Delete);
    harness.run();
    command(&mut harness, Command::New);
    harness.get_by_label("Cancel").click();
    harness.run();
    assert_eq!(harness.state().project().name, "E-commerce shop");
    assert!(harness.state().project().node("web").is_none(), "the edit is still there");
}

#[test]
fn a_bad_file_shows_its_error_and_the_app_stays_usable() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_project(
        dir.path(),
        "bad.ron",
        "Project(\n  version: 1,\n  nodes: [Node(id: \"a\", service: \"ec9\")],\n)",
    );
    let mut harness =
        app(AppOptions { file: Some(path), ..AppOptions::scripted(ScriptedDialogs::default()) });
    let messages = harness.state().messages();
    assert_eq!(messages.len(), 1);
    assert!(messages[0].is_error && messages[0].text.contains("bad.ron:3:"), "{:?}", messages[0]);
    harness.get_by_label("Dismiss").click();
    harness.run();
    assert!(harness.state().messages().is_empty());
    harness.get_by_label("Web servers").click();
    harness.run();
    assert!(harness.state().selection().nodes.contains("web"));
}

#[test]
fn duplicate_gives_new_ids_and_selects_the_copy() {
    let mut harness = example_app();
    harness.get_by_label("Web servers").click();
    harness.run();
    harness.key_press_modifiers(CTRL, Key::D);
    harness.run();
    let app = harness.state();
    assert!(app.project().node("web-2").is_some());
    assert!(app.selection().nodes.contains("web-2"));
    assert_eq!(app.selection().nodes.len(), 1);
}

#[test]
fn export_the_checklist_through_the_file_dialog() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tasks");
    let mut harness = app_with_dialogs(vec![Some(path.clone())]);
    command(&mut harness, Command::Export(whoowns::export::Format::Markdown));
    let text = std::fs::read_to_string(dir.path().join("tasks.md")).unwrap();
    assert!(text.starts_with("# E-commerce shop: customer checklist"));
}

#[test]
fn zoom_commands_and_shortcuts_change_the_zoom() {
    let mut harness = example_app();
    let fitted = harness.state().zoom();
    assert!(fitted < 1.0, "the example is larger than the canvas");
    harness.key_press_modifiers(CTRL, Key::Num1);
    harness.run();
    assert!((harness.state().zoom() - 1.0).abs() < 0.01, "zoom {}", harness.state().zoom());
    harness.key_press_modifiers(CTRL, Key::Minus);
    harness.run();
    assert!((harness.state().zoom() - 0.8).abs() < 0.01, "zoom {}", harness.state().zoom());
    command(&mut harness, Command::ZoomToFit);
    assert!((harness.state().zoom() - fitted).abs() < 0.01);
}

#[test]
fn unsaved_work_survives_a_crash_through_the_recovery_file() {
    let dir = tempfile::tempdir().unwrap();
    let recovery = dir.path().join("recovery");
    let options = || AppOptions {
        recovery_folder: Some(recovery.clone()),
        autosave_seconds: 0.0,
        ..AppOptions::scripted(ScriptedDialogs::default())
    };
    let mut harness = app(options());
    harness.get_by_label("Web servers").click();
    harness.run();
    harness.key_press(Key::Delete);
    harness.run();
    harness.run_steps(2);
    let files: Vec<_> = std::fs::read_dir(&recovery).unwrap().collect();
    assert_eq!(files.len(), 1, "the unsaved change was autosaved");
    // The app "crashes": it is dropped without saving. The next start offers the work back.
    drop(harness);
    let mut harness = app(options());
    harness.get_by_label("Restore unsaved changes?");
    harness.get_by_label("Restore").click();
    harness.run();
    assert!(harness.state().project().node("web").is_none(), "the deletion was recovered");
    assert!(harness.state().document().is_dirty());

    // Saving removes the recovery file.
    let saved = dir.path().join("shop.ron");
    let mut harness =
        app(AppOptions { dialogs: Box::new(ScriptedDialogs::new([Some(saved.clone())])), ..options() });
    harness.get_by_label("Discard").click();
    harness.run();
    assert!(std::fs::read_dir(&recovery).unwrap().next().is_none(), "discarding removes the recovery file");
    harness.get_by_label("Web servers").click();
    harness.run();
    harness.key_press(Key::Delete);
    harness.run_steps(2);
    assert_eq!(std::fs::read_dir(&recovery).unwrap().count(), 1);
    harness.key_press_modifiers(CTRL, Key::S);
    harness.run();
    assert!(saved.exists());
    assert_eq!(std::fs::read_dir(&recovery).unwrap().count(), 0, "a clean save removes it");
}

#[test]
fn the_derivation_runs_only_when_the_document_changes() {
    let mut harness = example_app();
    let before = harness.state().document().derivations();
    // Frames with input but no change: hovering, panning, selecting.
    harness.hover_at(Pos2::new(700.0, 400.0));
    harness.run();
    harness.get_by_label("Web servers").click();
    harness.run();
    harness.get_by_label("Tasks").click();
    harness.run_steps(5);
    assert_eq!(harness.state().document().derivations(), before);
    harness.key_press(Key::Delete);
    harness.run_steps(3);
    assert_eq!(harness.state().document().derivations(), before + 1, "one change, one derivation");
}

#[test]
fn import_a_template_into_a_new_unsaved_document() {
    let source =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/multi-tier-web.yaml");
    let mut harness = app_with_dialogs(vec![Some(source)]);
    command(&mut harness, Command::Import);
    let app = harness.state();
    assert!(app.project().nodes.iter().any(|n| n.service == "rds"));
    assert!(app.project().nodes.iter().all(|n| n.position.is_some()), "laid out on open");
    assert!(app.document().path.is_none() && app.document().is_dirty(), "a new, unsaved document");
    assert!(
        app.messages().iter().any(|m| !m.is_error && m.text.starts_with("Imported ")),
        "{:?}",
        app.messages()
    );
}

#[test]
fn import_a_drawio_diagram_through_file_import() {
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/drawio/plain.drawio");
    let mut harness = app_with_dialogs(vec![Some(source)]);
    command(&mut harness, Command::Import);
    let app = harness.state();
    assert!(app.project().nodes.iter().any(|n| n.service == "other_aws" && n.label == "Fleet hub"));
    assert!(app.project().boundaries.iter().any(|b| b.label == "Public subnet"));
    assert!(app.document().path.is_none() && app.document().is_dirty(), "a new, unsaved document");
    let message = app.messages().iter().find(|m| !m.is_error).map(|m| m.text.clone()).unwrap_or_default();
    assert!(
        message.starts_with("Imported 7 nodes") && message.contains("AWS shapes: 12, mapped 11"),
        "{message}"
    );
}

/// A copy of the e-commerce example in a temporary folder, and the app with it open.
fn app_with_ecommerce_file(dir: &Path) -> (Harness<'static, WhoownsApp>, PathBuf) {
    let path = dir.join("shop.ron");
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/ecommerce.ron"), &path).unwrap();
    let harness =
        app(AppOptions { file: Some(path.clone()), ..AppOptions::scripted(ScriptedDialogs::default()) });
    (harness, path)
}

/// Another program (an editor, `git pull`) renames the project in the file.
fn change_on_disk(path: &Path, name: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    let changed = text.replace("name: \"E-commerce shop\"", &format!("name: {name:?}"));
    assert_ne!(text, changed);
    std::fs::write(path, changed).unwrap();
}

/// The e-commerce file open with the web servers deleted (unsaved), while another program
/// renames the project in the file.
fn edited_here_and_elsewhere(dir: &Path) -> (Harness<'static, WhoownsApp>, PathBuf) {
    let (mut harness, path) = app_with_ecommerce_file(dir);
    delete_web_servers(&mut harness);
    change_on_disk(&path, "Shop, edited elsewhere");
    (harness, path)
}

fn focus_window(harness: &mut Harness<'static, WhoownsApp>) {
    harness.event(egui::Event::WindowFocused(true));
    harness.run();
}

fn delete_web_servers(harness: &mut Harness<'static, WhoownsApp>) {
    harness.get_by_label("Web servers").click();
    harness.run();
    harness.key_press(Key::Delete);
    harness.run();
}

#[test]
fn a_clean_document_follows_changes_on_disk_and_undo_brings_back_the_old_version() {
    let dir = tempfile::tempdir().unwrap();
    let (mut harness, path) = app_with_ecommerce_file(dir.path());
    change_on_disk(&path, "Shop, edited elsewhere");
    focus_window(&mut harness);
    assert_eq!(harness.state().project().name, "Shop, edited elsewhere");
    assert!(!harness.state().document().is_dirty(), "it matches the file");
    assert!(harness.state().messages().iter().any(|m| m.text.starts_with("Reloaded shop.ron")));
    harness.key_press_modifiers(CTRL, Key::Z);
    harness.run();
    assert_eq!(harness.state().project().name, "E-commerce shop");
    assert!(harness.state().document().is_dirty(), "the old version is not what the file holds");
}

#[test]
fn unsaved_changes_and_a_change_on_disk_ask_and_reload_keeps_them_in_undo() {
    let dir = tempfile::tempdir().unwrap();
    let (mut harness, _) = edited_here_and_elsewhere(dir.path());
    focus_window(&mut harness);
    harness.get_by_label("File changed on disk");
    harness.get_by_label("Reload from disk").click();
    harness.run();
    let app = harness.state();
    assert_eq!(app.project().name, "Shop, edited elsewhere");
    assert!(app.project().node("web").is_some(), "the file's version has the web servers");
    harness.key_press_modifiers(CTRL, Key::Z);
    harness.run();
    let app = harness.state();
    assert_eq!(app.project().name, "E-commerce shop");
    assert!(app.project().node("web").is_none(), "undo brings the unsaved deletion back");
}

#[test]
fn keeping_mine_saves_over_the_other_version_and_keeps_it_as_the_backup() {
    let dir = tempfile::tempdir().unwrap();
    let (mut harness, path) = edited_here_and_elsewhere(dir.path());
    let theirs = std::fs::read_to_string(&path).unwrap();
    focus_window(&mut harness);
    harness.get_by_label("Keep mine").click();
    harness.run();
    assert!(harness.state().project().node("web").is_none());
    harness.key_press_modifiers(CTRL, Key::S);
    harness.run();
    assert!(!harness.state().document().is_dirty(), "saved without asking again");
    let saved = whoowns::io::load(&path, whoowns::catalog::Catalog::builtin()).unwrap().project;
    assert!(saved.node("web").is_none() && saved.name == "E-commerce shop");
    assert_eq!(std::fs::read_to_string(whoowns::io::backup_path(&path)).unwrap(), theirs);
}

#[test]
fn saving_over_a_version_never_seen_asks_first() {
    let dir = tempfile::tempdir().unwrap();
    let (mut harness, path) = edited_here_and_elsewhere(dir.path());
    let theirs = std::fs::read_to_string(&path).unwrap();

    harness.key_press_modifiers(CTRL, Key::S);
    harness.run();
    harness.get_by_label("Overwrite changes made elsewhere?");
    harness.get_by_label("Cancel").click();
    harness.run();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), theirs, "cancel leaves the file alone");
    assert!(harness.state().document().is_dirty());

    // Quitting asks to save; saving asks to overwrite; overwriting saves, then quits.
    command(&mut harness, Command::Quit);
    harness.get_by_label("Save").click();
    harness.run();
    harness.get_by_label("Overwrite").click();
    harness.run();
    let saved = whoowns::io::load(&path, whoowns::catalog::Catalog::builtin()).unwrap().project;
    assert!(saved.node("web").is_none());
    assert_eq!(std::fs::read_to_string(whoowns::io::backup_path(&path)).unwrap(), theirs);
    assert!(!harness.state().document().is_dirty());
}

#[test]
fn a_file_deleted_on_disk_makes_the_document_unsaved() {
    let dir = tempfile::tempdir().unwrap();
    let (mut harness, path) = app_with_ecommerce_file(dir.path());
    std::fs::remove_file(&path).unwrap();
    focus_window(&mut harness);
    assert!(harness.state().document().is_dirty(), "quitting now asks to save");
    harness.key_press_modifiers(CTRL, Key::S);
    harness.run();
    assert!(path.exists(), "Save writes it again, without asking");
}

#[test]
fn a_restored_document_is_not_mistaken_for_a_change_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shop.ron");
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/ecommerce.ron"), &path).unwrap();
    let options = || AppOptions {
        file: Some(path.clone()),
        recovery_folder: Some(dir.path().join("recovery")),
        autosave_seconds: 0.0,
        ..AppOptions::scripted(ScriptedDialogs::default())
    };
    let mut harness = app(options());
    delete_web_servers(&mut harness);
    harness.run_steps(2);
    drop(harness);
    let mut harness = app(options());
    harness.get_by_label("Restore").click();
    harness.run();
    focus_window(&mut harness);
    assert!(harness.query_by_label("File changed on disk").is_none());
    harness.key_press_modifiers(CTRL, Key::S);
    harness.run();
    assert!(harness.query_by_label("Overwrite changes made elsewhere?").is_none());
    assert!(!harness.state().document().is_dirty(), "saved straight away");
    let saved = whoowns::io::load(&path, whoowns::catalog::Catalog::builtin()).unwrap().project;
    assert!(saved.node("web").is_none(), "the restored work is in the file");
}

#[test]
fn one_question_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let (mut harness, _) = edited_here_and_elsewhere(dir.path());
    focus_window(&mut harness);
    harness.get_by_label("File changed on disk");
    command(&mut harness, Command::Quit);
    command(&mut harness, Command::New);
    assert!(harness.query_by_label("Save changes?").is_none(), "answered after the change on disk");
    harness.get_by_label("Keep mine").click();
    harness.run();
    command(&mut harness, Command::Quit);
    harness.get_by_label("Save changes?");
}
