//! From the cells of a page to a project and a report: what each cell is (`classify`), where it
//! is (`geometry`), which frame holds it (`nesting`), names next to icons (`captions`), where it
//! goes on the canvas (`placement`), connectors (`flows`), and what is kept as notes.

use std::collections::{HashMap, HashSet};

use super::captions;
use super::cells::Cell;
use super::classify::{self, FrameRole, NodeRole, Role};
use super::flows;
use super::geometry::{Placed, Rect};
use super::label;
use super::nesting::{self, FrameIn, Nesting, NodeIn};
use super::pages::Page;
use super::placement;
use super::shapes::DrawioShapes;
use crate::catalog::Catalog;
use crate::import::report::{ImportReport, ShapeTally, SourceFormat, Warnings};
use crate::model::{
    Boundary, BoundaryKind, DataClass, Flow, MAX_STEM, Node, Pos, Project, is_valid_id, slug,
};

/// The most notes the project description lists; the rest are counted.
const MAX_NOTES: usize = 200;

/// The longest note, in characters.
const MAX_NOTE: usize = 160;

/// The description whoowns gives a project it imported, and its notes.
struct Notes {
    lines: Vec<String>,
    omitted: usize,
}

impl Notes {
    fn push(&mut self, line: &str) {
        if self.lines.len() < MAX_NOTES {
            self.lines.push(label::shorten(line, MAX_NOTE));
        } else {
            self.omitted += 1;
        }
    }
}

/// Turns a page into a project and a report. `source_name` names the file in the description
/// and the report; `name` is the project's name unless the page says another.
pub(super) fn assemble(
    source_name: &str,
    name: &str,
    page: &Page,
    shapes: &DrawioShapes,
    catalog: &Catalog,
) -> (Project, ImportReport) {
    let cells = &page.cells;
    let placed = Placed::new(cells);
    let mut warnings = Warnings::default();
    if placed.duplicate_ids > 0 {
        warnings.push(format!(
            "{} cell(s) reuse the id of an earlier cell on the page; what names that id means the first",
            placed.duplicate_ids
        ));
    }
    let hidden: Vec<bool> =
        placed.inherit(|i, parent: Option<&bool>| !cells[i].visible || parent.copied().unwrap_or(false));
    let on_edge: Vec<bool> = (0..cells.len())
        .map(|i| placed.parent(i).is_some_and(|p| cells[p].kind == super::cells::Kind::Edge))
        .collect();
    let mut roles = classify::roles(cells, &on_edge, &hidden, shapes);
    resolve_corner_icons(&placed, &mut roles);
    for (i, role) in roles.iter_mut().enumerate() {
        if matches!(role, Role::Rectangle { .. })
            && let Some(kind) = shapes.labelled_frame(&cells[i].text)
        {
            *role = Role::LabelledFrame(kind);
        }
    }
    let captions = pair_captions(&placed, &mut roles);
    let (frames, nodes, nesting) = nest(&placed, &mut roles);
    if nesting.capped {
        warnings.push(
            "the page has too many frames and shapes to test every one against every other; the rest were \
             grouped by their parent links only"
                .to_owned(),
        );
    }

    let from_whoowns =
        cells.iter().any(|c| c.property("service").is_some() || c.property("boundary").is_some());
    let scale = if from_whoowns {
        1.0
    } else {
        let centres: Vec<(f64, f64)> =
            nodes.iter().filter_map(|&n| placed.rects[n].map(Rect::centre)).collect();
        placement::scale(&centres)
    };

    let mut project = Project::named(name);
    let mut ids = Ids::default();
    let mut node_id: HashMap<usize, String> = HashMap::new();
    let mut cards: Vec<Rect> = Vec::with_capacity(nodes.len());
    for &n in &nodes {
        let Role::Node(role) = &roles[n] else { continue };
        let cell = &cells[n];
        let rect = placed.rects[n].unwrap_or_default();
        let card = if cell.property("service").is_some() {
            Rect {
                x: rect.x,
                y: rect.y,
                w: f64::from(crate::model::geometry::NODE_SIZE.0),
                h: f64::from(crate::model::geometry::NODE_SIZE.1),
            }
        } else {
            placement::card(rect.centre(), scale)
        };
        cards.push(card);
        let caption = captions.get(&n).map(|&t| cells[t].text.as_str());
        let node = node(cell, role, caption, card, catalog, &mut ids, &mut warnings);
        node_id.insert(n, node.id.clone());
        project.nodes.push(node);
    }

    let mut rects: Vec<Rect> = frames
        .iter()
        .map(|&f| {
            let rect = placed.rects[f].unwrap_or_default();
            if cells[f].property("boundary").is_some() { rect } else { placement::scaled(rect, scale) }
        })
        .collect();
    let mut members: Vec<Vec<Rect>> = vec![Vec::new(); frames.len()];
    let mut member_ids: Vec<Vec<String>> = vec![Vec::new(); frames.len()];
    for (slot, &n) in nodes.iter().enumerate() {
        if let Some(home) = nesting.home[slot] {
            members[home].push(cards[slot]);
            if let Some(id) = node_id.get(&n) {
                member_ids[home].push(id.clone());
            }
        }
    }
    if !from_whoowns {
        placement::grow(&mut rects, &nesting.parent, &members, &nesting.order);
    }
    let kinds: Vec<(BoundaryKind, Option<bool>)> = frames
        .iter()
        .map(|&f| match &roles[f] {
            Role::Frame(FrameRole { kind, public, .. }) => (*kind, *public),
            Role::LabelledFrame(kind) => (*kind, None),
            _ => (BoundaryKind::Generic, None),
        })
        .collect();
    let labels: Vec<String> =
        frames.iter().zip(&kinds).map(|(&f, &(_, public))| frame_label(&cells[f], public)).collect();
    let boundary_ids: Vec<String> = frames
        .iter()
        .zip(&kinds)
        .zip(&labels)
        .map(|((&f, &(kind, _)), label)| boundary_id(&cells[f], kind, label, &mut ids))
        .collect();
    for (slot, _) in frames.iter().enumerate() {
        let (kind, _) = kinds[slot];
        let mut boundary = Boundary::new(boundary_ids[slot].clone(), kind);
        boundary.label = labels[slot].clone();
        boundary.members = std::mem::take(&mut member_ids[slot]);
        boundary.parent = nesting.parent[slot].map(|p| boundary_ids[p].clone());
        let cell = &cells[frames[slot]];
        if kind == BoundaryKind::Account {
            boundary.account_id = cell.property("account_id").map(str::to_owned);
        }
        if kind == BoundaryKind::Region {
            boundary.region = cell.property("region").map(str::to_owned);
        }
        let r = rects[slot];
        boundary.rect =
            Some(crate::model::Rect { x: r.x as f32, y: r.y as f32, w: r.w as f32, h: r.h as f32 });
        project.boundaries.push(boundary);
    }

    let (drafts, edges_left_out) = flows::drafts(&placed, &roles);
    let mut unknown_protocol = 0;
    for draft in drafts {
        let (Some(from), Some(to)) = (node_id.get(&draft.from), node_id.get(&draft.to)) else { continue };
        let stem =
            cells[draft.edge].property("id").map_or_else(|| slug(&format!("{from}-{to}")), str::to_owned);
        let mut flow = Flow::new(ids.fresh(&stem), from.clone(), to.clone());
        let exported = cells[draft.edge].property("protocol").is_some();
        if draft.encrypted.is_none() && !exported {
            unknown_protocol += 1;
        }
        // As for infrastructure as code: what the label does not say is encrypted is not
        // assumed to be. whoowns's own export states exactly what the project did.
        flow.encrypted_in_transit =
            if exported { draft.encrypted } else { Some(draft.encrypted.unwrap_or(false)) };
        flow.protocol = draft.protocol;
        flow.label = draft.label;
        project.flows.push(flow);
    }
    if unknown_protocol > 0 {
        warnings.push(format!(
            "{unknown_protocol} flow(s) with no protocol in their label, marked unencrypted until you say otherwise"
        ));
    }

    let mut tally = ShapeTally {
        page: page.name.clone(),
        page_number: page.number,
        pages: page.names.len(),
        compressed: page.compressed,
        edges_left_out,
        ..ShapeTally::default()
    };
    let notes = tally_and_notes(&placed, &roles, &mut tally);
    if page.names.len() > 1 {
        let others: Vec<String> = page
            .names
            .iter()
            .enumerate()
            .filter(|(i, _)| i + 1 != page.number)
            .map(|(i, n)| format!("{} {n:?}", i + 1))
            .collect();
        warnings.push(format!(
            "the file has {} pages; this is page {} {:?}; the others ({}) can be imported with --page NAME|N",
            page.names.len(),
            page.number,
            page.name,
            others.join(", ")
        ));
    }
    describe(&mut project, cells, source_name, page, &notes);
    let mut report = ImportReport::new(source_name, SourceFormat::Drawio);
    report.nodes = project.nodes.len();
    report.flows = project.flows.len();
    report.boundaries = project.boundaries.len();
    (report.warnings, report.omitted_warnings) = warnings.finish();
    report.shapes = Some(tally);
    (project, report)
}

/// Corner icons: an icon on the top-left corner of a plain rectangle makes it a boundary; an
/// icon on no rectangle is read as the shape it is.
fn resolve_corner_icons(placed: &Placed<'_>, roles: &mut [Role]) {
    let rectangles: Vec<usize> = (0..roles.len())
        .filter(|&i| matches!(roles[i], Role::Rectangle { .. }) && placed.rects[i].is_some())
        .collect();
    let mut claimed: HashSet<usize> = HashSet::new();
    let mut budget = nesting::BUDGET;
    for i in 0..roles.len() {
        let Role::CornerIcon { kind, alone, .. } = &roles[i] else { continue };
        let (kind, alone) = (*kind, (**alone).clone());
        let found = placed.rects[i].and_then(|icon| {
            let (cx, cy) = icon.centre();
            budget = budget.saturating_sub(rectangles.len());
            if budget == 0 {
                return None;
            }
            rectangles
                .iter()
                .filter(|r| !claimed.contains(r))
                .filter_map(|&r| placed.rects[r].map(|rect| (r, rect)))
                .filter(|(_, rect)| {
                    rect.w >= 1.5 * icon.w
                        && rect.h >= 1.5 * icon.h
                        && cx >= rect.x - icon.w / 2.0
                        && cx <= rect.x + 3.0 * icon.w
                        && (cy - rect.y).abs() <= icon.h
                })
                .min_by(|a, b| {
                    let d = |rect: &Rect| (cx - rect.x - icon.w).hypot(cy - rect.y);
                    d(&a.1).total_cmp(&d(&b.1)).then(a.0.cmp(&b.0))
                })
                .map(|(r, _)| r)
        });
        match found {
            Some(r) => {
                let aws = matches!(roles[r], Role::Rectangle { aws: true });
                roles[r] = Role::Frame(FrameRole { kind, public: None, aws });
                roles[i] = Role::Marker;
                claimed.insert(r);
            }
            None => roles[i] = alone,
        }
    }
}

/// Unlabelled nodes take the text next to them as their label.
fn pair_captions(placed: &Placed<'_>, roles: &mut [Role]) -> HashMap<usize, usize> {
    let cells = placed.cells;
    let unlabelled: Vec<(usize, Rect)> = (0..roles.len())
        .filter(|&i| {
            matches!(roles[i], Role::Node(_))
                && cells[i].text.is_empty()
                && cells[i].property("service").is_none()
        })
        .filter_map(|i| placed.rects[i].map(|r| (i, r)))
        .collect();
    let texts: Vec<(usize, Rect)> = (0..roles.len())
        .filter(|&i| roles[i] == Role::Text && !cells[i].text.is_empty())
        .filter_map(|i| placed.rects[i].map(|r| (i, r)))
        .collect();
    let mut captions = HashMap::new();
    for (node, text) in captions::pair(&unlabelled, &texts) {
        roles[text] = Role::Caption(node);
        captions.insert(node, text);
    }
    captions
}

/// The frames and nodes of the page (cell indices, drawing order) and how they nest. Labelled
/// rectangles that hold nothing are not frames after all.
fn nest(placed: &Placed<'_>, roles: &mut [Role]) -> (Vec<usize>, Vec<usize>, Nesting) {
    loop {
        let is_frame = |role: &Role| matches!(role, Role::Frame(_) | Role::LabelledFrame(_));
        let frames: Vec<usize> =
            (0..roles.len()).filter(|&i| is_frame(&roles[i]) && placed.rects[i].is_some()).collect();
        let nodes: Vec<usize> = (0..roles.len())
            .filter(|&i| matches!(roles[i], Role::Node(_)) && placed.rects[i].is_some())
            .collect();
        let mut slot = vec![None; roles.len()];
        for (s, &f) in frames.iter().enumerate() {
            slot[f] = Some(s);
        }
        // The nearest frame among a cell and its ancestors.
        let nearest: Vec<Option<usize>> =
            placed.inherit(|i, parent: Option<&Option<usize>>| slot[i].or_else(|| parent.copied().flatten()));
        let link = |i: usize| placed.parent(i).and_then(|p| nearest[p]);
        let frame_in: Vec<FrameIn> = frames
            .iter()
            .map(|&f| FrameIn {
                rect: placed.rects[f].unwrap_or_default(),
                link: link(f),
                geometric: placed.cells[f].property("boundary").is_none(),
            })
            .collect();
        let node_in: Vec<NodeIn> = nodes
            .iter()
            .map(|&n| NodeIn {
                centre: placed.rects[n].unwrap_or_default().centre(),
                link: link(n),
                geometric: placed.cells[n].property("service").is_none(),
            })
            .collect();
        let nesting = nesting::nest(&frame_in, &node_in);
        let mut used = vec![false; frames.len()];
        for home in nesting.home.iter().flatten() {
            used[*home] = true;
        }
        for parent in nesting.parent.iter().flatten() {
            used[*parent] = true;
        }
        let empty: Vec<usize> = frames
            .iter()
            .enumerate()
            .filter(|&(s, &f)| !used[s] && matches!(roles[f], Role::LabelledFrame(_)))
            .map(|(_, &f)| f)
            .collect();
        if empty.is_empty() {
            return (frames, nodes, nesting);
        }
        for f in empty {
            roles[f] = Role::Rectangle { aws: false };
        }
    }
}

/// A node from a node cell.
fn node(
    cell: &Cell,
    role: &NodeRole,
    caption: Option<&str>,
    card: Rect,
    catalog: &Catalog,
    ids: &mut Ids,
    warnings: &mut Warnings,
) -> Node {
    let exported = cell.property("service").is_some();
    let mut service = role.service.clone();
    let mut notes = cell.property("notes").unwrap_or_default().to_owned();
    if catalog.service(&service).is_none() {
        warnings.push(format!(
            "cell {:?} names the service {service:?}, which the catalog does not have; imported as \"Unrecognised AWS service\"",
            cell.id
        ));
        notes = format!(
            "The diagram named the service {service:?}, which whoowns does not know: pick the real service in Properties."
        );
        service = classify::UNKNOWN_SERVICE.to_owned();
    }
    let variant = role.variant.clone().filter(|variant| {
        let known = catalog.service(&service).is_some_and(|s| s.variant(variant).is_some());
        if !known {
            warnings.push(format!(
                "cell {:?}: {service} has no variant {variant:?}; the default is used",
                cell.id
            ));
        }
        known
    });
    let mut label = if exported { cell.raw_label.clone() } else { label::one_line(&cell.text) };
    if label.is_empty()
        && let Some(caption) = caption
    {
        label = label::one_line(caption);
    }
    if role.unknown
        && let Some(name) = &role.aws
    {
        if label.is_empty() {
            label = humanize(name);
        }
        notes = format!(
            "Imported from the draw.io shape {name}, which whoowns does not recognise as a service: pick the real \
             service in Properties."
        );
    }
    let stem = cell
        .property("id")
        .map_or_else(|| if label.is_empty() { service.clone() } else { slug(&label) }, str::to_owned);
    let mut node = Node::new(ids.fresh(&stem), service);
    node.variant = variant;
    node.label = label;
    node.position = Some(Pos::new(card.x as f32, card.y as f32));
    node.notes = notes;
    node.data = cell
        .property("data")
        .and_then(|id| DataClass::ALL.into_iter().find(|class| class.id() == id))
        .unwrap_or_default();
    node.internet_facing = cell.property("internet_facing") == Some("1");
    node.resources = cell
        .property("resources")
        .map(|list| list.lines().map(str::trim).filter(|r| !r.is_empty()).map(str::to_owned).collect())
        .unwrap_or_default();
    node
}

/// A boundary's id: the one whoowns exported, else from its label or kind.
fn boundary_id(cell: &Cell, kind: BoundaryKind, label: &str, ids: &mut Ids) -> String {
    let stem = cell.property("id").map_or_else(
        || if label.is_empty() { kind.id().replace('_', "-") } else { slug(label) },
        str::to_owned,
    );
    ids.fresh(&stem)
}

/// A frame's label; subnets told apart by colour say whether they are public.
fn frame_label(cell: &Cell, public: Option<bool>) -> String {
    if cell.property("boundary").is_some() {
        return cell.raw_label.clone();
    }
    let text = label::one_line(&cell.text);
    match public {
        None => text,
        Some(public) => {
            let word = if public { "public" } else { "private" };
            let lower = text.to_lowercase();
            if text.is_empty() {
                format!("{}{} subnet", word[..1].to_uppercase(), &word[1..])
            } else if lower.contains("public") || lower.contains("private") {
                text
            } else {
                format!("{text} ({word})")
            }
        }
    }
}

/// `aws4.iot_core` → "iot core".
fn humanize(name: &str) -> String {
    let last = name.rsplit('.').next().unwrap_or(name);
    label::shorten(&last.replace('_', " "), label::MAX_LABEL)
}

/// Counts what became of every cell, and gathers the notes kept.
fn tally_and_notes(placed: &Placed<'_>, roles: &[Role], tally: &mut ShapeTally) -> Notes {
    let cells = placed.cells;
    let mut notes = Notes { lines: Vec::new(), omitted: 0 };
    let left = |why: &str, tally: &mut ShapeTally| *tally.left_out.entry(why.to_owned()).or_default() += 1;
    let noted = |kind: &str, line: String, tally: &mut ShapeTally, notes: &mut Notes| {
        *tally.notes.entry(kind.to_owned()).or_default() += 1;
        notes.push(&line);
    };
    for (i, role) in roles.iter().enumerate() {
        let cell = &cells[i];
        let aws = super::shapes::aws_name(&cell.style).is_some()
            && cell.style.get(classify::MARK).is_none()
            && cell.property("service").is_none()
            && cell.property("boundary").is_none();
        if aws && !matches!(role, Role::Hidden) {
            tally.aws_shapes += 1;
        }
        let text = label::one_line(&cell.text);
        match role {
            Role::Node(node) => match (&node.aws, node.unknown) {
                (Some(name), true) => *tally.unrecognised.entry(name.clone()).or_default() += 1,
                (Some(_), false) => tally.services += 1,
                (None, _) if cell.property("service").is_none() => tally.other_mapped += 1,
                (None, _) => {}
            },
            Role::Frame(frame) => {
                if frame.aws {
                    tally.boundaries += 1;
                } else if cell.property("boundary").is_none() {
                    tally.other_mapped += 1;
                }
            }
            Role::LabelledFrame(_) => tally.other_mapped += 1,
            Role::Marker => tally.boundaries += 1,
            Role::Drawing(why) => *tally.drawings.entry(why.clone()).or_default() += 1,
            Role::Caption(_) => tally.captions += 1,
            Role::Rectangle { aws } => {
                if *aws {
                    *tally.drawings.entry("a legacy AWS frame that marks nothing".to_owned()).or_default() +=
                        1;
                }
                if text.is_empty() {
                    left("shapes with no text (boxes, lines, backgrounds)", tally);
                } else {
                    noted("shape", format!("box: {text}"), tally, &mut notes);
                }
            }
            Role::OtherShape(shape) => {
                if text.is_empty() {
                    left("shapes with no text (boxes, lines, backgrounds)", tally);
                } else {
                    noted("shape", format!("{shape}: {text}"), tally, &mut notes);
                }
            }
            Role::Text => {
                if text.is_empty() {
                    left("empty text cells", tally);
                } else {
                    noted("text", format!("text: {text}"), tally, &mut notes);
                }
            }
            Role::Image => {
                let source = cell.style.get("image").unwrap_or("");
                let what = if source.starts_with("http://") || source.starts_with("https://") {
                    format!(" ({})", label::shorten(source, 80))
                } else if source.starts_with("data:") {
                    " (embedded)".to_owned()
                } else {
                    String::new()
                };
                let line =
                    if text.is_empty() { format!("image{what}") } else { format!("image{what}: {text}") };
                noted("image", line, tally, &mut notes);
            }
            Role::Hidden => {
                if cell.kind != super::cells::Kind::Other {
                    left("hidden shapes or shapes on hidden layers", tally);
                }
            }
            Role::Decoration => left("whoowns's own drawing (legend, owner strips, task badges)", tally),
            Role::Edge => tally.edges += 1,
            Role::CornerIcon { .. } | Role::Layer | Role::Wrapper | Role::EdgeLabel => {}
        }
    }
    notes
}

/// The project's description (and, for whoowns's own exports, its name).
fn describe(project: &mut Project, cells: &[Cell], source_name: &str, page: &Page, notes: &Notes) {
    let file = std::path::Path::new(source_name)
        .file_name()
        .map_or_else(|| source_name.to_owned(), |n| n.to_string_lossy().into_owned());
    if let Some(legend) = cells.iter().find(|c| c.property("project").is_some()) {
        project.name = legend.property("project").unwrap_or_default().to_owned();
        project.description = legend.property("description").unwrap_or_default().to_owned();
        return;
    }
    let mut description = format!(
        "Imported from {file} (draw.io page {:?}, {} of {}) by whoowns.",
        page.name,
        page.number,
        page.names.len()
    );
    if !notes.lines.is_empty() {
        description.push_str("\n\nNotes from the diagram:");
        for line in &notes.lines {
            description.push_str("\n- ");
            description.push_str(line);
        }
        if notes.omitted > 0 {
            description.push_str(&format!("\n- and {} more", notes.omitted));
        }
    }
    project.description = description;
}

/// Hands out ids that no node, flow or boundary of the project uses yet; O(1) per id whatever
/// the collisions.
#[derive(Default)]
struct Ids {
    taken: HashSet<String>,
    next: HashMap<String, u64>,
}

impl Ids {
    fn fresh(&mut self, stem: &str) -> String {
        let stem =
            if is_valid_id(stem).is_ok() && stem.len() <= MAX_STEM { stem.to_owned() } else { slug(stem) };
        if self.taken.insert(stem.clone()) {
            return stem;
        }
        let counter = self.next.entry(stem.clone()).or_insert(2);
        loop {
            let candidate = format!("{stem}-{counter}");
            *counter = counter.saturating_add(1);
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}
