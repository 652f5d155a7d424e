//! Connectors to flows. An edge joins the cells its `source` and `target` name; edges often
//! come before the shapes they join, so all cells are read first. An end that names a text next
//! to an icon, or a shape inside a node, means that node; an end with no cell, a free point,
//! means the node whose icon it touches. Arrow heads give the direction. The label is the
//! edge's own text plus its label cells; a label naming a protocol sets it, read with the
//! program's protocol table (`assets/protocols.ron`).

use std::collections::BTreeMap;

use super::cells::Kind;
use super::classify::Role;
use super::geometry::Placed;
use super::label;
use crate::protocol::{Encryption, Protocols, Recognised};

/// How near a free end must be to an icon to join it, in draw.io units.
const REACH: f64 = 20.0;

/// At most this many icon distances are measured for free ends on a page.
const BUDGET: usize = 20_000_000;

/// A flow found on the page: node cells, label, protocol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct FlowDraft {
    /// The edge cell.
    pub edge: usize,
    /// The node cells it joins, in the flow's direction.
    pub from: usize,
    pub to: usize,
    pub label: String,
    pub protocol: String,
    /// What the label (or whoowns's export) states about encryption; `None`: nothing.
    pub encrypted: Option<bool>,
}

/// The flows of a page, and edges left out by reason.
pub(super) fn drafts(placed: &Placed<'_>, roles: &[Role]) -> (Vec<FlowDraft>, BTreeMap<String, usize>) {
    let protocols = Protocols::builtin();
    let cells = placed.cells;
    let mut left_out: BTreeMap<String, usize> = BTreeMap::new();
    let mut labels: Vec<Vec<&str>> = vec![Vec::new(); cells.len()];
    for (i, role) in roles.iter().enumerate() {
        if *role == Role::EdgeLabel
            && let Some(edge) = placed.parent(i)
            && !cells[i].text.is_empty()
        {
            labels[edge].push(&cells[i].text);
        }
    }
    // The node each cell stands for: itself, the icon a caption names, or the node it sits in.
    let node_index: Vec<Option<usize>> =
        placed.inherit(|i, parent: Option<&Option<usize>>| match &roles[i] {
            Role::Node(_) => Some(i),
            Role::Caption(node) => Some(*node),
            Role::Decoration | Role::Marker | Role::Drawing(_) | Role::Image | Role::Text => {
                parent.copied().flatten()
            }
            _ => None,
        });
    let nodes: Vec<usize> = (0..cells.len()).filter(|&i| matches!(roles[i], Role::Node(_))).collect();
    let budget = std::cell::Cell::new(BUDGET);
    let mut drafts = Vec::new();
    for (edge, role) in roles.iter().enumerate() {
        if *role != Role::Edge {
            continue;
        }
        let cell = &cells[edge];
        let end = |id: Option<&str>, point: Option<(f64, f64)>| -> Result<usize, &'static str> {
            match id.and_then(|id| placed.find(id)) {
                Some(target) => node_index[target].ok_or(match roles[target] {
                    Role::Frame(_) | Role::LabelledFrame(_) => "an end on a frame, not a service",
                    Role::Edge => "an end on another connector",
                    _ => "an end on a shape that is not a service",
                }),
                None => {
                    let point = point.ok_or("an end attached to nothing")?;
                    let point = placed.absolute_point(edge, point);
                    if budget.get() < nodes.len() {
                        return Err("a free end not looked for (too many on the page)");
                    }
                    budget.set(budget.get() - nodes.len());
                    nodes
                        .iter()
                        .filter_map(|&n| placed.rects[n].map(|r| (r.distance(point), n)))
                        .filter(|(d, _)| *d <= REACH)
                        .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)))
                        .map(|(_, n)| n)
                        .ok_or("an end attached to nothing")
                }
            }
        };
        let source = end(cell.source.as_deref(), cell.geometry.source_point);
        let target = end(cell.target.as_deref(), cell.geometry.target_point);
        let (source, target) = match (source, target) {
            (Ok(s), Ok(t)) if s != t => (s, t),
            (Ok(_), Ok(_)) => {
                *left_out.entry("connectors from a service to itself".to_owned()).or_default() += 1;
                continue;
            }
            (Err(why), _) | (_, Err(why)) => {
                *left_out.entry(format!("connectors with {why}")).or_default() += 1;
                continue;
            }
        };
        let (from, to) = if reversed(cell) { (target, source) } else { (source, target) };
        let mut texts: Vec<&str> = Vec::new();
        if !cell.text.is_empty() {
            texts.push(&cell.text);
        }
        texts.extend(&labels[edge]);
        let text = label::one_line(&texts.join("\n"));
        let (label, protocol, encrypted) = if let Some(protocol) = cell.property("protocol") {
            // whoowns's own export: the properties say it all.
            (cell.raw_label.clone(), protocol.to_owned(), cell.property("encrypted").map(|e| e == "1"))
        } else {
            match protocols.recognise(&text) {
                Recognised::Known(known) => {
                    (text, known.name.clone(), Some(known.encryption == Encryption::Always))
                }
                Recognised::SaysEncrypted => (text, String::new(), Some(true)),
                Recognised::SaysPlaintext => (text, String::new(), Some(false)),
                Recognised::Unknown => (text, String::new(), None),
            }
        };
        drafts.push(FlowDraft { edge, from, to, label, protocol, encrypted });
    }
    (drafts, left_out)
}

/// Whether the arrow points from target to source: a head at the start and none at the end.
fn reversed(cell: &super::cells::Cell) -> bool {
    debug_assert!(cell.kind == Kind::Edge);
    let none = |key: &str, default: &str| cell.style.get(key).unwrap_or(default) == "none";
    none("endArrow", "classic") && !none("startArrow", "none")
}
