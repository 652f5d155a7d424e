//! What changed between two evidence files (`whoowns diff --evidence OLD NEW`): per check and
//! resource, findings that started or stopped failing, appeared or went; with the design given,
//! the tasks whose verdict changed.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::{Assessment, Evidence, Finding, Outcome, Producer, Scheme, State, Verdict};
use crate::catalog::Catalog;
use crate::checklist::Derivation;
use crate::model::Project;

/// A finding as the diff names it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct FindingRef {
    /// The control, as people read it (`S3.8`, `prowler s3_bucket_…`).
    pub control: String,
    /// The resource.
    pub resource: String,
    /// The account.
    pub account: String,
    /// The Region.
    pub region: String,
    /// Who produced it.
    pub producer: Producer,
}

/// A finding whose outcome or state changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FindingChange {
    /// Which.
    pub finding: FindingRef,
    /// Before: `passed`, `failed`, `not evaluated`, or `suppressed`.
    pub old: String,
    /// After.
    pub new: String,
}

/// A task whose verdict changed (only with the design).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VerdictChange {
    /// The task key.
    pub key: String,
    /// What to do.
    pub title: String,
    /// Before.
    pub old: Verdict,
    /// After.
    pub new: Verdict,
}

/// Everything that changed, each list sorted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct EvidenceDiff {
    /// Findings that fail now and did not before (new, or passed before).
    pub now_failing: Vec<FindingChange>,
    /// Findings that failed before and pass now, or went.
    pub fixed: Vec<FindingChange>,
    /// Other changes of outcome or state (suppressed, not evaluated...).
    pub changed: Vec<FindingChange>,
    /// Findings only in the new file (failing ones are in `now_failing`).
    pub added: Vec<FindingRef>,
    /// Findings only in the old file (failing ones are in `fixed`).
    pub removed: Vec<FindingRef>,
    /// Tasks whose verdict changed, with the design.
    pub verdicts: Vec<VerdictChange>,
    /// Active passed and failed findings before and after.
    pub counts: ((usize, usize), (usize, usize)),
}

type Key<'a> = (Producer, Scheme, &'a str, &'a str, &'a str, &'a str);

fn key(finding: &Finding) -> Key<'_> {
    (finding.producer, finding.scheme, &finding.control, &finding.account, &finding.region, &finding.resource)
}

fn reference(finding: &Finding) -> FindingRef {
    FindingRef {
        control: finding.control().to_string(),
        resource: finding.resource.clone(),
        account: finding.account.clone(),
        region: finding.region.clone(),
        producer: finding.producer,
    }
}

/// The finding's standing in words: its outcome, or `suppressed`.
fn standing(finding: &Finding) -> &'static str {
    if finding.state == State::Suppressed { "suppressed" } else { finding.outcome.name() }
}

fn failing(finding: &Finding) -> bool {
    finding.state == State::Active && finding.outcome == Outcome::Failed
}

/// Compares two evidence files; with `design` (a project, its catalog and its derivation),
/// also the verdicts of its tasks.
pub fn diff(
    old: &Evidence,
    new: &Evidence,
    design: Option<(&Project, &Catalog, &Derivation)>,
) -> EvidenceDiff {
    let before: BTreeMap<Key<'_>, &Finding> = old.findings.iter().map(|f| (key(f), f)).collect();
    let after: BTreeMap<Key<'_>, &Finding> = new.findings.iter().map(|f| (key(f), f)).collect();
    let mut result = EvidenceDiff::default();
    let (old_counts, new_counts) = (old.counts(), new.counts());
    result.counts = ((old_counts.0, old_counts.1), (new_counts.0, new_counts.1));
    for (k, then) in &before {
        match after.get(k) {
            None if failing(then) => result.fixed.push(FindingChange {
                finding: reference(then),
                old: standing(then).to_owned(),
                new: "gone".to_owned(),
            }),
            None => result.removed.push(reference(then)),
            Some(now) if standing(then) != standing(now) => {
                let change = FindingChange {
                    finding: reference(now),
                    old: standing(then).to_owned(),
                    new: standing(now).to_owned(),
                };
                if failing(now) {
                    result.now_failing.push(change);
                } else if failing(then) {
                    result.fixed.push(change);
                } else {
                    result.changed.push(change);
                }
            }
            Some(_) => {}
        }
    }
    for (k, now) in &after {
        if !before.contains_key(k) {
            if failing(now) {
                result.now_failing.push(FindingChange {
                    finding: reference(now),
                    old: "absent".to_owned(),
                    new: standing(now).to_owned(),
                });
            } else {
                result.added.push(reference(now));
            }
        }
    }
    if let Some((project, catalog, derivation)) = design {
        let then = Assessment::new(project, catalog, derivation, old.clone());
        let now = Assessment::new(project, catalog, derivation, new.clone());
        for (i, task) in derivation.tasks.iter().enumerate() {
            let (a, b) = (then.verdict(i), now.verdict(i));
            if a != b {
                result.verdicts.push(VerdictChange {
                    key: task.key.clone(),
                    title: task.template.title.clone(),
                    old: a,
                    new: b,
                });
            }
        }
    }
    for list in [&mut result.now_failing, &mut result.fixed, &mut result.changed] {
        list.sort_by(|a, b| a.finding.cmp(&b.finding));
    }
    result
}

impl EvidenceDiff {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.now_failing.is_empty()
            && self.fixed.is_empty()
            && self.changed.is_empty()
            && self.added.is_empty()
            && self.removed.is_empty()
            && self.verdicts.is_empty()
    }

    /// The diff for people, as `whoowns diff --evidence` prints it.
    pub fn render(&self) -> String {
        let mut out = String::new();
        if self.is_empty() {
            out.push_str("No change in the findings.\n");
            return out;
        }
        let ((old_passed, old_failed), (new_passed, new_failed)) = self.counts;
        let _ = writeln!(
            out,
            "Findings: {} now failing, {} fixed, {} changed, {} added, {} removed. Passed {old_passed} → {new_passed}, failed {old_failed} → {new_failed}.",
            self.now_failing.len(),
            self.fixed.len(),
            self.changed.len(),
            self.added.len(),
            self.removed.len()
        );
        let line = |out: &mut String, sign: char, change: &FindingChange| {
            let f = &change.finding;
            let _ = writeln!(
                out,
                "  {sign} {} {}: {} → {}{}",
                f.control,
                where_(f),
                change.old,
                change.new,
                by(f)
            );
        };
        for change in &self.now_failing {
            line(&mut out, '!', change);
        }
        for change in &self.fixed {
            line(&mut out, '✓', change);
        }
        for change in &self.changed {
            line(&mut out, '~', change);
        }
        for f in &self.added {
            let _ = writeln!(out, "  + {} {}{}", f.control, where_(f), by(f));
        }
        for f in &self.removed {
            let _ = writeln!(out, "  - {} {}{}", f.control, where_(f), by(f));
        }
        if !self.verdicts.is_empty() {
            let _ = writeln!(out, "\nTasks whose evidence changed: {}", self.verdicts.len());
            for change in &self.verdicts {
                let _ = writeln!(
                    out,
                    "  ~ {}: {} → {}  ({})",
                    change.title,
                    change.old.id(),
                    change.new.id(),
                    change.key
                );
            }
        }
        out
    }
}

fn where_(f: &FindingRef) -> String {
    let resource = if f.resource.is_empty() { "(no resource)" } else { &f.resource };
    match (f.account.is_empty(), f.region.is_empty()) {
        (true, true) => resource.to_owned(),
        (false, true) => format!("{resource} [{}]", f.account),
        (true, false) => format!("{resource} [{}]", f.region),
        (false, false) => format!("{resource} [{} {}]", f.account, f.region),
    }
}

fn by(f: &FindingRef) -> String {
    match f.producer {
        Producer::SecurityHub => String::new(),
        Producer::Prowler => " (Prowler)".to_owned(),
    }
}
