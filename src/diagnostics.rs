//! Errors about spec input: each names the file, and where it can, the line,
//! column and field path, so a maintainer can go straight to the mistake.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// Field path inside the file, e.g. `parameters[1].schema.type`.
    pub field: String,
    pub message: String,
}

impl Diagnostic {
    pub fn new(file: &Path, field: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_path_buf(),
            line: None,
            column: None,
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }
}

/// Longest field path shown: room for the deepest path validation allows.
const MAX_FIELD_CHARS: usize = 1024;

/// Spec text as shown in a message: control and invisible characters
/// escaped, at most `max` characters, `...` when cut.
pub fn escaped(text: &str, max: usize) -> String {
    let escaped: String = text.chars().flat_map(char::escape_debug).collect();
    match escaped.char_indices().nth(max) {
        Some((cut, _)) => format!("{}...", &escaped[..cut]),
        None => escaped,
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let (Some(line), Some(column)) = (self.line, self.column) {
            write!(f, ":{line}:{column}")?;
        }
        if !self.field.is_empty() {
            // Field paths hold spec keys: no control character reaches a terminal.
            write!(f, ": {}", escaped(&self.field, MAX_FIELD_CHARS))?;
        }
        write!(f, ": {}", self.message)
    }
}

/// All problems found in one run, sorted so the output is stable.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Sorted and without repeats, so output is stable.
    pub fn sorted(mut self) -> Self {
        self.0.sort();
        self.0.dedup();
        self
    }

    /// `Ok(value)` when nothing was reported, else the sorted diagnostics.
    pub fn into_result<T>(self, value: T) -> Result<T, Diagnostics> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self.sorted())
        }
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Diagnostics(vec![diagnostic])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for diagnostic in &self.0 {
            writeln!(f, "error: {diagnostic}")?;
        }
        let count = self.0.len();
        write!(
            f,
            "{count} error{} in spec",
            if count == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for Diagnostics {}

/// Line and column (1-based) of the YAML node at `field` (a path as used in
/// diagnostics, e.g. `parameters[0].schema.enum[1]`) in `text`; when part of
/// the path does not exist (a missing field), the deepest node that does.
/// Meant for text that parsed; on broken text it may give `None`.
///
/// Semantic checks run on parsed values, which carry no positions. Rather
/// than a second YAML parser that might read the text differently, the same
/// parser walks down the path and fails on purpose at the node: serde_yaml
/// attaches the position of the node being read to that error.
pub fn locate(text: &str, field: &str) -> Option<(usize, usize)> {
    let error = match serde::de::DeserializeSeed::deserialize(
        Seek { rest: field },
        serde_yaml::Deserializer::from_str(text),
    ) {
        Ok(()) => return None,
        // Only our own error marks a node; a syntax error marks the text.
        Err(error) if error.to_string().contains(FOUND) => error,
        Err(_) => return None,
    };
    let location = error.location()?;
    Some((location.line(), location.column()))
}

/// Walks a YAML document towards `rest`; it always ends in an error raised
/// at the deepest node on the path, which serde_yaml marks with a position.
struct Seek<'a> {
    rest: &'a str,
}

const FOUND: &str = "acsgen: node found";

impl<'de> serde::de::DeserializeSeed<'de> for Seek<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

fn found<E: serde::de::Error>() -> Result<(), E> {
    Err(E::custom(FOUND))
}

/// `rest` without a leading `key`, if it starts with that whole segment.
fn after_key<'a>(rest: &'a str, key: &str) -> Option<&'a str> {
    let tail = rest.strip_prefix(key)?;
    if tail.is_empty() {
        Some(tail)
    } else if let Some(tail) = tail.strip_prefix('.') {
        Some(tail)
    } else if tail.starts_with('[') {
        Some(tail)
    } else {
        None
    }
}

/// `rest` without a leading `[index]`.
fn after_index(rest: &str) -> Option<(usize, &str)> {
    let inner = rest.strip_prefix('[')?;
    let (number, tail) = inner.split_once(']')?;
    let index = number.parse().ok()?;
    Some((index, tail.strip_prefix('.').unwrap_or(tail)))
}

/// A mapping key as text, whatever scalar it was written as.
struct KeyText(Option<String>);

impl<'de> serde::Deserialize<'de> for KeyText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = <serde_yaml::Value as serde::Deserialize>::deserialize(deserializer)?;
        Ok(KeyText(match value {
            serde_yaml::Value::String(text) => Some(text),
            serde_yaml::Value::Number(number) => Some(number.to_string()),
            serde_yaml::Value::Bool(flag) => Some(flag.to_string()),
            _ => None,
        }))
    }
}

impl<'de> serde::de::Visitor<'de> for Seek<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML node")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(KeyText(key)) = map.next_key()? {
            match key.as_deref().and_then(|key| after_key(self.rest, key)) {
                Some(rest) if !self.rest.is_empty() => {
                    return map.next_value_seed(Seek { rest });
                }
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        found()
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        if let Some((wanted, rest)) = after_index(self.rest) {
            let mut index = 0;
            while index < wanted {
                if seq.next_element::<serde::de::IgnoredAny>()?.is_none() {
                    return found();
                }
                index += 1;
            }
            if let Some(()) = seq.next_element_seed(Seek { rest })? {
                return found();
            }
        }
        found()
    }

    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, _data: A) -> Result<(), A::Error> {
        found()
    }

    fn visit_bool<E: serde::de::Error>(self, _v: bool) -> Result<(), E> {
        found()
    }

    fn visit_i64<E: serde::de::Error>(self, _v: i64) -> Result<(), E> {
        found()
    }

    fn visit_u64<E: serde::de::Error>(self, _v: u64) -> Result<(), E> {
        found()
    }

    fn visit_f64<E: serde::de::Error>(self, _v: f64) -> Result<(), E> {
        found()
    }

    fn visit_str<E: serde::de::Error>(self, _v: &str) -> Result<(), E> {
        found()
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        found()
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<(), E> {
        found()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "name: Ping\nparameters:\n- name: A\n  schema: {type: string, enum: [{value: x}, {value: x}]}\n- name: Filter.1.Key\n  schema:\n    type: array\n    items:\n      $ref: Thing\nresponse:\n  schema:\n    properties:\n      a.b: {type: int32}\n";

    #[test]
    fn locates_values_in_block_and_flow_style() {
        assert_eq!(locate(TEXT, "name"), Some((1, 7)));
        assert_eq!(locate(TEXT, "parameters[0].schema.enum[1]"), Some((4, 45)));
        assert_eq!(
            locate(TEXT, "parameters[0].schema.enum[1].value"),
            Some((4, 53))
        );
        assert_eq!(
            locate(TEXT, "parameters[1].schema.items.$ref"),
            Some((9, 13))
        );
        // Dotted keys match as a whole segment.
        assert_eq!(
            locate(TEXT, "response.schema.properties.a.b.type"),
            Some((13, 19))
        );
    }

    #[test]
    fn missing_fields_point_at_the_deepest_existing_node() {
        // The schema mapping of parameters[1] starts at its first key.
        assert_eq!(locate(TEXT, "parameters[1].schema.values"), Some((7, 5)));
        assert_eq!(locate(TEXT, "parameters[9].name"), Some((3, 1)));
        assert_eq!(locate(TEXT, "nothing"), Some((1, 1)));
        assert_eq!(locate("", "a"), Some((1, 1)));
    }
}
