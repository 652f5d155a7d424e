//! The petgraph view of a project, built for analysis: who can reach whom, and which
//! boundaries a flow crosses. It is never saved; the document stays the plain [`Project`].

use std::collections::HashMap;

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef as _;

use crate::model::{BoundaryKind, Project};

/// A directed graph with one vertex per node (weight: its index in [`Project::nodes`]) and one
/// edge per flow from `from` to `to` (weight: its index in [`Project::flows`]).
pub struct ProjectGraph {
    /// The graph itself.
    pub graph: DiGraph<usize, usize>,
    /// Node id → vertex.
    pub vertex: HashMap<String, NodeIndex>,
}

impl ProjectGraph {
    /// Builds the graph. Flows naming a missing node are left out.
    pub fn build(project: &Project) -> Self {
        let mut graph = DiGraph::with_capacity(project.nodes.len(), project.flows.len());
        let mut vertex = HashMap::with_capacity(project.nodes.len());
        for (index, node) in project.nodes.iter().enumerate() {
            vertex.insert(node.id.clone(), graph.add_node(index));
        }
        for (index, flow) in project.flows.iter().enumerate() {
            if let (Some(&from), Some(&to)) = (vertex.get(&flow.from), vertex.get(&flow.to)) {
                graph.add_edge(from, to, index);
            }
        }
        Self { graph, vertex }
    }

    /// Breadth-first search along flows from every node in `sources`, never entering a node for
    /// which `blocks` is true (a source itself is always visited). Returns, for each node index
    /// reached, the node index it was reached from (`None` for a source).
    pub fn reach_from(
        &self,
        sources: &[usize],
        blocks: impl Fn(usize) -> bool,
    ) -> HashMap<usize, Option<usize>> {
        let mut came_from: HashMap<usize, Option<usize>> = HashMap::new();
        let mut queue = std::collections::VecDeque::new();
        for &source in sources {
            if came_from.insert(source, None).is_none() {
                queue.push_back(source);
            }
        }
        while let Some(current) = queue.pop_front() {
            let Some(vertex) = self.vertex_of(current) else { continue };
            for edge in self.graph.edges(vertex) {
                let next = self.graph[edge.target()];
                if came_from.contains_key(&next) || blocks(next) {
                    continue;
                }
                came_from.insert(next, Some(current));
                queue.push_back(next);
            }
        }
        came_from
    }

    fn vertex_of(&self, node_index: usize) -> Option<NodeIndex> {
        // Vertices are added in node order, so the vertex index equals the node index.
        (node_index < self.graph.node_count()).then(|| NodeIndex::new(node_index))
    }
}

/// For each node (by index in [`Project::nodes`]), the VPCs and accounts it sits in, directly or
/// through nested boundaries: what rule (b) compares to tell whether a flow leaves them.
#[derive(Clone, Debug, Default)]
pub struct Enclosures {
    /// Sorted boundary ids of kind VPC or account, per node.
    per_node: Vec<Vec<usize>>,
}

impl Enclosures {
    /// Computes the enclosures of every node of `project`.
    pub fn of(project: &Project) -> Self {
        let boundary_index: HashMap<&str, usize> =
            project.boundaries.iter().enumerate().map(|(i, b)| (b.id.as_str(), i)).collect();
        let node_index: HashMap<&str, usize> =
            project.nodes.iter().enumerate().map(|(i, n)| (n.id.as_str(), i)).collect();
        // The VPC and account ancestors (self included) of every boundary.
        let ancestors: Vec<Vec<usize>> = (0..project.boundaries.len())
            .map(|start| {
                let mut found = Vec::new();
                let mut current = Some(start);
                let mut steps = 0;
                while let Some(index) = current {
                    let boundary = &project.boundaries[index];
                    if matches!(boundary.kind, BoundaryKind::Vpc | BoundaryKind::Account) {
                        found.push(index);
                    }
                    steps += 1;
                    if steps > project.boundaries.len() {
                        break; // a parent cycle; validation reports it on load
                    }
                    current = boundary.parent.as_deref().and_then(|p| boundary_index.get(p).copied());
                }
                found
            })
            .collect();
        let mut per_node = vec![Vec::new(); project.nodes.len()];
        for (index, boundary) in project.boundaries.iter().enumerate() {
            for member in &boundary.members {
                if let Some(&node) = node_index.get(member.as_str()) {
                    per_node[node].extend_from_slice(&ancestors[index]);
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
