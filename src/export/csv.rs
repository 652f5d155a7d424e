//! The checklist as CSV (RFC 4180), one row per task, for spreadsheets and issue trackers.

use super::Checklist;
use crate::checklist::Subject;

/// The columns issue #2 promises first, in that order, then the rest; columns added later go at
/// the end so that spreadsheets reading by position keep working.
const HEADER: [&str; 17] = [
    "key", "node", "label", "service", "layer", "severity", "status", "controls", "note", "title", "cis_v3",
    "cis_v5", "prowler", "detail", "ticket", "updated", "basis",
];

pub(super) fn render(checklist: &Checklist<'_>) -> String {
    let mut out = String::new();
    push_row(&mut out, HEADER.iter().map(|h| (*h).to_owned()));
    for task in &checklist.derivation.tasks {
        let state = checklist.state(task);
        let template = &task.template;
        // A flow's task is about both ends: "web db", "Web servers → Orders database".
        let ids = task.subject.node_ids();
        let nodes: Vec<_> = ids.iter().filter_map(|id| checklist.node(id)).collect();
        let label = match task.subject {
            Subject::Account => "Account".to_owned(),
            _ => nodes.iter().map(|node| node.display_name()).collect::<Vec<_>>().join(" → "),
        };
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
                task.detail.clone(),
                state.map(|s| s.ticket.clone()).unwrap_or_default(),
                state.and_then(|s| s.updated.clone()).unwrap_or_default(),
                template.basis.clone(),
            ],
        );
    }
    out
}

fn push_row(out: &mut String, cells: impl IntoIterator<Item = String>) {
    for (i, cell) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&escape_cell(&cell));
    }
    out.push_str("\r\n");
}

/// Quotes a cell when it holds a comma, quote or line break, doubling inner quotes. A cell that a
/// spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or carriage return)
/// gets a leading `'` so it shows as text.
pub(crate) fn escape_cell(cell: &str) -> String {
    let cell =
        if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{cell}") } else { cell.to_owned() };
    if cell.contains([',', '"', '\n', '\r']) { format!("\"{}\"", cell.replace('"', "\"\"")) } else { cell }
}

#[cfg(test)]
mod tests {
    use super::escape_cell;

    #[test]
    fn quotes_and_defuses_formulas() {
        assert_eq!(escape_cell("plain"), "plain");
        assert_eq!(escape_cell("a,b"), "\"a,b\"");
        assert_eq!(escape_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(escape_cell("line\nbreak"), "\"line\nbreak\"");
        assert_eq!(escape_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(escape_cell("@SUM(A1)"), "'@SUM(A1)");
    }
}
