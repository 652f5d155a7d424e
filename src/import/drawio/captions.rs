//! Names next to icons. 392 AWS shapes in the corpus have no label of their own: the name is a
//! separate text cell under or beside the icon. Each unlabelled node takes the nearest text that
//! touches or almost touches its icon; each text names at most one node; nearest pairs first.

use super::geometry::Rect;

/// How far a text may be from an icon to name it, in draw.io units.
pub(super) const REACH: f64 = 24.0;

/// At most this many icon-text pairs are measured.
const BUDGET: usize = 4_000_000;

/// Pairs nodes and texts: `nodes` and `texts` are `(cell index, rectangle)`; returns
/// `(node cell, text cell)` pairs.
pub(super) fn pair(nodes: &[(usize, Rect)], texts: &[(usize, Rect)]) -> Vec<(usize, usize)> {
    let mut candidates = Vec::new();
    let mut budget = BUDGET;
    'outer: for (n, &(node, icon)) in nodes.iter().enumerate() {
        for (t, &(text, rect)) in texts.iter().enumerate() {
            if budget == 0 {
                break 'outer;
            }
            budget -= 1;
            let gap = gap(icon, rect);
            if gap <= REACH {
                candidates.push((gap, n, t, node, text));
            }
        }
    }
    candidates.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut node_taken = vec![false; nodes.len()];
    let mut text_taken = vec![false; texts.len()];
    let mut pairs = Vec::new();
    for (_, n, t, node, text) in candidates {
        if !node_taken[n] && !text_taken[t] {
            node_taken[n] = true;
            text_taken[t] = true;
            pairs.push((node, text));
        }
    }
    pairs
}

/// The distance between two rectangles (0 when they overlap).
fn gap(a: Rect, b: Rect) -> f64 {
    let dx = (b.x - (a.x + a.w)).max(a.x - (b.x + b.w)).max(0.0);
    let dy = (b.y - (a.y + a.h)).max(a.y - (b.y + b.h)).max(0.0);
    dx.hypot(dy)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_icon_takes_the_nearest_free_text() {
        let icon = |x: f64| Rect { x, y: 0.0, w: 48.0, h: 48.0 };
        let text = |x: f64, y: f64| Rect { x, y, w: 60.0, h: 20.0 };
        let nodes = [(1, icon(0.0)), (2, icon(100.0)), (3, icon(1000.0))];
        let texts = [(10, text(-6.0, 52.0)), (11, text(94.0, 50.0)), (12, text(40.0, 300.0))];
        assert_eq!(pair(&nodes, &texts), vec![(2, 11), (1, 10)]);
    }
}
