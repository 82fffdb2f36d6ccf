//! `acsgen diff` as a command: paths, output formats, exit codes, and
//! `--base REV` against a throwaway git repository.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_acsgen");

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff")
}

fn acsgen(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .current_dir(dir)
        .arg("diff")
        .args(args)
        .output()
        .expect("run acsgen")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

fn fixture_diff(args: &[&str]) -> Output {
    let mut all = vec!["old", "new"];
    all.extend_from_slice(args);
    acsgen(&fixtures(), &all)
}

#[test]
fn text_report_of_the_fixture_pair() {
    let output = fixture_diff(&[]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let text = stdout(&output);
    for expected in [
        "demo (crate demo-client)",
        "old: old/demo",
        "semver: breaking changes need a major release (a 0.x crate, so bump minor): 0.3.0 -> 0.4.0 (NEW declares 0.3.0: too low)",
        "Operations added (1, compatible",
        "  ImportItems",
        "Operations removed (1, BREAKING",
        "  LegacyExport",
        "  CreateItem\n",
        "behavior    HTTP method POST -> PUT",
        "BREAKING    parameter `Owner` removed (was optional string)",
        "BREAKING    parameter `Price` now required",
        "behavior    parameter `Price` location query -> body",
        "behavior    parameter `Tags` style simple -> json",
        "compatible  now deprecated",
        "compatible  parameter `Category` added (optional string)",
        "compatible  parameter `Status` valid value `Archived` added",
        "BREAKING    parameter `Status` valid value `Disabled` removed",
        "compatible  response field `Items[].Currency` added (string)",
        "BREAKING    response field `Items[].Name` removed (was string)",
        "BREAKING    response field `Items[].Price` type int32 -> int64",
        "BREAKING    error code `ItemNotFound` removed (was HTTP 404)",
        "compatible  error code `Throttling.User` added (HTTP 429)",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
}

#[test]
fn fail_on_sets_the_exit_code() {
    assert_eq!(
        fixture_diff(&["--fail-on", "breaking"]).status.code(),
        Some(1)
    );
    assert_eq!(fixture_diff(&["--fail-on", "any"]).status.code(), Some(1));
    assert_eq!(fixture_diff(&["--fail-on", "none"]).status.code(), Some(0));
    // The same tree on both sides: nothing to fail on.
    let same = acsgen(&fixtures(), &["old", "old", "--fail-on", "any"]);
    assert_eq!(same.status.code(), Some(0), "{same:?}");
    assert!(stdout(&same).contains("no API changes"));
}

#[test]
fn fail_on_breaking_passes_compatible_changes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let new = dir.path().join("demo");
    support::copy_tree(&fixtures().join("old/demo"), &new);
    fs::write(
        new.join("operations/Ping.yaml"),
        "name: Ping\nsummary: Pings.\nmethod: GET\n",
    )
    .expect("write");
    let old = fixtures().join("old/demo");
    let old = old.to_str().expect("UTF-8 path");
    let breaking = acsgen(dir.path(), &[old, "demo", "--fail-on", "breaking"]);
    assert_eq!(breaking.status.code(), Some(0), "{breaking:?}");
    let any = acsgen(dir.path(), &[old, "demo", "--fail-on", "any"]);
    assert_eq!(any.status.code(), Some(1));
}

#[test]
fn json_output_parses() {
    let output = fixture_diff(&["--format", "json"]);
    assert_eq!(output.status.code(), Some(0));
    let tree: acsgen::diff::TreeReport =
        serde_json::from_str(&stdout(&output)).expect("JSON report");
    assert_eq!(tree.reports.len(), 1);
    let report = &tree.reports[0];
    assert_eq!(report.product, "demo");
    assert_eq!(report.verdict.next, "0.4.0");
    assert_eq!(
        report.operations_with(acsgen::diff::Kind::Added),
        ["ImportItems"]
    );
    let value: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    assert_eq!(value["reports"][0]["verdict"]["bump"], "minor");
    assert_eq!(value["reports"][0]["summary"]["operations_removed"], 1);
}

#[test]
fn markdown_output() {
    let text = stdout(&fixture_diff(&["--format", "markdown"]));
    assert!(
        text.starts_with("### API changes: `demo` (crate `demo-client`)"),
        "{text}"
    );
    assert!(text.contains("#### Operations removed (**breaking**): 1"));
    assert!(
        text.contains("- `CreateItem`\n  - behavior: HTTP method POST -> PUT"),
        "{text}"
    );
}

#[test]
fn product_directories_pair_directly() {
    let output = acsgen(
        &fixtures(),
        &["old/demo", "new/demo", "--fail-on", "breaking"],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("old: old/demo\n"));
}

#[test]
fn bad_input_exits_2() {
    let one = acsgen(&fixtures(), &["old"]);
    assert_eq!(one.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&one.stderr).contains("give OLD and NEW"));
    let missing = acsgen(&fixtures(), &["old", "nowhere"]);
    assert_eq!(missing.status.code(), Some(2));
    let broken = tempfile::tempdir().expect("tempdir");
    support::copy_tree(&fixtures().join("new/demo"), &broken.path().join("demo"));
    fs::write(
        broken.path().join("demo/operations/CreateItem.yaml"),
        "name: CreateItem\nsummary: x\nmethod: POST\nbogus: 1\n",
    )
    .expect("write");
    let invalid = acsgen(
        &fixtures(),
        &["old", broken.path().to_str().expect("UTF-8 path")],
    );
    assert_eq!(invalid.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&invalid.stderr);
    assert!(stderr.contains("CreateItem.yaml"), "{stderr}");
}

/// A repository whose HEAD holds the old fixture in `spec/` and whose
/// working tree holds the new one.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    support::git(dir.path(), &["init", "-q"]);
    support::copy_tree(&fixtures().join("old"), &dir.path().join("spec"));
    support::git(dir.path(), &["add", "spec"]);
    support::git(dir.path(), &["commit", "-q", "-m", "old spec"]);
    fs::remove_dir_all(dir.path().join("spec")).expect("rm");
    support::copy_tree(&fixtures().join("new"), &dir.path().join("spec"));
    dir
}

#[test]
fn base_revision_against_the_working_tree() {
    let repo = repo();
    let output = acsgen(repo.path(), &["--base", "HEAD", "--fail-on", "breaking"]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let text = stdout(&output);
    assert!(text.contains("old: HEAD:spec/demo\n"), "{text}");
    assert!(text.contains("new: spec/demo\n"), "{text}");
    assert!(text.contains("BREAKING    response field `Items[].Price` type int32 -> int64"));
    assert!(text.contains("  LegacyExport"));

    // One product directory, from a subdirectory of the repository.
    let sub = repo.path().join("spec");
    let output = acsgen(&sub, &["--base", "HEAD", "demo", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let tree: acsgen::diff::TreeReport =
        serde_json::from_str(&stdout(&output)).expect("JSON report");
    assert_eq!(tree.reports[0].old_label, "HEAD:spec/demo");
    assert_eq!(tree.reports[0].summary.operations_removed, 1);

    // An absolute path works too.
    let absolute = repo.path().join("spec");
    let output = acsgen(
        &std::env::temp_dir(),
        &["--base", "HEAD", absolute.to_str().expect("UTF-8 path")],
    );
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(stdout(&output).contains("Operations added (1"));
}

#[test]
fn base_revision_equal_to_the_working_tree() {
    let repo = repo();
    support::git(repo.path(), &["add", "-A", "spec"]);
    support::git(repo.path(), &["commit", "-q", "-m", "new spec"]);
    let output = acsgen(repo.path(), &["--base", "HEAD", "--fail-on", "any"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(stdout(&output).contains("no API changes"));
    // HEAD~1 is the old spec again.
    let output = acsgen(repo.path(), &["--base", "HEAD~1", "--fail-on", "breaking"]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
}

#[test]
fn bad_base_revision_exits_2() {
    let repo = repo();
    let output = acsgen(repo.path(), &["--base", "no-such-rev"]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("acsgen diff: git"), "{stderr}");
}
