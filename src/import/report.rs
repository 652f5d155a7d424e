//! What an import did, for people: the report printed on stderr.

use std::fmt::Write as _;

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
    pub warnings: Vec<String>,
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
        }
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
            let types: Vec<String> =
                self.unknown.iter().map(|u| format!("{} ({})", u.id, u.resource_type)).collect();
            let _ = write!(out, " Not imported (unknown to the catalog): {}.", types.join(", "));
        }
        if !self.warnings.is_empty() {
            let _ = write!(out, " {} warning(s): {}", self.warnings.len(), self.warnings.join("; "));
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
        section(&mut out, "Warnings", &self.warnings);
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
        let _ = writeln!(out, "  - {item}");
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
}
