//! What each resource becomes (node, boundary, folded into an owner, a flow, skipped,
//! unknown) and, for folded ones, which nodes or boundaries own them in the end.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::catalog::Catalog;
use crate::import::report::Warnings;
use crate::import::source::{Reference, Resource};
use crate::import::types::{Owner, TypeRule};
use crate::model::BoundaryKind;

/// The deepest chain of folds followed (a listener in a rule in a load balancer...).
const MAX_FOLD_CHAIN: usize = 16;

/// What a resource becomes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Role {
    /// A node of this catalog service (before `service_if`).
    Node,
    /// A boundary.
    Boundary(BoundaryKind),
    /// Configuration of these resources (indices), which may be folds themselves.
    Fold(Vec<usize>),
    /// A connection between two other resources.
    Link,
    /// Known and left out on purpose.
    Skip(String),
    /// Not in the mapping, or mapped to a service the catalog lacks.
    Unknown,
    /// A fold whose owner is not in the source.
    Orphan,
}

/// The roles of all resources, their final owners and the references into each.
pub(super) struct Roles {
    pub role: Vec<Role>,
    /// For each resource, the nodes and boundaries it belongs to in the end: itself for a node
    /// or boundary, its owners' owners for a fold, nothing otherwise.
    pub owners: Vec<Vec<usize>>,
    /// For joins: the variant a joined resource proposes to its owner.
    pub joined_variant: Vec<Option<String>>,
}

/// Everything the role pass needs.
pub(super) struct Input<'a> {
    pub resources: &'a [Resource],
    pub rules: &'a [Option<&'a TypeRule>],
    pub index: &'a HashMap<&'a str, usize>,
    pub catalog: &'a Catalog,
}

impl Input<'_> {
    fn target(&self, reference: &Reference) -> Option<usize> {
        self.index.get(&*reference.target).copied()
    }
}

/// Decides every resource's role. `warnings` gets mapping entries this catalog cannot use.
pub(super) fn assign(input: &Input<'_>, warnings: &mut Warnings) -> Roles {
    let count = input.resources.len();
    let mut role: Vec<Role> = Vec::with_capacity(count);
    let mut missing_services = BTreeSet::new();
    for (resource, rule) in input.resources.iter().zip(input.rules) {
        role.push(initial_role(resource, *rule, input.catalog, &mut missing_services));
    }
    for service in missing_services {
        warnings.push(format!(
            "the resource-type mapping names service {service:?}, which this catalog does not have; \
             resources of that service are listed as not imported"
        ));
    }

    // Referrers of each resource: who references it, and where.
    let mut referrers: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (from, resource) in input.resources.iter().enumerate() {
        for reference in &resource.refs {
            if let Some(to) = input.target(reference)
                && to != from
            {
                referrers[to].push(from);
            }
        }
    }
    for list in &mut referrers {
        list.sort_unstable();
        list.dedup();
    }

    // Immediate owners of folds.
    let can_own = |r: &Role| matches!(r, Role::Node | Role::Boundary(_) | Role::Fold(_));
    for (i, resource) in input.resources.iter().enumerate() {
        let Some(rule) = input.rules[i] else { continue };
        if role[i] != Role::Node || rule.fold.is_none() {
            continue;
        }
        if let Some(condition) = &rule.fold_if
            && !condition.maybe(&resource.props)
        {
            continue;
        }
        let candidates = match &rule.fold {
            Some(owner) => owner_candidates(input, &referrers, i, owner, 0),
            None => Vec::new(),
        };
        let mut seen = HashSet::new();
        let owners: Vec<usize> = candidates.into_iter().filter(|&c| c != i && seen.insert(c)).collect();
        role[i] = Role::Fold(owners);
    }
    // Folds that found no owner the importer knows: a node when the rule allows, else orphans.
    for i in 0..count {
        if let Role::Fold(owners) = &role[i] {
            let usable: Vec<usize> = owners.iter().copied().filter(|&o| can_own(&role[o])).collect();
            role[i] = if !usable.is_empty() {
                Role::Fold(usable)
            } else if input.rules[i].is_some_and(|rule| rule.service.is_some()) {
                Role::Node
            } else {
                orphan(input.rules[i])
            };
        }
    }

    // Joins: a node that references (itself or through what folds into it) a resource of the
    // join's types folds into it.
    let mut joined_variant = vec![None; count];
    let mut folded_into: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (i, r) in role.iter().enumerate() {
        if let Role::Fold(owners) = r {
            for &owner in owners {
                folded_into[owner].push(i);
            }
        }
    }
    for i in 0..count {
        let Some(join) = input.rules[i].and_then(|rule| rule.join.as_ref()) else { continue };
        if role[i] != Role::Node {
            continue;
        }
        let mut owners: Vec<usize> = Vec::new();
        let mut seen = HashSet::new();
        for source in std::iter::once(i).chain(folded_into[i].iter().copied()) {
            for reference in &input.resources[source].refs {
                if let Some(t) = input.target(reference)
                    && t != i
                    && join.types.contains(&input.resources[t].resource_type)
                    && role[t] == Role::Node
                    && seen.insert(t)
                {
                    owners.push(t);
                }
            }
        }
        if !owners.is_empty() {
            role[i] = Role::Fold(owners);
            joined_variant[i].clone_from(&join.variant);
        }
    }

    // Final owners, following chains of folds.
    let mut owners: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (i, slot) in owners.iter_mut().enumerate() {
        *slot = final_owners(&role, i);
    }
    for i in 0..count {
        if matches!(role[i], Role::Fold(_)) && owners[i].is_empty() {
            role[i] = orphan(input.rules[i]);
        }
    }
    Roles { role, owners, joined_variant }
}

/// What a fold without an owner becomes: skipped when its rule says why, else an orphan.
fn orphan(rule: Option<&TypeRule>) -> Role {
    match rule.and_then(|rule| rule.orphan.clone()) {
        Some(reason) => Role::Skip(reason),
        None => Role::Orphan,
    }
}

/// The resources `owner` designates for resource `i`.
fn owner_candidates(
    input: &Input<'_>,
    referrers: &[Vec<usize>],
    i: usize,
    owner: &Owner,
    depth: usize,
) -> Vec<usize> {
    let resource = &input.resources[i];
    let of_type = |t: &usize, types: &[String]| types.contains(&input.resources[*t].resource_type);
    match owner {
        Owner::Refs(paths) => resource
            .refs
            .iter()
            .filter(|r| paths.iter().any(|p| r.is_under(p)))
            .filter_map(|r| input.target(r))
            .collect(),
        Owner::Types(types) => {
            resource.refs.iter().filter_map(|r| input.target(r)).filter(|t| of_type(t, types)).collect()
        }
        Owner::Referrers(types) => referrers[i].iter().copied().filter(|t| of_type(t, types)).collect(),
        Owner::First(ways) if depth < 4 => ways
            .iter()
            .map(|way| owner_candidates(input, referrers, i, way, depth + 1))
            .find(|found| found.iter().any(|&t| t != i))
            .unwrap_or_default(),
        Owner::First(_) => Vec::new(),
    }
}

fn initial_role(
    resource: &Resource,
    rule: Option<&TypeRule>,
    catalog: &Catalog,
    missing: &mut BTreeSet<String>,
) -> Role {
    if let Some(kind) = resource.boundary {
        return Role::Boundary(kind);
    }
    let Some(rule) = rule else { return Role::Unknown };
    if let Some(reason) = &rule.skip {
        return Role::Skip(reason.clone());
    }
    if let Some(kind) = rule.boundary {
        return Role::Boundary(kind);
    }
    if rule.link.is_some() {
        return Role::Link;
    }
    if let Some(service) = &rule.service
        && catalog.service(service).is_none()
    {
        missing.insert(service.clone());
        return Role::Unknown;
    }
    if rule.fold.is_some() || rule.service.is_some() { Role::Node } else { Role::Unknown }
}

/// The nodes and boundaries at the end of `start`'s chain of folds.
fn final_owners(role: &[Role], start: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    let mut pending = vec![(start, 0usize)];
    while let Some((i, depth)) = pending.pop() {
        if depth > MAX_FOLD_CHAIN || !seen.insert(i) {
            continue;
        }
        // `seen` visits each resource once, so `out` holds no duplicates.
        match &role[i] {
            Role::Node | Role::Boundary(_) => out.push(i),
            Role::Fold(owners) => pending.extend(owners.iter().map(|&o| (o, depth + 1))),
            _ => {}
        }
    }
    out.sort_unstable();
    out
}

/// For each node or boundary, the resources that make it up: itself first, then what folds
/// into it, in source order.
pub(super) fn contributors(roles: &Roles) -> BTreeMap<usize, Vec<usize>> {
    let mut out: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, role) in roles.role.iter().enumerate() {
        if matches!(role, Role::Node | Role::Boundary(_)) {
            out.entry(i).or_default().insert(0, i);
        }
    }
    for (i, role) in roles.role.iter().enumerate() {
        if matches!(role, Role::Fold(_)) {
            for &owner in &roles.owners[i] {
                out.entry(owner).or_default().push(i);
            }
        }
    }
    out
}
