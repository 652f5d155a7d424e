//! Saving survives being killed at any moment: a child process writes a large project over an
//! existing one and is killed with SIGKILL 200 times, half of them at random moments and half
//! the moment its staging file appears (so kills are known to land inside a write); after each
//! kill the file is the complete old or the complete new version and loads, and the backup,
//! when there is one, is the old version.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "test helpers fail loudly")]

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use whoowns::catalog::Catalog;
use whoowns::generate::SplitMix64;
use whoowns::io::{backup_path, load};

const SERVICES: &str = "2000";
const KILLS: usize = 200;

fn generate(seed: &str, output: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_whoowns"));
    command.args(["generate", "--services", SERVICES, "--seed", seed, "-o"]).arg(output);
    command.stderr(std::process::Stdio::null());
    command
}

#[test]
fn a_save_killed_at_any_moment_leaves_the_old_or_the_new_file() {
    let dir = tempfile::tempdir().unwrap();
    let old_path = dir.path().join("old.ron");
    let new_path = dir.path().join("new.ron");
    assert!(generate("1", &old_path).status().unwrap().success());
    let started = Instant::now();
    assert!(generate("2", &new_path).status().unwrap().success());
    let full_run = started.elapsed();
    let old = std::fs::read(&old_path).unwrap();
    let new = std::fs::read(&new_path).unwrap();
    assert_ne!(old, new);

    let target = dir.path().join("estate.ron");
    let mut rng = SplitMix64::new(2026);
    let (mut saw_old, mut saw_new, mut mid_write) = (0, 0, 0);
    for round in 0..KILLS {
        std::fs::write(&target, &old).unwrap();
        std::fs::remove_file(backup_path(&target)).ok();
        // Most of a run is generating; the write is at the end. Kill anywhere from the middle
        // of the run to a little after it should have finished.
        let window = full_run.as_micros() as u64;
        let delay = Duration::from_micros(window / 2 + rng.next_u64() % (window * 7 / 10).max(1));
        let mut child = generate("2", &target).spawn().unwrap();
        if round % 2 == 0 {
            std::thread::sleep(delay);
        } else {
            // Watch for the staging file and kill as soon as it exists: mid-write.
            while child.try_wait().unwrap().is_none() && staging_files(dir.path()).is_empty() {
                std::hint::spin_loop();
            }
        }
        child.kill().ok();
        child.wait().unwrap();

        let now = std::fs::read(&target).unwrap();
        if now == old {
            saw_old += 1;
        } else if now == new {
            saw_new += 1;
        } else {
            panic!("round {round}: the file is neither the old nor the new version ({} bytes)", now.len());
        }
        load(&target, Catalog::builtin()).unwrap_or_else(|e| panic!("round {round}: {e}"));
        if let Ok(backup) = std::fs::read(backup_path(&target)) {
            assert_eq!(backup, old, "round {round}: the backup is the previous version");
        }
        // A kill between writing and renaming leaves a temporary file; it never replaces ours.
        let staging = staging_files(dir.path());
        if !staging.is_empty() {
            mid_write += 1;
        }
        for path in staging {
            std::fs::remove_file(path).ok();
        }
    }
    println!(
        "{KILLS} kills: {saw_old} left the old file, {saw_new} the new one, {mid_write} interrupted a write"
    );
    assert_eq!(saw_old + saw_new, KILLS);
    // Without this the test could pass without ever interrupting a write.
    assert!(mid_write > 0, "no kill landed inside a write");
}

/// The staging files (`.NAME.*.tmp`) of saves in progress or killed in `dir`.
fn staging_files(dir: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "tmp"))
        .collect()
}
