//! Trust in recovery (issue 13, item 3): a document undone back to its saved state leaves no
//! recovery file; a start offers only real recoveries, all in one dialog.

use super::*;
use whoowns::recovery::RecoveryStore;

fn recovery_files(folder: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(folder) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".recovery.ron"))
        .collect();
    files.sort();
    files
}

#[test]
fn a_document_undone_back_to_its_saved_state_leaves_no_recovery_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shop.ron");
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/ecommerce.ron"), &path).unwrap();
    let folder = dir.path().join("recovery");
    let options = || AppOptions {
        file: Some(path.clone()),
        recovery_folder: Some(folder.clone()),
        autosave_seconds: 0.0,
        ..AppOptions::scripted(ScriptedDialogs::default())
    };
    let mut harness = app(options());
    delete_web_servers(&mut harness);
    harness.run_steps(2);
    assert_eq!(recovery_files(&folder).len(), 1, "the unsaved deletion was autosaved");
    harness.key_press_modifiers(CTRL, Key::Z);
    harness.run_steps(2);
    assert!(!harness.state().document().is_dirty());
    assert!(recovery_files(&folder).is_empty(), "nothing unsaved, nothing to recover");
    // Quit (or crash): the next start asks nothing.
    drop(harness);
    let harness = app(options());
    assert!(harness.query_by_label("Restore unsaved changes?").is_none());
    assert!(!harness.state().is_asking());
}

#[test]
fn a_start_offers_only_real_recoveries_all_in_one_dialog() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = whoowns::catalog::Catalog::builtin();
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/ecommerce.ron");
    let (changed, same) = (dir.path().join("changed.ron"), dir.path().join("same.ron"));
    std::fs::copy(example, &changed).unwrap();
    std::fs::copy(example, &same).unwrap();
    let original = whoowns::io::load(&same, catalog).unwrap().project;
    let mut edited = original.clone();
    edited.name = "Shop, edited".into();
    let mut sketch = whoowns::model::Project::named("Sketch");
    sketch.nodes.push(whoowns::model::Node::new("web", "ec2"));

    let folder = dir.path().join("recovery");
    let store = RecoveryStore::new(&folder);
    store.write(Some(&changed), "", &edited).unwrap();
    store.write(Some(&same), "", &original).unwrap();
    store.write(None, "ecommerce.ron", &original).unwrap();
    store.write(None, "Untitled", &sketch).unwrap();
    assert_eq!(recovery_files(&folder).len(), 4);

    let mut harness = app(AppOptions {
        recovery_folder: Some(folder.clone()),
        ..AppOptions::scripted(ScriptedDialogs::default())
    });
    harness.get_by_label("Restore unsaved changes?");
    harness
        .get_by_label("whoowns kept unsaved changes to 2 documents from sessions that did not end cleanly:");
    harness.get_by_label(&format!("Restore {}", changed.display()));
    harness.get_by_label("Restore Untitled");
    assert_eq!(
        recovery_files(&folder),
        vec![store.slot(Some(&changed), ""), store.slot(None, "Untitled")],
        "a copy of what the file holds, and an untouched example, are not recoveries"
    );
    harness.get_by_label("Discard all").click();
    harness.run();
    assert!(recovery_files(&folder).is_empty());
    assert!(!harness.state().is_asking(), "one dialog, and no other after it");
}
