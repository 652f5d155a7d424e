//! The command line, run as a user runs it: exit codes, output and files.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "test helpers fail loudly")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn whoowns(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_whoowns")).args(args).output().expect("run whoowns")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn example() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ecommerce.ron").to_string_lossy().into_owned()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn check_fails_on_high_tasks_and_passes_when_none_remain() {
    let output = whoowns(&["check", &example()]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.starts_with("E-commerce shop: 17 services"), "{text}");
    assert!(text.contains("CRITICAL") && text.contains("FAIL:"), "{text}");

    let dir = tempfile::tempdir().unwrap();
    let empty =
        write(dir.path(), "actors.ron", "Project(version: 1, nodes: [Node(id: \"u\", service: \"users\")])");
    let output = whoowns(&["check", empty.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("PASS: 0 remaining task(s) at or above high"));
}

#[test]
fn check_threshold_counts_only_tasks_at_or_above_it() {
    let dir = tempfile::tempdir().unwrap();
    // A VPC alone: its tasks are medium and low, except the default security group (high).
    let mut text = String::from(
        "Project(version: 1, nodes: [Node(id: \"net\", service: \"vpc\"), Node(id: \"t\", service: \"cloudtrail\")], tasks: {",
    );
    for key in [
        "net/vpc.default_sg_closed",
        "account/organizations",
        "account/root_user",
        "account/guardduty_enabled",
        "t/cloudtrail.multi_region_trail",
        "t/cloudtrail.protect_bucket",
    ] {
        text.push_str(&format!("\"{key}\": TaskState(status: done),"));
    }
    text.push_str("})");
    let path = write(dir.path(), "vpc.ron", &text);
    let path = path.to_str().unwrap();
    assert_eq!(whoowns(&["check", path]).status.code(), Some(0), "{}", stdout(&whoowns(&["check", path])));
    assert_eq!(whoowns(&["check", path, "--fail-on", "medium"]).status.code(), Some(1));
    assert_eq!(whoowns(&["check", path, "--fail-on", "critical"]).status.code(), Some(0));
}

#[test]
fn bad_input_exits_2_with_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "bad.ron",
        "Project(\n    version: 1,\n    nodes: [Node(id: \"a\", service: \"ec3\")],\n)",
    );
    let before = std::fs::read(&path).unwrap();
    for command in ["check", "matrix", "fmt"] {
        let output = whoowns(&[command, path.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(2), "{command}");
        let message = stderr(&output);
        assert!(message.starts_with("error: ") && message.contains("bad.ron:3:"), "{command}: {message}");
        assert!(message.contains("did you mean \"ec2\""), "{message}");
    }
    assert_eq!(std::fs::read(&path).unwrap(), before, "a bad file is never changed");
    let missing = whoowns(&["check", "/no/such/file.ron"]);
    assert_eq!(missing.status.code(), Some(2));
    let message = stderr(&missing);
    assert!(message.starts_with("error: /no/such/file.ron: cannot read"), "{message}");
    assert_eq!(message.matches("No such file").count(), 1, "the cause is said once: {message}");
}

/// Every kind of bad file of issue #2, end to end through the command line: exit code 2, one
/// `error:` line that names the file (and the line and column where there is one), and the
/// file left exactly as it was, by every command that reads it.
#[test]
fn every_bad_file_exits_2_names_the_place_and_stays_untouched() {
    let node = |id: &str, service: &str| format!("Node(id: \"{id}\", service: \"{service}\")");
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("truncated", b"Project(\n    version: 1,\n    nodes: [".to_vec(), "truncated.ron:3:"),
        ("wrong type", b"Project(\n    version: 1,\n    name: 42,\n)".to_vec(), "wrong-type.ron:3:"),
        (
            "unknown variant",
            b"Project(version: 1, nodes: [Node(id: \"a\", service: \"ecs\", variant: \"lambda\")])".to_vec(),
            "unknown-variant.ron",
        ),
        ("future version", b"Project(version: 99)".to_vec(), "future-version.ron"),
        (
            "duplicate ids",
            format!("Project(version: 1, nodes: [{}, {}])", node("a", "s3"), node("a", "ec2")).into_bytes(),
            "duplicate-ids.ron",
        ),
        (
            "flow to a missing node",
            format!(
                "Project(version: 1, nodes: [{}], flows: [Flow(id: \"f\", from: \"a\", to: \"ghost\")])",
                node("a", "s3")
            )
            .into_bytes(),
            "flow-to-a-missing-node.ron",
        ),
        (
            "member that is missing",
            b"Project(version: 1, boundaries: [Boundary(id: \"b\", kind: vpc, members: [\"ghost\"])])"
                .to_vec(),
            "member-that-is-missing.ron",
        ),
        (
            "deep nesting",
            format!("Project(version: 1, name: {}1{})", "[".repeat(10_000), "]".repeat(10_000)).into_bytes(),
            "deep-nesting.ron:1:",
        ),
        ("invalid utf-8", b"Project(version: 1, name: \"\xff\")".to_vec(), "invalid-utf-8.ron:1:"),
        (
            "id with a separator",
            format!("Project(version: 1, nodes: [{}])", node("a/b", "s3")).into_bytes(),
            "id-with-a-separator.ron",
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes, place) in cases {
        let path = dir.path().join(format!("{}.ron", name.replace(' ', "-")));
        std::fs::write(&path, &bytes).unwrap();
        for command in [&["check"][..], &["matrix"], &["fmt"], &["export", "--format", "json"]] {
            let mut args = command.to_vec();
            args.insert(1, path.to_str().unwrap());
            let output = whoowns(&args);
            let message = stderr(&output);
            assert_eq!(output.status.code(), Some(2), "{name}, {command:?}: {message}");
            assert!(
                message.starts_with("error: ") && message.contains(place),
                "{name}, {command:?}: {message}"
            );
            assert_eq!(message.lines().count(), 1, "{name}: one line: {message}");
        }
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "{name}: the file is never changed");
    }

    // Over the file limit (256 MiB): refused before it is read.
    let huge = dir.path().join("huge.ron");
    std::fs::File::create(&huge).unwrap().set_len(whoowns::io::MAX_FILE_SIZE + 1).unwrap();
    let output = whoowns(&["check", huge.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("256 MiB"), "{}", stderr(&output));
}

#[test]
fn export_writes_json_markdown_and_csv() {
    let json = whoowns(&["export", &example(), "--format", "json"]);
    assert!(json.status.success(), "{}", stderr(&json));
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("valid JSON");
    // The documented interface (docs/exports.md).
    assert_eq!(value["version"], 1);
    assert_eq!(value["project"]["name"], "E-commerce shop");
    let layers = value["layers"].as_array().unwrap();
    assert_eq!(layers.len(), 16);
    assert_eq!((&layers[0]["id"], &layers[15]["id"]), (&"physical".into(), &"compliance".into()));
    assert!(layers.iter().all(|layer| layer["name"].is_string()));
    let services = value["services"].as_array().unwrap();
    assert_eq!(serde_json::Value::from(services.len()), value["summary"]["services"]);
    let web = services.iter().find(|s| s["node"] == "web").unwrap();
    assert_eq!((&web["service"], &web["label"]), (&"ec2".into(), &"Web servers".into()));
    assert!(web["variant"].is_null());
    assert_eq!(web["owners"].as_object().unwrap().len(), 16);
    assert_eq!((&web["owners"]["physical"], &web["owners"]["guest_os"]), (&"aws".into(), &"customer".into()));
    assert!(!services.iter().any(|s| s["service"] == "users"), "actors are not services");
    let tasks = value["tasks"].as_array().unwrap();
    for task in tasks {
        for field in ["key", "title", "layer", "severity", "status", "nodes", "controls", "source"] {
            assert!(!task[field].is_null(), "{field} in {task}");
        }
        assert!(["catalog", "rule", "account"].contains(&task["source"].as_str().unwrap()), "{task}");
    }
    let imdsv2 = tasks.iter().find(|t| t["key"] == "web/ec2.imdsv2").unwrap();
    assert_eq!((&imdsv2["status"], &imdsv2["source"]), (&"in_progress".into(), &"catalog".into()));
    assert_eq!(imdsv2["nodes"], serde_json::json!(["web"]));
    assert_eq!(imdsv2["controls"][0], "EC2.8");
    assert_eq!(imdsv2["ticket"], "SHOP-231");
    let summary = &value["summary"];
    assert_eq!(summary["tasks"], tasks.len());
    let by_status = summary["by_status"].as_object().unwrap();
    assert_eq!(by_status.len(), 5);
    assert_eq!(by_status.values().map(|n| n.as_u64().unwrap()).sum::<u64>(), tasks.len() as u64);
    assert_eq!(summary["by_severity"].as_object().unwrap().len(), 4);
    let by_owner = summary["by_owner"].as_object().unwrap();
    assert_eq!(by_owner.values().map(|n| n.as_u64().unwrap()).sum::<u64>(), 16 * services.len() as u64);

    let markdown = stdout(&whoowns(&["export", &example(), "--format", "md"]));
    assert!(markdown.starts_with("# E-commerce shop: customer checklist"), "{markdown}");
    assert!(markdown.contains("- [ ] **Require IMDSv2"), "{markdown}");
    assert!(markdown.contains("- [x] **Register security contact"), "{markdown}");

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("tasks.csv");
    let csv = whoowns(&["export", &example(), "--format", "csv", "-o", out.to_str().unwrap()]);
    assert!(csv.status.success() && csv.stdout.is_empty());
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("key,node,label,service,layer,severity,status,controls,note,"), "{text}");
    let imdsv2 = text.lines().find(|line| line.starts_with("web/ec2.imdsv2,")).unwrap();
    assert!(
        imdsv2.starts_with("web/ec2.imdsv2,web,Web servers,ec2,compliance,high,in_progress,EC2.8,Launch"),
        "{imdsv2}"
    );
    assert_eq!(text.lines().count(), tasks.len() + 1);
}

#[test]
fn exports_are_deterministic() {
    for format in ["json", "md", "csv"] {
        let a = whoowns(&["export", &example(), "--format", format]).stdout;
        let b = whoowns(&["export", &example(), "--format", format]).stdout;
        assert_eq!(a, b, "{format}");
    }
}

#[test]
fn matrix_prints_a_row_per_node() {
    let output = whoowns(&["matrix", &example()]);
    assert!(output.status.success());
    let text = stdout(&output);
    let web = text.lines().find(|l| l.starts_with("web ")).expect("row for web");
    assert!(web.split_whitespace().skip(2).collect::<String>().starts_with("AAAAACCCCCCCCCCC"), "{web}");
    let lambda = text.lines().find(|l| l.starts_with("order-fn ")).unwrap();
    assert!(lambda.split_whitespace().skip(2).collect::<String>().starts_with("AAAAAAS"), "{lambda}");
}

#[test]
fn fmt_check_and_rewrite() {
    assert_eq!(whoowns(&["fmt", "--check", &example()]).status.code(), Some(0), "the example is canonical");
    let dir = tempfile::tempdir().unwrap();
    let messy = "Project(version:1,nodes:[Node(id:\"b\",service:\"s3\"),Node(id:\"a\",service:\"ec2\")])";
    let path = write(dir.path(), "messy.ron", messy);
    let path_str = path.to_str().unwrap();
    let check = whoowns(&["fmt", "--check", path_str]);
    assert_eq!(check.status.code(), Some(1));
    assert!(stderr(&check).contains("not in canonical form"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), messy, "--check changes nothing");
    assert!(whoowns(&["fmt", path_str]).status.success());
    let formatted = std::fs::read_to_string(&path).unwrap();
    assert!(formatted.find("id: \"a\"").unwrap() < formatted.find("id: \"b\"").unwrap());
    assert_eq!(whoowns(&["fmt", "--check", path_str]).status.code(), Some(0));
}

#[test]
fn catalog_lists_services_as_text_and_json() {
    let text = stdout(&whoowns(&["catalog"]));
    assert!(text.lines().any(|l| l.starts_with("ec2 ") && l.contains("AAAAACCCCCCCCCCC")), "{text}");
    assert!(text.contains("variant fargate"));
    let json = whoowns(&["catalog", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(value["services"].as_array().unwrap().len() >= 43);
}

#[test]
fn the_documented_example_loads() {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/file-format.md")).unwrap();
    let start = doc.find("```ron\n").expect("a ron block") + 7;
    let end = start + doc[start..].find("```").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "doc.ron", &doc[start..end]);
    let output = whoowns(&["check", path.to_str().unwrap(), "--fail-on", "critical"]);
    assert_ne!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stdout(&output).starts_with("Orders API: 4 services"), "{}", stdout(&output));

    // And the README's short one.
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let start = readme.find("```ron\n").expect("a ron block") + 7;
    let end = start + readme[start..].find("```").unwrap();
    let path = write(dir.path(), "readme.ron", &readme[start..end]);
    let output = whoowns(&["check", path.to_str().unwrap(), "--fail-on", "critical"]);
    assert!(stdout(&output).starts_with("Orders: 2 services"), "{}{}", stdout(&output), stderr(&output));
}

#[test]
fn every_example_loads() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut count = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "ron") {
            let output = whoowns(&["check", path.to_str().unwrap()]);
            assert_ne!(output.status.code(), Some(2), "{}: {}", path.display(), stderr(&output));
            count += 1;
        }
    }
    assert!(count >= 3);
}

#[test]
fn usage_errors_exit_2() {
    let output = whoowns(&["export", &example(), "--format", "pdf"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn generate_is_deterministic_and_valid() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.ron");
    let b = dir.path().join("b.ron");
    for path in [&a, &b] {
        let output =
            whoowns(&["generate", "--services", "250", "--seed", "42", "-o", path.to_str().unwrap()]);
        assert!(output.status.success(), "{}", stderr(&output));
    }
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    let check = whoowns(&["check", a.to_str().unwrap(), "--fail-on", "critical"]);
    assert!(stdout(&check).contains("250 services"), "{}", stdout(&check));
    assert_eq!(whoowns(&["fmt", "--check", a.to_str().unwrap()]).status.code(), Some(0), "written canonical");
}

#[test]
fn diff_reports_owner_and_task_changes() {
    let dir = tempfile::tempdir().unwrap();
    let old =
        write(dir.path(), "old.ron", "Project(version: 1, nodes: [Node(id: \"app\", service: \"ecs\")])");
    let new = write(
        dir.path(),
        "new.ron",
        "Project(version: 1, nodes: [Node(id: \"app\", service: \"ecs\", variant: \"fargate\"), Node(id: \"q\", service: \"sqs\")])",
    );
    let output = whoowns(&["diff", old.to_str().unwrap(), new.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("  + q sqs"), "{text}");
    assert!(text.contains("  ~ app ecs → ecs (fargate)"), "{text}");
    assert!(text.contains("app guest_os: customer → aws"), "{text}");
    assert!(text.contains("- [high] Patch container instances"), "{text}");
    let json = whoowns(&["diff", old.to_str().unwrap(), new.to_str().unwrap(), "--format", "json"]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["owners"][0]["layer"], "guest_os");
    let same = whoowns(&["diff", old.to_str().unwrap(), old.to_str().unwrap()]);
    assert_eq!(stdout(&same), "No change in services, owners or tasks.\n");
}

#[test]
fn import_writes_a_laid_out_project_and_reports_to_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("imported.ron");
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/serverless-api.yaml");
    let output = whoowns(&["import", source.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("(CloudFormation)"), "{}", stderr(&output));
    let project = whoowns::io::load(&out, whoowns::catalog::Catalog::builtin()).unwrap().project;
    assert!(project.nodes.iter().all(|n| n.position.is_some()), "laid out");
    assert!(project.nodes.iter().any(|n| n.service == "lambda"));
    let broken = write(dir.path(), "broken.yaml", "Resources:\n  A:\n    Type: [unclosed\n");
    let output = whoowns(&["import", broken.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("broken.yaml:"), "{}", stderr(&output));
}

/// Issue #2's "done when", on the shipped example: OS patching for the EC2 servers and for no
/// RDS, S3 or CloudFront node; with the EC2 node switched to Lambda in the file, its guest OS
/// belongs to AWS and its patching task is gone.
#[test]
fn ec2_patches_its_os_and_switching_it_to_lambda_hands_that_to_aws() {
    let guest_os_keys = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|line| line.contains(" · Guest OS and patching · "))
            .filter_map(|line| line.rsplit(" · ").next().map(str::to_owned))
            .collect()
    };
    let output = stdout(&whoowns(&["check", &example(), "--fail-on", "low"]));
    let keys = guest_os_keys(&output);
    assert!(keys.contains(&"web/ec2.patch_guest_os".to_owned()), "{keys:?}");
    for node in ["orders-db/", "receipts/", "cdn/"] {
        assert!(!keys.iter().any(|k| k.starts_with(node)), "{node} {keys:?}");
    }

    let text = std::fs::read_to_string(example()).unwrap();
    let switched = text.replacen(
        "id: \"web\",\n            service: \"ec2\",",
        "id: \"web\",\n            service: \"lambda\",",
        1,
    );
    assert_ne!(switched, text, "the example's web node is EC2");
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "lambda.ron", &switched);
    let path = path.to_str().unwrap();
    let keys = guest_os_keys(&stdout(&whoowns(&["check", path, "--fail-on", "low"])));
    assert!(!keys.iter().any(|k| k.starts_with("web/")), "{keys:?}");
    let matrix = stdout(&whoowns(&["matrix", path]));
    let row = matrix.lines().find(|l| l.starts_with("web ")).unwrap();
    let owners: String = row.split_whitespace().skip(2).collect();
    assert_eq!(owners.chars().nth(5), Some('A'), "guest_os is AWS's on Lambda: {row}");
}
