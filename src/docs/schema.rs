//! Prose of types: parameter and field docs with their constraints,
//! struct, enum, variant and alias docs.

use crate::spec::{EnumValue, Location, Schema};

use super::Links;

/// What a parameter or field says when the spec does not describe it.
const UNDESCRIBED: &str = "No description in the spec.";

/// A parameter's docs (on its setter), saying where it is sent.
pub fn parameter_docs(schema: &Schema, location: Location, links: &Links) -> Vec<String> {
    if location == Location::Stream {
        // A raw body's "example" is a description of bytes, not a value.
        let without_example = Schema {
            example: None,
            ..schema.clone()
        };
        return schema_docs(&without_example, links, Some(&sent_in(location)));
    }
    schema_docs(schema, links, Some(&sent_in(location)))
}

fn sent_in(location: Location) -> String {
    format!("Sent in the {}.", location_prose(location))
}

/// A response field read from header `name`.
pub fn response_header_docs(schema: &Schema, name: &str, links: &Links) -> Vec<String> {
    let origin = format!(
        "Read from the {} response header (`None` when absent); not part of the JSON form.",
        super::code(name)
    );
    schema_docs(schema, links, Some(&origin))
}

/// A parameter's line in the constructor's argument list.
pub fn parameter_summary(schema: &Schema, links: &Links) -> String {
    super::one_line(
        first_sentence(&schema.description).unwrap_or(UNDESCRIBED),
        links,
    )
}

fn location_prose(location: Location) -> &'static str {
    match location {
        Location::Query => "query string",
        Location::Body => "form body",
        Location::Header => "header",
        Location::Host => "host name",
        Location::Path => "path",
        Location::Stream => "raw request body (`application/octet-stream`)",
        Location::Json => "JSON request body",
        Location::JsonBody => "request body, as the whole JSON value",
    }
}

/// A shared struct.
pub fn component_docs(name: &str) -> Vec<String> {
    vec![format!("Shared type `{name}`.")]
}

/// A shared alias, with the component's description.
pub fn alias_docs(name: &str, description: &str, links: &Links) -> Vec<String> {
    let mut docs = component_docs(name);
    let description = super::markdown(description, links);
    if !description.is_empty() {
        // Blocks (a list not starting at 1) cannot follow a line directly.
        docs.push(String::new());
        docs.extend(description);
    }
    docs
}

/// A struct nested in an operation, named after the field `hint`.
pub fn nested_struct_docs(hint: &str) -> Vec<String> {
    vec![format!(
        "Fields of `{}`.",
        super::clean(hint).replace('`', "")
    )]
}

/// The one body field of a whole-body response.
pub fn whole_body_docs(body: crate::model::WholeBody) -> Vec<String> {
    use crate::model::WholeBody;
    vec![match body {
        WholeBody::Text => "The whole success body, as the text the service sent (not JSON).",
        WholeBody::Json => {
            "The whole success body: the service answers with this JSON array, not an object."
        }
        WholeBody::Bytes => "The whole success body, the bytes the service sent.",
    }
    .to_owned()]
}

/// Lines a struct's description adds after its first line.
pub fn struct_description(description: &str, links: &Links) -> Vec<String> {
    if description.is_empty() {
        return Vec::new();
    }
    let mut lines = vec![String::new()];
    lines.extend(super::markdown(description, links));
    lines
}

/// A valid-value enum.
pub fn enum_docs(name: &str, description: &str, links: &Links) -> Vec<String> {
    let mut docs = super::markdown(description, links);
    if docs.is_empty() {
        docs.push(format!("Valid values of `{}`.", super::clean(name)));
    }
    docs.push(String::new());
    docs.push("Values this crate does not know yet are kept, not rejected, so a new value from the service does not break decoding.".into());
    docs
}

/// One variant of a valid-value enum.
pub fn variant_docs(value: &EnumValue, links: &Links) -> Vec<String> {
    let mut docs = vec![format!("{}.", super::code(&value.value))];
    if !value.description.is_empty() {
        docs.push(String::new());
        docs.extend(super::markdown(&value.description, links));
    }
    docs
}

/// `origin` is the first fact: where the value travels.
pub fn schema_docs(schema: &Schema, links: &Links, origin: Option<&str>) -> Vec<String> {
    let mut lines = super::markdown(&schema.description, links);
    if lines.is_empty() {
        lines.push(UNDESCRIBED.into());
    }
    let mut facts = Vec::new();
    if let Some(origin) = origin {
        facts.push(origin.to_owned());
    }
    if let Some(example) = &schema.example {
        facts.push(format!("Example: {}.", super::code(example)));
    }
    if let Some(default) = &schema.default {
        facts.push(format!("Default: {}.", super::code(default)));
    }
    let number = |n: &serde_json::Number| n.to_string();
    facts.extend(bounds(
        "Range",
        schema.minimum.as_ref().map(number),
        schema.maximum.as_ref().map(number),
        "",
    ));
    facts.extend(bounds(
        "Length",
        schema.min_length.map(|n| n.to_string()),
        schema.max_length.map(|n| n.to_string()),
        " characters",
    ));
    facts.extend(bounds(
        "Items",
        schema.min_items.map(|n| n.to_string()),
        schema.max_items.map(|n| n.to_string()),
        "",
    ));
    if let Some(pattern) = &schema.pattern {
        facts.push(format!("Pattern: {}.", super::code(pattern)));
    }
    if schema.deprecated {
        facts.push("**Deprecated** by the service.".into());
    }
    if !facts.is_empty() {
        lines.push(String::new());
        lines.push(facts.join(" "));
    }
    if !schema.enumeration.is_empty() {
        lines.push(String::new());
        lines.push("Valid values:".into());
        for value in &schema.enumeration {
            let description = if value.description.is_empty() {
                String::new()
            } else {
                format!(": {}", super::one_line(&value.description, links))
            };
            lines.push(format!("- {}{description}", super::code(&value.value)));
        }
    }
    lines
}

/// `Length: 1 to 64 characters.`, `Range: at least 0.`: one constraint pair.
pub fn bounds(what: &str, min: Option<String>, max: Option<String>, unit: &str) -> Option<String> {
    match (min, max) {
        (Some(min), Some(max)) => Some(format!("{what}: {min} to {max}{unit}.")),
        (Some(min), None) => Some(format!("{what}: at least {min}{unit}.")),
        (None, Some(max)) => Some(format!("{what}: at most {max}{unit}.")),
        (None, None) => None,
    }
}

pub fn first_sentence(text: &str) -> Option<&str> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    Some(text.lines().next().unwrap_or(text))
}
