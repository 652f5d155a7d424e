//! Checklist exports: JSON, Markdown and CSV. Every export is deterministic (no timestamps), so
//! it can be committed and diffed, and escapes every string the user typed.

mod csv;
mod json;
mod markdown;

use crate::catalog::Catalog;
use crate::checklist::{Derivation, Subject, Task};
use std::collections::HashMap;

use crate::model::{Node, Project, TaskState};

/// A checklist export format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// Machine-readable: summary, tasks, orphaned keys.
    Json,
    /// For people and pull requests: tasks grouped by node, with check boxes.
    Markdown,
    /// For spreadsheets and issue trackers: one row per task.
    Csv,
}

impl Format {
    /// Every format.
    pub const ALL: [Self; 3] = [Self::Markdown, Self::Csv, Self::Json];

    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Markdown => "md",
            Self::Csv => "csv",
        }
    }

    /// The format's name for menus.
    pub fn name(self) -> &'static str {
        match self {
            Self::Json => "JSON",
            Self::Markdown => "Markdown",
            Self::Csv => "CSV",
        }
    }
}

/// The checklist of `project` in `format`.
pub fn export(project: &Project, catalog: &Catalog, derivation: &Derivation, format: Format) -> String {
    let checklist = Checklist::new(project, catalog, derivation);
    match format {
        Format::Json => json::render(&checklist),
        Format::Markdown => markdown::render(&checklist),
        Format::Csv => csv::render(&checklist),
    }
}

/// What every export shows, gathered once.
pub(crate) struct Checklist<'a> {
    pub project: &'a Project,
    pub catalog: &'a Catalog,
    pub derivation: &'a Derivation,
    nodes: HashMap<&'a str, &'a Node>,
}

impl<'a> Checklist<'a> {
    fn new(project: &'a Project, catalog: &'a Catalog, derivation: &'a Derivation) -> Self {
        let nodes = project.nodes.iter().map(|node| (node.id.as_str(), node)).collect();
        Self { project, catalog, derivation, nodes }
    }

    /// The project's name, or "Untitled design".
    pub fn title(&self) -> &str {
        if self.project.name.trim().is_empty() { "Untitled design" } else { &self.project.name }
    }

    /// The recorded state of `task` (note, ticket, date), if any.
    pub fn state(&self, task: &Task) -> Option<&'a TaskState> {
        self.project.tasks.get(&task.key)
    }

    /// What the task is about, in words: "Account", "Orders DB (rds)", "Web → DB".
    pub fn subject_name(&self, task: &Task) -> String {
        match &task.subject {
            Subject::Account => "Account".to_owned(),
            Subject::Node(id) => self.node_name(id),
            Subject::Flow { from, to, .. } => format!("{} → {}", self.node_label(from), self.node_label(to)),
        }
    }

    fn node_label(&self, id: &str) -> String {
        self.node(id).map_or_else(|| id.to_owned(), |n| n.display_name().to_owned())
    }

    /// The node with `id`.
    pub fn node(&self, id: &str) -> Option<&'a Node> {
        self.nodes.get(id).copied()
    }

    /// "Label (service)" for a node id.
    pub fn node_name(&self, id: &str) -> String {
        match self.node(id) {
            Some(node) => format!("{} ({})", node.display_name(), node.service),
            None => id.to_owned(),
        }
    }
}
