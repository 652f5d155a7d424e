//! Placement on small designs built here.

use super::*;
use crate::checklist::derive;
use crate::evidence::{Producer, Scheme};
use crate::model::{Boundary, Node, TaskState};

const ACCOUNT: &str = "111122223333";

fn finding(scheme: Scheme, control: &str, resource: &str, outcome: Outcome) -> Finding {
    Finding {
        producer: if scheme == Scheme::Prowler { Producer::Prowler } else { Producer::SecurityHub },
        scheme,
        control: control.to_owned(),
        resource: resource.to_owned(),
        account: ACCOUNT.to_owned(),
        region: "eu-west-1".to_owned(),
        outcome,
        state: State::Active,
        observed: "2026-11-27T08:00:00Z".to_owned(),
    }
}

fn shop() -> Project {
    let mut project = Project::named("shop");
    let mut bucket = Node::new("receipts", "s3");
    bucket.resources = vec!["arn:aws:s3:::receipts".into()];
    let mut web = Node::new("web", "ec2");
    web.resources = vec!["arn:aws:ec2:eu-west-1:111122223333:instance/*".into()];
    let iam = Node::new("iam", "iam");
    project.nodes = vec![bucket, iam, web];
    let mut account = Boundary::new("prod", BoundaryKind::Account);
    account.account_id = Some(ACCOUNT.into());
    account.members = vec!["iam".into(), "receipts".into(), "web".into()];
    project.boundaries.push(account);
    project
}

fn assess(project: &Project, findings: Vec<Finding>) -> (Derivation, Assessment) {
    let catalog = Catalog::builtin();
    let derivation = derive(project, catalog);
    let evidence = Evidence { findings, ..Evidence::default() };
    let assessment = Assessment::new(project, catalog, &derivation, evidence);
    (derivation, assessment)
}

fn verdict_of(derivation: &Derivation, assessment: &Assessment, key: &str) -> Verdict {
    let index = derivation.tasks.iter().position(|t| t.key == key).unwrap_or_else(|| panic!("no task {key}"));
    assessment.verdict(index)
}

#[test]
fn by_control_and_resource() {
    let project = shop();
    let (derivation, assessment) = assess(
        &project,
        vec![
            finding(Scheme::SecurityHub, "S3.8", "arn:aws:s3:::receipts", Outcome::Passed),
            finding(
                Scheme::SecurityHub,
                "EC2.8",
                "arn:aws:ec2:eu-west-1:111122223333:instance/i-1",
                Outcome::Passed,
            ),
            finding(
                Scheme::SecurityHub,
                "EC2.8",
                "arn:aws:ec2:eu-west-1:111122223333:instance/i-2",
                Outcome::Failed,
            ),
        ],
    );
    assert_eq!(verdict_of(&derivation, &assessment, "receipts/s3.bucket_block_public"), Verdict::Verified);
    assert_eq!(verdict_of(&derivation, &assessment, "web/ec2.imdsv2"), Verdict::Failing);
    assert_eq!(verdict_of(&derivation, &assessment, "web/ec2.patch_guest_os"), Verdict::Unverified);
    let web = derivation.tasks.iter().position(|t| t.key == "web/ec2.imdsv2").unwrap();
    assert_eq!(assessment.failing_resources(web), vec!["arn:aws:ec2:eu-west-1:111122223333:instance/i-2"]);
    assert_eq!(assessment.newest_day(web), Some("2026-11-27"));
    assert_eq!(assessment.placement.placed, 3);
}

#[test]
fn prowler_checks_and_cis_numbers_reach_the_same_tasks() {
    let project = shop();
    let (derivation, assessment) = assess(
        &project,
        vec![
            finding(
                Scheme::Prowler,
                "s3_bucket_level_public_access_block",
                "arn:aws:s3:::receipts",
                Outcome::Passed,
            ),
            finding(Scheme::CisV3, "2.1.4", &format!("AWS::::Account:{ACCOUNT}"), Outcome::Failed),
        ],
    );
    assert_eq!(verdict_of(&derivation, &assessment, "receipts/s3.bucket_block_public"), Verdict::Verified);
    // CIS v3.0.0 2.1.4 about the account reaches the account task; CIS numbers are too coarse to
    // reach the bucket's tasks through the account (2.1.4 names the bucket-level task too).
    assert_eq!(verdict_of(&derivation, &assessment, "account/s3_block_public_access/prod"), Verdict::Failing);
}

#[test]
fn account_findings_need_the_account_named() {
    let mut project = shop();
    let account_wide =
        finding(Scheme::SecurityHub, "IAM.4", &format!("AWS::::Account:{ACCOUNT}"), Outcome::Passed);
    let (derivation, assessment) = assess(&project, vec![account_wide.clone()]);
    assert_eq!(verdict_of(&derivation, &assessment, "account/root_user/prod"), Verdict::Verified);

    project.boundaries[0].account_id = None;
    let (derivation, assessment) = assess(&project, vec![account_wide]);
    assert_eq!(verdict_of(&derivation, &assessment, "account/root_user/prod"), Verdict::Unverified);
    let [group] = assessment.placement.unplaced.as_slice() else { panic!("{:?}", assessment.placement) };
    assert_eq!(group.reason, UnplacedReason::AccountNotInDesign);
    assert_eq!(group.control.id, "IAM.4");
    assert_eq!(group.passed, 1);
}

#[test]
fn unplaced_and_unknown_are_kept() {
    let project = shop();
    let (_, assessment) = assess(
        &project,
        vec![
            finding(Scheme::SecurityHub, "S3.8", "arn:aws:s3:::elsewhere", Outcome::Failed),
            finding(Scheme::SecurityHub, "S3.8", "arn:aws:s3:::elsewhere-too", Outcome::Failed),
            // The bucket has no EC2 task.
            finding(Scheme::SecurityHub, "EC2.8", "arn:aws:s3:::receipts", Outcome::Failed),
            finding(Scheme::SecurityHub, "Nope.1", "arn:aws:s3:::receipts", Outcome::Failed),
        ],
    );
    let placement = &assessment.placement;
    assert_eq!(placement.placed, 0);
    assert_eq!(placement.unplaced.len(), 2);
    let s3 = placement.unplaced.iter().find(|u| u.control.id == "S3.8").unwrap();
    assert_eq!((s3.reason, s3.failed, s3.findings.len()), (UnplacedReason::NotInDesign, 2, 2));
    let ec2 = placement.unplaced.iter().find(|u| u.control.id == "EC2.8").unwrap();
    assert_eq!(ec2.reason, UnplacedReason::NoTaskOnNode);
    assert_eq!(placement.unknown.len(), 1);
    assert_eq!((placement.unknown[0].control.id.as_str(), placement.unknown[0].failed), ("Nope.1", 1));
}

#[test]
fn suppressed_findings_neither_verify_nor_fail_and_other_accounts_stay_out() {
    let project = shop();
    let mut suppressed = finding(Scheme::SecurityHub, "S3.8", "arn:aws:s3:::receipts", Outcome::Failed);
    suppressed.state = State::Suppressed;
    let mut elsewhere = finding(
        Scheme::SecurityHub,
        "EC2.8",
        "arn:aws:ec2:eu-west-1:999988887777:instance/i-1",
        Outcome::Failed,
    );
    elsewhere.account = "999988887777".into();
    let (derivation, assessment) = assess(&project, vec![suppressed, elsewhere]);
    let bucket = derivation.tasks.iter().position(|t| t.key == "receipts/s3.bucket_block_public").unwrap();
    assert_eq!(assessment.verdict(bucket), Verdict::Unverified);
    assert_eq!(assessment.task(bucket).unwrap().suppressed, 1);
    assert_eq!(verdict_of(&derivation, &assessment, "web/ec2.imdsv2"), Verdict::Unverified);
}

#[test]
fn not_evaluated_findings_keep_a_task_unverified() {
    let project = shop();
    let (derivation, assessment) = assess(
        &project,
        vec![
            finding(Scheme::SecurityHub, "S3.8", "arn:aws:s3:::receipts", Outcome::Passed),
            finding(Scheme::SecurityHub, "S3.2", "arn:aws:s3:::receipts", Outcome::NotEvaluated),
        ],
    );
    assert_eq!(verdict_of(&derivation, &assessment, "receipts/s3.bucket_block_public"), Verdict::Unverified);
}

#[test]
fn failing_done_tasks_are_found_and_statuses_never_change() {
    let mut project = shop();
    let done = TaskState { status: TaskStatus::Done, ..TaskState::default() };
    project.tasks.insert("web/ec2.imdsv2".into(), done.clone());
    project.tasks.insert("receipts/s3.bucket_block_public".into(), done);
    let before = project.clone();
    let (derivation, assessment) = assess(
        &project,
        vec![
            finding(
                Scheme::SecurityHub,
                "EC2.8",
                "arn:aws:ec2:eu-west-1:111122223333:instance/i-2",
                Outcome::Failed,
            ),
            finding(Scheme::SecurityHub, "S3.8", "arn:aws:s3:::receipts", Outcome::Passed),
        ],
    );
    assert_eq!(project, before);
    let failing: Vec<&str> = assessment
        .failing_closed(&derivation, false)
        .iter()
        .map(|&i| derivation.tasks[i].key.as_str())
        .collect();
    assert_eq!(failing, vec!["web/ec2.imdsv2"]);
}

#[test]
fn marking_verified_tasks_done_is_one_undoable_step() {
    let mut project = shop();
    let (derivation, assessment) = assess(
        &project,
        vec![
            finding(Scheme::SecurityHub, "S3.8", "arn:aws:s3:::receipts", Outcome::Passed),
            finding(
                Scheme::SecurityHub,
                "EC2.8",
                "arn:aws:ec2:eu-west-1:111122223333:instance/i-2",
                Outcome::Failed,
            ),
        ],
    );
    let (edit, count) =
        crate::evidence::mark_verified_done(&project, &derivation, &assessment, "2026-11-28").unwrap();
    assert_eq!(count, 1);
    let original = project.clone();
    let mut history = crate::model::History::default();
    history.apply(&mut project, edit).unwrap();
    let state = &project.tasks["receipts/s3.bucket_block_public"];
    assert_eq!(state.status, TaskStatus::Done);
    assert_eq!(state.updated.as_deref(), Some("2026-11-28"));
    assert!(state.note.starts_with("Verified by 1 passing finding"), "{}", state.note);
    assert!(!project.tasks.contains_key("web/ec2.imdsv2"));
    assert_eq!(history.undo(&mut project), Ok(true));
    assert_eq!(project, original);
}

#[test]
fn placement_is_pure() {
    let project = shop();
    let findings = vec![
        finding(Scheme::SecurityHub, "S3.8", "arn:aws:s3:::receipts", Outcome::Passed),
        finding(Scheme::SecurityHub, "S3.8", "arn:aws:s3:::x", Outcome::Failed),
    ];
    let (_, a) = assess(&project, findings.clone());
    let (_, b) = assess(&project, findings);
    assert_eq!(a, b);
}
