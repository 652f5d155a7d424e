//! Recovery files: while a document has unsaved changes the app writes it, atomically, to a
//! recovery file in the platform's data folder, keyed by the document's path (or, for an
//! untitled document, by its name). After a crash, the next start finds the file and offers to
//! restore it. A clean save or a discard removes it.
//!
//! A recovery file is a small RON envelope around the project: which document it belongs to and
//! when it was written. Reading one never panics; a corrupt one is set aside, not deleted.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::io::{self, MAX_FILE_SIZE};
use crate::model::{Project, slug};

/// The extension of recovery files.
const EXTENSION: &str = "recovery.ron";

/// What a recovery file holds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Recovery")]
pub struct Recovery {
    /// The envelope's own format version.
    pub version: u32,
    /// The document's file, when it has one.
    pub document: Option<PathBuf>,
    /// What an untitled document was called.
    #[serde(default)]
    pub untitled_name: String,
    /// When it was written, in seconds since 1970.
    pub saved_at: u64,
    /// The unsaved project.
    pub project: Project,
}

/// Why a recovery file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum RecoveryError {
    /// Reading, writing or removing failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The recovery file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The file is not a recovery file (truncated, corrupt, too large).
    #[error("{}: not a readable recovery file: {message}", path.display())]
    Corrupt {
        /// The recovery file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// The folder of recovery files.
#[derive(Clone, Debug)]
pub struct RecoveryStore {
    folder: PathBuf,
}

/// A recovery file found on disk that is newer than its document.
#[derive(Clone, Debug)]
pub struct Found {
    /// Where the recovery file is.
    pub path: PathBuf,
    /// What it holds.
    pub recovery: Recovery,
}

impl RecoveryStore {
    /// A store in `folder` (created when first written to).
    pub fn new(folder: impl Into<PathBuf>) -> Self {
        Self { folder: folder.into() }
    }

    /// The folder.
    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// The recovery file of a document at `document`, or of an untitled one called `name`.
    pub fn slot(&self, document: Option<&Path>, untitled_name: &str) -> PathBuf {
        let name = match document {
            Some(path) => {
                let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
                let stem = path.file_stem().map(|s| slug(&s.to_string_lossy())).unwrap_or_default();
                format!("{stem}-{:016x}.{EXTENSION}", fnv1a(absolute.to_string_lossy().as_bytes()))
            }
            None => format!("untitled-{}.{EXTENSION}", slug(untitled_name)),
        };
        self.folder.join(name)
    }

    /// Writes `project` to its recovery file, atomically.
    pub fn write(
        &self,
        document: Option<&Path>,
        untitled_name: &str,
        project: &Project,
    ) -> Result<PathBuf, RecoveryError> {
        let path = self.slot(document, untitled_name);
        let io_error = |source| RecoveryError::Io { path: path.clone(), source };
        std::fs::create_dir_all(&self.folder).map_err(io_error)?;
        let recovery = Recovery {
            version: 1,
            document: document.map(|d| std::path::absolute(d).unwrap_or_else(|_| d.to_owned())),
            untitled_name: untitled_name.to_owned(),
            saved_at: now(),
            project: project.clone(),
        };
        let text = ron::ser::to_string_pretty(&recovery, ron::ser::PrettyConfig::new().struct_names(true))
            .map_err(|error| RecoveryError::Corrupt { path: path.clone(), message: error.to_string() })?;
        io::write_atomically(&path, text.as_bytes(), false).map_err(io_error)?;
        Ok(path)
    }

    /// Reads one recovery file.
    pub fn read(path: &Path) -> Result<Recovery, RecoveryError> {
        let corrupt = |message: String| RecoveryError::Corrupt { path: path.to_owned(), message };
        // The bounded reader of project files: a recovery file that grows while it is read stops
        // at the limit too.
        let bytes = io::read_bounded(path, MAX_FILE_SIZE).map_err(|error| match error {
            io::LimitedRead::Io(source) => RecoveryError::Io { path: path.to_owned(), source },
            io::LimitedRead::TooLarge(size) => {
                corrupt(format!("{size} bytes is more than a project file may hold"))
            }
        })?;
        let text = std::str::from_utf8(&bytes).map_err(|error| corrupt(error.to_string()))?;
        // The project inside is read as project files are: a flow's encryption is written bare.
        io::ron_options().from_str(text).map_err(|error| corrupt(error.to_string()))
    }

    /// Removes the recovery file of a document (nothing happens when there is none).
    pub fn remove(&self, document: Option<&Path>, untitled_name: &str) {
        std::fs::remove_file(self.slot(document, untitled_name)).ok();
    }

    /// Recovery files worth offering, newest first: those newer than their document (or whose
    /// document is gone, or untitled). Stale ones (the document was saved later) are removed;
    /// corrupt ones are renamed to `*.corrupt` so they are not offered again but not lost.
    pub fn scan(&self) -> (Vec<Found>, Vec<RecoveryError>) {
        let mut found = Vec::new();
        let mut errors = Vec::new();
        let Ok(entries) = std::fs::read_dir(&self.folder) else { return (found, errors) };
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if !path.to_string_lossy().ends_with(EXTENSION) {
                continue;
            }
            match Self::read(&path) {
                Ok(recovery) => {
                    let document_time = recovery.document.as_deref().and_then(modified_secs);
                    if document_time.is_some_and(|t| t > recovery.saved_at) {
                        std::fs::remove_file(&path).ok();
                    } else {
                        found.push(Found { path, recovery });
                    }
                }
                Err(error) => {
                    let mut aside = path.clone().into_os_string();
                    aside.push(".corrupt");
                    std::fs::rename(&path, aside).ok();
                    errors.push(error);
                }
            }
        }
        found.sort_by_key(|f| std::cmp::Reverse(f.recovery.saved_at));
        (found, errors)
    }
}

fn modified_secs(path: &Path) -> Option<u64> {
    let modified = std::fs::metadata(path).ok()?.modified().ok()?;
    Some(modified.duration_since(UNIX_EPOCH).ok()?.as_secs())
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// FNV-1a, 64 bits: a stable hash for file names (std's hasher may change between releases).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Node;

    fn project() -> Project {
        let mut p = Project::named("Unsaved work");
        p.nodes.push(Node::new("web", "ec2"));
        p
    }

    #[test]
    fn slots_are_stable_and_distinct() {
        let store = RecoveryStore::new("/tmp/r");
        let a = store.slot(Some(Path::new("/work/a/shop.ron")), "");
        assert_eq!(a, store.slot(Some(Path::new("/work/a/shop.ron")), ""));
        assert_ne!(a, store.slot(Some(Path::new("/work/b/shop.ron")), ""));
        assert!(a.file_name().unwrap().to_string_lossy().starts_with("shop-"));
        assert_eq!(
            store.slot(None, "ecommerce.ron"),
            PathBuf::from("/tmp/r/untitled-ecommerce-ron.recovery.ron")
        );
    }

    #[test]
    fn written_recovery_is_offered_then_removed() {
        let dir = tempfile::tempdir().unwrap();
        let store = RecoveryStore::new(dir.path().join("recovery"));
        let written = store.write(None, "Untitled", &project()).unwrap();
        let (found, errors) = store.scan();
        assert!(errors.is_empty());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].path, written);
        assert_eq!(found[0].recovery.project, project());
        store.remove(None, "Untitled");
        assert!(store.scan().0.is_empty());
    }

    #[test]
    fn a_flow_marked_encrypted_or_not_comes_back() {
        let dir = tempfile::tempdir().unwrap();
        let store = RecoveryStore::new(dir.path());
        let mut project = project();
        project.nodes.push(Node::new("db", "rds"));
        let mut flow = crate::model::Flow::new("f", "web", "db");
        flow.encrypted_in_transit = Some(false);
        project.flows.push(flow);
        let written = store.write(None, "Untitled", &project).unwrap();
        assert_eq!(RecoveryStore::read(&written).unwrap().project, project);
        assert!(store.scan().1.is_empty(), "not set aside as corrupt");
    }

    #[test]
    fn stale_recovery_is_dropped_when_the_document_is_newer() {
        let dir = tempfile::tempdir().unwrap();
        let store = RecoveryStore::new(dir.path().join("recovery"));
        let document = dir.path().join("shop.ron");
        let slot = store.write(Some(&document), "", &project()).unwrap();
        // Make the recovery file say it was written long ago, then save the document.
        let mut recovery = RecoveryStore::read(&slot).unwrap();
        recovery.saved_at = 1;
        std::fs::write(&slot, ron::to_string(&recovery).unwrap()).unwrap();
        std::fs::write(&document, "Project(version: 1)").unwrap();
        assert!(store.scan().0.is_empty());
        assert!(!slot.exists());
    }

    #[test]
    fn corrupt_recovery_is_set_aside_not_lost() {
        let dir = tempfile::tempdir().unwrap();
        let store = RecoveryStore::new(dir.path());
        let path = dir.path().join("x.recovery.ron");
        std::fs::write(&path, "Recovery(version: 1, project: Proj").unwrap();
        let (found, errors) = store.scan();
        assert!(found.is_empty());
        assert_eq!(errors.len(), 1);
        assert!(dir.path().join("x.recovery.ron.corrupt").exists());
        assert!(store.scan().1.is_empty(), "not reported twice");
    }
}
