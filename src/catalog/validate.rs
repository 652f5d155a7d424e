//! The rules a catalog must follow, checked every time one is loaded.

use std::collections::{HashMap, HashSet};

use super::{Catalog, RetiredTask, Service, TaskTemplate};
use crate::responsibility::{Layer, Owner};

/// Why a catalog could not be used.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// The text is not a well-formed catalog (this includes an owner map missing a layer).
    #[error("catalog: {0}")]
    Syntax(String),
    /// The catalog parsed but breaks its rules.
    #[error("catalog: {}", .0.join("; "))]
    Invalid(Vec<String>),
}

/// Every rule the catalog breaks, in words.
pub(super) fn problems(catalog: &Catalog) -> Vec<String> {
    let mut problems = Vec::new();
    let layer_ids: Vec<Layer> = catalog.layers.iter().map(|info| info.id).collect();
    if layer_ids != Layer::ALL {
        problems.push("`layers` must list the 16 layers once each, physical first".to_owned());
    }
    for info in &catalog.categories {
        if !is_colour(&info.colour) {
            problems.push(format!("category {:?}: colour {:?} is not #RRGGBB", info.id, info.colour));
        }
    }
    let mut service_ids = HashSet::new();
    for service in &catalog.services {
        if !service_ids.insert(service.id.as_str()) {
            problems.push(format!("duplicate service id {:?}", service.id));
        }
        service_problems(catalog, service, &mut problems);
    }
    template_list_problems("account_tasks", &catalog.account_tasks, &mut problems);
    template_list_problems("rule_tasks", &catalog.rule_tasks, &mut problems);
    for template in &catalog.account_tasks {
        for id in &template.services {
            if catalog.service(id).is_none_or(Service::is_actor) {
                let at = format!("account_tasks, task {:?}", template.id);
                problems.push(format!(
                    "{at}: `services` names {id:?}, which is not an AWS service of the catalog"
                ));
            }
        }
    }
    for template in &catalog.rule_tasks {
        if !template.services.is_empty() {
            problems.push(format!("rule_tasks, task {:?}: only account tasks take `services`", template.id));
        }
    }
    duplicate_control_problems(catalog, &mut problems);
    rule_problems(catalog, &mut problems);
    for retired in &catalog.retired {
        retired_problems(catalog, retired, &mut problems);
    }
    let mut records = HashSet::new();
    for retired in &catalog.retired {
        if !records.insert((&retired.service, &retired.task, &retired.moved_to)) {
            problems.push(format!("retired: {}/{} is recorded twice", retired.service, retired.task));
        }
    }
    problems
}

/// One task per control and scope: a control id is on at most one account template, never on
/// both an account template and a service template, and on at most one of a service's templates
/// in any one variant.
fn duplicate_control_problems(catalog: &Catalog, problems: &mut Vec<String>) {
    let mut account: HashMap<&str, &str> = HashMap::new();
    for template in &catalog.account_tasks {
        for control in &template.controls {
            if let Some(first) = account.insert(control, &template.id) {
                problems.push(format!(
                    "account_tasks: control {control} is on both {first:?} and {:?}",
                    template.id
                ));
            }
        }
    }
    for service in &catalog.services {
        for template in &service.tasks {
            for control in &template.controls {
                if let Some(account_task) = account.get(control.as_str()) {
                    problems.push(format!(
                        "service {:?}, task {:?}: control {control} is account-wide and belongs to account task {account_task:?} only",
                        service.id, template.id
                    ));
                }
            }
        }
        let configurations: Vec<_> = if service.variants.is_empty() {
            vec![None]
        } else {
            service.variants.iter().map(Some).collect()
        };
        let mut reported = HashSet::new();
        for variant in configurations {
            let mut seen: HashMap<&str, &str> = HashMap::new();
            for template in service.tasks.iter().filter(|t| Service::template_applies(t, variant)) {
                for control in &template.controls {
                    if let Some(first) = seen.insert(control, &template.id)
                        && reported.insert((control.as_str(), first, template.id.as_str()))
                    {
                        problems.push(format!(
                            "service {:?}: control {control} is on both {first:?} and {:?}",
                            service.id, template.id
                        ));
                    }
                }
            }
        }
    }
}

/// The rule templates describe exactly the rules this build runs, and every `fulfils` names one.
fn rule_problems(catalog: &Catalog, problems: &mut Vec<String>) {
    let known: HashSet<&str> = crate::checklist::RULE_IDS.iter().copied().collect();
    let described: HashSet<&str> = catalog.rule_tasks.iter().map(|t| t.id.as_str()).collect();
    for rule in &catalog.rule_tasks {
        if !known.contains(rule.id.as_str()) {
            problems.push(format!("rule_tasks, task {:?}: no such rule in this build", rule.id));
        }
    }
    for rule in crate::checklist::RULE_IDS {
        if !described.contains(rule) {
            problems.push(format!("rule_tasks: rule {rule:?} has no template"));
        }
    }
    let templates = catalog.account_tasks.iter().map(|t| ("account_tasks".to_owned(), t));
    let services =
        catalog.services.iter().flat_map(|s| s.tasks.iter().map(move |t| (format!("service {:?}", s.id), t)));
    for (at, template) in templates.chain(services) {
        if let Some(rule) = &template.fulfils
            && !known.contains(rule.as_str())
        {
            problems.push(format!("{at}, task {:?}: fulfils unknown rule {rule:?}", template.id));
        }
    }
}

/// A retired record names a template that is gone and, if it moved, one that exists.
fn retired_problems(catalog: &Catalog, retired: &RetiredTask, problems: &mut Vec<String>) {
    let at = format!("retired {}/{}", retired.service, retired.task);
    if retired.reason.trim().is_empty() {
        problems.push(format!("{at}: give a reason"));
    }
    match template_at(catalog, &retired.service, &retired.task) {
        Lookup::Found => problems.push(format!("{at}: the template still exists")),
        Lookup::NoScope => problems.push(format!("{at}: no service or account list {:?}", retired.service)),
        Lookup::NoTemplate => {}
    }
    if let Some(target) = &retired.moved_to {
        let found = target
            .split_once('/')
            .is_some_and(|(scope, id)| matches!(template_at(catalog, scope, id), Lookup::Found));
        if !found {
            problems.push(format!(
                "{at}: moved_to {target:?} names no template (account/<id> or <service>/<id>)"
            ));
        }
    }
}

enum Lookup {
    Found,
    NoTemplate,
    NoScope,
}

fn template_at(catalog: &Catalog, scope: &str, id: &str) -> Lookup {
    let templates = if scope == "account" {
        &catalog.account_tasks
    } else if let Some(service) = catalog.service(scope) {
        &service.tasks
    } else {
        return Lookup::NoScope;
    };
    if templates.iter().any(|t| t.id == id) { Lookup::Found } else { Lookup::NoTemplate }
}

fn service_problems(catalog: &Catalog, service: &Service, problems: &mut Vec<String>) {
    let at = format!("service {:?}", service.id);
    if !is_snake_case(&service.id) {
        problems.push(format!("{at}: the id must be snake_case"));
    }
    if service.short.is_empty() || service.short.chars().count() > 4 {
        problems.push(format!("{at}: `short` must be 1 to 4 characters"));
    }
    if catalog.category(service.category).is_none() {
        problems.push(format!("{at}: category {:?} is not in `categories`", service.category));
    }
    let mut variant_ids = HashSet::new();
    for variant in &service.variants {
        if !variant_ids.insert(variant.id.as_str()) {
            problems.push(format!("{at}: duplicate variant id {:?}", variant.id));
        }
        if !is_snake_case(&variant.id) {
            problems.push(format!("{at}: variant id {:?} must be snake_case", variant.id));
        }
    }
    if !service.is_actor() {
        physical_layer_problems(service, &at, problems);
    }
    match (&service.default_variant, service.variants.is_empty()) {
        (Some(default), _) if service.variant(default).is_none() => {
            problems.push(format!("{at}: default variant {default:?} is not one of its variants"));
        }
        (None, false) => problems.push(format!("{at}: has variants but no default_variant")),
        _ => {}
    }
    template_list_problems(&at, &service.tasks, problems);
    for template in &service.tasks {
        let task_at = format!("{at}, task {:?}", template.id);
        if !template.services.is_empty() {
            problems.push(format!("{task_at}: only account tasks take `services`"));
        }
        for variant in &template.variants {
            if service.variant(variant).is_none() {
                problems.push(format!("{task_at}: unknown variant {variant:?}"));
            }
        }
        // A template must be live in every configuration it applies to: a task on a layer AWS
        // owns (or that does not exist) would tell the customer to do AWS's job.
        let configurations: Vec<_> = if service.variants.is_empty() {
            vec![None]
        } else {
            service
                .variants
                .iter()
                .filter(|variant| Service::template_applies(template, Some(variant)))
                .map(Some)
                .collect()
        };
        for variant in configurations {
            let owner = service.owners_for(variant).get(template.layer);
            if !owner.involves_customer() {
                let which = variant.map_or(String::new(), |v| format!(" in variant {:?}", v.id));
                problems.push(format!(
                    "{task_at}: layer {} is owned by {}{which}, so the customer has no task there",
                    template.layer,
                    owner.id()
                ));
            }
        }
    }
}

/// The five lowest layers are AWS's ("security OF the cloud") for every AWS service, except in a
/// variant that runs at the customer's site and says so.
fn physical_layer_problems(service: &Service, at: &str, problems: &mut Vec<String>) {
    let lower = &Layer::ALL[..5];
    for &layer in lower {
        if service.owners.get(layer) != Owner::Aws {
            problems.push(format!(
                "{at}: layer {layer} must be AWS's; only a `customer_site` variant may move it"
            ));
        }
    }
    for variant in &service.variants {
        let owners = service.owners_for(Some(variant));
        let moved = lower.iter().any(|&layer| owners.get(layer) != Owner::Aws);
        if moved && !variant.customer_site {
            problems.push(format!(
                "{at}: variant {:?} moves a physical layer off AWS but is not marked `customer_site`",
                variant.id
            ));
        } else if variant.customer_site && owners.get(Layer::Physical) == Owner::Aws {
            problems.push(format!(
                "{at}: variant {:?} is marked `customer_site` but leaves the physical layer with AWS",
                variant.id
            ));
        }
    }
}

fn template_list_problems(at: &str, templates: &[TaskTemplate], problems: &mut Vec<String>) {
    let mut ids = HashSet::new();
    for template in templates {
        let task_at = format!("{at}, task {:?}", template.id);
        if !ids.insert(template.id.as_str()) {
            problems.push(format!("{at}: duplicate task id {:?}", template.id));
        }
        if !is_snake_case(&template.id) {
            problems.push(format!("{task_at}: the id must be snake_case"));
        }
        if template.title.trim().is_empty() {
            problems.push(format!("{task_at}: empty title"));
        }
        if template.controls.is_empty() && template.basis.trim().is_empty() {
            problems.push(format!("{task_at}: no Security Hub control and no `basis` saying why"));
        }
        for control in &template.controls {
            if !is_control_id(control) {
                problems.push(format!("{task_at}: malformed Security Hub control id {control:?}"));
            }
        }
        for number in template.cis_v3.iter().chain(&template.cis_v5) {
            if !is_cis_number(number) {
                problems.push(format!("{task_at}: malformed CIS number {number:?}"));
            }
        }
        for check in &template.prowler {
            if !is_snake_case(check) {
                problems.push(format!("{task_at}: malformed Prowler check id {check:?}"));
            }
        }
    }
}

fn is_snake_case(id: &str) -> bool {
    id.starts_with(|c: char| c.is_ascii_lowercase())
        && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// A Security Hub control id: a service prefix and a number, e.g. `EC2.8`, `APIGateway.1`.
pub fn is_control_id(id: &str) -> bool {
    let Some((prefix, number)) = id.split_once('.') else { return false };
    prefix.starts_with(|c: char| c.is_ascii_uppercase())
        && prefix.chars().all(|c| c.is_ascii_alphanumeric())
        && !number.is_empty()
        && number.chars().all(|c| c.is_ascii_digit())
        && !number.starts_with('0')
}

/// A CIS benchmark number, e.g. `5.1.1`.
fn is_cis_number(number: &str) -> bool {
    !number.is_empty()
        && number.split('.').all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit()))
}

fn is_colour(colour: &str) -> bool {
    colour.len() == 7 && colour.starts_with('#') && colour[1..].chars().all(|c| c.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_ids() {
        for good in ["EC2.8", "APIGateway.1", "SecretsManager.4", "S3.17"] {
            assert!(is_control_id(good), "{good}");
        }
        for bad in ["EC2", "ec2.8", "EC2.", "EC2.08", "EC2.8a", ".8", "EC 2.8", "EC2.8.1"] {
            assert!(!is_control_id(bad), "{bad}");
        }
    }

    #[test]
    fn cis_numbers() {
        assert!(is_cis_number("5.1.1"));
        assert!(is_cis_number("1"));
        assert!(!is_cis_number("5..1"));
        assert!(!is_cis_number("v5.1"));
    }
}
