//! Why findings or an evidence file could not be read.

use std::path::PathBuf;

use crate::io::Location;

/// Why a findings file or an evidence file was refused. Every variant names the file; syntax
/// errors also say where (`line:column`) and which record.
#[derive(Debug, thiserror::Error)]
pub enum EvidenceError {
    /// The file could not be opened or read.
    #[error("{}: cannot read the file: {cause}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        cause: std::io::Error,
    },
    /// The file is larger than whoowns reads.
    #[error("{}: the file is {size} bytes; whoowns reads findings files of up to {limit} bytes", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The text is broken where it is: invalid JSON or CSV, a value of the wrong type, a field
    /// too long, too many findings.
    #[error("{}:{location}: {}{message}", path.display(), record.map(|r| format!("finding {r}: ")).unwrap_or_default())]
    Syntax {
        /// The file.
        path: PathBuf,
        /// Where the reader stopped.
        location: Location,
        /// The number of the finding (from 1) being read, when inside one.
        record: Option<usize>,
        /// What is wrong.
        message: String,
    },
    /// The file is readable but not findings whoowns knows.
    #[error("{}: {message}", path.display())]
    Format {
        /// The file.
        path: PathBuf,
        /// What was found, and what whoowns reads.
        message: String,
    },
    /// An evidence file written by a newer whoowns.
    #[error(
        "{}: the evidence file has version {found}, and this whoowns reads versions up to {}; \
         use a newer whoowns",
        path.display(),
        super::EVIDENCE_VERSION
    )]
    FutureVersion {
        /// The file.
        path: PathBuf,
        /// The version in the file.
        found: u32,
    },
}
