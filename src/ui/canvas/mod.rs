//! The canvas: an `egui::Scene` that shows the diagram and turns pointer input into edits.
//!
//! Coordinates: the document stores scene units (points at 100% zoom). Inside the Scene the
//! layer transform maps scene to screen, so shapes and interaction rects are given in scene
//! units; `screen_from_scene` is only needed for sizes that must stay constant on screen
//! (handles, hit distances).

mod paint;

use std::collections::{BTreeSet, HashMap};

use egui::emath::TSTransform;
use egui::{CursorIcon, Id, Pos2, Rect, Sense, Stroke, StrokeKind, Ui, Vec2, pos2, vec2};

use super::Action;
use super::theme::{CanvasColours, Theme};
use crate::catalog::{Catalog, Severity};
use crate::checklist::Subject;
use crate::document::Document;
use crate::layout::NODE_SIZE;
use crate::model::{BoundaryKind, Edit, Node, Pos, Project, ops};

pub use paint::glyph_shape;

/// Grid spacing and snapping step, in scene units.
pub const GRID_STEP: f32 = 20.0;
/// The zoom levels the canvas allows.
pub const ZOOM_RANGE: std::ops::RangeInclusive<f32> = 0.02..=4.0;

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

    /// Selects only `id` of this kind.
    pub fn only_node(id: &str) -> Self {
        Self { nodes: [id.to_owned()].into(), ..Self::default() }
    }

    /// Drops ids that the project no longer has (after undo, delete, open).
    pub fn retain_existing(&mut self, project: &Project) {
        self.nodes.retain(|id| project.node(id).is_some());
        self.flows.retain(|id| project.flow(id).is_some());
        self.boundaries.retain(|id| project.boundary(id).is_some());
    }

    fn node_ids(&self) -> Vec<&str> {
        self.nodes.iter().map(String::as_str).collect()
    }

    fn boundary_ids(&self) -> Vec<&str> {
        self.boundaries.iter().map(String::as_str).collect()
    }
}

/// A pointer gesture in progress.
#[derive(Clone, Debug)]
enum Gesture {
    /// Moving the selection; `delta` in scene units so far. `grabbed` is the node under the
    /// pointer when nodes are not widgets this frame (see `MESH_NODES_ABOVE`).
    Move { delta: Vec2, grabbed: Option<String> },
    /// Resizing a boundary from a corner.
    Resize { boundary: String, corner: usize, rect: Rect },
    /// Dragging a new flow out of a node's handle.
    Connect { from: String, to: Pos2 },
    /// Selecting with a rubber band.
    RubberBand { start: Pos2, end: Pos2, additive: bool },
}

/// Node indices by id and flow ends by index, for one revision: a frame looks nodes up by
/// index, never by hashing ids.
#[derive(Default)]
struct Topology {
    revision: Option<u64>,
    node_index: HashMap<String, usize>,
    flow_ends: Vec<Option<(usize, usize)>>,
}

impl Topology {
    fn refresh(&mut self, document: &Document) {
        if self.revision == Some(document.revision()) {
            return;
        }
        let project = document.project();
        let node_index: HashMap<String, usize> =
            project.nodes.iter().enumerate().map(|(i, n)| (n.id.clone(), i)).collect();
        let flow_ends = project
            .flows
            .iter()
            .map(|f| Some((*node_index.get(&f.from)?, *node_index.get(&f.to)?)))
            .collect();
        *self = Self { revision: Some(document.revision()), node_index, flow_ends };
    }
}

/// Where every node is drawn this frame (with drag offsets), by node index.
struct Geometry<'t> {
    rects: Vec<Option<Rect>>,
    topology: &'t Topology,
}

impl Geometry<'_> {
    fn rect(&self, id: &str) -> Option<Rect> {
        self.topology.node_index.get(id).and_then(|&i| self.rects[i])
    }
}

/// Above this many nodes on screen at block detail, nodes are painted as one mesh and hit
/// by position instead of each being an egui widget: a whole estate stays fluid.
const MESH_NODES_ABOVE: usize = 1500;

/// Remaining tasks per node for one revision: (count, highest severity).
#[derive(Default)]
struct Badges {
    revision: Option<u64>,
    per_node: HashMap<String, (usize, Severity)>,
}

/// The canvas's view state: what is visible, what is selected, what is being dragged. Not
/// saved in the document.
pub struct CanvasState {
    /// The part of the scene that is visible (the Scene fits it into the canvas).
    pub scene_rect: Rect,
    /// What is selected.
    pub selection: Selection,
    /// Whether the grid is shown and positions snap to it.
    pub grid: bool,
    /// A palette item waiting for a click on the canvas.
    pub armed: Option<PaletteItem>,
    /// Points per scene unit in the last frame.
    pub zoom: f32,
    gesture: Option<Gesture>,
    fit_pending: bool,
    /// The canvas's size on screen in the last frame.
    viewport: Vec2,
    badges: Badges,
    topology: Topology,
    /// The node ids to bring into view on the next frame.
    reveal: Option<Vec<String>>,
}

impl Default for CanvasState {
    fn default() -> Self {
        Self {
            scene_rect: Rect::from_min_size(Pos2::ZERO, vec2(1200.0, 800.0)),
            selection: Selection::default(),
            grid: true,
            armed: None,
            zoom: 1.0,
            gesture: None,
            fit_pending: true,
            viewport: vec2(1200.0, 800.0),
            badges: Badges::default(),
            topology: Topology::default(),
            reveal: None,
        }
    }
}

impl CanvasState {
    /// Shows the whole design on the next frame.
    pub fn request_fit(&mut self) {
        self.fit_pending = true;
    }

    /// Brings `nodes` into view on the next frame.
    pub fn reveal(&mut self, nodes: Vec<String>) {
        self.reveal = Some(nodes);
    }

    /// Centres the view on the nodes `ids` without changing the zoom.
    pub fn centre_on(&mut self, project: &Project, ids: &[String]) {
        let rects: Vec<Rect> =
            ids.iter().filter_map(|id| project.node(id)?.position).map(node_rect).collect();
        if let Some(first) = rects.first() {
            let bounds = rects.iter().fold(*first, |acc, r| acc.union(*r));
            self.scene_rect = Rect::from_center_size(bounds.center(), self.scene_rect.size());
        }
    }

    /// Zooms by `factor` around the centre of the view.
    pub fn zoom_by(&mut self, factor: f32) {
        let scale = (self.zoom * factor).clamp(*ZOOM_RANGE.start(), *ZOOM_RANGE.end());
        self.set_zoom(scale);
    }

    /// Sets the zoom to `scale` points per scene unit, keeping the centre.
    pub fn set_zoom(&mut self, scale: f32) {
        let centre = self.scene_rect.center();
        self.scene_rect = Rect::from_center_size(centre, self.viewport / scale.max(0.001));
    }

    fn fit(&mut self, project: &Project) {
        let Some(bounds) = content_bounds(project) else {
            self.scene_rect = Rect::from_min_size(Pos2::ZERO, self.viewport);
            return;
        };
        let bounds = bounds.expand(40.0);
        // Never zoom in past 100% to fit a small design.
        let scale = (self.viewport.x / bounds.width()).min(self.viewport.y / bounds.height()).min(1.0);
        self.scene_rect = Rect::from_center_size(bounds.center(), self.viewport / scale.max(0.001));
    }
}

impl Badges {
    /// Recounts when the document changed since the last count.
    fn refresh(&mut self, document: &Document) {
        if self.revision != Some(document.revision()) {
            let mut per_node: HashMap<String, (usize, Severity)> = HashMap::new();
            for task in document.derivation().remaining() {
                let ids: Vec<&str> = match &task.subject {
                    Subject::Node(id) => vec![id],
                    Subject::Flow { from, to, .. } => vec![from, to],
                    Subject::Account(_) => Vec::new(),
                };
                for id in ids {
                    let entry = per_node.entry(id.to_owned()).or_insert((0, Severity::Low));
                    entry.0 += 1;
                    entry.1 = entry.1.max(task.severity());
                }
            }
            *self = Self { revision: Some(document.revision()), per_node };
        }
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
            grow(Rect::from_min_size(pos2(r.x, r.y), vec2(r.w, r.h)));
        }
    }
    bounds
}

fn node_rect(pos: Pos) -> Rect {
    Rect::from_min_size(pos2(pos.x, pos.y), paint::node_size())
}

fn egui_rect(r: crate::model::Rect) -> Rect {
    Rect::from_min_size(pos2(r.x, r.y), vec2(r.w, r.h))
}

fn model_rect(r: Rect) -> crate::model::Rect {
    crate::model::Rect { x: r.min.x, y: r.min.y, w: r.width(), h: r.height() }
}

fn snap(value: f32, grid: bool) -> f32 {
    if grid { (value / GRID_STEP).round() * GRID_STEP } else { value.round() }
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
    let dark = theme.is_dark();
    state.viewport = ui.available_size().max(vec2(1.0, 1.0));
    if state.fit_pending {
        state.fit(document.project());
        state.fit_pending = false;
    }
    if let Some(ids) = state.reveal.take() {
        reveal_nodes(state, document.project(), &ids);
    }
    let space_held = ui.input(|i| i.key_down(egui::Key::Space)) && !ui.ctx().egui_wants_keyboard_input();
    let canvas_rect = ui.available_rect_before_wrap();
    ui.painter().rect_filled(canvas_rect, 0.0, colours.background);

    let mut actions = Vec::new();
    let mut badges = std::mem::take(&mut state.badges);
    badges.refresh(document);
    let mut topology = std::mem::take(&mut state.topology);
    topology.refresh(document);
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
            let mut frame = Frame {
                ui,
                state,
                document,
                catalog,
                colours: &colours,
                dark,
                zoom,
                from_global,
                space_held,
                badges: &badges.per_node,
                topology: &topology,
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
    state.badges = badges;
    state.topology = topology;
    actions
}

/// Centres the view on `ids` (zooming out if they do not fit).
fn reveal_nodes(state: &mut CanvasState, project: &Project, ids: &[String]) {
    let rects: Vec<Rect> = ids.iter().filter_map(|id| project.node(id)?.position).map(node_rect).collect();
    let Some(first) = rects.first() else { return };
    let bounds = rects.iter().fold(*first, |acc, r| acc.union(*r)).expand(60.0);
    let visible = state.scene_rect;
    if visible.contains_rect(bounds) {
        return;
    }
    let size = if bounds.width() > visible.width() || bounds.height() > visible.height() {
        let scale = (state.viewport.x / bounds.width()).min(state.viewport.y / bounds.height()).min(1.0);
        state.viewport / scale.max(0.001)
    } else {
        visible.size()
    };
    state.scene_rect = Rect::from_center_size(bounds.center(), size);
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
    badges: &'a HashMap<String, (usize, Severity)>,
    topology: &'a Topology,
    actions: &'a mut Vec<Action>,
}

impl<'a> Frame<'a> {
    fn run(&mut self) {
        let visible = self.ui.clip_rect();
        let painter = self.ui.painter().clone();
        if self.state.grid {
            let step = if GRID_STEP * self.zoom >= 10.0 { GRID_STEP } else { GRID_STEP * 5.0 };
            if step * self.zoom >= 8.0 {
                paint::grid(&painter, visible, step, self.colours.grid, 1.2 / self.zoom.max(0.2));
            }
        }
        let background = self.ui.response();
        let detail = paint::Detail::at(self.zoom);
        let offsets = self.move_offsets();

        self.boundaries_ui(&painter, visible, &offsets, detail);
        let geometry = self.geometry(&offsets);
        self.flows_paint(&painter, visible, &geometry, detail);
        let manual_hits = self.nodes_ui(&painter, visible, &geometry, detail);
        self.background_ui(&background, &geometry, manual_hits);
        self.overlay_paint(&painter, &geometry);
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

    /// How far each node and boundary is drawn from its stored place during a move or resize.
    fn move_offsets(&self) -> Offsets {
        let mut offsets = Offsets::default();
        match &self.state.gesture {
            Some(Gesture::Move { delta, .. }) => {
                let project = self.document.project();
                let boundaries: Vec<&str> = self.state.selection.boundary_ids();
                let moved = ops::with_descendants(project, &boundaries);
                for boundary in &project.boundaries {
                    if moved.contains(boundary.id.as_str()) {
                        offsets.boundaries.insert(boundary.id.clone(), *delta);
                        for member in &boundary.members {
                            offsets.nodes.insert(member.clone(), *delta);
                        }
                    }
                }
                for id in &self.state.selection.nodes {
                    offsets.nodes.insert(id.clone(), *delta);
                }
            }
            Some(Gesture::Resize { boundary, rect, .. }) => {
                offsets.resized = Some((boundary.clone(), *rect));
            }
            _ => {}
        }
        offsets
    }

    fn geometry(&self, offsets: &Offsets) -> Geometry<'a> {
        let moving = !offsets.nodes.is_empty();
        let rects = self
            .document
            .project()
            .nodes
            .iter()
            .map(|node| {
                let rect = node_rect(node.position?);
                Some(if moving {
                    rect.translate(offsets.nodes.get(&node.id).copied().unwrap_or_default())
                } else {
                    rect
                })
            })
            .collect();
        Geometry { rects, topology: self.topology }
    }

    fn boundaries_ui(
        &mut self,
        painter: &egui::Painter,
        visible: Rect,
        offsets: &Offsets,
        detail: paint::Detail,
    ) {
        let project = self.document.project();
        let mut order: Vec<(usize, &crate::model::Boundary)> =
            project.boundaries.iter().map(|b| (project.boundary_depth(&b.id), b)).collect();
        order.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.id.cmp(&b.1.id)));
        let single_selected = (self.state.selection.boundaries.len() == 1
            && self.state.selection.nodes.is_empty())
        .then(|| self.state.selection.boundaries.first().cloned())
        .flatten();
        for (_, boundary) in order {
            let Some(stored) = boundary.rect else { continue };
            let mut rect = egui_rect(stored)
                .translate(offsets.boundaries.get(&boundary.id).copied().unwrap_or_default());
            if let Some((id, resized)) = &offsets.resized
                && *id == boundary.id
            {
                rect = *resized;
            }
            if !rect.intersects(visible) {
                continue;
            }
            let selected = self.state.selection.boundaries.contains(&boundary.id);
            paint::boundary(painter, boundary, rect, self.colours, self.dark, selected, self.zoom);
            let strip = paint::label_strip(rect);
            let id = Id::unique(("boundary", &boundary.id));
            let response = self.ui.interact(strip, id, Sense::click_and_drag());
            let name = format!("{} {}", boundary.kind.name(), boundary.display_name());
            response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Group, true, &name));
            self.expose_on_screen(&response, strip);
            let response = response.on_hover_cursor(CursorIcon::Grab);
            self.item_pointer(&response, Item::Boundary(&boundary.id));
            if single_selected.as_deref() == Some(boundary.id.as_str()) && detail > paint::Detail::Block {
                self.resize_handles_ui(painter, &boundary.id, rect);
            }
        }
    }

    fn resize_handles_ui(&mut self, painter: &egui::Painter, id: &str, rect: Rect) {
        let size = 10.0 / self.zoom.max(0.05);
        for (corner, point) in [rect.left_top(), rect.right_top(), rect.right_bottom(), rect.left_bottom()]
            .into_iter()
            .enumerate()
        {
            let handle = Rect::from_center_size(point, vec2(size, size));
            painter.rect(
                handle,
                2.0,
                self.colours.node_fill,
                Stroke::new(1.5 / self.zoom.max(0.05), self.colours.selection),
                StrokeKind::Middle,
            );
            let response = self.ui.interact(handle, Id::unique(("resize", id, corner)), Sense::drag());
            let label = format!("Resize {id} from corner {}", corner + 1);
            response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
            self.expose_on_screen(&response, handle);
            let response = response.on_hover_cursor(if corner % 2 == 0 {
                CursorIcon::ResizeNwSe
            } else {
                CursorIcon::ResizeNeSw
            });
            if response.drag_started() {
                self.state.gesture = Some(Gesture::Resize { boundary: id.to_owned(), corner, rect });
            }
            if response.dragged()
                && let Some(Gesture::Resize { rect: current, corner: c, .. }) = &mut self.state.gesture
                && *c == corner
                && let Some(pointer) = response.interact_pointer_pos()
            {
                *current = resized(*current, corner, pointer);
            }
            if response.drag_stopped()
                && let Some(Gesture::Resize { boundary, rect, .. }) = self.state.gesture.take()
            {
                let snapped = Rect::from_min_max(
                    pos2(snap(rect.min.x, self.state.grid), snap(rect.min.y, self.state.grid)),
                    pos2(snap(rect.max.x, self.state.grid), snap(rect.max.y, self.state.grid)),
                );
                self.actions.push(Action::Apply(Edit::SetRects(vec![(boundary, Some(model_rect(snapped)))])));
            }
        }
    }

    fn flows_paint(
        &mut self,
        painter: &egui::Painter,
        visible: Rect,
        geometry: &Geometry<'_>,
        detail: paint::Detail,
    ) {
        let flows = &self.document.project().flows;
        let mut mesh = (detail == paint::Detail::Block).then(egui::Mesh::default);
        for (index, flow) in flows.iter().enumerate() {
            let Some((from, to)) = geometry.topology.flow_ends.get(index).copied().flatten() else {
                continue;
            };
            let (Some(from), Some(to)) = (geometry.rects[from], geometry.rects[to]) else { continue };
            if paint::clip_segment(from.center(), to.center(), visible.expand(40.0 / self.zoom.max(0.01)))
                .is_none()
            {
                continue;
            }
            let selected =
                !self.state.selection.flows.is_empty() && self.state.selection.flows.contains(&flow.id);
            match &mut mesh {
                Some(mesh) if !selected => {
                    paint::flow_into_mesh(mesh, flow, from, to, self.colours, self.zoom);
                }
                _ => {
                    paint::flow(painter, flow, from, to, self.colours, selected, self.zoom);
                }
            }
        }
        if let Some(mesh) = mesh {
            painter.add(egui::Shape::mesh(mesh));
        }
    }

    /// Draws the visible nodes. Returns true when they were drawn as one mesh without widgets,
    /// so clicks and drags on them are found by position ([`Frame::background_ui`]).
    fn nodes_ui(
        &mut self,
        painter: &egui::Painter,
        visible: Rect,
        geometry: &Geometry<'_>,
        detail: paint::Detail,
    ) -> bool {
        let project = self.document.project();
        if detail == paint::Detail::Block {
            let on_screen = geometry.rects.iter().flatten().filter(|r| r.intersects(visible)).count();
            if on_screen > MESH_NODES_ABOVE {
                let mut mesh = egui::Mesh::default();
                for (index, node) in project.nodes.iter().enumerate() {
                    let Some(rect) = geometry.rects[index].filter(|r| r.intersects(visible)) else {
                        continue;
                    };
                    let selected = self.state.selection.nodes.contains(&node.id);
                    let colour =
                        self.catalog.service(&node.service).and_then(|s| self.catalog.category(s.category));
                    let colour = if selected {
                        self.colours.selection
                    } else {
                        colour.map_or(egui::Color32::GRAY, |c| super::theme::hex_colour(&c.colour))
                    };
                    mesh.add_colored_rect(rect, colour);
                }
                painter.add(egui::Shape::mesh(mesh));
                return true;
            }
        }
        let pointer = self.pointer_in_scene();
        let owners = &self.document.derivation().owners;
        for (index, node) in project.nodes.iter().enumerate() {
            let Some(rect) = geometry.rects[index] else { continue };
            if !rect.intersects(visible) {
                continue;
            }
            let response = self.ui.interact(rect, Id::unique(("node", &node.id)), Sense::click_and_drag());
            response.widget_info(|| {
                let mut info = egui::WidgetInfo::labeled(egui::Role::Button, true, node.display_name());
                info.selected = Some(self.state.selection.nodes.contains(&node.id));
                info
            });
            self.expose_on_screen(&response, rect);
            let service = self.catalog.service(&node.service);
            let look = paint::NodeLook {
                rect,
                label: node.display_name(),
                service,
                owners: owners.get(index).copied().flatten(),
                remaining: self.badges.get(&node.id).copied(),
                selected: self.state.selection.nodes.contains(&node.id),
                hovered: response.hovered(),
                zoom: self.zoom,
            };
            paint::node(painter, self.catalog, &look, self.colours, self.dark, detail);
            let response = match service {
                Some(service) if response.hovered() => {
                    response.on_hover_text_at_pointer(format!("{} — {}", service.name, service.summary))
                }
                _ => response,
            };
            self.item_pointer(&response, Item::Node(&node.id));
            // The handle shows near the pointer, on the selection, and while any flow is drawn;
            // it stays while it is being dragged even when the pointer has left the node.
            let near = pointer.is_some_and(|p| rect.expand(18.0 / self.zoom.max(0.1)).contains(p));
            let dragging_handle = self.ui.ctx().is_being_dragged(connect_handle_id(&node.id));
            let connecting = matches!(self.state.gesture, Some(Gesture::Connect { .. }));
            if detail > paint::Detail::Block && (near || look.selected || connecting || dragging_handle) {
                self.connect_handle_ui(painter, node, rect);
            }
        }
        false
    }

    /// The round handle on a node's right edge that starts a new flow.
    fn connect_handle_ui(&mut self, painter: &egui::Painter, node: &Node, rect: Rect) {
        let radius = (6.0 / self.zoom.max(0.1)).min(12.0);
        let centre = pos2(rect.right(), rect.center().y);
        // Easier to grab than it looks: at least 24 points across on screen.
        let hit = Rect::from_center_size(centre, Vec2::splat((radius * 2.6).max(24.0 / self.zoom.max(0.1))));
        let response = self.ui.interact(hit, connect_handle_id(&node.id), Sense::drag());
        let name = format!("Connect from {}", node.display_name());
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
        self.expose_on_screen(&response, hit);
        let response = response
            .on_hover_cursor(CursorIcon::Crosshair)
            .on_hover_text("Drag onto another node to add a flow");
        let fill = if response.hovered() { self.colours.selection } else { self.colours.node_fill };
        painter.circle(centre, radius, fill, Stroke::new(1.5, self.colours.selection));
        if response.drag_started() && !self.space_held {
            self.state.gesture = Some(Gesture::Connect { from: node.id.clone(), to: centre });
        }
        let pointer = self.pointer_in_scene();
        if response.dragged()
            && let Some(Gesture::Connect { to, .. }) = &mut self.state.gesture
            && let Some(pointer) = pointer
        {
            *to = pointer;
        }
        if response.drag_stopped()
            && let Some(Gesture::Connect { from, to }) = self.state.gesture.take()
        {
            let target = self.node_at(to).map(str::to_owned);
            if let Some(target) = target
                && let Some((edit, id)) = ops::connect(self.document.project(), &from, &target)
            {
                let selection = Selection { flows: [id].into(), ..Selection::default() };
                self.actions.push(Action::ApplyAndSelect(edit, selection));
            }
        }
    }

    /// Click, shift-click and drag on a node or a boundary's label strip.
    fn item_pointer(&mut self, response: &egui::Response, item: Item<'_>) {
        let shift = self.ui.input(|i| i.modifiers.shift);
        let in_selection = match item {
            Item::Node(id) => self.state.selection.nodes.contains(id),
            Item::Boundary(id) => self.state.selection.boundaries.contains(id),
        };
        let select = |selection: &mut Selection, on: bool| {
            let set = match item {
                Item::Node(_) => &mut selection.nodes,
                Item::Boundary(_) => &mut selection.boundaries,
            };
            let id = match item {
                Item::Node(id) | Item::Boundary(id) => id.to_owned(),
            };
            if on {
                set.insert(id)
            } else {
                set.remove(&id)
            };
        };
        if response.clicked() {
            if shift {
                select(&mut self.state.selection, !in_selection);
            } else {
                self.state.selection = Selection::default();
                select(&mut self.state.selection, true);
            }
        }
        if self.space_held {
            return;
        }
        if response.drag_started_by(egui::PointerButton::Primary) {
            if !in_selection {
                if !shift {
                    self.state.selection = Selection::default();
                }
                select(&mut self.state.selection, true);
            }
            self.state.gesture = Some(Gesture::Move { delta: Vec2::ZERO, grabbed: None });
        }
        if response.dragged_by(egui::PointerButton::Primary)
            && let Some(Gesture::Move { delta, .. }) = &mut self.state.gesture
        {
            *delta += response.drag_delta();
        }
        if response.drag_stopped()
            && let Some(Gesture::Move { delta, .. }) = self.state.gesture.take()
        {
            self.commit_move(delta, item);
        }
    }

    /// Ends a move: snaps the grabbed item to the grid and records one undo step.
    fn commit_move(&mut self, delta: Vec2, grabbed: Item<'_>) {
        let project = self.document.project();
        let anchor = match grabbed {
            Item::Node(id) => project.node(id).and_then(|n| n.position).map(|p| pos2(p.x, p.y)),
            Item::Boundary(id) => project.boundary(id).and_then(|b| b.rect).map(|r| pos2(r.x, r.y)),
        };
        let Some(anchor) = anchor else { return };
        let target = anchor + delta;
        let snapped = pos2(snap(target.x, self.state.grid), snap(target.y, self.state.grid));
        let delta = snapped - anchor;
        if delta == Vec2::ZERO {
            return;
        }
        let nodes = self.state.selection.node_ids();
        let boundaries = self.state.selection.boundary_ids();
        self.actions.push(Action::Apply(ops::move_selection(project, &nodes, &boundaries, delta.x, delta.y)));
    }

    /// Clicks and drags on empty canvas: deselect, place an armed item, select a flow,
    /// rubber-band select, and drops from the palette.
    /// With `manual_hits`, nodes are not widgets this frame (a mesh at far zoom), so a click or
    /// drag that starts on one is handled here as if it were on the node.
    fn background_ui(&mut self, background: &egui::Response, geometry: &Geometry<'_>, manual_hits: bool) {
        if let Some(item) = background.dnd_release_payload::<PaletteItem>() {
            if let Some(pointer) = self.pointer_in_scene() {
                self.place(&item, pointer);
            }
            return;
        }
        let shift = self.ui.input(|i| i.modifiers.shift);
        let pressed_node =
            if manual_hits { background.interact_pointer_pos().and_then(|p| self.node_at(p)) } else { None };
        if background.clicked() {
            let Some(pointer) = background.interact_pointer_pos() else { return };
            if let Some(item) = self.state.armed.take() {
                self.place(&item, pointer);
                return;
            }
            if let Some(node) = pressed_node {
                if !shift {
                    self.state.selection = Selection::default();
                }
                if !self.state.selection.nodes.remove(node) {
                    self.state.selection.nodes.insert(node.to_owned());
                }
                return;
            }
            match self.flow_at(pointer, geometry) {
                Some(flow) if shift && !self.state.selection.flows.remove(&flow) => {
                    self.state.selection.flows.insert(flow);
                }
                Some(_) if shift => {}
                Some(flow) => {
                    self.state.selection = Selection { flows: [flow].into(), ..Selection::default() }
                }
                None if !shift => self.state.selection = Selection::default(),
                None => {}
            }
        }
        if self.space_held {
            return;
        }
        if background.drag_started_by(egui::PointerButton::Primary)
            && let Some(start) = background.interact_pointer_pos()
        {
            if let Some(node) = pressed_node {
                if !self.state.selection.nodes.contains(node) {
                    if !shift {
                        self.state.selection = Selection::default();
                    }
                    self.state.selection.nodes.insert(node.to_owned());
                }
                self.state.gesture =
                    Some(Gesture::Move { delta: Vec2::ZERO, grabbed: Some(node.to_owned()) });
            } else {
                self.state.gesture = Some(Gesture::RubberBand { start, end: start, additive: shift });
            }
        }
        if background.dragged_by(egui::PointerButton::Primary)
            && let Some(Gesture::Move { delta, grabbed: Some(_) }) = &mut self.state.gesture
        {
            *delta += background.drag_delta();
        }
        if background.drag_stopped()
            && matches!(self.state.gesture, Some(Gesture::Move { grabbed: Some(_), .. }))
            && let Some(Gesture::Move { delta, grabbed: Some(node) }) = self.state.gesture.take()
        {
            self.commit_move(delta, Item::Node(&node));
            return;
        }
        if background.dragged_by(egui::PointerButton::Primary)
            && let Some(Gesture::RubberBand { end, .. }) = &mut self.state.gesture
            && let Some(pointer) = background.interact_pointer_pos()
        {
            *end = pointer;
        }
        if background.drag_stopped()
            && let Some(Gesture::RubberBand { start, end, additive }) = self.state.gesture.take()
        {
            let band = Rect::from_two_pos(start, end);
            if !additive {
                self.state.selection = Selection::default();
            }
            for (node, rect) in self.document.project().nodes.iter().zip(&geometry.rects) {
                if rect.is_some_and(|r| band.contains_rect(r)) {
                    self.state.selection.nodes.insert(node.id.clone());
                }
            }
            for boundary in &self.document.project().boundaries {
                if boundary.rect.is_some_and(|r| band.contains_rect(egui_rect(r))) {
                    self.state.selection.boundaries.insert(boundary.id.clone());
                }
            }
        }
    }

    /// Adds a palette item at `point` (the pointer, in scene units).
    fn place(&mut self, item: &PaletteItem, point: Pos2) {
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
                let selection = Selection { boundaries: [id].into(), ..Selection::default() };
                self.actions.push(Action::ApplyAndSelect(edit, selection));
            }
        }
    }

    /// The flow whose line passes within a few screen points of `point`.
    fn flow_at(&self, point: Pos2, geometry: &Geometry<'_>) -> Option<String> {
        let tolerance = 6.0 / self.zoom.max(0.05);
        self.document
            .project()
            .flows
            .iter()
            .filter_map(|flow| {
                let from = geometry.rect(&flow.from)?;
                let to = geometry.rect(&flow.to)?;
                let a = paint::border_point(from, to.center());
                let b = paint::border_point(to, from.center());
                let distance = paint::distance_to_segment(point, a, b);
                (distance <= tolerance).then_some((distance, flow.id.clone()))
            })
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, id)| id)
    }

    /// The topmost node under `point`.
    fn node_at(&self, point: Pos2) -> Option<&'a str> {
        let document: &'a Document = self.document;
        document
            .project()
            .nodes
            .iter()
            .rev()
            .find(|node| node.position.is_some_and(|p| node_rect(p).contains(point)))
            .map(|node| node.id.as_str())
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

    /// The rubber band, the flow being drawn, and the armed item under the pointer.
    fn overlay_paint(&self, painter: &egui::Painter, geometry: &Geometry<'_>) {
        match &self.state.gesture {
            Some(Gesture::RubberBand { start, end, .. }) => {
                let band = Rect::from_two_pos(*start, *end);
                painter.rect(
                    band,
                    0.0,
                    self.colours.selection.gamma_multiply(0.12),
                    Stroke::new(1.0 / self.zoom.max(0.05), self.colours.selection),
                    StrokeKind::Inside,
                );
            }
            Some(Gesture::Connect { from, to }) => {
                if let Some(rect) = geometry.rect(from) {
                    let start = pos2(rect.right(), rect.center().y);
                    painter.line_segment([start, *to], Stroke::new(2.0, self.colours.selection));
                    if let Some(target) = self.node_at(*to).and_then(|id| geometry.rect(id)) {
                        painter.rect_stroke(
                            target,
                            6.0,
                            Stroke::new(2.5, self.colours.selection),
                            StrokeKind::Outside,
                        );
                    }
                }
            }
            _ => {}
        }
        if self.state.armed.is_some()
            && let Some(pointer) = self.pointer_in_scene()
            && self.ui.clip_rect().contains(pointer)
        {
            let ghost = Rect::from_center_size(pointer, paint::node_size());
            painter.rect_stroke(
                ghost,
                6.0,
                Stroke::new(1.5, self.colours.selection.gamma_multiply(0.6)),
                StrokeKind::Outside,
            );
            self.ui.ctx().set_cursor_icon(CursorIcon::Crosshair);
        }
    }
}

fn connect_handle_id(node_id: &str) -> Id {
    Id::unique(("connect", node_id))
}

/// What a pointer gesture started on.
#[derive(Clone, Copy)]
enum Item<'a> {
    Node(&'a str),
    Boundary(&'a str),
}

/// Where things are drawn during a gesture, relative to where they are stored.
#[derive(Default)]
struct Offsets {
    nodes: HashMap<String, Vec2>,
    boundaries: HashMap<String, Vec2>,
    resized: Option<(String, Rect)>,
}

/// `rect` with `corner` (0 top-left, then clockwise) moved to `to`, never smaller than 80×60.
fn resized(rect: Rect, corner: usize, to: Pos2) -> Rect {
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
    r
}
