//! The canvas: an `egui::Scene` that shows the diagram and turns pointer input into edits.
//!
//! Coordinates: the document stores scene units (points at 100% zoom). Inside the Scene the
//! layer transform maps scene to screen, so shapes and interaction rects are given in scene
//! units; `screen_from_scene` is only needed for sizes that must stay constant on screen
//! (handles, hit distances).
//!
//! The parts: `view.rs` decides what is visible (zoom, fit, bring into view, the zoom kept when
//! the canvas changes size); `input.rs` turns presses into selections and gestures through the
//! one selection reducer ([`super::selection::reduce`]); `hit.rs` finds what is under a point;
//! `context.rs` is the right-click menu; `cache.rs` keeps what is derived per revision and per selection (selected indices, collapsed
//! boundaries, flow kinds); `boundaries.rs`, `flows.rs` and `nodes.rs` draw; `minimap.rs`
//! shows the whole design in a corner; `paint.rs` holds the shapes.

mod boundaries;
mod cache;
mod context;
mod flows;
mod hit;
mod input;
mod minimap;
mod nodes;
mod paint;
mod view;

use std::collections::BTreeSet;

use egui::emath::TSTransform;
use egui::{CursorIcon, Pos2, Rect, Ui, Vec2, vec2};

use super::Action;
use super::selection::{PaletteItem, Selected, Selection};
use super::theme::{CanvasColours, Theme};
use crate::catalog::Catalog;
use crate::document::Document;
use crate::model::Node;

pub use paint::glyph_shape;
pub use view::content_bounds;

/// Grid spacing and snapping step, in scene units.
pub const GRID_STEP: f32 = 20.0;
/// The zoom levels the canvas allows.
pub const ZOOM_RANGE: std::ops::RangeInclusive<f32> = 0.02..=4.0;
/// Above this many nodes on screen at block detail, nodes are painted as one mesh and hit by
/// position instead of each being an egui widget: a whole estate stays fluid.
pub const MESH_NODES_ABOVE: usize = 1500;

/// What happens to flows that are not attached to the selection.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum FlowFocus {
    /// Every flow is drawn the same.
    #[default]
    All,
    /// Flows that touch neither a selected node nor a node in a selected boundary are faint.
    Fade,
    /// Those flows are not drawn.
    Hide,
}

/// Which flows the canvas draws.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FlowFilter {
    /// Flows away from the selection.
    pub focus: FlowFocus,
    /// Only flows not known to be encrypted in transit (plaintext, or not stated).
    pub unencrypted_only: bool,
    /// Only flows whose ends are in different trust zones (accounts, Regions, VPCs).
    pub crossing_only: bool,
}

impl FlowFilter {
    /// Whether any flow may be left out or faded.
    pub fn is_active(self) -> bool {
        self.focus != FlowFocus::All || self.unencrypted_only || self.crossing_only
    }
}

/// The canvas's view state: what is visible, what is selected, what is collapsed, what is being
/// dragged. Not saved in the document.
pub struct CanvasState {
    /// The part of the scene that is visible (the Scene fits it into the canvas).
    scene_rect: Rect,
    selected: Selected,
    /// Whether the grid is shown and positions snap to it.
    pub grid: bool,
    /// A palette item waiting for a click on the canvas.
    pub armed: Option<PaletteItem>,
    /// Which flows are drawn.
    pub flows: FlowFilter,
    /// Whether the minimap is shown.
    pub minimap: bool,
    /// Boundaries shown as one block, by id, and a number that changes with the set.
    collapsed: (BTreeSet<String>, u64),
    /// Points per scene unit in the last frame.
    zoom: f32,
    /// Scene units to screen points, in the last frame.
    to_screen: TSTransform,
    gesture: Option<input::Gesture>,
    fit_pending: bool,
    /// The canvas's size on screen in the last frame; `None` before the first.
    viewport: Option<Vec2>,
    /// The revision the selection was last checked against.
    checked_revision: Option<u64>,
    caches: cache::Caches,
}

impl Default for CanvasState {
    fn default() -> Self {
        Self {
            scene_rect: Rect::from_min_size(Pos2::ZERO, vec2(1200.0, 800.0)),
            selected: Selected::default(),
            grid: true,
            armed: None,
            flows: FlowFilter::default(),
            minimap: true,
            collapsed: (BTreeSet::new(), 0),
            zoom: 1.0,
            to_screen: TSTransform::IDENTITY,
            gesture: None,
            fit_pending: true,
            viewport: None,
            checked_revision: None,
            caches: cache::Caches::default(),
        }
    }
}

impl CanvasState {
    /// What is selected.
    pub fn selection(&self) -> &Selection {
        self.selected.get()
    }

    /// Replaces the selection.
    pub fn select(&mut self, selection: Selection) {
        self.selected.set(selection);
    }

    /// Takes the selection out, leaving nothing selected.
    pub fn take_selection(&mut self) -> Selection {
        self.selected.take()
    }

    /// Drops selected ids the document no longer has; only does work when the document changed
    /// since the last check.
    pub fn retain_existing(&mut self, document: &Document) {
        if self.checked_revision != Some(document.revision()) {
            self.selected.retain_existing(document.view());
            self.checked_revision = Some(document.revision());
        }
    }

    /// Points per scene unit.
    pub fn zoom(&self) -> f32 {
        self.zoom
    }

    /// The part of the scene that is visible.
    pub fn scene_rect(&self) -> Rect {
        self.scene_rect
    }

    /// Where a point of the scene was on screen in the last frame.
    pub fn screen_position(&self, point_in_scene: Pos2) -> Pos2 {
        self.to_screen * point_in_scene
    }

    /// Which point of the scene was at `on_screen` in the last frame.
    pub fn scene_position(&self, on_screen: Pos2) -> Pos2 {
        self.to_screen.inverse() * on_screen
    }

    /// Whether the boundary `id` is shown as one block.
    pub fn is_collapsed(&self, id: &str) -> bool {
        self.collapsed.0.contains(id)
    }

    /// Collapses the boundary `id` into one block, or expands it.
    pub fn set_collapsed(&mut self, id: &str, collapsed: bool) {
        let changed =
            if collapsed { self.collapsed.0.insert(id.to_owned()) } else { self.collapsed.0.remove(id) };
        if changed {
            self.collapsed.1 += 1;
        }
    }

    /// Expands every boundary (a new document).
    pub fn expand_all(&mut self) {
        if !self.collapsed.0.is_empty() {
            self.collapsed.0.clear();
            self.collapsed.1 += 1;
        }
    }

    /// Forgets what belonged to the previous document: selection, armed item, collapsed
    /// boundaries, the gesture; the next frame fits the new one.
    pub fn reset(&mut self) {
        self.selected.set(Selection::default());
        self.armed = None;
        self.gesture = None;
        self.expand_all();
        self.checked_revision = None;
        self.request_fit();
    }
}

/// The accessible name of a node on the canvas: its label (or id).
pub fn node_accessible_name(node: &Node) -> String {
    node.display_name().to_owned()
}

/// Shows the canvas and returns what the user did.
pub fn canvas_ui(
    ui: &mut Ui,
    state: &mut CanvasState,
    document: &Document,
    catalog: &Catalog,
    theme: Theme,
) -> Vec<Action> {
    let colours = CanvasColours::of(theme);
    let canvas_rect = ui.available_rect_before_wrap();
    state.track_viewport(canvas_rect.size().max(vec2(1.0, 1.0)));
    if state.fit_pending {
        state.fit(document);
        state.fit_pending = false;
    }
    state.retain_existing(document);
    let space_held = ui.input(|i| i.key_down(egui::Key::Space)) && !ui.ctx().egui_wants_keyboard_input();
    ui.painter().rect_filled(canvas_rect, 0.0, colours.background);

    let mut caches = std::mem::take(&mut state.caches);
    caches.refresh(document, catalog, &state.selected, &state.collapsed, state.flows);
    let version = state.selected.version();
    let mut actions = Vec::new();
    let mut scene_rect = state.scene_rect;
    let scene = egui::Scene::new().zoom_range(ZOOM_RANGE).drag_pan_buttons(
        egui::containers::DragPanButtons::MIDDLE | egui::containers::DragPanButtons::SECONDARY,
    );
    let response = scene
        .show(ui, &mut scene_rect, |ui| {
            let from_global =
                ui.ctx().layer_transform_from_global(ui.layer_id()).unwrap_or(TSTransform::IDENTITY);
            let zoom = 1.0 / from_global.scaling.max(f32::EPSILON);
            state.zoom = zoom;
            state.to_screen = from_global.inverse();
            let mut frame = Frame {
                ui,
                state,
                document,
                catalog,
                colours: &colours,
                dark: theme.is_dark(),
                zoom,
                from_global,
                space_held,
                caches: &caches,
                actions: &mut actions,
            };
            frame.run();
        })
        .response;
    if space_held && ui.input(|i| i.pointer.primary_down()) && response.contains_pointer() {
        let delta = ui.input(|i| i.pointer.delta());
        scene_rect = scene_rect.translate(-delta / state.zoom.max(0.001));
        ui.ctx().set_cursor_icon(CursorIcon::Grabbing);
    }
    state.scene_rect = scene_rect;
    if state.minimap {
        minimap::minimap_ui(ui, canvas_rect, state, document, &mut caches, &colours);
    }
    state.caches = caches;
    if state.selected.version() != version {
        // What was pressed this frame is drawn selected on the next.
        ui.ctx().request_repaint();
    }
    actions
}

/// Everything one canvas frame needs, so the steps below are small methods.
struct Frame<'a> {
    ui: &'a mut Ui,
    state: &'a mut CanvasState,
    document: &'a Document,
    catalog: &'a Catalog,
    colours: &'a CanvasColours,
    dark: bool,
    zoom: f32,
    from_global: TSTransform,
    space_held: bool,
    caches: &'a cache::Caches,
    actions: &'a mut Vec<Action>,
}

impl Frame<'_> {
    fn run(&mut self) {
        let visible = self.ui.clip_rect();
        let painter = self.ui.painter().clone();
        self.grid(&painter, visible);
        let background = self.ui.response();
        let detail = paint::Detail::at(self.zoom);
        let offsets = self.move_offsets();
        let geometry = self.geometry(&offsets);

        self.boundaries_ui(&painter, visible, &geometry, detail);
        self.flows_paint(&painter, visible, &geometry, detail);
        let manual_hits = self.nodes_ui(&painter, visible, &geometry, detail);
        // Handles last, so they are on top of every label strip and node.
        self.resize_handles_ui(&painter, &geometry, detail);
        self.background_ui(&background, &geometry, manual_hits);
        self.overlay_paint(&painter, &geometry);
        self.empty_hint(&painter, visible);
    }

    fn grid(&self, painter: &egui::Painter, visible: Rect) {
        if self.state.grid {
            let step = if GRID_STEP * self.zoom >= 10.0 { GRID_STEP } else { GRID_STEP * 5.0 };
            if step * self.zoom >= 8.0 {
                paint::grid(painter, visible, step, self.colours.grid, 1.2 / self.zoom.max(0.2));
            }
        }
    }

    fn empty_hint(&self, painter: &egui::Painter, visible: Rect) {
        let project = self.document.project();
        if project.nodes.is_empty() && project.boundaries.is_empty() {
            painter.text(
                visible.center(),
                egui::Align2::CENTER_CENTER,
                "Drag a service from the palette, or click one and then click here.",
                egui::FontId::proportional(paint::readable(16.0, 16.0, self.zoom)),
                self.colours.weak_text,
            );
        }
    }

    /// egui gives widgets in a transformed layer their scene rectangle as accessibility bounds;
    /// screen readers and tests need where they are on screen.
    fn expose_on_screen(&self, response: &egui::Response, rect_in_scene: Rect) {
        let on_screen = self.from_global.inverse() * rect_in_scene;
        self.ui.ctx().accesskit_node_builder(response.id, |node| {
            node.set_bounds(egui::accesskit::Rect {
                x0: on_screen.min.x.into(),
                y0: on_screen.min.y.into(),
                x1: on_screen.max.x.into(),
                y1: on_screen.max.y.into(),
            });
        });
    }

    fn pointer_in_scene(&self) -> Option<Pos2> {
        self.ui.ctx().pointer_latest_pos().map(|p| self.from_global * p)
    }

    /// A length that is `points` on screen, in scene units.
    fn screen(&self, points: f32) -> f32 {
        points / self.zoom.max(0.05)
    }
}

/// Where everything is drawn this frame: node rectangles (moved by a drag in progress, `None`
/// for nodes without a position or inside a collapsed boundary), boundary frames, and the
/// blocks of collapsed boundaries. By index in the project's lists.
struct Geometry {
    nodes: Vec<Option<Rect>>,
    boundaries: Vec<Option<Rect>>,
}

impl Geometry {
    fn node(&self, index: usize) -> Option<Rect> {
        self.nodes.get(index).copied().flatten()
    }

    fn boundary(&self, index: usize) -> Option<Rect> {
        self.boundaries.get(index).copied().flatten()
    }
}
