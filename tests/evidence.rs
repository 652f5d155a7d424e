//! Evidence through the command line: findings files of every format placed on the e-commerce
//! example, `check --evidence`, `export --evidence`, `diff --evidence`, and broken files refused
//! with where and which finding.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "test helpers fail loudly")]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn whoowns(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_whoowns")).args(args).output().expect("run whoowns")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn example() -> String {
    root().join("examples/ecommerce.ron").to_string_lossy().into_owned()
}

fn fixture(name: &str) -> String {
    root().join("tests/fixtures/evidence").join(name).to_string_lossy().into_owned()
}

/// `whoowns evidence DESIGN FILES --format json`, parsed.
fn report(design: &str, files: &[&str]) -> Value {
    let mut args = vec!["evidence", design];
    args.extend_from_slice(files);
    args.extend_from_slice(&["--format", "json"]);
    let output = whoowns(&args);
    assert!(output.status.success(), "{}", stderr(&output));
    serde_json::from_str(&stdout(&output)).unwrap()
}

/// Task key → verdict, for the tasks that got findings.
fn verdicts(report: &Value) -> BTreeMap<String, String> {
    report["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["key"].as_str().unwrap().to_owned(), t["verdict"].as_str().unwrap().to_owned()))
        .collect()
}

fn task<'a>(report: &'a Value, key: &str) -> &'a Value {
    report["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["key"] == key)
        .unwrap_or_else(|| panic!("{key}: {report}"))
}

fn expect(report: &Value, expected: &[(&str, &str)]) {
    let verdicts = verdicts(report);
    for (key, verdict) in expected {
        assert_eq!(verdicts.get(*key).map(String::as_str), Some(*verdict), "{key} in {verdicts:?}");
    }
}

#[test]
fn security_hub_asff_pass_fail_archived_suppressed_unknown() {
    let report = report(&example(), &[&fixture("asff/get-findings.json")]);
    expect(
        &report,
        &[
            ("receipts/s3.bucket_block_public", "verified"),
            ("web/ec2.imdsv2", "failing"),
            ("account/root_user/prod", "verified"),
            ("orders-db/rds.encrypt_at_rest", "unverified"),
        ],
    );
    // The suppressed RDS.3 finding is counted, not judged.
    assert_eq!(task(&report, "orders-db/rds.encrypt_at_rest")["suppressed"], 1);
    // One of the two EC2.8 findings fails; the failing resource is named.
    let web = task(&report, "web/ec2.imdsv2");
    assert_eq!((web["passed"].as_u64(), web["failed"].as_u64()), (Some(1), Some(1)));
    assert_eq!(
        web["failing_resources"][0],
        "arn:aws:ec2:eu-west-1:111122223333:instance/i-0a1b2c3d4e5f60718"
    );
    assert_eq!(web["newest"], "2026-11-27");
    // The archived S3.8 on a deleted bucket is gone; the GuardDuty finding names no control.
    let source = &report["sources"][0];
    assert_eq!((source["records"].as_u64(), source["archived"].as_u64()), (Some(11), Some(1)));
    assert_eq!(source["without_control"], 1);
    let text = report.to_string();
    assert!(!text.contains("shop-old-exports"), "archived findings are dropped");
    // Unplaced: a bucket not in the design, an account not in the design.
    let unplaced = report["unplaced"].as_array().unwrap();
    let s3 = unplaced.iter().find(|u| u["control"] == "S3.8").unwrap();
    assert_eq!((s3["reason"].as_str(), s3["failed"].as_u64()), (Some("not_in_design"), Some(1)));
    assert_eq!(s3["findings"][0]["resource"], "arn:aws:s3:::shop-marketing-site");
    let config = unplaced.iter().find(|u| u["control"] == "Config.1").unwrap();
    assert_eq!(
        (config["account"].as_str(), config["reason"].as_str()),
        (Some("999988887777"), Some("account_not_in_design"))
    );
    // A control no task names.
    assert_eq!(report["unknown"][0]["control"], "Amplify.1");
}

#[test]
fn the_text_report_lists_failing_unplaced_and_unknown() {
    let output = whoowns(&["evidence", &example(), &fixture("asff/get-findings.json")]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains("Read 1 file(s), 11 finding(s): 9 kept (1 suppressed); left out: 1 archived"),
        "{text}"
    );
    assert!(text.contains("Failing (2)"), "{text}");
    assert!(
        text.contains(
            "failed: arn:aws:ec2:eu-west-1:111122223333:instance/i-0a1b2c3d4e5f60718 (EC2.8, 2026-11-27)"
        ),
        "{text}"
    );
    assert!(
        text.contains("S3.8 in 111122223333: 1 failing, 0 passing on resources not in this design"),
        "{text}"
    );
    assert!(text.contains("failed: arn:aws:s3:::shop-marketing-site"), "{text}");
    assert!(
        text.contains(
            "Config.1 in 999988887777: 1 failing, 0 passing about an account no account boundary names"
        ),
        "{text}"
    );
    assert!(text.contains("Controls no task names: Amplify.1 (1, 1 failing)"), "{text}");
}

#[test]
fn security_hub_per_standard_ids_map_to_controls() {
    let report = report(&example(), &[&fixture("asff/per-standard.json")]);
    expect(
        &report,
        &[
            // FSBP ControlId S3.8.
            ("receipts/s3.bucket_block_public", "failing"),
            // CIS v1.2.0 rule 2.5 is Config.1.
            ("account/config_enabled/prod", "verified"),
            // PCI.S3.6 is S3.1, on the account task only (one task per control and scope).
            ("account/s3_block_public_access/prod", "verified"),
            // Only ProductFields.ControlId and StandardsArn.
            ("keys/kms.rotation", "verified"),
        ],
    );
    assert_eq!(report["unknown"][0]["control"], "pci-dss/v/3.2.1/PCI.Foo.9");
}

#[test]
fn prowler_asff_and_eventbridge_events() {
    let report = report(&example(), &[&fixture("asff/prowler.asff.json")]);
    expect(
        &report,
        &[
            ("receipts/s3.bucket_block_public", "verified"),
            ("web/ec2.imdsv2", "failing"),
            // Prowler writes a muted finding as WARNING: no verdict.
            ("order-queue/sqs.encrypt_at_rest", "unverified"),
        ],
    );
    assert_eq!(task(&report, "web/ec2.imdsv2")["findings"][0]["producer"], "prowler");
    let report = report_of_events();
    expect(
        &report,
        &[("order-queue/sqs.encrypt_at_rest", "verified"), ("order-fn/lambda.supported_runtime", "failing")],
    );
}

fn report_of_events() -> Value {
    report(&example(), &[&fixture("asff/eventbridge.jsonl")])
}

#[test]
fn ocsf_from_prowler_v5_v3_and_security_hub() {
    let report = report(&example(), &[&fixture("ocsf/prowler-v5.ocsf.json")]);
    expect(
        &report,
        &[
            ("receipts/s3.bucket_block_public", "verified"),
            ("web/ec2.imdsv2", "failing"),
            // Muted in Prowler: suppressed.
            ("orders-db/rds.encrypt_at_rest", "unverified"),
            // MANUAL: no verdict.
            ("account/security_contact/prod", "unverified"),
        ],
    );
    assert_eq!(task(&report, "orders-db/rds.encrypt_at_rest")["suppressed"], 1);
    assert_eq!(report["sources"][0]["other_provider"], 1, "the GCP finding is left out");

    let report = self::report(&example(), &[&fixture("ocsf/prowler-v3.ocsf.json")]);
    expect(&report, &[("keys/kms.rotation", "failing")]);
    assert_eq!(task(&report, "keys/kms.rotation")["newest"], "2023-06-30");

    let report = self::report(&example(), &[&fixture("ocsf/securityhub.ocsf.jsonl")]);
    expect(
        &report,
        &[
            ("receipts/s3.require_tls", "failing"),
            ("secrets/secrets_manager.rotation", "verified"),
            ("alb/elb.deletion_protection", "unverified"),
            ("alb/elb.drop_invalid_headers", "unverified"),
        ],
    );
    assert_eq!(report["sources"][0]["archived"], 1);
    assert!(!verdicts(&report).contains_key("alb/elb.access_logs"), "the archived ELB.5 finding is dropped");
}

#[test]
fn prowler_csv_v5_and_v3() {
    let report = report(&example(), &[&fixture("csv/prowler-v5.csv")]);
    expect(
        &report,
        &[
            ("receipts/s3.require_tls", "verified"),
            ("order-fn/lambda.supported_runtime", "failing"),
            ("order-queue/sqs.not_public", "unverified"),
            ("account/guardduty_enabled/prod", "unverified"),
        ],
    );
    assert_eq!(task(&report, "order-queue/sqs.not_public")["suppressed"], 1, "MUTED True");
    assert_eq!(report["sources"][0]["other_provider"], 1, "the Azure row is left out");
    let report = self::report(&example(), &[&fixture("csv/prowler-v3.csv")]);
    expect(
        &report,
        &[("account/cloudtrail_multi_region/prod", "verified"), ("keys/kms.rotation", "failing")],
    );
}

#[test]
fn the_newest_finding_on_a_check_and_resource_wins_across_files() {
    // Security Hub says the bucket passes S3.8 on 27 November; the older per-standard finding
    // (2023) said it failed. Read in either order, the newer one counts.
    for files in [
        [fixture("asff/per-standard.json"), fixture("asff/get-findings.json")],
        [fixture("asff/get-findings.json"), fixture("asff/per-standard.json")],
    ] {
        let report = report(&example(), &[&files[0], &files[1]]);
        expect(&report, &[("receipts/s3.bucket_block_public", "verified")]);
        let output = whoowns(&["evidence", &example(), &files[0], &files[1]]);
        assert!(stdout(&output).contains("1 superseded by newer ones"), "{}", stdout(&output));
    }
}

fn done_design(dir: &Path) -> PathBuf {
    // The example with the IMDSv2 task marked done: Security Hub says one instance fails it.
    let text = std::fs::read_to_string(example()).unwrap().replace(
        "\"web/ec2.imdsv2\": TaskState(\n            status: in_progress,",
        "\"web/ec2.imdsv2\": TaskState(\n            status: done,",
    );
    assert!(text.contains("status: done,\n            note: \"Launch template"), "the example changed");
    let path = dir.join("shop.ron");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn check_fails_when_a_task_marked_done_is_failing() {
    let dir = tempfile::tempdir().unwrap();
    let design = done_design(dir.path());
    let design = design.to_str().unwrap();
    let before = std::fs::read(design).unwrap();
    let output = whoowns(&["evidence", design, &fixture("asff/get-findings.json"), "-o"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let evidence = dir.path().join("shop.evidence.json");
    assert!(evidence.exists(), "the default evidence file is DESIGN.evidence.json");
    assert_eq!(std::fs::read(design).unwrap(), before, "refreshing findings never touches the design");

    let output = whoowns(&["check", design, "--fail-on", "critical", "--evidence"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(text.contains("Marked done but failing (1):\n  web/ec2.imdsv2"), "{text}");
    assert!(
        text.contains("failing on arn:aws:ec2:eu-west-1:111122223333:instance/i-0a1b2c3d4e5f60718"),
        "{text}"
    );
    assert!(text.contains("FAIL: task(s) marked done are failing in the evidence"), "{text}");

    // The same evidence against the example, where the task is only in progress: no such failure.
    let output = whoowns(&["check", &example(), "--evidence", evidence.to_str().unwrap()]);
    assert!(!stdout(&output).contains("Marked done but failing"), "{}", stdout(&output));
}

#[test]
fn check_passes_when_the_done_tasks_hold() {
    let dir = tempfile::tempdir().unwrap();
    // One queue, every task done; SQS.1 passes on it.
    let mut text = String::from(
        "Project(version: 1, evidence: \"findings/queue.json\", nodes: [Node(id: \"q\", service: \"sqs\", resources: [\"arn:aws:sqs:eu-west-1:111122223333:order-queue\"])], tasks: {",
    );
    for key in [
        "account/security_contact",
        "account/config_enabled",
        "account/security_hub_enabled",
        "account/organizations",
        "account/root_user",
        "account/guardduty_enabled",
        "account/s3_block_public_access",
        "account/access_analyzer",
        "rule/no_cloudtrail",
        "q/sqs.encrypt_at_rest",
        "q/sqs.not_public",
        "q/sqs.require_tls",
    ] {
        text.push_str(&format!("\"{key}\": TaskState(status: done),"));
    }
    text.push_str("})");
    let design = dir.path().join("queue.ron");
    std::fs::write(&design, text).unwrap();
    let design = design.to_str().unwrap();
    let output = whoowns(&["check", design]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));

    // The design names its evidence file: `-o` and `--evidence` without a file use it.
    std::fs::create_dir(dir.path().join("findings")).unwrap();
    let output = whoowns(&["evidence", design, &fixture("asff/eventbridge.jsonl"), "-o"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(dir.path().join("findings/queue.json").exists());
    let output = whoowns(&["check", design, "--evidence"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).contains("Evidence: 1 task(s) verified, 0 failing"), "{}", stdout(&output));
}

#[test]
fn exports_gain_evidence_columns() {
    let dir = tempfile::tempdir().unwrap();
    let evidence = dir.path().join("e.json");
    let output = whoowns(&[
        "evidence",
        &example(),
        &fixture("asff/get-findings.json"),
        "-o",
        evidence.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let evidence = evidence.to_str().unwrap();
    let export = |format: &str| {
        let output = whoowns(&["export", &example(), "-f", format, "--evidence", evidence]);
        assert!(output.status.success(), "{}", stderr(&output));
        stdout(&output)
    };
    let csv = export("csv");
    let header = csv.lines().next().unwrap();
    assert!(header.ends_with(",evidence,evidence_passed,evidence_failed,evidence_not_evaluated,evidence_suppressed,evidence_newest,failing_resources"), "{header}");
    let web = csv.lines().find(|l| l.starts_with("web/ec2.imdsv2,")).unwrap();
    assert!(
        web.ends_with(
            ",failing,1,1,0,0,2026-11-27,arn:aws:ec2:eu-west-1:111122223333:instance/i-0a1b2c3d4e5f60718"
        ),
        "{web}"
    );

    let json: Value = serde_json::from_str(&export("json")).unwrap();
    let web = json["tasks"].as_array().unwrap().iter().find(|t| t["key"] == "web/ec2.imdsv2").unwrap();
    assert_eq!(web["evidence"]["verdict"], "failing");
    assert_eq!(json["evidence"]["verdicts"]["verified"], 2);
    assert_eq!(json["evidence"]["unknown"][0]["control"], "Amplify.1");

    let md = export("md");
    assert!(md.contains("  - Evidence: **failing** — 1 passed, 1 failed, newest 2026-11-27; failing: `arn:aws:ec2:eu-west-1:111122223333:instance/i-0a1b2c3d4e5f60718`"), "{md}");
    assert!(md.contains("## Findings on no task"), "{md}");

    let html = export("html");
    assert!(html.contains("<th>Evidence</th>") && html.contains("Findings on no task"), "html");

    // Without --evidence, nothing changes.
    let plain = whoowns(&["export", &example(), "-f", "csv"]);
    assert!(!stdout(&plain).contains("evidence"));
}

#[test]
fn diff_of_two_evidence_files() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.json");
    let new = dir.path().join("new.json");
    for (path, source) in [(&old, "asff/get-findings.json"), (&new, "asff/prowler.asff.json")] {
        let output = whoowns(&["evidence", &example(), &fixture(source), "-o", path.to_str().unwrap()]);
        assert!(output.status.success(), "{}", stderr(&output));
    }
    let (old, new) = (old.to_str().unwrap(), new.to_str().unwrap());
    let output = whoowns(&["diff", "--evidence", old, new]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("! prowler ec2_instance_imdsv2_enabled arn:aws:ec2:eu-west-1:111122223333:instance/i-0a1b2c3d4e5f60718 [111122223333 eu-west-1]: absent → failed (Prowler)"), "{text}");
    assert!(
        text.contains("✓ S3.8 arn:aws:s3:::shop-marketing-site [111122223333 eu-west-1]: failed → gone"),
        "{text}"
    );

    let output = whoowns(&["diff", "--evidence", old, new, "--design", &example(), "-f", "json"]);
    let diff: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let verdicts = diff["verdicts"].as_array().unwrap();
    assert!(
        verdicts.iter().any(|v| v["key"] == "account/root_user/prod"
            && v["old"] == "verified"
            && v["new"] == "unverified"),
        "{diff}"
    );

    let same = whoowns(&["diff", "--evidence", old, old]);
    assert_eq!(stdout(&same), "No change in the findings.\n");
}

/// The error `whoowns evidence` gives for `file`.
fn error_for(file: &str) -> String {
    let output = whoowns(&["evidence", &example(), file]);
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    stderr(&output)
}

#[test]
fn malformed_files_are_refused_with_where_and_which_finding() {
    let cases = [
        (
            "malformed/wrong-type.json",
            ":14:34: finding 2: invalid type: string \"PASSED\", expected struct Compliance",
        ),
        ("malformed/truncated.json", ":10:23: finding 1: EOF while parsing a string"),
        ("malformed/control-characters.json", ":1:197: finding 1: the resource holds control characters"),
        ("malformed/unclosed-quote.csv", ":2:40: finding 1: a quoted field is never closed"),
        ("malformed/columns.csv", ":3:1: finding 2: 2 columns where the header has 3"),
        ("malformed/template.json", ":3:18: finding 1: invalid type: map, expected a list of resources"),
    ];
    for (file, expected) in cases {
        let error = error_for(&fixture(file));
        assert!(error.starts_with(&format!("error: {}", fixture(file))), "{error}");
        assert!(error.contains(expected), "{file}: {error}");
    }
}

#[test]
fn hostile_and_foreign_files_are_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_string_lossy().into_owned()
    };
    // Nesting deep inside a field whoowns skips is skipped without recursion: no crash, no error.
    let deep = write(
        "deep.json",
        &format!(
            "[{{\"GeneratorId\": \"security-control/S3.8\", \"Note\": {}{}, \"Compliance\": {{\"Status\": \"FAILED\"}}}}]",
            "[".repeat(200_000),
            "]".repeat(200_000)
        ),
    );
    let output = whoowns(&["evidence", &example(), &deep]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("1 finding(s): 1 kept"), "{}", stdout(&output));
    let list_of_lists = write("lists.json", "[[{}]]");
    assert!(
        error_for(&list_of_lists).contains(":1:2: finding 1: invalid type: sequence, expected a finding")
    );
    let long = write(
        "long.json",
        &format!(
            "[{{\"GeneratorId\": \"security-control/S3.8\", \"AwsAccountId\": \"111122223333\", \"Resources\": [{{\"Id\": \"{}\"}}]}}]",
            "a".repeat(5000)
        ),
    );
    assert!(
        error_for(&long).contains("finding 1: the resource is 5000 bytes long; whoowns reads at most 2048"),
        "{}",
        error_for(&long)
    );
    let empty = write("empty.json", "  \n ");
    assert!(error_for(&empty).contains("the file is empty"), "{}", error_for(&empty));
    let other_csv = write("other.csv", "name,age\nbob,3\n");
    assert!(error_for(&other_csv).contains("no CHECK_ID and STATUS columns"), "{}", error_for(&other_csv));
    let neither = write("neither.jsonl", "{\"hello\": 1}\n");
    assert!(
        error_for(&neither).contains(":1:12: finding 1: neither an ASFF finding"),
        "{}",
        error_for(&neither)
    );
    // White space before the JSON still gives the right line and column.
    let offset = write("offset.json", "\n\n   [{\"AwsAccountId\": 5}]");
    assert!(
        error_for(&offset).contains("offset.json:3:23: finding 1: invalid type: integer `5`"),
        "{}",
        error_for(&offset)
    );
    let missing = dir.path().join("missing.json");
    assert!(error_for(missing.to_str().unwrap()).contains("cannot read the file"));
    // A findings file is not an evidence file.
    let output = whoowns(&["check", &example(), "--evidence", &fixture("asff/get-findings.json")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("not a whoowns evidence file"), "{}", stderr(&output));
}

#[test]
fn the_walk_through_of_docs_evidence_md_holds() {
    let findings = root().join("examples/ecommerce.findings.json").to_string_lossy().into_owned();
    let output = whoowns(&["evidence", &example(), &findings]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    for line in [
        "Read 1 file(s), 21 finding(s): 20 kept (1 suppressed); left out: 1 archived.",
        "Placed 16 of 20 finding(s) on 13 of 121 task(s): 7 verified, 5 failing, 1 without a verdict; 3 unplaced, 1 of controls no task names.",
        "  MEDIUM    Register security contact information for the account  [marked done]",
        "  GuardDuty.1 in 444455556666: 1 failing, 0 passing about an account no account boundary names (draw it, or set its account_id)",
        "      failed: arn:aws:s3:::shop-csv-exports",
        "Controls no task names: EC2.172 (1, 1 failing)",
    ] {
        assert!(text.contains(line), "docs/evidence.md quotes {line:?}, but the output is:\n{text}");
    }
    let dir = tempfile::tempdir().unwrap();
    let evidence = dir.path().join("e.json");
    whoowns(&["evidence", &example(), &findings, "-o", evidence.to_str().unwrap()]);
    let output = whoowns(&["check", &example(), "--evidence", evidence.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("Marked done but failing (1):\n  account/security_contact/prod"),
        "{}",
        stdout(&output)
    );
}
