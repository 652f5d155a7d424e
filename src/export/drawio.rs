//! The design as a draw.io (diagrams.net) file that colleagues can keep editing in draw.io:
//! one page, plain (uncompressed) XML so it diffs well.
//!
//! - A node is a card (a white rounded rectangle, 176 × 64 as on the canvas) holding the service's
//!   current AWS4 icon, its name, its 16-layer owner strip and a badge with its remaining tasks.
//! - A boundary is an AWS4 group frame (AWS account, Region, VPC, subnet) or a plain rectangle
//!   in the sidebar's colours (Availability Zone, security group, generic group), with
//!   `container=1`, and holds its members and inner boundaries by parent link, so moving a frame
//!   in draw.io moves what is in it.
//! - A flow is a labelled connector; unencrypted flows are red and dashed.
//! - A legend explains the colours.
//!
//! Cards, frames and connectors carry `whoowns_*` properties (service, variant, id, protocol...,
//! draw.io's Edit Data), and what whoowns draws only for looks is marked `whoowns=...` in its
//! style, so importing the file gives back the same design. Deterministic: elements in id
//! order, numbers written the same way every time; every string the user typed is escaped.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::{Checklist, ExportError};
use crate::catalog::{Catalog, Severity};
use crate::import::drawio::{DrawioShapes, Icon, MARK, PROPERTY_PREFIX};
use crate::model::geometry::NODE_SIZE;
use crate::model::{Boundary, BoundaryKind, DataClass, Node, Project, Rect};
use crate::palette;
use crate::responsibility::Owner;

/// Space between the legend and the drawing.
const LEGEND_GAP: f32 = 40.0;
/// The legend's size.
const LEGEND_SIZE: (f32, f32) = (560.0, 124.0);

/// An attribute value: XML-escaped, line breaks and tabs as character references, other
/// control characters and noncharacters replaced.
fn attr(text: &str) -> String {
    super::escape::xml_attribute(text)
}

/// A number as draw.io writes them: no `.0` on whole numbers.
fn num(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 { format!("{}", value as i64) } else { format!("{value}") }
}

/// The draw.io cell id of a node, flow or boundary (whoowns ids never hold `"`; the prefix keeps
/// them clear of draw.io's own `0` and `1`).
fn cell_id(id: &str) -> String {
    format!("w-{id}")
}

/// The page being written.
struct Page {
    out: String,
}

impl Page {
    /// A cell with an `<object>` wrapper holding its label and properties.
    fn object(&mut self, id: &str, label: &str, properties: &[(&str, String)], cell: &str, geometry: &str) {
        let _ = write!(self.out, "        <object id=\"{}\" label=\"{}\"", attr(id), attr(label));
        for (name, value) in properties {
            let _ = write!(self.out, " {PROPERTY_PREFIX}{name}=\"{}\"", attr(value));
        }
        let _ = writeln!(
            self.out,
            ">\n          <mxCell {cell}>\n            {geometry}\n          </mxCell>\n        </object>"
        );
    }

    /// A plain cell.
    fn cell(&mut self, id: &str, value: &str, cell: &str, geometry: &str) {
        let _ = writeln!(
            self.out,
            "        <mxCell id=\"{}\" value=\"{}\" {cell}>\n          {geometry}\n        </mxCell>",
            attr(id),
            attr(value)
        );
    }
}

fn geometry(x: f64, y: f64, w: f64, h: f64) -> String {
    format!(
        "<mxGeometry x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" as=\"geometry\" />",
        num(x),
        num(y),
        num(w),
        num(h)
    )
}

/// The design as a draw.io file.
pub(super) fn render(checklist: &Checklist<'_>) -> Result<String, ExportError> {
    let catalog = checklist.catalog;
    let shapes =
        DrawioShapes::builtin(catalog).map_err(|e| ExportError(format!("the draw.io shape mapping: {e}")))?;
    let (project, (x0, y0, x1, y1)) = super::svg::placed(checklist.project);
    let mut page = Page { out: String::new() };
    let _ = writeln!(page.out, "<mxfile host=\"whoowns\">");
    let _ = writeln!(page.out, "  <diagram id=\"whoowns\" name=\"{}\">", attr(checklist.title()));
    let _ = writeln!(
        page.out,
        "    <mxGraphModel dx=\"{}\" dy=\"{}\" grid=\"1\" gridSize=\"10\" guides=\"1\" tooltips=\"1\" connect=\"1\" arrows=\"1\" \
         fold=\"1\" page=\"0\" pageScale=\"1\" pageWidth=\"{}\" pageHeight=\"{}\" math=\"0\" shadow=\"0\">",
        num(f64::from(x1 - x0)),
        num(f64::from(y1 - y0)),
        num(f64::from(x1 - x0)),
        num(f64::from(y1 - y0 + LEGEND_SIZE.1 + LEGEND_GAP))
    );
    page.out
        .push_str("      <root>\n        <mxCell id=\"0\" />\n        <mxCell id=\"1\" parent=\"0\" />\n");

    legend(&mut page, checklist, (x0, y0 - LEGEND_SIZE.1 - LEGEND_GAP));

    // Boundaries, parents first; each placed relative to the boundary it sits in.
    let rects: HashMap<&str, Rect> =
        project.boundaries.iter().filter_map(|b| Some((b.id.as_str(), b.rect?))).collect();
    let mut boundaries: Vec<&Boundary> = project.boundaries.iter().collect();
    boundaries.sort_by_key(|b| (project.boundary_depth(&b.id), b.id.clone()));
    for boundary in &boundaries {
        frame(&mut page, &project, boundary, &rects, shapes);
    }

    // Nodes, in the innermost boundary that lists them.
    let mut home: HashMap<&str, &Boundary> = HashMap::new();
    for boundary in &boundaries {
        for member in &boundary.members {
            home.insert(member.as_str(), boundary);
        }
    }
    let badges = badges(checklist);
    let mut order: Vec<usize> = (0..project.nodes.len()).collect();
    order.sort_by(|&a, &b| project.nodes[a].id.cmp(&project.nodes[b].id));
    for index in order {
        let node = &project.nodes[index];
        let owners = checklist.derivation.owners.get(index).copied().flatten();
        let parent = home.get(node.id.as_str()).filter(|b| rects.contains_key(b.id.as_str())).copied();
        card(
            &mut page,
            catalog,
            shapes,
            node,
            parent.map(|b| (b, rects[b.id.as_str()])),
            owners,
            badges.get(node.id.as_str()),
        );
    }

    // Flows.
    let mut flows: Vec<_> = project.flows.iter().collect();
    flows.sort_by(|a, b| a.id.cmp(&b.id));
    for flow in flows {
        let plaintext = crate::protocol::is_plaintext(flow);
        let style = if !plaintext {
            "edgeStyle=orthogonalEdgeStyle;rounded=1;html=0;endArrow=block;endFill=1;strokeColor=#545B64;strokeWidth=1.5;fontSize=11;"
        } else {
            "edgeStyle=orthogonalEdgeStyle;rounded=1;html=0;endArrow=block;endFill=1;strokeColor=#C61B1B;strokeWidth=1.5;dashed=1;fontSize=11;fontColor=#C61B1B;"
        };
        let id = cell_id(&flow.id);
        let mut properties = vec![("id", flow.id.clone()), ("protocol", flow.protocol.clone())];
        if let Some(encrypted) = flow.encrypted_in_transit {
            properties.push(("encrypted", if encrypted { "1" } else { "0" }.to_owned()));
        }
        page.object(
            &id,
            &flow.label,
            &properties,
            &format!(
                "style=\"{style}\" edge=\"1\" parent=\"1\" source=\"{}\" target=\"{}\"",
                attr(&cell_id(&flow.from)),
                attr(&cell_id(&flow.to))
            ),
            "<mxGeometry relative=\"1\" as=\"geometry\" />",
        );
        // The protocol, and whether it is encrypted, as a second label on the connector.
        let mut note = flow.protocol.clone();
        if plaintext {
            note = if note.is_empty() { "unencrypted".to_owned() } else { format!("{note} · unencrypted") };
        }
        if !note.is_empty() {
            let colour = if plaintext { "#C61B1B" } else { "#545B64" };
            page.cell(
                &format!("{id}:protocol"),
                &note,
                &format!(
                    "style=\"edgeLabel;html=0;resizable=0;align=center;verticalAlign=middle;fontSize=10;fontColor={colour};labelBackgroundColor=#FFFFFF;{MARK}=decoration;\" vertex=\"1\" connectable=\"0\" parent=\"{}\"",
                    attr(&id)
                ),
                "<mxGeometry x=\"0.4\" relative=\"1\" as=\"geometry\">\n            <mxPoint y=\"-10\" as=\"offset\" />\n          </mxGeometry>",
            );
        }
    }
    page.out.push_str("      </root>\n    </mxGraphModel>\n  </diagram>\n</mxfile>\n");
    Ok(page.out)
}

/// A boundary's frame.
fn frame(
    page: &mut Page,
    project: &Project,
    boundary: &Boundary,
    rects: &HashMap<&str, Rect>,
    shapes: &DrawioShapes,
) {
    let Some(rect) = boundary.rect else { return };
    let public = boundary.kind == BoundaryKind::Subnet && boundary.label.to_lowercase().contains("public");
    let style = shapes.export_frame(boundary.kind, public).map_or_else(
        || "rounded=0;fillColor=none;strokeColor=#5A6C86;".to_owned(),
        |frame| {
            let dashed = if frame.dashed { "1" } else { "0" };
            match &frame.group {
                Some(group) => format!(
                    "shape=mxgraph.aws4.group;grIcon=mxgraph.aws4.{group};grStroke=0;strokeColor={};fillColor={};dashed={dashed};\
                     fontColor={};verticalAlign=top;align=left;spacingLeft=30;",
                    frame.stroke, frame.fill, frame.stroke
                ),
                None => format!(
                    "rounded=0;strokeColor={};fillColor={};dashed={dashed};fontColor={};verticalAlign=top;align=left;spacingLeft=8;",
                    frame.stroke, frame.fill, frame.stroke
                ),
            }
        },
    );
    let parent = boundary.parent.as_deref().and_then(|p| Some((p, *rects.get(p)?)));
    let (px, py) = parent.map_or((0.0, 0.0), |(_, r)| (f64::from(r.x), f64::from(r.y)));
    let parent_id = parent.map_or_else(|| "1".to_owned(), |(p, _)| cell_id(p));
    let _ = project;
    let mut properties = vec![("id", boundary.id.clone()), ("boundary", boundary.kind.id().to_owned())];
    if let Some(account_id) = &boundary.account_id {
        properties.push(("account_id", account_id.clone()));
    }
    if let Some(region) = &boundary.region {
        properties.push(("region", region.clone()));
    }
    page.object(
        &cell_id(&boundary.id),
        &boundary.label,
        &properties,
        &format!(
            "style=\"{style}html=0;fontSize=12;fontStyle=0;container=1;pointerEvents=0;collapsible=0;recursiveResize=0;\" vertex=\"1\" parent=\"{}\"",
            attr(&parent_id)
        ),
        &geometry(f64::from(rect.x) - px, f64::from(rect.y) - py, f64::from(rect.w), f64::from(rect.h)),
    );
}

/// How many tasks remain on each node, and the highest severity among them.
fn badges<'a>(checklist: &Checklist<'a>) -> HashMap<&'a str, (usize, Severity)> {
    let mut badges: HashMap<&str, (usize, Severity)> = HashMap::new();
    for task in checklist.derivation.remaining() {
        for id in task.subject.node_ids() {
            let entry = badges.entry(id).or_insert((0, Severity::Low));
            entry.0 += 1;
            entry.1 = entry.1.max(task.severity());
        }
    }
    badges
}

/// The style of a service's AWS4 icon.
fn icon_style(catalog: &Catalog, shapes: &DrawioShapes, service_id: &str) -> String {
    let service = catalog.service(service_id);
    let colour = service
        .and_then(|s| catalog.category(s.category))
        .map_or_else(|| "#7D8998".to_owned(), |c| c.colour.clone());
    let common = "sketch=0;outlineConnect=0;dashed=0;html=0;aspect=fixed;";
    match shapes.export_icon(service_id) {
        Some(Icon::Glyph(name)) => {
            format!("{common}fillColor=#232F3E;strokeColor=none;shape=mxgraph.aws4.{name};")
        }
        Some(Icon::Tile(name)) => {
            format!(
                "{common}fillColor={colour};strokeColor=#ffffff;shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.{name};"
            )
        }
        // A service the mapping has no icon for: the generic AWS tile in its category colour.
        None => format!(
            "{common}fillColor={colour};strokeColor=#ffffff;shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.general;"
        ),
    }
}

/// A node's card with its icon, service name, owner strip and task badge.
fn card(
    page: &mut Page,
    catalog: &Catalog,
    shapes: &DrawioShapes,
    node: &Node,
    parent: Option<(&Boundary, Rect)>,
    owners: Option<crate::responsibility::LayerOwners>,
    badge: Option<&(usize, Severity)>,
) {
    let Some(pos) = node.position else { return };
    let (px, py) = parent.map_or((0.0, 0.0), |(_, r)| (f64::from(r.x), f64::from(r.y)));
    let parent_id = parent.map_or_else(|| "1".to_owned(), |(b, _)| cell_id(&b.id));
    let id = cell_id(&node.id);
    let mut properties = vec![("id", node.id.clone()), ("service", node.service.clone())];
    if let Some(variant) = &node.variant {
        properties.push(("variant", variant.clone()));
    }
    if node.data != DataClass::default() {
        properties.push(("data", node.data.id().to_owned()));
    }
    if node.internet_facing {
        properties.push(("internet_facing", "1".to_owned()));
    }
    if !node.notes.is_empty() {
        properties.push(("notes", node.notes.clone()));
    }
    if !node.resources.is_empty() {
        properties.push(("resources", node.resources.join("\n")));
    }
    page.object(
        &id,
        &node.label,
        &properties,
        &format!(
            "style=\"rounded=1;arcSize=10;html=0;whiteSpace=nowrap;fillColor=#FFFFFF;strokeColor=#A8A8A8;fontColor=#1A1A1A;\
             fontSize=13;align=left;verticalAlign=top;spacingLeft=52;spacingTop=2;spacingRight=26;overflow=hidden;\
             container=0;collapsible=0;{MARK}=node;\" vertex=\"1\" parent=\"{}\"",
            attr(&parent_id)
        ),
        &geometry(f64::from(pos.x) - px, f64::from(pos.y) - py, f64::from(NODE_SIZE.0), f64::from(NODE_SIZE.1)),
    );
    let child = |part: &str| format!("{id}:{part}");
    let decoration = |style: &str| {
        format!("style=\"{style}{MARK}=decoration;\" vertex=\"1\" connectable=\"0\" parent=\"{}\"", attr(&id))
    };
    page.cell(
        &child("icon"),
        "",
        &decoration(&icon_style(catalog, shapes, &node.service)),
        &geometry(8.0, 8.0, 40.0, 40.0),
    );
    let service_name = catalog.service(&node.service).map_or(node.service.as_str(), |s| s.name.as_str());
    page.cell(
        &child("service"),
        service_name,
        &decoration("text;html=0;fontSize=11;fontColor=#5A5A5A;align=left;verticalAlign=top;spacing=0;overflow=hidden;"),
        &geometry(52.0, 26.0, 118.0, 16.0),
    );
    // The 16 layers, physical on the left.
    if let Some(owners) = owners {
        let segment = (f64::from(NODE_SIZE.0) - 16.0) / 16.0;
        for (i, (_, owner)) in owners.iter().enumerate() {
            page.cell(
                &child(&format!("layer{}", i + 1)),
                "",
                &decoration(&format!(
                    "rounded=0;html=0;strokeColor=none;fillColor={};{}",
                    palette::owner_fill(owner, false).hex(),
                    if owner == Owner::Shared { "fillStyle=hatch;" } else { "" }
                )),
                &geometry(8.0 + i as f64 * segment, f64::from(NODE_SIZE.1) - 11.0, segment - 0.5, 6.0),
            );
        }
    }
    if let Some(&(count, severity)) = badge {
        page.cell(
            &child("tasks"),
            &count.to_string(),
            &decoration(&format!(
                "ellipse;html=0;strokeColor=none;fillColor={};fontColor=#FFFFFF;fontSize=10;fontStyle=1;align=center;verticalAlign=middle;",
                badge_fill(severity)
            )),
            &geometry(f64::from(NODE_SIZE.0) - 24.0, 2.0, 20.0, 20.0),
        );
    }
}

fn badge_fill(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "#D1242F",
        Severity::Medium => "#B26B00",
        Severity::Low => "#707070",
    }
}

/// The legend: what the owner strip, the badges and red connectors mean. It carries the
/// project's name and description, which an import reads back.
fn legend(page: &mut Page, checklist: &Checklist<'_>, (x, y): (f32, f32)) {
    let id = "whoowns-legend";
    page.object(
        id,
        &format!("{}: who owns what (whoowns)", checklist.title()),
        &[("project", checklist.project.name.clone()), ("description", checklist.project.description.clone())],
        &format!(
            "style=\"rounded=0;html=0;fillColor=#FFFFFF;strokeColor=#D0D0D0;fontColor=#1A1A1A;fontSize=13;fontStyle=1;\
             align=left;verticalAlign=top;spacingLeft=8;spacingTop=4;container=1;collapsible=0;{MARK}=legend;\" vertex=\"1\" parent=\"1\""
        ),
        &geometry(f64::from(x), f64::from(y), f64::from(LEGEND_SIZE.0), f64::from(LEGEND_SIZE.1)),
    );
    let decoration = |style: &str| {
        format!("style=\"{style}{MARK}=decoration;\" vertex=\"1\" connectable=\"0\" parent=\"{id}\"")
    };
    let text = "text;html=0;fontSize=11;fontColor=#1A1A1A;align=left;verticalAlign=middle;spacing=0;";
    page.cell(
        "whoowns-legend:strip",
        "Owner strip on each card: the 16 security layers, physical facilities (left) to configuration and compliance (right).",
        &decoration(text),
        &geometry(10.0, 28.0, 540.0, 16.0),
    );
    for (i, owner) in Owner::ALL.into_iter().enumerate() {
        let left = 10.0 + i as f64 * 135.0;
        page.cell(
            &format!("whoowns-legend:{}", owner.letter()),
            "",
            &decoration(&format!(
                "rounded=0;html=0;strokeColor=none;fillColor={};{}",
                palette::owner_fill(owner, false).hex(),
                if owner == Owner::Shared { "fillStyle=hatch;" } else { "" }
            )),
            &geometry(left, 54.0, 18.0, 10.0),
        );
        page.cell(
            &format!("whoowns-legend:{}-name", owner.letter()),
            owner.name(),
            &decoration(text),
            &geometry(left + 24.0, 51.0, 105.0, 16.0),
        );
    }
    page.cell(
        "whoowns-legend:badge",
        "3",
        &decoration("ellipse;html=0;strokeColor=none;fillColor=#D1242F;fontColor=#FFFFFF;fontSize=10;fontStyle=1;align=center;verticalAlign=middle;"),
        &geometry(10.0, 76.0, 18.0, 18.0),
    );
    page.cell(
        "whoowns-legend:badge-text",
        "Remaining customer tasks (red: high or critical, amber: medium, grey: low).",
        &decoration(text),
        &geometry(34.0, 77.0, 516.0, 16.0),
    );
    page.cell(
        "whoowns-legend:flows",
        "Red dashed connectors carry unencrypted traffic.",
        &decoration(&text.replace("#1A1A1A", "#C61B1B")),
        &geometry(10.0, 100.0, 540.0, 16.0),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_keep_line_breaks_and_escape_markup() {
        assert_eq!(attr("a\"<b>\n&'\u{7}"), "a&quot;&lt;b&gt;&#10;&amp;&#39;\u{fffd}");
        // A noncharacter would make the file invalid XML: draw.io and whoowns could not read it.
        assert_eq!(attr("x\u{fffe}y\r\t"), "x\u{fffd}y&#13;&#9;");
        assert_eq!(num(12.0), "12");
        assert_eq!(num(-0.5), "-0.5");
    }
}
