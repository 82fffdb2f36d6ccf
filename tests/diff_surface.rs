//! The Rust side of `acsgen diff`: the API surface built from the model, and
//! the changes only it can see (argument order, renamed types and variants,
//! `Option`/`Box` wrappers).

use acsgen::diff::{compare, render_text, Change, Impact, Kind, Part, RenderOptions, Report};
use acsgen::spec::{Operation, Product, ProductSpec};
use acsgen::surface::{self, Member};

const PRODUCT: &str = "
product: demo
version: '2024-01-01'
name: Demo
style: rpc
endpoints:
  rule: regional
  default: demo.aliyuncs.com
crate:
  name: demo-client
  version: 1.0.0
";

fn product(operations: &[String]) -> ProductSpec {
    let product: Product = serde_yaml::from_str(PRODUCT).expect("product.yaml");
    let operations: Vec<Operation> = operations
        .iter()
        .map(|text| serde_yaml::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}")))
        .collect();
    ProductSpec {
        dir_name: "demo".to_owned(),
        product,
        components: Default::default(),
        operations,
    }
}

fn op(body: &str) -> String {
    format!("name: Op\nsummary: Does it.\nmethod: POST\n{body}")
}

fn param(name: &str, schema: &str) -> String {
    let schema: String = schema.lines().map(|l| format!("    {l}\n")).collect();
    format!("- name: {name}\n  in: query\n  schema:\n{schema}")
}

fn params(list: &[String]) -> String {
    format!("parameters:\n{}", list.concat())
}

fn diff(old: &str, new: &str) -> Report {
    compare(&product(&[op(old)]), &product(&[op(new)]))
}

fn changes(report: &Report) -> Vec<&Change> {
    report.changes().map(|(_, c)| c).collect()
}

const STRING: &str = "type: string\nrequired: true";
const INT: &str = "type: int64\nrequired: true";
const OPTIONAL: &str = "type: boolean";

fn signature(members: &[Member]) -> Vec<(&str, &str)> {
    members
        .iter()
        .map(|m| (m.name.as_str(), m.ty.text.as_str()))
        .collect()
}

#[test]
fn the_surface_lists_constructor_arguments_in_order_with_types() {
    let spec = product(&[op(&params(&[
        param("ZoneId", STRING),
        param("DryRun", OPTIONAL),
        param("Size", INT),
        param("RegionId", STRING),
    ]))]);
    let surface = surface::of_spec(&spec);
    let op = &surface.operations["Op"];
    assert_eq!(
        (
            op.module.as_str(),
            op.client_method.as_str(),
            op.request.as_str()
        ),
        ("op", "op", "OpRequest")
    );
    assert_eq!(
        signature(&op.args),
        [
            ("zone_id", "impl Into<String>"),
            ("size", "i64"),
            ("region_id", "impl Into<String>"),
        ]
    );
    assert_eq!(signature(&op.setters), [("dry_run", "bool")]);
    assert_eq!(op.args[2].wire, "RegionId");
    assert_eq!(op.error.catch_all, "Unhandled");
    // Plain data: the JSON form is what tools read.
    let json = serde_json::to_value(&surface).expect("serializes");
    assert_eq!(json["operations"]["Op"]["args"][1]["ty"]["text"], "i64");
}

#[test]
fn swapping_two_arguments_of_the_same_type_breaks() {
    let report = diff(
        &params(&[param("RegionId", STRING), param("ZoneId", STRING)]),
        &params(&[param("ZoneId", STRING), param("RegionId", STRING)]),
    );
    let found = changes(&report);
    assert_eq!(found.len(), 1, "{found:#?}");
    let change = found[0];
    assert_eq!(
        (change.part, change.kind, change.impact),
        (Part::Operation, Kind::ArgumentOrder, Impact::Breaking)
    );
    assert!(report.is_breaking());
    let text = render_text(&report, RenderOptions::default());
    for fact in [
        "argument order (region_id, zone_id) -> (zone_id, region_id)",
        "`region_id` (impl Into<String>) moves from argument 1 to 2",
        "`zone_id` (impl Into<String>) moves from argument 2 to 1",
        "calls still compile but pass each value as the other",
    ] {
        assert!(text.contains(fact), "{fact:?} not in:\n{text}");
    }
}

#[test]
fn reordering_arguments_of_different_types_breaks() {
    let report = diff(
        &params(&[param("RegionId", STRING), param("Size", INT)]),
        &params(&[param("Size", INT), param("RegionId", STRING)]),
    );
    let change = changes(&report)
        .into_iter()
        .find(|c| c.kind == Kind::ArgumentOrder)
        .expect("an order change");
    assert_eq!(change.impact, Impact::Breaking);
    assert!(
        !change.reason.contains("still compile"),
        "{}",
        change.reason
    );
}

#[test]
fn inserting_an_argument_is_not_a_reorder() {
    let report = diff(
        &params(&[param("RegionId", STRING), param("ZoneId", STRING)]),
        &params(&[
            param("RegionId", STRING),
            param("Size", INT),
            param("ZoneId", STRING),
        ]),
    );
    let kinds: Vec<(&str, Kind)> = changes(&report)
        .iter()
        .map(|c| (c.path.as_str(), c.kind))
        .collect();
    assert_eq!(kinds, [("Size", Kind::Added)]);
}

#[test]
fn a_new_code_named_like_the_catch_all_does_not_rename_it() {
    let errors = |codes: &[&str]| {
        let mut text = "errors:\n".to_owned();
        for code in codes {
            text.push_str(&format!("  - status: 400\n    code: {code}\n"));
        }
        text
    };
    let (old, new) = (errors(&["Bad"]), errors(&["Bad", "Unhandled"]));
    let surface = surface::of_spec(&product(&[op(&new)]));
    let error = &surface.operations["Op"].error;
    assert_eq!(error.catch_all, "Unhandled");
    assert!(error.variants.iter().all(|v| v.name != "Unhandled"));
    // Only the new code shows; the catch-all keeps its name (a rename is
    // reported by `diff::rust`'s unit test on hand-made surfaces).
    let report = diff(&old, &new);
    let kinds: Vec<(Part, Kind)> = changes(&report).iter().map(|c| (c.part, c.kind)).collect();
    assert_eq!(kinds, [(Part::ErrorCode, Kind::Added)]);
}

#[test]
fn a_nested_field_becoming_optional_breaks() {
    let tag = |required: &str| {
        params(&[param(
            "Tag",
            &format!("type: object\nproperties:\n  Key:\n    type: string\n{required}"),
        )])
    };
    let report = diff(&tag("    required: true\n"), &tag(""));
    let found = changes(&report);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        (found[0].part, found[0].path.as_str(), found[0].impact),
        (Part::ParameterField, "Tag.Key", Impact::Breaking)
    );
}

#[test]
fn a_nested_type_renamed_by_a_new_sibling_breaks() {
    let mode = "type: string\nenum:\n- value: A\n- value: B";
    let report = diff(
        &params(&[param("Mode", mode)]),
        &params(&[param("mode", mode), param("Mode", mode)]),
    );
    let renames: Vec<(&str, Option<&str>, Option<&str>)> = changes(&report)
        .iter()
        .filter(|c| c.kind == Kind::RustName)
        .map(|c| (c.path.as_str(), c.old.as_deref(), c.new.as_deref()))
        .collect();
    assert!(
        renames.contains(&("Mode", Some("mode"), Some("mode_2"))),
        "{renames:#?}"
    );
    assert!(
        renames.iter().any(|(path, old, new)| *path == "Mode"
            && old != new
            && old.is_some_and(|o| o.starts_with("op::"))),
        "{renames:#?}"
    ); // Both renames break callers that name the old setter or type.
    for change in changes(&report)
        .iter()
        .filter(|c| c.kind == Kind::RustName && c.path == "Mode")
    {
        assert_eq!(change.impact, Impact::Breaking, "{change:#?}");
    }
}

#[test]
fn a_nested_type_moving_to_the_shared_module_is_reported() {
    // A second operation using the same shape moves it to `types`; the
    // first operation's module re-exports it, so old paths still work.
    let item = |name: &str| {
        format!(
            "name: {name}\nsummary: Does it.\nmethod: POST\nresponse:\n  schema:\n    type: object\n    properties:\n      Item:\n        type: object\n        properties:\n          Size:\n            type: int64\n"
        )
    };
    let old = product(&[item("Alpha")]);
    let new = product(&[item("Alpha"), item("Beta")]);
    let surface = surface::of_spec(&new);
    let alpha = &surface.operations["Alpha"];
    let item_field = &alpha.response.fields[0];
    assert_eq!(item_field.ty.refs, ["types::Item"], "{alpha:#?}");
    assert!(alpha.reexports.iter().any(|r| r == "Item"));
    let report = compare(&old, &new);
    let moved = report
        .operation("Alpha")
        .expect("Alpha changed")
        .changes
        .iter()
        .find(|c| c.kind == Kind::Moved)
        .expect("a move");
    assert_eq!(
        (
            moved.path.as_str(),
            moved.old.as_deref(),
            moved.new.as_deref(),
            moved.impact
        ),
        (
            "Item",
            Some("alpha::Item"),
            Some("types::Item"),
            Impact::Compatible
        )
    );
}

#[test]
fn paginators_added_removed_and_repointed_are_reported() {
    let body = |pagination: &str| {
        format!(
            "{}response:\n  schema:\n    type: object\n    properties:\n      NextToken: {{type: string}}\n      Token: {{type: string}}\n      Items:\n        type: array\n        items: {{type: string}}\n{pagination}",
            params(&[param("NextToken", "type: string"), param("Cursor", "type: string")])
        )
    };
    let token =
        "pagination:\n  input_token: NextToken\n  output_token: NextToken\n  items: Items\n";
    let cursor = "pagination:\n  input_token: Cursor\n  output_token: Token\n  items: Items\n";
    let pagination = |report: &Report| -> Vec<(Impact, Option<String>, Option<String>)> {
        changes(report)
            .into_iter()
            .filter(|c| c.kind == Kind::Pagination)
            .map(|c| (c.impact, c.old.clone(), c.new.clone()))
            .collect()
    };
    let wire = "token NextToken <- NextToken, items Items".to_owned();
    let added = diff(&body(""), &body(token));
    assert_eq!(
        pagination(&added),
        [(Impact::Compatible, None, Some(wire.clone()))]
    );
    let text = render_text(&added, RenderOptions::default());
    assert!(
        text.contains("paginator added (token NextToken <- NextToken, items Items)"),
        "{text}"
    );
    assert_eq!(
        pagination(&diff(&body(token), &body(""))),
        [(Impact::Breaking, Some(wire.clone()), None)]
    );
    assert_eq!(
        pagination(&diff(&body(token), &body(cursor))),
        [(
            Impact::Behavior,
            Some(wire),
            Some("token Cursor <- Token, items Items".to_owned())
        )]
    );
    assert!(pagination(&diff(&body(token), &body(token))).is_empty());
}
