//! Flows between nodes: from references (the resource that uses another → the one it uses),
//! from link resources (event source mappings, subscriptions...) and from security-group
//! rules (members of one group → members of the other).

use std::collections::HashMap;

use serde_json::Value;

use super::Ctx;
use super::roles::Role;
use crate::import::cond::{number, segments};
use crate::import::source::Reference;
use crate::import::types::{Direction, Incoming, SecurityGroupRule};
use crate::model::BoundaryKind;

/// The most flows an import makes; more are dropped with a warning.
pub(super) const MAX_FLOWS: usize = 200_000;

/// A flow between two nodes, by resource index.
#[derive(Clone, Debug)]
pub(super) struct Draft {
    pub from: usize,
    pub to: usize,
    pub protocol: String,
    pub encrypted: bool,
    pub label: String,
}

/// The flows found so far, one per ordered pair of nodes.
#[derive(Default)]
pub(super) struct Flows {
    pub drafts: Vec<Draft>,
    by_pair: HashMap<(usize, usize), usize>,
    /// Whether [`MAX_FLOWS`] was reached.
    pub capped: bool,
}

impl Flows {
    /// Adds a flow, or merges what it says into the flow between the same nodes: the first
    /// protocol and label stay, and it is encrypted only if every source says so.
    fn add(&mut self, from: usize, to: usize, protocol: Option<&(String, bool)>, label: &str) {
        if from == to {
            return;
        }
        if let Some(&at) = self.by_pair.get(&(from, to)) {
            let draft = &mut self.drafts[at];
            if let Some((name, encrypted)) = protocol {
                if draft.protocol.is_empty() {
                    draft.protocol.clone_from(name);
                }
                draft.encrypted &= *encrypted;
            }
            if draft.label.is_empty() {
                label.clone_into(&mut draft.label);
            }
            return;
        }
        if self.drafts.len() >= MAX_FLOWS {
            self.capped = true;
            return;
        }
        self.by_pair.insert((from, to), self.drafts.len());
        self.drafts.push(Draft {
            from,
            to,
            protocol: protocol.map(|(name, _)| name.clone()).unwrap_or_default(),
            encrypted: protocol.is_none_or(|(_, encrypted)| *encrypted),
            label: label.to_owned(),
        });
    }
}

/// What the flow pass reports besides the flows.
#[derive(Default)]
pub(super) struct FlowNotes {
    /// "EventSourceMapping X became the flow A → B".
    pub linked: Vec<String>,
    /// Link resources whose ends are not both nodes: `(id, type)`.
    pub unlinked: Vec<(String, String)>,
    /// The same, when the rule says why that is expected: `"id (type): reason"`.
    pub skipped: Vec<String>,
}

/// Every flow of the source.
pub(super) fn build(ctx: &Ctx<'_>, members: &HashMap<usize, Vec<usize>>) -> (Flows, FlowNotes) {
    let mut flows = Flows::default();
    let mut notes = FlowNotes::default();
    reference_flows(ctx, &mut flows);
    link_flows(ctx, &mut flows, &mut notes);
    security_group_flows(ctx, members, &mut flows);
    (flows, notes)
}

/// The nodes a resource belongs to (itself, or the nodes it folds into).
fn node_owners(ctx: &Ctx<'_>, i: usize) -> Vec<usize> {
    match ctx.roles.role[i] {
        Role::Node | Role::Fold(_) => {
            ctx.roles.owners[i].iter().copied().filter(|&o| ctx.roles.role[o] == Role::Node).collect()
        }
        _ => Vec::new(),
    }
}

fn protocol_of(ctx: &Ctx<'_>, i: usize) -> Option<(String, bool)> {
    let rule = ctx.rules[i]?;
    let props = &ctx.resources[i].props;
    rule.protocol.iter().find(|choice| choice.when.holds(props)).map(|c| (c.protocol.clone(), c.encrypted))
}

/// A short label for a flow from a reference: the event name for SAM events, else the last key
/// of the property path (`UserData`, `TABLE_NAME`, `TargetGroupARNs`).
fn label_of(reference: &Reference) -> String {
    match reference.path.first().map(String::as_str) {
        Some("DependsOn" | "depends_on") => "depends on".to_owned(),
        Some("Events") => {
            reference.path.get(1).map_or_else(|| "event".to_owned(), |name| format!("{name} event"))
        }
        Some(_) => reference.last_key().to_owned(),
        None => String::new(),
    }
}

fn reference_flows(ctx: &Ctx<'_>, flows: &mut Flows) {
    for (r, resource) in ctx.resources.iter().enumerate() {
        let from_nodes = node_owners(ctx, r);
        if from_nodes.is_empty() {
            continue;
        }
        let rule = ctx.rules[r];
        for reference in &resource.refs {
            if rule.is_some_and(|rule| rule.ignore.iter().any(|p| reference.is_under(p))) {
                continue;
            }
            let Some(&t) = ctx.index.get(reference.target.as_str()) else { continue };
            let to_nodes = node_owners(ctx, t);
            if to_nodes.is_empty() {
                continue;
            }
            let incoming = ctx.rules[t].map_or(Incoming::Flow, |rule| rule.incoming);
            if incoming == Incoming::Ignore {
                continue;
            }
            let reversed_here = rule.is_some_and(|rule| rule.reverse.iter().any(|p| reference.is_under(p)));
            let reverse = incoming == Incoming::Reverse || reversed_here;
            // The protocol is the receiving end's: the referenced resource (a target group speaks
            // for its targets), or the referrer when the path says the flow comes to it.
            let protocol = if reversed_here {
                protocol_of(ctx, r).or_else(|| protocol_of(ctx, t))
            } else {
                protocol_of(ctx, t).or_else(|| {
                    if matches!(ctx.roles.role[r], Role::Fold(_)) { protocol_of(ctx, r) } else { None }
                })
            };
            let label = label_of(reference);
            for &a in &from_nodes {
                for &b in &to_nodes {
                    let (from, to) = if reverse { (b, a) } else { (a, b) };
                    flows.add(from, to, protocol.as_ref(), &label);
                }
            }
        }
    }
}

fn link_flows(ctx: &Ctx<'_>, flows: &mut Flows, notes: &mut FlowNotes) {
    for (r, resource) in ctx.resources.iter().enumerate() {
        if ctx.roles.role[r] != Role::Link {
            continue;
        }
        let Some(link) = ctx.rules[r].and_then(|rule| rule.link.as_ref()) else { continue };
        let ends = |path: &str| -> (Vec<usize>, Option<usize>) {
            let mut nodes = Vec::new();
            let mut first = None;
            for reference in resource.refs.iter().filter(|rf| rf.is_under(path)) {
                if let Some(&t) = ctx.index.get(reference.target.as_str()) {
                    first = first.or(Some(t));
                    for node in node_owners(ctx, t) {
                        if !nodes.contains(&node) {
                            nodes.push(node);
                        }
                    }
                }
            }
            (nodes, first)
        };
        let (from_nodes, from_target) = ends(&link.from);
        let (to_nodes, to_target) = ends(&link.to);
        if from_nodes.is_empty() || to_nodes.is_empty() {
            match ctx.rules[r].and_then(|rule| rule.orphan.as_ref()) {
                Some(reason) => {
                    notes.skipped.push(format!("{} ({}): {reason}", resource.id, resource.resource_type));
                }
                None => notes.unlinked.push((resource.id.clone(), resource.resource_type.clone())),
            }
            continue;
        }
        let protocol = protocol_of(ctx, r)
            .or_else(|| from_target.and_then(|t| protocol_of(ctx, t)))
            .or_else(|| to_target.and_then(|t| protocol_of(ctx, t)));
        let label = resource.short_type().to_owned();
        let mut pairs = Vec::new();
        for &a in &from_nodes {
            for &b in &to_nodes {
                if a != b {
                    flows.add(a, b, protocol.as_ref(), &label);
                    pairs.push(format!("{} → {}", ctx.resources[a].id, ctx.resources[b].id));
                }
            }
        }
        notes.linked.push(format!("{} became the flow {}", resource.described(), pairs.join(", ")));
    }
}

fn security_group_flows(ctx: &Ctx<'_>, members: &HashMap<usize, Vec<usize>>, flows: &mut Flows) {
    let is_group = |i: usize| ctx.roles.role[i] == Role::Boundary(BoundaryKind::SecurityGroup);
    for (r, resource) in ctx.resources.iter().enumerate() {
        let Some(rule) = ctx.rules[r] else { continue };
        if rule.security_group_rules.is_empty() {
            continue;
        }
        let groups: Vec<usize> = ctx.roles.owners[r].iter().copied().filter(|&g| is_group(g)).collect();
        if groups.is_empty() {
            continue;
        }
        for sg_rule in &rule.security_group_rules {
            for (index, element) in rule_elements(&resource.props, sg_rule) {
                let mut peers: Vec<usize> = Vec::new();
                for reference in &resource.refs {
                    if !peer_reference(reference, sg_rule, index) {
                        continue;
                    }
                    let Some(&t) = ctx.index.get(reference.target.as_str()) else { continue };
                    for &g in &ctx.roles.owners[t] {
                        if is_group(g) && !peers.contains(&g) {
                            peers.push(g);
                        }
                    }
                }
                if peers.is_empty() {
                    continue;
                }
                let ingress = match &sg_rule.direction {
                    Direction::Ingress => true,
                    Direction::Egress => false,
                    Direction::Field(path) => !crate::import::cond::values_at(element, path)
                        .iter()
                        .any(|v| v.as_str() == Some("egress")),
                };
                let port = first_number(element, &sg_rule.port);
                let last = sg_rule.to_port.as_deref().and_then(|p| first_number(element, p));
                let single = port.filter(|p| last.is_none_or(|l| l == *p));
                let protocol = single
                    .and_then(|p| ctx.types.port(p))
                    .map(|known| (known.protocol.clone(), known.encrypted));
                let label = single.map_or_else(|| "security group rule".to_owned(), |p| format!("port {p}"));
                for &group in &groups {
                    for &peer in &peers {
                        let (source, destination) = if ingress { (peer, group) } else { (group, peer) };
                        let empty = Vec::new();
                        for &a in members.get(&source).unwrap_or(&empty) {
                            for &b in members.get(&destination).unwrap_or(&empty) {
                                flows.add(a, b, protocol.as_ref(), &label);
                                // What the receiving end says (a cache without TLS) counts too.
                                flows.add(a, b, protocol_of(ctx, b).as_ref(), &label);
                            }
                            if flows.capped {
                                return;
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The rules a resource holds: the elements of its rule list with their index, or the
/// resource itself.
fn rule_elements<'v>(props: &'v Value, rule: &SecurityGroupRule) -> Vec<(Option<usize>, &'v Value)> {
    match &rule.list {
        None => vec![(None, props)],
        Some(list) => {
            let mut current = Some(props);
            for key in segments(list) {
                current = current.and_then(|v| v.get(key));
            }
            match current {
                Some(Value::Array(items)) => items.iter().enumerate().map(|(i, v)| (Some(i), v)).collect(),
                _ => Vec::new(),
            }
        }
    }
}

/// Whether `reference` names the peer of rule `index` (a reference to the whole list counts for
/// every rule in it).
fn peer_reference(reference: &Reference, rule: &SecurityGroupRule, index: Option<usize>) -> bool {
    match (&rule.list, index) {
        (Some(list), Some(index)) => {
            let depth = segments(list).len();
            let whole_list = reference.path.len() == depth && reference.is_under(list);
            let in_rule = reference.path.get(depth).is_some_and(|at| *at == index.to_string())
                && rule.peer.iter().any(|peer| reference.is_under(&format!("{list}.{peer}")));
            whole_list || in_rule
        }
        _ => rule.peer.iter().any(|peer| reference.is_under(peer)),
    }
}

fn first_number(element: &Value, path: &str) -> Option<i64> {
    crate::import::cond::values_at(element, path).into_iter().find_map(number).and_then(|n| {
        // Ports are whole numbers from -1 (all) to 65535.
        (n.fract() == 0.0 && (-1.0..=65_535.0).contains(&n)).then_some(n as i64)
    })
}
