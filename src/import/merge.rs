//! Combining sources: the older edition fills documentation the newer one
//! lacks (facts about parameters always come from the newer one); `--prose
//! none` strips prose; `--prose keep` puts back prose of the existing files,
//! and the facts they hold that the metadata lacks.

use std::collections::HashMap;

use super::operation::Converted;
use super::prose::neutral_summary;
use super::report::Notes;
use super::schema;
use crate::spec::{EnumValue, ErrorCode, Operation, ResponseHeader, Schema};

/// What [`fill_operation`] took wholesale from the older edition, so the
/// notes made while converting those parts can be kept.
#[derive(Debug, Default)]
pub(crate) struct Taken {
    pub read_only: bool,
    pub response: bool,
    pub errors: bool,
}

/// Fill `new` from `old` (the same operation in the older edition).
pub(crate) fn fill_operation(new: &mut Converted, old: &Converted) -> Taken {
    let mut taken = Taken::default();
    let (op, old_op) = (&mut new.op, &old.op);
    if op.summary.is_empty() {
        op.summary.clone_from(&old_op.summary);
    }
    if op.description.is_empty() {
        op.description.clone_from(&old_op.description);
    }
    if op.rate_limit.is_none() {
        op.rate_limit.clone_from(&old_op.rate_limit);
    }
    if !new.has_operation_type {
        op.read_only = old_op.read_only;
        taken.read_only = true;
    }
    let old_params: HashMap<&str, &Schema> = old_op
        .parameters
        .iter()
        .map(|p| (p.name.as_str(), &p.schema))
        .collect();
    for param in &mut op.parameters {
        if let Some(old_schema) = old_params.get(param.name.as_str()) {
            fill_schema(&mut param.schema, old_schema);
        }
    }
    match (&mut op.response, &old_op.response) {
        (None, Some(old_response)) => {
            op.response = Some(old_response.clone());
            taken.response = true;
        }
        (Some(response), Some(old_response)) => {
            fill_schema(&mut response.schema, &old_response.schema);
            if response.example.is_none() {
                response.example.clone_from(&old_response.example);
            }
            if response.headers.is_empty() {
                response.headers.clone_from(&old_response.headers);
            }
            for (header, old) in same_headers(&mut response.headers, &old_response.headers) {
                fill_schema(&mut header.schema, old);
            }
        }
        _ => {}
    }
    if op.errors.is_empty() && !old_op.errors.is_empty() {
        op.errors.clone_from(&old_op.errors);
        taken.errors = true;
    } else {
        fill_errors(&mut op.errors, &old_op.errors);
    }
    taken
}

fn fill_errors(errors: &mut [ErrorCode], old: &[ErrorCode]) {
    let old: HashMap<(u16, &str), &ErrorCode> = old
        .iter()
        .map(|e| ((e.status, e.code.as_str()), e))
        .collect();
    for error in errors {
        if let Some(old_error) = old.get(&(error.status, error.code.as_str())) {
            if error.description.is_empty() {
                error.description.clone_from(&old_error.description);
            }
            if error.message.is_empty() {
                error.message.clone_from(&old_error.message);
            }
        }
    }
}

/// Fill documentation (description, example, enum titles; a default when the
/// type is unchanged) of `new` from `old`, field by field.
pub(crate) fn fill_schema(new: &mut Schema, old: &Schema) {
    if new.description.is_empty() {
        new.description.clone_from(&old.description);
    }
    // Type, valid values or bounds may have changed since.
    if new.example.is_none() {
        new.example = old.example.clone().filter(|e| schema::fits(new, e));
    }
    if new.default.is_none() && new.ty == old.ty && new.reference == old.reference {
        new.default = old.default.clone().filter(|d| schema::fits(new, d));
    }
    fill_enum(&mut new.enumeration, &old.enumeration);
    if let (Some(items), Some(old_items)) = (&mut new.items, &old.items) {
        fill_schema(items, old_items);
    }
    if let (Some(values), Some(old_values)) = (&mut new.values, &old.values) {
        fill_schema(values, old_values);
    }
    for (name, property) in &mut new.properties {
        if let Some(old_property) = old.properties.get(name) {
            fill_schema(property, old_property);
        }
    }
}

fn fill_enum(values: &mut [EnumValue], old: &[EnumValue]) {
    for value in values {
        if value.description.is_empty() {
            if let Some(old_value) = old.iter().find(|o| o.value == value.value) {
                value.description.clone_from(&old_value.description);
            }
        }
    }
}

/// Remove all prose: what `--prose none` writes.
pub(crate) fn strip_operation(op: &mut Operation) {
    op.summary = neutral_summary(&op.name);
    op.description.clear();
    for param in &mut op.parameters {
        strip_schema(&mut param.schema);
    }
    if let Some(response) = &mut op.response {
        strip_schema(&mut response.schema);
        for header in &mut response.headers {
            strip_schema(&mut header.schema);
        }
    }
    for error in &mut op.errors {
        error.description.clear();
    }
}

/// Each header of `new` paired with the schema of `old`'s header of the same
/// name (header names ignore case).
fn same_headers<'n, 'o>(
    new: &'n mut [ResponseHeader],
    old: &'o [ResponseHeader],
) -> impl Iterator<Item = (&'n mut ResponseHeader, &'o Schema)> {
    new.iter_mut().filter_map(move |header| {
        let key = header.key();
        old.iter()
            .find(|o| o.key() == key)
            .map(|o| (header, &o.schema))
    })
}

pub(crate) fn strip_schema(schema: &mut Schema) {
    schema.description.clear();
    for value in &mut schema.enumeration {
        value.description.clear();
    }
    if let Some(items) = &mut schema.items {
        strip_schema(items);
    }
    if let Some(values) = &mut schema.values {
        strip_schema(values);
    }
    for property in schema.properties.values_mut() {
        strip_schema(property);
    }
}

/// Put back the prose of `existing` (the file already on disk) into a
/// prose-less `new`, wherever the same operation/parameter/field/error/enum
/// value still exists.
pub(crate) fn keep_operation(new: &mut Operation, existing: &Operation) {
    if !existing.summary.trim().is_empty() {
        new.summary.clone_from(&existing.summary);
    }
    new.description.clone_from(&existing.description);
    if let (Some(deprecation), Some(old)) = (&mut new.deprecated, &existing.deprecated) {
        if !old.note.is_empty() {
            deprecation.note.clone_from(&old.note);
        }
    }
    let old_params: HashMap<&str, &Schema> = existing
        .parameters
        .iter()
        .map(|p| (p.name.as_str(), &p.schema))
        .collect();
    for param in &mut new.parameters {
        if let Some(old) = old_params.get(param.name.as_str()) {
            keep_schema(&mut param.schema, old);
        }
    }
    if let (Some(response), Some(old)) = (&mut new.response, &existing.response) {
        keep_schema(&mut response.schema, &old.schema);
        for (header, old) in same_headers(&mut response.headers, &old.headers) {
            keep_schema(&mut header.schema, old);
        }
    }
    let old_errors: HashMap<(u16, &str), &str> = existing
        .errors
        .iter()
        .map(|e| ((e.status, e.code.as_str()), e.description.as_str()))
        .collect();
    for error in &mut new.errors {
        if let Some(description) = old_errors.get(&(error.status, error.code.as_str())) {
            error.description = (*description).to_owned();
        }
    }
}

/// Put back facts of `existing` that the metadata did not give `new`: a
/// rate limit, a response (schema and sample), the error codes, and per
/// schema an example, a default or the valid values. The metadata wins
/// wherever it has the fact; only a gap is filled, so facts filled in by
/// hand survive a re-import. Returns what was kept, as field paths.
pub(crate) fn keep_facts(new: &mut Operation, existing: &Operation) -> Vec<String> {
    let mut kept = Vec::new();
    if new.rate_limit.is_none() && existing.rate_limit.is_some() {
        new.rate_limit.clone_from(&existing.rate_limit);
        kept.push("rate_limit".to_owned());
    }
    let old_params: HashMap<&str, &Schema> = existing
        .parameters
        .iter()
        .map(|p| (p.name.as_str(), &p.schema))
        .collect();
    for param in &mut new.parameters {
        if let Some(old) = old_params.get(param.name.as_str()) {
            let path = format!("parameters.{}", param.name);
            keep_schema_facts(&mut param.schema, old, &path, &mut kept);
        }
    }
    match (&mut new.response, &existing.response) {
        (None, Some(old)) => {
            new.response = Some(old.clone());
            kept.push("response".to_owned());
        }
        (Some(response), Some(old)) => {
            if response.example.is_none() && old.example.is_some() {
                response.example.clone_from(&old.example);
                kept.push("response.example".to_owned());
            }
            keep_schema_facts(&mut response.schema, &old.schema, "response", &mut kept);
            if response.headers.is_empty() && !old.headers.is_empty() {
                response.headers.clone_from(&old.headers);
                kept.push("response.headers".to_owned());
            }
            for (header, old) in same_headers(&mut response.headers, &old.headers) {
                let path = format!("response.headers.{}", header.name);
                keep_schema_facts(&mut header.schema, old, &path, &mut kept);
            }
        }
        _ => {}
    }
    if new.errors.is_empty() && !existing.errors.is_empty() {
        new.errors.clone_from(&existing.errors);
        kept.push("errors".to_owned());
    }
    kept
}

/// [`keep_facts`] for one schema: example, default and valid values, each
/// only where `new` has none and the type (or `$ref`) is still the same.
pub(crate) fn keep_schema_facts(
    new: &mut Schema,
    existing: &Schema,
    path: &str,
    kept: &mut Vec<String>,
) {
    let same_type = new.ty == existing.ty && new.reference == existing.reference;
    // Only what fits the metadata's type, valid values and bounds, so a
    // contradiction the import dropped does not come back from the file.
    if let (true, None, Some(example)) = (same_type, &new.example, &existing.example) {
        if schema::fits(new, example) {
            new.example = Some(example.clone());
            kept.push(format!("{path}.example"));
        }
    }
    if same_type && new.enumeration.is_empty() && !existing.enumeration.is_empty() {
        new.enumeration.clone_from(&existing.enumeration);
        kept.push(format!("{path}.enum"));
    }
    if same_type && new.default.is_none() {
        if let Some(default) = &existing.default {
            if schema::fits(new, default) {
                new.default = Some(default.clone());
                kept.push(format!("{path}.default"));
            }
        }
    }
    if let (Some(items), Some(old)) = (&mut new.items, &existing.items) {
        keep_schema_facts(items, old, &format!("{path}[]"), kept);
    }
    if let (Some(values), Some(old)) = (&mut new.values, &existing.values) {
        keep_schema_facts(values, old, &format!("{path}{{}}"), kept);
    }
    for (name, property) in &mut new.properties {
        if let Some(old) = existing.properties.get(name) {
            keep_schema_facts(property, old, &format!("{path}.{name}"), kept);
        }
    }
}

pub(crate) fn keep_schema(new: &mut Schema, existing: &Schema) {
    new.description.clone_from(&existing.description);
    for value in &mut new.enumeration {
        if let Some(old) = existing.enumeration.iter().find(|o| o.value == value.value) {
            value.description.clone_from(&old.description);
        }
    }
    if let (Some(items), Some(old)) = (&mut new.items, &existing.items) {
        keep_schema(items, old);
    }
    if let (Some(values), Some(old)) = (&mut new.values, &existing.values) {
        keep_schema(values, old);
    }
    for (name, property) in &mut new.properties {
        if let Some(old) = existing.properties.get(name) {
            keep_schema(property, old);
        }
    }
}

/// Notes of the older edition's conversion that concern parts taken from it.
pub(crate) fn adopt_notes(into: &mut Notes, old: Notes, taken: &Taken) {
    for mut note in old.items {
        let about_response = note.path == "response"
            || note.path.starts_with("response.")
            || note.path.starts_with("response[");
        let about_errors = note.path.starts_with("errors");
        let about_read_only = note.path == "read_only";
        if (taken.response && about_response)
            || (taken.errors && about_errors)
            || (taken.read_only && about_read_only)
        {
            note.message.push_str(" (older edition)");
            into.items.push(note);
        }
    }
}
