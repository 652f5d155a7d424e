//! Arranging a whole design: every boundary becomes a box sized to hold its children (nested
//! boundaries and member nodes), and inside every box items stand in tiers from left to right.
//! Boxes never overlap, so the frames of an imported or generated design are readable at once.

use std::collections::BTreeMap;

use super::{BOUNDARY_LABEL_HEIGHT, BOUNDARY_PADDING, NODE_SIZE, ROW_SPACING, TIER_SPACING, tiers};
use crate::model::{Pos, Project, Rect};
use crate::view::ModelView;

/// Space between stacked items in a column.
const ROW_GAP: f32 = ROW_SPACING - NODE_SIZE.1;
/// Space between columns.
const COLUMN_GAP: f32 = TIER_SPACING - NODE_SIZE.0;
/// The size of a boundary with nothing inside: room for its label, no more.
const EMPTY_BOX: (f32, f32) = (NODE_SIZE.0 + 2.0 * BOUNDARY_PADDING, NODE_SIZE.1 + BOUNDARY_LABEL_HEIGHT);

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Item {
    /// A boundary, by index in `Project::boundaries`.
    Box(usize),
    /// A node, by index in `Project::nodes`.
    Node(usize),
}

/// What a container holds, measured: item offsets from its content origin, and the size.
#[derive(Default)]
struct Packed {
    items: Vec<(Item, f32, f32)>,
    width: f32,
    height: f32,
}

/// Sets a position on every node and a frame on every boundary, from scratch.
pub fn arrange(project: &mut Project) {
    let node_count = project.nodes.len();
    let boundary_count = project.boundaries.len();
    let view = ModelView::build(project);
    let tier = tiers(&view, node_count);
    let children: Vec<Vec<usize>> = (0..boundary_count).map(|b| view.children(b).collect()).collect();
    let roots: Vec<usize> = view.roots().collect();
    // Each node goes in its innermost boundary.
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); boundary_count];
    let mut loose = Vec::new();
    for n in 0..node_count {
        match view.home(n) {
            Some(b) => members[b].push(n),
            None => loose.push(n),
        }
    }

    // Measure boxes from the leaves up.
    // Children before their parents: the reverse of outermost-first.
    let order: Vec<usize> = view.boundaries_outermost_first().rev().collect();
    let mut packed: Vec<Packed> = (0..boundary_count).map(|_| Packed::default()).collect();
    let mut box_size = vec![EMPTY_BOX; boundary_count];
    let mut box_tier = vec![usize::MAX; boundary_count];
    for &b in &order {
        let mut items: Vec<(Item, usize)> =
            children[b].iter().map(|&c| (Item::Box(c), box_tier[c])).collect();
        items.extend(members[b].iter().map(|&n| (Item::Node(n), tier[n])));
        box_tier[b] = items.iter().map(|(_, t)| *t).min().unwrap_or(usize::MAX);
        let content = pack(&items, &box_size, project);
        if !content.items.is_empty() {
            box_size[b] = (
                content.width + 2.0 * BOUNDARY_PADDING,
                content.height + 2.0 * BOUNDARY_PADDING + BOUNDARY_LABEL_HEIGHT,
            );
        }
        packed[b] = content;
    }

    // The top level: root boxes and nodes outside every boundary.
    let mut top: Vec<(Item, usize)> = roots.iter().map(|&b| (Item::Box(b), box_tier[b])).collect();
    top.extend(loose.iter().map(|&n| (Item::Node(n), tier[n])));
    let top = pack(&top, &box_size, project);

    // Place from the top down.
    let mut stack: Vec<(Item, f32, f32)> = top.items;
    let mut visited = vec![false; boundary_count];
    while let Some((item, x, y)) = stack.pop() {
        match item {
            Item::Node(n) => project.nodes[n].position = Some(Pos::new(x, y)),
            Item::Box(b) => {
                if std::mem::replace(&mut visited[b], true) {
                    continue;
                }
                let (w, h) = box_size[b];
                project.boundaries[b].rect = Some(Rect { x, y, w, h });
                let origin = (x + BOUNDARY_PADDING, y + BOUNDARY_PADDING + BOUNDARY_LABEL_HEIGHT);
                for &(child, dx, dy) in &packed[b].items {
                    stack.push((child, origin.0 + dx, origin.1 + dy));
                }
            }
        }
    }
}

/// Lays items out in columns, one group of columns per tier, left to right. A tall tier wraps
/// into several columns so the whole keeps a landscape shape.
fn pack(items: &[(Item, usize)], box_size: &[(f32, f32)], project: &Project) -> Packed {
    let size = |item: Item| match item {
        Item::Node(_) => NODE_SIZE,
        Item::Box(b) => box_size[b],
    };
    // Aim for columns about as tall as a 16:10 area holding everything would be.
    let area: f32 = items
        .iter()
        .map(|&(item, _)| {
            let (w, h) = size(item);
            (w + COLUMN_GAP) * (h + ROW_GAP)
        })
        .sum();
    let tallest = items.iter().map(|&(item, _)| size(item).1).fold(0.0_f32, f32::max);
    let target_height = (area * 10.0 / 16.0).sqrt().max(tallest).max(3.0 * (NODE_SIZE.1 + ROW_GAP));
    let mut by_tier: BTreeMap<usize, Vec<Item>> = BTreeMap::new();
    for &(item, tier) in items {
        by_tier.entry(tier).or_default().push(item);
    }
    let mut packed = Packed::default();
    let mut x = 0.0_f32;
    for (_, mut group) in by_tier {
        // Boxes first, then nodes, each by id, so the same design always looks the same.
        group.sort_by(|a, b| match (a, b) {
            (Item::Box(a), Item::Box(b)) => project.boundaries[*a].id.cmp(&project.boundaries[*b].id),
            (Item::Node(a), Item::Node(b)) => project.nodes[*a].id.cmp(&project.nodes[*b].id),
            _ => a.cmp(b),
        });
        let mut y = 0.0_f32;
        let mut width = 0.0_f32;
        for item in group {
            let (w, h) = size(item);
            if y > 0.0 && y + h > target_height {
                // Start the next column of this tier.
                x += width + COLUMN_GAP;
                y = 0.0;
                width = 0.0;
            }
            packed.items.push((item, x, y));
            packed.height = packed.height.max(y + h);
            y += h + ROW_GAP;
            width = width.max(w);
        }
        x += width + COLUMN_GAP;
    }
    packed.width = (x - COLUMN_GAP).max(0.0);
    packed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Boundary, BoundaryKind, Flow, Node};

    fn rect_of(project: &Project, id: &str) -> Rect {
        project.boundary(id).unwrap().rect.unwrap()
    }

    #[test]
    fn nested_boxes_hold_their_members_and_never_overlap() {
        let mut p = Project::default();
        for id in ["internet", "lb", "web1", "web2", "db", "bucket"] {
            p.nodes.push(Node::new(id, "ec2"));
        }
        p.flows.push(Flow::new("f1", "internet", "lb"));
        p.flows.push(Flow::new("f2", "lb", "web1"));
        p.flows.push(Flow::new("f3", "lb", "web2"));
        p.flows.push(Flow::new("f4", "web1", "db"));
        let mut account = Boundary::new("account", BoundaryKind::Account);
        account.members = vec!["bucket".into()];
        let mut vpc = Boundary::new("vpc", BoundaryKind::Vpc);
        vpc.parent = Some("account".into());
        let mut public = Boundary::new("public", BoundaryKind::Subnet);
        public.parent = Some("vpc".into());
        public.members = vec!["lb".into()];
        let mut private = Boundary::new("private", BoundaryKind::Subnet);
        private.parent = Some("vpc".into());
        private.members = vec!["web1".into(), "web2".into(), "db".into()];
        p.boundaries.extend([account, vpc, public, private, Boundary::new("empty", BoundaryKind::Generic)]);
        arrange(&mut p);

        for node in &p.nodes {
            assert!(node.position.is_some(), "{}", node.id);
        }
        let centre = |id: &str| crate::model::ops::node_centre(p.node(id).unwrap().position.unwrap());
        assert!(rect_of(&p, "private").contains(centre("web1")));
        assert!(rect_of(&p, "public").contains(centre("lb")));
        assert!(rect_of(&p, "account").contains(centre("bucket")));
        assert!(!rect_of(&p, "vpc").contains(centre("bucket")));
        assert!(rect_of(&p, "vpc").contains_rect(rect_of(&p, "private")));
        assert!(rect_of(&p, "account").contains_rect(rect_of(&p, "vpc")));
        let (a, b) = (rect_of(&p, "public"), rect_of(&p, "private"));
        assert!(
            a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y,
            "siblings overlap"
        );
        assert!(centre("internet").x < centre("lb").x, "tiers go left to right");
        assert!(p.boundary("empty").unwrap().rect.is_some());
    }

    #[test]
    fn big_tiers_wrap_into_columns() {
        let mut p = Project::default();
        let mut subnet = Boundary::new("subnet", BoundaryKind::Subnet);
        for i in 0..100 {
            p.nodes.push(Node::new(format!("n{i}"), "ec2"));
            subnet.members.push(format!("n{i}"));
        }
        p.boundaries.push(subnet);
        arrange(&mut p);
        let r = rect_of(&p, "subnet");
        assert!(r.w > 3.0 * NODE_SIZE.0 && r.h < 20.0 * ROW_SPACING, "{r:?}");
    }
}
