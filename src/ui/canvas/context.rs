//! The right-click menu on the canvas: on a node, a flow or a boundary it offers what applies
//! to the selection (a right click on something not selected selects it first); on empty
//! canvas, what applies to the whole design.

use egui::{Response, Ui};

use super::super::Action;
use super::super::commands::Command;
use super::super::selection::{Item, Press};
use super::Frame;
use crate::model::BoundaryKind;

/// What the menu offers, worked out before it is shown.
#[derive(Clone, Copy)]
struct Offer {
    /// The menu is for the selection (the right click was on a selected item).
    on_selection: bool,
    /// Nodes or boundaries are selected, so they can be grouped.
    groupable: bool,
    /// Boundaries are selected, so they can be ungrouped or collapsed.
    boundaries: bool,
}

impl Frame<'_> {
    /// Opens the right-click menu for `target` (`None`: empty canvas) when `response` was
    /// right-clicked, and shows it while it is open.
    pub(super) fn context_menu(&mut self, response: &Response, target: Option<Item<'_>>) {
        if response.secondary_clicked()
            && let Some(item) = target
            && !self.state.selection().contains(item)
        {
            self.state.selected.press(Some(item), Press::Click, false);
        }
        let selection = self.state.selection();
        let offer = Offer {
            on_selection: target.is_some() && !selection.is_empty(),
            groupable: !selection.nodes.is_empty() || !selection.boundaries.is_empty(),
            boundaries: !selection.boundaries.is_empty(),
        };
        let actions = &mut *self.actions;
        response.context_menu(|ui| menu_ui(ui, offer, actions));
    }
}

fn menu_ui(ui: &mut Ui, offer: Offer, actions: &mut Vec<Action>) {
    let mut item = |ui: &mut Ui, command: Command| {
        if ui.button(command.text()).clicked() {
            actions.push(Action::Command(command));
            ui.close();
        }
    };
    if !offer.on_selection {
        item(ui, Command::Paste);
        item(ui, Command::SelectAll);
        item(ui, Command::ZoomToFit);
        return;
    }
    item(ui, Command::Cut);
    item(ui, Command::Copy);
    item(ui, Command::Duplicate);
    item(ui, Command::Delete);
    ui.separator();
    item(ui, Command::ZoomToSelection);
    if offer.groupable {
        ui.menu_button("Group selection into", |ui| {
            for kind in BoundaryKind::ALL {
                item(ui, Command::GroupInto(kind));
            }
        });
    }
    if offer.boundaries {
        item(ui, Command::Ungroup);
        item(ui, Command::ToggleCollapse);
    }
}
