//! The evidence targets of issue #15, measured with criterion on synthetic findings
//! (`whoowns::evidence::synthetic`, the same for every run):
//!
//! 1. `evidence/read`: reading 200,000 ASFF findings (about 100 MB, as `aws securityhub
//!    get-findings` prints them) from a file, streamed; target ≤ 2 s;
//! 2. `evidence/place`: placing them on the 10,000-service generated design;
//! 3. `evidence/load`: reading them back from the evidence file.
//!
//! Run: `cargo bench --bench evidence`. Figures are in docs/benchmarks.md.
#![allow(clippy::expect_used, reason = "a benchmark that cannot set up should stop loudly")]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use whoowns::catalog::Catalog;
use whoowns::checklist::derive;
use whoowns::evidence::{self, Evidence, synthetic};
use whoowns::generate::generate;

/// The allocator the `whoowns` binary uses (src/main.rs), so the figures are the app's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SERVICES: usize = 10_000;
const FINDINGS: usize = 200_000;

fn evidence_benches(c: &mut Criterion) {
    let catalog = Catalog::builtin();
    let mut project = generate(SERVICES, 1, catalog);
    synthetic::add_resources(&mut project, catalog);
    let text = synthetic::asff_findings(&project, catalog, FINDINGS, 1);
    let dir = tempfile::tempdir().expect("temporary folder");
    let findings = dir.path().join("findings.json");
    std::fs::write(&findings, &text).expect("write findings");
    eprintln!("{FINDINGS} findings, {} bytes ({:.1} MB)", text.len(), text.len() as f64 / 1e6);
    drop(text);

    let mut group = c.benchmark_group("evidence");
    group.sample_size(10);
    group.bench_function("read", |b| {
        b.iter(|| evidence::read_findings(black_box(&findings)).expect("reads"));
    });
    let read = evidence::read_findings(&findings).expect("reads");
    let evidence = Evidence::from_reads(vec![read]);
    let derivation = derive(&project, catalog);
    group.bench_function("place", |b| {
        b.iter(|| evidence::place(black_box(&project), catalog, &derivation, &evidence));
    });
    let placement = evidence::place(&project, catalog, &derivation, &evidence);
    eprintln!(
        "{} findings kept, {} placed, {} unplaced, {} unknown",
        evidence.findings.len(),
        placement.placed,
        placement.unplaced.iter().map(|u| u.findings.len()).sum::<usize>(),
        placement.unknown.iter().map(|u| u.findings as usize).sum::<usize>()
    );
    let saved = dir.path().join("design.evidence.json");
    evidence.save(&saved).expect("save evidence");
    group.bench_function("load", |b| {
        b.iter(|| Evidence::load(black_box(&saved)).expect("loads"));
    });
    group.finish();
}

criterion_group!(benches, evidence_benches);
criterion_main!(benches);
