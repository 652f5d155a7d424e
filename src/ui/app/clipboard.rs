//! Copy, cut, paste, duplicate and delete. What is copied is a small project of its own, as RON
//! text, so it can be pasted into another window or read in a text editor.

use std::path::Path;

use egui::Context;

use super::WhoownsApp;
use crate::io;
use crate::model::{Project, fragment, ops};
use crate::ui::Action;
use crate::ui::selection::Selection;

/// What was copied (a fragment: a small project of its own), and how many times it was
/// pasted (each paste lands a little further off).
#[derive(Default)]
pub(super) struct Clipboard {
    pub fragment: Option<Project>,
    pub pastes: u32,
}

impl WhoownsApp {
    /// The selected nodes and boundaries, with the flows between them, as a fragment.
    fn selection_fragment(&self) -> Option<Project> {
        let selection = self.canvas.selection();
        if selection.nodes.is_empty() && selection.boundaries.is_empty() {
            return None;
        }
        Some(fragment::extract(self.document.project(), &selection.node_ids(), &selection.boundary_ids()))
    }

    pub(super) fn copy(&mut self, ctx: &Context) {
        if let Some(fragment) = self.selection_fragment() {
            if let Ok(text) = io::to_ron_string(&fragment) {
                ctx.copy_text(text);
            }
            self.clipboard.fragment = Some(fragment);
            self.clipboard.pastes = 0;
        }
    }

    pub(super) fn cut(&mut self, ctx: &Context) {
        self.copy(ctx);
        self.delete_selection();
    }

    /// Pastes what was copied, offset a little more each time.
    pub(super) fn paste(&mut self) {
        if let Some(fragment) = self.clipboard.fragment.take() {
            self.clipboard.pastes += 1;
            let offset = 32.0 * self.clipboard.pastes as f32;
            self.paste_fragment(&fragment, offset);
            self.clipboard.fragment = Some(fragment);
        }
    }

    /// Copies and pastes the selection in one go, leaving the clipboard as it was.
    pub(super) fn duplicate(&mut self) {
        if let Some(fragment) = self.selection_fragment() {
            self.paste_fragment(&fragment, 32.0);
        }
    }

    /// Keeps `text` from the system clipboard when it is a fragment we can paste (parsed once,
    /// here).
    pub(super) fn take_system_paste(&mut self, text: &str) {
        if let Ok(loaded) = io::parse(Path::new("clipboard"), text.as_bytes(), self.catalog)
            && self.clipboard.fragment.as_ref() != Some(&loaded.project)
        {
            self.clipboard.fragment = Some(loaded.project);
            self.clipboard.pastes = 0;
        }
    }

    fn paste_fragment(&mut self, fragment: &Project, offset: f32) {
        let (edit, pasted) = fragment::paste(self.document.project(), fragment, (offset, offset));
        let selection = Selection {
            nodes: pasted.nodes.into_iter().collect(),
            boundaries: pasted.boundaries.into_iter().collect(),
            ..Selection::default()
        };
        self.act(Action::ApplyAndSelect(edit, selection));
    }

    pub(super) fn delete_selection(&mut self) {
        let selection = self.canvas.take_selection();
        if selection.is_empty() {
            return;
        }
        let edit = ops::delete(
            self.document.project(),
            &selection.node_ids(),
            &selection.flow_ids(),
            &selection.boundary_ids(),
        );
        self.act(Action::Apply(edit));
    }
}
