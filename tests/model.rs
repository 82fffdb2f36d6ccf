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
        // `Nick` is an alias of an alias of a string: a real (boxed) string.
        "client.paint(demo_client::types::Color::Red, demo_client::types::Level::V20, demo_client::types::Color::Green, Box::new(\"example\".to_owned()))",
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

/// Two list operations with the same group shape (descriptions differ),
/// and a job shape sent by two operations and returned by two, with a
/// struct nested in it: `SubmitJob` uses it on both sides. `CopyTask`
/// alone sends and returns a task, whose nested struct must decode too.
const GROUP_OPS: &[(&str, &str)] = &[
    (
        "CopyTask.yaml",
        "name: CopyTask
summary: Copies a task.
method: POST
parameters:
- name: Task
  in: query
  style: json
  schema:
    type: object
    properties:
      Inner: {type: object, properties: {Path: {type: string}}}
response:
  schema:
    type: object
    properties:
      Task:
        type: object
        properties:
          Inner: {type: object, properties: {Path: {type: string}}}
  example: '{\"Task\": {\"Inner\": {\"Path\": \"/p\"}}}'
",
    ),
    (
        "ListGroups.yaml",
        "name: ListGroups
summary: Lists groups.
method: POST
response:
  schema:
    type: object
    properties:
      GroupList:
        type: array
        items:
          type: object
          description: One group.
          properties:
            GroupId: {type: string, required: true, description: ID of the group.}
            Status: {type: int32, enum: [{value: '0'}, {value: '1'}]}
  example: '{\"GroupList\": [{\"GroupId\": \"g\", \"Status\": 1}]}'
",
    ),
    (
        "ListGroupByPage.yaml",
        "name: ListGroupByPage
summary: Lists groups by page.
method: POST
response:
  schema:
    type: object
    properties:
      GroupList:
        type: array
        items:
          type: object
          description: A group of the page.
          properties:
            GroupId: {type: string, required: true, description: Group ID.}
            Status: {type: int32, enum: [{value: '0'}, {value: '1'}]}
",
    ),
    (
        "SubmitJob.yaml",
        "name: SubmitJob
summary: Submits a job.
method: POST
parameters:
- name: Job
  in: query
  style: json
  schema:
    type: object
    required: true
    properties:
      Name: {type: string, required: true}
      Output: {type: object, properties: {Path: {type: string}}}
response:
  schema:
    type: object
    properties:
      Job:
        type: object
        properties:
          Name: {type: string, required: true}
          Output: {type: object, properties: {Path: {type: string}}}
  example: '{\"Job\": {\"Name\": \"j\", \"Output\": {\"Path\": \"/p\"}}}'
",
    ),
    (
        "UpdateJob.yaml",
        "name: UpdateJob
summary: Updates a job.
method: POST
parameters:
- name: Job
  in: query
  style: json
  schema:
    type: object
    properties:
      Name: {type: string, required: true}
      Output: {type: object, properties: {Path: {type: string}}}
",
    ),
    (
        "GetJob.yaml",
        "name: GetJob
summary: Gets a job.
method: POST
response:
  schema:
    type: object
    properties:
      Job:
        type: object
        properties:
          Name: {type: string, required: true}
          Output: {type: object, properties: {Path: {type: string}}}
",
    ),
];

/// User code: a value from one call passed to the next, and the old
/// per-operation paths still naming the shared types.
const USER_TEST: &str = "use demo_client::operations::{get_job, list_group_by_page, list_groups};
use demo_client::types;

#[test]
fn values_pass_between_operations() {
    let groups: Vec<list_groups::GroupList> = Vec::new();
    let same: Vec<list_group_by_page::GroupList> = groups;
    let _: Vec<types::GroupList> = same;
    let returned = get_job::GetJobResponse::default();
    let _: Option<types::Job> = returned.job;
    let _: Option<types::Output> = None;
    let job = types::SubmitJobJob { name: \"j\".into(), output: Some(types::SubmitJobJobOutput { path: None }) };
    let _ = demo_client::SubmitJobRequest::new(job.clone());
    let _ = demo_client::UpdateJobRequest::new().job(job);
}
";

fn struct_items(text: &str) -> Vec<syn::ItemStruct> {
    let file = syn::parse_file(text).expect("generated file parses");
    file.items
        .into_iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some(s),
            _ => None,
        })
        .collect()
}

fn field_type(text: &str, item: &str, field: &str) -> String {
    let item = struct_items(text)
        .into_iter()
        .find(|s| s.ident == item)
        .unwrap_or_else(|| panic!("no struct {item}"));
    let field = item
        .fields
        .iter()
        .find(|f| f.ident.as_ref().is_some_and(|i| i == field))
        .unwrap_or_else(|| panic!("no field {field}"));
    let ty = &field.ty;
    quote_type(ty)
}

fn quote_type(ty: &syn::Type) -> String {
    use quote::ToTokens;
    ty.to_token_stream().to_string().replace(' ', "")
}

#[test]
fn nested_shapes_of_several_operations_are_shared_and_compile() {
    let root = tempfile::tempdir().unwrap();
    let dir = support::demo_spec_tree(root.path(), support::DEMO_PRODUCT, None, GROUP_OPS);
    let mut generated = support::generate_for_check(&dir);
    let files = &generated.files;
    let types = &files["src/types.rs"];
    let shared: Vec<String> = struct_items(types)
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    // By name, then first operation: the response job (GetJob first) is
    // `Job`; the request job, another side, is qualified.
    assert_eq!(
        shared,
        [
            "GroupList",
            "Job",
            "Output",
            "SubmitJobJob",
            "SubmitJobJobOutput",
            // After the spec's shapes: the response of every operation
            // that returns only a request ID.
            "RequestIdResponse"
        ]
    );
    let groups = &files["src/operations/list_groups.rs"];
    let by_page = &files["src/operations/list_group_by_page.rs"];
    for (text, response) in [
        (groups, "ListGroupsResponse"),
        (by_page, "ListGroupByPageResponse"),
    ] {
        assert_eq!(
            field_type(text, response, "group_list"),
            "Vec<types::GroupList>"
        );
        let own: Vec<String> = struct_items(text)
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        // Only the request and response: no copy of the group type.
        assert_eq!(
            own,
            [
                response.replace("Response", "Request"),
                response.to_string()
            ]
        );
    }
    generated
        .files
        .insert("tests/shared.rs".into(), USER_TEST.into());
    support::cargo_check("model_shared", &[generated], true);
}
