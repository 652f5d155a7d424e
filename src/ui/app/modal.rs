//! The one question the app asks at a time. [`Modal`] is a single value, so two questions can
//! never be open together: a new one is only asked when none is.

use egui::Context;

use super::WhoownsApp;
use super::files::Pending;
use crate::recovery::Found;

/// A question waiting for an answer.
#[derive(Clone, Debug)]
pub(super) enum Modal {
    /// Unsaved changes would be thrown away by what waits.
    Unsaved(Pending),
    /// Another program changed the file while the document has unsaved changes.
    DiskChanged,
    /// A save would replace a version of the file the document has not seen; what waited for
    /// the save (quitting, opening another file) runs after it.
    Overwrite(Option<Pending>),
    /// Unsaved work from sessions that did not end cleanly, every one of them in one list.
    Recovery(Vec<Found>),
}

impl WhoownsApp {
    /// Asks `modal`, unless a question is already open; returns whether it was asked.
    pub(super) fn ask(&mut self, modal: Modal) -> bool {
        if self.modal.is_some() {
            return false;
        }
        self.modal = Some(modal);
        true
    }

    /// Shows the open question, if any, and acts on the answer given this frame.
    pub(super) fn modal_ui(&mut self, ctx: &Context) {
        let Some(modal) = self.modal.take() else { return };
        let unanswered = match modal {
            Modal::Unsaved(pending) => self.unsaved_ui(ctx, pending),
            Modal::DiskChanged => self.disk_changed_ui(ctx),
            Modal::Overwrite(then) => self.overwrite_ui(ctx, then),
            Modal::Recovery(found) => self.recovery_ui(ctx, found),
        };
        if let Some(modal) = unanswered {
            self.modal = Some(modal);
        }
    }

    /// "Save changes?" before `pending` throws them away. Returns the question when unanswered.
    fn unsaved_ui(&mut self, ctx: &Context, pending: Pending) -> Option<Modal> {
        let choice = ask(
            ctx,
            "unsaved-changes",
            "Save changes?",
            &format!("{} has changes that are not saved.", self.document.display_name()),
            &[("Save", Choice::Save), ("Discard", Choice::Discard), ("Cancel", Choice::Cancel)],
            Some(Choice::Cancel),
        );
        let Some(choice) = choice else { return Some(Modal::Unsaved(pending)) };
        match choice {
            Choice::Save => {
                if self.save() {
                    self.proceed(pending);
                } else if let Some(Modal::Overwrite(then)) = &mut self.modal {
                    // Asked whether to overwrite another program's version: go on after that.
                    *then = Some(pending);
                }
            }
            Choice::Discard => {
                self.drop_recovery();
                self.proceed(pending);
            }
            Choice::Cancel => {}
        }
        None
    }
}

#[derive(Clone, Copy)]
enum Choice {
    Save,
    Discard,
    Cancel,
}

/// Asks a question in a modal window: a heading, a text and a button per answer; Escape gives
/// `on_escape`, when there is one. Returns the answer given this frame.
pub(super) fn ask<T: Copy>(
    ctx: &Context,
    id: &str,
    heading: &str,
    text: &str,
    answers: &[(&str, T)],
    on_escape: Option<T>,
) -> Option<T> {
    let mut choice = None;
    egui::Modal::new(egui::Id::unique(id)).show(ctx, |ui| {
        ui.set_width(420.0);
        ui.heading(heading);
        ui.label(text);
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            for &(label, answer) in answers {
                if ui.button(label).clicked() {
                    choice = Some(answer);
                }
            }
        });
        if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
            choice = choice.or(on_escape);
        }
    });
    choice
}
