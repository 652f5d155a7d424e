//! From draw.io's page to whoowns's canvas. draw.io icons are 40 to 80 units square and sit as
//! close as 100 units apart; a whoowns node is a 176 × 64 card. The whole page is scaled by one
//! factor, so the drawing keeps its shape, large enough that most neighbouring cards do not
//! overlap; each card puts its glyph where the icon was. Frames are scaled with the page, then
//! grown where a member's card or an inner frame would stick out.

use super::geometry::Rect;
use crate::model::geometry::{BOUNDARY_LABEL_HEIGHT, NODE_SIZE};

/// The largest scale: icons drawn on top of each other are not spread further.
pub(super) const MAX_SCALE: f64 = 2.5;

/// Space kept between neighbouring cards.
const GAP: f64 = 16.0;

/// Icons whose centres are closer than this are drawn over each other on purpose.
const STACKED: f64 = 40.0;

/// At most this many pairs of icons are compared.
const BUDGET: usize = 4_000_000;

/// Where the glyph sits in a card: its centre, from the card's top-left corner.
pub(super) const GLYPH_CENTRE: (f64, f64) = (28.0, 28.0);

/// Space between a frame and the cards and frames it holds when it has to grow.
const PADDING: f64 = 12.0;

/// The scale for icons centred at `centres`: the smallest that separates nine neighbouring
/// pairs in ten (a few icons drawn close together should not blow the whole page up), between
/// 1 and [`MAX_SCALE`]. Icons drawn over each other are not counted.
pub(super) fn scale(centres: &[(f64, f64)]) -> f64 {
    let (card_w, card_h) = (f64::from(NODE_SIZE.0) + GAP, f64::from(NODE_SIZE.1) + GAP);
    let mut sorted: Vec<(f64, f64)> = centres.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut needed = Vec::new();
    let mut budget = BUDGET;
    'outer: for (i, a) in sorted.iter().enumerate() {
        for b in &sorted[i + 1..] {
            let dx = b.0 - a.0;
            if dx >= card_w {
                break;
            }
            if budget == 0 {
                break 'outer;
            }
            budget -= 1;
            let dy = (b.1 - a.1).abs();
            if dy >= card_h {
                continue;
            }
            // Icons drawn over each other (a badge on an icon) are not neighbours to spread.
            if dx.hypot(dy) < STACKED {
                continue;
            }
            // The scale at which the two cards just stop overlapping.
            let by_x = if dx > 0.0 { card_w / dx } else { f64::INFINITY };
            let by_y = if dy > 0.0 { card_h / dy } else { f64::INFINITY };
            needed.push(by_x.min(by_y).min(MAX_SCALE));
        }
    }
    if needed.is_empty() {
        return 1.0;
    }
    needed.sort_by(f64::total_cmp);
    let at = (needed.len() * 9).div_ceil(10).saturating_sub(1);
    needed[at].clamp(1.0, MAX_SCALE)
}

/// The card of a node whose icon is centred at `centre`, at scale `scale`.
pub(super) fn card(centre: (f64, f64), scale: f64) -> Rect {
    Rect {
        x: (centre.0 * scale - GLYPH_CENTRE.0).round(),
        y: (centre.1 * scale - GLYPH_CENTRE.1).round(),
        w: f64::from(NODE_SIZE.0),
        h: f64::from(NODE_SIZE.1),
    }
}

/// `rect` at scale `scale`.
pub(super) fn scaled(rect: Rect, scale: f64) -> Rect {
    Rect {
        x: (rect.x * scale).round(),
        y: (rect.y * scale).round(),
        w: (rect.w * scale).round(),
        h: (rect.h * scale).round(),
    }
}

/// Grows frames so they hold their members' cards and their inner frames, innermost first.
/// `order` lists frames so that every frame comes after its parent.
pub(super) fn grow(frames: &mut [Rect], parent: &[Option<usize>], members: &[Vec<Rect>], order: &[usize]) {
    for &f in order.iter().rev() {
        let mut rect = frames[f];
        for card in &members[f] {
            rect = rect.union(pad(*card, PADDING, PADDING + f64::from(BOUNDARY_LABEL_HEIGHT)));
        }
        frames[f] = rect;
        if let Some(p) = parent[f] {
            frames[p] = frames[p].union(pad(rect, PADDING, PADDING + f64::from(BOUNDARY_LABEL_HEIGHT)));
        }
    }
}

fn pad(rect: Rect, side: f64, top: f64) -> Rect {
    Rect { x: rect.x - side, y: rect.y - top, w: rect.w + 2.0 * side, h: rect.h + side + top }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scale_separates_neighbours_but_not_stacked_icons() {
        assert_eq!(scale(&[]), 1.0);
        // A row of icons 120 apart: cards of 176 + 16 need 1.6.
        let row: Vec<(f64, f64)> = (0..10).map(|i| (f64::from(i) * 120.0, 0.0)).collect();
        assert!((scale(&row) - 1.6).abs() < 1e-9, "{}", scale(&row));
        // Far apart: no change.
        assert_eq!(scale(&[(0.0, 0.0), (500.0, 0.0), (0.0, 500.0)]), 1.0);
        // One pair stacked on top of each other among many well-spaced ones does not count.
        let mut spaced: Vec<(f64, f64)> = (0..20).map(|i| (f64::from(i) * 200.0, 0.0)).collect();
        spaced.push((0.0, 1.0));
        assert_eq!(scale(&spaced), 1.0);
    }

    #[test]
    fn frames_grow_around_cards_and_inner_frames() {
        let mut frames =
            [Rect { x: 0.0, y: 0.0, w: 300.0, h: 300.0 }, Rect { x: 10.0, y: 40.0, w: 100.0, h: 100.0 }];
        let members = vec![Vec::new(), vec![card((60.0, 90.0), 1.0)]];
        grow(&mut frames, &[None, Some(0)], &members, &[0, 1]);
        let inner = frames[1];
        assert!(inner.contains(card((60.0, 90.0), 1.0), 0.0), "{inner:?}");
        assert!(frames[0].contains(inner, 0.0));
        assert!(inner.y < 40.0 && frames[0].y < 0.0, "the label strip above the card fits");
    }
}
