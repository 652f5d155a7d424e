//! Reading a findings file: which format it is, the bounds, and what was kept.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use super::asff::Kept;
use super::control::ControlAliases;
use super::file::SourceSummary;
use super::{EvidenceError, Finding, State, json, prowler_csv};
use crate::model::aws::MAX_RESOURCE_LEN;

/// Findings files larger than this are refused before they are read (2 GiB). They are streamed,
/// so what a file costs in memory is the findings kept, not its size.
pub const MAX_FINDINGS_FILE_SIZE: u64 = 2 << 30;

/// The most findings one file may hold; more is refused with the number of the first one over.
pub const MAX_FINDINGS_PER_FILE: usize = 2_000_000;

/// The longest control id, account id or Region kept, in bytes.
const MAX_ID_LEN: usize = 256;

/// What the readers put their findings in, and what they count.
pub(super) struct Sink<'a> {
    /// How older Security Hub ids map.
    pub aliases: &'a ControlAliases,
    /// The findings read so far.
    pub findings: Vec<Finding>,
    /// Records read so far.
    pub records: usize,
    /// The number of the record being read, for errors.
    pub current: Option<usize>,
    /// Records that named no control.
    pub without_control: usize,
    /// Records about another cloud.
    pub other_provider: usize,
    /// The formats seen.
    pub formats: BTreeSet<&'static str>,
}

impl<'a> Sink<'a> {
    fn new(aliases: &'a ControlAliases) -> Self {
        Self {
            aliases,
            findings: Vec::new(),
            records: 0,
            current: None,
            without_control: 0,
            other_provider: 0,
            formats: BTreeSet::new(),
        }
    }

    /// Counts a record in `format` and what became of it; refuses past the bounds.
    pub fn take(&mut self, kept: Kept, format: &'static str) -> Result<(), String> {
        self.records += 1;
        if self.records > MAX_FINDINGS_PER_FILE {
            return Err(format!("more than {MAX_FINDINGS_PER_FILE} findings in one file; split it"));
        }
        self.formats.insert(format);
        match kept {
            Kept::Findings(count) => {
                let start = self.findings.len() - count;
                for finding in &self.findings[start..] {
                    check_lengths(finding)?;
                }
            }
            Kept::WithoutControl => self.without_control += 1,
            Kept::OtherProvider => self.other_provider += 1,
        }
        Ok(())
    }

    fn summary(&self, name: &str) -> SourceSummary {
        let count = |state: State| self.findings.iter().filter(|f| f.state == state).count();
        SourceSummary {
            file: name.to_owned(),
            format: self.formats.iter().copied().collect::<Vec<_>>().join("+"),
            records: self.records,
            findings: self.findings.len(),
            archived: count(State::Archived),
            suppressed: count(State::Suppressed),
            without_control: self.without_control,
            other_provider: self.other_provider,
        }
    }
}

/// Refuses a finding whose fields are longer than any real one, or hold control characters
/// (which no real id has, and which could drive a terminal the report is printed on).
fn check_lengths(finding: &Finding) -> Result<(), String> {
    let fields = [
        ("the control id", &finding.control, MAX_ID_LEN),
        ("the resource", &finding.resource, MAX_RESOURCE_LEN),
        ("the account id", &finding.account, MAX_ID_LEN),
        ("the Region", &finding.region, MAX_ID_LEN),
    ];
    for (what, value, limit) in fields {
        if value.len() > limit {
            return Err(format!("{what} is {} bytes long; whoowns reads at most {limit}", value.len()));
        }
        if value.chars().any(char::is_control) {
            return Err(format!("{what} holds control characters"));
        }
    }
    Ok(())
}

/// `error` with its location moved past `lines` lines and, on its first line, `columns` columns
/// of white space that were skipped before the reader started.
fn shift(error: EvidenceError, lines: usize, columns: usize) -> EvidenceError {
    match error {
        EvidenceError::Syntax { path, mut location, record, message } => {
            if location.line == 1 {
                location.column += columns;
            }
            location.line += lines;
            EvidenceError::Syntax { path, location, record, message }
        }
        other => other,
    }
}

/// Reads the findings file at `path`: ASFF or OCSF JSON, or Prowler CSV, told apart by their
/// first character. Returns what was read and the findings, archived ones included (see
/// [`super::Evidence::from_reads`]).
pub fn read_findings(path: &Path) -> Result<(SourceSummary, Vec<Finding>), EvidenceError> {
    let file =
        std::fs::File::open(path).map_err(|cause| EvidenceError::Io { path: path.to_owned(), cause })?;
    let size = file.metadata().map_err(|cause| EvidenceError::Io { path: path.to_owned(), cause })?.len();
    if size > MAX_FINDINGS_FILE_SIZE {
        return Err(EvidenceError::TooLarge { path: path.to_owned(), size, limit: MAX_FINDINGS_FILE_SIZE });
    }
    // `take` guards against a file that grows while it is read.
    read_from(path, file.take(MAX_FINDINGS_FILE_SIZE))
}

/// [`read_findings`] of text already at hand; `name` names it in errors and the summary.
pub fn read_findings_from(
    name: &str,
    reader: impl Read,
) -> Result<(SourceSummary, Vec<Finding>), EvidenceError> {
    read_from(Path::new(name), reader)
}

fn read_from(path: &Path, reader: impl Read) -> Result<(SourceSummary, Vec<Finding>), EvidenceError> {
    let mut reader = BufReader::with_capacity(1 << 20, reader);
    let io = |cause| EvidenceError::Io { path: path.to_owned(), cause };
    // The first character that is not white space (after a byte order mark) says the format.
    // The white space before it is skipped, and counted so that errors point at the right place.
    let (mut lines, mut columns, mut at_start) = (0, 0, true);
    let first = loop {
        let buffer = reader.fill_buf().map_err(io)?;
        if buffer.is_empty() {
            break None;
        }
        let skip = if at_start && buffer.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
        at_start = false;
        let blank = buffer[skip..].iter().position(|b| !b.is_ascii_whitespace());
        let end = blank.map_or(buffer.len(), |offset| skip + offset);
        for &byte in &buffer[skip..end] {
            if byte == b'\n' {
                (lines, columns) = (lines + 1, 0);
            } else {
                columns += 1;
            }
        }
        let found = blank.map(|offset| buffer[skip + offset]);
        reader.consume(end);
        if found.is_some() {
            break found;
        }
    };
    let aliases = ControlAliases::builtin();
    let mut sink = Sink::new(aliases);
    match first {
        None => {
            return Err(EvidenceError::Format {
                path: path.to_owned(),
                message: "the file is empty; findings files hold ASFF or OCSF JSON, or Prowler CSV"
                    .to_owned(),
            });
        }
        Some(b'{' | b'[') => json::read(path, reader, &mut sink),
        Some(_) => prowler_csv::read(path, reader, &mut sink),
    }
    .map_err(|error| shift(error, lines, columns))?;
    let name = path.display().to_string();
    Ok((sink.summary(&name), sink.findings))
}
