//! Autosave to the recovery folder, and the offer to restore after a session that did not end
//! cleanly: one dialog listing every recovery file worth restoring. A document undone back to
//! its saved state has its recovery file removed at once, so a clean quit leaves none, and a
//! recovery file that holds exactly what its document's file (or the example it was) holds is
//! removed at start-up instead of offered.

use std::path::PathBuf;

use egui::{Context, RichText};

use super::WhoownsApp;
use super::modal::Modal;
use crate::catalog::Catalog;
use crate::document::Document;
use crate::model::Project;
use crate::recovery::{Found, RecoveryStore};
use crate::ui::examples::EXAMPLES;

/// Autosave's state: where, how often, and what it last wrote.
pub(super) struct Autosave {
    store: Option<RecoveryStore>,
    seconds: f64,
    /// When the last autosave happened (egui time).
    last_time: f64,
    /// The revision last written, and the file it went to.
    written: Option<(u64, PathBuf)>,
}

impl Autosave {
    /// Autosave into `folder` (off when `None`) every `seconds` while there are unsaved changes.
    pub fn new(folder: Option<PathBuf>, seconds: f64) -> Self {
        Self { store: folder.map(RecoveryStore::new), seconds, last_time: 0.0, written: None }
    }

    /// The recovery file `document` would be autosaved to.
    pub fn slot_of(&self, document: &Document) -> Option<PathBuf> {
        Some(self.store.as_ref()?.slot(document.path.as_deref(), &document.untitled_name))
    }
}

/// What the recovery dialog's buttons say.
#[derive(Clone, Copy)]
enum Answer {
    Restore(usize),
    Discard(usize),
    DiscardAll,
    Later,
}

impl WhoownsApp {
    /// Finds the recovery files worth offering and asks about all of them in one dialog; the
    /// open document's own comes first.
    pub(super) fn look_for_recovery(&mut self) {
        let Some(store) = self.autosave.store.clone() else { return };
        let (found, errors) = store.scan();
        for error in errors {
            self.report(true, format!("A recovery file could not be read and was set aside: {error}"));
        }
        let mut real: Vec<Found> = Vec::new();
        for found in found {
            if is_real(&found, self.catalog) {
                real.push(found);
            } else {
                std::fs::remove_file(&found.path).ok();
            }
        }
        let current = store.slot(self.document.path.as_deref(), &self.document.untitled_name);
        real.sort_by_key(|f| f.path != current);
        if !real.is_empty() {
            self.ask(Modal::Recovery(real));
        }
    }

    /// Writes the recovery file when there are unsaved changes it does not have yet, every
    /// `seconds` and whenever the window loses focus; removes it as soon as the document has
    /// nothing unsaved (undone back to its saved state).
    pub(super) fn autosave(&mut self, ctx: &Context) {
        let Some(store) = self.autosave.store.clone() else { return };
        if matches!(self.modal, Some(Modal::Recovery(_))) {
            return;
        }
        if !self.document.is_dirty() {
            if let Some((_, slot)) = self.autosave.written.take() {
                std::fs::remove_file(slot).ok();
            }
            return;
        }
        let now = ctx.input(|i| i.time);
        let focus_lost =
            ctx.input(|i| i.events.iter().any(|e| matches!(e, egui::Event::WindowFocused(false))));
        let due = now - self.autosave.last_time >= self.autosave.seconds;
        let revision = self.document.revision();
        if self.autosave.written.as_ref().map(|(r, _)| *r) != Some(revision) && (due || focus_lost) {
            let written = store.write(
                self.document.path.as_deref(),
                &self.document.untitled_name,
                self.document.project(),
            );
            self.autosave.last_time = now;
            match written {
                Ok(slot) => self.autosave.written = Some((revision, slot)),
                Err(error) => self.report(true, format!("Autosave failed: {error}")),
            }
        }
        ctx.request_repaint_after(std::time::Duration::from_secs_f64(self.autosave.seconds.max(0.1)));
    }

    /// Forgets the open document's recovery file (after a save or a discard).
    pub(super) fn drop_recovery(&mut self) {
        if let Some(store) = &self.autosave.store {
            store.remove(self.document.path.as_deref(), &self.document.untitled_name);
        }
        if let Some((_, slot)) = self.autosave.written.take() {
            std::fs::remove_file(slot).ok();
        }
    }

    /// The recovery dialog. Returns it when unanswered (or when files are left after a discard).
    pub(super) fn recovery_ui(&mut self, ctx: &Context, mut found: Vec<Found>) -> Option<Modal> {
        let Some(answer) = recovery_dialog(ctx, &found) else { return Some(Modal::Recovery(found)) };
        match answer {
            Answer::Restore(index) => {
                let chosen = found.remove(index);
                self.restore(chosen);
                if !found.is_empty() {
                    self.report(
                        false,
                        format!(
                            "{} other recovery file(s) are kept and offered at the next start.",
                            found.len()
                        ),
                    );
                }
                None
            }
            Answer::Discard(index) => {
                std::fs::remove_file(&found.remove(index).path).ok();
                (!found.is_empty()).then_some(Modal::Recovery(found))
            }
            Answer::DiscardAll => {
                for f in found {
                    std::fs::remove_file(&f.path).ok();
                }
                None
            }
            Answer::Later => None,
        }
    }

    fn restore(&mut self, found: Found) {
        let problems = crate::io::validate(&found.recovery.project, self.catalog, "");
        if let Some(problem) = problems.first() {
            self.report(
                true,
                format!(
                    "The recovered project has a problem ({}); it stays at {}",
                    problem.message,
                    found.path.display()
                ),
            );
            return;
        }
        let mut document = Document::new(found.recovery.project, found.recovery.document, self.catalog);
        document.untitled_name = found.recovery.untitled_name;
        // Unsaved, and the file as it is now counts as seen: saving replaces it.
        document.keep_mine();
        self.replace_document(document);
    }
}

/// What a recovery file is of, for the dialog: the file, or the untitled document's name.
fn document_name(found: &Found) -> String {
    found
        .recovery
        .document
        .as_deref()
        .map_or_else(|| found.recovery.untitled_name.clone(), |p| p.display().to_string())
}

/// Shows the dialog; returns the answer given this frame.
fn recovery_dialog(ctx: &Context, found: &[Found]) -> Option<Answer> {
    let mut answer = None;
    let one = found.len() == 1;
    egui::Modal::new(egui::Id::unique("recovery")).show(ctx, |ui| {
        ui.set_width(520.0);
        ui.heading("Restore unsaved changes?");
        ui.label(if one {
            "whoowns kept unsaved changes from a session that did not end cleanly:".to_owned()
        } else {
            format!(
                "whoowns kept unsaved changes to {} documents from sessions that did not end cleanly:",
                found.len()
            )
        });
        ui.add_space(6.0);
        egui::ScrollArea::vertical().max_height(320.0).show(ui, |ui| {
            for (index, f) in found.iter().enumerate() {
                let name = document_name(f);
                ui.add(egui::Label::new(RichText::new(&name).strong()).wrap());
                ui.label(format!("{}, {} services", f.recovery.project.name, f.recovery.project.nodes.len()));
                ui.horizontal(|ui| {
                    let restore = ui.button("Restore");
                    let discard = ui.button("Discard");
                    let (restore, discard) = if one {
                        (restore, discard)
                    } else {
                        (
                            restore.accessible_name(format!("Restore {name}")),
                            discard.accessible_name(format!("Discard {name}")),
                        )
                    };
                    if restore.clicked() {
                        answer = Some(Answer::Restore(index));
                    }
                    if discard.clicked() {
                        answer = Some(Answer::Discard(index));
                    }
                });
                ui.separator();
            }
        });
        ui.horizontal(|ui| {
            if !one && ui.button("Discard all").clicked() {
                answer = Some(Answer::DiscardAll);
            }
            if ui.button("Decide later").on_hover_text("Keep the files and ask at the next start").clicked() {
                answer = Some(Answer::Later);
            }
        });
        if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
            answer = answer.or(Some(Answer::Later));
        }
    });
    answer
}

/// Whether a recovery file holds work that is not already somewhere: not the same as its
/// document's file, nor an untouched example, nor an empty new design.
fn is_real(found: &Found, catalog: &'static Catalog) -> bool {
    let recovered = &found.recovery.project;
    // Both as a document shows them: laid out (frames fitted, places found) and in file order.
    let shown = |mut project: Project| {
        crate::layout::lay_out(&mut project);
        project.normalize();
        project
    };
    let recovered = shown(recovered.clone());
    let same = |original: Project| shown(original) == recovered;
    match found.recovery.document.as_deref() {
        Some(path) => match crate::io::load(path, catalog) {
            Ok(loaded) => !same(loaded.project),
            Err(_) => true,
        },
        None => {
            let untouched_example = EXAMPLES
                .iter()
                .position(|e| e.file_name == found.recovery.untitled_name)
                .is_some_and(|index| same(super::files::example_project(catalog, index)));
            let empty = same(Project::named("Untitled design"));
            !(untouched_example || empty)
        }
    }
}
