//! The on-disk spec format: `spec/<product>/product.yaml`,
//! `spec/<product>/operations/<Name>.yaml` and an optional
//! `spec/<product>/components.yaml`.
//!
//! These types are the one definition of the format. The loader reads them,
//! the importer writes them, the diff compares them, and `spec/schema.json`
//! is generated from them (`acsgen schema`). Every struct denies unknown
//! fields so a typo is an error with a line and column, not a silent no-op.
//! Field order here is the order in written YAML, so keep it readable.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

fn is_false(value: &bool) -> bool {
    !*value
}

/// `product.yaml`: what the whole generated crate is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Product {
    /// Product code as used in endpoints and the metadata, e.g. `live`.
    pub product: String,
    /// API version, e.g. `2016-11-01`.
    pub version: String,
    /// Human-readable product name, e.g. `ApsaraVideo Live`.
    pub name: String,
    /// Markdown shown on the generated crate's front page.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// API style; only `rpc` can be generated today.
    pub style: ApiStyle,
    /// Default scheme for requests.
    #[serde(default)]
    pub protocol: Scheme,
    pub endpoints: Endpoints,
    /// The generated crate.
    #[serde(rename = "crate")]
    pub krate: CrateInfo,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ApiStyle {
    Rpc,
    Roa,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Scheme {
    #[default]
    Https,
    Http,
}

/// How a region maps to a host name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Endpoints {
    /// `regional`: `<product>.<region>.aliyuncs.com`; `central`: `<product>.aliyuncs.com`.
    pub rule: EndpointRule,
    /// Host used when no region is configured.
    pub default: String,
    /// Region id to host name; wins over the rule.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub regions: IndexMap<String, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum EndpointRule {
    Regional,
    Central,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CrateInfo {
    /// Cargo package name of the generated crate.
    pub name: String,
    /// Its semver version.
    pub version: String,
    /// How the generated crate depends on `acsgen-runtime`. Without it, on
    /// the registry version this acsgen targets. `generate --runtime-path`
    /// and `--runtime-version` override it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime: Option<RuntimeSource>,
    /// `repository` of the generated Cargo.toml: an `https://` URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
}

/// Where a generated crate finds `acsgen-runtime`: the registry (a version
/// alone), a path, or a git repository. `path` and `git` exclude each other;
/// `branch`, `tag` and `rev` go with `git`, at most one of them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuntimeSource {
    /// A semver requirement such as `0.1`; with `path` or `git`, the one
    /// Cargo uses once the crate is published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The runtime's directory, relative to the generated crate's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// An `https://`, `ssh://` or `file://` git URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rev: Option<String>,
}

impl RuntimeSource {
    /// What is wrong with this source, each as (field, problem). Values
    /// reach Cargo.toml only as escaped TOML strings; these rules keep them
    /// meaningful to Cargo.
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let fields = [
            ("version", &self.version),
            ("path", &self.path),
            ("git", &self.git),
            ("branch", &self.branch),
            ("tag", &self.tag),
            ("rev", &self.rev),
        ];
        for (field, value) in fields {
            let Some(value) = value else { continue };
            if value.trim().is_empty() || value.chars().any(char::is_control) {
                out.push((field, "must be one non-empty line".to_owned()));
            } else if value.len() > 1024 {
                out.push((field, format!("is {} bytes; at most 1024", value.len())));
            }
        }
        if let Some(version) = &self.version {
            if let Err(error) = semver::VersionReq::parse(version) {
                out.push(("version", format!("not a semver requirement: {error}")));
            }
        }
        if self.path.is_some() && self.git.is_some() {
            out.push(("git", "`path` and `git` exclude each other".to_owned()));
        }
        if let Some(git) = &self.git {
            if !["https://", "ssh://", "file://"]
                .iter()
                .any(|scheme| git.starts_with(scheme))
            {
                out.push((
                    "git",
                    "must start with https://, ssh:// or file://".to_owned(),
                ));
            }
        }
        let references = [&self.branch, &self.tag, &self.rev];
        let references = references.iter().filter(|r| r.is_some()).count();
        if references > 0 && self.git.is_none() {
            out.push(("branch", "`branch`, `tag` and `rev` need `git`".to_owned()));
        } else if references > 1 {
            out.push((
                "branch",
                "give at most one of `branch`, `tag` and `rev`".to_owned(),
            ));
        }
        if self.version.is_none() && self.path.is_none() && self.git.is_none() {
            out.push((
                "version",
                "give a `version`, a `path` or a `git` URL".to_owned(),
            ));
        }
        out
    }
}

/// `components.yaml`: named schemas that operations refer to with `$ref`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Components {
    #[serde(default)]
    pub schemas: IndexMap<String, Schema>,
}

/// A schema with `$ref` followed (through components that are themselves a
/// `$ref`) to the schema that holds the type, valid values and properties.
#[derive(Debug, Clone, Copy)]
pub struct Resolved<'a> {
    /// The schema reached: the typed one, or the last one found when the
    /// chain breaks.
    pub schema: &'a Schema,
    /// The last component name followed, when reached through `$ref`.
    pub component: Option<&'a str>,
    /// The type; `None` for an unknown name or a cycle.
    pub ty: Option<Type>,
}

impl Components {
    /// Follow `schema`'s `$ref` chain; the one resolver validation, the
    /// model and the diff share.
    pub fn resolve<'a>(&'a self, schema: &'a Schema) -> Resolved<'a> {
        let mut current = schema;
        let mut component = None;
        // Each hop reaches another component, so a longer chain is a cycle.
        for _ in 0..=self.schemas.len() {
            if let Some(ty) = current.ty {
                return Resolved {
                    schema: current,
                    component,
                    ty: Some(ty),
                };
            }
            let Some(name) = current.reference.as_deref() else {
                break;
            };
            component = Some(name);
            match self.schemas.get(name) {
                Some(target) => current = target,
                None => break,
            }
        }
        Resolved {
            schema: current,
            component,
            ty: None,
        }
    }
}

/// One file in `operations/`: everything about one API operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    /// The action name on the wire, e.g. `RecoverLiveMessageDeletedGroup`.
    pub name: String,
    /// One sentence: what the call does.
    pub summary: String,
    /// Markdown: how to use it, preconditions, limits.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub method: HttpMethod,
    /// Request path; `/` for every RPC operation.
    #[serde(default = "default_path", skip_serializing_if = "is_root_path")]
    pub path: String,
    /// True when repeating the call cannot change anything (reads): the
    /// runtime retries such calls after a server error, never the others.
    #[serde(default, skip_serializing_if = "is_false")]
    pub read_only: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<Deprecation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<RateLimit>,
    /// RAM actions this call is authorized by; empty when none are published.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authorization: Vec<Authorization>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<Parameter>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<Response>,
    /// How the operation returns a long list page by page; generates
    /// `into_paginator()` on its request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination: Option<Pagination>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorCode>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
}

/// How a list operation pages: either with a token (`input_token` and
/// `output_token`, the NextToken style) or with a page number
/// (`page_number`, the PageNumber style), never both. Parameters are named
/// by their wire name; response fields by their path of wire names joined
/// with `.` (`Data.Items`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pagination {
    /// NextToken style: the request parameter that takes the previous
    /// page's token (a `string`, `int32` or `int64`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_token: Option<String>,
    /// NextToken style: the response field holding the next page's token;
    /// absent or empty on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_token: Option<String>,
    /// PageNumber style: the request parameter with the page number
    /// (an integer, the first page is 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_number: Option<String>,
    /// The request parameter with the number of items per page (an integer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_size: Option<String>,
    /// The response field holding the page's items (an `array`).
    pub items: String,
    /// The response field with the number of items over all pages (an
    /// integer): paging stops once that many items were returned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_count: Option<String>,
    /// The response field that is `false` on the last page (a `boolean`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_more: Option<String>,
}

fn default_path() -> String {
    "/".to_owned()
}

fn is_root_path(path: &str) -> bool {
    path == "/"
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "UPPERCASE")]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Delete,
    Patch,
    Head,
}

impl HttpMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Head => "HEAD",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Deprecation {
    /// Why, and what to call instead.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RateLimit {
    /// Calls per second allowed.
    pub qps: u32,
    /// Who shares the limit.
    #[serde(default)]
    pub scope: RateLimitScope,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RateLimitScope {
    #[default]
    Account,
    User,
    Api,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Authorization {
    /// RAM action, e.g. `live:RecoverLiveMessageDeletedGroup`.
    pub action: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub access_level: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub resource: String,
}

/// A request parameter. Its type, description and constraints are in `schema`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    /// Wire name, exact (may contain dots, e.g. `Filter.1.Key`).
    pub name: String,
    #[serde(rename = "in")]
    pub location: Location,
    /// How an array or object is put on the wire; only for those types.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<ParamStyle>,
    pub schema: Schema,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Location {
    /// URL query string.
    Query,
    /// Form-encoded request body.
    Body,
    Header,
    /// Part of the host name.
    Host,
    /// Part of the request path.
    Path,
    /// The raw request body (`application/octet-stream`): a `binary`
    /// parameter, at most one per operation, never with `body` parameters.
    Stream,
    /// A field of a JSON object body (ROA products): the wire name is the
    /// key; never with `body` or `stream` parameters.
    Json,
    /// The whole JSON body (ROA products): one parameter whose value is the
    /// body, such as an array; never with any other body parameter.
    #[serde(rename = "jsonBody")]
    JsonBody,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub enum ParamStyle {
    /// `Name.1.Key=v`: one wire parameter per leaf (the default for arrays and objects).
    #[serde(rename = "repeatList")]
    RepeatList,
    /// Items joined by commas.
    #[serde(rename = "simple")]
    Simple,
    /// Compact JSON text.
    #[serde(rename = "json")]
    Json,
    /// Like repeatList, with map keys written `#<len>#key`.
    #[serde(rename = "flat")]
    Flat,
    /// Items joined by spaces.
    #[serde(rename = "spaceDelimited")]
    SpaceDelimited,
    /// Items joined by `|`.
    #[serde(rename = "pipeDelimited")]
    PipeDelimited,
}

/// A type, with its documentation and constraints. Used for parameters,
/// response fields, nested properties and components.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Schema {
    /// The type; absent exactly when `$ref` is given.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub ty: Option<Type>,
    /// Name of a schema in `components.yaml`.
    #[serde(rename = "$ref", default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// A parameter the caller must give, or a field the service always returns.
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Example value, as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
    /// Value the service assumes when the field is absent, as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    /// The valid values (strings or integers, written as text).
    #[serde(rename = "enum", default, skip_serializing_if = "Vec::is_empty")]
    pub enumeration: Vec<EnumValue>,
    /// Element type of an `array`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Box<Schema>>,
    /// Fields of an `object`, in wire order.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub properties: IndexMap<String, Schema>,
    /// Value type of a `map` (string keys).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Box<Schema>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum: Option<serde_json::Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum: Option<serde_json::Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_items: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Type {
    String,
    Int32,
    Int64,
    Float,
    Double,
    Boolean,
    /// Raw bytes (base64 in JSON).
    Binary,
    Array,
    Object,
    /// String keys to `values`.
    Map,
    /// Any JSON value.
    Any,
}

impl Type {
    pub fn as_str(self) -> &'static str {
        match self {
            Type::String => "string",
            Type::Int32 => "int32",
            Type::Int64 => "int64",
            Type::Float => "float",
            Type::Double => "double",
            Type::Boolean => "boolean",
            Type::Binary => "binary",
            Type::Array => "array",
            Type::Object => "object",
            Type::Map => "map",
            Type::Any => "any",
        }
    }

    pub fn is_integer(self) -> bool {
        matches!(self, Type::Int32 | Type::Int64)
    }

    /// One value written as text (what a response header can carry).
    pub fn is_scalar(self) -> bool {
        matches!(
            self,
            Type::String | Type::Int32 | Type::Int64 | Type::Float | Type::Double | Type::Boolean
        )
    }
}

impl ResponseHeader {
    /// What identifies a header whatever the case it is written in: the
    /// lowercase name. Validation, the importer, the field's name and wire
    /// literal, and the diff all match headers by it.
    pub fn key(&self) -> String {
        Self::key_of(&self.name)
    }

    pub fn key_of(name: &str) -> String {
        name.to_ascii_lowercase()
    }

    /// `name` is an HTTP token (RFC 9110) of at most [`MAX_HEADER_NAME`] bytes.
    pub fn is_token(name: &str) -> bool {
        !name.is_empty()
            && name.len() <= MAX_HEADER_NAME
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnumValue {
    /// The wire value, exact.
    pub value: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Response {
    /// The body of a successful call: an `object` (in a `roa` product also an
    /// `array`, a `string` or `binary`, taken whole).
    pub schema: Schema,
    /// A sample success body (JSON text); a generated test decodes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
    /// Response headers the response struct reads into fields of their own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<ResponseHeader>,
}

/// Longest response header name: real ones are under 40 bytes.
pub const MAX_HEADER_NAME: usize = 128;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResponseHeader {
    /// Header name as the service sends it (matched without regard to case).
    pub name: String,
    /// A scalar: `string`, `int32`, `int64`, `float`, `double` or `boolean`.
    pub schema: Schema,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorCode {
    /// HTTP status the service answers with.
    pub status: u16,
    /// `Code` in the error body, exact.
    pub code: String,
    /// `Message` template (`%s` marks a value filled in by the service).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
    /// What it means and what to do.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Change {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub summary: String,
}

/// A whole product as loaded: what every later stage works from.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductSpec {
    /// Directory name under `spec/`, e.g. `live`.
    pub dir_name: String,
    pub product: Product,
    pub components: Components,
    /// Sorted by operation name.
    pub operations: Vec<Operation>,
}

/// Any one spec file, for the JSON Schema editors use (`spec/schema.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum SpecFile {
    Operation(Box<Operation>),
    Product(Box<Product>),
    Components(Components),
}
