//! Access keys and where they come from: static values, environment variables, the
//! aliyun CLI profile file, and the default chain (environment, then CLI profile).
//!
//! Secrets are wrapped in [`Secret`], whose `Debug` prints `***` and which has no
//! `Display`, so they never end up in logs or error messages.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use serde_json::{Map, Value};

use crate::config::Environment;
use crate::error::CredentialsError;

/// Environment variable holding the AccessKey ID.
pub const ENV_ACCESS_KEY_ID: &str = "ALIBABA_CLOUD_ACCESS_KEY_ID";
/// Environment variable holding the AccessKey secret.
pub const ENV_ACCESS_KEY_SECRET: &str = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";
/// Environment variable holding an STS security token.
pub const ENV_SECURITY_TOKEN: &str = "ALIBABA_CLOUD_SECURITY_TOKEN";
/// Environment variable naming the CLI profile to use (else the file's `current`).
pub const ENV_PROFILE: &str = "ALIBABA_CLOUD_PROFILE";
/// Environment variable that, set to `true`, skips the CLI profile file.
pub const ENV_CLI_PROFILE_DISABLED: &str = "ALIBABA_CLOUD_CLI_PROFILE_DISABLED";

/// A string that must not be shown: `Debug` prints `***`; there is no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The secret itself, for signing.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// An AccessKey pair, optionally with an STS security token.
#[derive(Clone)]
pub struct Credential {
    access_key_id: String,
    access_key_secret: Secret,
    security_token: Option<Secret>,
    provider: &'static str,
}

impl Credential {
    /// A long-term AccessKey pair.
    pub fn new(access_key_id: impl Into<String>, access_key_secret: impl Into<String>) -> Self {
        Credential {
            access_key_id: access_key_id.into(),
            access_key_secret: Secret::new(access_key_secret),
            security_token: None,
            provider: "static_ak",
        }
    }

    /// A temporary STS AccessKey pair with its security token.
    pub fn with_security_token(
        access_key_id: impl Into<String>,
        access_key_secret: impl Into<String>,
        security_token: impl Into<String>,
    ) -> Self {
        Credential {
            access_key_id: access_key_id.into(),
            access_key_secret: Secret::new(access_key_secret),
            security_token: Some(Secret::new(security_token)),
            provider: "static_sts",
        }
    }

    /// Sets the provider name (the official SDKs send it as `x-acs-credentials-provider`).
    pub fn with_provider_name(mut self, provider: &'static str) -> Self {
        self.provider = provider;
        self
    }

    /// The AccessKey ID (not secret: it is sent with every request).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The AccessKey secret.
    pub fn access_key_secret(&self) -> &Secret {
        &self.access_key_secret
    }

    /// The STS security token, if any.
    pub fn security_token(&self) -> Option<&Secret> {
        self.security_token.as_ref()
    }

    /// Where the credential came from (`static_ak`, `static_sts`, `env`, `cli_profile`,
    /// with a `default/` prefix when found by the default chain).
    pub fn provider_name(&self) -> &'static str {
        self.provider
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credential")
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &self.access_key_secret)
            .field("security_token", &self.security_token)
            .field("provider", &self.provider)
            .finish()
    }
}

/// A source of credentials, asked before every request attempt.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// The credential to sign with, or why there is none.
    fn provide(&self) -> Result<Credential, CredentialsError>;
}

impl ProvideCredentials for Credential {
    fn provide(&self) -> Result<Credential, CredentialsError> {
        Ok(self.clone())
    }
}

fn non_empty(env: &dyn Fn(&str) -> Option<String>, name: &str) -> Option<String> {
    env(name).filter(|v| !v.is_empty())
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

/// `<home>/.aliyun/config.json`, where the aliyun CLI keeps its profiles.
pub fn cli_config_path(home: &Path) -> PathBuf {
    home.join(".aliyun").join("config.json")
}

/// One profile of the aliyun CLI config file.
#[derive(Clone)]
pub struct CliProfile {
    /// Profile name.
    pub name: String,
    /// Authentication mode (`AK`, `StsToken`, `RamRoleArn`, ...); empty means `AK`.
    pub mode: String,
    /// Default region of the profile.
    pub region_id: Option<String>,
    access_key_id: Option<String>,
    access_key_secret: Option<Secret>,
    sts_token: Option<Secret>,
}

impl fmt::Debug for CliProfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CliProfile")
            .field("name", &self.name)
            .field("mode", &self.mode)
            .field("region_id", &self.region_id)
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &self.access_key_secret)
            .field("sts_token", &self.sts_token)
            .finish()
    }
}

/// The parsed aliyun CLI config file (`~/.aliyun/config.json`).
#[derive(Clone, Debug)]
pub struct CliConfig {
    /// Where it was read from (named in every error).
    pub path: PathBuf,
    /// The `current` profile name.
    pub current: String,
    /// All profiles, in file order.
    pub profiles: Vec<CliProfile>,
}

impl CliConfig {
    /// Reads and parses the file at `path`.
    pub fn load(path: &Path) -> Result<CliConfig, CredentialsError> {
        let text = std::fs::read(path).map_err(|source| CredentialsError::ReadFile {
            path: path.to_owned(),
            source,
        })?;
        Self::parse(path, &text)
    }

    /// Parses file contents; `path` is only used in error messages.
    pub fn parse(path: &Path, text: &[u8]) -> Result<CliConfig, CredentialsError> {
        // Parse to a Value first so type errors can name the field without quoting
        // its (possibly secret) value.
        let root: Value =
            serde_json::from_slice(text).map_err(|source| CredentialsError::ParseFile {
                path: path.to_owned(),
                source,
            })?;
        let invalid = |problem: String| CredentialsError::InvalidFile {
            path: path.to_owned(),
            problem,
        };
        let root = root
            .as_object()
            .ok_or_else(|| invalid("the top level is not a JSON object".into()))?;
        let current = match root.get("current") {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(_) => return Err(invalid("`current` is not a string".into())),
        };
        let list = match root.get("profiles") {
            None | Some(Value::Null) => &[][..],
            Some(Value::Array(list)) => list.as_slice(),
            Some(_) => return Err(invalid("`profiles` is not an array".into())),
        };
        let mut profiles = Vec::with_capacity(list.len());
        for (i, entry) in list.iter().enumerate() {
            let obj = entry
                .as_object()
                .ok_or_else(|| invalid(format!("profiles[{i}] is not an object")))?;
            let field = |key: &str| -> Result<Option<String>, CredentialsError> {
                string_field(obj, key)
                    .map_err(|()| invalid(format!("profiles[{i}].{key} is not a string")))
            };
            profiles.push(CliProfile {
                name: field("name")?.unwrap_or_default(),
                mode: field("mode")?.unwrap_or_default(),
                region_id: field("region_id")?,
                access_key_id: field("access_key_id")?,
                access_key_secret: field("access_key_secret")?.map(Secret),
                sts_token: field("sts_token")?.map(Secret),
            });
        }
        Ok(CliConfig {
            path: path.to_owned(),
            current,
            profiles,
        })
    }

    /// The profile named `name`, else the `current` one.
    pub fn select(&self, name: Option<&str>) -> Result<&CliProfile, CredentialsError> {
        let wanted = match name.filter(|n| !n.is_empty()) {
            Some(n) => n,
            None if !self.current.is_empty() => self.current.as_str(),
            None => {
                return Err(CredentialsError::NoProfileSelected {
                    path: self.path.clone(),
                })
            }
        };
        self.profiles
            .iter()
            .find(|p| p.name == wanted)
            .ok_or_else(|| CredentialsError::ProfileNotFound {
                path: self.path.clone(),
                profile: wanted.to_owned(),
                available: self
                    .profiles
                    .iter()
                    .map(|p| p.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    /// The credential of a profile (modes `AK` and `StsToken` only).
    pub fn credential(&self, profile: &CliProfile) -> Result<Credential, CredentialsError> {
        let missing = |field: &'static str| CredentialsError::MissingField {
            path: self.path.clone(),
            profile: profile.name.clone(),
            mode: profile.mode.clone(),
            field,
        };
        let id = profile
            .access_key_id
            .clone()
            .filter(|s| !s.is_empty())
            .ok_or_else(|| missing("access_key_id"))?;
        let secret = profile
            .access_key_secret
            .clone()
            .filter(|s| !s.0.is_empty())
            .ok_or_else(|| missing("access_key_secret"))?;
        match profile.mode.as_str() {
            "" | "AK" => Ok(Credential::new(id, secret.0).with_provider_name("cli_profile")),
            "StsToken" => {
                let token = profile
                    .sts_token
                    .clone()
                    .filter(|s| !s.0.is_empty())
                    .ok_or_else(|| missing("sts_token"))?;
                Ok(Credential::with_security_token(id, secret.0, token.0)
                    .with_provider_name("cli_profile"))
            }
            other => Err(CredentialsError::UnsupportedMode {
                path: self.path.clone(),
                profile: profile.name.clone(),
                mode: other.to_owned(),
            }),
        }
    }
}

// Ok(None) when absent or null, Err(()) when present with another type.
fn string_field(obj: &Map<String, Value>, key: &str) -> Result<Option<String>, ()> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(()),
    }
}

/// Credential of the CLI profile selected by `ALIBABA_CLOUD_PROFILE` (else `current`)
/// in `<home>/.aliyun/config.json`.
pub fn from_cli_profile(
    env: &dyn Fn(&str) -> Option<String>,
    home: &Path,
) -> Result<Credential, CredentialsError> {
    let config = CliConfig::load(&cli_config_path(home))?;
    let profile = config.select(non_empty(env, ENV_PROFILE).as_deref())?;
    config.credential(profile)
}

/// Credentials from `ALIBABA_CLOUD_ACCESS_KEY_ID` / `_SECRET` / `_SECURITY_TOKEN` only,
/// read at every call.
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
    fn provide(&self) -> Result<Credential, CredentialsError> {
        let env = |name: &str| self.environment.var(name);
        from_env_vars(&env)?.ok_or_else(|| CredentialsError::NotFound {
            attempts: vec![format!(
                "environment variables {ENV_ACCESS_KEY_ID} and {ENV_ACCESS_KEY_SECRET}: not set"
            )],
        })
    }
}

/// Credentials from one aliyun CLI profile (`~/.aliyun/config.json`), read at every call.
#[derive(Clone, Debug)]
pub struct CliProfileCredentials {
    environment: Environment,
    profile: Option<String>,
}

impl CliProfileCredentials {
    /// The profile named `profile`, else `ALIBABA_CLOUD_PROFILE`, else the file's
    /// `current`; the file is looked up under the environment's home directory.
    pub fn new(environment: Environment, profile: Option<String>) -> Self {
        CliProfileCredentials {
            environment,
            profile,
        }
    }
}

impl ProvideCredentials for CliProfileCredentials {
    fn provide(&self) -> Result<Credential, CredentialsError> {
        let Some(home) = self.environment.home() else {
            return Err(CredentialsError::NotFound {
                attempts: vec![
                    "aliyun CLI profile ~/.aliyun/config.json: no home directory (HOME is not set)"
                        .to_owned(),
                ],
            });
        };
        let config = CliConfig::load(&cli_config_path(home))?;
        let name = self
            .profile
            .clone()
            .or_else(|| self.environment.var(ENV_PROFILE));
        config.credential(config.select(name.as_deref())?)
    }
}

/// Resolves the default chain: environment variables, then the aliyun CLI profile.
/// When both fail, the error lists every place looked at and why it gave nothing.
pub fn resolve_default_chain(
    env: &dyn Fn(&str) -> Option<String>,
    home: Option<&Path>,
) -> Result<Credential, CredentialsError> {
    let mut attempts = Vec::with_capacity(3);
    match from_env_vars(env) {
        Ok(Some(c)) => return Ok(c.with_provider_name("default/env")),
        Ok(None) => {
            attempts.push(format!("environment variable {ENV_ACCESS_KEY_ID}: not set"));
            attempts.push(format!(
                "environment variable {ENV_ACCESS_KEY_SECRET}: not set"
            ));
        }
        Err(e) => attempts.push(e.to_string()),
    }
    if env(ENV_CLI_PROFILE_DISABLED).is_some_and(|v| v.eq_ignore_ascii_case("true")) {
        attempts.push(format!(
            "aliyun CLI profile: skipped because {ENV_CLI_PROFILE_DISABLED}=true"
        ));
    } else {
        match home {
            None => attempts.push(
                "aliyun CLI profile ~/.aliyun/config.json: no home directory (HOME is not set)"
                    .to_owned(),
            ),
            Some(home) => match from_cli_profile(env, home) {
                Ok(c) => return Ok(c.with_provider_name("default/cli_profile")),
                Err(CredentialsError::ReadFile { path, source })
                    if source.kind() == io::ErrorKind::NotFound =>
                {
                    attempts.push(format!(
                        "aliyun CLI profile {}: file not found",
                        path.display()
                    ))
                }
                Err(e) => attempts.push(e.to_string()),
            },
        }
    }
    Err(CredentialsError::NotFound { attempts })
}

/// The default chain as a provider: environment variables, then the aliyun CLI profile.
/// The first credential found is kept for the life of the provider (as the official
/// SDKs reuse the provider that succeeded); failures are retried on the next call.
#[derive(Clone)]
pub struct DefaultCredentialsChain {
    environment: Environment,
    resolved: Arc<OnceLock<Credential>>,
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
            resolved: Arc::new(OnceLock::new()),
        }
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
            .field("resolved", &self.resolved.get())
            .finish()
    }
}

impl ProvideCredentials for DefaultCredentialsChain {
    fn provide(&self) -> Result<Credential, CredentialsError> {
        if let Some(c) = self.resolved.get() {
            return Ok(c.clone());
        }
        let env = |name: &str| self.environment.var(name);
        let credential = resolve_default_chain(&env, self.environment.home())?;
        Ok(self.resolved.get_or_init(|| credential).clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    const SECRET: &str = "TopSecretValue123";
    const TOKEN: &str = "StsTokenValue456";

    fn env_of(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| map.get(name).cloned()
    }

    fn temp_home(tag: &str, config: Option<&str>) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("acsgen-runtime-cred-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join(".aliyun")).expect("create temp home");
        if let Some(text) = config {
            std::fs::write(dir.join(".aliyun/config.json"), text).expect("write config");
        }
        dir
    }

    fn assert_no_secret(text: &str) {
        assert!(!text.contains(SECRET), "secret leaked: {text}");
        assert!(!text.contains(TOKEN), "token leaked: {text}");
    }

    const CLI_CONFIG: &str = r#"{
        "current": "default",
        "profiles": [
            {"name": "default", "mode": "AK", "access_key_id": "LTAIdefault",
             "access_key_secret": "TopSecretValue123", "region_id": "cn-hangzhou"},
            {"name": "tmp", "mode": "StsToken", "access_key_id": "STS.tmp",
             "access_key_secret": "TopSecretValue123", "sts_token": "StsTokenValue456"},
            {"name": "role", "mode": "RamRoleArn", "access_key_id": "LTAIrole",
             "access_key_secret": "TopSecretValue123", "ram_role_arn": "acs:ram::1:role/x"},
            {"name": "broken", "mode": "StsToken", "access_key_id": "STS.b",
             "access_key_secret": "TopSecretValue123"}
        ],
        "meta_path": ""
    }"#;

    #[test]
    fn debug_never_shows_secrets() {
        let c = Credential::with_security_token("LTAIid", SECRET, TOKEN);
        let text = format!("{c:?} {:?}", c.access_key_secret());
        assert_no_secret(&text);
        assert!(text.contains("LTAIid") && text.contains("***"));
        let config = CliConfig::parse(Path::new("/x/config.json"), CLI_CONFIG.as_bytes())
            .expect("valid file");
        assert_no_secret(&format!("{config:?}"));
    }

    #[test]
    fn env_vars_give_ak_or_sts() {
        let env = env_of(&[
            (ENV_ACCESS_KEY_ID, "LTAIenv"),
            (ENV_ACCESS_KEY_SECRET, SECRET),
        ]);
        let c = from_env_vars(&env).expect("ok").expect("found");
        assert_eq!(c.access_key_id(), "LTAIenv");
        assert_eq!(c.access_key_secret().expose_secret(), SECRET);
        assert!(c.security_token().is_none());
        assert_eq!(c.provider_name(), "env");

        let env = env_of(&[
            (ENV_ACCESS_KEY_ID, "STS.env"),
            (ENV_ACCESS_KEY_SECRET, SECRET),
            (ENV_SECURITY_TOKEN, TOKEN),
        ]);
        let c = from_env_vars(&env).expect("ok").expect("found");
        assert_eq!(c.security_token().map(Secret::expose_secret), Some(TOKEN));

        assert!(from_env_vars(&env_of(&[])).expect("ok").is_none());
    }

    #[test]
    fn half_set_env_names_the_missing_variable() {
        let env = env_of(&[(ENV_ACCESS_KEY_SECRET, SECRET), (ENV_ACCESS_KEY_ID, "")]);
        let err = from_env_vars(&env).expect_err("incomplete");
        let text = err.to_string();
        assert!(text.contains(ENV_ACCESS_KEY_ID), "{text}");
        assert_no_secret(&format!("{err} {err:?}"));
    }

    #[test]
    fn cli_profiles_ak_sts_and_selection() {
        let home = temp_home("profiles", Some(CLI_CONFIG));
        let c = from_cli_profile(&env_of(&[]), &home).expect("current profile");
        assert_eq!(c.access_key_id(), "LTAIdefault");
        assert_eq!(c.provider_name(), "cli_profile");

        let c = from_cli_profile(&env_of(&[(ENV_PROFILE, "tmp")]), &home).expect("sts profile");
        assert_eq!(c.access_key_id(), "STS.tmp");
        assert_eq!(c.security_token().map(Secret::expose_secret), Some(TOKEN));
        let _ = std::fs::remove_dir_all(home);
    }

    #[test]
    fn cli_profile_errors_name_file_profile_mode_and_field() {
        let home = temp_home("errors", Some(CLI_CONFIG));
        let path = cli_config_path(&home);
        let shown = path.display().to_string();

        let err = from_cli_profile(&env_of(&[(ENV_PROFILE, "role")]), &home).expect_err("mode");
        let text = err.to_string();
        assert!(matches!(err, CredentialsError::UnsupportedMode { .. }));
        assert!(text.contains("RamRoleArn") && text.contains("`role`") && text.contains(&shown));
        assert_no_secret(&format!("{err} {err:?}"));

        let err = from_cli_profile(&env_of(&[(ENV_PROFILE, "broken")]), &home).expect_err("field");
        let text = err.to_string();
        assert!(
            text.contains("sts_token") && text.contains("`broken`"),
            "{text}"
        );

        let err = from_cli_profile(&env_of(&[(ENV_PROFILE, "nope")]), &home).expect_err("absent");
        let text = err.to_string();
        assert!(
            text.contains("`nope`") && text.contains("default, tmp, role, broken"),
            "{text}"
        );
        let _ = std::fs::remove_dir_all(home);
    }

    #[test]
    fn malformed_cli_files_are_reported_without_values() {
        let path = Path::new("/home/u/.aliyun/config.json");
        let err = CliConfig::parse(path, b"{not json").expect_err("syntax");
        assert!(err.to_string().contains("/home/u/.aliyun/config.json"));
        let bad = format!(r#"{{"profiles":[{{"name":"p","access_key_secret":["{SECRET}"]}}]}}"#);
        let err = CliConfig::parse(path, bad.as_bytes()).expect_err("type");
        let text = err.to_string();
        assert!(text.contains("profiles[0].access_key_secret"), "{text}");
        assert_no_secret(&format!("{err} {err:?}"));
        let err = CliConfig::parse(path, br#"{"profiles":[]}"#)
            .and_then(|c| c.select(None).map(|_| ()))
            .expect_err("no current");
        assert!(err.to_string().contains("no profile selected"));
    }

    #[test]
    fn chain_prefers_env_then_profile() {
        let home = temp_home("chain", Some(CLI_CONFIG));
        let env = env_of(&[
            (ENV_ACCESS_KEY_ID, "LTAIenv"),
            (ENV_ACCESS_KEY_SECRET, SECRET),
        ]);
        let c = resolve_default_chain(&env, Some(&home)).expect("env");
        assert_eq!(c.provider_name(), "default/env");
        let c = resolve_default_chain(&env_of(&[]), Some(&home)).expect("profile");
        assert_eq!(c.access_key_id(), "LTAIdefault");
        assert_eq!(c.provider_name(), "default/cli_profile");
        let disabled = env_of(&[(ENV_CLI_PROFILE_DISABLED, "true")]);
        let err = resolve_default_chain(&disabled, Some(&home)).expect_err("disabled");
        assert!(err.to_string().contains(ENV_CLI_PROFILE_DISABLED));
        let _ = std::fs::remove_dir_all(home);
    }

    #[test]
    fn chain_failure_names_every_place_looked() {
        let home = temp_home("missing", None);
        let err = resolve_default_chain(&env_of(&[]), Some(&home)).expect_err("nothing");
        let text = err.to_string();
        assert!(text.contains(ENV_ACCESS_KEY_ID), "{text}");
        assert!(text.contains(ENV_ACCESS_KEY_SECRET), "{text}");
        assert!(
            text.contains(&cli_config_path(&home).display().to_string()),
            "{text}"
        );
        assert!(text.contains("file not found"), "{text}");

        let err = resolve_default_chain(&env_of(&[]), None).expect_err("no home");
        assert!(err.to_string().contains("HOME is not set"));

        // A half-set environment and an unsupported profile are both reported.
        let role = temp_home("role", Some(CLI_CONFIG));
        let env = env_of(&[(ENV_ACCESS_KEY_ID, "LTAIx"), (ENV_PROFILE, "role")]);
        let err = resolve_default_chain(&env, Some(&role)).expect_err("both fail");
        let text = err.to_string();
        assert!(
            text.contains(ENV_ACCESS_KEY_SECRET) && text.contains("RamRoleArn"),
            "{text}"
        );
        assert_no_secret(&format!("{err} {err:?}"));
        let _ = std::fs::remove_dir_all(home);
        let _ = std::fs::remove_dir_all(role);
    }

    #[test]
    fn single_source_providers() {
        let env = Environment::new(
            env_of(&[
                (ENV_ACCESS_KEY_ID, "LTAIenv"),
                (ENV_ACCESS_KEY_SECRET, SECRET),
            ]),
            None,
        );
        let c = EnvironmentCredentials::new(env.clone())
            .provide()
            .expect("env");
        assert_eq!(c.access_key_id(), "LTAIenv");
        let err = CliProfileCredentials::new(env, None)
            .provide()
            .expect_err("no home");
        assert!(err.to_string().contains("HOME"));
        let err = EnvironmentCredentials::new(Environment::new(env_of(&[]), None))
            .provide()
            .expect_err("unset");
        assert!(err.to_string().contains(ENV_ACCESS_KEY_SECRET));

        let home = temp_home("single", Some(CLI_CONFIG));
        let p = CliProfileCredentials::new(
            Environment::new(env_of(&[]), Some(home.clone())),
            Some("tmp".into()),
        );
        assert_eq!(p.provide().expect("profile").access_key_id(), "STS.tmp");
        let _ = std::fs::remove_dir_all(home);
    }

    #[test]
    fn chain_provider_caches_the_first_success() {
        let home = temp_home("cache", Some(CLI_CONFIG));
        let chain = DefaultCredentialsChain::with_environment(Environment::new(
            env_of(&[]),
            Some(home.clone()),
        ));
        let first = chain.provide().expect("profile");
        std::fs::remove_file(cli_config_path(&home)).expect("remove");
        let second = chain.provide().expect("cached");
        assert_eq!(first.access_key_id(), second.access_key_id());
        assert_no_secret(&format!("{chain:?}"));
        let _ = std::fs::remove_dir_all(home);
    }
}
