//! Where nodes sit: boundary parents (a subnet in its VPC) and the boundaries each node is
//! directly inside (the subnets and security groups it, or what folds into it, references).

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::Value;

use super::Ctx;
use super::roles::Role;
use crate::import::source::Resource;
use crate::model::BoundaryKind;

/// The deepest chain of boundary parents followed.
const MAX_BOUNDARY_DEPTH: usize = 16;

/// The boundaries of a source and what sits in them, by resource index.
pub(super) struct Placement {
    /// The boundary resources, in the order of the source's resources.
    pub boundaries: Vec<usize>,
    /// The node resources, in the order of the source's resources.
    pub nodes: Vec<usize>,
    /// Each boundary's parent boundary, when it has one in the source.
    pub parent: HashMap<usize, usize>,
    /// Each boundary's member nodes.
    pub members: HashMap<usize, Vec<usize>>,
    /// Each node's boundaries (empty: directly in the account).
    pub placed: HashMap<usize, Vec<usize>>,
}

impl Placement {
    /// Places every node and boundary of `ctx`.
    pub fn of(ctx: &Ctx<'_>, contributors: &BTreeMap<usize, Vec<usize>>) -> Self {
        let count = ctx.resources.len();
        let boundaries: Vec<usize> =
            (0..count).filter(|&i| matches!(ctx.roles.role[i], Role::Boundary(_))).collect();
        let parent: HashMap<usize, usize> = boundaries
            .iter()
            .filter_map(|&b| boundary_parent(ctx, contributors, b).map(|p| (b, p)))
            .collect();
        let nodes: Vec<usize> = (0..count).filter(|&i| ctx.roles.role[i] == Role::Node).collect();
        let mut members: HashMap<usize, Vec<usize>> = HashMap::new();
        let mut placed: HashMap<usize, Vec<usize>> = HashMap::new();
        for &n in &nodes {
            let inside = containing_boundaries(ctx, contributors, &parent, n);
            for &b in &inside {
                members.entry(b).or_default().push(n);
            }
            placed.insert(n, inside);
        }
        Self { boundaries, nodes, parent, members, placed }
    }

    /// The boundaries node `n` sits directly in.
    pub fn of_node(&self, n: usize) -> &[usize] {
        self.placed.get(&n).map_or(&[][..], Vec::as_slice)
    }
}

fn kind_rank(kind: BoundaryKind) -> usize {
    BoundaryKind::ALL.iter().position(|k| *k == kind).unwrap_or(BoundaryKind::ALL.len())
}

/// The boundary a boundary sits in: the innermost outer-kind boundary it (or what folds into
/// it) references — a subnet's VPC, a security group's VPC.
fn boundary_parent(ctx: &Ctx<'_>, contributors: &BTreeMap<usize, Vec<usize>>, b: usize) -> Option<usize> {
    let Role::Boundary(kind) = ctx.roles.role[b] else { return None };
    let mut best: Option<(usize, usize)> = None;
    for &part in contributors.get(&b).map_or(&[][..], Vec::as_slice) {
        for reference in &ctx.resources[part].refs {
            if ctx.ignored(part, reference) || ctx.mentioned(part, reference) {
                continue;
            }
            let Some(t) = ctx.target(reference) else { continue };
            for &owner in &ctx.roles.owners[t] {
                if let Role::Boundary(outer) = ctx.roles.role[owner]
                    && owner != b
                    && kind_rank(outer) < kind_rank(kind)
                    && best.is_none_or(|(rank, _)| kind_rank(outer) > rank)
                {
                    best = Some((kind_rank(outer), owner));
                }
            }
        }
    }
    best.map(|(_, owner)| owner)
}

/// The boundaries a node sits directly in: those it (or what folds into it) references,
/// without the ones that are ancestors of another.
fn containing_boundaries(
    ctx: &Ctx<'_>,
    contributors: &BTreeMap<usize, Vec<usize>>,
    parent: &HashMap<usize, usize>,
    n: usize,
) -> Vec<usize> {
    let mut found: Vec<usize> = Vec::new();
    let mut seen: HashSet<usize> = HashSet::new();
    for &part in contributors.get(&n).map_or(&[][..], Vec::as_slice) {
        for reference in &ctx.resources[part].refs {
            if ctx.ignored(part, reference) || ctx.mentioned(part, reference) {
                continue;
            }
            let Some(t) = ctx.target(reference) else { continue };
            for &owner in &ctx.roles.owners[t] {
                if matches!(ctx.roles.role[owner], Role::Boundary(_)) && seen.insert(owner) {
                    found.push(owner);
                }
            }
        }
    }
    let mut outer: HashSet<usize> = HashSet::new();
    for &b in &found {
        let mut current = parent.get(&b).copied();
        let mut steps = 0;
        // Each ancestor is walked up from once: the walk stops where an earlier one went.
        while let Some(p) = current {
            if steps > MAX_BOUNDARY_DEPTH || !outer.insert(p) {
                break;
            }
            steps += 1;
            current = parent.get(&p).copied();
        }
    }
    found.retain(|b| !outer.contains(b));
    found
}

/// A boundary's label: its logical id or address, with its address range when it has one.
pub(super) fn boundary_label(resource: &Resource) -> String {
    if resource.props.is_null() && resource.resource_type.starts_with("Parameter ") {
        return format!("{} (parameter)", resource.id);
    }
    let cidr =
        ["CidrBlock", "cidr_block"].iter().find_map(|key| resource.props.get(*key).and_then(Value::as_str));
    match cidr {
        Some(cidr) => format!("{} {cidr}", resource.id),
        None => resource.id.clone(),
    }
}
