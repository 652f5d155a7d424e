//! Changes another program makes to the open file: a `git pull`, a colleague's editor, a
//! script. The app looks when its window gains focus and before it saves, and never overwrites a
//! version it has not seen without asking.

use egui::Context;

use super::WhoownsApp;
use super::files::Pending;
use super::modal::{Modal, ask};
use crate::document::DiskState;

impl WhoownsApp {
    /// Looks at the file when the window gains focus.
    pub(super) fn watch_disk(&mut self, ctx: &Context) {
        let focused = ctx.input(|i| i.events.iter().any(|e| matches!(e, egui::Event::WindowFocused(true))));
        if focused {
            self.check_disk();
        }
    }

    /// Compares the file with what the document last read or wrote: reloads it when the
    /// document has no unsaved changes, asks when it has.
    pub(super) fn check_disk(&mut self) {
        if self.modal.is_some() {
            return;
        }
        let name = self.document.display_name();
        match self.document.disk_state() {
            DiskState::Unchanged => {}
            DiskState::Changed if self.document.is_dirty() => {
                self.ask(Modal::DiskChanged);
            }
            DiskState::Changed => self.reload(),
            DiskState::Missing => {
                self.document.keep_mine();
                self.report(
                    false,
                    format!("{name} was moved or deleted by another program; Save writes it again."),
                );
            }
            DiskState::Unreadable(error) => {
                self.report(
                    true,
                    format!("{name}: cannot check for changes made by other programs: {error}"),
                );
            }
        }
    }

    /// Whether saving to `path` would replace a version the document has not seen; if so, asks.
    pub(super) fn save_would_overwrite(&mut self, path: &std::path::Path) -> bool {
        let same = |a: &std::path::Path| {
            let canonical = |p: &std::path::Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_owned());
            a == path || canonical(a) == canonical(path)
        };
        let own_file = self.document.path.as_deref().is_some_and(same);
        if own_file && matches!(self.document.disk_state(), DiskState::Changed) {
            self.ask(Modal::Overwrite(None));
            true
        } else {
            false
        }
    }

    /// Replaces the document with the file's content, as one undo step.
    fn reload(&mut self) {
        let name = self.document.display_name();
        match self.document.reload(self.catalog) {
            Ok(warnings) => {
                self.report(
                    false,
                    format!(
                        "Reloaded {name}: another program changed it. Undo brings back what was open before."
                    ),
                );
                for warning in warnings {
                    self.report(false, format!("{name}: {warning}"));
                }
            }
            Err(error) => {
                // A file caught half-written or mid-merge: keep what is open and say so. The next
                // save replaces the file, which is kept as the .bak.
                self.document.keep_mine();
                self.report(
                    true,
                    format!("{error}\nThe file changed on disk and cannot be read; your version stays open."),
                );
            }
        }
    }

    /// "File changed on disk": reload it, or keep the unsaved changes. Returns the question
    /// when unanswered.
    pub(super) fn disk_changed_ui(&mut self, ctx: &Context) -> Option<Modal> {
        let name = self.document.display_name();
        let reload = ask(
            ctx,
            "disk-conflict",
            "File changed on disk",
            &format!(
                "Another program changed {name}, and you have unsaved changes here. Reloading \
                 replaces them with the file (undo brings them back while whoowns is open). \
                 Keeping yours means the next save replaces the other version, which is kept \
                 as {name}.bak."
            ),
            &[("Reload from disk", true), ("Keep mine", false)],
            Some(false),
        );
        match reload {
            None => Some(Modal::DiskChanged),
            Some(true) => {
                self.reload();
                None
            }
            Some(false) => {
                self.document.keep_mine();
                None
            }
        }
    }

    /// "Overwrite changes made elsewhere?" before a save; `then` runs after saving. Returns the
    /// question when unanswered.
    pub(super) fn overwrite_ui(&mut self, ctx: &Context, then: Option<Pending>) -> Option<Modal> {
        let name = self.document.display_name();
        let choice = ask(
            ctx,
            "disk-conflict",
            "Overwrite changes made elsewhere?",
            &format!(
                "Another program changed {name} since you opened or saved it. Overwriting keeps \
                 that version as {name}.bak."
            ),
            &[("Overwrite", Answer::Overwrite), ("Save As…", Answer::SaveAs), ("Cancel", Answer::Cancel)],
            Some(Answer::Cancel),
        );
        let saved = match choice {
            None => return Some(Modal::Overwrite(then)),
            Some(Answer::Overwrite) => {
                self.document.keep_mine();
                self.save()
            }
            Some(Answer::SaveAs) => self.save_as(),
            Some(Answer::Cancel) => false,
        };
        if saved && let Some(pending) = then {
            self.proceed(pending);
        }
        None
    }
}

#[derive(Clone, Copy)]
enum Answer {
    Overwrite,
    SaveAs,
    Cancel,
}
