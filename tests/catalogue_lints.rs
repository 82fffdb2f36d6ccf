//! Shapes that whole-catalogue runs found breaking generated crates, in one
//! small product: the crate must pass clippy with warnings denied, and its
//! own tests (the sample round trips) and doctests (the examples) must pass.
//!
//! - seven required parameters: `&self` makes the client method eight
//!   arguments, one over clippy's limit (eight for the constructor);
//! - an `object` without properties decodes as a JSON value keeping every
//!   key, so its keys are modelled;
//! - lists and maps a sample leaves out (or sends empty) stay out when the
//!   response is encoded again;
//! - required parameters whose types have no `Default` (a struct with a
//!   required field, an alias of an enum) get real example values;
//! - an object component without properties (a `Value` alias, keeping every
//!   key) and a response body without properties (a struct of no fields,
//!   whose sample keys the test lists as dropped);
//! - paginated lists whose items are free-form objects (`Value`) or maps,
//!   held by an array component in `types`: the operation module must
//!   import `Value` and `BTreeMap` itself;
//! - prose with lazy list and quote lines, over-indented items, escaped
//!   HTML, tabs and text indented by four spaces, and a summary that
//!   renders to nothing.

mod support;

use std::fs;
use std::path::Path;

use serde_json::{json, Value};

fn write_yaml(path: &Path, value: &Value) {
    fs::write(path, serde_yaml::to_string(value).expect("yaml")).expect("write spec file");
}

fn text(description: &str) -> Value {
    json!({"type": "string", "description": description})
}

fn required_text(name: &str) -> Value {
    json!({"name": name, "in": "query", "schema": {"type": "string", "required": true}})
}

fn operation(name: &str, summary: &str) -> Value {
    json!({"name": name, "summary": summary, "method": "POST"})
}

/// Prose the way metadata writes it, in our own words.
const LAZY_LIST: &str = "Notes on the value:\n- the first note\ngoes on without indentation\n- the second note\n  * a nested note\nwhose text is lazy too";
const OVERINDENTED: &str = "Choices:\n-   one, after three spaces\n        still the first choice\n-  two\n\n1.  ordered, overindented\n    next line";
const LAZY_QUOTE: &str =
    "> Quoted advice\nthat goes on without a marker\n> > nested advice\nlazy again";
const ESCAPED_HTML: &str =
    "Returns the &lt;props&gt; element, ended by &lt;/props&gt;, and a &lt;br/&gt; tag.";
const TABS: &str = "Columns:\tname\tvalue\n\tindented by a tab\n\n\tand a tab-indented block";
const INDENTED: &str = "Call it like this:\n\n    Describe(Id) then Modify(Id)\n    and wait\n\nThen check the status.";
const MIXED: &str = "Limits:\n\n* at most 10\n* at least 1\n\n> Note: quotas differ\nper region.\n\n1. first\n2. second\ncontinued";

fn write_spec(root: &Path) -> std::path::PathBuf {
    let dir = root.join("lints");
    fs::create_dir_all(dir.join("operations")).expect("create spec dir");
    write_yaml(
        &dir.join("product.yaml"),
        &json!({
            "product": "lints",
            "version": "2020-01-01",
            "name": "Lints",
            "description": MIXED,
            "style": "rpc",
            "endpoints": {"rule": "regional", "default": "lints.aliyuncs.com"},
            "crate": {"name": "lints-client", "version": "0.1.0"},
        }),
    );
    write_yaml(
        &dir.join("components.yaml"),
        &json!({"schemas": {
            "Color": {"type": "string", "description": LAZY_LIST, "enum": [
                {"value": "red", "description": OVERINDENTED},
                {"value": "blue", "description": ESCAPED_HTML}]},
            "Shade": {"$ref": "Color"},
            "Entries": {"type": "array", "items": {"type": "object"}},
            "Conf": {"type": "object", "description": "Settings of any shape."},
            "Rows": {"type": "array", "items": {"type": "map", "values": {"type": "int32"}}},
            "Holder": {"type": "object", "properties": {
                "Name": text(LAZY_QUOTE),
                "Tags": {"type": "array", "items": {"type": "string"}},
                "Children": {"type": "array", "items": {"$ref": "Holder"}},
                "Extra": {"type": "map", "values": {"type": "int64"}}}},
        }}),
    );
    let mut operations = Vec::new();

    let mut seven = operation("SevenArgs", "Takes seven required parameters.");
    seven["parameters"] = (0..7).map(|i| required_text(&format!("Arg{i}"))).collect();
    operations.push(seven);
    let mut eight = operation("EightArgs", "Takes eight required parameters.");
    eight["parameters"] = (0..8).map(|i| required_text(&format!("Arg{i}"))).collect();
    operations.push(eight);

    let mut free = operation("FreeForm", "Returns labels of any shape.");
    free["response"] = json!({
        "schema": {"type": "object", "properties": {
            "RequestId": {"type": "string"},
            "Labels": {"type": "object", "description": "Whatever labels were set."},
            "Known": {"type": "object", "properties": {"Id": {"type": "string"}}}}},
        "example": json!({
            "RequestId": "r-1",
            "Labels": {"team": {"lead": "kim", "size": [3, 4]}, "empty": []},
            "Known": {"Id": "k", "Unlisted": 1}}).to_string(),
    });
    operations.push(free);

    // The item is sent and returned, so it derives `Serialize`.
    let item = json!({"type": "object", "properties": {
        "Id": {"type": "string"},
        "Sizes": {"type": "array", "items": {"type": "int32"}}}});
    let mut sparse = operation("Sparse", "Returns lists the sample leaves out.");
    sparse["parameters"] = json!([
        {"name": "Item", "in": "query", "style": "json", "schema": item.clone()}]);
    sparse["response"] = json!({
        "schema": {"type": "object", "properties": {
            "RequestId": {"type": "string"},
            "Item": item,
            "Holder": {"$ref": "Holder"},
            "Names": {"type": "array", "items": {"type": "string"}},
            "Counts": {"type": "map", "values": {"type": "int32"}}}},
        "example": json!({
            "RequestId": "r-2",
            "Item": {"Id": "i"},
            "Holder": {"Name": "h", "Children": [{"Name": "c", "Tags": []}]},
            "Names": [],
            "Counts": {}}).to_string(),
    });
    operations.push(sparse);

    let pair = json!({"type": "object", "required": true, "description": TABS, "properties": {
        "Key": {"type": "string", "required": true, "example": "env"},
        "Mode": {"type": "string", "required": true, "enum": [{"value": "fast"}, {"value": "slow"}]},
        "Shade": {"$ref": "Shade", "required": true},
        "Weight": {"type": "float", "required": true, "example": "1e300"},
        "Note": {"type": "string"}}});
    let mut build = operation("Build", "Builds from values without defaults.");
    build["description"] = json!(INDENTED);
    build["parameters"] = json!([
        {"name": "Pair", "in": "query", "style": "json", "schema": pair.clone()},
        {"name": "Pairs", "in": "query", "style": "json", "schema":
            {"type": "array", "required": true, "items": pair}},
        {"name": "Shade", "in": "query", "schema": {"$ref": "Shade", "required": true}},
        {"name": "Level", "in": "query", "schema": {"type": "int32", "required": true,
            "enum": [{"value": "1"}, {"value": "2"}], "example": "2"}},
    ]);
    operations.push(build);

    let mut prose = operation("Prose", "&nbsp;");
    prose["description"] = json!([
        LAZY_LIST,
        OVERINDENTED,
        LAZY_QUOTE,
        ESCAPED_HTML,
        TABS,
        INDENTED,
        MIXED
    ]
    .join("\n\n"));
    prose["parameters"] = json!([
        {"name": "Lazy", "in": "query", "schema": text(LAZY_LIST)},
        {"name": "Over", "in": "query", "schema": text(OVERINDENTED)},
        {"name": "Quote", "in": "query", "schema": text(LAZY_QUOTE)},
        {"name": "Tabs", "in": "query", "schema": text(TABS)},
        {"name": "Indented", "in": "query", "schema": text(INDENTED)},
        {"name": "Choice", "in": "query", "schema": {"type": "string", "description": MIXED,
            "enum": [{"value": "a", "description": LAZY_QUOTE}, {"value": "b", "description": "&#32;"}]}},
    ]);
    prose["response"] = json!({"schema": {"type": "object", "description": OVERINDENTED, "properties": {
        "RequestId": text(ESCAPED_HTML),
        "Detail": {"type": "object", "description": LAZY_LIST, "properties": {"Text": text(INDENTED)}}}}});
    prose["errors"] = json!([{"status": 400, "code": "Bad", "message": "&lt;/props&gt;", "description": LAZY_LIST}]);
    operations.push(prose);

    let mut conf = operation("GetConf", "Returns settings of any shape.");
    conf["response"] = json!({
        "schema": {"type": "object", "properties": {
            "RequestId": {"type": "string"},
            "Conf": {"$ref": "Conf"}}},
        "example": json!({"RequestId": "r-3", "Conf": {"a.b": "1", "n": 2}}).to_string(),
    });
    operations.push(conf);
    let mut opaque = operation("GetOpaque", "Returns a body the spec does not describe.");
    opaque["response"] = json!({
        "schema": {"type": "object"},
        "example": json!({"test": "x", "test2": 1}).to_string(),
    });
    operations.push(opaque);

    for (name, items) in [("ListEntries", "Entries"), ("ListRows", "Rows")] {
        let mut list = operation(name, "Lists items a page at a time.");
        list["parameters"] = json!([
            {"name": "NextToken", "in": "query", "schema": {"type": "string"}}]);
        list["response"] = json!({"schema": {"type": "object", "properties": {
            "RequestId": {"type": "string"},
            "NextToken": {"type": "string"},
            items: {"$ref": items}}}});
        list["pagination"] = json!({
            "input_token": "NextToken", "output_token": "NextToken", "items": items});
        operations.push(list);
    }

    for op in &operations {
        let name = op["name"].as_str().expect("name");
        write_yaml(&dir.join("operations").join(format!("{name}.yaml")), op);
    }
    dir
}

/// `#[allow(clippy::too_many_arguments, ...)]` on the function `name` of
/// any impl in `file`.
fn allows_many_arguments(file: &syn::File, name: &str) -> bool {
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Impl(item) => Some(item),
            _ => None,
        })
        .flat_map(|item| &item.items)
        .filter_map(|member| match member {
            syn::ImplItem::Fn(f) if f.sig.ident == name => Some(f),
            _ => None,
        })
        .flat_map(|f| &f.attrs)
        .any(|attr| {
            attr.path().is_ident("allow")
                && attr
                    .meta
                    .require_list()
                    .is_ok_and(|list| list.tokens.to_string().contains("too_many_arguments"))
        })
}

#[test]
fn catalogue_shapes_pass_clippy_tests_and_doctests() {
    // Kept beside the crate, to run an older acsgen on it.
    let root = support::root().join("target/acsgen-test-crates/catalogue_lints-spec");
    let _ = fs::remove_dir_all(&root);
    let generated = support::generate_for_check(&write_spec(&root));
    let parse = |path: &str| syn::parse_file(&generated.files[path]).expect("parses");
    let seven = parse("src/operations/seven_args.rs");
    assert!(
        allows_many_arguments(&seven, "seven_args"),
        "eight with &self"
    );
    assert!(!allows_many_arguments(&seven, "new"), "seven is allowed");
    let eight = parse("src/operations/eight_args.rs");
    assert!(allows_many_arguments(&eight, "new"));

    let own = support::own_doctests(&generated);
    support::cargo_check("catalogue_lints", &[generated], true);
    let (passed, failed) = support::cargo_test("catalogue_lints");
    assert_eq!(
        (passed, failed),
        (own, 0),
        "only acsgen's examples run, and pass"
    );
}
