//! The checklist as Markdown: a summary, the ownership table and the tasks grouped by what they
//! are about, with check boxes that render on GitHub.

use std::fmt::Write as _;

use super::Checklist;
use super::escape::{markdown as escape, markdown_code as code, markdown_lines};
use crate::catalog::Severity;
use crate::checklist::Task;
use crate::model::TaskStatus;
use crate::responsibility::{Layer, Owner};

pub(super) fn render(checklist: &Checklist<'_>) -> String {
    let derivation = checklist.derivation;
    let counts = derivation.counts();
    let mut out = String::new();
    // `write!` to a String cannot fail; the results are ignored on purpose.
    let _ = writeln!(out, "# {}: customer checklist\n", escape(checklist.title()));
    let by_severity: Vec<String> = Severity::ALL
        .iter()
        .rev()
        .map(|&s| format!("{} {}", counts.remaining_by_severity[s as usize], s.id()))
        .collect();
    let _ = writeln!(
        out,
        "**{} of {} tasks done** · {} remaining: {} · {} services\n",
        counts.done,
        counts.total,
        counts.remaining,
        by_severity.join(", "),
        derivation.summary.services
    );

    if let Some(assessment) = checklist.evidence {
        let [failing, _, verified] = assessment.verdict_counts();
        let _ = writeln!(
            out,
            "**Evidence:** {verified} tasks verified, {failing} failing · {}\n",
            escape(&crate::evidence::report::read_summary(assessment))
        );
    }

    out.push_str("## Who owns each layer\n\n");
    out.push_str("Number of services on the design for which each party owns the layer.\n\n");
    out.push_str("| Layer | AWS | Customer | Shared | Not applicable |\n|---|---:|---:|---:|---:|\n");
    for layer in Layer::ALL {
        let c = derivation.summary.counts(layer);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            checklist.catalog.layer(layer).name,
            c.get(Owner::Aws),
            c.get(Owner::Customer),
            c.get(Owner::Shared),
            c.get(Owner::NotApplicable)
        );
    }

    out.push_str("\n## Tasks\n");
    let mut current_subject = None;
    for (index, task) in derivation.tasks.iter().enumerate() {
        if current_subject != Some(&task.subject) {
            current_subject = Some(&task.subject);
            let _ = writeln!(out, "\n### {}\n", escape(&checklist.subject_name(task)));
        }
        task_item(checklist, task, &mut out);
        if let Some(assessment) = checklist.evidence {
            evidence_item(assessment, index, &mut out);
        }
    }
    if let Some(assessment) = checklist.evidence {
        unplaced(assessment, &mut out);
    }
    if !derivation.orphaned.is_empty() {
        out.push_str("\n## Orphaned task records\n\n");
        out.push_str("These keys have a recorded status but no longer match a task of the design. They are kept in the file.\n\n");
        for key in &derivation.orphaned {
            let _ = writeln!(out, "- `{}`", code(key));
        }
    }
    out
}

fn task_item(checklist: &Checklist<'_>, task: &Task, out: &mut String) {
    let template = &task.template;
    let mark = if task.is_remaining() { ' ' } else { 'x' };
    let status = match task.status {
        TaskStatus::Open => String::new(),
        other => format!(" ({})", other.name().to_lowercase()),
    };
    let mut facts = vec![task.severity().id().to_owned(), checklist.catalog.layer(task.layer()).name.clone()];
    if !template.controls.is_empty() {
        facts.push(template.controls.iter().map(|c| format!("`{}`", code(c))).collect::<Vec<_>>().join(", "));
    }
    if !template.cis_v3.is_empty() || !template.cis_v5.is_empty() {
        facts.push(format!("CIS v3.0 {} / v5.0 {}", or_dash(&template.cis_v3), or_dash(&template.cis_v5)));
    }
    let _ = writeln!(
        out,
        "- [{mark}] **{}**{status} — {} · key `{}`",
        escape(&template.title),
        facts.join(" · "),
        code(&task.key)
    );
    if !task.detail.is_empty() || task.by_design.is_some() {
        let _ = writeln!(out, "  - {}", escape(&task.explanation()));
    }
    if let Some(state) = checklist.state(task) {
        if !state.note.is_empty() {
            let _ = writeln!(out, "  - Note: {}", markdown_lines(&state.note, "    "));
        }
        if !state.ticket.is_empty() {
            let _ = writeln!(out, "  - Ticket: {}", escape(&state.ticket));
        }
        if let Some(updated) = &state.updated {
            let _ = writeln!(out, "  - Updated: {}", escape(updated));
        }
    }
}

/// The evidence line under a task: verdict, counts, newest finding, failing resources.
fn evidence_item(assessment: &crate::evidence::Assessment, index: usize, out: &mut String) {
    let row = crate::evidence::report::TaskRow::of(assessment, index);
    let mut facts = vec![format!("{} passed", row.passed), format!("{} failed", row.failed)];
    if row.not_evaluated > 0 {
        facts.push(format!("{} not evaluated", row.not_evaluated));
    }
    if row.suppressed > 0 {
        facts.push(format!("{} suppressed", row.suppressed));
    }
    if let Some(newest) = row.newest {
        facts.push(format!("newest {}", escape(newest)));
    }
    let _ = write!(out, "  - Evidence: **{}** — {}", row.verdict.id(), facts.join(", "));
    if !row.failing_resources.is_empty() {
        let listed: Vec<String> = row.failing_resources.iter().map(|r| format!("`{}`", code(r))).collect();
        let _ = write!(out, "; failing: {}", listed.join(", "));
    }
    out.push('\n');
}

/// The findings of known controls that landed on no task, and of controls no task names.
fn unplaced(assessment: &crate::evidence::Assessment, out: &mut String) {
    let placement = &assessment.placement;
    if placement.unplaced.is_empty() && placement.unknown.is_empty() {
        return;
    }
    out.push_str("\n## Findings on no task\n\n");
    for group in &placement.unplaced {
        let account =
            if group.account.is_empty() { String::new() } else { format!(" in {}", escape(&group.account)) };
        let _ = writeln!(
            out,
            "- `{}`{account}: {} failing, {} passing {}",
            code(&group.control.to_string()),
            group.failed,
            group.passed,
            escape(group.reason.describe())
        );
    }
    for unknown in &placement.unknown {
        let _ = writeln!(
            out,
            "- `{}`: {} finding(s), {} failing; no task names this control",
            code(&unknown.control.to_string()),
            unknown.findings,
            unknown.failed
        );
    }
}

fn or_dash(numbers: &[String]) -> String {
    if numbers.is_empty() { "—".to_owned() } else { numbers.join(", ") }
}
