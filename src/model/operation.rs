//! One operation: its request parameters, response struct, nested types,
//! error enum and sample test, as IR.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use crate::docs::{self, Links};
use crate::names::reserved::UNHANDLED;
use crate::names::{NameKind, Namespace, Scope};
use crate::spec::{Components, Location, Operation, ParamStyle, Schema, Type};

use super::builder::{Home, SharedTable, Side, TypeBuilder};
use super::lit::lit;
use super::types::{NamedKind, RustType, TypeModule};
use super::{
    errors, samples, Example, FieldModel, OpNames, OperationModel, ParamModel, SerdeAttrs,
    StructModel, TypeModel,
};

/// What every operation sees of the whole product.
pub(super) struct Shared<'a> {
    pub components: &'a Components,
    pub component_names: &'a BTreeMap<String, String>,
    /// The shared types as built, for examples naming their variants.
    pub models: &'a [TypeModel],
    /// Names of the nested shapes in `models` shared by operations.
    pub shared_types: &'a [String],
    /// Those shapes, for the builder to use instead of defining them.
    pub table: &'a SharedTable,
    pub links: &'a Links,
}

pub(super) fn operation(op: &Operation, names: OpNames, shared: &Shared) -> OperationModel {
    let links = shared.links;
    let mut type_scope = Scope::for_namespace(Namespace::OperationModule);
    for name in [&names.request, &names.response, &names.error] {
        type_scope.claim(name.clone());
    }
    let mut builder = TypeBuilder::new(
        shared.components,
        shared.component_names,
        links,
        type_scope,
        Home::Operation,
        Cow::Borrowed(shared.table),
    );

    let mut field_scope = Scope::for_namespace(Namespace::RequestMembers);
    let mut params = Vec::with_capacity(op.parameters.len());
    for param in &op.parameters {
        let field = field_scope.allocate(NameKind::Value, &param.name);
        let ty = builder.rust_type(&param.name, &names.request, &param.schema, Side::Request);
        let structured = matches!(
            shared.components.resolve(&param.schema).ty,
            Some(Type::Array | Type::Object | Type::Map | Type::Any)
        );
        let style = structured.then(|| style_name(param.style.unwrap_or(ParamStyle::RepeatList)));
        let example = example(&ty, &param.schema, shared, &names.lib_name);
        params.push(ParamModel {
            field,
            wire_lit: lit(&param.name),
            location: location_name(param.location),
            style,
            conversion: ty.conversion(),
            ty,
            docs: docs::parameter_docs(&param.schema, param.location, links),
            summary: docs::parameter_summary(&param.schema, links),
            required: param.schema.required,
            example,
        });
    }

    let response_struct = match &op.response {
        Some(response) => builder.struct_model(
            &names.response,
            &response.schema,
            Side::Response,
            docs::response_docs(op, &names),
        ),
        None => StructModel {
            name: names.response.clone(),
            default: true,
            docs: docs::empty_response_docs(op, &names),
            fields: vec![FieldModel {
                name: "request_id".into(),
                wire_lit: lit("RequestId"),
                ty: RustType::option(RustType::String),
                serde: SerdeAttrs::DefaultSkipEmpty,
                docs: vec![docs::REQUEST_ID_DOC.into()],
            }],
            serialize: false,
            deserialize: true,
        },
    };

    let errors = errors::variants(op, links);
    let unhandled = UNHANDLED.to_owned();
    let (sample_lit, sample_unmodelled) = match &op.response {
        Some(response) => samples::sample_test(response, shared.components),
        None => (None, Vec::new()),
    };

    let docs = docs::operation_docs(op, &names, &params, &errors, &unhandled, links);
    let summary = docs::one_line(&op.summary, links);
    let required: Vec<ParamModel> = params.iter().filter(|p| p.required).cloned().collect();
    let optional: Vec<ParamModel> = params.iter().filter(|p| !p.required).cloned().collect();
    let method_docs = docs::method_docs(&names, &summary, &required);
    let uses_style = params.iter().any(|p| p.style.is_some());
    let reexports = reexports(&builder, shared);
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
        qps: op.rate_limit.as_ref().map(|r| r.qps),
        deprecated_lit: op
            .deprecated
            .as_ref()
            .map(|d| lit(&docs::deprecation_note(d, links))),
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
        reexports,
        errors,
        unhandled,
        sample_lit,
        sample_unmodelled,
    }
}

/// The shared types the operation uses and those nested in them (which
/// were its own nested types before they were shared), where the name is
/// free in its module.
fn reexports(builder: &TypeBuilder, shared: &Shared) -> Vec<String> {
    let mut found = BTreeSet::new();
    let mut pending: Vec<String> = builder.shared_used.iter().cloned().collect();
    while let Some(name) = pending.pop() {
        if !shared.shared_types.contains(&name) || !found.insert(name.clone()) {
            continue;
        }
        if let Some(TypeModel::Struct(model)) = shared.models.iter().find(|t| t.name() == name) {
            pending.extend(
                model
                    .fields
                    .iter()
                    .filter_map(|f| f.ty.innermost_named())
                    .map(|n| n.name.clone()),
            );
        }
    }
    found
        .into_iter()
        .filter(|name| !builder.is_taken(name))
        .collect()
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

/// A doctest value for a required argument of type `ty`, from the spec's
/// example where it fits.
fn example(ty: &RustType, schema: &Schema, shared: &Shared, lib_name: &str) -> Example {
    let example = schema.example.as_deref().map(str::trim);
    match ty {
        RustType::String => Example::Text(example.unwrap_or("example").to_owned()),
        RustType::Bool => Example::Bool(example == Some("true")),
        RustType::I32 | RustType::I64 => Example::Integer(
            example
                .and_then(|e| e.parse::<i64>().ok())
                .filter(|v| *ty == RustType::I64 || i32::try_from(*v).is_ok())
                .unwrap_or(0),
        ),
        RustType::F32 | RustType::F64 => Example::Float(
            example
                .and_then(|e| e.parse::<f64>().ok())
                .filter(|v| v.is_finite())
                .unwrap_or(0.0),
        ),
        RustType::Named(named) if named.kind == NamedKind::Enum => match named.module {
            // A nested enum takes its wire value through `Into`.
            TypeModule::Same => {
                let value = example
                    .filter(|e| schema.enumeration.iter().any(|v| v.value == *e))
                    .or_else(|| schema.enumeration.first().map(|v| v.value.as_str()))
                    .unwrap_or("");
                if schema.ty.is_some_and(Type::is_integer) {
                    Example::Integer(value.parse::<i64>().unwrap_or(0))
                } else {
                    Example::Text(value.to_owned())
                }
            }
            // A shared enum is named by its variant, which works for
            // integer enums of any width too.
            TypeModule::Shared => shared_variant(&named.name, example, schema, shared, lib_name),
        },
        _ => Example::Default,
    }
}

/// The variant of shared enum `enum_name` whose value is the example (given
/// at the use or on the component), else its first variant.
fn shared_variant(
    enum_name: &str,
    example: Option<&str>,
    schema: &Schema,
    shared: &Shared,
    lib_name: &str,
) -> Example {
    let Some(model) = shared.models.iter().find_map(|t| match t {
        TypeModel::Enum(e) if e.name == enum_name => Some(e),
        _ => None,
    }) else {
        return Example::Default;
    };
    let component_example = shared.components.resolve(schema).schema.example.as_deref();
    let wanted = example.or(component_example.map(str::trim));
    let variant = wanted
        .and_then(|w| model.variants.iter().find(|v| v.wire == w))
        .or_else(|| model.variants.first());
    match variant {
        Some(variant) => Example::SharedVariant {
            lib_name: lib_name.to_owned(),
            enum_name: model.name.clone(),
            variant: variant.name.clone(),
        },
        None => Example::Default,
    }
}
