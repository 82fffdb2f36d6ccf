//! Plain (unsigned) HTTP exchanges of credential sources: the metadata service, a
//! credentials URI and the anonymous `AssumeRoleWithOIDC`. Same transport as API calls,
//! every exchange bounded in time and size.

use std::borrow::Cow;
use std::time::Duration;

use crate::client::SignedRequest;
use crate::config::Config;
use crate::error::ServiceError;
use crate::service::Method;
use crate::text::clip_string;
use crate::transport::{HttpResponse, SendError, Transport};

use super::MAX_SOURCE_BYTES;

pub(crate) struct Http {
    transport: Transport,
    connect_timeout: Duration,
    read_timeout: Duration,
    attempt_timeout: Duration,
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
    pub(crate) fn new(
        connect_timeout: Duration,
        read_timeout: Duration,
        attempt_timeout: Duration,
        use_system_proxy: bool,
    ) -> Result<Http, String> {
        let config = Config {
            connect_timeout,
            read_timeout,
            use_system_proxy,
            ..Config::default()
        };
        let transport = Transport::new(&config).map_err(|e| e.to_string())?;
        Ok(Http {
            transport,
            connect_timeout,
            read_timeout,
            attempt_timeout,
        })
    }

    pub(crate) async fn send(
        &self,
        method: Method,
        url: &str,
        headers: Vec<(Cow<'static, str>, String)>,
        body: Vec<u8>,
    ) -> Result<Answer, HttpFailure> {
        let request = SignedRequest {
            method,
            url: url.to_owned(),
            headers,
            body,
            canonical: String::new(),
            string_to_sign: String::new(),
            signature: String::new(),
        };
        let exchange = self.transport.send(
            request,
            self.connect_timeout,
            self.read_timeout,
            MAX_SOURCE_BYTES,
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
            Ok(Ok(HttpResponse { status, body, .. })) => Ok(Answer { status, body }),
            Ok(Err(SendError::TooLarge(_))) => Err(HttpFailure {
                problem: format!("{shown}: answer larger than {MAX_SOURCE_BYTES} bytes"),
                unreachable: false,
            }),
            Ok(Err(SendError::Build(problem))) => Err(HttpFailure {
                problem: format!("{shown}: {problem}"),
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
                    problem: format!("{shown}: {kind}: {}", error_chain(&e.without_url())),
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
