//! Why a source could not be imported.

use std::path::PathBuf;

use crate::io::Location;

/// Why a CloudFormation template or Terraform JSON could not be turned into a project. Every
/// variant names the source; syntax errors also say where (`line:column`).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file could not be read.
    #[error("{}: cannot read the file: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The file is larger than [`crate::io::MAX_FILE_SIZE`].
    #[error("{}: the file is {size} bytes; whoowns imports files of up to 64 MiB", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size in bytes.
        size: u64,
    },
    /// The text is not valid JSON or YAML, is not UTF-8, nests too deeply or expands too far.
    #[error("{source_name}:{location}: {message}")]
    Syntax {
        /// The file or other source, as the caller named it.
        source_name: String,
        /// Where the parser stopped.
        location: Location,
        /// What went wrong.
        message: String,
    },
    /// The document parsed but is neither a CloudFormation template nor `terraform show -json`
    /// output.
    #[error("{source_name}: {message}")]
    UnknownFormat {
        /// The file or other source.
        source_name: String,
        /// What was found instead, and what whoowns expects.
        message: String,
    },
    /// The document is a template or Terraform JSON whose structure is broken where the
    /// importer cannot guess (e.g. `Resources` is a list).
    #[error("{source_name}: {message}")]
    Structure {
        /// The file or other source.
        source_name: String,
        /// What is wrong.
        message: String,
    },
    /// The resource-type mapping could not be read (only possible with a custom mapping).
    #[error("the resource-type mapping is invalid: {0}")]
    Mapping(String),
    /// The imported project failed validation. This is a bug in the importer; the message
    /// lists what was wrong.
    #[error("{source_name}: the imported project is inconsistent (please report this): {problems}")]
    Inconsistent {
        /// The file or other source.
        source_name: String,
        /// The validation problems, joined.
        problems: String,
    },
}
