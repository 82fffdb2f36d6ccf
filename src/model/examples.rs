//! Doctest values for required parameters: a real value of the parameter's
//! type, built from the spec's example where it fits. Types without
//! `Default` get one too: a struct literal for a nested struct with
//! required fields, a variant for an enum, `Box::new` for a box.

use crate::names::reserved::{OPERATIONS_MOD, TYPES_MOD};

use super::types::{NamedKind, NamedType, RustType, TypeModule};
use super::{Example, TypeModel};

/// Deeper than any spec can nest (validation stops at 32 levels).
const MAX_DEPTH: usize = 40;

/// The types an example may name, and the paths they have in a doctest.
pub(super) struct Scope<'a> {
    pub lib_name: &'a str,
    /// The operation's module, holding `local`.
    pub module: &'a str,
    /// The operation's nested types.
    pub local: &'a [TypeModel],
    /// The types of `crate::types`.
    pub shared: &'a [TypeModel],
}

/// Where the named types of a type being built live: `Same` means the
/// operation's module, or `types` once inside a shared type.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Home {
    Operation,
    Types,
}

/// The example for a required argument of type `ty` (taken as `impl Into`
/// or as itself, see [`RustType::conversion`]); `example` is the spec's.
pub(super) fn argument(ty: &RustType, example: Option<&str>, scope: &Scope) -> Example {
    let example = example.map(str::trim);
    match ty {
        // Through `Into`, a string literal will do.
        RustType::String => Example::Text(example.unwrap_or("example").to_owned()),
        RustType::Bytes => Example::Bytes,
        // A nested enum takes its wire value through `Into`.
        RustType::Named(
            named @ NamedType {
                module: TypeModule::Same,
                kind: NamedKind::Enum,
                ..
            },
        ) => match scope.find(Home::Operation, named) {
            Some(TypeModel::Enum(model)) => {
                let variant = pick_variant(model, example);
                let wire = variant.map_or("", |v| v.wire.as_str());
                if model.integer {
                    Example::Integer(wire.parse().unwrap_or(0))
                } else {
                    Example::Text(wire.to_owned())
                }
            }
            _ => value(ty, example, scope, Home::Operation, 0),
        },
        _ => value(ty, example, scope, Home::Operation, 0),
    }
}

/// An expression of exactly type `ty`.
fn value(ty: &RustType, example: Option<&str>, scope: &Scope, home: Home, depth: usize) -> Example {
    if depth > MAX_DEPTH {
        return Example::Default;
    }
    match ty {
        RustType::String => Example::OwnedText(example.unwrap_or("example").to_owned()),
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
                // An `f32` literal out of its range does not compile.
                .filter(|v| v.is_finite() && (*ty == RustType::F64 || (*v as f32).is_finite()))
                .unwrap_or(0.0),
        ),
        RustType::Vec(item) => {
            match value(item, element(example).as_deref(), scope, home, depth + 1) {
                Example::Default => Example::Default,
                item => Example::List(Box::new(item)),
            }
        }
        RustType::Box(inner) => {
            Example::Boxed(Box::new(value(inner, example, scope, home, depth + 1)))
        }
        RustType::Option(_) => Example::Absent,
        RustType::Map(_) | RustType::Value | RustType::Bytes => Example::Default,
        RustType::Named(named) => named_value(named, example, scope, home, depth),
    }
}

fn named_value(
    named: &NamedType,
    example: Option<&str>,
    scope: &Scope,
    home: Home,
    depth: usize,
) -> Example {
    // Where the type's own fields point with `Same`.
    let inner_home = match named.module {
        TypeModule::Shared => Home::Types,
        TypeModule::Same => home,
    };
    let path = format!("{}::{}", scope.path(inner_home), named.name);
    match scope.find(home, named) {
        Some(TypeModel::Enum(model)) => match pick_variant(model, example) {
            Some(variant) => Example::Variant {
                path,
                variant: variant.name.clone(),
            },
            None => Example::Default,
        },
        Some(TypeModel::Struct(model)) if !model.default => Example::Struct {
            path,
            fields: model
                .fields
                .iter()
                .map(|field| {
                    let example = field.example.as_deref().map(str::trim);
                    let value = value(&field.ty, example, scope, inner_home, depth + 1);
                    (field.name.clone(), value)
                })
                .collect(),
        },
        Some(TypeModel::Alias(alias)) => value(&alias.ty, example, scope, inner_home, depth + 1),
        // A struct with optional fields only.
        Some(TypeModel::Struct(_)) | None => Example::Default,
    }
}

/// One element's example from a list's: the first element of a JSON array
/// (metadata writes `["a","b"]` on lists and on their items), else the text.
fn element(example: Option<&str>) -> Option<String> {
    let example = example?;
    match serde_json::from_str::<serde_json::Value>(example) {
        Ok(serde_json::Value::Array(items)) => match items.first()? {
            serde_json::Value::String(text) => Some(text.clone()),
            serde_json::Value::Number(number) => Some(number.to_string()),
            serde_json::Value::Bool(value) => Some(value.to_string()),
            _ => None,
        },
        _ => Some(example.to_owned()),
    }
}

/// The variant whose wire value is the example, else the first one.
fn pick_variant<'m>(
    model: &'m super::EnumModel,
    example: Option<&str>,
) -> Option<&'m super::VariantModel> {
    example
        .and_then(|e| model.variants.iter().find(|v| v.wire == e))
        .or_else(|| model.variants.first())
}

impl Scope<'_> {
    fn path(&self, home: Home) -> String {
        match home {
            Home::Operation => format!("{}::{OPERATIONS_MOD}::{}", self.lib_name, self.module),
            Home::Types => format!("{}::{TYPES_MOD}", self.lib_name),
        }
    }

    /// The model of `named`, used from `home`.
    fn find(&self, home: Home, named: &NamedType) -> Option<&TypeModel> {
        let types = match (named.module, home) {
            (TypeModule::Same, Home::Operation) => self.local,
            _ => self.shared,
        };
        types.iter().find(|t| t.name() == named.name)
    }
}
