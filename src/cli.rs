//! Command-line arguments and the headless commands. Errors carry context (anyhow) and end in
//! `error: ...` on stderr with exit code 2.
//!
//! Everything printed for people goes through [`escape::terminal_lines`] (names from a file can
//! hold escape sequences), and no write to stdout or stderr can panic: a closed pipe on stdout
//! ends quietly, a full stdout is an error, and a stderr that cannot be written to is ignored
//! (the exit code still says what happened).

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand, ValueEnum};

use whoowns::catalog::{Catalog, Severity};
use whoowns::checklist::{self, Derivation, Task};
use whoowns::export::{self, escape};
use whoowns::io;
use whoowns::model::Project;
use whoowns::responsibility::{Layer, Owner};

use crate::cli_evidence;

/// A modeler for the AWS Shared Responsibility Model: who owns each security layer of your
/// design, and what is left for you to do.
#[derive(Debug, Parser)]
#[command(name = "whoowns", version, args_conflicts_with_subcommands = true)]
pub struct Args {
    /// A project to open in the desktop app (the built-in e-commerce example when absent).
    pub file: Option<PathBuf>,

    /// A catalog overlay to layer on the built-in catalog, after the user's catalogs folder and
    /// the project's `catalogs` (repeatable; see docs/catalog-format.md).
    #[arg(long = "catalog", value_name = "FILE", global = true)]
    pub catalogs: Vec<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The headless commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Export a project: the checklist (md, csv, json), the report (html) or the diagram (svg,
    /// png, mermaid, dot, drawio).
    Export {
        /// The project file.
        file: PathBuf,
        /// The output format.
        #[arg(long, short, value_enum)]
        format: ExportFormat,
        /// Write here instead of to standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Add the evidence of this evidence file to the checklist (md, csv, json, html); without
        /// a file, the design's own (`DESIGN.evidence.json`, or the one the design names).
        #[arg(long, value_name = "FILE", num_args = 0..=1)]
        evidence: Option<Option<PathBuf>>,
        /// Only the tasks of this team (an id from the project's `teams`).
        #[arg(long, value_name = "ID")]
        team: Option<String>,
    },
    /// Print the remaining customer tasks; fail (exit 1) when any is at or above a severity,
    /// or, with `--evidence`, when a task marked done is failing.
    Check {
        /// The project file.
        file: PathBuf,
        /// The lowest severity that fails the check.
        #[arg(long, value_enum, default_value_t = SeverityArg::High)]
        fail_on: SeverityArg,
        /// Check the tasks against this evidence file too; without a file, the design's own.
        #[arg(long, value_name = "FILE", num_args = 0..=1)]
        evidence: Option<Option<PathBuf>>,
        /// Only the tasks of this team (an id from the project's `teams`).
        #[arg(long, value_name = "ID")]
        team: Option<String>,
    },
    /// Read Security Hub (ASFF, OCSF) and Prowler (OCSF, CSV) findings, place them on the
    /// design's tasks and print which tasks are verified, failing or unverified, and which
    /// findings are about resources the design does not have.
    Evidence {
        /// The project file.
        file: PathBuf,
        /// Findings files: `aws securityhub get-findings` output, Prowler `json-asff`,
        /// `json-ocsf` or CSV, Security Hub OCSF (an array or one finding per line).
        #[arg(required = true)]
        findings: Vec<PathBuf>,
        /// Write the evidence file here; without a file, the design's own
        /// (`DESIGN.evidence.json`, or the one the design names).
        #[arg(long, short, value_name = "FILE", num_args = 0..=1)]
        output: Option<Option<PathBuf>>,
        /// The output format.
        #[arg(long, short, value_enum, default_value_t = TextOrJson::Text)]
        format: TextOrJson,
    },
    /// Print who owns each layer of each node.
    Matrix {
        /// The project file.
        file: PathBuf,
        /// Show the team that does the customer's part of each layer instead of AWS/customer.
        #[arg(long)]
        teams: bool,
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
    /// Make a project from infrastructure as code or a diagram: a CloudFormation or SAM template
    /// (JSON or YAML), Terraform `terraform show -json` output (plan or state), or a draw.io
    /// diagram (.drawio, .dio, .xml, .drawio.svg, .drawio.png). Prints what was imported,
    /// folded, marked done, kept as notes and left out.
    Import {
        /// The template, Terraform JSON or draw.io diagram.
        source: PathBuf,
        /// Where to write the project.
        #[arg(long, short)]
        output: PathBuf,
        /// Also read nested stacks' templates from under DIR (by default only from under the
        /// template's own folder); may be given more than once.
        #[arg(long, value_name = "DIR")]
        allow_nested_from: Vec<PathBuf>,
        /// For a draw.io diagram with several pages: the page to import, by name or number
        /// (from 1). The first page when absent.
        #[arg(long, value_name = "NAME|N")]
        page: Option<String>,
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
        /// OLD and NEW are evidence files: show the findings that started or stopped failing.
        #[arg(long)]
        evidence: bool,
        /// With `--evidence`: also the tasks of this design whose verdict changed.
        #[arg(long, requires = "evidence", value_name = "DESIGN")]
        design: Option<PathBuf>,
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
    /// The diagram as a draw.io file (AWS4 shapes; opens and stays editable in draw.io).
    Drawio,
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
    let given = args.catalogs.as_slice();
    match args.command {
        None => open_gui(args.file, started),
        Some(Command::Export { file, format, output, evidence, team }) => {
            let catalog = layered_catalog(Some(&file), given)?;
            let (project, mut derivation) = load_and_derive(&file, catalog)?;
            if let Some(team) = &team {
                only_team(&file, &project, &mut derivation, team)?;
            }
            let assessment = match evidence {
                Some(given) => {
                    let path = cli_evidence::evidence_path(&file, &project, given.as_deref());
                    Some(cli_evidence::assess(&path, &project, catalog, &derivation)?)
                }
                None => None,
            };
            let format = match format {
                ExportFormat::Json => export::Format::Json,
                ExportFormat::Md => export::Format::Markdown,
                ExportFormat::Csv => export::Format::Csv,
                ExportFormat::Html => export::Format::Html,
                ExportFormat::Svg => export::Format::Svg,
                ExportFormat::Png => export::Format::Png,
                ExportFormat::Mermaid => export::Format::Mermaid,
                ExportFormat::Dot => export::Format::Dot,
                ExportFormat::Drawio => export::Format::Drawio,
            };
            let exported = export::export_with_notes(
                &project,
                catalog,
                &derivation,
                assessment.as_ref(),
                format,
                &whoowns::today::today(),
            )?;
            for text in &exported.notes {
                note(&format!("note: {text}"));
            }
            match output {
                // Never over the project itself, nor over another project.
                Some(path) => io::write_export(&path, &exported.bytes, &[&file])?,
                None => write_stdout(&exported.bytes)?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Check { file, fail_on, evidence, team }) => {
            let catalog = layered_catalog(Some(&file), given)?;
            if let Some(missing) = catalog.missing().first() {
                anyhow::bail!(
                    "{}: {missing}; the design cannot be checked without it (its nodes and task states are kept in the file)",
                    file.display()
                );
            }
            let (project, mut derivation) = load_and_derive(&file, catalog)?;
            if let Some(team) = &team {
                only_team(&file, &project, &mut derivation, team)?;
            }
            let threshold = Severity::from(fail_on);
            let mut report = check_report(&project, catalog, &derivation, threshold);
            let mut done_but_failing = false;
            if let Some(given) = evidence {
                let path = cli_evidence::evidence_path(&file, &project, given.as_deref());
                let assessment = cli_evidence::assess(&path, &project, catalog, &derivation)?;
                let (section, failing) = cli_evidence::check_section(&derivation, &assessment);
                report.push_str(&section);
                if failing {
                    report.push_str("FAIL: task(s) marked done are failing in the evidence\n");
                }
                done_but_failing = failing;
            }
            print_text(&report)?;
            let failing = derivation.counts().remaining_at_or_above(threshold);
            Ok(if failing > 0 || done_but_failing { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
        Some(Command::Evidence { file, findings, output, format }) => {
            let catalog = layered_catalog(Some(&file), given)?;
            let (project, derivation) = load_and_derive(&file, catalog)?;
            let text = cli_evidence::evidence_command(
                &file,
                &project,
                catalog,
                &derivation,
                &findings,
                output.as_ref().map(Option::as_deref),
                format == TextOrJson::Json,
            )?;
            print_text(&text)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Matrix { file, teams }) => {
            let catalog = layered_catalog(Some(&file), given)?;
            let (project, derivation) = load_and_derive(&file, catalog)?;
            print_text(&if teams {
                team_matrix(&project, catalog, &derivation)
            } else {
                matrix(&project, catalog, &derivation)
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Fmt { file, check }) => format_file(&file, layered_catalog(Some(&file), given)?, check),
        Some(Command::Generate { services, seed, output }) => {
            let catalog = layered_catalog(None, given)?;
            // Before anything is allocated: a billion services would fill memory first.
            whoowns::generate::check_size(services)?;
            let project = whoowns::generate::generate(services, seed, catalog);
            io::save(&output, &project)?;
            note(&format!(
                "{}: {services} services, {} flows, {} boundaries",
                output.display(),
                project.flows.len(),
                project.boundaries.len()
            ));
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Import { source, output, allow_nested_from, page }) => {
            io::ensure_not_an_input(&output, &[&source])?;
            let catalog = layered_catalog(None, given)?;
            let options = whoowns::import::ImportOptions { nested_roots: allow_nested_from, page };
            let imported = whoowns::import::import_file_with(&source, catalog, &options)?;
            note(&imported.report.render());
            let mut project = imported.project;
            whoowns::layout::lay_out(&mut project);
            if let Some(problem) = io::validate(&project, catalog, "").first() {
                anyhow::bail!("{}: the imported project is not valid: {}", source.display(), problem.message);
            }
            io::save(&output, &project)?;
            note(&format!(
                "{}: {} nodes, {} flows, {} boundaries",
                output.display(),
                project.nodes.len(),
                project.flows.len(),
                project.boundaries.len()
            ));
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Diff { old, new, format, evidence: true, design }) => {
            let catalog = layered_catalog(design.as_deref(), given)?;
            let design = match design {
                Some(path) => Some(load_and_derive(&path, catalog)?),
                None => None,
            };
            let text = cli_evidence::diff_command(
                &old,
                &new,
                design.as_ref().map(|(project, derivation)| (project, catalog, derivation)),
                format == TextOrJson::Json,
            )?;
            print_text(&text)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Diff { old, new, format, evidence: false, .. }) => {
            // Each version with its own overlays; the difference is read with the new one's.
            let old_project = io::load(&old, layered_catalog(Some(&old), given)?)?.project;
            let catalog = layered_catalog(Some(&new), given)?;
            let new_project = io::load(&new, catalog)?.project;
            let difference = whoowns::diff::diff(&old_project, &new_project, catalog);
            match format {
                TextOrJson::Text => print_text(&difference.render())?,
                TextOrJson::Json => {
                    write_stdout((serde_json::to_string_pretty(&difference)? + "\n").as_bytes())?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Catalog { format }) => {
            let catalog = layered_catalog(None, given)?;
            match format {
                TextOrJson::Text => print_text(&catalog_table(catalog))?,
                TextOrJson::Json => write_stdout((serde_json::to_string_pretty(catalog)? + "\n").as_bytes())?,
            }
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

/// The built-in catalog with the overlays for a command layered on it: the user's catalogs
/// folder, the project's `catalogs` (when `project` is a project file), then `--catalog` files.
///
/// Derivations, documents and imports borrow their task templates from a catalog that lives as
/// long as the process (`&'static Catalog`, so tasks need not count references); a command
/// builds one catalog and runs to the end, so leaking it is the least invasive way to keep that
/// design. Without overlays it is the built-in catalog itself, and nothing is leaked.
fn layered_catalog(project: Option<&Path>, given: &[PathBuf]) -> anyhow::Result<&'static Catalog> {
    let overlays = whoowns::catalog::overlay::overlays_for(project, given);
    if overlays.is_empty() {
        return Ok(Catalog::builtin());
    }
    let catalog = Catalog::builtin().with_overlays(&overlays)?;
    Ok(Box::leak(Box::new(catalog)))
}

fn load_and_derive(path: &Path, catalog: &'static Catalog) -> anyhow::Result<(Project, Derivation)> {
    let loaded = io::load(path, catalog)?;
    for warning in &loaded.warnings {
        note(&format!("warning: {}: {warning}", path.display()));
    }
    let derivation = checklist::derive(&loaded.project, catalog);
    Ok((loaded.project, derivation))
}

/// Keeps only the tasks of `team`; an error naming the teams when the project has no such team.
fn only_team(file: &Path, project: &Project, derivation: &mut Derivation, team: &str) -> anyhow::Result<()> {
    if !project.teams.iter().any(|t| t.id == team) {
        let known: Vec<&str> = project.teams.iter().map(|t| t.id.as_str()).collect();
        anyhow::bail!(
            "{}: no team {team:?}; the project's teams: {}",
            file.display(),
            if known.is_empty() { "none".to_owned() } else { known.join(", ") }
        );
    }
    let view = whoowns::view::ModelView::build(project);
    derivation.retain_tasks(&view, |task| task.team.as_deref() == Some(team));
    Ok(())
}

/// Prints text for people to stdout, control characters shown visibly.
fn print_text(text: &str) -> anyhow::Result<()> {
    write_stdout(escape::terminal_lines(text).as_bytes())
}

/// Writes to stdout, treating a closed pipe (`| head`) as success; any other failure (a full
/// disk, `>/dev/full`) is an error.
fn write_stdout(bytes: &[u8]) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to standard output"),
    }
}

/// Writes a message for people to stderr, control characters shown visibly, adding a line
/// break. A stderr that cannot be written to (closed, `2>/dev/full`) is ignored: there is
/// nowhere left to say so, and the exit code still tells.
pub fn note(text: &str) {
    let text = escape::terminal_lines(text.strip_suffix('\n').unwrap_or(text));
    let mut stderr = std::io::stderr().lock();
    let _ = stderr
        .write_all(text.as_bytes())
        .and_then(|()| stderr.write_all(b"\n"))
        .and_then(|()| stderr.flush());
}

fn format_file(path: &Path, catalog: &Catalog, check: bool) -> anyhow::Result<ExitCode> {
    // A pipe or device (`fmt /dev/stdin`) would be read empty the second time and written to
    // with nobody reading: `fmt` is for files.
    if std::fs::metadata(path).is_ok_and(|metadata| !metadata.is_file() && !metadata.is_dir()) {
        anyhow::bail!(
            "{}: not a regular file; `whoowns fmt` rewrites project files in place (to read a pipe, use `whoowns check`)",
            path.display()
        );
    }
    let loaded = io::load(path, catalog)?;
    let canonical = io::to_ron_string(&loaded.project)?;
    let current = std::fs::read(path).with_context(|| format!("{}: cannot read", path.display()))?;
    if current == canonical.as_bytes() {
        return Ok(ExitCode::SUCCESS);
    }
    if check {
        note(&format!("{}: not in canonical form; run `whoowns fmt {}`", path.display(), path.display()));
        return Ok(ExitCode::from(1));
    }
    // Through a link, the file it names is formatted and the link kept; the owner and mode stay.
    io::write_atomically(path, canonical.as_bytes(), true)
        .with_context(|| format!("{}: cannot write", path.display()))?;
    note(&format!("{}: formatted", path.display()));
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
    // A name is one value on one line: its line breaks are shown, not followed.
    let name =
        if project.name.is_empty() { "Untitled design".into() } else { escape::terminal(&project.name) };
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
        let subject = match (&task.subject, task.subject.node_ids().as_slice()) {
            (whoowns::checklist::Subject::Account(Some(account)), _) => format!("account {account}"),
            (_, []) => "account".to_owned(),
            (_, ids) => ids.join(" → "),
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
    let view = whoowns::view::ModelView::build(project);
    for (i, flow) in project.flows.iter().enumerate() {
        if let Some(disagreement) = view.encryption_disagreement(i) {
            let _ = writeln!(out, "\nwarning: flow {}: {disagreement}", flow.id);
        }
    }
    if !derivation.orphaned.is_empty() {
        let _ = writeln!(
            out,
            "\n{} task record(s) no longer match a task and are kept in the file: {}",
            derivation.orphaned.len(),
            derivation.orphaned.iter().map(|key| escape::terminal(key)).collect::<Vec<_>>().join(", ")
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

/// The nodes × layers table of `whoowns matrix --teams`: the team that does the customer's part
/// of each layer, numbered in the legend; `A` where AWS alone owns it, `?` where no team is
/// assigned, `-` where the layer does not apply.
fn team_matrix(project: &Project, catalog: &Catalog, derivation: &Derivation) -> String {
    let view = whoowns::view::ModelView::build(project);
    let mut out = String::from("Which team does the customer's part of each layer: ");
    let legend: Vec<String> = project
        .teams
        .iter()
        .enumerate()
        .map(|(i, team)| format!("{} = {} ({})", team_letter(i), team.name, team.id))
        .collect();
    let _ = writeln!(out, "{}; A = AWS alone, ? = no team, - = not applicable\n", legend.join(", "));
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
            let cell = if owner.involves_customer() {
                whoowns::teams::node_team(project, &view, index, layer)
                    .and_then(|id| project.teams.iter().position(|t| t.id == id))
                    .map_or('?', team_letter)
            } else {
                owner.letter()
            };
            let _ = write!(out, "  {cell}");
        }
        out.push('\n');
    }
    out.push('\n');
    for (number, layer) in Layer::ALL.iter().enumerate() {
        let _ = writeln!(out, "{:>2}  {}", number + 1, catalog.layer(*layer).name);
    }
    out
}

/// The letter of the team at `index` in the matrix: 1-9, then a-z.
fn team_letter(index: usize) -> char {
    let digit = u32::try_from(index + 1).unwrap_or(u32::MAX);
    char::from_digit(digit, 36).unwrap_or('+')
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
    if !catalog.layering().is_empty() {
        out.push_str("\nOverlays, in the order they were layered on the built-in catalog:\n");
    }
    for (number, applied) in catalog.layering().iter().enumerate() {
        let source = applied.source.map_or("", whoowns::catalog::overlay::Source::name);
        let _ = writeln!(
            out,
            "{:>2}. {} ({source}): {} service(s) added, {} task(s) added, {} retired, {} owner(s) changed",
            number + 1,
            applied.path.display(),
            applied.services.len(),
            applied.added_tasks,
            applied.retired.len(),
            applied.overrides.len()
        );
        for line in
            applied.retired.iter().map(|r| format!("retired {r}")).chain(applied.overrides.iter().cloned())
        {
            let _ = writeln!(out, "      {line}");
        }
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
