//! Autosave to the recovery folder, and the offer to restore after a session that did not end
//! cleanly.

use egui::Context;

use super::{WhoownsApp, ask};
use crate::document::Document;

impl WhoownsApp {
    /// Offers the newest recovery file newer than its document, preferring the open document's.
    pub(super) fn look_for_recovery(&mut self) {
        let Some(store) = self.recovery.clone() else { return };
        let (found, errors) = store.scan();
        for error in errors {
            self.report(true, format!("A recovery file could not be read and was set aside: {error}"));
        }
        let current = store.slot(self.document.path.as_deref(), &self.document.untitled_name);
        self.offer = found.iter().find(|f| f.path == current).or_else(|| found.first()).cloned();
    }

    /// Writes the recovery file when there are unsaved changes it does not have yet, every
    /// `autosave_seconds` and whenever the window loses focus.
    pub(super) fn autosave(&mut self, ctx: &Context) {
        let Some(store) = self.recovery.clone() else { return };
        if !self.document.is_dirty() || self.offer.is_some() {
            return;
        }
        let now = ctx.input(|i| i.time);
        let focus_lost =
            ctx.input(|i| i.events.iter().any(|e| matches!(e, egui::Event::WindowFocused(false))));
        let due = now - self.last_autosave.0 >= self.autosave_seconds;
        if self.last_autosave.1 != Some(self.document.revision()) && (due || focus_lost) {
            match store.write(
                self.document.path.as_deref(),
                &self.document.untitled_name,
                self.document.project(),
            ) {
                Ok(_) => self.last_autosave = (now, Some(self.document.revision())),
                Err(error) => {
                    self.last_autosave.0 = now;
                    self.report(true, format!("Autosave failed: {error}"));
                }
            }
        }
        ctx.request_repaint_after(std::time::Duration::from_secs_f64(self.autosave_seconds.max(0.1)));
    }

    /// Forgets the open document's recovery file (after a save or a discard).
    pub(super) fn drop_recovery(&mut self) {
        if let Some(store) = &self.recovery {
            store.remove(self.document.path.as_deref(), &self.document.untitled_name);
        }
        self.last_autosave.1 = None;
    }

    pub(super) fn recovery_ui(&mut self, ctx: &Context) {
        let Some(found) = self.offer.clone() else { return };
        let name = found
            .recovery
            .document
            .as_deref()
            .map_or_else(|| found.recovery.untitled_name.clone(), |p| p.display().to_string());
        let choice = ask(
            ctx,
            "recovery",
            "Restore unsaved changes?",
            &format!(
                "whoowns kept unsaved changes to {name} ({}, {} services) from a session that did not end cleanly.",
                found.recovery.project.name,
                found.recovery.project.nodes.len()
            ),
            &[("Restore", true), ("Discard", false)],
            None,
        );
        match choice {
            Some(true) => {
                self.offer = None;
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
                let mut document =
                    Document::new(found.recovery.project, found.recovery.document, self.catalog);
                document.untitled_name = found.recovery.untitled_name;
                // Unsaved, and the file as it is now counts as seen: saving replaces it.
                document.keep_mine();
                self.replace_document(document);
            }
            Some(false) => {
                self.offer = None;
                std::fs::remove_file(&found.path).ok();
                // There may be more from other documents.
                self.look_for_recovery();
            }
            None => {}
        }
    }
}
