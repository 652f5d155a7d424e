//! The Tasks tab: the customer's tasks, grouped by node or by layer, filtered and searchable,
//! each with a done box, a status, its severity and control ids, and a note. Only the rows on
//! screen are laid out, so a design with tens of thousands of tasks scrolls smoothly.

use egui::{Align2, FontId, Rect, RichText, Sense, Ui, UiBuilder, vec2};

use super::super::Action;
use super::super::canvas::Selection;
use super::super::theme::severity_colour;
use crate::catalog::{Catalog, Severity};
use crate::checklist::Task;
use crate::document::Document;
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
    rows: Vec<Row>,
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
            rows: Vec::new(),
            rows_key: None,
        }
    }
}

#[derive(Clone, PartialEq)]
struct RowsKey {
    revision: u64,
    group_by: GroupBy,
    status: StatusFilter,
    min_severity: Severity,
    search: String,
    focus: Vec<String>,
}

#[derive(Clone)]
enum Row {
    Header(String, usize),
    Task(usize),
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
    document: &Document,
    catalog: &Catalog,
    selection: &Selection,
    dark: bool,
    actions: &mut Vec<Action>,
) {
    let derivation = document.derivation();
    let counts = derivation.counts();
    let fraction = if counts.total == 0 { 1.0 } else { counts.closed as f32 / counts.total as f32 };
    ui.add(
        egui::ProgressBar::new(fraction)
            .text(format!("{} of {} done · {} remaining", counts.closed, counts.total, counts.remaining)),
    )
    .on_hover_text("Done, accepted risk and not applicable tasks count as done.");
    ui.add_space(4.0);
    filters_ui(ui, state);

    let focus: Vec<String> =
        if state.show_all_nodes { Vec::new() } else { selection.nodes.iter().cloned().collect() };
    if !focus.is_empty() {
        ui.horizontal(|ui| {
            let names: Vec<&str> = focus
                .iter()
                .map(|id| document.project().node(id).map_or(id.as_str(), |n| n.display_name()))
                .collect();
            ui.label(RichText::new(format!("Tasks of {}", names.join(", "))).strong());
            if ui.small_button("Show all").clicked() {
                state.show_all_nodes = true;
            }
        });
    } else if state.show_all_nodes
        && !selection.nodes.is_empty()
        && ui.small_button("Only the selected nodes").clicked()
    {
        state.show_all_nodes = false;
    }

    refresh_rows(state, document, catalog, focus);
    if state.rows.is_empty() {
        ui.add_space(8.0);
        ui.label(if counts.total == 0 {
            "No tasks: add AWS services to the design."
        } else {
            "No task matches the filters."
        });
    }
    let total_height: f32 = state.rows.iter().map(Row::height).sum();
    egui::ScrollArea::vertical().auto_shrink([false, false]).show_viewport(ui, |ui, viewport| {
        ui.set_height(total_height);
        let origin = ui.min_rect().min;
        let width = ui.available_width();
        let mut y = 0.0;
        for row in &state.rows {
            let height = row.height();
            if y + height >= viewport.min.y && y <= viewport.max.y {
                let rect = Rect::from_min_size(origin + vec2(0.0, y), vec2(width, height));
                match row {
                    Row::Header(title, count) => header_ui(ui, rect, title, *count),
                    Row::Task(index) => {
                        if let Some(task) = derivation.tasks.get(*index) {
                            ui.scope_builder(UiBuilder::new().max_rect(rect), |ui| {
                                task_ui(ui, document, catalog, task, dark, actions);
                            });
                        }
                    }
                }
            }
            y += height;
        }
    });
    if !derivation.orphaned.is_empty() {
        ui.separator();
        ui.label(
            RichText::new(format!(
                "{} recorded task state(s) no longer match a task; they stay in the file.",
                derivation.orphaned.len()
            ))
            .weak(),
        )
        .on_hover_text(derivation.orphaned.join("\n"));
    }
}

fn filters_ui(ui: &mut Ui, state: &mut TasksState) {
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
    ui.add(
        egui::TextEdit::singleline(&mut state.search)
            .hint_text("Search tasks, controls, nodes")
            .desired_width(f32::INFINITY),
    );
}

fn refresh_rows(state: &mut TasksState, document: &Document, catalog: &Catalog, focus: Vec<String>) {
    let key = RowsKey {
        revision: document.revision(),
        group_by: state.group_by,
        status: state.status,
        min_severity: state.min_severity,
        search: state.search.trim().to_lowercase(),
        focus,
    };
    if state.rows_key.as_ref() == Some(&key) {
        return;
    }
    let project = document.project();
    let tasks = &document.derivation().tasks;
    let keep = |task: &Task| {
        key.status.keeps(task.status)
            && task.severity() >= key.min_severity
            && (key.focus.is_empty() || key.focus.iter().any(|id| task.subject.concerns_node(id)))
            && (key.search.is_empty() || matches_search(task, project, &key.search))
    };
    let kept: Vec<usize> = (0..tasks.len()).filter(|&i| keep(&tasks[i])).collect();
    let mut rows = Vec::new();
    match key.group_by {
        GroupBy::Node => {
            // Tasks are already ordered account, nodes by id, flows: group consecutive subjects.
            let mut start = 0;
            while start < kept.len() {
                let subject = &tasks[kept[start]].subject;
                let end = kept[start..]
                    .iter()
                    .position(|&i| tasks[i].subject != *subject)
                    .map_or(kept.len(), |n| start + n);
                rows.push(Row::Header(subject.name(project, document.view()), end - start));
                rows.extend(kept[start..end].iter().map(|&i| Row::Task(i)));
                start = end;
            }
        }
        GroupBy::Layer => {
            for layer in crate::responsibility::Layer::ALL {
                let in_layer: Vec<usize> =
                    kept.iter().copied().filter(|&i| tasks[i].layer() == layer).collect();
                if !in_layer.is_empty() {
                    rows.push(Row::Header(catalog.layer(layer).name.clone(), in_layer.len()));
                    rows.extend(in_layer.into_iter().map(Row::Task));
                }
            }
        }
    }
    state.rows = rows;
    state.rows_key = Some(key);
}

fn matches_search(task: &Task, project: &crate::model::Project, query: &str) -> bool {
    task.template.title.to_lowercase().contains(query)
        || task.key.to_lowercase().contains(query)
        || task.template.controls.iter().any(|c| c.to_lowercase().contains(query))
        || task.subject.node_ids().iter().any(|id| {
            id.contains(query) || project.node(id).is_some_and(|n| n.label.to_lowercase().contains(query))
        })
}

fn header_ui(ui: &mut Ui, rect: Rect, title: &str, count: usize) {
    let painter = ui.painter();
    painter.text(
        rect.left_bottom() + vec2(0.0, -6.0),
        Align2::LEFT_BOTTOM,
        title,
        FontId::proportional(14.0),
        ui.visuals().strong_text_color(),
    );
    painter.text(
        rect.right_bottom() + vec2(-4.0, -6.0),
        Align2::RIGHT_BOTTOM,
        count.to_string(),
        FontId::proportional(12.0),
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

fn task_ui(
    ui: &mut Ui,
    document: &Document,
    catalog: &Catalog,
    task: &Task,
    dark: bool,
    actions: &mut Vec<Action>,
) {
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
        let label = ui.add(egui::Label::new(text).truncate().sense(Sense::click()));
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
            ui.label(RichText::new(task.template.controls.join(" ")).monospace().small())
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
