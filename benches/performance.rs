//! The performance targets of issue #5, measured with criterion at 100, 1,000 and 10,000
//! services (projects from `whoowns::generate`, the same for every run):
//!
//! 1. `derive`: ownership, the project summary and the full checklist;
//! 2. `load` and `save`: the `.ron` file (save includes fsync and rename);
//! 3. `frame`: the real canvas UI in a headless egui context at 1920×1080, egui pass plus
//!    tessellation, zoomed to fit and at 100%;
//! 4. `drag`: moving a selection of 100 nodes by one step, with the derivation that follows.
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
use whoowns::ui::Theme;
use whoowns::ui::canvas::{CanvasState, canvas_ui};

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
                history.undo(&mut project);
                derived
            });
        });
    }
    group.finish();
}

criterion_group!(benches, derivation, files, frame, drag);
criterion_main!(benches);
