//! The command line's evidence: `whoowns evidence`, and the `--evidence` of `check`, `export`
//! and `diff` (see docs/evidence.md).

use std::path::{Path, PathBuf};

use anyhow::Context as _;

use whoowns::catalog::Catalog;
use whoowns::checklist::{Derivation, Task};
use whoowns::evidence::{self, Assessment, Evidence, Verdict};
use whoowns::model::Project;

/// The evidence file a `--evidence` names: the file given, or (when the option is given without
/// one) the design's own evidence file.
pub fn evidence_path(design: &Path, project: &Project, given: Option<&Path>) -> PathBuf {
    match given {
        Some(path) => path.to_owned(),
        None => evidence::file::path_for(design, project.evidence.as_deref()),
    }
}

/// Reads the findings files `sources`, in order.
pub fn read_sources(sources: &[PathBuf]) -> anyhow::Result<Evidence> {
    let mut reads = Vec::with_capacity(sources.len());
    for source in sources {
        reads.push(evidence::read_findings(source)?);
    }
    Ok(Evidence::from_reads(reads))
}

/// Loads the evidence file at `path` and places it on the design.
pub fn assess(
    path: &Path,
    project: &Project,
    catalog: &Catalog,
    derivation: &Derivation,
) -> anyhow::Result<Assessment> {
    let evidence = Evidence::load(path)?;
    Ok(Assessment::new(project, catalog, derivation, evidence))
}

/// The report `whoowns evidence` prints, text or JSON, and writes the evidence file to
/// `output` when given.
pub fn evidence_command(
    design: &Path,
    project: &Project,
    catalog: &Catalog,
    derivation: &Derivation,
    sources: &[PathBuf],
    output: Option<Option<&Path>>,
    json: bool,
) -> anyhow::Result<String> {
    let evidence = read_sources(sources)?;
    if let Some(output) = output {
        let path = evidence_path(design, project, output);
        evidence.save(&path).with_context(|| format!("{}: cannot write", path.display()))?;
        eprintln!("{}: {} finding(s)", path.display(), evidence.findings.len());
    }
    let assessment = Assessment::new(project, catalog, derivation, evidence);
    Ok(if json {
        evidence::report::render_json(project, derivation, &assessment)
    } else {
        evidence::report::render_text(project, derivation, &assessment)
    })
}

/// What `whoowns check --evidence` adds to its report: the verdict counts and the tasks
/// marked done (or accepted) that the findings show failing. Returns the text and whether any
/// task marked done fails.
pub fn check_section(derivation: &Derivation, assessment: &Assessment) -> (String, bool) {
    let [failing, _, verified] = assessment.verdict_counts();
    let done = assessment.failing_closed(derivation, false);
    let accepted: Vec<usize> =
        assessment.failing_closed(derivation, true).into_iter().filter(|i| !done.contains(i)).collect();
    let mut out = format!(
        "\nEvidence: {verified} task(s) verified, {failing} failing; {}\n",
        evidence::report::read_summary(assessment)
    );
    let line = |task: &Task, i: usize| {
        let resources = assessment.failing_resources(i);
        let shown: Vec<&str> = resources.iter().take(3).copied().collect();
        let more =
            if resources.len() > 3 { format!(" and {} more", resources.len() - 3) } else { String::new() };
        format!("  {}: {}\n      failing on {}{more}\n", task.key, task.template.title, shown.join(", "))
    };
    if !done.is_empty() {
        out.push_str(&format!("Marked done but failing ({}):\n", done.len()));
        for &i in &done {
            out.push_str(&line(&derivation.tasks[i], i));
        }
    }
    if !accepted.is_empty() {
        out.push_str(&format!("Accepted risk, and failing ({}):\n", accepted.len()));
        for &i in &accepted {
            out.push_str(&line(&derivation.tasks[i], i));
        }
    }
    debug_assert!(done.iter().all(|&i| assessment.verdict(i) == Verdict::Failing));
    (out, !done.is_empty())
}

/// `whoowns diff --evidence OLD NEW [--design DESIGN]`.
pub fn diff_command(
    old: &Path,
    new: &Path,
    design: Option<(&Project, &Catalog, &Derivation)>,
    json: bool,
) -> anyhow::Result<String> {
    let old = Evidence::load(old)?;
    let new = Evidence::load(new)?;
    let difference = evidence::diff::diff(&old, &new, design);
    Ok(if json { serde_json::to_string_pretty(&difference)? + "\n" } else { difference.render() })
}
