//! What an output may overwrite. `export d.ron -o d.ron` used to replace the project with its
//! CSV: an export never overwrites a file the command reads, nor any whoowns project; an import
//! or a generated project never overwrites the command's input. The command line and the app
//! both write exports through [`write_export`].

use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use super::target::{self, Target};

/// Why an output was not written. Nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The output is a file the command reads (by this or another name).
    #[error("{}: refusing to overwrite {}, which this command reads; choose another output", path.display(), input.display())]
    IsAnInput {
        /// The output asked for.
        path: PathBuf,
        /// The input it is.
        input: PathBuf,
    },
    /// The output is a whoowns project (or its backup, or a recovery file), and exports never
    /// replace one.
    #[error("{}: refusing to overwrite a whoowns project with an export; choose another output", path.display())]
    IsAProject {
        /// The output asked for.
        path: PathBuf,
    },
    /// Writing failed, or the output cannot be written (a folder, a block device).
    #[error("{}: cannot write: {cause}", path.display())]
    Io {
        /// The output asked for.
        path: PathBuf,
        /// What went wrong. Part of the message, not a `source()`.
        cause: std::io::Error,
    },
}

/// Writes an export to `path` ([`super::write_atomically`], no backup), unless `path` is one of
/// `inputs` or a whoowns project.
pub fn write_export(path: &Path, bytes: &[u8], inputs: &[&Path]) -> Result<(), OutputError> {
    ensure_not_an_input(path, inputs)?;
    ensure_not_a_project(path)?;
    super::write_atomically(path, bytes, false)
        .map_err(|cause| OutputError::Io { path: path.to_owned(), cause })
}

/// An error when `path` names the same file as one of `inputs` (through links, hard links or
/// another spelling). Pipes and devices are never "the same file": `-o /dev/stdout` is fine.
pub fn ensure_not_an_input(path: &Path, inputs: &[&Path]) -> Result<(), OutputError> {
    let Ok(Target::File(output)) = target::resolve(path) else { return Ok(()) };
    match inputs.iter().find(|input| same_file(&output, input)) {
        Some(input) => Err(OutputError::IsAnInput { path: path.to_owned(), input: input.to_path_buf() }),
        None => Ok(()),
    }
}

/// An error when `path` (through links) is a file that starts like a whoowns project.
pub fn ensure_not_a_project(path: &Path) -> Result<(), OutputError> {
    let Ok(Target::File(output)) = target::resolve(path) else { return Ok(()) };
    let mut head = Vec::with_capacity(4096);
    let read = fs::File::open(&output).and_then(|file| file.take(4096).read_to_end(&mut head));
    if read.is_ok() && looks_like_a_project(&String::from_utf8_lossy(&head)) {
        return Err(OutputError::IsAProject { path: path.to_owned() });
    }
    Ok(())
}

/// Whether two paths name one existing file.
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        match (fs::metadata(a), fs::metadata(b)) {
            (Ok(a), Ok(b)) => a.is_file() && a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        match (fs::canonicalize(a), fs::canonicalize(b)) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        }
    }
}

/// Whether `head` (the start of a file) is the start of a project or recovery file: after a
/// byte-order mark, blank space, comments and `#![enable(…)]` attributes, `Project(`,
/// `Recovery(`, or `(` followed by `version`.
fn looks_like_a_project(head: &str) -> bool {
    let mut rest = head.strip_prefix('\u{feff}').unwrap_or(head);
    loop {
        rest = rest.trim_start();
        if let Some(comment) = rest.strip_prefix("//") {
            rest = comment.split_once('\n').map_or("", |(_, after)| after);
        } else if let Some(comment) = rest.strip_prefix("/*") {
            rest = comment.split_once("*/").map_or("", |(_, after)| after);
        } else if let Some(attribute) = rest.strip_prefix("#!") {
            rest = attribute.split_once(']').map_or("", |(_, after)| after);
        } else {
            break;
        }
    }
    let named = |name: &str| rest.strip_prefix(name).is_some_and(|after| after.trim_start().starts_with('('));
    named("Project")
        || named("Recovery")
        || rest.strip_prefix('(').is_some_and(|after| after.trim_start().starts_with("version"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projects_are_recognised_by_their_start() {
        assert!(looks_like_a_project("Project(\n    version: 1,"));
        assert!(looks_like_a_project("\u{feff}// mine\n/* x */ #![enable(implicit_some)]\n(version: 1)"));
        assert!(looks_like_a_project("Recovery(version: 1"));
        assert!(!looks_like_a_project("key,node,label"));
        assert!(!looks_like_a_project("# Project(s)"));
        assert!(!looks_like_a_project(""));
    }

    #[test]
    fn an_export_refuses_inputs_and_projects_and_writes_elsewhere() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("d.ron");
        fs::write(&project, "Project(version: 1)").unwrap();
        let error = write_export(&project, b"csv", &[&project]).unwrap_err();
        assert!(matches!(error, OutputError::IsAnInput { .. }), "{error}");
        let other = dir.path().join("other.ron");
        fs::write(&other, "(version: 1)").unwrap();
        assert!(matches!(write_export(&other, b"csv", &[&project]), Err(OutputError::IsAProject { .. })));
        assert_eq!(fs::read(&other).unwrap(), b"(version: 1)");
        let csv = dir.path().join("d.csv");
        write_export(&csv, b"csv", &[&project]).unwrap();
        write_export(&csv, b"again", &[&project]).unwrap();
        assert_eq!(fs::read(&csv).unwrap(), b"again");
        assert_eq!(fs::read(&project).unwrap(), b"Project(version: 1)");
    }
}
