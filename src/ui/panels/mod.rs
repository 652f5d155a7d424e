//! The right-hand side panel and its tabs.

mod properties;
mod responsibility;
mod tasks;

use egui::Ui;

pub use properties::properties_ui;
pub use responsibility::responsibility_ui;
pub use tasks::{TasksState, tasks_ui};

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
}

impl Tab {
    /// Every tab, in order.
    pub const ALL: [Self; 3] = [Self::Responsibility, Self::Tasks, Self::Properties];

    /// The tab's title.
    pub fn title(self) -> &'static str {
        match self {
            Self::Responsibility => "Responsibility",
            Self::Tasks => "Tasks",
            Self::Properties => "Properties",
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
