//! The `whoowns` command: the desktop modeler when run without a subcommand, and headless
//! commands for scripts and CI.

mod cli;

use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    let started = std::time::Instant::now();
    let args = cli::Args::parse();
    match cli::run(args, started) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}
