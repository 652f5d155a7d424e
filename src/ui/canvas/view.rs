//! What part of the design is visible: fit, zoom, bring into view, zoom to the selection. The
//! zoom is kept when the canvas changes size (a panel resized, a banner shown), so it never
//! drifts by itself.

use egui::{Pos2, Rect, Vec2, pos2, vec2};

use super::{CanvasState, ZOOM_RANGE};
use crate::document::Document;
use crate::model::Project;
use crate::model::geometry::NODE_SIZE;

/// The zoom at which a node brought into view is drawn in full.
const READABLE_ZOOM: f32 = 1.0;
/// Margin around what is fitted or brought into view, in scene units.
const MARGIN: f32 = 60.0;

impl CanvasState {
    /// Shows the whole design on the next frame.
    pub fn request_fit(&mut self) {
        self.fit_pending = true;
    }

    /// Zooms by `factor` around the centre of the view.
    pub fn zoom_by(&mut self, factor: f32) {
        let scale = (self.zoom * factor).clamp(*ZOOM_RANGE.start(), *ZOOM_RANGE.end());
        self.set_zoom(scale);
    }

    /// Sets the zoom to `scale` points per scene unit, keeping the centre.
    pub fn set_zoom(&mut self, scale: f32) {
        let scale = scale.clamp(*ZOOM_RANGE.start(), *ZOOM_RANGE.end());
        self.scene_rect = Rect::from_center_size(self.scene_rect.center(), self.viewport() / scale);
        self.zoom = scale;
    }

    /// Centres the view on `point` (scene units) without changing the zoom.
    pub fn centre_on(&mut self, point: Pos2) {
        self.scene_rect = Rect::from_center_size(point, self.scene_rect.size());
    }

    /// Shows the whole design (or an empty view at 100% when there is nothing).
    pub(super) fn fit(&mut self, document: &Document) {
        match content_bounds(document.project()) {
            Some(bounds) => self.show_rect(bounds.expand(40.0), 1.0),
            None => {
                self.scene_rect = Rect::from_min_size(Pos2::ZERO, self.viewport());
                self.zoom = 1.0;
            }
        }
    }

    /// Zooms so that `rect` fills the view, never past `max_zoom`.
    fn show_rect(&mut self, rect: Rect, max_zoom: f32) {
        let viewport = self.viewport();
        let scale =
            (viewport.x / rect.width().max(1.0)).min(viewport.y / rect.height().max(1.0)).min(max_zoom);
        let scale = scale.clamp(*ZOOM_RANGE.start(), *ZOOM_RANGE.end());
        self.scene_rect = Rect::from_center_size(rect.center(), viewport / scale);
        self.zoom = scale;
    }

    /// Brings `rect` into view: centred; zoomed out when it does not fit, and zoomed in to where
    /// nodes are drawn in full when it is too small to read.
    pub fn reveal_rect(&mut self, rect: Rect) {
        let wanted = rect.expand(MARGIN);
        let fits = wanted.width() * self.zoom <= self.viewport().x
            && wanted.height() * self.zoom <= self.viewport().y;
        if self.zoom < READABLE_ZOOM * 0.7 || !fits {
            self.show_rect(wanted, READABLE_ZOOM);
        } else if !self.scene_rect.contains_rect(wanted) {
            self.centre_on(wanted.center());
        }
    }

    /// Brings the nodes and boundaries named in `selection` into view (see
    /// [`CanvasState::reveal_rect`]). Returns false when none of them has a place.
    pub fn reveal(&mut self, document: &Document, selection: &crate::ui::Selection) -> bool {
        match selection_bounds(document, selection) {
            Some(bounds) => {
                self.reveal_rect(bounds);
                true
            }
            None => false,
        }
    }

    /// Brings what is selected into view (see [`CanvasState::reveal_rect`]).
    pub fn reveal_selection(&mut self, document: &Document) -> bool {
        match selection_bounds(document, self.selection()) {
            Some(bounds) => {
                self.reveal_rect(bounds);
                true
            }
            None => false,
        }
    }

    /// Zooms so the selection fills the view (up to 100%). Returns false when nothing selected
    /// has a place.
    pub fn zoom_to_selection(&mut self, document: &Document) -> bool {
        match selection_bounds(document, self.selection()) {
            Some(bounds) => {
                self.show_rect(bounds.expand(MARGIN), READABLE_ZOOM);
                true
            }
            None => false,
        }
    }

    /// The canvas size in the last frame (a typical one before the first).
    fn viewport(&self) -> Vec2 {
        self.viewport.unwrap_or(vec2(1200.0, 800.0))
    }

    /// Called with the canvas size each frame: when it changed (a panel resized, a banner shown
    /// or gone), the visible part of the scene changes with it from the top-left corner, so the
    /// zoom stays what it was and nothing on screen moves.
    pub(super) fn track_viewport(&mut self, size: Vec2) {
        if let Some(before) = self.viewport
            && before != size
        {
            self.scene_rect = Rect::from_min_size(self.scene_rect.min, size / self.zoom.max(0.001));
        }
        self.viewport = Some(size);
    }
}

/// The bounding box of every node and boundary.
pub fn content_bounds(project: &Project) -> Option<Rect> {
    let mut bounds: Option<Rect> = None;
    let mut grow = |rect: Rect| bounds = Some(bounds.map_or(rect, |b| b.union(rect)));
    for node in &project.nodes {
        if let Some(pos) = node.position {
            grow(node_rect(pos));
        }
    }
    for boundary in &project.boundaries {
        if let Some(r) = boundary.rect {
            grow(egui_rect(r));
        }
    }
    bounds
}

/// The bounding box of the selected nodes, the ends of selected flows and selected boundaries.
fn selection_bounds(document: &Document, selection: &crate::ui::Selection) -> Option<Rect> {
    let (project, view) = (document.project(), document.view());
    let mut bounds: Option<Rect> = None;
    let mut grow = |rect: Rect| bounds = Some(bounds.map_or(rect, |b| b.union(rect)));
    let flow_ends =
        selection.flows.iter().filter_map(|id| view.flow(project, id)).flat_map(|f| [&f.from, &f.to]);
    for id in selection.nodes.iter().chain(flow_ends) {
        if let Some(pos) = view.node(project, id).and_then(|n| n.position) {
            grow(node_rect(pos));
        }
    }
    for id in &selection.boundaries {
        if let Some(rect) = view.boundary(project, id).and_then(|b| b.rect) {
            grow(egui_rect(rect));
        }
    }
    bounds
}

/// Where a node whose top-left corner is `pos` is drawn.
pub(super) fn node_rect(pos: crate::model::Pos) -> Rect {
    Rect::from_min_size(pos2(pos.x, pos.y), vec2(NODE_SIZE.0, NODE_SIZE.1))
}

/// An egui rectangle from a model one.
pub(super) fn egui_rect(r: crate::model::Rect) -> Rect {
    Rect::from_min_size(pos2(r.x, r.y), vec2(r.w, r.h))
}

/// A model rectangle from an egui one.
pub(super) fn model_rect(r: Rect) -> crate::model::Rect {
    crate::model::Rect { x: r.min.x, y: r.min.y, w: r.width(), h: r.height() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(zoom: f32) -> CanvasState {
        let mut state = CanvasState::default();
        state.track_viewport(vec2(1000.0, 500.0));
        state.scene_rect = Rect::from_min_size(Pos2::ZERO, vec2(1000.0, 500.0) / zoom);
        state.zoom = zoom;
        state
    }

    #[test]
    fn the_zoom_stays_when_the_canvas_changes_size() {
        let mut state = state(0.5);
        state.track_viewport(vec2(800.0, 450.0));
        assert_eq!(state.scene_rect.size(), vec2(1600.0, 900.0));
        assert_eq!(state.scene_rect.min, Pos2::ZERO, "the top-left corner stays put");
    }

    #[test]
    fn revealing_zooms_in_to_read_and_out_to_fit() {
        let mut far = state(0.05);
        far.reveal_rect(Rect::from_min_size(pos2(5000.0, 5000.0), vec2(176.0, 64.0)));
        assert_eq!(far.zoom, 1.0, "a node seen from far is brought close enough to read");
        assert!(far.scene_rect.contains(pos2(5088.0, 5032.0)));

        let mut near = state(1.0);
        near.reveal_rect(Rect::from_min_size(pos2(0.0, 0.0), vec2(3000.0, 300.0)));
        assert!(near.zoom < 0.35, "too wide to fit at 100%: zoomed out to {}", near.zoom);

        let mut visible = state(1.0);
        visible.reveal_rect(Rect::from_min_size(pos2(100.0, 100.0), vec2(176.0, 64.0)));
        assert_eq!(visible.scene_rect.min, Pos2::ZERO, "already in view: nothing moves");
    }
}
