//! Command-line arguments and the headless commands. Errors carry context (anyhow) and end in
//! `error: ...` on stderr with exit code 2.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand, ValueEnum};

use whoowns::catalog::{Catalog, Severity};
use whoowns::checklist::{self, Derivation, Task};
use whoowns::export;
use whoowns::io;
use whoowns::model::Project;
use whoowns::responsibility::{Layer, Owner};

/// A modeler for the AWS Shared Responsibility Model: who owns each security layer of your
/// design, and what is left for you to do.
#[derive(Debug, Parser)]
#[command(name = "whoowns", version, args_conflicts_with_subcommands = true)]
pub struct Args {
    /// A project to open in the desktop app (the built-in e-commerce example when absent).
    pub file: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The headless commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Export a project: the checklist (md, csv, json), the report (html) or the diagram (svg,
    /// png, mermaid, dot).
    Export {
        /// The project file.
        file: PathBuf,
        /// The output format.
        #[arg(long, short, value_enum)]
        format: ExportFormat,
        /// Write here instead of to standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Print the remaining customer tasks; fail (exit 1) when any is at or above a severity.
    Check {
        /// The project file.
        file: PathBuf,
        /// The lowest severity that fails the check.
        #[arg(long, value_enum, default_value_t = SeverityArg::High)]
        fail_on: SeverityArg,
    },
    /// Print who owns each layer of each node.
    Matrix {
        /// The project file.
        file: PathBuf,
    },
    /// Rewrite a project file in canonical form.
    Fmt {
        /// The project file.
        file: PathBuf,
        /// Change nothing; exit 1 when the file is not in canonical form.
        #[arg(long)]
        check: bool,
    },
    /// Write a synthetic project of N services (accounts, VPCs, subnets, flows), for
    /// benchmarks and stress tests; the same seed always gives the same file.
    Generate {
        /// How many AWS services.
        #[arg(long)]
        services: usize,
        /// The random seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Where to write the project.
        #[arg(long, short)]
        output: PathBuf,
    },
    /// Make a project from infrastructure as code: a CloudFormation or SAM template (JSON or
    /// YAML) or Terraform `terraform show -json` output (plan or state). Prints what was
    /// imported, folded, marked done and left out.
    Import {
        /// The template or Terraform JSON.
        source: PathBuf,
        /// Where to write the project.
        #[arg(long, short)]
        output: PathBuf,
        /// Also read nested stacks' templates from under DIR (by default only from under the
        /// template's own folder); may be given more than once.
        #[arg(long, value_name = "DIR")]
        allow_nested_from: Vec<PathBuf>,
    },
    /// Show what changed in responsibility between two versions of a design: services added
    /// and removed, owners per node and layer, tasks added, removed and changed status.
    Diff {
        /// The old version.
        old: PathBuf,
        /// The new version.
        new: PathBuf,
        /// The output format.
        #[arg(long, short, value_enum, default_value_t = TextOrJson::Text)]
        format: TextOrJson,
    },
    /// List the services the catalog knows and who owns each of their layers.
    Catalog {
        /// The output format.
        #[arg(long, short, value_enum, default_value_t = TextOrJson::Text)]
        format: TextOrJson,
    },
}

/// Export formats on the command line.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ExportFormat {
    /// The checklist as JSON.
    Json,
    /// The checklist as Markdown.
    Md,
    /// The checklist as CSV.
    Csv,
    /// A self-contained HTML report: diagram, ownership matrix, checklist.
    Html,
    /// The diagram as SVG.
    Svg,
    /// The diagram as PNG (2x).
    Png,
    /// The diagram as a Mermaid flowchart.
    Mermaid,
    /// The diagram as Graphviz DOT.
    Dot,
}

/// Severities on the command line.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum SeverityArg {
    /// Fail on any remaining task.
    Low,
    /// Fail on medium, high or critical.
    Medium,
    /// Fail on high or critical.
    High,
    /// Fail on critical only.
    Critical,
}

impl From<SeverityArg> for Severity {
    fn from(arg: SeverityArg) -> Self {
        match arg {
            SeverityArg::Low => Self::Low,
            SeverityArg::Medium => Self::Medium,
            SeverityArg::High => Self::High,
            SeverityArg::Critical => Self::Critical,
        }
    }
}

/// Text or JSON output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TextOrJson {
    /// For people.
    Text,
    /// For programs.
    Json,
}

/// Runs the command line.
/// `started` is when the process started, for the start-up probe of the desktop app.
pub fn run(args: Args, started: std::time::Instant) -> anyhow::Result<ExitCode> {
    let catalog = Catalog::builtin();
    match args.command {
        None => open_gui(args.file, started),
        Some(Command::Export { file, format, output }) => {
            let (project, derivation) = load_and_derive(&file, catalog)?;
            let format = match format {
                ExportFormat::Json => export::Format::Json,
                ExportFormat::Md => export::Format::Markdown,
                ExportFormat::Csv => export::Format::Csv,
                ExportFormat::Html => export::Format::Html,
                ExportFormat::Svg => export::Format::Svg,
                ExportFormat::Png => export::Format::Png,
                ExportFormat::Mermaid => export::Format::Mermaid,
                ExportFormat::Dot => export::Format::Dot,
            };
            let bytes = export::export(&project, catalog, &derivation, format, &whoowns::today::today())?;
            write_output(output.as_deref(), &bytes)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Check { file, fail_on }) => {
            let (project, derivation) = load_and_derive(&file, catalog)?;
            let threshold = Severity::from(fail_on);
            let report = check_report(&project, catalog, &derivation, threshold);
            print(&report)?;
            let failing = derivation.counts().remaining_at_or_above(threshold);
            Ok(if failing > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
        Some(Command::Matrix { file }) => {
            let (project, derivation) = load_and_derive(&file, catalog)?;
            print(&matrix(&project, catalog, &derivation))?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Fmt { file, check }) => format_file(&file, catalog, check),
        Some(Command::Generate { services, seed, output }) => {
            let project = whoowns::generate::generate(services, seed, catalog);
            io::save(&output, &project)?;
            eprintln!(
                "{}: {services} services, {} flows, {} boundaries",
                output.display(),
                project.flows.len(),
                project.boundaries.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Import { source, output, allow_nested_from }) => {
            let options = whoowns::import::ImportOptions { nested_roots: allow_nested_from };
            let imported = whoowns::import::import_file_with(&source, &options, catalog)?;
            eprint!("{}", imported.report.render());
            let mut project = imported.project;
            whoowns::layout::lay_out(&mut project);
            if let Some(problem) = io::validate(&project, catalog, "").first() {
                anyhow::bail!("{}: the imported project is not valid: {}", source.display(), problem.message);
            }
            io::save(&output, &project)?;
            eprintln!(
                "{}: {} nodes, {} flows, {} boundaries",
                output.display(),
                project.nodes.len(),
                project.flows.len(),
                project.boundaries.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Diff { old, new, format }) => {
            let old_project = io::load(&old, catalog)?.project;
            let new_project = io::load(&new, catalog)?.project;
            let difference = whoowns::diff::diff(&old_project, &new_project, catalog);
            let text = match format {
                TextOrJson::Text => difference.render(),
                TextOrJson::Json => serde_json::to_string_pretty(&difference)? + "\n",
            };
            print(&text)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Catalog { format }) => {
            let text = match format {
                TextOrJson::Text => catalog_table(catalog),
                TextOrJson::Json => serde_json::to_string_pretty(catalog)? + "\n",
            };
            print(&text)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

#[cfg(feature = "gui")]
fn open_gui(file: Option<PathBuf>, started: std::time::Instant) -> anyhow::Result<ExitCode> {
    whoowns::ui::run(file, started)
        .map_err(|error| anyhow::anyhow!("cannot start the desktop app: {error}"))?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(not(feature = "gui"))]
fn open_gui(_file: Option<PathBuf>, _started: std::time::Instant) -> anyhow::Result<ExitCode> {
    anyhow::bail!(
        "this whoowns was built without the desktop app (feature `gui`); run `whoowns --help` for the commands"
    )
}

fn load_and_derive(path: &Path, catalog: &'static Catalog) -> anyhow::Result<(Project, Derivation)> {
    let loaded = io::load(path, catalog)?;
    for warning in &loaded.warnings {
        eprintln!("warning: {}: {warning}", path.display());
    }
    let derivation = checklist::derive(&loaded.project, catalog);
    Ok((loaded.project, derivation))
}

/// Writes to stdout, treating a closed pipe (`| head`) as success.
fn print(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to standard output"),
    }
}

fn write_output(output: Option<&Path>, bytes: &[u8]) -> anyhow::Result<()> {
    match output {
        Some(path) => io::write_atomically(path, bytes, false)
            .with_context(|| format!("{}: cannot write", path.display())),
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
                Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other.context("cannot write to standard output"),
            }
        }
    }
}

fn format_file(path: &Path, catalog: &Catalog, check: bool) -> anyhow::Result<ExitCode> {
    let loaded = io::load(path, catalog)?;
    let canonical = io::to_ron_string(&loaded.project)?;
    let current = std::fs::read(path).with_context(|| format!("{}: cannot read", path.display()))?;
    if current == canonical.as_bytes() {
        return Ok(ExitCode::SUCCESS);
    }
    if check {
        eprintln!("{}: not in canonical form; run `whoowns fmt {}`", path.display(), path.display());
        return Ok(ExitCode::from(1));
    }
    io::write_atomically(path, canonical.as_bytes(), true)
        .with_context(|| format!("{}: cannot write", path.display()))?;
    eprintln!("{}: formatted", path.display());
    Ok(ExitCode::SUCCESS)
}

/// The text `whoowns check` prints: a summary, then the remaining tasks, most severe first.
fn check_report(
    project: &Project,
    catalog: &Catalog,
    derivation: &Derivation,
    threshold: Severity,
) -> String {
    let counts = derivation.counts();
    let mut out = String::new();
    let name = if project.name.is_empty() { "Untitled design" } else { &project.name };
    let by_severity: Vec<String> = Severity::ALL
        .iter()
        .rev()
        .map(|&s| format!("{} {}", counts.remaining_by_severity[s as usize], s.id()))
        .collect();
    let _ = writeln!(
        out,
        "{name}: {} services, {} tasks, {} done, {} remaining ({})",
        derivation.summary.services,
        counts.total,
        counts.done,
        counts.remaining,
        by_severity.join(", ")
    );
    let mut remaining: Vec<&Task> = derivation.remaining().collect();
    remaining.sort_by_key(|task| std::cmp::Reverse(task.severity()));
    if !remaining.is_empty() {
        out.push('\n');
    }
    for task in remaining {
        let subject = match task.subject.node_ids().as_slice() {
            [] => "account".to_owned(),
            ids => ids.join(" → "),
        };
        let controls = if task.template.controls.is_empty() {
            String::new()
        } else {
            format!(" [{}]", task.template.controls.join(", "))
        };
        let _ = writeln!(
            out,
            "{:<8}  {}{controls}\n          {subject} · {} · {}",
            task.severity().id().to_uppercase(),
            task.template.title,
            catalog.layer(task.layer()).name,
            task.key
        );
    }
    if !derivation.orphaned.is_empty() {
        let _ = writeln!(
            out,
            "\n{} task record(s) no longer match a task and are kept in the file: {}",
            derivation.orphaned.len(),
            derivation.orphaned.join(", ")
        );
    }
    let failing = counts.remaining_at_or_above(threshold);
    let _ = writeln!(
        out,
        "\n{}: {failing} remaining task(s) at or above {}",
        if failing > 0 { "FAIL" } else { "PASS" },
        threshold.id()
    );
    out
}

/// The nodes × layers table of `whoowns matrix`.
fn matrix(project: &Project, catalog: &Catalog, derivation: &Derivation) -> String {
    let mut out =
        String::from("Who owns each layer: A = AWS, C = customer, S = shared, - = not applicable\n\n");
    let mut rows: Vec<usize> = (0..project.nodes.len()).collect();
    rows.sort_by(|&a, &b| project.nodes[a].id.cmp(&project.nodes[b].id));
    let id_width = project.nodes.iter().map(|n| n.id.chars().count()).max().unwrap_or(4).max(4);
    let service_width = project.nodes.iter().map(|n| n.service.len()).max().unwrap_or(7).max(7);
    let _ = write!(out, "{:<id_width$}  {:<service_width$} ", "node", "service");
    for (number, _) in Layer::ALL.iter().enumerate() {
        let _ = write!(out, " {:>2}", number + 1);
    }
    out.push('\n');
    for index in rows {
        let node = &project.nodes[index];
        let _ = write!(out, "{:<id_width$}  {:<service_width$} ", node.id, node.service);
        for layer in Layer::ALL {
            let owner = derivation.owners[index].map_or(Owner::NotApplicable, |owners| owners.get(layer));
            let _ = write!(out, "  {}", owner.letter());
        }
        out.push('\n');
    }
    out.push('\n');
    for (number, layer) in Layer::ALL.iter().enumerate() {
        let _ = writeln!(out, "{:>2}  {}", number + 1, catalog.layer(*layer).name);
    }
    out
}

/// The table of `whoowns catalog`.
fn catalog_table(catalog: &Catalog) -> String {
    let mut out =
        String::from("Owners of layers 1-16: A = AWS, C = customer, S = shared, - = not applicable\n\n");
    let letters = |owners: whoowns::responsibility::LayerOwners| -> String {
        owners.iter().map(|(_, owner)| owner.letter()).collect()
    };
    let _ = writeln!(out, "{:<18} {:<36} {:<12} {:<16} tasks", "id", "name", "category", "owners");
    for service in &catalog.services {
        let _ = writeln!(
            out,
            "{:<18} {:<36} {:<12} {:<16} {}",
            service.id,
            service.name,
            ron::to_string(&service.category).unwrap_or_default(),
            letters(service.owners),
            service.tasks.len()
        );
        for variant in &service.variants {
            let default =
                if service.default_variant.as_deref() == Some(&variant.id) { " (default)" } else { "" };
            let _ = writeln!(
                out,
                "{:<18} {:<36} {:<12} {}",
                "",
                format!("  variant {}{default}", variant.id),
                "",
                letters(service.owners_for(Some(variant)))
            );
        }
    }
    out.push('\n');
    for (number, layer) in Layer::ALL.iter().enumerate() {
        let _ = writeln!(out, "{:>2}  {}", number + 1, catalog.layer(*layer).name);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory as _;

    #[test]
    fn arguments_are_consistent() {
        Args::command().debug_assert();
    }
}
