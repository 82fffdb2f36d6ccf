//! Decoding and encoding of generated response structs through a field
//! table, instead of serde's derive.
//!
//! A derived `Deserialize` emits a visitor, a field enum and a map loop per
//! struct, generic over the deserializer; a product has thousands of response
//! structs, and checking that code was most of a generated crate's compile
//! time and memory. Here a body is parsed once into a [`Value`], and a
//! generated type only lists its wire names ([`Decode::FIELDS`]) and builds
//! itself from them ([`Decode::build`]): one small non-generic function each.
//!
//! Decoding is tolerant where Alibaba's services are known to stray from
//! their metadata: numbers and booleans may arrive as strings and strings as
//! numbers. Conversions never lose precision: an `i64` sent as a string or a
//! number stays exact, and an out-of-range or fractional value is an error.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, DeserializeOwned, Deserializer};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use serde_json::Value;

/// Bytes of a failing value quoted in a [`WireError`]: values come from the server.
const QUOTE_HEAD: usize = 48;
const QUOTE_TAIL: usize = 16;
/// Bytes of a failing field path kept: map keys come from the server.
const PATH_LIMIT: usize = 512;

/// Why a JSON value does not fit a generated type, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireError {
    path: String,
    message: String,
}

impl WireError {
    /// A value of the wrong shape: `expected` names the type, the value is quoted (bounded).
    pub fn expected(expected: &str, found: &Value) -> WireError {
        WireError {
            path: String::new(),
            message: format!(
                "expected {expected}, found {}",
                crate::text::clip(found, QUOTE_HEAD, QUOTE_TAIL)
            ),
        }
    }

    /// A value that is not what the type needs, for a reason `expected` cannot say.
    pub fn invalid(message: &str) -> WireError {
        WireError {
            path: String::new(),
            message: crate::text::clip_string(message, 256, 0),
        }
    }

    /// The same error, one level further out (`segment` is a field name or `[index]`).
    pub fn within(mut self, segment: &str) -> WireError {
        if self.path.len() < PATH_LIMIT {
            let segment = crate::text::clip_string(segment, 64, 16);
            let joined = if self.path.is_empty() || self.path.starts_with('[') {
                format!("{segment}{}", self.path)
            } else {
                format!("{segment}.{}", self.path)
            };
            self.path = joined;
        }
        self
    }

    /// Path of the failing value from the document root (`Data.Items[2].Id`; empty for
    /// the root itself). Escaped and bounded.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What was wrong (bounded).
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for WireError {}

/// A type decoded from a JSON value of a response.
pub trait FromWire: Sized {
    /// Converts `value`; `null` has already been handled by `Option` and the containers.
    fn from_wire(value: Value) -> Result<Self, WireError>;
}

impl FromWire for Value {
    fn from_wire(value: Value) -> Result<Self, WireError> {
        Ok(value)
    }
}

impl FromWire for String {
    fn from_wire(value: Value) -> Result<Self, WireError> {
        match value {
            Value::String(text) => Ok(text),
            // Tolerated: IDs and codes sometimes arrive as numbers or booleans.
            Value::Number(number) => Ok(number.to_string()),
            Value::Bool(flag) => Ok(flag.to_string()),
            other => Err(WireError::expected("a string", &other)),
        }
    }
}

impl FromWire for bool {
    fn from_wire(value: Value) -> Result<Self, WireError> {
        match value {
            Value::Bool(flag) => Ok(flag),
            Value::String(text) if text.eq_ignore_ascii_case("true") => Ok(true),
            Value::String(text) if text.eq_ignore_ascii_case("false") => Ok(false),
            other => Err(WireError::expected("a boolean", &other)),
        }
    }
}

macro_rules! integer_from_wire {
    ($($int:ty),*) => {$(
        impl FromWire for $int {
            fn from_wire(value: Value) -> Result<Self, WireError> {
                let exact = match &value {
                    Value::Number(number) => number
                        .as_i64()
                        .and_then(|n| <$int>::try_from(n).ok())
                        .or_else(|| number.as_u64().and_then(|n| <$int>::try_from(n).ok())),
                    // Tolerated: numbers sent as strings. Parsed exactly, never through f64.
                    Value::String(text) => text.trim().parse::<$int>().ok(),
                    _ => None,
                };
                exact.ok_or_else(|| WireError::expected(concat!("an integer that fits ", stringify!($int)), &value))
            }
        }
    )*};
}

integer_from_wire!(i8, i16, i32, i64, u8, u16, u32, u64);

macro_rules! float_from_wire {
    ($($float:ty),*) => {$(
        impl FromWire for $float {
            fn from_wire(value: Value) -> Result<Self, WireError> {
                let number = match &value {
                    Value::Number(number) => number.as_f64().map(|n| n as $float),
                    Value::String(text) => text.trim().parse::<$float>().ok().filter(|n| n.is_finite()),
                    _ => None,
                };
                number.ok_or_else(|| WireError::expected("a number", &value))
            }
        }
    )*};
}

float_from_wire!(f32, f64);

impl<T: FromWire> FromWire for Option<T> {
    fn from_wire(value: Value) -> Result<Self, WireError> {
        match value {
            Value::Null => Ok(None),
            value => T::from_wire(value).map(Some),
        }
    }
}

impl<T: FromWire> FromWire for Vec<T> {
    fn from_wire(value: Value) -> Result<Self, WireError> {
        match value {
            Value::Null => Ok(Vec::new()),
            Value::Array(items) => items
                .into_iter()
                .enumerate()
                .map(|(index, item)| {
                    T::from_wire(item).map_err(|error| error.within(&format!("[{index}]")))
                })
                .collect(),
            other => Err(WireError::expected("an array", &other)),
        }
    }
}

impl<T: FromWire> FromWire for BTreeMap<String, T> {
    fn from_wire(value: Value) -> Result<Self, WireError> {
        match value {
            Value::Null => Ok(BTreeMap::new()),
            Value::Object(entries) => entries
                .into_iter()
                .map(|(key, item)| match T::from_wire(item) {
                    Ok(item) => Ok((key, item)),
                    Err(error) => Err(error.within(&key)),
                })
                .collect(),
            other => Err(WireError::expected("an object", &other)),
        }
    }
}

/// A response struct: its wire names, and how it builds itself from them.
pub trait Decode: Sized {
    /// Wire names of the modelled fields, in the order `build` takes them.
    const FIELDS: &'static [&'static str];
    /// Takes each field from `fields` with [`Fields::get`].
    fn build(fields: &mut Fields) -> Self;
}

/// Boxes break recursive response types; only structs recurse.
impl<T: Decode> Decode for Box<T> {
    const FIELDS: &'static [&'static str] = T::FIELDS;
    fn build(fields: &mut Fields) -> Self {
        Box::new(T::build(fields))
    }
}

impl<T: Decode> FromWire for T {
    fn from_wire(value: Value) -> Result<Self, WireError> {
        let mut fields = match value {
            Value::Object(object) => Fields::from_object(T::FIELDS, object),
            other => return Err(WireError::expected("an object", &other)),
        };
        let built = T::build(&mut fields);
        match fields.error {
            Some(error) => Err(error),
            None => Ok(built),
        }
    }
}

/// A `Decode` value with every field absent: what `Default` gives.
pub fn absent<T: Decode>() -> T {
    T::build(&mut Fields {
        values: Vec::new(),
        names: T::FIELDS,
        error: None,
    })
}

/// Decodes `T` from any serde deserializer (for a `Deserialize` impl on a `Decode` type).
pub fn deserialize<'de, T: FromWire, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    let value = <Value as serde::Deserialize>::deserialize(deserializer)?;
    T::from_wire(value).map_err(de::Error::custom)
}

/// A serde type as a response: for hand-written [`Operation`](crate::Operation)s whose
/// response derives `Deserialize` (strict serde rules, not the tolerant ones).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Serde<T>(pub T);

impl<T: DeserializeOwned> FromWire for Serde<T> {
    fn from_wire(value: Value) -> Result<Self, WireError> {
        from_serde(value).map(Serde)
    }
}

/// Decodes a serde-derived type (a request-side struct also used in responses).
pub fn from_serde<T: DeserializeOwned>(value: Value) -> Result<T, WireError> {
    serde_path_to_error::deserialize(value).map_err(|error| WireError {
        path: crate::text::clip_string(error.path(), 256, 64),
        message: crate::text::clip_string(error.into_inner(), 160, 80),
    })
}

/// The fields of one JSON object that a struct models, by position in its
/// name table. Fields it does not model are dropped as they are met.
#[derive(Debug)]
pub struct Fields {
    names: &'static [&'static str],
    values: Vec<Option<Value>>,
    error: Option<WireError>,
}

impl Fields {
    fn from_object(
        names: &'static [&'static str],
        object: serde_json::Map<String, Value>,
    ) -> Fields {
        let mut values = vec![None; names.len()];
        for (key, value) in object {
            if let Some(index) = names.iter().position(|name| *name == key) {
                values[index] = Some(value);
            }
        }
        Fields {
            names,
            values,
            error: None,
        }
    }

    /// Field `index` as `T`; absent or `null` gives `T::default()` (every response field
    /// is an `Option` or a collection). The first failure is kept, with the field's
    /// name on its path, and reported when the struct is complete.
    pub fn get<T: FromWire + Default>(&mut self, index: usize) -> T {
        match self.values.get_mut(index).and_then(Option::take) {
            None | Some(Value::Null) => T::default(),
            Some(value) => T::from_wire(value).unwrap_or_else(|error| {
                if self.error.is_none() {
                    self.error = Some(error.within(self.names[index]));
                }
                T::default()
            }),
        }
    }
}

/// A field that is left out when encoding: `None` or an empty collection.
pub trait Absent {
    /// True when the field carries nothing.
    fn is_absent(&self) -> bool;
}

impl<T> Absent for Option<T> {
    fn is_absent(&self) -> bool {
        self.is_none()
    }
}

impl<T> Absent for Vec<T> {
    fn is_absent(&self) -> bool {
        self.is_empty()
    }
}

impl<K, V> Absent for BTreeMap<K, V> {
    fn is_absent(&self) -> bool {
        self.is_empty()
    }
}

impl Absent for Value {
    fn is_absent(&self) -> bool {
        self.is_null()
    }
}

/// Encodes a response struct as a JSON object with its wire names,
/// leaving absent fields out (the counterpart of [`Fields`]).
pub struct FieldWriter<M> {
    map: M,
}

impl<M: SerializeMap> FieldWriter<M> {
    /// Start an object of at most `len` fields.
    pub fn new<S>(serializer: S, len: usize) -> Result<Self, S::Error>
    where
        S: Serializer<SerializeMap = M, Ok = M::Ok, Error = M::Error>,
    {
        Ok(FieldWriter {
            map: serializer.serialize_map(Some(len))?,
        })
    }

    /// Write `value` under `name` unless it is absent.
    pub fn field<T: Serialize + Absent>(&mut self, name: &str, value: &T) -> Result<(), M::Error> {
        if value.is_absent() {
            Ok(())
        } else {
            self.map.serialize_entry(name, value)
        }
    }

    /// Close the object.
    pub fn end(self) -> Result<M::Ok, M::Error> {
        self.map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, Default, PartialEq)]
    struct Group {
        id: Option<String>,
        tags: Vec<String>,
        count: Option<i64>,
        children: Vec<Group>,
    }

    impl Decode for Group {
        const FIELDS: &'static [&'static str] = &["Id", "Tags", "Count", "Children"];
        fn build(fields: &mut Fields) -> Self {
            Group {
                id: fields.get(0),
                tags: fields.get(1),
                count: fields.get(2),
                children: fields.get(3),
            }
        }
    }

    impl Serialize for Group {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut writer = FieldWriter::new(serializer, 4)?;
            writer.field("Id", &self.id)?;
            writer.field("Tags", &self.tags)?;
            writer.field("Count", &self.count)?;
            writer.field("Children", &self.children)?;
            writer.end()
        }
    }

    fn decode<T: FromWire>(value: Value) -> Result<T, WireError> {
        T::from_wire(value)
    }

    #[test]
    fn decodes_known_fields_and_skips_the_rest() {
        let group: Group =
            decode(json!({"Id":"g","Extra":{"x":[1]},"Count":3,"Tags":null})).unwrap();
        assert_eq!(
            group,
            Group {
                id: Some("g".into()),
                count: Some(3),
                ..Group::default()
            }
        );
        assert_eq!(
            serde_json::to_string(&group).unwrap(),
            r#"{"Id":"g","Count":3}"#
        );
        assert_eq!(absent::<Group>(), Group::default());
    }

    #[test]
    fn type_errors_give_the_path_and_a_bounded_quote() {
        let error = decode::<Group>(json!({"Children":[{}, {"Count":"three"}]})).unwrap_err();
        assert_eq!(error.path(), "Children[1].Count");
        assert!(
            error
                .message()
                .starts_with("expected an integer that fits i64, found \"three\""),
            "{error}"
        );
        let long = "x".repeat(1 << 20);
        let error = decode::<Group>(json!({ "Count": long })).unwrap_err();
        assert!(error.to_string().len() < 200, "{error}");
        let error = decode::<Group>(json!([1])).unwrap_err();
        assert_eq!(error.to_string(), "expected an object, found [1]");
    }

    #[test]
    fn numbers_and_booleans_are_tolerated_as_strings_and_back() {
        assert_eq!(
            decode::<i64>(json!("9007199254740993")),
            Ok(9007199254740993)
        );
        assert_eq!(
            decode::<i64>(json!(9007199254740993_i64)),
            Ok(9007199254740993)
        );
        assert_eq!(decode::<u64>(json!(u64::MAX)), Ok(u64::MAX));
        assert_eq!(decode::<f64>(json!(" 1.5 ")), Ok(1.5));
        assert_eq!(decode::<bool>(json!("True")), Ok(true));
        assert_eq!(decode::<bool>(json!("false")), Ok(false));
        assert_eq!(decode::<String>(json!(42)), Ok("42".to_owned()));
        assert_eq!(decode::<String>(json!(true)), Ok("true".to_owned()));
        // Never lossy: fractions, overflow and junk are errors.
        assert!(decode::<i64>(json!(1.5)).is_err());
        assert!(decode::<i32>(json!(1_700_000_000_000_i64)).is_err());
        assert!(decode::<i32>(json!("1e3")).is_err());
        assert!(decode::<u32>(json!(-1)).is_err());
        assert!(decode::<f64>(json!("NaN")).is_err());
        assert!(decode::<bool>(json!(1)).is_err());
        assert!(decode::<String>(json!({"a":1})).is_err());
    }

    #[test]
    fn containers_treat_null_as_empty_and_name_keys() {
        assert_eq!(decode::<Vec<i32>>(Value::Null), Ok(vec![]));
        let nested: Option<Box<Group>> = decode(json!({"Count": 3})).unwrap();
        assert_eq!(nested.map(|g| g.count), Some(Some(3)));
        let error = decode::<BTreeMap<String, i32>>(json!({"a":1,"b":"x"})).unwrap_err();
        assert_eq!(error.path(), "b");
    }
}
