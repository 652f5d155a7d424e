//! Where cells are on the page. A cell's `x`/`y` are measured from its parent's top-left corner
//! when the parent is a shape, so the absolute place is the sum along the parent chain (up to any
//! depth; a chain that loops is cut where it loops). Computed once per cell, without recursion.

use std::collections::HashMap;

use super::cells::{Cell, Geometry, Kind};

/// A rectangle on the page, in draw.io units.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(super) struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    /// The centre.
    pub fn centre(self) -> (f64, f64) {
        (self.x + self.w / 2.0, self.y + self.h / 2.0)
    }

    /// The area.
    pub fn area(self) -> f64 {
        self.w * self.h
    }

    /// Whether `point` is inside (edges included).
    pub fn contains_point(self, (x, y): (f64, f64)) -> bool {
        x >= self.x && y >= self.y && x <= self.x + self.w && y <= self.y + self.h
    }

    /// Whether `other` is inside, allowing it to stick out by `tolerance` on any side.
    pub fn contains(self, other: Self, tolerance: f64) -> bool {
        other.x >= self.x - tolerance
            && other.y >= self.y - tolerance
            && other.x + other.w <= self.x + self.w + tolerance
            && other.y + other.h <= self.y + self.h + tolerance
    }

    /// The smallest rectangle holding both.
    pub fn union(self, other: Self) -> Self {
        let x = self.x.min(other.x);
        let y = self.y.min(other.y);
        Self {
            x,
            y,
            w: (self.x + self.w).max(other.x + other.w) - x,
            h: (self.y + self.h).max(other.y + other.h) - y,
        }
    }

    /// The distance from `point` to the rectangle (0 inside).
    pub fn distance(self, (x, y): (f64, f64)) -> f64 {
        let dx = (self.x - x).max(0.0).max(x - (self.x + self.w));
        let dy = (self.y - y).max(0.0).max(y - (self.y + self.h));
        dx.hypot(dy)
    }
}

/// The cells of a page with their ids indexed and their absolute places computed.
pub(super) struct Placed<'a> {
    pub cells: &'a [Cell],
    /// Cell index by id (the first cell of an id, when ids repeat).
    pub index: HashMap<&'a str, usize>,
    /// The absolute rectangle of every vertex.
    pub rects: Vec<Option<Rect>>,
    /// Ids given to more than one cell.
    pub duplicate_ids: usize,
}

impl<'a> Placed<'a> {
    /// Indexes `cells` and computes absolute rectangles.
    pub fn new(cells: &'a [Cell]) -> Self {
        let mut index = HashMap::with_capacity(cells.len());
        let mut duplicate_ids = 0;
        for (i, cell) in cells.iter().enumerate() {
            match index.entry(cell.id.as_str()) {
                std::collections::hash_map::Entry::Vacant(entry) => {
                    entry.insert(i);
                }
                std::collections::hash_map::Entry::Occupied(_) => duplicate_ids += 1,
            }
        }
        let mut placed = Self { cells, index, rects: vec![None; cells.len()], duplicate_ids };
        placed.rects = placed.absolute();
        placed
    }

    /// The index of the cell `id` names.
    pub fn find(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// The index of cell `i`'s parent, if it has one on the page.
    pub fn parent(&self, i: usize) -> Option<usize> {
        self.cells[i].parent.as_deref().and_then(|p| self.find(p)).filter(|&p| p != i)
    }

    /// The parent of vertex `i` when that parent is a vertex (its coordinates are relative to it).
    fn vertex_parent(&self, i: usize) -> Option<usize> {
        self.parent(i).filter(|&p| self.cells[p].kind == Kind::Vertex)
    }

    fn absolute(&self) -> Vec<Option<Rect>> {
        let n = self.cells.len();
        let mut rects: Vec<Option<Rect>> = vec![None; n];
        // 0: not yet, 1: on the chain being computed, 2: done.
        let mut state = vec![0_u8; n];
        let mut chain = Vec::new();
        for start in 0..n {
            if self.cells[start].kind != Kind::Vertex || state[start] == 2 {
                continue;
            }
            chain.clear();
            let mut current = start;
            loop {
                chain.push(current);
                state[current] = 1;
                match self.vertex_parent(current) {
                    Some(parent) if state[parent] == 0 => current = parent,
                    _ => break,
                }
            }
            for &i in chain.iter().rev() {
                // A parent still on the chain is a loop: the cell is placed as if at the top.
                let origin = self.vertex_parent(i).filter(|&p| state[p] == 2).and_then(|p| rects[p]);
                rects[i] = Some(place(&self.cells[i].geometry, origin));
                state[i] = 2;
            }
        }
        rects
    }

    /// `value[i] = f(i, value of i's parent)` for every cell, parents first, each computed once
    /// whatever the depth; where a parent chain loops, the cell is computed as if it had no
    /// parent.
    pub fn inherit<T: Clone>(&self, f: impl Fn(usize, Option<&T>) -> T) -> Vec<T> {
        let n = self.cells.len();
        let mut values: Vec<Option<T>> = vec![None; n];
        let mut state = vec![0_u8; n];
        let mut chain = Vec::new();
        for start in 0..n {
            if state[start] == 2 {
                continue;
            }
            chain.clear();
            let mut current = start;
            loop {
                chain.push(current);
                state[current] = 1;
                match self.parent(current) {
                    Some(parent) if state[parent] == 0 => current = parent,
                    _ => break,
                }
            }
            for &i in chain.iter().rev() {
                let inherited = self.parent(i).filter(|&p| state[p] == 2).and_then(|p| values[p].as_ref());
                let value = f(i, inherited);
                values[i] = Some(value);
                state[i] = 2;
            }
        }
        values.into_iter().map(|v| v.unwrap_or_else(|| f(0, None))).collect()
    }

    /// Where the point `(x, y)` of cell `i`'s geometry is on the page: points of edges and of
    /// shapes are relative to the parent shape, if any.
    pub fn absolute_point(&self, i: usize, (x, y): (f64, f64)) -> (f64, f64) {
        match self.vertex_parent(i).and_then(|p| self.rects[p]) {
            Some(origin) => (origin.x + x, origin.y + y),
            None => (x, y),
        }
    }
}

/// The absolute rectangle of a geometry inside `origin` (the parent's rectangle).
fn place(geometry: &Geometry, origin: Option<Rect>) -> Rect {
    let (x, y) = match origin {
        Some(parent) if geometry.relative => {
            (parent.x + geometry.x * parent.w, parent.y + geometry.y * parent.h)
        }
        Some(parent) => (parent.x + geometry.x, parent.y + geometry.y),
        None => (geometry.x, geometry.y),
    };
    Rect { x, y, w: geometry.width, h: geometry.height }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::drawio::style::Style;

    fn cell(id: &str, parent: Option<&str>, kind: Kind, x: f64, y: f64) -> Cell {
        Cell {
            id: id.into(),
            parent: parent.map(Into::into),
            text: String::new(),
            raw_label: String::new(),
            style: Style::default(),
            kind,
            source: None,
            target: None,
            geometry: Geometry { x, y, width: 10.0, height: 10.0, ..Geometry::default() },
            properties: Default::default(),
            visible: true,
        }
    }

    #[test]
    fn places_add_up_along_any_depth_of_parents() {
        let mut cells =
            vec![cell("0", None, Kind::Other, 0.0, 0.0), cell("1", Some("0"), Kind::Other, 0.0, 0.0)];
        // Children listed before their parents, five levels deep.
        for level in (1..=5).rev() {
            let parent = if level == 1 { "1".to_owned() } else { format!("v{}", level - 1) };
            cells.push(cell(&format!("v{level}"), Some(&parent), Kind::Vertex, 10.0, 100.0));
        }
        let placed = Placed::new(&cells);
        let v5 = placed.rects[placed.find("v5").unwrap()].unwrap();
        assert_eq!((v5.x, v5.y), (50.0, 500.0));
    }

    #[test]
    fn loops_and_long_chains_end() {
        let cells =
            vec![cell("a", Some("b"), Kind::Vertex, 1.0, 0.0), cell("b", Some("a"), Kind::Vertex, 2.0, 0.0)];
        let placed = Placed::new(&cells);
        assert!(placed.rects.iter().all(Option::is_some));
        let mut chain = vec![cell("1", None, Kind::Other, 0.0, 0.0)];
        let depth = 100_000;
        for i in 0..depth {
            let parent = if i == 0 { "1".to_owned() } else { format!("v{}", i - 1) };
            chain.push(cell(&format!("v{i}"), Some(&parent), Kind::Vertex, 1.0, 0.0));
        }
        let placed = Placed::new(&chain);
        assert_eq!(placed.rects[depth].unwrap().x, depth as f64);
    }
}
