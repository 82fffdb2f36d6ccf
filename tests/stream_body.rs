//! Raw request bodies (`in: stream`): a `binary` parameter sent as the whole
//! HTTP body (`application/octet-stream`), as OCR-style APIs take an image.
//! Validation names each misuse with its place; a valid spec generates a crate
//! whose request takes the bytes (`impl Into<Vec<u8>>`) and compiles under
//! clippy and rustdoc with warnings denied, doc example included. The bytes
//! on the wire are tested in `runtime/tests/call_raw.rs`.

mod support;

use support::{demo_diagnostics, demo_spec_tree, generate_for_check, DEMO_PRODUCT};

const SCAN: &str = "name: ScanImage
summary: Reads the text of an image.
method: POST
parameters:
- name: Type
  in: query
  schema:
    type: string
    required: true
    example: Advanced
- name: body
  in: stream
  schema:
    type: binary
    required: true
    example: the image file
- name: OutputFigure
  in: query
  schema:
    type: boolean
response:
  schema:
    type: object
    properties:
      RequestId:
        type: string
      Data:
        type: string
";

#[test]
fn a_stream_parameter_is_the_request_body_as_bytes() {
    let root = tempfile::tempdir().unwrap();
    let dir = demo_spec_tree(root.path(), DEMO_PRODUCT, None, &[("ScanImage.yaml", SCAN)]);
    let generated = generate_for_check(&dir);
    let source = &generated.files["src/operations/scan_image.rs"];
    let file = syn::parse_file(source).expect("generated Rust parses");
    let new = find_fn(&file, "new").expect("ScanImageRequest::new");
    let arguments: Vec<String> = new
        .sig
        .inputs
        .iter()
        .map(|arg| quote::quote!(#arg).to_string())
        .collect();
    assert_eq!(
        arguments,
        [
            "type_ : impl Into < String >",
            "body : impl Into < Vec < u8 > >"
        ]
    );
    let params = find_fn(&file, "params").expect("Operation::params");
    let body = quote::quote!(#params).to_string();
    assert!(
        body.contains("push_stream (\"body\" , & self . body)"),
        "{body}"
    );
    support::cargo_check("stream_body", &[generated], true);
}

#[test]
fn stream_misuse_is_named_with_its_place() {
    let not_binary = SCAN.replace("    type: binary", "    type: string");
    let twice = SCAN.replace(
        "- name: OutputFigure\n  in: query\n  schema:\n    type: boolean",
        "- name: Back\n  in: stream\n  schema:\n    type: binary",
    );
    let with_form = SCAN.replace(
        "- name: OutputFigure\n  in: query",
        "- name: OutputFigure\n  in: body",
    );
    let styled = SCAN.replace(
        "- name: body\n  in: stream\n",
        "- name: body\n  in: stream\n  style: json\n",
    );
    let cases = [
        (not_binary, "parameters[1].schema.type: a `stream` parameter is the raw request body, so it must be `binary`, not `string`"),
        (twice, "parameters[2].in: `Back` is a second `stream` parameter; `body` is already the request body"),
        (with_form, "parameters[2].in: `OutputFigure` is a form-body parameter, but `body` is the raw request body; put it in the query"),
        (styled, "parameters[1].style: a `stream` parameter is sent as it is; it takes no `style`"),
    ];
    for (spec, wanted) in cases {
        let diagnostics = demo_diagnostics(DEMO_PRODUCT, None, &[("ScanImage.yaml", &spec)]);
        assert!(
            diagnostics
                .iter()
                .any(|d| d.starts_with("ROOT/demo/operations/ScanImage.yaml:")
                    && d.ends_with(wanted)),
            "wanted `{wanted}` in {diagnostics:#?}"
        );
    }
}

/// The first `fn name` anywhere in the file (impl blocks included).
fn find_fn<'a>(file: &'a syn::File, name: &str) -> Option<&'a syn::ImplItemFn> {
    file.items.iter().find_map(|item| match item {
        syn::Item::Impl(block) => block.items.iter().find_map(|item| match item {
            syn::ImplItem::Fn(f) if f.sig.ident == name => Some(f),
            _ => None,
        }),
        _ => None,
    })
}
