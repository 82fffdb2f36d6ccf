//! Static descriptions of a service and its operations, emitted as consts by the generator.

use std::fmt;

/// How the default endpoint host is derived when neither an override nor the
/// endpoint map applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EndpointRule {
    /// `<product>.<region>.aliyuncs.com`; needs a region.
    Regional,
    /// `<product>.aliyuncs.com`, the same for every region.
    Central,
}

/// URL scheme used to reach the service.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// TLS (the default of every Alibaba Cloud API).
    Https,
    /// Plain HTTP (tests and private gateways).
    Http,
}

impl Scheme {
    /// `"https"` or `"http"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Https => "https",
            Scheme::Http => "http",
        }
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// HTTP method of an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// DELETE
    Delete,
    /// PATCH
    Patch,
    /// HEAD
    Head,
}

impl Method {
    /// The upper-case method name, as signed.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
            Method::Patch => "PATCH",
            Method::Head => "HEAD",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Description of one API product version (for example `live` 2016-11-01).
#[derive(Debug)]
pub struct ServiceInfo {
    /// Product code, used in endpoint hosts (`"live"`).
    pub product: &'static str,
    /// API version sent as `x-acs-version` / `Version` (`"2016-11-01"`).
    pub version: &'static str,
    /// How to derive the host when the endpoint map has no entry.
    pub endpoint_rule: EndpointRule,
    /// The spec's default host (`"live.aliyuncs.com"`), used by the central rule.
    pub default_endpoint: &'static str,
    /// `(region, host)` pairs from the spec; take precedence over the rule.
    pub endpoint_map: &'static [(&'static str, &'static str)],
    /// Scheme used unless an endpoint override names another.
    pub scheme: Scheme,
    /// Name of the generated crate, for the user-agent.
    pub crate_name: &'static str,
    /// Version of the generated crate, for the user-agent.
    pub crate_version: &'static str,
}

/// Description of one API operation.
#[derive(Debug)]
pub struct OperationInfo {
    /// Action name (`"RecoverLiveMessageDeletedGroup"`).
    pub action: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Path template; `"/"` for RPC-style APIs. `{Name}` / `[Name]` are path parameters.
    pub path: &'static str,
    /// True when repeating the call is harmless, so it may be retried after a 5xx or a
    /// read timeout.
    pub read_only: bool,
    /// Documented per-user QPS limit, used by optional client-side rate limiting.
    pub qps_limit: Option<u32>,
}
