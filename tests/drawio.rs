//! draw.io import and export: the fixtures under `tests/fixtures/drawio/` (written for these
//! tests: plain and compressed pages, parent and geometric nesting, security-group frames used
//! as subnets, edge label cells, free connector ends, several pages, legacy frames), the
//! containers (SVG, PNG), hostile input, and the round trip export → import.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "test helpers fail loudly")]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use whoowns::catalog::Catalog;
use whoowns::checklist::derive;
use whoowns::document::Document;
use whoowns::export::{Format, export};
use whoowns::import::{ImportError, Imported, import_drawio};
use whoowns::model::{Boundary, BoundaryKind, Edit, Flow, Node, Project, Rect};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/drawio").join(name)
}

fn import(name: &str, page: Option<&str>) -> Imported {
    let bytes = std::fs::read(fixture(name)).unwrap();
    import_drawio(name, &bytes, page, Catalog::builtin()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn import_bytes(name: &str, bytes: &[u8]) -> Result<Imported, ImportError> {
    import_drawio(name, bytes, None, Catalog::builtin())
}

fn node<'a>(project: &'a Project, id: &str) -> &'a Node {
    project.node(id).unwrap_or_else(|| {
        panic!("no node {id}: {:?}", project.nodes.iter().map(|n| &n.id).collect::<Vec<_>>())
    })
}

fn boundary<'a>(project: &'a Project, id: &str) -> &'a Boundary {
    project.boundary(id).unwrap_or_else(|| {
        panic!("no boundary {id}: {:?}", project.boundaries.iter().map(|b| &b.id).collect::<Vec<_>>())
    })
}

fn flow<'a>(project: &'a Project, from: &str, to: &str) -> &'a Flow {
    project
        .flows
        .iter()
        .find(|f| f.from == from && f.to == to)
        .unwrap_or_else(|| panic!("no flow {from} → {to}"))
}

/// The home boundary of every node, and the parent of every boundary.
fn structure(project: &Project) -> (BTreeMap<String, String>, BTreeMap<String, Option<String>>) {
    let mut homes = BTreeMap::new();
    for boundary in &project.boundaries {
        for member in &boundary.members {
            homes.insert(member.clone(), boundary.id.clone());
        }
    }
    let parents = project.boundaries.iter().map(|b| (b.id.clone(), b.parent.clone())).collect();
    (homes, parents)
}

#[test]
fn frames_nest_by_parent_link_and_by_geometry() {
    let project = import("plain.drawio", None).project;
    let kinds: BTreeMap<&str, BoundaryKind> =
        project.boundaries.iter().map(|b| (b.id.as_str(), b.kind)).collect();
    assert_eq!(
        kinds,
        BTreeMap::from([
            ("aws-cloud", BoundaryKind::Account),
            ("eu-west-1", BoundaryKind::Region),
            ("shop-vpc", BoundaryKind::Vpc),
            ("availability-zone-a", BoundaryKind::AvailabilityZone),
            ("public-subnet", BoundaryKind::Subnet),
            ("app-subnet-private", BoundaryKind::Subnet),
            ("web-security-group", BoundaryKind::SecurityGroup),
        ])
    );
    let (homes, parents) = structure(&project);
    // Five levels of frames by parent link, each with coordinates relative to its parent.
    assert_eq!(parents["eu-west-1"].as_deref(), Some("aws-cloud"));
    assert_eq!(parents["shop-vpc"].as_deref(), Some("eu-west-1"));
    assert_eq!(parents["availability-zone-a"].as_deref(), Some("shop-vpc"));
    assert_eq!(parents["public-subnet"].as_deref(), Some("availability-zone-a"));
    assert_eq!(parents["app-subnet-private"].as_deref(), Some("availability-zone-a"));
    // A plain red rectangle drawn over the web servers is their security group, by geometry.
    assert_eq!(parents["web-security-group"].as_deref(), Some("app-subnet-private"));
    assert_eq!(
        homes,
        BTreeMap::from([
            ("shop-alb".to_owned(), "public-subnet".to_owned()), // by parent link, 5 deep
            ("web-servers".to_owned(), "web-security-group".to_owned()), // linked to the subnet, drawn in the group
            ("orders-db".to_owned(), "app-subnet-private".to_owned()),   // by geometry only
            ("logs".to_owned(), "eu-west-1".to_owned()),                 // in the Region, outside the VPC
        ])
    );
    assert!(project.boundaries.iter().all(|b| b.rect.is_some()));
}

#[test]
fn security_group_frames_are_subnets_told_apart_by_colour() {
    let project = import("plain.drawio", None).project;
    // Green and unlabelled: a public subnet; teal and labelled: the label says it is private.
    assert_eq!(boundary(&project, "public-subnet").label, "Public subnet");
    assert_eq!(boundary(&project, "app-subnet-private").label, "App subnet (private)");
}

#[test]
fn cards_sit_inside_their_frames_and_frames_inside_theirs() {
    for name in ["plain.drawio", "legacy.xml"] {
        let project = import(name, None).project;
        for boundary in &project.boundaries {
            let frame = boundary.rect.unwrap();
            for member in &boundary.members {
                let pos = node(&project, member).position.unwrap();
                let centre = whoowns::model::ops::node_centre(pos);
                assert!(frame.contains(centre), "{name}: {member} is drawn outside {}", boundary.id);
            }
            if let Some(parent) = &boundary.parent {
                let outer = project.boundary(parent).unwrap().rect.unwrap();
                assert!(outer.contains_rect(frame), "{name}: {} sticks out of {parent}", boundary.id);
            }
        }
    }
}

#[test]
fn labels_come_from_html_text_next_to_icons_and_edge_label_cells() {
    let imported = import("plain.drawio", None);
    let project = &imported.project;
    assert_eq!(node(project, "web-servers").label, "Web servers", "HTML stripped, lines joined");
    assert_eq!(node(project, "orders-db").label, "Orders DB", "the text under an unlabelled icon");
    assert_eq!(node(project, "shop-alb").service, "elb");
    assert_eq!(node(project, "shoppers").service, "users");
    assert_eq!(node(project, "assets").service, "s3");
    assert_eq!(node(project, "logs").service, "cloudwatch", "cloudwatch_2 folds into CloudWatch");

    let https = flow(project, "shoppers", "shop-alb");
    assert_eq!((https.protocol.as_str(), https.encrypted_in_transit), ("HTTPS", Some(true)));
    let http = flow(project, "shop-alb", "web-servers");
    assert_eq!(
        (http.label.as_str(), http.protocol.as_str(), http.encrypted_in_transit),
        ("HTTP (8080)", "HTTP", Some(false))
    );
    let sql = flow(project, "web-servers", "orders-db");
    assert_eq!((sql.label.as_str(), sql.protocol.as_str()), ("PostgreSQL queries", "PostgreSQL"));
    // The arrow head is at the start: the flow goes the other way.
    assert_eq!(flow(project, "web-servers", "logs").label, "logs");
    // A free end on the bucket joins it; one in empty space is left out and counted.
    let free = flow(project, "web-servers", "assets");
    assert!(free.encrypted_in_transit == Some(false) && free.protocol.is_empty());
    assert_eq!(project.flows.len(), 5);
    let shapes = imported.report.shapes.as_ref().unwrap();
    assert_eq!((shapes.edges, shapes.edges_left_out.values().sum::<usize>()), (6, 1));
    assert!(imported.report.render().contains("1: connectors with an end attached to nothing"));
}

#[test]
fn nothing_is_dropped_silently() {
    let imported = import("plain.drawio", None);
    let project = &imported.project;
    // An AWS icon the mapping does not know keeps its label and place as a node to re-assign.
    let unknown = node(project, "fleet-hub");
    assert_eq!((unknown.service.as_str(), unknown.label.as_str()), ("other_aws", "Fleet hub"));
    assert!(unknown.position.is_some());
    assert!(unknown.notes.contains("aws4.iot_core_next"), "{}", unknown.notes);
    // Text, images and other labelled shapes are kept as notes.
    for note in
        ["- text: Draft – to be reviewed", "- image (https://example.com/logo.png): Logo", "- box: Legend"]
    {
        assert!(project.description.contains(note), "{note} in {}", project.description);
    }
    let shapes = imported.report.shapes.clone().unwrap();
    assert_eq!(shapes.aws_shapes, 12);
    assert_eq!((shapes.services, shapes.boundaries, shapes.unrecognised_count()), (6, 5, 1));
    assert_eq!(shapes.mapped(), 11);
    assert_eq!(shapes.captions, 1);
    assert_eq!(shapes.notes, BTreeMap::from([("image".into(), 1), ("shape".into(), 1), ("text".into(), 1)]));
    assert_eq!(shapes.left_out.get("hidden shapes or shapes on hidden layers"), Some(&1));
    assert!(project.node("retired-function").is_none(), "hidden layers are left out");
    let text = imported.report.render();
    assert!(text.contains("AWS shapes: 12, mapped 11 (91.7%)"), "{text}");
    assert!(text.contains("aws4.iot_core_next (1)"), "{text}");
    assert!(imported.report.summary().starts_with("Imported 7 nodes, 5 flows and 7 boundaries"));
}

#[test]
fn reassigning_an_unrecognised_node_is_one_edit() {
    let catalog = Catalog::builtin();
    let project = import("plain.drawio", None).project;
    let mut document = Document::new(project, None, catalog);
    let placeholder = "fleet-hub/other_aws.identify_service";
    assert!(document.derivation().task(placeholder).is_some());
    let mut changed = document.project().node("fleet-hub").unwrap().clone();
    changed.service = "sqs".into();
    document.apply(Edit::SetNode(changed)).unwrap();
    document.refresh(catalog);
    assert!(document.derivation().task(placeholder).is_none());
    assert!(document.derivation().tasks.iter().any(|t| t.key.starts_with("fleet-hub/sqs.")));
    assert!(document.undo().unwrap());
    assert_eq!(document.project().node("fleet-hub").unwrap().service, "other_aws");
}

#[test]
fn compressed_pages_import_like_plain_ones() {
    let plain = import("plain.drawio", None);
    let compressed = import("compressed.drawio", None);
    assert_eq!(plain.project.nodes, compressed.project.nodes);
    assert_eq!(plain.project.flows, compressed.project.flows);
    assert_eq!(plain.project.boundaries, compressed.project.boundaries);
    assert!(compressed.report.shapes.as_ref().unwrap().compressed);
}

#[test]
fn pages_are_chosen_by_name_or_number() {
    let first = import("pages.drawio", None);
    assert_eq!(first.project.nodes.iter().map(|n| n.service.as_str()).collect::<Vec<_>>(), ["lambda"]);
    assert!(first.report.warnings.iter().any(|w| w.contains("3 pages") && w.contains("--page")));
    for choice in ["2", "Détail", "détail"] {
        let second = import("pages.drawio", Some(choice));
        let mut services: Vec<&str> = second.project.nodes.iter().map(|n| n.service.as_str()).collect();
        services.sort_unstable();
        assert_eq!(services, ["s3", "sqs"], "{choice}");
        let queue = flow(&second.project, "uploads", "jobs");
        // "SQS API over TLS": the label says encrypted without naming a protocol of the table.
        assert_eq!((queue.protocol.as_str(), queue.encrypted_in_transit), ("", Some(true)));
    }
    assert!(import("pages.drawio", Some("Empty")).project.nodes.is_empty());
    let bytes = std::fs::read(fixture("pages.drawio")).unwrap();
    let error = import_drawio("pages.drawio", &bytes, Some("4"), Catalog::builtin()).unwrap_err().to_string();
    assert_eq!(error, "pages.drawio: no page \"4\"; the pages are 1 \"Overview\", 2 \"Détail\", 3 \"Empty\"");
}

#[test]
fn legacy_frames_corner_icons_and_group_wrappers() {
    // A bare <mxGraphModel>, 2017 shapes, frames made of plain rectangles.
    let project = import("legacy.xml", None).project;
    let kinds: BTreeMap<&str, BoundaryKind> =
        project.boundaries.iter().map(|b| (b.id.as_str(), b.kind)).collect();
    assert_eq!(
        kinds,
        BTreeMap::from([
            ("region-eu-central-1", BoundaryKind::Region), // named by its label
            ("vpc", BoundaryKind::Vpc),                    // the VPC icon on its corner
            ("availability-zone", BoundaryKind::AvailabilityZone), // the aws3 sidebar's colour
            ("subnet", BoundaryKind::Subnet),              // the permissions icon on its corner
        ])
    );
    let (homes, parents) = structure(&project);
    assert_eq!(parents["vpc"].as_deref(), Some("region-eu-central-1"));
    assert_eq!(parents["availability-zone"].as_deref(), Some("vpc"));
    assert_eq!(parents["subnet"].as_deref(), Some("availability-zone"));
    // The children of draw.io's Group wrapper, placed relative to it, are in the subnet.
    assert_eq!(homes.get("app-server").map(String::as_str), Some("subnet"));
    assert_eq!(homes.get("cache").map(String::as_str), Some("subnet"));
    assert_eq!(node(&project, "internet").service, "internet");
    assert_eq!(node(&project, "admin").service, "users");
    assert_eq!(flow(&project, "app-server", "cache").protocol, "Redis");
    assert_eq!(project.flows.len(), 2, "the connector ending on a frame is left out");
}

/// The plain fixture's `<mxfile>`, as draw.io embeds it in an editable SVG.
fn svg_with(xml: &str) -> String {
    let escaped = xml.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n\
         <svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\" content=\"{escaped}\"><rect width=\"10\" height=\"10\"/></svg>\n"
    )
}

/// A PNG carrying `xml` in a `tEXt` chunk named `mxfile`, percent-encoded, as draw.io writes it.
fn png_with(xml: &str) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend_from_slice(&u32::try_from(data.len()).unwrap().to_be_bytes());
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&[0; 4]);
    }
    let mut text = b"mxfile\0".to_vec();
    for byte in xml.bytes() {
        if byte.is_ascii_alphanumeric() {
            text.push(byte);
        } else {
            text.extend_from_slice(format!("%{byte:02X}").as_bytes());
        }
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut out, b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);
    chunk(&mut out, b"tEXt", &text);
    chunk(&mut out, b"IDAT", &[]);
    chunk(&mut out, b"IEND", &[]);
    out
}

#[test]
fn svg_and_png_images_carry_the_diagram() {
    let xml = std::fs::read_to_string(fixture("plain.drawio")).unwrap();
    let plain = import("plain.drawio", None).project;
    let svg = import_bytes("plain.drawio.svg", svg_with(&xml).as_bytes()).unwrap().project;
    let png = import_bytes("plain.drawio.png", &png_with(&xml)).unwrap().project;
    for project in [svg, png] {
        assert_eq!(project.nodes, plain.nodes);
        assert_eq!(project.flows, plain.flows);
        assert_eq!(project.boundaries, plain.boundaries);
    }
}

fn compressed_page(payload: &str) -> String {
    format!("<mxfile>\n  <diagram name=\"P\">{payload}</diagram>\n</mxfile>")
}

#[test]
fn hostile_input_gets_a_clear_error_never_a_hang() {
    let error = |bytes: &[u8]| import_bytes("evil.drawio", bytes).unwrap_err().to_string();
    // Entity expansion: refused before anything expands.
    let laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>\n<mxfile><diagram>&c;</diagram></mxfile>";
    let text = error(laughs.as_bytes());
    assert!(text.starts_with("evil.drawio:2:") && text.contains("DTD"), "{text}");
    // Nesting a hundred thousand deep: no stack overflow.
    let deep =
        format!("<mxfile><diagram>{}{}</diagram></mxfile>", "<a>".repeat(100_000), "</a>".repeat(100_000));
    let project = import_bytes("deep.drawio", deep.as_bytes()).unwrap().project;
    assert!(project.nodes.is_empty());
    // A cell nested a hundred thousand deep by parent links.
    let mut chain = String::from("<mxGraphModel><root><mxCell id=\"0\"/><mxCell id=\"1\" parent=\"0\"/>");
    for i in 0..100_000 {
        let parent = if i == 0 { "1".to_owned() } else { format!("g{}", i - 1) };
        chain.push_str(&format!("<mxCell id=\"g{i}\" style=\"group\" vertex=\"1\" parent=\"{parent}\"><mxGeometry x=\"1\" as=\"geometry\"/></mxCell>"));
    }
    chain.push_str("<mxCell id=\"x\" value=\"deep\" style=\"shape=mxgraph.aws4.lambda_function\" vertex=\"1\" parent=\"g99999\"><mxGeometry width=\"48\" height=\"48\" as=\"geometry\"/></mxCell></root></mxGraphModel>");
    let project = import_bytes("chain.drawio", chain.as_bytes()).unwrap().project;
    assert_eq!(project.nodes[0].label, "deep");
    // A huge attribute: read, and the label cut.
    let huge = format!(
        "<mxGraphModel><root><mxCell id=\"0\"/><mxCell id=\"1\" parent=\"0\"/><mxCell id=\"2\" value=\"{}\" style=\"shape=mxgraph.aws4.bucket\" vertex=\"1\" parent=\"1\"><mxGeometry width=\"78\" height=\"78\" as=\"geometry\"/></mxCell></root></mxGraphModel>",
        "x".repeat(5_000_000)
    );
    let project = import_bytes("huge.drawio", huge.as_bytes()).unwrap().project;
    assert_eq!(project.nodes[0].label.chars().count(), 200);
    // Bad base64, bad deflate, a deflate bomb, bad percent-encoding.
    let text = error(compressed_page("!!not base64!!").as_bytes());
    assert!(
        text.starts_with("evil.drawio:2:3: page \"P\": the compressed page is not valid base64"),
        "{text}"
    );
    let text = error(compressed_page("AAAAAAAAAAAA").as_bytes());
    assert!(text.contains("does not inflate as raw DEFLATE"), "{text}");
    // Anything else is not a diagram, and says so.
    assert!(error(b"<html><body/></html>").contains("not a draw.io diagram"));
    assert!(error(b"\xff\xfe<mxfile/>").contains("not valid UTF-8"));
    assert!(error(b"<mxfile><diagram>").contains("invalid XML"));
    assert!(error(b"\x89PNG\r\n\x1a\n\0\0\0\0IEND\0\0\0\0").contains("no `mxfile` text chunk"));
    assert!(error(b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>").contains("no `content` attribute"));
}

#[test]
fn a_deflate_bomb_stops_at_the_limit() {
    use base64::Engine as _;
    // 80 MiB of one byte deflates to about 80 KiB; inflating stops at 64 MiB.
    let bomb = miniz_oxide::deflate::compress_to_vec(&vec![b'A'; 80 << 20], 1);
    assert!(bomb.len() < 1 << 20);
    let payload = base64::engine::general_purpose::STANDARD.encode(bomb);
    let text = import_bytes("bomb.drawio", compressed_page(&payload).as_bytes()).unwrap_err().to_string();
    assert!(text.contains("inflates to more than 67108864 bytes"), "{text}");
}

fn load(name: &str) -> Project {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("examples/{name}.ron"));
    whoowns::io::load(&path, Catalog::builtin()).unwrap().project
}

fn export_drawio(project: &Project) -> Vec<u8> {
    let catalog = Catalog::builtin();
    export(project, catalog, &derive(project, catalog), Format::Drawio, "2026-11-28").unwrap()
}

/// Checks what draw.io requires of a file: one `<mxfile>` of `<diagram>` pages, each a
/// `<mxGraphModel>` whose `<root>` starts with cell 0 and a layer, ids unique, every parent,
/// source and target naming a cell before it is used or anywhere on the page.
fn assert_drawio_file(bytes: &[u8]) {
    let text = std::str::from_utf8(bytes).unwrap();
    let document = roxmltree::Document::parse(text).unwrap();
    let mxfile = document.root_element();
    assert_eq!(mxfile.tag_name().name(), "mxfile");
    for diagram in mxfile.children().filter(roxmltree::Node::is_element) {
        assert_eq!(diagram.tag_name().name(), "diagram");
        let model = diagram.children().find(|n| n.has_tag_name("mxGraphModel")).unwrap();
        let root = model.children().find(|n| n.has_tag_name("root")).unwrap();
        let mut ids = std::collections::HashSet::new();
        let mut references = Vec::new();
        for (index, element) in root.children().filter(roxmltree::Node::is_element).enumerate() {
            let cell = match element.tag_name().name() {
                "mxCell" => element,
                "object" | "UserObject" => element.children().find(|n| n.has_tag_name("mxCell")).unwrap(),
                other => panic!("unexpected <{other}>"),
            };
            let id = element.attribute("id").unwrap();
            assert!(ids.insert(id.to_owned()), "duplicate id {id}");
            match index {
                0 => assert_eq!((id, cell.attribute("parent")), ("0", None)),
                1 => assert_eq!((id, cell.attribute("parent")), ("1", Some("0"))),
                _ => {
                    references.push(cell.attribute("parent").unwrap().to_owned());
                    let vertex = cell.attribute("vertex") == Some("1");
                    let edge = cell.attribute("edge") == Some("1");
                    assert!(vertex != edge, "{id} is a vertex or an edge");
                    if edge {
                        references.push(cell.attribute("source").unwrap().to_owned());
                        references.push(cell.attribute("target").unwrap().to_owned());
                    }
                    let geometry = cell.children().find(|n| n.has_tag_name("mxGeometry")).unwrap();
                    assert_eq!(geometry.attribute("as"), Some("geometry"));
                }
            }
        }
        for reference in references {
            assert!(ids.contains(&reference), "{reference} names no cell");
        }
    }
}

#[test]
fn the_export_is_a_well_formed_drawio_file() {
    for name in ["ecommerce", "serverless", "containers", "workspaces"] {
        assert_drawio_file(&export_drawio(&load(name)));
    }
    let text = String::from_utf8(export_drawio(&load("ecommerce"))).unwrap();
    // Current AWS4 icons, AWS group frames, the owner strip and a legend.
    assert!(text.contains("shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.ec2;"));
    assert!(text.contains("shape=mxgraph.aws4.group;grIcon=mxgraph.aws4.group_vpc2;"));
    assert!(text.contains(":layer16\""));
    assert!(text.contains("who owns what (whoowns)"));
}

/// What a round trip must keep: everything about nodes, boundaries and flows, positions and
/// frames where the original had them.
fn assert_same_design(original: &Project, back: &Project) {
    assert_eq!(back.name, original.name);
    assert_eq!(back.description, original.description);
    assert_eq!(back.nodes.len(), original.nodes.len());
    for node in &original.nodes {
        let mut got = back.node(&node.id).unwrap_or_else(|| panic!("{} lost", node.id)).clone();
        if node.position.is_none() {
            got.position = None;
        }
        assert_eq!(&got, node);
    }
    assert_eq!(back.boundaries.len(), original.boundaries.len());
    for boundary in &original.boundaries {
        let mut got = back.boundary(&boundary.id).unwrap_or_else(|| panic!("{} lost", boundary.id)).clone();
        if boundary.rect.is_none() {
            got.rect = None;
        }
        let mut want = boundary.clone();
        want.members.sort();
        got.members.sort();
        assert_eq!(got, want);
    }
    let mut flows = back.flows.clone();
    flows.sort_by(|a, b| a.id.cmp(&b.id));
    let mut want = original.flows.clone();
    want.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(flows, want);
}

#[test]
fn export_then_import_gives_the_same_design() {
    for name in ["ecommerce", "serverless", "containers", "workspaces"] {
        let original = load(name);
        let back = import_bytes(&format!("{name}.drawio"), &export_drawio(&original)).unwrap().project;
        assert_same_design(&original, &back);
    }
    // Hostile strings, variants, data classes, notes and an unencrypted flow survive too.
    let evil = "<b>bold</b> \"quoted\" & 'single'\nsecond line\ttab";
    let mut project = Project::named(evil);
    project.description = evil.to_owned();
    let mut web = Node::new("web", "ecs");
    web.variant = Some("fargate".into());
    web.label = evil.to_owned();
    web.notes = evil.to_owned();
    web.data = whoowns::model::DataClass::Restricted;
    web.internet_facing = true;
    web.position = Some(whoowns::model::Pos::new(-120.5, 33.25));
    let mut db = Node::new("db", "rds");
    db.position = Some(whoowns::model::Pos::new(400.0, 300.0));
    project.nodes = vec![web, db];
    let mut vpc = Boundary::new("vpc", BoundaryKind::Vpc);
    vpc.label = evil.to_owned();
    vpc.rect = Some(Rect { x: -200.0, y: -50.0, w: 900.0, h: 600.0 });
    let mut subnet = Boundary::new("subnet", BoundaryKind::Subnet);
    subnet.label = "Public web".into();
    subnet.parent = Some("vpc".into());
    subnet.members = vec!["web".into(), "db".into()];
    subnet.rect = Some(Rect { x: -150.0, y: 0.0, w: 800.0, h: 500.0 });
    project.boundaries = vec![vpc, subnet];
    let mut flow = Flow::new("f", "web", "db");
    flow.label = evil.to_owned();
    flow.protocol = "PostgreSQL".into();
    flow.encrypted_in_transit = Some(false);
    project.flows = vec![flow];
    let bytes = export_drawio(&project);
    assert_drawio_file(&bytes);
    let back = import_bytes("evil.drawio", &bytes).unwrap().project;
    assert_same_design(&project, &back);
}

fn whoowns(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_whoowns")).args(args).output().unwrap()
}

#[test]
fn the_command_line_imports_pages_and_exports_drawio() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("detail.ron");
    let pages = fixture("pages.drawio");
    let output =
        whoowns(&["import", pages.to_str().unwrap(), "-o", out.to_str().unwrap(), "--page", "Détail"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("(draw.io): 2 nodes, 1 flow, 0 boundaries"), "{stderr}");
    assert!(stderr.contains("Page \"Détail\" (2 of 3, compressed)"), "{stderr}");
    let project = whoowns::io::load(&out, Catalog::builtin()).unwrap().project;
    assert_eq!(project.nodes.len(), 2);

    let output = whoowns(&["import", pages.to_str().unwrap(), "-o", out.to_str().unwrap(), "--page", "9"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no page \"9\""));
    let template = dir.path().join("t.yaml");
    std::fs::write(&template, "Resources: {}\n").unwrap();
    let output = whoowns(&["import", template.to_str().unwrap(), "-o", out.to_str().unwrap(), "--page", "2"]);
    assert!(String::from_utf8_lossy(&output.stderr).contains("only be chosen in a draw.io diagram"));

    let drawio = dir.path().join("shop.drawio");
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ecommerce.ron");
    let output =
        whoowns(&["export", example.to_str().unwrap(), "--format", "drawio", "-o", drawio.to_str().unwrap()]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_drawio_file(&std::fs::read(&drawio).unwrap());
    let back = dir.path().join("back.ron");
    let output = whoowns(&["import", drawio.to_str().unwrap(), "-o", back.to_str().unwrap()]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}

mod mutations {
    //! A little fuzzing inside `cargo test`: the fixtures with bytes flipped, cut and inserted
    //! (the cargo-fuzz target `import_drawio` does this at length). Every input gives a valid
    //! project or an error.
    use proptest::prelude::*;

    use super::{Catalog, fixture, import_drawio};

    fn mutated() -> impl Strategy<Value = Vec<u8>> {
        let sources: Vec<Vec<u8>> = ["plain.drawio", "compressed.drawio", "pages.drawio", "legacy.xml"]
            .iter()
            .map(|name| std::fs::read(fixture(name)).unwrap())
            .collect();
        (0..sources.len(), proptest::collection::vec((any::<u32>(), any::<u8>(), 0..8_u8), 1..6)).prop_map(
            move |(which, edits)| {
                let mut bytes = sources[which].clone();
                for (at, byte, kind) in edits {
                    let at = at as usize % (bytes.len() + 1);
                    // Mostly changed and inserted bytes; now and then a cut.
                    match kind {
                        7 => bytes.truncate(at.max(1)),
                        1..=3 => bytes.insert(at, byte),
                        _ if at < bytes.len() => bytes[at] = byte,
                        _ => bytes.push(byte),
                    }
                }
                bytes
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        /// What the cargo-fuzz target `import_drawio` checks, on mutated fixtures.
        #[test]
        fn mutated_diagrams_import_or_fail_cleanly(bytes in mutated()) {
            let catalog = Catalog::builtin();
            if let Ok(imported) = import_drawio("mutated.drawio", &bytes, None, catalog) {
                prop_assert!(whoowns::io::validate(&imported.project, catalog, "").is_empty());
                let mut project = imported.project;
                whoowns::layout::lay_out(&mut project);
                let derivation = whoowns::checklist::derive(&project, catalog);
                let exported = whoowns::export::export(
                    &project,
                    catalog,
                    &derivation,
                    whoowns::export::Format::Drawio,
                    "2026-01-01",
                )
                .unwrap();
                prop_assert!(import_drawio("again.drawio", &exported, None, catalog).is_ok());
            }
        }
    }
}
