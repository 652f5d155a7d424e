//! Reading and writing `.ron` project files: load, save, validate, migrate.
//!
//! - [`load`] never panics and never writes; every problem becomes a [`LoadError`] that names the
//!   file and, where it can, the line and column.
//! - [`save`] writes the canonical form atomically: a temporary file in the same folder, fsync,
//!   rename. The previous version is kept as `FILE.ron.bak`.
//! - [`write_export`] writes exports, never over a project or a file the command reads.

mod atomic;
mod lines;
pub mod migrate;
mod output;
mod ron_path;
mod target;
mod validate;

use std::fmt;
use std::path::{Path, PathBuf};

use crate::catalog::Catalog;
use crate::model::{CURRENT_VERSION, Project};

pub use atomic::{backup_path, write_atomically};
pub(crate) use lines::location_of_offset;
pub use output::{OutputError, ensure_not_a_project, ensure_not_an_input, write_export};
pub use validate::{Problem, unknown_services, validate};

pub use crate::model::limits::MAX_FILE_SIZE;
use crate::model::limits::{self, MAX_SOURCE_SIZE};

/// How many problems an error shows; the rest are counted.
pub const MAX_SHOWN_PROBLEMS: usize = 100;

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
    #[error("{}: the file is {size} bytes; whoowns opens project files of up to {} MiB", path.display(), MAX_FILE_SIZE >> 20)]
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

/// One line per problem, at most [`MAX_SHOWN_PROBLEMS`], then how many more there are.
fn render_problems(path: &Path, problems: &[Problem]) -> String {
    let mut lines: Vec<String> = problems
        .iter()
        .take(MAX_SHOWN_PROBLEMS)
        .map(|problem| match problem.location {
            Some(location) => format!("{}:{location}: {}", path.display(), problem.message),
            None => format!("{}: {}", path.display(), problem.message),
        })
        .collect();
    if problems.len() > MAX_SHOWN_PROBLEMS {
        let more = problems.len() - MAX_SHOWN_PROBLEMS;
        lines.push(format!(
            "{}: and {} more problem{}",
            path.display(),
            thousands(more),
            if more == 1 { "" } else { "s" }
        ));
    }
    lines.join("\n")
}

/// `99900` as `99,900`.
fn thousands(number: usize) -> String {
    let digits = number.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
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
    /// The project holds more than a project may: saved, it could not be opened again.
    #[error("{}: cannot save: {excess}", path.display())]
    TooMany {
        /// The file.
        path: PathBuf,
        /// What there is too much of. Part of the message, not a `source()`.
        excess: limits::TooMany,
    },
    /// The canonical text is larger than [`MAX_FILE_SIZE`]: saved, it could not be opened again.
    #[error(
        "{}: cannot save: the project is {size} bytes as text, and whoowns opens project files of up to {} MiB",
        path.display(),
        MAX_FILE_SIZE >> 20
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The size of the text.
        size: usize,
    },
}

/// Reads, parses and checks the project at `path` against `catalog`. Never writes anything.
pub fn load(path: &Path, catalog: &Catalog) -> Result<Loaded, LoadError> {
    let bytes = read_bounded(path, MAX_FILE_SIZE).map_err(|error| match error {
        LimitedRead::Io(cause) => LoadError::Io { path: path.to_owned(), cause },
        LimitedRead::TooLarge(size) => LoadError::TooLarge { path: path.to_owned(), size },
    })?;
    parse(path, &bytes, catalog)
}

/// Why [`read_limited`] read nothing.
pub(crate) enum LimitedRead {
    /// The system could not open or read the file.
    Io(std::io::Error),
    /// The file is larger than the limit: its size.
    TooLarge(u64),
}

/// The bytes of the infrastructure-as-code source at `path`, at most [`MAX_SOURCE_SIZE`]
/// (see [`read_bounded`]).
pub(crate) fn read_limited(path: &Path) -> Result<Vec<u8>, LimitedRead> {
    read_bounded(path, MAX_SOURCE_SIZE)
}

/// The bytes of the file at `path`, refusing files over `max` bytes before they are read (and
/// one that grows past it while it is read), and folders with a message that says so. Pipes
/// and devices are read up to `max` too (`<(command)`, `/dev/stdin`).
pub(crate) fn read_bounded(path: &Path, max: u64) -> Result<Vec<u8>, LimitedRead> {
    use std::io::Read as _;
    if std::fs::metadata(path).is_ok_and(|metadata| metadata.is_dir()) {
        return Err(LimitedRead::Io(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "it is a folder, not a file",
        )));
    }
    let file = std::fs::File::open(path).map_err(LimitedRead::Io)?;
    let size = file.metadata().map_err(LimitedRead::Io)?.len();
    if size > max {
        return Err(LimitedRead::TooLarge(size));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    // `take` guards against a file that grows while it is read.
    file.take(max + 1).read_to_end(&mut bytes).map_err(LimitedRead::Io)?;
    if bytes.len() as u64 > max {
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
    let mut project: Project =
        ron_options().from_str(text).map_err(|error| syntax_error(path, text, &error))?;
    if version < CURRENT_VERSION {
        migrate::migrate(&mut project, version, catalog);
    }
    let mut warnings = sanitize(&mut project);
    warnings.extend(validate::unknown_services(&project, catalog));
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

/// A ron error as a [`LoadError::Syntax`]: the place in lines of any ending (ron counts `\n`
/// only), and for an error about a value, the field it is in (`nodes[3].internet_facing`).
fn syntax_error(path: &Path, text: &str, error: &ron::error::SpannedError) -> LoadError {
    use ron::Error as E;
    let offset = lines::offset_of_ron_position(text, error.span.start.line, error.span.start.col);
    let message = match error.code {
        // ron's own text advises changing its parser options, which helps no user.
        E::ExceededRecursionLimit => {
            return LoadError::Syntax {
                path: path.to_owned(),
                location: location_of_offset(text.as_bytes(), offset),
                message: "the file nests deeper than a project ever does (more than 128 levels)".to_owned(),
            };
        }
        ref code => code.to_string(),
    };
    let about_a_value = !matches!(
        error.code,
        E::Eof
            | E::ExpectedComma
            | E::ExpectedArrayEnd
            | E::ExpectedMapEnd
            | E::ExpectedMapColon
            | E::ExpectedStructLikeEnd
            | E::TrailingCharacters
            | E::UnclosedBlockComment
            | E::UnexpectedChar(_)
            | E::NoSuchStructField { .. }
    );
    // ron stops before the blank space in front of a value; point at the value itself.
    let offset = if about_a_value {
        offset + text[offset..].len().saturating_sub(text[offset..].trim_start().len())
    } else {
        offset
    };
    let location = location_of_offset(text.as_bytes(), offset);
    let field = about_a_value.then(|| ron_path::field_path(text, offset)).flatten();
    let field = match (&error.code, field) {
        // At the closing parenthesis: the path ends at the last field written, not the missing one.
        (E::MissingStructField { .. }, Some(field)) => {
            field.rsplit_once('.').map(|(item, _)| item.to_owned())
        }
        (_, field) => field,
    };
    let message = match field {
        Some(field) => format!("`{field}`: {message}"),
        None => message,
    };
    LoadError::Syntax { path: path.to_owned(), location, message }
}

/// Reads only the `version` field, so a file from a newer whoowns gets a clear error even when
/// the rest of its schema changed. Returns the version.
fn check_version(path: &Path, text: &str) -> Result<u32, LoadError> {
    #[derive(serde::Deserialize)]
    #[serde(rename = "Project")]
    struct VersionProbe {
        version: Option<ron::Value>,
    }
    let probe: VersionProbe =
        ron_options().from_str(text).map_err(|error| syntax_error(path, text, &error))?;
    let version = match probe.version {
        None => None,
        Some(value) => match value.clone().into_rust::<u32>() {
            Ok(version) => Some(version),
            Err(_) => {
                return Err(LoadError::Invalid {
                    path: path.to_owned(),
                    problems: vec![Problem::new(
                        format!(
                            "`version` must be a whole number such as {CURRENT_VERSION}, not {}",
                            ron::to_string(&value).unwrap_or_default()
                        ),
                        None,
                    )],
                });
            }
        },
    };
    match version {
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
    let limit = limits::MAX_COORDINATE;
    for node in &mut project.nodes {
        if node.position.is_some_and(|pos| !limits::position_in_bounds(pos)) {
            node.position = None;
            warnings.push(format!(
                "node {:?}: its position was not a finite number within {limit} of the origin; it is laid out again",
                node.id
            ));
        }
    }
    for boundary in &mut project.boundaries {
        if boundary.rect.is_some_and(|rect| !limits::rect_in_bounds(rect)) {
            boundary.rect = None;
            warnings.push(format!(
                "boundary {:?}: its frame was not valid or not within {limit} of the origin; it is fitted to its members",
                boundary.id
            ));
        }
    }
    warnings
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
/// `FILE.bak`, and returns the fingerprint of what it wrote. A project that could not be opened
/// again (over a limit of [`crate::model::limits`]) is refused. On error the file at `path` is
/// unchanged.
pub fn save(path: &Path, project: &Project) -> Result<Fingerprint, SaveError> {
    if let Some(excess) = limits::exceeded(project) {
        return Err(SaveError::TooMany { path: path.to_owned(), excess });
    }
    let text = to_ron_string(project)?;
    if text.len() as u64 > MAX_FILE_SIZE {
        return Err(SaveError::TooLarge { path: path.to_owned(), size: text.len() });
    }
    write_atomically(path, text.as_bytes(), true)
        .map_err(|source| SaveError::Io { path: path.to_owned(), source })?;
    Ok(Fingerprint::of(text.as_bytes()))
}

#[cfg(test)]
mod tests;
