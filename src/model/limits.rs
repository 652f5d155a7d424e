//! Upper bounds on what a project file may hold, enforced while it is parsed: a hostile or
//! broken file fails early with a clear message instead of filling memory. The bounds are ten
//! times what whoowns is built and benchmarked for.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};

/// The most nodes a project may have.
pub const MAX_NODES: usize = 100_000;
/// The most flows a project may have.
pub const MAX_FLOWS: usize = 200_000;
/// The most boundaries a project may have.
pub const MAX_BOUNDARIES: usize = 20_000;
/// The most members a boundary may list.
pub const MAX_MEMBERS: usize = MAX_NODES;
/// The most task states a project may record.
pub const MAX_TASK_STATES: usize = 2_000_000;
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
}
