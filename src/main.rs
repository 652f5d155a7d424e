//! The `whoowns` command: the desktop modeler when run without a subcommand, and headless
//! commands for scripts and CI.

mod cli;
mod cli_evidence;

use std::process::ExitCode;

use clap::Parser as _;

/// mimalloc rather than the system allocator: a derivation at 10,000 services makes and frees
/// some 70,000 small strings, and egui allocates every frame; with glibc's allocator that was
/// a quarter of the derivation's time (docs/benchmarks.md). rerun makes the same choice.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let started = std::time::Instant::now();
    let args = cli::Args::parse();
    match cli::run(args, started) {
        Ok(code) => code,
        Err(error) => {
            cli::note(&format!("error: {}", message(&error)));
            ExitCode::from(2)
        }
    }
}

/// The error and its causes on one line, each cause said once: many errors already include
/// their cause's text in their own (`cannot read the file: Is a directory`).
fn message(error: &anyhow::Error) -> String {
    let mut text = error.to_string();
    for cause in error.chain().skip(1) {
        let cause = cause.to_string();
        if !text.contains(&cause) {
            text.push_str(": ");
            text.push_str(&cause);
        }
    }
    text
}
