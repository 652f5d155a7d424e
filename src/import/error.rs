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
    /// The project would hold more than whoowns handles (see [`crate::model::limits`]): saved,
    /// it could not be opened again.
    #[error(
        "{source_name}: the import gives {count} {what}, {excess} more than the {limit} whoowns handles; \
         split the source and import the parts"
    )]
    TooMany {
        /// The file or other source.
        source_name: String,
        /// What there are too many of: "nodes", "flows", "boundaries", "members of boundary x"...
        what: String,
        /// How many the import gives.
        count: usize,
        /// The limit.
        limit: usize,
        /// How many too many.
        excess: usize,
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
