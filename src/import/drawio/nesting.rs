//! Which frame holds what. Real diagrams group both ways: by parent link (the member's `parent`
//! is the frame) and by geometry alone (the frame is drawn behind shapes that are not its
//! children; 207 of the corpus's 368 frames hold something only this way). A node's home is the
//! smallest frame that holds its centre or is its nearest frame ancestor by parent link; a
//! frame's parent is the smallest larger frame that holds its rectangle (with a small tolerance)
//! or is its nearest frame ancestor. Frames are ranked by size first, so parents always come
//! before children and no loop can form, whatever the links say.
//!
//! Every node is tested against every frame: fine for diagrams (hundreds of each), and a hostile
//! page is stopped by a budget of tests, after which only parent links count.

use super::geometry::Rect;

/// How far a frame may stick out of the frame that holds it, in draw.io units.
const TOLERANCE: f64 = 4.0;

/// At most this many containment tests per page.
pub(super) const BUDGET: usize = 20_000_000;

/// A frame to nest.
#[derive(Clone, Copy, Debug)]
pub(super) struct FrameIn {
    pub rect: Rect,
    /// Its nearest frame ancestor by parent link (an index into the frames).
    pub link: Option<usize>,
    /// Whether geometry counts; whoowns's own exports nest by parent link only.
    pub geometric: bool,
}

/// A node to place in a frame.
#[derive(Clone, Copy, Debug)]
pub(super) struct NodeIn {
    pub centre: (f64, f64),
    /// Its nearest frame ancestor by parent link.
    pub link: Option<usize>,
    /// Whether geometry counts; whoowns's own exports nest by parent link only.
    pub geometric: bool,
}

/// The frame tree and the nodes' homes.
#[derive(Debug, Default)]
pub(super) struct Nesting {
    /// The parent of each frame.
    pub parent: Vec<Option<usize>>,
    /// The home frame of each node.
    pub home: Vec<Option<usize>>,
    /// Whether the budget ran out (the rest was nested by parent links alone).
    pub capped: bool,
    /// The frames, every parent before its children (largest first).
    pub order: Vec<usize>,
}

/// Nests `frames` and `nodes`; frames are given in drawing order.
pub(super) fn nest(frames: &[FrameIn], nodes: &[NodeIn]) -> Nesting {
    // Largest first; on equal sizes the one drawn first (behind) holds the other.
    let mut order: Vec<usize> = (0..frames.len()).collect();
    order.sort_by(|&a, &b| frames[b].rect.area().total_cmp(&frames[a].rect.area()).then(a.cmp(&b)));
    let mut rank = vec![0; frames.len()];
    for (r, &f) in order.iter().enumerate() {
        rank[f] = r;
    }
    let mut budget = BUDGET;
    let mut capped = false;
    let mut spend = |count: usize| {
        if budget < count {
            capped = true;
            false
        } else {
            budget -= count;
            true
        }
    };

    let mut parent = vec![None; frames.len()];
    for (r, &f) in order.iter().enumerate() {
        let link = frames[f].link.filter(|&l| rank[l] < r);
        let mut best = link;
        if frames[f].geometric && spend(r) {
            // The smallest of the larger frames that hold it: the last in rank order.
            for &candidate in order[..r].iter().rev() {
                if best.is_some_and(|b| rank[b] >= rank[candidate]) {
                    break;
                }
                if frames[candidate].rect.contains(frames[f].rect, TOLERANCE) {
                    best = Some(candidate);
                    break;
                }
            }
        }
        parent[f] = best;
    }

    let mut home = vec![None; nodes.len()];
    for (n, node) in nodes.iter().enumerate() {
        let mut best = node.link;
        if node.geometric && spend(order.len()) {
            for &candidate in order.iter().rev() {
                if best.is_some_and(|b| rank[b] >= rank[candidate]) {
                    break;
                }
                if frames[candidate].rect.contains_point(node.centre) {
                    best = Some(candidate);
                    break;
                }
            }
        }
        home[n] = best;
    }
    Nesting { parent, home, capped, order }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(x: f64, y: f64, w: f64, h: f64, link: Option<usize>) -> FrameIn {
        FrameIn { rect: Rect { x, y, w, h }, link, geometric: true }
    }

    fn node(centre: (f64, f64), link: Option<usize>) -> NodeIn {
        NodeIn { centre, link, geometric: true }
    }

    #[test]
    fn geometry_and_links_both_nest() {
        let frames = [
            frame(0.0, 0.0, 1000.0, 1000.0, None),    // 0 cloud
            frame(50.0, 50.0, 600.0, 600.0, None),    // 1 vpc, inside the cloud by geometry
            frame(10.0, 10.0, 200.0, 200.0, Some(1)), // 2 subnet linked to the vpc though drawn outside it
            frame(100.0, 100.0, 300.0, 300.0, None),  // 3 az, inside the vpc
            frame(101.0, 101.0, 300.0, 300.0, None),  // 4 same size as the az, drawn after it
        ];
        let nodes = [
            node((350.0, 350.0), None),      // in the az copy, the smallest
            node((700.0, 700.0), None),      // in the cloud only
            node((5000.0, 5000.0), Some(2)), // linked to the subnet
            node((5000.0, 5000.0), None),
            NodeIn { centre: (350.0, 350.0), link: Some(0), geometric: false }, // an export's card
        ];
        let nesting = nest(&frames, &nodes);
        assert_eq!(nesting.parent, vec![None, Some(0), Some(1), Some(1), Some(3)]);
        assert_eq!(nesting.home, vec![Some(4), Some(0), Some(2), None, Some(0)]);
        assert!(!nesting.capped);
    }

    #[test]
    fn links_against_the_size_order_make_no_loop() {
        // A child by link that is larger than its parent.
        let frames = [frame(0.0, 0.0, 100.0, 100.0, Some(1)), frame(0.0, 0.0, 10.0, 10.0, None)];
        let nesting = nest(&frames, &[]);
        assert_eq!(nesting.parent, vec![None, Some(0)]);
    }
}
