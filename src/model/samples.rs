//! The sample-body test: which JSON paths of the spec's sample no response
//! field models, so the generated test knows what decoding may drop.

use serde_json::Value;

use crate::spec::{Components, Response, Schema, Type};

use super::builder::is_free_form;
use super::lit::lit;

/// The sample body and its unmodelled paths, as literals; `None` without a
/// sample that parses.
pub(super) fn sample_test(
    response: &Response,
    components: &Components,
) -> (Option<String>, Vec<String>) {
    let Some(text) = response.example.as_deref() else {
        return (None, Vec::new());
    };
    let Ok(value) = serde_json::from_str::<Value>(text) else {
        return (None, Vec::new());
    };
    let mut missing = unmodelled_paths(&value, &response.schema, components);
    missing.dedup();
    (Some(lit(text)), missing.iter().map(|m| lit(m)).collect())
}

/// Values that decode like an absent field (`null`, `[]`, `{}`): a field
/// holding one is the same value as no field, so it may be left out when
/// encoded again, and leaving it out loses nothing. The generated test's
/// comparison (`templates/testing.rs.askama`) uses the same rule.
pub fn is_empty_value(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
        _ => false,
    }
}

/// Sorted JSON paths of `value` that `schema`, a response body, does not
/// model.
pub fn unmodelled_paths(value: &Value, schema: &Schema, components: &Components) -> Vec<String> {
    let mut out = Vec::new();
    unmodelled(value, schema, components, "$", &mut out);
    out.sort();
    out
}

fn unmodelled(
    value: &Value,
    schema: &Schema,
    components: &Components,
    path: &str,
    out: &mut Vec<String>,
) {
    let schema = components.resolve(schema).schema;
    // A `Value` field keeps everything under it (an unknown `$ref` is one too);
    // the body itself is always a struct, which keeps only its fields.
    if path != "$" && is_free_form(schema) {
        return;
    }
    match (value, schema.ty) {
        (Value::Object(map), Some(Type::Object)) => {
            for (key, child) in map {
                if is_empty_value(child) {
                    continue;
                }
                let child_path = format!("{path}.{key}");
                match schema.properties.get(key) {
                    Some(property) => unmodelled(child, property, components, &child_path, out),
                    None => out.push(child_path),
                }
            }
        }
        (Value::Object(map), Some(Type::Map)) => {
            if let Some(values) = &schema.values {
                for (key, child) in map {
                    unmodelled(child, values, components, &format!("{path}.{key}"), out);
                }
            }
        }
        (Value::Array(items), Some(Type::Array)) => {
            if let Some(item_schema) = &schema.items {
                for item in items {
                    unmodelled(item, item_schema, components, &format!("{path}[]"), out);
                }
            }
        }
        _ => {}
    }
}
