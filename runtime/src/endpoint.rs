//! Endpoint resolution: explicit override, then the service's endpoint map for the
//! region, then the regional/central rule.

use std::fmt;

use crate::error::ConfigError;
use crate::service::{EndpointRule, Scheme, ServiceInfo};

/// Where requests go: scheme and `host[:port]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// URL scheme.
    pub scheme: Scheme,
    /// Host name, with `:port` when not the default; also the signed `host` header.
    pub host: String,
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}", self.scheme, self.host)
    }
}

pub(crate) fn is_region_id(region: &str) -> bool {
    !region.is_empty()
        && region
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Resolves the endpoint of `service`.
///
/// Order: `endpoint_override` (`host[:port]` or `scheme://host[:port]`; a scheme there
/// wins over the service's) > `service.endpoint_map[region]` >
/// `<product>[-<network>].<region>.aliyuncs.com` (regional rule; needs a region) or the
/// default / `<product>[-<network>].aliyuncs.com` (central rule). `network` `public` or
/// empty adds nothing.
pub fn resolve(
    service: &ServiceInfo,
    region: Option<&str>,
    network: Option<&str>,
    endpoint_override: Option<&str>,
) -> Result<Endpoint, ConfigError> {
    if let Some(raw) = endpoint_override {
        return parse_override(raw, service.scheme);
    }
    let region = region.filter(|r| !r.is_empty());
    if let Some(region) = region {
        if !is_region_id(region) {
            return Err(ConfigError::InvalidRegion {
                region: region.to_owned(),
            });
        }
        if let Some((_, host)) = service.endpoint_map.iter().find(|(r, _)| *r == region) {
            return Ok(Endpoint {
                scheme: service.scheme,
                host: (*host).to_owned(),
            });
        }
    }
    let product = service.product.to_ascii_lowercase();
    let network = match network {
        None | Some("") | Some("public") => String::new(),
        Some(n) if is_region_id(n) => format!("-{n}"),
        Some(n) => {
            return Err(ConfigError::InvalidEndpoint {
                endpoint: n.to_owned(),
                reason: "network must be letters, digits and '-' (e.g. vpc)",
            })
        }
    };
    let host = match service.endpoint_rule {
        EndpointRule::Regional => {
            let region = region.ok_or(ConfigError::MissingRegion {
                product: service.product,
            })?;
            format!("{product}{network}.{region}.aliyuncs.com")
        }
        EndpointRule::Central if network.is_empty() && !service.default_endpoint.is_empty() => {
            service.default_endpoint.to_owned()
        }
        EndpointRule::Central => format!("{product}{network}.aliyuncs.com"),
    };
    Ok(Endpoint {
        scheme: service.scheme,
        host,
    })
}

fn parse_override(raw: &str, default_scheme: Scheme) -> Result<Endpoint, ConfigError> {
    let invalid = |reason| ConfigError::InvalidEndpoint {
        endpoint: raw.to_owned(),
        reason,
    };
    let trimmed = raw.trim();
    let (scheme, rest) = match trimmed.split_once("://") {
        Some((s, rest)) if s.eq_ignore_ascii_case("https") => (Scheme::Https, rest),
        Some((s, rest)) if s.eq_ignore_ascii_case("http") => (Scheme::Http, rest),
        Some(_) => return Err(invalid("only http:// and https:// are supported")),
        None => (default_scheme, trimmed),
    };
    let host = rest.strip_suffix('/').unwrap_or(rest);
    if host.is_empty() {
        return Err(invalid("no host"));
    }
    let allowed =
        |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b':' | b'[' | b']');
    if !host.bytes().all(allowed) {
        return Err(invalid(
            "expected host[:port] with an optional scheme, without path, query or user info",
        ));
    }
    Ok(Endpoint {
        scheme,
        host: host.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    static LIVE: ServiceInfo = ServiceInfo {
        product: "live",
        version: "2016-11-01",
        endpoint_rule: EndpointRule::Regional,
        default_endpoint: "live.aliyuncs.com",
        endpoint_map: &[
            ("ap-southeast-1", "live.aliyuncs.com"),
            ("cn-shanghai", "live.aliyuncs.com"),
        ],
        scheme: Scheme::Https,
        crate_name: "alibabacloud-live",
        crate_version: "0.1.0",
    };

    static CENTRAL: ServiceInfo = ServiceInfo {
        product: "Ram",
        version: "2015-05-01",
        endpoint_rule: EndpointRule::Central,
        default_endpoint: "",
        endpoint_map: &[],
        scheme: Scheme::Https,
        crate_name: "x",
        crate_version: "0",
    };

    fn host(r: Result<Endpoint, ConfigError>) -> String {
        r.expect("resolves").to_string()
    }

    #[test]
    fn map_then_regional_rule() {
        assert_eq!(
            host(resolve(&LIVE, Some("cn-shanghai"), None, None)),
            "https://live.aliyuncs.com"
        );
        assert_eq!(
            host(resolve(&LIVE, Some("cn-shanghai"), Some("vpc"), None)),
            "https://live.aliyuncs.com"
        );
        assert_eq!(
            host(resolve(&LIVE, Some("cn-guangzhou"), None, None)),
            "https://live.cn-guangzhou.aliyuncs.com"
        );
        assert_eq!(
            host(resolve(&LIVE, Some("cn-guangzhou"), Some("vpc"), None)),
            "https://live-vpc.cn-guangzhou.aliyuncs.com"
        );
        assert_eq!(
            host(resolve(&LIVE, Some("cn-guangzhou"), Some("public"), None)),
            "https://live.cn-guangzhou.aliyuncs.com"
        );
    }

    #[test]
    fn regional_without_region_is_a_clear_error() {
        let err = resolve(&LIVE, None, None, None).expect_err("no region");
        assert!(matches!(
            err,
            ConfigError::MissingRegion { product: "live" }
        ));
        assert!(err.to_string().contains("ALIBABA_CLOUD_REGION_ID"));
        assert!(resolve(&LIVE, Some(""), None, None).is_err());
    }

    #[test]
    fn central_rule() {
        assert_eq!(
            host(resolve(&CENTRAL, None, None, None)),
            "https://ram.aliyuncs.com"
        );
        assert_eq!(
            host(resolve(&CENTRAL, Some("cn-hangzhou"), Some("vpc"), None)),
            "https://ram-vpc.aliyuncs.com"
        );
    }

    #[test]
    fn override_wins_and_its_scheme_too() {
        assert_eq!(
            host(resolve(&LIVE, None, None, Some("http://127.0.0.1:8080/"))),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            host(resolve(
                &LIVE,
                Some("cn-guangzhou"),
                None,
                Some("live.example.com")
            )),
            "https://live.example.com"
        );
        assert_eq!(
            host(resolve(&LIVE, None, None, Some("HTTPS://[::1]:9000"))),
            "https://[::1]:9000"
        );
    }

    #[test]
    fn bad_overrides_and_regions_are_rejected() {
        for bad in ["ftp://x", "http://", "host/path", "a b", "u@host", "h?x=1"] {
            let err = resolve(&LIVE, None, None, Some(bad)).expect_err(bad);
            assert!(err.to_string().contains(bad.trim()), "{err}");
        }
        let err = resolve(&LIVE, Some("cn-shanghai.evil.com/"), None, None).expect_err("region");
        assert!(matches!(err, ConfigError::InvalidRegion { .. }));
    }
}
