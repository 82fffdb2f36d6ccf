//! `acsgen import` behaviour: change-only writes, removal, filters, prose
//! modes, link conversion, metadata oddities and bad input.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use acsgen::exit::{Exit, Failure};
use acsgen::import::{convert, import, ImportError, ImportOptions, Prose};
use acsgen::spec::{Operation, Type};
use acsgen::{load, validate};
use serde_json::{json, Value};

fn live(root: &Path, edition: &str) -> PathBuf {
    root.join(edition).join("live/2016-11-01/api-docs.json")
}

fn options(input: &Path, older: Option<&Path>, out: &Path) -> ImportOptions {
    ImportOptions {
        input: input.to_path_buf(),
        older: older.map(Path::to_path_buf),
        filters: Vec::new(),
        out: out.to_path_buf(),
        prose: Prose::Metadata,
        crate_name: None,
    }
}

fn load_and_validate(dir: &Path) -> acsgen::spec::ProductSpec {
    let (files, spec) =
        load::load_product(dir).unwrap_or_else(|d| panic!("{} does not load:\n{d}", dir.display()));
    if let Err(d) = validate::validate(&files, &spec) {
        panic!("{} does not validate:\n{d}", dir.display());
    }
    spec
}

fn op_path(out: &Path, product: &str, name: &str) -> PathBuf {
    out.join(product)
        .join("operations")
        .join(format!("{name}.yaml"))
}

fn read_op(out: &Path, product: &str, name: &str) -> Operation {
    let path = op_path(out, product, name);
    load::parse_yaml(&path, &fs::read_to_string(&path).unwrap()).unwrap()
}

#[test]
#[ignore = "needs ../shared/metadata; .ci/run runs it when ../shared exists"]
fn reimport_is_byte_identical_and_writes_nothing() {
    let root = support::metadata_dir();
    let out = tempfile::tempdir().unwrap();
    let opts = options(
        &live(&root, "2025-12"),
        Some(&live(&root, "2024-06")),
        out.path(),
    );
    let first = import(&opts).unwrap();
    assert!(!first.written.is_empty());
    let before = support::snapshot(out.path());
    let second = import(&opts).unwrap();
    assert!(second.written.is_empty(), "rewrote {:?}", second.written);
    assert!(second.removed.is_empty());
    assert_eq!(second.unchanged, first.written.len());
    assert_eq!(support::snapshot(out.path()), before);
}

#[test]
#[ignore = "needs ../shared/metadata; .ci/run runs it when ../shared exists"]
fn newer_edition_changes_only_changed_operations() {
    let root = support::metadata_dir();
    let out = tempfile::tempdir().unwrap();
    let old = live(&root, "2024-06");
    import(&options(&old, None, out.path())).unwrap();
    let before = support::snapshot(out.path());
    let report = import(&options(&live(&root, "2025-12"), Some(&old), out.path())).unwrap();
    let after = support::snapshot(out.path());

    // A file is rewritten exactly when its bytes change.
    for path in &report.written {
        assert_ne!(
            before.get(path),
            after.get(path),
            "{} rewritten unchanged",
            path.display()
        );
    }
    let written_or_new = |name: &str| report.written.contains(&op_path(out.path(), "live", name));
    for (path, bytes) in &after {
        if !report.written.contains(path) {
            assert_eq!(
                before.get(path),
                Some(bytes),
                "{} changed unreported",
                path.display()
            );
        }
    }
    assert_eq!(report.unchanged + report.written.len(), after.len());
    // Unchanged between editions (same parameters, prose from 2024).
    assert!(!written_or_new("AddLiveDomainMapping"));
    // The 2025 edition adds a RegionId parameter.
    assert!(written_or_new("AddCasterComponent"));
    assert!(read_op(out.path(), "live", "AddCasterComponent")
        .parameters
        .iter()
        .any(|p| p.name == "RegionId"));
    // New in 2025 / gone in 2025.
    assert!(written_or_new("RecoverLiveMessageDeletedGroup"));
    let gone = op_path(out.path(), "live", "AllowPushStream");
    assert!(before.contains_key(&gone) && !after.contains_key(&gone));
    assert!(report.removed.contains(&gone));
    load_and_validate(&out.path().join("live"));
}

#[test]
#[ignore = "needs ../shared/metadata; .ci/run runs it when ../shared exists"]
fn filter_writes_only_matching_operations_and_removes_nothing() {
    let root = support::metadata_dir();
    let out = tempfile::tempdir().unwrap();
    let ops_dir = out.path().join("live/operations");
    fs::create_dir_all(&ops_dir).unwrap();
    let stale = ops_dir.join("NoLongerThere.yaml");
    fs::write(&stale, "name: NoLongerThere\n").unwrap();

    let mut opts = options(&live(&root, "2025-12"), None, out.path());
    opts.filters = vec!["*LiveMessage*".to_owned(), "RecoverLive*".to_owned()];
    let report = import(&opts).unwrap();
    let names: Vec<String> = fs::read_dir(&ops_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "NoLongerThere.yaml")
        .collect();
    assert!(names.len() > 5, "{names:?}");
    assert!(names
        .iter()
        .all(|n| n.contains("LiveMessage") || n.starts_with("RecoverLive")));
    assert!(names.contains(&"RecoverLiveMessageDeletedGroup.yaml".to_owned()));
    assert!(report.removed.is_empty() && stale.exists());

    // A second filter adds to the directory without touching the first ones.
    opts.filters = vec!["DescribeLiveStreamsOnlineList".to_owned()];
    let report = import(&opts).unwrap();
    assert!(report.removed.is_empty());
    assert!(ops_dir.join("DescribeLiveStreamsOnlineList.yaml").exists());
    assert!(ops_dir.join("RecoverLiveMessageDeletedGroup.yaml").exists());

    // Without a filter, files of operations not in the input go.
    opts.filters.clear();
    let report = import(&opts).unwrap();
    assert_eq!(report.removed, vec![stale.clone()]);
    assert!(!stale.exists());

    // A glob that is not one is bad input.
    opts.filters = vec!["[".to_owned()];
    assert_eq!(import(&opts).unwrap_err().exit(), Exit::BadInput);
}

#[test]
#[ignore = "needs ../shared/metadata; .ci/run runs it when ../shared exists"]
fn prose_keep_preserves_hand_written_prose() {
    let root = support::metadata_dir();
    let out = tempfile::tempdir().unwrap();
    let mut opts = options(
        &live(&root, "2025-12"),
        Some(&live(&root, "2024-06")),
        out.path(),
    );
    opts.filters = vec![
        "AddLiveDomainMapping".to_owned(),
        "AddLiveDomain".to_owned(),
    ];
    import(&opts).unwrap();

    // Hand-edit in English, and add a change log entry the metadata never has.
    let path = op_path(out.path(), "live", "AddLiveDomainMapping");
    let mut op = read_op(out.path(), "live", "AddLiveDomainMapping");
    op.summary = "Maps a playback domain to an ingest domain.".to_owned();
    op.description = "Hand-written English description.".to_owned();
    op.parameters[0].schema.description = "The ingest domain.".to_owned();
    op.errors[0].description = "The ingest domain is of the wrong type.".to_owned();
    op.changes.push(acsgen::spec::Change {
        date: "2025-01-02".to_owned(),
        summary: "Documented in English.".to_owned(),
    });
    fs::write(&path, serde_yaml::to_string(&op).unwrap()).unwrap();

    opts.prose = Prose::Keep;
    opts.filters.clear();
    let report = import(&opts).unwrap();
    assert!(report.skipped.is_empty());
    let kept = read_op(out.path(), "live", "AddLiveDomainMapping");
    assert_eq!(kept.summary, op.summary);
    assert_eq!(kept.description, op.description);
    assert_eq!(kept.parameters[0].schema.description, "The ingest domain.");
    assert_eq!(
        kept.parameters[1].schema.description,
        op.parameters[1].schema.description
    );
    assert_eq!(
        kept.errors[0].description,
        "The ingest domain is of the wrong type."
    );
    assert_eq!(kept.changes, op.changes);
    // Facts still come from the metadata.
    assert_eq!(kept.rate_limit, op.rate_limit);
    assert_eq!(
        kept.response.as_ref().map(|r| &r.schema.ty),
        Some(&Some(Type::Object))
    );
    // An operation without an existing file gets no metadata prose.
    let fresh = read_op(out.path(), "live", "DescribeLiveStreamsOnlineList");
    assert_eq!(
        fresh.summary,
        "Calls the DescribeLiveStreamsOnlineList operation."
    );
    assert!(fresh.description.is_empty());
    assert!(fresh
        .parameters
        .iter()
        .all(|p| p.schema.description.is_empty()));
    load_and_validate(&out.path().join("live"));

    // Keeping again changes nothing.
    let again = import(&opts).unwrap();
    assert!(again.written.is_empty(), "{:?}", again.written);

    // `metadata` replaces the prose but keeps the change log.
    opts.prose = Prose::Metadata;
    import(&opts).unwrap();
    let replaced = read_op(out.path(), "live", "AddLiveDomainMapping");
    assert_eq!(
        replaced.summary,
        "添加直播域名播流域名和推流域名的映射关系配置。"
    );
    assert_eq!(replaced.changes, op.changes);
}

#[test]
#[ignore = "needs ../shared/metadata; .ci/run runs it when ../shared exists"]
fn existing_product_fields_survive_and_crate_name_overrides() {
    let root = support::metadata_dir();
    let out = tempfile::tempdir().unwrap();
    let mut opts = options(&live(&root, "2025-12"), None, out.path());
    opts.filters = vec!["AddLiveDomain".to_owned()];
    import(&opts).unwrap();
    let path = out.path().join("live/product.yaml");
    let text = fs::read_to_string(&path).unwrap();
    let mut product: acsgen::spec::Product = load::parse_yaml(&path, &text).unwrap();
    product.name = "ApsaraVideo Live".to_owned();
    product.krate.version = "0.3.1".to_owned();
    fs::write(&path, serde_yaml::to_string(&product).unwrap()).unwrap();

    opts.crate_name = Some("alibabacloud-live-client".to_owned());
    import(&opts).unwrap();
    let product: acsgen::spec::Product =
        load::parse_yaml(&path, &fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(product.name, "ApsaraVideo Live");
    assert_eq!(product.krate.version, "0.3.1");
    assert_eq!(product.krate.name, "alibabacloud-live-client");

    opts.crate_name = Some("not a crate".to_owned());
    assert_eq!(import(&opts).unwrap_err().exit(), Exit::BadInput);
}

/// A small RPC api-docs.json with one operation.
fn document(api: Value) -> Value {
    json!({
        "version": "1.0",
        "info": {"style": "RPC", "product": "Demo", "version": "2020-01-01"},
        "apis": {"DoThing": api},
        "endpoints": [
            {"regionId": "cn-hangzhou", "endpoint": "demo.cn-hangzhou.aliyuncs.com"},
            {"regionId": "cn-beijing", "endpoint": "demo.cn-beijing.aliyuncs.com"}
        ]
    })
}

fn convert_one(doc: &Value, prose: Prose) -> (Operation, Vec<String>) {
    let mut opts = options(Path::new("demo.json"), None, Path::new("spec"));
    opts.prose = prose;
    let (product, _, mut operations, report) = convert(doc, None, &opts).unwrap();
    assert_eq!(product.product, "demo");
    assert_eq!(product.endpoints.rule, acsgen::spec::EndpointRule::Regional);
    assert_eq!(product.endpoints.default, "demo.cn-hangzhou.aliyuncs.com");
    assert_eq!(product.endpoints.regions.len(), 2);
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    (operations.remove(0), report.warnings)
}

#[test]
fn links_become_help_center_urls() {
    let doc = document(json!({
        "methods": ["post", "get"],
        "summary": "Does [the thing](~~12345~~).",
        "description": "See ~~678~~ and [Quota](~~25620#SecurityGroupQuota1~~) and [PutContact](~~PutContact~~).",
        "parameters": [{"name": "Mode", "in": "query", "schema": {
            "type": "string", "description": "Mode, see [modes](~~111~~).",
            "enum": ["a", "b"], "enumValueTitles": {"a": "Alpha ([doc](~~222~~))", "b": "b"}
        }}],
        "errorCodes": {"400": [{"errorCode": "Bad", "errorMessage": "Bad %s", "description": "Read ~~333~~"}]}
    }));
    let (op, _) = convert_one(&doc, Prose::Metadata);
    let url = |id: &str| format!("https://help.aliyun.com/document_detail/{id}.html");
    assert_eq!(op.summary, format!("Does [the thing]({}).", url("12345")));
    assert_eq!(
        op.description,
        format!(
            "See {} and [Quota]({}#SecurityGroupQuota1) and PutContact.",
            url("678"),
            url("25620")
        )
    );
    let schema = &op.parameters[0].schema;
    assert_eq!(
        schema.description,
        format!("Mode, see [modes]({}).", url("111"))
    );
    assert_eq!(
        schema.enumeration[0].description,
        format!("Alpha ([doc]({}))", url("222"))
    );
    assert_eq!(
        schema.enumeration[1].description, "",
        "a title equal to the value says nothing"
    );
    assert_eq!(op.errors[0].description, format!("Read {}", url("333")));
    assert_eq!(op.errors[0].message, "Bad %s");

    let (bare, _) = convert_one(&doc, Prose::None);
    assert_eq!(bare.summary, "Calls the DoThing operation.");
    assert!(bare.description.is_empty() && bare.parameters[0].schema.description.is_empty());
    assert!(bare.parameters[0]
        .schema
        .enumeration
        .iter()
        .all(|v| v.description.is_empty()));
    assert!(bare.errors[0].description.is_empty());
    assert_eq!(bare.errors[0].message, "Bad %s", "error messages are facts");
}

#[test]
fn integer_enums_and_defaults_given_as_strings() {
    let doc = document(json!({
        "methods": ["post"],
        "parameters": [
            {"name": "PageSize", "in": "query", "schema": {
                "type": "integer", "format": "int32", "enum": ["10", "20", "x", "9999999999"], "default": "10"}},
            {"name": "Count", "in": "query", "schema": {"type": "integer", "default": ""}},
            {"name": "Big", "in": "query", "schema": {"type": "integer", "enum": [1, 9_999_999_999_i64], "minimum": "1", "maximum": "5"}},
            {"name": "Flag", "in": "query", "schema": {"type": "boolean", "enum": ["true", "false"]}},
            {"name": "Empty", "in": "query", "schema": {"type": "string", "enum": []}}
        ]
    }));
    let (op, warnings) = convert_one(&doc, Prose::Metadata);
    let values = |i: usize| -> Vec<&str> {
        op.parameters[i]
            .schema
            .enumeration
            .iter()
            .map(|v| v.value.as_str())
            .collect()
    };
    assert_eq!(op.parameters[0].schema.ty, Some(Type::Int32));
    assert_eq!(values(0), ["10", "20"]);
    assert_eq!(op.parameters[0].schema.default.as_deref(), Some("10"));
    assert_eq!(
        op.parameters[1].schema.ty,
        Some(Type::Int64),
        "no format means int64"
    );
    assert_eq!(op.parameters[1].schema.default, None);
    assert_eq!(values(2), ["1", "9999999999"]);
    assert_eq!(op.parameters[2].schema.minimum, Some(1.into()));
    assert_eq!(op.parameters[2].schema.maximum, Some(5.into()));
    assert!(values(3).is_empty() && values(4).is_empty());
    let has = |needle: &str| warnings.iter().any(|w| w.contains(needle));
    assert!(
        has("DoThing: parameters.PageSize: enum value `x` is not an int32; dropped"),
        "{warnings:#?}"
    );
    assert!(has(
        "DoThing: parameters.PageSize: enum value `9999999999` is not an int32"
    ));
    assert!(has(
        "DoThing: parameters.Count: default `` is not an int64; dropped"
    ));
    assert!(has("DoThing: parameters.Flag: `enum` on a `boolean`"));
    assert!(has("DoThing: parameters.Empty: empty `enum`; dropped"));
}

#[test]
fn keep_leaves_an_unparsable_existing_file_alone() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("demo.json");
    let mut doc = document(json!({"methods": ["post"], "description": "Metadata prose."}));
    doc["apis"]["Other"] = json!({"methods": ["post"]});
    fs::write(&input, serde_json::to_vec(&doc).unwrap()).unwrap();
    let out = dir.path().join("spec");
    let ops_dir = out.join("demo/operations");
    fs::create_dir_all(&ops_dir).unwrap();
    let broken = ops_dir.join("DoThing.yaml");
    fs::write(&broken, "name: DoThing\nsummary: [unclosed\n").unwrap();

    let mut opts = options(&input, None, &out);
    opts.prose = Prose::Keep;
    let report = import(&opts).unwrap();
    assert_eq!(report.skipped.len(), 1, "{report}");
    assert_eq!(report.skipped[0].0, "DoThing");
    assert!(report.skipped[0].1.starts_with("existing file left alone"));
    assert_eq!(
        fs::read_to_string(&broken).unwrap(),
        "name: DoThing\nsummary: [unclosed\n"
    );
    assert!(ops_dir.join("Other.yaml").exists());
}

fn nested(levels: usize) -> Value {
    let mut schema = json!({"type": "string"});
    for i in 0..levels {
        schema = json!({"type": "object", "properties": {format!("L{i}"): schema}});
    }
    schema
}

#[test]
fn metadata_oddities_are_normalized_and_reported() {
    let demo = r#"{"type":"json","example":"{\"RequestId\": \"x\"}"}"#;
    let doc = document(json!({
        "methods": ["get"],
        "systemTags": {"operationType": "get"},
        "parameters": [
            {"name": "RegionId", "in": "query", "schema": {"type": "string", "required": true}},
            {"name": "RegionId", "in": "query", "schema": {"type": "string"}},
            {"name": "Ids", "in": "query", "style": "repeatList", "schema": {"type": "array"}},
            {"name": "Body", "in": "formData", "style": "json", "schema": {"type": "object", "properties": {
                "": {"type": "string"}, "Name": {"type": "string"}}}},
            {"name": "Labels", "in": "query", "style": "flat", "schema": {
                "type": "object", "additionalProperties": {"type": "string"}}},
            {"name": "Scalar", "in": "query", "style": "simple", "schema": {"type": "string"}},
            {"name": "Untyped", "in": "query", "schema": {"description": "?"}},
            {"name": "File", "in": "formData", "schema": {"type": "string", "format": "binary"}},
            {"name": "Ratio", "in": "query", "schema": {"type": "number"}},
            {"name": "Len", "in": "query", "schema": {"type": "string", "minLength": 9, "maxLength": 2}}
        ],
        "responses": {"200": {"schema": {"type": "object", "properties": {"Deep": nested(30)}}}},
        "responseDemo": format!("[{demo}]"),
        "errorCodes": {
            "400": [{"errorCode": "A", "errorMessage": "a"}, {"errorCode": "A", "errorMessage": "again"}],
            "5XX": [{"errorCode": "B"}],
            "200": [{"errorCode": "C"}]
        },
        "deprecated": true
    }));
    let (op, warnings) = convert_one(&doc, Prose::Metadata);
    let param = |name: &str| op.parameters.iter().find(|p| p.name == name).unwrap();
    assert_eq!(op.method, acsgen::spec::HttpMethod::Get);
    assert!(!op.read_only, "tagged `get`, but `Do` is not a read verb");
    assert_eq!(
        op.parameters
            .iter()
            .filter(|p| p.name == "RegionId")
            .count(),
        1
    );
    assert!(param("RegionId").schema.required, "the first entry is kept");
    assert_eq!(
        param("Ids").schema.items.as_ref().unwrap().ty,
        Some(Type::String)
    );
    assert_eq!(param("Body").location, acsgen::spec::Location::Body);
    assert_eq!(
        param("Body").schema.properties.keys().collect::<Vec<_>>(),
        ["Name"]
    );
    assert_eq!(param("Labels").schema.ty, Some(Type::Map));
    assert_eq!(param("Scalar").style, None);
    assert_eq!(param("Untyped").schema.ty, Some(Type::Any));
    assert_eq!(param("File").schema.ty, Some(Type::Binary));
    assert_eq!(param("Ratio").schema.ty, Some(Type::Double));
    assert_eq!(
        (
            param("Len").schema.min_length,
            param("Len").schema.max_length
        ),
        (None, None)
    );
    assert_eq!(op.errors.len(), 1);
    assert_eq!(op.errors[0].message, "a");
    assert!(op.deprecated.is_some());
    assert_eq!(
        op.response.as_ref().unwrap().example.as_deref(),
        Some("{\n  \"RequestId\": \"x\"\n}")
    );
    let mut depth = 0;
    let mut schema = &op.response.as_ref().unwrap().schema.properties["Deep"];
    while let Some(inner) = schema.properties.values().next() {
        schema = inner;
        depth += 1;
    }
    assert_eq!(depth, 30, "30 levels are kept");

    let has = |needle: &str| warnings.iter().any(|w| w.contains(needle));
    for needle in [
        "DoThing: parameters.RegionId: listed more than once; kept the first",
        "DoThing: parameters.Ids: array without `items`",
        "DoThing: parameters.Body: property with an empty name; dropped",
        "DoThing: parameters.Scalar: style on a `string` parameter; dropped",
        "DoThing: parameters.Untyped: no `type` and no `$ref`; used `any`",
        "DoThing: parameters.Len: `minLength` 9 is above `maxLength` 2",
        "DoThing: errors.400.A: listed more than once; kept the first",
        "DoThing: errors.5XX: `5XX` is not an HTTP error status",
        "DoThing: errors.200: `200` is not an HTTP error status",
        "DoThing: read_only: operationType `get` says read, but the name does not",
    ] {
        assert!(has(needle), "missing `{needle}` in {warnings:#?}");
    }

    // Deeper than the limit: cut to `any`, reported; still valid.
    let deep = document(json!({"methods": ["post"], "parameters": [
        {"name": "P", "in": "query", "style": "json", "schema": nested(60)}]}));
    let (op, warnings) = convert_one(&deep, Prose::Metadata);
    assert!(warnings
        .iter()
        .any(|w| w.contains("nested more than 31 levels")));
    assert_eq!(op.parameters[0].schema.ty, Some(Type::Object));

    // Both go through the file system and the validator too.
    for doc in [doc, deep] {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("api-docs.json");
        fs::write(&input, serde_json::to_vec(&doc).unwrap()).unwrap();
        let out = dir.path().join("spec");
        import(&options(&input, None, &out)).unwrap();
        load_and_validate(&out.join("demo"));
    }
}

#[test]
fn unsupported_parameters_skip_only_their_operation() {
    let mut doc = document(json!({"methods": ["post"], "parameters": [
        {"name": "Doc", "in": "body", "style": "xml", "schema": {"type": "object"}}]}));
    doc["apis"]["Fine"] = json!({"methods": ["post"], "parameters": []});
    doc["apis"]["bad/name"] = json!({"methods": ["post"]});
    let opts = options(Path::new("demo.json"), None, Path::new("spec"));
    let (_, _, operations, report) = convert(&doc, None, &opts).unwrap();
    assert_eq!(
        operations
            .iter()
            .map(|o| o.name.as_str())
            .collect::<Vec<_>>(),
        ["Fine"]
    );
    assert_eq!(report.skipped.len(), 2);
    assert!(report
        .skipped
        .iter()
        .any(|(op, why)| op == "DoThing" && why.contains("`xml` style")));
    assert!(report.skipped.iter().any(|(op, _)| op == "bad/name"));
    assert!(report
        .to_string()
        .contains("DoThing: parameter `Doc` uses the `xml` style"));

    // Only unsupported operations selected: nothing importable.
    let mut only = opts.clone();
    only.filters = vec!["DoThing".to_owned()];
    let error = convert(&doc, None, &only).unwrap_err();
    assert_eq!(error.exit(), Exit::Unsupported);
}

#[test]
fn bad_input_names_the_file_and_json_path() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("spec");

    let broken = dir.path().join("broken.json");
    fs::write(&broken, "{\"apis\": {").unwrap();
    let error = import(&options(&broken, None, &out)).unwrap_err();
    assert_eq!(error.exit(), Exit::BadInput);
    let text = error.to_string();
    assert!(
        text.contains(&broken.display().to_string()) && text.contains("not valid JSON"),
        "{text}"
    );

    let no_apis = dir.path().join("no-apis.json");
    fs::write(
        &no_apis,
        r#"{"info": {"style": "RPC", "product": "x", "version": "2020-01-01"}}"#,
    )
    .unwrap();
    let error = import(&options(&no_apis, None, &out)).unwrap_err();
    assert!(matches!(&error, ImportError::BadInput { path, .. } if path == "$.apis"));
    assert!(error
        .to_string()
        .starts_with(&format!("{}: $.apis: missing", no_apis.display())));

    let no_style = dir.path().join("no-style.json");
    fs::write(
        &no_style,
        r#"{"apis": {}, "info": {"product": "x", "version": "2020-01-01"}}"#,
    )
    .unwrap();
    let error = import(&options(&no_style, None, &out)).unwrap_err();
    assert!(
        error.to_string().contains("$.info.style: missing"),
        "{error}"
    );

    let missing = dir.path().join("missing.json");
    let error = import(&options(&missing, None, &out)).unwrap_err();
    assert_eq!(error.exit(), Exit::BadInput);
    assert!(
        error.to_string().contains("missing.json: cannot read"),
        "{error}"
    );

    // An older edition of another product is refused.
    let a = dir.path().join("a.json");
    let b = dir.path().join("b.json");
    fs::write(
        &a,
        r#"{"apis": {}, "info": {"style": "RPC", "product": "a", "version": "2020-01-01"}}"#,
    )
    .unwrap();
    fs::write(
        &b,
        r#"{"apis": {}, "info": {"style": "RPC", "product": "b", "version": "2020-01-01"}}"#,
    )
    .unwrap();
    let error = import(&options(&a, Some(&b), &out)).unwrap_err();
    assert!(
        error.to_string().contains("b.json: $.info.product"),
        "{error}"
    );
    assert!(!out.exists(), "nothing is written on bad input");
}

#[test]
#[ignore = "needs ../shared/metadata; .ci/run runs it when ../shared exists"]
fn command_line_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.json");
    fs::write(&broken, "not json").unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_acsgen"))
            .arg("import")
            .args(args)
            .output()
            .unwrap()
    };
    let out = dir.path().join("spec");
    let output = run(&[
        "--input",
        broken.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("broken.json: not valid JSON"));

    let input = dir.path().join("demo.json");
    fs::write(
        &input,
        serde_json::to_vec(&document(json!({"methods": ["post"]}))).unwrap(),
    )
    .unwrap();
    let output = run(&[
        "--input",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--prose",
        "none",
        "--filter",
        "Do*",
        "--crate-name",
        "demo-client",
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("import demo: 2 file(s) written"));
    load_and_validate(&out.join("demo"));

    // OSS has a signature scheme of its own: nothing of it is importable.
    let root = support::metadata_dir();
    let oss = root.join("2025-12/oss/2019-05-17/api-docs.json");
    let output = run(&[
        "--input",
        oss.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&output.stderr);
    // One line: the product, its style and why, not a line per operation.
    assert!(
        stderr.starts_with("acsgen import: nothing importable: `oss` is OSS style (")
            && stderr.contains("the `OSS` signature")
            && stderr.trim_end().lines().count() == 1,
        "{stderr}"
    );
    assert!(!out.join("oss").exists());
}

#[test]
fn a_product_without_operations_is_refused_not_imported() {
    // Whatever the label: an empty ROA product is not "0 operations unsupported".
    for style in ["RPC", "V3", "ROA"] {
        let mut doc = document(json!({"methods": ["post"]}));
        doc["apis"] = json!({});
        doc["info"]["style"] = json!(style);
        let opts = options(Path::new("empty.json"), None, Path::new("spec"));
        let error = convert(&doc, None, &opts).unwrap_err();
        assert_eq!(error.exit(), Exit::BadInput, "{style}");
        assert_eq!(
            error.to_string(),
            "empty.json: $.apis: no operation to import (the product lists none)",
            "{style}"
        );
    }

    let mut filtered = options(Path::new("demo.json"), None, Path::new("spec"));
    filtered.filters = vec!["Nothing*".to_owned()];
    let error = convert(&document(json!({"methods": ["post"]})), None, &filtered).unwrap_err();
    assert_eq!(error.exit(), Exit::BadInput);
    assert_eq!(
        error.to_string(),
        "demo.json: $.apis: no operation to import (--filter Nothing* matched none)"
    );
}
