//! The checklist as CSV (RFC 4180), one row per task, for spreadsheets and issue trackers.

use super::Checklist;
use super::escape::csv_cell;

/// The columns issue #2 promises first, in that order, then the rest; columns added later go at
/// the end so that spreadsheets reading by position keep working.
const HEADER: [&str; 18] = [
    "key", "node", "label", "service", "layer", "severity", "status", "controls", "note", "title", "cis_v3",
    "cis_v5", "prowler", "detail", "ticket", "updated", "basis", "team",
];

/// The columns added when the export carries evidence.
const EVIDENCE_HEADER: [&str; 7] = [
    "evidence",
    "evidence_passed",
    "evidence_failed",
    "evidence_not_evaluated",
    "evidence_suppressed",
    "evidence_newest",
    "failing_resources",
];

pub(super) fn render(checklist: &Checklist<'_>) -> String {
    let mut out = String::new();
    let evidence_header = checklist.evidence.map(|_| EVIDENCE_HEADER.iter()).into_iter().flatten();
    push_row(&mut out, HEADER.iter().chain(evidence_header).map(|h| (*h).to_owned()));
    for (index, task) in checklist.derivation.tasks.iter().enumerate() {
        let state = checklist.state(task);
        let template = &task.template;
        // A flow's task is about both ends: "web db", "Web servers → Orders database".
        let ids = task.subject.node_ids();
        let nodes: Vec<_> = ids.iter().filter_map(|id| checklist.node(id)).collect();
        let label = task.subject.name(checklist.project, &checklist.view);
        let evidence = checklist.evidence.map(|assessment| {
            let row = crate::evidence::report::TaskRow::of(assessment, index);
            [
                row.verdict.id().to_owned(),
                row.passed.to_string(),
                row.failed.to_string(),
                row.not_evaluated.to_string(),
                row.suppressed.to_string(),
                row.newest.unwrap_or_default().to_owned(),
                row.failing_resources.join(" "),
            ]
        });
        push_row(
            &mut out,
            [
                task.key.clone(),
                ids.join(" "),
                label,
                nodes.iter().map(|node| node.service.as_str()).collect::<Vec<_>>().join(" → "),
                task.layer().id().to_owned(),
                task.severity().id().to_owned(),
                task.status.id().to_owned(),
                template.controls.join(" "),
                state.map(|s| s.note.clone()).unwrap_or_default(),
                template.title.clone(),
                template.cis_v3.join(" "),
                template.cis_v5.join(" "),
                template.prowler.join(" "),
                task.explanation(),
                state.map(|s| s.ticket.clone()).unwrap_or_default(),
                state.and_then(|s| s.updated.clone()).unwrap_or_default(),
                template.basis.clone(),
                checklist.team_name(task),
            ]
            .into_iter()
            .chain(evidence.into_iter().flatten()),
        );
    }
    out
}

fn push_row(out: &mut String, cells: impl IntoIterator<Item = String>) {
    for (i, cell) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&csv_cell(&cell));
    }
    out.push_str("\r\n");
}
