//! What a node is made of: its service, variant, exposure and notes, from its own resource and
//! the resources folded into it, and the tasks their properties satisfy.

use super::Ctx;
use crate::catalog::{Catalog, Service};
use crate::import::cond::Cond;
use crate::import::types::TypeRule;
use crate::responsibility::Owner;

/// How many folded resources a node's notes list by name.
const NOTES_LISTED: usize = 8;

/// The catalog service of a node: the rule's, or the first `service_if` that holds.
pub(super) fn node_service<'c>(ctx: &Ctx<'_>, catalog: &'c Catalog, n: usize) -> Option<&'c Service> {
    let rule = ctx.rules[n]?;
    let chosen = rule
        .service_if
        .iter()
        .find(|choice| choice.when.holds(ctx.props(n)))
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
            .and_then(|rule| rule.variants.iter().find(|c| c.when.holds(ctx.props(part))))
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

/// Whether a node is reachable from the internet: a part says so; else a part says it has no
/// public address; else its subnet gives one to what launches there.
pub(super) fn internet_facing(ctx: &Ctx<'_>, parts: &[usize], placed: &[usize], n: usize) -> bool {
    let holds = |pick: fn(&TypeRule) -> Option<&Cond>| {
        parts.iter().any(|&p| ctx.rules[p].and_then(pick).is_some_and(|c| c.holds(ctx.props(p))))
    };
    if holds(|rule| rule.internet_facing.as_ref()) {
        return true;
    }
    if holds(|rule| rule.private.as_ref()) {
        return false;
    }
    let auto_public_ip = ctx.rules[n].is_some_and(|rule| rule.subnet_public_ip);
    auto_public_ip
        && placed.iter().any(|&b| {
            ctx.rules[b].and_then(|rule| rule.public_ip.as_ref()).is_some_and(|c| c.holds(ctx.props(b)))
        })
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

/// `(template id, where)` for every check of resource `part` that holds.
pub(super) fn satisfied_checks(ctx: &Ctx<'_>, part: usize) -> Vec<(String, String)> {
    let Some(rule) = ctx.rules[part] else { return Vec::new() };
    let resource = &ctx.resources[part];
    rule.checks
        .iter()
        .filter_map(|check| {
            let mut keys = check.when.evidence(&resource.props)?;
            if let Some(at) = &check.at {
                keys = vec![at.clone()];
            }
            let place = if keys.is_empty() {
                resource.place.clone()
            } else {
                keys.iter().map(|key| format!("{}.{key}", resource.place)).collect::<Vec<_>>().join(", ")
            };
            Some((check.task.clone(), place))
        })
        .collect()
}
