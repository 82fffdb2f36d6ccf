//! Shared (component) types used by operations compile, doctests included:
//! a required parameter of a shared enum takes `impl Into` of it and its
//! doc example names a real variant.

mod support;

const COMPONENTS: &str = "schemas:
  Color:
    type: string
    enum:
    - value: red
    - value: green
  Level:
    type: int64
    example: '20'
    enum:
    - value: '10'
    - value: '20'
  Name:
    type: string
  Nick:
    $ref: Name
  Node:
    type: object
    properties:
      Id: {type: string}
      Color: {$ref: Color}
      Children:
        type: array
        items: {$ref: Node}
";

const PAINT: &str = "name: Paint
summary: Paints a thing.
method: POST
parameters:
- name: Color
  in: query
  schema: {$ref: Color, required: true}
- name: Level
  in: query
  schema: {$ref: Level, required: true}
- name: Second
  in: query
  schema: {$ref: Color, required: true, example: green}
- name: Nick
  in: query
  schema: {$ref: Nick, required: true}
- name: Shade
  in: query
  schema: {$ref: Color}
- name: Tree
  in: query
  style: json
  schema: {$ref: Node}
response:
  schema:
    type: object
    properties:
      RequestId: {type: string}
      Node: {$ref: Node}
  example: '{\"RequestId\": \"r\", \"Node\": {\"Id\": \"a\", \"Color\": \"red\", \"Children\": [{\"Id\": \"b\"}]}}'
";

#[test]
fn shared_enum_parameters_compile_with_real_doc_examples() {
    let root = tempfile::tempdir().unwrap();
    let dir = support::demo_spec_tree(
        root.path(),
        support::DEMO_PRODUCT,
        Some(COMPONENTS),
        &[("Paint.yaml", PAINT)],
    );
    let generated = support::generate_for_check(&dir);
    let paint = &generated.files["src/operations/paint.rs"];
    for expected in [
        "color: impl Into<types::Color>",
        "level: impl Into<types::Level>",
        "nick: types::Nick",
        "pub fn shade(mut self, value: impl Into<types::Color>)",
        "client.paint(demo_client::types::Color::Red, demo_client::types::Level::V20, demo_client::types::Color::Green, Default::default())",
    ] {
        assert!(paint.contains(expected), "missing `{expected}` in paint.rs");
    }
    assert!(!paint.contains("client.paint(Default::default()"));
    let own = support::own_doctests(&generated);
    support::cargo_check("model", &[generated], true);
    let (passed, failed, _) = support::cargo_doctest("model");
    assert_eq!(failed, 0);
    assert!(passed >= own, "{passed} doctests passed, expected {own}");
}
