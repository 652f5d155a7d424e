//! Copy and paste: a selection is copied as a small project of its own (a *fragment*), which is
//! also what goes on the system clipboard as RON text, so it can be pasted into another window.

use std::collections::{HashMap, HashSet};

use super::ops::with_descendants;
use super::{Edit, Pos, Project, Rect};

/// The selected nodes and boundaries with everything inside the boundaries, and the flows
/// between the nodes taken.
pub fn extract(project: &Project, nodes: &[&str], boundaries: &[&str]) -> Project {
    let boundary_ids = with_descendants(project, boundaries);
    let mut node_ids: HashSet<&str> = nodes.iter().copied().collect();
    for boundary in project.boundaries.iter().filter(|b| boundary_ids.contains(b.id.as_str())) {
        node_ids.extend(boundary.members.iter().map(String::as_str));
    }
    let mut fragment = Project::named("clipboard");
    fragment.nodes = project.nodes.iter().filter(|n| node_ids.contains(n.id.as_str())).cloned().collect();
    fragment.flows = project
        .flows
        .iter()
        .filter(|f| node_ids.contains(f.from.as_str()) && node_ids.contains(f.to.as_str()))
        .cloned()
        .collect();
    fragment.boundaries = project
        .boundaries
        .iter()
        .filter(|b| boundary_ids.contains(b.id.as_str()))
        .map(|b| {
            let mut b = b.clone();
            b.members.retain(|m| node_ids.contains(m.as_str()));
            if b.parent.as_deref().is_some_and(|p| !boundary_ids.contains(p)) {
                b.parent = None;
            }
            b
        })
        .collect();
    fragment
}

/// What pasting added.
#[derive(Debug, Default)]
pub struct Pasted {
    /// The ids the pasted nodes got.
    pub nodes: Vec<String>,
    /// The ids the pasted boundaries got.
    pub boundaries: Vec<String>,
}

/// The edit that adds `fragment` to `project`, moved by `offset`, with fresh ids wherever the
/// fragment's ids are taken. Task states are not pasted: a copy starts with open tasks.
pub fn paste(project: &Project, fragment: &Project, offset: (f32, f32)) -> (Edit, Pasted) {
    let mut taken: HashSet<String> = project
        .nodes
        .iter()
        .map(|n| n.id.clone())
        .chain(project.flows.iter().map(|f| f.id.clone()))
        .chain(project.boundaries.iter().map(|b| b.id.clone()))
        .collect();
    let mut rename = HashMap::new();
    let mut fresh = |id: &str, taken: &mut HashSet<String>| {
        let new = super::unique_id(id, |candidate| taken.contains(candidate));
        taken.insert(new.clone());
        rename.insert(id.to_owned(), new.clone());
        new
    };
    let mut edits = Vec::new();
    let mut pasted = Pasted::default();
    let mut node_ids = Vec::new();
    for node in &fragment.nodes {
        node_ids.push((node.id.clone(), fresh(&node.id, &mut taken)));
    }
    let mut boundary_ids = Vec::new();
    for boundary in &fragment.boundaries {
        boundary_ids.push((boundary.id.clone(), fresh(&boundary.id, &mut taken)));
    }
    let lookup = |old: &str| -> String {
        node_ids
            .iter()
            .chain(&boundary_ids)
            .find(|(o, _)| o == old)
            .map_or_else(|| old.to_owned(), |(_, n)| n.clone())
    };
    for (index, node) in fragment.nodes.iter().enumerate() {
        let mut node = node.clone();
        node.id = node_ids[index].1.clone();
        node.position = node.position.map(|p| Pos::new(p.x + offset.0, p.y + offset.1));
        pasted.nodes.push(node.id.clone());
        edits.push(Edit::InsertNode { index: project.nodes.len() + index, node });
    }
    for (index, boundary) in fragment.boundaries.iter().enumerate() {
        let mut boundary = boundary.clone();
        boundary.id = boundary_ids[index].1.clone();
        boundary.members = boundary.members.iter().map(|m| lookup(m)).collect();
        boundary.parent = boundary.parent.as_deref().map(lookup);
        boundary.rect = boundary.rect.map(|r| Rect { x: r.x + offset.0, y: r.y + offset.1, ..r });
        pasted.boundaries.push(boundary.id.clone());
        edits.push(Edit::InsertBoundary { index: project.boundaries.len() + index, boundary });
    }
    for (index, flow) in fragment.flows.iter().enumerate() {
        let mut flow = flow.clone();
        flow.id = fresh(&flow.id, &mut taken);
        flow.from = lookup(&flow.from);
        flow.to = lookup(&flow.to);
        edits.push(Edit::InsertFlow { index: project.flows.len() + index, flow });
    }
    (Edit::Batch(edits), pasted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Boundary, BoundaryKind, Flow, Node};

    fn project() -> Project {
        let mut p = Project::default();
        for (id, x) in [("web", 0.0), ("db", 300.0), ("other", 600.0)] {
            let mut n = Node::new(id, "ec2");
            n.position = Some(Pos::new(x, 0.0));
            p.nodes.push(n);
        }
        p.flows.push(Flow::new("web-db", "web", "db"));
        p.flows.push(Flow::new("db-other", "db", "other"));
        let mut vpc = Boundary::new("vpc", BoundaryKind::Vpc);
        vpc.members = vec!["web".into(), "db".into()];
        vpc.rect = Some(Rect { x: -20.0, y: -40.0, w: 520.0, h: 140.0 });
        p.boundaries.push(vpc);
        p
    }

    #[test]
    fn copying_a_boundary_takes_its_members_and_inner_flows() {
        let p = project();
        let fragment = extract(&p, &[], &["vpc"]);
        let ids: Vec<&str> = fragment.nodes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, vec!["web", "db"]);
        assert_eq!(fragment.flows.len(), 1, "only the flow between copied nodes");
    }

    #[test]
    fn pasting_renames_offsets_and_keeps_structure() {
        let mut p = project();
        let fragment = extract(&p, &[], &["vpc"]);
        let (edit, pasted) = paste(&p, &fragment, (32.0, 32.0));
        edit.apply(&mut p).unwrap();
        assert_eq!(pasted.nodes, vec!["web-2", "db-2"]);
        assert_eq!(p.node("web-2").unwrap().position, Some(Pos::new(32.0, 32.0)));
        let vpc = p.boundary(&pasted.boundaries[0]).unwrap();
        assert_eq!(vpc.members, vec!["web-2".to_owned(), "db-2".to_owned()]);
        let flow = p.flows.iter().find(|f| f.from == "web-2").unwrap();
        assert_eq!(flow.to, "db-2");
        // The result is a valid project.
        assert!(crate::io::validate(&p, crate::catalog::Catalog::builtin(), "").is_empty());
    }
}
