//! The right-hand side panel and its tabs.
//!
//! Each tab is a `*_ui` function that reads a [`Context`] (the document, the catalog, the
//! theme) and the canvas's view state, and pushes [`Action`]s; none changes the document
//! itself. A new tab is a variant of [`Tab`] and one arm in [`SidePanel::ui`].

mod evidence;
mod properties;
mod responsibility;
mod tasks;

use egui::{Ui, UiBuilder};

use super::Action;
use super::canvas::CanvasState;
use super::search::SearchIndex;
use crate::catalog::Catalog;
use crate::checklist::TaskCounts;
use crate::document::Document;

pub use evidence::evidence_ui;
pub use properties::properties_ui;
pub use responsibility::responsibility_ui;
pub use tasks::{TasksState, tasks_ui};

/// What every tab reads.
pub struct Context<'a> {
    /// The open document, with its model view and derivation.
    pub document: &'a Document,
    /// The catalog.
    pub catalog: &'a Catalog,
    /// Whether the dark theme is on.
    pub dark: bool,
}

/// The tabs of the side panel.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tab {
    /// Who owns each layer.
    #[default]
    Responsibility,
    /// The customer's tasks.
    Tasks,
    /// Edit the selection.
    Properties,
    /// Findings from Security Hub and Prowler.
    Evidence,
}

impl Tab {
    /// Every tab, in order.
    pub const ALL: [Self; 4] = [Self::Responsibility, Self::Tasks, Self::Properties, Self::Evidence];

    /// The tab's title.
    pub fn title(self) -> &'static str {
        match self {
            Self::Responsibility => "Responsibility",
            Self::Tasks => "Tasks",
            Self::Properties => "Properties",
            Self::Evidence => "Evidence",
        }
    }
}

/// The side panel's own state: the open tab, the Tasks tab's filters, and the task counts of
/// the current revision.
#[derive(Default)]
pub struct SidePanel {
    /// The open tab.
    pub tab: Tab,
    /// The Tasks tab's state.
    pub tasks: TasksState,
    counts: Option<(u64, TaskCounts)>,
}

impl SidePanel {
    /// Shows the tab strip and the open tab. The content never makes the panel wider than the
    /// user made it: it is laid out in exactly the panel's width, and what is long wraps or
    /// scrolls.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        context: &Context<'_>,
        canvas: &CanvasState,
        search: &mut SearchIndex,
        actions: &mut Vec<Action>,
    ) {
        let rect = ui.available_rect_before_wrap();
        let mut content =
            ui.new_child(UiBuilder::new().max_rect(rect).layout(egui::Layout::top_down(egui::Align::Min)));
        content.set_clip_rect(rect.intersect(ui.clip_rect()));
        self.content_ui(&mut content, context, canvas, search, actions);
        ui.allocate_rect(rect, egui::Sense::hover());
    }

    fn content_ui(
        &mut self,
        ui: &mut Ui,
        context: &Context<'_>,
        canvas: &CanvasState,
        search: &mut SearchIndex,
        actions: &mut Vec<Action>,
    ) {
        let revision = context.document.revision();
        if self.counts.as_ref().map(|(r, _)| *r) != Some(revision) {
            self.counts = Some((revision, context.document.derivation().counts()));
        }
        let counts = self.counts.as_ref().map(|(_, c)| *c).unwrap_or_default();
        tab_bar_ui(ui, &mut self.tab, counts.remaining);
        ui.separator();
        let selection = canvas.selection();
        match self.tab {
            Tab::Responsibility => {
                let selected = (selection.nodes.len() == 1).then(|| selection.nodes.first()).flatten();
                egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
                    responsibility_ui(ui, context, selected.map(String::as_str), actions);
                });
            }
            Tab::Tasks => tasks_ui(ui, &mut self.tasks, context, &counts, selection, search, actions),
            Tab::Properties => properties_ui(ui, context, canvas, actions),
            Tab::Evidence => {
                let mut show_tasks = false;
                evidence_ui(ui, context, &mut self.tasks, &mut show_tasks, actions);
                if show_tasks {
                    self.tab = Tab::Tasks;
                }
            }
        }
    }
}

/// The tab strip; returns nothing, changes `tab`.
pub fn tab_bar_ui(ui: &mut Ui, tab: &mut Tab, remaining: usize) {
    ui.horizontal(|ui| {
        for candidate in Tab::ALL {
            let title = match candidate {
                Tab::Tasks => format!("Tasks ({remaining})"),
                other => other.title().to_owned(),
            };
            let response = ui.selectable_label(*tab == candidate, title).accessible_name(candidate.title());
            if response.clicked() {
                *tab = candidate;
            }
        }
    });
}
