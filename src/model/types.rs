//! Rust types of the generated code as values: what a field, parameter or
//! alias is, how it is passed as an argument, whether it has a `Default`,
//! and how it prints. The one place that knows these facts; the model and
//! the templates ask it instead of looking at type text.

use std::fmt;

use crate::names::reserved::{BTREE_MAP, TYPES_MOD, VALUE};

/// A type in the generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RustType {
    String,
    I32,
    I64,
    F32,
    F64,
    Bool,
    /// `serde_json::Value`, imported as `Value`.
    Value,
    /// `Vec<u8>`: a raw request body (`stream` parameter).
    Bytes,
    Vec(Box<RustType>),
    /// `BTreeMap<String, _>`.
    Map(Box<RustType>),
    Option(Box<RustType>),
    Box(Box<RustType>),
    Named(NamedType),
}

/// A struct, enum or alias the generated crate defines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedType {
    pub module: TypeModule,
    pub name: String,
    pub kind: NamedKind,
}

/// Where a named type is defined, as seen from where it is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeModule {
    /// The module that uses it (an operation's nested types, or a shared
    /// type used by another shared type).
    Same,
    /// `crate::types`, imported as `types` by operation modules.
    Shared,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamedKind {
    Struct,
    Enum,
    Alias,
}

/// How a constructor or setter argument becomes the stored value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conversion {
    /// Taken as the stored type.
    None,
    /// Taken as `impl Into<T>` and converted with `.into()`.
    Into,
}

impl RustType {
    pub fn named(module: TypeModule, name: &str, kind: NamedKind) -> Self {
        RustType::Named(NamedType {
            module,
            name: name.to_owned(),
            kind,
        })
    }

    pub fn vec(item: RustType) -> Self {
        RustType::Vec(Box::new(item))
    }

    pub fn map(value: RustType) -> Self {
        RustType::Map(Box::new(value))
    }

    pub fn option(inner: RustType) -> Self {
        RustType::Option(Box::new(inner))
    }

    pub fn boxed(inner: RustType) -> Self {
        RustType::Box(Box::new(inner))
    }

    /// The type without an outer `Box` (collections already indirect).
    pub fn unboxed(self) -> Self {
        match self {
            RustType::Box(inner) => *inner,
            other => other,
        }
    }

    /// Strings, bytes and enums are taken as `impl Into<T>`, so callers can
    /// pass `&str`, `&[u8]` or a wire value; everything else as itself.
    pub fn conversion(&self) -> Conversion {
        match self {
            RustType::String | RustType::Bytes => Conversion::Into,
            RustType::Named(named) if named.kind == NamedKind::Enum => Conversion::Into,
            _ => Conversion::None,
        }
    }

    /// The argument type of a constructor or setter taking this type.
    pub fn argument(&self) -> Argument<'_> {
        Argument(self)
    }

    /// The argument of a response field's test-value setter (`with_x`): an
    /// `Option`'s inner type (the setter wraps it in `Some`), taken as
    /// [`RustType::argument`] takes it.
    pub fn setter_argument(&self) -> Argument<'_> {
        match self {
            RustType::Option(inner) => inner.argument(),
            other => other.argument(),
        }
    }

    /// How a test-value setter stores its `value` argument in a field of
    /// this type.
    pub fn setter_store(&self) -> SetterStore {
        match self {
            RustType::Option(inner) => SetterStore {
                in_some: true,
                conversion: inner.conversion(),
            },
            other => SetterStore {
                in_some: false,
                conversion: other.conversion(),
            },
        }
    }

    /// Whether `#[derive(Default)]` works for a field of this type. Named
    /// types may not implement it (enums never do), so they count as not.
    pub fn has_default(&self) -> bool {
        !matches!(self, RustType::Box(_) | RustType::Named(_))
    }

    pub fn is_collection(&self) -> bool {
        matches!(self, RustType::Vec(_) | RustType::Map(_))
    }

    /// The path of the function serde's `skip_serializing_if` uses to leave
    /// an empty value out; `None` for types that are always sent.
    pub fn emptiness_check(&self) -> Option<String> {
        match self {
            RustType::Option(_) => Some("Option::is_none".to_owned()),
            RustType::Vec(_) => Some("Vec::is_empty".to_owned()),
            RustType::Map(_) => Some(format!("{BTREE_MAP}::is_empty")),
            _ => None,
        }
    }

    /// Whether this type, or one inside it (through any container), is
    /// `found`.
    pub fn contains(&self, found: &impl Fn(&RustType) -> bool) -> bool {
        found(self)
            || match self {
                RustType::Option(inner)
                | RustType::Vec(inner)
                | RustType::Map(inner)
                | RustType::Box(inner) => inner.contains(found),
                _ => false,
            }
    }

    /// The named type inside any `Option`, `Vec`, map or `Box`.
    pub fn innermost_named(&self) -> Option<&NamedType> {
        match self {
            RustType::Named(named) => Some(named),
            RustType::Option(inner)
            | RustType::Vec(inner)
            | RustType::Map(inner)
            | RustType::Box(inner) => inner.innermost_named(),
            _ => None,
        }
    }

    /// The named type this is, if it is one (not through containers).
    pub fn as_named(&self) -> Option<&NamedType> {
        match self {
            RustType::Named(named) => Some(named),
            _ => None,
        }
    }
}

impl fmt::Display for RustType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RustType::String => f.write_str("String"),
            RustType::I32 => f.write_str("i32"),
            RustType::I64 => f.write_str("i64"),
            RustType::F32 => f.write_str("f32"),
            RustType::F64 => f.write_str("f64"),
            RustType::Bool => f.write_str("bool"),
            RustType::Value => f.write_str(VALUE),
            RustType::Bytes => f.write_str("Vec<u8>"),
            RustType::Vec(item) => write!(f, "Vec<{item}>"),
            RustType::Map(value) => write!(f, "{BTREE_MAP}<String, {value}>"),
            RustType::Option(inner) => write!(f, "Option<{inner}>"),
            RustType::Box(inner) => write!(f, "Box<{inner}>"),
            RustType::Named(named) => match named.module {
                TypeModule::Same => f.write_str(&named.name),
                TypeModule::Shared => write!(f, "{TYPES_MOD}::{}", named.name),
            },
        }
    }
}

/// How a test-value setter turns `value` into the field: wrapped in `Some`
/// for an optional field, converted with `.into()` when taken as `impl Into`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SetterStore {
    pub in_some: bool,
    pub conversion: Conversion,
}

/// Prints the argument type: `impl Into<T>` or `T`.
pub struct Argument<'a>(&'a RustType);

impl fmt::Display for Argument<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.conversion() {
            Conversion::Into => write!(f, "impl Into<{}>", self.0),
            Conversion::None => write!(f, "{}", self.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared_enum() -> RustType {
        RustType::named(TypeModule::Shared, "Color", NamedKind::Enum)
    }

    #[test]
    fn test_setters_wrap_options_and_convert_what_is_taken_as_into() {
        let store = |ty: RustType| {
            let s = ty.setter_store();
            (s.in_some, s.conversion)
        };
        assert_eq!(
            store(RustType::option(RustType::String)),
            (true, Conversion::Into)
        );
        assert_eq!(
            store(RustType::option(RustType::I64)),
            (true, Conversion::None)
        );
        assert_eq!(
            store(RustType::vec(RustType::String)),
            (false, Conversion::None)
        );
        assert_eq!(store(shared_enum()), (false, Conversion::Into));
        assert_eq!(store(RustType::Bytes), (false, Conversion::Into));
        assert_eq!(RustType::Bytes.argument().to_string(), "impl Into<Vec<u8>>");
    }

    #[test]
    fn strings_and_enums_are_taken_as_impl_into() {
        assert_eq!(RustType::String.conversion(), Conversion::Into);
        assert_eq!(RustType::String.argument().to_string(), "impl Into<String>");
        assert_eq!(shared_enum().conversion(), Conversion::Into);
        assert_eq!(
            shared_enum().argument().to_string(),
            "impl Into<types::Color>"
        );
        let local = RustType::named(TypeModule::Same, "Mode", NamedKind::Enum);
        assert_eq!(local.argument().to_string(), "impl Into<Mode>");
        for plain in [
            RustType::I32,
            RustType::Bool,
            RustType::vec(RustType::String),
            RustType::named(TypeModule::Shared, "Node", NamedKind::Struct),
            RustType::named(TypeModule::Shared, "Name", NamedKind::Alias),
        ] {
            assert_eq!(plain.conversion(), Conversion::None, "{plain}");
            assert_eq!(plain.argument().to_string(), plain.to_string());
        }
    }

    #[test]
    fn defaults_exist_for_scalars_and_containers_only() {
        for with in [
            RustType::String,
            RustType::I64,
            RustType::F32,
            RustType::Bool,
            RustType::Value,
            RustType::vec(shared_enum()),
            RustType::map(shared_enum()),
            RustType::option(shared_enum()),
        ] {
            assert!(with.has_default(), "{with}");
        }
        for without in [
            shared_enum(),
            RustType::boxed(RustType::String),
            RustType::named(TypeModule::Same, "Item", NamedKind::Struct),
        ] {
            assert!(!without.has_default(), "{without}");
        }
    }

    #[test]
    fn prints_as_rust_source() {
        let nested = RustType::option(RustType::map(RustType::vec(RustType::boxed(
            RustType::named(TypeModule::Same, "Node", NamedKind::Struct),
        ))));
        assert_eq!(
            nested.to_string(),
            "Option<BTreeMap<String, Vec<Box<Node>>>>"
        );
        assert_eq!(
            RustType::vec(shared_enum()).to_string(),
            "Vec<types::Color>"
        );
        assert_eq!(RustType::Value.to_string(), "Value");
        assert_eq!(RustType::F64.to_string(), "f64");
    }

    #[test]
    fn wire_conversion_and_emptiness() {
        assert_eq!(
            RustType::map(RustType::I32).emptiness_check().as_deref(),
            Some("BTreeMap::is_empty")
        );
        assert_eq!(RustType::I32.emptiness_check(), None);
        assert_eq!(
            RustType::boxed(RustType::String).unboxed(),
            RustType::String
        );
    }
}
