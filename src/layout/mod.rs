//! Automatic layout for nodes that have no position (hand-written or generated files, imports),
//! and frames for boundaries that have none.
//!
//! - A design with no positions at all (diagrams as code, imports, `whoowns generate`) is
//!   arranged as a whole by [`arrange`]: boundaries nested inside each other, and inside each
//!   one, nodes in tiers from left to right by their distance along flows from where traffic
//!   starts.
//! - In a design that already has positions, nodes without one are placed below the rest
//!   ([`place_unpositioned`]) and boundaries without a frame are fitted around what they hold
//!   ([`fit_missing_frames`]). Nodes that have a position never move.
//!
//! The boundary tree, each node's innermost boundary and the flows come from the
//! [`ModelView`], so laying out a design costs time linear in its size however deep it nests.

mod nested;

use std::collections::VecDeque;

pub use nested::arrange;

use crate::model::geometry::{Bounds, node_rect};
use crate::model::{Pos, Project, Rect};
use crate::view::ModelView;

pub use crate::model::geometry::{BOUNDARY_LABEL_HEIGHT, BOUNDARY_PADDING, NODE_SIZE};

/// Horizontal distance between tiers.
pub const TIER_SPACING: f32 = 260.0;
/// Vertical distance between nodes of a tier.
pub const ROW_SPACING: f32 = 96.0;

/// Gives every node a position and every boundary a frame, moving nothing that has one.
pub fn lay_out(project: &mut Project) {
    let nothing_placed = project.nodes.iter().all(|n| n.position.is_none())
        && project.boundaries.iter().all(|b| b.rect.is_none());
    if nothing_placed {
        arrange(project);
    } else {
        place_unpositioned(project);
        fit_missing_frames(project);
    }
}

/// Gives every node without a position one. Returns the ids of the nodes placed.
pub fn place_unpositioned(project: &mut Project) -> Vec<String> {
    let unplaced: Vec<usize> =
        (0..project.nodes.len()).filter(|&i| project.nodes[i].position.is_none()).collect();
    if unplaced.is_empty() {
        return Vec::new();
    }
    let view = ModelView::build(project);
    let tiers = tiers(&view, project.nodes.len());
    // Below everything already placed, so hand-placed nodes and new ones never overlap.
    let top = project
        .nodes
        .iter()
        .filter_map(|n| n.position)
        .map(|p| p.y + NODE_SIZE.1 + ROW_SPACING)
        .chain(project.boundaries.iter().filter_map(|b| b.rect).map(|r| r.y + r.h + ROW_SPACING))
        .fold(None, |acc: Option<f32>, y| Some(acc.map_or(y, |a| a.max(y))))
        .unwrap_or(0.0);
    let group: Vec<Option<usize>> = (0..project.nodes.len()).map(|n| view.home(n)).collect();
    let mut columns: Vec<Vec<usize>> = Vec::new();
    for &index in &unplaced {
        let tier = tiers[index];
        if columns.len() <= tier {
            columns.resize(tier + 1, Vec::new());
        }
        columns[tier].push(index);
    }
    let mut placed = Vec::with_capacity(unplaced.len());
    for (tier, column) in columns.iter_mut().enumerate() {
        column.sort_by(|&a, &b| {
            (group[a].unwrap_or(usize::MAX), &project.nodes[a].id)
                .cmp(&(group[b].unwrap_or(usize::MAX), &project.nodes[b].id))
        });
        let mut y = top;
        let mut previous_group = None;
        for (row, &index) in column.iter().enumerate() {
            // A gap between groups leaves room for boundary frames.
            if row > 0 && group[index] != previous_group {
                y += 2.0 * BOUNDARY_PADDING + BOUNDARY_LABEL_HEIGHT;
            }
            previous_group = group[index];
            let x = tier as f32 * TIER_SPACING;
            project.nodes[index].position = Some(Pos::new(x, y));
            placed.push(project.nodes[index].id.clone());
            y += ROW_SPACING;
        }
    }
    placed
}

/// The tier of every node: 0 for nodes no flow reaches (where traffic starts), then one
/// more per flow followed. Cycles are broken by visiting each node once.
pub(crate) fn tiers(view: &ModelView, node_count: usize) -> Vec<usize> {
    let incoming: Vec<usize> =
        (0..node_count).map(|i| view.incoming(i).filter(|&(_, from)| from != i).count()).collect();
    let mut tier = vec![usize::MAX; node_count];
    let mut queue = VecDeque::new();
    for i in (0..node_count).filter(|&i| incoming[i] == 0) {
        tier[i] = 0;
        queue.push_back(i);
    }
    let mut next_unvisited = 0;
    loop {
        while let Some(current) = queue.pop_front() {
            for (_, next) in view.outgoing(current) {
                if tier[next] == usize::MAX {
                    tier[next] = tier[current] + 1;
                    queue.push_back(next);
                }
            }
        }
        // Nodes only reachable through a cycle: start from the first one left.
        while next_unvisited < node_count && tier[next_unvisited] != usize::MAX {
            next_unvisited += 1;
        }
        if next_unvisited == node_count {
            break;
        }
        tier[next_unvisited] = 0;
        queue.push_back(next_unvisited);
    }
    tier
}

/// Gives every boundary without a frame the frame fitted around what it holds. Boundaries with
/// nothing inside get a default frame below everything else.
pub fn fit_missing_frames(project: &mut Project) {
    let fitted = fitted_frames(project, &ModelView::build(project));
    for (boundary, rect) in project.boundaries.iter_mut().zip(fitted) {
        if boundary.rect.is_none() {
            boundary.rect = rect;
        }
    }
    // Empty boundaries get a default frame below everything else, one under the other.
    let mut y = project
        .nodes
        .iter()
        .filter_map(|n| n.position)
        .map(|p| p.y + NODE_SIZE.1)
        .chain(project.boundaries.iter().filter_map(|b| b.rect).map(|r| r.y + r.h))
        .fold(0.0_f32, f32::max)
        + ROW_SPACING;
    for boundary in project.boundaries.iter_mut().filter(|b| b.rect.is_none()) {
        boundary.rect = Some(Rect { x: 0.0, y, w: 320.0, h: 200.0 });
        y += 200.0 + ROW_SPACING;
    }
}

/// The frame every boundary shows: its own when it has one, else fitted around its members and
/// child boundaries with padding; `None` when it has neither a frame nor anything inside.
/// Children before parents, so each is computed once: linear in the design.
pub fn fitted_frames(project: &Project, view: &ModelView) -> Vec<Option<Rect>> {
    let mut frames: Vec<Option<Rect>> = project.boundaries.iter().map(|b| b.rect).collect();
    for b in view.boundaries_outermost_first().rev() {
        if frames[b].is_some() {
            continue;
        }
        let mut bounds = Bounds::default();
        for n in view.members(b) {
            if let Some(pos) = project.nodes[n].position {
                bounds.add(node_rect(pos));
            }
        }
        for child in view.children(b) {
            if let Some(rect) = frames[child] {
                bounds.add(rect);
            }
        }
        frames[b] = bounds.frame();
    }
    frames
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Boundary, BoundaryKind, Flow, Node};

    #[test]
    fn places_tiers_left_to_right_and_keeps_existing_positions() {
        let mut project = Project::default();
        project.nodes.push(Node::new("internet", "internet"));
        project.nodes.push(Node::new("lb", "elb"));
        project.nodes.push(Node::new("web", "ec2"));
        let mut fixed = Node::new("fixed", "s3");
        fixed.position = Some(Pos::new(5.0, 7.0));
        project.nodes.push(fixed);
        project.flows.push(Flow::new("f1", "internet", "lb"));
        project.flows.push(Flow::new("f2", "lb", "web"));
        let placed = place_unpositioned(&mut project);
        assert_eq!(placed.len(), 3);
        let x = |id: &str| project.node(id).unwrap().position.unwrap().x;
        assert!(x("internet") < x("lb") && x("lb") < x("web"));
        assert_eq!(project.node("fixed").unwrap().position, Some(Pos::new(5.0, 7.0)));
        assert!(project.node("web").unwrap().position.unwrap().y > 7.0, "new nodes go below old ones");
    }

    #[test]
    fn cycles_terminate() {
        let mut project = Project::default();
        project.nodes.push(Node::new("a", "ec2"));
        project.nodes.push(Node::new("b", "ec2"));
        project.flows.push(Flow::new("f1", "a", "b"));
        project.flows.push(Flow::new("f2", "b", "a"));
        assert_eq!(place_unpositioned(&mut project).len(), 2);
    }

    #[test]
    fn frames_fit_members_and_children() {
        let mut project = Project::default();
        let mut node = Node::new("a", "ec2");
        node.position = Some(Pos::new(100.0, 100.0));
        project.nodes.push(node);
        let mut subnet = Boundary::new("subnet", BoundaryKind::Subnet);
        subnet.members.push("a".into());
        subnet.parent = Some("vpc".into());
        project.boundaries.push(subnet);
        project.boundaries.push(Boundary::new("vpc", BoundaryKind::Vpc));
        project.boundaries.push(Boundary::new("empty", BoundaryKind::Generic));
        let frames = fitted_frames(&project, &ModelView::build(&project));
        let (inner, outer) = (frames[0].unwrap(), frames[1].unwrap());
        assert!(inner.contains(Pos::new(100.0, 100.0)));
        assert!(outer.contains_rect(inner) && outer.w > inner.w);
        assert!(frames[2].is_none(), "nothing inside, no frame");
    }
}
