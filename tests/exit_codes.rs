//! One exit-code table for every command (`src/exit.rs`): each class of
//! outcome, produced by the real binary, exits with the same code whatever
//! the command.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use acsgen::exit::Exit;
use serde_json::json;

const BIN: &str = env!("CARGO_BIN_EXE_acsgen");

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff")
}

fn acsgen(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().expect("run acsgen")
}

fn path(path: &Path) -> &str {
    path.to_str().expect("UTF-8 temp path")
}

/// Asserts the exit code (and that the process was not killed or panicked).
#[track_caller]
fn assert_exit(output: &Output, expected: Exit) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(i32::from(expected.code())),
        "expected {expected:?}; stderr:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// A spec root holding the diff fixture's `new/demo`.
fn spec(root: &Path) -> PathBuf {
    let spec = root.join("spec");
    support::copy_tree(&fixtures().join("new"), &spec);
    spec
}

/// Minimal api-docs.json of one operation in `style`.
fn api_docs(style: &str) -> String {
    json!({
        "version": "1.0",
        "info": {"style": style, "product": "Demo", "version": "2020-01-01"},
        "apis": {"DoThing": {
            "methods": ["post"],
            "summary": "Does the thing.",
        }},
        "endpoints": [{"regionId": "cn-hangzhou", "endpoint": "demo.cn-hangzhou.aliyuncs.com"}]
    })
    .to_string()
}

#[test]
fn ok_and_stale_check() {
    let dir = tempfile::tempdir().expect("tempdir");
    let spec = spec(dir.path());
    let out = dir.path().join("out");
    let args = ["--spec", path(&spec), "--out", path(&out)];
    let generate = [&["generate"][..], &args].concat();
    let check = [&["check"][..], &args].concat();
    assert_exit(&acsgen(&generate), Exit::Ok);
    assert_exit(&acsgen(&check), Exit::Ok);
    let lib = out.join("demo/src/lib.rs");
    let text = fs::read_to_string(&lib).expect("read lib.rs");
    fs::write(&lib, format!("{text}\n// edited\n")).expect("edit lib.rs");
    assert_exit(&acsgen(&check), Exit::Findings);
}

#[test]
fn spec_errors_and_usage_errors_are_bad_input() {
    let dir = tempfile::tempdir().expect("tempdir");
    let spec = spec(dir.path());
    fs::write(
        spec.join("demo/operations/CreateItem.yaml"),
        "name: CreateItem\nsummary: x\nmethod: POST\nbogus: 1\n",
    )
    .expect("break the spec");
    let out = dir.path().join("out");
    for command in ["generate", "check"] {
        let output = acsgen(&[command, "--spec", path(&spec), "--out", path(&out)]);
        assert_exit(&output, Exit::BadInput);
    }
    assert!(!out.exists(), "nothing written");
    // clap's own usage errors share the code.
    assert_exit(&acsgen(&["generate", "--no-such-flag"]), Exit::BadInput);
    assert_exit(&acsgen(&["diff", "only-one"]), Exit::BadInput);
}

#[test]
fn import_bad_input_and_unsupported_style() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("spec");
    let broken = dir.path().join("broken.json");
    fs::write(&broken, "{\"apis\": {").expect("write");
    let output = acsgen(&["import", "--input", path(&broken), "--out", path(&out)]);
    assert_exit(&output, Exit::BadInput);

    let roa = dir.path().join("roa.json");
    fs::write(&roa, api_docs("ROA")).expect("write");
    let output = acsgen(&["import", "--input", path(&roa), "--out", path(&out)]);
    assert_exit(&output, Exit::Unsupported);
    assert!(String::from_utf8_lossy(&output.stderr).contains("nothing importable"));
    assert!(!out.exists(), "nothing written");

    let rpc = dir.path().join("rpc.json");
    fs::write(&rpc, api_docs("RPC")).expect("write");
    let output = acsgen(&["import", "--input", path(&rpc), "--out", path(&out)]);
    assert_exit(&output, Exit::Ok);
}

#[test]
fn output_that_cannot_be_written_is_io() {
    let dir = tempfile::tempdir().expect("tempdir");
    let spec = spec(dir.path());
    // A file where the output directory should be: no permissions needed.
    let file = dir.path().join("a-file");
    fs::write(&file, "").expect("write");
    let out = file.join("out");
    for command in ["generate", "check"] {
        let output = acsgen(&[command, "--spec", path(&spec), "--out", path(&out)]);
        assert_exit(&output, Exit::Io);
    }
    let input = dir.path().join("rpc.json");
    fs::write(&input, api_docs("RPC")).expect("write");
    let output = acsgen(&["import", "--input", path(&input), "--out", path(&out)]);
    assert_exit(&output, Exit::Io);
}

#[test]
fn diff_fail_on_breaking_is_findings() {
    let old = fixtures().join("old");
    let new = fixtures().join("new");
    let diff = |fail_on: &str| {
        acsgen(&[
            "diff",
            path(&old),
            path(&new),
            "--fail-on",
            fail_on,
            "--format",
            "json",
        ])
    };
    assert_exit(&diff("breaking"), Exit::Findings);
    assert_exit(&diff("none"), Exit::Ok);
    // A spec error on one side is bad input, as for `generate`.
    let missing = fixtures().join("nowhere");
    assert_exit(
        &acsgen(&["diff", path(&old), path(&missing)]),
        Exit::BadInput,
    );
}

#[test]
fn git_that_cannot_run_is_io_and_a_bad_revision_bad_input() {
    let dir = tempfile::tempdir().expect("tempdir");
    let spec = spec(dir.path());
    let output = Command::new(BIN)
        .args(["diff", "--base", "HEAD", path(&spec)])
        .env("PATH", "")
        .output()
        .expect("run acsgen");
    assert_exit(&output, Exit::Io);
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot run git"));
    let output = acsgen(&["diff", "--base=-x", path(&spec)]);
    assert_exit(&output, Exit::BadInput);
    // `generate --changelog-base` maps the same error the same way.
    let output = acsgen(&[
        "generate",
        "--spec",
        path(&spec),
        "--out",
        path(&dir.path().join("out")),
        "--changelog-base=-x",
    ]);
    assert_exit(&output, Exit::BadInput);
    assert!(!dir.path().join("out").exists(), "nothing written");
}
