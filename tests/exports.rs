//! Every export format: golden outputs for every example (rewrite them with
//! `UPDATE_GOLDEN=1 cargo test --test exports` after a deliberate change, and review the diff),
//! determinism, and escaping of hostile strings in every format.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "test helpers fail loudly")]

use std::path::{Path, PathBuf};

use whoowns::catalog::Catalog;
use whoowns::checklist::derive;
use whoowns::export::{Format, export};
use whoowns::model::{Flow, Node, Project, TaskState, TaskStatus};

const DATE: &str = "2026-11-28";

/// The examples in `examples/`, each with golden exports under `tests/golden/`.
const EXAMPLES: [&str; 4] = ["ecommerce", "serverless", "containers", "workspaces"];

fn load_example(name: &str) -> Project {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("examples/{name}.ron"));
    whoowns::io::load(&path, Catalog::builtin()).unwrap().project
}

fn example() -> Project {
    load_example("ecommerce")
}

fn render(project: &Project, format: Format) -> Vec<u8> {
    let catalog = Catalog::builtin();
    export(project, catalog, &derive(project, catalog), format, DATE).unwrap()
}

fn golden_path(example: &str, format: Format) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(format!("{example}.{}", format.extension()))
}

#[test]
fn every_example_has_a_golden_file_for_every_text_export() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    for example in EXAMPLES {
        let project = load_example(example);
        for format in Format::ALL.into_iter().filter(|f| *f != Format::Png) {
            let output = render(&project, format);
            let path = golden_path(example, format);
            if update {
                std::fs::write(&path, &output).unwrap();
                continue;
            }
            let expected = std::fs::read(&path)
                .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1)", path.display()));
            assert!(
                output == expected,
                "{} differs from its golden file; if the change is intended, run UPDATE_GOLDEN=1 cargo test --test exports",
                path.display()
            );
        }
    }
}

#[test]
fn the_golden_list_names_every_example() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut found: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        // Designs only: `ecommerce.findings.json` goes with the e-commerce design (docs/evidence.md).
        .filter(|path| path.extension().is_some_and(|e| e == "ron"))
        .filter_map(|path| path.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    found.sort();
    let mut listed = EXAMPLES.map(str::to_owned).to_vec();
    listed.sort();
    assert_eq!(found, listed);
}

#[test]
fn every_export_is_deterministic() {
    let project = example();
    for format in Format::ALL {
        assert_eq!(render(&project, format), render(&project, format), "{format:?}");
    }
}

#[test]
fn png_is_the_svg_at_twice_the_size() {
    let project = example();
    let png = render(&project, Format::Png);
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
    let svg = String::from_utf8(render(&project, Format::Svg)).unwrap();
    let attribute = |name: &str| -> f32 {
        let start = svg.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        svg[start..].split('"').next().unwrap().parse().unwrap()
    };
    assert_eq!(width, (attribute("width") * 2.0).ceil() as u32);
    assert_eq!(height, (attribute("height") * 2.0).ceil() as u32);
}

/// A project whose every string is hostile.
fn hostile() -> Project {
    let evil = "<script>alert(1)</script> \"quoted\" | pipe # hash & amp `tick` [link](x) \\ back\nnew line =SUM(A1)";
    let mut project = Project::named(evil);
    project.description = evil.to_owned();
    let mut web = Node::new("web", "ec2");
    web.label = evil.to_owned();
    let mut db = Node::new("db", "rds");
    db.label = "db".into();
    project.nodes.extend([web, db]);
    let mut flow = Flow::new("f", "web", "db");
    flow.label = evil.to_owned();
    flow.encrypted_in_transit = Some(false);
    project.flows.push(flow);
    let mut vpc = whoowns::model::Boundary::new("vpc", whoowns::model::BoundaryKind::Vpc);
    vpc.label = evil.to_owned();
    vpc.members = vec!["web".into(), "db".into()];
    project.boundaries.push(vpc);
    project.tasks.insert(
        "web/ec2.imdsv2".into(),
        TaskState { status: TaskStatus::Done, note: evil.to_owned(), ticket: evil.to_owned(), updated: None },
    );
    project
}

fn text(project: &Project, format: Format) -> String {
    String::from_utf8(render(project, format)).unwrap()
}

#[test]
fn html_and_svg_show_markup_as_text() {
    let project = hostile();
    for format in [Format::Html, Format::Svg] {
        let out = text(&project, format);
        assert!(!out.contains("<script>"), "{format:?} lets a script through");
        assert!(out.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{format:?}");
        assert!(!out.contains("\"quoted\""), "{format:?} leaves quotes unescaped");
    }
    // The SVG is well-formed enough for a real parser (the PNG export renders it).
    assert!(render(&project, Format::Png).starts_with(b"\x89PNG"));
}

#[test]
fn markdown_escapes_markup() {
    let out = text(&hostile(), Format::Markdown);
    assert!(out.contains("\\<script\\>alert\\(1\\)\\</script\\>"), "{out}");
    assert!(!out.contains("[link](x)"), "links are escaped");
    assert!(out.contains("\\| pipe") && !out.contains("\" | pipe"), "table pipes are escaped");
}

#[test]
fn csv_quotes_cells_and_defuses_formulas() {
    let out = text(&hostile(), Format::Csv);
    let mut reader_rows = 0;
    // Every record has the header's number of fields when parsed as RFC 4180.
    let mut fields = 0;
    let mut in_quotes = false;
    let mut chars = out.chars().peekable();
    let mut counts = Vec::new();
    while let Some(c) = chars.next() {
        match (c, in_quotes) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
            }
            ('"', _) => in_quotes = !in_quotes,
            (',', false) => fields += 1,
            ('\n', false) => {
                counts.push(fields + 1);
                fields = 0;
                reader_rows += 1;
            }
            _ => {}
        }
    }
    assert!(reader_rows > 2);
    assert!(counts.iter().all(|&n| n == counts[0]), "{counts:?}");
    assert!(!out.contains(",=SUM"), "formulas are defused");
}

#[test]
fn mermaid_and_dot_keep_labels_inside_their_quotes() {
    let project = hostile();
    let mermaid = text(&project, Format::Mermaid);
    for line in mermaid.lines().filter(|l| l.contains("alert")) {
        let quotes = line.matches('"').count();
        assert_eq!(quotes % 2, 0, "unbalanced quotes in {line}");
        assert!(!line.contains("<script>"), "{line}");
    }
    let dot = text(&project, Format::Dot);
    for line in dot.lines().filter(|l| l.contains("alert")) {
        let unescaped = line.replace("\\\\", "").replace("\\\"", "");
        assert_eq!(unescaped.matches('"').count() % 2, 0, "unbalanced quotes in {line}");
    }
    assert!(!dot.contains('\n') || dot.lines().all(|l| !l.starts_with("new line")), "newlines are escaped");
}
