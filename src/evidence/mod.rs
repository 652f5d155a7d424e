//! Evidence: what the scanners say about the account, placed on the design.
//!
//! whoowns tells a team which security tasks are theirs; Security Hub CSPM and Prowler check the
//! account every day and say, per resource, whether each control passes. This module joins the
//! two:
//!
//! 1. **Reading** ([`read_findings`]): Security Hub findings as ASFF ([`asff`]: the output of
//!    `aws securityhub get-findings`, Prowler's `json-asff`, EventBridge events), OCSF JSON
//!    ([`ocsf`]: Security Hub's and Prowler's `json-ocsf`, an array or one object per line) and
//!    Prowler's CSV ([`prowler_csv`]), each streamed record by record ([`json`] for both JSON
//!    formats), bounded, and refused with `FILE:LINE:COLUMN` and the record number when broken.
//!    Every finding becomes one [`Finding`]: a control ([`Control`]), a resource, an account, an
//!    outcome, a state and a time.
//! 2. **Placing** ([`place`]): by control to the catalog's task templates (Security Hub control
//!    ids, Prowler check ids, CIS numbers), by resource to the nodes whose `resources` match
//!    ([`resources`]), and by account to the account's tasks. What matches a control but nothing
//!    in the design is kept as *unplaced*. The result says per task whether it is verified,
//!    failing or unverified ([`Verdict`]); it never changes a recorded status.
//! 3. **Keeping** ([`file`]): the findings are saved beside the design in an evidence file
//!    (`DESIGN.evidence.json`), not in it, so refreshing them does not touch the design's diff;
//!    [`diff`] compares two evidence files.
//!
//! docs/evidence.md describes the formats, the placement and the states for users.

pub mod asff;
pub mod control;
pub mod diff;
mod error;
pub mod file;
pub mod json;
mod mark;
pub mod ocsf;
pub mod place;
pub mod prowler_csv;
mod read;
pub mod report;
pub mod resources;
pub mod synthetic;
pub mod time;

use serde::{Deserialize, Serialize};

pub use control::{Control, Scheme};
pub use error::EvidenceError;
pub use file::{EVIDENCE_VERSION, Evidence, SourceSummary};
pub use mark::mark_verified_done;
pub use place::{Assessment, Placement, TaskEvidence, Unknown, Unplaced, UnplacedReason, Verdict, place};
pub use read::{MAX_FINDINGS_FILE_SIZE, MAX_FINDINGS_PER_FILE, read_findings, read_findings_from};

/// Who produced a finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Producer {
    /// AWS Security Hub CSPM.
    SecurityHub,
    /// Prowler.
    Prowler,
}

impl Producer {
    /// The producer's name.
    pub fn name(self) -> &'static str {
        match self {
            Self::SecurityHub => "Security Hub",
            Self::Prowler => "Prowler",
        }
    }
}

/// What a check said about a resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The control holds for the resource (ASFF `PASSED`, OCSF `Pass`, Prowler `PASS`).
    Passed,
    /// It does not (ASFF `FAILED`, OCSF `Fail`, Prowler `FAIL`).
    Failed,
    /// The check gave no verdict: ASFF `WARNING` or `NOT_AVAILABLE`, OCSF `Warning`, Prowler
    /// `MANUAL`.
    NotEvaluated,
}

impl Outcome {
    /// The outcome in words.
    pub fn name(self) -> &'static str {
        match self {
            Self::Passed => "passed",
            Self::Failed => "failed",
            Self::NotEvaluated => "not evaluated",
        }
    }
}

/// Where a finding stands in its producer's workflow, as far as evidence is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Current: it counts.
    Active,
    /// A person set it aside: Security Hub `Workflow.Status` `SUPPRESSED`, OCSF status
    /// `Suppressed`, a Prowler finding muted by the mutelist. It is shown and counted, but
    /// neither verifies nor fails a task.
    Suppressed,
    /// No longer current: Security Hub `RecordState` `ARCHIVED` (the resource was deleted, the
    /// control or standard turned off), OCSF status `Archived` or `Deleted`. Dropped once the
    /// newest finding per check and resource is chosen, so a newer archived finding retires an
    /// older active one.
    Archived,
}

/// One finding, reduced to what placing it needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    /// Security Hub or Prowler.
    pub producer: Producer,
    /// What kind of id `control` is.
    pub scheme: Scheme,
    /// The check, e.g. Security Hub control `S3.8` or Prowler check `s3_bucket_public_access`.
    pub control: String,
    /// The resource checked: an ARN, or an id when the producer gives no ARN. For account-wide
    /// checks Security Hub names the account (`AWS::::Account:111122223333`).
    #[serde(default)]
    pub resource: String,
    /// The 12-digit account id, when the finding gives one.
    #[serde(default)]
    pub account: String,
    /// The Region code, when the finding gives one.
    #[serde(default)]
    pub region: String,
    /// What the check said.
    pub outcome: Outcome,
    /// Active or suppressed (archived findings are not kept).
    pub state: State,
    /// When the producer last evaluated it, `YYYY-MM-DDTHH:MM:SSZ` (UTC); empty when unknown.
    #[serde(default)]
    pub observed: String,
}

impl Finding {
    /// The check, as a [`Control`].
    pub fn control(&self) -> Control {
        Control::new(self.scheme, self.control.as_str())
    }

    /// Whether the finding counts towards a verdict: active, not suppressed.
    pub fn is_active(&self) -> bool {
        self.state == State::Active
    }

    /// The day it was observed, `YYYY-MM-DD`, or "" when unknown.
    pub fn day(&self) -> &str {
        self.observed.get(..10).unwrap_or(&self.observed)
    }

    /// Whether the resource is the account itself rather than something in it.
    pub fn is_about_the_account(&self) -> bool {
        resources::is_account_resource(&self.resource, &self.account)
    }
}
