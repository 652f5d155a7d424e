//! What a node is made of: its service, variant, exposure and notes, from its own resource and
//! the resources folded into it, and the tasks their properties settle.
//!
//! A node is often several resources (a load balancer and its listeners, a cluster and its
//! instances). What they say is weighed by type: a task is settled when the resources of some type
//! all satisfy its check and no type has some that do and some that do not — an HTTPS listener
//! beside a plain HTTP one settles nothing. Different types are different places for one setting
//! (a bucket's inline versioning, or a versioning resource), so one that says nothing does not
//! undo another. `private` is weighed the same way.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::Ctx;
use crate::catalog::{Catalog, Service};
use crate::responsibility::Owner;

/// How many folded resources a node's notes list by name.
const NOTES_LISTED: usize = 8;

/// The catalog service of a node: the rule's, or the first `service_if` that holds.
pub(super) fn node_service<'c>(ctx: &Ctx<'_>, catalog: &'c Catalog, n: usize) -> Option<&'c Service> {
    let rule = ctx.rules[n]?;
    let chosen = rule
        .service_if
        .iter()
        .find(|choice| choice.when.surely(ctx.props(n)))
        .and_then(|choice| catalog.service(&choice.service));
    chosen.or_else(|| rule.service.as_deref().and_then(|s| catalog.service(s)))
}

/// How much of a service's stack the customer owns in a variant: 2 per layer they own, 1 per
/// shared layer.
fn customer_share(service: &Service, variant: &str) -> usize {
    service
        .owners_for(service.variant(variant))
        .iter()
        .map(|(_, owner)| match owner {
            Owner::Customer => 2,
            Owner::Shared => 1,
            _ => 0,
        })
        .sum()
}

/// The variant of a node from what it and its parts say; among different proposals the one
/// where the customer owns most wins (the cautious reading), and the notes say so.
pub(super) fn node_variant(
    ctx: &Ctx<'_>,
    service: &Service,
    parts: &[usize],
) -> (Option<String>, Option<String>) {
    let mut proposals: Vec<(String, usize)> = Vec::new();
    for &part in parts {
        let proposed = ctx.rules[part]
            .and_then(|rule| rule.variants.iter().find(|c| c.when.maybe(ctx.props(part))))
            .map(|choice| choice.variant.clone())
            .or_else(|| ctx.roles.joined_variant[part].clone());
        if let Some(variant) = proposed
            && service.variant(&variant).is_some()
        {
            proposals.push((variant, part));
        }
    }
    let fallback = || {
        let own = parts.first().and_then(|&n| ctx.rules[n]).and_then(|rule| rule.variant.clone());
        own.filter(|v| service.variant(v).is_some())
    };
    let Some(best) = proposals.iter().map(|(v, _)| v).max_by_key(|v| customer_share(service, v)).cloned()
    else {
        return (fallback(), None);
    };
    let mut distinct: Vec<&str> = proposals.iter().map(|(v, _)| v.as_str()).collect();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() < 2 {
        return (Some(best), None);
    }
    let found: Vec<String> = distinct
        .iter()
        .map(|variant| {
            let parts: Vec<&str> = proposals
                .iter()
                .filter(|(v, _)| v == variant)
                .map(|(_, p)| ctx.resources[*p].id.as_str())
                .collect();
            format!("{variant} ({})", parts.join(", "))
        })
        .collect();
    let note = format!("Variants found: {}; modeled as {best}, where you own the most.", found.join(", "));
    (Some(best), Some(note))
}

/// Whether a node is reachable from the internet: a part may say so; else its parts settle that
/// it has no public address (see the module docs); else its subnet gives one to what launches
/// there.
pub(super) fn internet_facing(ctx: &Ctx<'_>, parts: &[usize], placed: &[usize], n: usize) -> bool {
    let exposed = parts.iter().any(|&p| {
        ctx.rules[p].and_then(|rule| rule.internet_facing.as_ref()).is_some_and(|c| c.maybe(ctx.props(p)))
    });
    if exposed {
        return true;
    }
    let private = settled(parts.iter().filter_map(|&p| {
        let cond = ctx.rules[p]?.private.as_ref()?;
        let resource = &ctx.resources[p];
        Some((kind(&resource.resource_type), !resource.conditional && cond.surely(&resource.props)))
    }));
    if private {
        return false;
    }
    let auto_public_ip = ctx.rules[n].is_some_and(|rule| rule.subnet_public_ip);
    auto_public_ip
        && placed.iter().any(|&b| {
            ctx.rules[b].and_then(|rule| rule.public_ip.as_ref()).is_some_and(|c| c.maybe(ctx.props(b)))
        })
}

/// The kind a resource counts as when parts are weighed: its type, with Terraform's `aws_alb*`
/// aliases read as the `aws_lb*` types they stand for.
fn kind(resource_type: &str) -> String {
    match resource_type.strip_prefix("aws_alb") {
        Some(rest) => format!("aws_lb{rest}"),
        None => resource_type.to_owned(),
    }
}

/// Whether verdicts `(kind, yes)` settle something: the parts of some kind all say yes, and no
/// kind has parts that say yes and parts that say no.
fn settled(verdicts: impl Iterator<Item = (String, bool)>) -> bool {
    let mut tally: HashMap<String, (usize, usize)> = HashMap::new();
    for (kind, yes) in verdicts {
        let (ayes, noes) = tally.entry(kind).or_default();
        if yes {
            *ayes += 1;
        } else {
            *noes += 1;
        }
    }
    tally.values().any(|&(ayes, noes)| ayes > 0 && noes == 0)
        && !tally.values().any(|&(ayes, noes)| ayes > 0 && noes > 0)
}

/// The node's notes: its resource type, what folded into it, and how its variant was chosen.
pub(super) fn node_notes(ctx: &Ctx<'_>, parts: &[usize], variant_note: Option<String>) -> String {
    let Some((&own, folded)) = parts.split_first() else { return String::new() };
    let mut notes = ctx.resources[own].resource_type.clone();
    if !folded.is_empty() {
        let mut listed: Vec<String> = folded
            .iter()
            .take(NOTES_LISTED)
            .map(|&p| format!("{} ({})", ctx.resources[p].id, ctx.resources[p].short_type()))
            .collect();
        if folded.len() > NOTES_LISTED {
            listed.push(format!("{} more", folded.len() - NOTES_LISTED));
        }
        notes.push_str(&format!(", with {}", listed.join(", ")));
    }
    notes.push('.');
    if let Some(variant_note) = variant_note {
        notes.push(' ');
        notes.push_str(&variant_note);
    }
    notes
}

/// The tasks the parts of node `n` settle (see the module docs), each with where it is set. A
/// conditional resource (CloudFormation `Condition:`) satisfies no check, and on a conditional
/// node nothing is settled.
pub(super) fn settled_checks(ctx: &Ctx<'_>, parts: &[usize], n: usize) -> BTreeMap<String, Vec<String>> {
    let mut verdicts: BTreeMap<&str, Vec<(String, Option<String>)>> = BTreeMap::new();
    if ctx.resources[n].conditional {
        return BTreeMap::new();
    }
    for &part in parts {
        let Some(rule) = ctx.rules[part] else { continue };
        let resource = &ctx.resources[part];
        // A part satisfies a task when one of its checks for the task holds.
        let mut own: BTreeMap<&str, Option<String>> = BTreeMap::new();
        for check in &rule.checks {
            if check.unless.as_ref().is_some_and(|c| c.surely(&resource.props)) {
                continue;
            }
            let place = if resource.conditional {
                None
            } else {
                check.when.evidence(&resource.props).map(|mut keys| {
                    if let Some(at) = &check.at {
                        keys = vec![at.clone()];
                    }
                    if keys.is_empty() {
                        resource.place.clone()
                    } else {
                        keys.iter()
                            .map(|key| format!("{}.{key}", resource.place))
                            .collect::<Vec<_>>()
                            .join(", ")
                    }
                })
            };
            let slot = own.entry(check.task.as_str()).or_default();
            if slot.is_none() {
                *slot = place;
            }
        }
        for (task, place) in own {
            verdicts.entry(task).or_default().push((kind(&resource.resource_type), place));
        }
    }
    let mut out = BTreeMap::new();
    for (task, parts) in verdicts {
        if settled(parts.iter().map(|(kind, place)| (kind.clone(), place.is_some()))) {
            let mut seen = HashSet::new();
            let places: Vec<String> = parts
                .into_iter()
                .filter_map(|(_, place)| place)
                .filter(|place| seen.insert(place.clone()))
                .collect();
            out.insert(task.to_owned(), places);
        }
    }
    out
}
