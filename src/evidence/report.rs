//! What `whoowns evidence` prints: what was read, what was placed where, what fails, what is
//! unplaced; for people (text) and programs (JSON, its shape documented in docs/evidence.md).

use std::fmt::Write as _;

use serde::Serialize;

use super::{Assessment, Finding, Outcome, SourceSummary, State, UnplacedReason, Verdict};
use crate::checklist::Derivation;
use crate::model::{Project, TaskStatus};
use crate::view::ModelView;

/// At most this many resources are listed per task or group in the text report.
const LISTED: usize = 5;

/// One line on what was read: files, findings, and what was left out.
pub fn read_summary(assessment: &Assessment) -> String {
    let evidence = &assessment.evidence;
    let sum = |f: fn(&SourceSummary) -> usize| evidence.sources.iter().map(f).sum::<usize>();
    let (records, archived) = (sum(|s| s.records), sum(|s| s.archived));
    let (without, other) = (sum(|s| s.without_control), sum(|s| s.other_provider));
    let suppressed = evidence.findings.iter().filter(|f| f.state == State::Suppressed).count();
    let mut left_out = Vec::new();
    if archived > 0 {
        left_out.push(format!("{archived} archived"));
    }
    if evidence.superseded > 0 {
        left_out.push(format!("{} superseded by newer ones", evidence.superseded));
    }
    if without > 0 {
        left_out.push(format!("{without} without a control (other products)"));
    }
    if other > 0 {
        left_out.push(format!("{other} about other clouds"));
    }
    let left_out =
        if left_out.is_empty() { String::new() } else { format!("; left out: {}", left_out.join(", ")) };
    format!(
        "Read {} file(s), {records} finding(s): {} kept ({suppressed} suppressed){left_out}.",
        evidence.sources.len(),
        evidence.findings.len()
    )
}

/// One line on where the findings went.
pub fn placed_summary(derivation: &Derivation, assessment: &Assessment) -> String {
    let placement = &assessment.placement;
    let with_findings = placement.tasks.iter().filter(|t| !t.findings.is_empty()).count();
    let [failing, unverified, verified] = assessment.verdict_counts();
    // Tasks without findings are unverified too; count those with findings only.
    let unverified_with = unverified.saturating_sub(derivation.tasks.len() - with_findings);
    let unplaced: usize = placement.unplaced.iter().map(|u| u.findings.len()).sum();
    let unknown: u32 = placement.unknown.iter().map(|u| u.findings).sum();
    format!(
        "Placed {} of {} finding(s) on {with_findings} of {} task(s): {verified} verified, {failing} failing, \
         {unverified_with} without a verdict; {unplaced} unplaced, {unknown} of controls no task names.",
        placement.placed,
        assessment.evidence.findings.len(),
        derivation.tasks.len()
    )
}

fn describe(finding: &Finding) -> String {
    let day = if finding.day().is_empty() { String::new() } else { format!(", {}", finding.day()) };
    let resource = if finding.resource.is_empty() { "(no resource)" } else { &finding.resource };
    format!("{resource} ({}{day})", finding.control())
}

/// The text report of `whoowns evidence`.
pub fn render_text(project: &Project, derivation: &Derivation, assessment: &Assessment) -> String {
    let mut out = String::new();
    let view = ModelView::build(project);
    let name = if project.name.is_empty() { "Untitled design" } else { &project.name };
    let _ = writeln!(out, "{name}");
    let _ = writeln!(out, "{}", read_summary(assessment));
    let _ = writeln!(out, "{}", placed_summary(derivation, assessment));

    let mut by_verdict: [Vec<usize>; 3] = Default::default();
    for (i, task) in assessment.placement.tasks.iter().enumerate() {
        if !task.findings.is_empty()
            && let Some(slot) = Verdict::ALL.iter().position(|v| *v == task.verdict())
        {
            by_verdict[slot].push(i);
        }
    }
    by_verdict[0].sort_by_key(|&i| std::cmp::Reverse(derivation.tasks[i].severity()));
    for (slot, verdict) in Verdict::ALL.iter().enumerate() {
        if by_verdict[slot].is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{} ({})", verdict.name(), by_verdict[slot].len());
        for &i in &by_verdict[slot] {
            let task = &derivation.tasks[i];
            let Some(evidence) = assessment.task(i) else { continue };
            let flag = match (verdict, task.status) {
                (Verdict::Failing, TaskStatus::Done | TaskStatus::AcceptedRisk) => {
                    format!("  [marked {}]", task.status.name().to_lowercase())
                }
                _ => String::new(),
            };
            let newest = assessment.newest_day(i).map(|d| format!(", newest {d}")).unwrap_or_default();
            let mut counts =
                vec![format!("{} passed", evidence.passed), format!("{} failed", evidence.failed)];
            if evidence.not_evaluated > 0 {
                counts.push(format!("{} not evaluated", evidence.not_evaluated));
            }
            if evidence.suppressed > 0 {
                counts.push(format!("{} suppressed", evidence.suppressed));
            }
            let _ = writeln!(
                out,
                "  {:<8}  {}{flag}\n            {} · {} · {}{newest}",
                task.severity().id().to_uppercase(),
                task.template.title,
                task.subject.name(project, &view),
                task.key,
                counts.join(", ")
            );
            if *verdict == Verdict::Failing {
                let failed: Vec<&Finding> = assessment
                    .findings(i)
                    .filter(|f| f.is_active() && f.outcome == Outcome::Failed)
                    .collect();
                for finding in failed.iter().take(LISTED) {
                    let _ = writeln!(out, "            failed: {}", describe(finding));
                }
                if failed.len() > LISTED {
                    let _ = writeln!(out, "            and {} more", failed.len() - LISTED);
                }
            }
        }
    }

    if !assessment.placement.unplaced.is_empty() {
        let total: usize = assessment.placement.unplaced.iter().map(|u| u.findings.len()).sum();
        let _ = writeln!(out, "\nUnplaced: {total} finding(s) of known controls that land on no task");
        for group in &assessment.placement.unplaced {
            let account =
                if group.account.is_empty() { String::new() } else { format!(" in {}", group.account) };
            let _ = writeln!(
                out,
                "  {}{account}: {} failing, {} passing {}",
                group.control,
                group.failed,
                group.passed,
                group.reason.describe()
            );
            if group.reason != UnplacedReason::AccountNotInDesign {
                let mut resources: Vec<&str> = group
                    .findings
                    .iter()
                    .filter_map(|&i| assessment.finding(i))
                    .filter(|f| f.is_active() && f.outcome == Outcome::Failed)
                    .map(|f| f.resource.as_str())
                    .collect();
                resources.sort_unstable();
                resources.dedup();
                for resource in resources.iter().take(LISTED) {
                    let _ = writeln!(out, "      failed: {resource}");
                }
                if resources.len() > LISTED {
                    let _ = writeln!(out, "      and {} more", resources.len() - LISTED);
                }
            }
        }
    }
    if !assessment.placement.unknown.is_empty() {
        let listed: Vec<String> = assessment
            .placement
            .unknown
            .iter()
            .map(|u| format!("{} ({}, {} failing)", u.control, u.findings, u.failed))
            .collect();
        let _ = writeln!(out, "\nControls no task names: {}", listed.join(", "));
    }
    out
}

/// A finding in the JSON report.
#[derive(Serialize)]
pub struct FindingRow<'a> {
    /// `S3.8`, `prowler s3_…`.
    pub control: String,
    /// The resource.
    pub resource: &'a str,
    /// The account.
    pub account: &'a str,
    /// The Region.
    pub region: &'a str,
    /// `passed`, `failed`, `not_evaluated`.
    pub outcome: Outcome,
    /// `active`, `suppressed`.
    pub state: State,
    /// When.
    pub observed: &'a str,
    /// Who.
    pub producer: super::Producer,
}

impl<'a> FindingRow<'a> {
    /// The row of `finding`.
    pub fn of(finding: &'a Finding) -> Self {
        Self {
            control: finding.control().to_string(),
            resource: &finding.resource,
            account: &finding.account,
            region: &finding.region,
            outcome: finding.outcome,
            state: finding.state,
            observed: &finding.observed,
            producer: finding.producer,
        }
    }
}

/// The evidence of one task, as the JSON report and the JSON export give it.
#[derive(Serialize)]
pub struct TaskRow<'a> {
    /// `verified`, `failing`, `unverified`.
    pub verdict: Verdict,
    /// Active findings that passed.
    pub passed: u32,
    /// Active findings that failed.
    pub failed: u32,
    /// Active findings without a verdict.
    pub not_evaluated: u32,
    /// Suppressed findings.
    pub suppressed: u32,
    /// The day of the newest active finding.
    pub newest: Option<&'a str>,
    /// The resources of the failed findings.
    pub failing_resources: Vec<&'a str>,
}

impl<'a> TaskRow<'a> {
    /// The row of task `task`.
    pub fn of(assessment: &'a Assessment, task: usize) -> Self {
        let evidence = assessment.task(task).cloned().unwrap_or_default();
        Self {
            verdict: evidence.verdict(),
            passed: evidence.passed,
            failed: evidence.failed,
            not_evaluated: evidence.not_evaluated,
            suppressed: evidence.suppressed,
            newest: assessment.newest_day(task),
            failing_resources: assessment.failing_resources(task),
        }
    }
}

/// A group of unplaced findings in JSON.
#[derive(Serialize)]
pub struct UnplacedRow<'a> {
    /// The control.
    pub control: String,
    /// The account.
    pub account: &'a str,
    /// Why.
    pub reason: UnplacedReason,
    /// Active failed findings.
    pub failed: u32,
    /// Active passed findings.
    pub passed: u32,
    /// All of them.
    pub findings: Vec<FindingRow<'a>>,
}

/// Findings of a control no task names, in JSON.
#[derive(Serialize)]
pub struct UnknownRow {
    /// The control.
    pub control: String,
    /// How many findings.
    pub findings: u32,
    /// Active failed ones.
    pub failed: u32,
}

/// The unplaced and unknown findings, for the JSON report and export.
pub fn unplaced_rows(assessment: &Assessment) -> (Vec<UnplacedRow<'_>>, Vec<UnknownRow>) {
    let unplaced = assessment
        .placement
        .unplaced
        .iter()
        .map(|group| UnplacedRow {
            control: group.control.to_string(),
            account: &group.account,
            reason: group.reason,
            failed: group.failed,
            passed: group.passed,
            findings: group
                .findings
                .iter()
                .filter_map(|&i| assessment.finding(i))
                .map(FindingRow::of)
                .collect(),
        })
        .collect();
    let unknown = assessment
        .placement
        .unknown
        .iter()
        .map(|u| UnknownRow { control: u.control.to_string(), findings: u.findings, failed: u.failed })
        .collect();
    (unplaced, unknown)
}

/// The JSON report of `whoowns evidence --format json`.
pub fn render_json(project: &Project, derivation: &Derivation, assessment: &Assessment) -> String {
    #[derive(Serialize)]
    struct PlacedTask<'a> {
        key: &'a str,
        title: &'a str,
        severity: &'static str,
        status: &'static str,
        #[serde(flatten)]
        evidence: TaskRow<'a>,
        findings: Vec<FindingRow<'a>>,
    }
    #[derive(Serialize)]
    struct Report<'a> {
        project: &'a str,
        sources: &'a [SourceSummary],
        findings: usize,
        placed: usize,
        verdicts: std::collections::BTreeMap<&'static str, usize>,
        tasks: Vec<PlacedTask<'a>>,
        unplaced: Vec<UnplacedRow<'a>>,
        unknown: Vec<UnknownRow>,
    }
    let counts = assessment.verdict_counts();
    let tasks = derivation
        .tasks
        .iter()
        .enumerate()
        .filter(|(i, _)| assessment.task(*i).is_some_and(|t| !t.findings.is_empty()))
        .map(|(i, task)| PlacedTask {
            key: &task.key,
            title: &task.template.title,
            severity: task.severity().id(),
            status: task.status.id(),
            evidence: TaskRow::of(assessment, i),
            findings: assessment.findings(i).map(FindingRow::of).collect(),
        })
        .collect();
    let (unplaced, unknown) = unplaced_rows(assessment);
    let report = Report {
        project: &project.name,
        sources: &assessment.evidence.sources,
        findings: assessment.evidence.findings.len(),
        placed: assessment.placement.placed,
        verdicts: Verdict::ALL.iter().zip(counts).map(|(v, c)| (v.id(), c)).collect(),
        tasks,
        unplaced,
        unknown,
    };
    // Strings, numbers and maps with string keys always serialize.
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
    text.push('\n');
    text
}
