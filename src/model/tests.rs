//! The model asserted as values: types, argument forms and examples, not
//! substrings of rendered text.

use indexmap::IndexMap;

use super::*;
use crate::spec::{
    ApiStyle, Components, CrateInfo, EndpointRule, Endpoints, EnumValue, HttpMethod, Location,
    Operation, Parameter, Product, Schema, Scheme, Type,
};

fn typed(ty: Type) -> Schema {
    Schema {
        ty: Some(ty),
        ..Schema::default()
    }
}

fn reference(name: &str) -> Schema {
    Schema {
        reference: Some(name.into()),
        ..Schema::default()
    }
}

fn array(items: Schema) -> Schema {
    Schema {
        items: Some(Box::new(items)),
        ..typed(Type::Array)
    }
}

fn map(values: Schema) -> Schema {
    Schema {
        values: Some(Box::new(values)),
        ..typed(Type::Map)
    }
}

fn object(properties: &[(&str, Schema)]) -> Schema {
    Schema {
        properties: properties
            .iter()
            .map(|(name, schema)| (name.to_string(), schema.clone()))
            .collect(),
        ..typed(Type::Object)
    }
}

fn string_enum(values: &[&str]) -> Schema {
    Schema {
        enumeration: values
            .iter()
            .map(|value| EnumValue {
                value: value.to_string(),
                description: String::new(),
            })
            .collect(),
        ..typed(Type::String)
    }
}

fn required(schema: Schema) -> Schema {
    Schema {
        required: true,
        ..schema
    }
}

fn spec(components: &[(&str, Schema)], parameters: &[(&str, Schema)]) -> ProductSpec {
    ProductSpec {
        dir_name: "demo".into(),
        product: Product {
            product: "demo".into(),
            version: "2020-01-01".into(),
            name: "Demo".into(),
            description: String::new(),
            style: ApiStyle::Rpc,
            protocol: Scheme::Https,
            endpoints: Endpoints {
                rule: EndpointRule::Central,
                default: "demo.aliyuncs.com".into(),
                regions: IndexMap::new(),
            },
            krate: CrateInfo {
                name: "demo-client".into(),
                version: "0.1.0".into(),
                runtime: None,
                repository: None,
            },
        },
        components: Components {
            schemas: components
                .iter()
                .map(|(name, schema)| (name.to_string(), schema.clone()))
                .collect(),
        },
        operations: vec![Operation {
            name: "Ping".into(),
            summary: "Pings.".into(),
            description: String::new(),
            method: HttpMethod::Post,
            path: "/".into(),
            read_only: false,
            deprecated: None,
            rate_limit: None,
            authorization: Vec::new(),
            parameters: parameters
                .iter()
                .map(|(name, schema)| Parameter {
                    name: name.to_string(),
                    location: Location::Query,
                    style: None,
                    schema: schema.clone(),
                })
                .collect(),
            response: None,
            pagination: None,
            errors: Vec::new(),
            changes: Vec::new(),
        }],
    }
}

fn component<'a>(model: &'a CrateModel, name: &str) -> &'a TypeModel {
    model
        .components
        .iter()
        .find(|t| t.name() == name)
        .unwrap_or_else(|| panic!("no component {name}"))
}

fn alias_type(model: &CrateModel, name: &str) -> RustType {
    match component(model, name) {
        TypeModel::Alias(alias) => alias.ty.clone(),
        other => panic!("{name} is not an alias: {other:?}"),
    }
}

fn shared(name: &str, kind: NamedKind) -> RustType {
    RustType::named(TypeModule::Shared, name, kind)
}

fn same(name: &str, kind: NamedKind) -> RustType {
    RustType::named(TypeModule::Same, name, kind)
}

#[test]
fn array_of_ref_is_a_vec_of_the_component_without_a_box() {
    let model = build(
        &spec(
            &[
                ("Tag", object(&[("Key", typed(Type::String))])),
                ("Tags", array(reference("Tag"))),
            ],
            &[("Tags", array(reference("Tag")))],
        ),
        &Options::default(),
    );
    // Between components: boxed refs, unboxed inside the Vec.
    assert_eq!(
        alias_type(&model, "Tags"),
        RustType::vec(same("Tag", NamedKind::Struct))
    );
    // From an operation: the shared module's type.
    let param = &model.operations[0].params[0];
    assert_eq!(param.ty, RustType::vec(shared("Tag", NamedKind::Struct)));
    assert_eq!(param.style, Some(runtime::Style::RepeatList));
    assert_eq!(param.conversion, Conversion::None);
    assert!(model.operations[0].uses_types);
}

#[test]
fn map_of_arrays_nests_collections() {
    let model = build(
        &spec(&[("Index", map(array(typed(Type::Int64))))], &[]),
        &Options::default(),
    );
    assert_eq!(
        alias_type(&model, "Index"),
        RustType::map(RustType::vec(RustType::I64))
    );
    assert!(model.components_use_map);
}

#[test]
fn recursive_struct_boxes_its_direct_self_reference() {
    let node = object(&[
        ("Parent", reference("Node")),
        ("Children", array(reference("Node"))),
    ]);
    let model = build(&spec(&[("Node", node)], &[]), &Options::default());
    let TypeModel::Struct(node) = component(&model, "Node") else {
        panic!("Node is a struct");
    };
    let types: Vec<&RustType> = node.fields.iter().map(|f| &f.ty).collect();
    assert_eq!(
        types,
        [
            &RustType::option(RustType::boxed(same("Node", NamedKind::Struct))),
            &RustType::vec(same("Node", NamedKind::Struct)),
        ]
    );
    assert_eq!(node.fields[0].serde, SerdeAttrs::DefaultSkipEmpty);
    // Absent decodes as empty, so empty is left out when encoding.
    assert_eq!(node.fields[1].serde, SerdeAttrs::DefaultSkipEmpty);
}

#[test]
fn alias_of_alias_refers_to_the_alias_it_names() {
    let model = build(
        &spec(
            &[
                ("Name", typed(Type::String)),
                ("Nick", reference("Name")),
                ("Handle", reference("Nick")),
            ],
            &[("Who", required(reference("Handle")))],
        ),
        &Options::default(),
    );
    assert_eq!(alias_type(&model, "Name"), RustType::String);
    assert_eq!(
        alias_type(&model, "Handle"),
        RustType::boxed(same("Nick", NamedKind::Alias))
    );
    let param = &model.operations[0].params[0];
    assert_eq!(param.ty, shared("Handle", NamedKind::Alias));
    assert_eq!(param.conversion, Conversion::None);
    // Through the aliases to the string they name, boxed as they are.
    assert_eq!(
        param.example.to_string(),
        "Box::new(Box::new(\"example\".to_owned()))"
    );
}

#[test]
fn required_shared_enum_takes_impl_into_and_a_real_example() {
    let mut level = string_enum(&["low", "high"]);
    level.example = Some("high".into());
    let model = build(
        &spec(
            &[("Color", string_enum(&["red", "green"])), ("Level", level)],
            &[
                ("Color", required(reference("Color"))),
                ("Level", required(reference("Level"))),
                (
                    "Picked",
                    Schema {
                        example: Some("green".into()),
                        ..required(reference("Color"))
                    },
                ),
                ("Local", required(string_enum(&["x", "y"]))),
            ],
        ),
        &Options::default(),
    );
    let params = &model.operations[0].required;
    assert_eq!(params[0].ty, shared("Color", NamedKind::Enum));
    assert_eq!(params[0].conversion, Conversion::Into);
    assert_eq!(params[0].argument().to_string(), "impl Into<types::Color>");
    let variant = |enum_name: &str, variant: &str| Example::Variant {
        path: format!("demo_client::types::{enum_name}"),
        variant: variant.into(),
    };
    assert_eq!(params[0].example, variant("Color", "Red"));
    // The component's example, then the use's, win over the first variant.
    assert_eq!(params[1].example, variant("Level", "High"));
    assert_eq!(params[2].example, variant("Color", "Green"));
    assert_eq!(
        params[2].example.to_string(),
        "demo_client::types::Color::Green"
    );
    // Nested enums keep taking their wire value through `Into`.
    assert_eq!(params[3].ty, same("Local", NamedKind::Enum));
    assert_eq!(params[3].example, Example::Text("x".into()));
    assert!(!component_has_default(&model, "Color"));
}

fn component_has_default(model: &CrateModel, name: &str) -> bool {
    match component(model, name) {
        TypeModel::Struct(s) => s.default,
        _ => false,
    }
}

#[test]
fn scalar_parameters_take_their_examples_and_conversions() {
    let with_example = |ty: Type, example: &str| Schema {
        example: Some(example.into()),
        ..required(typed(ty))
    };
    let model = build(
        &spec(
            &[],
            &[
                ("Text", with_example(Type::String, "hi")),
                ("Small", with_example(Type::Int32, "99999999999")),
                ("Ratio", with_example(Type::Double, "2.5")),
                ("On", with_example(Type::Boolean, "true")),
            ],
        ),
        &Options::default(),
    );
    let params = &model.operations[0].params;
    let examples: Vec<&Example> = params.iter().map(|p| &p.example).collect();
    assert_eq!(
        examples,
        [
            &Example::Text("hi".into()),
            // Out of i32 range: the type's zero instead.
            &Example::Integer(0),
            &Example::Float(2.5),
            &Example::Bool(true),
        ]
    );
    assert_eq!(params[0].conversion, Conversion::Into);
    assert_eq!(params[2].argument().to_string(), "f64");
}

#[test]
fn nested_structs_of_the_same_shape_are_one_type() {
    let item = object(&[("Id", typed(Type::String)), ("Ix", typed(Type::Int64))]);
    let model = build(
        &spec(
            &[],
            &[
                ("Item", item.clone()),
                // Named after the field, so the same name too.
                ("Item", array(item)),
                // Same fields in another order: another type.
                (
                    "Item",
                    object(&[("Ix", typed(Type::Int64)), ("Id", typed(Type::String))]),
                ),
            ],
        ),
        &Options::default(),
    );
    let op = &model.operations[0];
    assert_eq!(op.params[0].ty, same("Item", NamedKind::Struct));
    assert_eq!(
        op.params[1].ty,
        RustType::vec(same("Item", NamedKind::Struct))
    );
    assert_eq!(op.params[2].ty, same("PingItem", NamedKind::Struct));
    assert_eq!(op.types.len(), 2);
}

/// An operation as `(name, parameters, response)`.
type OpSpec<'a> = (&'a str, &'a [(&'a str, Schema)], Option<Schema>);

/// A spec of operations, sorted by name as the loader sorts them.
fn spec_of(operations: &[OpSpec]) -> ProductSpec {
    let mut spec = spec(&[], &[]);
    let template = spec.operations[0].clone();
    spec.operations = operations
        .iter()
        .map(|(name, parameters, response)| Operation {
            name: name.to_string(),
            parameters: parameters
                .iter()
                .map(|(name, schema)| Parameter {
                    name: name.to_string(),
                    location: Location::Query,
                    style: None,
                    schema: schema.clone(),
                })
                .collect(),
            response: response.clone().map(|schema| crate::spec::Response {
                schema,
                example: None,
                headers: Vec::new(),
            }),
            ..template.clone()
        })
        .collect();
    spec.operations.sort_by(|a, b| a.name.cmp(&b.name));
    spec
}

fn described(schema: Schema, description: &str) -> Schema {
    Schema {
        description: description.into(),
        ..schema
    }
}

fn response_field<'a>(model: &'a CrateModel, op: &str, field: &str) -> &'a RustType {
    let op = model
        .operations
        .iter()
        .find(|o| o.wire_name == op)
        .unwrap_or_else(|| panic!("no operation {op}"));
    &op.response_struct
        .fields
        .iter()
        .find(|f| f.name == field)
        .unwrap_or_else(|| panic!("no field {field}"))
        .ty
}

fn group(description: &str) -> Schema {
    object(&[
        ("GroupId", described(typed(Type::String), description)),
        ("Status", string_enum(&["on", "off"])),
    ])
}

#[test]
fn one_nested_shape_of_two_operations_is_one_shared_type() {
    // Same fields, different descriptions: still one type.
    let model = build(
        &spec_of(&[
            (
                "ListGroups",
                &[],
                Some(object(&[("GroupList", array(group("Of a group.")))])),
            ),
            (
                "ListGroupByPage",
                &[],
                Some(object(&[("GroupList", array(group("Of the group.")))])),
            ),
        ]),
        &Options::default(),
    );
    let by_page = response_field(&model, "ListGroupByPage", "group_list");
    let groups = response_field(&model, "ListGroups", "group_list");
    assert_eq!(
        by_page,
        &RustType::vec(shared("GroupList", NamedKind::Struct))
    );
    // The same type: a value from one response fits the other.
    assert_eq!(by_page, groups);
    assert_eq!(model.shared_types, ["GroupList", "Status"]);
    for op in &model.operations {
        assert!(op.types.is_empty(), "{} keeps its own copy", op.wire_name);
        assert!(op.uses_types);
        assert_eq!(op.reexports, ["GroupList", "Status"]);
    }
    let TypeModel::Struct(list) = component(&model, "GroupList") else {
        panic!("GroupList is a struct");
    };
    // A response type (decoded, every field optional), in `types`.
    assert!(list.deserialize && !list.serialize);
    assert_eq!(
        list.fields[1].ty,
        RustType::option(same("Status", NamedKind::Enum))
    );
    // The descriptions disagree, so neither operation's is kept.
    assert!(list.fields[0].docs.iter().all(|l| !l.contains("group.")));
}

#[test]
fn different_shapes_of_one_name_get_distinct_stable_names() {
    let other = object(&[("Name", typed(Type::String))]);
    let operations: [OpSpec; 4] = [
        ("Bravo", &[], Some(object(&[("Group", other.clone())]))),
        ("Alpha", &[], Some(object(&[("Group", group(""))]))),
        ("Delta", &[], Some(object(&[("Group", other)]))),
        ("Charlie", &[], Some(object(&[("Group", group(""))]))),
    ];
    let first = build(&spec_of(&operations), &Options::default());
    // The shape Alpha (first by name) uses takes the plain name; the other
    // is qualified by its first operation.
    assert_eq!(
        response_field(&first, "Charlie", "group"),
        &RustType::option(shared("Group", NamedKind::Struct))
    );
    assert_eq!(
        response_field(&first, "Delta", "group"),
        &RustType::option(shared("BravoGroup", NamedKind::Struct))
    );
    assert_eq!(first.shared_types, ["Group", "Status", "BravoGroup"]);
    // Whatever order the operations come in.
    let mut reversed = operations.clone();
    reversed.reverse();
    let second = build(&spec_of(&reversed), &Options::default());
    assert_eq!(second.shared_types, first.shared_types);
}

#[test]
fn sides_are_not_shared_and_shared_names_do_not_shadow_local_ones() {
    let filter = object(&[("Key", required(typed(Type::String)))]);
    let model = build(
        &spec_of(&[
            (
                "Find",
                &[
                    ("Filter", filter.clone()),
                    ("Mode", string_enum(&["a", "b"])),
                ],
                Some(object(&[("Filter", filter.clone())])),
            ),
            (
                "Count",
                &[("Filter", filter.clone())],
                Some(object(&[
                    ("Filter", filter),
                    ("Mode", string_enum(&["a", "b"])),
                ])),
            ),
        ]),
        &Options::default(),
    );
    // An enum is one type on both sides.
    assert_eq!(
        response_field(&model, "Count", "mode"),
        &RustType::option(shared("Mode", NamedKind::Enum))
    );
    let find = model.operations.iter().find(|o| o.wire_name == "Find");
    assert_eq!(
        find.map(|o| &o.params[1].ty),
        Some(&shared("Mode", NamedKind::Enum))
    );
    let request = &model.operations[0].params[0].ty;
    let response = response_field(&model, "Count", "filter");
    assert_eq!(request, &shared("Filter", NamedKind::Struct));
    assert_eq!(
        response,
        &RustType::option(shared("CountFilter", NamedKind::Struct))
    );
    let TypeModel::Struct(request) = component(&model, "Filter") else {
        panic!("Filter is a struct");
    };
    // The request keeps its required field required.
    assert!(request.serialize && !request.deserialize);
    assert_eq!(request.fields[0].ty, RustType::String);
    let TypeModel::Struct(response) = component(&model, "CountFilter") else {
        panic!("CountFilter is a struct");
    };
    assert!(response.deserialize && !response.serialize);
    assert_eq!(response.fields[0].ty, RustType::option(RustType::String));
}

#[test]
fn a_nested_shape_used_on_both_sides_decodes_what_it_holds() {
    // One operation, one shape as parameter and in the response: the struct
    // derives both, and so does the struct nested in it.
    let job = object(&[("Output", object(&[("Path", typed(Type::String))]))]);
    let model = build(
        &spec_of(&[(
            "SubmitJob",
            &[("Job", job.clone())],
            Some(object(&[("Job", job)])),
        )]),
        &Options::default(),
    );
    let op = &model.operations[0];
    for ty in &op.types {
        let TypeModel::Struct(s) = ty else { continue };
        assert!(s.serialize && s.deserialize, "{} lacks a side", s.name);
    }
    assert_eq!(op.types.len(), 2);
}

#[test]
fn clippy_argument_limit_counts_self_for_the_client_method() {
    let params = |count: usize| -> Vec<(String, Schema)> {
        (0..count)
            .map(|i| (format!("P{i}"), required(typed(Type::String))))
            .collect()
    };
    let arity = |count: usize| {
        let params = params(count);
        let refs: Vec<(&str, Schema)> = params
            .iter()
            .map(|(name, schema)| (name.as_str(), schema.clone()))
            .collect();
        let model = build(&spec(&[], &refs), &Options::default());
        let op = &model.operations[0];
        (op.new_has_many_arguments, op.method_has_many_arguments)
    };
    assert_eq!(arity(6), (false, false));
    // `&self` and seven arguments: eight, one too many for the method.
    assert_eq!(arity(7), (false, true));
    assert_eq!(arity(8), (true, true));
}

#[test]
fn keys_under_a_free_form_object_are_modelled() {
    let schema = object(&[
        ("Labels", typed(Type::Object)),
        ("Anything", typed(Type::Any)),
        ("Known", object(&[("Id", typed(Type::String))])),
    ]);
    let sample = serde_json::json!({
        "Labels": {"a": 1, "b": {"c": [1]}},
        "Anything": {"x": 1},
        "Known": {"Id": "i", "Extra": 2, "Empty": [], "Nothing": null},
        "Gone": {}
    });
    assert_eq!(
        samples::unmodelled_paths(&sample, &schema, &Components::default()),
        ["$.Known.Extra"]
    );
    let model = build(
        &spec_of(&[("Ping", &[], Some(schema))]),
        &Options::default(),
    );
    assert_eq!(
        response_field(&model, "Ping", "labels"),
        &RustType::option(RustType::Value)
    );
}

#[test]
fn response_collections_are_left_out_when_empty() {
    let item = object(&[("Tags", array(typed(Type::String)))]);
    // The item is used on both sides, so it derives `Serialize`.
    let model = build(
        &spec_of(&[(
            "Ping",
            &[("Item", item.clone())],
            Some(object(&[("Item", item)])),
        )]),
        &Options::default(),
    );
    let TypeModel::Struct(item) = &model.operations[0].types[0] else {
        panic!("Item is a struct");
    };
    assert!(item.serialize && item.deserialize);
    assert_eq!(item.fields[0].serde, SerdeAttrs::DefaultSkipEmpty);
}

#[test]
fn examples_build_values_of_types_without_default() {
    let mut kind = string_enum(&["small", "large"]);
    kind.example = Some("large".into());
    let pair = object(&[
        (
            "Key",
            Schema {
                example: Some("env".into()),
                ..required(typed(Type::String))
            },
        ),
        ("Kind", required(kind)),
        ("Size", required(typed(Type::Int32))),
        ("Shade", required(reference("Shade"))),
        ("Note", typed(Type::String)),
        ("Tags", array(typed(Type::String))),
    ]);
    let model = build(
        &spec(
            &[
                ("Color", string_enum(&["red", "green"])),
                ("Shade", reference("Color")),
            ],
            &[
                ("Pair", required(pair.clone())),
                ("Pairs", required(array(pair))),
                ("Shade", required(reference("Shade"))),
                ("Ids", required(array(typed(Type::Int64)))),
                ("Ratio", required(typed(Type::Float))),
                ("Labels", required(map(typed(Type::String)))),
            ],
        ),
        &Options::default(),
    );
    let op = &model.operations[0];
    let TypeModel::Struct(pair) = &op.types[0] else {
        panic!("Pair is a struct");
    };
    assert!(!pair.default, "a required enum field has no default");
    let pair_value = Example::Struct {
        path: "demo_client::operations::ping::Pair".into(),
        fields: vec![
            ("key".into(), Example::OwnedText("env".into())),
            (
                "kind".into(),
                Example::Variant {
                    path: "demo_client::operations::ping::Kind".into(),
                    variant: "Large".into(),
                },
            ),
            ("size".into(), Example::Integer(0)),
            (
                "shade".into(),
                Example::Boxed(Box::new(Example::Variant {
                    path: "demo_client::types::Color".into(),
                    variant: "Red".into(),
                })),
            ),
            ("note".into(), Example::Absent),
            (
                "tags".into(),
                Example::List(Box::new(Example::OwnedText("example".into()))),
            ),
        ],
    };
    let examples: Vec<&Example> = op.params.iter().map(|p| &p.example).collect();
    assert_eq!(
        examples,
        [
            &pair_value,
            // Named after its own parameter.
            &Example::List(Box::new(match pair_value.clone() {
                Example::Struct { fields, .. } => Example::Struct {
                    path: "demo_client::operations::ping::Pairs".into(),
                    fields,
                },
                other => other,
            })),
            &Example::Boxed(Box::new(Example::Variant {
                path: "demo_client::types::Color".into(),
                variant: "Red".into(),
            })),
            &Example::List(Box::new(Example::Integer(0))),
            &Example::Float(0.0),
            &Example::Default,
        ]
    );
    assert_eq!(
        op.params[1].example.to_string(),
        "vec![demo_client::operations::ping::Pairs { key: \"env\".to_owned(), \
         kind: demo_client::operations::ping::Kind::Large, size: 0, \
         shade: Box::new(demo_client::types::Color::Red), note: None, \
         tags: vec![\"example\".to_owned()] }]"
    );
}

#[test]
fn f32_examples_stay_in_range() {
    let model = build(
        &spec(
            &[],
            &[(
                "Huge",
                Schema {
                    example: Some("1e300".into()),
                    ..required(typed(Type::Float))
                },
            )],
        ),
        &Options::default(),
    );
    assert_eq!(model.operations[0].params[0].example, Example::Float(0.0));
}

#[test]
fn list_examples_take_one_element_of_the_spec_example() {
    let with_example = |schema: Schema, example: &str| Schema {
        example: Some(example.into()),
        ..schema
    };
    let model = build(
        &spec(
            &[],
            &[
                (
                    "Ids",
                    required(array(with_example(typed(Type::String), r#"["u1","u2"]"#))),
                ),
                (
                    "Sizes",
                    with_example(required(array(typed(Type::Int32))), "[7, 8]"),
                ),
                (
                    "Names",
                    required(array(with_example(typed(Type::String), "solo"))),
                ),
            ],
        ),
        &Options::default(),
    );
    let examples: Vec<String> = model.operations[0]
        .params
        .iter()
        .map(|p| p.example.to_string())
        .collect();
    assert_eq!(
        examples,
        [
            r#"vec!["u1".to_owned()]"#,
            "vec![7]",
            r#"vec!["solo".to_owned()]"#
        ]
    );
}

#[test]
fn a_summary_that_renders_to_nothing_names_the_action() {
    let mut spec = spec(&[], &[]);
    spec.operations[0].summary = "&nbsp;".into();
    let model = build(&spec, &Options::default());
    let op = &model.operations[0];
    // Else `//!` and the docs would start empty (clippy's `empty_docs`).
    assert_eq!(op.summary, "Calls `Ping`.");
    assert_eq!(op.docs[0], "Calls `Ping`.");
    assert_eq!(op.method_docs[0], "Calls `Ping`.");
}

/// A response that is only the request ID (given or left out of the spec)
/// is the shared `RequestIdResponse`; one more field gives the operation
/// its own struct. No documented code gives the shared `UndocumentedError`.
#[test]
fn request_id_only_responses_and_codeless_errors_are_shared() {
    let request_id = || object(&[("RequestId", typed(Type::String))]);
    let mut spec = spec_of(&[
        ("Given", &[], Some(request_id())),
        ("Absent", &[], None),
        (
            "More",
            &[],
            Some(object(&[
                ("RequestId", typed(Type::String)),
                ("Total", typed(Type::Int32)),
            ])),
        ),
        (
            "Renamed",
            &[],
            Some(object(&[("requestId", typed(Type::String))])),
        ),
    ]);
    let more = spec
        .operations
        .iter_mut()
        .find(|op| op.name == "More")
        .unwrap();
    more.errors = more_errors();
    let model = build(&spec, &Options::default());
    let by_name = |name: &str| {
        model
            .operations
            .iter()
            .find(|op| op.wire_name == name)
            .unwrap()
    };
    for name in ["Given", "Absent"] {
        assert!(by_name(name).shared_response_docs.is_some(), "{name}");
    }
    for name in ["More", "Renamed"] {
        assert!(by_name(name).shared_response_docs.is_none(), "{name}");
    }
    let shared = model.request_id_response.as_ref().expect("shared response");
    assert_eq!(shared.name, crate::names::reserved::REQUEST_ID_RESPONSE);
    assert_eq!(shared.fields.len(), 1);
    assert_eq!(shared.fields[0].ty, RustType::option(RustType::String));

    assert!(by_name("More").shared_error_docs.is_none());
    assert_eq!(by_name("More").error_enum.variants.len(), 1);
    assert!(by_name("Given").shared_error_docs.is_some());
    let error = model.undocumented_error.as_ref().expect("shared error");
    assert_eq!(error.name, crate::names::reserved::UNDOCUMENTED_ERROR);
    assert!(error.variants.is_empty());
    assert!(model.has_types_module());

    // Neither is generated when no operation needs it.
    let mut spec = spec_of(&[("More", &[], Some(object(&[("Total", typed(Type::Int32))])))]);
    spec.operations[0].errors = more_errors();
    let model = build(&spec, &Options::default());
    assert!(model.request_id_response.is_none());
    assert!(model.undocumented_error.is_none());
    assert!(!model.has_types_module());
}

fn more_errors() -> Vec<crate::spec::ErrorCode> {
    vec![crate::spec::ErrorCode {
        status: 400,
        code: "Invalid".into(),
        message: String::new(),
        description: String::new(),
    }]
}

#[test]
fn header_fields_follow_the_body_and_share_its_names() {
    let mut spec = spec_of(&[(
        "GetThing",
        &[],
        Some(object(&[
            ("etag", typed(Type::String)),
            ("Size", typed(Type::Int64)),
        ])),
    )]);
    let header = |name: &str, ty: Type| crate::spec::ResponseHeader {
        name: name.into(),
        schema: typed(ty),
    };
    spec.operations[0]
        .response
        .as_mut()
        .expect("response")
        .headers = vec![
        header("ETag", Type::String),
        header("X-Fc-Invocation-Duration", Type::Double),
    ];
    let model = build(&spec, &Options::default());
    let response = &model.operations[0].response_struct;
    let names =
        |fields: &[FieldModel]| -> Vec<String> { fields.iter().map(|f| f.name.clone()).collect() };
    assert_eq!(names(response.body_fields()), ["etag", "size"]);
    // Lowercased before naming (`ETag` is not `e_tag`), then numbered past the body's.
    assert_eq!(
        names(response.header_fields()),
        ["etag_2", "x_fc_invocation_duration"]
    );
    assert!(response.reads_answer());
    assert_eq!(
        response_field(&model, "GetThing", "x_fc_invocation_duration"),
        &RustType::option(RustType::F64)
    );
}
