//! The report: one self-contained HTML file that opens offline, with the diagram (inline SVG),
//! the ownership matrix (coloured, with owner letters so it prints in black and white), the
//! checklist by node and the summary. Every string the user typed is escaped.

use std::fmt::Write as _;

use super::Checklist;
use super::escape::xml as escape;
use super::svg;
use crate::catalog::Severity;
use crate::palette;
use crate::responsibility::{Layer, Owner};

const STYLE: &str = "\
body{font-family:'DejaVu Sans',Verdana,sans-serif;margin:2em auto;max-width:1200px;color:#1a1a1a;padding:0 1em}\
h1{margin-bottom:.2em}h2{margin-top:2em;border-bottom:1px solid #ccc}h3{margin:1.5em 0 .4em}\
.meta{color:#5a5a5a}.diagram{overflow:auto;border:1px solid #ddd}.diagram svg{max-width:100%;height:auto}\
table{border-collapse:collapse;font-size:13px}th,td{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}\
.matrix td.o{text-align:center;font-weight:bold;min-width:1.6em}.matrix th.l{writing-mode:vertical-rl;transform:rotate(180deg);font-weight:normal;height:11em}\
.counts td{text-align:right}.done{color:#5a5a5a;text-decoration:line-through}\
.sev-critical,.sev-high{color:#c2410c;font-weight:bold}.sev-critical{color:#d1242f}.sev-medium{color:#8a6a00}\
code{font-size:12px}.legend span{display:inline-block;margin-right:1.5em}.legend b{display:inline-block;width:1.4em;text-align:center;border:1px solid #999}\
@media print{.diagram{border:none}a{color:inherit}}";

/// The report as HTML. `date` is the day it was made (`YYYY-MM-DD`).
pub(super) fn render(checklist: &Checklist<'_>, date: &str) -> String {
    let project = checklist.project;
    let derivation = checklist.derivation;
    let counts = derivation.counts();
    let title = escape(checklist.title());
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}: who owns what</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <h1>{title}</h1>\n<p class=\"meta\">Shared responsibility report of {} · made by whoowns {}</p>\n",
        escape(date),
        env!("CARGO_PKG_VERSION")
    );
    if !project.description.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", escape(&project.description));
    }

    out.push_str("<h2>Summary</h2>\n<table class=\"counts\">\n");
    let _ = writeln!(out, "<tr><th>AWS services</th><td>{}</td></tr>", derivation.summary.services);
    let _ = writeln!(out, "<tr><th>Customer tasks</th><td>{}</td></tr>", counts.total);
    let _ = writeln!(out, "<tr><th>Done, accepted or not applicable</th><td>{}</td></tr>", counts.closed);
    let _ = writeln!(out, "<tr><th>Remaining</th><td>{}</td></tr>", counts.remaining);
    for severity in Severity::ALL.iter().rev() {
        let _ = writeln!(
            out,
            "<tr><th class=\"sev-{}\">Remaining, {}</th><td>{}</td></tr>",
            severity.id(),
            severity.id(),
            counts.remaining_by_severity[*severity as usize]
        );
    }
    if let Some(assessment) = checklist.evidence {
        let [failing, unverified, verified] = assessment.verdict_counts();
        let _ = writeln!(out, "<tr><th>Tasks verified by findings</th><td>{verified}</td></tr>");
        let _ = writeln!(
            out,
            "<tr><th class=\"sev-high\">Tasks failing in the findings</th><td>{failing}</td></tr>"
        );
        let _ = writeln!(out, "<tr><th>Tasks without a verdict</th><td>{unverified}</td></tr>");
    }
    out.push_str("</table>\n");
    if let Some(assessment) = checklist.evidence {
        let _ = writeln!(
            out,
            "<p class=\"meta\">{}</p>",
            escape(&crate::evidence::report::read_summary(assessment))
        );
    }

    out.push_str("<h2>Diagram</h2>\n<div class=\"diagram\">\n");
    out.push_str(&svg::render(checklist));
    out.push_str("</div>\n");

    matrix(checklist, &mut out);
    tasks(checklist, &mut out);
    if let Some(assessment) = checklist.evidence {
        unplaced(assessment, &mut out);
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn matrix(checklist: &Checklist<'_>, out: &mut String) {
    let project = checklist.project;
    out.push_str("<h2>Who owns each layer</h2>\n<p class=\"legend\">");
    for owner in Owner::ALL {
        let _ = write!(
            out,
            "<span><b style=\"background:{};color:{}\">{}</b> {}</span>",
            palette::owner_fill(owner, false).hex(),
            palette::owner_text(owner, false).hex(),
            owner.letter(),
            owner.name()
        );
    }
    out.push_str("</p>\n<table class=\"matrix\">\n<tr><th>Node</th><th>Service</th>");
    for layer in Layer::ALL {
        let info = checklist.catalog.layer(layer);
        let _ = write!(
            out,
            "<th class=\"l\" title=\"{}\">{}</th>",
            escape(&info.description),
            escape(&info.name)
        );
    }
    out.push_str("</tr>\n");
    let mut rows: Vec<usize> = (0..project.nodes.len()).collect();
    rows.sort_by(|&a, &b| project.nodes[a].id.cmp(&project.nodes[b].id));
    for index in rows {
        let node = &project.nodes[index];
        let service =
            checklist.catalog.service(&node.service).map_or(node.service.as_str(), |s| s.name.as_str());
        let _ = write!(out, "<tr><td>{}</td><td>{}</td>", escape(node.display_name()), escape(service));
        for layer in Layer::ALL {
            let owner = checklist
                .derivation
                .owners
                .get(index)
                .copied()
                .flatten()
                .map_or(Owner::NotApplicable, |o| o.get(layer));
            let _ = write!(
                out,
                "<td class=\"o\" style=\"background:{};color:{}\" title=\"{}\">{}</td>",
                palette::owner_fill(owner, false).hex(),
                palette::owner_text(owner, false).hex(),
                owner.name(),
                owner.letter()
            );
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n");
}

fn tasks(checklist: &Checklist<'_>, out: &mut String) {
    out.push_str("<h2>Checklist</h2>\n");
    let mut current = None;
    let evidence_header = if checklist.evidence.is_some() { "<th>Evidence</th>" } else { "" };
    for (index, task) in checklist.derivation.tasks.iter().enumerate() {
        if current != Some(&task.subject) {
            if current.is_some() {
                out.push_str("</table>\n");
            }
            current = Some(&task.subject);
            let _ = writeln!(
                out,
                "<h3>{}</h3>\n<table>\n<tr><th>Status</th><th>Severity</th><th>Task</th><th>Layer</th><th>Security Hub</th><th>Notes</th>{evidence_header}</tr>",
                escape(&checklist.subject_name(task))
            );
        }
        let state = checklist.state(task);
        let class = if task.is_remaining() { "" } else { " class=\"done\"" };
        let mut notes = Vec::new();
        if !task.detail.is_empty() || task.by_design.is_some() {
            notes.push(escape(&task.explanation()));
        }
        if let Some(state) = state {
            if !state.note.is_empty() {
                notes.push(escape(&state.note));
            }
            if !state.ticket.is_empty() {
                notes.push(format!("Ticket {}", escape(&state.ticket)));
            }
            if let Some(updated) = &state.updated {
                notes.push(format!("Updated {}", escape(updated)));
            }
        }
        let evidence =
            checklist.evidence.map(|assessment| evidence_cell(assessment, index)).unwrap_or_default();
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"sev-{}\">{}</td><td{class}>{}<br><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td>{evidence}</tr>",
            task.status.name(),
            task.severity().id(),
            task.severity().name(),
            escape(&task.template.title),
            escape(&task.key),
            escape(&checklist.catalog.layer(task.layer()).name),
            escape(&task.template.controls.join(", ")),
            notes.join("<br>")
        );
    }
    if current.is_some() {
        out.push_str("</table>\n");
    }
}

/// The Evidence cell of a task: verdict, counts, newest finding, failing resources.
fn evidence_cell(assessment: &crate::evidence::Assessment, index: usize) -> String {
    let row = crate::evidence::report::TaskRow::of(assessment, index);
    let class = match row.verdict {
        crate::evidence::Verdict::Failing => " class=\"sev-critical\"",
        _ => "",
    };
    let mut cell = format!("<td><span{class}>{}</span>", row.verdict.name());
    if row.passed + row.failed + row.not_evaluated + row.suppressed > 0 {
        let _ = write!(cell, "<br>{} passed, {} failed", row.passed, row.failed);
        if row.suppressed > 0 {
            let _ = write!(cell, ", {} suppressed", row.suppressed);
        }
    }
    if let Some(newest) = row.newest {
        let _ = write!(cell, "<br>newest {}", escape(newest));
    }
    for resource in &row.failing_resources {
        let _ = write!(cell, "<br><code>{}</code>", escape(resource));
    }
    cell.push_str("</td>");
    cell
}

/// The findings that landed on no task.
fn unplaced(assessment: &crate::evidence::Assessment, out: &mut String) {
    let placement = &assessment.placement;
    if placement.unplaced.is_empty() && placement.unknown.is_empty() {
        return;
    }
    out.push_str("<h2>Findings on no task</h2>\n<table>\n<tr><th>Control</th><th>Account</th><th>Failing</th><th>Passing</th><th>Why</th></tr>\n");
    for group in &placement.unplaced {
        let _ = writeln!(
            out,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&group.control.to_string()),
            escape(&group.account),
            group.failed,
            group.passed,
            escape(group.reason.describe())
        );
    }
    for unknown in &placement.unknown {
        let _ = writeln!(
            out,
            "<tr><td><code>{}</code></td><td></td><td>{}</td><td></td><td>no task names this control ({} finding(s))</td></tr>",
            escape(&unknown.control.to_string()),
            unknown.failed,
            unknown.findings
        );
    }
    out.push_str("</table>\n");
}
