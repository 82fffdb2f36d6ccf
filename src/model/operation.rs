//! One operation: its request parameters, response struct, nested types,
//! error enum and sample test, as IR.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use crate::docs::{self, Links};
use crate::names::reserved::{REQUEST_ID_RESPONSE, TEST_SETTER_PREFIX, UNHANDLED};
use crate::names::{NameKind, Namespace, Scope};
use crate::spec::{Components, Location, Operation, ParamStyle, Type};

use super::builder::{example_text, Home, SharedTable, Side, TypeBuilder};
use super::lit::lit;
use super::types::RustType;
use super::{
    errors, examples, samples, FieldModel, OpNames, OperationModel, ParamModel, SerdeAttrs,
    StructModel, TypeModel, WholeBody,
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
    pub readme_links: &'a Links,
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
        // A raw body is bytes whatever its schema says of the JSON form.
        let ty = match param.location {
            Location::Stream => RustType::Bytes,
            _ => builder.rust_type(&param.name, &names.request, &param.schema, Side::Request),
        };
        let structured = matches!(
            shared.components.resolve(&param.schema).ty,
            Some(Type::Array | Type::Object | Type::Map | Type::Any)
        );
        // A JSON-body field is a JSON value whatever its type: no style.
        let style = (structured && !matches!(param.location, Location::Json | Location::JsonBody))
            .then(|| param.style.unwrap_or(ParamStyle::RepeatList).into());
        let scope = examples::Scope {
            lib_name: &names.lib_name,
            module: &names.module,
            local: &builder.types,
            shared: shared.models,
        };
        let example_text = example_text(shared.components, &param.schema);
        let example = examples::argument(&ty, example_text.as_deref(), &scope);
        params.push(ParamModel {
            field,
            wire_lit: lit(&param.name),
            location: param.location.into(),
            style,
            conversion: ty.conversion(),
            ty,
            docs: docs::parameter_docs(&param.schema, param.location, links),
            summary: docs::parameter_summary(&param.schema, links),
            required: param.schema.required,
            // A binary body's example is prose, so its doctest value is a placeholder.
            spec_example: example_text.is_some() && param.location != Location::Stream,
            example,
        });
    }

    let whole_body = op
        .response
        .as_ref()
        .and_then(|r| WholeBody::of(r.schema.ty));
    let mut response_struct = match (&op.response, whole_body) {
        (Some(response), Some(body)) => builder.whole_body_model(
            &names.response,
            &response.schema,
            body,
            docs::response_docs(op, &names),
        ),
        (Some(response), None) => builder.struct_model(
            &names.response,
            &response.schema,
            Side::Response,
            docs::response_docs(op, &names),
        ),
        (None, _) => StructModel {
            fields: vec![request_id_field()],
            ..request_id_response_named(
                names.response.clone(),
                docs::empty_response_docs(op, &names),
            )
        },
    };
    if let Some(response) = &op.response {
        builder.add_header_fields(&mut response_struct, &response.headers);
    }
    let shared_response_docs = is_request_id_only(&response_struct)
        .then(|| docs::shared_response_docs(response_struct.docs.clone()));

    let errors = errors::variants(op, links);
    let unhandled = UNHANDLED.to_owned();
    let shared_error_docs = errors
        .is_empty()
        .then(|| docs::shared_error_docs(&op.name, &names.method));
    let error_docs = docs::error_enum_docs(&op.name, &names.method);
    // A text body's sample is not JSON, so there is nothing to round-trip.
    let (sample_lit, sample_unmodelled) = match &op.response {
        Some(response) if whole_body.is_none_or(WholeBody::is_json) => {
            samples::sample_test(response, shared.components)
        }
        _ => (None, Vec::new()),
    };

    let docs = docs::operation_docs(op, &names, &params, &errors, &unhandled, links);
    let summary = docs::summary(op, links);
    let readme_summary = docs::summary(op, shared.readme_links);
    let docs_url = shared
        .readme_links
        .operations
        .get(&op.name)
        .cloned()
        .unwrap_or_default();
    let required: Vec<ParamModel> = params.iter().filter(|p| p.required).cloned().collect();
    let optional: Vec<ParamModel> = params.iter().filter(|p| !p.required).cloned().collect();
    let method_docs = docs::method_docs(&names, &summary, &required);
    let uses_style = params.iter().any(|p| p.style.is_some());
    let reexports = reexports(&builder, shared);
    // Validation checked every name the block gives, so the model has them.
    let pagination = op.pagination.as_ref().map(|block| {
        super::pagination::model(
            block,
            &names,
            &params,
            &required,
            &response_struct,
            &builder.types,
            shared.models,
        )
        .unwrap_or_else(|| panic!("{}: validated pagination block not in the model", op.name))
    });
    OperationModel {
        wire_name: op.name.clone(),
        action_lit: lit(&op.name),
        module: names.module,
        client_method: names.method,
        request: names.request,
        response: names.response,
        error: names.error.clone(),
        http_method: op.method.into(),
        path_lit: lit(&op.path),
        read_only: op.read_only,
        qps: op.rate_limit.as_ref().map(|r| r.qps),
        deprecated_lit: op
            .deprecated
            .as_ref()
            .map(|d| lit(&docs::deprecation_note(d, links))),
        summary,
        readme_summary,
        docs_url,
        docs,
        method_docs,
        new_has_many_arguments: super::has_many_arguments(required.len()),
        method_has_many_arguments: super::has_many_arguments(required.len() + 1),
        required,
        optional,
        params,
        response_struct,
        uses_map: builder.uses_map
            || pagination
                .as_ref()
                .is_some_and(|pages| pages.item.contains(&|t| matches!(t, RustType::Map(_)))),
        // A paginator's item may be a `Value` (or map) held by a shared type.
        uses_value: builder.uses_value
            || pagination
                .as_ref()
                .is_some_and(|pages| pages.item.contains(&|t| *t == RustType::Value)),
        uses_types: builder.uses_components,
        uses_style,
        pagination,
        types: builder.types,
        reexports,
        error_enum: super::ErrorEnumModel {
            name: names.error,
            docs: error_docs,
            variants: errors,
            unhandled,
            unhandled_docs: docs::unhandled_docs(),
        },
        shared_response_docs,
        shared_error_docs,
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

/// The `request_id` field of a response that documents nothing else.
fn request_id_field() -> FieldModel {
    FieldModel {
        name: "request_id".into(),
        test_setter: format!("{TEST_SETTER_PREFIX}request_id"),
        wire_lit: lit("RequestId"),
        ty: RustType::option(RustType::String),
        serde: SerdeAttrs::DefaultSkipEmpty,
        docs: vec![docs::REQUEST_ID_DOC.into()],
        example: None,
        from_header: false,
    }
}

fn request_id_response_named(name: String, docs: Vec<String>) -> StructModel {
    StructModel {
        name,
        default: true,
        docs,
        fields: vec![request_id_field()],
        serialize: false,
        deserialize: true,
        whole_body: None,
    }
}

/// `types::RequestIdResponse`, shared by every response that is only a request ID.
pub(super) fn request_id_response() -> StructModel {
    request_id_response_named(
        REQUEST_ID_RESPONSE.to_owned(),
        docs::request_id_response_docs(),
    )
}

/// A response struct whose one field is the request ID, typed as the shared
/// struct types it (field docs may differ: the shared struct has its own).
fn is_request_id_only(response: &StructModel) -> bool {
    let shared = request_id_field();
    matches!(
        response.fields.as_slice(),
        [field] if field.name == shared.name
            && field.wire_lit == shared.wire_lit
            && field.ty == shared.ty
            && !response.serialize
    )
}
