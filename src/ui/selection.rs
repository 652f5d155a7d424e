//! What is selected, and the one reducer that turns a click, a shift-click or the start of a
//! drag into the next selection. The canvas calls the reducer from both of its input paths
//! (nodes as egui widgets, and nodes painted as one mesh and hit by position when thousands are
//! on screen), so the two cannot drift apart; the reducer knows nothing of egui and is tested
//! on its own.

use std::collections::BTreeSet;

use crate::model::{BoundaryKind, Project};
use crate::view::ModelView;

/// Something from the palette: a service or a boundary kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PaletteItem {
    /// A service or actor, by id.
    Service(String),
    /// A boundary.
    Boundary(BoundaryKind),
}

/// What is selected on the canvas.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    /// Node ids.
    pub nodes: BTreeSet<String>,
    /// Flow ids.
    pub flows: BTreeSet<String>,
    /// Boundary ids.
    pub boundaries: BTreeSet<String>,
}

impl Selection {
    /// Nothing selected.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty() && self.flows.is_empty() && self.boundaries.is_empty()
    }

    /// How many things are selected.
    pub fn len(&self) -> usize {
        self.nodes.len() + self.flows.len() + self.boundaries.len()
    }

    /// Selects only the node `id`.
    pub fn only_node(id: &str) -> Self {
        Self { nodes: [id.to_owned()].into(), ..Self::default() }
    }

    /// Selects only the flow `id`.
    pub fn only_flow(id: &str) -> Self {
        Self { flows: [id.to_owned()].into(), ..Self::default() }
    }

    /// Selects only the boundary `id`.
    pub fn only_boundary(id: &str) -> Self {
        Self { boundaries: [id.to_owned()].into(), ..Self::default() }
    }

    /// Every node, flow and boundary of `project`.
    pub fn all(project: &Project) -> Self {
        // Saved projects are sorted by id, so each set is built from a sorted run.
        Self {
            nodes: project.nodes.iter().map(|n| n.id.clone()).collect(),
            flows: project.flows.iter().map(|f| f.id.clone()).collect(),
            boundaries: project.boundaries.iter().map(|b| b.id.clone()).collect(),
        }
    }

    /// Whether `item` is selected.
    pub fn contains(&self, item: Item<'_>) -> bool {
        match item {
            Item::Node(id) => self.nodes.contains(id),
            Item::Boundary(id) => self.boundaries.contains(id),
            Item::Flow(id) => self.flows.contains(id),
        }
    }

    /// Adds `item` (`on`) or takes it out.
    pub fn set(&mut self, item: Item<'_>, on: bool) {
        let (set, id) = match item {
            Item::Node(id) => (&mut self.nodes, id),
            Item::Boundary(id) => (&mut self.boundaries, id),
            Item::Flow(id) => (&mut self.flows, id),
        };
        if on {
            set.insert(id.to_owned());
        } else {
            set.remove(id);
        }
    }

    /// Drops ids that the document no longer has (after undo, delete, open); `view` is the
    /// document's model view, so this costs one hash lookup per selected id.
    pub fn retain_existing(&mut self, view: &ModelView) {
        self.nodes.retain(|id| view.node_index(id).is_some());
        self.flows.retain(|id| view.flow_index(id).is_some());
        self.boundaries.retain(|id| view.boundary_index(id).is_some());
    }

    /// The selected node ids.
    pub fn node_ids(&self) -> Vec<&str> {
        self.nodes.iter().map(String::as_str).collect()
    }

    /// The selected flow ids.
    pub fn flow_ids(&self) -> Vec<&str> {
        self.flows.iter().map(String::as_str).collect()
    }

    /// The selected boundary ids.
    pub fn boundary_ids(&self) -> Vec<&str> {
        self.boundaries.iter().map(String::as_str).collect()
    }
}

/// Something on the canvas that can be selected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Item<'a> {
    /// A node, by id.
    Node(&'a str),
    /// A boundary (its label strip, or its block when collapsed), by id.
    Boundary(&'a str),
    /// A flow, by id.
    Flow(&'a str),
}

/// What the primary button did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Press {
    /// Pressed and released without moving.
    Click,
    /// Started a drag.
    DragStart,
}

/// The gesture a press starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Start {
    /// Nothing more happens.
    Nothing,
    /// Move the selection with the pointer.
    Move,
    /// Draw a rubber band; what it encloses is added (`additive`, Shift held) or replaces the
    /// selection when it ends (see [`band`]).
    RubberBand {
        /// Whether Shift was held.
        additive: bool,
    },
}

/// The selection after pressing on `target` (`None`: empty canvas), and the gesture that
/// starts. Click selects only the item, Shift+click adds or removes it; a click on empty
/// canvas clears the selection (not with Shift). A drag on an item moves the selection, first
/// selecting the item when it was not (added with Shift); a drag on a flow or on empty canvas
/// draws a rubber band.
pub fn reduce(
    mut selection: Selection,
    target: Option<Item<'_>>,
    press: Press,
    shift: bool,
) -> (Selection, Start) {
    match (press, target) {
        (Press::Click, Some(item)) => {
            if shift {
                let on = !selection.contains(item);
                selection.set(item, on);
            } else {
                selection = Selection::default();
                selection.set(item, true);
            }
            (selection, Start::Nothing)
        }
        (Press::Click, None) => {
            if !shift {
                selection = Selection::default();
            }
            (selection, Start::Nothing)
        }
        (Press::DragStart, Some(item @ (Item::Node(_) | Item::Boundary(_)))) => {
            if !selection.contains(item) {
                if !shift {
                    selection = Selection::default();
                }
                selection.set(item, true);
            }
            (selection, Start::Move)
        }
        (Press::DragStart, Some(Item::Flow(_)) | None) => (selection, Start::RubberBand { additive: shift }),
    }
}

/// The selection when a rubber band ends: what it encloses, added to `selection` when
/// `additive`, instead of it otherwise.
pub fn band<'a>(
    selection: Selection,
    additive: bool,
    nodes: impl IntoIterator<Item = &'a str>,
    boundaries: impl IntoIterator<Item = &'a str>,
) -> Selection {
    let mut selection = if additive { selection } else { Selection::default() };
    selection.nodes.extend(nodes.into_iter().map(str::to_owned));
    selection.boundaries.extend(boundaries.into_iter().map(str::to_owned));
    selection
}

/// The selection together with a number that changes whenever it does, so that what is
/// derived from it (which node indices are selected, for drawing) is rebuilt only then.
#[derive(Clone, Debug, Default)]
pub struct Selected {
    current: Selection,
    version: u64,
}

impl Selected {
    /// The selection.
    pub fn get(&self) -> &Selection {
        &self.current
    }

    /// A number that changes with every change to the selection.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// Replaces the selection.
    pub fn set(&mut self, selection: Selection) {
        if selection != self.current {
            self.current = selection;
            self.version += 1;
        }
    }

    /// Changes the selection in place.
    pub fn update(&mut self, change: impl FnOnce(&mut Selection)) {
        change(&mut self.current);
        self.version += 1;
    }

    /// Takes the selection out, leaving nothing selected.
    pub fn take(&mut self) -> Selection {
        self.version += 1;
        std::mem::take(&mut self.current)
    }

    /// Applies [`reduce`] to the selection and returns the gesture.
    pub fn press(&mut self, target: Option<Item<'_>>, press: Press, shift: bool) -> Start {
        let (next, start) = reduce(std::mem::take(&mut self.current), target, press, shift);
        self.current = next;
        self.version += 1;
        start
    }

    /// Drops what `view`'s document no longer has; does nothing (and keeps the version) when
    /// everything still exists.
    pub fn retain_existing(&mut self, view: &ModelView) {
        let before = self.current.len();
        self.current.retain_existing(view);
        if self.current.len() != before {
            self.version += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(nodes: &[&str], boundaries: &[&str], flows: &[&str]) -> Selection {
        Selection {
            nodes: nodes.iter().map(|s| (*s).to_owned()).collect(),
            boundaries: boundaries.iter().map(|s| (*s).to_owned()).collect(),
            flows: flows.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    #[test]
    fn click_selects_only_the_item_and_shift_click_toggles_it() {
        let start = of(&["a", "b"], &["vpc"], &["f"]);
        let (s, g) = reduce(start.clone(), Some(Item::Node("c")), Press::Click, false);
        assert_eq!((s, g), (of(&["c"], &[], &[]), Start::Nothing));
        let (s, _) = reduce(start.clone(), Some(Item::Node("c")), Press::Click, true);
        assert_eq!(s, of(&["a", "b", "c"], &["vpc"], &["f"]));
        let (s, _) = reduce(start.clone(), Some(Item::Node("a")), Press::Click, true);
        assert_eq!(s, of(&["b"], &["vpc"], &["f"]));
        let (s, _) = reduce(start.clone(), Some(Item::Boundary("vpc")), Press::Click, true);
        assert_eq!(s, of(&["a", "b"], &[], &["f"]));
        let (s, _) = reduce(start, Some(Item::Flow("g")), Press::Click, false);
        assert_eq!(s, of(&[], &[], &["g"]));
    }

    #[test]
    fn click_on_empty_canvas_clears_unless_shift_is_held() {
        let start = of(&["a"], &[], &[]);
        assert_eq!(reduce(start.clone(), None, Press::Click, false).0, Selection::default());
        assert_eq!(reduce(start.clone(), None, Press::Click, true).0, start);
    }

    #[test]
    fn dragging_an_unselected_item_selects_it_first_then_moves() {
        let start = of(&["a", "b"], &[], &[]);
        // A selected node moves the whole selection.
        assert_eq!(
            reduce(start.clone(), Some(Item::Node("a")), Press::DragStart, false),
            (start.clone(), Start::Move)
        );
        // An unselected one is selected alone, or added with Shift.
        assert_eq!(
            reduce(start.clone(), Some(Item::Node("c")), Press::DragStart, false),
            (of(&["c"], &[], &[]), Start::Move)
        );
        assert_eq!(
            reduce(start.clone(), Some(Item::Boundary("vpc")), Press::DragStart, true),
            (of(&["a", "b"], &["vpc"], &[]), Start::Move)
        );
    }

    #[test]
    fn dragging_on_empty_canvas_or_a_flow_draws_a_rubber_band() {
        let start = of(&["a"], &[], &[]);
        assert_eq!(
            reduce(start.clone(), None, Press::DragStart, false),
            (start.clone(), Start::RubberBand { additive: false })
        );
        assert_eq!(
            reduce(start.clone(), Some(Item::Flow("f")), Press::DragStart, true),
            (start.clone(), Start::RubberBand { additive: true })
        );
        assert_eq!(band(start.clone(), false, ["b"], ["vpc"]), of(&["b"], &["vpc"], &[]));
        assert_eq!(band(start, true, ["b"], []), of(&["a", "b"], &[], &[]));
    }

    #[test]
    fn the_version_changes_with_the_selection_only() {
        let mut selected = Selected::default();
        let v0 = selected.version();
        selected.set(Selection::default());
        assert_eq!(selected.version(), v0, "setting the same selection is no change");
        selected.press(Some(Item::Node("a")), Press::Click, false);
        assert!(selected.version() > v0);
        let v1 = selected.version();
        let mut project = Project::default();
        project.nodes.push(crate::model::Node::new("a", "ec2"));
        selected.retain_existing(&ModelView::build(&project));
        assert_eq!(selected.version(), v1, "nothing dropped");
        selected.retain_existing(&ModelView::build(&Project::default()));
        assert!(selected.get().is_empty() && selected.version() > v1);
    }
}
