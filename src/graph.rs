//! The petgraph view of a project, built for analysis: who can reach whom, and which
//! boundaries a flow crosses. It is never saved; the document stays the plain [`Project`].
//!
//! Lookups by id go through [`IdIndex`], built once per derivation with a fast hash for short
//! ids (FNV-1a; std's SipHash guards against hash flooding, which ids of a local file do not
//! need, at several times the cost).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef as _;

use crate::model::{BoundaryKind, Project};

/// FNV-1a, 64 bits, with an avalanche finish: fast for the short strings ids are.
#[derive(Clone, Copy, Debug)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        // FNV's top bits mix poorly, and hashbrown groups entries by the top 7 bits: finish
        // with MurmurHash3's avalanche step so similar ids spread out.
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// A hash map keyed by ids, with [`Fnv`].
pub type IdMap<'a, V> = HashMap<&'a str, V, BuildHasherDefault<Fnv>>;

/// Node and boundary positions in their lists, by id.
pub struct IdIndex<'a> {
    /// Node id → index in [`Project::nodes`].
    pub nodes: IdMap<'a, usize>,
    /// Boundary id → index in [`Project::boundaries`].
    pub boundaries: IdMap<'a, usize>,
}

impl<'a> IdIndex<'a> {
    /// Indexes `project`.
    pub fn of(project: &'a Project) -> Self {
        let mut nodes = IdMap::with_capacity_and_hasher(project.nodes.len(), BuildHasherDefault::default());
        nodes.extend(project.nodes.iter().enumerate().map(|(i, n)| (n.id.as_str(), i)));
        let mut boundaries =
            IdMap::with_capacity_and_hasher(project.boundaries.len(), BuildHasherDefault::default());
        boundaries.extend(project.boundaries.iter().enumerate().map(|(i, b)| (b.id.as_str(), i)));
        Self { nodes, boundaries }
    }

    /// The indices of a flow's two ends, when both exist.
    pub fn ends(&self, from: &str, to: &str) -> Option<(usize, usize)> {
        Some((*self.nodes.get(from)?, *self.nodes.get(to)?))
    }
}

/// A directed graph with one vertex per node (vertex `i` is `project.nodes[i]`) and one edge per
/// flow from `from` to `to` (weight: its index in [`Project::flows`]).
pub struct ProjectGraph {
    /// The graph itself.
    pub graph: DiGraph<usize, usize>,
}

impl ProjectGraph {
    /// Builds the graph. Flows naming a missing node are left out.
    pub fn build(project: &Project, index: &IdIndex<'_>) -> Self {
        let mut graph = DiGraph::with_capacity(project.nodes.len(), project.flows.len());
        for i in 0..project.nodes.len() {
            graph.add_node(i);
        }
        for (i, flow) in project.flows.iter().enumerate() {
            if let Some((from, to)) = index.ends(&flow.from, &flow.to) {
                graph.add_edge(NodeIndex::new(from), NodeIndex::new(to), i);
            }
        }
        Self { graph }
    }

    /// Breadth-first search along flows from every node in `sources`, never entering a node for
    /// which `blocks` is true (a source itself is always visited). Returns, for each node index,
    /// the node index it was reached from: `Some(None)` for a source, `None` when unreached.
    pub fn reach_from(
        &self,
        sources: &[usize],
        blocks: impl Fn(usize) -> bool,
    ) -> Vec<Option<Option<usize>>> {
        let count = self.graph.node_count();
        let mut came_from: Vec<Option<Option<usize>>> = vec![None; count];
        let mut queue = std::collections::VecDeque::new();
        for &source in sources {
            if source < count && came_from[source].is_none() {
                came_from[source] = Some(None);
                queue.push_back(source);
            }
        }
        while let Some(current) = queue.pop_front() {
            for edge in self.graph.edges(NodeIndex::new(current)) {
                let next = edge.target().index();
                if came_from[next].is_some() || blocks(next) {
                    continue;
                }
                came_from[next] = Some(Some(current));
                queue.push_back(next);
            }
        }
        came_from
    }
}

/// For each node (by index in [`Project::nodes`]), the VPCs and accounts it sits in, directly or
/// through nested boundaries: what the unencrypted-flow rule compares to tell whether a flow
/// leaves them.
#[derive(Clone, Debug, Default)]
pub struct Enclosures {
    /// Sorted boundary indices of kind VPC or account, per node.
    per_node: Vec<Vec<usize>>,
}

impl Enclosures {
    /// Computes the enclosures of every node of `project`.
    pub fn of(project: &Project, index: &IdIndex<'_>) -> Self {
        // The VPC and account ancestors (self included) of every boundary.
        let ancestors: Vec<Vec<usize>> = (0..project.boundaries.len())
            .map(|start| {
                let mut found = Vec::new();
                let mut current = Some(start);
                let mut steps = 0;
                while let Some(i) = current {
                    let boundary = &project.boundaries[i];
                    if matches!(boundary.kind, BoundaryKind::Vpc | BoundaryKind::Account) {
                        found.push(i);
                    }
                    steps += 1;
                    if steps > project.boundaries.len() {
                        break; // a parent cycle; validation reports it on load
                    }
                    current = boundary.parent.as_deref().and_then(|p| index.boundaries.get(p).copied());
                }
                found
            })
            .collect();
        let mut per_node = vec![Vec::new(); project.nodes.len()];
        for (i, boundary) in project.boundaries.iter().enumerate() {
            for member in &boundary.members {
                if let Some(&node) = index.nodes.get(member.as_str()) {
                    per_node[node].extend_from_slice(&ancestors[i]);
                }
            }
        }
        for set in &mut per_node {
            set.sort_unstable();
            set.dedup();
        }
        Self { per_node }
    }

    /// Whether nodes `a` and `b` sit in different VPCs or accounts.
    pub fn differ(&self, a: usize, b: usize) -> bool {
        self.per_node.get(a) != self.per_node.get(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Flow, Node};

    #[test]
    fn reach_stops_at_blocked_nodes() {
        let mut project = Project::default();
        for id in ["a", "b", "c", "d"] {
            project.nodes.push(Node::new(id, "ec2"));
        }
        project.flows.push(Flow::new("1", "a", "b"));
        project.flows.push(Flow::new("2", "b", "c"));
        project.flows.push(Flow::new("3", "a", "d"));
        let index = IdIndex::of(&project);
        let graph = ProjectGraph::build(&project, &index);
        let reached = graph.reach_from(&[0], |i| i == 1);
        assert_eq!(reached, vec![Some(None), None, None, Some(Some(0))]);
    }
}
