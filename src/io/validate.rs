//! Consistency checks on a parsed project: ids, references and catalog entries. Each problem
//! knows the value it is about (the `service` of the fourth node, the second member of a
//! boundary), and all of them are found in the text in one scan, however many there are.

use std::collections::{HashMap, HashSet};

use super::Location;
use super::lines::LineCursor;
use super::ron_path::{Frame, Scanner};
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

/// The list of a project a value is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Section {
    Nodes,
    Flows,
    Boundaries,
}

impl Section {
    fn of(name: &str) -> Option<Self> {
        match name {
            "nodes" => Some(Self::Nodes),
            "flows" => Some(Self::Flows),
            "boundaries" => Some(Self::Boundaries),
            _ => None,
        }
    }
}

/// Which string value of a project a problem is about: the `field` of item `item` of
/// `section`, and for a list field (`members`) its element `element`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Site {
    section: Section,
    item: usize,
    field: &'static str,
    element: Option<usize>,
}

impl Site {
    fn new(section: Section, item: usize, field: &'static str) -> Self {
        Self { section, item, field, element: None }
    }

    /// The site of the string literal inside `frames`, when it is one a problem can be about:
    /// `section: [ Item( field: "…" ) ]`, `field: Some("…")` or `field: [ "…", "…" ]`.
    fn of_literal<'t>(frames: &[Frame<'t>]) -> Option<(Section, usize, &'t str, Option<usize>)> {
        let [project, list, item, rest @ ..] = frames else { return None };
        if project.open != b'(' || list.open != b'[' || item.open != b'(' {
            return None;
        }
        let section = Section::of(project.key?)?;
        let field = item.key?;
        let element = match rest {
            [] => None,
            [inner] if inner.open == b'[' => Some(inner.index),
            [inner] if inner.open == b'(' && inner.name == Some("Some") => None,
            _ => return None,
        };
        Some((section, list.index, field, element))
    }
}

/// The fields problems point at; `Site::field` is one of these.
const FIELDS: [&str; 10] =
    ["id", "service", "variant", "from", "to", "members", "parent", "resources", "account_id", "region"];

/// Collects problems with the site each is about.
#[derive(Default)]
struct Report {
    problems: Vec<(String, Option<Site>)>,
}

impl Report {
    fn add(&mut self, message: String, site: Site) {
        self.problems.push((message, Some(site)));
    }
}

/// Every problem with `project`, checked against `catalog`, in file order. `text` is the file
/// the project came from (empty when there is none), used to point at the line of each problem.
pub fn validate(project: &Project, catalog: &Catalog, text: &str) -> Vec<Problem> {
    let mut report = Report::default();
    check_ids(project, &mut report);
    check_services(project, catalog, &mut report);
    check_references(project, &mut report);
    check_aws_names(project, &mut report);
    check_teams(project, &mut report);
    let mut problems = locate(text, report.problems);
    problems.sort_by_key(|p| p.location.map_or((usize::MAX, 0), |l| (l.line, l.column)));
    problems
}

/// Ids: well formed and unique across nodes, flows and boundaries. A duplicate is reported at
/// its second occurrence, the one that is wrong.
fn check_ids(project: &Project, report: &mut Report) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let all_ids = (project.nodes.iter().enumerate().map(|(i, n)| (Section::Nodes, "node", i, n.id.as_str())))
        .chain(project.flows.iter().enumerate().map(|(i, f)| (Section::Flows, "flow", i, f.id.as_str())))
        .chain(
            project
                .boundaries
                .iter()
                .enumerate()
                .map(|(i, b)| (Section::Boundaries, "boundary", i, b.id.as_str())),
        );
    for (section, kind, index, id) in all_ids {
        let count = seen.entry(id).or_insert(0);
        *count += 1;
        let site = Site::new(section, index, "id");
        if let Err(error) = is_valid_id(id) {
            report.add(format!("{kind} id {}: {error}", shown(id)), site);
        } else if *count == 2 {
            report.add(
                format!("duplicate id {}: every node, flow and boundary needs its own id", shown(id)),
                site,
            );
        }
    }
}

/// Services and variants the catalog knows. The nearest known service is suggested once per
/// distinct unknown name (a file may use one misspelling a hundred thousand times), and only for
/// the first names: a report shows [`super::MAX_SHOWN_PROBLEMS`] problems, and a file of
/// 100,000 different unknown names must not cost 100,000 searches of the catalog.
fn check_services(project: &Project, catalog: &Catalog, report: &mut Report) {
    let mut hints: HashMap<&str, String> = HashMap::new();
    // A service from an overlay that is not loaded is kept as it is (see `unknown_services`).
    let tolerated = overlays_not_loaded(project, catalog);
    for (index, node) in project.nodes.iter().enumerate() {
        match catalog.service(&node.service) {
            None if tolerated => {}
            None => {
                let searched = hints.len();
                let hint = hints.entry(node.service.as_str()).or_insert_with(|| {
                    // Edit distance is quadratic in the length; no service id is long.
                    if searched >= super::MAX_SHOWN_PROBLEMS || node.service.len() > crate::model::MAX_ID_LEN
                    {
                        return String::new();
                    }
                    catalog
                        .closest_service(&node.service)
                        .map_or(String::new(), |s| format!(" (did you mean {s:?}?)"))
                });
                report.add(
                    format!(
                        "node {}: unknown service {}{hint}; `whoowns catalog` lists them",
                        shown(&node.id),
                        shown(&node.service)
                    ),
                    Site::new(Section::Nodes, index, "service"),
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
                    report.add(
                        format!("node {}: unknown variant {} ({choices})", shown(&node.id), shown(variant)),
                        Site::new(Section::Nodes, index, "variant"),
                    );
                }
            }
        }
    }
}

/// Teams: ids well formed and unique, and every assignment and task state names one.
fn check_teams(project: &Project, report: &mut Report) {
    let mut ids: HashSet<&str> = HashSet::new();
    for team in &project.teams {
        if let Err(error) = is_valid_id(&team.id) {
            report.problems.push((format!("team id {}: {error}", shown(&team.id)), None));
        } else if !ids.insert(team.id.as_str()) {
            report.problems.push((format!("duplicate team id {}", shown(&team.id)), None));
        }
    }
    let mut named: Vec<(String, &str)> = Vec::new();
    named.extend(project.assign.team_ids().map(|t| ("the project's `assign`".to_owned(), t)));
    for boundary in &project.boundaries {
        named.extend(boundary.assign.team_ids().map(|t| (format!("boundary {}", shown(&boundary.id)), t)));
    }
    for node in &project.nodes {
        named.extend(node.assign.team_ids().map(|t| (format!("node {}", shown(&node.id)), t)));
    }
    for (key, state) in &project.tasks {
        named.extend(state.team.as_deref().map(|t| (format!("task {}", shown(key)), t)));
    }
    for (at, team) in named {
        if !ids.contains(team) {
            let known: Vec<&str> = project.teams.iter().map(|t| t.id.as_str()).collect();
            let known = if known.is_empty() { "none".to_owned() } else { known.join(", ") };
            report
                .problems
                .push((format!("{at}: unknown team {}; `teams` declares: {known}", shown(team)), None));
        }
    }
}

/// Whether the project names catalog overlays that `catalog` does not hold (one is missing, or
/// the caller did not layer them): its unknown services may come from them.
pub(crate) fn overlays_not_loaded(project: &Project, catalog: &Catalog) -> bool {
    !project.catalogs.is_empty() && !catalog.has_project_overlays(&project.catalogs)
}

/// The warnings for nodes kept with services no loaded catalog knows, because the project's
/// overlays are not all loaded: "unknown service acme_deployer, from catalogs/acme.ron, not found".
pub fn unknown_services(project: &Project, catalog: &Catalog) -> Vec<String> {
    if !overlays_not_loaded(project, catalog) {
        return Vec::new();
    }
    let missing: Vec<&str> = project
        .catalogs
        .iter()
        .filter(|entry| !catalog.has_project_overlays(std::slice::from_ref(*entry)))
        .map(String::as_str)
        .collect();
    let mut services: Vec<&str> =
        project.nodes.iter().map(|n| n.service.as_str()).filter(|s| catalog.service(s).is_none()).collect();
    services.sort_unstable();
    services.dedup();
    services
        .into_iter()
        .map(|service| {
            format!(
                "unknown service {}, from {}, not found; its nodes and task states are kept as they are",
                shown(service),
                missing.join(" or ")
            )
        })
        .collect()
}

/// Flows and members name nodes; parents name boundaries, without loops.
fn check_references(project: &Project, report: &mut Report) {
    let node_ids: HashSet<&str> = project.nodes.iter().map(|n| n.id.as_str()).collect();
    for (index, flow) in project.flows.iter().enumerate() {
        for (field, end) in [("from", &flow.from), ("to", &flow.to)] {
            if !node_ids.contains(end.as_str()) {
                report.add(
                    format!("flow {}: `{field}` names {}, which is not a node", shown(&flow.id), shown(end)),
                    Site::new(Section::Flows, index, field),
                );
            }
        }
    }
    let boundary_ids: HashSet<&str> = project.boundaries.iter().map(|b| b.id.as_str()).collect();
    for (index, boundary) in project.boundaries.iter().enumerate() {
        for (position, member) in boundary.members.iter().enumerate() {
            if !node_ids.contains(member.as_str()) {
                report.add(
                    format!("boundary {}: member {} is not a node", shown(&boundary.id), shown(member)),
                    Site { element: Some(position), ..Site::new(Section::Boundaries, index, "members") },
                );
            }
        }
        if let Some(parent) = &boundary.parent
            && !boundary_ids.contains(parent.as_str())
        {
            report.add(
                format!("boundary {}: parent {} is not a boundary", shown(&boundary.id), shown(parent)),
                Site::new(Section::Boundaries, index, "parent"),
            );
        }
    }
    if let Some(index) = first_parent_cycle(project) {
        report.add(
            format!(
                "boundary {} is inside itself: its parents form a loop",
                shown(&project.boundaries[index].id)
            ),
            Site::new(Section::Boundaries, index, "id"),
        );
    }
}

/// A value for a message: quoted and escaped as in the file, and cut short when it is long.
fn shown(value: &str) -> String {
    const MAX: usize = 80;
    if value.chars().count() <= MAX {
        format!("{value:?}")
    } else {
        let short: String = value.chars().take(MAX).collect();
        format!("{short:?}… ({} characters)", value.chars().count())
    }
}

/// Gives each problem the line and column of its site in `text`, in one scan of the text.
fn locate(text: &str, problems: Vec<(String, Option<Site>)>) -> Vec<Problem> {
    let mut wanted: HashMap<Site, Vec<usize>> = HashMap::new();
    for (index, (_, site)) in problems.iter().enumerate() {
        if let Some(site) = site {
            wanted.entry(*site).or_default().push(index);
        }
    }
    let mut locations: Vec<Option<Location>> = vec![None; problems.len()];
    if !text.is_empty() && !wanted.is_empty() {
        let mut cursor = LineCursor::new(text.as_bytes());
        Scanner::new(text).run(usize::MAX, |literal| {
            let Some((section, item, field, element)) = Site::of_literal(literal.frames) else { return };
            let Some(&field) = FIELDS.iter().find(|&&f| f == field) else { return };
            if let Some(indices) = wanted.get(&Site { section, item, field, element }) {
                let location = cursor.locate(literal.offset);
                for &index in indices {
                    locations[index] = Some(location);
                }
            }
        });
    }
    problems
        .into_iter()
        .zip(locations)
        .map(|((message, _), location)| Problem { message, location })
        .collect()
}

/// Resources on nodes, account ids and Regions on boundaries, the evidence file's name.
fn check_aws_names(project: &Project, report: &mut Report) {
    for (index, node) in project.nodes.iter().enumerate() {
        for (element, entry) in node.resources.iter().enumerate() {
            if let Err(error) = check_resource(entry) {
                report.add(
                    format!("node {}: resource {} is not valid: {error}", shown(&node.id), shown(entry)),
                    Site { element: Some(element), ..Site::new(Section::Nodes, index, "resources") },
                );
            }
        }
    }
    for (index, boundary) in project.boundaries.iter().enumerate() {
        if let Some(id) = &boundary.account_id {
            let site = Site::new(Section::Boundaries, index, "account_id");
            if boundary.kind != BoundaryKind::Account {
                report.add(
                    format!("boundary {}: only account boundaries have an account_id", shown(&boundary.id)),
                    site,
                );
            } else if let Err(error) = check_account_id(id) {
                report.add(
                    format!(
                        "boundary {}: account_id {} is not valid: {error}",
                        shown(&boundary.id),
                        shown(id)
                    ),
                    site,
                );
            }
        }
        if let Some(region) = &boundary.region {
            let site = Site::new(Section::Boundaries, index, "region");
            if boundary.kind != BoundaryKind::Region {
                report.add(
                    format!("boundary {}: only region boundaries have a region", shown(&boundary.id)),
                    site,
                );
            } else if let Err(error) = check_region(region) {
                report.add(
                    format!(
                        "boundary {}: region {} is not valid: {error}",
                        shown(&boundary.id),
                        shown(region)
                    ),
                    site,
                );
            }
        }
    }
    if let Some(path) = &project.evidence
        && let Err(error) = check_evidence_path(path)
    {
        report.problems.push((format!("evidence {} is not valid: {error}", shown(path)), None));
    }
}

/// The index of a boundary whose chain of parents comes back to it, if any: each boundary is
/// visited once, so this is linear however deep the nesting.
fn first_parent_cycle(project: &Project) -> Option<usize> {
    let index_of: HashMap<&str, usize> =
        project.boundaries.iter().enumerate().map(|(i, b)| (b.id.as_str(), i)).collect();
    let parent = |i: usize| project.boundaries[i].parent.as_deref().and_then(|p| index_of.get(p).copied());
    // 0: not visited, 1: on the chain being walked, 2: known to end without a loop.
    let mut state = vec![0_u8; project.boundaries.len()];
    for start in 0..project.boundaries.len() {
        let mut chain = Vec::new();
        let mut current = Some(start);
        while let Some(i) = current {
            match state[i] {
                0 => {
                    state[i] = 1;
                    chain.push(i);
                    current = parent(i);
                }
                1 => return Some(i),
                _ => break,
            }
        }
        for i in chain {
            state[i] = 2;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Boundary, BoundaryKind};

    #[test]
    fn sites_of_literals_follow_the_structure() {
        let text = "Project(version: 1, nodes: [Node(id: \"a\", variant: Some(\"v\")), (id: \"b\")], \
                    boundaries: [Boundary(id: \"x\", members: [\"a\", \"b\"], parent: \"p\")], name: \"n\")";
        let mut sites = Vec::new();
        Scanner::new(text).run(usize::MAX, |literal| {
            sites.push(Site::of_literal(literal.frames).map(|(s, i, f, e)| (s, i, f.to_owned(), e)));
        });
        let expected = [
            Some((Section::Nodes, 0, "id".to_owned(), None)),
            Some((Section::Nodes, 0, "variant".to_owned(), None)),
            Some((Section::Nodes, 1, "id".to_owned(), None)),
            Some((Section::Boundaries, 0, "id".to_owned(), None)),
            Some((Section::Boundaries, 0, "members".to_owned(), Some(0))),
            Some((Section::Boundaries, 0, "members".to_owned(), Some(1))),
            Some((Section::Boundaries, 0, "parent".to_owned(), None)),
            None,
        ];
        assert_eq!(sites, expected);
    }

    #[test]
    fn parent_loops_are_found_in_linear_time() {
        let mut project = Project::named("deep");
        for i in 0..20_000 {
            let mut boundary = Boundary::new(format!("b{i}"), BoundaryKind::Generic);
            boundary.parent = (i > 0).then(|| format!("b{}", i - 1));
            project.boundaries.push(boundary);
        }
        assert_eq!(first_parent_cycle(&project), None);
        project.boundaries[0].parent = Some("b19999".into());
        assert!(first_parent_cycle(&project).is_some());
    }

    #[test]
    fn long_values_are_cut_short_in_messages() {
        assert_eq!(shown("ec3"), "\"ec3\"");
        let long = shown(&"x".repeat(1_000_000));
        assert!(long.len() < 120 && long.ends_with("(1000000 characters)"), "{long}");
    }
}
