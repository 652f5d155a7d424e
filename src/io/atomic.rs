//! Crash-safe file replacement: write a temporary file beside the target, fsync it, rename it
//! over the target, fsync the folder. A reader (or a crash) sees the old file or the new one,
//! never a mix. The new file keeps the old one's owner, group and mode; a write through a link
//! replaces the file the link names and keeps the link; a pipe or device is written as a stream
//! (see [`super::target`]).

use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use super::target::{self, Target};

/// How old a temporary file of ours must be before a later save removes it as the leftover of
/// a killed one: never one that a save in progress may still be writing.
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(3600);

/// Where the previous version of `path` is kept: `path` with `.bak` appended
/// (`design.ron` → `design.ron.bak`).
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().map(std::ffi::OsStr::to_os_string).unwrap_or_default();
    name.push(".bak");
    path.with_file_name(name)
}

/// Replaces the file at `path` with `bytes`, atomically. With `keep_backup`, the file it
/// replaces is kept at [`backup_path`]. On error `path` is unchanged.
///
/// `path` may be a link (the file it names is replaced, the link kept) or a pipe or character
/// device (the bytes are written to it; there is nothing to replace). A folder, a block device,
/// or a file whose owner could not be kept is refused with an error that says so.
pub fn write_atomically(path: &Path, bytes: &[u8], keep_backup: bool) -> io::Result<()> {
    match target::resolve(path)? {
        Target::Stream(device) => stream(&device, bytes),
        Target::File(file) => replace(&file, bytes, keep_backup),
    }
}

/// Writes `bytes` to the pipe or device at `path`.
fn stream(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut device = fs::OpenOptions::new().write(true).open(path)?;
    device.write_all(bytes)?;
    device.flush()
}

/// Replaces the regular file (or nothing) at `path`: temporary, fsync, rename, fsync folder.
fn replace(path: &Path, bytes: &[u8], keep_backup: bool) -> io::Result<()> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    remove_stale_temporaries(folder, &name);
    let mut temporary =
        tempfile::Builder::new().prefix(&format!(".{name}.")).suffix(".tmp").tempfile_in(folder).map_err(
            |error| {
                io::Error::new(
                    error.kind(),
                    format!(
                        "cannot make a temporary file in {} to replace {name} atomically: {error}",
                        folder.display()
                    ),
                )
            },
        )?;
    temporary.write_all(bytes)?;
    temporary.as_file().sync_all()?;
    if let Ok(metadata) = fs::metadata(path) {
        keep_owner(temporary.as_file(), &metadata, &name)?;
        // Keep the permissions of the file being replaced (after the owner: a change of owner
        // clears set-id bits).
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

/// Gives the new file the owner and group of the one it replaces (root formatting a user's
/// file must not take it over). When that is not allowed (another user's file, a group we are
/// not in), nothing is replaced: the error says why.
#[cfg(unix)]
fn keep_owner(file: &fs::File, original: &fs::Metadata, name: &str) -> io::Result<()> {
    use std::os::unix::fs::MetadataExt as _;
    let ours = file.metadata()?;
    if (ours.uid(), ours.gid()) == (original.uid(), original.gid()) {
        return Ok(());
    }
    std::os::unix::fs::fchown(file, Some(original.uid()), Some(original.gid())).map_err(|error| {
        io::Error::new(
            error.kind(),
            format!(
                "{name} belongs to user {} and group {}; whoowns saves by replacing the file and cannot give                  the new one that owner ({error}); save to another file or as its owner",
                original.uid(),
                original.gid()
            ),
        )
    })
}

#[cfg(not(unix))]
fn keep_owner(_file: &fs::File, _original: &fs::Metadata, _name: &str) -> io::Result<()> {
    Ok(())
}

/// Temporary files of ours that a killed save left behind, when they are older than
/// [`STALE_AFTER`]: `.NAME.*.tmp` (the new text and, as `.NAME.bak.*.tmp`, the backup being
/// made) and `.bak.*.tmp` (backups being made by earlier versions of whoowns).
fn remove_stale_temporaries(folder: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(folder) else { return };
    let prefix = format!(".{name}.");
    let Some(cutoff) = std::time::SystemTime::now().checked_sub(STALE_AFTER) else { return };
    for entry in entries.filter_map(Result::ok) {
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        let ours =
            (file_name.starts_with(&prefix) || file_name.starts_with(".bak.")) && file_name.ends_with(".tmp");
        if !ours {
            continue;
        }
        let stale = entry.metadata().and_then(|m| m.modified()).is_ok_and(|modified| modified < cutoff);
        let regular = entry.file_type().is_ok_and(|kind| kind.is_file());
        if stale && regular {
            fs::remove_file(entry.path()).ok();
        }
    }
}

/// Links (or, where links are not possible, copies) the current file to its backup path, through
/// a temporary name so the backup itself is never half-written.
fn keep_previous_version(path: &Path, folder: &Path) -> io::Result<()> {
    let backup = backup_path(path);
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let staging =
        tempfile::Builder::new().prefix(&format!(".{name}.bak.")).suffix(".tmp").tempfile_in(folder)?;
    let staging_path = staging.path().to_owned();
    // Close and remove the placeholder; the name is ours for the link or copy.
    drop(staging);
    if fs::hard_link(path, &staging_path).is_err() {
        fs::copy(path, &staging_path)?;
        if let Ok(file) = fs::File::open(&staging_path) {
            file.sync_all().ok();
        }
    }
    let renamed = fs::rename(&staging_path, &backup);
    // When the backup already is this very file (another save linked it a moment ago), the
    // rename of one link over another of the same file succeeds and does nothing: the staging
    // name is still there. It is ours alone, so it goes either way.
    fs::remove_file(&staging_path).ok();
    renamed
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

    /// Two saves at once: the second links the current file to its staging name while the
    /// backup already is that same file, and `rename` of two links to one file does nothing.
    #[test]
    fn a_backup_that_already_is_the_file_leaves_no_staging_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.ron");
        fs::write(&path, b"one").unwrap();
        keep_previous_version(&path, dir.path()).unwrap();
        keep_previous_version(&path, dir.path()).unwrap();
        let mut names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, ["p.ron", "p.ron.bak"]);
    }

    #[test]
    fn stale_backup_staging_files_are_cleaned_up() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.ron");
        let legacy = dir.path().join(".bak.Ab12Cd.tmp");
        fs::write(&legacy, b"old").unwrap();
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
        fs::File::options().write(true).open(&legacy).unwrap().set_modified(old).unwrap();
        write_atomically(&path, b"x", true).unwrap();
        assert!(!legacy.exists(), "an old backup staging file is removed");
    }

    #[test]
    fn backup_path_appends_bak() {
        assert_eq!(backup_path(Path::new("a/b.ron")), PathBuf::from("a/b.ron.bak"));
    }
}
