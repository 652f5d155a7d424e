//! Pages. An `<mxfile>` holds one `<diagram>` per page, each either a child `<mxGraphModel>`
//! (plain) or a text payload (compressed: see `decode`); a bare `<mxGraphModel>` (what draw.io's
//! "Edit diagram" and the clipboard give) is one page. Only the chosen page is decoded.

use super::cells::{self, Cell};
use super::decode;
use super::xml;
use crate::io::Location;

/// The page read.
#[derive(Debug)]
pub(super) struct Page {
    /// Its name ("Page-1" when the file gives none).
    pub name: String,
    /// Its number, from 1.
    pub number: usize,
    /// The names of every page, in order.
    pub names: Vec<String>,
    /// Whether it was stored compressed.
    pub compressed: bool,
    /// Its cells, in drawing order.
    pub cells: Vec<Cell>,
}

/// Why a page could not be read.
#[derive(Debug)]
pub(super) enum PageError {
    /// The XML (or a compressed page inside it) is broken, at a place in the file.
    Syntax { location: Location, message: String },
    /// The XML is not a draw.io file.
    NotDrawio(String),
    /// The page asked for does not exist.
    NoSuchPage(String),
}

/// Reads page `choice` (a name, or a number from 1; the first page when `None`) of the diagram
/// `text`. Compressed pages inflate to at most `limit` bytes.
pub(super) fn read(text: &str, choice: Option<&str>, limit: usize) -> Result<Page, PageError> {
    let syntax =
        |error: xml::XmlError| PageError::Syntax { location: error.location, message: error.message };
    xml::with_document(text, |document| {
        let root = document.root_element();
        match root.tag_name().name() {
            "mxGraphModel" => {
                if choice.is_some_and(|c| c != "1") {
                    return Err(PageError::NoSuchPage(format!(
                        "the diagram has one page, so there is no page {:?}",
                        choice.unwrap_or_default()
                    )));
                }
                let cells = cells::read(root).ok_or_else(|| no_root(document, root))?;
                Ok(Page { name: "Page-1".to_owned(), number: 1, names: vec!["Page-1".to_owned()], compressed: false, cells })
            }
            "mxfile" => {
                let diagrams: Vec<_> = root.children().filter(|n| n.has_tag_name("diagram")).collect();
                if diagrams.is_empty() {
                    return Err(PageError::NotDrawio("the <mxfile> has no pages (<diagram> elements)".to_owned()));
                }
                let names: Vec<String> = diagrams
                    .iter()
                    .enumerate()
                    .map(|(i, d)| d.attribute("name").map_or_else(|| format!("Page-{}", i + 1), str::to_owned))
                    .collect();
                let index = select(&names, choice)?;
                let diagram = diagrams[index];
                let name = names[index].clone();
                let number = index + 1;
                if let Some(model) = diagram.children().find(|n| n.has_tag_name("mxGraphModel")) {
                    let cells = cells::read(model).ok_or_else(|| no_root(document, model))?;
                    return Ok(Page { name, number, names, compressed: false, cells });
                }
                let at = xml::location(document, diagram.range().start);
                let payload = diagram.text().unwrap_or("");
                if payload.trim().is_empty() {
                    return Ok(Page { name, number, names, compressed: false, cells: Vec::new() });
                }
                let decoded = decode::page_xml(payload, limit)
                    .map_err(|error| PageError::Syntax { location: at, message: format!("page {name:?}: {error}") })?;
                let cells = xml::with_document(&decoded, |inner| {
                    let model = inner.root_element();
                    if model.has_tag_name("mxGraphModel") { cells::read(model) } else { None }
                })
                .map_err(|error| PageError::Syntax {
                    location: at,
                    message: format!(
                        "page {name:?} is compressed, and its XML is broken at line {}, column {} of the decompressed text: {}",
                        error.location.line, error.location.column, error.message
                    ),
                })?
                .ok_or_else(|| PageError::Syntax {
                    location: at,
                    message: format!("page {name:?} is compressed, and its decompressed XML is not an <mxGraphModel> with a <root>"),
                })?;
                Ok(Page { name, number, names, compressed: true, cells })
            }
            other => Err(PageError::NotDrawio(format!(
                "not a draw.io diagram: the document's root element is <{other}>, not <mxfile> or <mxGraphModel>"
            ))),
        }
    })
    .map_err(syntax)?
}

fn no_root(document: &roxmltree::Document<'_>, model: roxmltree::Node<'_, '_>) -> PageError {
    PageError::Syntax {
        location: xml::location(document, model.range().start),
        message: "the <mxGraphModel> has no <root>".to_owned(),
    }
}

/// The index of the page `choice` names: a page name first, then a number from 1.
fn select(names: &[String], choice: Option<&str>) -> Result<usize, PageError> {
    let Some(choice) = choice else { return Ok(0) };
    if let Some(index) = names.iter().position(|n| n == choice) {
        return Ok(index);
    }
    if let Ok(number) = choice.trim().parse::<usize>()
        && (1..=names.len()).contains(&number)
    {
        return Ok(number - 1);
    }
    if let Some(index) = names.iter().position(|n| n.eq_ignore_ascii_case(choice.trim())) {
        return Ok(index);
    }
    let listed: Vec<String> = names.iter().enumerate().map(|(i, n)| format!("{} {n:?}", i + 1)).collect();
    Err(PageError::NoSuchPage(format!("no page {choice:?}; the pages are {}", listed.join(", "))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(label: &str) -> String {
        format!(
            "<mxGraphModel><root><mxCell id=\"0\"/><mxCell id=\"1\" parent=\"0\" value=\"{label}\"/></root></mxGraphModel>"
        )
    }

    #[test]
    fn picks_pages_by_name_or_number_and_decodes_compressed_ones() {
        let file = format!(
            "<mxfile><diagram name=\"Overview\">{}</diagram><diagram name=\"Détail\">{}</diagram></mxfile>",
            model("one"),
            decode::encode_page(&model("two"))
        );
        let first = read(&file, None, 1 << 20).unwrap();
        assert_eq!((first.name.as_str(), first.number, first.compressed), ("Overview", 1, false));
        assert_eq!(first.cells[1].text, "one");
        let second = read(&file, Some("2"), 1 << 20).unwrap();
        assert_eq!(
            (second.name.as_str(), second.compressed, second.cells[1].text.as_str()),
            ("Détail", true, "two")
        );
        assert_eq!(read(&file, Some("détail"), 1 << 20).unwrap().number, 2);
        let PageError::NoSuchPage(message) = read(&file, Some("3"), 1 << 20).unwrap_err() else { panic!() };
        assert_eq!(message, "no page \"3\"; the pages are 1 \"Overview\", 2 \"Détail\"");
    }

    #[test]
    fn broken_compressed_pages_point_at_their_diagram() {
        let file = "<mxfile>\n  <diagram name=\"P\">%%%not base64</diagram>\n</mxfile>";
        let PageError::Syntax { location, message } = read(file, None, 1 << 20).unwrap_err() else {
            panic!()
        };
        assert_eq!(location, Location { line: 2, column: 3 });
        assert!(message.starts_with("page \"P\": the compressed page is not valid base64"), "{message}");
        let broken =
            format!("<mxfile><diagram>{}</diagram></mxfile>", decode::encode_page("<mxGraphModel><root>"));
        let PageError::Syntax { message, .. } = read(&broken, None, 1 << 20).unwrap_err() else { panic!() };
        assert!(message.contains("decompressed text"), "{message}");
    }

    #[test]
    fn other_documents_are_not_diagrams() {
        assert!(matches!(read("<html/>", None, 10), Err(PageError::NotDrawio(_))));
        assert!(matches!(read("<mxfile/>", None, 10), Err(PageError::NotDrawio(_))));
        assert!(matches!(read("not xml", None, 10), Err(PageError::Syntax { .. })));
        assert_eq!(read(&model("x"), None, 10).unwrap().cells.len(), 2);
    }
}
