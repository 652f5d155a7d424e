//! Drawing the diagram: nodes with their glyph, layer stripe and task badge; flows; boundary
//! frames; the grid. Positions here are in scene units (the Scene's layer transform zooms them).

use egui::epaint::{CornerRadius, PathShape, PathStroke};
use egui::text::{LayoutJob, TextFormat, TextWrapping};
use egui::{Color32, FontId, Painter, Pos2, Rect, Shape, Stroke, StrokeKind, Vec2, pos2, vec2};

use super::super::theme::{CanvasColours, hatch, hex_colour, ink_on, owner_colour, severity_colour};
use crate::catalog::{Catalog, Service, Severity};
use crate::model::geometry::{BOUNDARY_LABEL_HEIGHT, BOUNDARY_PADDING, NODE_SIZE};
use crate::model::{Boundary, BoundaryKind, Flow};
use crate::responsibility::{LayerOwners, Owner};

/// How much of a node is drawn: text never shrinks below a readable size on screen, so less
/// is drawn as the view zooms out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Detail {
    /// A block in the category colour, with a dot when tasks remain.
    Block,
    /// The label in a font that stays readable, a category bar, the layer stripe and badge.
    Outline,
    /// Everything: glyph, label, service name, layer stripe, badge, flow labels.
    Full,
}

impl Detail {
    /// The detail for `zoom` (points per scene unit).
    pub fn at(zoom: f32) -> Self {
        if zoom >= 0.7 {
            Self::Full
        } else if zoom >= 0.3 {
            Self::Outline
        } else {
            Self::Block
        }
    }
}

/// A font size in scene units that shows at least `min_on_screen` points at `zoom`.
pub fn readable(size: f32, min_on_screen: f32, zoom: f32) -> f32 {
    size.max(min_on_screen / zoom.max(0.01))
}

/// The size of a node on the canvas.
pub fn node_size() -> Vec2 {
    vec2(NODE_SIZE.0, NODE_SIZE.1)
}

/// How a node is drawn this frame.
pub struct NodeLook<'a> {
    /// Where, in scene units.
    pub rect: Rect,
    /// The label shown (the id when the label is empty).
    pub label: &'a str,
    /// The service, when the catalog knows it.
    pub service: Option<&'a Service>,
    /// The owners of its layers.
    pub owners: Option<LayerOwners>,
    /// Remaining tasks and the highest severity among them.
    pub remaining: Option<(usize, Severity)>,
    /// Whether loaded scan findings fail one of its tasks.
    pub failing: bool,
    /// Whether it is selected.
    pub selected: bool,
    /// Whether the pointer is over it.
    pub hovered: bool,
    /// Points per scene unit.
    pub zoom: f32,
}

/// The mark of a node whose tasks fail in the scans: a red square with a white cross, its
/// centre at `centre`, `size` points a side.
fn failing_mark(painter: &Painter, centre: Pos2, size: f32, dark: bool) {
    let rect = Rect::from_center_size(centre, vec2(size, size));
    painter.rect(
        rect,
        size * 0.2,
        rgb(crate::palette::verdict(crate::evidence::Verdict::Failing, dark)),
        Stroke::new(1.0, Color32::WHITE),
        StrokeKind::Outside,
    );
    let arm = size * 0.25;
    let ink = Stroke::new((size * 0.14).max(1.0), Color32::WHITE);
    painter.line_segment([centre + vec2(-arm, -arm), centre + vec2(arm, arm)], ink);
    painter.line_segment([centre + vec2(-arm, arm), centre + vec2(arm, -arm)], ink);
}

/// Paints a node at the given level of detail.
pub fn node(
    painter: &Painter,
    catalog: &Catalog,
    look: &NodeLook<'_>,
    colours: &CanvasColours,
    dark: bool,
    detail: Detail,
) {
    let rect = look.rect;
    let category_colour = look
        .service
        .and_then(|s| catalog.category(s.category))
        .map_or(Color32::GRAY, |c| hex_colour(&c.colour));
    let stroke = if look.selected {
        Stroke::new(2.5, colours.selection)
    } else if look.hovered {
        Stroke::new(1.5, colours.selection.gamma_multiply(0.7))
    } else {
        colours.node_stroke
    };
    if detail == Detail::Block {
        painter.rect(rect, 6.0, category_colour.gamma_multiply(0.85), stroke, StrokeKind::Outside);
        if let Some((_, severity)) = look.remaining.filter(|(n, _)| *n > 0) {
            let colour = if severity >= Severity::High {
                severity_colour(Severity::Critical, dark)
            } else {
                colours.weak_text
            };
            painter.circle_filled(rect.right_top() + vec2(-10.0, 10.0), 9.0, colour);
        }
        if look.failing {
            failing_mark(painter, rect.left_top(), 20.0, dark);
        }
        return;
    }
    painter.rect(rect, 6.0, colours.node_fill, stroke, StrokeKind::Outside);
    if detail == Detail::Outline {
        outline_node(painter, look, category_colour, colours, dark);
        return;
    }

    // Glyph: the service's short name on its category colour.
    let glyph = Rect::from_min_size(rect.min + vec2(8.0, 8.0), vec2(40.0, 40.0));
    glyph_shape(painter, glyph, look.service.map_or("?", |s| s.short.as_str()), category_colour);

    // The label on one line with the service name under it; a label too long for one line
    // wraps to two and takes the service name's place (the glyph and the tooltip still say
    // it), and only what does not fit in two lines is cut. A label that is the service name
    // is not said twice.
    let text_left = glyph.right() + 8.0;
    let text_width = rect.right() - text_left - 30.0;
    let service_name = look.service.map_or("unknown service", |s| s.name.as_str());
    let one_line =
        painter.layout_job(truncated(look.label, FontId::proportional(14.0), colours.text, text_width));
    if !one_line.elided {
        painter.galley(pos2(text_left, rect.top() + 9.0), one_line, colours.text);
        if service_name != look.label {
            let name =
                truncated(service_name, FontId::proportional(11.0), colours.weak_text, text_width + 24.0);
            painter.galley(pos2(text_left, rect.top() + 29.0), painter.layout_job(name), colours.weak_text);
        }
    } else {
        let mut job = truncated(look.label, FontId::proportional(13.0), colours.text, text_width);
        job.wrap.max_rows = 2;
        job.wrap.break_anywhere = false;
        painter.galley(pos2(text_left, rect.top() + 7.0), painter.layout_job(job), colours.text);
    }

    // The 16 layers, physical on the left, coloured by owner.
    if let Some(owners) = look.owners {
        let stripe = Rect::from_min_max(
            pos2(rect.left() + 8.0, rect.bottom() - 11.0),
            pos2(rect.right() - 8.0, rect.bottom() - 5.0),
        );
        layer_stripe(painter, stripe, &owners, dark);
    }

    if let Some((count, severity)) = look.remaining.filter(|(n, _)| *n > 0) {
        badge(painter, rect.right_top() + vec2(-4.0, 4.0), count, severity, dark);
    }
    if look.failing {
        failing_mark(painter, glyph.right_bottom() - vec2(2.0, 2.0), 16.0, dark);
    }
}

/// The middle level of detail: a category bar and the label, as large as it must be to read.
fn outline_node(
    painter: &Painter,
    look: &NodeLook<'_>,
    category_colour: Color32,
    colours: &CanvasColours,
    dark: bool,
) {
    let rect = look.rect;
    let bar = Rect::from_min_size(rect.min, vec2(8.0, rect.height()));
    painter.rect_filled(bar, CornerRadius { nw: 6, sw: 6, ne: 0, se: 0 }, category_colour);
    let size = readable(14.0, 10.0, look.zoom);
    let mut job = LayoutJob::single_section(
        look.label.to_owned(),
        TextFormat::simple(FontId::proportional(size), colours.text),
    );
    job.wrap = TextWrapping {
        max_width: rect.width() - 24.0,
        max_rows: if size * 2.2 < 48.0 { 2 } else { 1 },
        break_anywhere: false,
        overflow_character: Some('…'),
    };
    let galley = painter.layout_job(job);
    painter.galley(pos2(rect.left() + 14.0, rect.top() + 4.0), galley, colours.text);
    if let Some(owners) = look.owners {
        let stripe = Rect::from_min_max(
            pos2(rect.left() + 12.0, rect.bottom() - 9.0),
            pos2(rect.right() - 6.0, rect.bottom() - 3.0),
        );
        layer_stripe(painter, stripe, &owners, dark);
    }
    if let Some((_, severity)) = look.remaining.filter(|(n, _)| *n > 0) {
        let colour = if severity >= Severity::High {
            severity_colour(Severity::Critical, dark)
        } else {
            colours.weak_text
        };
        painter.circle_filled(rect.right_top() + vec2(-8.0, 8.0), readable(6.0, 4.0, look.zoom), colour);
    }
    if look.failing {
        // On the top-left corner, half outside: it never covers the label.
        failing_mark(painter, rect.left_top(), readable(16.0, 10.0, look.zoom), dark);
    }
}

/// A rounded square with the service's short name, for nodes and the palette. The name is in
/// whichever of near-black and white reads better on `colour`, and shrinks to fit the square.
pub fn glyph_shape(painter: &Painter, rect: Rect, short: &str, colour: Color32) {
    painter.rect_filled(rect, (rect.height() * 0.2).min(7.0), colour);
    let ink = ink_on(colour);
    let room = rect.width() - 4.0;
    let mut size = if short.chars().count() > 3 { 11.0 } else { 13.0 };
    let mut galley = painter.layout_no_wrap(short.to_owned(), FontId::monospace(size), ink);
    if galley.size().x > room {
        size = (size * room / galley.size().x).floor().max(6.0);
        galley = painter.layout_no_wrap(short.to_owned(), FontId::monospace(size), ink);
    }
    painter.galley(rect.center() - galley.size() / 2.0, galley, ink);
}

/// One segment per layer, each in its owner's colour; shared segments are hatched so they
/// differ from the others without colour.
pub fn layer_stripe(painter: &Painter, rect: Rect, owners: &LayerOwners, dark: bool) {
    let width = rect.width() / 16.0;
    for (i, (_, owner)) in owners.iter().enumerate() {
        let segment = Rect::from_min_size(
            pos2(rect.left() + i as f32 * width, rect.top()),
            vec2(width - 0.5, rect.height()),
        );
        painter.rect_filled(segment, 0.0, owner_colour(owner, dark));
        if owner == Owner::Shared {
            hatch(painter, segment);
        }
    }
}

/// The remaining-task badge: red for high or critical, amber for medium, grey for low.
fn badge(painter: &Painter, top_right: Pos2, count: usize, severity: Severity, dark: bool) {
    let text = if count > 99 { "99+".to_owned() } else { count.to_string() };
    let galley = painter.layout_no_wrap(text, FontId::proportional(11.0), Color32::WHITE);
    let size = vec2((galley.size().x + 10.0).max(20.0), 18.0);
    let rect = Rect::from_min_size(top_right - vec2(size.x, 0.0), size);
    let fill = rgb(crate::palette::badge(severity, dark));
    painter.rect_filled(rect, 9.0, fill);
    painter.galley(rect.center() - galley.size() / 2.0, galley, Color32::WHITE);
}

fn truncated(text: &str, font: FontId, colour: Color32, width: f32) -> LayoutJob {
    let mut job = LayoutJob::single_section(text.to_owned(), TextFormat::simple(font, colour));
    job.wrap = TextWrapping::truncate_at_width(width.max(10.0));
    job
}

/// Where the segment from `a`'s centre to `b`'s centre leaves `a`'s rectangle.
pub fn border_point(rect: Rect, towards: Pos2) -> Pos2 {
    let centre = rect.center();
    let d = towards - centre;
    if d.x.abs() < f32::EPSILON && d.y.abs() < f32::EPSILON {
        return centre;
    }
    let half = rect.size() / 2.0;
    let scale_x = if d.x.abs() > f32::EPSILON { half.x / d.x.abs() } else { f32::INFINITY };
    let scale_y = if d.y.abs() > f32::EPSILON { half.y / d.y.abs() } else { f32::INFINITY };
    centre + d * scale_x.min(scale_y).min(1.0)
}

/// How a flow is drawn this frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlowLook {
    /// Whether it is known to be encrypted in transit; plaintext flows are dashed and red.
    pub plaintext: bool,
    /// Whether it is selected.
    pub selected: bool,
    /// Whether it is drawn faint (not attached to the selection, when the view fades those).
    pub faded: bool,
}

/// How faint a faded flow is.
const FADED: f32 = 0.18;

/// Paints a flow from rectangle `from` to rectangle `to`: an arrow, dashed and red when not
/// encrypted in transit, with its label (or protocol) at the middle.
pub fn flow(
    painter: &Painter,
    flow: &Flow,
    (from, to): (Rect, Rect),
    look: FlowLook,
    colours: &CanvasColours,
    zoom: f32,
) -> (Pos2, Pos2) {
    let start = border_point(from, to.center());
    let end = border_point(to, from.center());
    // Only what is on screen (plus a margin for the arrow head and label) is drawn.
    let view = painter.clip_rect().expand(40.0 / zoom.max(0.01));
    let Some((visible_start, visible_end)) = clip_segment(start, end, view) else { return (start, end) };
    let encrypted = !look.plaintext;
    let mut colour = if look.selected {
        colours.selection
    } else if encrypted {
        colours.flow
    } else {
        colours.unencrypted
    };
    if look.faded {
        colour = colour.gamma_multiply(FADED);
    }
    let stroke = Stroke::new(if look.selected { 3.0 } else { 1.6 }, colour);
    if encrypted {
        painter.line_segment([visible_start, visible_end], stroke);
    } else {
        painter.extend(Shape::dashed_line(&[visible_start, visible_end], stroke, 8.0, 5.0));
    }
    if view.contains(end) {
        arrow_head(painter, start, end, stroke.color);
    }
    if zoom >= 0.5 && !look.faded {
        flow_label(painter, flow, (start, end), encrypted, colours, zoom);
    }
    (start, end)
}

/// A flow's label (or protocol) at its middle, where the arrow is long enough to carry it.
fn flow_label(
    painter: &Painter,
    flow: &Flow,
    (start, end): (Pos2, Pos2),
    encrypted: bool,
    colours: &CanvasColours,
    zoom: f32,
) {
    let text = if flow.label.is_empty() { flow.protocol.as_str() } else { flow.label.as_str() };
    let text = if encrypted {
        text.to_owned()
    } else if text.is_empty() {
        "unencrypted".to_owned()
    } else {
        format!("{text} · unencrypted")
    };
    let text_colour = if encrypted { colours.weak_text } else { colours.unencrypted };
    let galley = painter.layout_no_wrap(text, FontId::proportional(readable(11.0, 9.0, zoom)), text_colour);
    // Only where the arrow is long enough to carry its label without covering the nodes.
    if galley.size().x > 0.0 && galley.size().x + 16.0 < start.distance(end) {
        let middle = start + (end - start) / 2.0;
        let rect = Rect::from_center_size(middle, galley.size() + vec2(8.0, 4.0));
        painter.rect_filled(rect, 3.0, colours.background.gamma_multiply(0.9));
        painter.galley(rect.min + vec2(4.0, 2.0), galley, text_colour);
    }
}

fn arrow_head(painter: &Painter, start: Pos2, end: Pos2, colour: Color32) {
    let direction = (end - start).normalized();
    if !direction.is_finite() {
        return;
    }
    let normal = vec2(-direction.y, direction.x);
    let back = end - direction * 11.0;
    let points = vec![end, back + normal * 5.5, back - normal * 5.5];
    painter.add(PathShape::convex_polygon(points, colour, PathStroke::NONE));
}

/// Distance from `point` to the segment `a`–`b`.
pub fn distance_to_segment(point: Pos2, a: Pos2, b: Pos2) -> f32 {
    let ab = b - a;
    let length_sq = ab.length_sq();
    if length_sq <= f32::EPSILON {
        return point.distance(a);
    }
    let t = ((point - a).dot(ab) / length_sq).clamp(0.0, 1.0);
    point.distance(a + ab * t)
}

/// The dash pattern and tint of a boundary kind, so kinds differ without colour.
fn boundary_style(kind: BoundaryKind, dark: bool) -> (Color32, Option<(f32, f32)>) {
    let (colour, dash) = crate::palette::boundary_style(kind, dark);
    (rgb(colour), dash)
}

fn rgb(colour: crate::palette::Rgb) -> Color32 {
    Color32::from_rgb(colour.0, colour.1, colour.2)
}

/// Paints a boundary frame with its label strip.
pub fn boundary(
    painter: &Painter,
    boundary: &Boundary,
    rect: Rect,
    colours: &CanvasColours,
    dark: bool,
    selected: bool,
    zoom: f32,
) {
    let (tint, dash) = boundary_style(boundary.kind, dark);
    painter.rect_filled(rect, CornerRadius::same(8), tint.gamma_multiply(if dark { 0.06 } else { 0.05 }));
    let stroke =
        Stroke::new(if selected { 2.5 } else { 1.5 }, if selected { colours.selection } else { tint });
    frame_stroke(painter, rect, stroke, dash);
    // The label stays in the strip and the padding under it, above any inner frame's strip,
    // and is left out when that is too small to read.
    let size = readable(12.0, 10.0, zoom).min(BOUNDARY_LABEL_HEIGHT + BOUNDARY_PADDING - 8.0);
    if size * zoom >= 7.0 {
        let strip = label_strip(rect);
        let text = format!("{}  {}", boundary.kind.name().to_uppercase(), boundary.display_name());
        let room = strip.width() - 12.0 - toggle_rect(rect, zoom).width();
        let job = truncated(&text, FontId::proportional(size), tint, room);
        painter.galley(strip.min + vec2(8.0, 4.0), painter.layout_job(job), tint);
    }
}

/// The small button at the right end of a boundary's label strip that collapses it.
pub fn toggle_rect(frame: Rect, zoom: f32) -> Rect {
    let side = (16.0 / zoom.max(0.05)).min(BOUNDARY_LABEL_HEIGHT - 4.0).min(frame.width() / 4.0);
    Rect::from_min_size(pos2(frame.right() - side - 4.0, frame.top() + 2.0), vec2(side, side))
}

/// Paints the collapse (−) or expand (+) button.
pub fn toggle(painter: &Painter, rect: Rect, collapsed: bool, colour: Color32, hovered: bool) {
    if hovered {
        painter.rect_filled(rect, 3.0, colour.gamma_multiply(0.25));
    }
    let stroke = Stroke::new(rect.height() / 9.0, colour);
    let c = rect.center();
    let r = rect.width() * 0.3;
    painter.line_segment([c - vec2(r, 0.0), c + vec2(r, 0.0)], stroke);
    if collapsed {
        painter.line_segment([c - vec2(0.0, r), c + vec2(0.0, r)], stroke);
    }
}

/// The tint of a boundary kind's frame.
pub fn boundary_tint(kind: BoundaryKind, dark: bool) -> Color32 {
    boundary_style(kind, dark).0
}

/// The strip at the top of a boundary frame that holds its label and moves it when dragged.
pub fn label_strip(rect: Rect) -> Rect {
    Rect::from_min_size(rect.min, vec2(rect.width(), BOUNDARY_LABEL_HEIGHT.min(rect.height())))
}

/// Grid dots over `visible`, `step` scene units apart.
pub fn grid(painter: &Painter, visible: Rect, step: f32, colour: Color32, dot: f32) {
    let x0 = (visible.left() / step).floor() as i64;
    let x1 = (visible.right() / step).ceil() as i64;
    let y0 = (visible.top() / step).floor() as i64;
    let y1 = (visible.bottom() / step).ceil() as i64;
    if (x1 - x0) * (y1 - y0) > 40_000 {
        return;
    }
    // One mesh of small squares: thousands of circles would each be tessellated.
    let mut mesh = egui::Mesh::default();
    for x in x0..=x1 {
        for y in y0..=y1 {
            let centre = pos2(x as f32 * step, y as f32 * step);
            mesh.add_colored_rect(Rect::from_center_size(centre, vec2(dot * 1.6, dot * 1.6)), colour);
        }
    }
    painter.add(Shape::mesh(mesh));
}

/// The part of the segment `a`–`b` inside `rect` (Liang–Barsky), if any: long flows are drawn,
/// dashed and tessellated only where they can be seen.
pub fn clip_segment(a: Pos2, b: Pos2, rect: Rect) -> Option<(Pos2, Pos2)> {
    let d = b - a;
    let (mut t0, mut t1) = (0.0_f32, 1.0_f32);
    for (p, q) in [
        (-d.x, a.x - rect.left()),
        (d.x, rect.right() - a.x),
        (-d.y, a.y - rect.top()),
        (d.y, rect.bottom() - a.y),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
            if t0 > t1 {
                return None;
            }
        }
    }
    Some((a + d * t0, a + d * t1))
}

/// Adds a flow to `mesh` as a thin quad, without arrow head or dashes: how thousands of flows
/// are drawn at far zoom in one shape.
pub fn flow_into_mesh(mesh: &mut egui::Mesh, (from, to): (Rect, Rect), colour: Color32, zoom: f32) {
    let (a, b) = (from.center(), to.center());
    let direction = (b - a).normalized();
    if !direction.is_finite() {
        return;
    }
    // Half a point wide on screen.
    let normal = vec2(-direction.y, direction.x) * (0.5 / zoom.max(0.001));
    let base = mesh.vertices.len() as u32;
    for point in [a + normal, a - normal, b - normal, b + normal] {
        mesh.colored_vertex(point, colour);
    }
    mesh.add_triangle(base, base + 1, base + 2);
    mesh.add_triangle(base, base + 2, base + 3);
}

/// The colour of a flow drawn into the far-zoom mesh.
pub fn mesh_flow_colour(look: FlowLook, colours: &CanvasColours) -> Color32 {
    let colour = if look.plaintext { colours.unencrypted } else { colours.flow.gamma_multiply(0.6) };
    if look.faded { colour.gamma_multiply(FADED) } else { colour }
}

/// What a collapsed boundary shows: how many nodes it holds and what remains on them.
pub struct FoldedLook<'a> {
    /// The block, in scene units.
    pub rect: Rect,
    /// The boundary.
    pub boundary: &'a Boundary,
    /// Nodes inside it, at any depth.
    pub members: usize,
    /// Remaining tasks on those nodes and the worst severity among them.
    pub remaining: Option<(usize, Severity)>,
    /// Whether it is selected.
    pub selected: bool,
    /// Points per scene unit.
    pub zoom: f32,
}

/// Paints a collapsed boundary: one block in the boundary's style with its name, its member
/// count and the badge of its members' worst remaining task.
pub fn folded(painter: &Painter, look: &FoldedLook<'_>, colours: &CanvasColours, dark: bool) {
    let (tint, dash) = boundary_style(look.boundary.kind, dark);
    let rect = look.rect;
    painter.rect_filled(rect, CornerRadius::same(8), tint.gamma_multiply(if dark { 0.18 } else { 0.14 }));
    let stroke = Stroke::new(
        if look.selected { 2.5 } else { 1.5 },
        if look.selected { colours.selection } else { tint },
    );
    frame_stroke(painter, rect, stroke, dash);
    // Two lines: kind and name, then what it holds.
    let size = readable(13.0, 10.0, look.zoom);
    let title = format!("{}  {}", look.boundary.kind.name().to_uppercase(), look.boundary.display_name());
    let job = truncated(&title, FontId::proportional(size), tint, rect.width() - 40.0);
    painter.galley(rect.min + vec2(10.0, 8.0), painter.layout_job(job), tint);
    let what = format!("{} node{} · collapsed", look.members, if look.members == 1 { "" } else { "s" });
    let job = truncated(
        &what,
        FontId::proportional(readable(11.0, 9.0, look.zoom)),
        colours.weak_text,
        rect.width() - 20.0,
    );
    painter.galley(rect.min + vec2(10.0, 12.0 + size), painter.layout_job(job), colours.weak_text);
    if let Some((count, severity)) = look.remaining.filter(|(n, _)| *n > 0) {
        badge(painter, rect.right_top() + vec2(-4.0, 4.0), count, severity, dark);
    }
}

fn frame_stroke(painter: &Painter, rect: Rect, stroke: Stroke, dash: Option<(f32, f32)>) {
    match dash {
        None => {
            painter.rect_stroke(rect, 8.0, stroke, StrokeKind::Inside);
        }
        Some((dash_length, gap)) => {
            let points =
                [rect.left_top(), rect.right_top(), rect.right_bottom(), rect.left_bottom(), rect.left_top()];
            painter.extend(Shape::dashed_line(&points, stroke, dash_length, gap));
        }
    }
}

/// Marks the boundary a dragged item will land in: a thick outline in the selection colour
/// and, above the frame, what happens ("into Subnet A").
pub fn drop_target(painter: &Painter, rect: Rect, text: &str, colours: &CanvasColours, zoom: f32) {
    // Sizes that stay the same on screen whatever the zoom.
    let unit = 1.0 / zoom.max(0.05);
    painter.rect_stroke(rect, 8.0, Stroke::new(3.0 * unit, colours.selection), StrokeKind::Outside);
    let galley =
        painter.layout_no_wrap(text.to_owned(), FontId::proportional(12.0 * unit), colours.background);
    let pad = vec2(5.0, 2.0) * unit;
    let tag = Rect::from_min_size(
        rect.left_top() - vec2(0.0, galley.size().y + 2.0 * pad.y + 4.0 * unit),
        galley.size() + 2.0 * pad,
    );
    painter.rect_filled(tag, 3.0 * unit, colours.selection);
    painter.galley(tag.min + pad, galley, colours.background);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_clipped_to_the_view() {
        let view = Rect::from_min_max(pos2(0.0, 0.0), pos2(10.0, 10.0));
        assert_eq!(
            clip_segment(pos2(-5.0, 5.0), pos2(15.0, 5.0), view),
            Some((pos2(0.0, 5.0), pos2(10.0, 5.0)))
        );
        assert_eq!(
            clip_segment(pos2(2.0, 2.0), pos2(3.0, 3.0), view),
            Some((pos2(2.0, 2.0), pos2(3.0, 3.0)))
        );
        assert_eq!(clip_segment(pos2(-5.0, -5.0), pos2(-1.0, 20.0), view), None);
        assert_eq!(clip_segment(pos2(20.0, 0.0), pos2(30.0, 10.0), view), None);
    }
}
