//! Reading an api-docs.json: the top-level shape is checked here (a broken
//! file is bad input, exit 2); everything below `apis` is read leniently by
//! the converters, which report oddities instead of failing.

use std::path::Path;

use serde_json::{Map, Value};

use super::operation::Label;
use super::ImportError;

/// The parts of one api-docs.json the importer uses.
#[derive(Debug)]
pub(crate) struct Document<'a> {
    /// `info.style` as written, e.g. `RPC`, `ROA`, `OSS`.
    pub style: String,
    /// How the product is sent, from `style` and its operations' paths.
    pub label: Label,
    /// Lowercased `info.product`, e.g. `r-kvstore`.
    pub product: String,
    /// `info.product` as written, e.g. `R-kvstore`.
    pub product_title: String,
    pub version: String,
    pub apis: &'a Map<String, Value>,
    /// `components.schemas`; some editions write an empty one as `[]`.
    pub schemas: Option<&'a Map<String, Value>>,
    /// `(regionId, endpoint)` in metadata order.
    pub endpoints: Vec<(String, String)>,
}

fn bad(file: &Path, path: &str, message: impl Into<String>) -> ImportError {
    ImportError::BadInput {
        file: file.to_path_buf(),
        path: path.to_owned(),
        message: message.into(),
    }
}

/// Read and parse a JSON file: a regular file within the size limit (never
/// a FIFO or device), a UTF-8 byte-order mark allowed.
pub(crate) fn read_json(file: &Path) -> Result<Value, ImportError> {
    let bytes = crate::load::read_bytes(file, crate::load::MAX_FILE_BYTES)
        .map_err(|e| bad(file, "", e.to_string()))?;
    let json = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    serde_json::from_slice(json).map_err(|e| bad(file, "", format!("not valid JSON: {e}")))
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn required_str<'a>(
    file: &Path,
    info: &'a Map<String, Value>,
    key: &str,
) -> Result<&'a str, ImportError> {
    let path = format!("$.info.{key}");
    match info.get(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.trim()),
        Some(Value::String(_)) => Err(bad(file, &path, "is empty")),
        Some(other) => Err(bad(
            file,
            &path,
            format!("expected a string, found {}", kind_of(other)),
        )),
        None => Err(bad(file, &path, "missing")),
    }
}

/// Check the top-level shape of a parsed api-docs.json.
pub(crate) fn document<'a>(value: &'a Value, file: &Path) -> Result<Document<'a>, ImportError> {
    let Value::Object(root) = value else {
        return Err(bad(
            file,
            "$",
            format!("expected an object, found {}", kind_of(value)),
        ));
    };
    let apis = match root.get("apis") {
        Some(Value::Object(apis)) => apis,
        Some(other) => {
            return Err(bad(
                file,
                "$.apis",
                format!("expected an object, found {}", kind_of(other)),
            ));
        }
        None => return Err(bad(file, "$.apis", "missing: not an api-docs.json?")),
    };
    let info = match root.get("info") {
        Some(Value::Object(info)) => info,
        Some(other) => {
            return Err(bad(
                file,
                "$.info",
                format!("expected an object, found {}", kind_of(other)),
            ));
        }
        None => return Err(bad(file, "$.info", "missing")),
    };
    let style = required_str(file, info, "style")?.to_owned();
    let product_title = required_str(file, info, "product")?.to_owned();
    let product = product_title.to_ascii_lowercase();
    if !product
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(bad(
            file,
            "$.info.product",
            format!("`{product_title}` is not a product code (letters, digits and `-`)"),
        ));
    }
    let version = required_str(file, info, "version")?.to_owned();
    let schemas = match root.get("components").and_then(|c| c.get("schemas")) {
        Some(Value::Object(schemas)) => Some(schemas),
        _ => None,
    };
    let endpoints = match root.get("endpoints") {
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(|e| {
                let region = e.get("regionId")?.as_str()?;
                let host = e.get("endpoint")?.as_str()?;
                Some((region.to_owned(), host.to_owned()))
            })
            .collect(),
        _ => Vec::new(),
    };
    Ok(Document {
        label: Label::of_document(&style, apis),
        style,
        product,
        product_title,
        version,
        apis,
        schemas,
        endpoints,
    })
}

/// A scalar as text: the spec keeps examples, defaults and enum values as text.
pub(crate) fn value_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(_) | Value::Object(_) => Some(value.to_string()),
    }
}

pub(crate) fn get_str<'a>(object: &'a Map<String, Value>, key: &str) -> &'a str {
    object.get(key).and_then(Value::as_str).unwrap_or("")
}

pub(crate) fn get_bool(object: &Map<String, Value>, key: &str) -> bool {
    match object.get(key) {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}
