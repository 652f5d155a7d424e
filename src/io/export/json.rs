//! The checklist as JSON, for scripts and dashboards.

use serde::Serialize;

use super::Checklist;
use crate::checklist::{Origin, Subject, TaskCounts};
use crate::responsibility::ProjectSummary;

#[derive(Serialize)]
struct Document<'a> {
    project: &'a str,
    generator: &'static str,
    counts: TaskCounts,
    layers: &'a ProjectSummary,
    services: usize,
    tasks: Vec<TaskRow<'a>>,
    orphaned: &'a [String],
}

#[derive(Serialize)]
struct TaskRow<'a> {
    key: &'a str,
    title: &'a str,
    status: &'static str,
    severity: &'static str,
    layer: &'static str,
    origin: Origin,
    subject: String,
    nodes: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    flow: Option<&'a str>,
    controls: &'a [String],
    cis_v3: &'a [String],
    cis_v5: &'a [String],
    prowler: &'a [String],
    #[serde(skip_serializing_if = "str::is_empty")]
    detail: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    note: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    ticket: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    updated: Option<&'a str>,
}

pub(super) fn render(checklist: &Checklist<'_>) -> String {
    let derivation = checklist.derivation;
    let tasks = derivation
        .tasks
        .iter()
        .map(|task| {
            let state = checklist.state(task);
            TaskRow {
                key: &task.key,
                title: &task.template.title,
                status: task.status.id(),
                severity: task.severity().id(),
                layer: task.layer().id(),
                origin: task.origin,
                subject: checklist.subject_name(task),
                nodes: task.subject.node_ids(),
                flow: match &task.subject {
                    Subject::Flow { flow, .. } => Some(flow),
                    _ => None,
                },
                controls: &task.template.controls,
                cis_v3: &task.template.cis_v3,
                cis_v5: &task.template.cis_v5,
                prowler: &task.template.prowler,
                detail: &task.detail,
                note: state.map_or("", |s| s.note.as_str()),
                ticket: state.map_or("", |s| s.ticket.as_str()),
                updated: state.and_then(|s| s.updated.as_deref()),
            }
        })
        .collect();
    let document = Document {
        project: checklist.title(),
        generator: concat!("whoowns ", env!("CARGO_PKG_VERSION")),
        counts: derivation.counts(),
        layers: &derivation.summary,
        services: derivation.summary.services,
        tasks,
        orphaned: &derivation.orphaned,
    };
    // Serializing plain strings, numbers and maps with string keys cannot fail.
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}
