//! Metadata schema (OpenAPI-like JSON) to [`Schema`]. Never fails: every
//! oddity is normalized to something the validator accepts and noted.

use indexmap::IndexMap;
use serde_json::{Map, Number, Value};

use super::metadata::{get_bool, get_str, value_text};
use super::prose::clean;
use super::report::{quote, Kind, Notes};
use crate::spec::{EnumValue, Schema, Type};
use crate::validate::parse_integer;

/// Deeper schemas become `any` (the deepest real one has 28 levels); the
/// `any` itself is one level more, at the validator's limit.
pub(crate) const MAX_DEPTH: usize = crate::validate::MAX_NESTING - 1;

const REF_PREFIX: &str = "#/components/schemas/";

/// Convert one schema; `path` names it in notes, e.g. `parameters.Tag[].Key`.
pub(crate) fn convert(value: &Value, path: &str, notes: &mut Notes) -> Schema {
    convert_at(value, path, 0, notes)
}

fn any() -> Schema {
    Schema {
        ty: Some(Type::Any),
        ..Schema::default()
    }
}

fn convert_at(value: &Value, path: &str, depth: usize, notes: &mut Notes) -> Schema {
    let Value::Object(object) = value else {
        notes.warn(
            Kind::MissingType,
            path,
            "schema is not an object; used `any`",
        );
        return any();
    };
    if depth > MAX_DEPTH {
        notes.warn(
            Kind::TooDeep,
            path,
            format!("nested more than {MAX_DEPTH} levels; used `any` below this point"),
        );
        return any();
    }
    let mut schema = Schema {
        required: get_bool(object, "required"),
        description: clean(get_str(object, "description")),
        example: object.get("example").and_then(value_text),
        deprecated: get_bool(object, "deprecated"),
        ..Schema::default()
    };
    if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
        if object.contains_key("type") {
            notes.warn(
                Kind::UnknownType,
                path,
                "has both `type` and `$ref`; used `$ref`",
            );
        }
        let name = reference.strip_prefix(REF_PREFIX).unwrap_or(reference);
        schema.reference = Some(name.to_owned());
        return schema;
    }
    let ty = schema_type(object, path, notes);
    schema.ty = Some(ty);
    match ty {
        Type::Array => {
            schema.items = Some(Box::new(match object.get("items") {
                Some(items) => convert_at(items, &format!("{path}[]"), depth + 1, notes),
                None => {
                    notes.warn(
                        Kind::ArrayWithoutItems,
                        path,
                        "array without `items`; used string items",
                    );
                    Schema {
                        ty: Some(Type::String),
                        ..Schema::default()
                    }
                }
            }));
        }
        Type::Object => {
            if let Some(Value::Object(properties)) = object.get("properties") {
                schema.properties = convert_properties(properties, path, depth, notes);
            }
        }
        Type::Map => {
            let values = object.get("additionalProperties").filter(|v| v.is_object());
            schema.values = Some(Box::new(match values {
                Some(values) => convert_at(values, &format!("{path}{{}}"), depth + 1, notes),
                None => any(),
            }));
        }
        _ => {}
    }
    constraints(object, &mut schema, path, notes);
    schema
}

fn convert_properties(
    properties: &Map<String, Value>,
    path: &str,
    depth: usize,
    notes: &mut Notes,
) -> IndexMap<String, Schema> {
    let mut out = IndexMap::with_capacity(properties.len());
    for (name, property) in properties {
        if name.trim().is_empty() {
            notes.warn(
                Kind::EmptyPropertyName,
                path,
                "property with an empty name; dropped",
            );
            continue;
        }
        let schema = convert_at(property, &format!("{path}.{name}"), depth + 1, notes);
        out.insert(name.clone(), schema);
    }
    out
}

fn schema_type(object: &Map<String, Value>, path: &str, notes: &mut Notes) -> Type {
    let format = get_str(object, "format");
    match object.get("type") {
        None => {
            notes.warn(
                Kind::MissingType,
                path,
                "no `type` and no `$ref`; used `any`",
            );
            Type::Any
        }
        Some(Value::String(ty)) => match ty.as_str() {
            "string" if format == "binary" => Type::Binary,
            "string" => Type::String,
            "integer" if format == "int32" => Type::Int32,
            "integer" => Type::Int64,
            "number" if format == "float" => Type::Float,
            "number" => Type::Double,
            "boolean" => Type::Boolean,
            "array" => Type::Array,
            "object" => {
                let has_properties =
                    matches!(object.get("properties"), Some(Value::Object(p)) if !p.is_empty());
                let has_values =
                    matches!(object.get("additionalProperties"), Some(Value::Object(_)));
                if has_values && !has_properties {
                    Type::Map
                } else {
                    Type::Object
                }
            }
            "any" => Type::Any,
            other => {
                notes.warn(
                    Kind::UnknownType,
                    path,
                    format!("unknown type `{other}`; used `any`"),
                );
                Type::Any
            }
        },
        Some(other) => {
            notes.warn(
                Kind::UnknownType,
                path,
                format!("`type` is not a string: {other}; used `any`"),
            );
            Type::Any
        }
    }
}

/// Enum, default, bounds, lengths, item counts and pattern.
fn constraints(object: &Map<String, Value>, schema: &mut Schema, path: &str, notes: &mut Notes) {
    let ty = schema.ty.unwrap_or(Type::Any);
    if let Some(values) = object.get("enum") {
        schema.enumeration = enumeration(values, object.get("enumValueTitles"), ty, path, notes);
    }
    let default = object.get("default").and_then(value_text);
    schema.minimum = number(object, "minimum", path, notes);
    schema.maximum = number(object, "maximum", path, notes);
    if let (Some(min), Some(max)) = (&schema.minimum, &schema.maximum) {
        if let (Some(lo), Some(hi)) = (min.as_f64(), max.as_f64()) {
            if lo > hi {
                notes.warn(
                    Kind::BadConstraint,
                    path,
                    format!("minimum {min} is above maximum {max}; dropped both"),
                );
                schema.minimum = None;
                schema.maximum = None;
            }
        }
    }
    let (min_length, max_length) = count_pair(object, "minLength", "maxLength", path, notes);
    schema.min_length = min_length;
    schema.max_length = max_length;
    let (min_items, max_items) = count_pair(object, "minItems", "maxItems", path, notes);
    schema.min_items = min_items;
    schema.max_items = max_items;
    schema.pattern = object
        .get("pattern")
        .and_then(Value::as_str)
        .filter(|p| !p.is_empty())
        .map(str::to_owned);
    // Checked against the bounds and valid values kept above.
    schema.default = default.and_then(|text| checked_value(schema, "default", text, path, notes));
    schema.example = schema
        .example
        .take()
        .and_then(|text| checked_value(schema, "example", text, path, notes));
}

/// `text` as a `what` (default or example) of `schema`: kept when the
/// declared type, valid values and bounds allow it, `True`/`False` of a
/// boolean lowercased, anything else dropped; each change is noted.
fn checked_value(
    schema: &Schema,
    what: &str,
    text: String,
    path: &str,
    notes: &mut Notes,
) -> Option<String> {
    let ty = schema.ty.unwrap_or(Type::Any);
    if what == "example" && text.trim().is_empty() && ty != Type::String {
        // An empty example is no example.
        return None;
    }
    if ty == Type::Boolean && matches!(text.trim(), "True" | "False" | "TRUE" | "FALSE") {
        let lower = text.trim().to_ascii_lowercase();
        notes.warn(
            kind_for(what),
            path,
            format!("{what} {} written `{lower}`", quote(&text)),
        );
        return Some(lower);
    }
    match contradiction(schema, ty, &text) {
        None => Some(text),
        Some(problem) => {
            notes.warn(
                kind_for(what),
                path,
                format!("{what} {} {problem}; dropped", quote(&text)),
            );
            None
        }
    }
}

fn kind_for(what: &str) -> Kind {
    if what == "default" {
        Kind::InvalidDefault
    } else {
        Kind::BadExample
    }
}

/// Whether `text` can be an example or default of `schema`: facts taken
/// from elsewhere (an older edition, the existing file) must fit too.
pub(crate) fn fits(schema: &Schema, text: &str) -> bool {
    contradiction(schema, schema.ty.unwrap_or(Type::Any), text).is_none()
}

/// Why `text` cannot be a value of `schema` (of type `ty`), if it cannot.
fn contradiction(schema: &Schema, ty: Type, text: &str) -> Option<String> {
    let number = match ty {
        Type::Int32 | Type::Int64 => match parse_integer(ty, text) {
            Some(value) => value as f64,
            None => return Some(format!("is not an {}", ty.as_str())),
        },
        Type::Float | Type::Double => match text.trim().parse::<f64>() {
            Ok(value) if value.is_finite() => value,
            _ => return Some(format!("is not a {}", ty.as_str())),
        },
        Type::Boolean if !matches!(text.trim(), "true" | "false") => {
            return Some("is not a boolean".to_owned());
        }
        Type::String if !schema.enumeration.is_empty() => {
            return (!schema.enumeration.iter().any(|v| v.value == text))
                .then(|| "is not one of the valid values".to_owned());
        }
        _ => return None,
    };
    if ty.is_integer() && !schema.enumeration.is_empty() {
        let listed = schema
            .enumeration
            .iter()
            .any(|v| parse_integer(ty, &v.value) == parse_integer(ty, text));
        if !listed {
            return Some("is not one of the valid values".to_owned());
        }
    }
    let bound = |b: &Option<Number>| b.as_ref().and_then(Number::as_f64);
    match (bound(&schema.minimum), bound(&schema.maximum)) {
        (Some(min), _) if number < min => Some(format!("is below the minimum {min}")),
        (_, Some(max)) if number > max => Some(format!("is above the maximum {max}")),
        _ => None,
    }
}

fn enumeration(
    values: &Value,
    titles: Option<&Value>,
    ty: Type,
    path: &str,
    notes: &mut Notes,
) -> Vec<EnumValue> {
    let Value::Array(values) = values else {
        notes.warn(
            Kind::InvalidEnumValue,
            path,
            "`enum` is not a list; dropped",
        );
        return Vec::new();
    };
    if values.is_empty() {
        notes.warn(Kind::EmptyEnum, path, "empty `enum`; dropped");
        return Vec::new();
    }
    if !matches!(ty, Type::String | Type::Int32 | Type::Int64) {
        notes.warn(
            Kind::InvalidEnumValue,
            path,
            format!(
                "`enum` on a `{}` (only strings and integers have one); dropped",
                ty.as_str()
            ),
        );
        return Vec::new();
    }
    let titles = titles.and_then(Value::as_object);
    let mut out: Vec<EnumValue> = Vec::with_capacity(values.len());
    for value in values {
        let Some(text) = value_text(value) else {
            notes.warn(Kind::InvalidEnumValue, path, "null enum value; dropped");
            continue;
        };
        if ty.is_integer() && parse_integer(ty, &text).is_none() {
            notes.warn(
                Kind::InvalidEnumValue,
                path,
                format!("enum value `{text}` is not an {}; dropped", ty.as_str()),
            );
            continue;
        }
        if out.iter().any(|v| v.value == text) {
            notes.warn(
                Kind::InvalidEnumValue,
                path,
                format!("enum value `{text}` listed twice; kept one"),
            );
            continue;
        }
        // A title that only repeats the value says nothing.
        let description = titles
            .and_then(|t| t.get(&text))
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|t| !t.is_empty() && *t != text)
            .map(clean)
            .unwrap_or_default();
        out.push(EnumValue {
            value: text,
            description,
        });
    }
    out
}

/// A bound: metadata writes numbers as strings (`"1"`), sometimes as numbers.
fn number(object: &Map<String, Value>, key: &str, path: &str, notes: &mut Notes) -> Option<Number> {
    let parsed = match object.get(key)? {
        Value::Number(n) => Some(n.clone()),
        Value::String(s) if s.trim().is_empty() => return None,
        Value::String(s) => {
            let s = s.trim();
            s.parse::<i64>()
                .map(Number::from)
                .ok()
                .or_else(|| s.parse::<u64>().map(Number::from).ok())
                .or_else(|| s.parse::<f64>().ok().and_then(Number::from_f64))
        }
        _ => None,
    };
    if parsed.is_none() {
        notes.warn(
            Kind::BadConstraint,
            path,
            format!("`{key}` {} is not a number; dropped", object[key]),
        );
    }
    parsed
}

fn count(object: &Map<String, Value>, key: &str, path: &str, notes: &mut Notes) -> Option<u64> {
    let parsed = match object.get(key)? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    if parsed.is_none() {
        notes.warn(
            Kind::BadConstraint,
            path,
            format!("`{key}` {} is not a count; dropped", object[key]),
        );
    }
    parsed
}

fn count_pair(
    object: &Map<String, Value>,
    min_key: &str,
    max_key: &str,
    path: &str,
    notes: &mut Notes,
) -> (Option<u64>, Option<u64>) {
    let min = count(object, min_key, path, notes);
    let max = count(object, max_key, path, notes);
    match (min, max) {
        (Some(lo), Some(hi)) if lo > hi => {
            notes.warn(
                Kind::BadConstraint,
                path,
                format!("`{min_key}` {lo} is above `{max_key}` {hi}; dropped both"),
            );
            (None, None)
        }
        pair => pair,
    }
}

/// Every `$ref` name used in a schema, for the components closure.
pub(crate) fn references<'a>(schema: &'a Schema, out: &mut Vec<&'a str>) {
    if let Some(name) = &schema.reference {
        out.push(name);
    }
    if let Some(items) = &schema.items {
        references(items, out);
    }
    if let Some(values) = &schema.values {
        references(values, out);
    }
    for property in schema.properties.values() {
        references(property, out);
    }
}

/// Replace each `$ref` that `known` rejects by `any`, noting it.
pub(crate) fn fix_references(
    schema: &mut Schema,
    path: &str,
    known: &dyn Fn(&str) -> bool,
    notes: &mut Notes,
) {
    if let Some(name) = &schema.reference {
        if !known(name) {
            notes.warn(
                Kind::DanglingReference,
                path,
                format!("`$ref` to `{name}`, which is not an importable component; used `any`"),
            );
            schema.reference = None;
            schema.ty = Some(Type::Any);
        }
    }
    if let Some(items) = &mut schema.items {
        fix_references(items, &format!("{path}[]"), known, notes);
    }
    if let Some(values) = &mut schema.values {
        fix_references(values, &format!("{path}{{}}"), known, notes);
    }
    for (name, property) in &mut schema.properties {
        fix_references(property, &format!("{path}.{name}"), known, notes);
    }
}
