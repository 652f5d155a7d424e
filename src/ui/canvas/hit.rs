//! What is under a point: the topmost node, the nearest flow, and the boundary a dragged item
//! would land in. Positional searches run once per press (or once a frame during a drag),
//! never once per node per frame.

use egui::{Pos2, Rect, Vec2};

use super::input::Grabbed;
use super::view::{egui_rect, node_rect};
use super::{Frame, Geometry, paint};

impl Frame<'_> {
    /// The topmost visible node under `point`, by index.
    pub(super) fn node_at(&self, point: Pos2, geometry: &Geometry) -> Option<usize> {
        (0..geometry.nodes.len()).rev().find(|&i| geometry.node(i).is_some_and(|r| r.contains(point)))
    }

    /// The drawn flow whose line passes within a few screen points of `point`, by index.
    pub(super) fn flow_at(&self, point: Pos2, geometry: &Geometry) -> Option<usize> {
        let tolerance = self.screen(6.0);
        (0..self.document.project().flows.len())
            .filter(|&f| self.flow_shown(f))
            .filter_map(|f| {
                let (from, to) = self.flow_anchors(f, geometry)?;
                let a = paint::border_point(from, to.center());
                let b = paint::border_point(to, from.center());
                let distance = paint::distance_to_segment(point, a, b);
                (distance <= tolerance).then_some((distance, f))
            })
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, f)| f)
    }

    /// Which boundaries a move of the selection carries: the selected ones and everything inside
    /// them, by index.
    pub(super) fn moved_boundaries(&self) -> Vec<bool> {
        let (project, view) = (self.document.project(), self.document.view());
        let mut moved = self.caches.marks.boundaries.clone();
        moved.resize(project.boundaries.len(), false);
        for b in view.boundaries_outermost_first() {
            if let Some(parent) = view.parent(b) {
                moved[b] |= moved[parent];
            }
        }
        moved
    }

    /// The boundary the grabbed item lands in when the selection moves by `delta`, as the move
    /// edit will decide it (`ops::move_selection`): for a node, the smallest frame holding its
    /// centre; for a boundary, the smallest frame holding all of it (the moved ones left out).
    /// `Some(None)`: it lands outside every boundary; `None`: the move changes nothing there (a
    /// node carried by a moved boundary, or something without a place).
    pub(super) fn landing(&self, grabbed: &Grabbed, delta: Vec2, moved: &[bool]) -> Option<Option<usize>> {
        let (project, view) = (self.document.project(), self.document.view());
        let frame = |b: usize| {
            let rect = egui_rect(project.boundaries[b].rect?);
            Some(if moved.get(b).copied().unwrap_or(false) { rect.translate(delta) } else { rect })
        };
        let smallest = |fits: &dyn Fn(Rect) -> bool, skip_moved: bool| {
            (0..project.boundaries.len())
                .filter(|&b| !(skip_moved && moved.get(b).copied().unwrap_or(false)))
                .filter_map(|b| frame(b).filter(|r| fits(*r)).map(|r| (r.area(), b)))
                .min_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, b)| b)
        };
        match grabbed {
            Grabbed::Node(id) => {
                let i = view.node_index(id)?;
                if view.memberships(i).any(|b| moved.get(b).copied().unwrap_or(false)) {
                    return None;
                }
                let centre = node_rect(project.nodes[i].position?).translate(delta).center();
                Some(smallest(&|r: Rect| r.contains(centre), false))
            }
            Grabbed::Boundary(id) => {
                let b = view.boundary_index(id)?;
                if view.parent(b).is_some_and(|p| moved.get(p).copied().unwrap_or(false)) {
                    return None;
                }
                let moved_frame = frame(b)?;
                Some(smallest(&|r: Rect| r.contains_rect(moved_frame), true))
            }
        }
    }

    /// What a move by `delta` does to where the grabbed item belongs, in words, when it changes
    /// that: "Web servers moved into Subnet A".
    pub(super) fn landing_notice(&self, grabbed: &Grabbed, delta: Vec2) -> Option<String> {
        let (project, view) = (self.document.project(), self.document.view());
        let landing = self.landing(grabbed, delta, &self.moved_boundaries())?;
        let (name, before) = match grabbed {
            Grabbed::Node(id) => {
                let i = view.node_index(id)?;
                (project.nodes[i].display_name().to_owned(), view.home(i))
            }
            Grabbed::Boundary(id) => {
                let b = view.boundary_index(id)?;
                (project.boundaries[b].display_name().to_owned(), view.parent(b))
            }
        };
        if landing == before {
            return None;
        }
        let boundary = |b: usize| {
            let boundary = &project.boundaries[b];
            format!("{} {}", boundary.kind.name(), boundary.display_name())
        };
        Some(match (landing, before) {
            (Some(to), _) => format!("{name} moved into {}.", boundary(to)),
            (None, Some(from)) => {
                format!("{name} moved out of {}: it is in no boundary now.", boundary(from))
            }
            (None, None) => return None,
        })
    }
}
