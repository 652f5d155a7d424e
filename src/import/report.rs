//! What an import did, for people: the report printed on stderr.

use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The most warnings an import keeps; the others are only counted.
pub const MAX_WARNINGS: usize = 100;

/// How many resources of unknown types [`ImportReport::summary`] names.
const SUMMARY_UNKNOWN: usize = 10;

/// Warnings as they are found: the first [`MAX_WARNINGS`] in full, the rest counted, so a source
/// with millions of odd values cannot fill memory with messages.
#[derive(Clone, Debug, Default)]
pub(super) struct Warnings {
    kept: Vec<String>,
    omitted: usize,
}

impl Warnings {
    /// Adds a warning.
    pub fn push(&mut self, warning: String) {
        self.push_with(|| warning);
    }

    /// Adds the warning `make` writes; it is only written when it is kept.
    pub fn push_with(&mut self, make: impl FnOnce() -> String) {
        if self.kept.len() < MAX_WARNINGS {
            self.kept.push(make());
        } else {
            self.omitted = self.omitted.saturating_add(1);
        }
    }

    /// Adds every warning of `other`, after these.
    pub fn append(&mut self, other: Self) {
        let omitted = other.omitted;
        for warning in other.kept {
            self.push(warning);
        }
        self.omitted = self.omitted.saturating_add(omitted);
    }

    #[cfg(test)]
    /// The warnings kept so far.
    pub fn kept(&self) -> &[String] {
        &self.kept
    }

    /// The warnings kept, and how many more there were.
    pub fn finish(self) -> (Vec<String>, usize) {
        (self.kept, self.omitted)
    }
}

/// The kind of source, detected from its content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SourceFormat {
    /// An AWS CloudFormation (or SAM) template, JSON or YAML.
    CloudFormation,
    /// `terraform show -json` output: a plan or a state.
    Terraform,
    /// A draw.io (diagrams.net) diagram: `.drawio`, `.dio`, `.xml`, or embedded in SVG or PNG.
    Drawio,
}

impl SourceFormat {
    /// The format in words.
    pub fn name(self) -> &'static str {
        match self {
            Self::CloudFormation => "CloudFormation",
            Self::Terraform => "Terraform",
            Self::Drawio => "draw.io",
        }
    }
}

/// A resource whose type the catalog does not know: listed, not imported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownResource {
    /// Its logical id or Terraform address.
    pub id: String,
    /// Its type, e.g. `AWS::IoT::Thing`.
    pub resource_type: String,
}

/// What a diagram import did with each shape of the page: what became part of the design, what
/// was kept as a note in the project's description, and what was left out and why.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShapeTally {
    /// The page imported.
    pub page: String,
    /// Its number, from 1.
    pub page_number: usize,
    /// How many pages the file has.
    pub pages: usize,
    /// Whether the page was stored compressed.
    pub compressed: bool,
    /// Vertices drawn with an AWS stencil (whoowns's own export decorations not counted).
    pub aws_shapes: usize,
    /// AWS shapes that became nodes of a catalog service (actors included).
    pub services: usize,
    /// AWS shapes that became boundaries (frames, and icons marking a frame).
    pub boundaries: usize,
    /// AWS shapes that are part of the drawing only (isometric arrows, symbols), left out on
    /// purpose, by reason.
    pub drawings: BTreeMap<String, usize>,
    /// AWS shapes the mapping does not know, by shape name: each became a node of
    /// "Unrecognised AWS service" with its label and place, to re-assign in Properties.
    pub unrecognised: BTreeMap<String, usize>,
    /// Non-AWS shapes that became nodes (actor shapes) or boundaries (rectangles in AWS group
    /// colours or labelled as one).
    pub other_mapped: usize,
    /// Text cells that became the label of an unlabelled icon next to them.
    pub captions: usize,
    /// What was kept as a note in the project's description, by kind (text, shape, image).
    pub notes: BTreeMap<String, usize>,
    /// Cells left out, by reason (no text, hidden, whoowns's own decorations...).
    pub left_out: BTreeMap<String, usize>,
    /// Connectors on the page.
    pub edges: usize,
    /// Connectors left out, by reason (no end, an end on a frame...).
    pub edges_left_out: BTreeMap<String, usize>,
}

impl ShapeTally {
    /// AWS shapes read as something whoowns knows: services, boundaries and drawing elements.
    pub fn mapped(&self) -> usize {
        self.services + self.boundaries + self.drawings.values().sum::<usize>()
    }

    /// AWS shapes that became "Unrecognised AWS service" nodes.
    pub fn unrecognised_count(&self) -> usize {
        self.unrecognised.values().sum()
    }

    /// The one line on AWS shapes: how many were mapped, and how.
    pub fn aws_line(&self) -> String {
        let percent =
            if self.aws_shapes == 0 { 100.0 } else { 100.0 * self.mapped() as f64 / self.aws_shapes as f64 };
        format!(
            "AWS shapes: {}, mapped {} ({percent:.1}%): {} to services, {} to boundaries, {} drawing elements left out; \
             unrecognised {}",
            self.aws_shapes,
            self.mapped(),
            self.services,
            self.boundaries,
            self.drawings.values().sum::<usize>(),
            self.unrecognised_count()
        )
    }
}

/// "3 text, 1 image" from counts by kind.
fn counted(counts: &BTreeMap<String, usize>) -> String {
    counts.iter().map(|(what, n)| format!("{n} {what}")).collect::<Vec<_>>().join(", ")
}

/// What an import found and did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportReport {
    /// The source, as the caller named it.
    pub source: String,
    /// CloudFormation or Terraform.
    pub format: SourceFormat,
    /// How many nodes the project has.
    pub nodes: usize,
    /// How many flows.
    pub flows: usize,
    /// How many boundaries (the account included).
    pub boundaries: usize,
    /// Resources the catalog does not know; also listed in the project's description.
    pub unknown: Vec<UnknownResource>,
    /// Resources folded into their owner, and link resources that became flows, in words.
    pub folded: Vec<String>,
    /// Tasks marked done, `key: note`.
    pub satisfied: Vec<String>,
    /// What was left out on purpose (data sources, other providers, custom resources...), with
    /// why.
    pub skipped: Vec<String>,
    /// Things that looked odd: unknown tags or functions, resources whose owner is missing...
    /// At most [`MAX_WARNINGS`]; `omitted_warnings` counts the others.
    pub warnings: Vec<String>,
    /// How many warnings there were beyond those in `warnings`.
    pub omitted_warnings: usize,
    /// For diagrams: what became of each shape.
    pub shapes: Option<ShapeTally>,
}

impl ImportReport {
    /// An empty report.
    pub(super) fn new(source: &str, format: SourceFormat) -> Self {
        Self {
            source: source.to_owned(),
            format,
            nodes: 0,
            flows: 0,
            boundaries: 0,
            unknown: Vec::new(),
            folded: Vec::new(),
            satisfied: Vec::new(),
            skipped: Vec::new(),
            warnings: Vec::new(),
            omitted_warnings: 0,
            shapes: None,
        }
    }

    /// Every warning there was, those not kept included.
    pub fn warning_count(&self) -> usize {
        self.warnings.len().saturating_add(self.omitted_warnings)
    }

    /// The warnings, with a last line saying how many more there were.
    fn warning_lines(&self) -> Vec<String> {
        let mut lines = self.warnings.clone();
        if self.omitted_warnings > 0 {
            lines.push(format!("and {} more", self.omitted_warnings));
        }
        lines
    }

    /// The report in one paragraph, for a message in the app: counts, and what was not
    /// imported or looked odd.
    pub fn summary(&self) -> String {
        let mut out = format!(
            "Imported {} nodes, {} flows and {} boundaries from {}; {} tasks were already done in the source.",
            self.nodes,
            self.flows,
            self.boundaries,
            self.source,
            self.satisfied.len()
        );
        if let Some(shapes) = &self.shapes {
            let _ = write!(out, " {}", diagram_summary(shapes));
        }
        if !self.unknown.is_empty() {
            let mut types: Vec<String> = self
                .unknown
                .iter()
                .take(SUMMARY_UNKNOWN)
                .map(|u| format!("{} ({})", u.id, u.resource_type))
                .collect();
            if self.unknown.len() > SUMMARY_UNKNOWN {
                types.push(format!("and {} more", self.unknown.len() - SUMMARY_UNKNOWN));
            }
            let _ = write!(out, " Not imported (unknown to the catalog): {}.", types.join(", "));
        }
        if self.warning_count() > 0 {
            let _ = write!(out, " {} warning(s): {}", self.warning_count(), self.warning_lines().join("; "));
        }
        out
    }

    /// The report as text, one item a line, for stderr.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} ({}): {} node{}, {} flow{}, {} boundar{}; {} task{} already done",
            self.source,
            self.format.name(),
            self.nodes,
            plural(self.nodes),
            self.flows,
            plural(self.flows),
            self.boundaries,
            if self.boundaries == 1 { "y" } else { "ies" },
            self.satisfied.len(),
            plural(self.satisfied.len()),
        );
        let unknown: Vec<String> =
            self.unknown.iter().map(|u| format!("{} ({})", u.id, u.resource_type)).collect();
        if let Some(shapes) = &self.shapes {
            render_shapes(&mut out, shapes);
        }
        section(&mut out, "Not imported: the catalog does not know these types", &unknown);
        section(&mut out, "Folded into their owners", &self.folded);
        section(&mut out, "Marked done", &self.satisfied);
        section(&mut out, "Skipped", &self.skipped);
        section(&mut out, "Warnings", &self.warning_lines());
        out
    }
}

/// The diagram part of [`ImportReport::summary`].
fn diagram_summary(shapes: &ShapeTally) -> String {
    let mut out = format!(
        "Page \"{}\" ({} of {}). {}.",
        shapes.page,
        shapes.page_number,
        shapes.pages,
        shapes.aws_line()
    );
    if shapes.unrecognised_count() > 0 {
        out.push_str(" Unrecognised AWS shapes are \"Unrecognised AWS service\" nodes: pick the real service in Properties.");
    }
    if !shapes.notes.is_empty() {
        let _ = write!(out, " Kept as notes in the description: {}.", counted(&shapes.notes));
    }
    out
}

/// The diagram lines of [`ImportReport::render`].
fn render_shapes(out: &mut String, shapes: &ShapeTally) {
    let stored = if shapes.compressed { ", compressed" } else { "" };
    let _ = writeln!(out, "Page \"{}\" ({} of {}{stored})", shapes.page, shapes.page_number, shapes.pages);
    let _ = writeln!(out, "{}", shapes.aws_line());
    if shapes.other_mapped > 0 {
        let _ = writeln!(
            out,
            "Other shapes mapped (actors, frames in AWS colours or named by their label): {}",
            shapes.other_mapped
        );
    }
    if shapes.captions > 0 {
        let _ = writeln!(out, "Labels taken from text next to unlabelled icons: {}", shapes.captions);
    }
    let edges_left: usize = shapes.edges_left_out.values().sum();
    let _ = writeln!(out, "Connectors: {}, {} left out", shapes.edges, edges_left);
    let unrecognised: Vec<String> =
        shapes.unrecognised.iter().map(|(name, n)| format!("{name} ({n})")).collect();
    section(
        out,
        "Unrecognised AWS shapes, kept as \"Unrecognised AWS service\" nodes to re-assign",
        &unrecognised,
    );
    let drawings: Vec<String> = shapes.drawings.iter().map(|(why, n)| format!("{n}: {why}")).collect();
    section(out, "AWS drawing elements left out", &drawings);
    if !shapes.notes.is_empty() {
        section(out, "Kept as notes in the project description", &[counted(&shapes.notes)]);
    }
    let left: Vec<String> =
        shapes.left_out.iter().chain(&shapes.edges_left_out).map(|(why, n)| format!("{n}: {why}")).collect();
    section(out, "Left out", &left);
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

fn section(out: &mut String, title: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "{title}:");
    for item in items {
        // An item is one line: names from the source may hold line breaks and escape sequences.
        let _ = writeln!(out, "  - {}", crate::export::escape::terminal(item));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_only_what_there_is() {
        let mut report = ImportReport::new("app.yaml", SourceFormat::CloudFormation);
        report.nodes = 1;
        report.boundaries = 1;
        report.unknown.push(UnknownResource { id: "Thing".into(), resource_type: "AWS::IoT::Thing".into() });
        let text = report.render();
        assert_eq!(
            text,
            "app.yaml (CloudFormation): 1 node, 0 flows, 1 boundary; 0 tasks already done\n\
             Not imported: the catalog does not know these types:\n  - Thing (AWS::IoT::Thing)\n"
        );
    }

    #[test]
    fn warnings_are_bounded_and_counted() {
        let mut warnings = Warnings::default();
        for i in 0..250 {
            warnings.push_with(|| format!("odd {i}"));
        }
        let mut more = Warnings::default();
        more.push("late".to_owned());
        warnings.append(more);
        let (kept, omitted) = warnings.finish();
        assert_eq!((kept.len(), omitted), (MAX_WARNINGS, 151));
        let mut report = ImportReport::new("big.yaml", SourceFormat::CloudFormation);
        report.warnings = kept;
        report.omitted_warnings = omitted;
        let summary = report.summary();
        assert!(summary.contains(" 251 warning(s): odd 0; "), "{summary}");
        assert!(summary.ends_with("; odd 99; and 151 more"), "{summary}");
        assert!(report.render().ends_with("  - odd 99\n  - and 151 more\n"));
    }
}
