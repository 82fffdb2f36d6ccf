//! Plain (unsigned) HTTP exchanges of credential sources: the metadata service, a
//! credentials URI and the anonymous `AssumeRoleWithOIDC`. Same transport as API calls,
//! every exchange bounded in time and size.

use std::borrow::Cow;
use std::time::Duration;

use crate::config::Config;
use crate::error::ServiceError;
use crate::http_client::{HttpErrorKind, HttpRequest};
use crate::service::Method;
use crate::text::clip_string;
use crate::transport::{Bounds, Received, SendError, Transport};

use super::{ProviderConfig, MAX_SOURCE_BYTES};

pub(crate) struct Http {
    transport: Transport,
    connect_timeout: Duration,
    read_timeout: Duration,
    attempt_timeout: Duration,
    /// Never through a proxy (the metadata service).
    direct: bool,
}

/// Why an exchange failed, without the URL's query (it may carry a token).
pub(crate) struct HttpFailure {
    pub problem: String,
    /// Nothing answered: connection refused, connect or read timeout.
    pub unreachable: bool,
}

pub(crate) struct Answer {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Http {
    /// Exchanges through `config`'s HTTP client (else a reqwest one from its proxy and
    /// certificate settings); `direct` ones never go through a proxy.
    pub(crate) fn new(
        config: &ProviderConfig,
        connect_timeout: Duration,
        read_timeout: Duration,
        attempt_timeout: Duration,
        direct: bool,
    ) -> Result<Http, String> {
        let http = match &config.http_client {
            Some(client) => std::sync::Arc::clone(client),
            None => Config {
                connect_timeout,
                read_timeout,
                use_system_proxy: config.use_system_proxy && !direct,
                proxy: config.proxy.clone().filter(|_| !direct),
                root_certificates: config.root_certificates.clone(),
                ..Config::default()
            }
            .build_http_client()
            .map_err(|e| e.to_string())?,
        };
        Ok(Http {
            transport: Transport::new(http),
            connect_timeout,
            read_timeout,
            attempt_timeout,
            direct,
        })
    }

    pub(crate) async fn send(
        &self,
        method: Method,
        url: &str,
        headers: Vec<(Cow<'static, str>, String)>,
        body: Vec<u8>,
    ) -> Result<Answer, HttpFailure> {
        let mut request = HttpRequest::new(method, url);
        request.headers = headers;
        request.body = body;
        request.direct = self.direct;
        let exchange = self.transport.send(
            request,
            Bounds {
                connect_timeout: self.connect_timeout,
                read_timeout: self.read_timeout,
                max_body: MAX_SOURCE_BYTES,
            },
        );
        let shown = redact(url);
        match tokio::time::timeout(self.attempt_timeout, exchange).await {
            Err(_) => Err(HttpFailure {
                problem: format!(
                    "{shown}: no complete answer within {} ms",
                    self.attempt_timeout.as_millis()
                ),
                unreachable: true,
            }),
            Ok(Ok(Received { status, body, .. })) => Ok(Answer { status, body }),
            Ok(Err(SendError::TooLarge(_))) => Err(HttpFailure {
                problem: format!("{shown}: answer larger than {MAX_SOURCE_BYTES} bytes"),
                unreachable: false,
            }),
            Ok(Err(SendError::Http(e))) if e.kind() == HttpErrorKind::Build => Err(HttpFailure {
                problem: format!("{shown}: {e}"),
                unreachable: false,
            }),
            Ok(Err(SendError::Http(e))) => {
                let unreachable = e.is_connect() || e.is_timeout();
                let kind = if e.is_timeout() {
                    "timed out"
                } else if e.is_connect() {
                    "cannot connect"
                } else {
                    "failed"
                };
                Err(HttpFailure {
                    problem: format!("{shown}: {kind}: {}", error_chain(&e)),
                    unreachable,
                })
            }
        }
    }
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    // The chain of a reqwest error is short (hyper, io); bound it anyway.
    for _ in 0..4 {
        let Some(s) = source else { break };
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    clip_string(text, 512, 0)
}

/// `scheme://host/path` of `url`: the query and user info may hold tokens.
pub(crate) fn redact(url: &str) -> String {
    let base = url.split(['?', '#']).next().unwrap_or("");
    match base.split_once("://") {
        Some((scheme, rest)) => {
            let rest = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
            format!("{scheme}://{rest}")
        }
        None => base.to_owned(),
    }
}

/// The error of a non-2xx answer: its code and message when it is an API error, else
/// the status and a bounded, escaped start of the body.
pub(crate) fn describe_error(status: u16, body: &[u8]) -> String {
    match ServiceError::from_body(status, body) {
        Some(e) => e.to_string(),
        None => format!(
            "HTTP {status}: {}",
            clip_string(
                String::from_utf8_lossy(&body[..body.len().min(512)]),
                256,
                0
            )
        ),
    }
}
