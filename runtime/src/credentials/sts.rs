//! RAM roles through STS: `AssumeRole` (signed by this crate, RPC HMAC-SHA1 as the
//! official credentials libraries sign it) and `AssumeRoleWithOIDC` (anonymous: the OIDC
//! token is the proof, as in the official libraries).

use std::borrow::Cow;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde_json::Value;

use crate::client::Client;
use crate::config::{CallOptions, Config};
use crate::encoding::params::{Location, Params};
use crate::environment::Environment;
use crate::error::CredentialsError;
use crate::service::{EndpointRule, Method, OperationInfo, Scheme, ServiceInfo};
use crate::signing::{canonical_query, now_timestamp, SignatureVersion};

use super::http::{describe_error, Http};
use super::{
    env_true, parse_expiration, read_bounded, Credential, ProvideCredentials, ProvideFuture,
    ProviderConfig, ENV_ROLE_SESSION_NAME, ENV_STS_REGION, ENV_VPC_ENDPOINT_ENABLED,
    MAX_SOURCE_BYTES,
};

/// Default role session duration, as in the official SDKs.
pub const DEFAULT_SESSION_DURATION: Duration = Duration::from_secs(3600);
/// STS refuses shorter sessions.
const MIN_SESSION_DURATION: Duration = Duration::from_secs(900);

static STS: ServiceInfo = ServiceInfo {
    product: "Sts",
    version: "2015-04-01",
    endpoint_rule: EndpointRule::Central,
    default_endpoint: "sts.aliyuncs.com",
    endpoint_map: &[],
    scheme: Scheme::Https,
    crate_name: "acsgen-runtime",
    crate_version: env!("CARGO_PKG_VERSION"),
};

static ASSUME_ROLE: OperationInfo = OperationInfo {
    action: "AssumeRole",
    method: Method::Post,
    path: "/",
    read_only: false,
    qps_limit: None,
};

/// The STS endpoint the official SDKs choose: `sts.<region>.aliyuncs.com` with a
/// region (`sts-vpc.<region>.aliyuncs.com` with VPC enabled), else `sts.aliyuncs.com`.
pub fn sts_endpoint(region: Option<&str>, vpc: bool) -> String {
    match region.filter(|r| !r.is_empty()) {
        Some(region) if vpc => format!("sts-vpc.{region}.aliyuncs.com"),
        Some(region) => format!("sts.{region}.aliyuncs.com"),
        None => "sts.aliyuncs.com".to_owned(),
    }
}

/// What a role session asks for. Unset fields take the official defaults: session name
/// from `ALIBABA_CLOUD_ROLE_SESSION_NAME` else `acsgen-runtime-<microseconds>`, 3600 s,
/// region from `ALIBABA_CLOUD_STS_REGION`, VPC from `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED`.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct RoleOptions {
    /// `RoleArn`.
    pub role_arn: String,
    /// `RoleSessionName`.
    pub session_name: Option<String>,
    /// `DurationSeconds` (at least 900 s).
    pub duration: Option<Duration>,
    /// `Policy`, a JSON policy narrowing the role.
    pub policy: Option<String>,
    /// `ExternalId` (AssumeRole only).
    pub external_id: Option<String>,
    /// STS region.
    pub sts_region: Option<String>,
    /// Use the VPC endpoint.
    pub enable_vpc: Option<bool>,
}

impl RoleOptions {
    /// Options for `role_arn` with every default.
    pub fn new(role_arn: impl Into<String>) -> Self {
        RoleOptions {
            role_arn: role_arn.into(),
            ..RoleOptions::default()
        }
    }
}

/// Options with defaults applied and checked.
#[derive(Clone, Debug)]
struct Resolved {
    role_arn: String,
    session_name: String,
    duration: Duration,
    policy: Option<String>,
    external_id: Option<String>,
    endpoint: String,
}

fn resolve(
    provider: &'static str,
    options: RoleOptions,
    environment: &Environment,
    config: &ProviderConfig,
) -> Result<Resolved, CredentialsError> {
    let problem = |problem: String| CredentialsError::Source { provider, problem };
    if options.role_arn.is_empty() {
        return Err(problem("no role ARN".into()));
    }
    let duration = options.duration.unwrap_or(DEFAULT_SESSION_DURATION);
    if duration < MIN_SESSION_DURATION {
        return Err(problem(format!(
            "session duration {} s is below STS's minimum of 900 s",
            duration.as_secs()
        )));
    }
    let session_name = options
        .session_name
        .filter(|s| !s.is_empty())
        .or_else(|| {
            environment
                .var(ENV_ROLE_SESSION_NAME)
                .filter(|s| !s.is_empty())
        })
        .unwrap_or_else(|| {
            let micros = SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .map_or(0, |d| d.as_micros());
            format!("acsgen-runtime-{micros}")
        });
    let endpoint = match &config.sts_endpoint {
        Some(endpoint) => endpoint.clone(),
        None => {
            let region = options
                .sts_region
                .filter(|r| !r.is_empty())
                .or_else(|| environment.var(ENV_STS_REGION));
            // The region becomes part of a host name: only a region id may.
            if let Some(bad) = region
                .as_deref()
                .filter(|r| !r.is_empty() && !crate::endpoint::is_region_id(r))
            {
                return Err(problem(format!(
                    "STS region {:?} is not a region id (letters, digits and `-`)",
                    crate::text::clip_string(bad, 64, 0)
                )));
            }
            let vpc = options.enable_vpc.unwrap_or(false)
                || env_true(environment, ENV_VPC_ENDPOINT_ENABLED);
            sts_endpoint(region.as_deref(), vpc)
        }
    };
    Ok(Resolved {
        role_arn: options.role_arn,
        session_name,
        duration,
        policy: options.policy.filter(|p| !p.is_empty()),
        external_id: options.external_id.filter(|p| !p.is_empty()),
        endpoint,
    })
}

fn url_base(endpoint: &str) -> String {
    if endpoint.contains("://") {
        endpoint.trim_end_matches('/').to_owned()
    } else {
        format!("https://{endpoint}")
    }
}

/// A RAM role assumed with `AssumeRole`, signed with the credential of `source` (an
/// AccessKey, or another role for `ChainableRamRoleArn`). Each call of `provide` asks
/// STS; wrap it in a [`super::CredentialsCache`] (the client does) to reuse the session.
pub struct RamRoleArnCredentials {
    options: Resolved,
    client: Client,
}

impl fmt::Debug for RamRoleArnCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RamRoleArnCredentials")
            .field("role_arn", &self.options.role_arn)
            .field("session_name", &self.options.session_name)
            .field("endpoint", &self.options.endpoint)
            .finish_non_exhaustive()
    }
}

impl RamRoleArnCredentials {
    /// Assumes `options.role_arn` with credentials from `source`; STS is reached with
    /// the transport, timeouts and retries of `config`.
    pub fn new(
        source: Arc<dyn ProvideCredentials>,
        options: RoleOptions,
        environment: &Environment,
        config: &ProviderConfig,
    ) -> Result<Self, CredentialsError> {
        let options = resolve("ram_role_arn", options, environment, config)?;
        let client_config = Config {
            endpoint: Some(options.endpoint.clone()),
            credentials: Some(source),
            signature_version: SignatureVersion::RpcV1,
            connect_timeout: config.connect_timeout,
            read_timeout: config.read_timeout,
            attempt_timeout: config.attempt_timeout,
            retry: config.retry.clone(),
            use_system_proxy: config.use_system_proxy,
            proxy: config.proxy.clone(),
            root_certificates: config.root_certificates.clone(),
            http_client: config.http_client.clone(),
            max_response_bytes: MAX_SOURCE_BYTES,
            environment: Environment::empty(),
            ..Config::default()
        };
        let client = Client::new(&STS, client_config).map_err(|e| CredentialsError::Source {
            provider: "ram_role_arn",
            problem: format!("cannot create the STS client: {e}"),
        })?;
        Ok(RamRoleArnCredentials { options, client })
    }

    async fn fetch(&self) -> Result<Credential, CredentialsError> {
        let o = &self.options;
        let mut params = Params::with_capacity(5);
        params.push(
            Location::Body,
            "DurationSeconds",
            o.duration.as_secs().to_string(),
        );
        if let Some(external_id) = &o.external_id {
            params.push(Location::Body, "ExternalId", external_id.clone());
        }
        if let Some(policy) = &o.policy {
            params.push(Location::Body, "Policy", policy.clone());
        }
        params.push(Location::Body, "RoleArn", o.role_arn.clone());
        params.push(Location::Body, "RoleSessionName", o.session_name.clone());
        let answer = self
            .client
            .execute(&ASSUME_ROLE, &params, &CallOptions::new())
            .await
            .map_err(|e| CredentialsError::Source {
                provider: "ram_role_arn",
                problem: format!(
                    "STS AssumeRole of {} at {} failed: {e}",
                    o.role_arn, o.endpoint
                ),
            })?;
        session_from_sts("ram_role_arn", &answer.body).map_err(|problem| CredentialsError::Source {
            provider: "ram_role_arn",
            problem: format!("STS AssumeRole at {}: {problem}", o.endpoint),
        })
    }
}

impl ProvideCredentials for RamRoleArnCredentials {
    fn provide(&self) -> ProvideFuture<'_> {
        ProvideFuture::new(self.fetch())
    }
}

/// A RAM role assumed with `AssumeRoleWithOIDC` (RRSA in ACK pods). The token file is
/// read again on every fetch, since the kubelet rotates it.
pub struct OidcRoleArnCredentials {
    options: Resolved,
    oidc_provider_arn: String,
    token_file: PathBuf,
    http: Http,
}

impl fmt::Debug for OidcRoleArnCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OidcRoleArnCredentials")
            .field("role_arn", &self.options.role_arn)
            .field("oidc_provider_arn", &self.oidc_provider_arn)
            .field("token_file", &self.token_file)
            .field("endpoint", &self.options.endpoint)
            .finish_non_exhaustive()
    }
}

impl OidcRoleArnCredentials {
    /// Assumes `options.role_arn` with the token in `token_file`, issued by
    /// `oidc_provider_arn`.
    pub fn new(
        options: RoleOptions,
        oidc_provider_arn: impl Into<String>,
        token_file: impl Into<PathBuf>,
        environment: &Environment,
        config: &ProviderConfig,
    ) -> Result<Self, CredentialsError> {
        let options = resolve("oidc_role_arn", options, environment, config)?;
        let oidc_provider_arn = oidc_provider_arn.into();
        let token_file = token_file.into();
        let problem = |problem: String| CredentialsError::Source {
            provider: "oidc_role_arn",
            problem,
        };
        if oidc_provider_arn.is_empty() {
            return Err(problem("no OIDC provider ARN".into()));
        }
        if token_file.as_os_str().is_empty() {
            return Err(problem("no OIDC token file".into()));
        }
        let http = Http::new(
            config,
            config.connect_timeout,
            config.read_timeout,
            config.attempt_timeout,
            false,
        )
        .map_err(|e| problem(format!("cannot create the HTTP client: {e}")))?;
        Ok(OidcRoleArnCredentials {
            options,
            oidc_provider_arn,
            token_file,
            http,
        })
    }

    async fn fetch(&self) -> Result<Credential, CredentialsError> {
        let o = &self.options;
        let problem = |problem: String| CredentialsError::Source {
            provider: "oidc_role_arn",
            problem,
        };
        let token = read_bounded(&self.token_file).map_err(|e| {
            problem(format!(
                "cannot read the OIDC token file {}: {e}",
                self.token_file.display()
            ))
        })?;
        let token = String::from_utf8(token).map_err(|_| {
            problem(format!(
                "the OIDC token file {} is not UTF-8",
                self.token_file.display()
            ))
        })?;
        let timestamp = now_timestamp();
        let query = canonical_query(&[
            ("Action", "AssumeRoleWithOIDC"),
            ("Format", "JSON"),
            ("Timestamp", timestamp.as_str()),
            ("Version", "2015-04-01"),
        ]);
        let duration = o.duration.as_secs().to_string();
        let mut form: Vec<(&str, &str)> = vec![
            ("DurationSeconds", &duration),
            ("OIDCProviderArn", &self.oidc_provider_arn),
            ("OIDCToken", token.trim()),
            ("RoleArn", &o.role_arn),
            ("RoleSessionName", &o.session_name),
        ];
        if let Some(policy) = &o.policy {
            form.push(("Policy", policy));
        }
        let body = canonical_query(&form).into_bytes();
        let url = format!("{}/?{query}", url_base(&o.endpoint));
        let headers = vec![
            (
                Cow::Borrowed("content-type"),
                "application/x-www-form-urlencoded".to_owned(),
            ),
            (
                Cow::Borrowed("user-agent"),
                concat!("acsgen-runtime/", env!("CARGO_PKG_VERSION")).to_owned(),
            ),
        ];
        let action = format!("STS AssumeRoleWithOIDC of {} at {}", o.role_arn, o.endpoint);
        let answer = self
            .http
            .send(Method::Post, &url, headers, body)
            .await
            .map_err(|f| problem(format!("{action} failed: {}", f.problem)))?;
        if answer.status != 200 {
            return Err(problem(format!(
                "{action} failed: {}",
                describe_error(answer.status, &answer.body)
            )));
        }
        session_from_sts("oidc_role_arn", &answer.body)
            .map_err(|p| problem(format!("{action}: {p}")))
    }
}

impl ProvideCredentials for OidcRoleArnCredentials {
    fn provide(&self) -> ProvideFuture<'_> {
        ProvideFuture::new(self.fetch())
    }
}

/// The `Credentials` object of an STS answer.
fn session_from_sts(provider: &'static str, body: &[u8]) -> Result<Credential, String> {
    let root: Value =
        serde_json::from_slice(body).map_err(|e| format!("the answer is not JSON ({e})"))?;
    let creds = root
        .get("Credentials")
        .ok_or("the answer has no `Credentials`")?;
    session_from_json(provider, creds, true)
}

/// A temporary credential from a JSON object with `AccessKeyId`, `AccessKeySecret`,
/// `SecurityToken` and `Expiration` (STS, the metadata service, credential URIs).
/// Problems name the field, never a value.
pub(crate) fn session_from_json(
    provider: &'static str,
    value: &Value,
    token_required: bool,
) -> Result<Credential, String> {
    let obj = value
        .as_object()
        .ok_or("the credentials are not an object")?;
    let field = |name: &str| -> Result<Option<String>, String> {
        match obj.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(format!("`{name}` is not a string")),
        }
    };
    let id = field("AccessKeyId")?.ok_or("no `AccessKeyId`")?;
    let secret = field("AccessKeySecret")?.ok_or("no `AccessKeySecret`")?;
    let token = field("SecurityToken")?;
    let expiration = field("Expiration")?.ok_or("no `Expiration`")?;
    let expiry = parse_expiration(&expiration)
        .ok_or("`Expiration` is not a UTC time like 2024-05-06T07:08:09Z")?;
    let credential = match token {
        Some(token) => Credential::with_security_token(id, secret, token),
        None if token_required => return Err("no `SecurityToken`".into()),
        None => Credential::new(id, secret),
    };
    Ok(credential.with_provider_name(provider).with_expiry(expiry))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_follow_region_and_vpc() {
        let hostile = Environment::from_vars([(ENV_STS_REGION, "x.evil.example/#")], None);
        let err = resolve(
            "t",
            RoleOptions::new("arn"),
            &hostile,
            &ProviderConfig::new(),
        )
        .expect_err("a region that is not a region id");
        assert!(err.to_string().contains("is not a region id"), "{err}");
        assert_eq!(sts_endpoint(None, false), "sts.aliyuncs.com");
        assert_eq!(sts_endpoint(None, true), "sts.aliyuncs.com");
        assert_eq!(
            sts_endpoint(Some("cn-hangzhou"), false),
            "sts.cn-hangzhou.aliyuncs.com"
        );
        assert_eq!(
            sts_endpoint(Some("cn-hangzhou"), true),
            "sts-vpc.cn-hangzhou.aliyuncs.com"
        );
        let env = Environment::new(
            |n| match n {
                "ALIBABA_CLOUD_STS_REGION" => Some("cn-beijing".into()),
                "ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED" => Some("true".into()),
                "ALIBABA_CLOUD_ROLE_SESSION_NAME" => Some("from-env".into()),
                _ => None,
            },
            None,
        );
        let r = resolve(
            "t",
            RoleOptions::new("acs:ram::1:role/r"),
            &env,
            &ProviderConfig::new(),
        )
        .expect("valid");
        assert_eq!(r.endpoint, "sts-vpc.cn-beijing.aliyuncs.com");
        assert_eq!(r.session_name, "from-env");
        assert_eq!(r.duration, DEFAULT_SESSION_DURATION);
        let none = Environment::empty();
        let r = resolve("t", RoleOptions::new("arn"), &none, &ProviderConfig::new()).expect("ok");
        assert!(
            r.session_name.starts_with("acsgen-runtime-"),
            "{}",
            r.session_name
        );
        assert_eq!(r.endpoint, "sts.aliyuncs.com");
        let mut short = RoleOptions::new("arn");
        short.duration = Some(Duration::from_secs(899));
        let err = resolve("t", short, &none, &ProviderConfig::new()).expect_err("too short");
        assert!(err.to_string().contains("900"), "{err}");
    }

    #[test]
    fn sts_answers_are_checked_without_quoting_values() {
        let ok = br#"{"RequestId":"r","Credentials":{"AccessKeyId":"STS.a","AccessKeySecret":"sek","SecurityToken":"tok","Expiration":"2030-01-01T00:00:00Z"}}"#;
        let c = session_from_sts("ram_role_arn", ok).expect("valid");
        assert_eq!(c.access_key_id(), "STS.a");
        assert!(c.expiry().is_some());
        let bad = br#"{"Credentials":{"AccessKeyId":"STS.a","AccessKeySecret":"sek","SecurityToken":"tok","Expiration":"soon-sek"}}"#;
        let err = session_from_sts("ram_role_arn", bad).expect_err("bad expiry");
        assert!(err.contains("Expiration") && !err.contains("sek"), "{err}");
        let err = session_from_sts("x", br#"{"Credentials":{"AccessKeyId":"a","AccessKeySecret":"sek","Expiration":"2030-01-01T00:00:00Z"}}"#)
            .expect_err("no token");
        assert!(err.contains("SecurityToken"), "{err}");
    }
}
