//! Reading and writing `.ron` project files: load, save, validate, migrate.
//!
//! - [`load`] never panics and never writes; every problem becomes a [`LoadError`] that names the
//!   file and, where it can, the line and column.
//! - [`save`] writes the canonical form atomically: a temporary file in the same folder, fsync,
//!   rename. The previous version is kept as `FILE.ron.bak`.

mod atomic;
pub mod migrate;
mod validate;

use std::fmt;
use std::path::{Path, PathBuf};

use crate::catalog::Catalog;
use crate::model::{CURRENT_VERSION, Project};

pub use atomic::{backup_path, write_atomically};
pub use validate::{Problem, validate};

/// Files larger than this are refused before they are parsed.
pub const MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

/// A line and column in a file, both counted from 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Location {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1, in characters.
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// Why a project file could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read.
    #[error("{}: cannot read the file: {cause}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said. Part of the message, so not also a `source()` that error
        /// reports would print a second time.
        cause: std::io::Error,
    },
    /// The file is larger than [`MAX_FILE_SIZE`].
    #[error("{}: the file is {size} bytes; whoowns opens project files of up to 64 MiB", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size in bytes.
        size: u64,
    },
    /// The file is not valid RON for a project, or not UTF-8.
    #[error("{}:{location}: {message}", path.display())]
    Syntax {
        /// The file.
        path: PathBuf,
        /// Where the parser stopped.
        location: Location,
        /// What it expected.
        message: String,
    },
    /// The file was written by a newer whoowns.
    #[error(
        "{}: the file has format version {found}, and this whoowns reads versions up to {CURRENT_VERSION}; \
         open it with a newer whoowns",
        path.display()
    )]
    FutureVersion {
        /// The file.
        path: PathBuf,
        /// The version in the file.
        found: u32,
    },
    /// The file parsed but its content is inconsistent (unknown services, missing nodes...).
    #[error("{}", render_problems(path, problems))]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Every problem found, in file order.
        problems: Vec<Problem>,
    },
}

fn render_problems(path: &Path, problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|problem| match problem.location {
            Some(location) => format!("{}:{location}: {}", path.display(), problem.message),
            None => format!("{}: {}", path.display(), problem.message),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A project read from a file, with what was repaired on the way.
#[derive(Debug)]
pub struct Loaded {
    /// The project, checked against the catalog.
    pub project: Project,
    /// Values that were sanitized (e.g. a position that was not a finite number), in words.
    pub warnings: Vec<String>,
    /// What the file held, to notice later when another program changes it.
    pub fingerprint: Fingerprint,
}

/// A digest of a file's bytes, taken when whoowns reads or writes it, so that a change made by
/// another program (a `git pull`, a colleague's editor) is noticed before it is overwritten.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fingerprint {
    len: u64,
    hash: u64,
}

impl Fingerprint {
    /// The fingerprint of `bytes`.
    pub fn of(bytes: &[u8]) -> Self {
        use std::hash::{Hash as _, Hasher as _};
        // `DefaultHasher::new` has fixed keys: the same bytes give the same digest in a process,
        // which is all a comparison with what this process read or wrote needs.
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        bytes.hash(&mut hasher);
        Self { len: bytes.len() as u64, hash: hasher.finish() }
    }

    /// The fingerprint of what `path` holds now; `None` when there is no file there. A file
    /// larger than a project may be is not read: its length is fingerprint enough.
    pub fn of_file(path: &Path) -> std::io::Result<Option<Self>> {
        let Some(len) = file_len(path)? else { return Ok(None) };
        if len > MAX_FILE_SIZE {
            return Ok(Some(Self { len, hash: 0 }));
        }
        Ok(Some(Self::of(&std::fs::read(path)?)))
    }

    /// Whether `path` holds something else than what `seen` was taken of (`None`: nothing);
    /// `Ok(None)` when there is no file. The file is read only when its length is unchanged.
    pub fn file_differs(path: &Path, seen: Option<Self>) -> std::io::Result<Option<bool>> {
        let Some(len) = file_len(path)? else { return Ok(None) };
        match seen {
            Some(seen) if seen.len == len => Ok(Some(Self::of_file(path)? != Some(seen))),
            _ => Ok(Some(true)),
        }
    }
}

/// The length of the file at `path`; `None` when there is none.
fn file_len(path: &Path) -> std::io::Result<Option<u64>> {
    match std::fs::metadata(path) {
        Ok(metadata) => Ok(Some(metadata.len())),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(error),
    }
}

/// Why a project could not be saved. The file on disk is unchanged.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// The project could not be turned into RON (it holds a value RON cannot write).
    #[error("cannot write the project as RON: {0}")]
    Serialize(#[from] ron::Error),
    /// Writing, syncing or renaming failed.
    #[error("{}: cannot save: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
}

/// Reads, parses and checks the project at `path` against `catalog`. Never writes anything.
pub fn load(path: &Path, catalog: &Catalog) -> Result<Loaded, LoadError> {
    let bytes = read_limited(path).map_err(|error| match error {
        LimitedRead::Io(cause) => LoadError::Io { path: path.to_owned(), cause },
        LimitedRead::TooLarge(size) => LoadError::TooLarge { path: path.to_owned(), size },
    })?;
    parse(path, &bytes, catalog)
}

/// Why [`read_limited`] read nothing.
pub(crate) enum LimitedRead {
    /// The system could not open or read the file.
    Io(std::io::Error),
    /// The file is larger than [`MAX_FILE_SIZE`]: its size.
    TooLarge(u64),
}

/// The bytes of the file at `path`, refusing files over [`MAX_FILE_SIZE`] before they are read
/// (and one that grows past it while it is read). Projects and imported sources both use it.
pub(crate) fn read_limited(path: &Path) -> Result<Vec<u8>, LimitedRead> {
    use std::io::Read as _;
    let file = std::fs::File::open(path).map_err(LimitedRead::Io)?;
    let size = file.metadata().map_err(LimitedRead::Io)?.len();
    if size > MAX_FILE_SIZE {
        return Err(LimitedRead::TooLarge(size));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    // `take` guards against a file that grows while it is read.
    file.take(MAX_FILE_SIZE + 1).read_to_end(&mut bytes).map_err(LimitedRead::Io)?;
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(LimitedRead::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Parses and checks project text; `path` only names the source in errors.
pub fn parse(path: &Path, bytes: &[u8], catalog: &Catalog) -> Result<Loaded, LoadError> {
    let text = std::str::from_utf8(bytes).map_err(|error| {
        let location = location_of_offset(bytes, error.valid_up_to());
        LoadError::Syntax {
            path: path.to_owned(),
            location,
            message: "the file is not valid UTF-8 text".to_owned(),
        }
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let version = check_version(path, text)?;
    let mut project: Project = ron_options().from_str(text).map_err(|error| syntax_error(path, &error))?;
    if version < CURRENT_VERSION {
        migrate::migrate(&mut project, version, catalog);
    }
    let warnings = sanitize(&mut project);
    let problems = validate(&project, catalog, text);
    if problems.is_empty() {
        Ok(Loaded { project, warnings, fingerprint: Fingerprint::of(bytes) })
    } else {
        Err(LoadError::Invalid { path: path.to_owned(), problems })
    }
}

/// The RON options used to read project files: the default recursion limit (128) and implicit
/// `Some`, so hand-written files may write `variant: "fargate"` for `variant: Some("fargate")`.
pub(crate) fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
}

fn syntax_error(path: &Path, error: &ron::error::SpannedError) -> LoadError {
    LoadError::Syntax {
        path: path.to_owned(),
        location: Location { line: error.span.start.line, column: error.span.start.col },
        message: match error.code {
            // ron's own text advises changing its parser options, which helps no user.
            ron::Error::ExceededRecursionLimit => {
                "the file nests deeper than a project ever does (more than 128 levels)".to_owned()
            }
            ref code => code.to_string(),
        },
    }
}

/// Reads only the `version` field, so a file from a newer whoowns gets a clear error even when
/// the rest of its schema changed. Returns the version.
fn check_version(path: &Path, text: &str) -> Result<u32, LoadError> {
    #[derive(serde::Deserialize)]
    #[serde(rename = "Project")]
    struct VersionProbe {
        version: Option<u32>,
    }
    let probe: VersionProbe = ron_options().from_str(text).map_err(|error| syntax_error(path, &error))?;
    match probe.version {
        None => Err(LoadError::Invalid {
            path: path.to_owned(),
            problems: vec![Problem::new(
                "the project has no `version` field; whoowns project files start with `version: 1`",
                Some(Location { line: 1, column: 1 }),
            )],
        }),
        Some(found) if found > CURRENT_VERSION => {
            Err(LoadError::FutureVersion { path: path.to_owned(), found })
        }
        Some(found) if found < migrate::OLDEST_VERSION => Err(LoadError::Invalid {
            path: path.to_owned(),
            problems: vec![Problem::new(
                format!(
                    "format version {found} does not exist; the first version is {}",
                    migrate::OLDEST_VERSION
                ),
                None,
            )],
        }),
        Some(found) => Ok(found),
    }
}

/// Repairs values that cannot be used as they are and says what was done.
fn sanitize(project: &mut Project) -> Vec<String> {
    let mut warnings = Vec::new();
    for node in &mut project.nodes {
        if node.position.is_some_and(|pos| !pos.is_finite()) {
            node.position = None;
            warnings.push(format!(
                "node {:?}: its position was not a finite number; it is laid out again",
                node.id
            ));
        }
    }
    for boundary in &mut project.boundaries {
        if boundary.rect.is_some_and(|rect| !rect.is_valid()) {
            boundary.rect = None;
            warnings.push(format!(
                "boundary {:?}: its frame was not valid; it is fitted to its members",
                boundary.id
            ));
        }
    }
    warnings
}

/// The line and column of byte `offset` in `bytes` (for an invalid UTF-8 byte, say).
pub(crate) fn location_of_offset(bytes: &[u8], offset: usize) -> Location {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
    Location { line, column }
}

/// The canonical text of `project`: sorted by id, pretty, `\n` line endings, `version` first.
/// The same project always gives the same bytes.
pub fn to_ron_string(project: &Project) -> Result<String, ron::Error> {
    let mut canonical = project.clone();
    canonical.normalize();
    let config = ron::ser::PrettyConfig::new()
        .struct_names(true)
        .new_line("\n")
        .indentor("    ")
        .separate_tuple_members(false);
    let mut text = drop_quote_escapes(&ron::Options::default().to_string_pretty(&canonical, config)?);
    text.push('\n');
    Ok(text)
}

/// ron escapes `'` inside strings as `\'` (Rust's debug escaping); both read the same, and the
/// plain apostrophe is kinder to people reading the file. Walks escape pairs so an escaped
/// backslash before a quote (`\\\'`) stays correct.
fn drop_quote_escapes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('\'') => out.push('\''),
                Some(next) => {
                    out.push('\\');
                    out.push(next);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Saves `project` to `path` in canonical form, atomically, keeping the previous file as
/// `FILE.bak`, and returns the fingerprint of what it wrote. On error the file at `path` is
/// unchanged.
pub fn save(path: &Path, project: &Project) -> Result<Fingerprint, SaveError> {
    let text = to_ron_string(project)?;
    write_atomically(path, text.as_bytes(), true)
        .map_err(|source| SaveError::Io { path: path.to_owned(), source })?;
    Ok(Fingerprint::of(text.as_bytes()))
}

#[cfg(test)]
mod tests;
