//! Searching nodes and tasks by what people type: the Tasks tab's search and the find bar.
//!
//! Built once per revision: the lower-cased text of each node (label, id, service name and
//! id), of each boundary (label, id), and of each distinct task template (title, control ids,
//! template id), and for each task which template and which nodes (or account boundary) it is
//! about. A keystroke then matches the text of each node and template once, and each task
//! costs two array reads: at 100,000 services (about 700,000 tasks) nothing is lower-cased or
//! looked up by id per task. No egui here.

use std::collections::HashMap;

use crate::catalog::{Catalog, TaskTemplate};
use crate::checklist::Subject;
use crate::document::Document;
use crate::model::index::FnvBuild;
use crate::view::ModelView;

/// What a task is about, by index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum About {
    /// Nothing drawn (the account of services outside every account boundary).
    Nothing,
    /// One node, or a flow's two ends.
    Nodes(u32, u32),
    /// An account boundary.
    Boundary(u32),
}

/// The search index of one revision.
#[derive(Debug, Default)]
pub struct SearchIndex {
    revision: Option<u64>,
    nodes: Vec<String>,
    boundaries: Vec<String>,
    templates: Vec<String>,
    template_of_task: Vec<u32>,
    about: Vec<About>,
}

/// Which nodes, boundaries and templates match one query.
#[derive(Debug, Default)]
pub struct Matches {
    /// The query, trimmed and lower-cased; empty matches everything.
    pub query: String,
    nodes: Vec<bool>,
    boundaries: Vec<bool>,
    templates: Vec<bool>,
}

impl SearchIndex {
    /// Rebuilds the index when the document changed since it was built.
    pub fn refresh(&mut self, document: &Document, catalog: &Catalog) {
        if self.revision == Some(document.revision()) {
            return;
        }
        let (project, view) = (document.project(), document.view());
        self.nodes = project
            .nodes
            .iter()
            .map(|n| {
                let service = catalog.service(&n.service).map_or("", |s| s.name.as_str());
                format!("{}\n{}\n{}\n{}", n.label, n.id, service, n.service).to_lowercase()
            })
            .collect();
        self.boundaries =
            project.boundaries.iter().map(|b| format!("{}\n{}", b.label, b.id).to_lowercase()).collect();
        let mut templates: HashMap<usize, u32, FnvBuild> = HashMap::default();
        self.templates.clear();
        let tasks = &document.derivation().tasks;
        self.template_of_task = Vec::with_capacity(tasks.len());
        self.about = Vec::with_capacity(tasks.len());
        // Tasks about one node come together: look its id up once.
        let mut last_node: Option<(&str, u32)> = None;
        for task in tasks {
            let template: &'static TaskTemplate = task.template;
            let next = templates.len() as u32;
            let slot = *templates.entry(std::ptr::from_ref(template) as usize).or_insert_with(|| {
                self.templates.push(template_text(template));
                next
            });
            self.template_of_task.push(slot);
            let about = match &task.subject {
                Subject::Node(id) => {
                    let n = cached_node_index(view, &mut last_node, id);
                    About::Nodes(n, n)
                }
                Subject::Flow { from, to, .. } => About::Nodes(
                    cached_node_index(view, &mut last_node, from),
                    cached_node_index(view, &mut last_node, to),
                ),
                Subject::Account(Some(id)) => {
                    view.boundary_index(id).map_or(About::Nothing, |b| About::Boundary(b as u32))
                }
                Subject::Account(None) => About::Nothing,
            };
            self.about.push(about);
        }
        self.revision = Some(document.revision());
    }

    /// Matches `query` (any case; surrounding spaces ignored) against every node, boundary and
    /// template once.
    pub fn matches(&self, query: &str) -> Matches {
        let query = query.trim().to_lowercase();
        let hit = |texts: &[String]| -> Vec<bool> {
            if query.is_empty() { Vec::new() } else { texts.iter().map(|t| t.contains(&query)).collect() }
        };
        Matches {
            nodes: hit(&self.nodes),
            boundaries: hit(&self.boundaries),
            templates: hit(&self.templates),
            query,
        }
    }

    /// Whether task `task` matches: its template (title, controls, id), a node it is about, or
    /// its account.
    pub fn task_matches(&self, matches: &Matches, task: usize) -> bool {
        if matches.query.is_empty() {
            return true;
        }
        let template = self.template_of_task.get(task).is_some_and(|&t| matches.template(t as usize));
        template
            || match self.about.get(task) {
                Some(About::Nodes(a, b)) => matches.node(*a as usize) || matches.node(*b as usize),
                Some(About::Boundary(b)) => matches.boundaries.get(*b as usize).copied().unwrap_or(false),
                Some(About::Nothing) | None => false,
            }
    }

    /// Whether task `task`'s template matches (its title, controls or id), whatever it is about.
    pub fn template_matches(&self, matches: &Matches, task: usize) -> bool {
        self.template_of_task.get(task).is_some_and(|&t| matches.template(t as usize))
    }

    /// The nodes task `task` is about (none, one, or a flow's two ends).
    pub fn about(&self, task: usize) -> About {
        self.about.get(task).copied().unwrap_or(About::Nothing)
    }

    /// Whether task `task` is about one of the nodes marked in `nodes` (by node index).
    pub fn concerns_any(&self, task: usize, nodes: &[bool]) -> bool {
        let marked = |n: u32| nodes.get(n as usize).copied().unwrap_or(false);
        matches!(self.about(task), About::Nodes(a, b) if marked(a) || marked(b))
    }
}

impl Matches {
    /// Whether node `i` matches.
    pub fn node(&self, i: usize) -> bool {
        self.nodes.get(i).copied().unwrap_or(false)
    }

    /// The matching nodes, by index.
    pub fn nodes(&self) -> impl Iterator<Item = usize> + '_ {
        self.nodes.iter().enumerate().filter(|(_, hit)| **hit).map(|(i, _)| i)
    }

    fn template(&self, t: usize) -> bool {
        self.templates.get(t).copied().unwrap_or(false)
    }
}

/// The searchable text of a template: title, control ids and the template's id, lower-cased.
fn template_text(template: &TaskTemplate) -> String {
    format!("{}\n{}\n{}", template.title, template.controls.join("\n"), template.id).to_lowercase()
}

/// The index of node `id`, looked up only when it differs from the last id asked for (the
/// tasks of one node come one after another).
fn cached_node_index<'t>(view: &ModelView, last: &mut Option<(&'t str, u32)>, id: &'t str) -> u32 {
    match *last {
        Some((last_id, index)) if last_id == id => index,
        _ => {
            let index = view.node_index(id).map_or(u32::MAX, |i| i as u32);
            *last = Some((id, index));
            index
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Node, Project};

    fn document() -> Document {
        let mut project = Project::named("t");
        project.nodes.push(Node { label: "Orders DB".into(), ..Node::new("db", "rds") });
        project.nodes.push(Node { label: "Web".into(), ..Node::new("web", "ec2") });
        project.flows.push(crate::model::Flow::new("f", "web", "db"));
        Document::new(project, None, Catalog::builtin())
    }

    #[test]
    fn matches_nodes_by_label_id_and_service_and_tasks_by_title_or_control() {
        let document = document();
        let mut index = SearchIndex::default();
        index.refresh(&document, Catalog::builtin());
        let tasks = &document.derivation().tasks;
        let found = |q: &str| {
            let m = index.matches(q);
            (0..tasks.len()).filter(|&t| index.task_matches(&m, t)).count()
        };
        assert_eq!(index.matches("ORDERS").nodes().collect::<Vec<_>>(), vec![0], "label, any case");
        assert_eq!(index.matches("web").nodes().collect::<Vec<_>>(), vec![1], "id");
        assert_eq!(index.matches("amazon rds").nodes().collect::<Vec<_>>(), vec![0], "service name");
        assert_eq!(found(""), tasks.len(), "an empty query keeps everything");
        let imds = tasks.iter().filter(|t| t.template.title.to_lowercase().contains("imdsv2")).count();
        assert!(imds > 0);
        assert_eq!(found("  IMDSv2 "), imds);
        let ec2_8 = tasks
            .iter()
            .filter(|t| t.template.controls.iter().any(|c| c.to_lowercase().contains("ec2.8")))
            .count();
        assert_eq!(found("ec2.8"), ec2_8);
        // A node's label finds every task about it, its flows' included.
        let about_db = tasks.iter().filter(|t| t.subject.concerns_node("db")).count();
        assert_eq!(found("orders db"), about_db);
    }
}
