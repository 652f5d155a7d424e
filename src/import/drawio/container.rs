//! Where the diagram is in a file: a `.drawio`/`.dio`/`.xml` file is the `<mxfile>` XML itself;
//! a `.drawio.svg` carries it in the `content` attribute of its `<svg>`; a `.drawio.png` in a
//! `tEXt` chunk named `mxfile` (percent-encoded), or in older files a `zTXt` chunk named
//! `mxGraphModel` (raw DEFLATE of the percent-encoded XML), as draw.io's own reader expects.

use base64::Engine as _;

use super::decode::{self, DecodeError};
use super::xml;
use crate::io::Location;

/// The eight bytes every PNG starts with.
pub(super) const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// What held the diagram.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Container {
    /// The file is the diagram's XML.
    Xml,
    /// An SVG image with the diagram in its `content` attribute.
    Svg,
    /// A PNG image with the diagram in a text chunk.
    Png,
}

impl Container {
    /// Where the XML came from, for messages about it.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Xml => "",
            Self::Svg => " (in the diagram the SVG carries)",
            Self::Png => " (in the diagram the PNG carries)",
        }
    }
}

/// Why no diagram XML could be had.
#[derive(Debug)]
pub(super) enum ContainerError {
    /// The bytes are not what their kind requires (text that is not UTF-8...), at a place.
    Syntax { location: Location, message: String },
    /// A readable image or document that holds no diagram.
    NoDiagram(String),
}

/// The diagram's XML and what held it. `limit` bounds what inflating a compressed chunk may
/// produce.
pub(super) fn diagram_xml(bytes: &[u8], limit: usize) -> Result<(String, Container), ContainerError> {
    if bytes.starts_with(PNG_SIGNATURE) {
        return png_xml(bytes, limit).map(|xml| (xml, Container::Png));
    }
    let text = std::str::from_utf8(bytes).map_err(|error| ContainerError::Syntax {
        location: crate::io::location_of_offset(bytes, error.valid_up_to()),
        message: "the file is not valid UTF-8 text".to_owned(),
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if first_element_name(text).is_some_and(|name| name == "svg" || name.ends_with(":svg")) {
        return svg_xml(text).map(|xml| (xml, Container::Svg));
    }
    Ok((text.to_owned(), Container::Xml))
}

/// The name of the first element in `text`, skipping the prolog (declaration, comments,
/// DOCTYPE).
fn first_element_name(text: &str) -> Option<&str> {
    let mut rest = text;
    loop {
        let start = rest.find('<')?;
        rest = &rest[start + 1..];
        if rest.starts_with("!--") {
            rest = &rest[rest.find("-->")? + 3..];
        } else if rest.starts_with('?') || rest.starts_with('!') {
            rest = &rest[rest.find('>')? + 1..];
        } else {
            let end = rest.find(|c: char| c.is_whitespace() || c == '>' || c == '/').unwrap_or(rest.len());
            return Some(&rest[..end]);
        }
    }
}

fn svg_xml(text: &str) -> Result<String, ContainerError> {
    let content =
        xml::with_document(text, |document| document.root_element().attribute("content").map(str::to_owned))
            .map_err(|error| ContainerError::Syntax { location: error.location, message: error.message })?;
    let Some(content) = content else {
        return Err(ContainerError::NoDiagram(
            "this SVG holds no draw.io diagram (its <svg> has no `content` attribute); export it from draw.io as \
             an editable SVG (\"Include a copy of my diagram\")"
                .to_owned(),
        ));
    };
    embedded(content.trim())
        .map_err(|error| ContainerError::NoDiagram(format!("the diagram the SVG carries: {error}")))
}

/// The XML of an embedded diagram: as it is, percent-encoded, or base64 (draw.io has written
/// all three over the years).
fn embedded(content: &str) -> Result<String, DecodeError> {
    if content.starts_with('<') {
        return Ok(content.to_owned());
    }
    if content.starts_with('%') {
        return decode::percent_decode(content);
    }
    let compact: String = content.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .map_err(|error| DecodeError::Base64(error.to_string()))?;
    let text =
        String::from_utf8(bytes).map_err(|_| DecodeError::Text("the base64 is not UTF-8 text".to_owned()))?;
    if text.starts_with('%') { decode::percent_decode(&text) } else { Ok(text) }
}

fn png_xml(bytes: &[u8], limit: usize) -> Result<String, ContainerError> {
    let mut offset = PNG_SIGNATURE.len();
    while offset + 8 <= bytes.len() {
        let length =
            u32::from_be_bytes([bytes[offset], bytes[offset + 1], bytes[offset + 2], bytes[offset + 3]]);
        let kind = &bytes[offset + 4..offset + 8];
        let start = offset + 8;
        let Some(end) =
            usize::try_from(length).ok().and_then(|l| start.checked_add(l)).filter(|&e| e <= bytes.len())
        else {
            return Err(ContainerError::Syntax {
                location: Location { line: 1, column: 1 },
                message: format!(
                    "the PNG is cut short: a chunk at byte {offset} runs past the end of the file"
                ),
            });
        };
        let data = &bytes[start..end];
        let text = match kind {
            b"tEXt" => text_chunk(data, &["mxfile", "mxGraphModel"])
                .map(|value| value.iter().map(|&b| char::from(b)).collect::<String>()),
            b"zTXt" => match text_chunk(data, &["mxGraphModel"]) {
                // A compression-method byte, then raw DEFLATE (draw.io writes no zlib header).
                Some([_method, compressed @ ..]) => Some(
                    String::from_utf8_lossy(&decode::inflate_raw(compressed, limit).map_err(|error| {
                        ContainerError::NoDiagram(format!("the diagram the PNG carries: {error}"))
                    })?)
                    .replace('+', " "),
                ),
                _ => None,
            },
            b"IEND" => break,
            _ => None,
        };
        if let Some(text) = text {
            let mut xml = text;
            // draw.io decodes up to twice: some writers encoded the encoded text again.
            for _ in 0..2 {
                if xml.starts_with('%') {
                    xml = decode::percent_decode(&xml).map_err(|error| {
                        ContainerError::NoDiagram(format!("the diagram the PNG carries: {error}"))
                    })?;
                }
            }
            return Ok(xml);
        }
        // Length, type, data and CRC.
        offset = end + 4;
    }
    Err(ContainerError::NoDiagram(
        "this PNG holds no draw.io diagram (no `mxfile` text chunk); export it from draw.io with \"Include a copy \
         of my diagram\""
            .to_owned(),
    ))
}

/// The value of a PNG text chunk whose keyword is one of `keywords`.
fn text_chunk<'a>(data: &'a [u8], keywords: &[&str]) -> Option<&'a [u8]> {
    let nul = data.iter().position(|&b| b == 0)?;
    let keyword = std::str::from_utf8(&data[..nul]).ok()?;
    keywords.contains(&keyword).then(|| &data[nul + 1..])
}

/// A PNG (one transparent pixel) carrying `xml` the way draw.io writes it: a `tEXt` chunk named
/// `mxfile` with the percent-encoded XML. For tests.
#[cfg(test)]
pub(super) fn png_with(xml: &str) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend_from_slice(&u32::try_from(data.len()).unwrap().to_be_bytes());
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&[0, 0, 0, 0]); // whoowns does not check CRCs
    }
    let mut encoded = String::new();
    for byte in xml.bytes() {
        if byte.is_ascii_alphanumeric() {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    let mut out = PNG_SIGNATURE.to_vec();
    chunk(&mut out, b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);
    let mut text = b"mxfile\0".to_vec();
    text.extend_from_slice(encoded.as_bytes());
    chunk(&mut out, b"tEXt", &text);
    chunk(&mut out, b"IDAT", &[]);
    chunk(&mut out, b"IEND", &[]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const XML: &str = "<mxfile><diagram name=\"P\"><mxGraphModel><root/></mxGraphModel></diagram></mxfile>";

    #[test]
    fn finds_the_diagram_in_each_container() {
        assert_eq!(diagram_xml(XML.as_bytes(), 1 << 20).unwrap(), (XML.to_owned(), Container::Xml));
        let svg = format!(
            "<?xml version=\"1.0\"?>\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"x.dtd\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" content=\"{}\"><g/></svg>",
            XML.replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
        );
        assert_eq!(diagram_xml(svg.as_bytes(), 1 << 20).unwrap(), (XML.to_owned(), Container::Svg));
        assert_eq!(diagram_xml(&png_with(XML), 1 << 20).unwrap(), (XML.to_owned(), Container::Png));
    }

    #[test]
    fn images_without_a_diagram_say_so() {
        let plain_svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><g/></svg>";
        assert!(
            matches!(diagram_xml(plain_svg.as_bytes(), 100), Err(ContainerError::NoDiagram(m)) if m.contains("content"))
        );
        let mut png = png_with(XML);
        png.truncate(45);
        assert!(matches!(diagram_xml(&png, 100), Err(ContainerError::Syntax { .. })));
        let empty = [PNG_SIGNATURE, b"\0\0\0\0IEND\0\0\0\0"].concat();
        assert!(
            matches!(diagram_xml(&empty, 100), Err(ContainerError::NoDiagram(m)) if m.contains("mxfile"))
        );
        assert!(matches!(diagram_xml(b"\xff\xfe<", 100), Err(ContainerError::Syntax { .. })));
    }
}
