//! Diagram geometry that the document's own operations need: the size of a node, the padding
//! of a boundary frame, and the smallest rectangle around a set of rectangles. Layout, the
//! canvas and the diagram exports use the same numbers from here.

use super::{Pos, Rect};

/// The size of a node on the canvas, in scene units (width, height).
pub const NODE_SIZE: (f32, f32) = (176.0, 64.0);
/// Space between a boundary's frame and what it holds, in scene units.
pub const BOUNDARY_PADDING: f32 = 24.0;
/// Height of the label strip at the top of a boundary frame, in scene units.
pub const BOUNDARY_LABEL_HEIGHT: f32 = 22.0;

/// The rectangle a node at `pos` (its top-left corner) covers.
pub fn node_rect(pos: Pos) -> Rect {
    Rect { x: pos.x, y: pos.y, w: NODE_SIZE.0, h: NODE_SIZE.1 }
}

/// The smallest rectangle holding everything added to it; empty until something is.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Bounds(Option<(f32, f32, f32, f32)>);

impl Bounds {
    /// Grows to hold `rect`.
    pub fn add(&mut self, rect: Rect) {
        let (x0, y0, x1, y1) = (rect.x, rect.y, rect.x + rect.w, rect.y + rect.h);
        self.0 = Some(match self.0 {
            None => (x0, y0, x1, y1),
            Some((a, b, c, d)) => (a.min(x0), b.min(y0), c.max(x1), d.max(y1)),
        });
    }

    /// What it holds, or `None` when nothing was added.
    pub fn rect(self) -> Option<Rect> {
        self.0.map(|(x0, y0, x1, y1)| Rect { x: x0, y: y0, w: x1 - x0, h: y1 - y0 })
    }

    /// A boundary frame around what it holds: padded on every side, with room for the label
    /// strip above.
    pub fn frame(self) -> Option<Rect> {
        let inner = self.rect()?;
        let pad = BOUNDARY_PADDING;
        Some(Rect {
            x: inner.x - pad,
            y: inner.y - pad - BOUNDARY_LABEL_HEIGHT,
            w: inner.w + 2.0 * pad,
            h: inner.h + 2.0 * pad + BOUNDARY_LABEL_HEIGHT,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_pads_its_contents_and_leaves_room_for_the_label() {
        let mut bounds = Bounds::default();
        assert_eq!(bounds.frame(), None);
        bounds.add(node_rect(Pos::new(0.0, 0.0)));
        bounds.add(node_rect(Pos::new(200.0, 100.0)));
        let frame = bounds.frame().unwrap();
        assert_eq!(frame, Rect { x: -24.0, y: -46.0, w: 376.0 + 48.0 - 0.0 - 0.0, h: 164.0 + 70.0 });
    }
}
