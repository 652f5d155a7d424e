//! Prowler's CSV output (`prowler aws -M csv`), streamed row by row.
//!
//! Prowler v4 and v5 write semicolon-separated columns with upper-case names (`CHECK_ID`,
//! `STATUS`, `MUTED`, `RESOURCE_UID`, `ACCOUNT_UID`, `REGION`, `TIMESTAMP`, `PROVIDER`...);
//! Prowler v3 wrote lower-case names (`check_id`, `status`, `resource_arn`, `account_id`,
//! `assessment_start_time`). Both are read; the delimiter (`;` or `,`) is the one the header
//! uses. Fields are quoted as Python's `csv` module quotes them.
//!
//! | column | becomes |
//! |---|---|
//! | `CHECK_ID` | the Prowler check id |
//! | `STATUS` `PASS` / `FAIL` / `MANUAL` | passed / failed / not evaluated |
//! | `MUTED` `True` | suppressed (the finding matched the mutelist) |
//! | `RESOURCE_UID` (v3 `resource_arn`, else `RESOURCE_NAME`) | the resource |
//! | `ACCOUNT_UID` (v3 `account_id`), `REGION` | account, Region |
//! | `TIMESTAMP` (v3 `assessment_start_time`) | when it was observed |
//! | `PROVIDER` other than `aws` | counted, not kept |

use std::io::BufRead;
use std::path::Path;

use super::asff::Kept;
use super::read::Sink;
use super::{EvidenceError, Finding, Outcome, Producer, Scheme, State};
use crate::io::Location;

/// The longest row whoowns reads, in bytes.
const MAX_ROW_LEN: usize = 16 << 20;
/// The most columns a row may have.
const MAX_COLUMNS: usize = 1024;

/// Where each column whoowns reads is.
struct Columns {
    check: usize,
    status: usize,
    resource: Option<usize>,
    account: Option<usize>,
    region: Option<usize>,
    time: Option<usize>,
    muted: Option<usize>,
    provider: Option<usize>,
    count: usize,
}

impl Columns {
    fn of(header: &[&str]) -> Option<Self> {
        let find = |names: &[&str]| {
            names.iter().find_map(|name| header.iter().position(|h| h.trim().eq_ignore_ascii_case(name)))
        };
        Some(Self {
            check: find(&["CHECK_ID"])?,
            status: find(&["STATUS"])?,
            resource: find(&["RESOURCE_UID", "RESOURCE_ARN", "RESOURCE_NAME", "RESOURCE_ID"]),
            account: find(&["ACCOUNT_UID", "ACCOUNT_ID"]),
            region: find(&["REGION"]),
            time: find(&["TIMESTAMP", "ASSESSMENT_START_TIME"]),
            muted: find(&["MUTED"]),
            provider: find(&["PROVIDER"]),
            count: header.len(),
        })
    }
}

/// Reads every row of the Prowler CSV `reader` into `sink`; `path` names it in errors.
pub(super) fn read<R: BufRead>(path: &Path, reader: R, sink: &mut Sink<'_>) -> Result<(), EvidenceError> {
    let mut csv = Rows::new(reader);
    let error = |at: Location, record: Option<usize>, message: String| EvidenceError::Syntax {
        path: path.to_owned(),
        location: at,
        record,
        message,
    };
    let Some(header_line) = csv.first_line().map_err(|e| error(e.at, None, e.message))? else {
        return Err(EvidenceError::Format { path: path.to_owned(), message: "the file is empty".to_owned() });
    };
    csv.delimiter = if header_line.iter().filter(|&&b| b == b';').count()
        >= header_line.iter().filter(|&&b| b == b',').count()
    {
        b';'
    } else {
        b','
    };
    let header = csv.parse_line(&header_line).map_err(|e| error(e.at, None, e.message))?;
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let Some(columns) = Columns::of(&header) else {
        return Err(EvidenceError::Format {
            path: path.to_owned(),
            message:
                "neither JSON nor a Prowler findings CSV (no CHECK_ID and STATUS columns in the first line); \
                      whoowns reads ASFF or OCSF JSON and Prowler's main CSV output, not its compliance CSVs"
                    .to_owned(),
        });
    };
    loop {
        sink.current = Some(sink.records + 1);
        let row_line = csv.line;
        if !csv.next_row().map_err(|e| error(e.at, sink.current, e.message))? {
            return Ok(());
        }
        if csv.len() == 1 && csv.field(0).is_empty() {
            continue;
        }
        let at = Location { line: row_line, column: 1 };
        if csv.len() != columns.count {
            return Err(error(
                at,
                sink.current,
                format!("{} columns where the header has {}", csv.len(), columns.count),
            ));
        }
        let text = |index: Option<usize>, what: &str| -> Result<String, EvidenceError> {
            let Some(index) = index else { return Ok(String::new()) };
            std::str::from_utf8(csv.field(index))
                .map(|s| s.trim().to_owned())
                .map_err(|_| error(at, sink.current, format!("{what} is not valid UTF-8 text")))
        };
        let provider = text(columns.provider, "PROVIDER")?;
        let check = text(Some(columns.check), "CHECK_ID")?;
        let kept = if !provider.is_empty() && !provider.eq_ignore_ascii_case("aws") {
            Kept::OtherProvider
        } else if check.is_empty() {
            Kept::WithoutControl
        } else {
            let outcome = match text(Some(columns.status), "STATUS")?.to_ascii_uppercase().as_str() {
                "PASS" => Outcome::Passed,
                "FAIL" => Outcome::Failed,
                _ => Outcome::NotEvaluated,
            };
            let muted = text(columns.muted, "MUTED")?;
            let state = if matches!(muted.to_ascii_lowercase().as_str(), "true" | "1" | "yes") {
                State::Suppressed
            } else {
                State::Active
            };
            sink.findings.push(Finding {
                producer: Producer::Prowler,
                scheme: Scheme::Prowler,
                control: check,
                resource: text(columns.resource, "RESOURCE_UID")?,
                account: text(columns.account, "ACCOUNT_UID")?,
                region: text(columns.region, "REGION")?,
                outcome,
                state,
                observed: super::time::normalize(&text(columns.time, "TIMESTAMP")?).unwrap_or_default(),
            });
            Kept::Findings(1)
        };
        sink.take(kept, "prowler-csv").map_err(|message| error(at, sink.current, message))?;
    }
}

/// A CSV problem and where it is.
struct RowError {
    at: Location,
    message: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    Start,
    Plain,
    Quoted,
    /// A quote inside a quoted field: the end of it, or the first of a doubled quote.
    QuoteInQuoted,
}

/// Rows of a CSV text, read from a buffered reader without holding more than one row. The
/// current row's fields are kept in one buffer, reused from row to row.
struct Rows<R> {
    reader: R,
    delimiter: u8,
    /// The line the reader is at, from 1.
    line: usize,
    /// The byte in that line, from 0.
    column: usize,
    /// The current row's fields, one after the other.
    data: Vec<u8>,
    /// Where each field of the current row ends in `data`.
    ends: Vec<usize>,
}

impl<R: BufRead> Rows<R> {
    fn new(reader: R) -> Self {
        Self { reader, delimiter: b';', line: 1, column: 0, data: Vec::new(), ends: Vec::new() }
    }

    fn at(&self) -> Location {
        Location { line: self.line, column: self.column + 1 }
    }

    fn io(&self, error: &std::io::Error) -> RowError {
        RowError { at: self.at(), message: format!("cannot read: {error}") }
    }

    /// The number of fields in the current row.
    fn len(&self) -> usize {
        self.ends.len()
    }

    /// Field `index` of the current row.
    fn field(&self, index: usize) -> &[u8] {
        let start = if index == 0 { 0 } else { self.ends[index - 1] };
        &self.data[start..self.ends[index]]
    }

    /// The first line's bytes, without its line break; `None` for an empty text.
    fn first_line(&mut self) -> Result<Option<Vec<u8>>, RowError> {
        let mut line = Vec::new();
        std::io::Read::take(&mut self.reader, MAX_ROW_LEN as u64)
            .read_until(b'\n', &mut line)
            .map_err(|error| self.io(&error))?;
        if line.is_empty() {
            return Ok(None);
        }
        if line.last() == Some(&b'\n') {
            line.pop();
            self.line += 1;
        } else if line.len() >= MAX_ROW_LEN {
            let message = format!("the first line is longer than {MAX_ROW_LEN} bytes");
            return Err(RowError { at: self.at(), message });
        }
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        Ok(Some(line))
    }

    /// The fields of one line of text (the header), as text.
    fn parse_line(&self, line: &[u8]) -> Result<Vec<String>, RowError> {
        let mut rows = Rows::new(line);
        rows.delimiter = self.delimiter;
        rows.next_row()?;
        Ok((0..rows.len()).map(|i| String::from_utf8_lossy(rows.field(i)).into_owned()).collect())
    }

    /// Reads the next row; false at the end of the text.
    fn next_row(&mut self) -> Result<bool, RowError> {
        self.data.clear();
        self.ends.clear();
        let mut state = Field::Start;
        let mut quote_at = self.at();
        loop {
            let buffer = match self.reader.fill_buf() {
                Ok(buffer) => buffer,
                Err(error) => return Err(self.io(&error)),
            };
            if buffer.is_empty() {
                if state == Field::Quoted {
                    return Err(RowError {
                        at: quote_at,
                        message: "a quoted field is never closed".to_owned(),
                    });
                }
                if self.ends.is_empty() && self.data.is_empty() && state == Field::Start {
                    return Ok(false);
                }
                self.ends.push(self.data.len());
                return Ok(true);
            }
            let mut used = 0;
            let mut done = false;
            for &byte in buffer {
                used += 1;
                let (line, column) = (self.line, self.column);
                if byte == b'\n' {
                    self.line += 1;
                    self.column = 0;
                } else {
                    self.column += 1;
                }
                match state {
                    Field::Quoted => {
                        if byte == b'"' {
                            state = Field::QuoteInQuoted;
                        } else {
                            self.data.push(byte);
                        }
                    }
                    Field::Start if byte == b'"' => {
                        state = Field::Quoted;
                        quote_at = Location { line, column: column + 1 };
                    }
                    Field::QuoteInQuoted if byte == b'"' => {
                        self.data.push(b'"');
                        state = Field::Quoted;
                    }
                    _ if byte == self.delimiter => {
                        self.ends.push(self.data.len());
                        state = Field::Start;
                    }
                    _ if byte == b'\n' => {
                        self.ends.push(self.data.len());
                        done = true;
                        break;
                    }
                    _ if byte == b'\r' => {}
                    _ => {
                        // Text after a closing quote is kept as it is, as Python's reader does.
                        self.data.push(byte);
                        state = Field::Plain;
                    }
                }
                if self.data.len() > MAX_ROW_LEN || self.ends.len() > MAX_COLUMNS {
                    let message =
                        format!("a row is longer than {MAX_ROW_LEN} bytes or {MAX_COLUMNS} columns");
                    return Err(RowError {
                        at: Location { line: self.line, column: self.column + 1 },
                        message,
                    });
                }
            }
            self.reader.consume(used);
            if done {
                return Ok(true);
            }
        }
    }
}
