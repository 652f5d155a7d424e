//! The derivation: who owns each layer of each node, the project summary, and the customer's
//! checklist. [`derive`] is a pure function of a project and a catalog.
//!
//! Task keys are stable: they are built from ids (node, flow, boundary, service, template,
//! rule), never from labels, positions or graph indices, so editing an unrelated node changes
//! no key. [`TaskKey`] builds and reads them.
//!
//! Account tasks are derived once per account: per account boundary on the diagram that holds
//! AWS services, and once for the services drawn outside every account boundary.

mod key;
mod rules;

use std::ops::Range;
use std::sync::Arc;

use serde::Serialize;

use crate::catalog::{Catalog, Service, Severity, TaskTemplate};
use crate::model::index::IdMap;
use crate::model::{BoundaryKind, Project, TaskStatus};
use crate::responsibility::{Layer, LayerOwners, ProjectSummary};
use crate::view::ModelView;

pub use key::TaskKey;
pub use rules::RULE_IDS;

/// What a task is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subject {
    /// An AWS account: the id of its account boundary, or `None` for the account of the
    /// services drawn outside every account boundary.
    Account(Option<Arc<str>>),
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
    /// The ids of the nodes the task is about (none for an account, two for a flow).
    pub fn node_ids(&self) -> Vec<&str> {
        match self {
            Self::Account(_) => Vec::new(),
            Self::Node(node) => vec![node],
            Self::Flow { from, to, .. } => vec![from, to],
        }
    }

    /// What the task is about, in words: "Account", "Account: Payments", "Orders DB",
    /// "Web servers → Orders DB". `view` is `project`'s.
    pub fn name(&self, project: &Project, view: &ModelView) -> String {
        let node = |id: &str| view.node(project, id).map_or(id, |n| n.display_name()).to_owned();
        match self {
            Self::Account(None) => "Account".to_owned(),
            Self::Account(Some(id)) => {
                format!("Account: {}", view.boundary(project, id).map_or(&**id, |b| b.display_name()))
            }
            Self::Node(id) => node(id),
            Self::Flow { from, to, .. } => format!("{} → {}", node(from), node(to)),
        }
    }

    /// Whether the task is about the node `id` (a flow task is about both its ends).
    pub fn concerns_node(&self, id: &str) -> bool {
        match self {
            Self::Account(_) => false,
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
    /// Stable across edits; see [`TaskKey`].
    pub key: String,
    /// Title, layer, control ids and basis, from the catalog.
    pub template: &'static TaskTemplate,
    /// Where it comes from.
    pub origin: Origin,
    /// What it is about.
    pub subject: Subject,
    /// Why a rule raised it (the path from the internet), or what a rule adds to a service's
    /// task; empty when there is nothing to add to the template.
    pub detail: String,
    /// How much it matters here: the template's severity, or what a rule made of it (sensitive
    /// data raises encryption at rest; see docs/rules.md).
    pub severity: Severity,
    /// The status recorded in the project, `Open` when none is.
    pub status: TaskStatus,
    /// Set when the design itself shows the task is done (a WAF drawn in front of the load
    /// balancer), with the reason. A recorded status still wins.
    pub by_design: Option<String>,
    /// The customer-side team that does it (see [`crate::teams`]); `None` when no team is
    /// assigned.
    pub team: Option<Arc<str>>,
}

impl Task {
    /// The task's layer.
    pub fn layer(&self) -> Layer {
        self.template.layer
    }

    /// The task's severity in this design.
    pub fn severity(&self) -> Severity {
        self.severity
    }

    /// Open or in progress.
    pub fn is_remaining(&self) -> bool {
        self.status.is_remaining()
    }

    /// What a rule adds to the task, or why the design satisfies it, in words; empty when
    /// there is neither.
    pub fn explanation(&self) -> String {
        match (&self.by_design, self.detail.is_empty()) {
            (Some(reason), true) => format!("Done by design: {reason}"),
            (Some(reason), false) => format!("{} Done by design: {reason}", self.detail),
            (None, _) => self.detail.clone(),
        }
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

    /// The remaining tasks per severity in words, highest first, e.g. "2 critical, 1 low";
    /// "none" when nothing remains.
    pub fn remaining_in_words(&self) -> String {
        let parts: Vec<String> = Severity::ALL
            .iter()
            .rev()
            .filter(|&&s| self.remaining_by_severity[s as usize] > 0)
            .map(|&s| format!("{} {}", self.remaining_by_severity[s as usize], s.id()))
            .collect();
        if parts.is_empty() { "none".to_owned() } else { parts.join(", ") }
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
    /// The checklist: account tasks first (per account), then by node id (each node's service
    /// tasks, then the rules about it), then by flow id.
    pub tasks: Vec<Task>,
    /// Keys with a recorded state that no longer match any task. They stay in the file.
    pub orphaned: Vec<String>,
    /// The tasks about each node, by node index: a range of `tasks`.
    node_spans: Vec<Range<usize>>,
    /// What remains on each node, by node index (a flow's tasks count for both its ends).
    badges: Vec<Option<Badge>>,
}

/// What remains to do on one node: the badge the diagrams draw on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Badge {
    /// Remaining tasks about the node or a flow it is an end of.
    pub remaining: usize,
    /// The highest severity among them.
    pub worst: Severity,
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

    /// The task with `key`. A linear search: for one lookup, not for loops.
    pub fn task(&self, key: &str) -> Option<&Task> {
        self.tasks.iter().find(|task| task.key == key)
    }

    /// What remains on node `index`; `None` when nothing does.
    pub fn badge(&self, index: usize) -> Option<Badge> {
        self.badges.get(index).copied().flatten()
    }

    /// The indices in [`Derivation::tasks`] of the tasks about node `index`, as
    /// [`Derivation::node_tasks`] gives them.
    pub fn node_task_range(&self, index: usize) -> Range<usize> {
        self.node_spans.get(index).cloned().unwrap_or_default()
    }

    /// The tasks about node `index` (its service's tasks and the rules about it; not the tasks
    /// of flows it is an end of).
    pub fn node_tasks(&self, index: usize) -> &[Task] {
        self.node_spans.get(index).and_then(|span| self.tasks.get(span.clone())).unwrap_or(&[])
    }
}

/// Who owns each layer of a node of `service` in `variant` (the service's default when `None`).
pub fn node_owners(service: &Service, variant: Option<&str>) -> LayerOwners {
    service.owners_for(service.effective_variant(variant))
}

/// Derives ownership, the summary and the checklist of `project`, building its model view.
/// Pure: the same project and catalog always give the same result, in the same order.
pub fn derive(project: &Project, catalog: &'static Catalog) -> Derivation {
    derive_with_view(project, &ModelView::build(project), catalog)
}

/// [`derive`] with the project's model view already built (the app keeps one per revision).
///
/// The catalog lives as long as the process (the built-in one is static), so tasks borrow their
/// templates rather than counting references to them: at 10,000 services that is 70,000 atomic
/// increments and decrements saved per derivation.
pub fn derive_with_view(project: &Project, view: &ModelView, catalog: &'static Catalog) -> Derivation {
    let services: Vec<Option<&'static Service>> =
        project.nodes.iter().map(|node| catalog.service(&node.service)).collect();
    let mut derivation =
        Derivation { owners: Vec::with_capacity(project.nodes.len()), ..Derivation::default() };
    for (node, service) in project.nodes.iter().zip(&services) {
        let owners = service.map(|service| node_owners(service, node.variant.as_deref()));
        if let (Some(service), Some(owners)) = (service, &owners)
            && !service.is_actor()
        {
            derivation.summary.add(owners);
        }
        derivation.owners.push(owners);
    }

    let accounts = account_scopes(project, view, &services);
    let context = rules::Context { project, view, catalog, services: &services, owners: &derivation.owners };
    let findings = rules::evaluate(&context, &accounts);
    let mut builder = Builder::new(project, catalog, &services, &findings);
    builder.account_tasks(project, catalog, (view, &services), &accounts, &findings);
    builder.node_tasks(project, &services, &derivation.owners, &findings);
    builder.flow_tasks(project, &findings);
    let Builder { mut tasks, node_spans, .. } = builder;
    if !project.tasks.is_empty() {
        derivation.orphaned = apply_recorded(project, view, &mut tasks, &node_spans);
    }
    if !project.teams.is_empty() {
        assign_teams(project, view, &mut tasks);
    }
    derivation.badges = badges(&tasks, &node_spans, view);
    derivation.tasks = tasks;
    derivation.node_spans = node_spans;
    derivation
}

/// Gives every task its team: the one its recorded state names, else the one its layer is
/// assigned to where it is (see [`crate::teams`]).
fn assign_teams(project: &Project, view: &ModelView, tasks: &mut [Task]) {
    for task in tasks {
        let recorded = project.tasks.get(&task.key).and_then(|state| state.team.as_deref());
        let team =
            recorded.or_else(|| crate::teams::subject_team(project, view, &task.subject, task.layer()));
        task.team = team.map(Arc::from);
    }
}

impl Derivation {
    /// Keeps only the tasks `keep` accepts (one team's, for `--team`), with the node spans and
    /// badges recounted. `view` is the project's.
    pub fn retain_tasks(&mut self, view: &ModelView, keep: impl Fn(&Task) -> bool) {
        let kept: Vec<bool> = self.tasks.iter().map(&keep).collect();
        // before[i]: how many tasks before index i are kept.
        let mut before = Vec::with_capacity(kept.len() + 1);
        let mut count = 0;
        before.push(0);
        for &k in &kept {
            count += usize::from(k);
            before.push(count);
        }
        for span in &mut self.node_spans {
            *span = before[span.start]..before[span.end];
        }
        let mut flags = kept.into_iter();
        self.tasks.retain(|_| flags.next().unwrap_or(false));
        self.badges = badges(&self.tasks, &self.node_spans, view);
    }
}

/// Counts what remains per node, flows' tasks for both ends.
fn badges(tasks: &[Task], node_spans: &[Range<usize>], view: &ModelView) -> Vec<Option<Badge>> {
    let mut badges: Vec<Option<Badge>> = vec![None; node_spans.len()];
    let mut add = |node: usize, task: &Task| {
        let badge = badges[node].get_or_insert(Badge { remaining: 0, worst: Severity::Low });
        badge.remaining += 1;
        badge.worst = badge.worst.max(task.severity);
    };
    for (node, span) in node_spans.iter().enumerate() {
        for task in tasks[span.clone()].iter().filter(|t| t.is_remaining()) {
            add(node, task);
        }
    }
    for task in tasks.iter().filter(|t| t.is_remaining()) {
        if let Subject::Flow { flow, .. } = &task.subject
            && let Some((from, to)) = view.flow_index(flow).and_then(|f| view.flow_ends(f))
        {
            add(from, task);
            if to != from {
                add(to, task);
            }
        }
    }
    badges
}

/// The accounts of a design, in key order: the account of services drawn outside every account
/// boundary (`None`), when there are such services, then each account boundary that holds one,
/// by id (boundary indices). Actors belong to no account.
pub fn accounts(project: &Project, view: &ModelView, catalog: &Catalog) -> Vec<Option<usize>> {
    let services: Vec<Option<&Service>> = project.nodes.iter().map(|n| catalog.service(&n.service)).collect();
    account_scopes(project, view, &services)
}

fn account_scopes(project: &Project, view: &ModelView, services: &[Option<&Service>]) -> Vec<Option<usize>> {
    let mut implicit = false;
    let mut used = vec![false; project.boundaries.len()];
    for (i, service) in services.iter().enumerate() {
        if service.is_none_or(Service::is_actor) {
            continue;
        }
        match view.enclosing(i, BoundaryKind::Account) {
            Some(b) => used[b] = true,
            None => implicit = true,
        }
    }
    let mut scopes: Vec<Option<usize>> = (0..used.len()).filter(|&b| used[b]).map(Some).collect();
    scopes.sort_by(|a, b| {
        let id = |s: &Option<usize>| s.map(|b| project.boundaries[b].id.as_str());
        id(a).cmp(&id(b))
    });
    if implicit {
        scopes.insert(0, None);
    }
    scopes
}

/// Puts tasks together in checklist order, remembering where each node's are.
struct Builder {
    tasks: Vec<Task>,
    node_spans: Vec<Range<usize>>,
}

impl Builder {
    fn new(
        project: &Project,
        catalog: &Catalog,
        services: &[Option<&Service>],
        findings: &rules::Findings,
    ) -> Self {
        // Room for every template of every node, so the list is not copied as it grows.
        let capacity = catalog.account_tasks.len()
            + findings.len()
            + services.iter().flatten().map(|s| s.tasks.len()).sum::<usize>();
        Self { tasks: Vec::with_capacity(capacity), node_spans: vec![0..0; project.nodes.len()] }
    }

    fn account_tasks(
        &mut self,
        project: &Project,
        catalog: &'static Catalog,
        (view, services): (&ModelView, &[Option<&'static Service>]),
        accounts: &[Option<usize>],
        findings: &rules::Findings,
    ) {
        for &scope in accounts {
            let account_id = scope.map(|b| project.boundaries[b].id.as_str());
            let subject = Subject::Account(account_id.map(Arc::from));
            // The services drawn in this account: an account task with `services` needs one.
            let drawn: std::collections::BTreeSet<&str> = services
                .iter()
                .enumerate()
                .filter(|(i, _)| view.enclosing(*i, BoundaryKind::Account) == scope)
                .filter_map(|(_, service)| service.map(|s| s.id.as_str()))
                .collect();
            for template in &catalog.account_tasks {
                if !template.applies_to_account(drawn.iter().copied()) {
                    continue;
                }
                let key = TaskKey::Account { template: &template.id, account: account_id }.build();
                self.tasks.push(Task::new(key, template, Origin::Account, subject.clone()));
            }
            for finding in findings.about_account(scope) {
                let key = TaskKey::Rule { rule: &finding.rule.id, subject: account_id }.build();
                self.tasks.push(finding.to_task(key, subject.clone()));
            }
        }
    }

    fn node_tasks(
        &mut self,
        project: &Project,
        services: &[Option<&'static Service>],
        owners: &[Option<LayerOwners>],
        findings: &rules::Findings,
    ) {
        // Nodes in id order, so the checklist does not depend on the order of the node list.
        // Saved files are already in that order, so check before sorting.
        let mut order: Vec<usize> = (0..project.nodes.len()).collect();
        if !project.nodes.is_sorted_by(|a, b| a.id <= b.id) {
            order.sort_unstable_by(|&a, &b| project.nodes[a].id.cmp(&project.nodes[b].id));
        }
        for index in order {
            let node = &project.nodes[index];
            let start = self.tasks.len();
            let subject = Subject::Node(Arc::from(node.id.as_str()));
            if let (Some(service), Some(owners)) = (services[index], owners[index]) {
                let variant = service.effective_variant(node.variant.as_deref());
                for template in &service.tasks {
                    if Service::template_applies(template, variant)
                        && owners.get(template.layer).involves_customer()
                    {
                        let key =
                            TaskKey::Service { node: &node.id, service: &service.id, template: &template.id }
                                .build();
                        let mut task = Task::new(key, template, Origin::Service, subject.clone());
                        findings.annotate(index, &mut task);
                        self.tasks.push(task);
                    }
                }
            }
            for finding in findings.about_node(index) {
                let key = TaskKey::Rule { rule: &finding.rule.id, subject: Some(&node.id) }.build();
                self.tasks.push(finding.to_task(key, subject.clone()));
            }
            self.node_spans[index] = start..self.tasks.len();
        }
    }

    fn flow_tasks(&mut self, project: &Project, findings: &rules::Findings) {
        let mut about_flows: Vec<&rules::Finding> = findings.about_flows().collect();
        if !project.flows.is_sorted_by(|a, b| a.id <= b.id) {
            about_flows.sort_by_key(|f| f.flow.map(|i| project.flows[i].id.as_str()));
        }
        for finding in about_flows {
            let Some(flow) = finding.flow.and_then(|i| project.flows.get(i)) else { continue };
            let subject = Subject::Flow {
                flow: Arc::from(flow.id.as_str()),
                from: Arc::from(flow.from.as_str()),
                to: Arc::from(flow.to.as_str()),
            };
            let key = TaskKey::Rule { rule: &finding.rule.id, subject: Some(&flow.id) }.build();
            self.tasks.push(finding.to_task(key, subject));
        }
    }
}

impl Task {
    fn new(key: String, template: &'static TaskTemplate, origin: Origin, subject: Subject) -> Self {
        Self {
            key,
            template,
            origin,
            subject,
            detail: String::new(),
            severity: template.severity,
            status: TaskStatus::Open,
            by_design: None,
            team: None,
        }
    }
}

/// Gives every task its recorded status and returns the recorded keys that match no task. A
/// node's tasks are found through its span, and within it by template id (which lives in the
/// catalog, already in cache), so the cost is one id lookup and a few short comparisons per
/// recorded state: comparing whole keys would touch a separate heap string per candidate task,
/// and that dominated the derivation at 10,000 nodes. A task the design satisfies is done unless
/// a status is recorded.
fn apply_recorded(
    project: &Project,
    view: &ModelView,
    tasks: &mut [Task],
    node_spans: &[Range<usize>],
) -> Vec<String> {
    // Account and rule tasks are few: look them up by key.
    let mut by_key: IdMap<'_, usize> = IdMap::default();
    for (i, task) in tasks.iter().enumerate() {
        if task.origin != Origin::Service {
            by_key.insert(task.key.as_str(), i);
        }
    }
    let mut updates = Vec::new();
    let mut orphaned = Vec::new();
    for (key, state) in &project.tasks {
        let found = match TaskKey::parse(key) {
            Some(TaskKey::Service { node, service, template }) => view.node_index(node).and_then(|n| {
                let span = node_spans.get(n)?.clone();
                (project.nodes[n].service == service).then(|| {
                    span.into_iter()
                        .find(|&t| tasks[t].template.id == template && tasks[t].origin == Origin::Service)
                })?
            }),
            Some(_) => by_key.get(key.as_str()).copied(),
            None => None,
        };
        match found {
            Some(task) => updates.push((task, state.status)),
            None => orphaned.push(key.clone()),
        }
    }
    for (task, status) in updates {
        tasks[task].status = status;
    }
    orphaned
}

#[cfg(test)]
mod tests;
