//! The graph rules: tasks that come from how services are connected and grouped rather than
//! from one service alone. Each rule's title, layer and base severity are in the catalog's
//! `rule_tasks`; which services count as what comes from the catalog's traits; this module
//! decides where a finding lands, and docs/rules.md explains every rule.
//!
//! Exposure starts at the entry points: the `internet` and `users` actors (trait
//! `untrusted_source`) and every node marked internet-facing. From an actor, flows are followed
//! through web filters (WAF attaches to what it protects and ends nothing); the first other node
//! reached is where the finding lands, because that is where the fix belongs:
//!
//! - `exposed_compute`: compute reached with no front door (load balancer, CloudFront, API
//!   Gateway, AppSync) in front of it;
//! - `exposed_data_store`: a data store reached directly (unless its data is public);
//! - `front_door_without_waf`: a front door reached from the internet with no web filter
//!   attached; a drawn WAF that feeds it satisfies its service's own WAF task instead;
//! - access points (WorkSpaces, Client VPN, Session Manager) authenticate and end a path.
//!
//! Then `unencrypted_public_flow` / `unencrypted_boundary_flow` (a plaintext flow touching the
//! internet or users / leaving for on-premises or crossing a trust boundary),
//! `sensitive_data_at_rest` (severity from who owns encryption at rest) and `no_cloudtrail`
//! (per account). A rule whose concern a service already has a task for (the template says
//! `fulfils: "<rule>"`) adds to that task instead of raising a second one.

use std::collections::VecDeque;

use super::{Subject, Task};
use crate::catalog::{Catalog, Service, Severity, TaskTemplate, Trait};
use crate::model::{DataClass, Project};
use crate::protocol::InTransit;
use crate::responsibility::{Layer, LayerOwners, Owner};
use crate::view::ModelView;

/// Every rule this build knows; the catalog must describe exactly these (its validation checks
/// both ways), so a rule can neither be silently off nor described but never run.
pub const RULE_IDS: &[&str] = &[
    "exposed_compute",
    "exposed_data_store",
    "front_door_without_waf",
    "unencrypted_public_flow",
    "unencrypted_boundary_flow",
    "sensitive_data_at_rest",
    "no_cloudtrail",
];

/// What the rules read.
pub(super) struct Context<'a> {
    pub project: &'a Project,
    pub view: &'a ModelView,
    pub catalog: &'static Catalog,
    pub services: &'a [Option<&'static Service>],
    pub owners: &'a [Option<LayerOwners>],
}

impl Context<'_> {
    fn has(&self, node: usize, t: Trait) -> bool {
        let node_variant = self.project.nodes[node].variant.as_deref();
        self.services[node].is_some_and(|s| s.has_trait(t, node_variant))
    }

    fn name(&self, node: usize) -> &str {
        self.project.nodes[node].display_name()
    }

    fn path(&self, path: &[usize]) -> String {
        path.iter().map(|&i| self.name(i)).collect::<Vec<_>>().join(" → ")
    }

    /// The names of the services with `t`, for advice that stays true as the catalog grows.
    fn services_with(&self, t: Trait) -> String {
        let names: Vec<&str> =
            self.catalog.services.iter().filter(|s| s.traits.contains(&t)).map(|s| s.name.as_str()).collect();
        names.join(", ")
    }
}

/// Where a rule fired.
pub(super) struct Finding {
    pub rule: &'static TaskTemplate,
    /// The node it is about, by index in `Project::nodes`.
    pub node: Option<usize>,
    /// The flow it is about, by index in `Project::flows`.
    pub flow: Option<usize>,
    /// The account it is about: `Some(None)` for the account outside every account boundary.
    pub account: Option<Option<usize>>,
    /// Why, in words.
    pub detail: String,
    /// How much it matters here.
    pub severity: Severity,
    /// The design shows it done, and why: for a finding that lands on a service's task.
    pub by_design: Option<String>,
}

impl Finding {
    fn on_node(rule: &'static TaskTemplate, node: usize, detail: String) -> Self {
        Self {
            rule,
            node: Some(node),
            flow: None,
            account: None,
            detail,
            severity: rule.severity,
            by_design: None,
        }
    }

    pub fn to_task(&self, key: String, subject: Subject) -> Task {
        let mut task = Task::new(key, self.rule, super::Origin::Rule, subject);
        task.detail.clone_from(&self.detail);
        task.severity = self.severity;
        task
    }
}

/// The findings of one derivation, with where each lands.
pub(super) struct Findings {
    all: Vec<Finding>,
    /// Per node: the indices in `all` of the findings about it.
    per_node: Vec<Vec<usize>>,
    /// Per node: the findings that land on one of its service's tasks (the template fulfils the
    /// rule), so they are not tasks of their own.
    deferred: Vec<bool>,
}

impl Findings {
    pub fn len(&self) -> usize {
        self.all.len()
    }

    pub fn about_account(&self, scope: Option<usize>) -> impl Iterator<Item = &Finding> {
        self.all.iter().filter(move |f| f.account == Some(scope))
    }

    /// The findings about node `i` that are tasks of their own.
    pub fn about_node(&self, node: usize) -> impl Iterator<Item = &Finding> {
        self.per_node.get(node).into_iter().flatten().filter(|&&f| !self.deferred[f]).map(|&f| &self.all[f])
    }

    pub fn about_flows(&self) -> impl Iterator<Item = &Finding> {
        self.all.iter().filter(|f| f.flow.is_some())
    }

    /// Adds what the rules found about node `i` to its service task `task`, when the task's
    /// template fulfils one of those rules.
    pub fn annotate(&self, node: usize, task: &mut Task) {
        let Some(rule) = task.template.fulfils.as_deref() else { return };
        let Some(findings) = self.per_node.get(node) else { return };
        for finding in findings.iter().map(|&f| &self.all[f]).filter(|f| f.rule.id == rule) {
            if !finding.detail.is_empty() {
                task.detail.clone_from(&finding.detail);
            }
            task.severity = task.severity.max(finding.severity);
            if let Some(reason) = &finding.by_design {
                task.by_design = Some(reason.clone());
                task.status = crate::model::TaskStatus::Done;
            }
        }
    }
}

/// Runs every rule whose template the catalog has.
pub(super) fn evaluate(context: &Context<'_>, accounts: &[Option<usize>]) -> Findings {
    let rule = |id: &str| context.catalog.rule_tasks.iter().find(|t| t.id == id);
    let mut all = Vec::new();
    exposure(context, &rule, &mut all);
    plaintext_flows(context, &rule, &mut all);
    if let Some(rule) = rule("sensitive_data_at_rest") {
        sensitive_data(context, rule, &mut all);
    }
    if let Some(rule) = rule("no_cloudtrail") {
        no_cloudtrail(context, rule, accounts, &mut all);
    }
    let nodes = context.project.nodes.len();
    let mut per_node = vec![Vec::new(); nodes];
    for (i, finding) in all.iter().enumerate() {
        if let Some(node) = finding.node {
            per_node[node].push(i);
        }
    }
    // A finding defers to the node's service task that fulfils its rule, when there is one.
    let mut deferred = vec![false; all.len()];
    for (i, finding) in all.iter().enumerate() {
        let Some(node) = finding.node else { continue };
        let Some(service) = context.services[node] else { continue };
        let variant = service.effective_variant(context.project.nodes[node].variant.as_deref());
        let owners = context.owners[node];
        deferred[i] = service.tasks.iter().any(|t| {
            t.fulfils.as_deref() == Some(finding.rule.id.as_str())
                && Service::template_applies(t, variant)
                && owners.is_some_and(|o| o.get(t.layer).involves_customer())
        });
    }
    // A satisfied finding that has no task to land on is not a task at all.
    for (i, finding) in all.iter().enumerate() {
        if finding.by_design.is_some() && !deferred[i] {
            deferred[i] = true;
        }
    }
    Findings { all, per_node, deferred }
}

/// What the first node reached on a path from an entry point is, for the exposure rules.
enum Landing {
    Compute,
    DataStore,
    FrontDoor,
    /// An access point, a managed API behind IAM, or anything else that ends the path.
    Nothing,
}

fn landing(context: &Context<'_>, node: usize) -> Landing {
    if context.has(node, Trait::AccessPoint) {
        Landing::Nothing
    } else if context.has(node, Trait::FrontDoor) {
        Landing::FrontDoor
    } else if context.has(node, Trait::DataStore) {
        Landing::DataStore
    } else if context.has(node, Trait::Compute) {
        Landing::Compute
    } else {
        Landing::Nothing
    }
}

/// The exposure rules: from every entry point, the first node past any web filters.
fn exposure(
    context: &Context<'_>,
    rule: &dyn Fn(&str) -> Option<&'static TaskTemplate>,
    findings: &mut Vec<Finding>,
) {
    let project = context.project;
    let mut landed: Vec<Option<Vec<usize>>> = vec![None; project.nodes.len()];
    // Entry points in id order, so the path reported is the same whatever the list order.
    let mut entries: Vec<usize> = (0..project.nodes.len())
        .filter(|&i| context.has(i, Trait::UntrustedSource) || project.nodes[i].internet_facing)
        .collect();
    entries.sort_by(|&a, &b| project.nodes[a].id.cmp(&project.nodes[b].id));
    for &entry in &entries {
        if context.has(entry, Trait::UntrustedSource) {
            first_nodes_from(context, entry, &mut landed);
        } else if landed[entry].is_none() && !context.has(entry, Trait::WebFilter) {
            landed[entry] = Some(vec![entry]);
        }
    }
    for (node, path) in landed.iter().enumerate() {
        let Some(path) = path else { continue };
        let reached = if path.len() == 1 {
            format!("{} is marked internet-facing.", context.name(node))
        } else {
            format!("Reached from outside: {}.", context.path(path))
        };
        match landing(context, node) {
            Landing::Compute => {
                if let Some(rule) = rule("exposed_compute") {
                    let doors = context.services_with(Trait::FrontDoor);
                    let detail = format!(
                        "{reached} Put one of {doors} in front of it and keep it in private subnets, or cut the path."
                    );
                    findings.push(Finding::on_node(rule, node, detail));
                }
            }
            Landing::DataStore if project.nodes[node].data != DataClass::Public => {
                if let Some(rule) = rule("exposed_data_store") {
                    let advice = context.services[node].and_then(|s| s.exposure_advice.as_deref()).unwrap_or(
                        "Make it private: no public endpoint or address, reached only from your own services.",
                    );
                    let mut finding = Finding::on_node(rule, node, format!("{reached} {advice}"));
                    if project.nodes[node].data.is_sensitive() {
                        finding.severity = Severity::Critical;
                    }
                    findings.push(finding);
                }
            }
            Landing::FrontDoor => front_door(context, rule, node, &reached, findings),
            Landing::DataStore | Landing::Nothing => {}
        }
    }
}

/// Breadth-first from an actor, through web filters only, recording for each first node the
/// path that reached it.
fn first_nodes_from(context: &Context<'_>, entry: usize, landed: &mut [Option<Vec<usize>>]) {
    let mut came_from: Vec<Option<usize>> = vec![None; landed.len()];
    let mut seen = vec![false; landed.len()];
    seen[entry] = true;
    let mut queue = VecDeque::from([entry]);
    while let Some(current) = queue.pop_front() {
        for (_, next) in context.view.outgoing(current) {
            if seen[next] {
                continue;
            }
            seen[next] = true;
            came_from[next] = Some(current);
            if context.has(next, Trait::WebFilter) {
                queue.push_back(next);
            } else if landed[next].is_none() && !context.has(next, Trait::UntrustedSource) {
                let mut path = vec![next];
                let mut at = next;
                while let Some(previous) = came_from[at] {
                    path.push(previous);
                    at = previous;
                }
                path.reverse();
                landed[next] = Some(path);
            }
        }
    }
}

/// A front door reached from outside: satisfied when a web filter is attached (a flow between
/// them either way), a finding otherwise.
fn front_door(
    context: &Context<'_>,
    rule: &dyn Fn(&str) -> Option<&'static TaskTemplate>,
    node: usize,
    reached: &str,
    findings: &mut Vec<Finding>,
) {
    let Some(rule) = rule("front_door_without_waf") else { return };
    let view = context.view;
    let filter = view
        .incoming(node)
        .chain(view.outgoing(node))
        .map(|(_, other)| other)
        .filter(|&other| context.has(other, Trait::WebFilter))
        .min_by(|&a, &b| context.project.nodes[a].id.cmp(&context.project.nodes[b].id));
    let mut finding = match filter {
        Some(filter) => {
            let mut finding = Finding::on_node(rule, node, String::new());
            finding.by_design = Some(format!("{} is attached in the design.", context.name(filter)));
            finding
        }
        None => Finding::on_node(
            rule,
            node,
            format!(
                "{reached} No web filter ({}) is attached to it.",
                context.services_with(Trait::WebFilter)
            ),
        ),
    };
    finding.severity = rule.severity;
    findings.push(finding);
}

/// Plaintext flows that touch the internet or users, leave for on-premises, or cross a trust
/// boundary (an account, Region, VPC or generic boundary).
fn plaintext_flows(
    context: &Context<'_>,
    rule: &dyn Fn(&str) -> Option<&'static TaskTemplate>,
    findings: &mut Vec<Finding>,
) {
    let (public, boundary) = (rule("unencrypted_public_flow"), rule("unencrypted_boundary_flow"));
    let view = context.view;
    for (i, flow) in context.project.flows.iter().enumerate() {
        if view.in_transit(i) != InTransit::Plaintext {
            continue;
        }
        let Some((from, to)) = view.flow_ends(i) else { continue };
        let ends = context.path(&[from, to]);
        let protocol = if flow.protocol.trim().is_empty() {
            "marked unencrypted".to_owned()
        } else {
            flow.protocol.trim().to_owned()
        };
        let outside = [from, to].into_iter().find(|&n| context.has(n, Trait::UntrustedSource));
        let on_premises = [from, to].into_iter().find(|&n| context.has(n, Trait::OnPremises));
        let (rule, why) = if let Some(outside) = outside {
            (public, format!("touches {}", context.name(outside)))
        } else if let Some(site) = on_premises {
            (boundary, format!("leaves AWS for {}", context.name(site)))
        } else if view.trust_zone(from) != view.trust_zone(to) {
            (boundary, "crosses an account, Region, VPC or trust boundary".to_owned())
        } else {
            continue;
        };
        if let Some(rule) = rule {
            findings.push(Finding {
                rule,
                node: None,
                flow: Some(i),
                account: None,
                detail: format!("{ends} ({protocol}) is not encrypted and {why}."),
                severity: rule.severity,
                by_design: None,
            });
        }
    }
}

/// Confidential or restricted data on a service whose encryption at rest the customer has a
/// say in: critical where it is the customer's to turn on, medium where AWS encrypts by default
/// and the open question is whose key.
fn sensitive_data(context: &Context<'_>, rule: &'static TaskTemplate, findings: &mut Vec<Finding>) {
    for (i, node) in context.project.nodes.iter().enumerate() {
        let Some(owners) = context.owners[i] else { continue };
        if !node.data.is_sensitive() {
            continue;
        }
        let (severity, advice) = match owners.get(Layer::EncryptionAtRest) {
            Owner::Customer => (
                Severity::Critical,
                "Encryption at rest is yours to turn on here: encrypt it with a KMS key and restrict the key policy.",
            ),
            Owner::Shared => (
                Severity::Medium,
                "AWS encrypts it at rest by default; use a customer managed KMS key and scope its key policy to the roles that need the data.",
            ),
            Owner::Aws | Owner::NotApplicable => continue,
        };
        let detail = format!("{} holds {} data. {advice}", node.display_name(), node.data.id());
        let mut finding = Finding::on_node(rule, i, detail);
        finding.severity = severity;
        findings.push(finding);
    }
}

/// An account with AWS services on the diagram but no audit trail in it.
fn no_cloudtrail(
    context: &Context<'_>,
    rule: &'static TaskTemplate,
    accounts: &[Option<usize>],
    findings: &mut Vec<Finding>,
) {
    let view = context.view;
    let account_of = |node: usize| view.enclosing(node, crate::model::BoundaryKind::Account);
    for &scope in accounts {
        let has_trail = (0..context.project.nodes.len())
            .any(|i| context.has(i, Trait::AuditTrail) && account_of(i) == scope);
        if has_trail {
            continue;
        }
        let place = scope.map_or_else(
            || "No CloudTrail trail is on the diagram.".to_owned(),
            |b| format!("No CloudTrail trail is drawn in {}.", context.project.boundaries[b].display_name()),
        );
        findings.push(Finding {
            rule,
            node: None,
            flow: None,
            account: Some(scope),
            detail: format!("{place} If an organization trail records this account, mark this task not applicable and say so."),
            severity: rule.severity,
            by_design: None,
        });
    }
}
