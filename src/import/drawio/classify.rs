//! What each cell is, from its style and the shape mapping: a node of a service, a boundary
//! frame, a part of the drawing, text, an image, another shape, a connector... Decisions that
//! need geometry (a corner icon marking a rectangle, a labelled rectangle that holds something)
//! are left as candidates for `assemble`.

use super::cells::{Cell, Kind};
use super::shapes::{self, DrawioShapes, Meaning};
use crate::model::BoundaryKind;

/// The style key whoowns marks its own drawing with (`whoowns=decoration` on strips, badges and
/// the legend), so that an import of an export leaves them out.
pub(crate) const MARK: &str = "whoowns";

/// What a cell is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Role {
    /// The root or a layer.
    Layer,
    /// A node of a catalog service or actor.
    Node(NodeRole),
    /// A boundary frame.
    Frame(FrameRole),
    /// A plain rectangle whose label names a boundary kind: a boundary if something is inside.
    LabelledFrame(BoundaryKind),
    /// A plain rectangle: a frame if a corner icon marks it, else a note when labelled.
    Rectangle { aws: bool },
    /// An AWS icon that marks the rectangle under its top-left corner as a boundary; read as
    /// `alone` when it marks none.
    CornerIcon { kind: BoundaryKind, name: String, alone: Box<Role> },
    /// An AWS shape that is part of the drawing only, and why.
    Drawing(String),
    /// A text cell.
    Text,
    /// A picture.
    Image,
    /// A non-AWS shape with no meaning to whoowns (its stencil or base style).
    OtherShape(String),
    /// An invisible wrapper made by draw.io's Group (Ctrl+G): its children count, it does not.
    Wrapper,
    /// A connector.
    Edge,
    /// A label on a connector (a child of the edge).
    EdgeLabel,
    /// Part of what whoowns draws in an export (owner strip, task badge, legend).
    Decoration,
    /// An AWS icon on the corner of a rectangle it made a boundary.
    Marker,
    /// Text that became the label of the node at this cell index.
    Caption(usize),
    /// Hidden, or on a hidden layer.
    Hidden,
}

/// A node: its service, variant, and the AWS shape it was drawn with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct NodeRole {
    pub service: String,
    pub variant: Option<String>,
    /// The AWS shape name, when the cell is an AWS stencil.
    pub aws: Option<String>,
    /// The AWS shape is not in the mapping: the node is an `other_aws` placeholder.
    pub unknown: bool,
}

/// A frame: its kind, whether it is a public (`Some(true)`) or private subnet, and whether it
/// is an AWS stencil.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct FrameRole {
    pub kind: BoundaryKind,
    pub public: Option<bool>,
    pub aws: bool,
}

/// The service for AWS shapes the mapping does not know.
pub(super) const UNKNOWN_SERVICE: &str = "other_aws";

/// The role of every cell. `hidden[i]` says whether cell `i` is on a hidden layer or hidden
/// itself; `edges[i]` whether its parent is an edge.
pub(super) fn roles(
    cells: &[Cell],
    parent_is_edge: &[bool],
    hidden: &[bool],
    shapes: &DrawioShapes,
) -> Vec<Role> {
    cells
        .iter()
        .enumerate()
        .map(|(i, cell)| {
            if hidden[i] {
                return Role::Hidden;
            }
            match cell.kind {
                Kind::Other => Role::Layer,
                Kind::Edge => {
                    if cell.style.get(MARK).is_some() {
                        Role::Decoration
                    } else {
                        Role::Edge
                    }
                }
                Kind::Vertex => vertex_role(cell, parent_is_edge[i], shapes),
            }
        })
        .collect()
}

fn vertex_role(cell: &Cell, on_edge: bool, shapes: &DrawioShapes) -> Role {
    let style = &cell.style;
    if let Some(service) = cell.property("service") {
        return Role::Node(NodeRole {
            service: service.to_owned(),
            variant: cell.property("variant").map(str::to_owned),
            aws: None,
            unknown: false,
        });
    }
    if let Some(kind) = cell.property("boundary") {
        let kind = crate::model::BoundaryKind::ALL.into_iter().find(|k| k.id() == kind).unwrap_or_default();
        return Role::Frame(FrameRole { kind, public: None, aws: false });
    }
    if style.get(MARK).is_some() {
        return Role::Decoration;
    }
    if on_edge {
        return Role::EdgeLabel;
    }
    if let Some(name) = shapes::aws_name(style) {
        return aws_role(name, style, shapes);
    }
    let shape = style.shape().unwrap_or("");
    if let Some(service) = shapes.other_shape(shape) {
        return Role::Node(NodeRole {
            service: service.to_owned(),
            variant: None,
            aws: None,
            unknown: false,
        });
    }
    if style.has_flag("text") || style.has_flag("edgeLabel") || is_bare_text(cell) {
        return Role::Text;
    }
    if style.has_flag("group") {
        return Role::Wrapper;
    }
    if shape == "image" || style.has_flag("image") || style.get("image").is_some() {
        return Role::Image;
    }
    if is_rectangle(style) {
        if let Some(kind) = shapes.plain_frame(style) {
            return Role::Frame(FrameRole { kind, public: None, aws: false });
        }
        return Role::Rectangle { aws: false };
    }
    Role::OtherShape(if shape.is_empty() { "shape".to_owned() } else { shape.to_owned() })
}

fn aws_role(name: String, style: &super::style::Style, shapes: &DrawioShapes) -> Role {
    let meaning = shapes.meaning(&name);
    let role = match meaning {
        Some(Meaning::Service { service, variant }) => {
            Role::Node(NodeRole { service, variant, aws: Some(name.clone()), unknown: false })
        }
        Some(Meaning::Boundary(kind)) => Role::Frame(FrameRole { kind, public: None, aws: true }),
        Some(Meaning::ColourFrame(index)) => {
            let (kind, public) = shapes.colour_frame(index, style);
            Role::Frame(FrameRole { kind, public, aws: true })
        }
        Some(Meaning::Rectangle) => Role::Rectangle { aws: true },
        Some(Meaning::Drawing(why)) => Role::Drawing(why),
        None => Role::Node(NodeRole {
            service: UNKNOWN_SERVICE.to_owned(),
            variant: None,
            aws: Some(name.clone()),
            unknown: true,
        }),
    };
    match shapes.corner_icon(&name) {
        Some(kind) => Role::CornerIcon { kind, name, alone: Box::new(role) },
        None => role,
    }
}

/// A cell with no shape, no fill and no outline: draw.io's way of writing text.
fn is_bare_text(cell: &Cell) -> bool {
    let style = &cell.style;
    style.shape().is_none_or(|s| s == "text")
        && style.colour("fillColor").is_none_or(|c| c == "none")
        && style.colour("strokeColor").as_deref() == Some("none")
}

/// A rectangle: draw.io's default vertex (no shape), `rounded` or `rect`, or a swimlane.
fn is_rectangle(style: &super::style::Style) -> bool {
    match style.shape() {
        None => true,
        Some(shape) => {
            matches!(shape, "rect" | "rectangle" | "rounded" | "swimlane" | "label")
                || shape.contains('=')
                || (style.get("shape").is_none() && !is_named_shape(shape))
        }
    }
}

/// Bare words draw.io treats as shapes rather than rectangles.
fn is_named_shape(word: &str) -> bool {
    matches!(
        word,
        "ellipse"
            | "triangle"
            | "rhombus"
            | "cloud"
            | "cylinder"
            | "hexagon"
            | "line"
            | "arrow"
            | "image"
            | "shape"
            | "doubleEllipse"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::import::drawio::style::Style;

    fn role(style: &str, label: &str) -> Role {
        let cell = Cell {
            id: "c".into(),
            parent: Some("1".into()),
            text: label.into(),
            raw_label: label.into(),
            style: Style::parse(style),
            kind: Kind::Vertex,
            source: None,
            target: None,
            geometry: Default::default(),
            properties: Default::default(),
            visible: true,
        };
        vertex_role(&cell, false, DrawioShapes::builtin(Catalog::builtin()).unwrap())
    }

    #[test]
    fn styles_say_what_a_cell_is() {
        let node = |service: &str, aws: &str| {
            Role::Node(NodeRole {
                service: service.into(),
                variant: None,
                aws: Some(aws.into()),
                unknown: false,
            })
        };
        assert_eq!(
            role("shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.lambda", ""),
            node("lambda", "aws4.lambda")
        );
        assert_eq!(role("shape=mxgraph.aws3.instances_2", ""), node("ec2", "aws3.instances_2"));
        assert!(matches!(
            role("shape=mxgraph.aws4.iot_core_new", ""),
            Role::Node(NodeRole { unknown: true, .. })
        ));
        assert_eq!(
            role("shape=mxgraph.aws4.group;grIcon=mxgraph.aws4.group_security_group;strokeColor=#00A4A6", ""),
            Role::Frame(FrameRole { kind: BoundaryKind::Subnet, public: Some(false), aws: true })
        );
        assert_eq!(
            role("fillColor=none;strokeColor=#147EBA;dashed=1", "AZ"),
            Role::Frame(FrameRole { kind: BoundaryKind::AvailabilityZone, public: None, aws: false })
        );
        assert_eq!(role("text;html=1", "Hello"), Role::Text);
        assert_eq!(role("html=1;strokeColor=none;fillColor=none", "Hello"), Role::Text);
        assert_eq!(role("group", ""), Role::Wrapper);
        assert_eq!(role("shape=image;image=data:image/png,AAA", ""), Role::Image);
        assert_eq!(role("rounded=1;whiteSpace=wrap", "Box"), Role::Rectangle { aws: false });
        assert_eq!(role("ellipse;whiteSpace=wrap", "Oval"), Role::OtherShape("ellipse".into()));
        assert!(matches!(
            role("shape=mxgraph.aws3.cloud", ""),
            Role::CornerIcon { kind: BoundaryKind::Account, .. }
        ));
        assert!(matches!(role("shape=mxgraph.aws3d.arrowSE", ""), Role::Drawing(_)));
        assert!(matches!(role("umlActor;shape=umlActor", "Admin"), Role::Node(NodeRole { aws: None, .. })));
        assert_eq!(role("rounded=0;whoowns=decoration", ""), Role::Decoration);
    }
}
