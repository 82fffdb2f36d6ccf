//! The loop a maintainer runs when Alibaba updates an API, end to end, with
//! the `acsgen` binary in a throwaway git repository: import the old
//! metadata, generate, commit; import the new edition with `--older`
//! (and `--prose keep`, so hand-written prose stays);
//! `check` fails until `generate` runs; `diff --base HEAD` reports the API
//! change and its semver verdict; bump the version, generate with the
//! changelog, `check` passes, commit. The metadata is the committed fixture
//! (`tests/fixtures/metadata`), so this runs in a fresh clone.

mod support;

use std::path::Path;
use std::process::{Command, Output};

use acsgen::exit::Exit;

use support::fixture_api_docs as api_docs;

/// `acsgen ARGS` in `dir`, as a maintainer types it (default `spec` and
/// `generated` directories).
fn acsgen(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_acsgen"))
        .args(args)
        .current_dir(dir)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .output()
        .expect("run acsgen")
}

/// Asserts the exit code and returns stdout.
fn expect(output: &Output, exit: Exit, what: &str) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert_eq!(
        output.status.code(),
        Some(i32::from(exit.code())),
        "{what}: expected exit {} ({exit:?})\nstdout:\n{stdout}\nstderr:\n{}",
        exit.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[track_caller]
fn assert_line(text: &str, line: &str) {
    assert!(
        text.lines().any(|l| l.trim_end() == line),
        "no line {line:?} in:\n{text}"
    );
}

#[track_caller]
fn assert_line_starting(text: &str, start: &str) {
    assert!(
        text.lines().any(|l| l.trim_start().starts_with(start)),
        "no line starting with {start:?} in:\n{text}"
    );
}

/// `acsgen import` of the fixture's `product`; with `older`, the update
/// command: `--older` and `--prose keep` (hand-written prose stays).
fn import(dir: &Path, edition: &str, older: Option<&str>, product: &str) -> String {
    let input = api_docs(edition, product);
    let mut args = vec!["import", "--input", input.to_str().unwrap()];
    let older = older.map(|older| api_docs(older, product));
    if let Some(older) = &older {
        args.extend(["--older", older.to_str().unwrap(), "--prose", "keep"]);
    }
    expect(
        &acsgen(dir, &args),
        Exit::Ok,
        &format!("import {product} {edition}"),
    )
}

#[test]
fn spec_update_loop() {
    let repo = tempfile::tempdir().unwrap();
    let dir = repo.path();
    support::git(dir, &["init", "-q"]);

    // 1. The product as it was: import the old edition, generate, commit.
    let text = import(dir, "2024-06", None, "live");
    assert_line_starting(
        &text,
        "import live: 7 file(s) written, 0 unchanged, 0 removed",
    );
    assert_line(&text, "  wrote spec/live/operations/AllowPushStream.yaml");
    import(dir, "2024-06", None, "cms");
    // The maintainer rewrites a summary in their own words.
    let mapping = dir.join("spec/live/operations/AddLiveDomainMapping.yaml");
    let yaml = std::fs::read_to_string(&mapping).unwrap();
    let ours = "summary: Links a playback domain to its ingest domain.\n";
    let yaml = yaml.replace(
        "summary: Maps a playback domain to an ingest domain.\n",
        ours,
    );
    assert!(yaml.contains(ours), "{yaml}");
    std::fs::write(&mapping, &yaml).unwrap();
    let text = expect(&acsgen(dir, &["generate"]), Exit::Ok, "first generate");
    assert_line_starting(&text, "generated/live: ");
    assert!(dir
        .join("generated/live/src/operations/allow_push_stream.rs")
        .is_file());
    let text = expect(&acsgen(dir, &["check"]), Exit::Ok, "check after generate");
    assert_line(&text, "generated/live: up to date");
    assert_line(&text, "generated/cms: up to date");
    support::git(dir, &["add", "-A"]);
    support::git(dir, &["commit", "-q", "-m", "Import the 2024-06 metadata"]);

    // 2. Alibaba publishes a new edition: import it, filled from the old one.
    let text = import(dir, "2025-12", Some("2024-06"), "live");
    assert_line(
        &text,
        "  wrote spec/live/operations/RecoverLiveMessageDeletedGroup.yaml",
    );
    assert_line(&text, "  removed spec/live/operations/AllowPushStream.yaml");
    assert!(
        !text.contains("AddLiveDomainMapping.yaml"),
        "an unchanged operation is not rewritten:\n{text}"
    );
    assert_eq!(std::fs::read_to_string(&mapping).unwrap(), yaml);
    let text = import(dir, "2025-12", Some("2024-06"), "cms");
    assert_line(&text, "  removed spec/cms/operations/OpenCmsService.yaml");

    // 3. The spec changed, the code did not: `check` (as CI runs it) says no.
    let output = acsgen(dir, &["check"]);
    let text = expect(&output, Exit::Findings, "check with a changed spec");
    assert_line(&text, "generated/live: stale");
    assert_line(
        &text,
        "cause: the spec changed since the last `acsgen generate`",
    );
    assert!(
        stderr(&output).contains("generated code is stale: run `acsgen generate`"),
        "{}",
        stderr(&output)
    );

    // 4. Review the API change against the last commit.
    let text = expect(
        &acsgen(dir, &["diff", "--base", "HEAD"]),
        Exit::Ok,
        "diff --base HEAD",
    );
    assert_line(&text, "live (crate alibabacloud-live)");
    assert_line(&text, "  old: HEAD:spec/live");
    assert_line(
        &text,
        "Operations added (1, compatible: new types and client methods):",
    );
    assert_line(&text, "  RecoverLiveMessageDeletedGroup");
    assert_line(
        &text,
        "Operations removed (1, BREAKING: their types and client methods are gone):",
    );
    assert_line(&text, "  AllowPushStream");
    assert_line_starting(
        &text,
        "BREAKING    parameter `StreamId` removed (was optional string)",
    );
    assert_line_starting(&text, "BREAKING    parameter `InputList` now required");
    assert_line_starting(
        &text,
        "compatible  parameter `ResourceType` valid value `domain` added",
    );
    assert_line_starting(
        &text,
        "compatible  4 operations: parameter `RegionId` added (optional string)",
    );
    assert_line_starting(&text, "DescribeSyntheticProbeList");
    assert_line(
        &text,
        "  semver: breaking changes need a major release (a 0.x crate, so bump minor): \
         0.1.0 -> 0.2.0 (NEW declares 0.1.0: too low)",
    );
    // The same report gates a pull request and comments on it.
    expect(
        &acsgen(dir, &["diff", "--base", "HEAD", "--fail-on", "breaking"]),
        Exit::Findings,
        "diff --fail-on breaking",
    );
    let text = expect(
        &acsgen(
            dir,
            &[
                "diff",
                "--base",
                "HEAD",
                "--format",
                "markdown",
                "spec/live",
            ],
        ),
        Exit::Ok,
        "diff --format markdown",
    );
    assert_line(&text, "### API changes: `live` (crate `alibabacloud-live`)");
    assert_line(&text, "`RecoverLiveMessageDeletedGroup`");

    // 5. Bump the version the verdict asks for, regenerate with the
    //    changelog entry; `check` passes.
    let product = dir.join("spec/live/product.yaml");
    let yaml = std::fs::read_to_string(&product).unwrap();
    assert_eq!(yaml.matches("\n  version: 0.1.0\n").count(), 1, "{yaml}");
    std::fs::write(
        &product,
        yaml.replace("\n  version: 0.1.0\n", "\n  version: 0.2.0\n"),
    )
    .unwrap();
    let text = expect(
        &acsgen(dir, &["diff", "--base", "HEAD", "spec/live"]),
        Exit::Ok,
        "diff after the bump",
    );
    assert_line_starting(&text, "semver: breaking changes need a major release");
    assert!(
        text.contains("0.1.0 -> 0.2.0 (NEW declares 0.2.0: ok)"),
        "{text}"
    );
    let text = expect(
        &acsgen(dir, &["generate", "--changelog-base", "HEAD"]),
        Exit::Ok,
        "generate --changelog-base HEAD",
    );
    assert_line(
        &text,
        "generated/live/CHANGELOG.md: appended changes since HEAD",
    );
    let changelog = std::fs::read_to_string(dir.join("generated/live/CHANGELOG.md")).unwrap();
    assert_line(&changelog, "## 0.2.0");
    assert_line(&changelog, "- Removed operations: `AllowPushStream`.");
    assert_line(
        &changelog,
        "- New operations: `RecoverLiveMessageDeletedGroup`.",
    );
    // Running it again does not list the same changes twice.
    let text = expect(
        &acsgen(dir, &["generate", "--changelog-base", "HEAD"]),
        Exit::Ok,
        "generate --changelog-base HEAD, again",
    );
    assert_line(
        &text,
        "generated/live/CHANGELOG.md: already lists the changes since HEAD",
    );
    let again = std::fs::read_to_string(dir.join("generated/live/CHANGELOG.md")).unwrap();
    assert_eq!(again, changelog);
    let text = expect(&acsgen(dir, &["check"]), Exit::Ok, "check after generate");
    assert_line(&text, "generated/live: up to date");
    assert_line(&text, "generated/cms: up to date");

    // 6. The change to review is the changed operations' code: the old
    //    operation's file goes, the new one's comes, an unchanged one stays.
    support::git(dir, &["add", "-A"]);
    let changed = support::git(
        dir,
        &["diff", "--cached", "--name-status", "--", "generated/live"],
    );
    assert_line(
        &changed,
        "D\tgenerated/live/src/operations/allow_push_stream.rs",
    );
    assert_line(
        &changed,
        "A\tgenerated/live/src/operations/recover_live_message_deleted_group.rs",
    );
    assert!(
        !changed.contains("add_live_domain_mapping.rs"),
        "unchanged operation regenerated differently:\n{changed}"
    );
    support::git(
        dir,
        &["commit", "-q", "-m", "Update to the 2025-12 metadata"],
    );

    // 7. Committed: nothing left to report, nothing stale.
    let text = expect(
        &acsgen(dir, &["diff", "--base", "HEAD", "--fail-on", "any"]),
        Exit::Ok,
        "diff after the commit",
    );
    assert_line(&text, "  no API changes");
    expect(&acsgen(dir, &["check"]), Exit::Ok, "check after the commit");
    assert_eq!(
        support::git(dir, &["status", "--porcelain"]),
        "",
        "the tree is clean"
    );
}

/// What `check` says when the generated code was edited by hand instead of
/// the spec: exit 1 and the cause, and `generate` puts it back.
#[test]
fn check_catches_a_hand_edit_of_generated_code() {
    let repo = tempfile::tempdir().unwrap();
    let dir = repo.path();
    import(dir, "2025-12", Some("2024-06"), "live");
    expect(&acsgen(dir, &["generate"]), Exit::Ok, "generate");
    let file = dir.join("generated/live/src/operations/recover_live_message_deleted_group.rs");
    let original = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("{original}\n// a hand edit\n")).unwrap();
    let output = acsgen(dir, &["check"]);
    let text = expect(&output, Exit::Findings, "check after a hand edit");
    assert_line(&text, "generated/live: stale");
    // From what is on disk to what generate writes.
    assert_line(&text, "-// a hand edit");
    assert!(
        text.lines()
            .any(|l| l.starts_with("cause: ") && l.contains("by hand")),
        "no cause naming a hand edit in:\n{text}"
    );
    expect(&acsgen(dir, &["generate"]), Exit::Ok, "generate again");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), original);
    expect(&acsgen(dir, &["check"]), Exit::Ok, "check after generate");
}
