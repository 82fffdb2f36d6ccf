//! The comparison: two parsed products in, a classified [`Report`] out. Pure:
//! no I/O, no rendering, so the generator can reuse it for the changelog.
//!
//! Impact is judged on the generated Rust API, not on the wire: required
//! parameters are constructor arguments and optional ones setters; response
//! fields are `Option`s of structs that ignore unknown fields; valid values
//! and error codes are variants of `#[non_exhaustive]` enums with a
//! catch-all. A change that keeps every Rust signature but alters what goes
//! on the wire or how the runtime treats the call is `Behavior`.
//!
//! This file walks the specs (wire names, locations, types, required-ness,
//! errors' statuses...); Rust names, argument order and wrappers come from
//! the two sides' [`surface`]s in `rust.rs`, so the diff never predicts a
//! name the generator would not give.

use std::collections::{BTreeMap, HashMap};

use crate::spec::{
    Components, ErrorCode, Location, Operation, ParamStyle, Parameter, Product, ProductSpec,
    ResponseHeader, Schema, Type,
};
use crate::surface;

use super::model::{Change, Impact, Kind, OperationChanges, Part, Report, Summary};
use super::{rust, semver};

/// How many items a `detail` names before it just counts.
const DETAIL_NAMES: usize = 8;

/// Compare two versions of one product.
pub fn compare(old: &ProductSpec, new: &ProductSpec) -> Report {
    let product_changes = compare_product(&old.product, &new.product);

    let old_ops: BTreeMap<&str, &Operation> = old
        .operations
        .iter()
        .map(|op| (op.name.as_str(), op))
        .collect();
    let new_ops: BTreeMap<&str, &Operation> = new
        .operations
        .iter()
        .map(|op| (op.name.as_str(), op))
        .collect();
    let mut names: Vec<&str> = old_ops.keys().chain(new_ops.keys()).copied().collect();
    names.sort_unstable();
    names.dedup();

    // The Rust side comes from what the generator emits for each side.
    let (old_surface, new_surface) = (surface::of_spec(old), surface::of_spec(new));
    let mut operations = Vec::new();
    let mut summary = Summary::default();
    for name in names {
        let mut out = Changes::default();
        match (old_ops.get(name), new_ops.get(name)) {
            (Some(_), None) => {
                summary.operations_removed += 1;
                out.push(
                    Part::Operation,
                    "",
                    Kind::Removed,
                    None,
                    None,
                    Impact::Breaking,
                    "its request, response and error types and its client method are gone",
                );
            }
            (None, Some(_)) => {
                summary.operations_added += 1;
                out.push(
                    Part::Operation,
                    "",
                    Kind::Added,
                    None,
                    None,
                    Impact::Compatible,
                    "new request, response and error types and a new client method",
                );
            }
            (Some(old_op), Some(new_op)) => {
                let cx = Context {
                    old: &old.components,
                    new: &new.components,
                };
                compare_operation(&cx, old_op, new_op, &mut out);
                if let (Some(old_rust), Some(new_rust)) = (
                    old_surface.operations.get(name),
                    new_surface.operations.get(name),
                ) {
                    rust::compare_operation(
                        (&old_surface, old_rust),
                        (&new_surface, new_rust),
                        &mut out,
                    );
                }
                if !out.0.is_empty() {
                    summary.operations_changed += 1;
                }
            }
            (None, None) => {}
        }
        if !out.0.is_empty() {
            out.0.sort();
            out.0.dedup();
            operations.push(OperationChanges {
                name: name.to_owned(),
                changes: out.0,
            });
        }
    }

    let impacts: Vec<Impact> = product_changes
        .iter()
        .chain(operations.iter().flat_map(|op| &op.changes))
        .map(|c| c.impact)
        .collect();
    summary.changes = impacts.len();
    for impact in &impacts {
        match impact {
            Impact::Breaking => summary.breaking += 1,
            Impact::Compatible => summary.compatible += 1,
            Impact::Behavior => summary.behavior += 1,
        }
    }
    Report {
        product: new.product.product.clone(),
        dir: new.dir_name.clone(),
        crate_name: new.product.krate.name.clone(),
        old_label: String::new(),
        new_label: String::new(),
        summary,
        verdict: semver::verdict(
            &old.product.krate.version,
            &new.product.krate.version,
            impacts,
        ),
        product_changes,
        operations,
    }
}

#[derive(Default)]
pub(super) struct Changes(pub(super) Vec<Change>);

impl Changes {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn push(
        &mut self,
        part: Part,
        path: &str,
        kind: Kind,
        old: Option<String>,
        new: Option<String>,
        impact: Impact,
        reason: &str,
    ) -> &mut Change {
        self.0.push(Change {
            part,
            path: path.to_owned(),
            kind,
            old,
            new,
            detail: None,
            impact,
            reason: reason.to_owned(),
        });
        self.0.last_mut().expect("just pushed")
    }
}

fn compare_product(old: &Product, new: &Product) -> Vec<Change> {
    let mut out = Changes::default();
    let behavior = "requests go to a different place; the Rust API is unchanged";
    let mut value = |path: &str, old: String, new: String, impact: Impact, reason: &str| {
        if old != new {
            out.push(
                Part::Product,
                path,
                Kind::Changed,
                Some(old),
                Some(new),
                impact,
                reason,
            );
        }
    };
    value(
        "crate.name",
        old.krate.name.clone(),
        new.krate.name.clone(),
        Impact::Breaking,
        "users depend on the package and import the library by this name",
    );
    value(
        "product",
        old.product.clone(),
        new.product.clone(),
        Impact::Behavior,
        behavior,
    );
    value(
        "version",
        old.version.clone(),
        new.version.clone(),
        Impact::Behavior,
        "requests name a different API version; the Rust API is unchanged",
    );
    value(
        "style",
        format!("{:?}", old.style).to_lowercase(),
        format!("{:?}", new.style).to_lowercase(),
        Impact::Behavior,
        "requests are signed and encoded differently; the Rust API is unchanged",
    );
    value(
        "protocol",
        format!("{:?}", old.protocol).to_lowercase(),
        format!("{:?}", new.protocol).to_lowercase(),
        Impact::Behavior,
        behavior,
    );
    value(
        "endpoints.rule",
        format!("{:?}", old.endpoints.rule).to_lowercase(),
        format!("{:?}", new.endpoints.rule).to_lowercase(),
        Impact::Behavior,
        behavior,
    );
    value(
        "endpoints.default",
        old.endpoints.default.clone(),
        new.endpoints.default.clone(),
        Impact::Behavior,
        behavior,
    );
    for (region, host) in &old.endpoints.regions {
        let path = format!("endpoints.regions.{region}");
        match new.endpoints.regions.get(region) {
            None => {
                out.push(
                    Part::Product,
                    &path,
                    Kind::Removed,
                    Some(host.clone()),
                    None,
                    Impact::Behavior,
                    "the region falls back to the endpoint rule; the Rust API is unchanged",
                );
            }
            Some(new_host) if new_host != host => {
                out.push(
                    Part::Product,
                    &path,
                    Kind::Changed,
                    Some(host.clone()),
                    Some(new_host.clone()),
                    Impact::Behavior,
                    behavior,
                );
            }
            Some(_) => {}
        }
    }
    for (region, host) in &new.endpoints.regions {
        if !old.endpoints.regions.contains_key(region) {
            out.push(
                Part::Product,
                &format!("endpoints.regions.{region}"),
                Kind::Added,
                None,
                Some(host.clone()),
                Impact::Behavior,
                behavior,
            );
        }
    }
    out.0.sort();
    out.0
}

/// The two sides' components, for following `$ref`.
struct Context<'a> {
    old: &'a Components,
    new: &'a Components,
}

fn compare_operation(cx: &Context, old: &Operation, new: &Operation, out: &mut Changes) {
    if old.method != new.method {
        out.push(
            Part::Operation,
            "",
            Kind::Method,
            Some(old.method.as_str().to_owned()),
            Some(new.method.as_str().to_owned()),
            Impact::Behavior,
            "sent with another HTTP method; the Rust API is unchanged",
        );
    }
    if old.path != new.path {
        out.push(
            Part::Operation,
            "",
            Kind::RequestPath,
            Some(old.path.clone()),
            Some(new.path.clone()),
            Impact::Behavior,
            "sent to another request path; the Rust API is unchanged",
        );
    }
    if old.read_only != new.read_only {
        let reason = if new.read_only {
            "the runtime now retries it after a server error; the Rust API is unchanged"
        } else {
            "the runtime no longer retries it after a server error; the Rust API is unchanged"
        };
        out.push(
            Part::Operation,
            "",
            Kind::ReadOnly,
            Some(old.read_only.to_string()),
            Some(new.read_only.to_string()),
            Impact::Behavior,
            reason,
        );
    }
    if old.deprecated.is_some() != new.deprecated.is_some() {
        push_deprecated(out, Part::Operation, "", new.deprecated.is_some());
    }
    let qps = |op: &Operation| op.rate_limit.as_ref().map(|r| format!("{} qps", r.qps));
    let reason = "client-side rate limiting paces calls differently; the Rust API is unchanged";
    match (qps(old), qps(new)) {
        (before, after) if before == after => {}
        // A limit no longer given is the same change whatever it was, so
        // the old value goes to the detail and such changes group together.
        (Some(before), None) => {
            out.push(
                Part::Operation,
                "",
                Kind::RateLimit,
                None,
                None,
                Impact::Behavior,
                reason,
            )
            .detail = Some(format!("was {before}"));
        }
        (before, after) => {
            out.push(
                Part::Operation,
                "",
                Kind::RateLimit,
                before,
                after,
                Impact::Behavior,
                reason,
            );
        }
    }
    compare_parameters(cx, &old.parameters, &new.parameters, out);
    compare_response(cx, old, new, out);
    compare_errors(&old.errors, &new.errors, out);
}

fn push_deprecated(out: &mut Changes, part: Part, path: &str, now: bool) {
    let reason = if now {
        "its Rust items get `#[deprecated]`: warnings, not errors"
    } else {
        "its Rust items lose `#[deprecated]`"
    };
    out.push(
        part,
        path,
        Kind::Deprecated,
        Some((!now).to_string()),
        Some(now.to_string()),
        Impact::Compatible,
        reason,
    );
}

fn requiredness(required: bool) -> &'static str {
    if required {
        "required"
    } else {
        "optional"
    }
}

fn location_name(location: Location) -> &'static str {
    match location {
        Location::Query => "query",
        Location::Body => "body",
        Location::Header => "header",
        Location::Host => "host",
        Location::Path => "path",
        Location::Stream => "stream",
        Location::Json => "json",
        Location::JsonBody => "jsonBody",
    }
}

fn style_name(style: ParamStyle) -> &'static str {
    match style {
        ParamStyle::RepeatList => "repeatList",
        ParamStyle::Simple => "simple",
        ParamStyle::Json => "json",
        ParamStyle::Flat => "flat",
        ParamStyle::SpaceDelimited => "spaceDelimited",
        ParamStyle::PipeDelimited => "pipeDelimited",
    }
}

/// The style a parameter is really sent with: an absent style means
/// `repeatList` for structured values and nothing for scalars.
fn effective_style(param: &Parameter, components: &Components) -> Option<ParamStyle> {
    let structured = matches!(
        components.resolve(&param.schema).ty,
        Some(Type::Array | Type::Object | Type::Map)
    );
    param.style.or(structured.then_some(ParamStyle::RepeatList))
}

fn compare_parameters(cx: &Context, old: &[Parameter], new: &[Parameter], out: &mut Changes) {
    let old_by_name: HashMap<&str, &Parameter> = old.iter().map(|p| (p.name.as_str(), p)).collect();
    let new_by_name: HashMap<&str, &Parameter> = new.iter().map(|p| (p.name.as_str(), p)).collect();
    for param in old {
        if new_by_name.contains_key(param.name.as_str()) {
            continue;
        }
        let required = param.schema.required;
        let reason = if required {
            "the request constructor and client method lose an argument"
        } else {
            "its setter on the request is gone"
        };
        out.push(
            Part::Parameter,
            &param.name,
            Kind::Removed,
            Some(format!(
                "{} {}",
                requiredness(required),
                type_label(&param.schema, cx.old)
            )),
            None,
            Impact::Breaking,
            reason,
        );
    }
    for param in new {
        let Some(old_param) = old_by_name.get(param.name.as_str()) else {
            let required = param.schema.required;
            let (impact, reason) = if required {
                (
                    Impact::Breaking,
                    "the request constructor and client method take a new argument",
                )
            } else {
                (Impact::Compatible, "a new setter on the request")
            };
            out.push(
                Part::Parameter,
                &param.name,
                Kind::Added,
                None,
                Some(format!(
                    "{} {}",
                    requiredness(required),
                    type_label(&param.schema, cx.new)
                )),
                impact,
                reason,
            );
            continue;
        };
        if old_param.schema.required != param.schema.required {
            let reason = if param.schema.required {
                "it moves from a setter to a new argument of the request constructor and client method"
            } else {
                "it leaves the request constructor and client method (one argument less) and becomes a setter"
            };
            out.push(
                Part::Parameter,
                &param.name,
                Kind::Required,
                Some(requiredness(old_param.schema.required).to_owned()),
                Some(requiredness(param.schema.required).to_owned()),
                Impact::Breaking,
                reason,
            );
        }
        if old_param.location != param.location {
            out.push(
                Part::Parameter,
                &param.name,
                Kind::Location,
                Some(location_name(old_param.location).to_owned()),
                Some(location_name(param.location).to_owned()),
                Impact::Behavior,
                "sent in another part of the request; the Rust API is unchanged",
            );
        }
        let (old_style, new_style) = (
            effective_style(old_param, cx.old),
            effective_style(param, cx.new),
        );
        if old_style != new_style {
            out.push(
                Part::Parameter,
                &param.name,
                Kind::Style,
                old_style.map(|s| style_name(s).to_owned()),
                new_style.map(|s| style_name(s).to_owned()),
                Impact::Behavior,
                "encoded differently on the wire; the Rust API is unchanged",
            );
        }
        SchemaWalk {
            cx,
            side: Side::Request,
            out: &mut *out,
            refs: Vec::new(),
        }
        .compare(
            Part::Parameter,
            &param.name,
            &old_param.schema,
            &param.schema,
        );
    }
}

fn field_names(schema: &Schema) -> Vec<&str> {
    schema.properties.keys().map(String::as_str).collect()
}

/// `"N things: a, b, c and M more"`.
fn name_list(noun: &str, names: &[&str]) -> String {
    let shown: Vec<String> = names
        .iter()
        .take(DETAIL_NAMES)
        .map(|n| format!("`{n}`"))
        .collect();
    let mut text = format!(
        "{} {noun}{}: {}",
        names.len(),
        if names.len() == 1 { "" } else { "s" },
        shown.join(", ")
    );
    if names.len() > DETAIL_NAMES {
        text.push_str(&format!(" and {} more", names.len() - DETAIL_NAMES));
    }
    text
}

/// The response schema, when it has fields. A response without fields
/// decodes into the same empty struct as no response at all, so both count
/// as "not described".
fn described<'a>(op: &'a Operation, components: &'a Components) -> Option<&'a Schema> {
    op.response
        .as_ref()
        .map(|r| components.resolve(&r.schema).schema)
        .filter(|s| !s.properties.is_empty())
}

fn compare_response(cx: &Context, old: &Operation, new: &Operation, out: &mut Changes) {
    compare_headers(cx, response_headers(old), response_headers(new), out);
    match (described(old, cx.old), described(new, cx.new)) {
        (Some(old_schema), None) => {
            // One change instead of one per field: this is how a spec that
            // lost its response descriptions reads best.
            out.push(
                Part::Response,
                "",
                Kind::Removed,
                None,
                None,
                Impact::Breaking,
                "the response struct loses all its fields; code reading them no longer compiles",
            )
            .detail = Some(name_list("field", &field_names(old_schema)));
        }
        (None, Some(new_schema)) => {
            out.push(
                Part::Response,
                "",
                Kind::Added,
                None,
                None,
                Impact::Compatible,
                "the response struct gains fields",
            )
            .detail = Some(name_list("field", &field_names(new_schema)));
        }
        (Some(_), Some(_)) => {
            let (Some(old_response), Some(new_response)) = (&old.response, &new.response) else {
                return;
            };
            SchemaWalk {
                cx,
                side: Side::Response,
                out,
                refs: Vec::new(),
            }
            .compare(
                Part::ResponseField,
                "",
                &old_response.schema,
                &new_response.schema,
            );
        }
        (None, None) => {}
    }
}

fn response_headers(op: &Operation) -> &[ResponseHeader] {
    op.response.as_ref().map_or(&[], |r| &r.headers)
}

/// Header key (its lowercase name) to schema.
fn headers_by_name(headers: &[ResponseHeader]) -> BTreeMap<String, &Schema> {
    headers.iter().map(|h| (h.key(), &h.schema)).collect()
}

/// Response headers, matched by name whatever its case (as the generated
/// field's name is): each is an `Option` field of the response struct.
fn compare_headers(
    cx: &Context,
    old: &[ResponseHeader],
    new: &[ResponseHeader],
    out: &mut Changes,
) {
    let (old, new) = (headers_by_name(old), headers_by_name(new));
    for (name, schema) in &old {
        if !new.contains_key(name) {
            out.push(
                Part::ResponseHeader,
                name,
                Kind::Removed,
                Some(type_label(schema, cx.old)),
                None,
                Impact::Breaking,
                "its field in the response struct is gone; code reading it no longer compiles",
            );
        }
    }
    for (name, schema) in &new {
        match old.get(name) {
            None => {
                out.push(
                    Part::ResponseHeader,
                    name,
                    Kind::Added,
                    None,
                    Some(type_label(schema, cx.new)),
                    Impact::Compatible,
                    "a new `Option` field of the response struct",
                );
            }
            Some(old_schema) => SchemaWalk {
                cx,
                side: Side::Response,
                out,
                refs: Vec::new(),
            }
            .compare(Part::ResponseHeader, name, old_schema, schema),
        }
    }
}

/// Each code with its HTTP statuses, in spec order.
fn codes(errors: &[ErrorCode]) -> Vec<(&str, Vec<u16>)> {
    let mut codes: Vec<(&str, Vec<u16>)> = Vec::new();
    for error in errors {
        match codes.iter_mut().find(|(code, _)| *code == error.code) {
            Some((_, statuses)) => statuses.push(error.status),
            None => codes.push((&error.code, vec![error.status])),
        }
    }
    for (_, statuses) in &mut codes {
        statuses.sort_unstable();
        statuses.dedup();
    }
    codes
}

fn statuses(statuses: &[u16]) -> String {
    statuses
        .iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn compare_errors(old: &[ErrorCode], new: &[ErrorCode], out: &mut Changes) {
    let (old, new) = (codes(old), codes(new));
    let old_names: Vec<&str> = old.iter().map(|(code, _)| *code).collect();
    let new_names: Vec<&str> = new.iter().map(|(code, _)| *code).collect();
    if new.is_empty() && !old.is_empty() {
        out.push(
            Part::Errors,
            "",
            Kind::Removed,
            None,
            None,
            Impact::Breaking,
            "the error enum loses all its named variants; code matching them no longer compiles",
        )
        .detail = Some(name_list("code", &old_names));
        return;
    }
    if old.is_empty() && !new.is_empty() {
        out.push(
            Part::Errors,
            "",
            Kind::Added,
            None,
            None,
            Impact::Compatible,
            "the error enum gains named variants; it is `#[non_exhaustive]`",
        )
        .detail = Some(name_list("code", &new_names));
        return;
    }
    for (code, old_statuses) in &old {
        match new.iter().find(|(c, _)| c == code) {
            None => {
                out.push(
                    Part::ErrorCode,
                    code,
                    Kind::Removed,
                    Some(statuses(old_statuses)),
                    None,
                    Impact::Breaking,
                    "its error enum variant is gone (code naming it no longer compiles; the error now arrives as `Unhandled`)",
                );
            }
            Some((_, new_statuses)) if new_statuses != old_statuses => {
                out.push(
                    Part::ErrorCode,
                    code,
                    Kind::Status,
                    Some(statuses(old_statuses)),
                    Some(statuses(new_statuses)),
                    Impact::Behavior,
                    "answered with another HTTP status; the Rust variant is unchanged",
                );
            }
            Some(_) => {}
        }
    }
    for (code, new_statuses) in &new {
        if !old.iter().any(|(c, _)| c == code) {
            out.push(
                Part::ErrorCode,
                code,
                Kind::Added,
                None,
                Some(statuses(new_statuses)),
                Impact::Compatible,
                "a new variant of the error enum, which is `#[non_exhaustive]`",
            );
        }
    }
}

/// A short type description: `string`, `int64 enum`, `array<Tag>`, `map<string>`.
fn type_label(schema: &Schema, components: &Components) -> String {
    let resolved = components.resolve(schema);
    if let Some(name) = resolved.component {
        return name.to_owned();
    }
    let Some(ty) = resolved.ty else {
        return "unknown".to_owned();
    };
    let inner = |sub: &Option<Box<Schema>>| {
        sub.as_deref()
            .map(|s| type_label(s, components))
            .unwrap_or_else(|| "unknown".to_owned())
    };
    match ty {
        Type::Array => format!("array<{}>", inner(&schema.items)),
        Type::Map => format!("map<{}>", inner(&schema.values)),
        _ if !schema.enumeration.is_empty() => format!("{} enum", ty.as_str()),
        _ => ty.as_str().to_owned(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Request,
    Response,
}

/// Walks two schemas side by side, reporting what differs at each field path.
struct SchemaWalk<'a, 'o> {
    cx: &'a Context<'a>,
    side: Side,
    out: &'o mut Changes,
    /// Component pairs being compared, so recursive components end.
    refs: Vec<(&'a str, &'a str)>,
}

impl<'a> SchemaWalk<'a, '_> {
    fn nested_part(&self) -> Part {
        match self.side {
            Side::Request => Part::ParameterField,
            Side::Response => Part::ResponseField,
        }
    }

    fn compare(&mut self, part: Part, path: &str, old: &'a Schema, new: &'a Schema) {
        let cx = self.cx;
        let (ro, rn) = (cx.old.resolve(old), cx.new.resolve(new));
        let (old_label, new_label) = (type_label(old, cx.old), type_label(new, cx.new));
        if ro.ty != rn.ty {
            self.out.push(
                part,
                path,
                Kind::Type,
                Some(old_label),
                Some(new_label),
                Impact::Breaking,
                "its Rust type changes",
            );
            return;
        }
        let (old_enum, new_enum) = (
            !ro.schema.enumeration.is_empty(),
            !rn.schema.enumeration.is_empty(),
        );
        if old_enum != new_enum {
            let reason = if new_enum {
                "valid values appeared: its Rust type becomes an enum instead of a plain value"
            } else {
                "its valid values are gone: its Rust type becomes a plain value instead of an enum"
            };
            self.out.push(
                part,
                path,
                Kind::Type,
                Some(old_label),
                Some(new_label),
                Impact::Breaking,
                reason,
            );
            return;
        }
        if ro.component != rn.component {
            // Same shape, but the Rust type is now another named type (a
            // component or a struct named after its place).
            self.out.push(
                part,
                path,
                Kind::Type,
                Some(old_label),
                Some(new_label),
                Impact::Breaking,
                "its Rust type is now a different named type; code naming the type breaks",
            );
        }
        let deprecated = |outer: &Schema, inner: &Schema| outer.deprecated || inner.deprecated;
        let now_deprecated = deprecated(new, rn.schema);
        if deprecated(old, ro.schema) != now_deprecated {
            push_deprecated(self.out, part, path, now_deprecated);
        }
        if old_enum {
            self.compare_values(part, path, ro.schema, rn.schema);
        }
        if let (Some(old_ref), Some(new_ref)) = (ro.component, rn.component) {
            if self.refs.contains(&(old_ref, new_ref)) {
                return;
            }
            self.refs.push((old_ref, new_ref));
        }
        let nested = self.nested_part();
        match ro.ty {
            Some(Type::Array) => {
                if let (Some(o), Some(n)) = (&ro.schema.items, &rn.schema.items) {
                    self.compare(nested, &format!("{path}[]"), o, n);
                }
            }
            Some(Type::Map) => {
                if let (Some(o), Some(n)) = (&ro.schema.values, &rn.schema.values) {
                    self.compare(nested, &format!("{path}{{}}"), o, n);
                }
            }
            Some(Type::Object) => self.compare_properties(path, ro.schema, rn.schema),
            _ => {}
        }
        if ro.component.is_some() && rn.component.is_some() {
            self.refs.pop();
        }
    }

    fn compare_values(&mut self, part: Part, path: &str, old: &Schema, new: &Schema) {
        let old_values: Vec<&str> = old.enumeration.iter().map(|v| v.value.as_str()).collect();
        let new_values: Vec<&str> = new.enumeration.iter().map(|v| v.value.as_str()).collect();
        for value in &old_values {
            if !new_values.contains(value) {
                self.out.push(
                    part,
                    path,
                    Kind::EnumValueRemoved,
                    Some((*value).to_owned()),
                    None,
                    Impact::Breaking,
                    "its enum variant is gone; code naming it no longer compiles",
                );
            }
        }
        for value in &new_values {
            if !old_values.contains(value) {
                self.out.push(
                    part,
                    path,
                    Kind::EnumValueAdded,
                    None,
                    Some((*value).to_owned()),
                    Impact::Compatible,
                    "a new enum variant; the enum is `#[non_exhaustive]`",
                );
            }
        }
    }

    fn compare_properties(&mut self, path: &str, old: &'a Schema, new: &'a Schema) {
        let (cx, part) = (self.cx, self.nested_part());
        let join = |name: &str| {
            if path.is_empty() {
                name.to_owned()
            } else {
                format!("{path}.{name}")
            }
        };
        for (name, field) in &old.properties {
            if new.properties.contains_key(name) {
                continue;
            }
            let reason = match self.side {
                Side::Request => "its field in the request struct is gone",
                Side::Response => {
                    "its field in the response struct is gone; code reading it no longer compiles"
                }
            };
            let change = self.out.push(
                part,
                &join(name),
                Kind::Removed,
                Some(self.field_label(field, cx.old)),
                None,
                Impact::Breaking,
                reason,
            );
            let nested = cx.old.resolve(field).schema.properties.len();
            if nested > 0 {
                change.detail = Some(format!("with {nested} fields of its own"));
            }
        }
        for (name, field) in &new.properties {
            let Some(old_field) = old.properties.get(name) else {
                let (impact, reason) = match (self.side, field.required) {
                    (Side::Request, true) => (
                        Impact::Breaking,
                        "a new required field of a request struct must be given",
                    ),
                    (Side::Request, false) => (
                        Impact::Compatible,
                        "a new optional field of a request struct",
                    ),
                    (Side::Response, _) => (
                        Impact::Compatible,
                        "a new `Option` field of the response struct",
                    ),
                };
                self.out.push(
                    part,
                    &join(name),
                    Kind::Added,
                    None,
                    Some(self.field_label(field, cx.new)),
                    impact,
                    reason,
                );
                continue;
            };
            // Response fields are `Option` whatever the spec says, so only
            // request fields change type with `required`.
            if self.side == Side::Request && old_field.required != field.required {
                self.out.push(
                    part,
                    &join(name),
                    Kind::Required,
                    Some(requiredness(old_field.required).to_owned()),
                    Some(requiredness(field.required).to_owned()),
                    Impact::Breaking,
                    "the request struct field changes between a plain value and an `Option`",
                );
            }
            self.compare(part, &join(name), old_field, field);
        }
    }

    fn field_label(&self, field: &Schema, components: &Components) -> String {
        match self.side {
            Side::Request => format!(
                "{} {}",
                requiredness(field.required),
                type_label(field, components)
            ),
            Side::Response => type_label(field, components),
        }
    }
}
