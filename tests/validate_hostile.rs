//! Spec text as untrusted input: values that would inject into Cargo.toml,
//! names Cargo refuses, `$ref` rings that cannot be Rust types, nesting
//! that breaks rustc or a stack, and enum values equal as numbers. Each is a
//! spec error naming file, line:column, field and value; legal recursion
//! generates a crate that compiles.

mod support;

use std::path::Path;

use acsgen::generate::{generate_all, generate_product, GenerateError};
use acsgen::load::{read_product_dir, ProductFiles};
use acsgen::spec::{
    ApiStyle, Components, CrateInfo, EndpointRule, Endpoints, Product, ProductSpec, Schema, Scheme,
    Type,
};
use acsgen::validate::{validate, MAX_NESTING};
use indexmap::IndexMap;
use support::{DEMO_OPERATION, DEMO_PRODUCT};

/// A spec root holding product `demo`.
fn spec_tree(dir: &Path, product: &str, components: Option<&str>, operations: &[(&str, &str)]) {
    support::demo_spec_tree(dir, product, components, operations);
}

/// The diagnostics of generating a spec tree, one string each, with the
/// temporary directory shown as `ROOT`.
fn diagnostics(
    product: &str,
    components: Option<&str>,
    operations: &[(&str, &str)],
) -> Vec<String> {
    support::demo_diagnostics(product, components, operations)
}

fn product_errors(replace: &str, with: &str) -> Vec<String> {
    assert!(DEMO_PRODUCT.contains(replace), "fixture lacks {replace:?}");
    diagnostics(
        &DEMO_PRODUCT.replace(replace, with),
        None,
        &[("Ping.yaml", DEMO_OPERATION)],
    )
}

fn component_errors(components: &str) -> Vec<String> {
    diagnostics(
        DEMO_PRODUCT,
        Some(components),
        &[("Ping.yaml", DEMO_OPERATION)],
    )
}

fn operation_errors(replace: &str, with: &str) -> Vec<String> {
    assert!(
        DEMO_OPERATION.contains(replace),
        "fixture lacks {replace:?}"
    );
    diagnostics(
        DEMO_PRODUCT,
        None,
        &[("Ping.yaml", &DEMO_OPERATION.replace(replace, with))],
    )
}

fn assert_errors(got: &[String], expected: &[&str]) {
    assert_eq!(got, expected, "\nexpected {expected:#?}\n     got {got:#?}");
}

// Cargo.toml injection

#[test]
fn version_carrying_a_toml_table_is_a_spec_error_not_a_dependency() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = DEMO_PRODUCT.replace(
        "version: 0.1.0",
        "version: \"0.1.0-x\\\"\\n\\n[target.'cfg(unix)'.dependencies]\\nevil = { path = \\\"/tmp/evil\\\" }\"",
    );
    spec_tree(dir.path(), &hostile, None, &[("Ping.yaml", DEMO_OPERATION)]);
    let errors = match generate_all(dir.path(), None) {
        Err(GenerateError::Spec(d)) => d.0,
        Ok(_) => panic!("generated a crate from a hostile version"),
        Err(other) => panic!("unexpected error: {other}"),
    };
    assert_eq!(errors.len(), 1, "{errors:?}");
    let error = &errors[0];
    assert_eq!(error.file, dir.path().join("demo/product.yaml"));
    assert_eq!((error.line, error.column), (Some(10), Some(12)));
    assert_eq!(error.field, "crate.version");
    assert_eq!(
        error.message,
        "`0.1.0-x\\\"\\n\\n[target.\\'cfg(unix)\\'.dependencies]\\nevil = { path = \\\"/tmp/evil\\\" `... is not a semver version (MAJOR.MINOR.PATCH[-PRE][+BUILD]): unexpected character '\"' after pre-release identifier"
    );
    // The message stays on one line: the value is escaped.
    assert!(!error.to_string().contains('\n'));
}

#[test]
fn versions_are_checked_against_the_whole_semver_grammar() {
    let cases: &[(&str, &str)] = &[
        (
            "'1.0'",
            "ROOT/demo/product.yaml:10:12: crate.version: `1.0` is not a semver version (MAJOR.MINOR.PATCH[-PRE][+BUILD]): unexpected end of input while parsing minor version number",
        ),
        (
            "01.0.0",
            "ROOT/demo/product.yaml:10:12: crate.version: `01.0.0` is not a semver version (MAJOR.MINOR.PATCH[-PRE][+BUILD]): invalid leading zero in major version number",
        ),
        (
            "1.0.0-",
            "ROOT/demo/product.yaml:10:12: crate.version: `1.0.0-` is not a semver version (MAJOR.MINOR.PATCH[-PRE][+BUILD]): empty identifier segment in pre-release identifier",
        ),
        (
            "1.0.0+a..b",
            "ROOT/demo/product.yaml:10:12: crate.version: `1.0.0+a..b` is not a semver version (MAJOR.MINOR.PATCH[-PRE][+BUILD]): empty identifier segment in build metadata",
        ),
        (
            "'1.0.0 '",
            "ROOT/demo/product.yaml:10:12: crate.version: `1.0.0 ` is not a semver version (MAJOR.MINOR.PATCH[-PRE][+BUILD]): unexpected character ' ' after patch version number",
        ),
    ];
    for (version, expected) in cases {
        let errors = product_errors("version: 0.1.0", &format!("version: {version}"));
        assert_errors(&errors, &[expected]);
    }
    for good in ["1.0.0-alpha.1+build.5", "0.0.0", "10.20.30-rc.1"] {
        let errors = product_errors("version: 0.1.0", &format!("version: {good}"));
        assert_errors(&errors, &[]);
    }
}

#[test]
fn package_names_follow_cargo_rules() {
    let cases: &[(&str, &str)] = &[
        (
            "test",
            "`test` is not a valid Cargo package name: the name is reserved (a standard library, a Cargo directory, or a crate the generated code uses)",
        ),
        (
            "std",
            "`std` is not a valid Cargo package name: the name is reserved (a standard library, a Cargo directory, or a crate the generated code uses)",
        ),
        (
            "core",
            "`core` is not a valid Cargo package name: the name is reserved (a standard library, a Cargo directory, or a crate the generated code uses)",
        ),
        (
            "proc-macro",
            "`proc-macro` is not a valid Cargo package name: the name is reserved (a standard library, a Cargo directory, or a crate the generated code uses)",
        ),
        (
            "serde-json",
            "`serde-json` is not a valid Cargo package name: the name is reserved (a standard library, a Cargo directory, or a crate the generated code uses)",
        ),
        (
            "nul",
            "`nul` is not a valid Cargo package name: it is a reserved device name on Windows",
        ),
        (
            "CON",
            "`CON` is not a valid Cargo package name: it is a reserved device name on Windows",
        ),
        (
            "lpt9",
            "`lpt9` is not a valid Cargo package name: it is a reserved device name on Windows",
        ),
        (
            "fn",
            "`fn` is not a valid Cargo package name: it is a Rust keyword",
        ),
        (
            "self",
            "`self` is not a valid Cargo package name: it is a Rust keyword",
        ),
        (
            "1demo",
            "`1demo` is not a valid Cargo package name: it must start with a letter",
        ),
        (
            "_demo",
            "`_demo` is not a valid Cargo package name: it must start with a letter",
        ),
        (
            "'demo client'",
            "`demo client` is not a valid Cargo package name: ` ` is not allowed (ASCII letters, digits, `-` and `_` only)",
        ),
        (
            "\"demo\\\"\\n[x]\"",
            "`demo\\\"\\n[x]` is not a valid Cargo package name: `\\\"` is not allowed (ASCII letters, digits, `-` and `_` only)",
        ),
        (
            "démo",
            "`démo` is not a valid Cargo package name: `é` is not allowed (ASCII letters, digits, `-` and `_` only)",
        ),
        ("''", "`` is not a valid Cargo package name: it is empty"),
    ];
    for (name, message) in cases {
        let errors = product_errors("name: demo-client", &format!("name: {name}"));
        let expected = format!("ROOT/demo/product.yaml:9:9: crate.name: {message}");
        assert_errors(&errors, &[&expected]);
    }
    let long = format!("a{}", "b".repeat(64));
    let errors = product_errors("name: demo-client", &format!("name: {long}"));
    assert_errors(
        &errors,
        &[&format!(
            "ROOT/demo/product.yaml:9:9: crate.name: `{long}` is not a valid Cargo package name: it is 65 characters long; at most 64 are allowed"
        )],
    );
    for good in ["a", "console", "nul1", "my_api-client2", &"a".repeat(64)] {
        let errors = product_errors("name: demo-client", &format!("name: {good}"));
        assert_errors(&errors, &[]);
    }
}

#[test]
fn product_name_is_one_short_line() {
    let errors = product_errors("name: Demo", "name: \"Demo\\n[dependencies]\"");
    assert_errors(
        &errors,
        &[
            "ROOT/demo/product.yaml:3:7: name: product name `Demo\\n[dependencies]` must be one line without control characters",
        ],
    );
    let long = "x".repeat(101);
    let errors = product_errors("name: Demo", &format!("name: {long}"));
    assert_errors(
        &errors,
        &[&format!(
            "ROOT/demo/product.yaml:3:7: name: product name `{}`... is 101 characters long; at most 100 are allowed",
            "x".repeat(80)
        )],
    );
}

#[test]
fn quotes_and_backslashes_in_the_product_name_are_escaped_in_cargo_toml() {
    let dir = tempfile::tempdir().unwrap();
    let name = "Demo \\\" ] [evil] \\\\ 'x' #";
    let product = DEMO_PRODUCT.replace("name: Demo", &format!("name: \"{name}\""));
    spec_tree(dir.path(), &product, None, &[("Ping.yaml", DEMO_OPERATION)]);
    let files = read_product_dir(&dir.path().join("demo")).unwrap();
    let generated = generate_product(&files).unwrap();
    let manifest = &generated.files["Cargo.toml"];
    let document: toml_edit::DocumentMut = manifest.parse().expect("Cargo.toml is TOML");
    let tables: Vec<&str> = document.iter().map(|(key, _)| key).collect();
    assert_eq!(tables, ["package", "features", "dependencies"]);
    assert_eq!(
        document["package"]["description"].as_str(),
        Some(
            "Rust client for Demo \" ] [evil] \\ 'x' # (API version 2020-01-01), generated by acsgen"
        )
    );
    let dependencies: Vec<&str> = document["dependencies"]
        .as_table()
        .unwrap()
        .iter()
        .map(|(key, _)| key)
        .collect();
    assert_eq!(dependencies, ["acsgen-runtime", "serde", "serde_json"]);
}

/// A product built in code, as the importer or a library user would.
fn product_struct(name: &str, krate: &str, version: &str) -> Product {
    Product {
        product: "demo".into(),
        version: "2020-01-01".into(),
        name: name.into(),
        description: String::new(),
        style: ApiStyle::Rpc,
        protocol: Scheme::Https,
        endpoints: Endpoints {
            rule: EndpointRule::Central,
            default: "demo.aliyuncs.com".into(),
            regions: IndexMap::new(),
        },
        krate: CrateInfo {
            name: krate.into(),
            version: version.into(),
            runtime: None,
            repository: None,
        },
    }
}

#[test]
fn cargo_toml_escapes_values_even_when_validation_is_bypassed() {
    // The manifest writer must not depend on validation having run: every
    // value is a TOML string whatever it holds.
    let hostile = "x\"\n[target.'cfg(unix)'.dependencies]\nevil = \"1\"\n#";
    let spec = ProductSpec {
        dir_name: "demo".into(),
        product: product_struct(
            &format!("Demo {hostile} {}", "y".repeat(500)),
            hostile,
            hostile,
        ),
        components: Components::default(),
        operations: Vec::new(),
    };
    let options = acsgen::model::Options::runtime_path(format!("../{hostile}"));
    let model = acsgen::model::build(&spec, &options);
    let manifest = acsgen::render::cargo_toml(&model).unwrap().text;
    let document: toml_edit::DocumentMut = manifest.parse().expect("Cargo.toml is TOML");
    let tables: Vec<&str> = document.iter().map(|(key, _)| key).collect();
    assert_eq!(tables, ["package", "features", "dependencies"]);
    assert!(document.get("target").is_none());
    assert_eq!(document["package"]["name"].as_str(), Some(hostile));
    assert_eq!(document["package"]["version"].as_str(), Some(hostile));
    assert_eq!(
        document["dependencies"]["acsgen-runtime"]["path"].as_str(),
        Some(format!("../{hostile}").as_str())
    );
    let description = document["package"]["description"].as_str().unwrap();
    assert!(!description.contains('\n'), "{description}");
    assert!(
        description.chars().count() <= acsgen::render::MAX_DESCRIPTION + 3,
        "bounded: {description}"
    );
}

#[test]
fn generated_manifest_is_byte_stable() {
    // A spec without `crate.runtime`: the runtime from the registry.
    let expected = "# @generated by acsgen. Do not edit: change spec/ and run `acsgen generate`.

[package]
name = \"demo-client\"
version = \"0.1.0\"
edition = \"2024\"
rust-version = \"1.85\"
license = \"Apache-2.0\"
description = \"Rust client for Demo (API version 2020-01-01), generated by acsgen\"
readme = \"README.md\"
keywords = [\"alibaba-cloud\", \"aliyun\", \"sdk\", \"openapi\", \"demo\"]
categories = [\"api-bindings\", \"web-programming::http-client\"]

[package.metadata.docs.rs]
all-features = true

[features]
# Serialize and Deserialize on response types (tests always get Serialize).
serialize = []
# For tests: `with_<field>` setters on response types, and the runtime's
# mock HTTP client (`acsgen_runtime::test_util`).
test-util = [\"acsgen-runtime/test-util\"]

[dependencies]
acsgen-runtime = \"0.1.0\"
serde = { version = \"1\", features = [\"derive\"] }
serde_json = \"1\"";
    let dir = tempfile::tempdir().unwrap();
    spec_tree(
        dir.path(),
        DEMO_PRODUCT,
        None,
        &[("Ping.yaml", DEMO_OPERATION)],
    );
    let generated = generate_product(&read_product_dir(&dir.path().join("demo")).unwrap()).unwrap();
    assert_eq!(generated.files["Cargo.toml"], expected);
    let lock = &generated.files["acsgen.lock"];
    let document: toml_edit::DocumentMut = lock.parse().expect("acsgen.lock is TOML");
    let keys: Vec<&str> = document.iter().map(|(key, _)| key).collect();
    assert_eq!(keys, ["acsgen", "digests"]);
    assert!(!lock.contains("Demo"), "no spec text in the lock: {lock}");
}

// $ref rings

#[test]
fn ref_cycles_without_an_object_are_spec_errors() {
    let cases: &[(&str, &str)] = &[
        (
            "schemas:\n  A:\n    $ref: A\n",
            "ROOT/demo/components.yaml:3:11: schemas.A.$ref: `$ref` cycle with no object in between (A -> A): the type would contain itself; make one of them an `object` with the reference as a property",
        ),
        (
            "schemas:\n  A:\n    $ref: B\n  B:\n    $ref: A\n",
            "ROOT/demo/components.yaml:3:11: schemas.A.$ref: `$ref` cycle with no object in between (A -> B -> A): the type would contain itself; make one of them an `object` with the reference as a property",
        ),
        (
            // Written out of order: still one error, at the member written first.
            "schemas:\n  Start:\n    $ref: C\n  A:\n    type: array\n    items:\n      $ref: B\n  B:\n    type: map\n    values: {$ref: C}\n  C: {$ref: A}\n",
            "ROOT/demo/components.yaml:7:13: schemas.A.items.$ref: `$ref` cycle with no object in between (A -> B -> C -> A): the type would contain itself; make one of them an `object` with the reference as a property",
        ),
        (
            "schemas:\n  List:\n    type: array\n    items:\n      type: array\n      items:\n        $ref: List\n",
            "ROOT/demo/components.yaml:7:15: schemas.List.items.items.$ref: `$ref` cycle with no object in between (List -> List): the type would contain itself; make one of them an `object` with the reference as a property",
        ),
    ];
    for (components, expected) in cases {
        assert_errors(&component_errors(components), &[expected]);
    }
}

#[test]
fn a_ref_to_an_alias_resolves_through_the_chain() {
    // `Tags` is an alias of an alias of an array: a style applies to it.
    let components = "schemas:\n  Tags:\n    $ref: Names\n  Names:\n    type: array\n    items: {type: string}\n";
    let operation = DEMO_OPERATION.replace(
        "    type: string\n    required: true",
        "    $ref: Tags\n    required: true",
    );
    let operation = operation.replace("  in: query\n", "  in: query\n  style: simple\n");
    assert_errors(
        &diagnostics(DEMO_PRODUCT, Some(components), &[("Ping.yaml", &operation)]),
        &[],
    );
    let components = components.replace("type: array\n    items: {type: string}", "type: string");
    assert_errors(
        &diagnostics(DEMO_PRODUCT, Some(&components), &[("Ping.yaml", &operation)]),
        &[
            "ROOT/demo/operations/Ping.yaml:7:10: parameters[0].style: style `simple` applies to arrays, objects and maps, not `string`",
        ],
    );
}

const RECURSIVE: &str = "schemas:
  Node:
    type: object
    properties:
      Name: {type: string}
      Child: {$ref: Node}
      Children: {type: array, items: {$ref: Node}}
      ByName: {type: map, values: {$ref: Node}}
      Forest: {$ref: Forest}
  Forest:
    type: array
    items: {$ref: Tree}
  Tree:
    type: object
    properties:
      Root: {$ref: Node}
      Next: {$ref: Alias}
  Alias:
    $ref: Tree
  Ping:
    type: object
    properties:
      Pong: {$ref: Pong}
  Pong:
    type: object
    properties:
      Ping: {$ref: Ping}
";

#[test]
fn legal_recursion_generates_a_crate_that_compiles() {
    let dir = tempfile::tempdir().unwrap();
    // A response field nested exactly to the limit (the property is one
    // level, each array one more) must compile as well.
    let mut deep = "{type: string}".to_owned();
    for _ in 0..MAX_NESTING - 1 {
        deep = format!("{{type: array, items: {deep}}}");
    }
    let operation = DEMO_OPERATION.replace(
        "      RequestId:\n        type: string\n",
        &format!("      Tree:\n        $ref: Node\n      Forest:\n        $ref: Forest\n      Ping:\n        $ref: Ping\n      Deep: {deep}\n"),
    );
    spec_tree(
        dir.path(),
        DEMO_PRODUCT,
        Some(RECURSIVE),
        &[("Ping.yaml", &operation)],
    );
    let generated = support::generate_for_check(&dir.path().join("demo"));
    let types = &generated.files["src/types.rs"];
    for expected in [
        "pub child: Option<Box<Node>>",
        "pub children: Vec<Node>",
        "pub by_name: BTreeMap<String, Node>",
        "pub type Forest = Vec<Tree>;",
        "pub type Alias = Box<Tree>;",
        "pub pong: Option<Box<Pong>>",
    ] {
        assert!(
            types.contains(expected),
            "missing `{expected}` in types.rs:\n{types}"
        );
    }
    let deep_type = format!(
        "{}String{}",
        "Vec<".repeat(MAX_NESTING - 1),
        ">".repeat(MAX_NESTING - 1)
    );
    assert!(
        generated.files["src/operations/ping.rs"]
            .split_whitespace()
            .collect::<String>()
            // Printed over many lines, with trailing commas.
            .replace(',', "")
            .contains(&format!("pubdeep:{deep_type}")),
        "nested type written out"
    );
    support::cargo_check("validate_hostile", &[generated], false);
}

// Nesting

fn nested_arrays(levels: usize) -> String {
    let mut schema = "{type: string}".to_owned();
    for _ in 0..levels {
        schema = format!("{{type: array, items: {schema}}}");
    }
    schema
}

#[test]
fn nesting_past_the_limit_is_a_spec_error() {
    // A parameter schema is level 0; 33 arrays put the innermost items at 33.
    let schema = nested_arrays(MAX_NESTING + 1);
    let operation = DEMO_OPERATION.replace(
        "  schema:\n    type: string\n    required: true\n",
        &format!("  style: json\n  schema: {schema}\n"),
    );
    let errors = diagnostics(DEMO_PRODUCT, None, &[("Ping.yaml", &operation)]);
    let field = format!("parameters[0].schema{}", ".items".repeat(MAX_NESTING + 1));
    let column = 11 + "{type: array, items: ".len() * (MAX_NESTING + 1);
    assert_errors(
        &errors,
        &[&format!(
            "ROOT/demo/operations/Ping.yaml:8:{column}: {field}: schemas nest at most 32 levels of `items`, `values` and `properties`; this is deeper"
        )],
    );
    // At the limit it is fine.
    let operation = DEMO_OPERATION.replace(
        "  schema:\n    type: string\n    required: true\n",
        &format!("  style: json\n  schema: {}\n", nested_arrays(MAX_NESTING)),
    );
    assert_errors(
        &diagnostics(DEMO_PRODUCT, None, &[("Ping.yaml", &operation)]),
        &[],
    );
}

#[test]
fn nesting_through_component_chains_is_counted() {
    // Each component is shallow, but the chain of references nests past
    // the limit: one error, at the head of the chain.
    let mut components = String::from("schemas:\n");
    for index in 0..40 {
        components.push_str(&format!(
            "  C{index}:\n    type: object\n    properties:\n      Next: {{$ref: C{}}}\n",
            index + 1
        ));
    }
    components.push_str("  C40: {type: string}\n");
    let errors = component_errors(&components);
    assert_errors(
        &errors,
        &[
            "ROOT/demo/components.yaml:3:5: schemas.C0: with the components it refers to, this type nests 80 levels of `items`, `values`, `properties` and `$ref`; at most 32 are allowed (deeper types overflow rustc's trait checks)",
        ],
    );
    // A recursive ring is not a chain: it counts once.
    assert_errors(&component_errors(RECURSIVE), &[]);
}

#[test]
fn ten_thousand_levels_of_yaml_are_refused_by_the_loader() {
    // Flow style, so the text stays small.
    let schema = nested_arrays(10_000);
    let operation = DEMO_OPERATION.replace(
        "  schema:\n    type: string\n    required: true\n",
        &format!("  schema: {schema}\n"),
    );
    let errors = diagnostics(DEMO_PRODUCT, None, &[("Ping.yaml", &operation)]);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("ROOT/demo/operations/Ping.yaml:7:")
            && (errors[0].contains("nest") || errors[0].ends_with("recursion limit exceeded")),
        "{errors:?}"
    );
}

#[test]
fn block_style_past_the_yaml_limit_is_refused_by_the_loader() {
    // 150 levels in block style: serde_yaml stops at 128 with a position.
    let mut schema = String::from("  schema:\n");
    let mut indent = String::from("    ");
    for _ in 0..150 {
        schema.push_str(&format!("{indent}type: array\n{indent}items:\n"));
        indent.push_str("  ");
    }
    schema.push_str(&format!("{indent}type: string\n"));
    let operation =
        DEMO_OPERATION.replace("  schema:\n    type: string\n    required: true\n", &schema);
    let errors = diagnostics(DEMO_PRODUCT, None, &[("Ping.yaml", &operation)]);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("ROOT/demo/operations/Ping.yaml:")
            && errors[0].ends_with("recursion limit exceeded"),
        "{errors:?}"
    );
}

/// A schema `levels` arrays deep, built in code (no YAML limit applies).
fn deep_schema(levels: usize) -> Schema {
    let mut schema = Schema {
        ty: Some(Type::String),
        ..Schema::default()
    };
    for _ in 0..levels {
        schema = Schema {
            ty: Some(Type::Array),
            items: Some(Box::new(schema)),
            ..Schema::default()
        };
    }
    schema
}

/// Take a deep schema apart level by level: dropping it whole would recurse.
fn dismantle(schema: Schema) {
    let mut next = schema.items;
    while let Some(mut level) = next {
        next = level.items.take();
    }
}

#[test]
fn validate_does_not_recurse_into_ten_thousand_levels() {
    let mut components = Components::default();
    components
        .schemas
        .insert("Deep".into(), deep_schema(10_000));
    let spec = ProductSpec {
        dir_name: "demo".into(),
        product: product_struct("Demo", "demo-client", "0.1.0"),
        components,
        operations: Vec::new(),
    };
    let files = ProductFiles {
        dir_name: "demo".into(),
        dir: "spec/demo".into(),
        // A product needs an operation file; its content is not looked at here.
        operations: vec![("Keep.yaml".into(), String::new())],
        ..ProductFiles::default()
    };
    let errors = validate(&files, &spec).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors}");
    let error = &errors.0[0];
    assert_eq!(error.file, Path::new("spec/demo/components.yaml"));
    assert_eq!(
        error.field,
        format!("schemas.Deep{}", ".items".repeat(MAX_NESTING + 1))
    );
    for (_, schema) in spec.components.schemas {
        dismantle(schema);
    }
}

// Enum values

#[test]
fn integer_enum_values_equal_as_numbers_are_duplicates() {
    let errors = operation_errors(
        "    type: string\n    required: true",
        "    type: int32\n    required: true\n    enum:\n    - value: '1'\n    - value: '01'\n    - value: '+1'\n    - value: '2'",
    );
    assert_errors(
        &errors,
        &[
            "ROOT/demo/operations/Ping.yaml:12:7: parameters[0].schema.enum[1]: value `01` is the number 1, already listed as `1` (enum[0])",
            "ROOT/demo/operations/Ping.yaml:13:7: parameters[0].schema.enum[2]: value `+1` is the number 1, already listed as `1` (enum[0])",
        ],
    );
}

#[test]
fn exact_duplicate_string_values_are_errors_but_case_variants_are_not() {
    let errors = operation_errors(
        "    type: string\n    required: true",
        "    type: string\n    required: true\n    enum:\n    - value: a\"b\n    - value: A\"B\n    - value: a\"b",
    );
    assert_errors(
        &errors,
        &[
            "ROOT/demo/operations/Ping.yaml:13:7: parameters[0].schema.enum[2]: value `a\\\"b` is listed twice",
        ],
    );
}

// Positions on checks that had none

#[test]
fn semantic_errors_carry_line_and_column() {
    let errors = operation_errors(
        "- status: 400\n  code: InputInvalid\n",
        "- {status: 400, code: Busy}\n- {status: 400, code: Busy}\n",
    );
    assert_errors(
        &errors,
        &[
            "ROOT/demo/operations/Ping.yaml:19:23: errors[1].code: error `Busy` with status 400 is listed twice",
        ],
    );
    // A missing field points at the schema that lacks it.
    let errors = operation_errors(
        "    type: string\n    required: true",
        "    type: array\n    required: true",
    );
    assert_errors(
        &errors,
        &[
            "ROOT/demo/operations/Ping.yaml:8:5: parameters[0].schema.items: missing: an array needs an item type",
        ],
    );
    let errors =
        component_errors("schemas:\n  Thing:\n    type: string\n  bad name: {type: string}\n");
    assert_errors(
        &errors,
        &[
            "ROOT/demo/components.yaml:4:13: schemas.bad name: component name `bad name` must start with a letter and hold only letters, digits and `_`",
        ],
    );
}

#[test]
fn operation_names_long_enough_to_break_a_file_name_are_refused() {
    let long = "Ab".repeat(51);
    let operation = DEMO_OPERATION.replace("name: Ping", &format!("name: {long}"));
    let errors = diagnostics(DEMO_PRODUCT, None, &[(&format!("{long}.yaml"), &operation)]);
    assert_errors(
        &errors,
        &[&format!("ROOT/demo/operations/{long}.yaml:1:7: name: operation name `{}`... is 102 characters long; at most 100 are allowed (it names a source file, and file names end at 255 bytes)", "Ab".repeat(40))],
    );
}

#[test]
fn rpc_operations_are_sent_to_the_root_path_only() {
    assert_eq!(
        operation_errors("method: POST\n", "method: POST\npath: /v1/ping\n"),
        ["ROOT/demo/operations/Ping.yaml:4:7: path: `/v1/ping` in an RPC product: RPC operations are sent to `/` (leave `path` out)"]
    );
    assert!(operation_errors("method: POST\n", "method: POST\npath: /\n").is_empty());
}
