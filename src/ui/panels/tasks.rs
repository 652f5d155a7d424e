//! The Tasks tab: the customer's tasks, grouped by node or by layer, filtered and searchable,
//! each with a done box, a status, its severity and control ids, and a note. Only the rows on
//! screen are laid out, so a design with tens of thousands of tasks scrolls smoothly.

use egui::{FontId, Rect, RichText, Sense, Ui, UiBuilder, vec2};

use super::super::Action;
use super::super::search::SearchIndex;
use super::super::selection::Selection;
use super::super::theme::{severity_colour, verdict_colour};
use super::Context;
use crate::catalog::Severity;
use crate::checklist::{Task, TaskCounts};
use crate::document::Document;
use crate::evidence::{Assessment, Verdict};
use crate::model::{Edit, TaskState, TaskStatus};
use crate::today::today;

/// How tasks are grouped.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum GroupBy {
    /// One group per node (account tasks first).
    #[default]
    Node,
    /// One group per layer, physical first.
    Layer,
}

/// Which statuses are listed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StatusFilter {
    /// Open and in progress.
    #[default]
    Remaining,
    /// Every task.
    All,
    /// Done, accepted risk and not applicable.
    Closed,
    /// One status.
    Only(TaskStatus),
}

impl StatusFilter {
    fn name(self) -> &'static str {
        match self {
            Self::Remaining => "Remaining",
            Self::All => "All statuses",
            Self::Closed => "Closed",
            Self::Only(status) => status.name(),
        }
    }

    fn keeps(self, status: TaskStatus) -> bool {
        match self {
            Self::Remaining => status.is_remaining(),
            Self::All => true,
            Self::Closed => !status.is_remaining(),
            Self::Only(s) => s == status,
        }
    }
}

/// The tab's own state: filters and the cached list of rows.
pub struct TasksState {
    /// Grouping.
    pub group_by: GroupBy,
    /// Status filter.
    pub status: StatusFilter,
    /// Lowest severity listed.
    pub min_severity: Severity,
    /// Search text (title, key, control id, node).
    pub search: String,
    /// Show every task even when a node is selected.
    pub show_all_nodes: bool,
    /// Only tasks with this verdict in the loaded findings (ignored when none are loaded).
    pub verdict: Option<Verdict>,
    rows: Vec<Row>,
    /// Where each row starts, from the top of the list.
    tops: Vec<f32>,
    /// The whole list's height.
    height: f32,
    rows_key: Option<RowsKey>,
}

impl Default for TasksState {
    fn default() -> Self {
        Self {
            group_by: GroupBy::default(),
            status: StatusFilter::default(),
            min_severity: Severity::Low,
            search: String::new(),
            show_all_nodes: false,
            verdict: None,
            rows: Vec::new(),
            tops: Vec::new(),
            height: 0.0,
            rows_key: None,
        }
    }
}

/// What the list of rows was built for; rebuilt when any of it changes.
#[derive(Clone, PartialEq)]
struct RowsKey {
    revision: u64,
    group_by: GroupBy,
    status: StatusFilter,
    min_severity: Severity,
    search: String,
    /// The selected nodes the list is narrowed to, by index.
    focus: Vec<usize>,
    /// The verdict filter and the findings it was applied to, when findings are loaded.
    verdict: Option<(Option<Verdict>, u64)>,
}

/// One row of the list. A header's title is worked out only when it is on screen.
#[derive(Clone, Copy)]
enum Row {
    /// The tasks of one subject (by its first task) or one layer, and how many there are.
    Header(Group, usize),
    /// A task, by index in the derivation.
    Task(usize),
}

#[derive(Clone, Copy)]
enum Group {
    Subject(usize),
    Layer(crate::responsibility::Layer),
}

const HEADER_HEIGHT: f32 = 28.0;
const TASK_HEIGHT: f32 = 70.0;

impl Row {
    fn height(&self) -> f32 {
        match self {
            Self::Header(..) => HEADER_HEIGHT,
            Self::Task(_) => TASK_HEIGHT,
        }
    }
}

/// Shows the tab. `selection` narrows the list to the selected nodes' tasks.
pub fn tasks_ui(
    ui: &mut Ui,
    state: &mut TasksState,
    context: &Context<'_>,
    counts: &TaskCounts,
    selection: &Selection,
    search: &mut SearchIndex,
    actions: &mut Vec<Action>,
) {
    let document = context.document;
    let fraction = if counts.total == 0 { 1.0 } else { counts.closed as f32 / counts.total as f32 };
    ui.add(
        egui::ProgressBar::new(fraction)
            .text(format!("{} of {} done · {} remaining", counts.closed, counts.total, counts.remaining)),
    )
    .on_hover_text("Done, accepted risk and not applicable tasks count as done.");
    ui.add_space(4.0);
    filters_ui(ui, state, document.evidence().is_some());
    let focus = focus_ui(ui, state, document, selection);
    refresh_rows(state, context, search, focus);
    bulk_status_ui(ui, state, context, actions);
    if state.rows.is_empty() {
        ui.add_space(8.0);
        ui.label(if counts.total == 0 {
            "No tasks: add AWS services to the design."
        } else {
            "No task matches the filters."
        });
    }
    rows_ui(ui, state, context, actions);
    let derivation = document.derivation();
    if !derivation.orphaned.is_empty() {
        ui.separator();
        ui.add(
            egui::Label::new(
                RichText::new(format!(
                    "{} recorded task state(s) no longer match a task; they stay in the file.",
                    derivation.orphaned.len()
                ))
                .weak(),
            )
            .wrap(),
        )
        .on_hover_text(derivation.orphaned.join("\n"));
    }
}

/// "Tasks of …" when nodes are selected, with the way back to every task; returns the indices
/// of the nodes the list is narrowed to (none: every task).
fn focus_ui(ui: &mut Ui, state: &mut TasksState, document: &Document, selection: &Selection) -> Vec<usize> {
    let view = document.view();
    let focus: Vec<usize> = if state.show_all_nodes {
        Vec::new()
    } else {
        selection.nodes.iter().filter_map(|id| view.node_index(id)).collect()
    };
    if !focus.is_empty() {
        let project = document.project();
        // A few names, then how many more: the line wraps and never widens the panel.
        const NAMED: usize = 3;
        let mut names: Vec<&str> =
            focus.iter().take(NAMED).map(|&i| project.nodes[i].display_name()).collect();
        let more = focus.len().saturating_sub(NAMED);
        let more = if more > 0 { format!(" and {more} more") } else { String::new() };
        names.sort_unstable();
        ui.add(
            egui::Label::new(RichText::new(format!("Tasks of {}{more}", names.join(", "))).strong()).wrap(),
        );
        if ui.small_button("Show all").clicked() {
            state.show_all_nodes = true;
        }
    } else if state.show_all_nodes
        && !selection.nodes.is_empty()
        && ui.small_button("Only the selected nodes").clicked()
    {
        state.show_all_nodes = false;
    }
    focus
}

/// "Set the N listed tasks to…": one status for every task the filters and the selection list,
/// as one undo step.
fn bulk_status_ui(ui: &mut Ui, state: &TasksState, context: &Context<'_>, actions: &mut Vec<Action>) {
    let listed: Vec<usize> =
        state.rows.iter().filter_map(|row| if let Row::Task(i) = *row { Some(i) } else { None }).collect();
    if listed.len() < 2 {
        return;
    }
    let document = context.document;
    let tasks = &document.derivation().tasks;
    ui.menu_button(format!("Set the {} listed tasks to…", listed.len()), |ui| {
        for status in TaskStatus::ALL {
            if ui.button(status.name()).clicked() {
                let edits: Vec<Edit> = listed
                    .iter()
                    .filter_map(|&i| tasks.get(i))
                    .filter(|task| task.status != status)
                    .map(|task| set_status(document, task, status))
                    .collect();
                if !edits.is_empty() {
                    actions.push(Action::Apply(Edit::Batch(edits)));
                }
                ui.close();
            }
        }
    });
}

/// The visible rows of the list: only those on screen are laid out.
fn rows_ui(ui: &mut Ui, state: &TasksState, context: &Context<'_>, actions: &mut Vec<Action>) {
    let document = context.document;
    let derivation = document.derivation();
    egui::ScrollArea::vertical().auto_shrink([false, false]).show_viewport(ui, |ui, viewport| {
        ui.set_height(state.height);
        let origin = ui.min_rect().min;
        let width = ui.available_width();
        // The first row on screen, found by its top, not by walking every row.
        let first = state.tops.partition_point(|&top| top + TASK_HEIGHT < viewport.min.y);
        for (row, &y) in state.rows.iter().zip(&state.tops).skip(first) {
            if y > viewport.max.y {
                break;
            }
            let rect = Rect::from_min_size(origin + vec2(0.0, y), vec2(width, row.height()));
            match *row {
                Row::Header(group, count) => header_ui(ui, rect, &group_title(group, context), count),
                Row::Task(index) => {
                    if let Some(task) = derivation.tasks.get(index) {
                        ui.scope_builder(UiBuilder::new().max_rect(rect), |ui| {
                            ui.set_max_width(width);
                            task_ui(ui, context, index, task, actions);
                        });
                    }
                }
            }
        }
    });
}

fn group_title(group: Group, context: &Context<'_>) -> String {
    let document = context.document;
    match group {
        Group::Subject(task) => document
            .derivation()
            .tasks
            .get(task)
            .map_or_else(String::new, |t| t.subject.name(document.project(), document.view())),
        Group::Layer(layer) => context.catalog.layer(layer).name.clone(),
    }
}

fn filters_ui(ui: &mut Ui, state: &mut TasksState, with_evidence: bool) {
    ui.horizontal(|ui| {
        ui.label("Group by");
        ui.selectable_value(&mut state.group_by, GroupBy::Node, "Node");
        ui.selectable_value(&mut state.group_by, GroupBy::Layer, "Layer");
    });
    ui.horizontal(|ui| {
        let status = ui.label("Status");
        egui::ComboBox::from_id_salt("status-filter")
            .selected_text(state.status.name())
            .show_ui(ui, |ui| {
                for filter in [StatusFilter::Remaining, StatusFilter::All, StatusFilter::Closed]
                    .into_iter()
                    .chain(TaskStatus::ALL.map(StatusFilter::Only))
                {
                    ui.selectable_value(&mut state.status, filter, filter.name());
                }
            })
            .response
            .labelled_by(status.id);
        let severity = ui.label("At least");
        egui::ComboBox::from_id_salt("severity-filter")
            .selected_text(state.min_severity.name())
            .show_ui(ui, |ui| {
                for s in Severity::ALL {
                    ui.selectable_value(&mut state.min_severity, s, s.name());
                }
            })
            .response
            .labelled_by(severity.id);
    });
    if with_evidence {
        ui.horizontal(|ui| {
            let scans = ui.label("Scans");
            egui::ComboBox::from_id_salt("verdict-filter")
                .selected_text(state.verdict.map_or("Any verdict", Verdict::name))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut state.verdict, None, "Any verdict");
                    for verdict in Verdict::ALL {
                        ui.selectable_value(&mut state.verdict, Some(verdict), verdict.name());
                    }
                })
                .response
                .labelled_by(scans.id);
        });
    }
    ui.add(
        egui::TextEdit::singleline(&mut state.search)
            .hint_text("Search tasks, controls, nodes")
            .desired_width(ui.available_width()),
    )
    .accessible_name("Search tasks");
}

/// Rebuilds the rows when the document, the filters, the search or the focus changed. Costs
/// one pass over the tasks with array reads only: the search matched each node and template
/// once ([`SearchIndex::matches`]).
fn refresh_rows(state: &mut TasksState, context: &Context<'_>, search: &mut SearchIndex, focus: Vec<usize>) {
    let document = context.document;
    let key = RowsKey {
        revision: document.revision(),
        group_by: state.group_by,
        status: state.status,
        min_severity: state.min_severity,
        search: state.search.trim().to_lowercase(),
        focus,
        verdict: document.evidence().map(|held| (state.verdict, held.stamp())),
    };
    if state.rows_key.as_ref() == Some(&key) {
        return;
    }
    let tasks = &document.derivation().tasks;
    if !key.search.is_empty() || !key.focus.is_empty() {
        search.refresh(document, context.catalog);
    }
    let search: &SearchIndex = search;
    let matches = (!key.search.is_empty()).then(|| search.matches(&key.search));
    let mut focused = vec![false; if key.focus.is_empty() { 0 } else { document.project().nodes.len() }];
    for &i in &key.focus {
        focused[i] = true;
    }
    let verdicts: Option<(&Assessment, Verdict)> =
        document.evidence().zip(state.verdict).map(|(held, verdict)| (held.assessment(), verdict));
    let keep = |i: usize| {
        let task = &tasks[i];
        verdicts.is_none_or(|(assessment, verdict)| assessment.verdict(i) == verdict)
            && key.status.keeps(task.status)
            && task.severity() >= key.min_severity
            && (key.focus.is_empty() || search.concerns_any(i, &focused))
            && matches.as_ref().is_none_or(|m| search.task_matches(m, i))
    };
    let kept: Vec<usize> = (0..tasks.len()).filter(|&i| keep(i)).collect();
    state.rows = group_rows(&kept, tasks, key.group_by);
    let mut top = 0.0;
    state.tops = state
        .rows
        .iter()
        .map(|row| {
            let this = top;
            top += row.height();
            this
        })
        .collect();
    state.height = top;
    state.rows_key = Some(key);
}

/// Header and task rows for the kept tasks.
fn group_rows(kept: &[usize], tasks: &[Task], group_by: GroupBy) -> Vec<Row> {
    let mut rows = Vec::with_capacity(kept.len() + kept.len() / 4);
    match group_by {
        GroupBy::Node => {
            // Tasks are already ordered account, nodes by id, flows: group consecutive subjects.
            let mut start = 0;
            while start < kept.len() {
                let subject = &tasks[kept[start]].subject;
                let end = kept[start..]
                    .iter()
                    .position(|&i| tasks[i].subject != *subject)
                    .map_or(kept.len(), |n| start + n);
                rows.push(Row::Header(Group::Subject(kept[start]), end - start));
                rows.extend(kept[start..end].iter().map(|&i| Row::Task(i)));
                start = end;
            }
        }
        GroupBy::Layer => {
            for layer in crate::responsibility::Layer::ALL {
                let in_layer: Vec<usize> =
                    kept.iter().copied().filter(|&i| tasks[i].layer() == layer).collect();
                if !in_layer.is_empty() {
                    rows.push(Row::Header(Group::Layer(layer), in_layer.len()));
                    rows.extend(in_layer.into_iter().map(Row::Task));
                }
            }
        }
    }
    rows
}

fn header_ui(ui: &mut Ui, rect: Rect, title: &str, count: usize) {
    let painter = ui.painter();
    let count_galley =
        painter.layout_no_wrap(count.to_string(), FontId::proportional(12.0), ui.visuals().weak_text_color());
    let mut job = egui::text::LayoutJob::single_section(
        title.to_owned(),
        egui::TextFormat::simple(FontId::proportional(14.0), ui.visuals().strong_text_color()),
    );
    job.wrap =
        egui::text::TextWrapping::truncate_at_width((rect.width() - count_galley.size().x - 16.0).max(20.0));
    let title_galley = painter.layout_job(job);
    painter.galley(
        rect.left_bottom() + vec2(0.0, -6.0 - title_galley.size().y),
        title_galley,
        ui.visuals().strong_text_color(),
    );
    painter.galley(
        rect.right_bottom() + vec2(-4.0 - count_galley.size().x, -6.0 - count_galley.size().y),
        count_galley,
        ui.visuals().weak_text_color(),
    );
    painter.hline(rect.x_range(), rect.bottom() - 1.0, ui.visuals().widgets.noninteractive.bg_stroke);
}

/// The state a task has in the document, or a fresh open one.
fn current_state(document: &Document, task: &Task) -> TaskState {
    document.project().tasks.get(&task.key).cloned().unwrap_or_default()
}

fn set_status(document: &Document, task: &Task, status: TaskStatus) -> Edit {
    let mut state = current_state(document, task);
    state.status = status;
    state.updated = Some(today());
    Edit::SetTask(task.key.clone(), Some(state))
}

fn task_ui(ui: &mut Ui, context: &Context<'_>, index: usize, task: &Task, actions: &mut Vec<Action>) {
    let (document, catalog, dark) = (context.document, context.catalog, context.dark);
    let title = &task.template.title;
    ui.horizontal(|ui| {
        let mut done = task.status == TaskStatus::Done;
        let checkbox = ui
            .add(egui::Checkbox::without_text(&mut done))
            .accessible_name(format!("Done: {title}"))
            .on_hover_text("Done");
        if checkbox.changed() {
            let status = if done { TaskStatus::Done } else { TaskStatus::Open };
            actions.push(Action::Apply(set_status(document, task, status)));
        }
        let mut text = RichText::new(title.as_str());
        if !task.is_remaining() {
            text = text.strikethrough().weak();
        }
        // The full title is in the tooltip below: no second tooltip for the elided text.
        let label =
            ui.add(egui::Label::new(text).truncate().show_tooltip_when_elided(false).sense(Sense::click()));
        let mut hover = format!("{title}\n{}", catalog.layer(task.layer()).name);
        let explanation = task.explanation();
        if !explanation.is_empty() {
            hover.push_str(&format!("\n\n{explanation}"));
        }
        hover.push_str(&format!("\n\nKey: {}", task.key));
        if label.on_hover_text(hover).clicked() {
            let nodes = task.subject.node_ids();
            if !nodes.is_empty() {
                let selection = Selection {
                    nodes: nodes.iter().map(|s| (*s).to_owned()).collect(),
                    ..Selection::default()
                };
                actions.push(Action::Select { selection, reveal: true });
            }
        }
    });
    ui.horizontal(|ui| {
        ui.add_space(24.0);
        let colour = severity_colour(task.severity(), dark);
        ui.label(RichText::new(task.severity().name()).color(colour).strong());
        if let Some(held) = document.evidence() {
            verdict_ui(ui, held.assessment(), index, dark);
        }
        let status_label = format!("Status of {title}");
        egui::ComboBox::from_id_salt(("task-status", &task.key))
            .selected_text(task.status.name())
            .width(110.0)
            .show_ui(ui, |ui| {
                for status in TaskStatus::ALL {
                    if ui.selectable_label(task.status == status, status.name()).clicked()
                        && task.status != status
                    {
                        actions.push(Action::Apply(set_status(document, task, status)));
                    }
                }
            })
            .response
            .accessible_name(status_label);
        if task.template.controls.is_empty() {
            // Why there is none, from the catalog; the full text on hover when it is cut.
            let basis = &task.template.basis;
            let text = if basis.is_empty() { "no Security Hub control" } else { basis.as_str() };
            ui.add(egui::Label::new(RichText::new(text).weak().small()).truncate()).on_hover_text(text);
        } else {
            ui.add(
                egui::Label::new(RichText::new(task.template.controls.join(" ")).monospace().small())
                    .truncate(),
            )
            .on_hover_text(controls_hover(task));
        }
    });
    ui.horizontal(|ui| {
        ui.add_space(24.0);
        let mut note = current_state(document, task).note;
        let response = ui.add(
            egui::TextEdit::singleline(&mut note).hint_text("Note").desired_width(ui.available_width() - 4.0),
        );
        let response = response.accessible_name(format!("Note on {title}"));
        if response.changed() {
            let mut state = current_state(document, task);
            state.note = note;
            state.updated = Some(today());
            actions.push(Action::ApplyMerged {
                field: format!("note:{}", task.key),
                edit: Edit::SetTask(task.key.clone(), Some(state)),
            });
        }
        if response.lost_focus() {
            actions.push(Action::EndMerge);
        }
    });
}

/// What the scans say about task `index`: a mark, and the findings behind it on hover.
fn verdict_ui(ui: &mut Ui, assessment: &Assessment, index: usize, dark: bool) {
    let verdict = assessment.verdict(index);
    let text = match verdict {
        Verdict::Failing => RichText::new("✗ failing").strong(),
        Verdict::Verified => RichText::new("✓ verified"),
        Verdict::Unverified => RichText::new("unverified"),
    }
    .color(verdict_colour(verdict, dark));
    let mut hover = match assessment.task(index) {
        Some(t) if !t.findings.is_empty() => format!(
            "Scans: {} passed, {} failed, {} not evaluated, {} suppressed",
            t.passed, t.failed, t.not_evaluated, t.suppressed
        ),
        _ => "No finding of the loaded scans checks this task.".to_owned(),
    };
    if let Some(day) = assessment.newest_day(index) {
        hover.push_str(&format!("\nNewest finding: {day}"));
    }
    let failing = assessment.failing_resources(index);
    if !failing.is_empty() {
        const LISTED: usize = 8;
        hover.push_str("\nFailing:");
        for resource in failing.iter().take(LISTED) {
            hover.push_str(&format!("\n  {resource}"));
        }
        if failing.len() > LISTED {
            hover.push_str(&format!("\n  and {} more", failing.len() - LISTED));
        }
    }
    ui.label(text).on_hover_text(hover);
}

fn controls_hover(task: &Task) -> String {
    let t = &task.template;
    let mut lines = vec![format!("Security Hub: {}", t.controls.join(", "))];
    if !t.basis.is_empty() {
        lines.push(t.basis.clone());
    }
    if !t.cis_v3.is_empty() || !t.cis_v5.is_empty() {
        lines.push(format!("CIS v3.0: {}  ·  v5.0: {}", t.cis_v3.join(", "), t.cis_v5.join(", ")));
    }
    if !t.prowler.is_empty() {
        lines.push(format!("Prowler: {}", t.prowler.join(", ")));
    }
    lines.join("\n")
}
