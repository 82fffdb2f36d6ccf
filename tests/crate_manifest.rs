//! How a generated crate presents itself to Cargo and crates.io: its
//! dependency on the runtime (spec `crate.runtime`, `generate --runtime-*`),
//! publish metadata and README.

mod support;

use std::path::Path;
use std::process::Command;

use acsgen::generate::{generate_product, generate_product_with, GeneratedCrate};
use acsgen::load::read_product_dir;
use acsgen::model::{Options, RUNTIME_VERSION};
use support::{demo_diagnostics, demo_spec_tree, DEMO_OPERATION, DEMO_PRODUCT};

const CRATE_BLOCK: &str = "crate:\n  name: demo-client\n  version: 0.1.0\n";

fn with_crate_block(extra: &str) -> String {
    assert!(
        DEMO_PRODUCT.ends_with(CRATE_BLOCK),
        "fixture layout changed"
    );
    format!("{DEMO_PRODUCT}{extra}")
}

fn generate(product: &str, options: &Options) -> GeneratedCrate {
    let dir = tempfile::tempdir().unwrap();
    let product_dir = demo_spec_tree(dir.path(), product, None, &[("Ping.yaml", DEMO_OPERATION)]);
    generate_product_with(&read_product_dir(&product_dir).unwrap(), options).unwrap()
}

fn manifest(generated: &GeneratedCrate) -> toml_edit::DocumentMut {
    generated.files["Cargo.toml"]
        .parse()
        .expect("Cargo.toml is TOML")
}

/// `acsgen-runtime = ...` as written, e.g. `{ path = "x", version = "0.1.0" }`.
fn runtime_dependency(generated: &GeneratedCrate) -> String {
    manifest(generated)["dependencies"]["acsgen-runtime"]
        .as_value()
        .expect("a value")
        .to_string()
        .trim()
        .to_owned()
}

#[test]
fn runtime_comes_from_the_registry_unless_the_spec_says_otherwise() {
    let cases = [
        ("", format!("\"{RUNTIME_VERSION}\"")),
        ("  runtime:\n    version: '0.2'\n", "\"0.2\"".to_owned()),
        (
            "  runtime:\n    path: ../vendor/acsgen-runtime\n",
            format!("{{ path = \"../vendor/acsgen-runtime\", version = \"{RUNTIME_VERSION}\" }}"),
        ),
        (
            "  runtime:\n    git: https://example.com/acsgen.git\n    tag: v0.1.0\n    version: '0.1'\n",
            "{ git = \"https://example.com/acsgen.git\", tag = \"v0.1.0\", version = \"0.1\" }"
                .to_owned(),
        ),
    ];
    for (block, expected) in cases {
        let generated = generate(&with_crate_block(block), &Options::default());
        assert_eq!(runtime_dependency(&generated), expected, "{block}");
    }
}

#[test]
fn command_line_runtime_replaces_the_specs() {
    let spec = with_crate_block("  runtime:\n    git: https://example.com/acsgen.git\n");
    let generated = generate(&spec, &Options::runtime_path("/opt/acsgen/runtime"));
    assert_eq!(
        runtime_dependency(&generated),
        format!("{{ path = \"/opt/acsgen/runtime\", version = \"{RUNTIME_VERSION}\" }}")
    );
}

#[test]
fn bad_runtime_sources_name_their_field() {
    let cases = [
        (
            "    version: 'not a version'\n",
            "crate.runtime.version: not a semver requirement",
        ),
        (
            "    path: a\n    git: https://x.example/r.git\n",
            "crate.runtime.git: `path` and `git` exclude each other",
        ),
        (
            "    git: http://x.example/r.git\n",
            "crate.runtime.git: must start with https://, ssh:// or file://",
        ),
        (
            "    path: a\n    tag: v1\n",
            "crate.runtime.branch: `branch`, `tag` and `rev` need `git`",
        ),
        (
            "    git: https://x.example/r.git\n    tag: v1\n    rev: abc\n",
            "crate.runtime.branch: give at most one of",
        ),
        (
            "    path: \"a\\nb\"\n",
            "crate.runtime.path: must be one non-empty line",
        ),
        (
            "    {}\n",
            "crate.runtime.version: give a `version`, a `path` or a `git` URL",
        ),
    ];
    for (fields, expected) in cases {
        let spec = with_crate_block(&format!("  runtime:\n{fields}"));
        let diagnostics = demo_diagnostics(&spec, None, &[("Ping.yaml", DEMO_OPERATION)]);
        assert!(
            diagnostics
                .iter()
                .any(|d| d.starts_with("ROOT/demo/product.yaml:") && d.contains(expected)),
            "{fields}: expected {expected:?} in {diagnostics:#?}"
        );
    }
    let spec = with_crate_block("  repository: javascript:alert(1)\n");
    let diagnostics = demo_diagnostics(&spec, None, &[("Ping.yaml", DEMO_OPERATION)]);
    assert!(
        diagnostics
            .iter()
            .any(|d| d.contains("crate.repository: `javascript:alert(1)` is not an https:// URL")),
        "{diagnostics:#?}"
    );
}

#[test]
fn the_runtime_version_generated_code_asks_for_is_the_runtimes() {
    let manifest = std::fs::read_to_string(support::root().join("runtime/Cargo.toml")).unwrap();
    let manifest: toml_edit::DocumentMut = manifest.parse().unwrap();
    assert_eq!(
        manifest["package"]["version"].as_str(),
        Some(RUNTIME_VERSION)
    );
}

#[test]
fn manifest_is_ready_to_publish() {
    let spec = with_crate_block("  repository: https://example.com/demo-sdk\n");
    let generated = generate(&spec, &Options::default());
    let manifest = manifest(&generated);
    let package = &manifest["package"];
    for key in [
        "name",
        "version",
        "edition",
        "rust-version",
        "license",
        "description",
        "readme",
    ] {
        assert!(
            package[key].as_str().is_some_and(|v| !v.is_empty()),
            "package.{key}"
        );
    }
    assert!(package.get("publish").is_none(), "publishable");
    assert_eq!(
        package["repository"].as_str(),
        Some("https://example.com/demo-sdk")
    );
    let keywords: Vec<&str> = package["keywords"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|k| k.as_str())
        .collect();
    assert_eq!(
        keywords,
        ["alibaba-cloud", "aliyun", "sdk", "openapi", "demo"]
    );
    assert_eq!(
        manifest["package"]["metadata"]["docs"]["rs"]["all-features"].as_bool(),
        Some(true)
    );
    assert!(generated
        .files
        .contains_key(package["readme"].as_str().unwrap()));
    // The workspace and generated crates share one edition.
    let ours: toml_edit::DocumentMut = std::fs::read_to_string(support::root().join("Cargo.toml"))
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        package["edition"].as_str(),
        ours["workspace"]["package"]["edition"].as_str()
    );
}

#[test]
fn readme_shows_a_real_call_and_every_operation() {
    let generated =
        generate_product(&read_product_dir(&support::root().join("spec/live")).unwrap()).unwrap();
    let readme = &generated.files["README.md"];
    assert!(acsgen::format::is_generated(readme), "marked as generated");
    // The quick start calls an operation whose arguments all come from spec
    // examples, never a placeholder or `Default::default()`.
    let quick_start = readme
        .split("```rust,no_run")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    assert!(quick_start.contains(".check_live_message_users_in_group(\"demo\", \"grouptest\", vec![\"uid1\".to_owned()])"), "{quick_start}");
    assert!(!quick_start.contains("Default::default()") && !quick_start.contains("\"example\""));
    let operations = std::fs::read_dir(support::root().join("spec/live/operations"))
        .unwrap()
        .count();
    let rows = readme
        .lines()
        .filter(|line| line.starts_with("| [`"))
        .count();
    assert_eq!(rows, operations);
    assert!(readme.contains("| [`recover_live_message_deleted_group`]"));
}

#[test]
fn readme_summaries_stay_in_their_table_cell() {
    let operation =
        DEMO_OPERATION.replace("summary: Checks the service.", "summary: Checks a | b.");
    let dir = tempfile::tempdir().unwrap();
    let product_dir = demo_spec_tree(dir.path(), DEMO_PRODUCT, None, &[("Ping.yaml", &operation)]);
    let generated = generate_product(&read_product_dir(&product_dir).unwrap()).unwrap();
    let row = generated.files["README.md"]
        .lines()
        .find(|l| l.contains("`Ping`"))
        .unwrap()
        .to_owned();
    assert_eq!(row.matches(" | ").count(), 2, "{row}");
    assert!(row.contains("a \\| b"), "{row}");
}

fn acsgen(args: &[&str], dir: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_acsgen"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

#[test]
fn generate_flags_override_the_runtime_and_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    demo_spec_tree(
        &dir.path().join("spec"),
        DEMO_PRODUCT,
        None,
        &[("Ping.yaml", DEMO_OPERATION)],
    );
    let output = acsgen(
        &[
            "generate",
            "--runtime-version",
            "~0.1",
            "--runtime-path",
            "../rt",
        ],
        dir.path(),
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let manifest = std::fs::read_to_string(dir.path().join("generated/demo/Cargo.toml")).unwrap();
    assert!(
        manifest.contains("acsgen-runtime = { path = \"../rt\", version = \"~0.1\" }"),
        "{manifest}"
    );
    // `check` takes the same flags: without them the crate is stale.
    let check = acsgen(
        &[
            "check",
            "--runtime-version",
            "~0.1",
            "--runtime-path",
            "../rt",
        ],
        dir.path(),
    );
    assert_eq!(check.status.code(), Some(0));
    assert_eq!(acsgen(&["check"], dir.path()).status.code(), Some(1));

    let bad = acsgen(&["generate", "--runtime-version", "one"], dir.path());
    assert_eq!(bad.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        stderr.contains("--runtime-version: not a semver requirement"),
        "{stderr}"
    );
    let unchanged = std::fs::read_to_string(dir.path().join("generated/demo/Cargo.toml")).unwrap();
    assert_eq!(unchanged, manifest, "nothing written");
}

#[test]
fn completions_are_printed_for_each_shell() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let output = acsgen(&["completions", shell], dir.path());
        assert!(output.status.success(), "{shell}");
        let script = String::from_utf8(output.stdout).unwrap();
        assert!(
            script.contains("generate") && script.contains("runtime-path"),
            "{shell}"
        );
    }
    assert_eq!(
        acsgen(&["completions", "tcsh"], dir.path()).status.code(),
        Some(2)
    );
}

/// Prose that mentions an operation links it: in rustdoc by path, in the README
/// (read on GitHub and crates.io, where such paths are dead) by docs.rs URL.
#[test]
fn readme_prose_links_operations_to_docs_rs() {
    let undo = DEMO_OPERATION
        .replace("name: Ping", "name: Unping")
        .replace("summary: Checks the service.", "summary: Undoes [Ping].");
    let product = DEMO_PRODUCT.replace(
        "name: Demo\n",
        "name: Demo\ndescription: Start with [Ping].\n",
    );
    let dir = tempfile::tempdir().unwrap();
    let product_dir = demo_spec_tree(
        dir.path(),
        &product,
        None,
        &[("Ping.yaml", DEMO_OPERATION), ("Unping.yaml", &undo)],
    );
    let generated = generate_product(&read_product_dir(&product_dir).unwrap()).unwrap();
    let url = "https://docs.rs/demo-client/0.1.0/demo_client/struct.Client.html#method.ping";
    let readme = &generated.files["README.md"];
    assert!(!readme.contains("crate::"), "{readme}");
    let row = readme.lines().find(|l| l.contains("`Unping`")).unwrap();
    assert!(row.contains(&format!("[`Ping`]({url})")), "{row}");
    assert!(
        readme.contains(&format!("Start with [`Ping`]({url})")),
        "{readme}"
    );
    let lib = &generated.files["src/lib.rs"];
    assert!(lib.contains("[`Ping`](crate::Client::ping)"), "{lib}");
}
