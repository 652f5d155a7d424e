//! What changed in responsibility between two versions of a design: services added and
//! removed, owners that changed per node and layer, tasks added, removed and moved between
//! statuses. Meant for a pull request that changes a design (`whoowns diff OLD NEW`).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Serialize;

use crate::catalog::{Catalog, Severity};
use crate::checklist::{Derivation, derive};
use crate::model::{Node, Project, TaskStatus};
use crate::responsibility::{Layer, Owner};

/// A node as the diff names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NodeRef {
    /// Its id.
    pub id: String,
    /// Its service.
    pub service: String,
    /// Its variant, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// Its label.
    pub label: String,
}

impl NodeRef {
    fn of(node: &Node) -> Self {
        Self {
            id: node.id.clone(),
            service: node.service.clone(),
            variant: node.variant.clone(),
            label: node.label.clone(),
        }
    }

    fn describe(&self) -> String {
        match &self.variant {
            Some(variant) => format!("{} ({variant})", self.service),
            None => self.service.clone(),
        }
    }
}

/// A node that kept its id but changed service or variant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ServiceChange {
    /// Before.
    pub old: NodeRef,
    /// After.
    pub new: NodeRef,
}

/// One layer of one node whose owner changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OwnerChange {
    /// The node's id.
    pub node: String,
    /// The layer.
    pub layer: Layer,
    /// The owner before.
    pub old: Owner,
    /// The owner after.
    pub new: Owner,
}

/// A task as the diff names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TaskRef {
    /// Its key.
    pub key: String,
    /// What to do.
    pub title: String,
    /// How much it matters.
    pub severity: Severity,
    /// Its status (the new one for added tasks, the old one for removed ones).
    pub status: TaskStatus,
}

/// A task whose status changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StatusChange {
    /// The task.
    pub key: String,
    /// What to do.
    pub title: String,
    /// Before.
    pub old: TaskStatus,
    /// After.
    pub new: TaskStatus,
}

/// Everything that changed, each list in a stable order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ProjectDiff {
    /// Nodes only in the new version.
    pub added: Vec<NodeRef>,
    /// Nodes only in the old version.
    pub removed: Vec<NodeRef>,
    /// Nodes in both whose service or variant changed.
    pub changed: Vec<ServiceChange>,
    /// Owners that changed, for nodes in both versions.
    pub owners: Vec<OwnerChange>,
    /// Tasks only in the new version.
    pub tasks_added: Vec<TaskRef>,
    /// Tasks only in the old version.
    pub tasks_removed: Vec<TaskRef>,
    /// Tasks in both whose status changed.
    pub statuses: Vec<StatusChange>,
    /// Remaining tasks before and after.
    pub remaining: (usize, usize),
}

impl ProjectDiff {
    /// Whether nothing that matters for responsibility changed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
            && self.owners.is_empty()
            && self.tasks_added.is_empty()
            && self.tasks_removed.is_empty()
            && self.statuses.is_empty()
    }

    /// The diff for people, as `whoowns diff` prints it.
    pub fn render(&self) -> String {
        let mut out = String::new();
        if self.is_empty() {
            out.push_str("No change in services, owners or tasks.\n");
            return out;
        }
        let _ = writeln!(
            out,
            "Services: {} added, {} removed, {} changed. Remaining tasks: {} → {}.",
            self.added.len(),
            self.removed.len(),
            self.changed.len(),
            self.remaining.0,
            self.remaining.1
        );
        for node in &self.added {
            let _ = writeln!(out, "  + {} {} {:?}", node.id, node.describe(), node.label);
        }
        for node in &self.removed {
            let _ = writeln!(out, "  - {} {} {:?}", node.id, node.describe(), node.label);
        }
        for change in &self.changed {
            let _ =
                writeln!(out, "  ~ {} {} → {}", change.new.id, change.old.describe(), change.new.describe());
        }
        if !self.owners.is_empty() {
            out.push_str("\nOwners changed:\n");
            for change in &self.owners {
                let _ = writeln!(out, "  {} {}: {} → {}", change.node, change.layer, change.old, change.new);
            }
        }
        if !self.tasks_added.is_empty() || !self.tasks_removed.is_empty() || !self.statuses.is_empty() {
            let _ = writeln!(
                out,
                "\nTasks: {} added, {} removed, {} changed status.",
                self.tasks_added.len(),
                self.tasks_removed.len(),
                self.statuses.len()
            );
            for task in &self.tasks_added {
                let _ = writeln!(out, "  + [{}] {}  ({})", task.severity.id(), task.title, task.key);
            }
            for task in &self.tasks_removed {
                let _ = writeln!(out, "  - [{}] {}  ({})", task.severity.id(), task.title, task.key);
            }
            for change in &self.statuses {
                let _ = writeln!(
                    out,
                    "  ~ {}: {} → {}  ({})",
                    change.title,
                    change.old.id(),
                    change.new.id(),
                    change.key
                );
            }
        }
        out
    }
}

/// Compares two versions of a design.
pub fn diff(old: &Project, new: &Project, catalog: &'static Catalog) -> ProjectDiff {
    let old_derivation = derive(old, catalog);
    let new_derivation = derive(new, catalog);
    let old_nodes: BTreeMap<&str, (usize, &Node)> =
        old.nodes.iter().enumerate().map(|(i, n)| (n.id.as_str(), (i, n))).collect();
    let new_nodes: BTreeMap<&str, (usize, &Node)> =
        new.nodes.iter().enumerate().map(|(i, n)| (n.id.as_str(), (i, n))).collect();
    let mut result = ProjectDiff {
        remaining: (old_derivation.counts().remaining, new_derivation.counts().remaining),
        ..ProjectDiff::default()
    };
    for (id, (_, node)) in &new_nodes {
        if !old_nodes.contains_key(id) {
            result.added.push(NodeRef::of(node));
        }
    }
    for (id, (old_index, old_node)) in &old_nodes {
        let Some((new_index, new_node)) = new_nodes.get(id) else {
            result.removed.push(NodeRef::of(old_node));
            continue;
        };
        if old_node.service != new_node.service || old_node.variant != new_node.variant {
            result.changed.push(ServiceChange { old: NodeRef::of(old_node), new: NodeRef::of(new_node) });
        }
        let before = old_derivation.owners.get(*old_index).copied().flatten();
        let after = new_derivation.owners.get(*new_index).copied().flatten();
        if let (Some(before), Some(after)) = (before, after) {
            for layer in Layer::ALL {
                if before.get(layer) != after.get(layer) {
                    result.owners.push(OwnerChange {
                        node: (*id).to_owned(),
                        layer,
                        old: before.get(layer),
                        new: after.get(layer),
                    });
                }
            }
        }
    }
    compare_tasks(&old_derivation, &new_derivation, &mut result);
    result
}

fn compare_tasks(old: &Derivation, new: &Derivation, result: &mut ProjectDiff) {
    let task_ref = |t: &crate::checklist::Task| TaskRef {
        key: t.key.clone(),
        title: t.template.title.clone(),
        severity: t.severity(),
        status: t.status,
    };
    let old_tasks: BTreeMap<&str, &crate::checklist::Task> =
        old.tasks.iter().map(|t| (t.key.as_str(), t)).collect();
    let new_tasks: BTreeMap<&str, &crate::checklist::Task> =
        new.tasks.iter().map(|t| (t.key.as_str(), t)).collect();
    let keys: BTreeSet<&str> = old_tasks.keys().chain(new_tasks.keys()).copied().collect();
    for key in keys {
        match (old_tasks.get(key), new_tasks.get(key)) {
            (None, Some(task)) => result.tasks_added.push(task_ref(task)),
            (Some(task), None) => result.tasks_removed.push(task_ref(task)),
            (Some(before), Some(after)) if before.status != after.status => {
                result.statuses.push(StatusChange {
                    key: key.to_owned(),
                    title: after.template.title.clone(),
                    old: before.status,
                    new: after.status,
                });
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Node, TaskState};

    #[test]
    fn ec2_to_lambda_hands_the_guest_os_to_aws() {
        let catalog = Catalog::builtin();
        let mut old = Project::default();
        old.nodes.push(Node::new("app", "ec2"));
        old.nodes.push(Node::new("gone", "s3"));
        let mut new = old.clone();
        new.nodes[0].service = "lambda".into();
        new.nodes.retain(|n| n.id != "gone");
        new.nodes.push(Node::new("queue", "sqs"));
        new.tasks.insert(
            "account/config_enabled".into(),
            TaskState { status: TaskStatus::Done, ..TaskState::default() },
        );
        let d = diff(&old, &new, catalog);
        assert_eq!(d.added.iter().map(|n| n.id.as_str()).collect::<Vec<_>>(), vec!["queue"]);
        assert_eq!(d.removed.iter().map(|n| n.id.as_str()).collect::<Vec<_>>(), vec!["gone"]);
        assert_eq!(d.changed.len(), 1);
        assert!(d.owners.contains(&OwnerChange {
            node: "app".into(),
            layer: Layer::GuestOs,
            old: Owner::Customer,
            new: Owner::Aws
        }));
        assert!(d.tasks_removed.iter().any(|t| t.key == "app/ec2.patch_guest_os"));
        assert!(d.tasks_added.iter().any(|t| t.key == "app/lambda.no_public_invoke"));
        assert!(d.statuses.iter().any(|s| s.key == "account/config_enabled" && s.new == TaskStatus::Done));
        let text = d.render();
        assert!(text.contains("app guest_os: customer → aws"), "{text}");
    }

    #[test]
    fn identical_projects_have_no_diff() {
        let mut project = Project::default();
        project.nodes.push(Node::new("a", "ec2"));
        let d = diff(&project, &project, Catalog::builtin());
        assert!(d.is_empty());
        assert_eq!(d.render(), "No change in services, owners or tasks.\n");
    }
}
