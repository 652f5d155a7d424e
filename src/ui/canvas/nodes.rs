//! Nodes on the canvas: each an egui widget with an accessible name, or, above
//! [`MESH_NODES_ABOVE`] blocks on screen, one mesh hit by position; the handle that draws a new
//! flow; and what is drawn over everything during a gesture.

use egui::{CursorIcon, Id, Pos2, Rect, Sense, Stroke, StrokeKind, Vec2, pos2};

use super::input::{Gesture, Grabbed};
use super::{Frame, Geometry, MESH_NODES_ABOVE, paint};
use crate::model::{Node, ops};
use crate::ui::Action;
use crate::ui::selection::{Item, Selection};

fn connect_handle_id(node_id: &str) -> Id {
    Id::unique(("connect", node_id))
}

impl Frame<'_> {
    /// Draws the visible nodes. Returns true when they were drawn as one mesh without widgets,
    /// so clicks and drags on them are found by position ([`Frame::background_ui`]).
    pub(super) fn nodes_ui(
        &mut self,
        painter: &egui::Painter,
        visible: Rect,
        geometry: &Geometry,
        detail: paint::Detail,
    ) -> bool {
        if detail == paint::Detail::Block {
            let on_screen = geometry.nodes.iter().flatten().filter(|r| r.intersects(visible)).count();
            if on_screen > MESH_NODES_ABOVE {
                self.nodes_mesh(painter, visible, geometry);
                return true;
            }
        }
        let document = self.document;
        // The dragged nodes last, so they are drawn over the nodes they pass.
        let moving = matches!(self.state.gesture, Some(Gesture::Move { .. }));
        let (still, dragged): (Vec<usize>, Vec<usize>) = (0..document.project().nodes.len())
            .filter(|&i| geometry.node(i).is_some_and(|r| r.intersects(visible)))
            .partition(|&i| !(moving && self.caches.marks.node(i)));
        for i in still.into_iter().chain(dragged) {
            if let Some(rect) = geometry.node(i) {
                self.node_ui(painter, i, rect, detail);
            }
        }
        false
    }

    /// Thousands of blocks in one shape, in their category colour (selected ones in the
    /// selection colour).
    fn nodes_mesh(&self, painter: &egui::Painter, visible: Rect, geometry: &Geometry) {
        let mut mesh = egui::Mesh::default();
        for (i, rect) in geometry.nodes.iter().enumerate() {
            let Some(rect) = rect.filter(|r| r.intersects(visible)) else { continue };
            let colour = if self.caches.marks.node(i) {
                self.colours.selection
            } else {
                self.caches.looks.colours.get(i).copied().unwrap_or(egui::Color32::GRAY)
            };
            mesh.add_colored_rect(rect, colour);
        }
        painter.add(egui::Shape::mesh(mesh));
    }

    /// One node as a widget: drawn at `detail`, selected and moved through [`Frame::pointer`].
    fn node_ui(&mut self, painter: &egui::Painter, i: usize, rect: Rect, detail: paint::Detail) {
        let document = self.document;
        let node = &document.project().nodes[i];
        let selected = self.caches.marks.node(i);
        let response = self.ui.interact(rect, Id::unique(("node", &node.id)), Sense::click_and_drag());
        response.widget_info(|| {
            let mut info = egui::WidgetInfo::labeled(egui::Role::Button, true, node.display_name());
            info.selected = Some(selected);
            info
        });
        self.expose_on_screen(&response, rect);
        let service = self.catalog.service(&node.service);
        let look = paint::NodeLook {
            rect,
            label: node.display_name(),
            service,
            owners: document.derivation().owners.get(i).copied().flatten(),
            remaining: document.derivation().badge(i).map(|b| (b.remaining, b.worst)),
            failing: document.evidence().is_some_and(|held| held.node_fails(i)),
            selected,
            hovered: response.hovered(),
            zoom: self.zoom,
        };
        paint::node(painter, self.catalog, &look, self.colours, self.dark, detail);
        let response = match service {
            Some(service) if response.hovered() => response.on_hover_text_at_pointer(format!(
                "{}\n{} — {}",
                node.display_name(),
                service.name,
                service.summary
            )),
            _ => response,
        };
        self.pointer(&response, Some(Item::Node(&node.id)));
        // The handle shows near the pointer, on the selection, and while any flow is drawn; it
        // stays while it is being dragged even when the pointer has left the node.
        let near =
            self.pointer_in_scene().is_some_and(|p| rect.expand(self.screen(18.0).min(180.0)).contains(p));
        let dragging_handle = self.ui.ctx().is_being_dragged(connect_handle_id(&node.id));
        let connecting = matches!(self.state.gesture, Some(Gesture::Connect { .. }));
        if detail > paint::Detail::Block && (near || selected || connecting || dragging_handle) {
            self.connect_handle_ui(painter, node, rect);
        }
    }

    /// The round handle on a node's right edge that starts a new flow.
    fn connect_handle_ui(&mut self, painter: &egui::Painter, node: &Node, rect: Rect) {
        let radius = self.screen(6.0).min(12.0);
        let centre = pos2(rect.right(), rect.center().y);
        // Easier to grab than it looks: at least 24 points across on screen.
        let hit =
            Rect::from_center_size(centre, Vec2::splat((radius * 2.6).max(self.screen(24.0).min(240.0))));
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
            self.finish_connect(&from, to);
        }
    }

    /// Adds a flow from `from` to the node under `to`, if there is one.
    fn finish_connect(&mut self, from: &str, to: Pos2) {
        let offsets = self.move_offsets();
        let geometry = self.geometry(&offsets);
        let project = self.document.project();
        let Some(target) = self.node_at(to, &geometry).map(|i| project.nodes[i].id.as_str()) else { return };
        if let Some((edit, id)) = ops::connect(project, from, target) {
            self.actions.push(Action::ApplyAndSelect(edit, Selection::only_flow(&id)));
        }
    }

    /// The rubber band, the flow being drawn, where a dragged item will land, and the armed
    /// item under the pointer.
    pub(super) fn overlay_paint(&self, painter: &egui::Painter, geometry: &Geometry) {
        match &self.state.gesture {
            Some(Gesture::RubberBand { start, end, .. }) => {
                let band = Rect::from_two_pos(*start, *end);
                painter.rect(
                    band,
                    0.0,
                    self.colours.selection.gamma_multiply(0.12),
                    Stroke::new(self.screen(1.0), self.colours.selection),
                    StrokeKind::Inside,
                );
            }
            Some(Gesture::Connect { from, to }) => self.connect_overlay(painter, geometry, from, *to),
            Some(Gesture::Move { delta, grabbed }) => {
                self.landing_overlay(painter, geometry, grabbed, *delta);
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

    fn connect_overlay(&self, painter: &egui::Painter, geometry: &Geometry, from: &str, to: Pos2) {
        let Some(rect) = self.document.view().node_index(from).and_then(|i| geometry.node(i)) else { return };
        let start = pos2(rect.right(), rect.center().y);
        painter.line_segment([start, to], Stroke::new(2.0, self.colours.selection));
        if let Some(target) = self.node_at(to, geometry).and_then(|i| geometry.node(i)) {
            painter.rect_stroke(target, 6.0, Stroke::new(2.5, self.colours.selection), StrokeKind::Outside);
        }
    }

    /// During a move, the boundary the grabbed item will belong to when dropped, when that
    /// changes: membership never changes without being shown.
    fn landing_overlay(&self, painter: &egui::Painter, geometry: &Geometry, grabbed: &Grabbed, delta: Vec2) {
        let Some(landing) = self.landing(grabbed, delta, &self.moved_boundaries()) else { return };
        let view = self.document.view();
        let before = match grabbed {
            Grabbed::Node(id) => view.node_index(id).and_then(|i| view.home(i)),
            Grabbed::Boundary(id) => view.boundary_index(id).and_then(|b| view.parent(b)),
        };
        if landing == before {
            return;
        }
        let project = self.document.project();
        match landing {
            Some(to) => {
                if let Some(rect) = geometry.boundary(to) {
                    let boundary = &project.boundaries[to];
                    let text = format!("into {} {}", boundary.kind.name(), boundary.display_name());
                    paint::drop_target(painter, rect, &text, self.colours, self.zoom);
                }
            }
            None => {
                if let Some(from) = before
                    && let Some(rect) = geometry.boundary(from)
                {
                    let boundary = &project.boundaries[from];
                    let text = format!("out of {} {}", boundary.kind.name(), boundary.display_name());
                    paint::drop_target(painter, rect, &text, self.colours, self.zoom);
                }
            }
        }
    }
}
