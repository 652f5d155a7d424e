//! The diagram as SVG: boundaries, flows and nodes with their glyph, label, 16-layer owner
//! stripe and remaining-task badge, as on the canvas. Deterministic: the same project gives the
//! same bytes (numbers are written with one decimal, elements in id order). Every string the
//! user typed is escaped.

use std::fmt::Write as _;

use super::Checklist;
use super::escape::xml as escape;
use crate::layout::{BOUNDARY_LABEL_HEIGHT, NODE_SIZE, lay_out};
use crate::model::geometry::{Bounds, node_rect};
use crate::model::{BoundaryKind, Project, Rect};
use crate::palette::{self, Rgb};
use crate::protocol::is_plaintext;
use crate::responsibility::Owner;

/// Margin around the drawing.
const MARGIN: f32 = 40.0;

/// Shortens `text` to about `max` characters, with an ellipsis.
fn fit(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut short: String = text.chars().take(max.saturating_sub(1)).collect();
        short.push('…');
        short
    }
}

/// A coordinate with one decimal; a value that is not finite (never one loaded from a file:
/// coordinates are bounded on load) as 0, so the SVG stays valid.
fn n(value: f32) -> String {
    if value.is_finite() { format!("{value:.1}") } else { "0.0".to_owned() }
}

/// The colour and dash of a boundary kind, as on the canvas (light theme).
fn boundary_style(kind: BoundaryKind) -> (Rgb, String) {
    let (colour, dash) = palette::boundary_style(kind, false);
    (colour, dash.map_or_else(String::new, |(on, off)| format!(" stroke-dasharray=\"{on} {off}\"")))
}

/// A copy of the project where everything has a place, and the box around it all.
pub(super) fn placed(project: &Project) -> (Project, (f32, f32, f32, f32)) {
    let mut project = project.clone();
    lay_out(&mut project);
    let mut bounds = Bounds::default();
    for position in project.nodes.iter().filter_map(|n| n.position) {
        bounds.add(node_rect(position));
    }
    for rect in project.boundaries.iter().filter_map(|b| b.rect) {
        bounds.add(rect);
    }
    let r = bounds.rect().unwrap_or(Rect { x: 0.0, y: 0.0, w: 400.0, h: 200.0 });
    (project, (r.x, r.y, r.x + r.w, r.y + r.h))
}

/// The diagram as an SVG document.
pub(super) fn render(checklist: &Checklist<'_>) -> String {
    let (project, (x0, y0, x1, y1)) = placed(checklist.project);
    let catalog = checklist.catalog;
    let (width, height) = (x1 - x0 + 2.0 * MARGIN, y1 - y0 + 2.0 * MARGIN);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"{} {} {} {}\" \
         font-family=\"DejaVu Sans, Verdana, sans-serif\">",
        n(width),
        n(height),
        n(x0 - MARGIN),
        n(y0 - MARGIN),
        n(width),
        n(height)
    );
    let _ = writeln!(out, "<title>{}</title>", escape(checklist.title()));
    let _ = write!(
        out,
        "<defs>\n\
         <marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555555\"/></marker>\n\
         <marker id=\"arrow-red\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"{red}\"/></marker>\n\
         <pattern id=\"hatch\" width=\"4\" height=\"4\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"1.5\" height=\"4\" fill=\"#ffffff\" fill-opacity=\"0.55\"/></pattern>\n\
         </defs>\n",
        red = palette::UNENCRYPTED.hex()
    );
    let _ = writeln!(
        out,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#f7f8fa\"/>",
        n(x0 - MARGIN),
        n(y0 - MARGIN),
        n(width),
        n(height)
    );

    // Boundaries, outermost first (the laid-out copy has the same boundaries in the same order).
    for boundary in checklist.view.boundaries_outermost_first().map(|b| &project.boundaries[b]) {
        let Some(r) = boundary.rect else { continue };
        let (colour, dash) = boundary_style(boundary.kind);
        let _ = writeln!(
            out,
            "<g class=\"boundary\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"8\" fill=\"{}\" fill-opacity=\"0.05\" stroke=\"{}\" stroke-width=\"1.5\"{dash}/>\
             <text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"{}\">{}</text></g>",
            n(r.x),
            n(r.y),
            n(r.w),
            n(r.h),
            colour.hex(),
            colour.hex(),
            n(r.x + 8.0),
            n(r.y + BOUNDARY_LABEL_HEIGHT - 7.0),
            colour.hex(),
            escape(&fit(
                &format!("{}  {}", boundary.kind.name().to_uppercase(), boundary.display_name()),
                (r.w / 7.5) as usize
            ))
        );
    }

    // Flows.
    let positions: std::collections::HashMap<&str, (f32, f32)> =
        project.nodes.iter().filter_map(|n| Some((n.id.as_str(), (n.position?.x, n.position?.y)))).collect();
    for flow in &project.flows {
        let (Some(&from), Some(&to)) = (positions.get(flow.from.as_str()), positions.get(flow.to.as_str()))
        else {
            continue;
        };
        let centre = |(x, y): (f32, f32)| (x + NODE_SIZE.0 / 2.0, y + NODE_SIZE.1 / 2.0);
        let (a, b) = (border(from, centre(to)), border(to, centre(from)));
        let plaintext = is_plaintext(flow);
        let red = palette::UNENCRYPTED.hex();
        let (colour, marker, dash) = if !plaintext {
            ("#555555", "arrow", "")
        } else {
            (red.as_str(), "arrow-red", " stroke-dasharray=\"8 5\"")
        };
        let _ = write!(
            out,
            "<g class=\"flow\"><line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{colour}\" stroke-width=\"1.6\"{dash} marker-end=\"url(#{marker})\"/>",
            n(a.0),
            n(a.1),
            n(b.0),
            n(b.1)
        );
        let text = if flow.label.is_empty() { flow.protocol.clone() } else { flow.label.clone() };
        let text = if !plaintext {
            text
        } else if text.is_empty() {
            "unencrypted".into()
        } else {
            format!("{text} · unencrypted")
        };
        // Only where the arrow is long enough to carry its label (about 6.5 units a character).
        let length = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
        if !text.is_empty() && text.chars().count() as f32 * 6.5 + 16.0 < length {
            let _ = write!(
                out,
                "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" fill=\"{colour}\" stroke=\"#f7f8fa\" stroke-width=\"3\" paint-order=\"stroke\">{}</text>",
                n((a.0 + b.0) / 2.0),
                n((a.1 + b.1) / 2.0 - 3.0),
                escape(&fit(&text, 40))
            );
        }
        out.push_str("</g>\n");
    }

    // Nodes.
    let derivation = checklist.derivation;
    for (index, node) in project.nodes.iter().enumerate() {
        let Some(p) = node.position else { continue };
        let service = catalog.service(&node.service);
        let colour = service
            .and_then(|s| catalog.category(s.category))
            .and_then(|c| Rgb::parse(&c.colour))
            .unwrap_or(Rgb::grey(0x80));
        let _ = write!(
            out,
            "<g class=\"node\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\" fill=\"#ffffff\" stroke=\"#a8a8a8\"/>\
             <rect x=\"{}\" y=\"{}\" width=\"40\" height=\"40\" rx=\"7\" fill=\"{}\"/>\
             <text x=\"{}\" y=\"{}\" font-size=\"12\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"{}\">{}</text>\
             <text x=\"{}\" y=\"{}\" font-size=\"14\" fill=\"#1a1a1a\">{}</text>\
             <text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"#5a5a5a\">{}</text>",
            n(p.x),
            n(p.y),
            n(NODE_SIZE.0),
            n(NODE_SIZE.1),
            n(p.x + 8.0),
            n(p.y + 8.0),
            colour.hex(),
            n(p.x + 28.0),
            n(p.y + 32.0),
            crate::palette::ink_on(colour).hex(),
            escape(service.map_or("?", |s| s.short.as_str())),
            n(p.x + 56.0),
            n(p.y + 24.0),
            escape(&fit(node.display_name(), 12)),
            n(p.x + 56.0),
            n(p.y + 42.0),
            escape(&fit(service.map_or(&node.service, |s| s.name.as_str()), 17))
        );
        // The 16 layers, physical on the left.
        if let Some(owners) = derivation.owners.get(index).copied().flatten() {
            let segment = (NODE_SIZE.0 - 16.0) / 16.0;
            for (i, (_, owner)) in owners.iter().enumerate() {
                let x = p.x + 8.0 + i as f32 * segment;
                let _ = write!(
                    out,
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"6\" fill=\"{}\"/>",
                    n(x),
                    n(p.y + NODE_SIZE.1 - 11.0),
                    n(segment - 0.5),
                    palette::owner_fill(owner, false).hex()
                );
                if owner == Owner::Shared {
                    let _ = write!(
                        out,
                        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"6\" fill=\"url(#hatch)\"/>",
                        n(x),
                        n(p.y + NODE_SIZE.1 - 11.0),
                        n(segment - 0.5)
                    );
                }
            }
        }
        if let Some(badge) = derivation.badge(index) {
            let (count, fill) = (badge.remaining, palette::badge(badge.worst, false).hex());
            let _ = write!(
                out,
                "<circle cx=\"{}\" cy=\"{}\" r=\"10\" fill=\"{fill}\"/><text x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#ffffff\">{count}</text>",
                n(p.x + NODE_SIZE.0 - 12.0),
                n(p.y + 12.0),
                n(p.x + NODE_SIZE.0 - 12.0),
                n(p.y + 15.5)
            );
        }
        out.push_str("</g>\n");
    }
    out.push_str("</svg>\n");
    out
}

/// Where the line from a node's centre towards `towards` leaves the node.
fn border((x, y): (f32, f32), towards: (f32, f32)) -> (f32, f32) {
    let centre = (x + NODE_SIZE.0 / 2.0, y + NODE_SIZE.1 / 2.0);
    let (dx, dy) = (towards.0 - centre.0, towards.1 - centre.1);
    if dx.abs() < f32::EPSILON && dy.abs() < f32::EPSILON {
        return centre;
    }
    let sx = if dx.abs() > f32::EPSILON { NODE_SIZE.0 / 2.0 / dx.abs() } else { f32::INFINITY };
    let sy = if dy.abs() > f32::EPSILON { NODE_SIZE.1 / 2.0 / dy.abs() } else { f32::INFINITY };
    let s = sx.min(sy).min(1.0);
    (centre.0 + dx * s, centre.1 + dy * s)
}
