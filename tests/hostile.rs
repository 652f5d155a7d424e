//! Hostile files and careless hands (issue #17), end to end through the command line: huge
//! error reports, far-away coordinates, escape sequences, odd output targets, closed streams
//! and limits that must agree. Each test names the class of failure it holds shut.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "test helpers fail loudly")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn whoowns(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_whoowns")).args(args).output().expect("run whoowns")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ecommerce.ron")
}

// ------------------------------------------------------------------ 3: error reports

/// 100,000 unknown services: one problem each, located in one pass over the text, and a
/// report capped at 100 lines with the rest counted (it took 85 s and printed 100,000 lines).
#[test]
fn a_hundred_thousand_problems_are_located_in_one_pass_and_the_report_is_capped() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("Project(\n    version: 1,\n    nodes: [\n");
    for i in 0..100_000 {
        text.push_str(&format!("        Node(id: \"n{i}\", service: \"nope\"),\n"));
    }
    text.push_str("    ],\n)\n");
    let path = write(dir.path(), "many.ron", &text);
    let output = whoowns(&["check", s(&path)]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    let lines: Vec<&str> = message.lines().collect();
    assert_eq!(lines.len(), 101, "100 problems and a count: {}", &message[..message.len().min(2000)]);
    assert!(lines[0].starts_with("error: ") && lines[0].contains("many.ron:4:"), "{}", lines[0]);
    // Each problem points at its own node, not at the first `service: "nope"`.
    assert!(lines[1].contains("many.ron:5:"), "{}", lines[1]);
    assert!(lines[99].contains("many.ron:103:"), "{}", lines[99]);
    assert!(lines[100].contains("and 99,900 more"), "{}", lines[100]);
}

// ------------------------------------------------------------------ 5: coordinates

/// Positions of ±3e38 used to give `width="inf"` in the SVG.
#[test]
fn coordinates_beyond_the_limit_are_laid_out_again_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "far.ron",
        "Project(version: 1, nodes: [\
            Node(id: \"a\", service: \"ec2\", position: Some(Pos(3e38, -3e38))),\
            Node(id: \"b\", service: \"s3\", position: Some(Pos(10, 10)))],\
         boundaries: [Boundary(id: \"v\", kind: vpc, rect: Some(Rect(-3e38, 0, 3e38, 100)))])",
    );
    let output = whoowns(&["export", s(&path), "--format", "svg"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let svg = stdout(&output);
    assert!(!svg.contains("inf") && !svg.contains("NaN"), "{}", &svg[..300]);
    let warnings = stderr(&output);
    assert!(warnings.contains("node \"a\"") && warnings.contains("boundary \"v\""), "{warnings}");
}

fn png_size(png: &[u8]) -> (u32, u32) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    (u32::from_be_bytes(png[16..20].try_into().unwrap()), u32::from_be_bytes(png[20..24].try_into().unwrap()))
}

/// Two nodes a long way apart (inside the coordinate limit) used to make a 16384² image of
/// 1 GiB of pixels; the raster is capped, scaled down, and the export says so.
#[test]
fn a_huge_diagram_gives_a_capped_png_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "wide.ron",
        "Project(version: 1, nodes: [\
            Node(id: \"a\", service: \"ec2\", position: Some(Pos(-900000, -900000))),\
            Node(id: \"b\", service: \"s3\", position: Some(Pos(900000, 900000)))])",
    );
    let out = dir.path().join("wide.png");
    let output = whoowns(&["export", s(&path), "--format", "png", "-o", s(&out)]);
    assert!(output.status.success(), "{}", stderr(&output));
    let (width, height) = png_size(&std::fs::read(&out).unwrap());
    assert!(u64::from(width) * u64::from(height) <= whoowns::export::MAX_PNG_PIXELS, "{width}×{height}");
    assert!(stderr(&output).contains("scaled"), "{}", stderr(&output));
}

// ------------------------------------------------------------------ 6: escape sequences

/// Characters a terminal acts on: C0 controls but the line feed, DEL, C1 controls, and the
/// bidirectional overrides that reorder what a reader sees.
fn terminal_controls(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| {
            (c.is_control() && c != '\n')
                || matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .collect()
}

const PAYLOAD: &str = "\\u{1b}]0;pwned\\u{7}\\u{1b}[2J\\r\\u{0}\\u{9b}31m\\u{202e}evil\\nPASS: 0 remaining";

#[test]
fn check_matrix_diff_and_errors_never_send_control_characters_to_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let project = format!(
        "Project(version: 1, name: \"{PAYLOAD}\", nodes: [Node(id: \"a\", service: \"ec2\", label: \"{PAYLOAD}\", \
         position: Some(Pos(NaN, 0)))])"
    );
    let path = write(dir.path(), "evil.ron", &project);
    let other = write(dir.path(), "other.ron", "Project(version: 1)");
    let bad = write(dir.path(), "bad\u{1b}[31m\u{7}.ron", "Project(version: 1, name: 42)");
    let runs = [
        whoowns(&["check", s(&path)]),
        whoowns(&["matrix", s(&path)]),
        whoowns(&["diff", s(&other), s(&path)]),
        whoowns(&["diff", s(&path), s(&other)]),
        whoowns(&["check", s(&bad)]),
    ];
    for output in &runs {
        for text in [stdout(output), stderr(output)] {
            assert_eq!(terminal_controls(&text), Vec::<char>::new(), "{text:?}");
        }
    }
    let check = stdout(&runs[0]);
    assert!(check.contains("\\u{1b}]0;pwned"), "shown visibly: {check}");
    assert_eq!(
        check.lines().filter(|l| l.starts_with("PASS") || l.starts_with("FAIL")).count(),
        1,
        "{check}"
    );
}

#[test]
fn the_import_report_shows_resource_names_visibly() {
    let dir = tempfile::tempdir().unwrap();
    let template = write(
        dir.path(),
        "evil.json",
        "{\"Resources\": {\"Thing\\u001b]52;c;cGF5bG9hZA==\\u0007\\r\\u202e\": {\"Type\": \"AWS::IoT::Thing\\u001b[2J\"}, \
          \"Bucket\": {\"Type\": \"AWS::S3::Bucket\"}}}",
    );
    let out = dir.path().join("out.ron");
    let output = whoowns(&["import", s(&template), "-o", s(&out)]);
    assert!(output.status.success(), "{}", stderr(&output));
    let report = stderr(&output);
    assert_eq!(terminal_controls(&report), Vec::<char>::new(), "{report:?}");
    assert!(report.contains("Thing\\u{1b}]52;c;"), "{report}");
}

// ------------------------------------------------------------------ 7: output targets

fn messy_project(dir: &Path, name: &str) -> PathBuf {
    write(
        dir,
        name,
        "Project(version:1,nodes:[Node(id:\"b\",service:\"s3\"),Node(id:\"a\",service:\"ec2\")])",
    )
}

#[test]
fn an_export_never_overwrites_its_input_or_a_project() {
    let dir = tempfile::tempdir().unwrap();
    let project = messy_project(dir.path(), "d.ron");
    let before = std::fs::read(&project).unwrap();
    let output = whoowns(&["export", s(&project), "--format", "csv", "-o", s(&project)]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("d.ron"), "{}", stderr(&output));
    assert_eq!(std::fs::read(&project).unwrap(), before, "the project is untouched");

    // The same file by another name (a hard link) is the same input.
    let alias = dir.path().join("alias.csv");
    std::fs::hard_link(&project, &alias).unwrap();
    let output = whoowns(&["export", s(&project), "--format", "csv", "-o", s(&alias)]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert_eq!(std::fs::read(&project).unwrap(), before);

    // Another project is not an export target either.
    let other = messy_project(dir.path(), "other.ron");
    let output = whoowns(&["export", s(&project), "--format", "md", "-o", s(&other)]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("project"), "{}", stderr(&output));
    assert_eq!(std::fs::read(&other).unwrap(), before);

    // An import never writes over its source.
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/serverless-api.yaml");
    let copy = dir.path().join("api.yaml");
    std::fs::copy(source, &copy).unwrap();
    let original = std::fs::read(&copy).unwrap();
    let output = whoowns(&["import", s(&copy), "-o", s(&copy)]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(std::fs::read(&copy).unwrap(), original);

    // A folder is refused with a clear message.
    let output = whoowns(&["export", s(&project), "--format", "md", "-o", s(dir.path())]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("folder"), "{}", stderr(&output));
}

#[cfg(unix)]
#[test]
fn exports_write_through_links_and_stream_to_pipes() {
    use std::os::unix::fs::FileTypeExt as _;
    let dir = tempfile::tempdir().unwrap();
    let project = example();

    // A link to a regular file: the target gets the export, the link stays.
    let real = dir.path().join("real.csv");
    std::fs::write(&real, "old").unwrap();
    let link = dir.path().join("link.csv");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let output = whoowns(&["export", s(&project), "--format", "csv", "-o", s(&link)]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link is kept");
    assert!(std::fs::read_to_string(&real).unwrap().starts_with("key,node,"), "written through the link");

    // A dangling link: the file it names is made.
    let dangling = dir.path().join("dangling.md");
    std::os::unix::fs::symlink("made.md", &dangling).unwrap();
    let output = whoowns(&["export", s(&project), "--format", "md", "-o", s(&dangling)]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(std::fs::symlink_metadata(&dangling).unwrap().file_type().is_symlink());
    assert!(std::fs::read_to_string(dir.path().join("made.md")).unwrap().starts_with("# E-commerce"));

    // A link to standard output (as /dev/stdout is): the export goes to the pipe.
    let to_stdout = dir.path().join("stdout");
    std::os::unix::fs::symlink("/proc/self/fd/1", &to_stdout).unwrap();
    let output = whoowns(&["export", s(&project), "--format", "json", "-o", s(&to_stdout)]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("\"version\": 1"), "{}", stdout(&output));
    assert!(std::fs::symlink_metadata(&to_stdout).unwrap().file_type().is_symlink());

    // A named pipe: streamed to, never replaced by a regular file.
    let fifo = dir.path().join("fifo");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).unwrap())
    };
    let output = whoowns(&["export", s(&project), "--format", "csv", "-o", s(&fifo)]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(reader.join().unwrap().starts_with(b"key,node,"));
    assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo(), "still a pipe");
}

#[cfg(unix)]
#[test]
fn fmt_through_a_link_formats_the_real_file_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let real = messy_project(dir.path(), "real.ron");
    let link = dir.path().join("link.ron");
    std::os::unix::fs::symlink("real.ron", &link).unwrap();
    let output = whoowns(&["fmt", s(&link)]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link is kept");
    assert!(std::fs::read_to_string(&real).unwrap().starts_with("Project(\n    version: 2,\n"));
    assert_eq!(whoowns(&["fmt", "--check", s(&real)]).status.code(), Some(0));
}

/// `fmt` on a pipe read it empty the second time and wrote to it with nobody reading (a hang).
#[cfg(unix)]
#[test]
fn fmt_refuses_what_is_not_a_regular_file() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo.ron");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let output = whoowns(&["fmt", s(&fifo)]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("not a regular file"), "{}", stderr(&output));
}

/// Run by root on another user's file, `fmt` used to hand the file to root.
#[cfg(unix)]
#[test]
fn fmt_keeps_the_owner_and_mode_of_the_file() {
    use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
    let dir = tempfile::tempdir().unwrap();
    let path = messy_project(dir.path(), "theirs.ron");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    let root = std::fs::metadata(&path).unwrap().uid() == 0;
    if root {
        std::os::unix::fs::chown(&path, Some(4321), Some(4322)).unwrap();
    }
    let output = whoowns(&["fmt", s(&path)]);
    assert!(output.status.success(), "{}", stderr(&output));
    let metadata = std::fs::metadata(&path).unwrap();
    assert_eq!(metadata.mode() & 0o7777, 0o640);
    if root {
        assert_eq!((metadata.uid(), metadata.gid()), (4321, 4322), "owner and group are kept");
    }
}

// ------------------------------------------------------------------ 8: closed streams

#[cfg(unix)]
#[test]
fn a_full_stderr_never_panics_and_exit_codes_stay_meaningful() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(dir.path(), "bad.ron", "Project(version: 1, name: 42)");
    let warned = write(
        dir.path(),
        "warned.ron",
        "Project(version: 1, nodes: [Node(id: \"a\", service: \"ec2\", position: Some(Pos(NaN, 0)))])",
    );
    let run = |args: &[&str]| {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
        Command::new(env!("CARGO_BIN_EXE_whoowns")).args(args).stderr(full).output().unwrap()
    };
    assert_eq!(run(&["check", s(&bad)]).status.code(), Some(2), "an error exits 2");
    assert_eq!(run(&["check", s(&warned)]).status.code(), Some(1), "a failing check with a warning exits 1");
    assert_eq!(run(&["matrix", s(&warned)]).status.code(), Some(0), "a warning alone exits 0");
    assert_eq!(run(&["nonsense"]).status.code(), Some(2), "a usage error exits 2");
    let out = dir.path().join("x.ron");
    assert_eq!(run(&["generate", "--services", "20", "-o", s(&out)]).status.code(), Some(0));

    // A full standard output is an error (exit 2), not a panic.
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_whoowns"))
        .args(["matrix", s(&example())])
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
}

#[test]
fn a_closed_pipe_on_stdout_ends_quietly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_whoowns"))
        .args(["export", s(&example()), "--format", "svg"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stderr(&output), "");
}

// ------------------------------------------------------------------ 9: limits that agree

#[test]
fn generate_refuses_what_no_project_may_hold_before_allocating() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("huge.ron");
    let started = std::time::Instant::now();
    let output = whoowns(&["generate", "--services", "1000000000", "-o", s(&out)]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("1000000000") && message.contains("at most"), "{message}");
    assert!(!out.exists());
    assert!(started.elapsed().as_secs() < 30, "refused up front");
}

/// What `generate` allows must load again: the file of the largest generated project must fit
/// the file limit. Measured on a small project, per service, with the same structure.
#[test]
fn the_largest_generated_project_fits_the_file_limit() {
    let catalog = whoowns::catalog::Catalog::builtin();
    let project = whoowns::generate::generate(2_000, 1, catalog);
    let bytes = whoowns::io::to_ron_string(&project).unwrap().len() as u64;
    let per_service = bytes / 2_000 + 1;
    let largest = whoowns::generate::MAX_SERVICES as u64;
    assert!(largest >= 100_000, "issue #11's 100,000 services can be generated");
    // A 10% margin for longer ids and labels as numbers grow.
    assert!(
        per_service * largest * 11 / 10 <= whoowns::io::MAX_FILE_SIZE,
        "{per_service} bytes a service × {largest} services does not fit {} bytes",
        whoowns::io::MAX_FILE_SIZE
    );
}

// ------------------------------------------------------------------ 12: smaller

#[test]
fn errors_name_the_field_and_count_lines_of_any_ending() {
    let dir = tempfile::tempdir().unwrap();
    let typed = write(
        dir.path(),
        "typed.ron",
        "Project(\n  version: 1,\n  nodes: [\n    Node(id: \"a\", service: \"ec2\", internet_facing: \"yes\"),\n  ],\n)",
    );
    let message = stderr(&whoowns(&["check", s(&typed)]));
    assert!(message.contains("typed.ron:4:") && message.contains("internet_facing"), "{message}");

    let old_mac = write(
        dir.path(),
        "cr.ron",
        "Project(\r  version: 1,\r  nodes: [\r    Node(id: \"a\", service: \"ec3\"),\r  ],\r)",
    );
    let message = stderr(&whoowns(&["check", s(&old_mac)]));
    assert!(message.contains("cr.ron:4:"), "{message}");
    let old_mac = write(dir.path(), "cr2.ron", "Project(\r  version: 1,\r  name: 42,\r)");
    let message = stderr(&whoowns(&["check", s(&old_mac)]));
    assert!(message.contains("cr2.ron:3:9:") && message.contains("name"), "{message}");

    let fraction = write(dir.path(), "fraction.ron", "Project(version: 1.5)");
    let message = stderr(&whoowns(&["check", s(&fraction)]));
    assert!(!message.contains("comma") && message.contains("whole number"), "{message}");
}

#[test]
fn an_import_error_is_said_once() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.ron");
    let output = whoowns(&["import", s(dir.path()), "-o", s(&out)]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(message.contains("folder"), "{message}");
    let output = whoowns(&["check", s(dir.path())]);
    assert!(stderr(&output).contains("folder"), "{}", stderr(&output));
}
