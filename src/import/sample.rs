//! The response sample against the response schema. The generated crate
//! decodes the sample in a test, and its decoder is strict (an `i64` field
//! takes only JSON integers), so a sample value of another type would fail
//! that test. Such a value is removed from the sample and noted: the
//! declared type stays, since the sample is hand-written documentation and
//! the schema is what the official SDKs are generated from.

use serde_json::Value;

use super::report::{quote, Kind, Notes};
use crate::spec::{Components, Operation, Schema, Type};

/// Remove from `op`'s sample every value its schema cannot decode, noting
/// each by JSON path.
pub(crate) fn check(op: &mut Operation, components: &Components, notes: &mut Notes) {
    let Some(response) = &mut op.response else {
        return;
    };
    let Some(text) = &response.example else {
        return;
    };
    let Ok(mut value) = serde_json::from_str::<Value>(text) else {
        return;
    };
    let mut removed = Vec::new();
    prune(&mut value, &response.schema, components, "$", &mut removed);
    if removed.is_empty() {
        return;
    }
    for (path, problem) in removed {
        notes.warn(
            Kind::BadSample,
            "response.example",
            format!("`{path}` {problem}; removed from the sample"),
        );
    }
    response.example = serde_json::to_string_pretty(&value).ok();
}

/// Why `value` cannot decode as `schema`, if it cannot (children aside).
fn mismatch(value: &Value, schema: &Schema) -> Option<String> {
    let ty = schema.ty?;
    let fits = match ty {
        Type::Int32 => value.as_i64().is_some_and(|v| i32::try_from(v).is_ok()),
        Type::Int64 => value.as_i64().is_some(),
        Type::Float | Type::Double => value.is_number(),
        Type::Boolean => value.is_boolean(),
        Type::String | Type::Binary => value.is_string(),
        Type::Array => value.is_array(),
        // A property-less object is decoded as any JSON value.
        Type::Object => value.is_object() || schema.properties.is_empty(),
        Type::Map => value.is_object(),
        Type::Any => true,
    };
    (!fits).then(|| {
        format!(
            "is {}, not {}",
            quote(&value.to_string()),
            article(ty.as_str())
        )
    })
}

fn article(ty: &str) -> String {
    if ty.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {ty}")
    } else {
        format!("a {ty}")
    }
}

/// Remove the children of `value` that `schema` cannot decode; `path` is
/// `value`'s JSON path. The root itself is always an object (checked when
/// the sample was read).
fn prune(
    value: &mut Value,
    schema: &Schema,
    components: &Components,
    path: &str,
    removed: &mut Vec<(String, String)>,
) {
    let schema = components.resolve(schema).schema;
    match (value, schema.ty) {
        (Value::Object(map), Some(Type::Object)) => {
            map.retain(|key, child| {
                let Some(property) = schema.properties.get(key) else {
                    return true;
                };
                keep(
                    child,
                    property,
                    components,
                    &format!("{path}.{key}"),
                    removed,
                )
            });
        }
        (Value::Object(map), Some(Type::Map)) => {
            if let Some(values) = &schema.values {
                map.retain(|key, child| {
                    keep(child, values, components, &format!("{path}.{key}"), removed)
                });
            }
        }
        (Value::Array(items), Some(Type::Array)) => {
            if let Some(item) = &schema.items {
                let child_path = format!("{path}[]");
                items.retain_mut(|child| keep(child, item, components, &child_path, removed));
            }
        }
        _ => {}
    }
}

/// Whether `child` stays: `null` always does (it decodes as absent); a
/// value of the wrong type does not, else its own children are pruned.
fn keep(
    child: &mut Value,
    schema: &Schema,
    components: &Components,
    path: &str,
    removed: &mut Vec<(String, String)>,
) -> bool {
    if child.is_null() {
        return true;
    }
    let resolved = components.resolve(schema).schema;
    if let Some(problem) = mismatch(child, resolved) {
        removed.push((path.to_owned(), problem));
        return false;
    }
    prune(child, resolved, components, path, removed);
    true
}
