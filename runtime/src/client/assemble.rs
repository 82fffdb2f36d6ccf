//! Signing assembly: the headers and query of a V3 (`ACS3-HMAC-SHA256`) or RPC
//! (`HMAC-SHA1`) request around the placed parameters, signed with `crate::signing`,
//! giving a [`SignedRequest`].

use std::borrow::Cow;
use std::fmt;

use crate::config::CallOptions;
use crate::encoding::percent;
use crate::http_client::HttpRequest;
use crate::identity::Credential;
use crate::service::{Method, OperationInfo, ServiceInfo};
use crate::signing::{canonical_query, rpc, v3, SignedHeaderSet};

use super::placement::{form_body, set_header, url, Headers, Parts, FORM_CONTENT_TYPE};

/// A fully built and signed request, ready to send; also exposes what was signed.
#[derive(Clone)]
pub struct SignedRequest {
    /// HTTP method.
    pub method: Method,
    /// Full URL; its query is exactly the signed canonical query.
    pub url: String,
    /// Headers to send (lower-case names), `host` and `authorization` included.
    pub headers: Vec<(Cow<'static, str>, String)>,
    /// Body bytes (empty when there is no body).
    pub body: Vec<u8>,
    /// V3: the canonical request. RPC: the canonicalized query string.
    pub canonical: String,
    /// The string that was signed.
    pub string_to_sign: String,
    /// The signature (hex for V3, Base64 for RPC).
    pub signature: String,
}

impl SignedRequest {
    /// The request to hand to an [`HttpClient`](crate::HttpClient) (default timeouts;
    /// the runtime sets the call's own).
    pub fn into_http(self) -> HttpRequest {
        let mut request = HttpRequest::new(self.method, self.url);
        request.headers = self.headers;
        request.body = self.body;
        request
    }

    /// The value of header `name` (lower-case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

// Hides the STS token, which travels in a header (V3) or in the query (RPC).
impl fmt::Debug for SignedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = match self.url.split_once('?') {
            Some((base, query)) => {
                let redacted: Vec<String> = query
                    .split('&')
                    .map(|pair| match pair.split_once('=') {
                        Some(("SecurityToken", _)) => "SecurityToken=***".to_owned(),
                        _ => pair.to_owned(),
                    })
                    .collect();
                format!("{base}?{}", redacted.join("&"))
            }
            None => self.url.clone(),
        };
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| {
                let v = if n == "x-acs-security-token" {
                    "***"
                } else {
                    v.as_str()
                };
                (n.as_ref(), v)
            })
            .collect();
        let canonical = self
            .canonical
            .lines()
            .map(|l| match l.split_once(':') {
                Some(("x-acs-security-token", _)) => "x-acs-security-token:***",
                _ => l,
            })
            .collect::<Vec<_>>()
            .join("\n");
        let canonical = match canonical.find("SecurityToken=") {
            // RPC canonical query: cut the token value out.
            Some(start) => {
                let value_start = start + "SecurityToken=".len();
                let end = canonical[value_start..]
                    .find('&')
                    .map_or(canonical.len(), |i| value_start + i);
                format!("{}***{}", &canonical[..value_start], &canonical[end..])
            }
            None => canonical,
        };
        f.debug_struct("SignedRequest")
            .field("method", &self.method)
            .field("url", &url)
            .field("headers", &headers)
            .field("body_len", &self.body.len())
            .field("canonical", &canonical)
            .field("signature", &self.signature)
            .finish_non_exhaustive()
    }
}

pub(super) struct SignInput<'a> {
    pub(super) service: &'static ServiceInfo,
    pub(super) op: &'a OperationInfo,
    pub(super) scheme: &'a str,
    pub(super) user_agent: &'a str,
    pub(super) options: &'a CallOptions,
    pub(super) credential: &'a Credential,
    pub(super) date: &'a str,
    pub(super) nonce: &'a str,
}

pub(super) fn sign_v3(
    input: &SignInput<'_>,
    mut parts: Parts<'_>,
    selection: SignedHeaderSet,
) -> SignedRequest {
    let (body, content_type) = body_of(&mut parts);
    let content_sha256 = v3::hash_payload(&body);
    let query = canonical_query(&parts.query);
    let mut headers: Headers = Vec::with_capacity(12 + parts.headers.len());
    let mut add = |n: &'static str, v: &str| headers.push((Cow::Borrowed(n), v.to_owned()));
    add("host", &parts.host);
    add("x-acs-version", input.service.version);
    add("x-acs-action", input.op.action);
    add("user-agent", input.user_agent);
    add("x-acs-date", input.date);
    add("x-acs-signature-nonce", input.nonce);
    add("accept", "application/json");
    if let Some(content_type) = content_type {
        add("content-type", content_type);
    }
    add("x-acs-content-sha256", &content_sha256);
    if let Some(token) = input.credential.security_token() {
        add("x-acs-accesskey-id", input.credential.access_key_id());
        add("x-acs-security-token", token.expose_secret());
    }
    for (name, value) in &parts.headers {
        set_header(&mut headers, name, value);
    }
    for (name, value) in &input.options.headers {
        set_header(&mut headers, name, value);
    }
    let signature = {
        let refs: Vec<(&str, &str)> = headers
            .iter()
            .map(|(n, v)| (n.as_ref(), v.as_str()))
            .collect();
        v3::sign(
            &v3::V3Request {
                method: input.op.method.as_str(),
                canonical_uri: &parts.path,
                canonical_query: &query,
                headers: &refs,
                hashed_payload: &content_sha256,
            },
            selection,
            input.credential,
        )
    };
    headers.push((Cow::Borrowed("authorization"), signature.authorization));
    SignedRequest {
        method: input.op.method,
        url: url(input.scheme, &parts.host, &parts.path, &query),
        headers,
        body,
        canonical: signature.canonical_request,
        string_to_sign: signature.string_to_sign,
        signature: signature.signature,
    }
}

pub(super) fn sign_rpc(input: &SignInput<'_>, mut parts: Parts<'_>) -> SignedRequest {
    let credential = input.credential;
    let mut sent: Vec<(&str, &str)> = Vec::with_capacity(parts.query.len() + 9);
    sent.extend_from_slice(&parts.query);
    sent.push(("Action", input.op.action));
    sent.push(("Format", "json"));
    sent.push(("Version", input.service.version));
    sent.push(("Timestamp", input.date));
    sent.push(("SignatureNonce", input.nonce));
    sent.push(("SignatureMethod", "HMAC-SHA1"));
    sent.push(("SignatureVersion", "1.0"));
    sent.push(("AccessKeyId", credential.access_key_id()));
    if let Some(token) = credential.security_token() {
        sent.push(("SecurityToken", token.expose_secret()));
    }
    let url_query = canonical_query(&sent);
    // Form parameters are signed but stay in the body; a raw body is not signed.
    let signed = if parts.body.is_empty() {
        rpc::sign_canonical(input.op.method.as_str(), "/", url_query.clone(), credential)
    } else {
        let mut all = sent.clone();
        all.extend_from_slice(&parts.body);
        rpc::sign(input.op.method.as_str(), "/", &all, credential)
    };
    let (body, content_type) = body_of(&mut parts);
    let mut query = url_query;
    query.push_str("&Signature=");
    percent::encode_into(&mut query, &signed.signature);

    let mut headers: Headers = Vec::with_capacity(6 + parts.headers.len());
    let mut add = |n: &'static str, v: &str| headers.push((Cow::Borrowed(n), v.to_owned()));
    add("host", &parts.host);
    add("x-acs-version", input.service.version);
    add("x-acs-action", input.op.action);
    add("user-agent", input.user_agent);
    if let Some(content_type) = content_type {
        add("content-type", content_type);
    }
    for (name, value) in &parts.headers {
        set_header(&mut headers, name, value);
    }
    for (name, value) in &input.options.headers {
        set_header(&mut headers, name, value);
    }
    SignedRequest {
        method: input.op.method,
        url: url(input.scheme, &parts.host, &parts.path, &query),
        headers,
        body,
        canonical: signed.canonicalized_query,
        string_to_sign: signed.string_to_sign,
        signature: signed.signature,
    }
}

/// The body bytes and their content type: the raw or JSON body, or the form
/// parameters, or nothing (placement refuses both at once).
fn body_of(parts: &mut Parts<'_>) -> (Vec<u8>, Option<&'static str>) {
    if let Some((bytes, content_type)) = parts.raw_body.take() {
        (bytes, Some(content_type))
    } else if parts.body.is_empty() {
        (Vec::new(), None)
    } else {
        (form_body(&mut parts.body), Some(FORM_CONTENT_TYPE))
    }
}
