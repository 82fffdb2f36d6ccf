//! Credentials from a URL answering JSON (`ALIBABA_CLOUD_CREDENTIALS_URI`, CLI mode
//! `CredentialsURI`).

use std::fmt;

use serde_json::Value;

use crate::error::CredentialsError;
use crate::service::Method;

use super::http::{describe_error, redact, Http};
use super::sts::session_from_json;
use super::{Credential, ProvideCredentials, ProvideFuture, ProviderConfig};

/// GETs a URL answering `{"Code": "Success", "AccessKeyId", "AccessKeySecret",
/// "SecurityToken", "Expiration"}` (a `Code` other than `Success` is an error).
pub struct CredentialsUriCredentials {
    url: String,
    http: Http,
}

impl fmt::Debug for CredentialsUriCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialsUriCredentials")
            .field("url", &redact(&self.url))
            .finish_non_exhaustive()
    }
}

fn problem(problem: String) -> CredentialsError {
    CredentialsError::Source {
        provider: "credential_uri",
        problem,
    }
}

impl CredentialsUriCredentials {
    /// Credentials from `url` (`http://` or `https://`).
    pub fn new(url: impl Into<String>, config: &ProviderConfig) -> Result<Self, CredentialsError> {
        let url = url.into();
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(problem(format!(
                "{} is not an http(s) URL",
                crate::text::clip_string(redact(&url), 128, 0)
            )));
        }
        let http = Http::new(
            config,
            config.connect_timeout,
            config.read_timeout,
            config.attempt_timeout,
            false,
        )
        .map_err(|e| problem(format!("cannot create the HTTP client: {e}")))?;
        Ok(CredentialsUriCredentials { url, http })
    }

    async fn fetch(&self) -> Result<Credential, CredentialsError> {
        let shown = redact(&self.url);
        let answer = self
            .http
            .send(Method::Get, &self.url, Vec::new(), Vec::new())
            .await
            .map_err(|f| problem(f.problem))?;
        if answer.status != 200 {
            return Err(problem(format!(
                "{shown}: {}",
                describe_error(answer.status, &answer.body)
            )));
        }
        let value: Value = serde_json::from_slice(&answer.body)
            .map_err(|e| problem(format!("{shown}: the answer is not JSON ({e})")))?;
        if let Some(code) = value.get("Code") {
            if code.as_str() != Some("Success") {
                return Err(problem(format!("{shown}: `Code` is not `Success`")));
            }
        }
        session_from_json("credential_uri", &value, true)
            .map_err(|p| problem(format!("{shown}: {p}")))
    }
}

impl ProvideCredentials for CredentialsUriCredentials {
    fn provide(&self) -> ProvideFuture<'_> {
        ProvideFuture::new(self.fetch())
    }
}
