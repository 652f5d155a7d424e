//! The draw.io shape mapping, as data: `assets/drawio-shapes.ron`. Which catalog service each
//! AWS shape stands for, which shapes are boundaries, which are only part of the drawing, and
//! how the export draws services and boundaries. (Protocols named in flow labels are read with
//! the program's one protocol table, [`crate::protocol`].) Checked against
//! the catalog when it is loaded ([`DrawioShapes::problems`]).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::OnceLock;

use serde::Deserialize;

use super::style::Style;
use crate::catalog::Catalog;
use crate::model::BoundaryKind;

/// The mapping shipped in the binary, as RON text.
pub const BUILTIN_DRAWIO_SHAPES: &str = include_str!("../../../assets/drawio-shapes.ron");

/// How the export draws a service: an AWS4 service tile (`resIcon`) or a plain AWS4 glyph.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub enum Icon {
    /// `shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.<name>`, filled with the service's
    /// category colour.
    Tile(String),
    /// `shape=mxgraph.aws4.<name>`, in dark grey.
    Glyph(String),
}

/// One service's shapes and export icon.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ServiceShapes {
    export: Icon,
    shapes: Vec<String>,
}

/// A shape that stands for a service in one variant.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VariantShape {
    shape: String,
    service: String,
    variant: String,
}

/// A frame stencil whose meaning is in its colour.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ColourFrame {
    shape: String,
    colours: Vec<FrameColour>,
    otherwise: BoundaryKind,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrameColour {
    stroke: String,
    kind: BoundaryKind,
    public: Option<bool>,
}

/// A plain rectangle in an AWS group colour.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlainFrame {
    stroke: String,
    dashed: Option<bool>,
    kind: BoundaryKind,
}

/// Words in a plain rectangle's label that make it a boundary.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LabelledFrame {
    words: String,
    kind: BoundaryKind,
}

/// How the export draws a boundary kind.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrameStyle {
    /// The AWS4 group icon (`grIcon`), or none for a plain rectangle.
    pub group: Option<String>,
    /// The outline colour, `#RRGGBB`.
    pub stroke: String,
    /// The fill colour, `#RRGGBB` or `none`.
    pub fill: String,
    /// Whether the outline is dashed.
    pub dashed: bool,
}

impl FrameStyle {
    fn is_valid(&self) -> bool {
        is_colour(&self.stroke) && (self.fill == "none" || is_colour(&self.fill))
    }
}

/// What whoowns knows about draw.io shapes. See `assets/drawio-shapes.ron` for the format.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrawioShapes {
    services: BTreeMap<String, ServiceShapes>,
    variants: Vec<VariantShape>,
    prefixes: BTreeMap<String, String>,
    boundaries: BTreeMap<BoundaryKind, Vec<String>>,
    colour_frames: Vec<ColourFrame>,
    plain_frames: Vec<PlainFrame>,
    corner_icons: BTreeMap<BoundaryKind, Vec<String>>,
    rectangles: Vec<String>,
    labelled_frames: Vec<LabelledFrame>,
    drawings: BTreeMap<String, Vec<String>>,
    other_shapes: BTreeMap<String, String>,
    frames: BTreeMap<BoundaryKind, FrameStyle>,
    public_subnet: FrameStyle,
    #[serde(skip)]
    index: HashMap<String, Meaning>,
}

/// What a shape name means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Meaning {
    /// A node of a service (an actor for the internet, users and on-premises).
    Service { service: String, variant: Option<String> },
    /// A boundary of this kind.
    Boundary(BoundaryKind),
    /// A frame stencil whose colour decides (index into `colour_frames`).
    ColourFrame(usize),
    /// A plain rectangle drawn with an AWS stencil.
    Rectangle,
    /// Part of the drawing only; the reason.
    Drawing(String),
}

impl DrawioShapes {
    /// Parses a mapping. It is not checked against a catalog: see [`Self::problems`].
    pub fn from_ron(text: &str) -> Result<Self, String> {
        let options = ron::Options::default().with_default_extension(
            ron::extensions::Extensions::IMPLICIT_SOME | ron::extensions::Extensions::UNWRAP_NEWTYPES,
        );
        let mut shapes: Self = options.from_str(text).map_err(|error| error.to_string())?;
        shapes.index = shapes.build_index();
        Ok(shapes)
    }

    /// The mapping shipped in the binary, checked against `catalog` the first time it is asked
    /// for; an error lists what does not fit (only possible with a catalog other than the
    /// built-in one, which the tests check).
    pub fn builtin(catalog: &Catalog) -> Result<&'static Self, String> {
        static SHAPES: OnceLock<Result<DrawioShapes, String>> = OnceLock::new();
        let shapes =
            SHAPES.get_or_init(|| Self::from_ron(BUILTIN_DRAWIO_SHAPES)).as_ref().map_err(Clone::clone)?;
        let problems = shapes.problems(catalog);
        if problems.is_empty() { Ok(shapes) } else { Err(problems.join("; ")) }
    }

    fn build_index(&self) -> HashMap<String, Meaning> {
        let mut index = HashMap::new();
        for (service, entry) in &self.services {
            for shape in &entry.shapes {
                index.insert(shape.clone(), Meaning::Service { service: service.clone(), variant: None });
            }
        }
        for entry in &self.variants {
            index.insert(
                entry.shape.clone(),
                Meaning::Service { service: entry.service.clone(), variant: Some(entry.variant.clone()) },
            );
        }
        for (kind, shapes) in &self.boundaries {
            for shape in shapes {
                index.insert(shape.clone(), Meaning::Boundary(*kind));
            }
        }
        for (i, frame) in self.colour_frames.iter().enumerate() {
            index.insert(frame.shape.clone(), Meaning::ColourFrame(i));
        }
        for shape in &self.rectangles {
            index.insert(shape.clone(), Meaning::Rectangle);
        }
        for (why, shapes) in &self.drawings {
            for shape in shapes {
                index.insert(shape.clone(), Meaning::Drawing(why.clone()));
            }
        }
        index
    }

    /// Everything in the mapping that does not fit `catalog` or itself: unknown services or
    /// variants, a shape listed twice, boundary kinds without an export frame. Empty for the
    /// built-in mapping and catalog (a test checks it).
    pub fn problems(&self, catalog: &Catalog) -> Vec<String> {
        let mut problems = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        let mut once = |shape: &str, problems: &mut Vec<String>| {
            if !seen.insert(shape.to_owned()) {
                problems.push(format!("shape {shape:?} is listed more than once"));
            }
            if !shape.starts_with("aws") || shape.contains(char::is_whitespace) {
                problems.push(format!(
                    "shape {shape:?} is not an AWS stencil name (aws4.x, aws3.x, aws.group.x...)"
                ));
            }
        };
        let service_exists = |service: &str, problems: &mut Vec<String>, at: &str| {
            if catalog.service(service).is_none() {
                problems.push(format!("{at}: service {service:?} is not in the catalog"));
            }
        };
        for (service, entry) in &self.services {
            service_exists(service, &mut problems, "services");
            for shape in &entry.shapes {
                once(shape, &mut problems);
            }
        }
        for entry in &self.variants {
            once(&entry.shape, &mut problems);
            match catalog.service(&entry.service) {
                None => problems.push(format!("variants: service {:?} is not in the catalog", entry.service)),
                Some(service) if service.variant(&entry.variant).is_none() => problems
                    .push(format!("variants: {:?} is not a variant of {:?}", entry.variant, entry.service)),
                Some(_) => {}
            }
        }
        for shapes in self.boundaries.values() {
            for shape in shapes {
                once(shape, &mut problems);
            }
        }
        for frame in &self.colour_frames {
            once(&frame.shape, &mut problems);
            for colour in &frame.colours {
                if !is_colour(&colour.stroke) {
                    problems.push(format!("colour_frames: {:?} is not #RRGGBB", colour.stroke));
                }
                if colour.public.is_some() && colour.kind != BoundaryKind::Subnet {
                    problems.push(format!(
                        "colour_frames: only subnets are public or private ({:?})",
                        colour.stroke
                    ));
                }
            }
        }
        for shape in &self.rectangles {
            once(shape, &mut problems);
        }
        for shapes in self.drawings.values() {
            for shape in shapes {
                once(shape, &mut problems);
            }
        }
        for (prefix, service) in &self.prefixes {
            service_exists(service, &mut problems, &format!("prefixes: {prefix:?}"));
        }
        for (shape, service) in &self.other_shapes {
            service_exists(service, &mut problems, &format!("other_shapes: {shape:?}"));
            if shape.starts_with("aws") {
                problems.push(format!("other_shapes: {shape:?} is an AWS shape; list it under services"));
            }
        }
        for frame in &self.plain_frames {
            if !is_colour(&frame.stroke) {
                problems.push(format!("plain_frames: {:?} is not #RRGGBB", frame.stroke));
            }
        }
        for kind in BoundaryKind::ALL {
            match self.frames.get(&kind) {
                None => problems.push(format!("frames: no export frame for {}", kind.id())),
                Some(style) if !style.is_valid() => problems
                    .push(format!("frames: {}: colours must be #RRGGBB (or none for the fill)", kind.id())),
                Some(_) => {}
            }
        }
        if !self.public_subnet.is_valid() {
            problems.push("public_subnet: colours must be #RRGGBB (or none for the fill)".to_owned());
        }
        for frame in &self.labelled_frames {
            if tokens(&frame.words).is_empty() {
                problems.push("labelled_frames: empty words".to_owned());
            }
        }
        problems
    }

    /// How many shape names the mapping lists (services, variants, boundaries, drawings).
    pub fn shape_count(&self) -> usize {
        self.index.len()
    }

    /// What an AWS shape name means: the name itself, then without a trailing number
    /// (`cloudwatch_2`, `auto_scaling2`), then the longest listed prefix. `None`: unknown.
    pub(super) fn meaning(&self, name: &str) -> Option<Meaning> {
        if let Some(meaning) = self.index.get(name) {
            return Some(meaning.clone());
        }
        let trimmed = name.trim_end_matches(|c: char| c.is_ascii_digit());
        let trimmed = trimmed.strip_suffix('_').unwrap_or(trimmed);
        if trimmed != name
            && let Some(meaning) = self.index.get(trimmed)
        {
            return Some(meaning.clone());
        }
        self.prefixes
            .iter()
            .filter(|(prefix, _)| name.starts_with(prefix.as_str()))
            .max_by_key(|(prefix, _)| prefix.len())
            .map(|(_, service)| Meaning::Service { service: service.clone(), variant: None })
    }

    /// The boundary a colour-decided frame is, and whether it is a public (`Some(true)`) or
    /// private subnet.
    pub(super) fn colour_frame(&self, index: usize, style: &Style) -> (BoundaryKind, Option<bool>) {
        let Some(frame) = self.colour_frames.get(index) else { return (BoundaryKind::Generic, None) };
        let stroke = style.colour("strokeColor");
        frame
            .colours
            .iter()
            .find(|colour| stroke.as_deref() == Some(colour.stroke.as_str()))
            .map_or((frame.otherwise, None), |colour| (colour.kind, colour.public))
    }

    /// The boundary a plain rectangle in an AWS group colour is.
    pub(super) fn plain_frame(&self, style: &Style) -> Option<BoundaryKind> {
        let stroke = style.colour("strokeColor")?;
        let dashed = style.is_on("dashed");
        self.plain_frames
            .iter()
            .find(|frame| frame.stroke == stroke && frame.dashed.is_none_or(|want| want == dashed))
            .map(|frame| frame.kind)
    }

    /// The boundary a corner icon marks, for an AWS shape name.
    pub(super) fn corner_icon(&self, name: &str) -> Option<BoundaryKind> {
        self.corner_icons.iter().find(|(_, shapes)| shapes.iter().any(|s| s == name)).map(|(kind, _)| *kind)
    }

    /// The boundary a plain rectangle's label names, if any.
    pub(super) fn labelled_frame(&self, label: &str) -> Option<BoundaryKind> {
        let words = tokens(label);
        self.labelled_frames
            .iter()
            .filter(|frame| contains_phrase(&words, &tokens(&frame.words)))
            .max_by_key(|frame| tokens(&frame.words).len())
            .map(|frame| frame.kind)
    }

    /// The actor or service a non-AWS shape stands for (`umlActor`...).
    pub(super) fn other_shape(&self, shape: &str) -> Option<&str> {
        self.other_shapes.get(shape).map(String::as_str)
    }

    /// How the export draws `service` (the catalog id); `None` for a service the mapping has no
    /// icon for.
    pub fn export_icon(&self, service: &str) -> Option<&Icon> {
        self.services.get(service).map(|entry| &entry.export)
    }

    /// How the export draws a boundary of `kind`; `public` for a subnet whose label says so.
    pub fn export_frame(&self, kind: BoundaryKind, public: bool) -> Option<&FrameStyle> {
        if public && kind == BoundaryKind::Subnet {
            Some(&self.public_subnet)
        } else {
            self.frames.get(&kind)
        }
    }
}

/// The AWS shape name a style draws, without `mxgraph.`: the service tile or group frame is
/// named by its second key. `None` for a style that is not an AWS stencil.
pub(super) fn aws_name(style: &Style) -> Option<String> {
    let shape = style.get("shape")?;
    let name = shape.strip_prefix("mxgraph.")?;
    if !name.starts_with("aws") {
        return None;
    }
    let inner = match name {
        "aws4.resourceIcon" => style.get("resIcon"),
        "aws4.productIcon" => style.get("prIcon"),
        "aws4.group" | "aws4.groupCenter" => style.get("grIcon"),
        _ => None,
    };
    Some(inner.map_or(name, |inner| inner.strip_prefix("mxgraph.").unwrap_or(inner)).to_owned())
}

/// Lower-case words: runs of letters and digits.
pub(super) fn tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

fn contains_phrase(words: &[String], phrase: &[String]) -> bool {
    !phrase.is_empty() && words.windows(phrase.len()).any(|window| window == phrase)
}

fn is_colour(text: &str) -> bool {
    text.len() == 7 && text.starts_with('#') && text[1..].chars().all(|c| c.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shapes() -> &'static DrawioShapes {
        DrawioShapes::builtin(Catalog::builtin()).unwrap()
    }

    #[test]
    fn the_builtin_mapping_parses_and_fits_the_catalog() {
        let shapes = DrawioShapes::from_ron(BUILTIN_DRAWIO_SHAPES).unwrap();
        let problems = shapes.problems(Catalog::builtin());
        assert!(problems.is_empty(), "{problems:#?}");
        assert!(shapes.shape_count() > 400, "{}", shapes.shape_count());
    }

    #[test]
    fn every_catalog_service_has_an_export_icon() {
        let shapes = shapes();
        let missing: Vec<&str> = Catalog::builtin()
            .services
            .iter()
            .map(|s| s.id.as_str())
            .filter(|id| shapes.export_icon(id).is_none())
            .collect();
        assert!(missing.is_empty(), "no export icon for {missing:?}");
    }

    #[test]
    fn names_fold_across_stencil_generations() {
        let shapes = shapes();
        let service = |name: &str| match shapes.meaning(name) {
            Some(Meaning::Service { service, .. }) => service,
            other => format!("{other:?}"),
        };
        for name in ["aws4.lambda", "aws4.lambda_function", "aws3.lambda_function"] {
            assert_eq!(service(name), "lambda", "{name}");
        }
        assert_eq!(service("aws4.cloudwatch_2"), "cloudwatch");
        assert_eq!(service("aws4.rds_mariadb_instance_alt"), "rds");
        assert_eq!(service("aws4.ec2_c7g_instance"), "ec2");
        assert_eq!(
            shapes.meaning("aws4.fargate"),
            Some(Meaning::Service { service: "ecs".into(), variant: Some("fargate".into()) })
        );
        assert_eq!(shapes.meaning("aws4.group_vpc2"), Some(Meaning::Boundary(BoundaryKind::Vpc)));
        assert_eq!(shapes.meaning("aws4.no_such_thing"), None);
    }

    #[test]
    fn styles_name_their_aws_shape() {
        let name = |style: &str| aws_name(&Style::parse(style));
        assert_eq!(
            name("shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.s3").as_deref(),
            Some("aws4.s3")
        );
        assert_eq!(
            name("grIcon=mxgraph.aws4.group_vpc;shape=mxgraph.aws4.group").as_deref(),
            Some("aws4.group_vpc")
        );
        assert_eq!(name("shape=mxgraph.aws3.ec2").as_deref(), Some("aws3.ec2"));
        assert_eq!(name("shape=mxgraph.cisco.router"), None);
        assert_eq!(name("rounded=1"), None);
    }

    #[test]
    fn subnets_by_colour_and_frames_by_label() {
        let shapes = shapes();
        let Some(Meaning::ColourFrame(i)) = shapes.meaning("aws4.group_security_group") else { panic!() };
        let public = Style::parse("strokeColor=#7aa116;fillColor=#F2F6E8");
        assert_eq!(shapes.colour_frame(i, &public), (BoundaryKind::Subnet, Some(true)));
        let red = Style::parse("strokeColor=#DD3522");
        assert_eq!(shapes.colour_frame(i, &red), (BoundaryKind::SecurityGroup, None));
        assert_eq!(
            shapes.plain_frame(&Style::parse("strokeColor=#147EBA;dashed=1")),
            Some(BoundaryKind::AvailabilityZone)
        );
        assert_eq!(shapes.plain_frame(&Style::parse("strokeColor=#147EBA")), None);
        assert_eq!(shapes.labelled_frame("Availability Zone 1"), Some(BoundaryKind::AvailabilityZone));
        assert_eq!(shapes.labelled_frame("Web subnet AZ-a"), Some(BoundaryKind::Subnet));
        assert_eq!(shapes.labelled_frame("Shared Services Account"), Some(BoundaryKind::Account));
        assert_eq!(shapes.labelled_frame("Databases"), None);
    }
}
