//! Stage 3: the Rust-ready IR. Every decision about the generated code
//! (names, types, derives, docs, literals) is made here, so templates only
//! loop and print. Names come from [`crate::names`], prose from
//! [`crate::docs`].

use std::collections::BTreeMap;

use crate::docs::{self, Links};
use crate::names::reserved::{CLIENT, FROM_ENV, SEND, UNHANDLED, UNKNOWN};
use crate::names::{convert, NameKind, Namespace, Scope};
use crate::spec::{
    Components, EndpointRule, Location, Operation, ParamStyle, ProductSpec, RateLimitScope, Schema,
    Scheme, Type,
};

/// Path of the runtime crate as seen from a generated crate directory.
pub const RUNTIME_PATH: &str = "../../runtime";
pub const RUNTIME_VERSION: &str = "0.1.0";

#[derive(Debug, Clone)]
pub struct CrateModel {
    pub dir_name: String,
    pub package_name: String,
    pub lib_name: String,
    pub version: String,
    pub product_code_lit: String,
    pub api_version_lit: String,
    pub display_name: String,
    /// Cargo `description`, one line of plain text; render escapes it.
    pub description: String,
    pub docs: Vec<String>,
    pub endpoint_rule: &'static str,
    pub default_endpoint_lit: String,
    /// `(region literal, host literal)`, sorted by region.
    pub endpoint_map: Vec<(String, String)>,
    pub scheme: &'static str,
    pub runtime_path: String,
    pub runtime_version: &'static str,
    pub operations: Vec<OperationModel>,
    pub components: Vec<TypeModel>,
    pub components_use_map: bool,
    pub components_use_value: bool,
    pub components_use_fmt: bool,
    /// Which shared macros the crate needs (unused ones would warn).
    pub uses_string_enum: bool,
    pub uses_integer_enum: bool,
    /// Some operation has a sample body, so the test helper is needed.
    pub has_samples: bool,
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
    pub http_method: &'static str,
    pub path_lit: String,
    pub read_only: bool,
    pub qps_lit: String,
    pub deprecated_lit: Option<String>,
    /// One line for lists and the client method.
    pub summary: String,
    /// Full docs for the request type.
    pub docs: Vec<String>,
    /// Doc lines (with the doctest) for the client method.
    pub method_docs: Vec<String>,
    pub params: Vec<ParamModel>,
    pub required: Vec<ParamModel>,
    pub optional: Vec<ParamModel>,
    pub response_struct: StructModel,
    /// Nested structs and enums of this operation, in first-use order.
    pub types: Vec<TypeModel>,
    pub errors: Vec<ErrorVariantModel>,
    pub unhandled: String,
    pub sample_lit: Option<String>,
    /// JSON paths in the sample body that no response field models.
    pub sample_unmodelled: Vec<String>,
    pub uses_map: bool,
    pub uses_value: bool,
    pub uses_types: bool,
    pub uses_style: bool,
}

#[derive(Debug, Clone)]
pub struct ParamModel {
    pub field: String,
    pub wire_lit: String,
    pub location: &'static str,
    /// `Some` for arrays, objects and maps: sent with `push_structured`.
    pub style: Option<&'static str>,
    /// Type stored in the request (without `Option`).
    pub ty: String,
    /// Argument type of the setter or constructor.
    pub arg_ty: String,
    /// How the argument becomes `ty` (`.into()` or nothing).
    pub arg_conversion: &'static str,
    /// How a stored `&ty` becomes the wire `String`.
    pub to_wire: &'static str,
    pub docs: Vec<String>,
    /// One line for the constructor's argument list.
    pub summary: String,
    pub required: bool,
    /// Expression for the doctest (required params only).
    pub example_expr: String,
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
}

#[derive(Debug, Clone)]
pub struct FieldModel {
    pub name: String,
    pub wire_lit: String,
    /// Full field type, including `Option` where the field may be absent.
    pub ty: String,
    /// `#[serde(...)]` arguments besides `rename`, e.g. `default`.
    pub serde_extra: String,
    pub docs: Vec<String>,
}

#[derive(Debug, Clone)]
pub enum TypeModel {
    Struct(StructModel),
    Enum(EnumModel),
    Alias(AliasModel),
}

/// A named component that is neither an object nor an enum.
#[derive(Debug, Clone)]
pub struct AliasModel {
    pub name: String,
    pub ty: String,
    pub docs: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct EnumModel {
    pub name: String,
    pub docs: Vec<String>,
    /// `true` for integer values.
    pub integer: bool,
    /// `i32` or `i64` for integer enums.
    pub int_ty: &'static str,
    pub variants: Vec<VariantModel>,
    pub unknown: String,
}

#[derive(Debug, Clone)]
pub struct VariantModel {
    pub name: String,
    /// String literal or integer literal.
    pub value_lit: String,
    pub docs: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct ErrorVariantModel {
    pub name: String,
    pub code_lit: String,
    pub docs: Vec<String>,
}

/// Which derives a nested type needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Request,
    Response,
}

/// A Rust string literal for any text. Keeps readable Unicode but escapes
/// what rustc would reject or a reviewer could not see.
pub fn lit(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control()
                || matches!(c as u32, 0x200B..=0x200F | 0x202A..=0x202E | 0x2028 | 0x2029 | 0x2060..=0x2069 | 0xFEFF) =>
            {
                out.push_str(&format!("\\u{{{:x}}}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Choices that are not in the spec.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where the generated Cargo.toml finds the runtime crate.
    pub runtime_path: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            runtime_path: RUNTIME_PATH.to_owned(),
        }
    }
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
        names.push((module, method, request, response, error));
    }
    let mut component_scope = Scope::for_namespace(Namespace::TypesModule);
    let component_names: BTreeMap<String, String> = spec
        .components
        .schemas
        .keys()
        .map(|k| (k.clone(), component_scope.allocate(NameKind::Type, k)))
        .collect();

    let mut components = Vec::new();
    let mut components_use_map = false;
    let mut components_use_value = false;
    {
        let mut builder = TypeBuilder::new(
            &spec.components,
            &component_names,
            &links,
            component_scope.clone(),
            true,
        );
        for (wire, schema) in &spec.components.schemas {
            let name = component_names[wire].clone();
            builder.component(&name, schema);
        }
        // Shared types serve requests and responses alike.
        for model in &mut builder.types {
            if let TypeModel::Struct(model) = model {
                model.serialize = true;
                model.deserialize = true;
            }
        }
        components_use_map = components_use_map || builder.uses_map;
        components_use_value = components_use_value || builder.uses_value;
        components.extend(builder.types);
    }
    let components_use_fmt = components.iter().any(|t| matches!(t, TypeModel::Enum(_)));

    let operations: Vec<OperationModel> = spec
        .operations
        .iter()
        .zip(names)
        .map(|(op, (module, method, request, response, error))| {
            let ctx = OpNames {
                module,
                method,
                request,
                response,
                error,
                lib_name: lib_name.clone(),
            };
            operation(op, ctx, &spec.components, &component_names, &links)
        })
        .collect();

    let mut endpoint_map: Vec<(String, String)> = product
        .endpoints
        .regions
        .iter()
        .map(|(region, host)| (lit(region), lit(host)))
        .collect();
    endpoint_map.sort();

    let mut crate_docs = vec![format!(
        "Rust client for {} (`{}`, API version {}).",
        docs::one_line(&product.name, &links),
        docs::clean(&product.product),
        docs::clean(&product.version)
    )];
    if !product.description.is_empty() {
        crate_docs.push(String::new());
        crate_docs.extend(docs::markdown(&product.description, &links));
    }
    let all_types = || {
        operations
            .iter()
            .flat_map(|op: &OperationModel| op.types.iter())
            .chain(components.iter())
    };
    let uses_string_enum = all_types().any(|t| matches!(t, TypeModel::Enum(e) if !e.integer));
    let uses_integer_enum = all_types().any(|t| matches!(t, TypeModel::Enum(e) if e.integer));
    let has_samples = operations.iter().any(|op| op.sample_lit.is_some());
    CrateModel {
        has_samples,
        uses_string_enum,
        uses_integer_enum,
        dir_name: spec.dir_name.clone(),
        package_name: product.krate.name.clone(),
        lib_name,
        version: product.krate.version.clone(),
        product_code_lit: lit(&product.product),
        api_version_lit: lit(&product.version),
        display_name: docs::one_line(&product.name, &links),
        description: docs::clean(&format!(
            "Rust client for {} (API version {}), generated by acsgen",
            product.name, product.version
        ))
        .replace('\n', " "),
        docs: crate_docs,
        endpoint_rule: match product.endpoints.rule {
            EndpointRule::Regional => "Regional",
            EndpointRule::Central => "Central",
        },
        default_endpoint_lit: lit(&product.endpoints.default),
        endpoint_map,
        scheme: match product.protocol {
            Scheme::Https => "Https",
            Scheme::Http => "Http",
        },
        runtime_path: options.runtime_path.clone(),
        runtime_version: RUNTIME_VERSION,
        operations,
        components,
        components_use_map,
        components_use_value,
        components_use_fmt,
    }
}

struct OpNames {
    module: String,
    method: String,
    request: String,
    response: String,
    error: String,
    lib_name: String,
}

fn operation(
    op: &Operation,
    names: OpNames,
    components: &Components,
    component_names: &BTreeMap<String, String>,
    links: &Links,
) -> OperationModel {
    let mut type_scope = Scope::for_namespace(Namespace::OperationModule);
    for name in [&names.request, &names.response, &names.error] {
        type_scope.claim(name.clone());
    }
    let mut builder = TypeBuilder::new(components, component_names, links, type_scope, false);

    let mut field_scope = Scope::for_namespace(Namespace::RequestMembers);
    let mut params = Vec::with_capacity(op.parameters.len());
    for param in &op.parameters {
        let field = field_scope.allocate(NameKind::Value, &param.name);
        let ty = builder.rust_type(&param.name, &names.request, &param.schema, Side::Request);
        let resolved = builder.resolved_type(&param.schema);
        let structured = matches!(
            resolved,
            Some(Type::Array | Type::Object | Type::Map | Type::Any)
        );
        let style = structured.then(|| style_name(param.style.unwrap_or(ParamStyle::RepeatList)));
        let (arg_ty, arg_conversion) = match ty.as_str() {
            "String" => ("impl Into<String>".to_owned(), ".into()"),
            _ if builder.is_enum(&ty) => (format!("impl Into<{ty}>"), ".into()"),
            _ => (ty.clone(), ""),
        };
        let to_wire = if ty == "String" {
            ".clone()"
        } else {
            ".to_string()"
        };
        let schema_docs = schema_docs(&param.schema, links, Some(param_location(param.location)));
        let summary = docs::one_line(
            first_sentence(&param.schema.description).unwrap_or("No description in the spec."),
            links,
        );
        let example_expr = example_expr(&ty, &param.schema, builder.is_enum(&ty));
        params.push(ParamModel {
            field,
            wire_lit: lit(&param.name),
            location: location_name(param.location),
            style,
            ty,
            arg_ty,
            arg_conversion,
            to_wire,
            docs: schema_docs,
            summary,
            required: param.schema.required,
            example_expr,
        });
    }

    let response_struct = match &op.response {
        Some(response) => builder.struct_model(
            &names.response,
            &response.schema,
            Side::Response,
            vec![format!(
                "What a successful [`{}`](crate::{CLIENT}::{}) call returns.",
                op.name, names.method
            )],
        ),
        None => StructModel {
            name: names.response.clone(),
            default: true,
            docs: vec![format!(
                "What a successful [`{}`](crate::{CLIENT}::{}) call returns. The spec documents no fields besides the request ID.",
                op.name, names.method
            )],
            fields: vec![FieldModel {
                name: "request_id".into(),
                wire_lit: lit("RequestId"),
                ty: "Option<String>".into(),
                serde_extra: "default, skip_serializing_if = \"Option::is_none\"".into(),
                docs: vec!["ID the service gave this request.".into()],
            }],
            serialize: false,
            deserialize: true,
        },
    };

    let mut error_scope = Scope::for_namespace(Namespace::ErrorVariants);
    let mut by_code: BTreeMap<&str, usize> = BTreeMap::new();
    let mut errors: Vec<ErrorVariantModel> = Vec::new();
    for error in &op.errors {
        let row = format!(
            "HTTP {}{}{}",
            error.status,
            if error.message.is_empty() {
                String::new()
            } else {
                format!(", message {}", docs::code(&error.message))
            },
            if error.description.is_empty() {
                String::new()
            } else {
                format!(": {}", docs::one_line(&error.description, links))
            },
        );
        if let Some(&index) = by_code.get(error.code.as_str()) {
            // The same code under another status is one variant.
            errors[index].docs.push(String::new());
            errors[index].docs.push(row);
            continue;
        }
        by_code.insert(&error.code, errors.len());
        errors.push(ErrorVariantModel {
            name: error_scope.allocate(NameKind::Variant, &error.code),
            code_lit: lit(&error.code),
            docs: vec![format!("{}.", docs::code(&error.code)), String::new(), row],
        });
    }
    let unhandled = UNHANDLED.to_owned();

    let (sample_lit, sample_unmodelled) = match &op.response {
        Some(response) => match response.example.as_deref().and_then(|e| {
            serde_json::from_str::<serde_json::Value>(e)
                .ok()
                .map(|v| (e, v))
        }) {
            Some((text, value)) => {
                let mut missing = Vec::new();
                unmodelled(&value, &response.schema, components, "$", &mut missing);
                missing.sort();
                missing.dedup();
                (Some(lit(text)), missing.iter().map(|m| lit(m)).collect())
            }
            None => (None, Vec::new()),
        },
        None => (None, Vec::new()),
    };

    let docs = operation_docs(op, &names, &params, &errors, &unhandled, links);
    let summary = docs::one_line(&op.summary, links);
    let required: Vec<ParamModel> = params.iter().filter(|p| p.required).cloned().collect();
    let optional: Vec<ParamModel> = params.iter().filter(|p| !p.required).cloned().collect();
    let method_docs = method_docs(op, &names, &summary, &required);
    let uses_style = params.iter().any(|p| p.style.is_some());
    OperationModel {
        wire_name: op.name.clone(),
        action_lit: lit(&op.name),
        module: names.module,
        client_method: names.method,
        request: names.request,
        response: names.response,
        error: names.error,
        http_method: method_name(op.method),
        path_lit: lit(&op.path),
        read_only: op.read_only,
        qps_lit: op
            .rate_limit
            .as_ref()
            .map_or("None".to_owned(), |r| format!("Some({})", r.qps)),
        // Rustdoc renders deprecation notes as markdown.
        deprecated_lit: op.deprecated.as_ref().map(|d| {
            lit(&if d.note.is_empty() {
                "deprecated by the service".to_owned()
            } else {
                docs::one_line(&d.note, links)
            })
        }),
        summary,
        docs,
        method_docs,
        required,
        optional,
        params,
        response_struct,
        uses_map: builder.uses_map,
        uses_value: builder.uses_value,
        uses_types: builder.uses_components,
        uses_style,
        types: builder.types,
        errors,
        unhandled,
        sample_lit,
        sample_unmodelled,
    }
}

fn method_name(method: crate::spec::HttpMethod) -> &'static str {
    use crate::spec::HttpMethod::*;
    match method {
        Get => "Get",
        Post => "Post",
        Put => "Put",
        Delete => "Delete",
        Patch => "Patch",
        Head => "Head",
    }
}

fn location_name(location: Location) -> &'static str {
    match location {
        Location::Query => "Query",
        Location::Body => "Body",
        Location::Header => "Header",
        Location::Host => "Host",
        Location::Path => "Path",
    }
}

fn param_location(location: Location) -> &'static str {
    match location {
        Location::Query => "query string",
        Location::Body => "form body",
        Location::Header => "header",
        Location::Host => "host name",
        Location::Path => "path",
    }
}

fn style_name(style: ParamStyle) -> &'static str {
    match style {
        ParamStyle::RepeatList => "RepeatList",
        ParamStyle::Simple => "Simple",
        ParamStyle::Json => "Json",
        ParamStyle::Flat => "Flat",
        ParamStyle::SpaceDelimited => "SpaceDelimited",
        ParamStyle::PipeDelimited => "PipeDelimited",
    }
}

fn first_sentence(text: &str) -> Option<&str> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    Some(text.lines().next().unwrap_or(text))
}

/// A doctest expression for a required argument, from the spec's example.
fn example_expr(ty: &str, schema: &Schema, is_enum: bool) -> String {
    let example = schema.example.as_deref().map(str::trim);
    match ty {
        "String" => lit(example.unwrap_or("example")),
        "bool" => match example {
            Some("true") => "true".into(),
            _ => "false".into(),
        },
        "i32" | "i64" => example
            .and_then(|e| e.parse::<i64>().ok())
            .filter(|v| ty == "i64" || i32::try_from(*v).is_ok())
            .map_or("0".into(), |v| v.to_string()),
        "f32" | "f64" => example
            .and_then(|e| e.parse::<f64>().ok())
            .filter(|v| v.is_finite())
            .map_or("0.0".into(), |v| format!("{v:?}")),
        _ if is_enum => {
            let value = example
                .filter(|e| schema.enumeration.iter().any(|v| v.value == *e))
                .or_else(|| schema.enumeration.first().map(|v| v.value.as_str()))
                .unwrap_or("");
            if schema.ty.is_some_and(Type::is_integer) {
                value.parse::<i64>().map_or("0".into(), |v| v.to_string())
            } else {
                lit(value)
            }
        }
        _ => "Default::default()".into(),
    }
}

fn schema_docs(schema: &Schema, links: &Links, location: Option<&str>) -> Vec<String> {
    let mut lines = docs::markdown(&schema.description, links);
    if lines.is_empty() {
        lines.push("No description in the spec.".into());
    }
    let mut facts = Vec::new();
    if let Some(location) = location {
        facts.push(format!("Sent in the {location}."));
    }
    if let Some(example) = &schema.example {
        facts.push(format!("Example: {}.", docs::code(example)));
    }
    if let Some(default) = &schema.default {
        facts.push(format!("Default: {}.", docs::code(default)));
    }
    let number = |n: &serde_json::Number| n.to_string();
    facts.extend(bounds(
        "Range",
        schema.minimum.as_ref().map(number),
        schema.maximum.as_ref().map(number),
        "",
    ));
    facts.extend(bounds(
        "Length",
        schema.min_length.map(|n| n.to_string()),
        schema.max_length.map(|n| n.to_string()),
        " characters",
    ));
    facts.extend(bounds(
        "Items",
        schema.min_items.map(|n| n.to_string()),
        schema.max_items.map(|n| n.to_string()),
        "",
    ));
    if let Some(pattern) = &schema.pattern {
        facts.push(format!("Pattern: {}.", docs::code(pattern)));
    }
    if schema.deprecated {
        facts.push("**Deprecated** by the service.".into());
    }
    if !facts.is_empty() {
        lines.push(String::new());
        lines.push(facts.join(" "));
    }
    if !schema.enumeration.is_empty() {
        lines.push(String::new());
        lines.push("Valid values:".into());
        for value in &schema.enumeration {
            let description = if value.description.is_empty() {
                String::new()
            } else {
                format!(": {}", docs::one_line(&value.description, links))
            };
            lines.push(format!("- {}{description}", docs::code(&value.value)));
        }
    }
    lines
}

/// `Length: 1 to 64 characters.`, `Range: at least 0.`: one constraint pair.
fn bounds(what: &str, min: Option<String>, max: Option<String>, unit: &str) -> Option<String> {
    match (min, max) {
        (Some(min), Some(max)) => Some(format!("{what}: {min} to {max}{unit}.")),
        (Some(min), None) => Some(format!("{what}: at least {min}{unit}.")),
        (None, Some(max)) => Some(format!("{what}: at most {max}{unit}.")),
        (None, None) => None,
    }
}

fn operation_docs(
    op: &Operation,
    names: &OpNames,
    params: &[ParamModel],
    errors: &[ErrorVariantModel],
    unhandled: &str,
    links: &Links,
) -> Vec<String> {
    let mut lines = docs::markdown(&op.summary, links);
    lines.push(String::new());
    lines.push(format!(
        "Action `{}`, sent as HTTP {} to `{}`{}. Send it with [`{CLIENT}::{}`](crate::{CLIENT}::{}).",
        docs::clean(&op.name),
        op.method.as_str(),
        docs::clean(&op.path).replace('`', ""),
        if op.read_only {
            "; read-only, so it is retried after server errors"
        } else {
            ""
        },
        names.method,
        names.method
    ));
    if let Some(deprecation) = &op.deprecated {
        lines.push(String::new());
        lines.push(format!(
            "**Deprecated.** {}",
            if deprecation.note.is_empty() {
                "The service marks this operation as deprecated.".to_owned()
            } else {
                docs::one_line(&deprecation.note, links)
            }
        ));
    }
    if !op.description.is_empty() {
        lines.push(String::new());
        lines.extend(docs::markdown(&op.description, links));
    }
    if let Some(limit) = &op.rate_limit {
        lines.push(String::new());
        lines.push("# Rate limit".into());
        lines.push(String::new());
        let scope = match limit.scope {
            RateLimitScope::Account => "per account",
            RateLimitScope::User => "per user",
            RateLimitScope::Api => "for the whole API",
        };
        lines.push(format!(
            "At most {} calls per second {scope}; calls beyond that are throttled. The client can smooth bursts to this rate (see the runtime's rate limiting option).",
            limit.qps
        ));
    }
    lines.push(String::new());
    lines.push("# Authorization".into());
    lines.push(String::new());
    if op.authorization.is_empty() {
        lines.push(
            "The service publishes no RAM authorization information for this operation.".into(),
        );
    } else {
        lines.push("| RAM action | Access level | Resource |".into());
        lines.push("|---|---|---|".into());
        for auth in &op.authorization {
            lines.push(format!(
                "| {} | {} | {} |",
                docs::code(&auth.action),
                docs::one_line(&auth.access_level, links),
                docs::one_line(&auth.resource, links)
            ));
        }
    }
    lines.push(String::new());
    lines.push("# Parameters".into());
    lines.push(String::new());
    if params.is_empty() {
        lines.push("None.".into());
    } else {
        lines.push("| Parameter | Rust | Type | Required | Description |".into());
        lines.push("|---|---|---|---|---|".into());
        for (param, spec) in params.iter().zip(&op.parameters) {
            let example = spec
                .schema
                .example
                .as_ref()
                .map_or(String::new(), |e| format!(" Example: {}.", docs::code(e)));
            let values = if spec.schema.enumeration.is_empty() {
                String::new()
            } else {
                format!(
                    " Valid values: {}.",
                    spec.schema
                        .enumeration
                        .iter()
                        .map(|v| docs::code(&v.value))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            let rust = if param.required {
                format!("`{}` (argument)", param.field)
            } else {
                format!("[`{}`]({}::{})", param.field, names.request, param.field)
            };
            lines.push(format!(
                "| {} | {rust} | {} | {} | {}{example}{values} |",
                docs::code(&spec.name),
                type_label(&spec.schema),
                if param.required { "yes" } else { "no" },
                docs::one_line(&spec.schema.description, links),
            ));
        }
    }
    lines.push(String::new());
    lines.push("# Errors".into());
    lines.push(String::new());
    lines.push(format!(
        "Service errors arrive as [`{}`]; codes not listed here as [`{}::{unhandled}`].",
        names.error, names.error
    ));
    if !op.errors.is_empty() {
        lines.push(String::new());
        lines.push("| HTTP status | Code | Message | Description |".into());
        lines.push("|---|---|---|---|".into());
        for error in &op.errors {
            let variant = errors
                .iter()
                .find(|v| v.code_lit == lit(&error.code))
                .map_or(String::new(), |v| {
                    format!(" ([`{}`]({}::{}))", v.name, names.error, v.name)
                });
            lines.push(format!(
                "| {} | {}{variant} | {} | {} |",
                error.status,
                docs::code(&error.code),
                if error.message.is_empty() {
                    String::new()
                } else {
                    docs::code(&error.message)
                },
                docs::one_line(&error.description, links)
            ));
        }
    }
    if !op.changes.is_empty() {
        lines.push(String::new());
        lines.push("# Change history".into());
        lines.push(String::new());
        lines.push("| Date | Change |".into());
        lines.push("|---|---|".into());
        for change in &op.changes {
            lines.push(format!(
                "| {} | {} |",
                docs::one_line(&change.date, links),
                docs::one_line(&change.summary, links)
            ));
        }
    }
    lines
}

fn method_docs(
    op: &Operation,
    names: &OpNames,
    summary: &str,
    required: &[ParamModel],
) -> Vec<String> {
    let mut lines = vec![
        summary.to_owned(),
        String::new(),
        format!(
            "Required parameters are the arguments; set optional ones on the returned [`{}`](crate::{}), which documents every parameter, limit and error.",
            names.request, names.request
        ),
    ];
    if !required.is_empty() {
        lines.push(String::new());
        for param in required {
            lines.push(format!("- `{}`: {}", param.field, param.summary));
        }
    }
    lines.push(String::new());
    lines.push("# Example".into());
    lines.push(String::new());
    lines.push("```no_run".into());
    lines.push("# async fn example() -> Result<(), Box<dyn std::error::Error>> {".into());
    lines.push(format!(
        "let client = {}::{CLIENT}::{FROM_ENV}()?;",
        names.lib_name
    ));
    let args: Vec<&str> = required.iter().map(|p| p.example_expr.as_str()).collect();
    lines.push(format!(
        "let response = client.{}({}).{SEND}().await?;",
        names.method,
        args.join(", ")
    ));
    lines.push("println!(\"{response:?}\");".into());
    lines.push("# Ok(())".into());
    lines.push("# }".into());
    lines.push("```".into());
    let _ = op;
    lines
}

fn type_label(schema: &Schema) -> String {
    match (&schema.ty, &schema.reference) {
        (Some(Type::Array), _) => format!(
            "array of {}",
            schema.items.as_deref().map_or("string".into(), type_label)
        ),
        (Some(Type::Map), _) => format!(
            "map of {}",
            schema.values.as_deref().map_or("string".into(), type_label)
        ),
        (Some(ty), _) => ty.as_str().to_owned(),
        (None, Some(name)) => docs::clean(name).replace('|', ""),
        (None, None) => "any".into(),
    }
}

/// JSON paths of `value` that `schema` does not model (for the sample test).
fn unmodelled(
    value: &serde_json::Value,
    schema: &Schema,
    components: &Components,
    path: &str,
    out: &mut Vec<String>,
) {
    let schema = match &schema.reference {
        Some(name) => match components.schemas.get(name) {
            Some(target) => target,
            None => return,
        },
        None => schema,
    };
    match (value, schema.ty) {
        (serde_json::Value::Object(map), Some(Type::Object)) => {
            for (key, child) in map {
                if child.is_null() {
                    continue;
                }
                let child_path = format!("{path}.{key}");
                match schema.properties.get(key) {
                    Some(property) => unmodelled(child, property, components, &child_path, out),
                    None => out.push(child_path),
                }
            }
        }
        (serde_json::Value::Object(map), Some(Type::Map)) => {
            if let Some(values) = &schema.values {
                for (key, child) in map {
                    unmodelled(child, values, components, &format!("{path}.{key}"), out);
                }
            }
        }
        (serde_json::Value::Array(items), Some(Type::Array)) => {
            if let Some(item_schema) = &schema.items {
                for item in items {
                    unmodelled(item, item_schema, components, &format!("{path}[]"), out);
                }
            }
        }
        _ => {}
    }
}

/// Allocates nested types of one module (an operation, or `types`).
struct TypeBuilder<'a> {
    components: &'a Components,
    component_names: &'a BTreeMap<String, String>,
    links: &'a Links,
    scope: Scope,
    types: Vec<TypeModel>,
    /// Shape key -> index in `types`, so identical shapes share one type.
    shapes: BTreeMap<String, usize>,
    in_components: bool,
    uses_map: bool,
    uses_value: bool,
    uses_components: bool,
}

impl<'a> TypeBuilder<'a> {
    fn new(
        components: &'a Components,
        component_names: &'a BTreeMap<String, String>,
        links: &'a Links,
        scope: Scope,
        in_components: bool,
    ) -> Self {
        TypeBuilder {
            components,
            component_names,
            links,
            scope,
            types: Vec::new(),
            shapes: BTreeMap::new(),
            in_components,
            uses_map: false,
            uses_value: false,
            uses_components: false,
        }
    }

    fn resolved_type(&self, schema: &Schema) -> Option<Type> {
        crate::validate::resolve_type(schema, self.components)
    }

    fn is_enum(&self, ty: &str) -> bool {
        self.types
            .iter()
            .any(|t| matches!(t, TypeModel::Enum(e) if e.name == ty))
    }

    /// A component schema under its allocated name.
    fn component(&mut self, name: &str, schema: &Schema) {
        let docs = vec![format!("Shared type `{name}`.")];
        match schema.ty {
            Some(Type::Object) => {
                let model = self.struct_model(name, schema, Side::Response, docs);
                self.types.push(TypeModel::Struct(StructModel {
                    serialize: true,
                    deserialize: true,
                    ..model
                }));
            }
            _ if !schema.enumeration.is_empty() => {
                let model = self.enum_model(name, schema);
                self.types.push(TypeModel::Enum(model));
            }
            _ => {
                // A component that is not an object or enum is an alias.
                let ty = self.rust_type(name, name, schema, Side::Response);
                let mut docs = vec![format!("Shared type `{name}`.")];
                let description = crate::docs::markdown(&schema.description, self.links);
                if !description.is_empty() {
                    // Blocks (a list not starting at 1) cannot follow a line directly.
                    docs.push(String::new());
                    docs.extend(description);
                }
                self.types.push(TypeModel::Alias(AliasModel {
                    name: name.to_owned(),
                    ty,
                    docs,
                }));
            }
        }
    }

    /// The Rust type for `schema`; nested structs and enums are named from
    /// `hint` (the wire name of the field) and, on a clash, `parent`.
    fn rust_type(&mut self, hint: &str, parent: &str, schema: &Schema, side: Side) -> String {
        if let Some(reference) = &schema.reference {
            let name = self
                .component_names
                .get(reference)
                .cloned()
                .unwrap_or_else(|| "Value".into());
            if name == "Value" {
                self.uses_value = true;
                return name;
            }
            self.uses_components = true;
            return if self.in_components {
                // Components may refer to each other in cycles.
                format!("Box<{name}>")
            } else {
                format!("types::{name}")
            };
        }
        match schema.ty.unwrap_or(Type::Any) {
            Type::String | Type::Int32 | Type::Int64 if !schema.enumeration.is_empty() => self
                .named(hint, parent, schema, side, |builder, name| {
                    TypeModel::Enum(builder.enum_model(name, schema))
                }),
            Type::String | Type::Binary => "String".into(),
            Type::Int32 => "i32".into(),
            Type::Int64 => "i64".into(),
            Type::Float => "f32".into(),
            Type::Double => "f64".into(),
            Type::Boolean => "bool".into(),
            Type::Any => {
                self.uses_value = true;
                "Value".into()
            }
            Type::Array => {
                let item = match &schema.items {
                    Some(items) => self.rust_type(hint, parent, items, side),
                    None => "String".into(),
                };
                let item = item
                    .strip_prefix("Box<")
                    .and_then(|s| s.strip_suffix('>'))
                    .map(str::to_owned)
                    .unwrap_or(item);
                format!("Vec<{item}>")
            }
            Type::Map => {
                self.uses_map = true;
                let value = match &schema.values {
                    Some(values) => self.rust_type(hint, parent, values, side),
                    None => "String".into(),
                };
                let value = value
                    .strip_prefix("Box<")
                    .and_then(|s| s.strip_suffix('>'))
                    .map(str::to_owned)
                    .unwrap_or(value);
                format!("BTreeMap<String, {value}>")
            }
            Type::Object if schema.properties.is_empty() => {
                self.uses_value = true;
                "Value".into()
            }
            Type::Object => self.named(hint, parent, schema, side, |builder, name| {
                let docs = vec![format!(
                    "Fields of `{}`.",
                    docs::clean(hint).replace('`', "")
                )];
                TypeModel::Struct(builder.struct_model(name, schema, side, docs))
            }),
        }
    }

    /// Allocate (or reuse, for an identical shape) a named nested type.
    fn named(
        &mut self,
        hint: &str,
        parent: &str,
        schema: &Schema,
        side: Side,
        make: impl FnOnce(&mut Self, &str) -> TypeModel,
    ) -> String {
        let key = format!("{hint}\u{0}{schema:?}");
        if let Some(&index) = self.shapes.get(&key) {
            self.mark_side(index, side);
            return type_name(&self.types[index]).to_owned();
        }
        let base = convert(NameKind::Type, hint);
        let name = if self.scope.is_taken(&base) {
            self.scope.claim(format!(
                "{}{base}",
                parent
                    .trim_end_matches("Request")
                    .trim_end_matches("Response")
            ))
        } else {
            self.scope.claim(base)
        };
        // Reserve the slot first so recursive shapes see the name.
        let index = self.types.len();
        self.types.push(TypeModel::Struct(StructModel {
            name: name.clone(),
            default: true,
            docs: Vec::new(),
            fields: Vec::new(),
            serialize: false,
            deserialize: false,
        }));
        self.shapes.insert(key, index);
        let model = make(self, &name);
        self.types[index] = model;
        self.mark_side(index, side);
        name
    }

    fn mark_side(&mut self, index: usize, side: Side) {
        if let TypeModel::Struct(model) = &mut self.types[index] {
            match side {
                Side::Request => model.serialize = true,
                Side::Response => model.deserialize = true,
            }
        }
    }

    fn struct_model(
        &mut self,
        name: &str,
        schema: &Schema,
        side: Side,
        docs: Vec<String>,
    ) -> StructModel {
        let mut field_scope = Scope::for_namespace(Namespace::StructFields);
        let mut fields = Vec::with_capacity(schema.properties.len());
        for (wire, property) in &schema.properties {
            let field = field_scope.allocate(NameKind::Value, wire);
            let inner = self.rust_type(wire, name, property, side);
            let collection = inner.starts_with("Vec<") || inner.starts_with("BTreeMap<");
            let is_vec = inner.starts_with("Vec<");
            let (ty, serde_extra) = if collection {
                (
                    inner,
                    match side {
                        Side::Request if is_vec => {
                            "default, skip_serializing_if = \"Vec::is_empty\"".into()
                        }
                        Side::Request => {
                            "default, skip_serializing_if = \"BTreeMap::is_empty\"".into()
                        }
                        Side::Response => "default".into(),
                    },
                )
            } else if property.required && side == Side::Request {
                (inner, String::new())
            } else {
                (
                    format!("Option<{inner}>"),
                    "default, skip_serializing_if = \"Option::is_none\"".into(),
                )
            };
            fields.push(FieldModel {
                name: field,
                wire_lit: lit(wire),
                ty,
                serde_extra,
                docs: schema_docs(property, self.links, None),
            });
        }
        let mut docs = docs;
        if !schema.description.is_empty() && !self.in_components {
            docs.push(String::new());
            docs.extend(crate::docs::markdown(&schema.description, self.links));
        }
        let default = fields.iter().all(|f| has_default(&f.ty));
        StructModel {
            name: name.to_owned(),
            default,
            docs,
            fields,
            serialize: side == Side::Request,
            deserialize: side == Side::Response,
        }
    }

    fn enum_model(&mut self, name: &str, schema: &Schema) -> EnumModel {
        let integer = schema.ty.is_some_and(Type::is_integer);
        let mut variant_scope = Scope::for_namespace(Namespace::EnumVariants);
        let variants = schema
            .enumeration
            .iter()
            .map(|value| {
                let mut docs = vec![format!("{}.", docs::code(&value.value))];
                if !value.description.is_empty() {
                    docs.push(String::new());
                    docs.extend(docs::markdown(&value.description, self.links));
                }
                VariantModel {
                    name: variant_scope.allocate(NameKind::Variant, &value.value),
                    value_lit: if integer {
                        crate::validate::parse_integer(
                            schema.ty.unwrap_or(Type::Int64),
                            &value.value,
                        )
                        .unwrap_or_default()
                        .to_string()
                    } else {
                        lit(&value.value)
                    },
                    docs,
                }
            })
            .collect();
        let mut docs = docs::markdown(&schema.description, self.links);
        if docs.is_empty() {
            docs.push(format!("Valid values of `{}`.", docs::clean(name)));
        }
        docs.push(String::new());
        docs.push("Values this crate does not know yet are kept, not rejected, so a new value from the service does not break decoding.".into());
        EnumModel {
            name: name.to_owned(),
            docs,
            integer,
            int_ty: if schema.ty == Some(Type::Int32) {
                "i32"
            } else {
                "i64"
            },
            variants,
            unknown: UNKNOWN.to_owned(),
        }
    }
}

fn has_default(ty: &str) -> bool {
    ty.starts_with("Option<")
        || ty.starts_with("Vec<")
        || ty.starts_with("BTreeMap<")
        || matches!(
            ty,
            "String" | "i32" | "i64" | "f32" | "f64" | "bool" | "Value"
        )
}

fn type_name(model: &TypeModel) -> &str {
    match model {
        TypeModel::Struct(s) => &s.name,
        TypeModel::Enum(e) => &e.name,
        TypeModel::Alias(a) => &a.name,
    }
}
