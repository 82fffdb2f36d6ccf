//! Credentials and where they come from.
//!
//! A source implements [`ProvideCredentials`] (async, returns a [`Credential`] with an
//! optional expiry). The client wraps its source in a [`CredentialsCache`], which refreshes
//! ahead of expiry, shares one refresh among concurrent callers and keeps a still-valid
//! credential when a refresh fails. Sources: static keys, environment variables, the
//! aliyun CLI profile (`~/.aliyun/config.json`), the credentials file
//! (`~/.alibabacloud/credentials`), RAM roles through STS (`AssumeRole`,
//! `AssumeRoleWithOIDC`), the ECS metadata service, a credentials URI and an external
//! process; [`DefaultCredentialsChain`] tries them in the official order.
//!
//! Secrets are wrapped in [`Secret`], whose `Debug` prints `***` and which has no
//! `Display`, so they never end up in logs or error messages.

mod cache;
mod chain;
mod http;
mod imds;
mod process;
mod profile;
mod sts;
mod uri;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::config::Config;
use crate::environment::Environment;
use crate::error::CredentialsError;
use crate::http_client::{HttpClient, ProxyConfig, RootCertificate};
use crate::retry::RetryConfig;

pub use crate::environment::{DEFAULT_METADATA_ENDPOINT, ENV_CONFIG_FILE, ENV_PROFILE};
pub use crate::identity::{Credential, ProvideCredentials, ProvideFuture, Secret};
pub(crate) use crate::profile_file::read_bounded;
pub use crate::profile_file::{cli_config_path, CliConfig, CliProfile, MAX_SOURCE_BYTES};

pub use cache::{CredentialsCache, REFRESH_BEFORE_EXPIRY};
pub use chain::DefaultCredentialsChain;
pub use imds::EcsRamRoleCredentials;
pub use process::ExternalCredentials;
pub use profile::{credentials_file_path, CliProfileCredentials, ProfileFileCredentials};
pub use sts::{
    sts_endpoint, OidcRoleArnCredentials, RamRoleArnCredentials, RoleOptions,
    DEFAULT_SESSION_DURATION,
};
pub use uri::CredentialsUriCredentials;

/// Environment variable holding the AccessKey ID.
pub const ENV_ACCESS_KEY_ID: &str = "ALIBABA_CLOUD_ACCESS_KEY_ID";
/// Environment variable holding the AccessKey secret.
pub const ENV_ACCESS_KEY_SECRET: &str = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";
/// Environment variable holding an STS security token.
pub const ENV_SECURITY_TOKEN: &str = "ALIBABA_CLOUD_SECURITY_TOKEN";
/// Environment variable that, set to `true`, skips the CLI profile file.
pub const ENV_CLI_PROFILE_DISABLED: &str = "ALIBABA_CLOUD_CLI_PROFILE_DISABLED";
/// Environment variable with another path for the credentials (ini) file.
pub const ENV_CREDENTIALS_FILE: &str = "ALIBABA_CLOUD_CREDENTIALS_FILE";
/// Environment variable with the RAM role ARN (OIDC / RRSA).
pub const ENV_ROLE_ARN: &str = "ALIBABA_CLOUD_ROLE_ARN";
/// Environment variable with the OIDC provider ARN (OIDC / RRSA).
pub const ENV_OIDC_PROVIDER_ARN: &str = "ALIBABA_CLOUD_OIDC_PROVIDER_ARN";
/// Environment variable with the path of the OIDC token file (OIDC / RRSA).
pub const ENV_OIDC_TOKEN_FILE: &str = "ALIBABA_CLOUD_OIDC_TOKEN_FILE";
/// Environment variable with the role session name.
pub const ENV_ROLE_SESSION_NAME: &str = "ALIBABA_CLOUD_ROLE_SESSION_NAME";
/// Environment variable with the STS region (`sts.<region>.aliyuncs.com`).
pub const ENV_STS_REGION: &str = "ALIBABA_CLOUD_STS_REGION";
/// Environment variable that, set to `true`, selects `sts-vpc.<region>.aliyuncs.com`.
pub const ENV_VPC_ENDPOINT_ENABLED: &str = "ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED";
/// Environment variable naming the ECS RAM role (else discovered).
pub const ENV_ECS_METADATA: &str = "ALIBABA_CLOUD_ECS_METADATA";
/// Environment variable that, set to `true`, skips the ECS metadata service.
pub const ENV_ECS_METADATA_DISABLED: &str = "ALIBABA_CLOUD_ECS_METADATA_DISABLED";
/// Environment variable that, set to `true`, forbids the IMDSv1 fallback.
pub const ENV_IMDSV1_DISABLED: &str = "ALIBABA_CLOUD_IMDSV1_DISABLED";
/// Environment variable with a URL answering credentials as JSON.
pub const ENV_CREDENTIALS_URI: &str = "ALIBABA_CLOUD_CREDENTIALS_URI";

/// How credential sources reach the network: STS with the client's timeouts, proxy and
/// retry settings; the metadata service with its own short timeouts.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ProviderConfig {
    /// STS / credentials URI connect timeout.
    pub connect_timeout: Duration,
    /// STS / credentials URI read timeout.
    pub read_timeout: Duration,
    /// Deadline of one STS / credentials URI exchange.
    pub attempt_timeout: Duration,
    /// Retries of STS calls (throttling, connect failures).
    pub retry: RetryConfig,
    /// Honour `HTTP(S)_PROXY` / `NO_PROXY` for STS and the credentials URI (the metadata
    /// service, a link-local address, is always reached directly).
    pub use_system_proxy: bool,
    /// STS endpoint override (`https://sts.example` or `host[:port]`); else chosen from
    /// the region and VPC settings as the official SDKs do.
    pub sts_endpoint: Option<String>,
    /// Metadata service connect timeout (1 s, the official SDKs' value).
    pub metadata_connect_timeout: Duration,
    /// Metadata service read timeout (1 s, the official SDKs' value).
    pub metadata_read_timeout: Duration,
    /// Longest wait for an `External` credential process.
    pub process_timeout: Duration,
    /// Explicit proxy for STS and the credentials URI (never the metadata service).
    pub proxy: Option<ProxyConfig>,
    /// Extra trusted root certificates.
    pub root_certificates: Vec<RootCertificate>,
    /// The HTTP implementation; `None` builds a reqwest one from the settings above.
    /// The client's own is passed here for the chain it makes, so a test double or a
    /// custom transport sees the credential exchanges too (metadata requests are marked
    /// `direct`: never through a proxy).
    pub http_client: Option<Arc<dyn HttpClient>>,
}

impl Default for ProviderConfig {
    fn default() -> Self {
        ProviderConfig {
            connect_timeout: crate::config::DEFAULT_CONNECT_TIMEOUT,
            read_timeout: crate::config::DEFAULT_READ_TIMEOUT,
            attempt_timeout: crate::config::DEFAULT_ATTEMPT_TIMEOUT,
            retry: RetryConfig::default(),
            use_system_proxy: true,
            sts_endpoint: None,
            metadata_connect_timeout: Duration::from_secs(1),
            metadata_read_timeout: Duration::from_secs(1),
            process_timeout: Duration::from_secs(60),
            proxy: None,
            root_certificates: Vec::new(),
            http_client: None,
        }
    }
}

impl ProviderConfig {
    /// Defaults (the official SDKs' timeouts).
    pub fn new() -> Self {
        Self::default()
    }

    /// The network settings of a client `config`.
    pub fn from_config(config: &Config) -> Self {
        ProviderConfig {
            connect_timeout: config.connect_timeout,
            read_timeout: config.read_timeout,
            attempt_timeout: config.attempt_timeout,
            retry: config.retry.clone(),
            use_system_proxy: config.use_system_proxy,
            proxy: config.proxy.clone(),
            root_certificates: config.root_certificates.clone(),
            http_client: config.http_client.clone(),
            ..ProviderConfig::default()
        }
    }

    /// Sends every exchange of the sources through `client`.
    pub fn http_client(mut self, client: Arc<dyn HttpClient>) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Sets the STS endpoint override.
    pub fn sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.sts_endpoint = Some(endpoint.into());
        self
    }

    /// Sets the metadata service timeouts (connect and read).
    pub fn metadata_timeout(mut self, timeout: Duration) -> Self {
        self.metadata_connect_timeout = timeout;
        self.metadata_read_timeout = timeout;
        self
    }
}

fn non_empty(env: &dyn Fn(&str) -> Option<String>, name: &str) -> Option<String> {
    env(name).filter(|v| !v.is_empty())
}

fn env_true(environment: &Environment, name: &str) -> bool {
    environment
        .var(name)
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
}

/// Reads `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET` and
/// `ALIBABA_CLOUD_SECURITY_TOKEN` from `env`. `Ok(None)` when neither key variable is
/// set; an error when only one is.
pub fn from_env_vars(
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<Credential>, CredentialsError> {
    let id = non_empty(env, ENV_ACCESS_KEY_ID);
    let secret = non_empty(env, ENV_ACCESS_KEY_SECRET);
    match (id, secret) {
        (None, None) => Ok(None),
        (Some(_), None) => Err(CredentialsError::IncompleteEnvironment {
            present: ENV_ACCESS_KEY_ID,
            missing: ENV_ACCESS_KEY_SECRET,
        }),
        (None, Some(_)) => Err(CredentialsError::IncompleteEnvironment {
            present: ENV_ACCESS_KEY_SECRET,
            missing: ENV_ACCESS_KEY_ID,
        }),
        (Some(id), Some(secret)) => Ok(Some(
            match non_empty(env, ENV_SECURITY_TOKEN) {
                Some(token) => Credential::with_security_token(id, secret, token),
                None => Credential::new(id, secret),
            }
            .with_provider_name("env"),
        )),
    }
}

/// Credentials from `ALIBABA_CLOUD_ACCESS_KEY_ID` / `_SECRET` / `_SECURITY_TOKEN` only,
/// read whenever the cache asks (once: they do not expire).
#[derive(Clone, Debug)]
pub struct EnvironmentCredentials {
    environment: Environment,
}

impl EnvironmentCredentials {
    /// Reads the given environment source ([`Environment::process`] for the real one).
    pub fn new(environment: Environment) -> Self {
        EnvironmentCredentials { environment }
    }
}

impl ProvideCredentials for EnvironmentCredentials {
    fn provide(&self) -> ProvideFuture<'_> {
        let env = |name: &str| self.environment.var(name);
        ProvideFuture::ready(from_env_vars(&env).and_then(|found| {
            found.ok_or_else(|| CredentialsError::NotFound {
                attempts: vec![format!(
                    "environment variables {ENV_ACCESS_KEY_ID} and {ENV_ACCESS_KEY_SECRET}: not set"
                )],
            })
        }))
    }
}

/// Parses the `Expiration` of STS, the metadata service and credential URIs
/// (`2024-05-06T07:08:09Z`, UTC).
pub fn parse_expiration(text: &str) -> Option<SystemTime> {
    let b = text.trim().as_bytes();
    if b.len() != 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' {
        return None;
    }
    if b[16] != b':' || b[19] != b'Z' {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<u64> {
        let s = std::str::from_utf8(&b[range]).ok()?;
        if !s.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if year < 1970 || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    // H. Hinnant's days_from_civil.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y / 400;
    let yoe = y - era * 400;
    let mp = if month > 2 { month - 3 } else { month + 9 };
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = (era * 146_097 + doe).checked_sub(719_468)?;
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second;
    Some(SystemTime::UNIX_EPOCH + Duration::from_secs(secs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signing::format_timestamp;

    #[test]
    fn expiration_round_trips_and_rejects_junk() {
        for text in [
            "2024-05-06T07:08:09Z",
            "2000-02-29T23:59:59Z",
            "1970-01-01T00:00:00Z",
        ] {
            let t = parse_expiration(text).expect(text);
            assert_eq!(format_timestamp(t), text);
        }
        for bad in [
            "",
            "2024-05-06 07:08:09Z",
            "2024-13-01T00:00:00Z",
            "2024-05-06T07:08:09",
            "２０２４-05-06T07:08:09Z",
        ] {
            assert!(parse_expiration(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn debug_never_shows_secrets() {
        let c = Credential::with_security_token("LTAIid", "TopSecretValue123", "StsTokenValue456")
            .with_expiry(SystemTime::UNIX_EPOCH);
        let text = format!("{c:?} {:?}", c.access_key_secret());
        assert!(!text.contains("TopSecretValue123") && !text.contains("StsTokenValue456"));
        assert!(text.contains("LTAIid") && text.contains("***"));
    }

    #[test]
    fn env_vars_give_ak_or_sts_or_name_the_missing_one() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                vars.iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        let c = from_env_vars(&env(&[
            (ENV_ACCESS_KEY_ID, "LTAIenv"),
            (ENV_ACCESS_KEY_SECRET, "s"),
        ]))
        .expect("ok")
        .expect("found");
        assert_eq!((c.access_key_id(), c.provider_name()), ("LTAIenv", "env"));
        assert!(c.security_token().is_none());
        let c = from_env_vars(&env(&[
            (ENV_ACCESS_KEY_ID, "STS.x"),
            (ENV_ACCESS_KEY_SECRET, "s"),
            (ENV_SECURITY_TOKEN, "t"),
        ]))
        .expect("ok")
        .expect("found");
        assert_eq!(c.security_token().map(Secret::expose_secret), Some("t"));
        assert!(from_env_vars(&env(&[])).expect("ok").is_none());
        let err = from_env_vars(&env(&[
            (ENV_ACCESS_KEY_SECRET, "s"),
            (ENV_ACCESS_KEY_ID, ""),
        ]))
        .expect_err("half set");
        assert!(err.to_string().contains(ENV_ACCESS_KEY_ID), "{err}");
    }
}
