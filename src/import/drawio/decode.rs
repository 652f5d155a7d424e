//! Compressed diagram pages. draw.io writes a compressed page as the `<mxGraphModel>` XML,
//! percent-encoded like JavaScript's `encodeURIComponent`, compressed with raw DEFLATE (no zlib
//! header) and written as base64. This undoes the three steps, with a bound on what inflating
//! may produce so a small hostile payload cannot fill memory.

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

/// Base64 as browsers' `atob` reads it: padding optional, stray trailing bits allowed.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// Why a compressed page cannot be read.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum DecodeError {
    /// Not base64.
    Base64(String),
    /// Not raw DEFLATE data.
    Inflate(String),
    /// Inflates to more than the limit (bytes).
    TooLarge(usize),
    /// A `%` escape that is not two hex digits, or bytes that are not UTF-8.
    Text(String),
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Base64(why) => write!(f, "the compressed page is not valid base64 ({why})"),
            Self::Inflate(why) => write!(f, "the compressed page does not inflate as raw DEFLATE ({why})"),
            Self::TooLarge(limit) => {
                write!(f, "the compressed page inflates to more than {limit} bytes; whoowns reads up to that")
            }
            Self::Text(why) => write!(f, "the compressed page does not decode to text ({why})"),
        }
    }
}

/// The XML of a compressed page: base64, then raw inflate (at most `limit` bytes out), then
/// percent-decoding. Text that is already XML (starts with `<`) is returned as it is.
pub(super) fn page_xml(payload: &str, limit: usize) -> Result<String, DecodeError> {
    let compact: String = payload.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    if compact.starts_with('<') {
        return Ok(payload.trim().to_owned());
    }
    let deflated =
        LENIENT.decode(compact.as_bytes()).map_err(|error| DecodeError::Base64(error.to_string()))?;
    let inflated = inflate_raw(&deflated, limit)?;
    let text = String::from_utf8(inflated).map_err(|error| {
        DecodeError::Text(format!("not UTF-8 at byte {}", error.utf8_error().valid_up_to()))
    })?;
    percent_decode(&text)
}

/// Inflates raw DEFLATE data to at most `limit` bytes.
pub(super) fn inflate_raw(data: &[u8], limit: usize) -> Result<Vec<u8>, DecodeError> {
    miniz_oxide::inflate::decompress_to_vec_with_limit(data, limit).map_err(|error| {
        use miniz_oxide::inflate::TINFLStatus;
        match error.status {
            TINFLStatus::HasMoreOutput => DecodeError::TooLarge(limit),
            TINFLStatus::FailedCannotMakeProgress | TINFLStatus::NeedsMoreInput => {
                DecodeError::Inflate("the data ends early".to_owned())
            }
            other => DecodeError::Inflate(format!("invalid data: {other:?}")),
        }
    })
}

/// Undoes `encodeURIComponent`: `%XX` escapes become bytes, which must make UTF-8. `+` stays
/// `+` (this is not form encoding).
pub(super) fn percent_decode(text: &str) -> Result<String, DecodeError> {
    if !text.contains('%') {
        return Ok(text.to_owned());
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = |b: u8| char::from(b).to_digit(16);
            match (bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
                (Some(high), Some(low)) => {
                    // Two hex digits make at most 255.
                    out.push(u8::try_from(high * 16 + low).unwrap_or(b'?'));
                    i += 3;
                }
                _ => return Err(DecodeError::Text(format!("a malformed % escape at character {}", i + 1))),
            }
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|error| {
        DecodeError::Text(format!(
            "percent escapes that are not UTF-8 near byte {}",
            error.utf8_error().valid_up_to()
        ))
    })
}

/// The payload draw.io writes for `xml`: percent-encoded, raw-deflated, base64. For tests and the
/// fuzz seeds; the export writes plain pages.
#[cfg(test)]
pub(super) fn encode_page(xml: &str) -> String {
    let mut encoded = String::new();
    for byte in xml.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    LENIENT.encode(miniz_oxide::deflate::compress_to_vec(encoded.as_bytes(), 9))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_what_drawio_writes() {
        let xml = "<mxGraphModel><root><mxCell id=\"0\"/><mxCell id=\"1\" parent=\"0\" value=\"Ü + ü 100%\"/></root></mxGraphModel>";
        assert_eq!(page_xml(&encode_page(xml), 1 << 20).unwrap(), xml);
        // Whitespace around or inside the base64 is ignored, as atob does.
        let wrapped = format!("\n  {}\n", encode_page(xml));
        assert_eq!(page_xml(&wrapped, 1 << 20).unwrap(), xml);
    }

    #[test]
    fn bad_payloads_say_what_is_wrong() {
        assert!(matches!(page_xml("not base64!", 100), Err(DecodeError::Base64(_))));
        assert!(matches!(page_xml("AAAAAAAA", 100), Err(DecodeError::Inflate(_))));
        // A bomb: a megabyte of zeros compresses to about a kilobyte.
        let bomb = LENIENT.encode(miniz_oxide::deflate::compress_to_vec(&vec![b'0'; 1 << 20], 9));
        assert_eq!(page_xml(&bomb, 1000), Err(DecodeError::TooLarge(1000)));
        assert!(matches!(percent_decode("50%"), Err(DecodeError::Text(_))));
        assert!(matches!(percent_decode("%FF%FE"), Err(DecodeError::Text(_))));
        assert_eq!(percent_decode("a+b%20c").unwrap(), "a+b c");
    }
}
