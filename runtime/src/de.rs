//! Decoding and encoding of generated response structs through a field
//! table, instead of serde's derive.
//!
//! A derived `Deserialize` emits a visitor, a field enum and a map loop per
//! struct; a product has thousands of response structs, and type-checking
//! that code was most of a generated crate's compile time. Here the loop is
//! written once: a generated impl lists its wire names and takes each field.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use serde_json::Value;

/// The fields of one JSON object that a struct models, by position in its
/// name table. Fields it does not model are skipped, not buffered.
#[derive(Debug)]
pub struct Fields {
    names: &'static [&'static str],
    values: Vec<Option<Value>>,
}

impl Fields {
    /// Read a JSON object, keeping the values of `names`.
    pub fn read<'de, D: Deserializer<'de>>(
        deserializer: D,
        names: &'static [&'static str],
    ) -> Result<Fields, D::Error> {
        deserializer.deserialize_map(FieldsVisitor { names })
    }

    /// Field `index` as `T`; absent or `null` gives `T::default()` (every
    /// response field is an `Option` or a collection). A type error names
    /// the field, so nested failures read as a path (`Things: Status: ...`).
    pub fn take<T: DeserializeOwned + Default, E: de::Error>(
        &mut self,
        index: usize,
    ) -> Result<T, E> {
        match self.values.get_mut(index).and_then(Option::take) {
            None | Some(Value::Null) => Ok(T::default()),
            // Bounded: the error may quote a whole (server-provided) value, and each
            // nesting level would copy it again. Kept within what `DecodeError` prints,
            // so its cut marker (with the full length) survives.
            Some(value) => T::deserialize(value).map_err(|error| {
                E::custom(format_args!(
                    "{}: {}",
                    self.names[index],
                    crate::text::clip(&error, 160, 80)
                ))
            }),
        }
    }
}

struct FieldsVisitor {
    names: &'static [&'static str],
}

impl<'de> Visitor<'de> for FieldsVisitor {
    type Value = Fields;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields, A::Error> {
        let mut values = vec![None; self.names.len()];
        while let Some(key) = map.next_key::<String>()? {
            match self.names.iter().position(|name| *name == key) {
                Some(index) => values[index] = Some(map.next_value::<Value>()?),
                None => {
                    map.next_value::<de::IgnoredAny>()?;
                }
            }
        }
        Ok(Fields {
            names: self.names,
            values,
        })
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

    #[derive(Debug, Default, PartialEq)]
    struct Group {
        id: Option<String>,
        tags: Vec<String>,
        count: Option<i64>,
    }

    impl<'de> serde::Deserialize<'de> for Group {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let mut fields = Fields::read(deserializer, &["Id", "Tags", "Count"])?;
            Ok(Group {
                id: fields.take(0)?,
                tags: fields.take(1)?,
                count: fields.take(2)?,
            })
        }
    }

    impl Serialize for Group {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut writer = FieldWriter::new(serializer, 3)?;
            writer.field("Id", &self.id)?;
            writer.field("Tags", &self.tags)?;
            writer.field("Count", &self.count)?;
            writer.end()
        }
    }

    #[test]
    fn decodes_known_fields_and_skips_the_rest() {
        let group: Group =
            serde_json::from_str(r#"{"Id":"g","Extra":{"x":[1]},"Count":3,"Tags":null}"#).unwrap();
        assert_eq!(
            group,
            Group {
                id: Some("g".into()),
                tags: vec![],
                count: Some(3)
            }
        );
        assert_eq!(
            serde_json::to_string(&group).unwrap(),
            r#"{"Id":"g","Count":3}"#
        );
    }

    #[test]
    fn type_errors_name_the_field() {
        let error = serde_json::from_str::<Group>(r#"{"Count":"three"}"#).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("Count: invalid type: string \"three\""),
            "{error}"
        );
        let error = serde_json::from_str::<Group>("[1]").unwrap_err();
        assert!(
            error.to_string().contains("expected a JSON object"),
            "{error}"
        );
    }
}
