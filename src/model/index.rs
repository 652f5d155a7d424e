//! Fast lookups by id. Ids are short strings from a local file, so they are hashed with FNV-1a
//! and an avalanche finish instead of std's SipHash, which guards against hash flooding at
//! several times the cost.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a, 64 bits, with an avalanche finish: fast for the short strings ids are.
#[derive(Clone, Copy, Debug)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Self(FNV_OFFSET)
    }
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        // FNV's top bits mix poorly, and hashbrown groups entries by the top 7 bits: finish
        // with MurmurHash3's avalanche step so similar ids spread out.
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }

    fn write(&mut self, bytes: &[u8]) {
        self.0 = fnv1a_continue(self.0, bytes);
    }
}

/// The plain 64-bit FNV-1a hash of `bytes`: small, and the same on every platform and Rust
/// version, for stable digests in file names and ids.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    fnv1a_continue(FNV_OFFSET, bytes)
}

fn fnv1a_continue(hash: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(hash, |hash, &byte| (hash ^ u64::from(byte)).wrapping_mul(FNV_PRIME))
}

/// The hasher builder for [`Fnv`].
pub type FnvBuild = BuildHasherDefault<Fnv>;

/// A hash map keyed by borrowed ids, with [`Fnv`].
pub type IdMap<'a, V> = HashMap<&'a str, V, FnvBuild>;

/// Positions in a list, by id, owning its keys so it can outlive the borrow of the list (the
/// model view is cached across frames). The first of two equal ids wins; validation refuses
/// such files, but a lookup must never panic on one.
#[derive(Clone, Debug, Default)]
pub struct IdLookup(HashMap<Box<str>, u32, FnvBuild>);

impl IdLookup {
    /// Indexes `ids` by position.
    pub fn of<'a>(ids: impl ExactSizeIterator<Item = &'a str>) -> Self {
        let mut map = HashMap::with_capacity_and_hasher(ids.len(), FnvBuild::default());
        for (i, id) in ids.enumerate() {
            map.entry(Box::from(id)).or_insert(index_u32(i));
        }
        Self(map)
    }

    /// The position of `id`.
    pub fn get(&self, id: &str) -> Option<usize> {
        self.0.get(id).map(|&i| i as usize)
    }

    /// How many distinct ids it holds.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether it holds nothing.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// `i` as a `u32`; lists are bounded far below (see `model::limits`).
pub(crate) fn index_u32(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_of_two_equal_ids_wins() {
        let lookup = IdLookup::of(["a", "b", "a"].into_iter());
        assert_eq!(lookup.get("a"), Some(0));
        assert_eq!(lookup.get("b"), Some(1));
        assert_eq!(lookup.get("c"), None);
        assert_eq!(lookup.len(), 2);
    }

    #[test]
    fn fnv_is_the_published_function() {
        // Test vectors of FNV-1a 64.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
