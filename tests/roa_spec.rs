//! ROA operations in the spec (`style: roa`): method and path templates, path
//! parameters and JSON-body fields (`in: json`). Misuse is named with its place; the
//! committed `generated/cs` crate is the working example (`tests/cs_client.rs`).

mod support;

use support::{demo_diagnostics, DEMO_PRODUCT};

const GET_THING: &str = "name: GetThing
summary: Returns one thing.
method: GET
path: /things/{ThingId}
parameters:
- name: ThingId
  in: path
  schema:
    type: string
    required: true
- name: label
  in: json
  schema:
    type: string
";

fn roa() -> String {
    DEMO_PRODUCT.replace("style: rpc", "style: roa")
}

#[test]
fn a_roa_operation_with_path_and_json_fields_is_valid() {
    assert_eq!(
        demo_diagnostics(&roa(), None, &[("GetThing.yaml", GET_THING)]),
        Vec::<String>::new()
    );
}

#[test]
fn a_whole_json_body_alone_is_valid() {
    let whole = GET_THING.replace(
        "- name: label\n  in: json\n  schema:\n    type: string\n",
        "- name: Items\n  in: jsonBody\n  schema:\n    type: array\n    items:\n      type: string\n",
    );
    assert!(whole.contains("jsonBody"));
    assert_eq!(
        demo_diagnostics(&roa(), None, &[("GetThing.yaml", &whole)]),
        Vec::<String>::new()
    );
}

#[test]
fn roa_misuse_is_named_with_its_place() {
    let unfilled = GET_THING.replace("path: /things/{ThingId}", "path: /things/{ThingId}/{Part}");
    let with_form = format!("{GET_THING}- name: Note\n  in: body\n  schema:\n    type: string\n");
    let whole_and_field =
        format!("{GET_THING}- name: Items\n  in: jsonBody\n  schema:\n    type: array\n    items:\n      type: string\n");
    let query_in_path =
        GET_THING.replace("path: /things/{ThingId}", "path: /things/{ThingId}?all=1");
    let cases = [
        (
            roa(),
            query_in_path,
            "path: `/things/{ThingId}?all=1` holds `?`; a path takes letters, digits, `-._~!$&'()*+,;=:@/%` and `{Name}` or `[Name]` placeholders",
        ),
        (
            DEMO_PRODUCT.to_owned(),
            GET_THING.to_owned(),
            "parameters[1].in: `label` is a JSON-body field, which only `roa` products send; RPC bodies are forms (`body`)",
        ),
        (
            roa(),
            unfilled,
            "path: placeholder `Part` of `/things/{ThingId}/{Part}` has no path parameter (`in: path`) of that name",
        ),
        (
            roa(),
            with_form,
            "parameters[2].in: `Note` is in the form body, but `label` is a JSON-body field; one operation has one body",
        ),
        (
            roa(),
            whole_and_field,
            "parameters[2].in: `Items` is the whole JSON body, but `label` is a JSON-body field; one operation has one body",
        ),
    ];
    for (product, operation, wanted) in cases {
        let diagnostics = demo_diagnostics(&product, None, &[("GetThing.yaml", &operation)]);
        assert!(
            diagnostics.iter().any(|d| d.ends_with(wanted)),
            "wanted `{wanted}` in {diagnostics:#?}"
        );
    }
}

/// `{+Name}` alone: parameter `Name` is the whole request path (Cloud Control).
#[test]
fn a_whole_path_parameter_is_valid_only_alone_and_filled() {
    let whole = GET_THING.replace("path: /things/{ThingId}", "path: '{+ThingId}'");
    assert_eq!(
        demo_diagnostics(&roa(), None, &[("GetThing.yaml", &whole)]),
        Vec::<String>::new()
    );
    let unfilled = GET_THING.replace("path: /things/{ThingId}", "path: '{+Other}'");
    let diagnostics = demo_diagnostics(&roa(), None, &[("GetThing.yaml", &unfilled)]);
    assert!(
        diagnostics.iter().any(|d| d.contains(
            "path: `{+Other}` takes the whole path from parameter `Other`, which is not a path parameter"
        )),
        "{diagnostics:#?}"
    );
    let inside = GET_THING.replace("path: /things/{ThingId}", "path: '/x/{+ThingId}'");
    let diagnostics = demo_diagnostics(&roa(), None, &[("GetThing.yaml", &inside)]);
    assert!(
        diagnostics
            .iter()
            .any(|d| d.contains("placeholder `+ThingId`")),
        "{diagnostics:#?}"
    );
}

/// A ROA success body may be a bare array (its example an array) or text; an RPC
/// product's body is always an object.
#[test]
fn whole_body_responses_are_roa_only() {
    let array = format!(
        "{GET_THING}response:\n  schema:\n    type: array\n    items:\n      type: string\n  example: '[\"a\"]'\n"
    );
    let text = format!("{GET_THING}response:\n  schema:\n    type: string\n");
    let bytes = format!("{GET_THING}response:\n  schema:\n    type: binary\n");
    for op in [&array, &text, &bytes] {
        assert_eq!(
            demo_diagnostics(&roa(), None, &[("GetThing.yaml", op)]),
            Vec::<String>::new()
        );
    }
    let object_example = array.replace("example: '[\"a\"]'", "example: '{\"a\": 1}'");
    let diagnostics = demo_diagnostics(&roa(), None, &[("GetThing.yaml", &object_example)]);
    assert!(
        diagnostics
            .iter()
            .any(|d| d.ends_with("response.example: must be a JSON array")),
        "{diagnostics:#?}"
    );
    let rpc = text
        .replace("path: /things/{ThingId}\n", "")
        .replace(
            "- name: ThingId\n  in: path\n  schema:\n    type: string\n    required: true\n- name: label\n  in: json\n  schema:\n    type: string\n",
            "",
        );
    let diagnostics = demo_diagnostics(support::DEMO_PRODUCT, None, &[("GetThing.yaml", &rpc)]);
    assert!(
        diagnostics.iter().any(|d| d.contains(
            "response.schema.type: a response body must be an `object` (in a `roa` product also an `array`, a `string` or `binary`"
        )),
        "{diagnostics:#?}"
    );
}

/// Response headers: scalar values under HTTP token names, each once whatever its case.
#[test]
fn response_headers_are_named_scalars_listed_once() {
    let with_headers = |headers: &str| {
        format!("{GET_THING}response:\n  schema:\n    type: binary\n  headers:\n{headers}")
    };
    let good = with_headers(
        "  - name: ETag\n    schema:\n      type: string\n  - name: X-Duration\n    schema:\n      type: double\n",
    );
    assert_eq!(
        demo_diagnostics(&roa(), None, &[("GetThing.yaml", &good)]),
        Vec::<String>::new()
    );
    let bad = with_headers(concat!(
        "  - name: ETag\n    schema:\n      type: string\n",
        "  - name: etag\n    schema:\n      type: string\n",
        "  - name: 'bad name'\n    schema:\n      type: string\n",
        "  - name: X-List\n    schema:\n      type: array\n      items:\n        type: string\n",
    ));
    let diagnostics = demo_diagnostics(&roa(), None, &[("GetThing.yaml", &bad)]);
    for expected in [
        "response.headers[1].name: header `etag` is listed twice (header names ignore case)",
        "response.headers[2].name: header name `bad name` must be an HTTP token: 1 to 128 letters, digits or any of !#$%&'*+-.^_`|~",
        "response.headers[3].schema.type: a response header is text: `string`, an integer, a number or `boolean`, not `array`",
    ] {
        assert!(
            diagnostics.iter().any(|d| d.ends_with(expected)),
            "{expected}\n{diagnostics:#?}"
        );
    }
    assert_eq!(diagnostics.len(), 3, "{diagnostics:#?}");
}
