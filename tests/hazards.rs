//! Specs written to break a generator: hostile text in every prose and
//! example slot, and names that are keywords, prelude types, collisions or
//! not identifiers at all. The generated crates must compile with warnings
//! denied, document without warnings, and contain no injected code.

mod support;

use std::fs;
use std::path::Path;

use acsgen::spec::{
    ApiStyle, Change, Components, CrateInfo, EndpointRule, Endpoints, EnumValue, ErrorCode,
    HttpMethod, Location, Operation, ParamStyle, Parameter, Product, Response, Schema, Scheme,
    Type,
};
use indexmap::IndexMap;

fn product(code: &str) -> Product {
    Product {
        product: code.into(),
        version: "2020-01-01".into(),
        name: format!("Hazard {code}"),
        description: String::new(),
        style: ApiStyle::Rpc,
        protocol: Scheme::Https,
        endpoints: Endpoints {
            rule: EndpointRule::Regional,
            default: format!("{code}.aliyuncs.com"),
            regions: IndexMap::new(),
        },
        krate: CrateInfo {
            name: format!("hazard-{code}"),
            version: "0.1.0".into(),
        },
    }
}

fn scalar(ty: Type) -> Schema {
    Schema {
        ty: Some(ty),
        ..Schema::default()
    }
}

fn param(name: &str, required: bool, schema: Schema) -> Parameter {
    Parameter {
        name: name.into(),
        location: Location::Query,
        style: None,
        schema: Schema { required, ..schema },
    }
}

fn operation(name: &str) -> Operation {
    Operation {
        name: name.into(),
        summary: format!("Calls {name}."),
        description: String::new(),
        method: HttpMethod::Post,
        path: "/".into(),
        read_only: false,
        deprecated: None,
        rate_limit: None,
        authorization: Vec::new(),
        parameters: Vec::new(),
        response: None,
        errors: Vec::new(),
        changes: Vec::new(),
    }
}

fn write_spec(root: &Path, product: &Product, operations: &[Operation]) -> std::path::PathBuf {
    let dir = root.join(&product.product);
    fs::create_dir_all(dir.join("operations")).unwrap();
    fs::write(
        dir.join("product.yaml"),
        serde_yaml::to_string(product).unwrap(),
    )
    .unwrap();
    for op in operations {
        fs::write(
            dir.join("operations").join(format!("{}.yaml", op.name)),
            serde_yaml::to_string(op).unwrap(),
        )
        .unwrap();
    }
    dir
}

const HOSTILE: &str = "*/ fn injected() {} /* \"# #[injected_attr] `tick` ``` </p> <script>x</script> \u{202e}reversed \r\n[link] ~~123~~ \u{0} end";

fn hostile_spec(root: &Path) -> std::path::PathBuf {
    let long_line = "long ".repeat(2_000);
    let mut op = operation("Hostile");
    op.summary = HOSTILE.into();
    op.description = format!(
        "{HOSTILE}\n\n```\nfn doctest_injected() {{}}\n```\n\n    indented code\n\n{long_line}"
    );
    let mut enum_schema = scalar(Type::String);
    enum_schema.description = HOSTILE.into();
    enum_schema.example = Some(HOSTILE.into());
    enum_schema.enumeration = vec![
        EnumValue {
            value: "a\"#b".into(),
            description: HOSTILE.into(),
        },
        EnumValue {
            value: "*/".into(),
            description: String::new(),
        },
    ];
    let mut text = scalar(Type::String);
    text.description = HOSTILE.into();
    text.example = Some(HOSTILE.into());
    text.pattern = Some(HOSTILE.into());
    text.default = Some(HOSTILE.into());
    op.parameters = vec![
        param("Text", true, text.clone()),
        param("Choice", false, enum_schema),
        param(
            "Long",
            false,
            Schema {
                description: long_line.clone(),
                ..scalar(Type::String)
            },
        ),
    ];
    let mut properties = IndexMap::new();
    properties.insert("Quote\"d".to_owned(), text.clone());
    properties.insert("RequestId".to_owned(), scalar(Type::String));
    op.response = Some(Response {
        schema: Schema {
            ty: Some(Type::Object),
            properties,
            description: HOSTILE.into(),
            ..Schema::default()
        },
        example: Some(
            serde_json::json!({"Quote\"d": HOSTILE, "RequestId": "*/", "Extra": {"x": 1}})
                .to_string(),
        ),
    });
    op.errors = vec![ErrorCode {
        status: 400,
        code: "Bad\"Code */".into(),
        message: HOSTILE.into(),
        description: HOSTILE.into(),
    }];
    op.changes = vec![Change {
        date: "2024-01-01".into(),
        summary: HOSTILE.into(),
    }];
    op.deprecated = Some(acsgen::spec::Deprecation {
        note: HOSTILE.into(),
    });
    write_spec(root, &product("hostile"), &[op])
}

fn object(properties: &[(&str, Schema)]) -> Schema {
    Schema {
        ty: Some(Type::Object),
        properties: properties
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
        ..Schema::default()
    }
}

fn string_enum(values: &[&str]) -> Schema {
    Schema {
        enumeration: values
            .iter()
            .map(|v| EnumValue {
                value: v.to_string(),
                description: String::new(),
            })
            .collect(),
        ..scalar(Type::String)
    }
}

fn naming_spec(root: &Path) -> std::path::PathBuf {
    let mut main = operation("Match");
    let list = Schema {
        items: Some(Box::new(scalar(Type::String))),
        ..scalar(Type::Array)
    };
    let tags = Schema {
        items: Some(Box::new(object(&[
            ("Key", scalar(Type::String)),
            ("Value", scalar(Type::String)),
        ]))),
        ..scalar(Type::Array)
    };
    main.parameters = vec![
        param("type", true, scalar(Type::String)),
        param("match", true, scalar(Type::Int32)),
        param("Key", false, scalar(Type::String)),
        param("key", false, scalar(Type::Boolean)),
        param("Result", false, scalar(Type::Int64)),
        param("async", false, scalar(Type::Double)),
        param("HealthCheckURL", false, scalar(Type::String)),
        param("HealthCheckUrl", false, scalar(Type::String)),
        param("Filter.1.Key", false, scalar(Type::String)),
        param("3rdParty", false, scalar(Type::Float)),
        param("new", false, scalar(Type::String)),
        param("send", false, scalar(Type::String)),
        param(
            "Status",
            false,
            string_enum(&["Finished", "finished", "0", "3.0", "!=", "Unknown", "参数"]),
        ),
        param(
            "Level",
            false,
            Schema {
                enumeration: ["0", "1", "-2"]
                    .iter()
                    .map(|v| EnumValue {
                        value: v.to_string(),
                        description: String::new(),
                    })
                    .collect(),
                ..scalar(Type::Int32)
            },
        ),
        Parameter {
            style: Some(ParamStyle::RepeatList),
            ..param("Tag", false, tags)
        },
        Parameter {
            style: Some(ParamStyle::Json),
            ..param("Ids", false, list.clone())
        },
        Parameter {
            style: Some(ParamStyle::Simple),
            ..param("Names", false, list)
        },
        Parameter {
            style: Some(ParamStyle::Json),
            ..param(
                "Labels",
                false,
                Schema {
                    values: Some(Box::new(scalar(Type::String))),
                    ..scalar(Type::Map)
                },
            )
        },
        Parameter {
            location: Location::Body,
            ..param("Payload", false, scalar(Type::String))
        },
    ];
    let inner_a = object(&[("Name", scalar(Type::String))]);
    let inner_b = object(&[("Size", scalar(Type::Int64))]);
    main.response = Some(Response {
        schema: object(&[
            ("RequestId", scalar(Type::String)),
            ("Result", object(&[("Error", inner_a.clone()), ("Option", scalar(Type::Boolean))])),
            ("Item", inner_a.clone()),
            ("Other", object(&[("Item", inner_b)])),
            ("Same", object(&[("Item", inner_a)])),
            ("type", scalar(Type::String)),
            ("Any", scalar(Type::Any)),
            ("Matrix", Schema {
                items: Some(Box::new(Schema { items: Some(Box::new(scalar(Type::Int32))), ..scalar(Type::Array) })),
                ..scalar(Type::Array)
            }),
            ("Map", Schema { values: Some(Box::new(scalar(Type::Int64))), ..scalar(Type::Map) }),
            ("Node", Schema { reference: Some("Node".into()), ..Schema::default() }),
            ("Mode", string_enum(&["a", "b"])),
        ]),
        example: Some(r#"{"RequestId":"r","Result":{"Error":{"Name":"n"},"Option":true},"Matrix":[[1,2],[3]],"Map":{"a":1},"Node":{"Id":"x","Children":[{"Id":"y"}]},"Mode":"c"}"#.into()),
    });
    main.errors = [
        "InvalidParameter.Foo",
        "Throttling.User",
        "10001",
        "RAM.USER.NOT.FOUND",
        "RAM_USER_NOT_FOUND",
        "Unhandled",
        "Err%s",
        "参数错误",
    ]
    .iter()
    .map(|code| ErrorCode {
        status: 400,
        code: code.to_string(),
        message: String::new(),
        description: String::new(),
    })
    .chain(std::iter::once(ErrorCode {
        status: 404,
        code: "InvalidParameter.Foo".into(),
        message: String::new(),
        description: String::new(),
    }))
    .collect();
    let operations = vec![
        main,
        operation("Pub"),
        operation("Type"),
        operation("Self"),
        operation("Result"),
    ];
    let dir = write_spec(root, &product("naming"), &operations);
    let mut components = Components::default();
    components.schemas.insert(
        "Node".into(),
        object(&[
            ("Id", scalar(Type::String)),
            (
                "Children",
                Schema {
                    items: Some(Box::new(Schema {
                        reference: Some("Node".into()),
                        ..Schema::default()
                    })),
                    ..scalar(Type::Array)
                },
            ),
            (
                "Parent",
                Schema {
                    reference: Some("Node".into()),
                    ..Schema::default()
                },
            ),
        ]),
    );
    fs::write(
        dir.join("components.yaml"),
        serde_yaml::to_string(&components).unwrap(),
    )
    .unwrap();
    dir
}

#[test]
fn hazardous_specs_generate_compiling_documented_crates() {
    let root = tempfile::tempdir().unwrap();
    let hostile = support::generate_for_check(&hostile_spec(root.path()));
    let naming = support::generate_for_check(&naming_spec(root.path()));

    let idents = support::identifiers(&hostile);
    for injected in ["injected", "injected_attr", "doctest_injected", "script"] {
        assert!(
            !idents.iter().any(|i| i == injected),
            "{injected} leaked into code"
        );
    }
    let file = &hostile.files["src/operations/hostile.rs"];
    assert!(
        !file.contains('\u{202e}'),
        "bidi control character left in source"
    );
    assert!(file.contains("```text"), "code fences are not doctests");
    assert!(file.contains("&lt;/p&gt;"), "HTML is escaped");

    let main = &naming.files["src/operations/match_.rs"];
    for expected in [
        "pub fn match_(",
        "type_: impl Into<String>",
        "match_: i32",
        "pub fn key(",
        "pub fn key_2(",
        "pub fn result(",
        "pub fn async_(",
        "pub fn health_check_url(",
        "pub fn health_check_url_2(",
        "pub fn filter_1_key(",
        "pub fn n3rd_party(",
        "pub fn new_2(",
        "pub fn send_2(",
        "\"Filter.1.Key\"",
        "InvalidParameterFoo(ServiceError)",
        "ThrottlingUser(ServiceError)",
        "V10001(ServiceError)",
        "RamUserNotFound(ServiceError)",
        "RamUserNotFound2(ServiceError)",
        "\"RAM_USER_NOT_FOUND\" => Self::RamUserNotFound2",
        "Unhandled2(ServiceError)",
        "\"InvalidParameter.Foo\" => Self::InvalidParameterFoo",
        "Finished2,",
        "V3_0,",
        "NotEq,",
        "Unknown2(String)",
        "pub struct ResultType",
        "pub struct ErrorType",
        "pub struct Item {",
        "pub struct OtherItem {",
        "pub matrix: Vec<Vec<i32>>",
        "pub map: BTreeMap<String, i64>",
        "pub node: Option<types::Node>",
        "Style::Json",
        "Location::Body",
    ] {
        assert!(
            main.contains(expected),
            "missing `{expected}` in generated match_.rs"
        );
    }
    assert_eq!(
        main.matches("InvalidParameterFoo(ServiceError)").count(),
        1,
        "one variant for a code under two statuses"
    );
    assert!(naming.files.contains_key("src/operations/pub_.rs"));
    assert!(naming.files.contains_key("src/operations/self_.rs"));
    assert!(naming.files["src/types.rs"].contains("pub parent: Option<Box<Node>>"));

    support::cargo_check("hazards", &[hostile, naming], true);
}
