//! What the canvas derives from the document, the selection and the collapsed boundaries, kept
//! until one of them changes: a frame reads these by index and never looks an id up.

use std::collections::BTreeSet;

use egui::Color32;

use super::super::selection::Selected;
use super::super::theme::hex_colour;
use super::FlowFilter;
use crate::catalog::{Catalog, Severity};
use crate::document::Document;

/// Everything cached, refreshed at the start of each frame.
#[derive(Default)]
pub(super) struct Caches {
    pub looks: Looks,
    pub marks: Marks,
    pub collapse: Collapse,
    pub kinds: FlowKinds,
    pub overview: super::minimap::Overview,
}

impl Caches {
    /// Brings each cache up to date; each does work only when what it depends on changed.
    pub fn refresh(
        &mut self,
        document: &Document,
        catalog: &Catalog,
        selected: &Selected,
        collapsed: &(BTreeSet<String>, u64),
        filter: FlowFilter,
    ) {
        self.looks.refresh(document, catalog);
        self.marks.refresh(document, selected);
        self.collapse.refresh(document, collapsed);
        if filter.crossing_only {
            self.kinds.refresh(document);
        }
    }
}

/// The category colour of each node, per revision (a hash lookup per node saved each frame
/// when thousands are drawn as blocks).
#[derive(Default)]
pub(super) struct Looks {
    revision: Option<u64>,
    pub colours: Vec<Color32>,
}

impl Looks {
    fn refresh(&mut self, document: &Document, catalog: &Catalog) {
        if self.revision == Some(document.revision()) {
            return;
        }
        self.colours = document
            .project()
            .nodes
            .iter()
            .map(|node| {
                catalog
                    .service(&node.service)
                    .and_then(|s| catalog.category(s.category))
                    .map_or(Color32::GRAY, |c| hex_colour(&c.colour))
            })
            .collect();
        self.revision = Some(document.revision());
    }
}

/// Which nodes, flows and boundaries are selected, by index; and which nodes are attached to
/// the selection (selected, or inside a selected boundary at any depth).
#[derive(Default)]
pub(super) struct Marks {
    key: Option<(u64, u64)>,
    pub nodes: Vec<bool>,
    pub flows: Vec<bool>,
    pub boundaries: Vec<bool>,
    pub attached: Vec<bool>,
    /// Whether anything that flows can attach to is selected.
    pub any: bool,
}

impl Marks {
    fn refresh(&mut self, document: &Document, selected: &Selected) {
        let key = (document.revision(), selected.version());
        if self.key == Some(key) {
            return;
        }
        let (project, view) = (document.project(), document.view());
        let selection = selected.get();
        let mark = |count: usize, indices: &mut dyn Iterator<Item = usize>| {
            let mut marks = vec![false; count];
            for i in indices {
                marks[i] = true;
            }
            marks
        };
        self.nodes =
            mark(project.nodes.len(), &mut selection.nodes.iter().filter_map(|id| view.node_index(id)));
        self.flows =
            mark(project.flows.len(), &mut selection.flows.iter().filter_map(|id| view.flow_index(id)));
        self.boundaries = mark(
            project.boundaries.len(),
            &mut selection.boundaries.iter().filter_map(|id| view.boundary_index(id)),
        );
        // A boundary is inside the selection when it or an ancestor is selected; parents come
        // first in this order.
        let mut inside = self.boundaries.clone();
        for b in view.boundaries_outermost_first() {
            if let Some(parent) = view.parent(b) {
                inside[b] |= inside[parent];
            }
        }
        self.attached = (0..project.nodes.len())
            .map(|i| self.nodes[i] || view.memberships(i).any(|b| inside[b]))
            .collect();
        self.any = !selection.nodes.is_empty() || !selection.boundaries.is_empty();
        self.key = Some(key);
    }

    /// Whether node `i` is selected.
    pub fn node(&self, i: usize) -> bool {
        self.nodes.get(i).copied().unwrap_or(false)
    }

    /// Whether flow `i` is selected.
    pub fn flow(&self, i: usize) -> bool {
        self.flows.get(i).copied().unwrap_or(false)
    }

    /// Whether boundary `i` is selected.
    pub fn boundary(&self, i: usize) -> bool {
        self.boundaries.get(i).copied().unwrap_or(false)
    }

    /// Whether node `i` is selected or inside a selected boundary.
    pub fn attached(&self, i: usize) -> bool {
        self.attached.get(i).copied().unwrap_or(false)
    }
}

/// What collapsed boundaries hide: for each node and boundary, the outermost collapsed boundary
/// around it; for each collapsed boundary that is itself visible, what it holds.
#[derive(Default)]
pub(super) struct Collapse {
    key: Option<(u64, u64)>,
    node_hidden_by: Vec<Option<u32>>,
    boundary_hidden_by: Vec<Option<u32>>,
    folded: Vec<Option<Folded>>,
}

/// What a collapsed boundary holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Folded {
    /// Nodes inside it, at any depth.
    pub members: usize,
    /// Remaining tasks on them, and the worst severity among those.
    pub remaining: Option<(usize, Severity)>,
}

impl Collapse {
    fn refresh(&mut self, document: &Document, collapsed: &(BTreeSet<String>, u64)) {
        let key = (document.revision(), collapsed.1);
        if self.key == Some(key) {
            return;
        }
        self.key = Some(key);
        self.node_hidden_by.clear();
        self.boundary_hidden_by.clear();
        self.folded.clear();
        if collapsed.0.is_empty() {
            return;
        }
        let (project, view) = (document.project(), document.view());
        let mut is_collapsed = vec![false; project.boundaries.len()];
        for b in collapsed.0.iter().filter_map(|id| view.boundary_index(id)) {
            is_collapsed[b] = true;
        }
        // The outermost collapsed ancestor of each boundary; parents come first in this order.
        let mut hidden_by: Vec<Option<u32>> = vec![None; project.boundaries.len()];
        for b in view.boundaries_outermost_first() {
            if let Some(parent) = view.parent(b) {
                hidden_by[b] = hidden_by[parent].or_else(|| is_collapsed[parent].then_some(parent as u32));
            }
        }
        // What hides a node: the outermost collapsed boundary among those holding it and their
        // collapsed ancestors.
        let root = |b: usize| hidden_by[b].or_else(|| is_collapsed[b].then_some(b as u32));
        let derivation = document.derivation();
        let mut folded: Vec<Option<Folded>> = vec![None; project.boundaries.len()];
        self.node_hidden_by = (0..project.nodes.len())
            .map(|i| {
                let hider = view.memberships(i).filter_map(root).min_by_key(|&b| view.depth(b as usize))?;
                let entry = folded[hider as usize].get_or_insert_with(Folded::default);
                entry.members += 1;
                if let Some(badge) = derivation.badge(i) {
                    let (count, worst) = entry.remaining.unwrap_or((0, Severity::Low));
                    entry.remaining = Some((count + badge.remaining, worst.max(badge.worst)));
                }
                Some(hider)
            })
            .collect();
        for (b, slot) in folded.iter_mut().enumerate() {
            if is_collapsed[b] && hidden_by[b].is_none() && slot.is_none() {
                *slot = Some(Folded::default());
            }
        }
        self.boundary_hidden_by = hidden_by;
        self.folded = folded;
    }

    /// The collapsed boundary that hides node `i`.
    pub fn node_hidden_by(&self, i: usize) -> Option<usize> {
        self.node_hidden_by.get(i).copied().flatten().map(|b| b as usize)
    }

    /// The collapsed boundary that hides boundary `b` (an ancestor of it).
    pub fn boundary_hidden_by(&self, b: usize) -> Option<usize> {
        self.boundary_hidden_by.get(b).copied().flatten().map(|b| b as usize)
    }

    /// What the collapsed boundary `b` holds, when it is collapsed and itself visible.
    pub fn folded(&self, b: usize) -> Option<Folded> {
        self.folded.get(b).copied().flatten()
    }
}

/// Which flows cross between trust zones, per revision; built only while that filter is on.
#[derive(Default)]
pub(super) struct FlowKinds {
    revision: Option<u64>,
    crossing: Vec<bool>,
}

impl FlowKinds {
    fn refresh(&mut self, document: &Document) {
        if self.revision == Some(document.revision()) {
            return;
        }
        let view = document.view();
        let zones: Vec<Vec<usize>> =
            (0..document.project().nodes.len()).map(|i| view.trust_zone(i)).collect();
        self.crossing = (0..document.project().flows.len())
            .map(|f| view.flow_ends(f).is_some_and(|(a, b)| zones[a] != zones[b]))
            .collect();
        self.revision = Some(document.revision());
    }

    /// Whether flow `f` goes from one trust zone to another.
    pub fn crossing(&self, f: usize) -> bool {
        self.crossing.get(f).copied().unwrap_or(false)
    }
}
