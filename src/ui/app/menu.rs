//! The menu bar and the status bar. Menu items are commands and show the shortcut from the one
//! shortcut table.

use egui::{RichText, Ui};

use super::WhoownsApp;
use crate::export;
use crate::model::BoundaryKind;
use crate::ui::canvas::FlowFocus;
use crate::ui::commands::Command;
use crate::ui::examples::EXAMPLES;
use crate::ui::theme::Theme;

impl WhoownsApp {
    pub(super) fn menu_bar_ui(&mut self, ui: &mut Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| self.file_menu_ui(ui));
            ui.menu_button("Edit", |ui| self.edit_menu_ui(ui));
            ui.menu_button("View", |ui| self.view_menu_ui(ui));
        });
    }

    fn file_menu_ui(&mut self, ui: &mut Ui) {
        self.command_button(ui, Command::New);
        self.command_button(ui, Command::Open);
        ui.menu_button("Open example", |ui| {
            for (index, example) in EXAMPLES.iter().enumerate() {
                if ui.button(example.name).clicked() {
                    self.queue.push(Command::OpenExample(index));
                }
            }
        });
        self.command_button(ui, Command::Import);
        ui.separator();
        self.command_button(ui, Command::LoadFindings);
        let held = self.document.evidence().map(crate::document::DocumentEvidence::is_unkept);
        let keepable = held == Some(true) && self.document.path.is_some();
        ui.add_enabled_ui(keepable, |ui| self.command_button(ui, Command::KeepFindings));
        ui.add_enabled_ui(held.is_some(), |ui| self.command_button(ui, Command::ClearFindings));
        ui.separator();
        self.command_button(ui, Command::Save);
        self.command_button(ui, Command::SaveAs);
        ui.menu_button("Export checklist", |ui| {
            for format in export::Format::CHECKLIST {
                self.command_button(ui, Command::Export(format));
            }
        });
        ui.menu_button("Export diagram", |ui| {
            for format in export::Format::DIAGRAM {
                self.command_button(ui, Command::Export(format));
            }
        });
        ui.separator();
        ui.menu_button("Recent", |ui| {
            if self.prefs.recent.is_empty() {
                ui.label(RichText::new("No recent files").weak());
            }
            for (index, path) in self.prefs.recent.iter().enumerate() {
                if ui.button(path.display().to_string()).clicked() {
                    self.queue.push(Command::OpenRecent(index));
                }
            }
        });
        ui.separator();
        self.command_button(ui, Command::Quit);
    }

    fn edit_menu_ui(&mut self, ui: &mut Ui) {
        let selection = self.canvas.selection();
        let has_selection = !selection.is_empty();
        let groupable = !selection.nodes.is_empty() || !selection.boundaries.is_empty();
        let has_boundaries = !selection.boundaries.is_empty();
        ui.add_enabled_ui(self.document.can_undo(), |ui| self.command_button(ui, Command::Undo));
        ui.add_enabled_ui(self.document.can_redo(), |ui| self.command_button(ui, Command::Redo));
        ui.separator();
        ui.add_enabled_ui(has_selection, |ui| {
            self.command_button(ui, Command::Cut);
            self.command_button(ui, Command::Copy);
        });
        ui.add_enabled_ui(self.clipboard.fragment.is_some(), |ui| self.command_button(ui, Command::Paste));
        ui.add_enabled_ui(has_selection, |ui| {
            self.command_button(ui, Command::Duplicate);
            self.command_button(ui, Command::Delete);
        });
        ui.separator();
        self.command_button(ui, Command::SelectAll);
        ui.add_enabled_ui(has_selection, |ui| self.command_button(ui, Command::SelectNone));
        self.command_button(ui, Command::Find);
        ui.separator();
        ui.add_enabled_ui(groupable, |ui| {
            ui.menu_button("Group selection into", |ui| {
                for kind in BoundaryKind::ALL {
                    self.command_button(ui, Command::GroupInto(kind));
                }
            });
        });
        ui.add_enabled_ui(has_boundaries, |ui| {
            self.command_button(ui, Command::Ungroup);
            self.command_button(ui, Command::ToggleCollapse);
        });
    }

    fn view_menu_ui(&mut self, ui: &mut Ui) {
        self.command_button(ui, Command::ZoomIn);
        self.command_button(ui, Command::ZoomOut);
        self.command_button(ui, Command::ZoomToFit);
        self.command_button(ui, Command::ZoomReset);
        ui.add_enabled_ui(!self.canvas.selection().is_empty(), |ui| {
            self.command_button(ui, Command::ZoomToSelection);
        });
        ui.separator();
        ui.menu_button("Flows", |ui| {
            let filter = self.canvas.flows;
            for focus in [FlowFocus::All, FlowFocus::Fade, FlowFocus::Hide] {
                if ui.radio(filter.focus == focus, Command::SetFlowFocus(focus).text()).clicked() {
                    self.queue.push(Command::SetFlowFocus(focus));
                }
            }
            ui.separator();
            let mut unencrypted = filter.unencrypted_only;
            if ui.checkbox(&mut unencrypted, Command::ToggleUnencryptedFlows.text()).clicked() {
                self.queue.push(Command::ToggleUnencryptedFlows);
            }
            let mut crossing = filter.crossing_only;
            if ui.checkbox(&mut crossing, Command::ToggleCrossingFlows.text()).clicked() {
                self.queue.push(Command::ToggleCrossingFlows);
            }
        });
        let mut minimap = self.canvas.minimap;
        if ui.checkbox(&mut minimap, Command::ToggleMinimap.text()).clicked() {
            self.queue.push(Command::ToggleMinimap);
        }
        let mut grid = self.canvas.grid;
        if ui.checkbox(&mut grid, Command::ToggleGrid.text()).clicked() {
            self.queue.push(Command::ToggleGrid);
        }
        ui.separator();
        for theme in [Theme::Light, Theme::Dark] {
            if ui.radio(self.prefs.theme == theme, Command::SetTheme(theme).text()).clicked() {
                self.queue.push(Command::SetTheme(theme));
            }
        }
    }

    /// A menu item for `command` showing its shortcut; clicking queues the command.
    fn command_button(&mut self, ui: &mut Ui, command: Command) {
        let mut button = egui::Button::new(command.text());
        if let Some(shortcut) = command.shortcut() {
            let text = ui.ctx().format_shortcut(&shortcut).replace("Equals", "=").replace("Minus", "-");
            button = button.shortcut_text(text);
        }
        if ui.add(button).clicked() {
            self.queue.push(command);
            ui.close();
        }
    }

    pub(super) fn status_bar_ui(&self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            let path = self.document.path.as_ref().map_or_else(
                || format!("{} (not saved yet)", self.document.display_name()),
                |p| p.display().to_string(),
            );
            ui.add(egui::Label::new(path).truncate());
            if self.document.is_dirty() {
                ui.label(RichText::new("Unsaved changes").strong());
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                ui.label(format!("Zoom {:.0}%", self.canvas.zoom() * 100.0));
                ui.separator();
                let project = self.document.project();
                let derivation = self.document.derivation();
                let services = derivation.summary.services;
                let actors = project.nodes.len() - services;
                let actors = if actors > 0 { format!(" · {actors} outside AWS") } else { String::new() };
                ui.label(format!(
                    "{services} services{actors} · {} flows · {} remaining tasks",
                    project.flows.len(),
                    derivation.counts().remaining
                ));
                if let Some(held) = self.document.evidence() {
                    ui.separator();
                    let [failing, _, verified] = held.assessment().verdict_counts();
                    let text = format!("Scans: {failing} failing · {verified} verified");
                    let text = if failing > 0 {
                        RichText::new(text).color(ui.visuals().error_fg_color)
                    } else {
                        RichText::new(text)
                    };
                    ui.label(text)
                        .on_hover_text("Findings from Security Hub or Prowler: see the Evidence tab");
                }
                if self.canvas.flows.is_active() {
                    ui.separator();
                    ui.label(RichText::new("Flows filtered").color(ui.visuals().warn_fg_color))
                        .on_hover_text("View ▸ Flows: some flows are hidden or faded");
                }
            });
        });
    }
}
