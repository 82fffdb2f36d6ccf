//! Foundation tests: validation messages, YAML positions, determinism,
//! hostile text and naming hazards, each through the real pipeline.

mod support;

use std::fs;
use std::path::Path;

use acsgen::generate::generate_product;
use acsgen::load::read_product_dir;
use support::{DEMO_OPERATION, DEMO_PRODUCT};

/// A spec root holding product `demo` with the given operation files.
fn spec_tree(dir: &Path, product: &str, operations: &[(&str, &str)]) {
    support::demo_spec_tree(dir, product, None, operations);
}

/// The diagnostics of generating a spec tree, one string each.
fn diagnostics(product: &str, operations: &[(&str, &str)]) -> Vec<String> {
    support::demo_diagnostics(product, None, operations)
}

fn operation_error(replace: &str, with: &str) -> Vec<String> {
    assert!(
        DEMO_OPERATION.contains(replace),
        "fixture lacks {replace:?}"
    );
    diagnostics(
        DEMO_PRODUCT,
        &[("Ping.yaml", &DEMO_OPERATION.replace(replace, with))],
    )
}

#[test]
fn valid_fixture_generates() {
    assert_eq!(
        diagnostics(DEMO_PRODUCT, &[("Ping.yaml", DEMO_OPERATION)]),
        Vec::<String>::new()
    );
}

#[test]
fn broken_yaml_reports_line_and_column() {
    let errors = operation_error("method: POST", "method: POST: x");
    assert_eq!(
        errors,
        vec!["ROOT/demo/operations/Ping.yaml:3:13: mapping values are not allowed in this context"]
    );
    let errors = operation_error("method: POST", "method: [POST]");
    assert!(
        errors[0].starts_with("ROOT/demo/operations/Ping.yaml:3:9: method: "),
        "{}",
        errors[0]
    );
}

#[test]
fn unknown_field_names_the_field_and_position() {
    let errors = operation_error("summary: Checks the service.", "summary: x\nsumary: typo");
    assert_eq!(
        errors,
        vec!["ROOT/demo/operations/Ping.yaml:3:1: unknown field `sumary`, expected one of `name`, `summary`, `description`, `method`, `path`, `read_only`, `deprecated`, `rate_limit`, `authorization`, `parameters`, `response`, `pagination`, `errors`, `changes`"]
    );
}

#[test]
fn wrong_type_names_the_field_path() {
    let errors = operation_error(
        "    type: string\n    required: true",
        "    type: strin\n    required: true",
    );
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].contains("parameters[0].schema.type: unknown variant `strin`"),
        "{}",
        errors[0]
    );
    assert!(errors[0].contains("Ping.yaml:8:11"), "{}", errors[0]);
}

#[test]
fn every_validation_error_has_its_message() {
    let cases: &[(&str, &str, &str)] = &[
        ("name: Ping", "name: Pong", "ROOT/demo/operations/Ping.yaml: name: operation `Pong` must be in a file named `Pong.yaml`"),
        ("summary: Checks the service.", "summary: ' '", "ROOT/demo/operations/Ping.yaml:2:10: summary: must not be empty"),
        ("method: POST", "method: POST\npath: api", "ROOT/demo/operations/Ping.yaml:4:7: path: `api` must start with `/` (or be `{+Name}` alone: the whole path from parameter `Name`)"),
        ("method: POST", "method: POST\nrate_limit:\n  qps: 0", "ROOT/demo/operations/Ping.yaml:5:8: rate_limit.qps: must be at least 1"),
        ("- status: 400", "- status: 200", "ROOT/demo/operations/Ping.yaml:18:11: errors[0].status: 200 is not an HTTP error status (400-599)"),
        ("  code: InputInvalid", "  code: InputInvalid\n- status: 400\n  code: InputInvalid", "ROOT/demo/operations/Ping.yaml:21:9: errors[1].code: error `InputInvalid` with status 400 is listed twice"),
        ("  code: InputInvalid", "  code: ' '", "ROOT/demo/operations/Ping.yaml:19:9: errors[0].code: must not be empty"),
        ("- name: Target", "- name: 'A B'", "ROOT/demo/operations/Ping.yaml:5:9: parameters[0].name: wire name `A B` must be non-empty, without spaces or any of & = # ? /"),
        ("    required: true\n", "    required: true\n- name: Target\n  in: query\n  schema:\n    type: string\n", "ROOT/demo/operations/Ping.yaml:10:9: parameters[1].name: parameter `Target` is listed twice"),
        ("  in: query\n", "  in: query\n  style: json\n", "ROOT/demo/operations/Ping.yaml:7:10: parameters[0].style: style `json` applies to arrays, objects and maps, not `string`"),
        ("  in: query\n", "  in: path\n", "ROOT/demo/operations/Ping.yaml:6:7: parameters[0].in: path parameter `Target` does not appear in path `/` as `{Target}`"),
        ("    type: string\n    required: true", "    type: array\n    required: true", "ROOT/demo/operations/Ping.yaml:8:5: parameters[0].schema.items: missing: an array needs an item type"),
        ("    type: string\n    required: true", "    type: map\n    required: true", "ROOT/demo/operations/Ping.yaml:8:5: parameters[0].schema.values: missing: a map needs a value type"),
        ("    type: string\n    required: true", "    type: string\n    required: true\n    items:\n      type: string", "ROOT/demo/operations/Ping.yaml:11:7: parameters[0].schema.items: only an `array` has items, this is `string`"),
        ("    type: string\n    required: true", "    type: string\n    required: true\n    values:\n      type: string", "ROOT/demo/operations/Ping.yaml:11:7: parameters[0].schema.values: only a `map` has values, this is `string`"),
        ("    type: string\n    required: true", "    type: string\n    required: true\n    properties:\n      A:\n        type: string", "ROOT/demo/operations/Ping.yaml:11:7: parameters[0].schema.properties: only an `object` has properties, this is `string`"),
        ("    type: string\n    required: true", "    required: true", "ROOT/demo/operations/Ping.yaml:8:5: parameters[0].schema.type: missing: give `type` or `$ref`"),
        ("    type: string\n    required: true", "    type: string\n    $ref: Thing\n    required: true", "ROOT/demo/operations/Ping.yaml:8:5: parameters[0].schema: give either `type` or `$ref`, not both"),
        ("    type: string\n    required: true", "    $ref: Thing\n    required: true", "ROOT/demo/operations/Ping.yaml:8:11: parameters[0].schema.$ref: no schema `Thing` in components.yaml"),
        ("    type: string\n    required: true", "    type: boolean\n    required: true\n    enum:\n    - value: x", "ROOT/demo/operations/Ping.yaml:11:5: parameters[0].schema.enum: valid values are for strings and integers, this is `boolean`"),
        ("    type: string\n    required: true", "    type: string\n    required: true\n    enum:\n    - value: x\n    - value: x", "ROOT/demo/operations/Ping.yaml:12:7: parameters[0].schema.enum[1]: value `x` is listed twice"),
        ("    type: string\n    required: true", "    type: int32\n    required: true\n    enum:\n    - value: '9999999999'", "ROOT/demo/operations/Ping.yaml:11:7: parameters[0].schema.enum[0]: `9999999999` is not an int32"),
        ("    type: string\n    required: true", "    type: int32\n    required: true\n    minimum: 5\n    maximum: 1", "ROOT/demo/operations/Ping.yaml:10:14: parameters[0].schema.minimum: minimum 5 is above maximum 1"),
        ("    type: string\n    required: true", "    type: string\n    required: true\n    min_length: 5\n    max_length: 1", "ROOT/demo/operations/Ping.yaml:10:17: parameters[0].schema.min_length: min_length 5 is above max_length 1"),
        ("    type: string\n    required: true", "    type: array\n    items:\n      type: string\n    required: true\n    min_items: 5\n    max_items: 1", "ROOT/demo/operations/Ping.yaml:12:16: parameters[0].schema.min_items: min_items 5 is above max_items 1"),
        ("    type: object\n    properties:", "    type: string\n    properties:", "ROOT/demo/operations/Ping.yaml:12:11: response.schema.type: a response body must be an `object` (in a `roa` product also an `array`, a `string` or `binary`: the whole body)"),
        ("  example: '{\"RequestId\": \"r-1\"}'", "  example: '{\"RequestId\": \"r-1\"}'\n  headers:\n  - name: ETag\n    schema:\n      type: object", "ROOT/demo/operations/Ping.yaml:20:13: response.headers[0].schema.type: a response header is text: `string`, an integer, a number or `boolean`, not `object`"),
        ("  example: '{\"RequestId\": \"r-1\"}'", "  example: '[1]'", "ROOT/demo/operations/Ping.yaml:16:12: response.example: must be a JSON object"),
        ("  example: '{\"RequestId\": \"r-1\"}'", "  example: '{'", "ROOT/demo/operations/Ping.yaml:16:12: response.example: is not valid JSON: EOF while parsing an object at line 1 column 1"),
        ("errors:", "changes:\n- date: July 2024\n  summary: x\nerrors:", "ROOT/demo/operations/Ping.yaml:18:9: changes[0].date: `July 2024` must be a date, YYYY-MM-DD"),
    ];
    for (replace, with, expected) in cases {
        let errors = operation_error(replace, with);
        assert!(
            errors.iter().any(|e| e == expected),
            "expected {expected:?}\n     got {errors:?}"
        );
    }
}

#[test]
fn product_errors_are_reported() {
    let cases: &[(&str, &str, &str)] = &[
        ("product: demo", "product: Demo!", "ROOT/demo/product.yaml:1:10: product: product code `Demo!` must be lowercase letters, digits and `-`"),
        ("version: 2020-01-01", "version: v1", "ROOT/demo/product.yaml:2:10: version: API version `v1` must be a date, YYYY-MM-DD"),
        ("style: rpc", "style: soap", "ROOT/demo/product.yaml:4:8: style: unknown variant `soap`, expected `rpc` or `roa`"),
        ("default: demo.aliyuncs.com", "default: 'http://x/'", "ROOT/demo/product.yaml:7:12: endpoints.default: `http://x/` is not a host name"),
        ("name: demo-client", "name: 1demo", "ROOT/demo/product.yaml:9:9: crate.name: `1demo` is not a valid Cargo package name: it must start with a letter"),
        ("version: 0.1.0", "version: '1.0'", "ROOT/demo/product.yaml:10:12: crate.version: `1.0` is not a semver version (MAJOR.MINOR.PATCH[-PRE][+BUILD]): unexpected end of input while parsing minor version number"),
    ];
    for (replace, with, expected) in cases {
        let errors = diagnostics(
            &DEMO_PRODUCT.replace(replace, with),
            &[("Ping.yaml", DEMO_OPERATION)],
        );
        assert!(
            errors.iter().any(|e| e == expected),
            "expected {expected:?}\n     got {errors:?}"
        );
    }
}

#[test]
fn all_errors_of_a_run_are_reported_together() {
    let errors = diagnostics(
        DEMO_PRODUCT,
        &[
            (
                "Ping.yaml",
                &DEMO_OPERATION.replace("- status: 400", "- status: 200"),
            ),
            ("Pong.yaml", "name: Pong\nsummary: ''\nmethod: GET\n"),
            ("Broken.yaml", "name: [\n"),
        ],
    );
    assert_eq!(errors.len(), 3, "{errors:#?}");
}

#[test]
fn generating_twice_is_byte_identical_and_check_passes() {
    let dir = tempfile::tempdir().unwrap();
    spec_tree(dir.path(), DEMO_PRODUCT, &[("Ping.yaml", DEMO_OPERATION)]);
    let files = read_product_dir(&dir.path().join("demo")).unwrap();
    let first = generate_product(&files).unwrap();
    let second = generate_product(&files).unwrap();
    assert_eq!(first.files, second.files);
    let out = dir.path().join("out/demo");
    let changes = acsgen::write::write_crate(&out, &first.files).unwrap();
    assert_eq!(changes.added.len(), first.files.len());
    assert_eq!(acsgen::cli::check_crate(&out, &second).unwrap(), None);
    let again = acsgen::write::write_crate(&out, &second.files).unwrap();
    assert!(again.is_empty());
    assert_eq!(again.unchanged, first.files.len());
}

#[test]
fn writer_removes_only_stale_generated_files() {
    let dir = tempfile::tempdir().unwrap();
    spec_tree(
        dir.path(),
        DEMO_PRODUCT,
        &[
            ("Ping.yaml", DEMO_OPERATION),
            (
                "Pong.yaml",
                &DEMO_OPERATION.replace("name: Ping", "name: Pong"),
            ),
        ],
    );
    let out = dir.path().join("out/demo");
    let both = generate_product(&read_product_dir(&dir.path().join("demo")).unwrap()).unwrap();
    acsgen::write::write_crate(&out, &both.files).unwrap();
    fs::write(out.join("src/operations/notes.rs"), "// hand-written\n").unwrap();
    fs::remove_file(dir.path().join("demo/operations/Pong.yaml")).unwrap();
    let one = generate_product(&read_product_dir(&dir.path().join("demo")).unwrap()).unwrap();
    let changes = acsgen::write::write_crate(&out, &one.files).unwrap();
    assert_eq!(changes.removed, vec!["src/operations/pong.rs".to_owned()]);
    assert!(
        out.join("src/operations/notes.rs").exists(),
        "hand-written file kept"
    );
    assert!(!out.join("src/operations/pong.rs").exists());
}

#[test]
fn failed_generation_leaves_output_untouched() {
    let dir = tempfile::tempdir().unwrap();
    spec_tree(dir.path(), DEMO_PRODUCT, &[("Ping.yaml", DEMO_OPERATION)]);
    let out = dir.path().join("out");
    let bin = env!("CARGO_BIN_EXE_acsgen");
    let run = |args: &[&str]| {
        std::process::Command::new(bin)
            .args(args)
            .arg("--spec")
            .arg(dir.path())
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap()
    };
    assert!(run(&["generate"]).status.success());
    let before = acsgen::write::read_generated(&out.join("demo")).unwrap();
    fs::write(
        dir.path().join("demo/operations/Ping.yaml"),
        DEMO_OPERATION.replace("- status: 400", "- status: 200"),
    )
    .unwrap();
    let failed = run(&["generate"]);
    assert_eq!(failed.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(
        stderr.contains("errors[0].status: 200 is not an HTTP error status"),
        "{stderr}"
    );
    assert_eq!(
        acsgen::write::read_generated(&out.join("demo")).unwrap(),
        before
    );
}

#[test]
fn check_names_the_cause_of_drift() {
    let dir = tempfile::tempdir().unwrap();
    spec_tree(dir.path(), DEMO_PRODUCT, &[("Ping.yaml", DEMO_OPERATION)]);
    let out = dir.path().join("out");
    let bin = env!("CARGO_BIN_EXE_acsgen");
    let run = |command: &str| {
        std::process::Command::new(bin)
            .arg(command)
            .arg("--spec")
            .arg(dir.path())
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap()
    };
    assert!(run("generate").status.success());
    assert!(run("check").status.success());

    // Hand edit.
    let file = out.join("demo/src/operations/ping.rs");
    let original = fs::read_to_string(&file).unwrap();
    fs::write(&file, original.replace("Checks the service.", "Edited.")).unwrap();
    let edited = run("check");
    assert_eq!(edited.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&edited.stdout);
    assert!(
        stdout.contains("cause: generated files were edited by hand"),
        "{stdout}"
    );
    assert!(
        stdout.contains("-//! Edited."),
        "unified diff shown: {stdout}"
    );
    assert!(stdout.contains("src/operations/ping.rs"), "{stdout}");
    assert!(run("generate").status.success());

    // Spec change.
    fs::write(
        dir.path().join("demo/operations/Ping.yaml"),
        DEMO_OPERATION.replace("Checks the service.", "Pings the service."),
    )
    .unwrap();
    let changed = run("check");
    assert_eq!(changed.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&changed.stdout);
    assert!(stdout.contains("cause: the spec changed"), "{stdout}");
    assert!(!stdout.contains("edited by hand"), "{stdout}");
}

#[test]
fn one_parameter_change_touches_one_operation_file_and_the_lock() {
    let dir = tempfile::tempdir().unwrap();
    let pong = DEMO_OPERATION.replace("name: Ping", "name: Pong");
    spec_tree(
        dir.path(),
        DEMO_PRODUCT,
        &[("Ping.yaml", DEMO_OPERATION), ("Pong.yaml", &pong)],
    );
    let product = dir.path().join("demo");
    let before = generate_product(&read_product_dir(&product).unwrap()).unwrap();
    fs::write(
        product.join("operations/Pong.yaml"),
        pong.replace(
            "    required: true\n",
            "    required: true\n    description: The host to reach.\n",
        ),
    )
    .unwrap();
    let after = generate_product(&read_product_dir(&product).unwrap()).unwrap();
    let changes = acsgen::write::compare(&before.files, &after.files);
    assert_eq!(
        changes.modified,
        vec!["acsgen.lock", "src/operations/pong.rs"]
    );
    assert!(changes.added.is_empty() && changes.removed.is_empty());
    let lock_diff: Vec<_> = before.files["acsgen.lock"]
        .lines()
        .zip(after.files["acsgen.lock"].lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(
        lock_diff.len(),
        1,
        "only the spec digest line changes: {lock_diff:?}"
    );
}

#[test]
fn generate_appends_the_change_report_to_the_changelog() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    let git = |args: &[&str]| support::git(repo, args);

    git(&["init", "-q"]);
    spec_tree(
        &repo.join("spec"),
        DEMO_PRODUCT,
        &[("Ping.yaml", DEMO_OPERATION)],
    );
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "spec"]);
    fs::write(
        repo.join("spec/demo/operations/Ping.yaml"),
        DEMO_OPERATION.replace(
            "response:",
            "- name: Verbose\n  in: query\n  schema:\n    type: boolean\nresponse:",
        ),
    )
    .unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_acsgen"))
        .args(["generate", "--changelog-base", "HEAD"])
        .current_dir(repo)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let changelog = fs::read_to_string(repo.join("generated/demo/CHANGELOG.md")).unwrap();
    assert!(changelog.starts_with("# Changelog\n"), "{changelog}");
    assert!(changelog.contains("## 0.1.0"), "{changelog}");
    assert!(changelog.contains("Verbose"), "{changelog}");
    // The changelog is not generated code: check ignores it.
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_acsgen"))
        .arg("check")
        .current_dir(repo)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}

#[test]
fn generate_reuses_only_files_whose_input_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let pong = DEMO_OPERATION.replace("name: Ping", "name: Pong");
    spec_tree(
        dir.path(),
        DEMO_PRODUCT,
        &[("Ping.yaml", DEMO_OPERATION), ("Pong.yaml", &pong)],
    );
    let files = read_product_dir(&dir.path().join("demo")).unwrap();
    let fresh = generate_product(&files).unwrap();
    // A previous output whose Ping file was tampered with but kept its key:
    // reuse must copy it (proving reuse happened), while Pong is formatted anew.
    let mut previous = fresh.files.clone();
    let ping = "src/operations/ping.rs".to_owned();
    previous.insert(
        ping.clone(),
        previous[&ping].replace("Checks the service.", "REUSED"),
    );
    previous.insert(
        "src/operations/pong.rs".into(),
        "// @generated by acsgen\n// acsgen-input: 0000\n".into(),
    );
    let reused =
        acsgen::generate::generate_product_reusing(&files, &Default::default(), Some(&previous))
            .unwrap();
    assert!(reused.files[&ping].contains("REUSED"));
    assert_eq!(
        reused.files["src/operations/pong.rs"],
        fresh.files["src/operations/pong.rs"]
    );
    // Through the CLI, a hand edit makes the whole crate untrusted: generate
    // formats everything again and the edit is gone.
    let out = dir.path().join("out");
    let run = |command: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_acsgen"))
            .args([command, "--spec"])
            .arg(dir.path())
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap()
    };
    assert!(run("generate").status.success());
    let file = out.join("demo/src/operations/ping.rs");
    let original = fs::read_to_string(&file).unwrap();
    fs::write(
        &file,
        original.replace("Checks the service.", "Edited by hand."),
    )
    .unwrap();
    assert!(run("generate").status.success());
    assert_eq!(fs::read_to_string(&file).unwrap(), original);
    assert!(run("check").status.success());
}
