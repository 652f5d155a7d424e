//! Placing findings on the design's tasks: a pure function of the project, its derivation and
//! the evidence.
//!
//! A finding lands on a task when the task's template names the finding's control (its
//! `controls`, `prowler`, `cis_v3` or `cis_v5` lists) and the task is about
//!
//! - a node whose `resources` match the finding's resource ([`super::resources`]);
//! - a node inside the account boundary of the finding's account, when the finding is about the
//!   account itself (`AWS::::Account:<id>`: account-wide checks such as IAM.4 or S3.1) and names
//!   a Security Hub control or Prowler check (CIS numbers are too coarse for that);
//! - the account, when an account boundary's `account_id` is the finding's account: that
//!   boundary's account tasks (the account tasks of services outside every account boundary
//!   have no account id, and take no finding).
//!
//! A finding whose control no template names is *unknown*; one whose control is known but that
//! lands on no task is *unplaced*, grouped by control and account: a resource the design does
//! not have, an account it does not name, or a node without that task. Placing never changes a
//! recorded status.

use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasherDefault;

use serde::Serialize;

use super::control::{Control, Scheme};
use super::resources::ResourceIndex;
use super::{Evidence, Finding, Outcome, State};
use crate::catalog::{Catalog, TaskTemplate};
use crate::checklist::{Derivation, Subject};
use crate::model::index::Fnv;
use crate::model::{BoundaryKind, Project, TaskStatus};
use crate::view::ModelView;

/// What the findings on a task say.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every active finding on the task passed (and there is at least one).
    Verified,
    /// At least one active finding failed, whatever the task's recorded status.
    Failing,
    /// No active finding, or some gave no verdict.
    Unverified,
}

impl Verdict {
    /// Every verdict, worst first.
    pub const ALL: [Self; 3] = [Self::Failing, Self::Unverified, Self::Verified];

    /// The id used in exports and on the command line.
    pub fn id(self) -> &'static str {
        match self {
            Self::Verified => "verified",
            Self::Failing => "failing",
            Self::Unverified => "unverified",
        }
    }

    /// The verdict in words.
    pub fn name(self) -> &'static str {
        match self {
            Self::Verified => "Verified",
            Self::Failing => "Failing",
            Self::Unverified => "Unverified",
        }
    }
}

/// The findings on one task.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TaskEvidence {
    /// Indices into [`Evidence::findings`], in that order.
    pub findings: Vec<u32>,
    /// Active findings that passed.
    pub passed: u32,
    /// Active findings that failed.
    pub failed: u32,
    /// Active findings that gave no verdict.
    pub not_evaluated: u32,
    /// Suppressed findings: shown, not counted.
    pub suppressed: u32,
    /// The newest active finding, an index into [`Evidence::findings`].
    pub newest: Option<u32>,
}

impl TaskEvidence {
    fn add(&mut self, index: u32, finding: &Finding, findings: &[Finding]) {
        if self.findings.last() == Some(&index) {
            return;
        }
        self.findings.push(index);
        if finding.state == State::Suppressed {
            self.suppressed += 1;
            return;
        }
        match finding.outcome {
            Outcome::Passed => self.passed += 1,
            Outcome::Failed => self.failed += 1,
            Outcome::NotEvaluated => self.not_evaluated += 1,
        }
        let newer = self.newest.is_none_or(|n| findings[n as usize].observed < finding.observed);
        if newer {
            self.newest = Some(index);
        }
    }

    /// What the findings say.
    pub fn verdict(&self) -> Verdict {
        if self.failed > 0 {
            Verdict::Failing
        } else if self.passed > 0 && self.not_evaluated == 0 {
            Verdict::Verified
        } else {
            Verdict::Unverified
        }
    }
}

/// Why a finding with a known control landed on no task.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnplacedReason {
    /// Its resource is on no node of the design.
    NotInDesign,
    /// It is about an account no account boundary names (by `account_id`).
    AccountNotInDesign,
    /// Its resource is on a node that has no task for the control.
    NoTaskOnNode,
}

impl UnplacedReason {
    /// The reason in words, completing "N findings …".
    pub fn describe(self) -> &'static str {
        match self {
            Self::NotInDesign => "on resources not in this design",
            Self::AccountNotInDesign => {
                "about an account no account boundary names (draw it, or set its account_id)"
            }
            Self::NoTaskOnNode => "on nodes that have no task for this control",
        }
    }
}

/// Findings of one control and account that landed on no task.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unplaced {
    /// The control.
    pub control: Control,
    /// The account, or "" when the findings give none.
    pub account: String,
    /// Why.
    pub reason: UnplacedReason,
    /// Indices into [`Evidence::findings`].
    pub findings: Vec<u32>,
    /// Of those, active ones that failed.
    pub failed: u32,
    /// Active ones that passed.
    pub passed: u32,
}

/// Findings of a control no task template names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unknown {
    /// The control.
    pub control: Control,
    /// How many findings.
    pub findings: u32,
    /// Of those, active ones that failed.
    pub failed: u32,
}

/// Where every finding went.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Placement {
    /// The findings on each task, indexed like [`Derivation::tasks`].
    pub tasks: Vec<TaskEvidence>,
    /// Findings with a known control on no task, by control, account and reason.
    pub unplaced: Vec<Unplaced>,
    /// Findings of controls no task names, by control.
    pub unknown: Vec<Unknown>,
    /// Findings placed on at least one task.
    pub placed: usize,
}

/// A hash map with FNV: its keys come from the design and the catalog, and findings only look
/// them up, so hostile findings cannot flood it.
type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

/// A template's identity: templates live as long as the catalog, so their address is one.
fn template_key(template: &TaskTemplate) -> usize {
    std::ptr::from_ref(template) as usize
}

/// The account boundary an account task is about, if it is an account task: `Some(None)` for
/// the account of the services drawn outside every account boundary, which has no account id and
/// so takes no finding.
fn account_of(subject: &Subject) -> Option<Option<&str>> {
    match subject {
        Subject::Account(boundary) => Some(boundary.as_deref()),
        Subject::Node(_) | Subject::Flow { .. } => None,
    }
}

/// The templates that name each control.
fn templates_by_control(catalog: &Catalog) -> FastMap<(Scheme, &str), Vec<usize>> {
    let mut by_control: FastMap<(Scheme, &str), Vec<usize>> = FastMap::default();
    let templates = catalog
        .account_tasks
        .iter()
        .chain(&catalog.rule_tasks)
        .chain(catalog.services.iter().flat_map(|service| &service.tasks));
    for template in templates {
        let lists = [
            (Scheme::SecurityHub, &template.controls),
            (Scheme::Prowler, &template.prowler),
            (Scheme::CisV3, &template.cis_v3),
            (Scheme::CisV5, &template.cis_v5),
        ];
        for (scheme, ids) in lists {
            for id in ids {
                let entry = by_control.entry((scheme, id.as_str())).or_default();
                if !entry.contains(&template_key(template)) {
                    entry.push(template_key(template));
                }
            }
        }
    }
    by_control
}

/// Places every finding of `evidence` on the tasks of `derivation` (the derivation of
/// `project` with `catalog`). Pure: the same inputs give the same placement.
pub fn place(
    project: &Project,
    catalog: &Catalog,
    derivation: &Derivation,
    evidence: &Evidence,
) -> Placement {
    let by_control = templates_by_control(catalog);
    let view = ModelView::build(project);
    let resources = ResourceIndex::of(project, &view);
    let node_index: FastMap<&str, u32> =
        project.nodes.iter().enumerate().map(|(i, n)| (n.id.as_str(), i as u32)).collect();
    // Tasks by (node, template) and by (account boundary, template).
    let mut node_tasks: FastMap<(u32, usize), Vec<usize>> = FastMap::default();
    let mut account_tasks: FastMap<(Option<&str>, usize), Vec<usize>> = FastMap::default();
    for (i, task) in derivation.tasks.iter().enumerate() {
        let template = template_key(task.template);
        if let Some(boundary) = account_of(&task.subject) {
            account_tasks.entry((boundary, template)).or_default().push(i);
        } else if let Subject::Node(id) = &task.subject
            && let Some(&node) = node_index.get(&**id)
        {
            node_tasks.entry((node, template)).or_default().push(i);
        }
    }
    let account_templates: std::collections::HashSet<usize> = account_tasks.keys().map(|&(_, t)| t).collect();
    let mut boundaries_of_account: FastMap<&str, Vec<&str>> = FastMap::default();
    for boundary in &project.boundaries {
        if boundary.kind == BoundaryKind::Account
            && let Some(id) = &boundary.account_id
        {
            boundaries_of_account.entry(id.as_str()).or_default().push(boundary.id.as_str());
        }
    }
    let mut nodes_of_account: FastMap<&str, Vec<u32>> = FastMap::default();

    let mut placement =
        Placement { tasks: vec![TaskEvidence::default(); derivation.tasks.len()], ..Placement::default() };
    let mut unplaced: BTreeMap<(Control, String, UnplacedReason), Unplaced> = BTreeMap::new();
    let mut unknown: BTreeMap<Control, Unknown> = BTreeMap::new();
    let mut hits: Vec<usize> = Vec::new();
    for (index, finding) in evidence.findings.iter().enumerate() {
        let index = u32::try_from(index).unwrap_or(u32::MAX);
        let failed = u32::from(finding.is_active() && finding.outcome == Outcome::Failed);
        let passed = u32::from(finding.is_active() && finding.outcome == Outcome::Passed);
        let Some(templates) = by_control.get(&(finding.scheme, finding.control.as_str())) else {
            let entry = unknown.entry(finding.control()).or_insert_with(|| Unknown {
                control: finding.control(),
                findings: 0,
                failed: 0,
            });
            entry.findings += 1;
            entry.failed += failed;
            continue;
        };
        hits.clear();
        // By resource, and for account-wide findings by the account the nodes are in.
        let mut nodes = resources.nodes(&finding.resource, &finding.account, &finding.region);
        // CIS numbers are coarse (CIS v3.0.0 2.1.4 covers account and bucket settings alike), so
        // only a Security Hub control or Prowler check about the account reaches node tasks.
        let precise = matches!(finding.scheme, Scheme::SecurityHub | Scheme::Prowler);
        if precise && finding.is_about_the_account() && !finding.account.is_empty() {
            let in_account = nodes_of_account
                .entry(finding.account.as_str())
                .or_insert_with(|| resources.nodes_in_account(&finding.account));
            nodes.extend_from_slice(in_account);
            nodes.sort_unstable();
            nodes.dedup();
        }
        for &node in &nodes {
            for template in templates {
                if let Some(tasks) = node_tasks.get(&(node, *template)) {
                    hits.extend_from_slice(tasks);
                }
            }
        }
        // By account.
        let account_control = templates.iter().any(|t| account_templates.contains(t));
        let boundaries = boundaries_of_account.get(finding.account.as_str());
        if account_control && let Some(boundaries) = boundaries {
            for template in templates {
                for boundary in boundaries {
                    if let Some(tasks) = account_tasks.get(&(Some(*boundary), *template)) {
                        hits.extend_from_slice(tasks);
                    }
                }
            }
        }
        if hits.is_empty() {
            let reason = if !nodes.is_empty() {
                UnplacedReason::NoTaskOnNode
            } else if account_control && boundaries.is_none() {
                UnplacedReason::AccountNotInDesign
            } else {
                UnplacedReason::NotInDesign
            };
            let key = (finding.control(), finding.account.clone(), reason);
            let group = unplaced.entry(key).or_insert_with(|| Unplaced {
                control: finding.control(),
                account: finding.account.clone(),
                reason,
                findings: Vec::new(),
                failed: 0,
                passed: 0,
            });
            group.findings.push(index);
            group.failed += failed;
            group.passed += passed;
            continue;
        }
        placement.placed += 1;
        hits.sort_unstable();
        hits.dedup();
        for &task in &hits {
            placement.tasks[task].add(index, finding, &evidence.findings);
        }
    }
    placement.unplaced = unplaced.into_values().collect();
    placement.unknown = unknown.into_values().collect();
    placement
}

/// Evidence placed on a design: the findings and where they went, with what the reports and
/// the app ask of them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Assessment {
    /// The findings.
    pub evidence: Evidence,
    /// Where they went, for the derivation they were placed on.
    pub placement: Placement,
}

impl Assessment {
    /// Places `evidence` on `derivation`, the derivation of `project`.
    pub fn new(project: &Project, catalog: &Catalog, derivation: &Derivation, evidence: Evidence) -> Self {
        let placement = place(project, catalog, derivation, &evidence);
        Self { evidence, placement }
    }

    /// The findings on task `task` (an index into the derivation's tasks).
    pub fn task(&self, task: usize) -> Option<&TaskEvidence> {
        self.placement.tasks.get(task)
    }

    /// The verdict on task `task`; unverified when it has no findings.
    pub fn verdict(&self, task: usize) -> Verdict {
        self.task(task).map_or(Verdict::Unverified, TaskEvidence::verdict)
    }

    /// The finding at `index`.
    pub fn finding(&self, index: u32) -> Option<&Finding> {
        self.evidence.findings.get(index as usize)
    }

    /// The findings on task `task`.
    pub fn findings(&self, task: usize) -> impl Iterator<Item = &Finding> {
        self.task(task).into_iter().flat_map(|t| t.findings.iter().filter_map(|&i| self.finding(i)))
    }

    /// The resources of the task's active failed findings, each once, sorted.
    pub fn failing_resources(&self, task: usize) -> Vec<&str> {
        let mut resources: Vec<&str> = self
            .findings(task)
            .filter(|f| f.is_active() && f.outcome == Outcome::Failed)
            .map(|f| if f.resource.is_empty() { f.account.as_str() } else { f.resource.as_str() })
            .collect();
        resources.sort_unstable();
        resources.dedup();
        resources
    }

    /// The day of the newest active finding on the task, `YYYY-MM-DD`.
    pub fn newest_day(&self, task: usize) -> Option<&str> {
        let newest = self.task(task)?.newest?;
        self.finding(newest).map(Finding::day).filter(|d| !d.is_empty())
    }

    /// How many tasks have each verdict, in the order of [`Verdict::ALL`].
    pub fn verdict_counts(&self) -> [usize; 3] {
        let mut counts = [0; 3];
        for task in &self.placement.tasks {
            let verdict = task.verdict();
            if let Some(i) = Verdict::ALL.iter().position(|v| *v == verdict) {
                counts[i] += 1;
            }
        }
        counts
    }

    /// The tasks marked done (or with an accepted risk, when `accepted` is set) whose findings
    /// fail: what `whoowns check --evidence` fails on.
    pub fn failing_closed(&self, derivation: &Derivation, accepted: bool) -> Vec<usize> {
        (0..derivation.tasks.len())
            .filter(|&i| {
                let status = derivation.tasks[i].status;
                (status == TaskStatus::Done || (accepted && status == TaskStatus::AcceptedRisk))
                    && self.verdict(i) == Verdict::Failing
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
