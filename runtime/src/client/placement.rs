//! Parameter placement: each [`Params`] entry to the query, the form body, a header, the
//! host prefix or a path placeholder, checked; and the small builders of a request
//! (form bodies, header replacement, the URL).

use std::borrow::Cow;

use crate::encoding::params::{Body, Location, Params};
use crate::encoding::percent;
use crate::error::BuildError;
use crate::service::OperationInfo;

/// Parameters sorted by location, with host and path already applied.
pub(super) struct Parts<'a> {
    pub(super) host: String,
    pub(super) path: String,
    pub(super) query: Vec<(&'a str, &'a str)>,
    pub(super) body: Vec<(&'a str, &'a str)>,
    pub(super) headers: Vec<(String, &'a str)>,
    /// The body other than form parameters ([`Location::Stream`] or
    /// [`Location::Json`]): its bytes and content type.
    pub(super) raw_body: Option<(Vec<u8>, &'static str)>,
}

impl<'a> Parts<'a> {
    pub(super) fn collect(
        op: &OperationInfo,
        params: &'a Params,
        endpoint_host: &str,
    ) -> Result<Parts<'a>, BuildError> {
        let fail = |problem: String| BuildError {
            action: op.action,
            problem,
        };
        if let Some(e) = params.error() {
            return Err(fail(format!(
                "parameter `{}` cannot be serialized: {}",
                e.name, e.message
            )));
        }
        let mut parts = Parts {
            host: String::new(),
            path: String::new(),
            query: Vec::with_capacity(params.len()),
            body: Vec::new(),
            headers: Vec::new(),
            raw_body: params.body().map(Body::encode),
        };
        let mut host_prefix = String::new();
        let mut path_params: Vec<(&str, &str)> = Vec::new();
        for p in params {
            let (name, value) = (p.name.as_ref(), p.value.as_str());
            match p.location {
                Location::Query => parts.query.push((name, value)),
                Location::Body => parts.body.push((name, value)),
                Location::Header => {
                    if name.is_empty() || !name.bytes().all(is_token_byte) {
                        return Err(fail(format!("`{name}` is not a valid header name")));
                    }
                    if !value
                        .bytes()
                        .all(|b| b == b'\t' || (0x20..0x7f).contains(&b))
                    {
                        return Err(fail(format!(
                            "header parameter `{name}` must be printable ASCII"
                        )));
                    }
                    parts.headers.push((name.to_ascii_lowercase(), value));
                }
                Location::Host => {
                    let label_ok = !value.is_empty()
                        && value
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'-');
                    if !label_ok {
                        return Err(fail(format!(
                            "host parameter `{name}` = `{value}` is not a host label (letters, digits, '-')"
                        )));
                    }
                    host_prefix.push_str(value);
                    host_prefix.push('.');
                }
                Location::Path => path_params.push((name, value)),
                // `Params` keeps bodies apart; only a flattened or run-time-named
                // value can end up here.
                Location::Stream | Location::Json | Location::JsonBody => {
                    return Err(fail(format!(
                        "`{name}` is a body value: add it with `push_stream`, `push_json_field` or `push_json_body`"
                    )));
                }
            }
        }
        if parts.raw_body.is_some() && !parts.body.is_empty() {
            return Err(fail(
                "a raw or JSON request body cannot be sent with form-body parameters".to_owned(),
            ));
        }
        parts.host = host_prefix + endpoint_host;
        parts.path = fill_path(op.path, &path_params).map_err(fail)?;
        Ok(parts)
    }
}

// RFC 9110 token characters.
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Replaces `{Name}` / `[Name]` in `template` with the percent-encoded value of the path
/// parameter `Name`; every placeholder needs a value and every value a placeholder. A
/// template that is `{+Name}` alone takes the whole path from `Name` (see [`whole_path`]).
fn fill_path(template: &str, values: &[(&str, &str)]) -> Result<String, String> {
    if let Some(name) = template
        .strip_prefix("{+")
        .and_then(|rest| rest.strip_suffix('}'))
    {
        return match values {
            [(given, value)] if *given == name => whole_path(name, value),
            _ => Err(format!(
                "`{template}` takes exactly one path parameter, `{name}`"
            )),
        };
    }
    let mut out = String::with_capacity(template.len() + 16);
    let mut used = vec![false; values.len()];
    let mut rest = template;
    while let Some(start) = rest.find(['{', '[']) {
        let close = if rest.as_bytes()[start] == b'{' {
            '}'
        } else {
            ']'
        };
        let Some(len) = rest[start + 1..].find(close) else {
            return Err(format!("path `{template}` has an unclosed placeholder"));
        };
        let name = &rest[start + 1..start + 1 + len];
        let Some(i) = values.iter().position(|(n, _)| *n == name) else {
            return Err(format!(
                "path parameter `{name}` of `{template}` has no value"
            ));
        };
        used[i] = true;
        out.push_str(&rest[..start]);
        percent::encode_into(&mut out, values[i].1);
        rest = &rest[start + 2 + len..];
    }
    out.push_str(rest);
    if let Some(i) = used.iter().position(|u| !u) {
        return Err(format!(
            "parameter `{}` is a path parameter but `{template}` has no placeholder for it",
            values[i].0
        ));
    }
    if out.is_empty() {
        out.push('/');
    }
    Ok(out)
}

/// A whole request path given by a parameter: it starts with `/`, and each segment is
/// percent-encoded like a path parameter with `/` kept between them. `.` and `..`
/// segments are refused: a server or proxy would resolve them to another path than
/// the one signed.
fn whole_path(name: &str, value: &str) -> Result<String, String> {
    let Some(segments) = value.strip_prefix('/') else {
        return Err(format!(
            "path parameter `{name}` holds the whole request path and must start with `/`"
        ));
    };
    let mut out = String::with_capacity(value.len() + 16);
    for segment in segments.split('/') {
        if matches!(segment, "." | "..") {
            return Err(format!(
                "path parameter `{name}` has a `{segment}` segment, which would change the path signed"
            ));
        }
        out.push('/');
        percent::encode_into(&mut out, segment);
    }
    Ok(out)
}

pub(super) type Headers = Vec<(Cow<'static, str>, String)>;

/// Sets `name` to `value`, replacing an existing header of that name.
pub(super) fn set_header(headers: &mut Headers, name: &str, value: &str) {
    let name = name.to_ascii_lowercase();
    match headers.iter_mut().find(|(n, _)| *n == name) {
        Some(slot) => slot.1 = value.to_owned(),
        None => headers.push((Cow::Owned(name), value.to_owned())),
    }
}

pub(super) fn form_body(pairs: &mut [(&str, &str)]) -> Vec<u8> {
    pairs.sort_unstable();
    let mut out = String::with_capacity(pairs.iter().map(|(k, v)| k.len() + v.len() + 2).sum());
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        percent::form_encode_into(&mut out, k);
        out.push('=');
        percent::form_encode_into(&mut out, v);
    }
    out.into_bytes()
}

pub(super) const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

pub(super) fn url(scheme: &str, host: &str, path: &str, query: &str) -> String {
    let mut url =
        String::with_capacity(scheme.len() + 3 + host.len() + path.len() + query.len() + 1);
    url.push_str(scheme);
    url.push_str("://");
    url.push_str(host);
    url.push_str(path);
    if !query.is_empty() {
        url.push('?');
        url.push_str(query);
    }
    url
}
