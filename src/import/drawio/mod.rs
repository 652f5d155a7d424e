//! draw.io (diagrams.net) diagrams to a project: `.drawio`, `.dio`, `.drawio.xml` and `.xml`
//! files, and the diagram embedded in `.drawio.svg` and `.drawio.png` images.
//!
//! - `container` finds the diagram XML in the file; `pages` picks a page and decodes it when it
//!   is compressed (`decode`: base64, raw DEFLATE, percent-encoding); `cells` reads its cells.
//! - `classify` says what each cell is, with the shape mapping of `shapes`
//!   (`assets/drawio-shapes.ron`): AWS shapes of every stencil generation become nodes of catalog
//!   services, group frames become boundaries, users, internet and on-premises become actors; an
//!   AWS shape the mapping does not know becomes an "Unrecognised AWS service" node.
//! - `geometry` computes absolute places through parent links of any depth; `nesting` puts
//!   nodes and frames in frames by parent link and by geometry; `captions` takes the name of an
//!   unlabelled icon from the text next to it; `placement` scales the page to whoowns's cards;
//!   `flows` turns connectors into flows; `assemble` puts the project and its report together.
//!
//! Bounded like the other readers: the file is at most 64 MiB, XML has no DTD (no entity
//! expansion) and at most [`xml::MAX_XML_NODES`] nodes and is parsed without recursion, a
//! compressed page inflates to at most 64 MiB, and every all-pairs pass has a work budget. The
//! same file always gives the same project.

mod assemble;
mod captions;
mod cells;
mod classify;
mod container;
mod decode;
mod flows;
mod geometry;
mod label;
mod nesting;
mod pages;
mod placement;
mod shapes;
mod style;
mod xml;

use std::path::Path;

use super::{ImportError, Imported};
use crate::catalog::Catalog;
use crate::io::Location;

pub use shapes::{BUILTIN_DRAWIO_SHAPES, DrawioShapes, FrameStyle, Icon};

pub(crate) use cells::PROPERTY_PREFIX;
pub(crate) use classify::MARK;

/// File names that are draw.io diagrams whatever they hold.
const EXTENSIONS: [&str; 6] = [".drawio", ".dio", ".drawio.xml", ".drawio.svg", ".drawio.png", ".xml"];

/// Whether the file `path` holding `bytes` is a diagram rather than infrastructure as code: its
/// name says so (`.drawio`, `.dio`, `.xml`, `.svg`, `.png`), or it is XML or a PNG.
pub(crate) fn looks_like(path: &Path, bytes: &[u8]) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
    if EXTENSIONS.iter().any(|e| name.ends_with(e)) || name.ends_with(".svg") || name.ends_with(".png") {
        return true;
    }
    let text = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    text.starts_with(container::PNG_SIGNATURE)
        || text.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<')
}

/// The most a compressed page or PNG chunk may inflate to: larger than any real diagram's XML,
/// small enough that a deflate bomb stops long before it costs memory.
const MAX_INFLATED: usize = 64 << 20;

/// Imports page `page` (a name, or a number from 1; the first when `None`) of the diagram in
/// `bytes`. `source_name` names the file in errors, the report and the project.
pub(crate) fn import(
    source_name: &str,
    bytes: &[u8],
    page: Option<&str>,
    catalog: &'static Catalog,
) -> Result<Imported, ImportError> {
    let limit = MAX_INFLATED;
    let syntax = |location: Location, message: String| ImportError::Syntax {
        source_name: source_name.to_owned(),
        location,
        message,
    };
    let (text, held_in) = container::diagram_xml(bytes, limit).map_err(|error| match error {
        container::ContainerError::Syntax { location, message } => syntax(location, message),
        container::ContainerError::NoDiagram(message) => {
            ImportError::UnknownFormat { source_name: source_name.to_owned(), message }
        }
    })?;
    let page = pages::read(&text, page, limit).map_err(|error| match error {
        pages::PageError::Syntax { location, message } => {
            syntax(location, format!("{message}{}", held_in.describe()))
        }
        pages::PageError::NotDrawio(message) => {
            ImportError::UnknownFormat { source_name: source_name.to_owned(), message }
        }
        pages::PageError::NoSuchPage(message) => {
            ImportError::Structure { source_name: source_name.to_owned(), message }
        }
    })?;
    let shapes = DrawioShapes::builtin(catalog).map_err(ImportError::Mapping)?;
    let (project, report) =
        assemble::assemble(source_name, &super::project_name(source_name), &page, shapes, catalog);
    super::limits::check(source_name, &project)?;
    let problems = crate::io::validate(&project, catalog, "");
    if !problems.is_empty() {
        let problems: Vec<String> = problems.into_iter().map(|p| p.message).collect();
        return Err(ImportError::Inconsistent {
            source_name: source_name.to_owned(),
            problems: problems.join("; "),
        });
    }
    Ok(Imported { project, report })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_content_say_what_is_a_diagram() {
        assert!(looks_like(Path::new("a/arch.drawio"), b""));
        assert!(looks_like(Path::new("arch.drawio.png"), b""));
        assert!(looks_like(Path::new("template"), b"\n <mxfile>"));
        assert!(looks_like(Path::new("x"), b"\x89PNG\r\n\x1a\n"));
        assert!(!looks_like(Path::new("template.yaml"), b"Resources: {}"));
        assert!(!looks_like(Path::new("plan.json"), b"{\"format_version\": \"1.2\"}"));
    }
}
