//! The bytes of a source file as text: UTF-8, with or without a byte-order mark, or UTF-16 as
//! Windows PowerShell 5 writes `terraform show -json > plan.json` (little-endian with a
//! byte-order mark). Without a mark, UTF-16 is recognised by its zero bytes around the first
//! ASCII characters (`{`, `R`...), which no UTF-8 text has.

use crate::io::{Location, location_of_offset};

/// Why bytes are not text.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct NotText {
    /// Where decoding stopped.
    pub location: Location,
    /// What is wrong, in words.
    pub message: String,
}

/// The UTF-8 byte-order mark.
const UTF8_BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

/// Byte order of UTF-16 text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Endian {
    Little,
    Big,
}

/// Decodes `bytes` (see the module docs); a byte-order mark is dropped.
pub(super) fn decode(bytes: Vec<u8>) -> Result<String, NotText> {
    if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) || bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
        return Err(NotText {
            location: Location { line: 1, column: 1 },
            message: "the file is UTF-32 text; save it as UTF-8 (or UTF-16) and import it again".to_owned(),
        });
    }
    let utf16 = if bytes.starts_with(&[0xFF, 0xFE]) {
        Some((Endian::Little, 2))
    } else if bytes.starts_with(&[0xFE, 0xFF]) {
        Some((Endian::Big, 2))
    } else {
        unmarked_utf16(&bytes).map(|endian| (endian, 0))
    };
    if let Some((endian, skip)) = utf16 {
        return utf16_text(&bytes[skip..], endian);
    }
    let skip = if bytes.starts_with(UTF8_BOM) { UTF8_BOM.len() } else { 0 };
    let mut bytes = bytes;
    bytes.drain(..skip);
    String::from_utf8(bytes).map_err(|error| NotText {
        location: location_of_offset(error.as_bytes(), error.utf8_error().valid_up_to()),
        message: "the file is not valid UTF-8 text".to_owned(),
    })
}

/// UTF-16 without a byte-order mark: the first two characters are ASCII with a zero byte each.
fn unmarked_utf16(bytes: &[u8]) -> Option<Endian> {
    let [a, b, c, d, ..] = bytes else { return None };
    let ascii = |byte: &u8| *byte != 0 && byte.is_ascii();
    if ascii(a) && *b == 0 && ascii(c) && *d == 0 {
        Some(Endian::Little)
    } else if *a == 0 && ascii(b) && *c == 0 && ascii(d) {
        Some(Endian::Big)
    } else {
        None
    }
}

fn utf16_text(bytes: &[u8], endian: Endian) -> Result<String, NotText> {
    let units = bytes.chunks(2).map(|pair| match (pair, endian) {
        ([a, b], Endian::Little) => Ok(u16::from_le_bytes([*a, *b])),
        ([a, b], Endian::Big) => Ok(u16::from_be_bytes([*a, *b])),
        _ => Err(()),
    });
    let mut text = String::with_capacity(bytes.len() / 2);
    let mut pending = Vec::with_capacity(2);
    let mut units = units.peekable();
    while let Some(unit) = units.next() {
        let Ok(unit) = unit else {
            return Err(not_utf16(&text, "the UTF-16 text ends in the middle of a character"));
        };
        pending.clear();
        pending.push(unit);
        if (0xD800..0xDC00).contains(&unit)
            && let Some(Ok(low)) = units.peek().copied()
        {
            pending.push(low);
            units.next();
        }
        match char::decode_utf16(pending.iter().copied()).next() {
            Some(Ok(c)) if pending.len() == c.len_utf16() => text.push(c),
            _ => return Err(not_utf16(&text, "the file is not valid UTF-16 text")),
        }
    }
    Ok(text)
}

fn not_utf16(decoded: &str, message: &str) -> NotText {
    NotText { location: location_of_offset(decoded.as_bytes(), decoded.len()), message: message.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, endian: Endian, mark: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let units = std::iter::once(0xFEFF).filter(|_| mark).chain(text.encode_utf16());
        for unit in units {
            out.extend(match endian {
                Endian::Little => unit.to_le_bytes(),
                Endian::Big => unit.to_be_bytes(),
            });
        }
        out
    }

    #[test]
    fn utf8_and_utf16_with_or_without_a_mark() {
        let text = "{\"format_version\": \"1.0\", \"é\": \"𝄞\"}\r\n";
        assert_eq!(decode(text.as_bytes().to_vec()).unwrap(), text);
        assert_eq!(decode([UTF8_BOM, text.as_bytes()].concat()).unwrap(), text);
        for endian in [Endian::Little, Endian::Big] {
            for mark in [true, false] {
                assert_eq!(decode(utf16(text, endian, mark)).unwrap(), text, "{endian:?} {mark}");
            }
        }
    }

    #[test]
    fn broken_text_says_where() {
        let error = decode(b"a: 1\nb: \xff\n".to_vec()).unwrap_err();
        assert_eq!(error.location, Location { line: 2, column: 4 });
        let mut bytes = utf16("{\n  \"a\"", Endian::Little, true);
        bytes.extend([0x00, 0xD8, b'x', 0]);
        let error = decode(bytes.clone()).unwrap_err();
        assert_eq!(
            (error.location, error.message.as_str()),
            (Location { line: 2, column: 6 }, "the file is not valid UTF-16 text")
        );
        bytes.truncate(bytes.len() - 1);
        assert!(decode(bytes).is_err());
        assert!(decode(vec![0xFF, 0xFE, 0, 0, b'{', 0, 0, 0]).unwrap_err().message.contains("UTF-32"));
    }
}
