//! The evidence file: the findings read from the scanners, kept beside the design
//! (`DESIGN.evidence.json`, or the file the project's `evidence` field names) rather than in it,
//! so that refreshing findings never changes the design's file or its diff.
//!
//! The file is JSON: a header (`version`, `generator`, the `sources` read and how many findings
//! each gave) and `findings`, one per line, sorted, so that the file diffs well in git too.
//! It holds findings, not conclusions: every reader places them again on the design as it is
//! now, so editing the design (a resource added to a node) needs no new scan.

use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{EvidenceError, Finding, State};
use crate::io::Location;

/// The version of the evidence file this build writes and reads.
pub const EVIDENCE_VERSION: u32 = 1;

/// The most findings an evidence file may hold.
pub const MAX_EVIDENCE_FINDINGS: usize = 4_000_000;

/// What one findings file gave.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceSummary {
    /// The file, as it was named.
    pub file: String,
    /// `asff`, `ocsf`, `prowler-csv`, or several joined by `+`.
    pub format: String,
    /// Findings in the file, of every kind.
    pub records: usize,
    /// Findings that named a control (one finding of an old CIS rule may name two).
    pub findings: usize,
    /// Of those, archived ones.
    pub archived: usize,
    /// Of those, suppressed or muted ones.
    pub suppressed: usize,
    /// Findings that named no control whoowns reads (GuardDuty, Inspector...).
    pub without_control: usize,
    /// Findings about another cloud (Prowler's Azure, GCP, Kubernetes checks).
    pub other_provider: usize,
}

/// The findings behind a design, as the evidence file holds them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// See [`EVIDENCE_VERSION`].
    pub version: u32,
    /// The whoowns that wrote it.
    #[serde(default)]
    pub generator: String,
    /// The findings files it was made from.
    #[serde(default)]
    pub sources: Vec<SourceSummary>,
    /// Findings left out because a newer finding on the same check and resource was read.
    #[serde(default)]
    pub superseded: usize,
    /// The findings, at most one per producer, check, account, Region and resource, sorted.
    #[serde(default, deserialize_with = "bounded_findings")]
    pub findings: Vec<Finding>,
}

impl Default for Evidence {
    fn default() -> Self {
        Self {
            version: EVIDENCE_VERSION,
            generator: concat!("whoowns ", env!("CARGO_PKG_VERSION")).to_owned(),
            sources: Vec::new(),
            superseded: 0,
            findings: Vec::new(),
        }
    }
}

/// The key findings are told apart by: one kept per key, the newest.
fn key(finding: &Finding) -> (super::Producer, super::Scheme, &str, &str, &str, &str) {
    (finding.producer, finding.scheme, &finding.control, &finding.account, &finding.region, &finding.resource)
}

impl Evidence {
    /// The evidence of findings files read with [`super::read_findings`], in the order given:
    /// for each producer, check, account, Region and resource the newest finding is kept (the
    /// later file wins a tie), then archived ones are dropped.
    pub fn from_reads(reads: Vec<(SourceSummary, Vec<Finding>)>) -> Self {
        let mut evidence = Self::default();
        let mut findings = Vec::with_capacity(reads.iter().map(|(_, f)| f.len()).sum());
        for (summary, read) in reads {
            evidence.sources.push(summary);
            findings.extend(read);
        }
        // Stable: among equal keys and times, the finding read last stays last.
        findings.sort_by(|a, b| key(a).cmp(&key(b)).then_with(|| a.observed.cmp(&b.observed)));
        let total = findings.len();
        let mut kept: Vec<Finding> = Vec::with_capacity(total);
        let mut iter = findings.into_iter().peekable();
        while let Some(finding) = iter.next() {
            if iter.peek().is_some_and(|next| key(next) == key(&finding)) {
                continue;
            }
            kept.push(finding);
        }
        evidence.superseded = total - kept.len();
        kept.retain(|finding| finding.state != State::Archived);
        evidence.findings = kept;
        evidence
    }

    /// The evidence file's text: the header pretty, then one finding per line.
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Header<'a> {
            version: u32,
            generator: &'a str,
            sources: &'a [SourceSummary],
            superseded: usize,
        }
        let header = Header {
            version: self.version,
            generator: &self.generator,
            sources: &self.sources,
            superseded: self.superseded,
        };
        // Plain structs of strings and numbers always serialize.
        let mut text = serde_json::to_string_pretty(&header).unwrap_or_default();
        text.truncate(text.trim_end().trim_end_matches('}').trim_end().len());
        text.push_str(",\n  \"findings\": [");
        for (i, finding) in self.findings.iter().enumerate() {
            text.push_str(if i == 0 { "\n    " } else { ",\n    " });
            text.push_str(&serde_json::to_string(finding).unwrap_or_default());
        }
        text.push_str(if self.findings.is_empty() { "]\n}\n" } else { "\n  ]\n}\n" });
        text
    }

    /// Writes the evidence file at `path` atomically.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        crate::io::write_atomically(path, self.to_json().as_bytes(), false)
    }

    /// Reads the evidence file at `path`.
    pub fn load(path: &Path) -> Result<Self, EvidenceError> {
        let io = |cause| EvidenceError::Io { path: path.to_owned(), cause };
        let file = std::fs::File::open(path).map_err(io)?;
        let size = file.metadata().map_err(io)?.len();
        if size > super::MAX_FINDINGS_FILE_SIZE {
            return Err(EvidenceError::TooLarge {
                path: path.to_owned(),
                size,
                limit: super::MAX_FINDINGS_FILE_SIZE,
            });
        }
        Self::from_reader(path, file.take(super::MAX_FINDINGS_FILE_SIZE))
    }

    /// Reads an evidence file's text; `path` names it in errors.
    pub fn from_reader(path: &Path, reader: impl Read) -> Result<Self, EvidenceError> {
        let reader = BufReader::with_capacity(1 << 20, reader);
        let evidence: Self = serde_json::from_reader(reader).map_err(|error| {
            let text = error.to_string();
            let suffix = format!(" at line {} column {}", error.line(), error.column());
            EvidenceError::Syntax {
                path: path.to_owned(),
                location: Location { line: error.line().max(1), column: error.column().max(1) },
                record: None,
                message: format!(
                    "not a whoowns evidence file: {}",
                    text.strip_suffix(&suffix).unwrap_or(&text)
                ),
            }
        })?;
        if evidence.version > EVIDENCE_VERSION {
            return Err(EvidenceError::FutureVersion { path: path.to_owned(), found: evidence.version });
        }
        Ok(evidence)
    }

    /// Counts of active findings that passed and failed, and suppressed ones.
    pub fn counts(&self) -> (usize, usize, usize) {
        let mut counts = (0, 0, 0);
        for finding in &self.findings {
            match (finding.state, finding.outcome) {
                (State::Suppressed, _) => counts.2 += 1,
                (_, super::Outcome::Passed) => counts.0 += 1,
                (_, super::Outcome::Failed) => counts.1 += 1,
                _ => {}
            }
        }
        counts
    }
}

/// The evidence file of the design at `project_path`: the one its `evidence` field names,
/// relative to the design's folder, else `NAME.evidence.json` beside it.
pub fn path_for(project_path: &Path, named: Option<&str>) -> PathBuf {
    let folder = project_path.parent().unwrap_or_else(|| Path::new(""));
    match named {
        Some(name) => folder.join(name),
        None => {
            let stem = project_path.file_stem().map_or_else(|| "design".into(), |s| s.to_string_lossy());
            folder.join(format!("{stem}.evidence.json"))
        }
    }
}

fn bounded_findings<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Finding>, D::Error> {
    struct Bounded;
    impl<'de> serde::de::Visitor<'de> for Bounded {
        type Value = Vec<Finding>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "a list of at most {MAX_EVIDENCE_FINDINGS} findings")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Finding>, A::Error> {
            let mut findings = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
            while let Some(finding) = seq.next_element()? {
                if findings.len() == MAX_EVIDENCE_FINDINGS {
                    return Err(serde::de::Error::custom(format!(
                        "more than {MAX_EVIDENCE_FINDINGS} findings; whoowns handles at most {MAX_EVIDENCE_FINDINGS}"
                    )));
                }
                findings.push(finding);
            }
            Ok(findings)
        }
    }
    d.deserialize_seq(Bounded)
}
