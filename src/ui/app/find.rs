//! The find bar (Ctrl+F), over the top-right corner of the canvas: nodes by label, id or
//! service, tasks by title or control id. Enter, or a click on a result, selects the match and
//! brings it into view; Enter again goes to the next one; Esc closes the bar.

use egui::{Context, Key, Rect, RichText};

use crate::checklist::Task;
use crate::document::Document;
use crate::ui::Action;
use crate::ui::search::{Matches, SearchIndex};
use crate::ui::selection::Selection;

/// The most results of each kind listed.
const LISTED: usize = 50;
/// The find bar's width on screen.
const WIDTH: f32 = 380.0;

/// The find bar's state.
#[derive(Default)]
pub(super) struct Find {
    open: bool,
    query: String,
    /// Give the text field the keyboard on the next frame.
    focus: bool,
    /// The result Enter goes to next.
    next: usize,
    results: Vec<Hit>,
    /// What the results were found for: the revision and the query.
    key: Option<(u64, String)>,
}

/// One result.
#[derive(Clone, Debug, PartialEq)]
enum Hit {
    Node(usize),
    Task(usize),
}

impl Find {
    /// Opens the bar with the keyboard in its text field.
    pub fn open(&mut self) {
        self.open = true;
        self.focus = true;
    }

    /// Whether the bar is shown.
    pub fn is_open(&self) -> bool {
        self.open
    }

    /// Hides the bar.
    pub fn close(&mut self) {
        self.open = false;
    }

    /// Shows the bar when open, over the top-right corner of `canvas`.
    pub fn ui(
        &mut self,
        ctx: &Context,
        canvas: Rect,
        document: &Document,
        search: &mut SearchIndex,
        catalog: &crate::catalog::Catalog,
        actions: &mut Vec<Action>,
    ) {
        if !self.open {
            return;
        }
        egui::Area::new(egui::Id::unique("find"))
            .order(egui::Order::Middle)
            .fixed_pos(canvas.right_top() + egui::vec2(-WIDTH - 12.0, 10.0))
            .constrain(false)
            .show(ctx, |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.set_width(WIDTH - 16.0);
                    self.bar_ui(ui, document, search, catalog, actions);
                });
            });
    }

    fn bar_ui(
        &mut self,
        ui: &mut egui::Ui,
        document: &Document,
        search: &mut SearchIndex,
        catalog: &crate::catalog::Catalog,
        actions: &mut Vec<Action>,
    ) {
        let mut close = false;
        let field = ui.horizontal(|ui| {
            let field = ui.add(
                egui::TextEdit::singleline(&mut self.query)
                    .hint_text("Find nodes and tasks")
                    .desired_width(WIDTH - 90.0),
            );
            close = ui.button("Close").on_hover_text("Esc").clicked();
            field
        });
        let field = field.inner.accessible_name("Find");
        if std::mem::take(&mut self.focus) {
            field.request_focus();
        }
        let enter = field.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
        self.refresh(document, search, catalog);
        if self.query.trim().is_empty() {
            ui.weak("Label, id or service of a node; title or control id of a task. Enter goes to the next.");
        } else if self.results.is_empty() {
            ui.weak(format!("Nothing matches “{}”.", self.query.trim()));
        }
        if let Some(hit) = self.results_ui(ui, document) {
            actions.push(select(document, &self.results[hit]));
            self.next = hit + 1;
        }
        if enter && !self.results.is_empty() {
            let hit = self.next % self.results.len();
            actions.push(select(document, &self.results[hit]));
            self.next = hit + 1;
            self.focus = true;
        }
        if close {
            self.open = false;
        }
    }

    /// Finds again when the query or the document changed.
    fn refresh(&mut self, document: &Document, search: &mut SearchIndex, catalog: &crate::catalog::Catalog) {
        let key = (document.revision(), self.query.clone());
        if self.key.as_ref() == Some(&key) {
            return;
        }
        self.key = Some(key);
        self.next = 0;
        self.results.clear();
        if self.query.trim().is_empty() {
            return;
        }
        search.refresh(document, catalog);
        let matches: Matches = search.matches(&self.query);
        self.results.extend(matches.nodes().take(LISTED).map(Hit::Node));
        let tasks = document.derivation().tasks.len();
        self.results
            .extend((0..tasks).filter(|&t| search.template_matches(&matches, t)).take(LISTED).map(Hit::Task));
    }

    /// The list of results; returns the one clicked.
    fn results_ui(&self, ui: &mut egui::Ui, document: &Document) -> Option<usize> {
        let mut clicked = None;
        let (project, view) = (document.project(), document.view());
        let tasks = &document.derivation().tasks;
        egui::ScrollArea::vertical().max_height(320.0).auto_shrink([false, true]).show(ui, |ui| {
            for (index, hit) in self.results.iter().enumerate() {
                let text = match hit {
                    Hit::Node(i) => {
                        let node = &project.nodes[*i];
                        RichText::new(format!("{}  ·  {} ({})", node.display_name(), node.id, node.service))
                    }
                    Hit::Task(t) => {
                        let task: &Task = &tasks[*t];
                        RichText::new(format!(
                            "{}  ·  {}",
                            task.template.title,
                            task.subject.name(project, view)
                        ))
                    }
                };
                let prefix = if matches!(hit, Hit::Node(_)) { "Node: " } else { "Task: " };
                let text = RichText::new(format!("{prefix}{}", text.text()));
                let response = ui.add(egui::Button::selectable(index + 1 == self.next, text).truncate());
                if response.clicked() {
                    clicked = Some(index);
                }
            }
        });
        clicked
    }
}

/// Selects what `hit` is (a node, or the nodes of a task) and brings it into view.
fn select(document: &Document, hit: &Hit) -> Action {
    let project = document.project();
    let selection = match hit {
        Hit::Node(i) => Selection::only_node(&project.nodes[*i].id),
        Hit::Task(t) => {
            let nodes = document.derivation().tasks[*t].subject.node_ids();
            Selection { nodes: nodes.into_iter().map(str::to_owned).collect(), ..Selection::default() }
        }
    };
    Action::Select { selection, reveal: true }
}
