//! Flows on the canvas: arrows between the nodes (or the collapsed blocks hiding them), left
//! out or faded by the view's flow filter, and at far zoom all in one mesh.

use egui::Rect;

use super::{FlowFocus, Frame, Geometry, paint};
use crate::protocol::InTransit;

impl Frame<'_> {
    /// Where flow `f` is drawn from and to: its ends' rectangles, or the blocks of the collapsed
    /// boundaries that hide them. `None` when an end has no place, or both ends are hidden in the
    /// same block.
    pub(super) fn flow_anchors(&self, f: usize, geometry: &Geometry) -> Option<(Rect, Rect)> {
        let (a, b) = self.document.view().flow_ends(f)?;
        let collapse = &self.caches.collapse;
        let anchor = |n: usize| match collapse.node_hidden_by(n) {
            Some(block) => geometry.boundary(block),
            None => geometry.node(n),
        };
        if let (Some(x), Some(y)) = (collapse.node_hidden_by(a), collapse.node_hidden_by(b))
            && x == y
        {
            return None;
        }
        Some((anchor(a)?, anchor(b)?))
    }

    /// Whether flow `f` passes the kind filters (unencrypted only, crossing trust zones only)
    /// and is not hidden for being away from the selection.
    pub(super) fn flow_shown(&self, f: usize) -> bool {
        let filter = self.state.flows;
        if !filter.is_active() {
            return true;
        }
        let view = self.document.view();
        if filter.unencrypted_only && view.in_transit(f) == InTransit::Encrypted {
            return false;
        }
        if filter.crossing_only && !self.caches.kinds.crossing(f) {
            return false;
        }
        !(filter.focus == FlowFocus::Hide && self.away_from_selection(f))
    }

    /// Whether flow `f` touches nothing selected while something is.
    fn away_from_selection(&self, f: usize) -> bool {
        let marks = &self.caches.marks;
        if !marks.any || marks.flow(f) {
            return false;
        }
        self.document.view().flow_ends(f).is_none_or(|(a, b)| !marks.attached(a) && !marks.attached(b))
    }

    /// Draws the visible flows; as one mesh at block detail.
    pub(super) fn flows_paint(
        &mut self,
        painter: &egui::Painter,
        visible: Rect,
        geometry: &Geometry,
        detail: paint::Detail,
    ) {
        let document = self.document;
        let (flows, view) = (&document.project().flows, document.view());
        let margin = visible.expand(self.screen(40.0));
        let mut mesh = (detail == paint::Detail::Block).then(egui::Mesh::default);
        let fade = self.state.flows.focus == FlowFocus::Fade;
        for (f, flow) in flows.iter().enumerate() {
            let Some(ends) = self.flow_anchors(f, geometry) else { continue };
            if paint::clip_segment(ends.0.center(), ends.1.center(), margin).is_none() || !self.flow_shown(f)
            {
                continue;
            }
            let look = paint::FlowLook {
                plaintext: view.in_transit(f) == InTransit::Plaintext,
                selected: self.caches.marks.flow(f),
                faded: fade && self.away_from_selection(f),
            };
            match &mut mesh {
                Some(mesh) if !look.selected => {
                    paint::flow_into_mesh(mesh, ends, paint::mesh_flow_colour(look, self.colours), self.zoom);
                }
                _ => {
                    paint::flow(painter, flow, ends, look, self.colours, self.zoom);
                }
            }
        }
        if let Some(mesh) = mesh {
            painter.add(egui::Shape::mesh(mesh));
        }
    }
}
