//! Importing CloudFormation, SAM and Terraform: the fixtures under `tests/fixtures/import/` and
//! small sources written inline, one module per subject; the helpers every module uses are here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "test helpers fail loudly")]

mod bounds;
mod cloudformation;
mod fixtures;
mod flows;
mod terraform;

use std::path::{Path, PathBuf};

use whoowns::catalog::Catalog;
use whoowns::checklist;
use whoowns::import::{self, ImportError, Imported, SourceFormat};
use whoowns::model::{BoundaryKind, Flow, Node, Project, TaskStatus, is_valid_id};
use whoowns::protocol::{InTransit, Protocols, flow_encryption};

const FIXTURES: [&str; 8] = [
    "multi-tier-web.yaml",
    "serverless-api.yaml",
    "eks-cluster.json",
    "terraform-plan.json",
    "pasted-json-and-anchors.yaml",
    "classic-web-tier.yaml",
    "fan-out-and-scaling.yaml",
    "terraform-provider-v5.json",
];

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import").join(name)
}

fn import_fixture(name: &str) -> Imported {
    import::import_file(&fixture(name), Catalog::builtin()).unwrap_or_else(|error| panic!("{error}"))
}

fn import_text(name: &str, text: &str) -> Imported {
    import::import_str(name, text, Catalog::builtin()).unwrap_or_else(|error| panic!("{error}"))
}

/// The node labelled `label` (the logical id or Terraform address).
fn node<'a>(project: &'a Project, label: &str) -> &'a Node {
    project.nodes.iter().find(|n| n.label == label).unwrap_or_else(|| {
        let labels: Vec<&str> = project.nodes.iter().map(|n| n.label.as_str()).collect();
        panic!("no node labelled {label:?}; there are {labels:?}")
    })
}

fn flow<'a>(project: &'a Project, from: &str, to: &str) -> &'a Flow {
    let (from, to) = (&node(project, from).id, &node(project, to).id);
    project.flows.iter().find(|f| &f.from == from && &f.to == to).unwrap_or_else(|| {
        let flows: Vec<String> = project.flows.iter().map(|f| format!("{} -> {}", f.from, f.to)).collect();
        panic!("no flow {from} -> {to}; there are {flows:#?}")
    })
}

/// Whether a flow is encrypted, as the rules read it: its flag, else its protocol.
fn in_transit(flow: &Flow) -> InTransit {
    flow_encryption(flow, Protocols::builtin()).in_transit
}

fn has_flow(project: &Project, from: &str, to: &str) -> bool {
    let (from, to) = (&node(project, from).id, &node(project, to).id);
    project.flows.iter().any(|f| &f.from == from && &f.to == to)
}

/// The labels of the members of the boundary labelled `label` (labels start with the logical id).
fn members(project: &Project, label: &str) -> Vec<String> {
    let boundary = project
        .boundaries
        .iter()
        .find(|b| b.label == label || b.label.starts_with(&format!("{label} ")))
        .unwrap_or_else(|| panic!("no boundary labelled {label:?}"));
    let mut labels: Vec<String> =
        boundary.members.iter().map(|m| project.node(m).unwrap().label.clone()).collect();
    labels.sort();
    labels
}

fn boundary_parent_label(project: &Project, label: &str) -> Option<String> {
    let boundary = project.boundaries.iter().find(|b| b.label.split(' ').next() == Some(label))?;
    let parent = boundary.parent.as_deref()?;
    Some(project.boundary(parent)?.label.clone())
}

fn done_note(project: &Project, node_label: &str, task: &str) -> String {
    let key = format!("{}/{task}", node(project, node_label).id);
    let state = project.tasks.get(&key).unwrap_or_else(|| {
        panic!("task {key} is not marked; marked: {:#?}", project.tasks.keys().collect::<Vec<_>>())
    });
    assert_eq!(state.status, TaskStatus::Done, "{key}");
    assert_eq!(state.updated, None, "{key}");
    state.note.clone()
}

fn folded(imported: &Imported, line: &str) -> bool {
    imported.report.folded.iter().any(|f| f == line)
}

/// What every import must give: a valid project, laid out by nobody yet, whose done tasks are all
/// real tasks of the derived checklist.
fn assert_sound(imported: &Imported) {
    let catalog = Catalog::builtin();
    let project = &imported.project;
    let problems = whoowns::io::validate(project, catalog, "");
    assert!(problems.is_empty(), "{problems:#?}");
    for node in &project.nodes {
        assert!(is_valid_id(&node.id).is_ok(), "{}", node.id);
        assert!(node.position.is_none(), "{}", node.id);
        assert!(!node.label.is_empty(), "{}", node.id);
    }
    for boundary in &project.boundaries {
        assert!(boundary.rect.is_none(), "{}", boundary.id);
    }
    let derivation = checklist::derive(project, catalog);
    assert!(derivation.orphaned.is_empty(), "orphaned: {:?}", derivation.orphaned);
    let derived: std::collections::HashSet<&str> = derivation.tasks.iter().map(|t| t.key.as_str()).collect();
    for (key, state) in &project.tasks {
        assert!(derived.contains(key.as_str()), "{key} is not a task of the derived checklist");
        assert_eq!(state.status, TaskStatus::Done);
        assert!(state.note.starts_with("set in "), "{key}: {}", state.note);
    }
    assert_eq!(imported.report.satisfied.len(), project.tasks.len());
    assert_eq!(imported.report.nodes, project.nodes.len());
    assert_eq!(imported.report.flows, project.flows.len());
    assert_eq!(imported.report.boundaries, project.boundaries.len());
    // The file whoowns writes for it loads back as it was.
    let text = whoowns::io::to_ron_string(project).unwrap();
    let loaded = whoowns::io::parse(Path::new("imported.ron"), text.as_bytes(), catalog).unwrap();
    let mut expected = project.clone();
    expected.normalize();
    assert_eq!(loaded.project, expected);
}

/// Whether the task `task` (`service.template`) of the node labelled `label` is marked done.
fn is_done(project: &Project, label: &str, task: &str) -> bool {
    project.tasks.contains_key(&format!("{}/{task}", node(project, label).id))
}
