//! Crash-safe file replacement: write a temporary file beside the target, fsync it, rename it
//! over the target, fsync the folder. A reader (or a crash) sees the old file or the new one,
//! never a mix.

use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

/// Where the previous version of `path` is kept: `path` with `.bak` appended
/// (`design.ron` → `design.ron.bak`).
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().map(std::ffi::OsStr::to_os_string).unwrap_or_default();
    name.push(".bak");
    path.with_file_name(name)
}

/// Replaces the file at `path` with `bytes`, atomically. With `keep_backup`, the file it
/// replaces is kept at [`backup_path`]. On error `path` is unchanged.
pub fn write_atomically(path: &Path, bytes: &[u8], keep_backup: bool) -> io::Result<()> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    remove_stale_temporaries(folder, &name);
    let mut temporary =
        tempfile::Builder::new().prefix(&format!(".{name}.")).suffix(".tmp").tempfile_in(folder)?;
    temporary.write_all(bytes)?;
    temporary.as_file().sync_all()?;
    if let Ok(metadata) = fs::metadata(path) {
        // Keep the permissions of the file being replaced.
        temporary.as_file().set_permissions(metadata.permissions()).ok();
        if keep_backup {
            keep_previous_version(path, folder)?;
        }
    } else {
        // Temporary files are private (0600); a new project file is an ordinary one.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            temporary.as_file().set_permissions(fs::Permissions::from_mode(0o644)).ok();
        }
    }
    temporary.persist(path).map_err(|error| error.error)?;
    sync_folder(folder);
    Ok(())
}

/// Temporary files of ours that a killed save left behind (`.NAME.*.tmp`), when they are more
/// than an hour old: never one that another save may still be writing.
fn remove_stale_temporaries(folder: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(folder) else { return };
    let prefix = format!(".{name}.");
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for entry in entries.filter_map(Result::ok) {
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        let stale = entry.metadata().and_then(|m| m.modified()).is_ok_and(|modified| modified < hour_ago);
        if file_name.starts_with(&prefix) && file_name.ends_with(".tmp") && stale {
            fs::remove_file(entry.path()).ok();
        }
    }
}

/// Links (or, where links are not possible, copies) the current file to its backup path, through
/// a temporary name so the backup itself is never half-written.
fn keep_previous_version(path: &Path, folder: &Path) -> io::Result<()> {
    let backup = backup_path(path);
    let staging = tempfile::Builder::new().prefix(".bak.").suffix(".tmp").tempfile_in(folder)?;
    let staging_path = staging.path().to_owned();
    // Close and remove the placeholder; the name is ours for the link or copy.
    drop(staging);
    if fs::hard_link(path, &staging_path).is_err() {
        fs::copy(path, &staging_path)?;
        if let Ok(file) = fs::File::open(&staging_path) {
            file.sync_all().ok();
        }
    }
    fs::rename(&staging_path, &backup).inspect_err(|_| {
        fs::remove_file(&staging_path).ok();
    })
}

/// Makes a rename durable: fsync the folder that holds it (a no-op where folders cannot be
/// opened, as on Windows).
fn sync_folder(folder: &Path) {
    if let Ok(handle) = fs::File::open(folder) {
        handle.sync_all().ok();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_and_keeps_a_backup() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.ron");
        write_atomically(&path, b"one", true).unwrap();
        assert!(!backup_path(&path).exists(), "no backup of a file that did not exist");
        write_atomically(&path, b"two", true).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(fs::read(backup_path(&path)).unwrap(), b"one");
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "temporary files left behind: {leftovers:?}");
    }

    #[cfg(unix)]
    #[test]
    fn new_files_are_readable_by_others_and_existing_ones_keep_their_mode() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.ron");
        write_atomically(&path, b"one", false).unwrap();
        assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o644);
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        write_atomically(&path, b"two", false).unwrap();
        assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }

    #[test]
    fn failed_write_leaves_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing-folder").join("p.ron");
        assert!(write_atomically(&path, b"x", true).is_err());
        assert!(!path.exists());

        // The rename itself fails (a folder is in the way): what was there stays, and the
        // temporary is gone.
        let blocked = dir.path().join("blocked.ron");
        fs::create_dir(&blocked).unwrap();
        fs::write(blocked.join("inside"), b"old").unwrap();
        assert!(write_atomically(&blocked, b"new", false).is_err());
        assert_eq!(fs::read(blocked.join("inside")).unwrap(), b"old");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, [std::ffi::OsString::from("blocked.ron")]);
    }

    #[test]
    fn stale_temporaries_of_killed_saves_are_cleaned_up_fresh_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.ron");
        let stale = dir.path().join(".p.ron.abc123.tmp");
        let fresh = dir.path().join(".p.ron.def456.tmp");
        let other = dir.path().join(".q.ron.abc123.tmp");
        for file in [&stale, &fresh, &other] {
            fs::write(file, b"half").unwrap();
        }
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
        for file in [&stale, &other] {
            fs::File::options().write(true).open(file).unwrap().set_modified(old).unwrap();
        }
        write_atomically(&path, b"x", true).unwrap();
        assert!(!stale.exists(), "an old leftover of this file is removed");
        assert!(fresh.exists(), "a recent one may belong to a save in progress");
        assert!(other.exists(), "another file's leftovers are not ours");
    }

    #[test]
    fn backup_path_appends_bak() {
        assert_eq!(backup_path(Path::new("a/b.ron")), PathBuf::from("a/b.ron.bak"));
    }
}
