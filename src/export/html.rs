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
    out.push_str("</table>\n");

    out.push_str("<h2>Diagram</h2>\n<div class=\"diagram\">\n");
    out.push_str(&svg::render(checklist));
    out.push_str("</div>\n");

    matrix(checklist, &mut out);
    tasks(checklist, &mut out);
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
    for task in &checklist.derivation.tasks {
        if current != Some(&task.subject) {
            if current.is_some() {
                out.push_str("</table>\n");
            }
            current = Some(&task.subject);
            let _ = writeln!(
                out,
                "<h3>{}</h3>\n<table>\n<tr><th>Status</th><th>Severity</th><th>Task</th><th>Layer</th><th>Security Hub</th><th>Notes</th></tr>",
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
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"sev-{}\">{}</td><td{class}>{}<br><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
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
