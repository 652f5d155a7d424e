//! Boundaries on the canvas: frames drawn outermost first (the model view's order, so inner
//! frames are on top without sorting), label strips that select and move them, the button that
//! collapses one into a block, the block itself, and the resize handles of the selected frame.

use egui::{CursorIcon, Id, Rect, Sense, Stroke, StrokeKind, vec2};

use super::input::Offsets;
use super::view::{egui_rect, node_rect};
use super::{Frame, Geometry, paint};
use crate::model::geometry::NODE_SIZE;
use crate::ui::selection::Item;

/// The block a collapsed boundary is drawn as: at its frame's top-left corner, a little wider
/// than a node.
pub(super) fn block_rect(frame: Rect) -> Rect {
    let size = vec2(
        (NODE_SIZE.0 + 80.0).min(frame.width().max(120.0)),
        (NODE_SIZE.1 + 8.0).min(frame.height().max(48.0)),
    );
    Rect::from_min_size(frame.min, size)
}

impl Frame<'_> {
    /// Where every node and boundary is drawn this frame.
    pub(super) fn geometry(&self, offsets: &Offsets) -> Geometry {
        let project = self.document.project();
        let collapse = &self.caches.collapse;
        let nodes = project
            .nodes
            .iter()
            .enumerate()
            .map(|(i, node)| {
                if collapse.node_hidden_by(i).is_some() {
                    return None;
                }
                Some(node_rect(node.position?).translate(offsets.node(i)))
            })
            .collect();
        let boundaries = project
            .boundaries
            .iter()
            .enumerate()
            .map(|(b, boundary)| {
                if collapse.boundary_hidden_by(b).is_some() {
                    return None;
                }
                let mut rect = egui_rect(boundary.rect?).translate(offsets.boundary(b));
                if let Some((resized, to)) = offsets.resized
                    && resized == b
                {
                    rect = to;
                }
                Some(if collapse.folded(b).is_some() { block_rect(rect) } else { rect })
            })
            .collect();
        Geometry { nodes, boundaries }
    }

    /// Draws every visible boundary, outermost first, with its label strip as a widget.
    pub(super) fn boundaries_ui(
        &mut self,
        painter: &egui::Painter,
        visible: Rect,
        geometry: &Geometry,
        detail: paint::Detail,
    ) {
        let view = self.document.view();
        for b in view.boundaries_outermost_first() {
            let Some(rect) = geometry.boundary(b) else { continue };
            if !rect.intersects(visible) {
                continue;
            }
            match self.caches.collapse.folded(b) {
                Some(folded) => self.folded_ui(painter, b, rect, folded),
                None => self.frame_ui(painter, b, rect, detail),
            }
        }
    }

    /// One expanded boundary: its frame, and its label strip as the widget that selects and
    /// moves it.
    fn frame_ui(&mut self, painter: &egui::Painter, b: usize, rect: Rect, detail: paint::Detail) {
        let document = self.document;
        let boundary = &document.project().boundaries[b];
        let selected = self.caches.marks.boundary(b);
        paint::boundary(painter, boundary, rect, self.colours, self.dark, selected, self.zoom);
        let strip = paint::label_strip(rect);
        let response =
            self.ui.interact(strip, Id::unique(("boundary", &boundary.id)), Sense::click_and_drag());
        let name = format!("{} {}", boundary.kind.name(), boundary.display_name());
        response.widget_info(|| {
            let mut info = egui::WidgetInfo::labeled(egui::Role::Group, true, &name);
            info.selected = Some(selected);
            info
        });
        self.expose_on_screen(&response, strip);
        let response = response.on_hover_cursor(CursorIcon::Grab);
        if response.double_clicked() {
            self.state.set_collapsed(&boundary.id, true);
        }
        self.pointer(&response, Some(Item::Boundary(&boundary.id)));
        if detail > paint::Detail::Block {
            self.toggle_ui(painter, b, paint::toggle_rect(rect, self.zoom), false);
        }
    }

    /// One collapsed boundary: a block with its name, what it holds and the worst remaining
    /// task on its members; it selects and moves like the label strip.
    fn folded_ui(&mut self, painter: &egui::Painter, b: usize, rect: Rect, folded: super::cache::Folded) {
        let document = self.document;
        let boundary = &document.project().boundaries[b];
        let selected = self.caches.marks.boundary(b);
        let look = paint::FoldedLook {
            rect,
            boundary,
            members: folded.members,
            remaining: folded.remaining,
            selected,
            zoom: self.zoom,
        };
        paint::folded(painter, &look, self.colours, self.dark);
        let response =
            self.ui.interact(rect, Id::unique(("boundary", &boundary.id)), Sense::click_and_drag());
        let what = match folded.remaining {
            Some((n, worst)) => format!("{n} remaining task(s), worst {}", worst.name()),
            None => "nothing remaining".to_owned(),
        };
        let name = format!(
            "{} {} (collapsed: {} node{}, {what})",
            boundary.kind.name(),
            boundary.display_name(),
            folded.members,
            if folded.members == 1 { "" } else { "s" }
        );
        response.widget_info(|| {
            let mut info = egui::WidgetInfo::labeled(egui::Role::Group, true, &name);
            info.selected = Some(selected);
            info
        });
        self.expose_on_screen(&response, rect);
        let response = response
            .on_hover_cursor(CursorIcon::Grab)
            .on_hover_text(format!("{name}. Double-click, or the + button, expands it."));
        if response.double_clicked() {
            self.state.set_collapsed(&boundary.id, false);
        }
        self.pointer(&response, Some(Item::Boundary(&boundary.id)));
        let toggle = Rect::from_min_size(
            rect.right_bottom() - vec2(1.0, 1.0) * self.screen(22.0).min(rect.height() / 2.5),
            vec2(1.0, 1.0) * self.screen(18.0).min(rect.height() / 3.0),
        );
        self.toggle_ui(painter, b, toggle, true);
    }

    /// The − / + button that collapses or expands boundary `b`.
    fn toggle_ui(&mut self, painter: &egui::Painter, b: usize, rect: Rect, collapsed: bool) {
        let document = self.document;
        let boundary = &document.project().boundaries[b];
        let response = self.ui.interact(rect, Id::unique(("collapse", &boundary.id)), Sense::click());
        let verb = if collapsed { "Expand" } else { "Collapse" };
        let name = format!("{verb} {} {}", boundary.kind.name(), boundary.display_name());
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
        self.expose_on_screen(&response, rect);
        let tint = paint::boundary_tint(boundary.kind, self.dark);
        paint::toggle(painter, rect, collapsed, tint, response.hovered());
        if response.on_hover_text(verb).clicked() {
            self.state.set_collapsed(&boundary.id, !collapsed);
        }
    }

    /// The corner handles of the one selected (expanded) boundary, drawn and hit after
    /// everything else so no label strip or node can take their drag.
    pub(super) fn resize_handles_ui(
        &mut self,
        painter: &egui::Painter,
        geometry: &Geometry,
        detail: paint::Detail,
    ) {
        let selection = self.state.selection();
        if detail == paint::Detail::Block || selection.boundaries.len() != 1 || !selection.nodes.is_empty() {
            return;
        }
        let document = self.document;
        let view = document.view();
        let Some(b) = selection.boundaries.first().and_then(|id| view.boundary_index(id)) else { return };
        if self.caches.collapse.folded(b).is_some() {
            return;
        }
        let Some(rect) = geometry.boundary(b) else { return };
        let id = document.project().boundaries[b].id.as_str();
        let size = self.screen(10.0);
        for (corner, point) in [rect.left_top(), rect.right_top(), rect.right_bottom(), rect.left_bottom()]
            .into_iter()
            .enumerate()
        {
            let handle = Rect::from_center_size(point, vec2(size, size));
            painter.rect(
                handle,
                2.0,
                self.colours.node_fill,
                Stroke::new(self.screen(1.5), self.colours.selection),
                StrokeKind::Middle,
            );
            // Easier to grab than it looks.
            let hit = handle.expand(self.screen(3.0));
            let response = self.ui.interact(hit, Id::unique(("resize", id, corner)), Sense::drag());
            let label = format!("Resize {id} from corner {}", corner + 1);
            response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
            self.expose_on_screen(&response, hit);
            let response = response.on_hover_cursor(if corner % 2 == 0 {
                CursorIcon::ResizeNwSe
            } else {
                CursorIcon::ResizeNeSw
            });
            self.resize_pointer(&response, id, corner, rect);
        }
    }
}
