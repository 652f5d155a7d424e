//! Property tests: random projects and random edit sequences, checking what must always hold.
//!
//! - Undoing every edit gives back the original document; redoing them gives the edited one.
//! - No edit ever leaves a flow, member or parent naming something missing.
//! - Saving then loading is the identity (on the canonical form), and the text is a fixed point.
//! - Task keys survive unrelated edits: relabelling or moving a node changes no key of a task
//!   about anything else.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "test helpers fail loudly")]

use std::collections::BTreeSet;
use std::path::Path;

use proptest::prelude::*;
use whoowns::catalog::Catalog;
use whoowns::checklist::derive;
use whoowns::io::{parse, to_ron_string, validate};
use whoowns::model::{
    Boundary, BoundaryKind, Edit, Flow, History, Node, Pos, Project, Rect, TaskState, TaskStatus, fragment,
    ops,
};

const SERVICES: [&str; 12] =
    ["ec2", "s3", "rds", "lambda", "ecs", "elb", "waf", "dynamodb", "internet", "users", "sqs", "cloudtrail"];

fn catalog() -> &'static Catalog {
    Catalog::builtin()
}

prop_compose! {
    fn arb_project()(
        nodes in prop::collection::vec((0..SERVICES.len(), 0..40i32, 0..30i32, any::<bool>(), 0..4u8), 1..24),
        flows in prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>(), any::<Option<bool>>()), 0..30),
        boundaries in prop::collection::vec((0..7usize, prop::collection::vec(any::<prop::sample::Index>(), 0..6), any::<Option<prop::sample::Index>>(), 0..30i32, 0..20i32, 4..20i32, 3..12i32), 0..6),
        states in prop::collection::vec((any::<prop::sample::Index>(), 0..5usize), 0..10),
    ) -> Project {
        let mut project = Project::named("random");
        for (i, (service, x, y, facing, data)) in nodes.into_iter().enumerate() {
            let mut node = Node::new(format!("n{i}"), SERVICES[service]);
            node.position = Some(Pos::new(x as f32 * 20.0, y as f32 * 20.0));
            node.internet_facing = facing;
            node.data = whoowns::model::DataClass::ALL[data as usize];
            project.nodes.push(node);
        }
        let n = project.nodes.len();
        for (i, (a, b, encrypted)) in flows.into_iter().enumerate() {
            let (a, b) = (a.index(n), b.index(n));
            if a != b {
                let mut flow = Flow::new(format!("f{i}"), format!("n{a}"), format!("n{b}"));
                flow.encrypted_in_transit = encrypted;
                project.flows.push(flow);
            }
        }
        for (i, (kind, members, parent, x, y, w, h)) in boundaries.into_iter().enumerate() {
            let mut boundary = Boundary::new(format!("b{i}"), BoundaryKind::ALL[kind]);
            let members: BTreeSet<String> = members.iter().map(|m| format!("n{}", m.index(n))).collect();
            boundary.members = members.into_iter().collect();
            // Parents only point at earlier boundaries, so there is never a loop.
            boundary.parent = parent.filter(|_| i > 0).map(|p| format!("b{}", p.index(i)));
            boundary.rect = Some(Rect { x: x as f32 * 20.0, y: y as f32 * 20.0, w: w as f32 * 40.0, h: h as f32 * 40.0 });
            project.boundaries.push(boundary);
        }
        let keys: Vec<String> = derive(&project, catalog()).tasks.into_iter().map(|t| t.key).collect();
        for (key, status) in states {
            if !keys.is_empty() {
                let state = TaskState { status: TaskStatus::ALL[status], ..TaskState::default() };
                project.tasks.insert(keys[key.index(keys.len())].clone(), state);
            }
        }
        project
    }
}

/// An edit a person could make, with its targets chosen by index into what exists then.
#[derive(Clone, Debug)]
enum Op {
    Place(usize, i32, i32),
    Connect(prop::sample::Index, prop::sample::Index),
    Move(Vec<prop::sample::Index>, Vec<prop::sample::Index>, i32, i32),
    Delete(Vec<prop::sample::Index>, Vec<prop::sample::Index>, Vec<prop::sample::Index>),
    Group(Vec<prop::sample::Index>, usize),
    Relabel(prop::sample::Index, String),
    Variant(prop::sample::Index, prop::sample::Index),
    Task(prop::sample::Index, usize),
    Paste(Vec<prop::sample::Index>, Vec<prop::sample::Index>),
    /// The file changed on disk and was reloaded.
    Reload(Box<Project>),
}

fn arb_op() -> impl Strategy<Value = Op> {
    let some = || prop::collection::vec(any::<prop::sample::Index>(), 0..4);
    prop_oneof![
        (0..SERVICES.len(), -10..50i32, -10..40i32).prop_map(|(s, x, y)| Op::Place(s, x, y)),
        (any::<prop::sample::Index>(), any::<prop::sample::Index>()).prop_map(|(a, b)| Op::Connect(a, b)),
        (some(), some(), -20..20i32, -20..20i32).prop_map(|(n, b, x, y)| Op::Move(n, b, x, y)),
        (some(), some(), some()).prop_map(|(n, f, b)| Op::Delete(n, f, b)),
        (some(), 0..7usize).prop_map(|(n, k)| Op::Group(n, k)),
        (any::<prop::sample::Index>(), "[a-zA-Z é✓]{0,12}").prop_map(|(n, l)| Op::Relabel(n, l)),
        (any::<prop::sample::Index>(), any::<prop::sample::Index>()).prop_map(|(n, v)| Op::Variant(n, v)),
        (any::<prop::sample::Index>(), 0..5usize).prop_map(|(k, s)| Op::Task(k, s)),
        (some(), some()).prop_map(|(n, b)| Op::Paste(n, b)),
        arb_project().prop_map(|p| Op::Reload(Box::new(p))),
    ]
}

fn pick<'a>(ids: &'a [String], indices: &[prop::sample::Index]) -> Vec<&'a str> {
    if ids.is_empty() {
        return Vec::new();
    }
    let set: BTreeSet<&str> = indices.iter().map(|i| ids[i.index(ids.len())].as_str()).collect();
    set.into_iter().collect()
}

/// The edit `op` stands for on `project`, if it applies.
fn edit_for(project: &Project, op: &Op) -> Option<Edit> {
    let nodes: Vec<String> = project.nodes.iter().map(|n| n.id.clone()).collect();
    let flows: Vec<String> = project.flows.iter().map(|f| f.id.clone()).collect();
    let boundaries: Vec<String> = project.boundaries.iter().map(|b| b.id.clone()).collect();
    let one = |i: &prop::sample::Index| (!nodes.is_empty()).then(|| nodes[i.index(nodes.len())].clone());
    Some(match op {
        Op::Place(service, x, y) => {
            let mut node = Node::new(project.unique_id(SERVICES[*service]), SERVICES[*service]);
            node.position = Some(Pos::new(*x as f32 * 20.0, *y as f32 * 20.0));
            ops::place_node(project, node)
        }
        Op::Connect(a, b) => ops::connect(project, &one(a)?, &one(b)?)?.0,
        Op::Move(n, b, dx, dy) => ops::move_selection(
            project,
            &pick(&nodes, n),
            &pick(&boundaries, b),
            *dx as f32 * 10.0,
            *dy as f32 * 10.0,
        ),
        Op::Delete(n, f, b) => {
            ops::delete(project, &pick(&nodes, n), &pick(&flows, f), &pick(&boundaries, b))
        }
        Op::Group(n, kind) => ops::group_into(project, &pick(&nodes, n), &[], BoundaryKind::ALL[*kind])?.0,
        Op::Relabel(n, label) => {
            let mut node = project.node(&one(n)?)?.clone();
            node.label = label.clone();
            Edit::SetNode(node)
        }
        Op::Variant(n, v) => {
            let mut node = project.node(&one(n)?)?.clone();
            let service = catalog().service(&node.service)?;
            if service.variants.is_empty() {
                return None;
            }
            node.variant = Some(service.variants[v.index(service.variants.len())].id.clone());
            Edit::SetNode(node)
        }
        Op::Task(k, status) => {
            let keys: Vec<String> = derive(project, catalog()).tasks.into_iter().map(|t| t.key).collect();
            if keys.is_empty() {
                return None;
            }
            let state = TaskState {
                status: TaskStatus::ALL[*status],
                note: "checked".into(),
                ..TaskState::default()
            };
            Edit::SetTask(keys[k.index(keys.len())].clone(), Some(state))
        }
        Op::Paste(n, b) => {
            let copied = fragment::extract(project, &pick(&nodes, n), &pick(&boundaries, b));
            fragment::paste(project, &copied, (40.0, 40.0)).0
        }
        Op::Reload(replacement) => Edit::ReplaceProject(replacement.clone()),
    })
}

/// The keys of the tasks about other nodes and flows. Account tasks are left out: moving a node
/// into or out of an account boundary changes which accounts it has, and so their tasks.
fn keys_not_about(project: &Project, node: &str) -> BTreeSet<String> {
    derive(project, catalog())
        .tasks
        .into_iter()
        .filter(|t| {
            !t.subject.concerns_node(node) && !matches!(t.subject, whoowns::checklist::Subject::Account(_))
        })
        .map(|t| t.key)
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn edits_keep_references_whole_and_undo_redo_exactly(
        original in arb_project(),
        ops in prop::collection::vec(arb_op(), 1..16),
    ) {
        prop_assert!(validate(&original, catalog(), "").is_empty(), "{:?}", validate(&original, catalog(), ""));
        let mut project = original.clone();
        let mut history = History::default();
        for op in &ops {
            let Some(edit) = edit_for(&project, op) else { continue };
            let before = project.clone();
            history.apply(&mut project, edit).unwrap();
            let problems = validate(&project, catalog(), "");
            prop_assert!(problems.is_empty(), "after {op:?}: {problems:?}");
            // Unrelated task keys survive relabelling and moving.
            match op {
                Op::Relabel(..) => prop_assert_eq!(
                    derive(&before, catalog()).tasks.iter().map(|t| t.key.clone()).collect::<Vec<_>>(),
                    derive(&project, catalog()).tasks.iter().map(|t| t.key.clone()).collect::<Vec<_>>()
                ),
                Op::Move(n, b, ..) if b.is_empty() && n.len() == 1 => {
                    let ids: Vec<String> = before.nodes.iter().map(|n| n.id.clone()).collect();
                    // Deletes can leave no nodes: then nothing moved.
                    if let Some(&moved) = pick(&ids, n).first() {
                        prop_assert_eq!(keys_not_about(&before, moved), keys_not_about(&project, moved));
                    }
                }
                _ => {}
            }
        }
        let edited = project.clone();
        while history.undo(&mut project).expect("every step undoes") {}
        prop_assert_eq!(&project, &original);
        while history.redo(&mut project).expect("every step redoes") {}
        prop_assert_eq!(&project, &edited);
    }

    #[test]
    fn save_then_load_is_the_identity(project in arb_project()) {
        let text = to_ron_string(&project).unwrap();
        let loaded = parse(Path::new("p.ron"), text.as_bytes(), catalog()).unwrap();
        let mut expected = project;
        expected.normalize();
        prop_assert_eq!(&loaded.project, &expected);
        prop_assert_eq!(to_ron_string(&loaded.project).unwrap(), text);
    }

    #[test]
    fn loading_arbitrary_text_never_panics(text in "\\PC{0,400}") {
        let _ = parse(Path::new("p.ron"), text.as_bytes(), catalog());
    }

    #[test]
    fn loading_mangled_projects_never_panics(project in arb_project(), cut in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let mut bytes = to_ron_string(&project).unwrap().into_bytes();
        let at = cut.index(bytes.len());
        bytes[at] = byte;
        let _ = parse(Path::new("p.ron"), &bytes, catalog());
        let _ = parse(Path::new("p.ron"), &bytes[..at], catalog());
    }
}
