//! Stage 2: semantic checks the YAML parser cannot make. Every problem of a
//! run is reported, each naming its file and field path, before any code is
//! generated; later stages may assume what is checked here.

use std::collections::BTreeSet;
use std::path::Path;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::ProductFiles;
use crate::spec::{
    ApiStyle, Components, Location, Operation, Parameter, Product, ProductSpec, Schema, Type,
};

/// Check a parsed product. `files` gives the paths used in diagnostics.
pub fn validate(files: &ProductFiles, spec: &ProductSpec) -> Result<(), Diagnostics> {
    let mut out = Diagnostics::default();
    check_product(&files.product_path(), &spec.product, &mut out);
    for (name, schema) in &spec.components.schemas {
        let path = files.components_path();
        if !is_identifier_like(name) {
            out.push(Diagnostic::new(
                &path,
                format!("schemas.{name}"),
                "component name must start with a letter and hold only letters, digits and `_`",
            ));
        }
        check_schema(
            &path,
            &format!("schemas.{name}"),
            schema,
            &spec.components,
            &mut out,
        );
    }
    for op in &spec.operations {
        let path = files.operation_path(&format!("{}.yaml", op.name));
        check_operation(&path, op, &spec.components, &mut out);
    }
    out.into_result(())
}

fn check_product(path: &Path, product: &Product, out: &mut Diagnostics) {
    if product.product.is_empty()
        || !product
            .product
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        out.push(Diagnostic::new(
            path,
            "product",
            format!(
                "product code `{}` must be lowercase letters, digits and `-`",
                product.product
            ),
        ));
    }
    if !is_date(&product.version) {
        out.push(Diagnostic::new(
            path,
            "version",
            format!(
                "API version `{}` must be a date, YYYY-MM-DD",
                product.version
            ),
        ));
    }
    if product.style != ApiStyle::Rpc {
        out.push(Diagnostic::new(
            path,
            "style",
            "only `rpc` products can be generated so far",
        ));
    }
    if !is_host(&product.endpoints.default) {
        out.push(Diagnostic::new(
            path,
            "endpoints.default",
            format!("`{}` is not a host name", product.endpoints.default),
        ));
    }
    for (region, host) in &product.endpoints.regions {
        if !is_host(host) {
            out.push(Diagnostic::new(
                path,
                format!("endpoints.regions.{region}"),
                format!("`{host}` is not a host name"),
            ));
        }
    }
    let name = &product.krate.name;
    if name.is_empty()
        || !name.starts_with(|c: char| c.is_ascii_alphabetic())
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        out.push(Diagnostic::new(
            path,
            "crate.name",
            format!("`{name}` is not a valid Cargo package name"),
        ));
    }
    if !is_semver(&product.krate.version) {
        out.push(Diagnostic::new(
            path,
            "crate.version",
            format!(
                "`{}` is not a semver version (MAJOR.MINOR.PATCH)",
                product.krate.version
            ),
        ));
    }
}

fn check_operation(path: &Path, op: &Operation, components: &Components, out: &mut Diagnostics) {
    if !is_identifier_like(&op.name) {
        out.push(Diagnostic::new(
            path,
            "name",
            format!(
                "operation name `{}` must start with a letter and hold only letters, digits and `_`",
                op.name
            ),
        ));
    }
    if op.summary.trim().is_empty() {
        out.push(Diagnostic::new(path, "summary", "must not be empty"));
    }
    if !op.path.starts_with('/') {
        out.push(Diagnostic::new(
            path,
            "path",
            format!("`{}` must start with `/`", op.path),
        ));
    }
    if let Some(limit) = &op.rate_limit {
        if limit.qps == 0 {
            out.push(Diagnostic::new(
                path,
                "rate_limit.qps",
                "must be at least 1",
            ));
        }
    }
    let mut names = BTreeSet::new();
    for (index, param) in op.parameters.iter().enumerate() {
        let field = format!("parameters[{index}]");
        if !names.insert(param.name.as_str()) {
            out.push(Diagnostic::new(
                path,
                format!("{field}.name"),
                format!("parameter `{}` is listed twice", param.name),
            ));
        }
        check_parameter(path, &field, op, param, components, out);
    }
    if let Some(response) = &op.response {
        if response.schema.ty != Some(Type::Object) {
            out.push(Diagnostic::new(
                path,
                "response.schema.type",
                "a response body must be an `object`",
            ));
        }
        check_schema(path, "response.schema", &response.schema, components, out);
        if let Some(example) = &response.example {
            match serde_json::from_str::<serde_json::Value>(example) {
                Ok(serde_json::Value::Object(_)) => {}
                Ok(_) => out.push(Diagnostic::new(
                    path,
                    "response.example",
                    "must be a JSON object",
                )),
                Err(e) => out.push(Diagnostic::new(
                    path,
                    "response.example",
                    format!("is not valid JSON: {e}"),
                )),
            }
        }
    }
    let mut codes = BTreeSet::new();
    for (index, error) in op.errors.iter().enumerate() {
        let field = format!("errors[{index}]");
        if !(400..=599).contains(&error.status) {
            out.push(Diagnostic::new(
                path,
                format!("{field}.status"),
                format!("{} is not an HTTP error status (400-599)", error.status),
            ));
        }
        if error.code.trim().is_empty() {
            out.push(Diagnostic::new(
                path,
                format!("{field}.code"),
                "must not be empty",
            ));
        }
        if !codes.insert((error.status, error.code.as_str())) {
            out.push(Diagnostic::new(
                path,
                format!("{field}.code"),
                format!(
                    "error `{}` with status {} is listed twice",
                    error.code, error.status
                ),
            ));
        }
    }
    for (index, change) in op.changes.iter().enumerate() {
        if !is_date(&change.date) {
            out.push(Diagnostic::new(
                path,
                format!("changes[{index}].date"),
                format!("`{}` must be a date, YYYY-MM-DD", change.date),
            ));
        }
    }
}

fn check_parameter(
    path: &Path,
    field: &str,
    op: &Operation,
    param: &Parameter,
    components: &Components,
    out: &mut Diagnostics,
) {
    if param.name.is_empty()
        || param
            .name
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "&=#?/".contains(c))
    {
        out.push(Diagnostic::new(
            path,
            format!("{field}.name"),
            format!(
                "wire name `{}` must be non-empty, without spaces or any of & = # ? /",
                param.name
            ),
        ));
    }
    check_schema(
        path,
        &format!("{field}.schema"),
        &param.schema,
        components,
        out,
    );
    let ty = resolve_type(&param.schema, components);
    if let Some(style) = param.style {
        if !matches!(ty, Some(Type::Array | Type::Object | Type::Map | Type::Any)) {
            out.push(Diagnostic::new(
                path,
                format!("{field}.style"),
                format!(
                    "style `{}` applies to arrays, objects and maps, not `{}`",
                    serde_yaml::to_string(&style).unwrap_or_default().trim(),
                    ty.map(Type::as_str).unwrap_or("unknown"),
                ),
            ));
        }
    }
    if param.location == Location::Path
        && !op.path.contains(&format!("{{{}}}", param.name))
        && !op.path.contains(&format!("[{}]", param.name))
    {
        out.push(Diagnostic::new(
            path,
            format!("{field}.in"),
            format!(
                "path parameter `{}` does not appear in path `{}` as `{{{}}}`",
                param.name, op.path, param.name
            ),
        ));
    }
    if matches!(param.location, Location::Path | Location::Host) && !param.schema.required {
        out.push(Diagnostic::new(
            path,
            format!("{field}.schema.required"),
            "a path or host parameter must be required",
        ));
    }
}

/// The type a schema stands for, following `$ref` once.
pub fn resolve_type(schema: &Schema, components: &Components) -> Option<Type> {
    match (&schema.ty, &schema.reference) {
        (Some(ty), _) => Some(*ty),
        (None, Some(name)) => components.schemas.get(name).and_then(|s| s.ty),
        (None, None) => None,
    }
}

fn check_schema(
    path: &Path,
    field: &str,
    schema: &Schema,
    components: &Components,
    out: &mut Diagnostics,
) {
    let ty = match (&schema.ty, &schema.reference) {
        (Some(_), Some(_)) => {
            out.push(Diagnostic::new(
                path,
                field,
                "give either `type` or `$ref`, not both",
            ));
            return;
        }
        (None, None) => {
            out.push(Diagnostic::new(
                path,
                format!("{field}.type"),
                "missing: give `type` or `$ref`",
            ));
            return;
        }
        (None, Some(name)) => {
            if !components.schemas.contains_key(name) {
                out.push(Diagnostic::new(
                    path,
                    format!("{field}.$ref"),
                    format!("no schema `{name}` in components.yaml"),
                ));
            }
            return;
        }
        (Some(ty), None) => *ty,
    };
    // `items` belongs to arrays and `values` to maps, and each needs its own.
    for (owner, key, child, article) in [
        (Type::Array, "items", &schema.items, "an `array` has items"),
        (Type::Map, "values", &schema.values, "a `map` has values"),
    ] {
        let child_field = format!("{field}.{key}");
        match (ty == owner, child) {
            (true, None) => out.push(Diagnostic::new(
                path,
                child_field,
                match owner {
                    Type::Array => "missing: an array needs an item type",
                    _ => "missing: a map needs a value type",
                },
            )),
            (true, Some(child)) => check_schema(path, &child_field, child, components, out),
            (false, Some(_)) => out.push(Diagnostic::new(
                path,
                child_field,
                format!("only {article}, this is `{}`", ty.as_str()),
            )),
            (false, None) => {}
        }
    }
    if ty == Type::Object {
        for (name, property) in &schema.properties {
            if name.is_empty() {
                out.push(Diagnostic::new(
                    path,
                    format!("{field}.properties"),
                    "a property name must not be empty",
                ));
            }
            check_schema(
                path,
                &format!("{field}.properties.{name}"),
                property,
                components,
                out,
            );
        }
    } else if !schema.properties.is_empty() {
        out.push(Diagnostic::new(
            path,
            format!("{field}.properties"),
            format!("only an `object` has properties, this is `{}`", ty.as_str()),
        ));
    }
    if !schema.enumeration.is_empty() {
        if !matches!(ty, Type::String | Type::Int32 | Type::Int64) {
            out.push(Diagnostic::new(
                path,
                format!("{field}.enum"),
                format!(
                    "valid values are for strings and integers, this is `{}`",
                    ty.as_str()
                ),
            ));
        }
        let mut seen = BTreeSet::new();
        for (index, value) in schema.enumeration.iter().enumerate() {
            if !seen.insert(value.value.as_str()) {
                out.push(Diagnostic::new(
                    path,
                    format!("{field}.enum[{index}]"),
                    format!("value `{}` is listed twice", value.value),
                ));
            }
            if ty.is_integer() && parse_integer(ty, &value.value).is_none() {
                out.push(Diagnostic::new(
                    path,
                    format!("{field}.enum[{index}]"),
                    format!("`{}` is not an {}", value.value, ty.as_str()),
                ));
            }
        }
    }
    if let (Some(min), Some(max)) = (&schema.minimum, &schema.maximum) {
        if let (Some(min), Some(max)) = (min.as_f64(), max.as_f64()) {
            if min > max {
                out.push(Diagnostic::new(
                    path,
                    format!("{field}.minimum"),
                    format!("minimum {min} is above maximum {max}"),
                ));
            }
        }
    }
    for (key, min, max) in [
        ("min_length", schema.min_length, schema.max_length),
        ("min_items", schema.min_items, schema.max_items),
    ] {
        if let (Some(min), Some(max)) = (min, max) {
            if min > max {
                let max_key = key.replace("min", "max");
                out.push(Diagnostic::new(
                    path,
                    format!("{field}.{key}"),
                    format!("{key} {min} is above {max_key} {max}"),
                ));
            }
        }
    }
}

/// An integer enum value, checked against the width of its type.
pub fn parse_integer(ty: Type, text: &str) -> Option<i64> {
    let value: i64 = text.trim().parse().ok()?;
    match ty {
        Type::Int32 if i32::try_from(value).is_err() => None,
        _ => Some(value),
    }
}

fn is_identifier_like(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit())
}

fn is_host(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
}

fn is_semver(text: &str) -> bool {
    let core = text.split(['-', '+']).next().unwrap_or("");
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}
