//! The derivation: who owns each layer of each node, the project summary, and the customer's
//! checklist. [`derive`] is a pure function of a project and a catalog.
//!
//! Task keys are stable: they are built from ids (node, flow, service, template, rule), never
//! from labels, positions or graph indices, so editing an unrelated node changes no key.
//!
//! | task                         | key                                  |
//! |------------------------------|--------------------------------------|
//! | a service's template         | `<node>/<service>.<template>`        |
//! | an account-wide task         | `account/<template>`                 |
//! | a graph rule about a node    | `rule/<rule>/<node>`                 |
//! | a graph rule about a flow    | `rule/<rule>/<flow>`                 |

mod rules;

use std::sync::Arc;

use serde::Serialize;

use crate::catalog::{Catalog, Service, Severity, TaskTemplate};
use crate::graph::{IdIndex, IdMap};
use crate::model::{Project, TaskStatus};
use crate::responsibility::{Layer, LayerOwners, ProjectSummary};

/// What a task is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subject {
    /// The whole account.
    Account,
    /// One node, by id.
    Node(Arc<str>),
    /// One flow, by id, with the ids of its two ends.
    Flow {
        /// The flow's id.
        flow: Arc<str>,
        /// The node it starts at.
        from: Arc<str>,
        /// The node it ends at.
        to: Arc<str>,
    },
}

impl Subject {
    /// The ids of the nodes the task is about (none for the account, two for a flow).
    pub fn node_ids(&self) -> Vec<&str> {
        match self {
            Self::Account => Vec::new(),
            Self::Node(node) => vec![node],
            Self::Flow { from, to, .. } => vec![from, to],
        }
    }

    /// Whether the task is about the node `id` (a flow task is about both its ends).
    pub fn concerns_node(&self, id: &str) -> bool {
        match self {
            Self::Account => false,
            Self::Node(node) => &**node == id,
            Self::Flow { from, to, .. } => &**from == id || &**to == id,
        }
    }
}

/// Where a task comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// A template of the node's service.
    Service,
    /// An account-wide template.
    Account,
    /// A graph rule.
    Rule,
}

/// One thing the customer should do, derived from the design.
#[derive(Clone, Debug, PartialEq)]
pub struct Task {
    /// Stable across edits; see the module docs.
    pub key: String,
    /// Title, layer, severity and control ids, from the catalog.
    pub template: &'static TaskTemplate,
    /// Where it comes from.
    pub origin: Origin,
    /// What it is about.
    pub subject: Subject,
    /// Why a rule raised it, e.g. the path from the internet; empty for template tasks.
    pub detail: String,
    /// The status recorded in the project, `Open` when none is.
    pub status: TaskStatus,
}

impl Task {
    /// The task's layer.
    pub fn layer(&self) -> Layer {
        self.template.layer
    }

    /// The task's severity.
    pub fn severity(&self) -> Severity {
        self.template.severity
    }

    /// Open or in progress.
    pub fn is_remaining(&self) -> bool {
        self.status.is_remaining()
    }
}

/// Totals over a checklist.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TaskCounts {
    /// Every task.
    pub total: usize,
    /// Tasks marked done.
    pub done: usize,
    /// Tasks that are not remaining: done, accepted risk or not applicable.
    pub closed: usize,
    /// Open or in-progress tasks.
    pub remaining: usize,
    /// Remaining tasks per severity, indexed by `Severity as usize` (low first).
    pub remaining_by_severity: [usize; 4],
}

impl TaskCounts {
    /// Counts `tasks`.
    pub fn of<'a>(tasks: impl IntoIterator<Item = &'a Task>) -> Self {
        let mut counts = Self::default();
        for task in tasks {
            counts.total += 1;
            if task.status == TaskStatus::Done {
                counts.done += 1;
            }
            if task.is_remaining() {
                counts.remaining += 1;
                counts.remaining_by_severity[task.severity() as usize] += 1;
            } else {
                counts.closed += 1;
            }
        }
        counts
    }

    /// Remaining tasks at `severity` or above.
    pub fn remaining_at_or_above(&self, severity: Severity) -> usize {
        self.remaining_by_severity[severity as usize..].iter().sum()
    }
}

/// Everything derived from one revision of a project.
#[derive(Clone, Debug, Default)]
pub struct Derivation {
    /// The owners of each node's layers, indexed like [`Project::nodes`]; `None` for a node whose
    /// service the catalog does not know.
    pub owners: Vec<Option<LayerOwners>>,
    /// Per layer, how many services each owner owns it for.
    pub summary: ProjectSummary,
    /// The checklist: account tasks first, then by node id, then by flow id.
    pub tasks: Vec<Task>,
    /// Keys with a recorded state that no longer match any task. They stay in the file.
    pub orphaned: Vec<String>,
}

impl Derivation {
    /// Totals over the whole checklist.
    pub fn counts(&self) -> TaskCounts {
        TaskCounts::of(&self.tasks)
    }

    /// Open or in-progress tasks.
    pub fn remaining(&self) -> impl Iterator<Item = &Task> {
        self.tasks.iter().filter(|task| task.is_remaining())
    }

    /// The task with `key`.
    pub fn task(&self, key: &str) -> Option<&Task> {
        self.tasks.iter().find(|task| task.key == key)
    }
}

/// Who owns each layer of a node of `service` in `variant` (the service's default when `None`).
pub fn node_owners(service: &Service, variant: Option<&str>) -> LayerOwners {
    service.owners_for(service.effective_variant(variant))
}

/// Derives ownership, the summary and the checklist of `project`. Pure: the same project and
/// catalog always give the same result, in the same order.
///
/// The catalog lives as long as the process (the built-in one is static), so tasks borrow their
/// templates rather than counting references to them: at 10,000 services that is 70,000 atomic
/// increments and decrements saved per derivation.
pub fn derive(project: &Project, catalog: &'static Catalog) -> Derivation {
    let mut derivation =
        Derivation { owners: Vec::with_capacity(project.nodes.len()), ..Derivation::default() };
    let services: Vec<Option<&Service>> =
        project.nodes.iter().map(|node| catalog.service(&node.service)).collect();
    for (node, service) in project.nodes.iter().zip(&services) {
        let owners = service.map(|service| node_owners(service, node.variant.as_deref()));
        if let (Some(service), Some(owners)) = (service, &owners)
            && !service.is_actor()
        {
            derivation.summary.add(owners);
        }
        derivation.owners.push(owners);
    }

    let index = IdIndex::of(project);
    let rule_findings = rules::evaluate(project, catalog, &index, &services, &derivation.owners);
    // Room for every template of every node, so the list is not copied as it grows.
    let capacity = catalog.account_tasks.len()
        + rule_findings.len()
        + services.iter().flatten().map(|s| s.tasks.len()).sum::<usize>();
    let mut tasks = Vec::with_capacity(capacity);
    let any_aws_service = services.iter().flatten().any(|service| !service.is_actor());
    if any_aws_service {
        // The services drawn, once: an account task with `services` needs one of them.
        let drawn: std::collections::BTreeSet<&str> =
            services.iter().flatten().map(|service| service.id.as_str()).collect();
        for template in &catalog.account_tasks {
            if !template.applies_to_account(drawn.iter().copied()) {
                continue;
            }
            tasks.push(Task {
                key: format!("account/{}", template.id),
                template,
                origin: Origin::Account,
                subject: Subject::Account,
                detail: String::new(),
                status: TaskStatus::Open,
            });
        }
    }

    // Nodes in id order, so the checklist does not depend on the order of the node list.
    // Saved files are already in that order, so check before sorting.
    let mut order: Vec<usize> = (0..project.nodes.len()).collect();
    if !project.nodes.is_sorted_by(|a, b| a.id <= b.id) {
        order.sort_unstable_by(|&a, &b| project.nodes[a].id.cmp(&project.nodes[b].id));
    }
    let node_ids: Vec<Arc<str>> = project.nodes.iter().map(|node| Arc::from(node.id.as_str())).collect();
    for finding in rule_findings.iter().filter(|f| f.node.is_none() && f.flow.is_none()) {
        tasks.push(finding.to_task(Subject::Account, ""));
    }

    let mut node_findings: Vec<Vec<&rules::Finding>> = vec![Vec::new(); project.nodes.len()];
    for finding in &rule_findings {
        if let Some(node) = finding.node {
            node_findings[node].push(finding);
        }
    }

    // Where each node's template tasks are in `tasks`, to match recorded states by node.
    let mut spans = vec![0..0; project.nodes.len()];
    for &index in &order {
        let node = &project.nodes[index];
        let (Some(service), Some(owners)) = (services[index], derivation.owners[index]) else {
            continue;
        };
        let start = tasks.len();
        let variant = service.effective_variant(node.variant.as_deref());
        for template in &service.tasks {
            if Service::template_applies(template, variant) && owners.get(template.layer).involves_customer()
            {
                let mut key = String::with_capacity(node.id.len() + service.id.len() + template.id.len() + 2);
                key.push_str(&node.id);
                key.push('/');
                key.push_str(&service.id);
                key.push('.');
                key.push_str(&template.id);
                tasks.push(Task {
                    key,
                    template,
                    origin: Origin::Service,
                    subject: Subject::Node(Arc::clone(&node_ids[index])),
                    detail: String::new(),
                    status: TaskStatus::Open,
                });
            }
        }
        spans[index] = start..tasks.len();
        for finding in &node_findings[index] {
            tasks.push(finding.to_task(Subject::Node(Arc::clone(&node_ids[index])), &node.id));
        }
    }
    let mut flow_findings: Vec<&rules::Finding> = rule_findings.iter().filter(|f| f.flow.is_some()).collect();
    if !project.flows.is_sorted_by(|a, b| a.id <= b.id) {
        flow_findings.sort_by(|a, b| a.subject_id(project).cmp(b.subject_id(project)));
    }
    for finding in flow_findings {
        let Some(flow) = finding.flow.and_then(|i| project.flows.get(i)) else { continue };
        let subject = Subject::Flow {
            flow: Arc::from(flow.id.as_str()),
            from: Arc::from(flow.from.as_str()),
            to: Arc::from(flow.to.as_str()),
        };
        tasks.push(finding.to_task(subject, &flow.id));
    }

    // Statuses recorded in the project; anything recorded but not derived is orphaned.
    if !project.tasks.is_empty() {
        let (updates, orphaned) = match_recorded(project, &index, &tasks, &spans);
        for (task, status) in updates {
            tasks[task].status = status;
        }
        derivation.orphaned = orphaned;
    }
    derivation.tasks = tasks;
    derivation
}

/// Pairs every recorded task state with its task: `(task index, status)` for those that match,
/// and the keys of those that match none. A node's tasks are found through its span, and within
/// it by template id (which lives in the catalog, already in cache), so the cost is one id
/// lookup and a few short comparisons per recorded state: comparing whole keys would touch a
/// separate heap string per candidate task, and that dominated the derivation at 10,000 nodes.
fn match_recorded(
    project: &Project,
    index: &IdIndex<'_>,
    tasks: &[Task],
    spans: &[std::ops::Range<usize>],
) -> (Vec<(usize, TaskStatus)>, Vec<String>) {
    // Account and rule tasks are few: look them up by key.
    let mut others: IdMap<'_, usize> = IdMap::default();
    for (i, task) in tasks.iter().enumerate() {
        if task.origin != Origin::Service {
            others.insert(task.key.as_str(), i);
        }
    }
    let mut updates = Vec::new();
    let mut orphaned = Vec::new();
    for (key, state) in &project.tasks {
        let found = match key.split_once('/') {
            Some(("account" | "rule", _)) => others.get(key.as_str()).copied(),
            Some((node, rest)) => {
                let service_task = index.nodes.get(node).zip(rest.split_once('.'));
                service_task.and_then(|(&n, (service, template))| {
                    let span = spans.get(n)?.clone();
                    (project.nodes[n].service == service)
                        .then(|| span.into_iter().find(|&t| tasks[t].template.id == template))?
                })
            }
            None => None,
        };
        match found {
            Some(task) => updates.push((task, state.status)),
            None => orphaned.push(key.clone()),
        }
    }
    (updates, orphaned)
}

#[cfg(test)]
mod tests;
