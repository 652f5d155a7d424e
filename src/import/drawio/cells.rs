//! The cells of one page, read from its `<mxGraphModel>` into plain structs. A cell is an
//! `<mxCell>`, or an `<mxCell>` wrapped in `<UserObject>`/`<object>`, where the wrapper holds the
//! id, the label (`label`, not `value`) and custom properties. Elements whoowns does not know
//! are skipped. Nothing here decides what a cell means: see `classify`.

use std::collections::BTreeMap;

use roxmltree::Node;

use super::label;
use super::style::Style;

/// Coordinates beyond this are clamped: draw.io never draws so far out, and a model position
/// must stay a finite `f32` whatever is added to it.
const MAX_COORDINATE: f64 = 10_000_000.0;

/// The longest label kept as written.
pub(super) const MAX_RAW_LABEL: usize = 10_000;

/// Custom properties whoowns writes on the cells it exports start with this.
pub(crate) const PROPERTY_PREFIX: &str = "whoowns_";

/// Whether a cell is a shape, a connector or neither (the root and layers).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// `vertex="1"`.
    Vertex,
    /// `edge="1"`.
    Edge,
    /// The root, layers, and cells that are neither.
    Other,
}

/// Where a cell is, as the file says: relative to its parent.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(super) struct Geometry {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    /// `relative="1"`: for a vertex, `x` and `y` are fractions of the parent's size.
    pub relative: bool,
    /// Where an edge without a source starts.
    pub source_point: Option<(f64, f64)>,
    /// Where an edge without a target ends.
    pub target_point: Option<(f64, f64)>,
}

/// One cell of a page.
#[derive(Clone, Debug)]
pub(super) struct Cell {
    /// Unique within the page (draw.io restarts ids on every page).
    pub id: String,
    /// The id of the cell it sits in; `None` for the root.
    pub parent: Option<String>,
    /// The label as plain text (markup removed when the style says `html=1`), lines kept.
    pub text: String,
    /// The label as written, for whoowns's own exports (plain text there): at most
    /// [`MAX_RAW_LABEL`] characters.
    pub raw_label: String,
    pub style: Style,
    pub kind: Kind,
    /// For edges: the cells they join, by id.
    pub source: Option<String>,
    pub target: Option<String>,
    pub geometry: Geometry,
    /// Custom properties starting with `whoowns_`, from a wrapper.
    pub properties: BTreeMap<String, String>,
    /// `visible="0"` hides a cell (and a layer hides what is on it).
    pub visible: bool,
}

impl Cell {
    /// A `whoowns_` property.
    pub fn property(&self, name: &str) -> Option<&str> {
        self.properties.get(&format!("{PROPERTY_PREFIX}{name}")).map(String::as_str)
    }
}

/// The cells under `<root>` of a `<mxGraphModel>`, in drawing order. `None` when the model has
/// no `<root>`.
pub(super) fn read(model: Node<'_, '_>) -> Option<Vec<Cell>> {
    let root = model.children().find(|n| n.has_tag_name("root"))?;
    let mut cells = Vec::new();
    for (index, element) in root.children().filter(Node::is_element).enumerate() {
        let (wrapper, cell) = match element.tag_name().name() {
            "mxCell" => (None, Some(element)),
            "UserObject" | "object" => (Some(element), element.children().find(|n| n.has_tag_name("mxCell"))),
            _ => continue,
        };
        cells.push(read_cell(index, wrapper, cell));
    }
    Some(cells)
}

fn read_cell(index: usize, wrapper: Option<Node<'_, '_>>, cell: Option<Node<'_, '_>>) -> Cell {
    let attribute =
        |name: &str| wrapper.and_then(|w| w.attribute(name)).or_else(|| cell.and_then(|c| c.attribute(name)));
    let cell_attribute = |name: &str| cell.and_then(|c| c.attribute(name));
    let style = Style::parse(cell_attribute("style").unwrap_or(""));
    // A cell with no id can be neither a parent nor an end: give it one no other cell names.
    let id = attribute("id").map_or_else(|| format!("\u{0}{index}"), str::to_owned);
    let raw_label = match wrapper {
        Some(w) => {
            let label = w.attribute("label").unwrap_or("");
            if w.attribute("placeholders") == Some("1") {
                fill_placeholders(label, w)
            } else {
                label.to_owned()
            }
        }
        None => cell_attribute("value").unwrap_or("").to_owned(),
    };
    let kind = if cell_attribute("vertex") == Some("1") {
        Kind::Vertex
    } else if cell_attribute("edge") == Some("1") {
        Kind::Edge
    } else {
        Kind::Other
    };
    let properties = wrapper
        .map(|w| {
            w.attributes()
                .filter(|a| a.name().starts_with(PROPERTY_PREFIX))
                .map(|a| (a.name().to_owned(), label::shorten(a.value(), MAX_RAW_LABEL)))
                .collect()
        })
        .unwrap_or_default();
    Cell {
        id,
        parent: cell_attribute("parent").map(str::to_owned),
        text: label::plain(&raw_label, style.is_html()),
        raw_label: label::shorten(&raw_label, MAX_RAW_LABEL),
        kind,
        source: cell_attribute("source").map(str::to_owned),
        target: cell_attribute("target").map(str::to_owned),
        geometry: cell.map(read_geometry).unwrap_or_default(),
        properties,
        visible: cell_attribute("visible") != Some("0"),
        style,
    }
}

/// `%name%` in a wrapper's label replaced by the wrapper's `name` attribute, once (a value is
/// never expanded again). `%%` is a `%`.
fn fill_placeholders(label: &str, wrapper: Node<'_, '_>) -> String {
    let mut out = String::with_capacity(label.len());
    let mut rest = label;
    while let Some(start) = rest.find('%') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('%') {
            Some(end) => {
                let name = &after[..end];
                if name.is_empty() {
                    out.push('%');
                } else if let Some(value) = wrapper.attribute(name) {
                    out.push_str(value);
                } else {
                    out.push('%');
                    out.push_str(name);
                    out.push('%');
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push('%');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn read_geometry(cell: Node<'_, '_>) -> Geometry {
    let Some(node) = cell
        .children()
        .filter(|n| n.has_tag_name("mxGeometry"))
        .find(|n| n.attribute("as").is_none_or(|a| a == "geometry"))
    else {
        return Geometry::default();
    };
    let number = |n: Node<'_, '_>, name: &str| number(n.attribute(name));
    let point = |role: &str| {
        node.children()
            .find(|n| n.has_tag_name("mxPoint") && n.attribute("as") == Some(role))
            .map(|p| (number(p, "x"), number(p, "y")))
    };
    Geometry {
        x: number(node, "x"),
        y: number(node, "y"),
        width: number(node, "width").max(0.0),
        height: number(node, "height").max(0.0),
        relative: node.attribute("relative") == Some("1"),
        source_point: point("sourcePoint"),
        target_point: point("targetPoint"),
    }
}

/// A coordinate: absent or unreadable is 0, as in draw.io; clamped to a sane range.
fn number(text: Option<&str>) -> f64 {
    text.and_then(|t| t.trim().parse::<f64>().ok())
        .filter(|v| v.is_finite())
        .map_or(0.0, |v| v.clamp(-MAX_COORDINATE, MAX_COORDINATE))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(xml: &str) -> Vec<Cell> {
        let document = roxmltree::Document::parse(xml).unwrap();
        read(document.root_element()).unwrap()
    }

    #[test]
    fn wrappers_hold_ids_labels_and_properties() {
        let got = cells(
            r#"<mxGraphModel><root>
                <mxCell id="0"/><mxCell id="1" parent="0"/>
                <UserObject id="u1" label="%name% &amp; co" name="Orders" placeholders="1" whoowns_service="s3" other="x">
                  <mxCell style="html=1;shape=mxgraph.aws4.bucket" vertex="1" parent="1">
                    <mxGeometry x="10.5" y="-20" width="78" height="NaN" as="geometry"/>
                  </mxCell>
                </UserObject>
                <mxCell id="e1" edge="1" parent="1" source="u1"><mxGeometry relative="1" as="geometry">
                  <mxPoint x="300" y="40" as="targetPoint"/></mxGeometry></mxCell>
                <foreign/>
            </root></mxGraphModel>"#,
        );
        assert_eq!(got.len(), 4);
        let bucket = &got[2];
        assert_eq!(
            (bucket.id.as_str(), bucket.text.as_str(), bucket.kind),
            ("u1", "Orders & co", Kind::Vertex)
        );
        assert_eq!(bucket.property("service"), Some("s3"));
        assert!(bucket.property("other").is_none());
        assert_eq!((bucket.geometry.x, bucket.geometry.y, bucket.geometry.height), (10.5, -20.0, 0.0));
        let edge = &got[3];
        assert_eq!(
            (edge.kind, edge.source.as_deref(), edge.target.as_deref()),
            (Kind::Edge, Some("u1"), None)
        );
        assert_eq!(edge.geometry.target_point, Some((300.0, 40.0)));
    }

    #[test]
    fn placeholders_expand_once() {
        let got = cells(
            r#"<mxGraphModel><root><object id="a" label="%a% %b% 100%% %none%" a="%b%" b="B" placeholders="1"><mxCell vertex="1"/></object></root></mxGraphModel>"#,
        );
        assert_eq!(got[0].text, "%b% B 100% %none%");
    }
}
