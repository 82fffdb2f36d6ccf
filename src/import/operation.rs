//! One metadata operation to an [`Operation`]; the product and its
//! endpoints; and why an operation of another style cannot be imported.

use std::collections::HashSet;

use indexmap::IndexMap;
use serde_json::{Map, Value};

use super::metadata::{get_bool, get_str, Document};
use super::prose::{clean, rate_limit};
use super::report::{Kind, Notes};
use super::schema;
use crate::spec::{
    ApiStyle, Components, CrateInfo, Deprecation, EndpointRule, Endpoints, ErrorCode, HttpMethod,
    Location, Operation, ParamStyle, Parameter, Product, Response, ResponseHeader, Scheme, Type,
};

/// Note of a deprecated operation; the metadata gives no reason or successor.
pub(crate) const DEPRECATED_NOTE: &str = "Marked deprecated in the Alibaba Cloud API metadata.";

/// An operation as converted, with what merging needs to know about its source.
#[derive(Debug)]
pub(crate) struct Converted {
    pub op: Operation,
    /// The metadata states an operationType (the 2025 edition does not).
    pub has_operation_type: bool,
    pub notes: Notes,
}

fn is_identifier_like(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// How a product's `info.style` is read. `V3` products mix RPC operations
/// (no path) with ROA ones (a path, often with placeholders), so their
/// operations are taken one by one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Label {
    Rpc,
    V3,
    /// Method and path template, parameters in the path, query, headers and a
    /// JSON body: imported as a `roa` product.
    Roa,
    /// OSS, SLS, PDS, AliGenie: signed or routed their own way, never imported.
    Other,
}

impl Label {
    /// The label as written. `FC` (Function Compute) is ROA on the wire: its
    /// official SDK sends method, path and JSON body signed ACS3-HMAC-SHA256.
    pub(crate) fn of(style: &str) -> Label {
        if style.eq_ignore_ascii_case("RPC") {
            Label::Rpc
        } else if style.eq_ignore_ascii_case("V3") {
            Label::V3
        } else if style.eq_ignore_ascii_case("ROA") || is_function_compute(style) {
            Label::Roa
        } else {
            Label::Other
        }
    }

    /// The label of a whole product: a `V3` product every operation of which
    /// has its own path (Cloud Control's `/api/v1/...`) is ROA; one with
    /// `/`-shaped operations stays RPC-shaped.
    pub(crate) fn of_document(style: &str, apis: &Map<String, Value>) -> Label {
        let label = Label::of(style);
        let routed = |api: &Value| {
            api.as_object()
                .is_some_and(|api| !matches!(metadata_path(api), "" | "/"))
        };
        if label == Label::V3 && !apis.is_empty() && apis.values().all(routed) {
            Label::Roa
        } else {
            label
        }
    }
}

/// The request path the metadata gives, trimmed; empty when it gives none.
fn metadata_path(api: &Map<String, Value>) -> &str {
    get_str(api, "path").trim()
}

/// `Ok` when the operation is RPC on the wire: sent to `/` with `Action`
/// in the query, so a path with placeholders (or, under a V3 label, any
/// path) means ROA. Every parameter must then be one the RPC runtime
/// sends: in the query or a form body (and, for an RPC label, a header
/// or host label). A fixed non-`/` path under an RPC label is ignored,
/// as the official SDKs do (their RPC calls always use `/`).
fn check_rpc_shape(label: Label, style: &str, api: &Map<String, Value>) -> Result<(), String> {
    let path = metadata_path(api);
    let roa = || unsupported_reason(style, Some(api));
    if path.contains(['{', '[']) || (label == Label::V3 && !path.is_empty() && path != "/") {
        return Err(roa());
    }
    let list = api
        .get("parameters")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let mut stream: Option<&str> = None;
    let mut form: Option<&str> = None;
    for entry in list {
        let name = entry.get("name").and_then(Value::as_str).unwrap_or("");
        match entry.get("in").and_then(Value::as_str).unwrap_or("") {
            "body" if is_binary(entry) => {
                if let Some(first) = stream {
                    return Err(format!(
                        "`{first}` and `{name}` are both the raw request body"
                    ));
                }
                stream = Some(name);
            }
            "body" if label == Label::V3 => return Err(roa()),
            "body" | "formData" => form = form.or(Some(name)),
            "header" | "host" if label == Label::V3 => return Err(roa()),
            _ => {}
        }
    }
    if let (Some(stream), Some(form)) = (stream, form) {
        return Err(format!(
            "`{stream}` is the raw request body, yet `{form}` is a form-body parameter"
        ));
    }
    Ok(())
}

/// `{+Name}` when the metadata's path is only a pattern (Cloud Control:
/// `/api/v1/providers/{provider}/products/{product}/resources/*`) and one
/// path parameter that appears nowhere in it holds the whole path, as the
/// official SDK sends it; otherwise the path unchanged.
fn whole_path_template(path: String, parameters: &[Parameter], notes: &mut Notes) -> String {
    let mut unplaced = parameters.iter().filter(|p| {
        p.location == Location::Path
            && !path.contains(&format!("{{{}}}", p.name))
            && !path.contains(&format!("[{}]", p.name))
    });
    match (unplaced.next(), unplaced.next()) {
        (Some(whole), None) => {
            notes.warn(
                Kind::WholePath,
                "path",
                format!(
                    "metadata path `{path}` is a pattern: parameter `{}` is the whole request path",
                    whole.name
                ),
            );
            format!("{{+{}}}", whole.name)
        }
        _ => path,
    }
}

/// A `body` parameter whose schema is `format: binary` (or `byte`, FC's
/// `InvokeFunction`): the raw HTTP body, sent as `application/octet-stream`.
fn is_binary(entry: &Value) -> bool {
    matches!(
        entry
            .get("schema")
            .and_then(|s| s.get("format"))
            .and_then(Value::as_str),
        Some("binary" | "byte")
    )
}

/// Convert an RPC-shaped operation of a product labelled `style`; `Err`
/// is the reason it cannot be imported.
pub(crate) fn convert(name: &str, api: &Value, doc: &Document) -> Result<Converted, String> {
    let (label, style) = (doc.label, doc.style.as_str());
    // The name becomes a file name, so it must be safe before anything else.
    if !is_identifier_like(name) {
        return Err(format!(
            "operation name `{name}` is not letters, digits and `_` starting with a letter"
        ));
    }
    let Value::Object(api) = api else {
        return Err("operation entry is not a JSON object".to_owned());
    };
    if label == Label::Other {
        return Err(own_scheme(style).to_owned());
    }
    let mut notes = Notes::new(name);
    let path = metadata_path(api);
    let op_path = if label == Label::Roa {
        check_roa_shape(path)?;
        path.to_owned()
    } else {
        check_rpc_shape(label, style, api)?;
        if !path.is_empty() && path != "/" {
            notes.warn(
                Kind::RpcPath,
                "path",
                format!("metadata path `{path}` not used: RPC requests always go to `/`"),
            );
        }
        "/".to_owned()
    };
    let method = method(api)?;
    let (read_only, has_operation_type) = read_only(name, api, &mut notes);
    let description = clean(get_str(api, "description"));
    let mut summary = clean(get_str(api, "summary"));
    if summary.is_empty() {
        summary = clean(get_str(api, "title"));
    }
    let parameters = parameters(api, label, &mut notes)?;
    let op_path = whole_path_template(op_path, &parameters, &mut notes);
    let op = Operation {
        name: name.to_owned(),
        summary,
        rate_limit: rate_limit(get_str(api, "description")),
        description,
        method,
        path: op_path,
        read_only,
        deprecated: get_bool(api, "deprecated").then(|| Deprecation {
            note: DEPRECATED_NOTE.to_owned(),
        }),
        authorization: Vec::new(),
        parameters,
        response: response(api, doc.schemas, label, &mut notes),
        pagination: None,
        errors: errors(api, &mut notes),
        changes: Vec::new(),
    };
    Ok(Converted {
        op,
        has_operation_type,
        notes,
    })
}

fn methods(api: &Map<String, Value>) -> Vec<String> {
    api.get("methods")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(Value::as_str)
                .map(str::to_ascii_lowercase)
                .collect()
        })
        .unwrap_or_default()
}

fn method(api: &Map<String, Value>) -> Result<HttpMethod, String> {
    let methods = methods(api);
    // RPC accepts both; POST keeps parameters out of URLs and logs.
    if methods.iter().any(|m| m == "post") && methods.iter().any(|m| m == "get") {
        return Ok(HttpMethod::Post);
    }
    match methods.first().map(String::as_str) {
        Some("get") => Ok(HttpMethod::Get),
        Some("post") => Ok(HttpMethod::Post),
        Some("put") => Ok(HttpMethod::Put),
        Some("delete") => Ok(HttpMethod::Delete),
        Some("patch") => Ok(HttpMethod::Patch),
        Some("head") => Ok(HttpMethod::Head),
        Some(other) => Err(format!(
            "HTTP method `{}` is not supported",
            other.to_uppercase()
        )),
        None => Err("no HTTP method listed in `methods`".to_owned()),
    }
}

/// Verbs of names that only read. The metadata's operationType is often
/// wrong (e.g. `DeleteLiveDelayConfig` tagged `get`), and a read-only
/// operation is retried after server errors, so both must agree.
const READ_VERBS: [&str; 8] = [
    "Describe",
    "List",
    "Get",
    "Query",
    "Check",
    "Search",
    "BatchGet",
    "BatchDescribe",
];

fn read_only(name: &str, api: &Map<String, Value>, notes: &mut Notes) -> (bool, bool) {
    let tags: Vec<&str> = [
        api.get("systemTags").and_then(|t| t.get("operationType")),
        api.get("operationType"),
    ]
    .into_iter()
    .flatten()
    .filter_map(Value::as_str)
    .filter(|t| !t.is_empty())
    .collect();
    let has_tags = !tags.is_empty();
    let says_read = tags.iter().any(|t| matches!(*t, "get" | "list" | "read"));
    let says_write = tags.iter().any(|t| {
        matches!(
            *t,
            "create" | "update" | "delete" | "write" | "readAndWrite"
        )
    });
    if !says_read || says_write {
        return (false, has_tags);
    }
    let verb_reads = READ_VERBS.iter().any(|verb| {
        name.strip_prefix(verb).is_some_and(|rest| {
            rest.is_empty() || rest.starts_with(|c: char| c.is_ascii_uppercase())
        })
    });
    if !verb_reads {
        notes.warn(
            Kind::ReadOnlyContradiction,
            "read_only",
            format!(
                "operationType `{}` says read, but the name does not; not marked read_only",
                tags.join("`/`")
            ),
        );
    }
    (verb_reads, has_tags)
}

/// `Ok` when a ROA operation can be generated: a path from the root.
fn check_roa_shape(path: &str) -> Result<(), String> {
    if !path.starts_with('/') {
        return Err(format!("ROA style: path `{path}` does not start with `/`"));
    }
    Ok(())
}

/// A ROA `body` parameter: an object's properties, each a field of the JSON
/// body (`in: json`) in the metadata's order; anything else (an array, a
/// `$ref`) is the whole body (`in: jsonBody`).
fn json_body(name: &str, entry: &Value, notes: &mut Notes, out: &mut Vec<Parameter>) {
    let schema = entry.get("schema").unwrap_or(&Value::Null);
    let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
        out.push(Parameter {
            name: name.to_owned(),
            location: Location::JsonBody,
            style: None,
            schema: schema::convert(schema, &format!("parameters.{name}"), notes),
        });
        return;
    };
    for (field, property) in properties {
        out.push(Parameter {
            name: field.clone(),
            location: Location::Json,
            style: None,
            schema: schema::convert(property, &format!("parameters.{name}.{field}"), notes),
        });
    }
}

fn parameters(
    api: &Map<String, Value>,
    label: Label,
    notes: &mut Notes,
) -> Result<Vec<Parameter>, String> {
    let Some(list) = api.get("parameters").and_then(Value::as_array) else {
        return Ok(Vec::new());
    };
    let mut out: Vec<Parameter> = Vec::with_capacity(list.len());
    let mut seen = HashSet::with_capacity(list.len());
    for (index, entry) in list.iter().enumerate() {
        let name = entry.get("name").and_then(Value::as_str).unwrap_or("");
        if name.is_empty() {
            notes.warn(
                Kind::DuplicateParameter,
                &format!("parameters[{index}]"),
                "parameter without a name; dropped",
            );
            continue;
        }
        if !seen.insert(name) {
            notes.warn(
                Kind::DuplicateParameter,
                &format!("parameters.{name}"),
                "listed more than once; kept the first",
            );
            continue;
        }
        let location = match entry.get("in").and_then(Value::as_str).unwrap_or("") {
            "query" => Location::Query,
            "body" if is_binary(entry) => Location::Stream,
            "body" if label == Label::Roa => {
                json_body(name, entry, notes, &mut out);
                continue;
            }
            "formData" | "body" => Location::Body,
            "header" => Location::Header,
            "host" => Location::Host,
            "path" if label == Label::Roa => Location::Path,
            "path" => return Err(format!("path parameter `{name}` in an RPC operation")),
            other => {
                return Err(format!(
                    "parameter `{name}` is in `{other}`, which is not supported"
                ));
            }
        };
        let style = match entry.get("style").and_then(Value::as_str) {
            None => None,
            Some("repeatList") => Some(ParamStyle::RepeatList),
            Some("simple") => Some(ParamStyle::Simple),
            Some("json") => Some(ParamStyle::Json),
            Some("flat") => Some(ParamStyle::Flat),
            Some("spaceDelimited") => Some(ParamStyle::SpaceDelimited),
            Some("pipeDelimited") => Some(ParamStyle::PipeDelimited),
            Some(other) => {
                return Err(format!(
                    "parameter `{name}` uses the `{other}` style, which is not supported yet"
                ));
            }
        };
        let mut schema = schema::convert(
            entry.get("schema").unwrap_or(&Value::Null),
            &format!("parameters.{name}"),
            notes,
        );
        // An optional host label (FC's deprecated `AccountID`) is never sent by
        // the official SDKs: the configured endpoint already names the host.
        if location == Location::Host && !schema.required {
            notes.warn(
                Kind::PathParameter,
                &format!("parameters.{name}"),
                "a host parameter not marked required; dropped (the endpoint names the host)",
            );
            continue;
        }
        // A raw body declared `format: byte` is bytes too (see `is_binary`).
        if location == Location::Stream {
            schema.ty = Some(Type::Binary);
        }
        // A path segment cannot be left out, whatever the metadata says.
        if location == Location::Path && !schema.required {
            notes.warn(
                Kind::PathParameter,
                &format!("parameters.{name}"),
                "a path parameter not marked required; made required",
            );
            schema.required = true;
        }
        out.push(Parameter {
            name: name.to_owned(),
            location,
            style,
            schema,
        });
    }
    Ok(out)
}

/// Drop a style on a parameter whose type cannot have one (the validator's rule).
pub(crate) fn check_styles(op: &mut Operation, components: &Components, notes: &mut Notes) {
    for param in &mut op.parameters {
        let ty = components.resolve(&param.schema).ty;
        if param.style.is_some()
            && !matches!(ty, Some(Type::Array | Type::Object | Type::Map | Type::Any))
        {
            notes.warn(
                Kind::DroppedStyle,
                &format!("parameters.{}", param.name),
                format!(
                    "style on a `{}` parameter; dropped",
                    ty.map(Type::as_str).unwrap_or("unknown")
                ),
            );
            param.style = None;
        }
    }
}

fn response(
    api: &Map<String, Value>,
    schemas: Option<&Map<String, Value>>,
    label: Label,
    notes: &mut Notes,
) -> Option<Response> {
    let success = api.get("responses")?.get("200")?;
    let body = success.get("schema")?;
    let mut schema = schema::convert(whole_object(body, schemas), "response", notes);
    // The official SDKs read a `byte` body (FC's InvokeFunction) as raw bytes too.
    if schema.ty == Some(Type::String) && body.get("format").and_then(Value::as_str) == Some("byte")
    {
        schema.ty = Some(Type::Binary);
    }
    // ROA bodies may be a bare array, text or bytes (the generated type holds it whole).
    let whole_body =
        label == Label::Roa && matches!(schema.ty, Some(Type::Array | Type::String | Type::Binary));
    if schema.ty != Some(Type::Object) && !whole_body {
        let found = match (&schema.ty, &schema.reference) {
            (_, Some(name)) => format!("`$ref` {name}"),
            (Some(ty), None) => format!("`{}`", ty.as_str()),
            (None, None) => "untyped".to_owned(),
        };
        notes.warn(
            Kind::BadResponse,
            "response",
            format!("success body is {found}, not an object; dropped"),
        );
        return None;
    }
    Some(Response {
        example: response_example(api, schema.ty, notes),
        schema,
        headers: response_headers(success, notes),
    })
}

/// The success answer's `headers` that are scalars (an `ETag`, a timeout);
/// others are dropped with a warning.
fn response_headers(success: &Value, notes: &mut Notes) -> Vec<ResponseHeader> {
    let Some(headers) = success.get("headers").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut seen = HashSet::with_capacity(headers.len());
    let mut out = Vec::with_capacity(headers.len());
    for (name, entry) in headers {
        let at = format!("response.headers.{name}");
        let schema = schema::convert(entry.get("schema").unwrap_or(&Value::Null), &at, notes);
        if !schema.ty.is_some_and(Type::is_scalar) || !ResponseHeader::is_token(name) {
            notes.warn(
                Kind::BadResponse,
                &at,
                "not a header name with a scalar value; dropped",
            );
            continue;
        }
        if !seen.insert(ResponseHeader::key_of(name)) {
            notes.warn(
                Kind::BadResponse,
                &at,
                "listed twice (names ignore case); kept the first",
            );
            continue;
        }
        out.push(ResponseHeader {
            name: name.clone(),
            schema,
        });
    }
    out
}

/// The `json` entry of `responseDemo` (a JSON list serialized into a string).
/// A success body that is a `$ref` to an object component (ROA products: a
/// `Cluster`, a `Domain`) is that component's properties: the response is
/// the object itself, not a wrapper around it.
fn whole_object<'a>(body: &'a Value, schemas: Option<&'a Map<String, Value>>) -> &'a Value {
    let component = body
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
        .and_then(|name| schemas?.get(name));
    match component {
        Some(c) if c.get("properties").is_some_and(Value::is_object) => c,
        _ => body,
    }
}

/// The metadata's JSON sample of a success body of type `body` (an object
/// or an array; a text body's sample is not kept).
fn response_example(
    api: &Map<String, Value>,
    body: Option<Type>,
    notes: &mut Notes,
) -> Option<String> {
    if matches!(body, Some(Type::String | Type::Binary)) {
        return None;
    }
    let demo = api.get("responseDemo")?.as_str()?;
    if demo.trim().is_empty() {
        return None;
    }
    let Ok(Value::Array(entries)) = serde_json::from_str::<Value>(demo) else {
        notes.warn(
            Kind::BadResponse,
            "response.example",
            "`responseDemo` is not a JSON list; dropped",
        );
        return None;
    };
    let example = entries
        .iter()
        .find(|e| e.get("type").and_then(Value::as_str) == Some("json"))?
        .get("example")?
        .as_str()?;
    match serde_json::from_str::<Value>(example) {
        Ok(value @ Value::Object(_)) if body != Some(Type::Array) => {
            serde_json::to_string_pretty(&value).ok()
        }
        Ok(value @ Value::Array(_)) if body == Some(Type::Array) => {
            serde_json::to_string_pretty(&value).ok()
        }
        Ok(_) => {
            notes.warn(
                Kind::BadResponse,
                "response.example",
                if body == Some(Type::Array) {
                    "JSON example is not an array; dropped"
                } else {
                    "JSON example is not an object; dropped"
                },
            );
            None
        }
        Err(e) => {
            notes.warn(
                Kind::BadResponse,
                "response.example",
                format!("JSON example does not parse ({e}); dropped"),
            );
            None
        }
    }
}

fn errors(api: &Map<String, Value>, notes: &mut Notes) -> Vec<ErrorCode> {
    let Some(Value::Object(by_status)) = api.get("errorCodes") else {
        return Vec::new();
    };
    let mut out: Vec<ErrorCode> = Vec::new();
    let mut seen = HashSet::new();
    for (status_text, entries) in by_status {
        let entries = entries.as_array().map(Vec::as_slice).unwrap_or_default();
        let status = match status_text.trim().parse::<u16>() {
            Ok(status) if (400..=599).contains(&status) => status,
            _ => {
                notes.warn(
                    Kind::BadErrorStatus,
                    &format!("errors.{status_text}"),
                    format!(
                        "`{status_text}` is not an HTTP error status (400-599); skipped {} error code(s)",
                        entries.len()
                    ),
                );
                continue;
            }
        };
        for entry in entries {
            let code = entry
                .get("errorCode")
                .and_then(Value::as_str)
                .unwrap_or("")
                .trim();
            if code.is_empty() {
                notes.warn(
                    Kind::DuplicateError,
                    &format!("errors.{status}"),
                    "error without a code; skipped",
                );
                continue;
            }
            if !seen.insert((status, code.to_owned())) {
                notes.warn(
                    Kind::DuplicateError,
                    &format!("errors.{status}.{code}"),
                    "listed more than once; kept the first",
                );
                continue;
            }
            out.push(ErrorCode {
                status,
                code: code.to_owned(),
                message: entry
                    .get("errorMessage")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .trim()
                    .to_owned(),
                description: clean(
                    entry
                        .get("description")
                        .and_then(Value::as_str)
                        .unwrap_or(""),
                ),
            });
        }
    }
    out
}

/// Component schemas; names that cannot be a Rust type name are dropped.
pub(crate) fn components(schemas: Option<&Map<String, Value>>, notes: &mut Notes) -> Components {
    let mut out = Components::default();
    for (name, value) in schemas.into_iter().flatten() {
        if !is_identifier_like(name) {
            notes.warn(
                Kind::BadComponent,
                &format!("schemas.{name}"),
                "component name is not letters, digits and `_`; dropped",
            );
            continue;
        }
        let schema = schema::convert(value, &format!("schemas.{name}"), notes);
        out.schemas.insert(name.clone(), schema);
    }
    out
}

fn is_host(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
}

/// `product.yaml` from the metadata's `info` and `endpoints`.
pub(crate) fn product(doc: &Document<'_>, crate_name: Option<&str>, notes: &mut Notes) -> Product {
    let code = &doc.product;
    let mut regions: IndexMap<String, String> = IndexMap::new();
    for (region, host) in &doc.endpoints {
        let host = host.trim().to_ascii_lowercase();
        if !is_host(&host) {
            notes.warn(
                Kind::BadEndpoint,
                &format!("endpoints.{region}"),
                format!("`{host}` is not a host name; dropped"),
            );
        } else if regions.contains_key(region) {
            notes.warn(
                Kind::BadEndpoint,
                &format!("endpoints.{region}"),
                "region listed more than once; kept the first",
            );
        } else {
            regions.insert(region.clone(), host);
        }
    }
    let central = format!("{code}.aliyuncs.com");
    // A host naming its region (`metrics.cn-hangzhou.aliyuncs.com`) is regional.
    let regional = regions
        .iter()
        .filter(|(region, host)| host.contains(&format!(".{region}.")))
        .count();
    let rule = if regional * 2 > regions.len() {
        EndpointRule::Regional
    } else {
        EndpointRule::Central
    };
    let default = if regions.values().any(|h| *h == central) || regions.is_empty() {
        central
    } else {
        most_common(&regions)
    };
    // Sorted, so that editions listing the same hosts in another order
    // write the same file.
    regions.sort_unstable_keys();
    Product {
        product: code.clone(),
        version: doc.version.clone(),
        name: doc.product_title.clone(),
        description: if is_function_compute(&doc.style) {
            FC_ENDPOINT_NOTE.to_owned()
        } else {
            String::new()
        },
        style: if doc.label == Label::Roa {
            ApiStyle::Roa
        } else {
            ApiStyle::Rpc
        },
        protocol: Scheme::Https,
        endpoints: Endpoints {
            rule,
            default,
            regions,
        },
        krate: CrateInfo {
            name: crate_name.map_or_else(|| format!("alibabacloud-{code}"), str::to_owned),
            version: "0.1.0".to_owned(),
            runtime: None,
            repository: None,
        },
    }
}

/// Function Compute's label (`FC`): ROA on the wire, with a host of its own.
fn is_function_compute(style: &str) -> bool {
    style.eq_ignore_ascii_case("FC")
}

/// What an FC crate's docs must say: the metadata's hosts are not where the
/// API answers (the official SDKs also leave the account's host to the user).
const FC_ENDPOINT_NOTE: &str = "Function Compute answers on a host named after your account, \
`<account-id>.<region>.fc.aliyuncs.com`, which the metadata does not list: \
set it with `Config::endpoint`.";

/// Region whose host wins a tie for the default: Alibaba Cloud's default region.
const DEFAULT_REGION: &str = "cn-hangzhou";

/// The most frequent host; a tie goes to the host of [`DEFAULT_REGION`],
/// else to the first listed.
fn most_common(regions: &IndexMap<String, String>) -> String {
    let mut counts: IndexMap<&str, usize> = IndexMap::new();
    for host in regions.values() {
        *counts.entry(host).or_default() += 1;
    }
    let top = counts.values().copied().max().unwrap_or(0);
    let preferred = regions.get(DEFAULT_REGION).map(String::as_str);
    match preferred.filter(|host| counts.get(host) == Some(&top)) {
        Some(host) => host.to_owned(),
        None => counts
            .iter()
            .find(|(_, n)| **n == top)
            .map(|(host, _)| (*host).to_owned())
            .unwrap_or_default(),
    }
}

/// Why an operation of an RPC-shaped product is not imported, naming what
/// makes it ROA: e.g. `V3 style, not RPC-shaped: PUT /clusters/{ClusterId}
/// with path parameter `ClusterId` and a JSON body ...`.
pub(crate) fn unsupported_reason(style: &str, api: Option<&Map<String, Value>>) -> String {
    let method = api
        .map(methods)
        .and_then(|m| m.first().cloned())
        .unwrap_or_default()
        .to_uppercase();
    let path = api
        .map(|a| get_str(a, "path"))
        .filter(|p| !p.is_empty())
        .unwrap_or("/");
    let mut by_location: IndexMap<&str, Vec<&str>> = IndexMap::new();
    let mut xml = Vec::new();
    let list = api
        .and_then(|a| a.get("parameters"))
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    for param in list {
        let name = param.get("name").and_then(Value::as_str).unwrap_or("?");
        let location = param.get("in").and_then(Value::as_str).unwrap_or("?");
        by_location.entry(location).or_default().push(name);
        if param.get("style").and_then(Value::as_str) == Some("xml") {
            xml.push(name);
        }
    }
    let quoted = |names: &[&str]| {
        names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let plural = |names: &[&str]| if names.len() == 1 { "" } else { "s" };
    let mut parts = Vec::new();
    for (location, label) in [("path", "path"), ("host", "host"), ("header", "header")] {
        if let Some(names) = by_location.get(location) {
            parts.push(format!(
                "{label} parameter{} {}",
                plural(names),
                quoted(names)
            ));
        }
    }
    if by_location.contains_key("body") {
        parts.push(if xml.is_empty() {
            "a JSON body".to_owned()
        } else {
            format!("an XML body ({})", quoted(&xml))
        });
    } else if !xml.is_empty() {
        parts.push(format!(
            "XML-styled parameter{} {}",
            plural(&xml),
            quoted(&xml)
        ));
    }
    if by_location.contains_key("formData") {
        parts.push("a form body".to_owned());
    }
    let what = if parts.is_empty() {
        String::new()
    } else {
        format!(" with {}", join_and(&parts))
    };
    format!(
        "{style} style, not RPC-shaped: {method} `{path}`{what} cannot be generated in an RPC product"
    )
}

/// Why a product labelled `style` (neither RPC, V3, ROA nor FC) is not
/// generated: what its requests need that the runtime does not do.
pub(crate) fn own_scheme(style: &str) -> &'static str {
    match style.to_ascii_uppercase().as_str() {
        "OSS" => "OSS signs requests its own way (the `OSS` signature over bucket and object) and answers in XML",
        "SLS" => "SLS signs requests its own way (the `LOG` signature over Content-MD5 and x-log-* headers)",
        "PDS" => "PDS requests go through its own gateway to a per-domain host, signed HMAC-SHA1 (`acs` scheme) or ACS4, not ACS3",
        "ALIGENIE" => "AliGenie is served by its own gateway (openapi.aligenie.com) with its own authentication",
        _ => "the label names no wire format acsgen knows (RPC, V3, ROA or FC)",
    }
}

fn join_and(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
