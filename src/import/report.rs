//! What an import did, for people: the report printed on stderr.

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
}

impl SourceFormat {
    /// The format in words.
    pub fn name(self) -> &'static str {
        match self {
            Self::CloudFormation => "CloudFormation",
            Self::Terraform => "Terraform",
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
        section(&mut out, "Not imported: the catalog does not know these types", &unknown);
        section(&mut out, "Folded into their owners", &self.folded);
        section(&mut out, "Marked done", &self.satisfied);
        section(&mut out, "Skipped", &self.skipped);
        section(&mut out, "Warnings", &self.warning_lines());
        out
    }
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
