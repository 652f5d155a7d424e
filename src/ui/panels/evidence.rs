//! The Evidence tab: which findings from Security Hub and Prowler were loaded, how many tasks
//! they verify or fail, the tasks marked done that fail, and the findings that landed on no
//! node of the design (resources the design does not show: drift).

use egui::{RichText, Ui};

use super::super::Action;
use super::super::commands::Command;
use super::super::selection::Selection;
use super::super::theme::verdict_colour;
use super::Context;
use super::tasks::TasksState;
use crate::document::EvidenceOrigin;
use crate::evidence::{Outcome, Verdict, report};
use crate::model::TaskStatus;

/// At most this many findings are listed under one unplaced group.
const LISTED: usize = 20;

/// Shows the tab. Clicking a verdict count shows those tasks in the Tasks tab (`show_tasks`).
pub fn evidence_ui(
    ui: &mut Ui,
    context: &Context<'_>,
    tasks: &mut TasksState,
    show_tasks: &mut bool,
    actions: &mut Vec<Action>,
) {
    let document = context.document;
    let Some(held) = document.evidence() else {
        ui.add(
            egui::Label::new(
                "No findings loaded. Load what Security Hub (ASFF or OCSF JSON) or Prowler (JSON-OCSF or CSV) \
                 found in your accounts to see which tasks really hold, which fail although ticked, and what \
                 runs in the accounts that the design does not show.",
            )
            .wrap(),
        );
        ui.add_space(6.0);
        if ui.button(Command::LoadFindings.text()).clicked() {
            actions.push(Action::Command(Command::LoadFindings));
        }
        return;
    };
    let assessment = held.assessment();
    let origin = match &held.origin {
        EvidenceOrigin::File(path) => format!("From {}", path.display()),
        EvidenceOrigin::Findings(files) => {
            let names: Vec<String> = files
                .iter()
                .map(|f| {
                    f.file_name()
                        .map_or_else(|| f.display().to_string(), |n| n.to_string_lossy().into_owned())
                })
                .collect();
            format!("From {} (not kept with the design yet)", names.join(", "))
        }
    };
    ui.add(egui::Label::new(RichText::new(origin).strong()).wrap());
    ui.add(egui::Label::new(RichText::new(report::read_summary(assessment)).weak()).wrap());
    ui.horizontal_wrapped(|ui| {
        if ui.button(Command::LoadFindings.text()).clicked() {
            actions.push(Action::Command(Command::LoadFindings));
        }
        let keepable = held.is_unkept() && document.path.is_some();
        if ui
            .add_enabled(keepable, egui::Button::new("Keep with the design"))
            .on_disabled_hover_text("Kept already, or the design is not saved yet")
            .clicked()
        {
            actions.push(Action::Command(Command::KeepFindings));
        }
        if ui.button("Clear").clicked() {
            actions.push(Action::Command(Command::ClearFindings));
        }
    });
    ui.separator();

    // Verdict counts: each shows its tasks in the Tasks tab.
    let counts = assessment.verdict_counts();
    ui.horizontal_wrapped(|ui| {
        for (verdict, count) in Verdict::ALL.into_iter().zip(counts) {
            let text = RichText::new(format!("{count} {}", verdict.name().to_lowercase()))
                .color(verdict_colour(verdict, context.dark));
            if ui.button(text).on_hover_text("Show these tasks in the Tasks tab").clicked() {
                tasks.verdict = Some(verdict);
                tasks.status = super::tasks::StatusFilter::All;
                *show_tasks = true;
            }
        }
    });

    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        done_but_failing_ui(ui, context, actions);
        unplaced_ui(ui, context);
    });
}

/// The tasks marked done (or accepted) that the scans say fail: the claims to look at first.
fn done_but_failing_ui(ui: &mut Ui, context: &Context<'_>, actions: &mut Vec<Action>) {
    let document = context.document;
    let Some(held) = document.evidence() else { return };
    let derivation = document.derivation();
    let failing = held.assessment().failing_closed(derivation, true);
    ui.add_space(6.0);
    ui.label(RichText::new(format!("Marked done but failing ({})", failing.len())).strong());
    if failing.is_empty() {
        ui.label(RichText::new("None: every task marked done that the scans check holds.").weak());
    }
    for index in failing {
        let Some(task) = derivation.tasks.get(index) else { continue };
        let subject = task.subject.name(document.project(), document.view());
        let status = if task.status == TaskStatus::AcceptedRisk { " (risk accepted)" } else { "" };
        let text = format!("{} — {subject}{status}", task.template.title);
        let response = ui.add(egui::Label::new(text).wrap().sense(egui::Sense::click()));
        let resources = held.assessment().failing_resources(index).join("\n");
        if response.on_hover_text(format!("Failing:\n{resources}")).clicked() {
            let nodes = task.subject.node_ids();
            if !nodes.is_empty() {
                let selection = Selection {
                    nodes: nodes.iter().map(|s| (*s).to_owned()).collect(),
                    ..Selection::default()
                };
                actions.push(Action::Select { selection, reveal: true });
            }
        }
    }
}

/// Findings that match a task's control but no node, by control and account; and findings of
/// controls no task names.
fn unplaced_ui(ui: &mut Ui, context: &Context<'_>) {
    let Some(held) = context.document.evidence() else { return };
    let (unplaced, unknown) = report::unplaced_rows(held.assessment());
    ui.add_space(8.0);
    let total: usize = unplaced.iter().map(|g| g.findings.len()).sum();
    ui.label(RichText::new(format!("Not in the design ({total})")).strong())
        .on_hover_text("Findings of a control the design's tasks name, on resources no node names");
    if unplaced.is_empty() {
        ui.label(RichText::new("Every finding landed on the design.").weak());
    }
    for group in &unplaced {
        let account = if group.account.is_empty() { "no account" } else { group.account };
        let title =
            format!("{} · {account} · {} failed, {} passed", group.control, group.failed, group.passed);
        egui::CollapsingHeader::new(title).id_salt(("unplaced", &group.control, group.account)).show(
            ui,
            |ui| {
                ui.add(egui::Label::new(RichText::new(group.reason.describe()).weak()).wrap());
                for finding in group.findings.iter().take(LISTED) {
                    let mark = if finding.outcome == Outcome::Failed { "✗" } else { "✓" };
                    let resource =
                        if finding.resource.is_empty() { "(no resource)" } else { finding.resource };
                    ui.add(egui::Label::new(format!("{mark} {resource}")).truncate())
                        .on_hover_text(format!("{resource}\n{} {}", finding.region, finding.observed));
                }
                if group.findings.len() > LISTED {
                    ui.label(RichText::new(format!("and {} more", group.findings.len() - LISTED)).weak());
                }
            },
        );
    }
    if !unknown.is_empty() {
        ui.add_space(8.0);
        let names: Vec<String> = unknown.iter().map(|u| format!("{} ({})", u.control, u.findings)).collect();
        ui.label(RichText::new("Controls no task names").strong());
        ui.add(egui::Label::new(RichText::new(names.join(", ")).weak()).wrap());
    }
}
