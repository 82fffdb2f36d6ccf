//! Specs written to break a generator: hostile text in every prose and
//! example slot, and names that are keywords, prelude types, collisions or
//! not identifiers at all. The generated crates must compile with warnings
//! denied, document without warnings, and contain no injected code.

mod support;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use acsgen::spec::{
    ApiStyle, Change, Components, CrateInfo, EndpointRule, Endpoints, EnumValue, ErrorCode,
    HttpMethod, Location, Operation, ParamStyle, Parameter, Product, Response, ResponseHeader,
    Schema, Scheme, Type,
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
            runtime: None,
            repository: None,
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
        pagination: None,
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
        // Header prose is docs like any other; `Self` is a keyword once lowercased.
        headers: vec![
            ResponseHeader {
                name: "X-Quote".into(),
                schema: text.clone(),
            },
            ResponseHeader {
                name: "Self".into(),
                schema: scalar(Type::Int64),
            },
        ],
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
        // Header fields share the body's field names: `Type` after body `type`, prelude names.
        headers: ["Type", "Result", "Option", "Item"]
            .iter()
            .map(|name| ResponseHeader {
                name: (*name).into(),
                schema: scalar(Type::String),
            })
            .collect(),
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

/// Every name in the generator's reserved table, in several cases: what
/// the generated code names itself, fed back as spec names.
fn reserved_names() -> Vec<String> {
    use heck::ToUpperCamelCase;
    let mut names = BTreeSet::new();
    for name in acsgen::names::reserved::all() {
        names.insert(name.to_owned());
        names.insert(name.to_uppercase());
        names.insert(name.to_lowercase());
        names.insert(name.to_upper_camel_case());
        names.insert(format!("{name}_"));
    }
    names.into_iter().collect()
}

/// Each reserved name as an operation, a parameter (setter, and the enum
/// type named after it, on the request side), an enum value, a response
/// field (and the nested struct named after it), an error code and a
/// shared type.
fn reserved_spec(root: &Path) -> std::path::PathBuf {
    let names = reserved_names();
    let mut main = operation("ZzReserved");
    main.parameters = names
        .iter()
        .map(|name| param(name, false, string_enum(&[name])))
        .collect();
    let fields: Vec<(&str, Schema)> = names
        .iter()
        .map(|name| (name.as_str(), object(&[("Id", scalar(Type::String))])))
        .collect();
    main.response = Some(Response {
        schema: object(&fields),
        example: None,
        headers: Vec::new(),
    });
    main.errors = names
        .iter()
        .map(|name| ErrorCode {
            status: 400,
            code: name.clone(),
            message: String::new(),
            description: String::new(),
        })
        .collect();
    let mut operations = vec![main];
    operations.extend(names.iter().map(|name| operation(name)));
    let dir = write_spec(root, &product("reserved"), &operations);
    let mut components = Components::default();
    for name in &names {
        components
            .schemas
            .insert(name.clone(), object(&[("Id", scalar(Type::String))]));
    }
    fs::write(
        dir.join("components.yaml"),
        serde_yaml::to_string(&components).unwrap(),
    )
    .unwrap();
    dir
}

/// The reserved names of `namespace` that `names` took anyway.
fn clashes(names: &[String], namespace: acsgen::names::Namespace) -> Vec<String> {
    let reserved = namespace.reserved();
    names
        .iter()
        .filter(|name| reserved.contains(&name.as_str()))
        .cloned()
        .collect()
}

fn use_leaves(tree: &syn::UseTree, out: &mut Vec<String>) {
    match tree {
        syn::UseTree::Path(path) => use_leaves(&path.tree, out),
        syn::UseTree::Name(name) => out.push(name.ident.to_string()),
        syn::UseTree::Rename(rename) => out.push(rename.rename.to_string()),
        syn::UseTree::Group(group) => group.items.iter().for_each(|t| use_leaves(t, out)),
        syn::UseTree::Glob(_) => {}
    }
}

fn parse(generated: &acsgen::generate::GeneratedCrate, path: &str) -> syn::File {
    syn::parse_file(&generated.files[path]).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Reads the reserved crate back with syn: no spec name took a name the
/// generated code uses itself, in any namespace.
fn check_reserved(generated: &acsgen::generate::GeneratedCrate) {
    use acsgen::names::Namespace;
    let names = reserved_names();
    let main = parse(generated, "src/operations/zz_reserved.rs");
    let mut setters = Vec::new();
    let mut types = Vec::new();
    let mut variants = Vec::new();
    let mut codes = Vec::new();
    for item in &main.items {
        match item {
            syn::Item::Impl(item) if item.trait_.is_none() => {
                let self_ty = &item.self_ty;
                let self_ty = quote::quote!(#self_ty).to_string();
                for member in &item.items {
                    if let syn::ImplItem::Fn(f) = member {
                        if self_ty.starts_with("ZzReservedRequest <") {
                            setters.push(f.sig.ident.to_string());
                        }
                    }
                }
            }
            syn::Item::Struct(item) => types.push(item.ident.to_string()),
            syn::Item::Enum(item) => {
                types.push(item.ident.to_string());
                let last = item.variants.last().map(|v| v.ident.to_string());
                let (catch_all, spec) = if item.ident == "ZzReservedError" {
                    ("Unhandled", &mut codes)
                } else {
                    ("Unknown", &mut variants)
                };
                assert_eq!(last.as_deref(), Some(catch_all), "{}", item.ident);
                spec.extend(
                    item.variants
                        .iter()
                        .rev()
                        .skip(1)
                        .map(|v| v.ident.to_string()),
                );
            }
            _ => {}
        }
    }
    let template_setters = ["bind", "rebind", "call_options", "send"];
    let spec_setters: Vec<String> = setters
        .iter()
        .filter(|s| !template_setters.contains(&s.as_str()))
        .cloned()
        .collect();
    assert_eq!(spec_setters.len(), names.len(), "one setter per parameter");
    assert_eq!(
        clashes(&spec_setters, Namespace::RequestMembers),
        Vec::<String>::new()
    );
    assert_eq!(
        clashes(&types, Namespace::OperationModule),
        Vec::<String>::new(),
        "nested types clear of imports and generic parameters"
    );
    assert_eq!(
        clashes(&variants, Namespace::EnumVariants),
        Vec::<String>::new()
    );
    assert_eq!(
        clashes(&codes, Namespace::ErrorVariants),
        Vec::<String>::new()
    );

    let lib = parse(generated, "src/lib.rs");
    let mut root = Vec::new();
    for item in &lib.items {
        if let syn::Item::Use(item) = item {
            if let syn::UseTree::Path(path) = &item.tree {
                if path.ident == "operations" {
                    use_leaves(&path.tree, &mut root);
                }
            }
        }
    }
    assert_eq!(
        root.len(),
        3 * (names.len() + 1),
        "three types per operation"
    );
    assert_eq!(
        clashes(&root, Namespace::OperationTypes),
        Vec::<String>::new()
    );

    let modules: Vec<String> = parse(generated, "src/operations/mod.rs")
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Mod(m) => Some(m.ident.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(modules.len(), names.len() + 1);
    assert_eq!(
        clashes(&modules, Namespace::OperationModules),
        Vec::<String>::new()
    );

    let types_rs = parse(generated, "src/types.rs");
    let components: Vec<String> = types_rs
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some(s.ident.to_string()),
            _ => None,
        })
        // The shared request-ID-only response is there whatever the spec names.
        .filter(|name| name != acsgen::names::reserved::REQUEST_ID_RESPONSE)
        .collect();
    assert_eq!(components.len(), names.len());
    assert_eq!(
        clashes(&components, Namespace::TypesModule),
        Vec::<String>::new()
    );
}

#[test]
fn hazardous_specs_generate_compiling_documented_crates() {
    let root = tempfile::tempdir().unwrap();
    let hostile = support::generate_for_check(&hostile_spec(root.path()));
    let naming = support::generate_for_check(&naming_spec(root.path()));
    let reserved = support::generate_for_check(&reserved_spec(root.path()));
    check_reserved(&reserved);

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
        "Unhandled(ServiceError)",
        "\"Unhandled\" => Self::Unhandled2",
        "\"InvalidParameter.Foo\" => Self::InvalidParameterFoo",
        "Finished2,",
        "V3_0,",
        "NotEq,",
        "Unknown2,",
        "Unknown(String)",
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

    // One cargo run for all three crates.
    support::cargo_check("hazards", &[hostile, naming, reserved], true);
}
