//! The graph rules: tasks that come from how services are connected and grouped rather than
//! from one service alone. Each rule's title, layer and severity are in the catalog's
//! `rule_tasks`; this module decides where they fire.
//!
//! - `exposed_data_store`: a data store reachable from the internet or users (or marked
//!   internet-facing) along flows that pass no WAF, API Gateway, load balancer or CloudFront.
//! - `unencrypted_public_flow`: an unencrypted flow that touches the internet or users.
//! - `unencrypted_boundary_flow`: an unencrypted flow whose ends sit in different VPCs or
//!   accounts.
//! - `sensitive_data_at_rest`: a confidential or restricted node on a service whose encryption
//!   at rest is the customer's or shared.
//! - `no_cloudtrail`: AWS services on the diagram, but no CloudTrail.

use super::{Origin, Subject, Task};
use crate::catalog::{Catalog, Service, TaskTemplate, Trait};
use crate::graph::{Enclosures, IdIndex, ProjectGraph};
use crate::model::{Project, TaskStatus};
use crate::responsibility::{Layer, LayerOwners};

/// Where a rule fired.
pub(super) struct Finding {
    pub rule: &'static TaskTemplate,
    /// The node it is about, by index in `Project::nodes`.
    pub node: Option<usize>,
    /// The flow it is about, by index in `Project::flows`.
    pub flow: Option<usize>,
    /// Why, in words.
    pub detail: String,
}

impl Finding {
    /// The id the key is built from.
    pub fn subject_id<'a>(&self, project: &'a Project) -> &'a str {
        match (self.node, self.flow) {
            (Some(node), _) => &project.nodes[node].id,
            (None, Some(flow)) => &project.flows[flow].id,
            (None, None) => "",
        }
    }

    pub fn to_task(&self, subject: Subject, subject_id: &str) -> Task {
        let key = if subject_id.is_empty() {
            format!("rule/{}", self.rule.id)
        } else {
            format!("rule/{}/{subject_id}", self.rule.id)
        };
        Task {
            key,
            template: self.rule,
            origin: Origin::Rule,
            subject,
            detail: self.detail.clone(),
            status: TaskStatus::Open,
        }
    }
}

/// Runs every rule whose template the catalog has.
pub(super) fn evaluate(
    project: &Project,
    catalog: &'static Catalog,
    index: &IdIndex<'_>,
    services: &[Option<&Service>],
    owners: &[Option<LayerOwners>],
) -> Vec<Finding> {
    let rule = |id: &str| catalog.rule_tasks.iter().find(|t| t.id == id);
    let has = |index: usize, t: Trait| services[index].is_some_and(|s| s.has(t));
    let mut findings = Vec::new();

    if let Some(rule) = rule("exposed_data_store") {
        exposed_data_stores(project, index, services, rule, &mut findings);
    }

    let public = rule("unencrypted_public_flow");
    let boundary = rule("unencrypted_boundary_flow");
    if public.is_some() || boundary.is_some() {
        let enclosures = Enclosures::of(project, index);
        for (flow_index, flow) in project.flows.iter().enumerate() {
            if !crate::protocol::is_plaintext(flow) {
                continue;
            }
            let Some((from, to)) = index.ends(&flow.from, &flow.to) else { continue };
            let ends =
                format!("{} → {}", project.nodes[from].display_name(), project.nodes[to].display_name());
            let untrusted = [from, to].into_iter().find(|&i| has(i, Trait::UntrustedSource));
            if let (Some(rule), Some(outside)) = (&public, untrusted) {
                findings.push(Finding {
                    rule,
                    node: None,
                    flow: Some(flow_index),
                    detail: format!(
                        "{ends} is not encrypted and touches {}.",
                        project.nodes[outside].display_name()
                    ),
                });
            } else if let Some(rule) = boundary.as_ref().filter(|_| enclosures.differ(from, to)) {
                findings.push(Finding {
                    rule,
                    node: None,
                    flow: Some(flow_index),
                    detail: format!("{ends} is not encrypted and crosses a VPC or account boundary."),
                });
            }
        }
    }

    if let Some(rule) = rule("sensitive_data_at_rest") {
        for (index, node) in project.nodes.iter().enumerate() {
            let Some(node_owners) = owners[index] else { continue };
            if node.data.is_sensitive() && node_owners.get(Layer::EncryptionAtRest).involves_customer() {
                findings.push(Finding {
                    rule,
                    node: Some(index),
                    flow: None,
                    detail: format!(
                        "{} holds {} data and encryption at rest is {} on this service.",
                        node.display_name(),
                        node.data.id(),
                        node_owners.get(Layer::EncryptionAtRest).name().to_lowercase()
                    ),
                });
            }
        }
    }

    if let Some(rule) = rule("no_cloudtrail") {
        let any_aws_service = services.iter().flatten().any(|service| !service.is_actor());
        let any_trail = (0..project.nodes.len()).any(|i| has(i, Trait::AuditTrail));
        if any_aws_service && !any_trail {
            findings.push(Finding {
                rule,
                node: None,
                flow: None,
                detail: "No CloudTrail node is on the diagram.".to_owned(),
            });
        }
    }
    findings
}

/// Rule (a): data stores reachable from untrusted sources without passing a front door.
fn exposed_data_stores(
    project: &Project,
    index: &IdIndex<'_>,
    services: &[Option<&Service>],
    rule: &'static TaskTemplate,
    findings: &mut Vec<Finding>,
) {
    let has = |index: usize, t: Trait| services[index].is_some_and(|s| s.has(t));
    // Sources: the internet and users, and any node marked internet-facing that is not itself a
    // front door (a public load balancer is the point of one).
    let sources: Vec<usize> = (0..project.nodes.len())
        .filter(|&i| {
            has(i, Trait::UntrustedSource) || (project.nodes[i].internet_facing && !has(i, Trait::FrontDoor))
        })
        .collect();
    if sources.is_empty() {
        return;
    }
    let graph = ProjectGraph::build(project, index);
    let reached = graph.reach_from(&sources, |i| has(i, Trait::FrontDoor));
    let stores: Vec<usize> =
        (0..reached.len()).filter(|&i| reached[i].is_some() && has(i, Trait::DataStore)).collect();
    for store in stores {
        // Walk back to the source for a readable path.
        let mut path = vec![store];
        let mut current = store;
        while let Some(Some(Some(previous))) = reached.get(current).copied() {
            if path.len() > project.nodes.len() {
                break;
            }
            path.push(previous);
            current = previous;
        }
        path.reverse();
        let names: Vec<&str> = path.iter().map(|&i| project.nodes[i].display_name()).collect();
        let detail = if path.len() == 1 {
            format!("{} is marked internet-facing.", names[0])
        } else {
            format!(
                "Reachable with no WAF, API Gateway, load balancer or CloudFront in between: {}.",
                names.join(" → ")
            )
        };
        findings.push(Finding { rule, node: Some(store), flow: None, detail });
    }
}
