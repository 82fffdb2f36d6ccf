//! `acsgen import` and the edition diff on the committed metadata fixture
//! (`tests/fixtures/metadata`, see its README.md): what the `#[ignore]`d
//! tests on `../shared/metadata` check (`import_products.rs`,
//! `import_behaviour.rs`, `diff_live.rs`), in miniature, so that a fresh
//! clone runs it. Every expected fact below is in the fixture's JSON.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use acsgen::diff::{compare, render_text, Impact, Kind, Part, RenderOptions, Report};
use acsgen::exit::Exit;
use acsgen::import::{import, ImportReport, Prose};
use acsgen::spec::{Location, Operation, ParamStyle, ProductSpec, RateLimit, RateLimitScope, Type};
use acsgen::{load, validate};

use support::fixture_api_docs as api_docs;

const LIVE_2024: [&str; 6] = [
    "AddCasterVideoResource",
    "AddLiveDomainMapping",
    "AllowPushStream",
    "CreateLiveStreamMonitor",
    "DescribeLiveStreamsOnlineList",
    "UnTagLiveResources",
];
const LIVE_2025: [&str; 6] = [
    "AddCasterVideoResource",
    "AddLiveDomainMapping",
    "CreateLiveStreamMonitor",
    "DescribeLiveStreamsOnlineList",
    "RecoverLiveMessageDeletedGroup",
    "UnTagLiveResources",
];
const CMS_2024: [&str; 3] = ["CreateSiteMonitor", "Cursor", "OpenCmsService"];
const CMS_2025: [&str; 3] = ["CreateSiteMonitor", "Cursor", "DescribeSyntheticProbeList"];

/// Import the fixture's `product`: `edition` alone, or the 2025-12 edition
/// filled from 2024-06 when `edition` is `merged`.
fn import_fixture(product: &str, edition: &str, out: &Path, prose: Prose) -> ImportReport {
    let opts = match edition {
        "merged" => support::import_options(
            api_docs("2025-12", product),
            Some(api_docs("2024-06", product)),
            out,
            prose,
        ),
        _ => support::import_options(api_docs(edition, product), None, out, prose),
    };
    import(&opts).unwrap_or_else(|e| panic!("import {product} {edition}: {e}"))
}

fn load_and_validate(dir: &Path) -> ProductSpec {
    let (files, spec) =
        load::load_product(dir).unwrap_or_else(|d| panic!("{} does not load:\n{d}", dir.display()));
    if let Err(d) = validate::validate(&files, &spec) {
        panic!("{} does not validate:\n{d}", dir.display());
    }
    spec
}

fn op<'s>(spec: &'s ProductSpec, name: &str) -> &'s Operation {
    spec.operations
        .iter()
        .find(|o| o.name == name)
        .unwrap_or_else(|| panic!("{}: no operation {name}", spec.dir_name))
}

fn names(spec: &ProductSpec) -> Vec<&str> {
    spec.operations.iter().map(|o| o.name.as_str()).collect()
}

fn param_names(op: &Operation) -> Vec<&str> {
    op.parameters.iter().map(|p| p.name.as_str()).collect()
}

fn enum_values(op: &Operation, parameter: &str) -> Vec<String> {
    op.parameters
        .iter()
        .find(|p| p.name == parameter)
        .unwrap_or_else(|| panic!("{}: no parameter {parameter}", op.name))
        .schema
        .enumeration
        .iter()
        .map(|v| v.value.clone())
        .collect()
}

fn acsgen(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_acsgen"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run acsgen")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn assert_exit(output: &Output, exit: Exit, what: &str) {
    assert_eq!(
        output.status.code(),
        Some(i32::from(exit.code())),
        "{what}\nstdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn has_line(text: &str, line: &str) -> bool {
    text.lines().any(|l| l.trim_end() == line)
}

/// The fixture is ours to commit: no Chinese text (Alibaba's prose is
/// Chinese), only short prose, and the layout the loaders expect.
#[test]
fn fixture_holds_facts_and_no_metadata_prose() {
    fn cjk(c: char) -> bool {
        matches!(c, '\u{2E80}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{FF00}'..='\u{FFEF}')
    }
    /// Every prose string: summaries, descriptions, titles, error messages
    /// and valid-value titles.
    fn prose<'v>(value: &'v serde_json::Value, out: &mut Vec<&'v str>) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, v) in map {
                    match (key.as_str(), v) {
                        (
                            "summary" | "description" | "title" | "errorMessage",
                            serde_json::Value::String(text),
                        ) => out.push(text),
                        ("enumValueTitles", serde_json::Value::Object(titles)) => {
                            out.extend(titles.values().filter_map(|t| t.as_str()));
                        }
                        _ => prose(v, out),
                    }
                }
            }
            serde_json::Value::Array(list) => list.iter().for_each(|v| prose(v, out)),
            _ => {}
        }
    }
    let mut files = 0;
    for edition in ["2024-06", "2025-12"] {
        for product in ["live", "cms"] {
            let path = api_docs(edition, product);
            let text = fs::read_to_string(&path).unwrap();
            assert!(text.len() < 40_000, "{} is not small", path.display());
            assert!(
                !text.chars().any(cjk),
                "{} holds CJK text (Alibaba's prose?)",
                path.display()
            );
            let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(doc["info"]["style"], "RPC");
            let code = doc["info"]["product"].as_str().unwrap();
            assert_eq!(code.to_ascii_lowercase(), product);
            assert!(doc.get("directories").is_none());
            let mut sentences = Vec::new();
            prose(&doc, &mut sentences);
            if edition == "2025-12" {
                assert!(sentences.is_empty(), "{}: {sentences:?}", path.display());
            } else {
                assert!(
                    sentences.len() > 20,
                    "{}: our prose is gone",
                    path.display()
                );
            }
            for sentence in sentences {
                assert!(
                    sentence.len() <= 100 && sentence.ends_with('.'),
                    "{}: not a short sentence of ours: {sentence:?}",
                    path.display()
                );
            }
            files += 1;
        }
    }
    assert_eq!(files, 4);
}

/// Each product in each edition, and merged (with and without prose):
/// imports with nothing skipped, the expected operations, and a spec that
/// loads and validates.
#[test]
fn each_product_and_edition_imports_with_the_expected_operations() {
    let expected: [(&str, &str, &[&str]); 6] = [
        ("live", "2024-06", &LIVE_2024),
        ("live", "2025-12", &LIVE_2025),
        ("live", "merged", &LIVE_2025),
        ("cms", "2024-06", &CMS_2024),
        ("cms", "2025-12", &CMS_2025),
        ("cms", "merged", &CMS_2025),
    ];
    for (product, edition, operations) in expected {
        for prose in [Prose::Metadata, Prose::None] {
            let out = tempfile::tempdir().unwrap();
            let report = import_fixture(product, edition, out.path(), prose);
            assert_eq!(report.product, product);
            assert!(
                report.skipped.is_empty(),
                "{product} {edition}: {:?}",
                report.skipped
            );
            assert!(report.removed.is_empty());
            let spec = load_and_validate(&out.path().join(product));
            assert_eq!(names(&spec), operations, "{product} {edition}");
            assert_eq!(spec.product.version, api_version(product));
            assert_eq!(spec.product.krate.name, format!("alibabacloud-{product}"));
            // Every operation file and product.yaml, plus components.yaml for cms.
            let files = operations.len() + 1 + usize::from(product == "cms");
            assert_eq!(report.written.len(), files, "{product} {edition}");
            for op in &spec.operations {
                assert!(!op.summary.is_empty(), "{}", op.name);
                if prose == Prose::None || edition == "2025-12" {
                    assert_eq!(op.summary, format!("Calls the {} operation.", op.name));
                    assert!(op.description.is_empty(), "{}", op.name);
                }
            }
        }
    }
}

fn api_version(product: &str) -> &'static str {
    match product {
        "live" => "2016-11-01",
        _ => "2019-01-01",
    }
}

/// Facts of the full edition: rate limits stated in the description,
/// read-only operations, nested responses and samples, error codes, valid
/// values, styles and limits, deprecation, component references.
#[test]
fn the_full_edition_carries_its_facts() {
    let out = tempfile::tempdir().unwrap();
    import_fixture("live", "2024-06", out.path(), Prose::Metadata);
    import_fixture("cms", "2024-06", out.path(), Prose::Metadata);
    let live = load_and_validate(&out.path().join("live"));
    let cms = load_and_validate(&out.path().join("cms"));

    let mapping = op(&live, "AddLiveDomainMapping");
    assert_eq!(
        mapping.summary,
        "Maps a playback domain to an ingest domain."
    );
    assert_eq!(
        mapping.rate_limit,
        Some(RateLimit {
            qps: 30,
            scope: RateLimitScope::User
        })
    );
    assert!(!mapping.read_only);
    assert_eq!(param_names(mapping), ["PushDomain", "PullDomain"]);
    assert!(mapping.parameters.iter().all(|p| p.schema.required));
    assert_eq!(
        mapping.parameters[0].schema.example.as_deref(),
        Some("demo.aliyundoc.com")
    );
    let codes: Vec<(u16, &str)> = mapping
        .errors
        .iter()
        .map(|e| (e.status, e.code.as_str()))
        .collect();
    assert_eq!(
        codes,
        [(400, "InvalidPushDomain"), (400, "InvalidPullDomain")]
    );
    assert_eq!(mapping.errors[0].message, "Invalid push domain.");

    // Read-only (operationType `get` and a read verb), a per-minute limit
    // that is no per-second number, valid values, a nested response.
    let online = op(&live, "DescribeLiveStreamsOnlineList");
    assert!(online.read_only);
    assert_eq!(online.rate_limit, None);
    assert_eq!(enum_values(online, "StreamType"), ["all", "raw", "trans"]);
    assert_eq!(online.parameters[4].name, "PageSize");
    assert_eq!(online.parameters[4].schema.ty, Some(Type::Int32));
    assert_eq!(online.parameters[4].schema.default.as_deref(), Some("2000"));
    let response = online.response.as_ref().expect("a response");
    let streams = &response.schema.properties["OnlineInfo"].properties["LiveStreamOnlineInfo"];
    assert_eq!(streams.ty, Some(Type::Array));
    let item = streams.items.as_ref().expect("items");
    assert_eq!(item.ty, Some(Type::Object));
    assert_eq!(item.properties["FrameRate"].ty, Some(Type::Int32));
    assert!(item.properties.contains_key("PublishUrl"));
    let sample: serde_json::Value =
        serde_json::from_str(response.example.as_deref().expect("a sample")).unwrap();
    assert!(sample["OnlineInfo"]["LiveStreamOnlineInfo"][0]["PublishUrl"].is_string());
    assert_eq!(online.errors.len(), 5);

    // `get` tagged, but the verb does not read: not read-only (a warning).
    let untag = op(&live, "UnTagLiveResources");
    assert!(!untag.read_only);
    assert_eq!(enum_values(untag, "ResourceType"), ["DOMAIN"]);
    assert_eq!(untag.parameters[0].style, Some(ParamStyle::RepeatList));
    assert_eq!(untag.parameters[0].schema.max_items, Some(51));
    assert_eq!(
        untag.parameters[0].schema.items.as_ref().unwrap().ty,
        Some(Type::String)
    );
    assert_eq!(op(&live, "AddCasterVideoResource").errors.len(), 13);
    let monitor = op(&live, "CreateLiveStreamMonitor");
    assert!(
        !monitor
            .parameters
            .iter()
            .find(|p| p.name == "InputList")
            .unwrap()
            .schema
            .required
    );

    // cms: a JSON body parameter whose items refer to a component.
    assert!(cms.components.schemas.contains_key("Matcher"));
    let cursor = op(&cms, "Cursor");
    let matchers = cursor
        .parameters
        .iter()
        .find(|p| p.name == "Matchers")
        .unwrap();
    assert_eq!(matchers.location, Location::Body);
    assert_eq!(matchers.style, Some(ParamStyle::Json));
    assert_eq!(
        matchers.schema.items.as_ref().unwrap().reference.as_deref(),
        Some("Matcher")
    );
    assert!(op(&cms, "OpenCmsService").deprecated.is_some());
    assert!(op(&cms, "CreateSiteMonitor").errors.len() > 10);
}

/// `--older`: parameters come from the newer edition; prose, rate limits,
/// responses, samples, error codes and valid-value prose from the older.
#[test]
fn older_fills_what_the_newer_edition_lacks() {
    let out = tempfile::tempdir().unwrap();
    import_fixture("live", "merged", out.path(), Prose::Metadata);
    import_fixture("cms", "merged", out.path(), Prose::Metadata);
    let live = load_and_validate(&out.path().join("live"));
    let cms = load_and_validate(&out.path().join("cms"));
    let bare = tempfile::tempdir().unwrap();
    import_fixture("live", "2025-12", bare.path(), Prose::Metadata);
    let bare = load_and_validate(&bare.path().join("live"));

    let mapping = op(&live, "AddLiveDomainMapping");
    assert_eq!(
        mapping.summary,
        "Maps a playback domain to an ingest domain."
    );
    assert_eq!(mapping.parameters[0].schema.description, "The push domain.");
    assert_eq!(mapping.rate_limit.as_ref().map(|r| r.qps), Some(30));
    assert_eq!(mapping.errors.len(), 2);
    assert!(mapping.response.is_some());
    assert!(op(&bare, "AddLiveDomainMapping").response.is_none());
    assert!(op(&bare, "AddLiveDomainMapping").errors.is_empty());

    // Parameters are the newer edition's.
    let caster = op(&live, "AddCasterVideoResource");
    assert_eq!(caster.parameters[0].name, "RegionId");
    assert!(!param_names(caster).contains(&"StreamId"));
    assert_eq!(caster.parameters.len(), 14);
    assert_eq!(caster.errors.len(), 13, "errors from the older edition");
    assert!(caster.response.as_ref().unwrap().example.is_some());
    let monitor = op(&live, "CreateLiveStreamMonitor");
    let input_list = monitor
        .parameters
        .iter()
        .find(|p| p.name == "InputList")
        .unwrap();
    assert!(input_list.schema.required, "required in 2025-12");
    assert_eq!(input_list.schema.description, "The input list.");

    // The newer valid values, with the older prose where the value existed.
    let untag = op(&live, "UnTagLiveResources");
    let resource_type = &untag
        .parameters
        .iter()
        .find(|p| p.name == "ResourceType")
        .unwrap()
        .schema;
    let values: Vec<(&str, &str)> = resource_type
        .enumeration
        .iter()
        .map(|v| (v.value.as_str(), v.description.as_str()))
        .collect();
    assert_eq!(
        values,
        [("DOMAIN", "A domain."), ("domain", ""), ("Domain", "")]
    );
    // read_only from the older edition's operationType (the newer has none).
    assert!(op(&live, "DescribeLiveStreamsOnlineList").read_only);

    // New in the newer edition: facts only.
    let recover = op(&live, "RecoverLiveMessageDeletedGroup");
    assert_eq!(param_names(recover), ["AppId", "GroupId", "DataCenter"]);
    assert!(recover.parameters[0].schema.required && !recover.parameters[2].schema.required);
    assert_eq!(
        recover.summary,
        "Calls the RecoverLiveMessageDeletedGroup operation."
    );
    assert!(recover.response.is_none() && recover.errors.is_empty());

    let site = op(&cms, "CreateSiteMonitor");
    assert!(param_names(site).contains(&"AgentGroup"));
    assert!(param_names(site).contains(&"VpcConfig"));
    assert_eq!(site.summary, "Creates a site monitoring task.");
    assert!(site.response.is_some());
    assert!(cms.components.schemas.contains_key("Matcher"));
}

/// Re-importing over the older edition's import rewrites only what changed,
/// removes the operations the newer edition dropped, and a second run
/// writes nothing.
#[test]
fn import_over_the_older_edition_changes_only_changed_operations() {
    let out = tempfile::tempdir().unwrap();
    for product in ["live", "cms"] {
        import_fixture(product, "2024-06", out.path(), Prose::Metadata);
    }
    let before = support::snapshot(out.path());
    let live = import_fixture("live", "merged", out.path(), Prose::Metadata);
    let cms = import_fixture("cms", "merged", out.path(), Prose::Metadata);
    let after = support::snapshot(out.path());

    let path = |product: &str, name: &str| {
        out.path()
            .join(product)
            .join("operations")
            .join(format!("{name}.yaml"))
    };
    let written = |report: &ImportReport| -> Vec<String> {
        let mut names: Vec<String> = report
            .written
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    assert_eq!(
        written(&live),
        [
            "AddCasterVideoResource.yaml",
            "CreateLiveStreamMonitor.yaml",
            "DescribeLiveStreamsOnlineList.yaml",
            "RecoverLiveMessageDeletedGroup.yaml",
            "UnTagLiveResources.yaml",
            "product.yaml",
        ]
    );
    assert_eq!(live.removed, [path("live", "AllowPushStream")]);
    assert_eq!(
        written(&cms),
        [
            "CreateSiteMonitor.yaml",
            "DescribeSyntheticProbeList.yaml",
            "product.yaml"
        ]
    );
    assert_eq!(cms.removed, [path("cms", "OpenCmsService")]);
    // Unchanged between the editions: the same bytes, not rewritten.
    for (product, name) in [("live", "AddLiveDomainMapping"), ("cms", "Cursor")] {
        let file = path(product, name);
        assert_eq!(before.get(&file), after.get(&file), "{name}");
    }
    assert_eq!(
        live.unchanged + cms.unchanged,
        3,
        "two operations and components.yaml"
    );
    for (file, bytes) in &after {
        let reported = live.written.contains(file) || cms.written.contains(file);
        assert_eq!(
            reported,
            before.get(file) != Some(bytes),
            "{} changed unreported or rewritten unchanged",
            file.display()
        );
    }
    assert!(!after.contains_key(&path("live", "AllowPushStream")));

    // The same import again: byte-identical, nothing written.
    let again = import_fixture("live", "merged", out.path(), Prose::Metadata);
    assert!(again.written.is_empty(), "rewrote {:?}", again.written);
    assert!(again.removed.is_empty());
    assert_eq!(support::snapshot(out.path()), after);
}

/// The report names each warning with its operation and field, on the
/// command line too, and says which came from the older edition.
#[test]
fn the_import_report_lists_warnings() {
    let out = tempfile::tempdir().unwrap();
    let report = import_fixture("live", "2024-06", out.path(), Prose::Metadata);
    assert_eq!(
        report.warnings,
        [
            "AllowPushStream: read_only: operationType `get` says read, but the name does not; not marked read_only",
            "UnTagLiveResources: read_only: operationType `get` says read, but the name does not; not marked read_only",
        ]
    );

    let dir = tempfile::tempdir().unwrap();
    let new = api_docs("2025-12", "cms");
    let old = api_docs("2024-06", "cms");
    let output = acsgen(
        dir.path(),
        &[
            "import",
            "--input",
            new.to_str().unwrap(),
            "--older",
            old.to_str().unwrap(),
            "--out",
            "spec",
        ],
    );
    assert_exit(&output, Exit::Ok, "import cms --older");
    let text = stdout(&output);
    assert!(
        text.starts_with(
            "import cms: 5 file(s) written, 0 unchanged, 0 removed, 0 operation(s) skipped, 1 warning(s)"
        ),
        "{text}"
    );
    assert!(
        has_line(&text, "  wrote spec/cms/components.yaml"),
        "{text}"
    );
    assert!(has_line(&text, "warnings:"), "{text}");
    assert!(
        has_line(
            &text,
            "  Cursor: read_only: operationType `list`/`read` says read, but the name does not; \
             not marked read_only (older edition)"
        ),
        "{text}"
    );
    load_and_validate(&dir.path().join("spec/cms"));
}

/// `--filter` writes only the matching operations and removes nothing.
#[test]
fn a_filtered_import_writes_only_matching_operations() {
    let out = tempfile::tempdir().unwrap();
    import_fixture("live", "2024-06", out.path(), Prose::Metadata);
    let mut opts = support::import_options(
        api_docs("2025-12", "live"),
        Some(api_docs("2024-06", "live")),
        out.path(),
        Prose::Metadata,
    );
    opts.filters = vec!["Recover*".to_owned(), "*Caster*".to_owned()];
    let report = import(&opts).unwrap();
    let ops = out.path().join("live/operations");
    assert!(report.removed.is_empty());
    assert!(ops.join("AllowPushStream.yaml").exists(), "nothing removed");
    assert!(ops.join("RecoverLiveMessageDeletedGroup.yaml").exists());
    let written: Vec<&Path> = report.written.iter().map(PathBuf::as_path).collect();
    assert!(written.contains(&ops.join("AddCasterVideoResource.yaml").as_path()));
    assert!(!written.contains(&ops.join("UnTagLiveResources.yaml").as_path()));
    load_and_validate(&out.path().join("live"));
}

/// The imported fixture generates (both products, with the CLI), `check`
/// then finds it up to date, and generating again changes nothing.
#[test]
fn the_imported_fixture_generates_and_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    for product in ["live", "cms"] {
        import_fixture(product, "merged", &dir.path().join("spec"), Prose::Metadata);
    }
    let output = acsgen(dir.path(), &["generate"]);
    assert_exit(&output, Exit::Ok, "generate");
    let text = stdout(&output);
    for product in ["live", "cms"] {
        let prefix = format!("generated/{product}: ");
        assert!(
            text.lines().any(|l| l.starts_with(&prefix)
                && l.ends_with(" added, 0 modified, 0 removed, 0 unchanged")),
            "{text}"
        );
    }
    let output = acsgen(dir.path(), &["check"]);
    assert_exit(&output, Exit::Ok, "check after generate");
    let text = stdout(&output);
    assert!(has_line(&text, "generated/live: up to date"), "{text}");
    assert!(has_line(&text, "generated/cms: up to date"), "{text}");
    let before = support::snapshot(&dir.path().join("generated"));
    let output = acsgen(dir.path(), &["generate"]);
    assert_exit(&output, Exit::Ok, "generate again");
    let text = stdout(&output);
    for product in ["live", "cms"] {
        let prefix = format!("generated/{product}: 0 added, 0 modified, 0 removed, ");
        assert!(text.lines().any(|l| l.starts_with(&prefix)), "{text}");
    }
    assert_eq!(support::snapshot(&dir.path().join("generated")), before);
    let operations = dir.path().join("generated/live/src/operations");
    for name in [
        "recover_live_message_deleted_group.rs",
        "describe_live_streams_online_list.rs",
    ] {
        assert!(operations.join(name).is_file(), "{name}");
    }
}

/// The crates generated from the imported fixture compile, pass clippy and
/// rustdoc with warnings denied, and their tests pass (each operation's
/// example, and the decoding of each sample body from the metadata):
/// real metadata shapes, in a fresh clone.
#[test]
fn the_imported_fixture_crates_compile_and_pass_their_tests() {
    let dir = tempfile::tempdir().unwrap();
    let mut samples = 0;
    let crates: Vec<_> = ["live", "cms"]
        .into_iter()
        .map(|product| {
            import_fixture(product, "merged", dir.path(), Prose::Metadata);
            let spec = load_and_validate(&dir.path().join(product));
            samples += spec
                .operations
                .iter()
                .filter(|o| o.response.as_ref().is_some_and(|r| r.example.is_some()))
                .count();
            support::generate_for_check(&dir.path().join(product))
        })
        .collect();
    assert_eq!(samples, 7, "5 live and 2 cms operations have a sample body");
    support::cargo_check("import_fixture", &crates, true);
    let results = support::cargo_test_results(
        "import_fixture",
        &["--workspace", "--no-fail-fast"],
        "the imported fixture crates' tests failed",
    );
    let passed: usize = results.iter().map(|r| r.0).sum();
    let doctests: usize = crates.iter().map(support::own_doctests).sum();
    assert!(
        passed >= doctests + samples,
        "{passed} tests passed, expected at least {doctests} examples and {samples} samples: {results:?}"
    );
}

fn import_alone(edition: &str, product: &str, out: &Path) -> ProductSpec {
    import_fixture(product, edition, out, Prose::None);
    load_and_validate(&out.join(product))
}

fn change_impact(report: &Report, operation: &str, path: &str, kind: Kind) -> Option<Impact> {
    report
        .operation(operation)
        .unwrap_or_else(|| panic!("{operation} has no changes"))
        .changes
        .iter()
        .find(|c| c.path == path && c.kind == kind)
        .map(|c| c.impact)
}

/// The diff between the two editions, each imported alone, reports the
/// changes the fixture holds, classified, and prints them readably.
#[test]
fn the_diff_between_editions_reports_the_changes() {
    let dir = tempfile::tempdir().unwrap();
    let old = import_alone("2024-06", "live", &dir.path().join("old"));
    let new = import_alone("2025-12", "live", &dir.path().join("new"));
    let report = compare(&old, &new);
    assert!(report.is_breaking());
    assert_eq!(
        report.operations_with(Kind::Added),
        ["RecoverLiveMessageDeletedGroup"]
    );
    assert_eq!(report.operations_with(Kind::Removed), ["AllowPushStream"]);
    assert_eq!(
        change_impact(&report, "AddCasterVideoResource", "StreamId", Kind::Removed),
        Some(Impact::Breaking)
    );
    let required = report
        .operation("CreateLiveStreamMonitor")
        .unwrap()
        .changes
        .iter()
        .find(|c| c.path == "InputList" && c.kind == Kind::Required)
        .expect("InputList required flag");
    assert_eq!(required.new.as_deref(), Some("required"));
    assert_eq!(required.impact, Impact::Breaking);
    let values: Vec<(Kind, Option<&str>)> = report
        .operation("UnTagLiveResources")
        .unwrap()
        .changes
        .iter()
        .filter(|c| c.path == "ResourceType")
        .map(|c| (c.kind, c.new.as_deref()))
        .collect();
    assert_eq!(
        values,
        [
            (Kind::EnumValueAdded, Some("Domain")),
            (Kind::EnumValueAdded, Some("domain"))
        ]
    );
    for operation in [
        "AddCasterVideoResource",
        "CreateLiveStreamMonitor",
        "DescribeLiveStreamsOnlineList",
        "UnTagLiveResources",
    ] {
        assert_eq!(
            change_impact(&report, operation, "RegionId", Kind::Added),
            Some(Impact::Compatible),
            "{operation}"
        );
    }
    assert!(
        report.operation("AddLiveDomainMapping").is_none_or(|o| o
            .changes
            .iter()
            .all(|c| matches!(c.part, Part::Response | Part::Errors | Part::Operation))),
        "AddLiveDomainMapping has the same parameters in both editions"
    );
    // The 2025-12 edition describes no response and no error codes.
    let removed = |part: Part| {
        report
            .changes()
            .filter(|(_, c)| c.part == part && c.kind == Kind::Removed)
            .count()
    };
    assert_eq!(removed(Part::Response), 5);
    assert_eq!(removed(Part::Errors), 5);

    let text = render_text(&report, RenderOptions::default());
    for line in [
        "Operations added (1, compatible: new types and client methods):",
        "  RecoverLiveMessageDeletedGroup",
        "Operations removed (1, BREAKING: their types and client methods are gone):",
        "  AllowPushStream",
    ] {
        assert!(has_line(&text, line), "missing {line:?} in\n{text}");
    }
    assert!(
        text.contains("4 operations: parameter `RegionId` added (optional string)"),
        "{text}"
    );
    assert_eq!(text.matches("`RegionId`").count(), 1, "{text}");
    assert!(
        text.contains("BREAKING    parameter `StreamId` removed (was optional string)"),
        "{text}"
    );
    assert!(
        text.contains("BREAKING    parameter `InputList` now required"),
        "{text}"
    );

    let old = import_alone("2024-06", "cms", &dir.path().join("old"));
    let new = import_alone("2025-12", "cms", &dir.path().join("new"));
    let report = compare(&old, &new);
    assert_eq!(
        report.operations_with(Kind::Added),
        ["DescribeSyntheticProbeList"]
    );
    assert_eq!(report.operations_with(Kind::Removed), ["OpenCmsService"]);
    for name in ["AgentGroup", "VpcConfig"] {
        assert_eq!(
            change_impact(&report, "CreateSiteMonitor", name, Kind::Added),
            Some(Impact::Compatible),
            "{name}"
        );
    }
}
