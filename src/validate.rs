//! Stage 2: semantic checks the YAML parser cannot make. Every problem of a
//! run is reported, each naming its file and field path, before any code is
//! generated; later stages may assume what is checked here.

use std::collections::BTreeSet;
use std::path::Path;

use crate::diagnostics::{locate, Diagnostic, Diagnostics};
use crate::load::ProductFiles;
use crate::spec::{
    ApiStyle, Components, Location, Operation, Parameter, Product, ProductSpec, ResponseHeader,
    Schema, Type,
};

/// Deepest nesting of `items`, `values` and `properties` below a schema
/// written in one place. Each array or map level is one more generic in the
/// generated type, and every stage (syn, prettyplease, rustc, this
/// validator) walks it recursively. rustc is the first to give up: checking
/// `Send`/`Sync` costs about three steps of its 128-step recursion limit per
/// `Vec`, so 41 nested arrays fail to compile (maps a little later).
/// Alibaba's deepest schema has 28 levels.
pub const MAX_NESTING: usize = 32;

/// Longest product name: it is the Cargo `description` and every doc title.
pub const MAX_PRODUCT_NAME: usize = 100;

/// Longest operation name: its snake-case form (up to twice as long) is a
/// file name. Alibaba's longest is 49.
pub const MAX_OPERATION_NAME: usize = 100;

/// Longest Cargo package name (crates.io's limit).
pub const MAX_PACKAGE_NAME: usize = 64;

/// Check a parsed product. `files` gives the paths used in diagnostics and
/// the text their line and column are looked up in.
pub fn validate(files: &ProductFiles, spec: &ProductSpec) -> Result<(), Diagnostics> {
    let mut out = Diagnostics::default();
    check_product(&files.product_path(), &spec.product, &mut out);
    let path = files.components_path();
    for (name, schema) in &spec.components.schemas {
        let field = format!("schemas.{name}");
        if !is_identifier_like(name) {
            out.push(Diagnostic::new(
                &path,
                &field,
                format!(
                    "component name {} must start with a letter and hold only letters, digits and `_`",
                    shown(name)
                ),
            ));
        }
        check_root_schema(&path, &field, schema, &spec.components, &mut out);
    }
    check_ref_cycles(&path, &spec.components, &mut out);
    // Files that failed to parse are reported by the loader already.
    if spec.operations.is_empty() && files.operations.is_empty() {
        out.push(Diagnostic::new(
            &files.dir.join(crate::load::OPERATIONS_DIR),
            "",
            "no operations: a product needs at least one `<Operation>.yaml` file here",
        ));
    }
    let depths = component_depths(&spec.components);
    check_component_depths(&path, &spec.components, &depths, &mut out);
    for op in &spec.operations {
        let path = files.operation_path(&format!("{}.yaml", op.name));
        check_operation(&path, op, spec, &mut out);
        for (field, schema) in root_schemas(op) {
            check_depth_through_refs(&path, &field, schema, &spec.components, &depths, &mut out);
        }
    }
    add_positions(files, &mut out);
    out.into_result(())
}

/// Text re-read to find positions, at most: each lookup parses its file
/// again, so a huge file with thousands of problems would otherwise take
/// minutes. Past it, diagnostics keep file and field only.
const POSITION_BUDGET: usize = 64 << 20;

/// Give every diagnostic without a position the line and column of its
/// field in the file's text.
fn add_positions(files: &ProductFiles, out: &mut Diagnostics) {
    let mut budget = POSITION_BUDGET;
    for diagnostic in &mut out.0 {
        if diagnostic.line.is_some() {
            continue;
        }
        let text = if diagnostic.file == files.product_path() {
            Some(files.product.as_str())
        } else if diagnostic.file == files.components_path() {
            files.components.as_deref()
        } else {
            files
                .operations
                .iter()
                .find(|(name, _)| files.operation_path(name) == diagnostic.file)
                .map(|(_, text)| text.as_str())
        };
        let Some(text) = text.filter(|text| text.len() <= budget) else {
            continue;
        };
        budget -= text.len();
        if let Some((line, column)) = locate(text, &diagnostic.field) {
            diagnostic.line = Some(line);
            diagnostic.column = Some(column);
        }
    }
}

/// A spec value as shown in a message: escaped (so a newline or quote in
/// it cannot break the one-line format) and clipped.
fn shown(value: &str) -> String {
    let text = crate::diagnostics::escaped(value, 80);
    match text.strip_suffix("...") {
        Some(cut) if text.chars().count() > 80 => format!("`{cut}`..."),
        _ => format!("`{text}`"),
    }
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
                "product code {} must be lowercase letters, digits and `-`",
                shown(&product.product)
            ),
        ));
    }
    if !is_date(&product.version) {
        out.push(Diagnostic::new(
            path,
            "version",
            format!(
                "API version {} must be a date, YYYY-MM-DD",
                shown(&product.version)
            ),
        ));
    }
    if !is_host(&product.endpoints.default) {
        out.push(Diagnostic::new(
            path,
            "endpoints.default",
            format!("{} is not a host name", shown(&product.endpoints.default)),
        ));
    }
    for (region, host) in &product.endpoints.regions {
        if !is_host(host) {
            out.push(Diagnostic::new(
                path,
                format!("endpoints.regions.{region}"),
                format!("{} is not a host name", shown(host)),
            ));
        }
    }
    if let Err(problem) = check_product_name(&product.name) {
        out.push(Diagnostic::new(
            path,
            "name",
            format!("product name {} {problem}", shown(&product.name)),
        ));
    }
    if let Err(problem) = check_package_name(&product.krate.name) {
        out.push(Diagnostic::new(
            path,
            "crate.name",
            format!(
                "{} is not a valid Cargo package name: {problem}",
                shown(&product.krate.name)
            ),
        ));
    }
    if let Some(runtime) = &product.krate.runtime {
        for (field, problem) in runtime.problems() {
            out.push(Diagnostic::new(
                path,
                format!("crate.runtime.{field}"),
                problem,
            ));
        }
    }
    if let Some(repository) = &product.krate.repository {
        if !is_repository_url(repository) {
            out.push(Diagnostic::new(
                path,
                "crate.repository",
                format!("{} is not an https:// URL on one line", shown(repository)),
            ));
        }
    }
    if let Err(error) = semver::Version::parse(&product.krate.version) {
        out.push(Diagnostic::new(
            path,
            "crate.version",
            format!(
                "{} is not a semver version (MAJOR.MINOR.PATCH[-PRE][+BUILD]): {error}",
                shown(&product.krate.version)
            ),
        ));
    }
}

/// `repository` is shown by crates.io and docs.rs as a link.
fn is_repository_url(url: &str) -> bool {
    url.len() <= 512
        && url.starts_with("https://")
        && url.len() > "https://".len()
        && !url.chars().any(|c| c.is_control() || c.is_whitespace())
}

/// The product name becomes the Cargo `description` and doc titles: one
/// short line.
fn check_product_name(name: &str) -> Result<(), String> {
    if name.trim().is_empty() {
        return Err("must not be empty".into());
    }
    if name.chars().any(char::is_control) {
        return Err("must be one line without control characters".into());
    }
    let length = name.chars().count();
    if length > MAX_PRODUCT_NAME {
        return Err(format!(
            "is {length} characters long; at most {MAX_PRODUCT_NAME} are allowed"
        ));
    }
    Ok(())
}

/// Rust keywords (2015 to 2024 editions, reserved ones included): Cargo
/// refuses them as package names, and the library name must be an identifier.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Names Cargo refuses or that clash: the standard libraries, Cargo's own
/// build directories, and the crates the generated code itself names.
const RESERVED_PACKAGES: &[&str] = &[
    "alloc",
    "core",
    "proc_macro",
    "std",
    "test",
    "build",
    "deps",
    "examples",
    "incremental",
    "acsgen",
    "acsgen_runtime",
    "serde",
    "serde_json",
];

/// Device names Windows will not create a file or directory for.
fn is_windows_reserved(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    matches!(lower.as_str(), "con" | "prn" | "aux" | "nul")
        || ((lower.starts_with("com") || lower.starts_with("lpt"))
            && lower.len() == 4
            && matches!(lower.as_bytes()[3], b'1'..=b'9'))
}

/// Cargo's package-name rules, as crates.io applies them.
pub fn check_package_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("it is empty".into());
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(format!(
            "{} is not allowed (ASCII letters, digits, `-` and `_` only)",
            shown(&bad.to_string())
        ));
    }
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Err("it must start with a letter".into());
    }
    if name.len() > MAX_PACKAGE_NAME {
        return Err(format!(
            "it is {} characters long; at most {MAX_PACKAGE_NAME} are allowed",
            name.len()
        ));
    }
    // The library name is the package name with `-` as `_`.
    let lib = name.replace('-', "_");
    if KEYWORDS.contains(&lib.as_str()) {
        return Err("it is a Rust keyword".into());
    }
    if RESERVED_PACKAGES.contains(&lib.to_ascii_lowercase().as_str()) {
        return Err("the name is reserved (a standard library, a Cargo directory, or a crate the generated code uses)".into());
    }
    if is_windows_reserved(name) {
        return Err("it is a reserved device name on Windows".into());
    }
    Ok(())
}

fn check_operation(path: &Path, op: &Operation, spec: &ProductSpec, out: &mut Diagnostics) {
    let components = &spec.components;
    if !is_identifier_like(&op.name) {
        out.push(Diagnostic::new(
            path,
            "name",
            format!(
                "operation name {} must start with a letter and hold only letters, digits and `_`",
                shown(&op.name)
            ),
        ));
    }
    let length = op.name.chars().count();
    if length > MAX_OPERATION_NAME {
        out.push(Diagnostic::new(
            path,
            "name",
            format!(
                "operation name {} is {length} characters long; at most {MAX_OPERATION_NAME} are allowed (it names a source file, and file names end at 255 bytes)",
                shown(&op.name)
            ),
        ));
    }
    if op.summary.trim().is_empty() {
        out.push(Diagnostic::new(path, "summary", "must not be empty"));
    }
    check_stream_parameters(path, op, out);
    check_json_parameters(path, op, spec.product.style, out);
    check_path_placeholders(path, op, out);
    if whole_path_parameter(&op.path).is_some() {
        // The value is the path; the runtime checks it per request.
    } else if !op.path.starts_with('/') {
        out.push(Diagnostic::new(
            path,
            "path",
            format!(
                "{} must start with `/` (or be `{{+Name}}` alone: the whole path from parameter `Name`)",
                shown(&op.path)
            ),
        ));
    } else if let Some(bad) = op.path.chars().find(|c| !is_path_char(*c)) {
        // The path is signed and sent as written: a `?`, `#`, space or
        // control character would change the request, not just its path.
        out.push(Diagnostic::new(
            path,
            "path",
            format!(
                "{} holds {}; a path takes letters, digits, `-._~!$&'()*+,;=:@/%` and `{{Name}}` or `[Name]` placeholders",
                shown(&op.path),
                shown(&bad.to_string())
            ),
        ));
    } else if spec.product.style == ApiStyle::Rpc && op.path != "/" && !op.path.contains(['{', '['])
    {
        // The gateway routes RPC calls by `Action`, at `/` only.
        out.push(Diagnostic::new(
            path,
            "path",
            format!(
                "{} in an RPC product: RPC operations are sent to `/` (leave `path` out)",
                shown(&op.path)
            ),
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
                format!("parameter {} is listed twice", shown(&param.name)),
            ));
        }
        check_parameter(path, &field, op, param, components, out);
    }
    if let Some(response) = &op.response {
        let body = response.schema.ty;
        let whole_body = matches!(body, Some(Type::Array | Type::String | Type::Binary));
        if body != Some(Type::Object) && !(whole_body && spec.product.style == ApiStyle::Roa) {
            out.push(Diagnostic::new(
                path,
                "response.schema.type",
                "a response body must be an `object` (in a `roa` product also an `array`, a `string` or `binary`: the whole body)",
            ));
        }
        check_root_schema(path, "response.schema", &response.schema, components, out);
        check_response_headers(path, &response.headers, components, out);
        // A text or bytes body's example is prose; a JSON body's is JSON of its type.
        let example = response
            .example
            .as_ref()
            .filter(|_| !matches!(body, Some(Type::String | Type::Binary)));
        if let Some(example) = example {
            match serde_json::from_str::<serde_json::Value>(example) {
                Ok(serde_json::Value::Object(_)) if body == Some(Type::Object) => {}
                Ok(serde_json::Value::Array(_)) if body == Some(Type::Array) => {}
                Ok(_) => out.push(Diagnostic::new(
                    path,
                    "response.example",
                    if body == Some(Type::Array) {
                        "must be a JSON array"
                    } else {
                        "must be a JSON object"
                    },
                )),
                Err(e) => out.push(Diagnostic::new(
                    path,
                    "response.example",
                    format!("is not valid JSON: {e}"),
                )),
            }
        }
    }
    if let Some(pagination) = &op.pagination {
        for (field, message) in pagination_problems(op, pagination, components) {
            let field = if field.is_empty() {
                "pagination".to_owned()
            } else {
                format!("pagination.{field}")
            };
            out.push(Diagnostic::new(path, field, message));
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
                    "error {} with status {} is listed twice",
                    shown(&error.code),
                    error.status
                ),
            ));
        }
    }
    for (index, change) in op.changes.iter().enumerate() {
        if !is_date(&change.date) {
            out.push(Diagnostic::new(
                path,
                format!("changes[{index}].date"),
                format!("{} must be a date, YYYY-MM-DD", shown(&change.date)),
            ));
        }
    }
}

/// What a response path (`Data.Items`) reaches: the schema of its last
/// field as written, and with `$ref`s followed. Every segment but the last
/// must be an `object` with that property. `Err` says which segment fails.
pub fn response_field<'a>(
    components: &'a Components,
    response: &'a Schema,
    path: &str,
) -> Result<(&'a Schema, crate::spec::Resolved<'a>), String> {
    if path.is_empty() {
        return Err("must name a response field (a path such as `Data.Items`)".to_owned());
    }
    let mut current = components.resolve(response);
    let mut written = response;
    let mut walked = String::new();
    for segment in path.split('.') {
        if current.ty != Some(Type::Object) {
            return Err(format!(
                "{} is `{}`, not an object with fields",
                if walked.is_empty() {
                    "the response".to_owned()
                } else {
                    shown(&walked)
                },
                current.ty.map(Type::as_str).unwrap_or("unknown")
            ));
        }
        let Some(next) = current.schema.properties.get(segment) else {
            let owner = if walked.is_empty() {
                "the response".to_owned()
            } else {
                shown(&walked)
            };
            return Err(format!("{owner} has no field {}", shown(segment)));
        };
        if !walked.is_empty() {
            walked.push('.');
        }
        walked.push_str(segment);
        if let Some(problem) = refers_to_a_reference(next, components) {
            return Err(format!("{} {problem}", shown(&walked)));
        }
        written = next;
        current = components.resolve(next);
    }
    Ok((written, current))
}

/// A `$ref` to a component that is itself only a `$ref`: the generated
/// type is then an alias of an alias, which paging code cannot read.
fn refers_to_a_reference(schema: &Schema, components: &Components) -> Option<String> {
    let name = schema.reference.as_deref()?;
    let target = components.schemas.get(name)?;
    target.reference.as_ref().map(|_| {
        format!(
            "refers to component {}, itself a `$ref`; refer to the component it names",
            shown(name)
        )
    })
}

/// A response field a `pagination` block names: (field below `pagination`,
/// its path if given, the types that fit, those types in words).
type ResponseRule<'a> = (
    &'static str,
    Option<&'a String>,
    fn(Type) -> bool,
    &'static str,
);

/// Problems of an operation's `pagination` block, each as (field below
/// `pagination`, empty for the block itself; message): one style (token or page number), and every
/// named parameter or response field present with a type that fits.
pub fn pagination_problems(
    op: &Operation,
    pagination: &crate::spec::Pagination,
    components: &Components,
) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let token = pagination.input_token.is_some() || pagination.output_token.is_some();
    match (token, &pagination.page_number) {
        (true, Some(_)) => out.push((
            "page_number",
            "give either `input_token` and `output_token` (token paging) or `page_number`, not both".to_owned(),
        )),
        (false, None) => out.push((
            "",
            "give `input_token` and `output_token` (token paging) or `page_number` (page-number paging)".to_owned(),
        )),
        _ => {}
    }
    if token && pagination.input_token.is_none() {
        out.push((
            "output_token",
            "`output_token` needs `input_token`, the parameter it is sent back in".to_owned(),
        ));
    }
    if token && pagination.output_token.is_none() {
        out.push((
            "input_token",
            "`input_token` needs `output_token`, the response field the next token is read from"
                .to_owned(),
        ));
    }
    let parameter = |field: &'static str,
                     name: &str,
                     fits: fn(Type) -> bool,
                     wanted: &str,
                     out: &mut Vec<(&'static str, String)>| {
        let Some(param) = op.parameters.iter().find(|p| p.name == name) else {
            out.push((
                field,
                format!("{} is not a parameter of {}", shown(name), shown(&op.name)),
            ));
            return;
        };
        let resolved = components.resolve(&param.schema);
        match resolved.ty {
            Some(ty) if fits(ty) && resolved.schema.enumeration.is_empty() => {}
            Some(_) if !resolved.schema.enumeration.is_empty() => out.push((
                field,
                format!(
                    "parameter {} has valid values (`enum`); paging needs one that takes any value",
                    shown(name)
                ),
            )),
            ty => out.push((
                field,
                format!(
                    "parameter {} is `{}`; it must be {wanted}",
                    shown(name),
                    ty.map(Type::as_str).unwrap_or("unknown")
                ),
            )),
        }
        if let Some(problem) = refers_to_a_reference(&param.schema, components) {
            out.push((field, format!("parameter {} {problem}", shown(name))));
        }
        let misplaced = match param.location {
            Location::Path => Some("path"),
            Location::Host => Some("host"),
            Location::Stream => Some("raw request body"),
            Location::JsonBody => Some("whole JSON body"),
            Location::Query | Location::Body | Location::Header | Location::Json => None,
        };
        if let Some(place) = misplaced {
            out.push((
                field,
                format!(
                    "parameter {} is in the {place}; it must be in the query, a body or a header",
                    shown(name),
                ),
            ));
        }
    };
    let is_token = |ty: Type| matches!(ty, Type::String | Type::Int32 | Type::Int64);
    if let Some(name) = &pagination.input_token {
        parameter(
            "input_token",
            name,
            is_token,
            "a `string`, `int32` or `int64`",
            &mut out,
        );
    }
    if let Some(name) = &pagination.page_number {
        parameter(
            "page_number",
            name,
            Type::is_integer,
            "an `int32` or `int64`",
            &mut out,
        );
    }
    if let Some(name) = &pagination.page_size {
        parameter(
            "page_size",
            name,
            Type::is_integer,
            "an `int32` or `int64`",
            &mut out,
        );
    }
    let response = op.response.as_ref().map(|r| &r.schema);
    let fields: [ResponseRule; 4] = [
        (
            "items",
            Some(&pagination.items),
            |ty| ty == Type::Array,
            "an `array`",
        ),
        (
            "output_token",
            pagination.output_token.as_ref(),
            is_token,
            "a `string`, `int32` or `int64`",
        ),
        (
            "total_count",
            pagination.total_count.as_ref(),
            Type::is_integer,
            "an `int32` or `int64`",
        ),
        (
            "has_more",
            pagination.has_more.as_ref(),
            |ty| ty == Type::Boolean,
            "a `boolean`",
        ),
    ];
    for (field, path, fits, wanted) in fields {
        let Some(path) = path else { continue };
        let Some(response) = response else {
            out.push((
                field,
                format!(
                    "{} names a response field, but the operation has no `response.schema`",
                    shown(path)
                ),
            ));
            continue;
        };
        let found = match response_field(components, response, path) {
            Ok((_, found)) => found,
            Err(problem) => {
                out.push((field, format!("response field {}: {problem}", shown(path))));
                continue;
            }
        };
        match found.ty {
            Some(ty) if fits(ty) && found.schema.enumeration.is_empty() => {}
            Some(ty) if fits(ty) => out.push((
                field,
                format!(
                    "response field {} has valid values (`enum`); paging needs one that takes any value",
                    shown(path)
                ),
            )),
            ty => out.push((
                field,
                format!(
                    "response field {} is `{}`; it must be {wanted}",
                    shown(path),
                    ty.map(Type::as_str).unwrap_or("unknown")
                ),
            )),
        }
    }
    out
}

/// One raw body at most, and not beside form-body parameters: both would
/// be the HTTP body.
fn check_stream_parameters(path: &Path, op: &Operation, out: &mut Diagnostics) {
    let streams: Vec<usize> = (0..op.parameters.len())
        .filter(|&i| op.parameters[i].location == Location::Stream)
        .collect();
    let Some(&first) = streams.first() else {
        return;
    };
    for &index in &streams[1..] {
        out.push(Diagnostic::new(
            path,
            format!("parameters[{index}].in"),
            format!(
                "{} is a second `stream` parameter; {} is already the request body",
                shown(&op.parameters[index].name),
                shown(&op.parameters[first].name)
            ),
        ));
    }
    if let Some(index) = op
        .parameters
        .iter()
        .position(|p| p.location == Location::Body)
    {
        out.push(Diagnostic::new(
            path,
            format!("parameters[{index}].in"),
            format!(
                "{} is a form-body parameter, but {} is the raw request body; put it in the query",
                shown(&op.parameters[index].name),
                shown(&op.parameters[first].name)
            ),
        ));
    }
}

/// JSON bodies (fields, or one whole value) belong to ROA products (RPC
/// sends form bodies), and an operation has one body.
fn check_json_parameters(path: &Path, op: &Operation, style: ApiStyle, out: &mut Diagnostics) {
    let is_json = |p: &Parameter| matches!(p.location, Location::Json | Location::JsonBody);
    let Some(first) = op.parameters.iter().position(is_json) else {
        return;
    };
    let what = |p: &Parameter| match p.location {
        Location::Json => "a JSON-body field",
        Location::JsonBody => "the whole JSON body",
        Location::Body => "in the form body",
        _ => "the raw body",
    };
    let param = |index: usize| &op.parameters[index];
    if style == ApiStyle::Rpc {
        out.push(Diagnostic::new(
            path,
            format!("parameters[{first}].in"),
            format!(
                "{} is {}, which only `roa` products send; RPC bodies are forms (`body`)",
                shown(&param(first).name),
                what(param(first))
            ),
        ));
    }
    let second_body = |index: usize, out: &mut Diagnostics| {
        out.push(Diagnostic::new(
            path,
            format!("parameters[{index}].in"),
            format!(
                "{} is {}, but {} is {}; one operation has one body",
                shown(&param(index).name),
                what(param(index)),
                shown(&param(first).name),
                what(param(first))
            ),
        ));
    };
    // Fields go together; anything else beside a JSON body is a second body.
    for (index, other) in op.parameters.iter().enumerate() {
        let both_fields =
            other.location == Location::Json && param(first).location == Location::Json;
        let another_body = matches!(
            other.location,
            Location::Json | Location::JsonBody | Location::Body | Location::Stream
        );
        if index != first && another_body && !both_fields {
            second_body(index, out);
        }
    }
}

/// A character a request path may hold as written (RFC 3986 path
/// characters, `%` escapes, and placeholder brackets).
fn is_path_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@/%{}[]".contains(c)
}

/// `Name` when the path is `{+Name}` alone: parameter `Name` holds the whole
/// request path (Cloud Control's `requestPath`), segments encoded one by one.
pub(crate) fn whole_path_parameter(path: &str) -> Option<&str> {
    path.strip_prefix("{+")?
        .strip_suffix('}')
        .filter(|name| !name.is_empty() && !name.contains(['{', '}', '[', ']', '+']))
}

/// Every `{Name}` or `[Name]` of the path has a path parameter to fill it.
fn check_path_placeholders(path: &Path, op: &Operation, out: &mut Diagnostics) {
    let filled = |name: &str| {
        op.parameters
            .iter()
            .any(|p| p.location == Location::Path && p.name == name)
    };
    if let Some(name) = whole_path_parameter(&op.path) {
        if !filled(name) {
            out.push(Diagnostic::new(
                path,
                "path",
                format!(
                    "{} takes the whole path from parameter {}, which is not a path parameter (`in: path`)",
                    shown(&op.path),
                    shown(name)
                ),
            ));
        }
        return;
    }
    let mut rest = op.path.as_str();
    while let Some(start) = rest.find(['{', '[']) {
        let close = if rest.as_bytes()[start] == b'{' {
            '}'
        } else {
            ']'
        };
        let Some(length) = rest[start + 1..].find(close) else {
            out.push(Diagnostic::new(
                path,
                "path",
                format!("{} has an unclosed placeholder", shown(&op.path)),
            ));
            return;
        };
        let name = &rest[start + 1..start + 1 + length];
        if !filled(name) {
            out.push(Diagnostic::new(
                path,
                "path",
                format!(
                    "placeholder {} of {} has no path parameter (`in: path`) of that name",
                    shown(name),
                    shown(&op.path)
                ),
            ));
        }
        rest = &rest[start + 2 + length..];
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
                "wire name {} must be non-empty, without spaces or any of & = # ? /",
                shown(&param.name)
            ),
        ));
    }
    check_root_schema(
        path,
        &format!("{field}.schema"),
        &param.schema,
        components,
        out,
    );
    let ty = components.resolve(&param.schema).ty;
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
        && whole_path_parameter(&op.path) != Some(param.name.as_str())
        && !op.path.contains(&format!("{{{}}}", param.name))
        && !op.path.contains(&format!("[{}]", param.name))
    {
        out.push(Diagnostic::new(
            path,
            format!("{field}.in"),
            format!(
                "path parameter {} does not appear in path {} as `{{{}}}`",
                shown(&param.name),
                shown(&op.path),
                param.name.escape_debug()
            ),
        ));
    }
    if param.location == Location::Stream && ty != Some(Type::Binary) {
        out.push(Diagnostic::new(
            path,
            format!("{field}.schema.type"),
            format!(
                "a `stream` parameter is the raw request body, so it must be `binary`, not `{}`",
                ty.map(Type::as_str).unwrap_or("unknown")
            ),
        ));
    }
    if param.location == Location::Stream && param.style.is_some() {
        out.push(Diagnostic::new(
            path,
            format!("{field}.style"),
            "a `stream` parameter is sent as it is; it takes no `style`",
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

/// Response headers: HTTP token names, each once (whatever the case), each a
/// scalar the runtime decodes from the header's text.
fn check_response_headers(
    path: &Path,
    headers: &[ResponseHeader],
    components: &Components,
    out: &mut Diagnostics,
) {
    let mut seen = BTreeSet::new();
    for (index, header) in headers.iter().enumerate() {
        let field = format!("response.headers[{index}]");
        if !ResponseHeader::is_token(&header.name) {
            out.push(Diagnostic::new(
                path,
                format!("{field}.name"),
                format!(
                    "header name {} must be an HTTP token: 1 to {} letters, digits or any of !#$%&'*+-.^_`|~",
                    shown(&header.name),
                    crate::spec::MAX_HEADER_NAME
                ),
            ));
        } else if !seen.insert(header.key()) {
            out.push(Diagnostic::new(
                path,
                format!("{field}.name"),
                format!(
                    "header {} is listed twice (header names ignore case)",
                    shown(&header.name)
                ),
            ));
        }
        check_root_schema(
            path,
            &format!("{field}.schema"),
            &header.schema,
            components,
            out,
        );
        let ty = components.resolve(&header.schema).ty;
        if !ty.is_some_and(Type::is_scalar) {
            out.push(Diagnostic::new(
                path,
                format!("{field}.schema.type"),
                format!(
                    "a response header is text: `string`, an integer, a number or `boolean`, not `{}`",
                    ty.map(Type::as_str).unwrap_or("unknown")
                ),
            ));
        }
    }
}

/// A schema as written in one place (a parameter, a response body, a
/// component): its nesting is checked without recursion before the
/// recursive checks, so no depth of input can overflow the stack.
fn check_root_schema(
    path: &Path,
    field: &str,
    schema: &Schema,
    components: &Components,
    out: &mut Diagnostics,
) {
    match too_deep(schema) {
        Some(below) => out.push(Diagnostic::new(
            path,
            format!("{field}{below}"),
            format!(
                "schemas nest at most {MAX_NESTING} levels of `items`, `values` and `properties`; this is deeper"
            ),
        )),
        None => check_schema(path, field, schema, components, out),
    }
}

/// The path (relative to `schema`) of the first node nested deeper than
/// [`MAX_NESTING`], found with an explicit stack.
fn too_deep(schema: &Schema) -> Option<String> {
    let mut stack = vec![(schema, 0usize, String::new())];
    while let Some((schema, depth, below)) = stack.pop() {
        if depth > MAX_NESTING {
            return Some(below);
        }
        if let Some(items) = &schema.items {
            stack.push((items, depth + 1, format!("{below}.items")));
        }
        if let Some(values) = &schema.values {
            stack.push((values, depth + 1, format!("{below}.values")));
        }
        for (name, property) in schema.properties.iter().rev() {
            stack.push((property, depth + 1, format!("{below}.properties.{name}")));
        }
    }
    None
}

/// How deep a schema nests within itself (capped just past the limit, so
/// the walk is linear), and the `$ref`s in it with the level each is at.
fn shape(schema: &Schema) -> (usize, Vec<(usize, &str)>) {
    let mut deepest = 0;
    let mut refs = Vec::new();
    let mut stack = vec![(schema, 0usize)];
    while let Some((schema, depth)) = stack.pop() {
        deepest = deepest.max(depth);
        if depth > MAX_NESTING {
            continue;
        }
        if let Some(name) = &schema.reference {
            refs.push((depth, name.as_str()));
        }
        let children = schema
            .items
            .iter()
            .chain(&schema.values)
            .map(|child| &**child)
            .chain(schema.properties.values());
        stack.extend(children.map(|child| (child, depth + 1)));
    }
    (deepest, refs)
}

/// For each component (by index), how deep its type nests counting the
/// components it refers to, each `$ref` one level: rustc checks auto traits
/// (`Send`, `Sync`) through all of them in one go. A reference back into a
/// ring counts as one level (rustc stops there too). Computed with an
/// explicit stack, so a chain of any length cannot overflow ours.
fn component_depths(components: &Components) -> Vec<usize> {
    let schemas = &components.schemas;
    let shapes: Vec<(usize, Vec<(usize, usize)>)> = schemas
        .values()
        .map(|schema| {
            let (own, refs) = shape(schema);
            let refs = refs
                .into_iter()
                .filter_map(|(level, name)| Some((level, schemas.get_index_of(name)?)))
                .collect();
            (own, refs)
        })
        .collect();
    let mut depth: Vec<Option<usize>> = vec![None; shapes.len()];
    let mut on_stack = vec![false; shapes.len()];
    for start in 0..shapes.len() {
        if depth[start].is_some() {
            continue;
        }
        // (component, next reference to follow, deepest so far)
        let mut stack = vec![(start, 0usize, shapes[start].0)];
        on_stack[start] = true;
        while let Some(&(node, next, best)) = stack.last() {
            if let Some(&(level, target)) = shapes[node].1.get(next) {
                let top = stack.len() - 1;
                stack[top].1 += 1;
                match depth[target] {
                    Some(below) => stack[top].2 = best.max(level.saturating_add(1 + below)),
                    None if on_stack[target] => stack[top].2 = best.max(level + 1),
                    None => {
                        on_stack[target] = true;
                        stack.push((target, 0, shapes[target].0));
                    }
                }
            } else {
                depth[node] = Some(best);
                on_stack[node] = false;
                stack.pop();
                if let Some(parent) = stack.last_mut() {
                    let level = shapes[parent.0].1[parent.1 - 1].0;
                    parent.2 = parent.2.max(level.saturating_add(1 + best));
                }
            }
        }
    }
    depth.into_iter().map(Option::unwrap_or_default).collect()
}

/// Components too deep only through what they refer to. Reported at the
/// outermost such component, so a long chain is one error, not one per link.
fn check_component_depths(
    path: &Path,
    components: &Components,
    depths: &[usize],
    out: &mut Diagnostics,
) {
    let over = |index: usize| depths.get(index).is_some_and(|&d| d > MAX_NESTING);
    let mut referenced_by_deep = vec![false; depths.len()];
    for (index, schema) in components.schemas.values().enumerate() {
        if over(index) {
            for (_, name) in shape(schema).1 {
                if let Some(target) = components.schemas.get_index_of(name) {
                    referenced_by_deep[target] |= target != index;
                }
            }
        }
    }
    for (index, (name, schema)) in components.schemas.iter().enumerate() {
        if over(index) && !referenced_by_deep[index] && too_deep(schema).is_none() {
            out.push(Diagnostic::new(
                path,
                format!("schemas.{name}"),
                nesting_message(depths[index]),
            ));
        }
    }
}

fn nesting_message(depth: usize) -> String {
    format!(
        "with the components it refers to, this type nests {depth} levels of `items`, `values`, `properties` and `$ref`; at most {MAX_NESTING} are allowed (deeper types overflow rustc's trait checks)"
    )
}

/// The schemas of an operation written in one place, with their paths.
fn root_schemas(op: &Operation) -> Vec<(String, &Schema)> {
    let mut roots: Vec<(String, &Schema)> = op
        .parameters
        .iter()
        .enumerate()
        .map(|(index, param)| (format!("parameters[{index}].schema"), &param.schema))
        .collect();
    if let Some(response) = &op.response {
        roots.push(("response.schema".into(), &response.schema));
    }
    roots
}

/// An operation schema too deep only through the components it refers to
/// (and none of those too deep by itself, which is reported there).
fn check_depth_through_refs(
    path: &Path,
    field: &str,
    schema: &Schema,
    components: &Components,
    depths: &[usize],
    out: &mut Diagnostics,
) {
    if too_deep(schema).is_some() {
        return;
    }
    let (own, refs) = shape(schema);
    let mut deepest = own;
    for (level, name) in refs {
        let Some(below) = components
            .schemas
            .get_index_of(name)
            .and_then(|index| depths.get(index))
        else {
            continue;
        };
        if *below > MAX_NESTING {
            return;
        }
        deepest = deepest.max(level.saturating_add(1 + below));
    }
    if deepest > MAX_NESTING {
        out.push(Diagnostic::new(path, field, nesting_message(deepest)));
    }
}

/// Whether a component becomes a type alias, as the model decides.
fn is_alias(schema: &Schema) -> bool {
    crate::model::component_kind(schema) == crate::model::NamedKind::Alias
}

/// The component an alias stands for without a struct in between (through
/// `$ref` and array items or map values), with the field path of that `$ref`.
fn alias_target(schema: &Schema) -> Option<(&str, String)> {
    let mut schema = schema;
    let mut below = String::new();
    for _ in 0..=MAX_NESTING {
        if let Some(name) = &schema.reference {
            return Some((name, format!("{below}.$ref")));
        }
        let (key, child) = match schema.ty {
            Some(Type::Array) => ("items", &schema.items),
            Some(Type::Map) => ("values", &schema.values),
            _ => return None,
        };
        below.push('.');
        below.push_str(key);
        schema = child.as_deref()?;
    }
    None
}

/// Components that are aliases of each other in a ring (`A: {$ref: A}`,
/// A -> B -> A, or `A: {type: array, items: {$ref: A}}`) would be a type
/// alias containing itself, which rustc rejects: `Vec` or `Box` does not
/// help, only a struct does. A ring through a struct (a property) is
/// legal; the generator boxes it.
fn check_ref_cycles(path: &Path, components: &Components, out: &mut Diagnostics) {
    let schemas = &components.schemas;
    // Each alias has at most one target, so following targets from each
    // component finds every ring; `done` keeps the whole walk linear.
    let mut done = vec![false; schemas.len()];
    for start in 0..schemas.len() {
        let mut trail: Vec<usize> = Vec::new();
        let mut at = start;
        loop {
            if done[at] {
                break;
            }
            if let Some(position) = trail.iter().position(|&i| i == at) {
                report_cycle(path, components, &trail[position..], out);
                break;
            }
            trail.push(at);
            let Some((_, schema)) = schemas.get_index(at) else {
                break;
            };
            let next = is_alias(schema)
                .then(|| alias_target(schema))
                .flatten()
                .and_then(|(name, _)| schemas.get_index_of(name));
            match next {
                Some(next) => at = next,
                None => break,
            }
        }
        for index in trail {
            done[index] = true;
        }
    }
}

fn report_cycle(path: &Path, components: &Components, ring: &[usize], out: &mut Diagnostics) {
    let names: Vec<&str> = ring
        .iter()
        .filter_map(|&i| {
            components
                .schemas
                .get_index(i)
                .map(|(name, _)| name.as_str())
        })
        .collect();
    // Reported once, at the member written first.
    let Some(&first) = ring.iter().min() else {
        return;
    };
    let Some((name, schema)) = components.schemas.get_index(first) else {
        return;
    };
    let below = alias_target(schema)
        .map(|(_, below)| below)
        .unwrap_or_default();
    let start = ring.iter().position(|&i| i == first).unwrap_or(0);
    let mut chain: Vec<&str> = names[start..]
        .iter()
        .chain(&names[..start])
        .copied()
        .collect();
    chain.push(name);
    out.push(Diagnostic::new(
        path,
        format!("schemas.{name}{below}"),
        format!(
            "`$ref` cycle with no object in between ({}): the type would contain itself; make one of them an `object` with the reference as a property",
            chain.join(" -> ")
        ),
    ));
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
                    format!("no schema {} in components.yaml", shown(name)),
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
        // Integers compare as numbers: `1`, `01` and `+1` are one value.
        let mut numbers = std::collections::BTreeMap::new();
        for (index, value) in schema.enumeration.iter().enumerate() {
            if !seen.insert(value.value.as_str()) {
                out.push(Diagnostic::new(
                    path,
                    format!("{field}.enum[{index}]"),
                    format!("value {} is listed twice", shown(&value.value)),
                ));
                continue;
            }
            if !ty.is_integer() {
                continue;
            }
            match parse_integer(ty, &value.value) {
                None => out.push(Diagnostic::new(
                    path,
                    format!("{field}.enum[{index}]"),
                    format!("{} is not an {}", shown(&value.value), ty.as_str()),
                )),
                Some(number) => {
                    if let Some(first) = numbers.insert(number, index) {
                        numbers.insert(number, first);
                        out.push(Diagnostic::new(
                            path,
                            format!("{field}.enum[{index}]"),
                            format!(
                                "value {} is the number {number}, already listed as {} (enum[{first}])",
                                shown(&value.value),
                                shown(&schema.enumeration[first].value)
                            ),
                        ));
                    }
                }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(name: &str) -> Schema {
        Schema {
            reference: Some(name.into()),
            ..Schema::default()
        }
    }

    fn typed(ty: Type) -> Schema {
        Schema {
            ty: Some(ty),
            ..Schema::default()
        }
    }

    fn components(schemas: Vec<(&str, Schema)>) -> Components {
        Components {
            schemas: schemas
                .into_iter()
                .map(|(name, schema)| (name.to_owned(), schema))
                .collect(),
        }
    }

    fn cycle_fields(components: &Components) -> Vec<String> {
        let mut out = Diagnostics::default();
        check_ref_cycles(Path::new("c.yaml"), components, &mut out);
        out.0.into_iter().map(|d| d.field).collect()
    }

    #[test]
    fn package_names() {
        for good in ["a", "alibabacloud-live", "x_1", "tests", "com0", "com10"] {
            assert_eq!(check_package_name(good), Ok(()), "{good}");
        }
        for bad in [
            "",
            "1a",
            "-a",
            "_a",
            "a b",
            "a.b",
            "é",
            "test",
            "std",
            "Core",
            "proc-macro",
            "nul",
            "Con",
            "COM1",
            "lpt9",
            "fn",
            "async",
            "gen",
            "self",
            "serde",
            "acsgen-runtime",
        ] {
            assert!(check_package_name(bad).is_err(), "{bad}");
        }
        assert!(check_package_name(&"a".repeat(64)).is_ok());
        assert!(check_package_name(&"a".repeat(65)).is_err());
    }

    #[test]
    fn shown_escapes_and_clips() {
        assert_eq!(shown("a\"\n`"), "`a\\\"\\n``");
        assert_eq!(shown(&"é".repeat(81)), format!("`{}`...", "é".repeat(80)));
    }

    #[test]
    fn alias_rings_are_found_once_and_struct_rings_are_legal() {
        let self_alias = components(vec![("A", reference("A"))]);
        assert_eq!(cycle_fields(&self_alias), ["schemas.A.$ref"]);
        let pair = components(vec![
            ("X", reference("A")),
            ("A", reference("B")),
            ("B", reference("A")),
        ]);
        assert_eq!(cycle_fields(&pair), ["schemas.A.$ref"]);
        let array = Schema {
            items: Some(Box::new(reference("L"))),
            ..typed(Type::Array)
        };
        assert_eq!(
            cycle_fields(&components(vec![("L", array)])),
            ["schemas.L.items.$ref"]
        );
        let mut node = typed(Type::Object);
        node.properties.insert("child".into(), reference("Alias"));
        let legal = components(vec![("Node", node), ("Alias", reference("Node"))]);
        assert_eq!(cycle_fields(&legal), Vec::<String>::new());
    }

    #[test]
    fn resolve_follows_chains_and_stops_on_rings() {
        let chain = components(vec![
            ("A", reference("B")),
            ("B", reference("C")),
            ("C", typed(Type::Int64)),
            ("R", reference("R")),
        ]);
        let (a, missing) = (reference("A"), reference("missing"));
        let resolved = chain.resolve(&a);
        assert_eq!(resolved.ty, Some(Type::Int64));
        // The last name followed, and the schema that holds the type.
        assert_eq!(resolved.component, Some("C"));
        assert_eq!(resolved.schema, &typed(Type::Int64));
        assert_eq!(chain.resolve(&reference("R")).ty, None);
        assert_eq!(chain.resolve(&reference("R")).component, Some("R"));
        let missing = chain.resolve(&missing);
        assert_eq!((missing.ty, missing.component), (None, Some("missing")));
        let plain = typed(Type::String);
        assert_eq!(chain.resolve(&plain).component, None);
    }

    #[test]
    fn depth_counts_levels_and_refs_without_recursing() {
        let mut deep = typed(Type::String);
        for _ in 0..MAX_NESTING {
            deep = Schema {
                items: Some(Box::new(deep)),
                ..typed(Type::Array)
            };
        }
        assert_eq!(too_deep(&deep), None);
        let deeper = Schema {
            values: Some(Box::new(deep)),
            ..typed(Type::Map)
        };
        assert_eq!(
            too_deep(&deeper).map(|below| below.matches('.').count()),
            Some(MAX_NESTING + 1)
        );
        // Through references: A -> B -> C, each one property deep.
        let link = |target: &str| {
            let mut schema = typed(Type::Object);
            schema.properties.insert("next".into(), reference(target));
            schema
        };
        let chain = components(vec![
            ("A", link("B")),
            ("B", link("C")),
            ("C", typed(Type::String)),
            ("Ring", link("Ring")),
        ]);
        assert_eq!(component_depths(&chain), [4, 2, 0, 2]);
    }

    #[test]
    fn integer_values_compare_as_numbers() {
        let mut schema = typed(Type::Int32);
        for value in ["1", "01", "+1", " 1", "2"] {
            schema.enumeration.push(crate::spec::EnumValue {
                value: value.into(),
                description: String::new(),
            });
        }
        let mut out = Diagnostics::default();
        check_schema(
            Path::new("o.yaml"),
            "s",
            &schema,
            &Components::default(),
            &mut out,
        );
        let fields: Vec<&str> = out.0.iter().map(|d| d.field.as_str()).collect();
        assert_eq!(fields, ["s.enum[1]", "s.enum[2]", "s.enum[3]"]);
    }
}
