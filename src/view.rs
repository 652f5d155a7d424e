//! The model view: the design's topology, built once per revision from the document and read by
//! everything that asks how things connect or nest: the checklist rules, layout, the exports,
//! diff, the canvas and the panels.
//!
//! It holds the petgraph graph of nodes and flows (vertex `i` is node `i`, the weight of an edge
//! is its flow's index), id → index lookups, each flow's encryption, and the boundary forest:
//! parents, children, depths, members and the innermost boundary of each node. Everything is
//! computed in time linear in the size of the design, so a design of 20,000 nested boundaries
//! costs no more than one of 20,000 side by side, and no per-frame or per-keystroke path scans a
//! list for an id. The document stays the plain [`Project`]; the view is never saved.

use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef as _;

use crate::model::index::{IdLookup, index_u32};
use crate::model::{Boundary, BoundaryKind, Flow, Node, Project};
use crate::protocol::{InTransit, Protocols, flow_encryption};

/// The kinds of boundary that separate trust: who runs the network, who holds the keys. Subnets,
/// Availability Zones and security groups divide a network its owner already trusts.
pub const TRUST_KINDS: [BoundaryKind; 4] =
    [BoundaryKind::Account, BoundaryKind::Region, BoundaryKind::Vpc, BoundaryKind::Generic];

/// The topology of one revision of a project. Indices are positions in the project's lists.
#[derive(Clone, Debug, Default)]
pub struct ModelView {
    nodes: IdLookup,
    flows: IdLookup,
    boundaries: IdLookup,
    graph: DiGraph<u32, u32>,
    flow_ends: Vec<Option<(u32, u32)>>,
    in_transit: Vec<InTransit>,
    disagreements: Vec<Option<String>>,
    tree: BoundaryTree,
    /// Boundary indices holding each node directly.
    memberships: Vec<Vec<u32>>,
    /// The innermost boundary holding each node.
    home: Vec<Option<u32>>,
}

/// The boundary forest.
#[derive(Clone, Debug, Default)]
struct BoundaryTree {
    parent: Vec<Option<u32>>,
    children: Vec<Vec<u32>>,
    roots: Vec<u32>,
    depth: Vec<u32>,
    /// Every boundary, parents before children, siblings by id.
    order: Vec<u32>,
    /// Pre- and post-order numbers: `a` encloses `b` when `pre[a] <= pre[b] && post[b] <= post[a]`.
    pre: Vec<u32>,
    post: Vec<u32>,
    /// For each boundary, the nearest boundary of each kind among itself and its ancestors.
    nearest: Vec<[Option<u32>; 7]>,
    /// For each boundary, the nearest trust boundary (see [`TRUST_KINDS`]) among itself and its
    /// ancestors.
    nearest_trust: Vec<Option<u32>>,
    /// Member node indices of each boundary, deduplicated, members that exist only.
    members: Vec<Vec<u32>>,
    /// Boundaries whose `parent` named a missing boundary or closed a loop: treated as top level.
    broken_parent: Vec<u32>,
}

impl ModelView {
    /// Builds the view of `project`. Flows whose ends are missing and members or parents that
    /// name nothing are left out (validation reports them when a file is loaded).
    pub fn build(project: &Project) -> Self {
        let nodes = IdLookup::of(project.nodes.iter().map(|n| n.id.as_str()));
        let flows = IdLookup::of(project.flows.iter().map(|f| f.id.as_str()));
        let boundaries = IdLookup::of(project.boundaries.iter().map(|b| b.id.as_str()));

        let mut graph = DiGraph::with_capacity(project.nodes.len(), project.flows.len());
        for i in 0..project.nodes.len() {
            graph.add_node(index_u32(i));
        }
        let protocols = Protocols::builtin();
        let mut flow_ends = Vec::with_capacity(project.flows.len());
        let mut in_transit = Vec::with_capacity(project.flows.len());
        let mut disagreements = Vec::with_capacity(project.flows.len());
        for (i, flow) in project.flows.iter().enumerate() {
            let ends = nodes.get(&flow.from).zip(nodes.get(&flow.to));
            if let Some((from, to)) = ends {
                graph.add_edge(NodeIndex::new(from), NodeIndex::new(to), index_u32(i));
            }
            flow_ends.push(ends.map(|(a, b)| (index_u32(a), index_u32(b))));
            let encryption = flow_encryption(flow, protocols);
            in_transit.push(encryption.in_transit);
            disagreements.push(encryption.disagreement);
        }

        let tree = BoundaryTree::build(project, &boundaries, &nodes);
        let mut memberships = vec![Vec::new(); project.nodes.len()];
        for (b, members) in tree.members.iter().enumerate() {
            for &n in members {
                memberships[n as usize].push(index_u32(b));
            }
        }
        let home = memberships
            .iter()
            .map(|held| {
                // The deepest; between equals, the first in drawing order.
                held.iter()
                    .copied()
                    .max_by_key(|&b| (tree.depth[b as usize], std::cmp::Reverse(tree.pre[b as usize])))
            })
            .collect();
        Self {
            nodes,
            flows,
            boundaries,
            graph,
            flow_ends,
            in_transit,
            disagreements,
            tree,
            memberships,
            home,
        }
    }

    /// The index of the node with `id`.
    pub fn node_index(&self, id: &str) -> Option<usize> {
        self.nodes.get(id)
    }

    /// The index of the flow with `id`.
    pub fn flow_index(&self, id: &str) -> Option<usize> {
        self.flows.get(id)
    }

    /// The index of the boundary with `id`.
    pub fn boundary_index(&self, id: &str) -> Option<usize> {
        self.boundaries.get(id)
    }

    /// The node with `id` in `project` (the project this view was built from).
    pub fn node<'p>(&self, project: &'p Project, id: &str) -> Option<&'p Node> {
        project.nodes.get(self.node_index(id)?)
    }

    /// The flow with `id` in `project`.
    pub fn flow<'p>(&self, project: &'p Project, id: &str) -> Option<&'p Flow> {
        project.flows.get(self.flow_index(id)?)
    }

    /// The boundary with `id` in `project`.
    pub fn boundary<'p>(&self, project: &'p Project, id: &str) -> Option<&'p Boundary> {
        project.boundaries.get(self.boundary_index(id)?)
    }

    /// Whether a node, flow or boundary has `id`.
    pub fn has_id(&self, id: &str) -> bool {
        self.nodes.get(id).is_some() || self.flows.get(id).is_some() || self.boundaries.get(id).is_some()
    }

    /// The graph of nodes and flows: vertex `i` is node `i`, an edge's weight its flow's index.
    pub fn graph(&self) -> &DiGraph<u32, u32> {
        &self.graph
    }

    /// The node indices of flow `i`'s two ends, when both exist.
    pub fn flow_ends(&self, flow: usize) -> Option<(usize, usize)> {
        self.flow_ends.get(flow).copied().flatten().map(|(a, b)| (a as usize, b as usize))
    }

    /// Whether flow `i` is encrypted, as stated or as its protocol implies.
    pub fn in_transit(&self, flow: usize) -> InTransit {
        self.in_transit.get(flow).copied().unwrap_or(InTransit::Unstated)
    }

    /// Set when flow `i` is marked one way and its protocol says the other, in words.
    pub fn encryption_disagreement(&self, flow: usize) -> Option<&str> {
        self.disagreements.get(flow).and_then(Option::as_deref)
    }

    /// The flows leaving node `i`: (flow index, node index of the other end).
    pub fn outgoing(&self, node: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.edges(node, Direction::Outgoing)
    }

    /// The flows arriving at node `i`: (flow index, node index of the other end).
    pub fn incoming(&self, node: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.edges(node, Direction::Incoming)
    }

    fn edges(&self, node: usize, direction: Direction) -> impl Iterator<Item = (usize, usize)> + '_ {
        let valid = node < self.graph.node_count();
        let edges = valid.then(|| self.graph.edges_directed(NodeIndex::new(node), direction));
        edges.into_iter().flatten().map(move |edge| {
            let other = if direction == Direction::Outgoing { edge.target() } else { edge.source() };
            (*edge.weight() as usize, other.index())
        })
    }

    /// The boundary that boundary `b` sits in.
    pub fn parent(&self, boundary: usize) -> Option<usize> {
        self.tree.parent.get(boundary).copied().flatten().map(|p| p as usize)
    }

    /// The boundaries directly inside boundary `b`, by id.
    pub fn children(&self, boundary: usize) -> impl Iterator<Item = usize> + '_ {
        self.tree.children.get(boundary).into_iter().flatten().map(|&c| c as usize)
    }

    /// The top-level boundaries, by id.
    pub fn roots(&self) -> impl Iterator<Item = usize> + '_ {
        self.tree.roots.iter().map(|&r| r as usize)
    }

    /// How many boundaries enclose boundary `b` (0 at the top level).
    pub fn depth(&self, boundary: usize) -> usize {
        self.tree.depth.get(boundary).map_or(0, |&d| d as usize)
    }

    /// Every boundary, each after the boundary it sits in, siblings by id: the order to draw
    /// frames in so that inner ones are on top.
    pub fn boundaries_outermost_first(
        &self,
    ) -> impl DoubleEndedIterator<Item = usize> + ExactSizeIterator + '_ {
        self.tree.order.iter().map(|&b| b as usize)
    }

    /// Whether boundary `outer` is `inner` or encloses it.
    pub fn encloses(&self, outer: usize, inner: usize) -> bool {
        let (pre, post) = (&self.tree.pre, &self.tree.post);
        match (pre.get(outer), pre.get(inner), post.get(outer), post.get(inner)) {
            (Some(a), Some(b), Some(c), Some(d)) => a <= b && d <= c,
            _ => false,
        }
    }

    /// The boundaries enclosing boundary `b`, innermost first (`b` itself not included).
    pub fn ancestors(&self, boundary: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(self.parent(boundary), |&b| self.parent(b))
    }

    /// The member nodes of boundary `b` that exist.
    pub fn members(&self, boundary: usize) -> impl Iterator<Item = usize> + '_ {
        self.tree.members.get(boundary).into_iter().flatten().map(|&n| n as usize)
    }

    /// The boundaries holding node `i` directly.
    pub fn memberships(&self, node: usize) -> impl Iterator<Item = usize> + '_ {
        self.memberships.get(node).into_iter().flatten().map(|&b| b as usize)
    }

    /// The innermost boundary holding node `i` (the deepest; between equals, the first by id).
    pub fn home(&self, node: usize) -> Option<usize> {
        self.home.get(node).copied().flatten().map(|b| b as usize)
    }

    /// The nearest boundary of `kind` around node `i`: among the boundaries holding it and their
    /// ancestors, the deepest of that kind.
    pub fn enclosing(&self, node: usize, kind: BoundaryKind) -> Option<usize> {
        let slot = kind_slot(kind);
        self.memberships(node)
            .filter_map(|b| self.tree.nearest.get(b).and_then(|n| n[slot]))
            .max_by_key(|&b| (self.tree.depth[b as usize], std::cmp::Reverse(self.tree.pre[b as usize])))
            .map(|b| b as usize)
    }

    /// The nearest boundary of `kind` enclosing boundary `b`, or `b` itself when it is one.
    pub fn enclosing_boundary(&self, boundary: usize, kind: BoundaryKind) -> Option<usize> {
        self.tree.nearest.get(boundary).and_then(|n| n[kind_slot(kind)]).map(|b| b as usize)
    }

    /// The trust zone of node `i`: the innermost trust boundaries (accounts, Regions, VPCs and
    /// generic boundaries) around it, sorted. Two nodes are in the same zone exactly when the
    /// same trust boundaries enclose them; an empty zone is outside every one.
    pub fn trust_zone(&self, node: usize) -> Vec<usize> {
        let mut zone: Vec<usize> = self
            .memberships(node)
            .filter_map(|b| self.tree.nearest_trust.get(b).copied().flatten())
            .map(|b| b as usize)
            .collect();
        zone.sort_unstable();
        zone.dedup();
        if zone.len() > 1 {
            // Keep only the innermost: an enclosing one is implied by what it encloses.
            let all = zone.clone();
            zone.retain(|&outer| !all.iter().any(|&inner| inner != outer && self.encloses(outer, inner)));
        }
        zone
    }

    /// Boundaries whose `parent` named a missing boundary or closed a loop; the view treats them
    /// as top level.
    pub fn broken_parents(&self) -> impl Iterator<Item = usize> + '_ {
        self.tree.broken_parent.iter().map(|&b| b as usize)
    }
}

fn kind_slot(kind: BoundaryKind) -> usize {
    BoundaryKind::ALL.iter().position(|&k| k == kind).unwrap_or(0)
}

impl BoundaryTree {
    fn build(project: &Project, boundaries: &IdLookup, nodes: &IdLookup) -> Self {
        let count = project.boundaries.len();
        let mut parent: Vec<Option<u32>> = project
            .boundaries
            .iter()
            .map(|b| b.parent.as_deref().and_then(|p| boundaries.get(p)).map(index_u32))
            .collect();
        let mut broken_parent: Vec<u32> = project
            .boundaries
            .iter()
            .enumerate()
            .filter(|(_, b)| b.parent.as_deref().is_some_and(|p| boundaries.get(p).is_none()))
            .map(|(i, _)| index_u32(i))
            .collect();
        break_cycles(&mut parent, &mut broken_parent);

        // Siblings by id, whatever the order of the list.
        let mut by_id: Vec<u32> = (0..count).map(index_u32).collect();
        if !project.boundaries.is_sorted_by(|a, b| a.id <= b.id) {
            by_id.sort_by(|&a, &b| project.boundaries[a as usize].id.cmp(&project.boundaries[b as usize].id));
        }
        let mut children = vec![Vec::new(); count];
        let mut roots = Vec::new();
        for &b in &by_id {
            match parent[b as usize] {
                Some(p) => children[p as usize].push(b),
                None => roots.push(b),
            }
        }

        // Depth-first, iteratively: a chain of 20,000 boundaries must not overflow the stack.
        let mut depth = vec![0; count];
        let mut pre = vec![0; count];
        let mut post = vec![0; count];
        let mut order = Vec::with_capacity(count);
        let mut nearest = vec![[None; 7]; count];
        let mut nearest_trust = vec![None; count];
        let (mut pre_clock, mut post_clock) = (0u32, 0u32);
        let mut stack: Vec<(u32, usize)> = roots.iter().rev().map(|&r| (r, 0)).collect();
        while let Some((b, next_child)) = stack.pop() {
            let bi = b as usize;
            if next_child == 0 {
                order.push(b);
                pre[bi] = pre_clock;
                pre_clock += 1;
                let kind = project.boundaries[bi].kind;
                let (mut near, mut trust) = match parent[bi] {
                    Some(p) => {
                        depth[bi] = depth[p as usize] + 1;
                        (nearest[p as usize], nearest_trust[p as usize])
                    }
                    None => ([None; 7], None),
                };
                near[kind_slot(kind)] = Some(b);
                if TRUST_KINDS.contains(&kind) {
                    trust = Some(b);
                }
                nearest[bi] = near;
                nearest_trust[bi] = trust;
            }
            if let Some(&child) = children[bi].get(next_child) {
                stack.push((b, next_child + 1));
                stack.push((child, 0));
            } else {
                post[bi] = post_clock;
                post_clock += 1;
            }
        }

        let members = project
            .boundaries
            .iter()
            .map(|boundary| {
                let mut held: Vec<u32> =
                    boundary.members.iter().filter_map(|m| nodes.get(m)).map(index_u32).collect();
                held.sort_unstable();
                held.dedup();
                held
            })
            .collect();
        Self {
            parent,
            children,
            roots,
            depth,
            order,
            pre,
            post,
            nearest,
            nearest_trust,
            members,
            broken_parent,
        }
    }
}

/// Cuts every loop in the parent links, at the link that closes it, recording the boundary
/// whose parent was cut. Linear: every boundary is walked over once.
fn break_cycles(parent: &mut [Option<u32>], broken: &mut Vec<u32>) {
    const UNSEEN: u8 = 0;
    const ON_PATH: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![UNSEEN; parent.len()];
    let mut path = Vec::new();
    for start in 0..parent.len() {
        let mut current = Some(index_u32(start));
        while let Some(b) = current {
            match state[b as usize] {
                DONE => break,
                ON_PATH => {
                    // The last boundary on the path points back into it: cut that link.
                    if let Some(&last) = path.last() {
                        parent[last as usize] = None;
                        broken.push(last);
                    }
                    break;
                }
                _ => {
                    state[b as usize] = ON_PATH;
                    path.push(b);
                    current = parent[b as usize];
                }
            }
        }
        for b in path.drain(..) {
            state[b as usize] = DONE;
        }
    }
    broken.sort_unstable();
    broken.dedup();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn boundary(id: &str, kind: BoundaryKind, parent: Option<&str>, members: &[&str]) -> Boundary {
        let mut b = Boundary::new(id, kind);
        b.parent = parent.map(str::to_owned);
        b.members = members.iter().map(|m| (*m).to_owned()).collect();
        b
    }

    fn design() -> Project {
        let mut project = Project::default();
        for id in ["web", "db", "office", "lambda"] {
            project.nodes.push(Node::new(id, "ec2"));
        }
        project.flows.push(Flow::new("f1", "web", "db"));
        project.flows.push(Flow::new("f2", "office", "web"));
        project.flows.push(Flow::new("dangling", "web", "nowhere"));
        project.boundaries = vec![
            boundary("acct", BoundaryKind::Account, None, &["lambda"]),
            boundary("sg", BoundaryKind::SecurityGroup, Some("vpc"), &["db"]),
            boundary("subnet", BoundaryKind::Subnet, Some("vpc"), &["web", "db"]),
            boundary("vpc", BoundaryKind::Vpc, Some("acct"), &[]),
        ];
        project
    }

    #[test]
    fn lookups_graph_and_flow_ends() {
        let project = design();
        let view = ModelView::build(&project);
        assert_eq!(view.node_index("db"), Some(1));
        assert_eq!(view.flow_ends(0), Some((0, 1)));
        assert_eq!(view.flow_ends(2), None, "a flow to a missing node has no ends");
        assert_eq!(view.outgoing(0).collect::<Vec<_>>(), vec![(0, 1)]);
        assert_eq!(view.incoming(0).collect::<Vec<_>>(), vec![(1, 2)]);
        assert!(view.has_id("vpc") && view.has_id("f2") && !view.has_id("nothing"));
    }

    #[test]
    fn the_boundary_tree_nests_and_orders_outermost_first() {
        let project = design();
        let view = ModelView::build(&project);
        let names =
            |ids: Vec<usize>| ids.into_iter().map(|b| project.boundaries[b].id.as_str()).collect::<Vec<_>>();
        assert_eq!(names(view.boundaries_outermost_first().collect()), ["acct", "vpc", "sg", "subnet"]);
        assert_eq!(view.depth(1), 2);
        assert!(view.encloses(0, 1) && !view.encloses(1, 0) && view.encloses(3, 3));
        assert_eq!(names(view.ancestors(1).collect()), ["vpc", "acct"]);
        // db is in the subnet and the security group, both two deep: the first by id is home.
        assert_eq!(view.home(1), Some(1));
        assert_eq!(view.enclosing(1, BoundaryKind::Account), Some(0));
        assert_eq!(view.enclosing(2, BoundaryKind::Vpc), None);
    }

    #[test]
    fn trust_zones_ignore_subnets_and_security_groups() {
        let project = design();
        let view = ModelView::build(&project);
        assert_eq!(view.trust_zone(0), vec![3], "web: the VPC");
        assert_eq!(view.trust_zone(1), vec![3], "db: the VPC, whatever subnet or group");
        assert_eq!(view.trust_zone(2), Vec::<usize>::new(), "office: outside everything");
        assert_eq!(view.trust_zone(3), vec![0], "lambda: the account");
    }

    #[test]
    fn loops_and_missing_parents_become_top_level() {
        let project = Project {
            boundaries: vec![
                boundary("a", BoundaryKind::Generic, Some("b"), &[]),
                boundary("b", BoundaryKind::Generic, Some("a"), &[]),
                boundary("c", BoundaryKind::Generic, Some("missing"), &[]),
                boundary("d", BoundaryKind::Generic, Some("d"), &[]),
            ],
            ..Project::default()
        };
        let view = ModelView::build(&project);
        assert_eq!(view.boundaries_outermost_first().count(), 4, "every boundary is still drawn");
        assert_eq!(view.broken_parents().collect::<Vec<_>>(), vec![1, 2, 3]);
    }

    #[test]
    fn a_chain_of_twenty_thousand_boundaries_builds_without_recursion() {
        let mut project = Project::default();
        project.nodes.push(Node::new("deep", "ec2"));
        for i in 0..20_000 {
            let parent = (i > 0).then(|| format!("b{:05}", i - 1));
            let members: &[&str] = if i == 19_999 { &["deep"] } else { &[] };
            project.boundaries.push(boundary(
                &format!("b{i:05}"),
                BoundaryKind::Generic,
                parent.as_deref(),
                members,
            ));
        }
        let view = ModelView::build(&project);
        assert_eq!(view.depth(19_999), 19_999);
        assert_eq!(view.home(0), Some(19_999));
        assert_eq!(view.trust_zone(0), vec![19_999]);
        assert!(view.encloses(0, 19_999));
    }
}
