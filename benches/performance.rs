//! The performance targets of issue #5, measured with criterion at 100, 1,000 and 10,000
//! services (projects from `whoowns::generate`, the same for every run):
//!
//! 1. `derive`: ownership, the project summary and the full checklist;
//! 2. `load` and `save`: the `.ron` file (save includes fsync and rename);
//! 3. `frame`: the real canvas UI in a headless egui context at 1920×1080, egui pass plus
//!    tessellation, zoomed to fit and at 100%;
//! 4. `drag`: moving a selection of 100 nodes by one step, with the derivation that follows;
//! 5. `tasks_search`: one keystroke in the Tasks tab's search, and narrowing the list to a
//!    selected node, at 10,000 and 100,000 services (the tab's egui pass included);
//! 6. `select_all`: Select All and the canvas frame that shows it, at 10,000 and 100,000.
//!
//! Run: `cargo bench --bench performance`. Figures are in docs/benchmarks.md.
#![allow(clippy::expect_used, reason = "a benchmark that cannot set up should stop loudly")]

use std::hint::black_box;
use std::path::Path;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use whoowns::catalog::Catalog;
use whoowns::checklist::derive;
use whoowns::document::Document;
use whoowns::generate::generate;
use whoowns::model::{History, ops};
use whoowns::ui::canvas::{CanvasState, canvas_ui};
use whoowns::ui::panels::{Context, TasksState, tasks_ui};
use whoowns::ui::search::SearchIndex;
use whoowns::ui::{Selection, Theme};

/// The allocator the `whoowns` binary uses (src/main.rs), so the figures are the app's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SIZES: [usize; 3] = [100, 1_000, 10_000];

fn derivation(c: &mut Criterion) {
    let catalog = Catalog::builtin();
    let mut group = c.benchmark_group("derive");
    for n in SIZES {
        let project = generate(n, 1, catalog);
        group.bench_with_input(BenchmarkId::from_parameter(n), &project, |b, project| {
            b.iter(|| derive(black_box(project), catalog));
        });
        // The same, with dropping the result left out of the timing.
        group.bench_with_input(BenchmarkId::new("without_drop", n), &project, |b, project| {
            b.iter_with_large_drop(|| derive(black_box(project), catalog));
        });
    }
    group.finish();
}

fn files(c: &mut Criterion) {
    let catalog = Catalog::builtin();
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut group = c.benchmark_group("file");
    group.sample_size(20);
    for n in SIZES {
        let project = generate(n, 1, catalog);
        let text = whoowns::io::to_ron_string(&project).expect("serializes");
        group.bench_with_input(BenchmarkId::new("load", n), &text, |b, text| {
            b.iter(|| {
                whoowns::io::parse(Path::new("bench.ron"), black_box(text.as_bytes()), catalog)
                    .expect("loads")
            });
        });
        let path = dir.path().join(format!("bench-{n}.ron"));
        group.bench_with_input(BenchmarkId::new("save", n), &project, |b, project| {
            b.iter(|| whoowns::io::save(&path, black_box(project)).expect("saves"));
        });
    }
    group.finish();
}

/// One canvas frame: the egui pass and tessellation, as the app does 60 times a second.
fn frame(c: &mut Criterion) {
    let catalog = Catalog::builtin();
    let mut group = c.benchmark_group("frame");
    group.sample_size(20);
    for n in SIZES {
        let document = Document::new(generate(n, 1, catalog), None, catalog);
        for (label, zoom) in [("fit", None), ("100%", Some(1.0))] {
            let ctx = egui::Context::default();
            let mut state = CanvasState::default();
            let input = || egui::RawInput {
                screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1920.0, 1080.0))),
                ..Default::default()
            };
            let run = |state: &mut CanvasState| {
                let output = ctx.run_ui(input(), |ui| {
                    let _ = canvas_ui(ui, state, &document, catalog, Theme::Dark);
                });
                ctx.tessellate(output.shapes, output.pixels_per_point)
            };
            // The first frame fits the design into the view; then set the zoom under test.
            run(&mut state);
            if let Some(zoom) = zoom {
                state.set_zoom(zoom);
                run(&mut state);
            }
            group.bench_function(BenchmarkId::new(label, n), |b| b.iter(|| black_box(run(&mut state))));
        }
    }
    group.finish();
}

/// Dropping a drag of 100 nodes: the move edit with its membership changes, applied through
/// the undo history, and the derivation of the new revision (then undone for the next round).
fn drag(c: &mut Criterion) {
    let catalog = Catalog::builtin();
    let mut group = c.benchmark_group("drag_100_nodes");
    group.sample_size(20);
    for n in SIZES {
        let mut project = generate(n, 1, catalog);
        let selected: Vec<String> =
            project.nodes.iter().step_by((n / 100).max(1)).take(100).map(|n| n.id.clone()).collect();
        let mut history = History::default();
        group.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter(|| {
                let ids: Vec<&str> = selected.iter().map(String::as_str).collect();
                let edit = ops::move_selection(&project, &ids, &[], 20.0, 0.0);
                history.apply(&mut project, edit).expect("moves");
                let derived = derive(&project, catalog);
                history.undo(&mut project).expect("undoes");
                derived
            });
        });
    }
    group.finish();
}

/// The sizes of the interaction benchmarks: where a linear scan per task or per node would show.
const LARGE: [usize; 2] = [10_000, 100_000];

fn screen() -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1920.0, 1080.0))),
        ..Default::default()
    }
}

/// One keystroke in the Tasks tab's search: the query changes, the list is filtered again and
/// the tab is laid out. Also: building the search index (once per revision, on the first
/// keystroke after a change), and narrowing the list to one selected node.
fn tasks_search(c: &mut Criterion) {
    let catalog = Catalog::builtin();
    let mut group = c.benchmark_group("tasks_search");
    group.sample_size(10);
    for n in LARGE {
        let document = Document::new(generate(n, 1, catalog), None, catalog);
        let counts = document.derivation().counts();
        let context = Context { document: &document, catalog, dark: true };
        group.bench_function(BenchmarkId::new("index", n), |b| {
            b.iter(|| {
                let mut index = SearchIndex::default();
                index.refresh(black_box(&document), catalog);
                index
            });
        });
        let ctx = egui::Context::default();
        let mut search = SearchIndex::default();
        let mut state = TasksState::default();
        let mut actions = Vec::new();
        let mut frame = |state: &mut TasksState, selection: &Selection, search: &mut SearchIndex| {
            let _ = ctx.run_ui(screen(), |ui| {
                tasks_ui(ui, state, &context, &counts, selection, search, &mut actions);
            });
        };
        let none = Selection::default();
        state.search = "kms".into();
        frame(&mut state, &none, &mut search);
        let queries = ["kms", "kms."];
        let mut typed = 0;
        group.bench_function(BenchmarkId::new("keystroke", n), |b| {
            b.iter(|| {
                typed += 1;
                state.search = queries[typed % 2].into();
                frame(&mut state, &none, &mut search);
            });
        });
        state.search.clear();
        let project = document.project();
        let nodes =
            [Selection::only_node(&project.nodes[n / 3].id), Selection::only_node(&project.nodes[n / 2].id)];
        group.bench_function(BenchmarkId::new("focus_node", n), |b| {
            b.iter(|| {
                typed += 1;
                frame(&mut state, &nodes[typed % 2], &mut search);
            });
        });
    }
    group.finish();
}

/// Select All, then the canvas frame that draws it (zoomed to fit, egui pass and
/// tessellation), then Select None for the next round.
fn select_all(c: &mut Criterion) {
    let catalog = Catalog::builtin();
    let mut group = c.benchmark_group("select_all");
    group.sample_size(10);
    for n in LARGE {
        let document = Document::new(generate(n, 1, catalog), None, catalog);
        let ctx = egui::Context::default();
        let mut state = CanvasState::default();
        let run = |state: &mut CanvasState| {
            let output = ctx.run_ui(screen(), |ui| {
                let _ = canvas_ui(ui, state, &document, catalog, Theme::Dark);
            });
            ctx.tessellate(output.shapes, output.pixels_per_point)
        };
        run(&mut state);
        group.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter(|| {
                state.select(Selection::all(document.project()));
                let frame = run(&mut state);
                state.select(Selection::default());
                frame
            });
        });
        // The frames that follow, with everything still selected.
        state.select(Selection::all(document.project()));
        group.bench_function(BenchmarkId::new("next_frame", n), |b| b.iter(|| black_box(run(&mut state))));
    }
    group.finish();
}

criterion_group!(benches, derivation, files, frame, drag, tasks_search, select_all);
criterion_main!(benches);
