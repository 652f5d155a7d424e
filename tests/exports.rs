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
        TaskState {
            status: TaskStatus::Done,
            note: evil.to_owned(),
            ticket: evil.to_owned(),
            updated: None,
            team: None,
        },
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
    // The title is in the YAML front matter: one double-quoted scalar, `\` and `"` escaped.
    let title = mermaid.lines().nth(1).unwrap();
    let inside = title.strip_prefix("title: \"").and_then(|t| t.strip_suffix('"')).unwrap();
    assert!(!inside.replace("\\\\", "").replace("\\\"", "").contains(['"', '\\']), "{title}");
    for line in mermaid.lines().skip(3).filter(|l| l.contains("alert")) {
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

/// Line breaks in the name, labels, ticket and notes (issue #17): each stays inside the item it
/// belongs to and never starts a heading, a list item, a setext underline or a code block.
#[test]
fn line_breaks_never_make_markdown_structure() {
    let injected =
        "x\n# Heading\n- [x] fake item\n1. ordered\n===\n        indented code\n```\nfence\n> quote";
    let mut project = Project::named(injected);
    let mut web = Node::new("web", "ec2");
    web.label = injected.to_owned();
    project.nodes.push(web);
    project.tasks.insert(
        "web/ec2.imdsv2".into(),
        TaskState {
            status: TaskStatus::Done,
            note: injected.to_owned(),
            ticket: injected.to_owned(),
            updated: Some(injected.to_owned()),
            team: None,
        },
    );
    let out = text(&project, Format::Markdown);
    for line in out.lines() {
        let trimmed = line.trim_start();
        assert!(!trimmed.starts_with("# Heading"), "a heading was injected: {line:?}");
        assert!(!trimmed.starts_with("- [x] fake"), "a list item was injected: {line:?}");
        assert!(!trimmed.starts_with("1. ordered"), "an ordered list was injected: {line:?}");
        assert!(trimmed != "===" && !trimmed.starts_with("```"), "{line:?}");
        assert!(!line.starts_with("            "), "an indented code block was injected: {line:?}");
    }
    assert_eq!(out.lines().filter(|l| l.starts_with("# ")).count(), 1, "{out}");
}

/// Characters XML 1.0 does not allow (U+FFFE, U+FFFF, C0 controls) made the SVG invalid and the
/// PNG export fail.
#[test]
fn xml_invalid_characters_never_reach_svg_or_html() {
    let bad = "a\u{fffe}b\u{ffff}c\u{1}d\u{1b}e\u{8}f\u{9b}g";
    let mut project = Project::named(bad);
    project.description = bad.to_owned();
    let mut web = Node::new("web", "ec2");
    web.label = bad.to_owned();
    project.nodes.push(web);
    project.tasks.insert(
        "web/ec2.imdsv2".into(),
        TaskState {
            status: TaskStatus::Done,
            note: bad.to_owned(),
            ticket: bad.to_owned(),
            updated: None,
            team: None,
        },
    );
    for format in [Format::Svg, Format::Html] {
        let out = text(&project, format);
        let invalid: Vec<char> = out
            .chars()
            .filter(|&c| matches!(c, '\u{fffe}' | '\u{ffff}') || (c.is_control() && c != '\n' && c != '\t'))
            .collect();
        assert!(invalid.is_empty(), "{format:?}: {invalid:?}");
    }
    assert!(render(&project, Format::Png).starts_with(b"\x89PNG"), "the PNG renders");
}

/// The Mermaid front matter is YAML: a backslash, a quote or a noncharacter in the name must
/// not break it (`\b` there is an escape, `\q` an error).
#[test]
fn mermaid_front_matter_holds_any_name() {
    let project = Project::named("C:\\temp \"quoted\" \u{fffe}\u{1b} #tag");
    let out = text(&project, Format::Mermaid);
    let title = out.lines().nth(1).unwrap();
    assert_eq!(title, "title: \"C:\\\\temp \\\"quoted\\\"  #tag\"", "{out}");
}

/// Spreadsheets run cells that start with a fullwidth `＝`, or with spaces before `=`, as formulas.
#[test]
fn csv_defuses_fullwidth_and_indented_formulas() {
    for payload in
        ["\u{ff1d}1+1", "  =1+1", "\t=1+1", "\u{ff0b}1", "\u{ff0d}1", "\u{ff20}SUM(A1)", "\u{3000}=1"]
    {
        let mut project = Project::named("p");
        let mut web = Node::new("web", "ec2");
        web.label = payload.to_owned();
        project.nodes.push(web);
        let out = text(&project, Format::Csv);
        let row = out.lines().find(|l| l.starts_with("web/ec2.imdsv2,")).unwrap();
        let label = row.split(',').nth(2).unwrap();
        assert!(label.starts_with("'") || label.starts_with("\"'"), "{payload:?} gives {label:?}");
    }
}
