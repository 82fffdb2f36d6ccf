//! Stage 3: the Rust-ready IR. Every decision about the generated code
//! (names, types, derives, docs, literals) is made here, so templates only
//! loop and print. Names come from [`crate::names`], prose from
//! [`crate::docs`], types are [`RustType`] values.
//!
//! - [`types`]: [`RustType`] and how a type is passed, defaulted and printed;
//! - `builder`: schemas to types and the nested structs, enums and aliases;
//! - `operation`, `errors`, `samples`: one operation's request, error enum
//!   and sample-body test; `examples`: doctest values of its arguments;
//! - [`lit`](mod@lit): Rust literals for spec text;
//! - [`runtime`]: the runtime's enum variants the generated code names.

mod builder;
mod errors;
mod examples;
pub mod lit;
pub mod manifest;
mod operation;
pub mod pagination;
pub mod runtime;
mod samples;
mod shared;
pub mod types;

use std::collections::BTreeMap;

use crate::docs::{self, Links};
use crate::names::reserved::CLIENT;
use crate::names::{NameKind, Namespace, Scope};
use crate::spec::ProductSpec;

pub use builder::component_kind;
pub use lit::lit;
pub use types::{Conversion, NamedKind, NamedType, RustType, TypeModule};

use builder::{Home, Side, TypeBuilder};

pub use manifest::{GitReference, RuntimeDependency, RuntimeLocation, RUNTIME_VERSION};

#[derive(Debug, Clone)]
pub struct CrateModel {
    pub dir_name: String,
    pub package_name: String,
    pub lib_name: String,
    pub version: String,
    /// The product code, e.g. `live` (`product_code_lit` is its literal).
    pub product_code: String,
    pub product_code_lit: String,
    /// The API version, e.g. `2016-11-01`.
    pub api_version: String,
    pub api_version_lit: String,
    pub display_name: String,
    /// Cargo `description`, one line of plain text; render escapes it.
    pub description: String,
    pub docs: Vec<String>,
    /// `docs` for the README: operations link to docs.rs, not rustdoc paths.
    pub readme_docs: Vec<String>,
    pub endpoint_rule: runtime::EndpointRule,
    pub default_endpoint_lit: String,
    /// `(region literal, host literal)`, sorted by region.
    pub endpoint_map: Vec<(String, String)>,
    pub scheme: runtime::Scheme,
    pub runtime: RuntimeDependency,
    /// `repository` for Cargo.toml.
    pub repository: Option<String>,
    pub operations: Vec<OperationModel>,
    /// Every type of `crate::types`: the spec's components (and types
    /// nested in them), then the nested shapes several operations share.
    pub components: Vec<TypeModel>,
    /// Names of the types in `components` that are nested shapes shared by
    /// several operations rather than spec components (see `model::shared`).
    pub shared_types: Vec<String>,
    pub components_use_map: bool,
    pub components_use_value: bool,
    pub components_use_fmt: bool,
    /// Which shared macros the crate needs (unused ones would warn).
    pub uses_string_enum: bool,
    pub uses_integer_enum: bool,
    /// Some operation has a sample body, so the test helper is needed.
    pub has_samples: bool,
    /// The operation the crate docs and README show first, by index.
    pub quick_start: Option<usize>,
    /// `types::RequestIdResponse`, when some operation's response is only a request ID.
    pub request_id_response: Option<StructModel>,
    /// `types::UndocumentedError`, when some operation documents no error code.
    pub undocumented_error: Option<ErrorEnumModel>,
}

impl CrateModel {
    /// Whether `crate::types` has anything in it.
    pub fn has_types_module(&self) -> bool {
        !self.components.is_empty()
            || self.request_id_response.is_some()
            || self.undocumented_error.is_some()
    }
}

impl CrateModel {
    /// The operation shown in the quick start.
    pub fn quick_start_operation(&self) -> Option<&OperationModel> {
        self.quick_start
            .and_then(|index| self.operations.get(index))
    }
}

/// The operation a quick start shows: a read-only one when there is one (a
/// first example should not change anything), and among those the first
/// whose arguments all come from spec examples (a real-looking call), else
/// the first taking no argument, else the first.
fn quick_start(operations: &[OperationModel]) -> Option<usize> {
    let all_examples =
        |op: &OperationModel| !op.required.is_empty() && op.required.iter().all(|p| p.spec_example);
    let pick = |read_only: bool| {
        let candidate = |op: &&OperationModel| op.read_only || !read_only;
        let ops = || {
            operations
                .iter()
                .enumerate()
                .filter(|(_, op)| candidate(op))
        };
        ops()
            .find(|(_, op)| all_examples(op))
            .or_else(|| ops().find(|(_, op)| op.required.is_empty()))
            .or_else(|| ops().next())
            .map(|(index, _)| index)
    };
    pick(true).or_else(|| pick(false))
}

#[derive(Debug, Clone)]
pub struct OperationModel {
    pub wire_name: String,
    pub action_lit: String,
    pub module: String,
    pub client_method: String,
    pub request: String,
    pub response: String,
    pub error: String,
    pub http_method: runtime::Method,
    pub path_lit: String,
    pub read_only: bool,
    /// Calls per second the service allows, when it says.
    pub qps: Option<u32>,
    pub deprecated_lit: Option<String>,
    /// One line for lists and the client method.
    pub summary: String,
    /// `summary` for the README: operations link to docs.rs.
    pub readme_summary: String,
    /// The client method's page on docs.rs.
    pub docs_url: String,
    /// Full docs for the request type.
    pub docs: Vec<String>,
    /// Doc lines (with the doctest) for the client method.
    pub method_docs: Vec<String>,
    pub params: Vec<ParamModel>,
    pub required: Vec<ParamModel>,
    pub optional: Vec<ParamModel>,
    /// The constructor (`new`) takes more arguments than clippy allows.
    pub new_has_many_arguments: bool,
    /// The client method (`&self` and the required parameters) does.
    pub method_has_many_arguments: bool,
    pub response_struct: StructModel,
    /// Nested structs and enums of this operation, in first-use order.
    pub types: Vec<TypeModel>,
    /// Shared types (in `crate::types`) this operation uses, re-exported
    /// from its module so `operations::<op>::Name` paths keep working;
    /// sorted, and only names free in the module.
    pub reexports: Vec<String>,
    /// The error enum (its variants, one per documented code, and the
    /// catch-all), printed in the operation's module unless `shared_error_docs`.
    pub error_enum: ErrorEnumModel,
    /// `Some` when the response is only a request ID: the response is then
    /// `types::RequestIdResponse`, and these are the docs of its `pub type` line.
    /// Sharing the struct (169 of Live's 417 operations) is measurably less to compile.
    pub shared_response_docs: Option<Vec<String>>,
    /// `Some` when the operation documents no error code: the error is then
    /// `types::UndocumentedError`, and these are the docs of its `pub type` line.
    pub shared_error_docs: Option<Vec<String>>,
    pub sample_lit: Option<String>,
    /// JSON paths in the sample body that no response field models, as literals.
    pub sample_unmodelled: Vec<String>,
    pub uses_map: bool,
    pub uses_value: bool,
    pub uses_types: bool,
    pub uses_style: bool,
    /// How the operation pages, when its spec says (`into_paginator`).
    pub pagination: Option<pagination::PaginationModel>,
}

impl OperationModel {
    /// Some parameter is pushed with its `Location` (all but body values).
    pub fn uses_location(&self) -> bool {
        self.params
            .iter()
            .any(|p| !p.is_stream() && !p.is_json() && !p.is_json_body())
    }
}

#[derive(Debug, Clone)]
pub struct ParamModel {
    pub field: String,
    pub wire_lit: String,
    pub location: runtime::Location,
    /// `Some` for arrays, objects and maps: sent with `push_structured`.
    pub style: Option<runtime::Style>,
    /// Type stored in the request (without `Option`).
    pub ty: RustType,
    /// How the setter or constructor argument becomes `ty`.
    pub conversion: Conversion,
    pub docs: Vec<String>,
    /// One line for the constructor's argument list.
    pub summary: String,
    pub required: bool,
    /// Value for the doctest (required params only).
    pub example: Example,
    /// `example` comes from the spec, not a placeholder.
    pub spec_example: bool,
}

/// Clippy's `too_many_arguments` fires when a function takes more than this
/// many arguments, `self` included (its default `too-many-arguments-threshold`).
pub const CLIPPY_MAX_ARGUMENTS: usize = 7;

/// Whether a function of `count` arguments (`self` included) trips clippy's
/// `too_many_arguments`.
pub fn has_many_arguments(count: usize) -> bool {
    count > CLIPPY_MAX_ARGUMENTS
}

impl ParamModel {
    /// The raw request body (`Location::Stream`), sent with `push_stream`.
    pub fn is_stream(&self) -> bool {
        self.location == runtime::Location::Stream
    }

    /// A field of a JSON object body (`Location::Json`), sent with `push_json_field`.
    pub fn is_json(&self) -> bool {
        self.location == runtime::Location::Json
    }

    /// The whole JSON body (`Location::JsonBody`), sent with `push_json_body`.
    pub fn is_json_body(&self) -> bool {
        self.location == runtime::Location::JsonBody
    }

    /// The argument type of the constructor or setter.
    pub fn argument(&self) -> types::Argument<'_> {
        self.ty.argument()
    }
}

/// A doctest value of a parameter's type, printed as a Rust expression
/// (see `examples`).
#[derive(Debug, Clone, PartialEq)]
pub enum Example {
    /// A string literal, for an argument taken as `impl Into<String>` or,
    /// through `Into`, a nested string enum.
    Text(String),
    /// Bytes for a raw request body (`b"..."`, taken through `Into<Vec<u8>>`);
    /// the spec's example of a binary body is prose, so this is a placeholder.
    Bytes,
    /// `"...".to_owned()`, where a `String` itself is needed.
    OwnedText(String),
    Bool(bool),
    /// An integer (or, through `Into`, a nested integer enum).
    Integer(i64),
    Float(f64),
    /// A variant of an enum, the enum named by its full path.
    Variant {
        path: String,
        variant: String,
    },
    /// A struct literal (a struct without `Default`): full path, then every
    /// field with its value.
    Struct {
        path: String,
        fields: Vec<(String, Example)>,
    },
    /// `vec![item]`.
    List(Box<Example>),
    /// `Box::new(inner)`.
    Boxed(Box<Example>),
    /// `None`, for an optional field of a struct literal.
    Absent,
    /// `Default::default()`, for types whose default is a real value (maps,
    /// JSON values, structs whose fields are all optional).
    Default,
}

impl std::fmt::Display for Example {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Example::Text(text) => f.write_str(&lit(text)),
            Example::OwnedText(text) => write!(f, "{}.to_owned()", lit(text)),
            Example::Bytes => f.write_str("b\"file contents\""),
            Example::Bool(value) => write!(f, "{value}"),
            Example::Integer(value) => write!(f, "{value}"),
            Example::Float(value) => write!(f, "{value:?}"),
            Example::Variant { path, variant } => write!(f, "{path}::{variant}"),
            Example::Struct { path, fields } => {
                write!(f, "{path} {{")?;
                for (i, (name, value)) in fields.iter().enumerate() {
                    let separator = if i == 0 { " " } else { ", " };
                    write!(f, "{separator}{name}: {value}")?;
                }
                f.write_str(if fields.is_empty() { "}" } else { " }" })
            }
            Example::List(item) => write!(f, "vec![{item}]"),
            Example::Boxed(inner) => write!(f, "Box::new({inner})"),
            Example::Absent => f.write_str("None"),
            Example::Default => f.write_str("Default::default()"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct StructModel {
    pub name: String,
    /// All fields have a default, so `Default` can be derived.
    pub default: bool,
    pub docs: Vec<String>,
    pub fields: Vec<FieldModel>,
    pub serialize: bool,
    pub deserialize: bool,
    /// A response whose success body is not an object (a ROA array, text or
    /// bytes): its first field is that whole body.
    pub whole_body: Option<WholeBody>,
}

impl StructModel {
    /// Fields decoded from the JSON body (all but those from headers, which
    /// come last).
    pub fn body_fields(&self) -> &[FieldModel] {
        &self.fields[..self.fields.partition_point(|f| !f.from_header)]
    }

    /// Fields read from response headers.
    pub fn header_fields(&self) -> &[FieldModel] {
        &self.fields[self.body_fields().len()..]
    }

    /// The operation builds this response from the whole answer (headers,
    /// text or bytes), not by decoding a JSON body alone.
    pub fn reads_answer(&self) -> bool {
        !self.header_fields().is_empty()
            || matches!(self.whole_body, Some(WholeBody::Text | WholeBody::Bytes))
    }
}

/// How a whole-body response reads its body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WholeBody {
    /// JSON that is not an object, such as an array of clusters.
    Json,
    /// Text as sent (a script, say): not JSON.
    Text,
    /// Bytes as sent (a function's output).
    Bytes,
}

impl WholeBody {
    /// The body of a response whose schema is `ty`; `None` for an object.
    pub fn of(ty: Option<crate::spec::Type>) -> Option<WholeBody> {
        match ty {
            Some(crate::spec::Type::String) => Some(WholeBody::Text),
            Some(crate::spec::Type::Array) => Some(WholeBody::Json),
            Some(crate::spec::Type::Binary) => Some(WholeBody::Bytes),
            _ => None,
        }
    }

    pub fn is_text(self) -> bool {
        self == WholeBody::Text
    }

    pub fn is_bytes(self) -> bool {
        self == WholeBody::Bytes
    }

    /// Its sample is JSON, so a generated test can decode it.
    pub fn is_json(self) -> bool {
        self == WholeBody::Json
    }
}

#[derive(Debug, Clone)]
pub struct FieldModel {
    pub name: String,
    /// Its test-value setter (`with_<name>`, feature `test-util`).
    pub test_setter: String,
    pub wire_lit: String,
    /// Full field type, including `Option` where the field may be absent.
    pub ty: RustType,
    /// `#[serde(...)]` arguments besides `rename`.
    pub serde: SerdeAttrs,
    pub docs: Vec<String>,
    /// The spec's example (of the field or the component it refers to),
    /// for doctests building the struct.
    pub example: Option<String>,
    /// Read from the response header `wire_lit` names (its key, lowercase),
    /// not from the body; such fields come after the body's.
    pub from_header: bool,
}

/// The `#[serde]` arguments of a field besides `rename`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SerdeAttrs {
    /// A required request field: always sent, and needed to decode.
    None,
    /// `default` (absent on the wire decodes as empty), and left out when
    /// empty (see [`RustType::emptiness_check`]), so encoding adds nothing
    /// decoding did not find.
    DefaultSkipEmpty,
}

#[derive(Debug, Clone)]
pub enum TypeModel {
    Struct(StructModel),
    Enum(EnumModel),
    Alias(AliasModel),
}

impl TypeModel {
    pub fn name(&self) -> &str {
        match self {
            TypeModel::Struct(s) => &s.name,
            TypeModel::Enum(e) => &e.name,
            TypeModel::Alias(a) => &a.name,
        }
    }
}

/// A named component that is neither an object nor an enum.
#[derive(Debug, Clone)]
pub struct AliasModel {
    pub name: String,
    pub ty: RustType,
    pub docs: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct EnumModel {
    pub name: String,
    pub docs: Vec<String>,
    /// `true` for integer values.
    pub integer: bool,
    /// `i32` or `i64` for integer enums.
    pub int_ty: RustType,
    pub variants: Vec<VariantModel>,
    pub unknown: String,
}

#[derive(Debug, Clone)]
pub struct VariantModel {
    pub name: String,
    /// String literal or integer literal.
    pub value_lit: String,
    /// The value as the spec writes it.
    pub wire: String,
    pub docs: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct ErrorVariantModel {
    pub name: String,
    pub code_lit: String,
    pub docs: Vec<String>,
}

/// An error enum as `error.rs.askama` prints it: an operation's own, or the
/// one in `types` shared by operations without documented codes.
#[derive(Debug, Clone)]
pub struct ErrorEnumModel {
    pub name: String,
    pub docs: Vec<String>,
    pub variants: Vec<ErrorVariantModel>,
    pub unhandled: String,
    pub unhandled_docs: Vec<String>,
}

/// Choices that are not in the spec.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Where the generated Cargo.toml finds the runtime crate, replacing
    /// the spec's `crate.runtime` (`generate --runtime-path`, tests).
    pub runtime: Option<crate::spec::RuntimeSource>,
}

impl Options {
    /// The runtime at `path`, as Cargo reads it from a generated crate.
    pub fn runtime_path(path: impl Into<String>) -> Self {
        Options {
            runtime: Some(crate::spec::RuntimeSource {
                path: Some(path.into()),
                ..Default::default()
            }),
        }
    }
}

/// The names allocated for one operation.
#[derive(Debug, Clone)]
pub struct OpNames {
    pub module: String,
    pub method: String,
    pub request: String,
    pub response: String,
    pub error: String,
    pub lib_name: String,
}

pub fn build(spec: &ProductSpec, options: &Options) -> CrateModel {
    let product = &spec.product;
    let lib_name = product.krate.name.replace('-', "_");
    let mut client_scope = Scope::for_namespace(Namespace::ClientMembers);
    let mut module_scope = Scope::for_namespace(Namespace::OperationModules);
    let mut root_types = Scope::for_namespace(Namespace::OperationTypes);
    // First pass: names, so docs can link any operation to any other.
    let mut names = Vec::with_capacity(spec.operations.len());
    let mut links = Links::default();
    // The README's prose links operations to docs.rs instead.
    let mut readme_links = Links::default();
    for op in &spec.operations {
        let module = module_scope.allocate(NameKind::Value, &op.name);
        let method = client_scope.allocate(NameKind::Value, &op.name);
        let base = crate::names::type_prefix(&op.name);
        let request = root_types.claim(format!("{base}Request"));
        let response = root_types.claim(format!("{base}Response"));
        let error = root_types.claim(format!("{base}Error"));
        links
            .operations
            .insert(op.name.clone(), format!("crate::{CLIENT}::{method}"));
        readme_links.operations.insert(
            op.name.clone(),
            docs::docs_rs_method_url(
                &product.krate.name,
                &product.krate.version,
                &lib_name,
                &method,
            ),
        );
        names.push(OpNames {
            module,
            method,
            request,
            response,
            error,
            lib_name: lib_name.clone(),
        });
    }
    let mut component_scope = Scope::for_namespace(Namespace::TypesModule);
    let component_names: BTreeMap<String, String> = spec
        .components
        .schemas
        .keys()
        .map(|k| (k.clone(), component_scope.allocate(NameKind::Type, k)))
        .collect();

    // Found first: the builder borrows them.
    let shared_shapes = shared::find(&spec.operations);
    let mut builder = TypeBuilder::new(
        &spec.components,
        &component_names,
        &links,
        component_scope.clone(),
        Home::Components,
        Default::default(),
    );
    for (wire, schema) in &spec.components.schemas {
        builder.component(&component_names[wire], schema);
    }
    // Shared types serve requests and responses alike.
    for model in &mut builder.types {
        if let TypeModel::Struct(model) = model {
            model.serialize = true;
            model.deserialize = true;
        }
    }
    // Then nested shapes used by several operations, in the same scope.
    let mut builder = builder.into_shared();
    let component_count = builder.types.len();
    for shape in &shared_shapes {
        let Some(first) = names.get(shape.first_op) else {
            continue;
        };
        let parent = match shape.side {
            Side::Request => &first.request,
            Side::Response => &first.response,
        };
        builder.shared_shape(shape.hint, parent, &shape.schema, shape.side);
    }
    let table = builder.take_shared();
    let shared_types: Vec<String> = builder.types[component_count..]
        .iter()
        .map(|t| t.name().to_owned())
        .collect();
    let components_use_map = builder.uses_map;
    let components_use_value = builder.uses_value;
    let components = builder.types;
    let components_use_fmt = components.iter().any(|t| matches!(t, TypeModel::Enum(_)));

    let shared = operation::Shared {
        components: &spec.components,
        component_names: &component_names,
        models: &components,
        shared_types: &shared_types,
        table: &table,
        links: &links,
        readme_links: &readme_links,
    };
    let operations: Vec<OperationModel> = spec
        .operations
        .iter()
        .zip(names)
        .map(|(op, names)| operation::operation(op, names, &shared))
        .collect();

    let mut endpoint_map: Vec<(String, String)> = product
        .endpoints
        .regions
        .iter()
        .map(|(region, host)| (lit(region), lit(host)))
        .collect();
    endpoint_map.sort();

    let all_types = || {
        operations
            .iter()
            .flat_map(|op: &OperationModel| op.types.iter())
            .chain(components.iter())
    };
    let uses_string_enum = all_types().any(|t| matches!(t, TypeModel::Enum(e) if !e.integer));
    let uses_integer_enum = all_types().any(|t| matches!(t, TypeModel::Enum(e) if e.integer));
    let has_samples = operations.iter().any(|op| op.sample_lit.is_some());
    let request_id_response = operations
        .iter()
        .any(|op| op.shared_response_docs.is_some())
        .then(operation::request_id_response);
    let undocumented_error = operations
        .iter()
        .any(|op| op.shared_error_docs.is_some())
        .then(errors::undocumented);
    CrateModel {
        request_id_response,
        undocumented_error,
        has_samples,
        quick_start: quick_start(&operations),
        uses_string_enum,
        uses_integer_enum,
        dir_name: spec.dir_name.clone(),
        package_name: product.krate.name.clone(),
        lib_name,
        version: product.krate.version.clone(),
        product_code: product.product.clone(),
        product_code_lit: lit(&product.product),
        api_version: product.version.clone(),
        api_version_lit: lit(&product.version),
        display_name: docs::one_line(&product.name, &links),
        description: docs::crate_description(product),
        docs: docs::crate_docs(product, &links),
        readme_docs: docs::crate_docs(product, &readme_links),
        endpoint_rule: product.endpoints.rule.into(),
        default_endpoint_lit: lit(&product.endpoints.default),
        endpoint_map,
        scheme: product.protocol.into(),
        runtime: RuntimeDependency::from_source(
            options.runtime.as_ref().or(product.krate.runtime.as_ref()),
        ),
        repository: product.krate.repository.clone(),
        operations,
        components,
        shared_types,
        components_use_map,
        components_use_value,
        components_use_fmt,
    }
}

#[cfg(test)]
mod tests;
