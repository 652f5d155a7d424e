//! Consistency checks on a parsed project: ids, references and catalog entries.

use std::collections::{HashMap, HashSet};

use super::Location;
use crate::catalog::Catalog;
use crate::model::aws::{check_account_id, check_evidence_path, check_region, check_resource};
use crate::model::{BoundaryKind, Project, is_valid_id};

/// One thing wrong with a project, with where it is in the file when that can be found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// What is wrong, in words.
    pub message: String,
    /// Where, when known.
    pub location: Option<Location>,
}

impl Problem {
    /// A problem at `location`.
    pub fn new(message: impl Into<String>, location: Option<Location>) -> Self {
        Self { message: message.into(), location }
    }
}

/// Every problem with `project`, checked against `catalog`. `text` is the file the project came
/// from (empty when there is none), used to point at the line of each problem.
pub fn validate(project: &Project, catalog: &Catalog, text: &str) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut report = |message: String, field: &str, value: &str, occurrence: usize| {
        problems.push(Problem::new(message, locate_field(text, field, value, occurrence)));
    };

    // Ids: well formed and unique across nodes, flows and boundaries.
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let all_ids = project
        .nodes
        .iter()
        .map(|n| ("node", n.id.as_str()))
        .chain(project.flows.iter().map(|f| ("flow", f.id.as_str())))
        .chain(project.boundaries.iter().map(|b| ("boundary", b.id.as_str())));
    for (kind, id) in all_ids {
        let count = seen.entry(id).or_insert(0);
        *count += 1;
        if let Err(error) = is_valid_id(id) {
            report(format!("{kind} id {id:?}: {error}"), "id", id, 1);
        } else if *count == 2 {
            report(
                format!("duplicate id {id:?}: every node, flow and boundary needs its own id"),
                "id",
                id,
                2,
            );
        }
    }

    let node_ids: HashSet<&str> = project.nodes.iter().map(|n| n.id.as_str()).collect();
    for node in &project.nodes {
        match catalog.service(&node.service) {
            None => {
                let hint = catalog
                    .closest_service(&node.service)
                    .map_or(String::new(), |s| format!(" (did you mean {s:?}?)"));
                report(
                    format!(
                        "node {:?}: unknown service {:?}{hint}; `whoowns catalog` lists them",
                        node.id, node.service
                    ),
                    "service",
                    &node.service,
                    1,
                );
            }
            Some(service) => {
                if let Some(variant) = &node.variant
                    && service.variant(variant).is_none()
                {
                    let known: Vec<&str> = service.variants.iter().map(|v| v.id.as_str()).collect();
                    let choices = if known.is_empty() {
                        format!("{} has no variants", service.id)
                    } else {
                        format!("{} has: {}", service.id, known.join(", "))
                    };
                    report(
                        format!("node {:?}: unknown variant {variant:?} ({choices})", node.id),
                        "variant",
                        variant,
                        1,
                    );
                }
            }
        }
    }

    for flow in &project.flows {
        for (field, end) in [("from", &flow.from), ("to", &flow.to)] {
            if !node_ids.contains(end.as_str()) {
                report(
                    format!("flow {:?}: `{field}` names {end:?}, which is not a node", flow.id),
                    field,
                    end,
                    1,
                );
            }
        }
    }

    let boundary_ids: HashSet<&str> = project.boundaries.iter().map(|b| b.id.as_str()).collect();
    for boundary in &project.boundaries {
        for member in &boundary.members {
            if !node_ids.contains(member.as_str()) {
                report(format!("boundary {:?}: member {member:?} is not a node", boundary.id), "", member, 1);
            }
        }
        if let Some(parent) = &boundary.parent
            && !boundary_ids.contains(parent.as_str())
        {
            report(
                format!("boundary {:?}: parent {parent:?} is not a boundary", boundary.id),
                "parent",
                parent,
                1,
            );
        }
    }
    aws_names(project, &mut report);
    if let Some(id) = first_parent_cycle(project) {
        report(format!("boundary {id:?} is inside itself: its parents form a loop"), "id", &id, 1);
    }
    problems.sort_by_key(|p| p.location.map_or((usize::MAX, 0), |l| (l.line, l.column)));
    problems
}

/// Resources on nodes, account ids and Regions on boundaries, the evidence file's name.
fn aws_names(project: &Project, report: &mut impl FnMut(String, &str, &str, usize)) {
    for node in &project.nodes {
        for entry in &node.resources {
            if let Err(error) = check_resource(entry) {
                report(format!("node {:?}: resource {entry:?} is not valid: {error}", node.id), "", entry, 1);
            }
        }
    }
    for boundary in &project.boundaries {
        if let Some(id) = &boundary.account_id {
            if boundary.kind != BoundaryKind::Account {
                report(
                    format!("boundary {:?}: only account boundaries have an account_id", boundary.id),
                    "account_id",
                    id,
                    1,
                );
            } else if let Err(error) = check_account_id(id) {
                report(
                    format!("boundary {:?}: account_id {id:?} is not valid: {error}", boundary.id),
                    "account_id",
                    id,
                    1,
                );
            }
        }
        if let Some(region) = &boundary.region {
            if boundary.kind != BoundaryKind::Region {
                report(
                    format!("boundary {:?}: only region boundaries have a region", boundary.id),
                    "region",
                    region,
                    1,
                );
            } else if let Err(error) = check_region(region) {
                report(
                    format!("boundary {:?}: region {region:?} is not valid: {error}", boundary.id),
                    "region",
                    region,
                    1,
                );
            }
        }
    }
    if let Some(path) = &project.evidence
        && let Err(error) = check_evidence_path(path)
    {
        report(format!("evidence {path:?} is not valid: {error}"), "evidence", path, 1);
    }
}

/// The id of a boundary whose chain of parents comes back to it, if any.
fn first_parent_cycle(project: &Project) -> Option<String> {
    let parent_of: HashMap<&str, &str> =
        project.boundaries.iter().filter_map(|b| b.parent.as_deref().map(|p| (b.id.as_str(), p))).collect();
    for boundary in &project.boundaries {
        let mut current = boundary.id.as_str();
        for _ in 0..=project.boundaries.len() {
            match parent_of.get(current) {
                Some(&parent) if parent == boundary.id => return Some(boundary.id.clone()),
                Some(&parent) => current = parent,
                None => break,
            }
        }
    }
    None
}

/// Where `field: "value"` occurs for the `occurrence`-th time (from 1) in `text`; with an empty
/// field, where `"value"` occurs. Best effort: used only to point at a line in an error.
fn locate_field(text: &str, field: &str, value: &str, occurrence: usize) -> Option<Location> {
    let quoted = ron::to_string(value).ok()?;
    let mut found = 0;
    let mut start = 0;
    while let Some(offset) = text[start..].find(&quoted) {
        let at = start + offset;
        start = at + quoted.len();
        let before = text[..at].trim_end();
        let matches_field =
            field.is_empty() || before.strip_suffix(':').is_some_and(|b| b.trim_end().ends_with(field));
        if matches_field {
            found += 1;
            if found == occurrence {
                return Some(location_of(text, at));
            }
        }
    }
    None
}

fn location_of(text: &str, offset: usize) -> Location {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Location { line, column: before[line_start..].chars().count() + 1 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_the_nth_field_value() {
        let text = "a: \"x\",\nid: \"x\",\n  id:  \"x\",";
        assert_eq!(locate_field(text, "id", "x", 1), Some(Location { line: 2, column: 5 }));
        assert_eq!(locate_field(text, "id", "x", 2), Some(Location { line: 3, column: 8 }));
        assert_eq!(locate_field(text, "id", "x", 3), None);
        assert_eq!(locate_field(text, "", "x", 1), Some(Location { line: 1, column: 4 }));
    }
}
