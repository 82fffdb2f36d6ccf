//! The RAM role of an ECS instance, from the instance metadata service.

use std::borrow::Cow;
use std::fmt;

use serde_json::Value;

use crate::environment::Environment;
use crate::error::CredentialsError;
use crate::service::Method;

use super::http::{describe_error, Http};
use super::sts::session_from_json;
use super::{
    env_true, Credential, ProvideCredentials, ProvideFuture, ProviderConfig, ENV_ECS_METADATA,
    ENV_IMDSV1_DISABLED,
};

const TOKEN_PATH: &str = "/latest/api/token";
const ROLE_PATH: &str = "/latest/meta-data/ram/security-credentials/";
/// Lifetime asked for an IMDSv2 token: the official SDKs' 6 hours.
const TOKEN_TTL_SECONDS: &str = "21600";

/// Credentials of the instance's RAM role: IMDSv2 (a token from `PUT /latest/api/token`)
/// with a fallback to IMDSv1 unless disabled; role from the options, else
/// `ALIBABA_CLOUD_ECS_METADATA`, else discovered.
pub struct EcsRamRoleCredentials {
    endpoint: String,
    role_name: Option<String>,
    v1_disabled: bool,
    http: Http,
}

impl fmt::Debug for EcsRamRoleCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EcsRamRoleCredentials")
            .field("endpoint", &self.endpoint)
            .field("role_name", &self.role_name)
            .field("v1_disabled", &self.v1_disabled)
            .finish_non_exhaustive()
    }
}

fn problem(problem: String) -> CredentialsError {
    CredentialsError::Source {
        provider: "ecs_ram_role",
        problem,
    }
}

impl EcsRamRoleCredentials {
    /// The metadata service at `endpoint` (`http://100.100.100.200` on Alibaba Cloud;
    /// tests pass a local server), with the environment's role name and IMDSv1 setting.
    pub fn new(
        endpoint: impl Into<String>,
        role_name: Option<String>,
        environment: &Environment,
        config: &ProviderConfig,
    ) -> Result<Self, CredentialsError> {
        let role_name = role_name
            .filter(|r| !r.is_empty())
            .or_else(|| environment.var(ENV_ECS_METADATA).filter(|r| !r.is_empty()));
        if let Some(role) = &role_name {
            check_role_name(role)?;
        }
        // Link-local: never through a proxy. One attempt costs at most connect + read.
        let http = Http::new(
            config,
            config.metadata_connect_timeout,
            config.metadata_read_timeout,
            config.metadata_connect_timeout + config.metadata_read_timeout,
            true,
        )
        .map_err(|e| problem(format!("cannot create the HTTP client: {e}")))?;
        Ok(EcsRamRoleCredentials {
            endpoint: endpoint.into().trim_end_matches('/').to_owned(),
            role_name,
            v1_disabled: env_true(environment, ENV_IMDSV1_DISABLED),
            http,
        })
    }

    /// An IMDSv2 token, or `None` to go on with IMDSv1. A service that does not answer
    /// at all ends the attempt here: IMDSv1 lives on the same host.
    async fn token(&self) -> Result<Option<String>, CredentialsError> {
        let url = format!("{}{TOKEN_PATH}", self.endpoint);
        let headers = vec![(
            Cow::Borrowed("x-aliyun-ecs-metadata-token-ttl-seconds"),
            TOKEN_TTL_SECONDS.to_owned(),
        )];
        let answer = self.http.send(Method::Put, &url, headers, Vec::new()).await;
        let why = match answer {
            Ok(a) if a.status == 200 => {
                let token = String::from_utf8(a.body).unwrap_or_default();
                let token = token.trim();
                if !token.is_empty() && token.bytes().all(|b| b.is_ascii_graphic()) {
                    return Ok(Some(token.to_owned()));
                }
                "the IMDSv2 token answer is empty or not printable".to_owned()
            }
            Ok(a) => format!(
                "the IMDSv2 token request answered {}",
                describe_error(a.status, &a.body)
            ),
            Err(f) if f.unreachable => {
                return Err(problem(format!(
                    "metadata service unreachable (IMDSv2 token request {})",
                    f.problem
                )))
            }
            Err(f) => format!("the IMDSv2 token request failed: {}", f.problem),
        };
        if self.v1_disabled {
            return Err(problem(format!(
                "{why}, and IMDSv1 is disabled ({ENV_IMDSV1_DISABLED}=true)"
            )));
        }
        tracing::debug!(reason = %why, "metadata service: falling back to IMDSv1");
        Ok(None)
    }

    /// GET `path` with the token; without it (IMDSv1) when that fails and v1 is allowed.
    async fn get(&self, path: &str, token: Option<&str>) -> Result<Vec<u8>, CredentialsError> {
        let url = format!("{}{path}", self.endpoint);
        let mut result = self.get_once(&url, token).await;
        if result.is_err() && token.is_some() && !self.v1_disabled {
            result = self.get_once(&url, None).await;
        }
        result.map_err(problem)
    }

    async fn get_once(&self, url: &str, token: Option<&str>) -> Result<Vec<u8>, String> {
        let headers = match token {
            Some(t) => vec![(Cow::Borrowed("x-aliyun-ecs-metadata-token"), t.to_owned())],
            None => Vec::new(),
        };
        let answer = self
            .http
            .send(Method::Get, url, headers, Vec::new())
            .await
            .map_err(|f| f.problem)?;
        if answer.status != 200 {
            return Err(format!(
                "{}: {}",
                super::http::redact(url),
                describe_error(answer.status, &answer.body)
            ));
        }
        Ok(answer.body)
    }

    async fn fetch(&self) -> Result<Credential, CredentialsError> {
        let token = self.token().await?;
        let role = match &self.role_name {
            Some(role) => role.clone(),
            None => {
                let body = self.get(ROLE_PATH, token.as_deref()).await?;
                let text = String::from_utf8_lossy(&body);
                let role = text.lines().next().unwrap_or("").trim().to_owned();
                if role.is_empty() {
                    return Err(problem(
                        "the instance has no RAM role attached (empty role list)".into(),
                    ));
                }
                check_role_name(&role)?;
                role
            }
        };
        let body = self
            .get(&format!("{ROLE_PATH}{role}"), token.as_deref())
            .await?;
        let value: Value = serde_json::from_slice(&body).map_err(|e| {
            problem(format!(
                "credentials of role `{role}`: the answer is not JSON ({e})"
            ))
        })?;
        match value.get("Code").and_then(Value::as_str) {
            Some("Success") => {}
            _ => {
                return Err(problem(format!(
                    "credentials of role `{role}`: `Code` is not `Success`"
                )))
            }
        }
        session_from_json("ecs_ram_role", &value, true)
            .map_err(|p| problem(format!("credentials of role `{role}`: {p}")))
    }
}

// A role name becomes a URL path segment: keep it to the characters RAM allows.
fn check_role_name(role: &str) -> Result<(), CredentialsError> {
    let ok = role.len() <= 64
        && role
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'@'));
    if ok {
        Ok(())
    } else {
        Err(problem(format!(
            "role name {:?} is not a valid RAM role name",
            crate::text::clip_string(role, 64, 0)
        )))
    }
}

impl ProvideCredentials for EcsRamRoleCredentials {
    fn provide(&self) -> ProvideFuture<'_> {
        ProvideFuture::new(self.fetch())
    }
}
