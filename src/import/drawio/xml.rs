//! XML parsing with the bounds a hostile file needs: no DTD (so no entity expansion, the
//! "billion laughs" and its quadratic cousin), a cap on the number of nodes, and roxmltree's
//! parser, which does not recurse however deep the elements nest.
//!
//! draw.io never writes a DTD. An SVG export starts with `<!DOCTYPE svg PUBLIC ...>`, which
//! declares nothing: a DOCTYPE without an internal subset is blanked out (spaces, so lines and
//! columns stay true) and parsed; one with an internal subset (`[...]`, where entities live) is
//! refused.

use roxmltree::{Document, ParsingOptions};

use crate::io::Location;

/// The most XML nodes (elements, attributes' owners, text) one document may have: far above
/// any diagram (the largest corpus page has a few thousand), far below what exhausts memory.
pub(super) const MAX_XML_NODES: u32 = 4_000_000;

/// Why a text is not XML whoowns reads.
#[derive(Debug)]
pub(super) struct XmlError {
    /// Where, in the text parsed.
    pub location: Location,
    /// What went wrong.
    pub message: String,
}

/// `text` with a harmless DOCTYPE blanked out; an error for one that declares anything.
fn without_doctype(text: &str) -> Result<std::borrow::Cow<'_, str>, XmlError> {
    let Some(start) = text.find("<!DOCTYPE") else { return Ok(text.into()) };
    // Only in the prolog: before the first element.
    let first_element = text
        .match_indices('<')
        .map(|(i, _)| i)
        .find(|&i| text[i + 1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '_'));
    if first_element.is_some_and(|element| element < start) {
        return Ok(text.into());
    }
    let bytes = text.as_bytes();
    let mut quote = None;
    let mut end = None;
    for (offset, &byte) in bytes.iter().enumerate().skip(start + 9) {
        match (quote, byte) {
            (Some(q), b) if b == q => quote = None,
            (None, b'"' | b'\'') => quote = Some(byte),
            (None, b'[') => {
                return Err(XmlError {
                    location: crate::io::location_of_offset(bytes, offset),
                    message: "the document declares a DTD (entities); draw.io never writes one, and whoowns \
                              refuses them"
                        .to_owned(),
                });
            }
            (None, b'>') => {
                end = Some(offset);
                break;
            }
            _ => {}
        }
    }
    let Some(end) = end else {
        return Err(XmlError {
            location: crate::io::location_of_offset(bytes, start),
            message: "the DOCTYPE declaration is never closed".to_owned(),
        });
    };
    let mut blanked = String::with_capacity(text.len());
    blanked.push_str(&text[..start]);
    blanked.extend(text[start..=end].chars().map(|c| if c == '\n' { '\n' } else { ' ' }));
    blanked.push_str(&text[end + 1..]);
    Ok(blanked.into())
}

/// Parses `text`, calling `read` with the document (roxmltree documents borrow their text, so
/// the caller's work happens inside).
pub(super) fn with_document<T>(text: &str, read: impl FnOnce(&Document<'_>) -> T) -> Result<T, XmlError> {
    let text = without_doctype(text)?;
    let options =
        ParsingOptions { allow_dtd: false, nodes_limit: MAX_XML_NODES, ..ParsingOptions::default() };
    match Document::parse_with_options(&text, options) {
        Ok(document) => Ok(read(&document)),
        Err(error) => {
            let pos = error.pos();
            let message = match error {
                roxmltree::Error::NodesLimitReached => format!(
                    "the document has more than {MAX_XML_NODES} XML nodes; whoowns reads diagrams of up to that"
                ),
                roxmltree::Error::DtdDetected => {
                    "the document declares a DTD; draw.io never writes one, and whoowns refuses them"
                        .to_owned()
                }
                other => {
                    let text = other.to_string();
                    let suffix = format!(" at {pos}");
                    format!("invalid XML: {}", text.strip_suffix(&suffix).unwrap_or(&text))
                }
            };
            Err(XmlError { location: Location { line: pos.row as usize, column: pos.col as usize }, message })
        }
    }
}

/// Where byte `offset` of the parsed text is.
pub(super) fn location(document: &Document<'_>, offset: usize) -> Location {
    let pos = document.text_pos_at(offset);
    Location { line: pos.row as usize, column: pos.col as usize }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_and_dtds_are_refused_before_they_expand() {
        let laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;\">]>\n<mxfile>&lol2;</mxfile>";
        let error = with_document(laughs, |_| ()).unwrap_err();
        assert_eq!(error.location, Location { line: 2, column: 16 });
        assert!(error.message.contains("DTD"), "{}", error.message);
    }

    #[test]
    fn an_svg_doctype_is_blanked_and_positions_stay_true() {
        let svg = "<?xml version=\"1.0\"?>\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n<svg content=\"x\"><g></svg>";
        let error = with_document(svg, |_| ()).unwrap_err();
        assert_eq!(error.location.line, 3);
        assert!(error.message.starts_with("invalid XML: expected 'g' tag"), "{}", error.message);
        assert!(!error.message.contains(" at 3:"), "{}", error.message);
        let ok = with_document(&svg.replace("<g>", ""), |doc| {
            doc.root_element().attribute("content").map(str::to_owned)
        });
        assert_eq!(ok.unwrap().as_deref(), Some("x"));
    }

    #[test]
    fn deep_nesting_is_no_stack_overflow() {
        let depth = 200_000;
        let text = format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth));
        let count = with_document(&text, |doc| doc.descendants().count()).unwrap();
        assert_eq!(count, depth + 1);
    }
}
