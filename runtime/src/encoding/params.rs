//! The ordered wire parameters of one request, and the styles that flatten arrays and
//! objects into them.

use std::borrow::Cow;
use std::fmt::Write as _;

use serde::Serialize;
use serde_json::Value;

/// Where a parameter goes in the HTTP request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Location {
    /// URL query (signed).
    Query,
    /// `application/x-www-form-urlencoded` body (hashed into the V3 signature; part of
    /// the RPC string to sign).
    Body,
    /// Request header of the same name (signed when it is an `x-acs-*` header).
    Header,
    /// Host prefix: the value becomes `<value>.<endpoint host>`.
    Host,
    /// Path segment: replaces `{Name}` or `[Name]` in the operation path.
    Path,
    /// The raw request body, sent as `application/octet-stream` (hashed into the V3
    /// signature). Added with [`Params::push_stream`]; at most one per request, and
    /// never with [`Location::Body`] parameters.
    Stream,
    /// A field of a JSON object body (ROA style), sent as
    /// `application/json; charset=utf-8`. Added with [`Params::push_json_field`]
    /// (or [`Params::push`] with the value as JSON text).
    Json,
    /// The whole request body as one JSON value (ROA style), sent as
    /// `application/json; charset=utf-8`. Added with [`Params::push_json_body`] (or
    /// [`Params::push`] with the value as JSON text).
    JsonBody,
}

/// A request body other than form parameters: what [`Params`] holds for
/// [`Location::Stream`], [`Location::Json`] and [`Location::JsonBody`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Body {
    /// Raw bytes, `application/octet-stream`.
    Stream {
        /// Wire name of the parameter.
        name: &'static str,
        /// The body.
        bytes: Vec<u8>,
    },
    /// One whole JSON value (compact text), `application/json`.
    Json {
        /// Wire name of the parameter.
        name: &'static str,
        /// The body: compact JSON.
        text: String,
    },
    /// A JSON object of the given fields, in order (each value compact text).
    JsonFields(Vec<(&'static str, String)>),
}

impl Body {
    /// The bytes sent and their content type.
    pub fn encode(&self) -> (Vec<u8>, &'static str) {
        match self {
            Body::Stream { bytes, .. } => (bytes.clone(), STREAM_CONTENT_TYPE),
            Body::Json { text, .. } => (text.clone().into_bytes(), JSON_CONTENT_TYPE),
            Body::JsonFields(fields) => {
                let mut text = String::from("{");
                for (i, (name, value)) in fields.iter().enumerate() {
                    if i > 0 {
                        text.push(',');
                    }
                    // A wire name is plain text; serde_json quotes and escapes it.
                    text.push_str(&Value::from(*name).to_string());
                    text.push(':');
                    text.push_str(value);
                }
                text.push('}');
                (text.into_bytes(), JSON_CONTENT_TYPE)
            }
        }
    }

    /// The wire name of the parameter that made it (the first field's for fields).
    pub fn name(&self) -> &'static str {
        match self {
            Body::Stream { name, .. } | Body::Json { name, .. } => name,
            Body::JsonFields(fields) => fields.first().map_or("", |(name, _)| name),
        }
    }
}

/// Content type of a raw ([`Location::Stream`]) body.
pub const STREAM_CONTENT_TYPE: &str = "application/octet-stream";
/// Content type of a JSON ([`Location::Json`], [`Location::JsonBody`]) body, as the
/// official SDKs send it.
pub const JSON_CONTENT_TYPE: &str = "application/json; charset=utf-8";

/// A value that can be the raw request body: bytes, or an unset `Option` (no body).
pub trait ToStream {
    /// The body bytes; `None` sends no body.
    fn stream_bytes(&self) -> Option<&[u8]>;
}

impl ToStream for Vec<u8> {
    fn stream_bytes(&self) -> Option<&[u8]> {
        Some(self)
    }
}

impl ToStream for [u8] {
    fn stream_bytes(&self) -> Option<&[u8]> {
        Some(self)
    }
}

impl<T: ToStream> ToStream for Option<T> {
    fn stream_bytes(&self) -> Option<&[u8]> {
        self.as_ref().and_then(ToStream::stream_bytes)
    }
}

/// How an array or object parameter is turned into wire parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Style {
    /// One parameter per leaf: objects as `Name.Key`, arrays as `Name.1`, `Name.2`, ...
    /// (`Tag.1.Key=env`).
    RepeatList,
    /// One parameter, array items joined by `,`.
    Simple,
    /// One parameter holding compact JSON (field order kept, non-ASCII unescaped).
    Json,
    /// Like [`Style::RepeatList`] but every object key `k` is written `#<len>#k`
    /// (`Labels.#3#env=prod`). Meant for map-typed parameters: since the value goes
    /// through `serde_json`, struct fields inside are prefixed the same way.
    Flat,
    /// One parameter, array items joined by a space.
    SpaceDelimited,
    /// One parameter, array items joined by `|`.
    PipeDelimited,
}

/// One wire parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Param {
    /// Where it goes.
    pub location: Location,
    /// Wire name (flattened names such as `Tag.1.Key` are owned).
    pub name: Cow<'static, str>,
    /// Value as text, not yet percent-encoded.
    pub value: String,
}

/// A parameter that could not be serialized; reported by `Client::send` as a build error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamError {
    /// Wire name of the parameter.
    pub name: &'static str,
    /// What went wrong.
    pub message: String,
}

/// A scalar parameter value as its wire text; `None` sends nothing.
///
/// Implemented for strings, numbers, booleans, JSON values (sent as JSON text), the
/// generated value enums, and `Option` of any of them, so generated code passes every
/// scalar field the same way, set or not.
pub trait ToParam {
    /// The text to send, or `None` to leave the parameter out.
    fn to_param(&self) -> Option<String>;
}

impl ToParam for String {
    fn to_param(&self) -> Option<String> {
        Some(self.clone())
    }
}

impl ToParam for str {
    fn to_param(&self) -> Option<String> {
        Some(self.to_owned())
    }
}

macro_rules! display_param {
    ($($ty:ty),*) => {$(
        impl ToParam for $ty {
            fn to_param(&self) -> Option<String> {
                Some(self.to_string())
            }
        }
    )*};
}

display_param!(
    bool,
    i8,
    i16,
    i32,
    i64,
    u8,
    u16,
    u32,
    u64,
    f32,
    f64,
    serde_json::Value
);

impl<T: ToParam + ?Sized> ToParam for Box<T> {
    fn to_param(&self) -> Option<String> {
        (**self).to_param()
    }
}

impl<T: ToParam> ToParam for Option<T> {
    fn to_param(&self) -> Option<String> {
        self.as_ref().and_then(ToParam::to_param)
    }
}

/// Ordered wire parameters of one request.
#[derive(Clone, Debug, Default)]
pub struct Params {
    entries: Vec<Param>,
    /// The body other than form parameters, if any.
    body: Option<Body>,
    error: Option<ParamError>,
}

impl Params {
    /// An empty list with room for `n` parameters.
    pub fn with_capacity(n: usize) -> Params {
        Params {
            entries: Vec::with_capacity(n),
            body: None,
            error: None,
        }
    }

    /// Adds a scalar already rendered as text (bool -> `"true"`/`"false"`, numbers via
    /// `Display`).
    /// For a body location the value is the body's text: bytes for
    /// [`Location::Stream`], JSON text for [`Location::Json`] and
    /// [`Location::JsonBody`].
    pub fn push(&mut self, location: Location, name: &'static str, value: String) {
        match location {
            Location::Stream => self.set_body(
                name,
                Body::Stream {
                    name,
                    bytes: value.into_bytes(),
                },
            ),
            Location::JsonBody => self.set_body(name, Body::Json { name, text: value }),
            Location::Json => self.add_json_field(name, value),
            _ => self.entries.push(Param {
                location,
                name: Cow::Borrowed(name),
                value,
            }),
        }
    }

    /// Adds a scalar parameter (see [`ToParam`]); an unset `Option` adds nothing.
    pub fn push_value<T: ToParam + ?Sized>(
        &mut self,
        location: Location,
        name: &'static str,
        value: &T,
    ) {
        if let Some(value) = value.to_param() {
            self.push(location, name, value);
        }
    }

    /// Sets the raw request body ([`Location::Stream`]); an unset `Option` adds nothing.
    /// A second body is kept as an error, reported by `Client::send` as
    /// [`SdkError::Build`](crate::SdkError::Build).
    pub fn push_stream<T: ToStream + ?Sized>(&mut self, name: &'static str, value: &T) {
        if let Some(bytes) = value.stream_bytes() {
            let body = Body::Stream {
                name,
                bytes: bytes.to_vec(),
            };
            self.set_body(name, body);
        }
    }

    /// Sets the whole body to `value` as compact JSON ([`Location::JsonBody`]); `null`
    /// (an unset `Option`) adds nothing.
    pub fn push_json_body<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        match serde_json::to_string(value) {
            Ok(text) if text == "null" => {}
            Ok(text) => self.set_body(name, Body::Json { name, text }),
            Err(e) => self.fail(name, &e),
        }
    }

    /// Adds `name: value` to a JSON object body ([`Location::Json`]), fields in the
    /// order added; `null` (an unset `Option`) adds nothing.
    pub fn push_json_field<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        match serde_json::to_string(value) {
            Ok(text) if text == "null" => {}
            Ok(text) => self.add_json_field(name, text),
            Err(e) => self.fail(name, &e),
        }
    }

    fn add_json_field(&mut self, name: &'static str, text: String) {
        match &mut self.body {
            Some(Body::JsonFields(fields)) => fields.push((name, text)),
            _ => self.set_body(name, Body::JsonFields(vec![(name, text)])),
        }
    }

    fn set_body(&mut self, name: &'static str, body: Body) {
        match &self.body {
            Some(first) => {
                if self.error.is_none() {
                    self.error = Some(ParamError {
                        name,
                        message: format!("`{}` is already the request body", first.name()),
                    });
                }
            }
            None => self.body = Some(body),
        }
    }

    /// The body other than form parameters, if one was set.
    pub fn body(&self) -> Option<&Body> {
        self.body.as_ref()
    }

    /// Adds a parameter whose name is only known at run time.
    pub fn push_owned(&mut self, location: Location, name: String, value: String) {
        self.entries.push(Param {
            location,
            name: Cow::Owned(name),
            value,
        });
    }

    /// Adds an array/object/map: serialized with `serde_json` (wire names come from the
    /// serde attributes), then flattened or joined by `style`. A `null` value adds
    /// nothing. A serialization failure is kept and reported by `Client::send` as
    /// [`SdkError::Build`](crate::SdkError::Build).
    pub fn push_structured<T: Serialize + ?Sized>(
        &mut self,
        location: Location,
        name: &'static str,
        style: Style,
        value: &T,
    ) {
        let sep = match style {
            Style::Json => {
                // Straight to text: keeps struct field order without building a Value.
                match serde_json::to_string(value) {
                    Ok(text) if text == "null" => {}
                    Ok(text) => self.push(location, name, text),
                    Err(e) => self.fail(name, &e),
                }
                return;
            }
            Style::RepeatList | Style::Flat => None,
            Style::Simple => Some(","),
            Style::SpaceDelimited => Some(" "),
            Style::PipeDelimited => Some("|"),
        };
        let value = match serde_json::to_value(value) {
            Ok(v) => v,
            Err(e) => return self.fail(name, &e),
        };
        match sep {
            Some(sep) => self.push_joined(location, name, &value, sep),
            None => {
                let mut prefix = String::from(name);
                let flat = style == Style::Flat;
                flatten(&mut prefix, &value, flat, location, &mut self.entries);
            }
        }
    }

    fn push_joined(&mut self, location: Location, name: &'static str, value: &Value, sep: &str) {
        let text = match value {
            Value::Null => return,
            Value::Array(items) => {
                let mut text = String::new();
                for (i, item) in items.iter().filter(|v| !v.is_null()).enumerate() {
                    if i > 0 {
                        text.push_str(sep);
                    }
                    render_scalar(&mut text, item);
                }
                text
            }
            other => {
                let mut text = String::new();
                render_scalar(&mut text, other);
                text
            }
        };
        self.push(location, name, text);
    }

    fn fail(&mut self, name: &'static str, error: &serde_json::Error) {
        // Keep the first failure: it names the parameter the caller must fix.
        if self.error.is_none() {
            self.error = Some(ParamError {
                name,
                message: error.to_string(),
            });
        }
    }

    /// The parameters in insertion order.
    pub fn iter(&self) -> std::slice::Iter<'_, Param> {
        self.entries.iter()
    }

    /// Number of wire parameters (after flattening).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when no parameter (and no raw body) was added.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty() && self.body.is_none()
    }

    /// The first serialization failure, if any.
    pub fn error(&self) -> Option<&ParamError> {
        self.error.as_ref()
    }

    /// Writes `name { Wire: "value", .. }`: a generated request's `Debug`, which
    /// shows what would be sent (unset optional parameters are left out).
    pub fn debug_as(&self, name: &str, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut out = f.debug_struct(name);
        for param in &self.entries {
            out.field(&param.name, &param.value);
        }
        match &self.body {
            Some(Body::Stream { name, bytes }) => {
                out.field(name, &format_args!("<{} bytes>", bytes.len()));
            }
            Some(Body::Json { name, text }) => {
                out.field(name, &format_args!("{text}"));
            }
            Some(Body::JsonFields(fields)) => {
                for (name, text) in fields {
                    out.field(name, &format_args!("{text}"));
                }
            }
            None => {}
        }
        out.finish()
    }

    /// The value of the first parameter named `name` at `location`.
    pub fn get(&self, location: Location, name: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|p| p.location == location && p.name == name)
            .map(|p| p.value.as_str())
    }
}

impl<'a> IntoIterator for &'a Params {
    type Item = &'a Param;
    type IntoIter = std::slice::Iter<'a, Param>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter()
    }
}

/// Writes a leaf the way the SDKs stringify it; nested arrays/objects as compact JSON.
fn render_scalar(out: &mut String, value: &Value) {
    match value {
        Value::Null => {}
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            let _ = write!(out, "{n}");
        }
        Value::String(s) => out.push_str(s),
        Value::Array(_) | Value::Object(_) => {
            let _ = write!(out, "{value}");
        }
    }
}

fn flatten(
    prefix: &mut String,
    value: &Value,
    flat: bool,
    location: Location,
    out: &mut Vec<Param>,
) {
    match value {
        Value::Null => {}
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = prefix.len();
                let _ = write!(prefix, ".{}", i + 1);
                flatten(prefix, item, flat, location, out);
                prefix.truncate(len);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                let len = prefix.len();
                prefix.push('.');
                if flat {
                    let _ = write!(prefix, "#{}#", key.chars().count());
                }
                prefix.push_str(key);
                flatten(prefix, item, flat, location, out);
                prefix.truncate(len);
            }
        }
        scalar => {
            let mut text = String::new();
            render_scalar(&mut text, scalar);
            out.push(Param {
                location,
                name: Cow::Owned(prefix.clone()),
                value: text,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::ser::Error as _;
    use std::collections::BTreeMap;

    fn pairs(p: &Params) -> Vec<(String, String)> {
        p.iter()
            .map(|e| (e.name.to_string(), e.value.clone()))
            .collect()
    }

    #[derive(Serialize)]
    struct Tag {
        #[serde(rename = "Key")]
        key: String,
        #[serde(rename = "Value")]
        value: String,
    }

    #[test]
    fn repeat_list_flattens_arrays_of_objects() {
        let mut p = Params::default();
        let tags = vec![
            Tag {
                key: "env".into(),
                value: "prod test".into(),
            },
            Tag {
                key: "中文".into(),
                value: "~*/".into(),
            },
        ];
        p.push_structured(Location::Query, "Tag", Style::RepeatList, &tags);
        assert_eq!(
            pairs(&p),
            vec![
                ("Tag.1.Key".into(), "env".into()),
                ("Tag.1.Value".into(), "prod test".into()),
                ("Tag.2.Key".into(), "中文".into()),
                ("Tag.2.Value".into(), "~*/".into()),
            ]
        );
    }

    #[test]
    fn repeat_list_renders_booleans_numbers_and_skips_nulls() {
        let mut p = Params::default();
        let v = serde_json::json!({"On": true, "Off": false, "N": 3, "F": 1.5, "Skip": null, "L": [[1, 2]]});
        p.push_structured(Location::Body, "P", Style::RepeatList, &v);
        assert_eq!(
            pairs(&p),
            vec![
                ("P.On".into(), "true".into()),
                ("P.Off".into(), "false".into()),
                ("P.N".into(), "3".into()),
                ("P.F".into(), "1.5".into()),
                ("P.L.1.1".into(), "1".into()),
                ("P.L.1.2".into(), "2".into()),
            ]
        );
        assert!(p.iter().all(|e| e.location == Location::Body));
    }

    #[test]
    fn flat_prefixes_map_keys_with_their_length() {
        let mut p = Params::default();
        let mut labels = BTreeMap::new();
        labels.insert("env", "prod");
        labels.insert("中文", "x");
        p.push_structured(Location::Query, "Labels", Style::Flat, &labels);
        assert_eq!(
            pairs(&p),
            vec![
                ("Labels.#3#env".into(), "prod".into()),
                ("Labels.#2#中文".into(), "x".into()),
            ]
        );
    }

    #[test]
    fn json_is_compact_ordered_and_keeps_non_ascii() {
        let mut p = Params::default();
        p.push_structured(
            Location::Body,
            "StreamIds",
            Style::Json,
            &["app/stream 1", "中文*~"],
        );
        #[derive(Serialize)]
        struct Ordered {
            z: u8,
            a: bool,
        }
        p.push_structured(
            Location::Query,
            "O",
            Style::Json,
            &Ordered { z: 1, a: true },
        );
        assert_eq!(
            pairs(&p),
            vec![
                ("StreamIds".into(), r#"["app/stream 1","中文*~"]"#.into()),
                ("O".into(), r#"{"z":1,"a":true}"#.into()),
            ]
        );
    }

    #[test]
    fn delimited_styles_join_items() {
        let items = serde_json::json!(["a", "b c", 3, true]);
        let mut p = Params::default();
        p.push_structured(Location::Query, "S", Style::Simple, &items);
        p.push_structured(Location::Query, "W", Style::SpaceDelimited, &items);
        p.push_structured(Location::Query, "P", Style::PipeDelimited, &items);
        p.push_structured(
            Location::Query,
            "U",
            Style::Simple,
            &["user1", "user 2", "用户3"],
        );
        assert_eq!(
            pairs(&p),
            vec![
                ("S".into(), "a,b c,3,true".into()),
                ("W".into(), "a b c 3 true".into()),
                ("P".into(), "a|b c|3|true".into()),
                ("U".into(), "user1,user 2,用户3".into()),
            ]
        );
    }

    #[test]
    fn null_values_add_nothing() {
        let mut p = Params::default();
        let none: Option<Vec<String>> = None;
        for style in [Style::Json, Style::Simple, Style::RepeatList, Style::Flat] {
            p.push_structured(Location::Query, "X", style, &none);
        }
        assert!(p.is_empty());
        assert!(p.error().is_none());
    }

    struct Failing;
    impl Serialize for Failing {
        fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(S::Error::custom("value out of range"))
        }
    }

    #[test]
    fn serialization_failure_is_kept_with_the_parameter_name() {
        let mut p = Params::default();
        p.push_structured(Location::Query, "Bad", Style::RepeatList, &Failing);
        p.push_structured(Location::Query, "Later", Style::Json, &Failing);
        let err = p.error().expect("error kept");
        assert_eq!(err.name, "Bad");
        assert!(err.message.contains("value out of range"));
    }

    #[test]
    fn get_finds_by_location_and_name() {
        let mut p = Params::with_capacity(2);
        p.push(Location::Query, "A", "1".into());
        p.push_owned(Location::Header, "x-acs-a".into(), "2".into());
        assert_eq!(p.get(Location::Query, "A"), Some("1"));
        assert_eq!(p.get(Location::Header, "A"), None);
        assert_eq!(p.get(Location::Header, "x-acs-a"), Some("2"));
        assert_eq!(p.len(), 2);
    }
}
