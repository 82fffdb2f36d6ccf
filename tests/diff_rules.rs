//! Each classification rule of `acsgen diff` on a tiny spec pair, plus the
//! semver verdict, grouping, and the renderers.

use acsgen::diff::{
    compare, render_changelog_entry, render_json, render_markdown, render_text, Bump, Change,
    Impact, Kind, Part, RenderOptions, Report, GROUP_MIN,
};
use acsgen::spec::{Components, Operation, Product, ProductSpec};

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
  version: VERSION
";

fn product(version: &str, components: &str, operations: &[String]) -> ProductSpec {
    let product: Product =
        serde_yaml::from_str(&PRODUCT.replace("VERSION", version)).expect("product.yaml");
    let components: Components = if components.is_empty() {
        Components::default()
    } else {
        serde_yaml::from_str(components).expect("components.yaml")
    };
    let mut operations: Vec<Operation> = operations
        .iter()
        .map(|text| serde_yaml::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}")))
        .collect();
    operations.sort_by(|a, b| a.name.cmp(&b.name));
    ProductSpec {
        dir_name: "demo".to_owned(),
        product,
        components,
        operations,
    }
}

/// An operation named `name` with `body` (YAML, top-level keys) after the
/// name, summary and method.
fn op(name: &str, body: &str) -> String {
    format!("name: {name}\nsummary: Does it.\nmethod: POST\n{body}")
}

/// The report for one operation `Op` going from `old` to `new`.
fn diff_op(old: &str, new: &str) -> Report {
    compare(
        &product("1.0.0", "", &[op("Op", old)]),
        &product("1.0.0", "", &[op("Op", new)]),
    )
}

/// The single change of a report, checked to be the only one.
fn only(report: &Report) -> &Change {
    let changes: Vec<&Change> = report.changes().map(|(_, c)| c).collect();
    assert_eq!(changes.len(), 1, "expected one change, got {changes:#?}");
    changes[0]
}

fn assert_change(report: &Report, part: Part, path: &str, kind: Kind, impact: Impact) {
    let change = only(report);
    assert_eq!(
        (
            change.part,
            change.path.as_str(),
            change.kind,
            change.impact
        ),
        (part, path, kind, impact),
        "{change:#?}"
    );
    assert!(!change.reason.is_empty());
}

fn param(name: &str, schema: &str) -> String {
    format!(
        "- name: {name}\n  in: query\n  schema:\n{}",
        indent(schema, 4)
    )
}

fn indent(text: &str, by: usize) -> String {
    text.lines()
        .map(|l| format!("{}{l}\n", " ".repeat(by)))
        .collect()
}

fn params(list: &[String]) -> String {
    format!("parameters:\n{}", list.concat())
}

const OPTIONAL_STRING: &str = "type: string";
const REQUIRED_STRING: &str = "type: string\nrequired: true";

#[test]
fn identical_specs_report_nothing() {
    let body = params(&[param("A", REQUIRED_STRING)]);
    let report = diff_op(&body, &body);
    assert!(report.is_empty());
    assert_eq!(report.verdict.level, Bump::None);
    assert_eq!(report.verdict.next, "1.0.0");
}

#[test]
fn new_required_parameter_breaks_the_constructor() {
    let report = diff_op(
        &params(&[param("A", REQUIRED_STRING)]),
        &params(&[param("A", REQUIRED_STRING), param("B", REQUIRED_STRING)]),
    );
    assert_change(&report, Part::Parameter, "B", Kind::Added, Impact::Breaking);
    assert!(only(&report).reason.contains("constructor"));
    assert_eq!(report.verdict.level, Bump::Major);
    assert_eq!(report.verdict.next, "2.0.0");
}

#[test]
fn new_optional_parameter_is_compatible() {
    let report = diff_op(
        &params(&[param("A", REQUIRED_STRING)]),
        &params(&[param("A", REQUIRED_STRING), param("B", OPTIONAL_STRING)]),
    );
    assert_change(
        &report,
        Part::Parameter,
        "B",
        Kind::Added,
        Impact::Compatible,
    );
    assert_eq!(only(&report).new.as_deref(), Some("optional string"));
    assert_eq!(report.verdict.level, Bump::Minor);
    assert_eq!(report.verdict.next, "1.1.0");
}

#[test]
fn removed_parameters_break_setter_or_constructor() {
    let optional = diff_op(
        &params(&[param("A", REQUIRED_STRING), param("B", OPTIONAL_STRING)]),
        &params(&[param("A", REQUIRED_STRING)]),
    );
    assert_change(
        &optional,
        Part::Parameter,
        "B",
        Kind::Removed,
        Impact::Breaking,
    );
    assert!(only(&optional).reason.contains("setter"));
    let required = diff_op(
        &params(&[param("A", REQUIRED_STRING), param("B", REQUIRED_STRING)]),
        &params(&[param("A", REQUIRED_STRING)]),
    );
    assert_change(
        &required,
        Part::Parameter,
        "B",
        Kind::Removed,
        Impact::Breaking,
    );
    assert!(only(&required).reason.contains("constructor"));
}

#[test]
fn required_flag_changes_break_both_ways() {
    let relaxed = diff_op(
        &params(&[param("A", REQUIRED_STRING)]),
        &params(&[param("A", OPTIONAL_STRING)]),
    );
    assert_change(
        &relaxed,
        Part::Parameter,
        "A",
        Kind::Required,
        Impact::Breaking,
    );
    assert_eq!(only(&relaxed).new.as_deref(), Some("optional"));
    let tightened = diff_op(
        &params(&[param("A", OPTIONAL_STRING)]),
        &params(&[param("A", REQUIRED_STRING)]),
    );
    assert_change(
        &tightened,
        Part::Parameter,
        "A",
        Kind::Required,
        Impact::Breaking,
    );
}

#[test]
fn parameter_type_change_breaks() {
    let report = diff_op(
        &params(&[param("A", "type: int32")]),
        &params(&[param("A", "type: int64")]),
    );
    assert_change(&report, Part::Parameter, "A", Kind::Type, Impact::Breaking);
    let change = only(&report);
    assert_eq!(
        (change.old.as_deref(), change.new.as_deref()),
        (Some("int32"), Some("int64"))
    );
}

#[test]
fn location_and_style_are_wire_only() {
    let report = diff_op(
        &params(&[param("A", OPTIONAL_STRING)]),
        &params(&["- name: A\n  in: body\n  schema:\n    type: string\n".to_owned()]),
    );
    assert_change(
        &report,
        Part::Parameter,
        "A",
        Kind::Location,
        Impact::Behavior,
    );
    assert_eq!(report.verdict.level, Bump::Patch);
    assert_eq!(report.verdict.next, "1.0.1");

    let list = |style: &str| {
        format!("parameters:\n- name: L\n  in: query\n{style}  schema:\n    type: array\n    items:\n      type: string\n")
    };
    let report = diff_op(&list("  style: simple\n"), &list("  style: json\n"));
    assert_change(&report, Part::Parameter, "L", Kind::Style, Impact::Behavior);
    // No style on an array means repeatList: spelling it out changes nothing.
    assert!(diff_op(&list(""), &list("  style: repeatList\n")).is_empty());
}

#[test]
fn http_method_read_only_and_path_are_behavior() {
    let report = diff_op("", "").clone();
    assert!(report.is_empty());
    let get = |extra: &str| {
        compare(
            &product("1.0.0", "", &[op("Op", "")]),
            &product(
                "1.0.0",
                "",
                &[format!("name: Op\nsummary: Does it.\nmethod: GET\n{extra}")],
            ),
        )
    };
    assert_change(
        &get(""),
        Part::Operation,
        "",
        Kind::Method,
        Impact::Behavior,
    );
    let read_only = diff_op("", "read_only: true\n");
    assert_change(
        &read_only,
        Part::Operation,
        "",
        Kind::ReadOnly,
        Impact::Behavior,
    );
    assert!(only(&read_only).reason.contains("retries"));
    let path = diff_op("", "path: /items\n");
    assert_change(
        &path,
        Part::Operation,
        "",
        Kind::RequestPath,
        Impact::Behavior,
    );
}

#[test]
fn deprecation_is_compatible() {
    let report = diff_op("", "deprecated:\n  note: Use Other.\n");
    assert_change(
        &report,
        Part::Operation,
        "",
        Kind::Deprecated,
        Impact::Compatible,
    );
    assert_eq!(report.verdict.level, Bump::Minor);
    let field = diff_op(
        &params(&[param("A", OPTIONAL_STRING)]),
        &params(&[param("A", "type: string\ndeprecated: true")]),
    );
    assert_change(
        &field,
        Part::Parameter,
        "A",
        Kind::Deprecated,
        Impact::Compatible,
    );
}

fn errors(list: &[(u16, &str)]) -> String {
    let mut text = "errors:\n".to_owned();
    for (status, code) in list {
        text.push_str(&format!("- status: {status}\n  code: {code}\n"));
    }
    text
}

#[test]
fn error_codes_added_removed_and_restatused() {
    let added = diff_op(&errors(&[(400, "A")]), &errors(&[(400, "A"), (404, "B")]));
    assert_change(
        &added,
        Part::ErrorCode,
        "B",
        Kind::Added,
        Impact::Compatible,
    );
    assert!(only(&added).reason.contains("non_exhaustive"));
    let removed = diff_op(&errors(&[(400, "A"), (404, "B")]), &errors(&[(400, "A")]));
    assert_change(
        &removed,
        Part::ErrorCode,
        "B",
        Kind::Removed,
        Impact::Breaking,
    );
    // The reason is the vanished variant, not exhaustiveness.
    assert!(only(&removed).reason.contains("naming it"));
    let status = diff_op(&errors(&[(400, "A")]), &errors(&[(403, "A")]));
    assert_change(
        &status,
        Part::ErrorCode,
        "A",
        Kind::Status,
        Impact::Behavior,
    );
}

#[test]
fn all_error_codes_gone_is_one_change() {
    let report = diff_op(&errors(&[(400, "A"), (404, "B")]), "");
    assert_change(&report, Part::Errors, "", Kind::Removed, Impact::Breaking);
    assert_eq!(only(&report).detail.as_deref(), Some("2 codes: `A`, `B`"));
    let back = diff_op("", &errors(&[(400, "A")]));
    assert_change(&back, Part::Errors, "", Kind::Added, Impact::Compatible);
}

fn response(properties: &str) -> String {
    format!(
        "response:\n  schema:\n    type: object\n    properties:\n{}",
        indent(properties, 6)
    )
}

const ITEMS: &str = "Data:
  type: object
  properties:
    Items:
      type: array
      items:
        type: object
        properties:
          Name:
            type: string
";

#[test]
fn response_fields_are_compared_with_paths() {
    let with = |extra: &str| response(&format!("{ITEMS}{}", indent(extra, 10)));
    let added = diff_op(&with(""), &with("Size:\n  type: int64\n"));
    assert_change(
        &added,
        Part::ResponseField,
        "Data.Items[].Size",
        Kind::Added,
        Impact::Compatible,
    );
    let removed = diff_op(&with("Size:\n  type: int64\n"), &with(""));
    assert_change(
        &removed,
        Part::ResponseField,
        "Data.Items[].Size",
        Kind::Removed,
        Impact::Breaking,
    );
    let retyped = diff_op(
        &with("Size:\n  type: int64\n"),
        &with("Size:\n  type: string\n"),
    );
    assert_change(
        &retyped,
        Part::ResponseField,
        "Data.Items[].Size",
        Kind::Type,
        Impact::Breaking,
    );
    // Response fields are `Option` whatever `required` says.
    let required = diff_op(
        &with("Size:\n  type: int64\n"),
        &with("Size:\n  type: int64\n  required: true\n"),
    );
    assert!(required.is_empty(), "{required:#?}");
}

#[test]
fn removed_object_field_is_reported_once() {
    let report = diff_op(&response(ITEMS), &response("RequestId:\n  type: string\n"));
    let paths: Vec<(&str, Kind)> = report
        .changes()
        .map(|(_, c)| (c.path.as_str(), c.kind))
        .collect();
    assert_eq!(paths, [("Data", Kind::Removed), ("RequestId", Kind::Added)]);
    let data = report.changes().next().expect("a change").1;
    assert_eq!(data.detail.as_deref(), Some("with 1 fields of its own"));
}

#[test]
fn a_response_no_longer_described_is_one_change() {
    let report = diff_op(&response(ITEMS), "");
    assert_change(&report, Part::Response, "", Kind::Removed, Impact::Breaking);
    assert_eq!(only(&report).detail.as_deref(), Some("1 field: `Data`"));
    let back = diff_op("", &response(ITEMS));
    assert_change(&back, Part::Response, "", Kind::Added, Impact::Compatible);
}

/// A response with one body field and `headers` (YAML list items).
fn response_with_headers(headers: &str) -> String {
    let mut text = response("RequestId:\n  type: string\n");
    if !headers.is_empty() {
        text.push_str(&format!("  headers:\n{}", indent(headers, 2)));
    }
    text
}

#[test]
fn response_headers_are_fields_matched_whatever_their_case() {
    const ETAG: &str = "- name: ETag\n  schema:\n    type: string\n";
    let added = diff_op(&response_with_headers(""), &response_with_headers(ETAG));
    assert_change(
        &added,
        Part::ResponseHeader,
        "etag",
        Kind::Added,
        Impact::Compatible,
    );
    let removed = diff_op(&response_with_headers(ETAG), &response_with_headers(""));
    assert_change(
        &removed,
        Part::ResponseHeader,
        "etag",
        Kind::Removed,
        Impact::Breaking,
    );
    // The field is `etag` either way: a new case is no change at all.
    let recased = diff_op(
        &response_with_headers(ETAG),
        &response_with_headers(&ETAG.replace("ETag", "etag")),
    );
    assert!(recased.is_empty(), "{recased:#?}");
    // One change for a new type, not one from the spec and one from the Rust side.
    let retyped = diff_op(
        &response_with_headers(ETAG),
        &response_with_headers(&ETAG.replace("string", "int64")),
    );
    assert_change(
        &retyped,
        Part::ResponseHeader,
        "etag",
        Kind::Type,
        Impact::Breaking,
    );
    let text = render_text(&retyped, RenderOptions::default());
    assert!(text.contains("response header `etag`"), "{text}");
}

fn enum_param(values: &[&str]) -> String {
    let mut schema = "type: string\nenum:\n".to_owned();
    for value in values {
        schema.push_str(&format!("- value: {value}\n"));
    }
    params(&[param("Kind", &schema)])
}

#[test]
fn valid_values_added_are_compatible_removed_break() {
    let added = diff_op(&enum_param(&["A"]), &enum_param(&["A", "B"]));
    assert_change(
        &added,
        Part::Parameter,
        "Kind",
        Kind::EnumValueAdded,
        Impact::Compatible,
    );
    assert_eq!(only(&added).new.as_deref(), Some("B"));
    let removed = diff_op(&enum_param(&["A", "B"]), &enum_param(&["A"]));
    assert_change(
        &removed,
        Part::Parameter,
        "Kind",
        Kind::EnumValueRemoved,
        Impact::Breaking,
    );
    // Valid values appearing turn a String into an enum.
    let introduced = diff_op(
        &params(&[param("Kind", OPTIONAL_STRING)]),
        &enum_param(&["A"]),
    );
    assert_change(
        &introduced,
        Part::Parameter,
        "Kind",
        Kind::Type,
        Impact::Breaking,
    );
    assert_eq!(only(&introduced).new.as_deref(), Some("string enum"));
}

#[test]
fn a_new_value_that_takes_a_variant_name_breaks() {
    // `domain` was `Domain`; listed after `DOMAIN` it becomes `Domain2`.
    let report = diff_op(&enum_param(&["domain"]), &enum_param(&["DOMAIN", "domain"]));
    let renamed: Vec<&Change> = report
        .changes()
        .map(|(_, c)| c)
        .filter(|c| c.kind == Kind::RustName)
        .collect();
    assert_eq!(renamed.len(), 1, "{report:#?}");
    assert_eq!(renamed[0].old.as_deref(), Some("Domain"));
    assert_eq!(renamed[0].new.as_deref(), Some("Domain2"));
    assert_eq!(renamed[0].impact, Impact::Breaking);
    // Appending keeps every existing name.
    let appended = diff_op(
        &enum_param(&["DOMAIN"]),
        &enum_param(&["DOMAIN", "domain", "Domain"]),
    );
    assert!(appended
        .changes()
        .all(|(_, c)| c.kind == Kind::EnumValueAdded));
}

#[test]
fn a_new_parameter_that_takes_a_setter_name_breaks() {
    let report = diff_op(
        &params(&[param("RegionId", OPTIONAL_STRING)]),
        &params(&[
            param("regionId", OPTIONAL_STRING),
            param("RegionId", OPTIONAL_STRING),
        ]),
    );
    let renamed = report
        .changes()
        .map(|(_, c)| c)
        .find(|c| c.kind == Kind::RustName)
        .expect("a rename");
    assert_eq!(renamed.path, "RegionId");
    assert_eq!(
        (renamed.old.as_deref(), renamed.new.as_deref()),
        (Some("region_id"), Some("region_id_2"))
    );
}

#[test]
fn nested_request_fields() {
    let tag = |extra: &str| {
        params(&[param(
            "Tag",
            &format!(
                "type: array\nitems:\n  type: object\n  properties:\n    Key:\n      type: string\n{}",
                indent(extra, 4)
            ),
        )])
    };
    let optional = diff_op(&tag(""), &tag("Value:\n  type: string\n"));
    assert_change(
        &optional,
        Part::ParameterField,
        "Tag[].Value",
        Kind::Added,
        Impact::Compatible,
    );
    let required = diff_op(&tag(""), &tag("Value:\n  type: string\n  required: true\n"));
    assert_change(
        &required,
        Part::ParameterField,
        "Tag[].Value",
        Kind::Added,
        Impact::Breaking,
    );
}

const COMPONENTS: &str = "schemas:
  Node:
    type: object
    properties:
      Name:
        type: string
      Children:
        type: array
        items:
          $ref: Node
  Leaf:
    type: object
    properties:
      Name:
        type: string
";

#[test]
fn references_are_followed_and_renames_break() {
    let uses = |target: &str| response(&format!("Root:\n  $ref: {target}\n"));
    let old = product("1.0.0", COMPONENTS, &[op("Op", &uses("Node"))]);
    // A recursive component compares to itself without looping.
    assert!(compare(&old, &old).is_empty());
    let new = product("1.0.0", COMPONENTS, &[op("Op", &uses("Leaf"))]);
    let report = compare(&old, &new);
    let kinds: Vec<(&str, Kind, Impact)> = report
        .changes()
        .map(|(_, c)| (c.path.as_str(), c.kind, c.impact))
        .collect();
    assert_eq!(
        kinds,
        [
            ("Root", Kind::Type, Impact::Breaking),
            ("Root.Children", Kind::Removed, Impact::Breaking)
        ]
    );
    // A change inside a component shows where it is used, once per
    // component: its recursive use inside itself is the same Rust type.
    let grown = COMPONENTS.replace("  Leaf:", "      Size:\n        type: int64\n  Leaf:");
    let report = compare(&old, &product("1.0.0", &grown, &[op("Op", &uses("Node"))]));
    let paths: Vec<&str> = report.changes().map(|(_, c)| c.path.as_str()).collect();
    assert_eq!(paths, ["Root.Size"]);
}

#[test]
fn operations_added_and_removed() {
    let old = product("0.3.0", "", &[op("Keep", ""), op("Gone", "")]);
    let new = product("0.3.0", "", &[op("Keep", ""), op("Fresh", "")]);
    let report = compare(&old, &new);
    assert_eq!(report.operations_with(Kind::Added), ["Fresh"]);
    assert_eq!(report.operations_with(Kind::Removed), ["Gone"]);
    assert_eq!(
        report.operation("Gone").expect("listed").changes[0].impact,
        Impact::Breaking
    );
    assert_eq!(
        report.operation("Fresh").expect("listed").changes[0].impact,
        Impact::Compatible
    );
    assert_eq!(
        (
            report.summary.operations_added,
            report.summary.operations_removed
        ),
        (1, 1)
    );
    // 0.x: breaking bumps the minor component.
    assert_eq!(report.verdict.level, Bump::Major);
    assert_eq!(report.verdict.bump, Bump::Minor);
    assert_eq!(report.verdict.next, "0.4.0");
    assert!(!report.verdict.declared_sufficient);
}

#[test]
fn compatible_changes_on_a_zero_version_bump_patch() {
    let old = product("0.3.0", "", &[op("Keep", "")]);
    let new = product("0.3.1", "", &[op("Keep", ""), op("Fresh", "")]);
    let verdict = compare(&old, &new).verdict;
    assert_eq!((verdict.level, verdict.bump), (Bump::Minor, Bump::Patch));
    assert_eq!(verdict.next, "0.3.1");
    assert!(verdict.declared_sufficient);
}

#[test]
fn crate_rename_breaks() {
    let old = product("1.0.0", "", &[]);
    let mut new = old.clone();
    new.product.krate.name = "demo-sdk".to_owned();
    new.product.endpoints.default = "demo.example.com".to_owned();
    let report = compare(&old, &new);
    let changes: Vec<(&str, Impact)> = report
        .product_changes
        .iter()
        .map(|c| (c.path.as_str(), c.impact))
        .collect();
    assert_eq!(
        changes,
        [
            ("crate.name", Impact::Breaking),
            ("endpoints.default", Impact::Behavior)
        ]
    );
}

/// `count` operations that all gain the optional `RegionId`, and one that
/// also gains a required `Name`.
fn region_pair(count: usize) -> (ProductSpec, ProductSpec) {
    let names: Vec<String> = (0..count).map(|i| format!("Describe{i:03}")).collect();
    let old: Vec<String> = names.iter().map(|n| op(n, "")).collect();
    let mut new: Vec<String> = names
        .iter()
        .map(|n| op(n, &params(&[param("RegionId", OPTIONAL_STRING)])))
        .collect();
    new[0] = op(
        &names[0],
        &params(&[
            param("RegionId", OPTIONAL_STRING),
            param("Name", REQUIRED_STRING),
        ]),
    );
    (product("1.0.0", "", &old), product("1.0.0", "", &new))
}

#[test]
fn shared_changes_are_listed_once() {
    let (old, new) = region_pair(40);
    let report = compare(&old, &new);
    let text = render_text(&report, RenderOptions::default());
    assert!(
        text.contains("40 operations: parameter `RegionId` added (optional string)"),
        "{text}"
    );
    assert!(text.contains("and "), "the operation list is cut: {text}");
    assert_eq!(text.matches("`RegionId`").count(), 1, "{text}");
    // What only one operation has is listed under it.
    assert!(
        text.contains("  Describe000\n    BREAKING    parameter `Name` added"),
        "{text}"
    );
    assert!(text.lines().count() < 20, "{text}");
    let full = render_text(&report, RenderOptions { full: true });
    assert!(full.contains("Describe039"));

    // Below the threshold each operation lists its own.
    let (old, new) = region_pair(GROUP_MIN - 1);
    let text = render_text(&compare(&old, &new), RenderOptions::default());
    assert_eq!(text.matches("`RegionId`").count(), GROUP_MIN - 1, "{text}");
}

#[test]
fn markdown_and_changelog() {
    let (old, new) = region_pair(10);
    let report = compare(&old, &new);
    let markdown = render_markdown(&report, RenderOptions::default());
    assert!(
        markdown.starts_with("### API changes: `demo`"),
        "{markdown}"
    );
    assert!(markdown.contains("10 operations: parameter `RegionId` added"));
    assert!(markdown.contains("<details>"));

    let entry = render_changelog_entry(&report, &report.verdict.next);
    assert!(entry.starts_with("## 2.0.0\n"), "{entry}");
    let breaking = entry
        .find("### Breaking changes")
        .expect("breaking section");
    let added = entry.find("### Added").expect("added section");
    assert!(breaking < added);
    assert!(entry.contains("- `Describe000`: parameter `Name` added (required string)."));
    assert!(entry
        .contains("- 10 operations: parameter `RegionId` added (optional string) (`Describe000`"));

    let nothing = compare(&old, &old);
    assert_eq!(
        render_changelog_entry(&nothing, "1.0.0"),
        "## 1.0.0\n\nNo API changes.\n"
    );
}

#[test]
fn json_round_trips() {
    let (old, new) = region_pair(5);
    let report = compare(&old, &new);
    let json = render_json(&report);
    let back: Report = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(back, report);
    let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(value["verdict"]["level"], "major");
    assert_eq!(value["operations"][0]["changes"][0]["impact"], "breaking");
    assert_eq!(value["operations"][0]["changes"][0]["part"], "parameter");
}

#[test]
fn region_changes_fold_into_one_line() {
    let mut old = product("1.0.0", "", &[]);
    for region in ["cn-a", "cn-b", "cn-c", "cn-d"] {
        old.product
            .endpoints
            .regions
            .insert(region.to_owned(), "demo.aliyuncs.com".to_owned());
    }
    let new = product("1.0.0", "", &[]);
    let report = compare(&old, &new);
    assert_eq!(report.product_changes.len(), 4);
    assert!(report
        .product_changes
        .iter()
        .all(|c| c.kind == Kind::Removed && c.impact == Impact::Behavior));
    let text = render_text(&report, RenderOptions::default());
    assert!(
        text.contains("behavior    `endpoints.regions`: 4 removed - the region falls back")
            && text.contains("                cn-a, cn-b, cn-c, cn-d\n"),
        "{text}"
    );
    let markdown = render_markdown(&report, RenderOptions::default());
    assert!(
        markdown.contains("`endpoints.regions`: 4 removed: `cn-a`, `cn-b`, `cn-c`, `cn-d` — "),
        "{markdown}"
    );
}

#[test]
fn a_rate_limit_no_longer_given_groups_whatever_it_was() {
    let (a, b) = (
        op("A", "rate_limit:\n  qps: 10\n"),
        op("B", "rate_limit:\n  qps: 20\n"),
    );
    let (c, d) = (
        op("C", "rate_limit:\n  qps: 30\n"),
        op("D", "rate_limit:\n  qps: 40\n"),
    );
    let old = product("1.0.0", "", &[a, b, c, d]);
    let new = product(
        "1.0.0",
        "",
        &[op("A", ""), op("B", ""), op("C", ""), op("D", "")],
    );
    let report = compare(&old, &new);
    let first = report.operation("A").expect("A changed").changes[0].clone();
    assert_eq!(
        (first.kind, first.impact),
        (Kind::RateLimit, Impact::Behavior)
    );
    assert_eq!(first.detail.as_deref(), Some("was 10 qps"));
    let text = render_text(&report, RenderOptions::default());
    assert!(
        text.contains("4 operations: rate limit no longer given"),
        "{text}"
    );
    let changed = diff_op("rate_limit:\n  qps: 10\n", "rate_limit:\n  qps: 20\n");
    assert_eq!(only(&changed).new.as_deref(), Some("20 qps"));
}
