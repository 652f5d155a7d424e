//! Ids of nodes, flows and boundaries: short, readable, safe in task keys and file names.

/// The longest id accepted, in bytes.
pub const MAX_ID_LEN: usize = 64;

/// Why a string is not a valid id.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// The id is empty.
    #[error("an id cannot be empty")]
    Empty,
    /// The id is longer than [`MAX_ID_LEN`].
    #[error("an id can be at most {MAX_ID_LEN} characters long")]
    TooLong,
    /// The id does not start with a letter or digit.
    #[error("an id must start with a letter or a digit")]
    BadStart,
    /// The id holds a character other than letters, digits, `-`, `_` and `.`.
    #[error("an id may only hold letters, digits, '-', '_' and '.', not {0:?}")]
    BadChar(char),
}

/// Checks that `id` is 1 to 64 ASCII letters, digits, `-`, `_` or `.`, starting with a letter or
/// digit. Such ids never hold path separators, spaces or control characters, so they are safe in
/// task keys (`web/ec2.imdsv2`), file names and every export format.
pub fn is_valid_id(id: &str) -> Result<(), IdError> {
    let first = id.chars().next().ok_or(IdError::Empty)?;
    if id.len() > MAX_ID_LEN {
        return Err(IdError::TooLong);
    }
    if !first.is_ascii_alphanumeric() {
        return Err(IdError::BadStart);
    }
    match id.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))) {
        Some(bad) => Err(IdError::BadChar(bad)),
        None => Ok(()),
    }
}

/// The longest stem [`slug`] gives: room is left for a `-N` suffix.
pub const MAX_STEM: usize = MAX_ID_LEN - 8;

/// Turns any text into a valid id stem: lower case, runs of other characters become `-`, at
/// most [`MAX_STEM`] characters. A longer one is cut and ends with a hash of the whole text,
/// so two long texts that share their beginning still give different stems.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(4 * MAX_STEM));
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        return "node".to_owned();
    }
    if out.len() <= MAX_STEM {
        return out;
    }
    // Eight hex digits and a dash.
    out.truncate(MAX_STEM - 9);
    while out.ends_with('-') {
        out.pop();
    }
    format!("{out}-{:08x}", fnv1a(text.as_bytes()) & 0xffff_ffff)
}

/// The 64-bit FNV-1a hash: small, and the same on every platform and Rust version.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(0xcbf2_9ce4_8422_2325, |hash, &byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

/// The first of `stem`, `stem-2`, `stem-3`, ... that `taken` says is free. `stem` is made a
/// valid id first.
pub fn unique_id(stem: &str, taken: impl Fn(&str) -> bool) -> String {
    let stem = if is_valid_id(stem).is_ok() && stem.len() <= MAX_STEM { stem.to_owned() } else { slug(stem) };
    if !taken(&stem) {
        return stem;
    }
    // Continue after a numeric suffix the stem already has: web-2 → web-3, not web-2-2. A suffix
    // at the top of the range (x-18446744073709551615) cannot be counted up: append `-2` instead.
    let (base, start) = match stem.rsplit_once('-') {
        Some((base, number)) if !base.is_empty() => {
            match number.parse::<u64>().ok().and_then(|n| n.checked_add(1)) {
                Some(next) => (base.to_owned(), next),
                None => (stem.clone(), 2),
            }
        }
        _ => (stem.clone(), 2),
    };
    (start..).map(|n| format!("{base}-{n}")).find(|candidate| !taken(candidate)).unwrap_or(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_readable_ids() {
        for id in ["web", "orders-db", "subnet_a.1", "EC2", "9lives"] {
            assert_eq!(is_valid_id(id), Ok(()), "{id}");
        }
    }

    #[test]
    fn rejects_separators_controls_and_empty() {
        assert_eq!(is_valid_id(""), Err(IdError::Empty));
        assert_eq!(is_valid_id("a/b"), Err(IdError::BadChar('/')));
        assert_eq!(is_valid_id("a\\b"), Err(IdError::BadChar('\\')));
        assert_eq!(is_valid_id("a\u{7}"), Err(IdError::BadChar('\u{7}')));
        assert_eq!(is_valid_id("a b"), Err(IdError::BadChar(' ')));
        assert_eq!(is_valid_id("-a"), Err(IdError::BadStart));
        assert_eq!(is_valid_id(".."), Err(IdError::BadStart));
        assert_eq!(is_valid_id(&"x".repeat(65)), Err(IdError::TooLong));
    }

    #[test]
    fn long_slugs_are_cut_and_keep_a_hash_of_the_whole_text() {
        let shared = "a-very-long-module-path-that-goes-on-and-on-and-on-and-on-";
        let (one, two) = (slug(&format!("{shared}one")), slug(&format!("{shared}two")));
        assert_ne!(one, two);
        for stem in [&one, &two] {
            assert!(stem.len() <= MAX_STEM && is_valid_id(stem).is_ok(), "{stem}");
        }
        assert_eq!(slug("Orders DB!"), "orders-db");
        assert_eq!(slug("!!!"), "node");
    }

    #[test]
    fn unique_ids_count_up() {
        let taken = ["web", "web-2", "db-7"];
        let is_taken = |id: &str| taken.contains(&id);
        assert_eq!(unique_id("api", is_taken), "api");
        assert_eq!(unique_id("web", is_taken), "web-3");
        assert_eq!(unique_id("web-2", is_taken), "web-3");
        assert_eq!(unique_id("db-7", is_taken), "db-8");
        assert_eq!(unique_id("Orders DB!", is_taken), "orders-db");
    }

    #[test]
    fn numeric_suffixes_at_the_top_of_the_range_do_not_overflow() {
        let stem = "x-18446744073709551615";
        let is_taken = |id: &str| id == stem;
        assert_eq!(unique_id(stem, is_taken), "x-18446744073709551615-2");
    }
}
