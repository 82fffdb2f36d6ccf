//! The Rust API a user of a generated crate sees, as plain data: per
//! operation its module, client method, request constructor arguments (in
//! order) and setters, response struct, error enum and nested types; and the
//! shared types. Built only from [`crate::model`], so it names exactly what
//! the generator emits; `acsgen diff` compares two surfaces for the Rust
//! side instead of predicting names itself.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{self, CrateModel, OperationModel, RustType, TypeModel, TypeModule};
use crate::names::reserved::TYPES_MOD;
use crate::spec::ProductSpec;

/// The whole public API of one generated crate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Surface {
    pub lib_name: String,
    /// Types of the shared module, by Rust name.
    pub shared: BTreeMap<String, TypeSurface>,
    /// Operations by wire name.
    pub operations: BTreeMap<String, OperationSurface>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OperationSurface {
    pub module: String,
    pub client_method: String,
    pub request: String,
    /// Constructor (and client method) arguments, in order.
    pub args: Vec<Member>,
    /// Setters of optional parameters, in spec order.
    pub setters: Vec<Member>,
    pub response: TypeSurface,
    pub error: ErrorSurface,
    /// Nested types of the operation module, by Rust name.
    pub types: BTreeMap<String, TypeSurface>,
    /// Shared types the operation module re-exports, so their
    /// `<module>::Name` paths work too.
    pub reexports: Vec<String>,
    /// `into_paginator()`, when the operation pages.
    pub paginator: Option<PaginatorSurface>,
}

/// An operation's paginator: the item type `.items()` yields, and the wire
/// fields paging reads and writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PaginatorSurface {
    pub item: TypeText,
    pub wire: String,
}

/// An argument, setter, field or alias target: its Rust name, the wire name
/// it carries, and its type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Member {
    pub name: String,
    pub wire: String,
    pub ty: TypeText,
}

/// A type as written in a signature, plus what is needed to compare two of
/// them: `shape` is the text with every named type replaced by `_`, and
/// `refs` the named types' full paths in the order they appear.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TypeText {
    pub text: String,
    pub shape: String,
    pub refs: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TypeKind {
    Struct,
    Enum,
    Alias,
}

/// A struct, enum or alias.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TypeSurface {
    pub name: String,
    /// Full path inside the crate, e.g. `describe_things::Tag` or `types::Node`.
    pub path: String,
    pub kind: TypeKind,
    /// Struct fields in order (of a response, those decoded from the body).
    pub fields: Vec<Member>,
    /// A response's fields read from headers; `wire` is the header name,
    /// lowercase (header names ignore case).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<Member>,
    /// Enum variants in order (wire value -> Rust name).
    pub variants: Vec<Variant>,
    /// The enum's catch-all variant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub catch_all: Option<String>,
    /// What an alias stands for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<TypeText>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Variant {
    /// Error code or valid value as the wire has it.
    pub wire: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorSurface {
    pub name: String,
    pub variants: Vec<Variant>,
    pub catch_all: String,
}

/// The surface of the crate generated from `spec` with default options.
pub fn of_spec(spec: &ProductSpec) -> Surface {
    of_model(&model::build(spec, &model::Options::default()))
}

pub fn of_model(model: &CrateModel) -> Surface {
    let shared = types(
        &model.components,
        Place {
            module: TYPES_MOD,
            reexports: &[],
        },
    );
    let operations = model
        .operations
        .iter()
        .map(|op| (op.wire_name.clone(), operation(op)))
        .collect();
    Surface {
        lib_name: model.lib_name.clone(),
        shared,
        operations,
    }
}

fn operation(op: &OperationModel) -> OperationSurface {
    let here = Place {
        module: &op.module,
        reexports: &op.reexports,
    };
    let member = |p: &model::ParamModel| Member {
        name: p.field.clone(),
        wire: unlit(&p.wire_lit),
        // The argument form (`impl Into<T>`) is what callers write.
        ty: TypeText {
            text: p.argument().to_string(),
            ..type_text_in(&p.ty, here)
        },
    };
    OperationSurface {
        module: op.module.clone(),
        client_method: op.client_method.clone(),
        request: op.request.clone(),
        args: op.required.iter().map(member).collect(),
        setters: op.optional.iter().map(member).collect(),
        response: structure(&op.response_struct, here),
        error: ErrorSurface {
            name: op.error.clone(),
            variants: op
                .error_enum
                .variants
                .iter()
                .map(|e| Variant {
                    wire: unlit(&e.code_lit),
                    name: e.name.clone(),
                })
                .collect(),
            catch_all: op.error_enum.unhandled.clone(),
        },
        types: types(&op.types, here),
        reexports: op.reexports.clone(),
        paginator: op.pagination.as_ref().map(|p| PaginatorSurface {
            item: type_text_in(&p.item, here),
            wire: p.wire.clone(),
        }),
    }
}

/// The module a type is used in, and the shared types it re-exports: their
/// paths are given as `types::Name`, where they are defined.
#[derive(Clone, Copy)]
struct Place<'a> {
    module: &'a str,
    reexports: &'a [String],
}

impl Place<'_> {
    fn owner(&self, named: &model::NamedType) -> &str {
        match named.module {
            TypeModule::Shared => TYPES_MOD,
            TypeModule::Same if self.reexports.contains(&named.name) => TYPES_MOD,
            TypeModule::Same => self.module,
        }
    }
}

fn types(models: &[TypeModel], place: Place) -> BTreeMap<String, TypeSurface> {
    models
        .iter()
        .map(|t| (t.name().to_owned(), type_surface(t, place)))
        .collect()
}

fn type_surface(model: &TypeModel, place: Place) -> TypeSurface {
    let module = place.module;
    match model {
        TypeModel::Struct(s) => structure(s, place),
        TypeModel::Enum(e) => TypeSurface {
            name: e.name.clone(),
            path: format!("{module}::{}", e.name),
            kind: TypeKind::Enum,
            fields: Vec::new(),
            headers: Vec::new(),
            variants: e
                .variants
                .iter()
                .map(|v| Variant {
                    wire: v.wire.clone(),
                    name: v.name.clone(),
                })
                .collect(),
            catch_all: Some(e.unknown.clone()),
            target: None,
        },
        TypeModel::Alias(a) => TypeSurface {
            name: a.name.clone(),
            path: format!("{module}::{}", a.name),
            kind: TypeKind::Alias,
            fields: Vec::new(),
            headers: Vec::new(),
            variants: Vec::new(),
            catch_all: None,
            target: Some(type_text_in(&a.ty, place)),
        },
    }
}

fn structure(s: &model::StructModel, place: Place) -> TypeSurface {
    let member = |f: &model::FieldModel| Member {
        name: f.name.clone(),
        wire: unlit(&f.wire_lit),
        ty: type_text_in(&f.ty, place),
    };
    TypeSurface {
        name: s.name.clone(),
        path: format!("{}::{}", place.module, s.name),
        kind: TypeKind::Struct,
        fields: s.body_fields().iter().map(member).collect(),
        headers: s.header_fields().iter().map(member).collect(),
        variants: Vec::new(),
        catch_all: None,
        target: None,
    }
}

/// `ty` as printed in `module`, with its shape and named types.
pub fn type_text(ty: &RustType, module: &str) -> TypeText {
    type_text_in(
        ty,
        Place {
            module,
            reexports: &[],
        },
    )
}

fn type_text_in(ty: &RustType, place: Place) -> TypeText {
    let mut refs = Vec::new();
    let shape = shape(ty, place, &mut refs);
    TypeText {
        text: ty.to_string(),
        shape,
        refs,
    }
}

fn shape(ty: &RustType, place: Place, refs: &mut Vec<String>) -> String {
    match ty {
        RustType::Vec(item) => format!("Vec<{}>", shape(item, place, refs)),
        RustType::Map(value) => format!("Map<{}>", shape(value, place, refs)),
        RustType::Option(inner) => format!("Option<{}>", shape(inner, place, refs)),
        RustType::Box(inner) => format!("Box<{}>", shape(inner, place, refs)),
        RustType::Named(named) => {
            refs.push(format!("{}::{}", place.owner(named), named.name));
            "_".to_owned()
        }
        scalar => scalar.to_string(),
    }
}

/// The text a literal made by [`model::lit`] stands for.
fn unlit(literal: &str) -> String {
    let inner = literal
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(literal);
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('u') => {
                let code: String = chars
                    .by_ref()
                    .skip_while(|c| *c == '{')
                    .take_while(|c| *c != '}')
                    .collect();
                if let Some(c) = u32::from_str_radix(&code, 16).ok().and_then(char::from_u32) {
                    out.push(c);
                }
            }
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constructor_arguments_keep_spec_order_and_types() {
        let product: crate::spec::Product = serde_yaml::from_str(
            "product: demo\nversion: '1'\nname: Demo\nstyle: rpc\nendpoints:\n  rule: regional\n  default: demo.example.com\ncrate:\n  name: demo-client\n  version: 1.0.0\n",
        )
        .expect("product");
        let op: crate::spec::Operation = serde_yaml::from_str(
            "name: Op\nsummary: S.\nmethod: POST\nparameters:
  - name: ZoneId
    in: query
    schema: {type: string, required: true}
  - name: Limit
    in: query
    schema: {type: int32}
  - name: Count
    in: query
    schema: {type: int64, required: true}
",
        )
        .expect("operation");
        let surface = of_spec(&ProductSpec {
            dir_name: "demo".to_owned(),
            product,
            components: Default::default(),
            operations: vec![op],
        });
        let op = &surface.operations["Op"];
        let args: Vec<(&str, &str, &str)> = op
            .args
            .iter()
            .map(|m| (m.name.as_str(), m.wire.as_str(), m.ty.text.as_str()))
            .collect();
        assert_eq!(
            args,
            [
                ("zone_id", "ZoneId", "impl Into<String>"),
                ("count", "Count", "i64")
            ]
        );
        assert_eq!(op.setters[0].ty.text, "i32");
        assert_eq!(op.response.path, "op::OpResponse");
    }

    #[test]
    fn literals_decode_back() {
        for text in ["Plain", "a\"b\\c\nd\te", "zero\u{200b}width"] {
            assert_eq!(unlit(&model::lit(text)), text);
        }
    }

    #[test]
    fn shapes_hide_names_and_keep_wrappers() {
        let node = RustType::named(TypeModule::Same, "Node", model::NamedKind::Struct);
        let text = type_text(&RustType::option(RustType::boxed(node)), "op");
        assert_eq!(text.text, "Option<Box<Node>>");
        assert_eq!(text.shape, "Option<Box<_>>");
        assert_eq!(text.refs, ["op::Node"]);
    }
}
