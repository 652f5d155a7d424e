//! What each command and action does: the only place, with `clipboard.rs`, that changes the
//! document.

use egui::Context;

use super::WhoownsApp;
use super::files::Pending;
use crate::model::ops;
use crate::ui::Action;
use crate::ui::commands::Command;
use crate::ui::selection::Selection;

impl WhoownsApp {
    pub(super) fn execute(&mut self, command: Command, ctx: &Context) {
        match command {
            Command::New => self.guard(Pending::New),
            Command::Open => self.guard(Pending::Open(None)),
            Command::Import => self.guard(Pending::Import),
            Command::OpenExample(index) => self.guard(Pending::OpenExample(index)),
            Command::OpenRecent(index) => {
                if let Some(path) = self.prefs.recent.get(index).cloned() {
                    self.guard(Pending::Open(Some(path)));
                }
            }
            Command::Save => {
                self.save();
            }
            Command::SaveAs => {
                self.save_as();
            }
            Command::Export(format) => self.export(format),
            Command::LoadFindings => self.load_findings(),
            Command::KeepFindings => self.keep_findings(),
            Command::ClearFindings => {
                self.document.clear_evidence();
                self.report(false, "Findings cleared; the evidence file, if any, is unchanged.");
            }
            Command::Quit => self.guard(Pending::Quit),
            Command::Undo | Command::Redo => self.undo_or_redo(command == Command::Undo),
            Command::Copy => self.copy(ctx),
            Command::Cut => self.cut(ctx),
            Command::Paste => self.paste(),
            Command::Duplicate => self.duplicate(),
            Command::Delete => self.delete_selection(),
            Command::SelectAll => self.canvas.select(Selection::all(self.document.project())),
            Command::SelectNone => {
                self.canvas.select(Selection::default());
                self.canvas.armed = None;
            }
            Command::GroupInto(kind) => self.group_into(kind),
            Command::Ungroup => self.ungroup(),
            Command::ToggleCollapse => self.toggle_collapse(),
            Command::Find => self.find.open(),
            other => self.view_command(other),
        }
    }

    /// The commands that change only the view.
    fn view_command(&mut self, command: Command) {
        let canvas = &mut self.canvas;
        match command {
            Command::ZoomIn => canvas.zoom_by(1.25),
            Command::ZoomOut => canvas.zoom_by(0.8),
            Command::ZoomToFit => canvas.request_fit(),
            Command::ZoomReset => {
                canvas.set_zoom(1.0);
                // Around the selection, when there is one.
                canvas.reveal_selection(&self.document);
            }
            Command::ZoomToSelection => {
                let shown = canvas.zoom_to_selection(&self.document);
                if !shown {
                    let text = "Select something first: Zoom to selection shows what is selected.";
                    self.messages.push(false, text.to_owned());
                }
            }
            Command::ToggleGrid => canvas.grid = !canvas.grid,
            Command::ToggleMinimap => canvas.minimap = !canvas.minimap,
            Command::SetFlowFocus(focus) => canvas.flows.focus = focus,
            Command::ToggleUnencryptedFlows => canvas.flows.unencrypted_only = !canvas.flows.unencrypted_only,
            Command::ToggleCrossingFlows => canvas.flows.crossing_only = !canvas.flows.crossing_only,
            Command::SetTheme(theme) => self.prefs.theme = theme,
            _ => {}
        }
    }

    /// Undoes or redoes one step, saying so when the step cannot be replayed (the project and
    /// the history are then left as they were).
    fn undo_or_redo(&mut self, undo: bool) {
        let result = if undo { self.document.undo() } else { self.document.redo() };
        if let Err(error) = result {
            let what = if undo { "Undo" } else { "Redo" };
            self.report(
                true,
                format!("{what} failed: {error}. Nothing was changed, and the step stays in the history."),
            );
        }
    }

    fn group_into(&mut self, kind: crate::model::BoundaryKind) {
        let selection = self.canvas.selection();
        let grouped =
            ops::group_into(self.document.project(), &selection.node_ids(), &selection.boundary_ids(), kind);
        match grouped {
            Some((edit, id)) => self.act(Action::ApplyAndSelect(edit, Selection::only_boundary(&id))),
            None => {
                self.report(false, "Select nodes or boundaries with a place on the canvas to group them.");
            }
        }
    }

    /// Removes the selected boundaries and selects what they held.
    fn ungroup(&mut self) {
        let (project, view) = (self.document.project(), self.document.view());
        let selection = self.canvas.selection();
        let removed: Vec<usize> =
            selection.boundaries.iter().filter_map(|id| view.boundary_index(id)).collect();
        if removed.is_empty() {
            return;
        }
        let held = Selection {
            nodes: removed
                .iter()
                .flat_map(|&b| view.members(b))
                .map(|n| project.nodes[n].id.clone())
                .collect(),
            boundaries: removed
                .iter()
                .flat_map(|&b| view.children(b))
                .filter(|c| !removed.contains(c))
                .map(|c| project.boundaries[c].id.clone())
                .collect(),
            ..Selection::default()
        };
        let edit = ops::ungroup(project, &selection.boundary_ids());
        self.act(Action::ApplyAndSelect(edit, held));
    }

    fn toggle_collapse(&mut self) {
        let ids: Vec<String> = self.canvas.selection().boundaries.iter().cloned().collect();
        let collapse = ids.iter().any(|id| !self.canvas.is_collapsed(id));
        for id in ids {
            self.canvas.set_collapsed(&id, collapse);
        }
    }

    pub(super) fn act(&mut self, action: Action) {
        let result = match action {
            Action::Apply(edit) => self.document.apply(edit),
            Action::ApplyAndSelect(edit, selection) => {
                let result = self.document.apply(edit);
                if result.is_ok() {
                    self.canvas.select(selection);
                }
                result
            }
            Action::ApplyMerged { field, edit } => self.document.apply_coalescing(&field, edit),
            Action::EndMerge => {
                self.document.end_coalescing();
                Ok(())
            }
            Action::Select { selection, reveal } => {
                self.document.refresh(self.catalog);
                if reveal {
                    self.canvas.reveal(&self.document, &selection);
                }
                self.canvas.select(selection);
                Ok(())
            }
            Action::Command(command) => {
                self.queue.push(command);
                Ok(())
            }
            Action::Notice(text) => {
                self.messages.push(false, text);
                Ok(())
            }
        };
        if let Err(error) = result {
            self.report(true, format!("That change could not be made: {error}"));
        }
    }
}
