//! Where a write really goes. A symbolic link is followed to the file it names (which is then
//! replaced, the link kept); a pipe, socket or character device (`/dev/stdout`, `/dev/null`, a
//! FIFO) is written to as a stream, never replaced by a regular file; a folder or a block device
//! is refused with a message that says why.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// How often a chain of links is followed before giving up, as the system does (`ELOOP`).
const MAX_LINKS: usize = 40;

/// What a path to write names.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// A regular file, or nothing yet: the path with every link resolved, to be replaced
    /// atomically.
    File(PathBuf),
    /// A pipe, socket or character device: written to as it is.
    Stream(PathBuf),
}

/// Classifies `path` for writing; an error for what cannot be written.
pub(crate) fn resolve(path: &Path) -> io::Result<Target> {
    match fs::metadata(path) {
        Ok(metadata) if metadata.is_dir() => {
            Err(io::Error::new(io::ErrorKind::IsADirectory, "it is a folder; give a file name"))
        }
        Ok(metadata) if is_stream(&metadata) => Ok(Target::Stream(path.to_owned())),
        Ok(metadata) if !metadata.is_file() => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "it is a block device or another special file; whoowns writes files, pipes and character devices",
        )),
        // A regular file, nothing, or a link to nothing.
        _ => final_target(path).map(Target::File),
    }
}

/// Whether `metadata` is of a pipe, socket or character device.
#[cfg(unix)]
fn is_stream(metadata: &fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt as _;
    let kind = metadata.file_type();
    kind.is_fifo() || kind.is_socket() || kind.is_char_device()
}

#[cfg(not(unix))]
fn is_stream(_metadata: &fs::Metadata) -> bool {
    false
}

/// `path` with links followed until it names something that is not a link (or nothing): the
/// file a write through `path` must replace.
pub(crate) fn final_target(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_owned();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&current) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                let target = fs::read_link(&current)?;
                // A relative target is relative to the link's folder; `join` keeps an absolute one.
                current = match current.parent() {
                    Some(folder) => folder.join(target),
                    None => target,
                };
            }
            _ => return Ok(current),
        }
    }
    Err(io::Error::other(format!("more than {MAX_LINKS} symbolic links in a chain (a loop?)")))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn links_are_followed_to_the_file_they_name() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.csv");
        fs::write(&real, "x").unwrap();
        std::os::unix::fs::symlink("real.csv", dir.path().join("one")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("one"), dir.path().join("two")).unwrap();
        assert_eq!(resolve(&dir.path().join("two")).unwrap(), Target::File(real));
        let missing = dir.path().join("missing.csv");
        std::os::unix::fs::symlink("missing.csv", dir.path().join("dangling")).unwrap();
        assert_eq!(resolve(&dir.path().join("dangling")).unwrap(), Target::File(missing.clone()));
        assert_eq!(resolve(&missing).unwrap(), Target::File(missing));
    }

    #[test]
    fn devices_are_streams_and_folders_and_loops_are_refused() {
        assert_eq!(resolve(Path::new("/dev/null")).unwrap(), Target::Stream("/dev/null".into()));
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(resolve(dir.path()).unwrap_err().kind(), io::ErrorKind::IsADirectory);
        std::os::unix::fs::symlink("b", dir.path().join("a")).unwrap();
        std::os::unix::fs::symlink("a", dir.path().join("b")).unwrap();
        assert!(resolve(&dir.path().join("a")).unwrap_err().to_string().contains("loop"));
    }
}
