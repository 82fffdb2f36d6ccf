//! `acsgen import` on the real metadata: every RPC product, in each edition
//! and merged, must load and validate; other styles are refused.

mod support;

use std::fs;
use std::path::{Path, PathBuf};

use acsgen::exit::{Exit, Failure};
use acsgen::import::{convert, import, ImportError, Prose};
use acsgen::{load, validate};

/// `<root>/<edition>/<product>/<version>/api-docs.json` (one version per product).
fn api_docs(root: &Path, edition: &str, product: &str) -> PathBuf {
    let dir = root.join(edition).join(product);
    let version = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.join("api-docs.json").is_file())
        .unwrap_or_else(|| panic!("no api-docs.json below {}", dir.display()));
    version.join("api-docs.json")
}

fn read_json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&fs::read(path).unwrap()).unwrap()
}

fn operation_count(input: &Path) -> usize {
    read_json(input)["apis"].as_object().unwrap().len()
}

/// Load and validate `<out>/<product>` exactly as the generator will.
fn load_and_validate(dir: &Path) -> acsgen::spec::ProductSpec {
    let (files, spec) =
        load::load_product(dir).unwrap_or_else(|d| panic!("{} does not load:\n{d}", dir.display()));
    if let Err(d) = validate::validate(&files, &spec) {
        panic!("{} does not validate:\n{d}", dir.display());
    }
    spec
}

/// Each edition alone, merged, and merged without prose: all load and validate.
fn check_product(product: &str) {
    let root = support::metadata_dir();
    let old = api_docs(&root, "2024-06", product);
    let new = api_docs(&root, "2025-12", product);
    let runs = [
        ("2024", old.clone(), None, Prose::Metadata),
        ("2025", new.clone(), None, Prose::Metadata),
        ("merged", new.clone(), Some(old.clone()), Prose::Metadata),
        ("merged-none", new.clone(), Some(old.clone()), Prose::None),
    ];
    for (label, input, older, prose) in runs {
        let out = tempfile::tempdir().unwrap();
        let opts = support::import_options(input.clone(), older, out.path(), prose);
        let report = import(&opts).unwrap_or_else(|e| panic!("{product} {label}: {e}"));
        assert_eq!(report.product, product);
        assert!(
            report.skipped.is_empty(),
            "{product} {label}: skipped {:?}",
            report.skipped
        );
        let spec = load_and_validate(&out.path().join(product));
        assert_eq!(
            spec.operations.len(),
            operation_count(&input),
            "{product} {label}"
        );
        for op in &spec.operations {
            assert!(
                !op.summary.trim().is_empty(),
                "{product} {label}: {}",
                op.name
            );
            if prose == Prose::None {
                assert!(op.description.is_empty(), "{product} {label}: {}", op.name);
            }
        }
    }
}

#[test]
#[ignore = "needs ../shared/metadata; .ci/run runs it when ../shared exists"]
fn live_imports_and_validates() {
    check_product("live");
}

#[test]
#[ignore = "needs ../shared/metadata; .ci/run runs it when ../shared exists"]
fn ecs_imports_and_validates() {
    check_product("ecs");
}

#[test]
#[ignore = "needs ../shared/metadata; .ci/run runs it when ../shared exists"]
fn cms_imports_and_validates() {
    check_product("cms");
}

#[test]
#[ignore = "needs ../shared/metadata; .ci/run runs it when ../shared exists"]
fn r_kvstore_imports_and_validates() {
    check_product("r-kvstore");
}

#[test]
#[ignore = "needs ../shared/metadata; .ci/run runs it when ../shared exists"]
fn waf_openapi_imports_and_validates() {
    check_product("waf-openapi");
}

/// What is written reads back as exactly what `convert` produced.
#[test]
#[ignore = "needs ../shared/metadata; .ci/run runs it when ../shared exists"]
fn written_files_round_trip_to_convert_output() {
    let root = support::metadata_dir();
    let old = api_docs(&root, "2024-06", "live");
    let new = api_docs(&root, "2025-12", "live");
    let out = tempfile::tempdir().unwrap();
    let opts = support::import_options(new.clone(), Some(old.clone()), out.path(), Prose::Metadata);
    let (product, components, operations, report) =
        convert(&read_json(&new), Some(&read_json(&old)), &opts).unwrap();
    assert_eq!(report.product, "live");
    import(&opts).unwrap();
    let spec = load_and_validate(&out.path().join("live"));
    assert_eq!(spec.product, product);
    assert_eq!(spec.components, components);
    assert_eq!(spec.operations, operations);
}

/// Facts carried from the metadata, checked on operations known from the docs.
#[test]
#[ignore = "needs ../shared/metadata; .ci/run runs it when ../shared exists"]
fn live_facts_are_carried() {
    let root = support::metadata_dir();
    let old = api_docs(&root, "2024-06", "live");
    let new = api_docs(&root, "2025-12", "live");
    let out = tempfile::tempdir().unwrap();
    let opts = support::import_options(new, Some(old), out.path(), Prose::Metadata);
    let (product, _, operations, _) = convert(
        &read_json(&opts.input),
        Some(&read_json(opts.older.as_ref().unwrap())),
        &opts,
    )
    .unwrap();
    use acsgen::spec::*;
    assert_eq!(product.product, "live");
    assert_eq!(product.version, "2016-11-01");
    assert_eq!(product.style, ApiStyle::Rpc);
    assert_eq!(product.endpoints.rule, EndpointRule::Central);
    assert_eq!(product.endpoints.default, "live.aliyuncs.com");
    assert_eq!(product.krate.name, "alibabacloud-live");
    assert_eq!(product.krate.version, "0.1.0");
    assert_eq!(
        product
            .endpoints
            .regions
            .get("ap-northeast-2-pop")
            .map(String::as_str),
        Some("live.ap-southeast-1.aliyuncs.com")
    );

    let op = |name: &str| operations.iter().find(|o| o.name == name).unwrap();
    // The seed operation: new in the 2025 edition, so facts only.
    let recover = op("RecoverLiveMessageDeletedGroup");
    assert_eq!(recover.method, HttpMethod::Post);
    let names: Vec<&str> = recover.parameters.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["AppId", "GroupId", "DataCenter"]);
    assert!(recover
        .parameters
        .iter()
        .all(|p| p.location == Location::Query));
    assert!(recover.parameters[0].schema.required && !recover.parameters[2].schema.required);
    assert_eq!(
        recover.summary,
        "Calls the RecoverLiveMessageDeletedGroup operation."
    );

    // In both editions: prose, rate limit, response and errors from 2024.
    let mapping = op("AddLiveDomainMapping");
    assert_eq!(
        mapping.summary,
        "添加直播域名播流域名和推流域名的映射关系配置。"
    );
    assert!(mapping
        .description
        .contains("[AddLiveDomain接口](https://help.aliyun.com/document_detail/88327.html)"));
    assert!(!mapping.description.contains("~~"));
    assert_eq!(
        mapping.rate_limit,
        Some(RateLimit {
            qps: 30,
            scope: RateLimitScope::User
        })
    );
    assert!(!mapping.read_only);
    assert_eq!(
        mapping.parameters[0].schema.example.as_deref(),
        Some("demo.aliyundoc.com")
    );
    let response = mapping.response.as_ref().unwrap();
    assert_eq!(response.schema.ty, Some(Type::Object));
    assert!(response.schema.properties.contains_key("RequestId"));
    let example: serde_json::Value =
        serde_json::from_str(response.example.as_deref().unwrap()).unwrap();
    assert!(example.get("RequestId").is_some());
    assert_eq!(mapping.errors[0].status, 400);
    assert_eq!(mapping.errors[0].code, "InvalidPushDomain");

    // Read-only needs the operationType and the verb to agree.
    assert!(op("DescribeLiveStreamsOnlineList").read_only);
    assert!(!op("DeleteLiveDelayConfig").read_only);
    // Per-minute limits are not per-second numbers.
    assert_eq!(op("DescribeLiveStreamsOnlineList").rate_limit, None);

    // Styles and body parameters.
    let styled: Vec<&Parameter> = operations
        .iter()
        .flat_map(|o| &o.parameters)
        .filter(|p| p.style.is_some())
        .collect();
    assert!(styled.iter().any(|p| p.style == Some(ParamStyle::Json)));
    assert!(styled.iter().any(|p| p.style == Some(ParamStyle::Simple)));
    assert!(styled
        .iter()
        .any(|p| p.style == Some(ParamStyle::RepeatList)));
    assert!(operations
        .iter()
        .flat_map(|o| &o.parameters)
        .any(|p| p.location == Location::Body));
}

/// Products of other styles are refused, operation by operation, and nothing is written.
#[test]
#[ignore = "needs ../shared/metadata; .ci/run runs it when ../shared exists"]
fn other_styles_are_refused_in_one_line() {
    let root = support::metadata_dir();
    for (product, style) in [("oss", "OSS"), ("pds", "PDS")] {
        for edition in ["2024-06", "2025-12"] {
            let input = api_docs(&root, edition, product);
            let out = tempfile::tempdir().unwrap();
            let opts = support::import_options(input.clone(), None, out.path(), Prose::Metadata);
            let error = import(&opts).expect_err(product);
            assert_eq!(error.exit(), Exit::Unsupported, "{product}");
            let ImportError::UnsupportedStyle { operations, .. } = &error else {
                panic!("{product}: {error}")
            };
            assert_eq!(*operations, operation_count(&input), "{product}");
            let message = error.to_string();
            assert!(
                message.starts_with(&format!("nothing importable: `{product}` is {style} style"))
                    && !message.contains('\n'),
                "{message}"
            );
            assert_eq!(
                fs::read_dir(out.path()).unwrap().count(),
                0,
                "{product}: wrote files"
            );
        }
    }
}

/// ROA products (and Cloud Control, labelled V3 with a path per operation) import
/// their method, path template, path parameters and JSON-body fields; what is not
/// modelled yet (whole-body arrays and strings as responses) is skipped with its
/// reason.
#[test]
#[ignore = "needs ../shared/metadata; .ci/run runs it when ../shared exists"]
fn roa_products_import_paths_and_json_fields() {
    let root = support::metadata_dir();
    for (product, least) in [("cs", 90), ("openitag", 30), ("cloudcontrol", 11)] {
        for edition in ["2024-06", "2025-12"] {
            let input = api_docs(&root, edition, product);
            let out = tempfile::tempdir().unwrap();
            let opts = support::import_options(input.clone(), None, out.path(), Prose::Metadata);
            let report = import(&opts).unwrap_or_else(|e| panic!("{product} {edition}: {e}"));
            let imported = operation_count(&input) - report.skipped.len();
            assert!(
                imported >= least,
                "{product} {edition}: {imported} imported"
            );
            for (operation, reason) in &report.skipped {
                assert!(
                    reason.starts_with("ROA style: ") || reason.contains("listed twice"),
                    "{operation}: {reason}"
                );
            }
        }
    }
    let out = tempfile::tempdir().unwrap();
    let opts = support::import_options(
        api_docs(&root, "2025-12", "cs"),
        None,
        out.path(),
        Prose::Metadata,
    );
    import(&opts).expect("cs imports");
    let files = acsgen::load::read_product_dir(&out.path().join("cs")).expect("readable");
    let spec = acsgen::load::parse_product(&files).expect("valid spec");
    assert_eq!(spec.product.style, acsgen::spec::ApiStyle::Roa);
    let op = |name: &str| spec.operations.iter().find(|op| op.name == name).unwrap();
    let delete = op("DeleteCluster");
    assert_eq!(delete.method, acsgen::spec::HttpMethod::Delete);
    assert_eq!(delete.path, "/clusters/{ClusterId}");
    assert_eq!(delete.parameters[0].location, acsgen::spec::Location::Path);
    let create = op("CreateCluster");
    assert!(create.parameters.len() > 20);
    assert!(create
        .parameters
        .iter()
        .all(|p| p.location == acsgen::spec::Location::Json));
    assert!(create.parameters.iter().any(|p| p.name == "cluster_type"));
    // A body that is an array is the whole JSON body.
    let tags = op("ModifyClusterTags");
    assert!(tags
        .parameters
        .iter()
        .any(|p| p.location == acsgen::spec::Location::JsonBody));

    // Cloud Control: paths that are patterns take the whole path from `requestPath`.
    let out = tempfile::tempdir().unwrap();
    let opts = support::import_options(
        api_docs(&root, "2025-12", "cloudcontrol"),
        Some(api_docs(&root, "2024-06", "cloudcontrol")),
        out.path(),
        Prose::Metadata,
    );
    import(&opts).expect("cloudcontrol imports");
    let files = acsgen::load::read_product_dir(&out.path().join("cloudcontrol")).expect("readable");
    let spec = acsgen::load::parse_product(&files).expect("valid spec");
    assert_eq!(spec.product.style, acsgen::spec::ApiStyle::Roa);
    let op = |name: &str| spec.operations.iter().find(|op| op.name == name).unwrap();
    assert_eq!(op("GetResources").path, "{+requestPath}");
    assert_eq!(op("GetTask").path, "/api/v1/tasks/{taskId}");
    assert_eq!(op("CancelTask").method, acsgen::spec::HttpMethod::Put);
    // The 2024 metadata's response header survives the merge with the 2025 edition.
    let headers = &op("CreateResource")
        .response
        .as_ref()
        .expect("response")
        .headers;
    assert_eq!(
        headers.iter().map(|h| h.name.as_str()).collect::<Vec<_>>(),
        ["x-acs-cloudcontrol-timeout"]
    );
}
