//! Operations that are RPC on the wire whatever their metadata says: an RPC
//! label with a fixed path of its own (`/V2/CancelThing`), and a V3 label
//! whose path-less operations take only query and form parameters. They
//! are imported and sent to `/` (as the official SDKs do); the truly ROA
//! ones stay refused with a reason each. Also: metadata contradicting
//! itself (examples, defaults and sample values the declared type, valid
//! values or bounds rule out) is dropped with a warning naming operation
//! and field, so the generated sample test decodes what is left.
//!
//! Fixtures: `tests/fixtures/import_rpc_shaped/` (made-up products).

mod support;

use std::path::{Path, PathBuf};

use acsgen::exit::{Exit, Failure};
use acsgen::import::{convert, import, ImportError, ImportOptions, ImportReport, Prose};
use acsgen::spec::{Location, Operation, Type};
use serde_json::{json, Value};

fn fixture(name: &str) -> PathBuf {
    support::root()
        .join("tests/fixtures/import_rpc_shaped")
        .join(name)
}

fn read(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn convert_file(name: &str) -> (Vec<Operation>, ImportReport) {
    let path = fixture(name);
    let (_, _, operations, report) = convert(
        &read(&path),
        None,
        &ImportOptions::new(&path, Path::new("spec")),
    )
    .unwrap_or_else(|e| panic!("{name}: {e}"));
    (operations, report)
}

fn skipped<'a>(report: &'a ImportReport, name: &str) -> &'a str {
    &report
        .skipped
        .iter()
        .find(|(op, _)| op == name)
        .unwrap_or_else(|| panic!("{name} not skipped: {:?}", report.skipped))
        .1
}

#[test]
fn rpc_label_with_a_fixed_path_is_imported_for_root() {
    let (operations, report) = convert_file("rpc_path.json");
    let names: Vec<&str> = operations.iter().map(|op| op.name.as_str()).collect();
    assert_eq!(names, ["CancelThing", "DescribeThings"]);
    assert!(operations.iter().all(|op| op.path == "/"));
    assert!(report.warnings.contains(
        &"CancelThing: path: metadata path `/V2/CancelThing` not used: RPC requests always go to `/`"
            .to_owned()
    ));
    assert_eq!(report.skipped.len(), 1);
    assert_eq!(
        skipped(&report, "GetThingTree"),
        "RPC style, not RPC-shaped: GET `/things/{ThingId}/tree` with path parameter `ThingId` \
         cannot be generated in an RPC product"
    );
}

#[test]
fn v3_label_imports_only_its_rpc_shaped_operations() {
    let (operations, report) = convert_file("v3_rpc.json");
    let names: Vec<&str> = operations.iter().map(|op| op.name.as_str()).collect();
    assert_eq!(names, ["ListWidgets", "ScanWidget"]);
    let op = &operations[0];
    assert_eq!(op.path, "/");
    let locations: Vec<(&str, Location)> = op
        .parameters
        .iter()
        .map(|p| (p.name.as_str(), p.location))
        .collect();
    assert_eq!(
        locations,
        [
            ("RegionId", Location::Query),
            ("PageSize", Location::Query),
            ("Name", Location::Body)
        ]
    );
    assert_eq!(
        report.warnings[0],
        "product.yaml: style: labelled `V3`: its RPC-shaped operations are imported as RPC, the others skipped"
    );
    assert_eq!(report.skipped.len(), 2, "{:?}", report.skipped);
    assert_eq!(
        skipped(&report, "GetWidget"),
        "V3 style, not RPC-shaped: GET `/widgets/{WidgetId}` with path parameter `WidgetId` \
         cannot be generated in an RPC product"
    );
    // A fixed path under a V3 label is ROA: signed and sent to that path.
    assert_eq!(
        skipped(&report, "SearchWidgets"),
        "V3 style, not RPC-shaped: GET `/widgets` cannot be generated in an RPC product"
    );
    // A binary `body` is the raw HTTP body: a `stream` parameter of type `binary`.
    let scan = &operations[1];
    let params: Vec<(&str, Location, Option<Type>)> = scan
        .parameters
        .iter()
        .map(|p| (p.name.as_str(), p.location, p.schema.ty))
        .collect();
    assert_eq!(
        params,
        [
            ("Url", Location::Query, Some(Type::String)),
            ("body", Location::Stream, Some(Type::Binary))
        ]
    );
}

#[test]
fn raw_bodies_that_conflict_are_refused_with_their_reason() {
    let mut doc = read(&fixture("v3_rpc.json"));
    let binary = json!({"type": "string", "format": "binary"});
    doc["apis"]["ScanWidget"]["parameters"] = json!([
        {"name": "Front", "in": "body", "schema": binary},
        {"name": "Back", "in": "body", "schema": binary}
    ]);
    let mut rpc = doc.clone();
    rpc["info"]["style"] = json!("RPC");
    rpc["apis"]["ScanWidget"]["parameters"] = json!([
        {"name": "Image", "in": "body", "schema": binary},
        {"name": "Name", "in": "formData", "schema": {"type": "string"}}
    ]);
    let options = ImportOptions::new(Path::new("x.json"), Path::new("spec"));
    let (_, _, _, report) = convert(&doc, None, &options).unwrap();
    assert_eq!(
        skipped(&report, "ScanWidget"),
        "`Front` and `Back` are both the raw request body"
    );
    let (_, _, _, report) = convert(&rpc, None, &options).unwrap();
    assert_eq!(
        skipped(&report, "ScanWidget"),
        "`Image` is the raw request body, yet `Name` is a form-body parameter"
    );
}

#[test]
fn other_labels_are_refused_in_one_line_naming_the_reason() {
    // OSS, SLS and the like sign their own way, whatever the path.
    for (style, why) in [
        ("OSS", "the `OSS` signature"),
        ("SLS", "the `LOG` signature"),
        ("PDS", "its own gateway"),
        ("AliGenie", "openapi.aligenie.com"),
        ("Carrier", "no wire format acsgen knows"),
    ] {
        let mut doc = read(&fixture("v3_rpc.json"));
        doc["info"]["style"] = json!(style);
        let error = convert(
            &doc,
            None,
            &ImportOptions::new(Path::new("x.json"), Path::new("spec")),
        )
        .unwrap_err();
        assert_eq!(error.exit(), Exit::Unsupported, "{style}");
        let ImportError::UnsupportedStyle { operations, .. } = &error else {
            panic!("{style}: {error}")
        };
        assert_eq!(*operations, 4, "{style}");
        let message = error.to_string();
        assert!(
            message.starts_with(&format!(
                "nothing importable: `v3demo` is {style} style (4 operation(s)): "
            )) && message.contains(why)
                && !message.contains('\n'),
            "{message}"
        );
    }
}

#[test]
fn fc_label_and_all_path_v3_products_import_as_roa() {
    let options = ImportOptions::new(Path::new("x.json"), Path::new("spec"));
    let mut fc = read(&fixture("v3_rpc.json"));
    fc["info"]["style"] = json!("FC");
    let (product, _, operations, _) = convert(&fc, None, &options).unwrap();
    assert_eq!(product.style, acsgen::spec::ApiStyle::Roa);
    // The crate docs say where FC really answers.
    assert!(
        product
            .description
            .contains("`<account-id>.<region>.fc.aliyuncs.com`"),
        "{}",
        product.description
    );
    assert!(operations.iter().any(|op| op.path == "/widgets/{WidgetId}"));

    // A V3 product whose every operation has its own path is ROA; one
    // operation at `/` keeps it RPC-shaped (the others are then skipped).
    let mut v3 = read(&fixture("v3_rpc.json"));
    let apis = v3["apis"].as_object_mut().unwrap();
    for (name, api) in apis.iter_mut() {
        if api["path"]
            .as_str()
            .is_none_or(|p| p.is_empty() || p == "/")
        {
            api["path"] = json!(format!("/v1/{name}"));
        }
    }
    let (product, _, operations, report) = convert(&v3, None, &options).unwrap();
    assert_eq!(product.style, acsgen::spec::ApiStyle::Roa);
    assert_eq!(operations.len(), 4, "{:?}", report.skipped);
    let (product, _, _, _) = convert(&read(&fixture("v3_rpc.json")), None, &options).unwrap();
    assert_eq!(product.style, acsgen::spec::ApiStyle::Rpc);
}

#[test]
fn a_pattern_path_with_one_unplaced_path_parameter_is_the_whole_path() {
    let doc = json!({
        "info": {"style": "V3", "product": "Ctl", "version": "2022-08-30"},
        "apis": {
            "GetThings": {
                "methods": ["get"],
                "path": "/api/v1/providers/{provider}/things/*",
                "parameters": [
                    {"name": "requestPath", "in": "path", "schema": {"type": "string"}},
                    {"name": "regionId", "in": "query", "schema": {"type": "string"}}
                ]
            },
            "GetTask": {
                "methods": ["get"],
                "path": "/api/v1/tasks/{taskId}",
                "parameters": [
                    {"name": "taskId", "in": "path", "schema": {"type": "string", "required": true}}
                ]
            }
        }
    });
    let options = ImportOptions::new(Path::new("x.json"), Path::new("spec"));
    let (_, _, operations, report) = convert(&doc, None, &options).unwrap();
    let get = |name: &str| operations.iter().find(|op| op.name == name).unwrap();
    assert_eq!(get("GetThings").path, "{+requestPath}");
    assert!(get("GetThings").parameters[0].schema.required);
    assert_eq!(get("GetTask").path, "/api/v1/tasks/{taskId}");
    assert!(report.warnings.iter().any(|w| {
        w == "GetThings: path: metadata path `/api/v1/providers/{provider}/things/*` is a pattern: \
            parameter `requestPath` is the whole request path"
    }));
}

#[test]
fn roa_label_imports_method_path_and_path_parameters() {
    let mut doc = read(&fixture("v3_rpc.json"));
    doc["info"]["style"] = json!("ROA");
    let (product, _, operations, report) = convert(
        &doc,
        None,
        &ImportOptions::new(Path::new("x.json"), Path::new("spec")),
    )
    .unwrap();
    assert_eq!(product.style, acsgen::spec::ApiStyle::Roa);
    let get = operations.iter().find(|op| op.name == "GetWidget").unwrap();
    assert_eq!(get.method, acsgen::spec::HttpMethod::Get);
    assert_eq!(get.path, "/widgets/{WidgetId}");
    assert_eq!(get.parameters[0].location, Location::Path);
    assert!(get.parameters[0].schema.required);
    // A ROA operation needs its path: the path-less ones are refused with why.
    assert_eq!(
        skipped(&report, "ListWidgets"),
        "ROA style: path `` does not start with `/`"
    );
}

#[test]
fn contradicting_examples_and_sample_values_are_dropped_with_warnings() {
    let (operations, report) = convert_file("v3_rpc.json");
    let op = &operations[0];
    let has = |text: &str| report.warnings.iter().any(|w| w == text);
    for warning in [
        "ListWidgets: parameters.PageSize: example `154.11` is not an int32; dropped",
        "ListWidgets: response.Total: example `154.11` is not an int64; dropped",
        "ListWidgets: response.Status: example `Gone` is not one of the valid values; dropped",
        "ListWidgets: response.example: `$.Total` is `154.11`, not an int64; removed from the sample",
        "ListWidgets: response.example: `$.Widgets[].Size` is `\"12\"`, not an int32; removed from the sample",
    ] {
        assert!(has(warning), "missing {warning:?} in {:#?}", report.warnings);
    }
    let page_size = &op.parameters[1].schema;
    assert_eq!(page_size.ty, Some(Type::Int32), "the declared type stays");
    assert_eq!(page_size.example, None);
    let response = op.response.as_ref().unwrap();
    assert_eq!(response.schema.properties["Total"].example, None);
    assert_eq!(response.schema.properties["Status"].example, None);
    let sample: Value = serde_json::from_str(response.example.as_deref().unwrap()).unwrap();
    assert_eq!(
        sample,
        json!({
            "RequestId": "R-2",
            "Status": "Ready",
            "Widgets": [{"Id": "w-1"}, {"Id": "w-2", "Size": 3}]
        })
    );
}

#[test]
fn contradicting_defaults_are_dropped_and_boolean_case_is_normalized() {
    let doc = json!({
        "info": {"style": "RPC", "product": "Demo", "version": "2020-01-01"},
        "apis": {"DoThing": {
            "methods": ["post"],
            "parameters": [
                {"name": "PageNo", "in": "query", "schema": {
                    "type": "integer", "format": "int32", "minimum": "1", "default": "0", "example": "3"}},
                {"name": "Size", "in": "query", "schema": {
                    "type": "integer", "format": "int32", "maximum": "100", "example": "500"}},
                {"name": "When", "in": "query", "schema": {
                    "type": "string", "enum": ["Now", "Later"], "default": "Soon"}},
                {"name": "Level", "in": "query", "schema": {
                    "type": "integer", "format": "int32", "enum": ["1", "2"], "example": "02", "default": "3"}},
                {"name": "Force", "in": "query", "schema": {
                    "type": "boolean", "default": "True", "example": "flase"}},
                {"name": "Ratio", "in": "query", "schema": {"type": "number", "example": "0.5****"}},
                {"name": "Blank", "in": "query", "schema": {"type": "integer", "example": ""}},
                {"name": "Note", "in": "query", "schema": {"type": "integer", "example": "none\nat all"}},
                {"name": "Long", "in": "query", "schema": {"type": "integer", "example": "x".repeat(50)}}
            ]
        }}
    });
    let (_, _, operations, report) = convert(
        &doc,
        None,
        &ImportOptions::new(Path::new("d.json"), Path::new("spec")),
    )
    .unwrap();
    let schema = |name: &str| {
        operations[0]
            .parameters
            .iter()
            .find(|p| p.name == name)
            .unwrap()
            .schema
            .clone()
    };
    let expected = [
        "DoThing: parameters.PageNo: default `0` is below the minimum 1; dropped",
        "DoThing: parameters.Size: example `500` is above the maximum 100; dropped",
        "DoThing: parameters.When: default `Soon` is not one of the valid values; dropped",
        "DoThing: parameters.Level: default `3` is not one of the valid values; dropped",
        "DoThing: parameters.Force: default `True` written `true`",
        "DoThing: parameters.Force: example `flase` is not a boolean; dropped",
        "DoThing: parameters.Ratio: example `0.5****` is not a double; dropped",
        // Notes stay on one line and short.
        "DoThing: parameters.Note: example `none\\nat all` is not an int64; dropped",
        "DoThing: parameters.Long: example `xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...` is not an int64; dropped",
    ];
    assert_eq!(report.warnings, expected);
    assert_eq!(schema("PageNo").default, None);
    assert_eq!(schema("PageNo").example.as_deref(), Some("3"));
    assert_eq!(
        schema("Level").example.as_deref(),
        Some("02"),
        "integers compare as numbers"
    );
    assert_eq!(schema("Force").default.as_deref(), Some("true"));
    assert_eq!(
        schema("Blank").example,
        None,
        "an empty example is no example"
    );
}

/// Import both fixtures, generate their crates and a probe crate that
/// calls them against the signature-verifying server on 127.0.0.1, and run
/// `cargo test` there: the probe's checks and each crate's own sample test.
#[test]
fn generated_clients_send_rpc_shaped_operations_to_root() {
    let spec = tempfile::tempdir().unwrap();
    for name in ["rpc_path.json", "v3_rpc.json"] {
        import(&ImportOptions::new(fixture(name), spec.path()))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    let crates: Vec<_> = ["pathdemo", "v3demo"]
        .iter()
        .map(|code| support::generate_for_check(&spec.path().join(code)))
        .collect();

    let base = support::root().join("target/acsgen-test-crates");
    let workspace = base.join("import_rpc_shaped");
    let _ = std::fs::remove_dir_all(&workspace);
    for generated in &crates {
        acsgen::write::write_crate(&workspace.join(&generated.dir_name), &generated.files)
            .expect("write crate");
    }
    let probe = workspace.join("probe");
    std::fs::create_dir_all(probe.join("tests")).unwrap();
    let runtime = support::root().join("runtime");
    std::fs::write(
        probe.join("Cargo.toml"),
        format!(
            r#"[package]
name = "probe"
version = "0.0.0"
edition = "2021"
publish = false

[dev-dependencies]
alibabacloud-pathdemo = {{ path = "../pathdemo" }}
alibabacloud-v3demo = {{ path = "../v3demo" }}
acsgen-runtime = {{ path = {runtime:?} }}
serde_json = "1"
tokio = {{ version = "1", features = ["macros", "rt", "rt-multi-thread", "net", "io-util", "time"] }}
hmac = "0.12"
sha1 = "0.10"
sha2 = "0.10"
base64 = "0.22"
hex = "0.4"
"#,
            runtime = runtime.display().to_string()
        ),
    )
    .unwrap();
    std::fs::create_dir_all(probe.join("src")).unwrap();
    std::fs::write(probe.join("src/lib.rs"), "").unwrap();
    std::fs::write(
        probe.join("tests/wire.rs"),
        PROBE.replace(
            "SUPPORT",
            &runtime.join("tests/support/mod.rs").display().to_string(),
        ),
    )
    .unwrap();
    std::fs::write(
        workspace.join("Cargo.toml"),
        "[workspace]\nmembers = [\"pathdemo\", \"v3demo\", \"probe\"]\nresolver = \"2\"\n",
    )
    .unwrap();
    let _ = std::fs::copy(
        support::root().join("Cargo.lock"),
        workspace.join("Cargo.lock"),
    );
    // Doctests are another test's business (and slow to build).
    let results = support::cargo_test_results(
        "import_rpc_shaped",
        &["--workspace", "--tests"],
        "cargo test failed",
    );
    // Both generated crates' own tests (the sample tests) and the probe's.
    assert!(results.len() >= 3, "{results:?}");
    assert!(results.iter().any(|r| r.0 == 2), "{results:?}");
}

/// The probe's test file; `SUPPORT` is the runtime's test server module.
const PROBE: &str = r##"
#[path = "SUPPORT"]
mod server;

use acsgen_runtime::{RetryConfig, SignatureVersion};
use server::{Key, Reply, Signed, TestServer};

const ID: &str = "LTAI5tProbeAccessKeyId";
const SECRET: &str = "ProbeAccessKeySecret123";

fn config(server: &TestServer, signature: SignatureVersion) -> acsgen_runtime::Config {
    acsgen_runtime::Config::new()
        .endpoint(server.endpoint())
        .region("cn-hangzhou")
        .access_key(ID, SECRET)
        .signature_version(signature)
        .retry(RetryConfig::new().max_attempts(1))
}

#[tokio::test]
async fn a_fixed_metadata_path_is_not_sent() {
    use alibabacloud_pathdemo::operations::cancel_thing::Mode;
    let server = TestServer::start(vec![Key::new(ID, SECRET)], |_, _| {
        Reply::json(200, r#"{"RequestId":"R-1"}"#)
    })
    .await;
    for signature in [SignatureVersion::V3, SignatureVersion::RpcV1] {
        let client = alibabacloud_pathdemo::Client::new(config(&server, signature)).unwrap();
        let response = client
            .cancel_thing("cn-hangzhou", "t-1")
            .mode(Mode::Safe)
            .send()
            .await
            .expect("call succeeds");
        assert_eq!(response.request_id.as_deref(), Some("R-1"));
    }
    let received = server.requests();
    assert_eq!(received.len(), 2);
    for (request, signed) in received.iter().zip([Signed::V3, Signed::Rpc]) {
        assert_eq!(request.verified, Ok(signed));
        assert_eq!(request.path, "/");
        assert_eq!(request.method, "POST");
        assert_eq!(request.param("RegionId"), Some("cn-hangzhou"));
        assert_eq!(request.param("ThingId"), Some("t-1"));
        assert_eq!(request.param("Mode"), Some("Safe"));
        assert!(request.body.is_empty());
    }
    assert_eq!(received[0].header("x-acs-action"), Some("CancelThing"));
    assert_eq!(received[1].param("Action"), Some("CancelThing"));
}

#[tokio::test]
async fn a_v3_labelled_rpc_operation_is_sent_as_rpc() {
    let server = TestServer::start(vec![Key::new(ID, SECRET)], |_, _| {
        Reply::json(200, r#"{"RequestId":"R-2","Total":7,"Widgets":[{"Id":"w-1","Size":3}]}"#)
    })
    .await;
    for signature in [SignatureVersion::V3, SignatureVersion::RpcV1] {
        let client = alibabacloud_v3demo::Client::new(config(&server, signature)).unwrap();
        let response = client
            .list_widgets("cn-hangzhou")
            .page_size(20)
            .name("w 1")
            .send()
            .await
            .expect("call succeeds");
        assert_eq!(response.total, Some(7));
        assert_eq!(response.widgets[0].size, Some(3));
    }
    let received = server.requests();
    assert_eq!(received.len(), 2);
    for (request, signed) in received.iter().zip([Signed::V3, Signed::Rpc]) {
        assert_eq!(request.verified, Ok(signed));
        assert_eq!(request.path, "/");
        assert_eq!(request.method, "POST");
        assert_eq!(request.param("RegionId"), Some("cn-hangzhou"));
        assert_eq!(request.param("PageSize"), Some("20"));
        assert_eq!(request.param("Name"), None, "form parameters stay in the body");
        assert_eq!(request.form(), vec![("Name".to_owned(), "w 1".to_owned())]);
        assert_eq!(
            request.header("content-type"),
            Some("application/x-www-form-urlencoded")
        );
    }
    assert_eq!(received[0].header("x-acs-action"), Some("ListWidgets"));
    assert_eq!(received[1].param("Action"), Some("ListWidgets"));
}
"##;

#[test]
fn kept_facts_that_contradict_the_metadata_are_not_brought_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc = read(&fixture("v3_rpc.json"));
    doc["apis"]["ListWidgets"]
        .as_object_mut()
        .unwrap()
        .remove("responseDemo");
    doc["apis"]["ListWidgets"]["parameters"][0]["schema"]
        .as_object_mut()
        .unwrap()
        .remove("example");
    let input = dir.path().join("v3.json");
    std::fs::write(&input, doc.to_string()).unwrap();
    let out = dir.path().join("spec");
    let mut opts = ImportOptions::new(&input, &out);
    opts.prose = Prose::Keep;
    import(&opts).unwrap();

    // Hand-filled facts the metadata lacks: one fits, two do not.
    let file = out.join("v3demo/operations/ListWidgets.yaml");
    let mut op: Operation =
        acsgen::load::parse_yaml(&file, &std::fs::read_to_string(&file).unwrap()).unwrap();
    op.parameters[0].schema.example = Some("cn-beijing".to_owned());
    op.parameters[1].schema.example = Some("154.11".to_owned());
    op.response.as_mut().unwrap().example =
        Some(r#"{"RequestId": "R-3", "Total": 1.5}"#.to_owned());
    std::fs::write(&file, serde_yaml::to_string(&op).unwrap()).unwrap();

    let report = import(&opts).unwrap();
    let op: Operation =
        acsgen::load::parse_yaml(&file, &std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(
        op.parameters[0].schema.example.as_deref(),
        Some("cn-beijing")
    );
    assert_eq!(op.parameters[1].schema.example, None);
    let sample: Value =
        serde_json::from_str(op.response.unwrap().example.as_deref().unwrap()).unwrap();
    assert_eq!(sample, json!({"RequestId": "R-3"}));
    assert!(report.warnings.contains(
        &"ListWidgets: response.example: `$.Total` is `1.5`, not an int64; removed from the sample"
            .to_owned()
    ), "{:#?}", report.warnings);
    assert_eq!(
        report.kept,
        ["ListWidgets: parameters.RegionId.example, response.example"]
    );
}

#[test]
fn a_success_body_that_is_a_component_is_that_object() {
    let doc = json!({
        "info": {"style": "ROA", "product": "Drive", "version": "2022-03-01"},
        "components": {"schemas": {"Domain": {
            "type": "object",
            "properties": {
                "domain_id": {"type": "string"},
                "size": {"type": "integer", "format": "int64"}
            }
        }}},
        "apis": {"GetDomain": {
            "methods": ["post"],
            "path": "/v2/domain/get",
            "parameters": [],
            "responses": {"200": {"schema": {"$ref": "#/components/schemas/Domain"}}}
        }}
    });
    let options = ImportOptions::new(Path::new("x.json"), Path::new("spec"));
    let (_, _, operations, report) = convert(&doc, None, &options).unwrap();
    let response = operations[0].response.as_ref().expect("kept");
    assert_eq!(response.schema.ty, Some(Type::Object));
    assert_eq!(
        response.schema.properties.keys().collect::<Vec<_>>(),
        ["domain_id", "size"]
    );
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
}

/// FC's shapes: response headers become typed headers of the spec (scalars only,
/// each once whatever its case), and a `byte` body, asked or answered, is raw bytes.
#[test]
fn response_headers_and_byte_bodies_are_imported() {
    let doc = json!({
        "info": {"style": "FC", "product": "FC-Open", "version": "2021-04-06"},
        "apis": {"Invoke": {
            "methods": ["post"],
            "path": "/2021-04-06/services/{serviceName}/invocations",
            "parameters": [
                {"name": "serviceName", "in": "path", "schema": {"type": "string", "required": true}},
                {"name": "body", "in": "body", "schema": {"type": "string", "format": "byte"}}
            ],
            "responses": {"200": {
                "schema": {"type": "string", "format": "byte"},
                "headers": {
                    "ETag": {"schema": {"type": "string"}},
                    "X-Fc-Invocation-Duration": {"schema": {"type": "number"}},
                    "etag": {"schema": {"type": "string"}},
                    "X-Fc-List": {"schema": {"type": "array", "items": {"type": "string"}}}
                }
            }}
        }}
    });
    let options = ImportOptions::new(Path::new("x.json"), Path::new("spec"));
    let (_, _, operations, report) = convert(&doc, None, &options).unwrap();
    assert_eq!(operations.len(), 1, "{:?}", report.skipped);
    let op = &operations[0];
    assert_eq!(op.parameters[1].location, Location::Stream);
    assert_eq!(op.parameters[1].schema.ty, Some(Type::Binary));
    let response = op.response.as_ref().expect("kept");
    assert_eq!(response.schema.ty, Some(Type::Binary));
    let headers: Vec<(&str, Option<Type>)> = response
        .headers
        .iter()
        .map(|h| (h.name.as_str(), h.schema.ty))
        .collect();
    assert_eq!(
        headers,
        [
            ("ETag", Some(Type::String)),
            ("X-Fc-Invocation-Duration", Some(Type::Double))
        ]
    );
    let warnings = report.warnings.join("\n");
    assert!(
        warnings
            .contains("response.headers.etag: listed twice (names ignore case); kept the first")
            && warnings.contains(
                "response.headers.X-Fc-List: not a header name with a scalar value; dropped"
            ),
        "{warnings}"
    );
}
