//! `acsgen import --prose keep` never loses what was filled in by hand:
//! facts the metadata lacks (rate limit, response and its sample, error
//! codes, examples, valid values), the endpoint rule of `product.yaml`, and
//! components a filtered import did not select. The metadata still wins
//! wherever it has the fact, and re-importing writes nothing.

mod support;

use std::fs;
use std::path::PathBuf;

use acsgen::import::{import, ImportOptions, Prose};
use acsgen::spec::{
    EndpointRule, EnumValue, ErrorCode, Operation, Product, RateLimit, RateLimitScope, Response,
    Schema, Type,
};
use acsgen::{load, validate};
use serde_json::{json, Value};

/// A small RPC api-docs.json: `apis` as given, endpoints mostly central.
fn document(apis: Value) -> Value {
    json!({
        "version": "1.0",
        "info": {"style": "RPC", "product": "Demo", "version": "2020-01-01"},
        "apis": apis,
        "components": {"schemas": {
            "Used": {"type": "object", "properties": {"Inner": {"$ref": "#/components/schemas/Nested"}}},
            "Nested": {"type": "object", "properties": {"N": {"type": "string"}}},
            "Unused": {"type": "object", "properties": {"U": {"type": "string"}}}
        }},
        "endpoints": [
            {"regionId": "cn-shanghai", "endpoint": "demo.aliyuncs.com"},
            {"regionId": "ap-southeast-1", "endpoint": "demo.ap-southeast-1.aliyuncs.com"},
            {"regionId": "cn-beijing", "endpoint": "demo.aliyuncs.com"}
        ]
    })
}

/// `DoThing` as the 2025 edition has it: parameters only.
fn bare_api() -> Value {
    json!({
        "methods": ["post"],
        "parameters": [
            {"name": "AppId", "in": "query", "schema": {"type": "string", "required": true}},
            {"name": "DataCenter", "in": "query", "schema": {"type": "string"}}
        ]
    })
}

struct Setup {
    _dir: tempfile::TempDir,
    input: PathBuf,
    out: PathBuf,
}

impl Setup {
    fn new(apis: Value) -> Setup {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("api-docs.json");
        let out = dir.path().join("spec");
        let setup = Setup {
            _dir: dir,
            input,
            out,
        };
        setup.write_input(apis);
        setup
    }

    fn write_input(&self, apis: Value) {
        fs::write(&self.input, serde_json::to_vec(&document(apis)).unwrap()).unwrap();
    }

    fn options(&self, filters: &[&str]) -> ImportOptions {
        ImportOptions {
            input: self.input.clone(),
            older: None,
            filters: filters.iter().map(|f| (*f).to_owned()).collect(),
            out: self.out.clone(),
            prose: Prose::Keep,
            crate_name: None,
        }
    }

    fn op_path(&self, name: &str) -> PathBuf {
        self.out
            .join("demo/operations")
            .join(format!("{name}.yaml"))
    }

    fn read_op(&self, name: &str) -> Operation {
        let path = self.op_path(name);
        load::parse_yaml(&path, &fs::read_to_string(&path).unwrap()).unwrap()
    }

    fn write_op(&self, op: &Operation) {
        fs::write(self.op_path(&op.name), serde_yaml::to_string(op).unwrap()).unwrap();
    }

    fn validate(&self) {
        let dir = self.out.join("demo");
        let (files, spec) = load::load_product(&dir)
            .unwrap_or_else(|d| panic!("{} does not load:\n{d}", dir.display()));
        if let Err(d) = validate::validate(&files, &spec) {
            panic!("{} does not validate:\n{d}", dir.display());
        }
    }
}

fn string(description: &str, example: Option<&str>) -> Schema {
    Schema {
        ty: Some(Type::String),
        description: description.to_owned(),
        example: example.map(str::to_owned),
        ..Schema::default()
    }
}

/// What a person adds to `DoThing` after a first import from bare metadata.
fn fill_by_hand(op: &mut Operation) {
    op.summary = "Does the thing.".to_owned();
    op.rate_limit = Some(RateLimit {
        qps: 50,
        scope: RateLimitScope::Account,
    });
    op.parameters[0].schema.example = Some("demo".to_owned());
    op.parameters[0].schema.description = "ID of the application.".to_owned();
    let data_center = &mut op.parameters[1].schema;
    data_center.example = Some("cn-shanghai".to_owned());
    data_center.enumeration = vec![
        EnumValue {
            value: "cn-shanghai".to_owned(),
            description: "Shanghai.".to_owned(),
        },
        EnumValue {
            value: "ap-southeast-1".to_owned(),
            description: "Singapore.".to_owned(),
        },
    ];
    let mut schema = Schema {
        ty: Some(Type::Object),
        ..Schema::default()
    };
    schema.properties.insert(
        "RequestId".to_owned(),
        string("ID of the request.", Some("B95BE680-****")),
    );
    op.response = Some(Response {
        schema,
        example: Some("{\n  \"RequestId\": \"B95BE680-****\"\n}".to_owned()),
        headers: Vec::new(),
    });
    op.errors = vec![ErrorCode {
        status: 404,
        code: "ResourceNotExist".to_owned(),
        message: "%s.".to_owned(),
        description: "The application does not exist.".to_owned(),
    }];
}

#[test]
fn keep_holds_hand_filled_facts_and_reimports_byte_identically() {
    let setup = Setup::new(json!({"DoThing": bare_api()}));
    import(&setup.options(&[])).unwrap();
    let mut op = setup.read_op("DoThing");
    assert!(op.response.is_none() && op.errors.is_empty() && op.rate_limit.is_none());
    fill_by_hand(&mut op);
    setup.write_op(&op);

    let report = import(&setup.options(&[])).unwrap();
    let kept = setup.read_op("DoThing");
    assert_eq!(kept, op, "nothing filled by hand is lost");
    assert_eq!(
        report.kept,
        vec![
            "DoThing: rate_limit, parameters.AppId.example, parameters.DataCenter.example, \
             parameters.DataCenter.enum, response, errors"
                .to_owned()
        ]
    );
    assert!(report
        .to_string()
        .contains("kept from the existing files (not in the metadata):\n  DoThing: rate_limit"));
    setup.validate();

    // The same import again: byte-identical, nothing written.
    let before = support::snapshot(&setup.out);
    let again = import(&setup.options(&[])).unwrap();
    assert!(again.written.is_empty(), "rewrote {:?}", again.written);
    assert_eq!(support::snapshot(&setup.out), before);

    // `--prose none` and `metadata` do not look at the existing facts.
    let mut none = setup.options(&[]);
    none.prose = Prose::None;
    let report = import(&none).unwrap();
    assert!(report.kept.is_empty());
    let stripped = setup.read_op("DoThing");
    assert!(stripped.response.is_none() && stripped.errors.is_empty());
    assert!(stripped.rate_limit.is_none());
}

#[test]
fn metadata_facts_win_over_kept_ones() {
    let setup = Setup::new(json!({"DoThing": bare_api()}));
    import(&setup.options(&[])).unwrap();
    let mut op = setup.read_op("DoThing");
    fill_by_hand(&mut op);
    setup.write_op(&op);

    // A newer edition now documents the operation itself.
    let mut api = bare_api();
    api["description"] = json!("## QPS限制\n本接口的单用户QPS限制为20次/秒。");
    api["parameters"][0]["schema"]["example"] = json!("app-1");
    api["parameters"][1]["schema"]["enum"] = json!(["cn-shanghai"]);
    api["responses"] = json!({"200": {"schema": {"type": "object", "properties": {
        "RequestId": {"type": "string", "example": "META-****"},
        "Count": {"type": "integer", "format": "int32"}
    }}}});
    api["errorCodes"] = json!({"400": [{"errorCode": "InputInvalid", "errorMessage": "%s."}],
        "404": [{"errorCode": "ResourceNotExist", "errorMessage": "Gone %s."}]});
    setup.write_input(json!({"DoThing": api}));

    let report = import(&setup.options(&[])).unwrap();
    let new = setup.read_op("DoThing");
    assert_eq!(
        new.rate_limit,
        Some(RateLimit {
            qps: 20,
            scope: RateLimitScope::User
        })
    );
    assert_eq!(new.parameters[0].schema.example.as_deref(), Some("app-1"));
    let values: Vec<&str> = new.parameters[1]
        .schema
        .enumeration
        .iter()
        .map(|v| v.value.as_str())
        .collect();
    assert_eq!(values, ["cn-shanghai"]);
    assert_eq!(
        new.parameters[1].schema.enumeration[0].description, "Shanghai.",
        "prose of a value that still exists is kept"
    );
    let response = new.response.as_ref().unwrap();
    assert_eq!(
        response.schema.properties.keys().collect::<Vec<_>>(),
        ["RequestId", "Count"]
    );
    assert_eq!(
        response.schema.properties["RequestId"].example.as_deref(),
        Some("META-****")
    );
    assert_eq!(
        response.schema.properties["RequestId"].description,
        "ID of the request."
    );
    assert_eq!(
        response.example,
        op.response.as_ref().unwrap().example,
        "the metadata has no sample, so the existing one stays"
    );
    let codes: Vec<(u16, &str, &str)> = new
        .errors
        .iter()
        .map(|e| (e.status, e.code.as_str(), e.message.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            (400, "InputInvalid", "%s."),
            (404, "ResourceNotExist", "Gone %s.")
        ]
    );
    assert_eq!(new.errors[1].description, "The application does not exist.");
    assert_eq!(
        report.kept,
        vec!["DoThing: parameters.DataCenter.example, response.example".to_owned()]
    );
    setup.validate();
}

#[test]
fn a_changed_type_does_not_take_the_old_valid_values() {
    let setup = Setup::new(json!({"DoThing": bare_api()}));
    import(&setup.options(&[])).unwrap();
    let mut op = setup.read_op("DoThing");
    fill_by_hand(&mut op);
    setup.write_op(&op);
    let mut api = bare_api();
    api["parameters"][1]["schema"] = json!({"type": "integer", "format": "int32"});
    setup.write_input(json!({"DoThing": api}));
    import(&setup.options(&[])).unwrap();
    let new = setup.read_op("DoThing");
    assert_eq!(new.parameters[1].schema.ty, Some(Type::Int32));
    assert!(new.parameters[1].schema.enumeration.is_empty());
    assert_eq!(new.parameters[1].schema.example, None);
    assert_eq!(new.parameters[0].schema.example.as_deref(), Some("demo"));
    setup.validate();
}

#[test]
fn filtered_import_writes_only_used_components_and_keeps_the_rest() {
    let mut uses = bare_api();
    uses["responses"] = json!({"200": {"schema": {"type": "object", "properties": {
        "Data": {"$ref": "#/components/schemas/Used"}}}}});
    let setup = Setup::new(json!({"DoThing": bare_api(), "UseIt": uses}));
    let components = setup.out.join("demo/components.yaml");

    // Nothing selected refers to a component: no components.yaml at all.
    import(&setup.options(&["DoThing"])).unwrap();
    assert!(!components.exists());

    // Only `Used` and what it refers to.
    import(&setup.options(&["UseIt"])).unwrap();
    let text = fs::read_to_string(&components).unwrap();
    let parsed: acsgen::spec::Components = load::parse_yaml(&components, &text).unwrap();
    assert_eq!(
        parsed.schemas.keys().collect::<Vec<_>>(),
        ["Used", "Nested"]
    );
    setup.validate();

    // A filter selecting neither keeps them; a full import writes all.
    let report = import(&setup.options(&["DoThing"])).unwrap();
    assert!(report.written.is_empty(), "{:?}", report.written);
    assert_eq!(fs::read_to_string(&components).unwrap(), text);
    import(&setup.options(&[])).unwrap();
    let text = fs::read_to_string(&components).unwrap();
    let parsed: acsgen::spec::Components = load::parse_yaml(&components, &text).unwrap();
    assert_eq!(parsed.schemas.len(), 3);
    setup.validate();
}

#[test]
fn product_keeps_its_endpoint_rule_and_sorts_regions() {
    let setup = Setup::new(json!({"DoThing": bare_api()}));
    let report = import(&setup.options(&[])).unwrap();
    assert!(report.kept.is_empty());
    let path = setup.out.join("demo/product.yaml");
    let mut product: Product =
        load::parse_yaml(&path, &fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(product.endpoints.rule, EndpointRule::Central);
    assert_eq!(
        product.endpoints.regions.keys().collect::<Vec<_>>(),
        ["ap-southeast-1", "cn-beijing", "cn-shanghai"]
    );

    product.endpoints.rule = EndpointRule::Regional;
    product.name = "Demo Service".to_owned();
    fs::write(&path, serde_yaml::to_string(&product).unwrap()).unwrap();
    let text = fs::read_to_string(&path).unwrap();
    let report = import(&setup.options(&[])).unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), text);
    assert_eq!(
        report.kept,
        vec!["product.yaml: endpoints.rule regional (the metadata suggests central)".to_owned()]
    );
}

/// The committed `spec/live` is exactly what its import command (see
/// `spec/live/IMPORT.md`) writes over it: re-importing changes no byte.
#[test]
#[ignore = "needs ../shared/metadata; .ci/run runs it when ../shared exists"]
fn committed_live_spec_reimports_byte_identically() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let metadata = support::metadata_dir();
    let live = |edition: &str| metadata.join(edition).join("live/2016-11-01/api-docs.json");
    let out = tempfile::tempdir().unwrap();
    let copy = out.path().join("live");
    fs::create_dir_all(copy.join("operations")).unwrap();
    for entry in fs::read_dir(root.join("spec/live")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml") {
            fs::copy(&path, copy.join(path.file_name().unwrap())).unwrap();
        }
    }
    for entry in fs::read_dir(root.join("spec/live/operations")).unwrap() {
        let path = entry.unwrap().path();
        fs::copy(
            &path,
            copy.join("operations").join(path.file_name().unwrap()),
        )
        .unwrap();
    }
    let before = support::snapshot(out.path());
    let report = import(&ImportOptions {
        input: live("2025-12"),
        older: Some(live("2024-06")),
        filters: vec!["*LiveMessage*".to_owned()],
        out: out.path().to_path_buf(),
        prose: Prose::Keep,
        crate_name: None,
    })
    .unwrap();
    assert!(report.written.is_empty(), "{report}");
    assert!(report.skipped.is_empty(), "{report}");
    assert_eq!(support::snapshot(out.path()), before);
    let ops = fs::read_dir(copy.join("operations")).unwrap().count();
    assert_eq!(ops, 29, "the interactive messaging family");
}

/// A response header the metadata lists keeps the description and example filled in by
/// hand, matched whatever the case of its name; the metadata's type still wins.
#[test]
fn response_headers_keep_their_hand_written_prose_and_facts() {
    let api = |header: &str, ty: &str| {
        json!({
            "methods": ["post"],
            "parameters": [{"name": "AppId", "in": "query", "schema": {"type": "string", "required": true}}],
            "responses": {"200": {
                "schema": {"type": "object", "properties": {"RequestId": {"type": "string"}}},
                "headers": {header: {"schema": {"type": ty}}}
            }}
        })
    };
    let setup = Setup::new(json!({"DoThing": api("ETag", "string")}));
    import(&setup.options(&[])).unwrap();
    let mut op = setup.read_op("DoThing");
    let header = &mut op.response.as_mut().expect("response").headers[0];
    assert_eq!(header.name, "ETag");
    header.schema.description = "Version tag of the thing.".to_owned();
    header.schema.example = Some("5e547e56".to_owned());
    setup.write_op(&op);

    setup.write_input(json!({"DoThing": api("etag", "string")}));
    let report = import(&setup.options(&[])).unwrap();
    let kept = setup.read_op("DoThing");
    let header = &kept.response.as_ref().expect("response").headers[0];
    assert_eq!(header.name, "etag", "the metadata's name wins");
    assert_eq!(header.schema.description, "Version tag of the thing.");
    assert_eq!(header.schema.example.as_deref(), Some("5e547e56"));
    assert_eq!(
        report.kept,
        ["DoThing: response.headers.etag.example".to_owned()]
    );
    setup.validate();

    // A new type drops the example written for the old one.
    setup.write_input(json!({"DoThing": api("etag", "integer")}));
    import(&setup.options(&[])).unwrap();
    let retyped = setup.read_op("DoThing");
    let header = &retyped.response.as_ref().expect("response").headers[0];
    assert_eq!(header.schema.ty, Some(Type::Int64));
    assert_eq!(header.schema.example, None);
}
