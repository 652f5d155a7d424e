//! Upper bounds on what a project may hold, one set shared by loading, saving, `generate` and
//! import, each documented in docs/reliability.md ("Limits"). Lists are bounded while a file is
//! parsed, so a hostile or broken file fails early with a clear message instead of filling
//! memory. whoowns is built and benchmarked for 100,000 services (issue #11); the bounds leave
//! room above that.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};

use super::{Pos, Project, Rect};

/// The most nodes a project may have: twice the 100,000 services whoowns is built for.
pub const MAX_NODES: usize = 200_000;
/// The most flows a project may have (generated designs have about 1.5 a node).
pub const MAX_FLOWS: usize = 2 * MAX_NODES;
/// The most boundaries a project may have.
pub const MAX_BOUNDARIES: usize = 20_000;
/// The most members a boundary may list.
pub const MAX_MEMBERS: usize = MAX_NODES;
/// The most task states a project may record.
pub const MAX_TASK_STATES: usize = 2_000_000;
/// The largest project file whoowns reads or writes, in bytes (256 MiB). It follows the node
/// limit: a generated project takes about 800 bytes a service in canonical form (79 MB for
/// 100,000), so [`MAX_NODES`] nodes of that kind fit with 60% to spare for longer labels and
/// notes.
pub const MAX_FILE_SIZE: u64 = 256 * 1024 * 1024;
/// The largest infrastructure-as-code source an import reads, in bytes (64 MiB).
pub const MAX_SOURCE_SIZE: u64 = 64 * 1024 * 1024;
/// How far from the origin a position, or any edge of a boundary's frame, may be, in scene
/// units. A 100,000-service generated design spans about 100,000; beyond this a value is
/// treated like a non-finite one (dropped with a warning, laid out again).
pub const MAX_COORDINATE: f32 = 1_000_000.0;

/// Whether `pos` is finite and within [`MAX_COORDINATE`] of the origin on both axes.
pub fn position_in_bounds(pos: Pos) -> bool {
    [pos.x, pos.y].iter().all(|v| v.is_finite() && v.abs() <= MAX_COORDINATE)
}

/// Whether `rect` is valid (finite, not negative in size) and all of it lies within
/// [`MAX_COORDINATE`] of the origin.
pub fn rect_in_bounds(rect: Rect) -> bool {
    rect.is_valid()
        && [rect.x, rect.y, rect.x + rect.w, rect.y + rect.h].iter().all(|v| v.abs() <= MAX_COORDINATE)
}

/// A project that holds more of something than a project may: what, how many, the limit.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the project has {count} {what}; whoowns handles at most {limit}")]
pub struct TooMany {
    /// What there are too many of: "nodes", "flows", "members of boundary x"...
    pub what: String,
    /// How many there are.
    pub count: usize,
    /// The limit.
    pub limit: usize,
}

/// The first limit `project` exceeds, if any: saved, it could not be opened again.
pub fn exceeded(project: &Project) -> Option<TooMany> {
    let over = |what: &str, count: usize, limit: usize| {
        (count > limit).then(|| TooMany { what: what.to_owned(), count, limit })
    };
    over("nodes", project.nodes.len(), MAX_NODES)
        .or_else(|| over("flows", project.flows.len(), MAX_FLOWS))
        .or_else(|| over("boundaries", project.boundaries.len(), MAX_BOUNDARIES))
        .or_else(|| {
            project
                .boundaries
                .iter()
                .find_map(|b| over(&format!("members of boundary {:?}", b.id), b.members.len(), MAX_MEMBERS))
        })
        .or_else(|| over("task states", project.tasks.len(), MAX_TASK_STATES))
}
/// The most resources a node may list.
pub const MAX_RESOURCES: usize = 10_000;

struct BoundedSeq<T, const MAX: usize>(PhantomData<T>);

impl<'de, T: Deserialize<'de>, const MAX: usize> Visitor<'de> for BoundedSeq<T, MAX> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a list of at most {MAX} items")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element()? {
            if items.len() == MAX {
                return Err(A::Error::custom(format!(
                    "more than {MAX} items here; whoowns handles at most {MAX}"
                )));
            }
            items.push(item);
        }
        Ok(items)
    }
}

struct BoundedMap<K, V, const MAX: usize>(PhantomData<(K, V)>);

impl<'de, K: Deserialize<'de> + Ord, V: Deserialize<'de>, const MAX: usize> Visitor<'de>
    for BoundedMap<K, V, MAX>
{
    type Value = BTreeMap<K, V>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a map of at most {MAX} entries")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<BTreeMap<K, V>, A::Error> {
        let mut entries = BTreeMap::new();
        while let Some((key, value)) = map.next_entry()? {
            if entries.len() == MAX {
                return Err(A::Error::custom(format!(
                    "more than {MAX} entries here; whoowns handles at most {MAX}"
                )));
            }
            entries.insert(key, value);
        }
        Ok(entries)
    }
}

fn seq<'de, D: Deserializer<'de>, T: Deserialize<'de>, const MAX: usize>(d: D) -> Result<Vec<T>, D::Error> {
    d.deserialize_seq(BoundedSeq::<T, MAX>(PhantomData))
}

/// Nodes, at most [`MAX_NODES`].
pub(super) fn nodes<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<super::Node>, D::Error> {
    seq::<D, _, MAX_NODES>(d)
}

/// Flows, at most [`MAX_FLOWS`].
pub(super) fn flows<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<super::Flow>, D::Error> {
    seq::<D, _, MAX_FLOWS>(d)
}

/// Boundaries, at most [`MAX_BOUNDARIES`].
pub(super) fn boundaries<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<super::Boundary>, D::Error> {
    seq::<D, _, MAX_BOUNDARIES>(d)
}

/// A boundary's members, at most [`MAX_MEMBERS`].
pub(super) fn members<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    seq::<D, _, MAX_MEMBERS>(d)
}

/// A node's resources, at most [`MAX_RESOURCES`].
pub(super) fn resources<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    seq::<D, _, MAX_RESOURCES>(d)
}

/// Task states, at most [`MAX_TASK_STATES`].
pub(super) fn task_states<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, super::TaskState>, D::Error> {
    d.deserialize_map(BoundedMap::<String, super::TaskState, MAX_TASK_STATES>(PhantomData))
}

#[cfg(test)]
mod tests {
    #[test]
    fn long_lists_fail_with_a_message() {
        #[derive(serde::Deserialize, Debug)]
        struct Probe {
            #[serde(deserialize_with = "super::seq::<_, u8, 3>")]
            items: Vec<u8>,
        }
        assert_eq!(ron::from_str::<Probe>("(items: [1, 2, 3])").unwrap().items, vec![1, 2, 3]);
        let error = ron::from_str::<Probe>("(items: [1, 2, 3, 4])").unwrap_err().to_string();
        assert!(error.contains("more than 3 items"), "{error}");
    }

    #[test]
    fn coordinates_are_bounded() {
        use super::{MAX_COORDINATE, Pos, Rect, position_in_bounds, rect_in_bounds};
        assert!(position_in_bounds(Pos::new(-MAX_COORDINATE, MAX_COORDINATE)));
        assert!(!position_in_bounds(Pos::new(3e38, 0.0)));
        assert!(!position_in_bounds(Pos::new(f32::NAN, 0.0)));
        assert!(rect_in_bounds(Rect { x: 0.0, y: 0.0, w: 100.0, h: 100.0 }));
        assert!(!rect_in_bounds(Rect { x: MAX_COORDINATE - 1.0, y: 0.0, w: 100.0, h: 100.0 }));
        assert!(!rect_in_bounds(Rect { x: 0.0, y: 0.0, w: -1.0, h: 1.0 }));
    }

    #[test]
    fn the_first_exceeded_limit_is_named() {
        let mut project = super::Project::named("big");
        assert_eq!(super::exceeded(&project), None);
        project.flows =
            (0..=super::MAX_FLOWS).map(|i| crate::model::Flow::new(format!("f{i}"), "a", "b")).collect();
        let too_many = super::exceeded(&project).unwrap();
        assert_eq!((too_many.what.as_str(), too_many.count), ("flows", super::MAX_FLOWS + 1));
    }
}
