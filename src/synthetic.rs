//! Synthetic specs for benchmarks: N operations with 8 parameters and 5
//! error codes each, covering scalars, an enum, an array and a nested
//! response, as spec text (so loading and parsing are measured too).

use crate::load::ProductFiles;

/// A product named `synthetic` with `operations` operations.
pub fn product_files(operations: usize) -> ProductFiles {
    let product = "product: synthetic\nversion: 2020-01-01\nname: Synthetic\nstyle: rpc\nendpoints:\n  rule: regional\n  default: synthetic.aliyuncs.com\ncrate:\n  name: synthetic\n  version: 0.1.0\n".to_owned();
    let operations = (0..operations)
        .map(|i| (format!("DescribeThing{i:04}.yaml"), operation(i)))
        .collect();
    ProductFiles {
        dir_name: "synthetic".into(),
        dir: "synthetic".into(),
        product,
        components: None,
        operations,
    }
}

fn operation(i: usize) -> String {
    format!(
        r#"name: DescribeThing{i:04}
summary: Lists things of kind {i}.
description: |-
  Returns the things that match the filters, a page at a time. See
  [DescribeThing0000] for the first kind.
method: POST
read_only: true
rate_limit:
  qps: 100
parameters:
- name: RegionId
  in: query
  schema: {{type: string, required: true, description: Region of the things., example: cn-hangzhou}}
- name: ThingId
  in: query
  schema: {{type: string, required: true, description: ID of the thing., example: t-123}}
- name: PageNumber
  in: query
  schema: {{type: int32, description: Page to return., example: '1', minimum: 1}}
- name: PageSize
  in: query
  schema: {{type: int32, description: Things per page., example: '10', maximum: 100}}
- name: Status
  in: query
  schema:
    type: string
    description: Only things in this state.
    enum:
    - {{value: Running, description: Serving.}}
    - {{value: Stopped, description: Not serving.}}
- name: DryRun
  in: query
  schema: {{type: boolean, description: Check the request only.}}
- name: Tag
  in: query
  style: repeatList
  schema:
    type: array
    description: Tags to match.
    items:
      type: object
      properties:
        Key: {{type: string, description: Tag key.}}
        Value: {{type: string, description: Tag value.}}
- name: ClientToken
  in: body
  schema: {{type: string, description: Idempotency token.}}
response:
  schema:
    type: object
    properties:
      RequestId: {{type: string, description: Request ID.}}
      TotalCount: {{type: int64, description: Matching things.}}
      Things:
        type: array
        items:
          type: object
          properties:
            ThingId: {{type: string, description: ID.}}
            Status: {{type: string, description: State.}}
  example: '{{"RequestId":"r","TotalCount":1,"Things":[{{"ThingId":"t","Status":"Running"}}]}}'
errors:
- {{status: 400, code: InvalidParameter, message: '%s.', description: A parameter is invalid.}}
- {{status: 400, code: Throttling.User, message: Too many calls., description: Slow down.}}
- {{status: 403, code: Forbidden.RAM, message: No permission., description: Grant the RAM action.}}
- {{status: 404, code: InvalidThingId.NotFound, message: Not found., description: Check the ID.}}
- {{status: 500, code: InternalError, message: Internal error., description: Retry later.}}
"#
    )
}
