//! Shared test helpers: locating ../shared, building spec trees in temp
//! directories, and compiling generated crates for real.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use acsgen::generate::{generate_product_with, GeneratedCrate};
use acsgen::load::read_product_dir;
use acsgen::model::Options;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared/metadata`. Tests that call this are `#[ignore]`d with that
/// reason, and `.ci/run` runs them when `../shared` exists.
pub fn metadata_dir() -> PathBuf {
    let dir = root().join("../shared/metadata");
    assert!(
        dir.is_dir(),
        "{} not found: this test needs ../shared beside the checkout",
        dir.display()
    );
    dir
}

/// `tests/fixtures/metadata`: a few operations of `live` and `cms` in the
/// 2024-06 and 2025-12 editions, facts only (see its README.md). Tests
/// that use it run in a fresh clone, without `../shared`.
pub fn fixture_metadata_dir() -> PathBuf {
    root().join("tests/fixtures/metadata")
}

/// The fixture's api-docs.json of `product` (`live` or `cms`) in `edition`.
pub fn fixture_api_docs(edition: &str, product: &str) -> PathBuf {
    let version = match product {
        "live" => "2016-11-01",
        "cms" => "2019-01-01",
        other => panic!("the metadata fixture has no product `{other}`"),
    };
    fixture_metadata_dir()
        .join(edition)
        .join(product)
        .join(version)
        .join("api-docs.json")
}

/// Generate a product directory with the runtime found by absolute path,
/// so the crate compiles wherever it is written.
pub fn generate_for_check(product_dir: &Path) -> GeneratedCrate {
    let files = read_product_dir(product_dir).expect("spec is readable");
    let options = Options::runtime_path(root().join("runtime").display().to_string());
    match generate_product_with(&files, &options) {
        Ok(generated) => generated,
        Err(error) => panic!("generation failed for {}:\n{error}", product_dir.display()),
    }
}

/// Write `crates` as one workspace under target/ and run `cargo check` (with
/// `strict`, clippy and `cargo doc` as well) with warnings denied. One cargo run for all
/// crates keeps CI time down; the target dir is shared between tests.
pub fn cargo_check(name: &str, crates: &[GeneratedCrate], strict: bool) {
    let base = root().join("target/acsgen-test-crates");
    let workspace = base.join(name);
    let _ = std::fs::remove_dir_all(&workspace);
    std::fs::create_dir_all(&workspace).expect("create test workspace");
    let mut members = Vec::new();
    for generated in crates {
        let dir = workspace.join(&generated.dir_name);
        acsgen::write::write_crate(&dir, &generated.files).expect("write crate");
        members.push(format!("{:?}", generated.dir_name));
    }
    std::fs::write(
        workspace.join("Cargo.toml"),
        format!(
            "[workspace]\nmembers = [{}]\nresolver = \"2\"\n",
            members.join(", ")
        ),
    )
    .expect("write workspace manifest");
    // Same dependency versions as the project itself.
    let _ = std::fs::copy(root().join("Cargo.lock"), workspace.join("Cargo.lock"));
    let target = base.join("target");
    // `test-util` compiles the test-value setters too.
    let mut runs = vec![vec![
        "check",
        "--workspace",
        "--all-targets",
        "--features",
        "test-util",
        "--quiet",
    ]];
    if strict {
        runs.push(vec![
            "clippy",
            "--workspace",
            "--all-targets",
            "--features",
            "test-util",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ]);
        runs.push(vec!["doc", "--workspace", "--no-deps", "--quiet"]);
    }
    for args in runs {
        let output = Command::new(env!("CARGO"))
            .args(&args)
            .current_dir(&workspace)
            .env("CARGO_TARGET_DIR", &target)
            .env("RUSTFLAGS", "-D warnings")
            .env("RUSTDOCFLAGS", "-D warnings")
            .output()
            .expect("run cargo");
        assert!(
            output.status.success(),
            "cargo {} failed for {name}:\n{}",
            args[0],
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// Every identifier in the generated Rust files (for injection checks).
pub fn identifiers(generated: &GeneratedCrate) -> Vec<String> {
    let mut out = Vec::new();
    for (path, text) in &generated.files {
        if path.ends_with(".rs") {
            let file: proc_macro2::TokenStream = text.parse().expect("generated file lexes");
            collect_idents(file, &mut out);
        }
    }
    out
}

fn collect_idents(stream: proc_macro2::TokenStream, out: &mut Vec<String>) {
    for token in stream {
        match token {
            proc_macro2::TokenTree::Ident(ident) => out.push(ident.to_string()),
            proc_macro2::TokenTree::Group(group) => collect_idents(group.stream(), out),
            _ => {}
        }
    }
}

/// Runs `cargo test` with `args` in the workspace `support::cargo_check` wrote,
/// asserts it passed, and returns the `test result` lines' (passed, failed,
/// ignored), one entry per line in order.
pub fn cargo_test_results(
    workspace: &str,
    args: &[&str],
    what: &str,
) -> Vec<(usize, usize, usize)> {
    let base = root().join("target/acsgen-test-crates");
    let output = Command::new(env!("CARGO"))
        .arg("test")
        .args(args)
        .current_dir(base.join(workspace))
        .env("CARGO_TARGET_DIR", base.join("target"))
        .output()
        .expect("run cargo test");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{what}:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
        .lines()
        .filter_map(|line| line.strip_prefix("test result: "))
        .map(|rest| {
            let number = |word: &str| -> usize {
                rest.split(';')
                    .find_map(|part| {
                        part.trim()
                            .strip_suffix(word)?
                            .trim()
                            .rsplit(' ')
                            .next()?
                            .parse()
                            .ok()
                    })
                    .unwrap_or(0)
            };
            (number("passed"), number("failed"), number("ignored"))
        })
        .collect()
}

/// `cargo test --doc` in the workspace `support::cargo_check` wrote:
/// (passed, failed, ignored), summed over the crates.
pub fn cargo_doctest(workspace: &str) -> (usize, usize, usize) {
    cargo_test_results(
        workspace,
        &["--workspace", "--doc"],
        "cargo test --doc failed (spec text ran as a doctest?)",
    )
    .into_iter()
    .fold((0, 0, 0), |sum, one| {
        (sum.0 + one.0, sum.1 + one.1, sum.2 + one.2)
    })
}

/// `cargo test --workspace` (unit tests and doctests) in the workspace
/// `support::cargo_check` wrote: the last summary's (doctests') passed and failed.
pub fn cargo_test(workspace: &str) -> (usize, usize) {
    let results = cargo_test_results(
        workspace,
        &["--workspace", "--no-fail-fast"],
        "cargo test failed",
    );
    let last = results.last().expect("a test summary");
    (last.0, last.1)
}

/// The doctests acsgen writes itself: the crate example in lib.rs, one
/// example per operation and one more per paginated operation (on
/// `into_paginator`).
pub fn own_doctests(generated: &GeneratedCrate) -> usize {
    let operations: Vec<&String> = generated
        .files
        .iter()
        .filter(|(path, _)| path.starts_with("src/operations/") && !path.ends_with("/mod.rs"))
        .map(|(_, text)| text)
        .collect();
    let paginated = operations
        .iter()
        .filter(|text| text.contains("pub fn into_paginator("))
        .count();
    operations.len() + paginated + 1
}

/// product.yaml of the small `demo` product the spec tests build on.
pub const DEMO_PRODUCT: &str = "product: demo
version: 2020-01-01
name: Demo
style: rpc
endpoints:
  rule: central
  default: demo.aliyuncs.com
crate:
  name: demo-client
  version: 0.1.0
";

/// operations/Ping.yaml of the `demo` product: one of each section.
pub const DEMO_OPERATION: &str = "name: Ping
summary: Checks the service.
method: POST
parameters:
- name: Target
  in: query
  schema:
    type: string
    required: true
response:
  schema:
    type: object
    properties:
      RequestId:
        type: string
  example: '{\"RequestId\": \"r-1\"}'
errors:
- status: 400
  code: InputInvalid
";

/// Write `<root>/demo` (product.yaml, optional components.yaml and the
/// given `(file name, text)` operations); returns the product directory.
pub fn demo_spec_tree(
    root: &Path,
    product: &str,
    components: Option<&str>,
    operations: &[(&str, &str)],
) -> PathBuf {
    let product_dir = root.join("demo");
    std::fs::create_dir_all(product_dir.join("operations")).unwrap();
    std::fs::write(product_dir.join("product.yaml"), product).unwrap();
    if let Some(components) = components {
        std::fs::write(product_dir.join("components.yaml"), components).unwrap();
    }
    for (name, text) in operations {
        std::fs::write(product_dir.join("operations").join(name), text).unwrap();
    }
    product_dir
}

/// The diagnostics of generating a `demo` spec tree, one string each, with
/// the temporary directory shown as `ROOT`; empty when it generates.
pub fn demo_diagnostics(
    product: &str,
    components: Option<&str>,
    operations: &[(&str, &str)],
) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    demo_spec_tree(dir.path(), product, components, operations);
    match acsgen::generate::generate_all(dir.path(), None) {
        Ok(_) => Vec::new(),
        Err(acsgen::generate::GenerateError::Spec(d)) => {
            d.0.iter()
                .map(|d| {
                    d.to_string()
                        .replace(&dir.path().display().to_string(), "ROOT")
                })
                .collect()
        }
        Err(other) => panic!("unexpected error: {other}"),
    }
}

/// git in a test's own repository, with a fixed identity and no user or
/// system configuration (hooks, signing); fails the test when git fails.
/// Returns stdout.
pub fn git(repo: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .args([
            "-c",
            "user.name=acsgen test",
            "-c",
            "user.email=test@example.invalid",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(repo)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("run git");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Copy a directory tree (regular files and directories only).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Every file below `dir` with its bytes.
pub fn snapshot(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// Import options for `input` (merged with `older`) into `out`.
pub fn import_options(
    input: PathBuf,
    older: Option<PathBuf>,
    out: &Path,
    prose: acsgen::import::Prose,
) -> acsgen::import::ImportOptions {
    acsgen::import::ImportOptions {
        older,
        prose,
        ..acsgen::import::ImportOptions::new(input, out)
    }
}
