//! An operation's `pagination` block as IR: the request fields its token
//! or page number goes into, and Rust expressions reading the next token,
//! total count, "has more" flag and items from a response (a path of
//! optional nested structs), so the template only prints them.
//!
//! The generated part is one `Paginate` impl of one-line functions; the
//! paging itself is `acsgen_runtime::paginate::Paginator`.

use crate::spec::Pagination;

use super::lit::lit;
use super::types::{NamedKind, RustType, TypeModule};
use super::{OpNames, ParamModel, StructModel, TypeModel};

/// Everything the template prints for a paginated operation.
#[derive(Debug, Clone)]
pub struct PaginationModel {
    /// Type of one item, as written in the operation module.
    pub item: RustType,
    /// `Token` or `PageNumber`, with the wire names for messages.
    pub paging: Paging,
    /// Token paging: the request field the token goes into.
    pub token_field: Option<String>,
    /// Token paging: `Option<String>` expression over `response`.
    pub next_token: Option<String>,
    /// Page-number paging: the request field of the page number.
    pub page_field: Option<String>,
    /// `Option<u64>` expression over `response`.
    pub total_count: Option<String>,
    /// `Option<bool>` expression over `response`.
    pub has_more: Option<String>,
    /// `&[Item]` expression over `response`.
    pub items_ref: String,
    /// `Vec<Item>` expression over `response` (taken by value).
    pub items_owned: String,
    /// Docs of `into_paginator`.
    pub docs: Vec<String>,
    /// The wire fields paging uses, in one line (for the API surface).
    pub wire: String,
}

/// `acsgen_runtime::paginate::Paging`: how pages are asked for, with the wire
/// names as literals. Prints as the runtime value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Paging {
    Token {
        input_lit: String,
        output_lit: String,
    },
    PageNumber {
        parameter_lit: String,
    },
}

impl std::fmt::Display for Paging {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Paging::Token {
                input_lit,
                output_lit,
            } => write!(
                f,
                "{RT}::Paging::Token {{ input: {input_lit}, output: {output_lit} }}"
            ),
            Paging::PageNumber { parameter_lit } => {
                write!(
                    f,
                    "{RT}::Paging::PageNumber {{ parameter: {parameter_lit} }}"
                )
            }
        }
    }
}

/// The runtime module paginators live in.
const RT: &str = "acsgen_runtime::paginate";

/// The wire fields of a `pagination` block, in one line: `token NextToken
/// <- Data.NextToken, page size MaxResults, items Data.Items`.
pub fn wire_summary(pagination: &Pagination) -> String {
    let mut parts = Vec::new();
    if let (Some(input), Some(output)) = (&pagination.input_token, &pagination.output_token) {
        parts.push(format!("token {input} <- {output}"));
    }
    if let Some(number) = &pagination.page_number {
        parts.push(format!("page number {number}"));
    }
    if let Some(size) = &pagination.page_size {
        parts.push(format!("page size {size}"));
    }
    parts.push(format!("items {}", pagination.items));
    if let Some(total) = &pagination.total_count {
        parts.push(format!("total {total}"));
    }
    if let Some(more) = &pagination.has_more {
        parts.push(format!("has more {more}"));
    }
    parts.join(", ")
}

/// One field on the way to a value: its Rust name and type.
struct Step {
    field: String,
    ty: RustType,
}

/// Where the structs of a path are looked up.
struct Structs<'a> {
    /// The operation's nested types.
    local: &'a [TypeModel],
    /// `crate::types`.
    shared: &'a [TypeModel],
}

impl Structs<'_> {
    /// The struct or alias named by `named`, seen from `in_shared` (whether
    /// the type using it lives in `types`), and whether it lives in `types`.
    fn find(&self, named: &super::NamedType, in_shared: bool) -> Option<(&TypeModel, bool)> {
        let shared = in_shared || named.module == TypeModule::Shared;
        let list = if shared { self.shared } else { self.local };
        list.iter()
            .find(|t| t.name() == named.name)
            .map(|t| (t, shared))
    }
}

/// `ty` as written in an operation module, for a type found in `types`
/// (`in_shared`), where its own named types are written bare.
fn seen_from_operation(ty: &RustType, in_shared: bool) -> RustType {
    let again = |inner: &RustType| Box::new(seen_from_operation(inner, in_shared));
    match ty {
        RustType::Named(named) if in_shared => {
            RustType::named(TypeModule::Shared, &named.name, named.kind)
        }
        RustType::Vec(inner) => RustType::Vec(again(inner)),
        RustType::Map(inner) => RustType::Map(again(inner)),
        RustType::Option(inner) => RustType::Option(again(inner)),
        RustType::Box(inner) => RustType::Box(again(inner)),
        other => other.clone(),
    }
}

/// The fields along a response path (`Data.Items`), each with its type as
/// written in the operation module; the last one is the value. `None` when
/// the model does not have them (validation makes sure it does).
fn walk(response: &StructModel, path: &str, structs: &Structs) -> Option<(Vec<Step>, bool)> {
    let mut steps = Vec::new();
    let mut fields = &response.fields;
    let mut in_shared = false;
    let segments: Vec<&str> = path.split('.').collect();
    for (index, segment) in segments.iter().enumerate() {
        let wire = lit(segment);
        let field = fields.iter().find(|f| f.wire_lit == wire)?;
        steps.push(Step {
            field: field.name.clone(),
            ty: field.ty.clone(),
        });
        if index + 1 == segments.len() {
            return Some((steps, in_shared));
        }
        let named = field.ty.innermost_named()?;
        let (found, shared) = structs.find(named, in_shared)?;
        let TypeModel::Struct(model) = found else {
            return None;
        };
        fields = &model.fields;
        in_shared = shared;
    }
    None
}

/// `Option<&Last>` over the intermediate structs of `steps` (all but the
/// last), starting at `response`; `None` when the value is a field of the
/// response itself.
fn chain(steps: &[Step]) -> Option<String> {
    let (first, rest) = steps.split_first()?;
    let mut expr = format!("response.{}.as_ref()", first.field);
    for step in rest {
        expr.push_str(&format!(".and_then(|v| v.{}.as_ref())", step.field));
    }
    Some(expr)
}

/// The same, by value (`Option<Last>` or `Option<Box<Last>>`).
fn chain_owned(steps: &[Step]) -> Option<String> {
    let (first, rest) = steps.split_first()?;
    let mut expr = format!("response.{}", first.field);
    for step in rest {
        expr.push_str(&format!(".and_then(|v| v.{})", step.field));
    }
    Some(expr)
}

/// `Option<&T>` of a scalar response value (fields are `Option<T>`, or
/// `Option<Box<T>>` for a `$ref` inside a component).
fn scalar_ref(steps: &[Step]) -> Option<String> {
    let (leaf, path) = steps.split_last()?;
    let take = match &leaf.ty {
        RustType::Option(inner) if matches!(**inner, RustType::Box(_)) => "as_deref",
        RustType::Option(_) => "as_ref",
        _ => return None,
    };
    Some(match chain(path) {
        None => format!("response.{}.{take}()", leaf.field),
        Some(chain) => format!("{chain}.and_then(|v| v.{}.{take}())", leaf.field),
    })
}

/// `&[Item]` and `Vec<Item>` expressions of the items field, and the item
/// type. The field is a `Vec` (an inline array) or an optional alias of
/// one (a `$ref` to an array component).
fn items(steps: &[Step], in_shared: bool, structs: &Structs) -> Option<(String, String, RustType)> {
    let (leaf, path) = steps.split_last()?;
    let f = &leaf.field;
    if let RustType::Vec(item) = &leaf.ty {
        let item = seen_from_operation(item, in_shared);
        return Some(match (chain(path), chain_owned(path)) {
            (Some(chain), Some(owned)) => (
                format!("{chain}.map(|v| v.{f}.as_slice()).unwrap_or_default()"),
                format!("{owned}.map(|v| v.{f}).unwrap_or_default()"),
                item,
            ),
            _ => (
                format!("response.{f}.as_slice()"),
                format!("response.{f}"),
                item,
            ),
        });
    }
    // `Option<Alias>` or `Option<Box<Alias>>`, the alias being a `Vec`.
    let RustType::Option(inner) = &leaf.ty else {
        return None;
    };
    let (boxed, named) = match &**inner {
        RustType::Box(named) => (true, named.as_named()?),
        other => (false, other.as_named()?),
    };
    if named.kind != NamedKind::Alias {
        return None;
    }
    let (TypeModel::Alias(alias), alias_shared) = structs.find(named, in_shared)? else {
        return None;
    };
    let RustType::Vec(item) = &alias.ty else {
        return None;
    };
    let item = seen_from_operation(item, alias_shared);
    let (take, unbox) = if boxed {
        ("as_deref().map(|v| v.as_slice())", ".map(|v| *v)")
    } else {
        ("as_deref()", "")
    };
    Some(match (chain(path), chain_owned(path)) {
        (Some(chain), Some(owned)) => (
            format!("{chain}.and_then(|v| v.{f}.{take}).unwrap_or_default()"),
            format!("{owned}.and_then(|v| v.{f}){unbox}.unwrap_or_default()"),
            item,
        ),
        _ => (
            format!("response.{f}.{take}.unwrap_or_default()"),
            format!("response.{f}{unbox}.unwrap_or_default()"),
            item,
        ),
    })
}

/// The request field of the parameter with wire name `name`.
fn param_field<'a>(params: &'a [ParamModel], name: &str) -> Option<&'a ParamModel> {
    let wire = lit(name);
    params.iter().find(|p| p.wire_lit == wire)
}

/// The model of a validated `pagination` block; `None` only when the model
/// lacks what validation checked (a bug, reported by the caller's tests).
pub(super) fn model(
    pagination: &Pagination,
    names: &OpNames,
    params: &[ParamModel],
    required: &[ParamModel],
    response: &StructModel,
    local: &[TypeModel],
    shared: &[TypeModel],
) -> Option<PaginationModel> {
    let structs = Structs { local, shared };
    let (item_steps, items_shared) = walk(response, &pagination.items, &structs)?;
    let (items_ref, items_owned, item) = items(&item_steps, items_shared, &structs)?;
    let value = |path: &Option<String>| -> Option<Option<String>> {
        match path {
            None => Some(None),
            Some(path) => {
                let (steps, _) = walk(response, path, &structs)?;
                scalar_ref(&steps).map(Some)
            }
        }
    };
    let next_token = value(&pagination.output_token)?
        .map(|expr| format!("{expr}.map({RT}::TokenValue::to_token)"));
    let total_count = value(&pagination.total_count)?
        .map(|expr| format!("{expr}.and_then({RT}::CountValue::to_count)"));
    // A flag is `Copy`: read as it is unless boxed.
    let has_more = match &pagination.has_more {
        None => None,
        Some(path) => {
            let (steps, _) = walk(response, path, &structs)?;
            let (leaf, up) = steps.split_last()?;
            Some(match (&leaf.ty, chain(up)) {
                (RustType::Option(inner), None) if **inner == RustType::Bool => {
                    format!("response.{}", leaf.field)
                }
                (RustType::Option(inner), Some(chain)) if **inner == RustType::Bool => {
                    format!("{chain}.and_then(|v| v.{})", leaf.field)
                }
                _ => format!("{}.copied()", scalar_ref(&steps)?),
            })
        }
    };
    let (paging, token_field, page_field) = match (
        &pagination.input_token,
        &pagination.output_token,
        &pagination.page_number,
    ) {
        (Some(input_wire), Some(output_wire), None) => (
            Paging::Token {
                input_lit: lit(input_wire),
                output_lit: lit(output_wire),
            },
            Some(param_field(params, input_wire)?.field.clone()),
            None,
        ),
        (None, None, Some(number)) => (
            Paging::PageNumber {
                parameter_lit: lit(number),
            },
            None,
            Some(param_field(params, number)?.field.clone()),
        ),
        _ => return None,
    };
    let page_size_setter = pagination
        .page_size
        .as_ref()
        .and_then(|size| param_field(params, size))
        .map(|param| param.field.as_str());
    let args: Vec<String> = required.iter().map(|p| p.example.to_string()).collect();
    let docs = crate::docs::paginator_docs(&crate::docs::PaginatorDocs {
        pagination,
        response: &names.response,
        error: &names.error,
        item: &item,
        page_size_setter,
        lib_name: &names.lib_name,
        method: &names.method,
        arguments: &args,
    });
    Some(PaginationModel {
        wire: wire_summary(pagination),
        item,
        paging,
        token_field,
        next_token,
        page_field,
        total_count,
        has_more,
        items_ref,
        items_owned,
        docs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_prints_as_the_runtime_value() {
        let token = Paging::Token {
            input_lit: lit("NextToken"),
            output_lit: lit("Data.NextToken"),
        };
        assert_eq!(
            token.to_string(),
            r#"acsgen_runtime::paginate::Paging::Token { input: "NextToken", output: "Data.NextToken" }"#
        );
        let pages = Paging::PageNumber {
            parameter_lit: lit("PageNumber"),
        };
        assert_eq!(
            pages.to_string(),
            r#"acsgen_runtime::paginate::Paging::PageNumber { parameter: "PageNumber" }"#
        );
    }

    fn step(field: &str, ty: RustType) -> Step {
        Step {
            field: field.to_owned(),
            ty,
        }
    }

    #[test]
    fn optional_chains_read_through_nested_and_boxed_structs() {
        let named = |name: &str| RustType::named(TypeModule::Same, name, NamedKind::Struct);
        let steps = [
            step("data", RustType::option(named("Data"))),
            step("inner", RustType::option(RustType::boxed(named("Inner")))),
            step("next", RustType::option(RustType::String)),
        ];
        assert_eq!(
            scalar_ref(&steps).as_deref(),
            Some("response.data.as_ref().and_then(|v| v.inner.as_ref()).and_then(|v| v.next.as_ref())")
        );
        let boxed = [step(
            "total",
            RustType::option(RustType::boxed(RustType::I64)),
        )];
        assert_eq!(
            scalar_ref(&boxed).as_deref(),
            Some("response.total.as_deref()")
        );
        let items = [
            step("data", RustType::option(named("Data"))),
            step("items", RustType::vec(RustType::String)),
        ];
        let structs = Structs {
            local: &[],
            shared: &[],
        };
        let (by_ref, owned, item) = items_exprs(&items, &structs);
        assert_eq!(
            by_ref,
            "response.data.as_ref().map(|v| v.items.as_slice()).unwrap_or_default()"
        );
        assert_eq!(owned, "response.data.map(|v| v.items).unwrap_or_default()");
        assert_eq!(item, RustType::String);
    }

    fn items_exprs(steps: &[Step], structs: &Structs) -> (String, String, RustType) {
        items(steps, false, structs).expect("a Vec field")
    }
}
