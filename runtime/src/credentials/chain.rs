//! The default chain, in the order of the official credentials libraries.

use std::fmt;
use std::sync::{Arc, OnceLock};

use crate::config::Config;
use crate::environment::Environment;
use crate::error::{ConfigError, CredentialsError};
use crate::profile_file::cli_config_location;

use super::imds::EcsRamRoleCredentials;
use super::profile::{credentials_file_location, CliProfileCredentials, ProfileFileCredentials};
use super::sts::{OidcRoleArnCredentials, RoleOptions};
use super::uri::CredentialsUriCredentials;
use super::{
    env_true, from_env_vars, ProvideCredentials, ProvideFuture, ProviderConfig, ENV_ACCESS_KEY_ID,
    ENV_ACCESS_KEY_SECRET, ENV_CLI_PROFILE_DISABLED, ENV_CREDENTIALS_URI,
    ENV_ECS_METADATA_DISABLED, ENV_OIDC_PROVIDER_ARN, ENV_OIDC_TOKEN_FILE, ENV_ROLE_ARN,
    ENV_ROLE_SESSION_NAME,
};

type Chosen = (&'static str, Arc<dyn ProvideCredentials>);

/// The default chain: environment variables; OIDC/RRSA (when its three variables are
/// set); the aliyun CLI profile; the credentials file; the ECS RAM role from the metadata
/// service (when the environment has one and it is not disabled); the credentials URI
/// (when set). Sources are tried in that order; the first that gives a credential is
/// kept for the life of the chain (as the official libraries keep it) and asked on every
/// later refresh. When all fail, the error lists every place looked at and why.
#[derive(Clone)]
pub struct DefaultCredentialsChain {
    environment: Environment,
    config: ProviderConfig,
    chosen: Arc<OnceLock<Chosen>>,
}

/// One step of the chain: a source to ask, or why it does not apply.
enum Step {
    Try(&'static str, Arc<dyn ProvideCredentials>),
    Skip(String),
}

impl DefaultCredentialsChain {
    /// A chain reading the process environment and `$HOME`.
    pub fn new() -> Self {
        Self::with_environment(Environment::process())
    }

    /// A chain reading the given environment source (tests inject one).
    pub fn with_environment(environment: Environment) -> Self {
        DefaultCredentialsChain {
            environment,
            config: ProviderConfig::default(),
            chosen: Arc::new(OnceLock::new()),
        }
    }

    /// Reaches STS, the metadata service and credential URIs with `config`.
    pub fn provider_config(mut self, config: ProviderConfig) -> Self {
        self.config = config;
        self
    }

    /// The name of the source in use, once one has given a credential.
    pub fn chosen_source(&self) -> Option<&'static str> {
        self.chosen.get().map(|(name, _)| *name)
    }

    fn steps(&self) -> Vec<Step> {
        let env = &self.environment;
        let config = &self.config;
        let mut steps = Vec::with_capacity(8);
        // 1. Environment variables.
        let lookup = |name: &str| env.var(name);
        match from_env_vars(&lookup) {
            Ok(Some(c)) => steps.push(Step::Try("env", Arc::new(c))),
            Ok(None) => {
                steps.push(Step::Skip(format!(
                    "environment variable {ENV_ACCESS_KEY_ID}: not set"
                )));
                steps.push(Step::Skip(format!(
                    "environment variable {ENV_ACCESS_KEY_SECRET}: not set"
                )));
            }
            Err(e) => steps.push(Step::Skip(e.to_string())),
        }
        // 2. OIDC / RRSA, only when all three variables are set.
        let oidc = [ENV_ROLE_ARN, ENV_OIDC_PROVIDER_ARN, ENV_OIDC_TOKEN_FILE]
            .map(|name| (name, env.var(name).filter(|v| !v.is_empty())));
        match oidc {
            [(_, Some(role)), (_, Some(provider)), (_, Some(file))] => {
                let mut options = RoleOptions::new(role);
                options.session_name = env.var(ENV_ROLE_SESSION_NAME);
                match OidcRoleArnCredentials::new(options, provider, file, env, config) {
                    Ok(p) => steps.push(Step::Try("oidc_role_arn", Arc::new(p))),
                    Err(e) => steps.push(Step::Skip(e.to_string())),
                }
            }
            _ => {
                let unset: Vec<&str> = oidc
                    .iter()
                    .filter(|(_, v)| v.is_none())
                    .map(|(n, _)| *n)
                    .collect();
                steps.push(Step::Skip(format!(
                    "OIDC (RRSA): {} not set",
                    unset.join(", ")
                )));
            }
        }
        // 3. The aliyun CLI profile.
        if env_true(env, ENV_CLI_PROFILE_DISABLED) {
            steps.push(Step::Skip(format!(
                "aliyun CLI profile: skipped because {ENV_CLI_PROFILE_DISABLED}=true"
            )));
        } else {
            match cli_config_location(env) {
                None => steps.push(Step::Skip(
                    "aliyun CLI profile ~/.aliyun/config.json: no home directory (HOME is not set)"
                        .to_owned(),
                )),
                Some(path) if !path.exists() => steps.push(Step::Skip(format!(
                    "aliyun CLI profile {}: file not found",
                    path.display()
                ))),
                Some(_) => {
                    let cli = CliProfileCredentials::with_config(env.clone(), None, config.clone());
                    match cli.build() {
                        Ok(p) => steps.push(Step::Try("cli_profile", p)),
                        Err(e) => steps.push(Step::Skip(e.to_string())),
                    }
                }
            }
        }
        // 4. The credentials file.
        match credentials_file_location(env) {
            None => steps.push(Step::Skip(
                "credentials file ~/.alibabacloud/credentials: no home directory".to_owned(),
            )),
            Some(path) if !path.exists() => steps.push(Step::Skip(format!(
                "credentials file {}: file not found",
                path.display()
            ))),
            Some(_) => {
                let file = ProfileFileCredentials::new(env.clone(), None, config.clone());
                match file.build() {
                    Ok(p) => steps.push(Step::Try("profile", p)),
                    Err(e) => steps.push(Step::Skip(e.to_string())),
                }
            }
        }
        // 5. The ECS RAM role.
        if env_true(env, ENV_ECS_METADATA_DISABLED) {
            steps.push(Step::Skip(format!(
                "ECS RAM role: skipped because {ENV_ECS_METADATA_DISABLED}=true"
            )));
        } else {
            match env.metadata_endpoint() {
                None => steps.push(Step::Skip(
                    "ECS RAM role: no metadata service in this environment".to_owned(),
                )),
                Some(endpoint) => match EcsRamRoleCredentials::new(endpoint, None, env, config) {
                    Ok(p) => steps.push(Step::Try("ecs_ram_role", Arc::new(p))),
                    Err(e) => steps.push(Step::Skip(e.to_string())),
                },
            }
        }
        // 6. The credentials URI.
        match env.var(ENV_CREDENTIALS_URI).filter(|v| !v.is_empty()) {
            None => steps.push(Step::Skip(format!("{ENV_CREDENTIALS_URI}: not set"))),
            Some(url) => match CredentialsUriCredentials::new(url, config) {
                Ok(p) => steps.push(Step::Try("credential_uri", Arc::new(p))),
                Err(e) => steps.push(Step::Skip(e.to_string())),
            },
        }
        steps
    }

    /// Checks, without network, that at least one source applies here; else the error
    /// lists why each was skipped. `Config::from_env` reports it early this way.
    pub fn check(&self) -> Result<(), CredentialsError> {
        if self.chosen.get().is_some() {
            return Ok(());
        }
        let mut skipped = Vec::new();
        for step in self.steps() {
            match step {
                Step::Try(..) => return Ok(()),
                Step::Skip(why) => skipped.push(why),
            }
        }
        Err(CredentialsError::NotFound { attempts: skipped })
    }

    async fn resolve(&self) -> Result<crate::credentials::Credential, CredentialsError> {
        let mut attempts = Vec::new();
        for step in self.steps() {
            let (name, provider) = match step {
                Step::Skip(why) => {
                    attempts.push(why);
                    continue;
                }
                Step::Try(name, provider) => (name, provider),
            };
            match provider.provide().await {
                Ok(credential) => {
                    tracing::info!(
                        source = name,
                        skipped = %attempts.join("; "),
                        "credential source chosen"
                    );
                    let (name, _) = self.chosen.get_or_init(|| (name, provider));
                    return Ok(credential.with_provider_name(default_name(name)));
                }
                Err(e) => {
                    tracing::debug!(source = name, error = %e, "credential source failed");
                    let text = e.to_string();
                    attempts.push(if text.starts_with(name) {
                        text
                    } else {
                        format!("{name}: {text}")
                    });
                }
            }
        }
        Err(CredentialsError::NotFound { attempts })
    }
}

fn default_name(source: &str) -> &'static str {
    match source {
        "env" => "default/env",
        "oidc_role_arn" => "default/oidc_role_arn",
        "cli_profile" => "default/cli_profile",
        "profile" => "default/profile",
        "ecs_ram_role" => "default/ecs_ram_role",
        "credential_uri" => "default/credential_uri",
        _ => "default",
    }
}

// `Config::from_env` is defined here, not in `config`: it checks the default chain, and
// `config` does not depend on the credential providers.
impl Config {
    /// Defaults, with the default credential chain checked now (no network) so that
    /// having no source at all is reported here rather than on the first call. The
    /// credential itself is fetched at the first call, by the client's chain.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_environment(Environment::process())
    }

    /// As [`Config::from_env`], reading the given environment source.
    pub fn from_environment(environment: Environment) -> Result<Self, ConfigError> {
        DefaultCredentialsChain::with_environment(environment.clone()).check()?;
        Ok(Config {
            credentials: None,
            environment,
            ..Config::default()
        })
    }
}

impl Default for DefaultCredentialsChain {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for DefaultCredentialsChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DefaultCredentialsChain")
            .field("environment", &self.environment)
            .field("chosen", &self.chosen.get())
            .finish()
    }
}

impl ProvideCredentials for DefaultCredentialsChain {
    fn provide(&self) -> ProvideFuture<'_> {
        match self.chosen.get() {
            Some((name, provider)) => {
                let name = default_name(name);
                ProvideFuture::new(
                    async move { Ok(provider.provide().await?.with_provider_name(name)) },
                )
            }
            None => ProvideFuture::new(self.resolve()),
        }
    }
}

#[cfg(test)]
mod config_tests {
    use super::*;
    use std::path::PathBuf;

    fn env(vars: &[(&str, &str)], home: Option<PathBuf>) -> Environment {
        Environment::from_vars(vars.iter().copied(), home)
    }

    #[test]
    fn from_environment_reports_missing_credentials_early() {
        let err = Config::from_environment(env(&[], None)).expect_err("nothing configured");
        assert!(
            err.to_string().contains("ALIBABA_CLOUD_ACCESS_KEY_ID"),
            "{err}"
        );
        let ok = Config::from_environment(env(
            &[
                ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIx"),
                ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "SecretForConfigTest"),
            ],
            None,
        ))
        .expect("env credentials");
        assert!(!format!("{ok:?}").contains("SecretForConfigTest"));
    }
}
