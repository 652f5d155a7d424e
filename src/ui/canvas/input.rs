//! Pointer input on the canvas. Every press, on a node widget, a boundary's label strip, a
//! collapsed block or empty canvas (where, at far zoom, nodes are found by position), goes
//! through [`Frame::pointer`] and the one selection reducer; drags become previews, and one edit
//! when they end.

use egui::{PointerButton, Pos2, Rect, Response, Vec2, pos2, vec2};

use super::super::Action;
use super::super::selection::{self, Item, PaletteItem, Press, Selection, Start};
use super::view::{egui_rect, model_rect, node_rect};
use super::{Frame, GRID_STEP, Geometry};
use crate::model::geometry::{BOUNDARY_LABEL_HEIGHT, BOUNDARY_PADDING, NODE_SIZE};
use crate::model::{Node, Pos, ops};

/// A pointer gesture in progress.
#[derive(Clone, Debug)]
pub(super) enum Gesture {
    /// Moving the selection; `delta` in scene units so far, `grabbed` what the pointer holds.
    Move { delta: Vec2, grabbed: Grabbed },
    /// Resizing a boundary from a corner; the frame never shrinks past `holds` (its members
    /// and inner frames with their padding), so resizing never changes membership.
    Resize { boundary: String, corner: usize, rect: Rect, holds: Option<Rect> },
    /// Dragging a new flow out of a node's handle.
    Connect { from: String, to: Pos2 },
    /// Selecting with a rubber band.
    RubberBand { start: Pos2, end: Pos2, additive: bool },
}

/// What a move holds under the pointer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Grabbed {
    Node(String),
    Boundary(String),
}

impl Grabbed {
    fn of(item: Item<'_>) -> Option<Self> {
        match item {
            Item::Node(id) => Some(Self::Node(id.to_owned())),
            Item::Boundary(id) => Some(Self::Boundary(id.to_owned())),
            Item::Flow(_) => None,
        }
    }
}

/// Where things are drawn during a gesture, relative to where they are stored, by index.
#[derive(Default)]
pub(super) struct Offsets {
    pub delta: Vec2,
    pub nodes: Vec<bool>,
    pub boundaries: Vec<bool>,
    pub resized: Option<(usize, Rect)>,
}

impl Offsets {
    pub fn node(&self, i: usize) -> Vec2 {
        if self.nodes.get(i).copied().unwrap_or(false) { self.delta } else { Vec2::ZERO }
    }

    pub fn boundary(&self, i: usize) -> Vec2 {
        if self.boundaries.get(i).copied().unwrap_or(false) { self.delta } else { Vec2::ZERO }
    }
}

/// Snaps a coordinate to the grid (or to whole units without it).
pub(super) fn snap(value: f32, grid: bool) -> f32 {
    if grid { (value / GRID_STEP).round() * GRID_STEP } else { value.round() }
}

impl Frame<'_> {
    /// Click and drag on whatever the pointer pressed (`target`; `None` for empty canvas): the
    /// selection through [`selection::reduce`], then the move or rubber band it starts.
    pub(super) fn pointer(&mut self, response: &Response, target: Option<Item<'_>>) {
        self.context_menu(response, target);
        let shift = self.ui.input(|i| i.modifiers.shift);
        if response.clicked() {
            self.state.selected.press(target, Press::Click, shift);
        }
        if self.space_held {
            return;
        }
        if response.drag_started_by(PointerButton::Primary) {
            let start = self.state.selected.press(target, Press::DragStart, shift);
            // Where the button went down, not where the drag was noticed a few points later.
            let origin = self.ui.input(|i| i.pointer.press_origin()).map(|p| self.from_global * p);
            let at = origin.or(response.interact_pointer_pos()).unwrap_or_default();
            self.state.gesture = match (start, target.and_then(Grabbed::of)) {
                (Start::Move, Some(grabbed)) => Some(Gesture::Move { delta: Vec2::ZERO, grabbed }),
                (Start::RubberBand { additive }, _) => {
                    Some(Gesture::RubberBand { start: at, end: at, additive })
                }
                _ => None,
            };
        }
        if response.dragged_by(PointerButton::Primary) {
            match &mut self.state.gesture {
                Some(Gesture::Move { delta, .. }) => *delta += response.drag_delta(),
                Some(Gesture::RubberBand { end, .. }) => {
                    if let Some(pointer) = response.interact_pointer_pos() {
                        *end = pointer;
                    }
                }
                _ => {}
            }
        }
        if response.drag_stopped() {
            match self.state.gesture.take() {
                Some(Gesture::Move { delta, grabbed }) => self.commit_move(delta, &grabbed),
                Some(Gesture::RubberBand { start, end, additive }) => self.finish_band(start, end, additive),
                other => self.state.gesture = other,
            }
        }
    }

    /// Clicks and drags on empty canvas: place an armed item, select a flow or (at far zoom) a
    /// node under the pointer, rubber-band select, and drops from the palette.
    pub(super) fn background_ui(&mut self, background: &Response, geometry: &Geometry, manual_hits: bool) {
        if let Some(item) = background.dnd_release_payload::<PaletteItem>() {
            if let Some(pointer) = self.pointer_in_scene() {
                self.place(&item, pointer);
            }
            return;
        }
        // Where the button went down: a drag is noticed a few points later.
        let pressed = self
            .ui
            .input(|i| i.pointer.press_origin())
            .map(|p| self.from_global * p)
            .or(background.interact_pointer_pos());
        if background.clicked()
            && let Some(item) = self.state.armed.take()
        {
            if let Some(pointer) = pressed {
                self.place(&item, pointer);
            }
            return;
        }
        let project = self.document.project();
        let node = pressed.filter(|_| manual_hits).and_then(|p| self.node_at(p, geometry));
        let target = match node {
            Some(i) => Some(Item::Node(project.nodes[i].id.as_str())),
            None if background.clicked() || background.secondary_clicked() => pressed
                .and_then(|p| self.flow_at(p, geometry))
                .map(|f| Item::Flow(project.flows[f].id.as_str())),
            None => None,
        };
        self.pointer(background, target);
    }

    /// Ends a move: snaps the grabbed item to the grid and records one undo step, saying when it
    /// moved something into or out of a boundary.
    fn commit_move(&mut self, delta: Vec2, grabbed: &Grabbed) {
        let (project, view) = (self.document.project(), self.document.view());
        let anchor = match grabbed {
            Grabbed::Node(id) => view.node(project, id).and_then(|n| n.position).map(|p| pos2(p.x, p.y)),
            Grabbed::Boundary(id) => view.boundary(project, id).and_then(|b| b.rect).map(|r| pos2(r.x, r.y)),
        };
        let Some(anchor) = anchor else { return };
        let target = anchor + delta;
        let snapped = pos2(snap(target.x, self.state.grid), snap(target.y, self.state.grid));
        let delta = snapped - anchor;
        if delta == Vec2::ZERO {
            return;
        }
        let selection = self.state.selection();
        let (nodes, boundaries) = (selection.node_ids(), selection.boundary_ids());
        let notice = self.landing_notice(grabbed, delta);
        self.actions.push(Action::Apply(ops::move_selection(project, &nodes, &boundaries, delta.x, delta.y)));
        if let Some(notice) = notice {
            self.actions.push(Action::Notice(notice));
        }
    }

    /// Selects what a rubber band from `start` to `end` encloses.
    fn finish_band(&mut self, start: Pos2, end: Pos2, additive: bool) {
        let band = Rect::from_two_pos(start, end);
        let (project, geometry) = (self.document.project(), self.geometry(&Offsets::default()));
        let nodes = project
            .nodes
            .iter()
            .enumerate()
            .filter(|(i, _)| geometry.node(*i).is_some_and(|r| band.contains_rect(r)))
            .map(|(_, n)| n.id.as_str());
        let boundaries = project
            .boundaries
            .iter()
            .enumerate()
            .filter(|(b, _)| geometry.boundary(*b).is_some_and(|r| band.contains_rect(r)))
            .map(|(_, b)| b.id.as_str());
        let current = self.state.take_selection();
        self.state.select(selection::band(current, additive, nodes, boundaries));
    }

    /// Adds a palette item at `point` (the pointer, in scene units).
    pub(super) fn place(&mut self, item: &PaletteItem, point: Pos2) {
        let project = self.document.project();
        match item {
            PaletteItem::Service(service_id) => {
                let Some(service) = self.catalog.service(service_id) else { return };
                let id = project.unique_id(service_id);
                let mut node = Node::new(id.clone(), service_id.clone());
                node.label = service.name.clone();
                let top_left = point - vec2(NODE_SIZE.0, NODE_SIZE.1) / 2.0;
                node.position =
                    Some(Pos::new(snap(top_left.x, self.state.grid), snap(top_left.y, self.state.grid)));
                self.actions
                    .push(Action::ApplyAndSelect(ops::place_node(project, node), Selection::only_node(&id)));
            }
            PaletteItem::Boundary(kind) => {
                let size = vec2(480.0, 300.0);
                let min = point - size / 2.0;
                let rect = Rect::from_min_size(
                    pos2(snap(min.x, self.state.grid), snap(min.y, self.state.grid)),
                    size,
                );
                let (edit, id) = ops::place_boundary(project, *kind, model_rect(rect));
                self.actions.push(Action::ApplyAndSelect(edit, Selection::only_boundary(&id)));
            }
        }
    }

    /// How far each node and boundary is drawn from its stored place during a move or resize.
    pub(super) fn move_offsets(&self) -> Offsets {
        let (project, view) = (self.document.project(), self.document.view());
        match &self.state.gesture {
            Some(Gesture::Move { delta, .. }) => {
                // Selected boundaries carry the boundaries inside them and every member.
                let boundaries = self.moved_boundaries();
                let mut nodes = self.caches.marks.nodes.clone();
                nodes.resize(project.nodes.len(), false);
                for b in (0..boundaries.len()).filter(|&b| boundaries[b]) {
                    for n in view.members(b) {
                        nodes[n] = true;
                    }
                }
                Offsets { delta: *delta, nodes, boundaries, resized: None }
            }
            Some(Gesture::Resize { boundary, rect, .. }) => {
                Offsets { resized: view.boundary_index(boundary).map(|b| (b, *rect)), ..Offsets::default() }
            }
            _ => Offsets::default(),
        }
    }

    /// Starts, follows and ends the drag of a resize handle at `corner` of boundary `id`.
    pub(super) fn resize_pointer(&mut self, response: &Response, id: &str, corner: usize, rect: Rect) {
        if response.drag_started() {
            let holds = self.must_hold(id);
            self.state.gesture = Some(Gesture::Resize { boundary: id.to_owned(), corner, rect, holds });
        }
        if response.dragged()
            && let Some(Gesture::Resize { rect: current, corner: c, holds, .. }) = &mut self.state.gesture
            && *c == corner
            && let Some(pointer) = response.interact_pointer_pos()
        {
            *current = resized(*current, corner, pointer, *holds);
        }
        if response.drag_stopped()
            && let Some(Gesture::Resize { boundary, rect, holds, .. }) = self.state.gesture.take()
        {
            let snapped = Rect::from_min_max(
                pos2(snap(rect.min.x, self.state.grid), snap(rect.min.y, self.state.grid)),
                pos2(snap(rect.max.x, self.state.grid), snap(rect.max.y, self.state.grid)),
            );
            let snapped = holds.map_or(snapped, |h| snapped.union(h));
            let edit = ops::resize_boundary(self.document.project(), &boundary, model_rect(snapped));
            self.actions.push(Action::Apply(edit));
        }
    }

    /// What boundary `id`'s frame must keep holding: its members' nodes and its inner frames,
    /// padded, with room for their label strips.
    fn must_hold(&self, id: &str) -> Option<Rect> {
        let (project, view) = (self.document.project(), self.document.view());
        let b = view.boundary_index(id)?;
        let pad = BOUNDARY_PADDING;
        let nodes = view.members(b).filter_map(|n| project.nodes[n].position).map(node_rect);
        let children = view.children(b).filter_map(|c| project.boundaries[c].rect).map(egui_rect);
        let inner = nodes.chain(children).reduce(Rect::union)?;
        Some(Rect::from_min_max(
            inner.min - vec2(pad, pad + BOUNDARY_LABEL_HEIGHT),
            inner.max + vec2(pad, pad),
        ))
    }
}

/// `rect` with `corner` (0 top-left, then clockwise) moved to `to`, never smaller than 80×60
/// and never smaller than `holds`.
pub(super) fn resized(rect: Rect, corner: usize, to: Pos2, holds: Option<Rect>) -> Rect {
    let (mut min, mut max) = (rect.min, rect.max);
    match corner {
        0 => min = to,
        1 => {
            max.x = to.x;
            min.y = to.y;
        }
        2 => max = to,
        _ => {
            min.x = to.x;
            max.y = to.y;
        }
    }
    let mut r = Rect::from_two_pos(min, max);
    if r.width() < 80.0 {
        r.max.x = r.min.x + 80.0;
    }
    if r.height() < 60.0 {
        r.max.y = r.min.y + 60.0;
    }
    holds.map_or(r, |h| r.union(h))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_resized_frame_keeps_what_it_holds() {
        let rect = Rect::from_min_max(pos2(0.0, 0.0), pos2(400.0, 300.0));
        let holds = Rect::from_min_max(pos2(50.0, 50.0), pos2(300.0, 200.0));
        let r = resized(rect, 2, pos2(100.0, 100.0), Some(holds));
        assert_eq!(r, Rect::from_min_max(pos2(0.0, 0.0), pos2(300.0, 200.0)));
        let r = resized(rect, 0, pos2(-20.0, -10.0), Some(holds));
        assert_eq!(r.min, pos2(-20.0, -10.0));
        assert_eq!(resized(rect, 2, pos2(10.0, 10.0), None).size(), vec2(80.0, 60.0));
    }
}
