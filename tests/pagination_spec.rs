//! The `pagination` block of an operation: what validation accepts and the
//! diagnostics (file, line:column, field) for what it refuses.

mod support;

use support::DEMO_PRODUCT;

/// A list operation whose `pagination` block is `block` (YAML, indented
/// under `pagination:`).
fn list_operation(block: &str) -> String {
    format!(
        "name: ListThings
summary: Lists things.
method: GET
parameters:
- name: NextToken
  in: query
  schema: {{type: string}}
- name: MaxResults
  in: query
  schema: {{type: int32}}
- name: PageNumber
  in: query
  schema: {{type: int64}}
- name: Kind
  in: query
  schema:
    type: string
    enum: [{{value: a}}]
response:
  schema:
    type: object
    properties:
      NextToken: {{type: string}}
      TotalCount: {{type: int32}}
      HasMore: {{type: boolean}}
      Data:
        type: object
        properties:
          Items: {{type: array, items: {{type: string}}}}
          Label: {{type: string}}
pagination:
{block}"
    )
}

fn diagnostics(block: &str) -> Vec<String> {
    support::demo_diagnostics(
        DEMO_PRODUCT,
        None,
        &[("ListThings.yaml", &list_operation(block))],
    )
}

#[test]
fn token_and_page_number_blocks_are_valid() {
    let token = "  input_token: NextToken\n  output_token: NextToken\n  page_size: MaxResults\n  items: Data.Items\n  total_count: TotalCount\n  has_more: HasMore\n";
    assert_eq!(diagnostics(token), Vec::<String>::new());
    let pages = "  page_number: PageNumber\n  page_size: MaxResults\n  items: Data.Items\n  total_count: TotalCount\n";
    assert_eq!(diagnostics(pages), Vec::<String>::new());
}

#[test]
fn refusals_name_file_position_and_field() {
    const AT: &str = "ROOT/demo/operations/ListThings.yaml";
    let cases: &[(&str, &[&str])] = &[
        (
            "  items: Data.Items\n",
            &["32:3: pagination: give `input_token` and `output_token` (token paging) or `page_number` (page-number paging)"],
        ),
        (
            "  input_token: NextToken\n  output_token: NextToken\n  page_number: PageNumber\n  items: Data.Items\n",
            &["34:16: pagination.page_number: give either `input_token` and `output_token` (token paging) or `page_number`, not both"],
        ),
        (
            "  input_token: NextToken\n  items: Data.Items\n",
            &["32:16: pagination.input_token: `input_token` needs `output_token`, the response field the next token is read from"],
        ),
        (
            "  output_token: NextToken\n  items: Data.Items\n",
            &["32:17: pagination.output_token: `output_token` needs `input_token`, the parameter it is sent back in"],
        ),
        (
            "  input_token: Missing\n  output_token: NextToken\n  items: Data.Items\n",
            &["32:16: pagination.input_token: `Missing` is not a parameter of `ListThings`"],
        ),
        (
            "  input_token: Kind\n  output_token: NextToken\n  items: Data.Items\n",
            &["32:16: pagination.input_token: parameter `Kind` has valid values (`enum`); paging needs one that takes any value"],
        ),
        (
            "  page_number: NextToken\n  page_size: NextToken\n  items: Data.Items\n",
            &[
                "32:16: pagination.page_number: parameter `NextToken` is `string`; it must be an `int32` or `int64`",
                "33:14: pagination.page_size: parameter `NextToken` is `string`; it must be an `int32` or `int64`",
            ],
        ),
        (
            "  input_token: NextToken\n  output_token: Data.Missing\n  items: Data.Label\n",
            &[
                "33:17: pagination.output_token: response field `Data.Missing`: `Data` has no field `Missing`",
                "34:10: pagination.items: response field `Data.Label` is `string`; it must be an `array`",
            ],
        ),
        (
            "  input_token: NextToken\n  output_token: HasMore\n  items: NextToken.Items\n",
            &[
                "33:17: pagination.output_token: response field `HasMore` is `boolean`; it must be a `string`, `int32` or `int64`",
                "34:10: pagination.items: response field `NextToken.Items`: `NextToken` is `string`, not an object with fields",
            ],
        ),
        (
            "  page_number: PageNumber\n  items: Data.Items\n  total_count: NextToken\n  has_more: TotalCount\n",
            &[
                "34:16: pagination.total_count: response field `NextToken` is `string`; it must be an `int32` or `int64`",
                "35:13: pagination.has_more: response field `TotalCount` is `int32`; it must be a `boolean`",
            ],
        ),
        (
            "  page_number: PageNumber\n  items: ''\n",
            &["33:10: pagination.items: response field ``: must name a response field (a path such as `Data.Items`)"],
        ),
        (
            "  page_number: PageNumber\n  item: Data.Items\n",
            &["33:3: pagination: unknown field `item`, expected one of `input_token`, `output_token`, `page_number`, `page_size`, `items`, `total_count`, `has_more`"],
        ),
    ];
    for (block, expected) in cases {
        let expected: Vec<String> = expected.iter().map(|e| format!("{AT}:{e}")).collect();
        assert_eq!(diagnostics(block), expected, "{block}");
    }
}

#[test]
fn a_block_without_a_response_is_refused() {
    let text = list_operation("  page_number: PageNumber\n  items: Data.Items\n");
    let start = text.find("response:").expect("response");
    let end = text.find("pagination:").expect("pagination");
    let text = format!("{}{}", &text[..start], &text[end..]);
    let found =
        support::demo_diagnostics(DEMO_PRODUCT, None, &[("ListThings.yaml", text.as_str())]);
    assert_eq!(
        found,
        ["ROOT/demo/operations/ListThings.yaml:21:10: pagination.items: `Data.Items` names a response field, but the operation has no `response.schema`"]
    );
}

#[test]
fn a_ref_to_a_component_that_is_itself_a_ref_is_refused() {
    let components = "schemas:\n  Token: {type: string}\n  Alias: {$ref: Token}\n  Inner: {type: object, properties: {Items: {type: array, items: {type: string}}}}\n  Wrapper: {$ref: Inner}\n";
    let text = "name: ListThings
summary: Lists things.
method: GET
parameters:
- name: NextToken
  in: query
  schema: {$ref: Alias}
response:
  schema:
    type: object
    properties:
      Next: {$ref: Alias}
      Data: {$ref: Wrapper}
pagination:
  input_token: NextToken
  output_token: Next
  items: Data.Items
";
    let found =
        support::demo_diagnostics(DEMO_PRODUCT, Some(components), &[("ListThings.yaml", text)]);
    assert_eq!(
        found,
        [
            "ROOT/demo/operations/ListThings.yaml:15:16: pagination.input_token: parameter `NextToken` refers to component `Alias`, itself a `$ref`; refer to the component it names",
            "ROOT/demo/operations/ListThings.yaml:16:17: pagination.output_token: response field `Next`: `Next` refers to component `Alias`, itself a `$ref`; refer to the component it names",
            "ROOT/demo/operations/ListThings.yaml:17:10: pagination.items: response field `Data.Items`: `Data` refers to component `Wrapper`, itself a `$ref`; refer to the component it names",
        ]
    );
}
