//! Exports: the checklist as JSON, Markdown and CSV; the report as HTML; the diagram as SVG,
//! PNG, Mermaid, Graphviz DOT and draw.io. Every export escapes every string the user typed, and all but
//! the HTML report (which carries its date) are deterministic: the same project gives the same
//! bytes, so they can be committed and diffed.

mod csv;
mod drawio;
pub mod escape;
mod graphs;
mod html;
mod json;
mod markdown;
mod png;
mod svg;

use crate::catalog::Catalog;
use crate::checklist::{Derivation, Subject, Task};
use crate::evidence::Assessment;

use crate::model::{Node, Project, TaskState};
use crate::view::ModelView;

/// An export format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// The checklist for people and pull requests: tasks grouped by node, with check boxes.
    Markdown,
    /// The checklist for spreadsheets and issue trackers: one row per task.
    Csv,
    /// The checklist for programs: summary, tasks, orphaned keys.
    Json,
    /// The report: one self-contained HTML page with diagram, matrix and checklist.
    Html,
    /// The diagram as SVG.
    Svg,
    /// The diagram as PNG, rendered from the SVG at twice its size.
    Png,
    /// The diagram as a Mermaid flowchart (renders on GitHub).
    Mermaid,
    /// The diagram as a Graphviz DOT graph.
    Dot,
    /// The diagram as a draw.io (diagrams.net) file, to keep editing in draw.io.
    Drawio,
}

impl Format {
    /// Every format.
    pub const ALL: [Self; 9] = [
        Self::Markdown,
        Self::Csv,
        Self::Json,
        Self::Html,
        Self::Svg,
        Self::Png,
        Self::Mermaid,
        Self::Dot,
        Self::Drawio,
    ];

    /// The formats that carry the checklist (File ▸ Export checklist).
    pub const CHECKLIST: [Self; 4] = [Self::Markdown, Self::Csv, Self::Json, Self::Html];

    /// The formats that carry the diagram alone (File ▸ Export diagram).
    pub const DIAGRAM: [Self; 5] = [Self::Svg, Self::Png, Self::Mermaid, Self::Dot, Self::Drawio];

    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Markdown => "md",
            Self::Csv => "csv",
            Self::Json => "json",
            Self::Html => "html",
            Self::Svg => "svg",
            Self::Png => "png",
            Self::Mermaid => "mmd",
            Self::Dot => "dot",
            Self::Drawio => "drawio",
        }
    }

    /// The format's name for menus.
    pub fn name(self) -> &'static str {
        match self {
            Self::Markdown => "Checklist as Markdown",
            Self::Csv => "Checklist as CSV",
            Self::Json => "Checklist as JSON",
            Self::Html => "HTML report",
            Self::Svg => "Diagram as SVG",
            Self::Png => "Diagram as PNG",
            Self::Mermaid => "Diagram as Mermaid",
            Self::Dot => "Diagram as Graphviz DOT",
            Self::Drawio => "Diagram as draw.io",
        }
    }
}

/// Why an export could not be made.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ExportError(pub(crate) String);

pub use png::{MAX_PIXELS as MAX_PNG_PIXELS, MAX_SIDE as MAX_PNG_SIDE};

/// An export and what its reader should know about it.
#[derive(Debug)]
pub struct Exported {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Things the export changed to fit its limits (a PNG scaled down), in words.
    pub notes: Vec<String>,
}

/// `project` in `format`. `date` (`YYYY-MM-DD`) is printed on the HTML report only.
pub fn export(
    project: &Project,
    catalog: &Catalog,
    derivation: &Derivation,
    format: Format,
    date: &str,
) -> Result<Vec<u8>, ExportError> {
    export_with_notes(project, catalog, derivation, None, format, date).map(|exported| exported.bytes)
}

/// [`export`], with the evidence placed on the design when there is some, and with notes on what
/// was changed to fit the limits (a PNG larger than [`MAX_PNG_PIXELS`] or [`MAX_PNG_SIDE`] is
/// scaled down). With evidence the checklist formats (Markdown, CSV, JSON, HTML) show each task's
/// verdict, counts, newest finding and failing resources, and the findings that landed on no
/// task; without it the output is exactly that of [`export`].
pub fn export_with_notes(
    project: &Project,
    catalog: &Catalog,
    derivation: &Derivation,
    evidence: Option<&Assessment>,
    format: Format,
    date: &str,
) -> Result<Exported, ExportError> {
    let mut checklist = Checklist::new(project, catalog, derivation);
    checklist.evidence = evidence;
    let bytes = match format {
        Format::Json => json::render(&checklist).into_bytes(),
        Format::Markdown => markdown::render(&checklist).into_bytes(),
        Format::Csv => csv::render(&checklist).into_bytes(),
        Format::Html => html::render(&checklist, date).into_bytes(),
        Format::Svg => svg::render(&checklist).into_bytes(),
        Format::Png => {
            let rendered = png::render(&svg::render(&checklist)).map_err(ExportError)?;
            return Ok(Exported { bytes: rendered.bytes, notes: rendered.note.into_iter().collect() });
        }
        Format::Mermaid => graphs::mermaid(&checklist).into_bytes(),
        Format::Dot => graphs::dot(&checklist).into_bytes(),
        Format::Drawio => drawio::render(&checklist)?.into_bytes(),
    };
    Ok(Exported { bytes, notes: Vec::new() })
}

/// What every export shows, gathered once.
pub(crate) struct Checklist<'a> {
    pub project: &'a Project,
    pub catalog: &'a Catalog,
    pub derivation: &'a Derivation,
    /// The project's model view: lookups by id, the boundary tree.
    pub view: ModelView,
    /// The evidence placed on the derivation's tasks, when the export carries it.
    pub evidence: Option<&'a Assessment>,
}

impl<'a> Checklist<'a> {
    fn new(project: &'a Project, catalog: &'a Catalog, derivation: &'a Derivation) -> Self {
        Self { project, catalog, derivation, view: ModelView::build(project), evidence: None }
    }

    /// The project's name, or "Untitled design".
    pub fn title(&self) -> &str {
        if self.project.name.trim().is_empty() { "Untitled design" } else { &self.project.name }
    }

    /// The recorded state of `task` (note, ticket, date), if any.
    pub fn state(&self, task: &Task) -> Option<&'a TaskState> {
        self.project.tasks.get(&task.key)
    }

    /// The name of the team that does `task` ("Platform team"); empty when none is assigned.
    pub fn team_name(&self, task: &Task) -> String {
        let Some(id) = task.team.as_deref() else { return String::new() };
        self.project.teams.iter().find(|t| t.id == id).map_or(id, |t| t.name.as_str()).to_owned()
    }

    /// What the task is about, in words: "Account", "Orders DB (rds)", "Web → DB".
    pub fn subject_name(&self, task: &Task) -> String {
        match &task.subject {
            Subject::Node(id) => self.node_name(id),
            subject => subject.name(self.project, &self.view),
        }
    }

    /// The node with `id`.
    pub fn node(&self, id: &str) -> Option<&'a Node> {
        self.view.node(self.project, id)
    }

    /// "Label (service)" for a node id.
    pub fn node_name(&self, id: &str) -> String {
        match self.node(id) {
            Some(node) => format!("{} ({})", node.display_name(), node.service),
            None => id.to_owned(),
        }
    }
}
