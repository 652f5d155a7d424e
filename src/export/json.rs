//! The checklist as JSON, for scripts and dashboards. Other tools read this: its shape is an
//! interface, documented in docs/exports.md. Add fields; never rename or remove one without
//! raising `version`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::Checklist;
use crate::checklist::{Origin, Subject};
use crate::evidence::{Verdict, report};
use crate::responsibility::{Layer, LayerOwners, Owner, ProjectSummary};

/// The version of this JSON shape.
const VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    project: ProjectInfo<'a>,
    layers: Vec<LayerInfo<'a>>,
    services: Vec<ServiceRow<'a>>,
    tasks: Vec<TaskRow<'a>>,
    summary: Summary<'a>,
    /// Keys with a recorded state that no current task has (kept in the file).
    orphaned: &'a [String],
    /// The evidence, when the export carries it.
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence: Option<EvidenceSection<'a>>,
    generator: &'static str,
}

/// The findings behind the evidence columns: where they came from, and those on no task.
#[derive(Serialize)]
struct EvidenceSection<'a> {
    sources: &'a [crate::evidence::SourceSummary],
    findings: usize,
    placed: usize,
    verdicts: BTreeMap<&'static str, usize>,
    unplaced: Vec<report::UnplacedRow<'a>>,
    unknown: Vec<report::UnknownRow>,
}

#[derive(Serialize)]
struct ProjectInfo<'a> {
    name: &'a str,
}

#[derive(Serialize)]
struct LayerInfo<'a> {
    id: Layer,
    name: &'a str,
}

#[derive(Serialize)]
struct ServiceRow<'a> {
    node: &'a str,
    label: &'a str,
    service: &'a str,
    variant: Option<&'a str>,
    owners: &'a LayerOwners,
}

#[derive(Serialize)]
struct TaskRow<'a> {
    key: &'a str,
    title: &'a str,
    layer: &'static str,
    severity: &'static str,
    status: &'static str,
    nodes: Vec<&'a str>,
    controls: &'a [String],
    source: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    flow: Option<&'a str>,
    cis_v3: &'a [String],
    cis_v5: &'a [String],
    prowler: &'a [String],
    #[serde(skip_serializing_if = "str::is_empty")]
    detail: &'a str,
    /// Why the design itself satisfies the task, when it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    by_design: Option<&'a str>,
    #[serde(skip_serializing_if = "str::is_empty")]
    note: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    ticket: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    updated: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence: Option<report::TaskRow<'a>>,
}

#[derive(Serialize)]
struct Summary<'a> {
    services: usize,
    tasks: usize,
    remaining: usize,
    /// Every task, by status.
    by_status: BTreeMap<&'static str, usize>,
    /// Remaining tasks, by severity.
    by_severity: BTreeMap<&'static str, usize>,
    /// Layers of AWS services (node × layer), by owner.
    by_owner: BTreeMap<&'static str, usize>,
    /// Per layer, how many services each party owns it for.
    by_layer: &'a ProjectSummary,
}

/// The `source` of a task: where it comes from.
fn source(origin: Origin) -> &'static str {
    match origin {
        Origin::Service => "catalog",
        Origin::Account => "account",
        Origin::Rule => "rule",
    }
}

pub(super) fn render(checklist: &Checklist<'_>) -> String {
    let derivation = checklist.derivation;
    let catalog = checklist.catalog;
    let layers = Layer::ALL.into_iter().map(|id| LayerInfo { id, name: &catalog.layer(id).name }).collect();
    let services = checklist
        .project
        .nodes
        .iter()
        .zip(&derivation.owners)
        .filter_map(|(node, owners)| {
            let service = catalog.service(&node.service).filter(|service| !service.is_actor())?;
            Some(ServiceRow {
                node: &node.id,
                label: node.display_name(),
                service: &node.service,
                variant: service
                    .effective_variant(node.variant.as_deref())
                    .map(|variant| variant.id.as_str()),
                owners: owners.as_ref()?,
            })
        })
        .collect();
    let tasks = derivation
        .tasks
        .iter()
        .enumerate()
        .map(|(index, task)| {
            let state = checklist.state(task);
            TaskRow {
                key: &task.key,
                title: &task.template.title,
                layer: task.layer().id(),
                severity: task.severity().id(),
                status: task.status.id(),
                nodes: task.subject.node_ids(),
                controls: &task.template.controls,
                source: source(task.origin),
                flow: match &task.subject {
                    Subject::Flow { flow, .. } => Some(flow),
                    _ => None,
                },
                cis_v3: &task.template.cis_v3,
                cis_v5: &task.template.cis_v5,
                prowler: &task.template.prowler,
                detail: &task.detail,
                by_design: task.by_design.as_deref(),
                note: state.map_or("", |s| s.note.as_str()),
                ticket: state.map_or("", |s| s.ticket.as_str()),
                updated: state.and_then(|s| s.updated.as_deref()),
                evidence: checklist.evidence.map(|assessment| report::TaskRow::of(assessment, index)),
            }
        })
        .collect();
    let document = Document {
        version: VERSION,
        project: ProjectInfo { name: checklist.title() },
        layers,
        services,
        tasks,
        summary: summary(checklist),
        orphaned: &derivation.orphaned,
        evidence: checklist.evidence.map(|assessment| {
            let (unplaced, unknown) = report::unplaced_rows(assessment);
            EvidenceSection {
                sources: &assessment.evidence.sources,
                findings: assessment.evidence.findings.len(),
                placed: assessment.placement.placed,
                verdicts: Verdict::ALL
                    .iter()
                    .zip(assessment.verdict_counts())
                    .map(|(v, c)| (v.id(), c))
                    .collect(),
                unplaced,
                unknown,
            }
        }),
        generator: concat!("whoowns ", env!("CARGO_PKG_VERSION")),
    };
    // Serializing plain strings, numbers and maps with string keys cannot fail.
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

fn summary<'a>(checklist: &Checklist<'a>) -> Summary<'a> {
    let derivation = checklist.derivation;
    let counts = derivation.counts();
    let mut by_status: BTreeMap<&'static str, usize> =
        crate::model::TaskStatus::ALL.into_iter().map(|status| (status.id(), 0)).collect();
    for task in &derivation.tasks {
        *by_status.entry(task.status.id()).or_default() += 1;
    }
    let by_severity = crate::catalog::Severity::ALL
        .into_iter()
        .map(|severity| (severity.id(), counts.remaining_by_severity[severity as usize]))
        .collect();
    let by_owner = Owner::ALL
        .into_iter()
        .map(|owner| {
            let cells = Layer::ALL.into_iter().map(|layer| derivation.summary.counts(layer).get(owner)).sum();
            (owner.id(), cells)
        })
        .collect();
    Summary {
        services: derivation.summary.services,
        tasks: counts.total,
        remaining: counts.remaining,
        by_status,
        by_severity,
        by_owner,
        by_layer: &derivation.summary,
    }
}
