//! The diagram operations a person performs, each as one [`Edit`]: place, connect, move,
//! resize, group, delete. Plain functions of the project, so the GUI only turns input into
//! calls and the behaviour is tested without a window.

use std::collections::HashSet;

use super::geometry::{Bounds, NODE_SIZE, node_rect};
use super::{Boundary, BoundaryKind, Edit, Flow, Node, Pos, Project, Rect};

/// The centre of a node whose top-left corner is at `pos`.
pub fn node_centre(pos: Pos) -> Pos {
    Pos::new(pos.x + NODE_SIZE.0 / 2.0, pos.y + NODE_SIZE.1 / 2.0)
}

/// The smallest boundary whose frame contains `point`, leaving out those in `exclude`.
pub fn boundary_at<'a>(project: &'a Project, point: Pos, exclude: &HashSet<&str>) -> Option<&'a Boundary> {
    project
        .boundaries
        .iter()
        .filter(|b| !exclude.contains(b.id.as_str()))
        .filter(|b| b.rect.is_some_and(|r| r.contains(point)))
        .min_by(|a, b| area(a).total_cmp(&area(b)))
}

fn area(boundary: &Boundary) -> f32 {
    boundary.rect.map_or(f32::INFINITY, |r| r.w * r.h)
}

/// Adds `node` (with a position) and makes it a member of the boundary it lands in.
pub fn place_node(project: &Project, node: Node) -> Edit {
    let mut edits = Vec::new();
    if let Some(home) = node.position.and_then(|p| boundary_at(project, node_centre(p), &HashSet::new())) {
        let mut changed = home.clone();
        changed.members.push(node.id.clone());
        edits.push(Edit::SetBoundary(changed));
    }
    edits.insert(0, Edit::InsertNode { index: project.nodes.len(), node });
    Edit::Batch(edits)
}

/// Adds a boundary of `kind` with its frame at `rect`, inside the boundary that holds it.
pub fn place_boundary(project: &Project, kind: BoundaryKind, rect: Rect) -> (Edit, String) {
    let id = project.unique_id(kind.id());
    let mut boundary = Boundary::new(id.clone(), kind);
    boundary.label = kind.name().to_owned();
    boundary.rect = Some(rect);
    boundary.parent = enclosing_boundary(project, rect, &HashSet::new()).map(|b| b.id.clone());
    (Edit::InsertBoundary { index: project.boundaries.len(), boundary }, id)
}

/// The smallest boundary whose frame holds all of `rect`.
fn enclosing_boundary<'a>(project: &'a Project, rect: Rect, exclude: &HashSet<&str>) -> Option<&'a Boundary> {
    project
        .boundaries
        .iter()
        .filter(|b| !exclude.contains(b.id.as_str()))
        .filter(|b| b.rect.is_some_and(|r| r.contains_rect(rect)))
        .min_by(|a, b| area(a).total_cmp(&area(b)))
}

/// A flow from `from` to `to`, encrypted, with an id made from both ends. `None` when either
/// end is missing or the flow would connect a node to itself.
pub fn connect(project: &Project, from: &str, to: &str) -> Option<(Edit, String)> {
    if from == to || project.node(from).is_none() || project.node(to).is_none() {
        return None;
    }
    let id = project.unique_id(&format!("{from}-{to}"));
    let mut flow = Flow::new(id.clone(), from, to);
    flow.protocol = "HTTPS".to_owned();
    Some((Edit::InsertFlow { index: project.flows.len(), flow }, id))
}

/// Every boundary inside `ids` (their children, grandchildren...), `ids` included.
pub fn with_descendants<'a>(project: &'a Project, ids: &[&'a str]) -> HashSet<&'a str> {
    let mut found: HashSet<&str> = ids.iter().copied().filter(|id| project.boundary(id).is_some()).collect();
    loop {
        let before = found.len();
        for boundary in &project.boundaries {
            if boundary.parent.as_deref().is_some_and(|p| found.contains(p)) {
                found.insert(&boundary.id);
            }
        }
        if found.len() == before {
            return found;
        }
    }
}

/// Moves the selected nodes and boundaries by `(dx, dy)` as one step. A boundary carries its
/// members and the boundaries inside it. A moved node joins the boundary it is dropped in and
/// leaves those it no longer sits in; a moved boundary's parent becomes the boundary it is
/// dropped in.
pub fn move_selection(project: &Project, nodes: &[&str], boundaries: &[&str], dx: f32, dy: f32) -> Edit {
    let moved_boundaries = with_descendants(project, boundaries);
    let carried: HashSet<&str> = project
        .boundaries
        .iter()
        .filter(|b| moved_boundaries.contains(b.id.as_str()))
        .flat_map(|b| b.members.iter().map(String::as_str))
        .collect();
    let shift = |p: Pos| Pos::new(p.x + dx, p.y + dy);

    let mut positions = Vec::new();
    let mut loose = Vec::new();
    for node in &project.nodes {
        let id = node.id.as_str();
        let selected = nodes.contains(&id);
        if !(selected || carried.contains(id)) {
            continue;
        }
        if let Some(pos) = node.position {
            positions.push((node.id.clone(), Some(shift(pos))));
            if selected && !carried.contains(id) {
                loose.push((node, shift(pos)));
            }
        }
    }
    let mut rects = Vec::new();
    for boundary in &project.boundaries {
        if moved_boundaries.contains(boundary.id.as_str())
            && let Some(r) = boundary.rect
        {
            rects.push((boundary.id.clone(), Some(Rect { x: r.x + dx, y: r.y + dy, ..r })));
        }
    }

    // Memberships of loose nodes, and parents of the top moved boundaries, after the move.
    let mut changed: Vec<Boundary> = Vec::new();
    let boundary_mut = |id: &str, changed: &mut Vec<Boundary>| -> Option<usize> {
        if let Some(i) = changed.iter().position(|b| b.id == id) {
            return Some(i);
        }
        changed.push(project.boundary(id)?.clone());
        Some(changed.len() - 1)
    };
    let frame_after = |b: &Boundary| {
        let r = b.rect?;
        Some(if moved_boundaries.contains(b.id.as_str()) {
            Rect { x: r.x + dx, y: r.y + dy, ..r }
        } else {
            r
        })
    };
    for (node, pos) in loose {
        let centre = node_centre(pos);
        let home = project
            .boundaries
            .iter()
            .filter(|b| frame_after(b).is_some_and(|r| r.contains(centre)))
            .min_by(|a, b| {
                let area = |x: &Boundary| frame_after(x).map_or(f32::INFINITY, |r| r.w * r.h);
                area(a).total_cmp(&area(b))
            })
            .map(|b| b.id.as_str());
        for boundary in &project.boundaries {
            let is_member = boundary.members.contains(&node.id);
            let contains = frame_after(boundary).is_some_and(|r| r.contains(centre));
            if is_member
                && !contains
                && let Some(i) = boundary_mut(&boundary.id, &mut changed)
            {
                changed[i].members.retain(|m| *m != node.id);
            }
        }
        if let Some(home) = home {
            let already = project.boundary(home).is_some_and(|b| b.members.contains(&node.id));
            if !already && let Some(i) = boundary_mut(home, &mut changed) {
                changed[i].members.push(node.id.clone());
            }
        }
    }
    for &id in boundaries {
        let Some(boundary) = project.boundary(id) else { continue };
        // Only the outermost moved boundaries can change parent; the rest move with them.
        if boundary.parent.as_deref().is_some_and(|p| moved_boundaries.contains(p)) {
            continue;
        }
        let Some(frame) = frame_after(boundary) else { continue };
        let parent = enclosing_boundary(project, frame, &moved_boundaries).map(|b| b.id.clone());
        if parent != boundary.parent
            && let Some(i) = boundary_mut(id, &mut changed)
        {
            changed[i].parent = parent;
        }
    }

    let mut edits = Vec::new();
    if !positions.is_empty() {
        edits.push(Edit::SetPositions(positions));
    }
    if !rects.is_empty() {
        edits.push(Edit::SetRects(rects));
    }
    // Frames first, then memberships, so the recorded boundaries carry their new rects.
    for mut boundary in changed {
        if let Some(r) = frame_after(&boundary) {
            boundary.rect = Some(r);
        }
        edits.push(Edit::SetBoundary(boundary));
    }
    Edit::Batch(edits)
}

/// The boundaries enclosing boundary `id`, innermost first (`id` itself not included). Stops at
/// a loop or a parent that does not exist.
fn ancestors<'a>(project: &'a Project, id: &str) -> Vec<&'a str> {
    let mut chain: Vec<&str> = Vec::new();
    let mut current = project.boundary(id).and_then(|b| b.parent.as_deref());
    while let Some(parent) = current {
        if chain.contains(&parent) || parent == id || project.boundary(parent).is_none() {
            break;
        }
        chain.push(parent);
        current = project.boundary(parent).and_then(|b| b.parent.as_deref());
    }
    chain
}

/// The deepest boundary holding node `id` directly (between equals, the first by id).
fn innermost_holder<'a>(project: &'a Project, id: &str) -> Option<&'a str> {
    project
        .boundaries
        .iter()
        .filter(|b| b.members.iter().any(|m| m == id))
        .map(|b| (ancestors(project, &b.id).len(), b.id.as_str()))
        .min_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)))
        .map(|(_, id)| id)
}

/// The deepest boundary that is, or encloses, every one of `containers` (`None` stands for the
/// top level, which encloses everything).
fn common_container<'a>(project: &'a Project, containers: &[Option<&'a str>]) -> Option<&'a str> {
    let chain = |c: Option<&'a str>| -> Vec<&'a str> {
        c.map(|id| std::iter::once(id).chain(ancestors(project, id)).collect()).unwrap_or_default()
    };
    let mut common: Vec<&str> = chain(*containers.first()?);
    for &c in &containers[1..] {
        let other = chain(c);
        common.retain(|id| other.contains(id));
    }
    common.first().copied()
}

/// The frames to grow so that `parent` and each boundary around it hold `frame` with padding
/// and room for `frame`'s label strip: nested frames never share an edge or a label strip.
fn grow_around<'a>(
    project: &'a Project,
    parent: Option<&'a str>,
    frame: Rect,
) -> Vec<(String, Option<Rect>)> {
    let mut grown = Vec::new();
    let mut inner = frame;
    let mut current = parent;
    let mut seen = 0;
    while let Some(id) = current {
        let Some(boundary) = project.boundary(id) else { break };
        let Some(rect) = boundary.rect else { break };
        let mut needed = Bounds::default();
        needed.add(inner);
        let Some(needed) = needed.frame() else { break };
        if rect.contains_rect(needed) {
            break;
        }
        let mut both = Bounds::default();
        both.add(rect);
        both.add(needed);
        let Some(union) = both.rect() else { break };
        grown.push((id.to_owned(), Some(union)));
        inner = union;
        current = boundary.parent.as_deref();
        seen += 1;
        if seen > project.boundaries.len() {
            break;
        }
    }
    grown
}

/// A new boundary of `kind` around the selected nodes `nodes` and boundaries `boundaries`.
///
/// Selected boundaries become its children (with everything inside them); selected nodes that
/// are not inside one of those become its members. It goes inside the deepest boundary that
/// holds all of them, and its frame is inset from that parent's, with its own label strip: the
/// parent (and its parents) grow when they do not leave that room. A node leaves the parent it
/// sat in directly; memberships deeper than the parent (a subnet, when grouping into a security
/// group) stay. `None` when nothing selected has a place on the canvas.
#[must_use]
pub fn group_into(
    project: &Project,
    nodes: &[&str],
    boundaries: &[&str],
    kind: BoundaryKind,
) -> Option<(Edit, String)> {
    let selected: HashSet<&str> =
        boundaries.iter().copied().filter(|id| project.boundary(id).is_some()).collect();
    // The outermost selected boundaries; the others come along inside them.
    let children: Vec<&str> = project
        .boundaries
        .iter()
        .map(|b| b.id.as_str())
        .filter(|id| selected.contains(id) && !ancestors(project, id).iter().any(|a| selected.contains(a)))
        .collect();
    let inside_children = with_descendants(project, &children);
    let members: Vec<&str> = project
        .nodes
        .iter()
        .map(|n| n.id.as_str())
        .filter(|id| nodes.contains(id))
        .filter(|id| {
            !project
                .boundaries
                .iter()
                .any(|b| inside_children.contains(b.id.as_str()) && b.members.iter().any(|m| m == id))
        })
        .collect();

    let mut bounds = Bounds::default();
    for pos in members.iter().filter_map(|id| project.node(id)?.position) {
        bounds.add(node_rect(pos));
    }
    for rect in children.iter().filter_map(|id| project.boundary(id)?.rect) {
        bounds.add(rect);
    }
    let rect = bounds.frame()?;
    let containers: Vec<Option<&str>> = members
        .iter()
        .map(|id| innermost_holder(project, id))
        .chain(children.iter().map(|id| project.boundary(id).and_then(|b| b.parent.as_deref())))
        .collect();
    let parent = common_container(project, &containers);

    let id = project.unique_id(kind.id());
    let mut boundary = Boundary::new(id.clone(), kind);
    boundary.label = kind.name().to_owned();
    boundary.rect = Some(rect);
    boundary.parent = parent.map(str::to_owned);
    boundary.members = members.iter().map(|m| (*m).to_owned()).collect();
    let mut edits = vec![Edit::InsertBoundary { index: project.boundaries.len(), boundary }];
    if let Some(parent) = parent.and_then(|p| project.boundary(p)) {
        let mut changed = parent.clone();
        changed.members.retain(|m| !members.contains(&m.as_str()));
        if changed != *parent {
            edits.push(Edit::SetBoundary(changed));
        }
    }
    for child in children.iter().filter_map(|c| project.boundary(c)) {
        edits.push(Edit::SetBoundary(Boundary { parent: Some(id.clone()), ..child.clone() }));
    }
    let grown = grow_around(project, parent, rect);
    if !grown.is_empty() {
        edits.push(Edit::SetRects(grown));
    }
    Some((Edit::Batch(edits), id))
}

/// Gives boundary `id` the frame `rect`, as one step; the boundaries around it grow when they
/// no longer hold it with padding and room for its label strip. Membership does not change.
#[must_use]
pub fn resize_boundary(project: &Project, id: &str, rect: Rect) -> Edit {
    let parent = project.boundary(id).and_then(|b| b.parent.as_deref());
    let mut rects = vec![(id.to_owned(), Some(rect))];
    rects.extend(grow_around(project, parent, rect));
    Edit::SetRects(rects)
}

/// Removes the boundaries `ids`, keeping what they hold: their members and the boundaries
/// inside them move up to their parent.
#[must_use]
pub fn ungroup(project: &Project, ids: &[&str]) -> Edit {
    Edit::remove_boundaries(project, ids)
}

/// Puts boundary `id` inside `parent` (`None`: at the top level), as one step. The new parent
/// (and its parents) grow to hold its frame with padding and a label strip, so the frame and
/// the nesting agree. Nothing happens when `parent` is `id` itself or inside it.
#[must_use]
pub fn set_parent(project: &Project, id: &str, parent: Option<&str>) -> Edit {
    let Some(boundary) = project.boundary(id) else { return Edit::Batch(Vec::new()) };
    if let Some(p) = parent
        && (p == id || ancestors(project, p).contains(&id) || project.boundary(p).is_none())
    {
        return Edit::Batch(Vec::new());
    }
    if boundary.parent.as_deref() == parent {
        return Edit::Batch(Vec::new());
    }
    let mut edits =
        vec![Edit::SetBoundary(Boundary { parent: parent.map(str::to_owned), ..boundary.clone() })];
    if let Some(frame) = boundary.rect {
        let grown = grow_around(project, parent, frame);
        if !grown.is_empty() {
            edits.push(Edit::SetRects(grown));
        }
    }
    Edit::Batch(edits)
}

/// Removes the selected nodes (with their flows and memberships), flows and boundaries (their
/// contents move up to the parent) as one step.
pub fn delete(project: &Project, nodes: &[&str], flows: &[&str], boundaries: &[&str]) -> Edit {
    let mut edits = Vec::new();
    let mut after = project.clone();
    for &id in flows {
        let flow = project.flow(id);
        let goes_with_a_node =
            flow.is_some_and(|f| nodes.contains(&f.from.as_str()) || nodes.contains(&f.to.as_str()));
        if flow.is_some() && !goes_with_a_node {
            edits.push(Edit::RemoveFlow(id.to_owned()));
        }
    }
    // Each part is computed on the project as the previous parts leave it.
    for edit in edits.iter().cloned() {
        edit.apply(&mut after).ok();
    }
    let remove_nodes = Edit::remove_nodes(&after, nodes);
    remove_nodes.clone().apply(&mut after).ok();
    edits.push(remove_nodes);
    edits.push(Edit::remove_boundaries(&after, boundaries));
    Edit::Batch(edits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project() -> Project {
        let mut project = Project::default();
        let mut vpc = Boundary::new("vpc", BoundaryKind::Vpc);
        vpc.rect = Some(Rect { x: 0.0, y: 0.0, w: 1000.0, h: 600.0 });
        let mut subnet = Boundary::new("subnet", BoundaryKind::Subnet);
        subnet.rect = Some(Rect { x: 50.0, y: 50.0, w: 400.0, h: 300.0 });
        subnet.parent = Some("vpc".into());
        subnet.members.push("web".into());
        let mut web = Node::new("web", "ec2");
        web.position = Some(Pos::new(100.0, 100.0));
        let mut db = Node::new("db", "rds");
        db.position = Some(Pos::new(2000.0, 100.0));
        project.nodes.extend([web, db]);
        project.boundaries.extend([vpc, subnet]);
        project
    }

    fn apply(project: &mut Project, edit: Edit) {
        edit.apply(project).unwrap();
    }

    #[test]
    fn a_placed_node_joins_the_innermost_boundary() {
        let mut p = project();
        let mut node = Node::new("new", "s3");
        node.position = Some(Pos::new(120.0, 200.0));
        let edit = place_node(&p, node);
        apply(&mut p, edit);
        assert!(p.boundary("subnet").unwrap().members.contains(&"new".to_owned()));
        assert!(!p.boundary("vpc").unwrap().members.contains(&"new".to_owned()));
    }

    #[test]
    fn moving_a_node_out_changes_its_membership() {
        let mut p = project();
        let edit = move_selection(&p, &["web"], &[], 500.0, 0.0);
        apply(&mut p, edit);
        assert_eq!(p.node("web").unwrap().position, Some(Pos::new(600.0, 100.0)));
        assert!(p.boundary("subnet").unwrap().members.is_empty());
        assert_eq!(p.boundary("vpc").unwrap().members, vec!["web".to_owned()]);
    }

    #[test]
    fn moving_a_boundary_carries_members_and_children() {
        let mut p = project();
        let edit = move_selection(&p, &[], &["vpc"], 10.0, 20.0);
        apply(&mut p, edit);
        assert_eq!(p.node("web").unwrap().position, Some(Pos::new(110.0, 120.0)));
        assert_eq!(p.boundary("subnet").unwrap().rect.unwrap().x, 60.0);
        assert_eq!(p.boundary("subnet").unwrap().members, vec!["web".to_owned()]);
        assert_eq!(p.node("db").unwrap().position, Some(Pos::new(2000.0, 100.0)));
    }

    #[test]
    fn a_boundary_dropped_inside_another_gets_it_as_parent() {
        let mut p = project();
        let mut sg = Boundary::new("sg", BoundaryKind::SecurityGroup);
        sg.rect = Some(Rect { x: 1900.0, y: 50.0, w: 300.0, h: 200.0 });
        p.boundaries.push(sg);
        let edit = move_selection(&p, &[], &["sg"], -1800.0, 100.0);
        apply(&mut p, edit);
        assert_eq!(p.boundary("sg").unwrap().parent.as_deref(), Some("subnet"));
    }

    #[test]
    fn grouping_takes_nodes_from_their_boundary() {
        let mut p = project();
        let (edit, id) = group_into(&p.clone(), &["web"], &[], BoundaryKind::SecurityGroup).unwrap();
        apply(&mut p, edit);
        let group = p.boundary(&id).unwrap();
        assert_eq!(group.members, vec!["web".to_owned()]);
        assert_eq!(group.parent.as_deref(), Some("subnet"));
        assert!(p.boundary("subnet").unwrap().members.is_empty());
        assert!(group.rect.unwrap().contains(node_centre(Pos::new(100.0, 100.0))));
    }

    /// Whether `inner` sits in `outer` with padding and room for its label strip.
    fn inset(outer: Rect, inner: Rect) -> bool {
        let pad = crate::model::geometry::BOUNDARY_PADDING;
        let label = crate::model::geometry::BOUNDARY_LABEL_HEIGHT;
        inner.x >= outer.x + pad
            && inner.y >= outer.y + pad + label
            && inner.x + inner.w <= outer.x + outer.w - pad
            && inner.y + inner.h <= outer.y + outer.h - pad
    }

    #[test]
    fn grouping_takes_selected_boundaries_as_children() {
        let mut p = project();
        let mut cdn = Node::new("cdn", "cloudfront");
        cdn.position = Some(Pos::new(1200.0, 100.0));
        p.nodes.push(cdn);
        let original = p.clone();
        // The VPC and a node outside it, into an account: the VPC goes inside, nodes inside the
        // VPC stay where they are.
        let (edit, id) = group_into(&original, &["cdn", "web"], &["vpc"], BoundaryKind::Account).unwrap();
        let inverse = edit.apply(&mut p).unwrap();
        let account = p.boundary(&id).unwrap().clone();
        assert_eq!(account.parent, None);
        assert_eq!(account.members, vec!["cdn".to_owned()], "web stays in its subnet");
        assert_eq!(p.boundary("vpc").unwrap().parent.as_deref(), Some(id.as_str()));
        assert_eq!(p.boundary("subnet").unwrap().members, vec!["web".to_owned()]);
        assert!(inset(account.rect.unwrap(), p.boundary("vpc").unwrap().rect.unwrap()));
        inverse.apply(&mut p).unwrap();
        assert_eq!(p, original);
    }

    #[test]
    fn a_new_inner_boundary_is_inset_and_its_parents_grow_to_make_room() {
        let mut p = project();
        // web sits 50 units inside the subnet's top-left corner: too close for a frame of its
        // own with a label strip, so the subnet (and the VPC around it) grow.
        let (edit, id) = group_into(&p.clone(), &["web"], &[], BoundaryKind::SecurityGroup).unwrap();
        edit.apply(&mut p).unwrap();
        let (group, subnet, vpc) = (
            p.boundary(&id).unwrap().rect.unwrap(),
            p.boundary("subnet").unwrap().rect.unwrap(),
            p.boundary("vpc").unwrap().rect.unwrap(),
        );
        assert!(inset(subnet, group), "{group:?} in {subnet:?}");
        assert!(inset(vpc, subnet), "{subnet:?} in {vpc:?}");
    }

    #[test]
    fn set_parent_nests_refuses_loops_and_undoes() {
        let mut p = project();
        let mut sg = Boundary::new("sg", BoundaryKind::SecurityGroup);
        sg.rect = Some(Rect { x: 1900.0, y: 50.0, w: 300.0, h: 200.0 });
        p.boundaries.push(sg);
        let original = p.clone();
        assert!(
            set_parent(&p, "vpc", Some("subnet")).is_empty(),
            "a boundary cannot go inside its own child"
        );
        assert!(set_parent(&p, "vpc", Some("vpc")).is_empty());
        let inverse = set_parent(&original, "sg", Some("vpc")).apply(&mut p).unwrap();
        assert_eq!(p.boundary("sg").unwrap().parent.as_deref(), Some("vpc"));
        assert!(inset(p.boundary("vpc").unwrap().rect.unwrap(), p.boundary("sg").unwrap().rect.unwrap()));
        inverse.apply(&mut p).unwrap();
        assert_eq!(p, original);
        let edit = set_parent(&p, "subnet", None);
        edit.apply(&mut p).unwrap();
        assert_eq!(p.boundary("subnet").unwrap().parent, None);
    }

    #[test]
    fn resizing_grows_the_parents_and_ungroup_keeps_the_contents() {
        let mut p = project();
        let wider = Rect { x: -100.0, y: 50.0, w: 600.0, h: 300.0 };
        resize_boundary(&p.clone(), "subnet", wider).apply(&mut p).unwrap();
        assert_eq!(p.boundary("subnet").unwrap().rect, Some(wider));
        assert!(inset(p.boundary("vpc").unwrap().rect.unwrap(), wider), "the VPC grew around it");
        ungroup(&p.clone(), &["subnet"]).apply(&mut p).unwrap();
        assert!(p.boundary("subnet").is_none());
        assert_eq!(p.boundary("vpc").unwrap().members, vec!["web".to_owned()]);
    }

    #[test]
    fn connect_refuses_self_loops_and_makes_unique_ids() {
        let mut p = project();
        assert!(connect(&p, "web", "web").is_none());
        let (edit, id) = connect(&p.clone(), "web", "db").unwrap();
        apply(&mut p, edit);
        assert_eq!(id, "web-db");
        let (_, second) = connect(&p, "web", "db").unwrap();
        assert_eq!(second, "web-db-2");
    }

    #[test]
    fn delete_takes_flows_and_undoes_exactly() {
        let mut p = project();
        p.flows.push(Flow::new("f", "web", "db"));
        let original = p.clone();
        let inverse = delete(&original, &["web"], &["f"], &["subnet"]).apply(&mut p).unwrap();
        assert!(p.node("web").is_none() && p.flows.is_empty() && p.boundary("subnet").is_none());
        inverse.apply(&mut p).unwrap();
        assert_eq!(p, original);
    }
}
