//! Flows between nodes: from references (the resource that uses another → the one it uses),
//! from link resources (event source mappings, subscriptions...), from security-group
//! rules (members of one group → members of the other), and last from declared dependencies
//! (`DependsOn`, `depends_on`: the dependent → what it depends on) between nodes nothing else
//! connects, since a dependency says two resources are related but not how.
//!
//! Protocols are names of the program's protocol table (`assets/protocols.ron`), which says
//! whether each is encrypted: a port's protocol comes from it too. A flow's encryption is stated
//! only where the source says more than its protocol: a database whose parameter group forces TLS
//! (PostgreSQL, encrypted), a cache that cannot take TLS (Redis, unencrypted). Otherwise the
//! protocol decides (HTTPS is encrypted, HTTP is not, PostgreSQL could be either), and a flow of
//! no known protocol says nothing.
//!
//! A flow is a data flow: a dependency draws one only to what has a protocol (a log group, a
//! queue), never to what a reference would not reach (roles, keys); and a resource folded into
//! several owners (a launch template, a queue policy) joins none of them to another.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::Ctx;
use super::roles::Role;
use crate::import::cond::{number, plain_values_at, segments};
use crate::import::source::{Reference, Resource};
use crate::import::types::{Direction, Incoming, ProtocolChoice, SecurityGroupRule};
use crate::model::BoundaryKind;
use crate::model::limits::MAX_FLOWS;
use crate::protocol::{Encryption, Protocols};

/// The most member pairs security-group rules may visit; beyond, rules between large groups
/// stop drawing flows (with a warning) rather than take minutes.
const MAX_RULE_PAIRS: usize = 4 * MAX_FLOWS;

/// What a flow carries: a protocol of the table, and what the source says about its encryption
/// beyond what the protocol implies (`None`: nothing more).
pub(super) type Carried = (String, Option<bool>);

/// What the protocol table implies about `protocol`: encrypted, plaintext, or either.
fn implied(protocol: &str) -> Option<bool> {
    match Protocols::builtin().recognise(protocol).encryption() {
        Some(Encryption::Always) => Some(true),
        Some(Encryption::Never) => Some(false),
        Some(Encryption::Optional) | None => None,
    }
}

/// The flag a flow carries: its encryption, when that says more than its protocol does.
pub(super) fn stated(protocol: &str, encrypted: Option<bool>) -> Option<bool> {
    if encrypted == implied(protocol) { None } else { encrypted }
}

/// Two statements about one flow's encryption: plaintext anywhere makes it plaintext; else
/// encrypted when one says so.
fn combined(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), _) | (_, Some(true)) => Some(true),
        (None, None) => None,
    }
}

/// A flow between two nodes, by resource index.
#[derive(Clone, Debug)]
pub(super) struct Draft {
    pub from: usize,
    pub to: usize,
    pub protocol: String,
    /// Whether it is encrypted, as stated by the source or implied by a protocol; `None` when
    /// neither says.
    pub encrypted: Option<bool>,
    pub label: String,
}

/// The flows found so far, one per ordered pair of nodes.
#[derive(Default)]
pub(super) struct Flows {
    pub drafts: Vec<Draft>,
    by_pair: HashMap<(usize, usize), usize>,
    /// Why some flows were not drawn, when a limit was reached.
    pub capped: Option<String>,
}

impl Flows {
    /// Whether a flow already joins the two nodes, either way.
    fn connects(&self, a: usize, b: usize) -> bool {
        self.by_pair.contains_key(&(a, b)) || self.by_pair.contains_key(&(b, a))
    }

    /// Adds a flow, or merges what it says into the flow between the same nodes: the first
    /// protocol and label stay, and what each protocol given says about encryption is combined
    /// (plaintext wins).
    fn add(&mut self, from: usize, to: usize, protocol: Option<&Carried>, label: &str) {
        if from == to {
            return;
        }
        let effective = protocol.map(|(name, stated)| stated.or_else(|| implied(name)));
        if let Some(&at) = self.by_pair.get(&(from, to)) {
            let draft = &mut self.drafts[at];
            if let Some((name, _)) = protocol {
                if draft.protocol.is_empty() {
                    draft.protocol.clone_from(name);
                }
                draft.encrypted = combined(draft.encrypted, effective.flatten());
            }
            if draft.label.is_empty() {
                label.clone_into(&mut draft.label);
            }
            return;
        }
        if self.drafts.len() >= MAX_FLOWS {
            self.capped.get_or_insert_with(|| format!("more than {MAX_FLOWS} flows; the rest are not drawn"));
            return;
        }
        self.by_pair.insert((from, to), self.drafts.len());
        self.drafts.push(Draft {
            from,
            to,
            protocol: protocol.map(|(name, _)| name.clone()).unwrap_or_default(),
            encrypted: effective.flatten(),
            label: label.to_owned(),
        });
    }
}

/// What the flow pass reports besides the flows.
#[derive(Default)]
pub(super) struct FlowNotes {
    /// "EventSourceMapping X became the flow A → B".
    pub linked: Vec<String>,
    /// Link resources whose ends are not both nodes: `(id, type, why)`.
    pub unlinked: Vec<(String, String, String)>,
    /// The same, when the rule says why that is expected: `"id (type): reason"`.
    pub skipped: Vec<String>,
}

/// What the passes share: the context, each resource's nodes and protocol.
struct Pass<'c, 'a> {
    ctx: &'c Ctx<'a>,
    /// For each resource, the nodes it belongs to (itself, or the nodes it folds into).
    nodes: Vec<Vec<usize>>,
    /// For each resource, the protocol of flows to it.
    protocols: Vec<Option<Carried>>,
    /// For each node without a protocol of its own, the one its parts serve in (a load
    /// balancer's listeners): for references to it, never for dependencies.
    served: HashMap<usize, Carried>,
}

/// Every flow of the source. `tls[i]`: node `i` refuses plaintext, so flows to it in its own
/// protocol are encrypted.
pub(super) fn build(ctx: &Ctx<'_>, members: &HashMap<usize, Vec<usize>>, tls: &[bool]) -> (Flows, FlowNotes) {
    let nodes: Vec<Vec<usize>> = (0..ctx.resources.len())
        .map(|i| match ctx.roles.role[i] {
            Role::Node | Role::Fold(_) => {
                ctx.roles.owners[i].iter().copied().filter(|&o| ctx.roles.role[o] == Role::Node).collect()
            }
            _ => Vec::new(),
        })
        .collect();
    let chosen: Vec<Option<Carried>> =
        (0..ctx.resources.len()).map(|i| choose(&ctx.rules[i]?.protocol, ctx.props(i))).collect();
    // A node that refuses plaintext encrypts what comes to it in its own protocol, through
    // itself or through what folds into it (an instance of a cluster).
    let enforced = |i: usize, name: &str| {
        std::iter::once(i).chain(nodes[i].iter().copied()).any(|n| {
            tls.get(n).copied().unwrap_or(false) && chosen[n].as_ref().is_some_and(|(own, _)| own == name)
        })
    };
    let protocols = chosen
        .iter()
        .enumerate()
        .map(|(i, choice)| {
            choice.as_ref().map(|(name, encrypted)| {
                (name.clone(), if enforced(i, name) { Some(true) } else { *encrypted })
            })
        })
        .collect();
    let mut served: HashMap<usize, Carried> = HashMap::new();
    for (i, &rule) in ctx.rules.iter().enumerate() {
        let Some(carried) = rule.and_then(|rule| choose(&rule.serves, ctx.props(i))) else { continue };
        let owners: Vec<usize> = if ctx.roles.role[i] == Role::Node { vec![i] } else { nodes[i].clone() };
        for owner in owners.into_iter().filter(|&o| chosen[o].is_none()) {
            let slot = served.entry(owner).or_insert_with(|| carried.clone());
            if implied(&carried.0) == Some(false) {
                // One plaintext listener is enough for plain text to reach it.
                *slot = carried.clone();
            }
        }
    }
    let pass = Pass { ctx, nodes, protocols, served };
    let mut flows = Flows::default();
    let mut notes = FlowNotes::default();
    pass.reference_flows(&mut flows);
    pass.link_flows(&mut flows, &mut notes);
    pass.security_group_flows(members, &mut flows);
    pass.dependency_flows(&mut flows);
    (flows, notes)
}

/// The first choice that surely holds on `props`.
fn choose(choices: &[ProtocolChoice], props: &Value) -> Option<Carried> {
    let choice = choices.iter().find(|choice| choice.when.surely(props))?;
    Some((choice.protocol.clone(), choice.encrypted))
}

/// A short label for a flow from a reference: the event name for SAM events, else the last key
/// of the property path (`UserData`, `TABLE_NAME`, `TargetGroupARNs`).
fn label_of(reference: &Reference) -> String {
    match reference.key(0) {
        Some("Events") => reference.key(1).map_or_else(|| "event".to_owned(), |name| format!("{name} event")),
        Some(_) => reference.last_key().to_owned(),
        None => String::new(),
    }
}

impl Pass<'_, '_> {
    fn protocol_of(&self, i: usize) -> Option<&Carried> {
        self.protocols[i].as_ref()
    }

    /// What resource `i` forwards to the resources that name it in a reversed reference (a
    /// Classic Load Balancer to the groups that list it).
    fn backend_into(&self, i: usize) -> Option<Carried> {
        let backend = self.ctx.rules[i]?.backend.as_ref()?;
        choose(&backend.protocol, self.ctx.props(i))
    }

    /// What resource `r` forwards along `reference`, when it is one of its backend paths: the
    /// choice read in the list element that holds the reference (a distribution's origin), or in
    /// the whole resource.
    fn backend_along(&self, r: usize, reference: &Reference) -> Option<Carried> {
        let backend = self.ctx.rules[r]?.backend.as_ref()?;
        if !backend.paths.iter().any(|path| reference.is_under(path)) {
            return None;
        }
        let props = self.ctx.props(r);
        let scope = match &backend.list {
            Some(list) => {
                let keys = segments(list);
                let mut element = Some(props);
                for key in &keys {
                    element = element.and_then(|v| v.get(*key));
                }
                let index = reference.key(keys.len()).and_then(|k| k.parse::<usize>().ok());
                match (element, index) {
                    (Some(Value::Array(items)), Some(index)) => items.get(index)?,
                    (Some(one @ Value::Object(_)), _) => one,
                    _ => return None,
                }
            }
            None => props,
        };
        choose(&backend.protocol, scope)
    }

    /// Whether nodes `a` and `b` both own resource `i`, which folds into several: what it
    /// references or is referenced by joins neither to the other.
    fn co_owned(&self, i: usize, a: usize, b: usize) -> bool {
        matches!(self.ctx.roles.role[i], Role::Fold(_))
            && self.nodes[i].contains(&a)
            && self.nodes[i].contains(&b)
    }

    fn reference_flows(&self, flows: &mut Flows) {
        let ctx = self.ctx;
        for (r, resource) in ctx.resources.iter().enumerate() {
            let from_nodes = &self.nodes[r];
            if from_nodes.is_empty() {
                continue;
            }
            let rule = ctx.rules[r];
            for reference in &resource.refs {
                if ctx.ignored(r, reference) {
                    continue;
                }
                let Some(t) = ctx.target(reference) else { continue };
                let to_nodes = &self.nodes[t];
                if to_nodes.is_empty() {
                    continue;
                }
                let incoming = ctx.rules[t].map_or(Incoming::Flow, |rule| rule.incoming);
                if incoming == Incoming::Ignore {
                    continue;
                }
                let reversed_here =
                    rule.is_some_and(|rule| rule.reverse.iter().any(|p| reference.is_under(p)));
                let reverse = incoming == Incoming::Reverse || reversed_here;
                // What the sending end forwards in (a load balancer's instance protocol), else the
                // receiving end's protocol: the referenced resource (a target group speaks for
                // its targets), or the referrer when the path says the flow comes to it.
                // A boot script naming a load balancer calls its API: its listeners say nothing.
                let mentioned = ctx.mentioned(r, reference);
                let protocol = if reverse {
                    self.backend_into(t)
                        .or_else(|| if reversed_here { self.protocol_of(r).cloned() } else { None })
                        .or_else(|| self.protocol_of(t).cloned())
                        .or_else(|| self.folded_protocol(r).filter(|_| !reversed_here))
                } else {
                    self.backend_along(r, reference)
                        .or_else(|| self.protocol_of(t).cloned())
                        .or_else(|| {
                            if mentioned {
                                None
                            } else {
                                self.nodes[t].iter().find_map(|n| self.served.get(n).cloned())
                            }
                        })
                        .or_else(|| self.folded_protocol(r))
                };
                if protocol.is_none() && mentioned {
                    continue;
                }
                let label = label_of(reference);
                for &a in from_nodes {
                    for &b in to_nodes {
                        if self.co_owned(r, a, b) || self.co_owned(t, a, b) {
                            continue;
                        }
                        let (from, to) = if reverse { (b, a) } else { (a, b) };
                        flows.add(from, to, protocol.as_ref(), &label);
                    }
                }
            }
        }
    }

    /// The protocol of a folded resource, which speaks for flows through it.
    fn folded_protocol(&self, r: usize) -> Option<Carried> {
        if matches!(self.ctx.roles.role[r], Role::Fold(_)) { self.protocol_of(r).cloned() } else { None }
    }

    /// Declared dependencies, between nodes nothing else connects: a flow in the protocol of what
    /// is depended on (a log group, a queue), never to what a reference would not reach (a role,
    /// a key) nor from what reaches nothing (a role's own references), and none where the
    /// protocol is not known: a dependency orders deployment, it does not say what flows.
    fn dependency_flows(&self, flows: &mut Flows) {
        let ctx = self.ctx;
        for (r, resource) in ctx.resources.iter().enumerate() {
            if ctx.rules[r].is_some_and(|rule| rule.ignore.iter().any(|path| path == "*")) {
                continue;
            }
            for target in &resource.depends_on {
                let Some(&t) = ctx.index.get(&**target) else { continue };
                if ctx.rules[t].is_some_and(|rule| rule.incoming != Incoming::Flow) {
                    continue;
                }
                let Some(protocol) = self.protocol_of(t) else { continue };
                for &a in &self.nodes[r] {
                    for &b in &self.nodes[t] {
                        if !flows.connects(a, b) && !self.co_owned(r, a, b) && !self.co_owned(t, a, b) {
                            flows.add(a, b, Some(protocol), "depends on");
                        }
                    }
                }
            }
        }
    }

    fn link_flows(&self, flows: &mut Flows, notes: &mut FlowNotes) {
        let ctx = self.ctx;
        for (r, resource) in ctx.resources.iter().enumerate() {
            if ctx.roles.role[r] != Role::Link {
                continue;
            }
            let Some(link) = ctx.rules[r].and_then(|rule| rule.link.as_ref()) else { continue };
            let (from_nodes, from_targets) = self.ends(resource, &link.from);
            let (to_nodes, to_targets) = self.ends(resource, &link.to);
            if from_nodes.is_empty() || to_nodes.is_empty() {
                // An end in the source that is not a node is worth saying as it is; an end
                // outside the source is expected when the rule says why.
                let not_nodes: Vec<usize> = [(&from_nodes, &from_targets), (&to_nodes, &to_targets)]
                    .into_iter()
                    .filter(|(nodes, _)| nodes.is_empty())
                    .flat_map(|(_, targets)| targets.iter().copied())
                    .collect();
                if let Some(&end) = not_nodes.first() {
                    notes.unlinked.push((
                        resource.id.clone(),
                        resource.resource_type.clone(),
                        format!(
                            "its end {} is in the source but {}",
                            ctx.resources[end].id,
                            why_not_a_node(ctx, end)
                        ),
                    ));
                    continue;
                }
                match ctx.rules[r].and_then(|rule| rule.orphan.as_ref()) {
                    Some(reason) => {
                        notes.skipped.push(format!("{} ({}): {reason}", resource.id, resource.resource_type));
                    }
                    None => notes.unlinked.push((
                        resource.id.clone(),
                        resource.resource_type.clone(),
                        "one of its ends is not in the source".to_owned(),
                    )),
                }
                continue;
            }
            let protocol = self
                .protocol_of(r)
                .cloned()
                .or_else(|| from_targets.first().and_then(|&t| self.backend_into(t)))
                .or_else(|| from_targets.first().and_then(|&t| self.protocol_of(t).cloned()))
                .or_else(|| to_targets.first().and_then(|&t| self.protocol_of(t).cloned()));
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

    /// The nodes at one end of a link (`path`), and the resources of the source referenced there.
    fn ends(&self, resource: &Resource, path: &str) -> (Vec<usize>, Vec<usize>) {
        let mut nodes = Vec::new();
        let mut targets = Vec::new();
        let mut seen = HashSet::new();
        for reference in resource.refs.iter().filter(|rf| rf.is_under(path)) {
            if let Some(t) = self.ctx.target(reference) {
                targets.push(t);
                nodes.extend(self.nodes[t].iter().copied().filter(|&node| seen.insert(node)));
            }
        }
        (nodes, targets)
    }

    fn security_group_flows(&self, members: &HashMap<usize, Vec<usize>>, flows: &mut Flows) {
        let ctx = self.ctx;
        let is_group = |i: usize| ctx.roles.role[i] == Role::Boundary(BoundaryKind::SecurityGroup);
        let mut applied: HashSet<(usize, usize, Option<i64>)> = HashSet::new();
        let mut pairs = 0usize;
        let empty = Vec::new();
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
                let peers_of = self.peers(resource, sg_rule, &is_group);
                for (index, element) in rule_elements(&resource.props, sg_rule) {
                    let peers = peers_of.of(index);
                    if peers.is_empty() {
                        continue;
                    }
                    let ingress = match &sg_rule.direction {
                        Direction::Ingress => true,
                        Direction::Egress => false,
                        Direction::Field(path) => {
                            !plain_values_at(element, path).iter().any(|v| v.as_str() == Some("egress"))
                        }
                    };
                    let port = first_number(element, &sg_rule.port);
                    let last = sg_rule.to_port.as_deref().and_then(|p| first_number(element, p));
                    let single = port.filter(|p| last.is_none_or(|l| l == *p));
                    let known = single
                        .and_then(|p| u16::try_from(p).ok())
                        .and_then(|p| Protocols::builtin().by_port(p));
                    let label =
                        single.map_or_else(|| "security group rule".to_owned(), |p| format!("port {p}"));
                    for group in &groups {
                        for peer in &peers {
                            let (source, destination) = if ingress { (peer, group) } else { (group, peer) };
                            // The same rule between the same groups draws the same flows.
                            if !applied.insert((*source, *destination, single)) {
                                continue;
                            }
                            for &a in members_of(ctx, members, source, &empty) {
                                for &b in members_of(ctx, members, destination, &empty) {
                                    pairs += 1;
                                    if pairs > MAX_RULE_PAIRS || flows.capped.is_some() {
                                        flows.capped.get_or_insert_with(|| {
                                            "security-group rules between large groups give too many flows; \
                                             the rest are not drawn"
                                                .to_owned()
                                        });
                                        return;
                                    }
                                    // The port's protocol, encrypted when the receiving node
                                    // refuses plaintext in that protocol.
                                    let by_port: Option<Carried> = known.map(|known| {
                                        let enforced = self.protocol_of(b).is_some_and(|(name, stated)| {
                                            *stated == Some(true) && *name == known.name
                                        });
                                        (known.name.clone(), enforced.then_some(true))
                                    });
                                    flows.add(a, b, by_port.as_ref(), &label);
                                    // What the receiving end says (a cache without TLS) counts too.
                                    flows.add(a, b, self.protocol_of(b), &label);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The peer groups of each rule of `sg_rule` in `resource`, found with one pass over its
    /// references.
    fn peers(
        &self,
        resource: &Resource,
        sg_rule: &SecurityGroupRule,
        is_group: &dyn Fn(usize) -> bool,
    ) -> Peers {
        let mut peers = Peers::default();
        // A peer is a group, or a node standing for itself (a Classic Load Balancer's own
        // security group, named through the load balancer).
        let groups_of = |reference: &Reference| -> Vec<usize> {
            self.ctx.target(reference).map_or_else(Vec::new, |t| {
                let owners = self.ctx.roles.owners[t].iter().copied();
                owners.filter(|&g| is_group(g) || self.ctx.roles.role[g] == Role::Node).collect()
            })
        };
        match &sg_rule.list {
            Some(list) => {
                let depth = segments(list).len();
                let patterns: Vec<String> =
                    sg_rule.peer.iter().map(|peer| format!("{list}.{peer}")).collect();
                for reference in resource.refs.iter().filter(|r| r.is_under(list)) {
                    if reference.keys().count() == depth {
                        // A reference to the whole list counts for every rule in it.
                        peers.whole.extend(groups_of(reference));
                    } else if let Some(index) = reference.key(depth).and_then(|at| at.parse::<usize>().ok())
                        && patterns.iter().any(|pattern| reference.is_under(pattern))
                    {
                        peers.by_rule.entry(index).or_default().extend(groups_of(reference));
                    }
                }
            }
            None => {
                for reference in &resource.refs {
                    if sg_rule.peer.iter().any(|peer| reference.is_under(peer)) {
                        peers.whole.extend(groups_of(reference));
                    }
                }
            }
        }
        peers
    }
}

/// The nodes on one side of a security-group rule: a group's members, or a peer node itself.
fn members_of<'m>(
    ctx: &Ctx<'_>,
    members: &'m HashMap<usize, Vec<usize>>,
    side: &'m usize,
    empty: &'m Vec<usize>,
) -> &'m [usize] {
    if ctx.roles.role[*side] == Role::Node {
        std::slice::from_ref(side)
    } else {
        members.get(side).unwrap_or(empty)
    }
}

/// The peer groups of a resource's security-group rules.
#[derive(Default)]
struct Peers {
    /// Peers of every rule.
    whole: Vec<usize>,
    /// Peers of the rule at each index of the rule list.
    by_rule: HashMap<usize, Vec<usize>>,
}

impl Peers {
    /// The peers of the rule at `index` (every rule when `None`), each once.
    fn of(&self, index: Option<usize>) -> Vec<usize> {
        let own = index.and_then(|i| self.by_rule.get(&i)).map_or(&[][..], Vec::as_slice);
        let mut seen = HashSet::new();
        self.whole.iter().chain(own).copied().filter(|&g| seen.insert(g)).collect()
    }
}

/// Why resource `i`, an end of a link, is not a node.
fn why_not_a_node(ctx: &Ctx<'_>, i: usize) -> String {
    match &ctx.roles.role[i] {
        Role::Skip(reason) => format!("is not imported ({reason})"),
        Role::Orphan => "is not imported: what it configures is not in the source".to_owned(),
        Role::Unknown => "is of a type the catalog does not know".to_owned(),
        Role::Boundary(_) => "is a boundary".to_owned(),
        Role::Link => "is itself a link".to_owned(),
        Role::Node | Role::Fold(_) => "is not a node".to_owned(),
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

fn first_number(element: &Value, path: &str) -> Option<i64> {
    plain_values_at(element, path).into_iter().find_map(number).and_then(|n| {
        // Ports are whole numbers from -1 (all) to 65535.
        (n.fract() == 0.0 && (-1.0..=65_535.0).contains(&n)).then_some(n as i64)
    })
}
