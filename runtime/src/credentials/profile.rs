//! Profile files: the aliyun CLI's `~/.aliyun/config.json` (every mode the official
//! credentials libraries read) and the credentials file `~/.alibabacloud/credentials`
//! (ini).

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use crate::environment::Environment;
use crate::error::CredentialsError;
use crate::profile_file::{cli_config_location, CliConfig, CliProfile};

use super::imds::EcsRamRoleCredentials;
use super::process::ExternalCredentials;
use super::sts::{OidcRoleArnCredentials, RamRoleArnCredentials, RoleOptions};
use super::uri::CredentialsUriCredentials;
use super::{
    read_bounded, Credential, ProvideCredentials, ProvideFuture, ProviderConfig,
    ENV_CREDENTIALS_FILE, ENV_PROFILE,
};

/// `ChainableRamRoleArn` profiles may name a source profile that is itself chainable;
/// deeper than this is a cycle or a mistake.
const MAX_SOURCE_DEPTH: usize = 5;

/// `<home>/.alibabacloud/credentials`, the credentials (ini) file.
pub fn credentials_file_path(home: &Path) -> PathBuf {
    home.join(".alibabacloud").join("credentials")
}

/// Building the source a profile describes needs the providers, so it lives here,
/// beside them, rather than with the file parsing in `profile_file`.
impl CliConfig {
    fn role_options(&self, profile: &CliProfile) -> Result<RoleOptions, CredentialsError> {
        let mut options = RoleOptions::new(self.required(profile, "ram_role_arn")?);
        options.session_name = profile.string(&self.path, "ram_session_name")?;
        options.policy = profile.string(&self.path, "policy")?;
        options.external_id = profile.string(&self.path, "external_id")?;
        options.sts_region = profile.string(&self.path, "sts_region")?;
        options.enable_vpc = profile.boolean(&self.path, "enable_vpc")?;
        options.duration = profile
            .number(&self.path, "expired_seconds")?
            .filter(|s| *s > 0)
            .map(Duration::from_secs);
        Ok(options)
    }

    /// The source of credentials a profile describes, in any supported mode.
    pub(crate) fn provider(
        &self,
        profile: &CliProfile,
        environment: &Environment,
        config: &ProviderConfig,
        depth: usize,
    ) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
        Ok(match profile.mode.as_str() {
            "" | "AK" | "StsToken" => Arc::new(self.credential(profile)?),
            "RamRoleArn" => {
                let (id, secret) = self.keys(profile)?;
                let source = Arc::new(Credential::new(id, secret.expose_secret()));
                Arc::new(RamRoleArnCredentials::new(
                    source,
                    self.role_options(profile)?,
                    environment,
                    config,
                )?)
            }
            "ChainableRamRoleArn" => {
                let source_name = self.required(profile, "source_profile")?;
                if depth >= MAX_SOURCE_DEPTH {
                    return Err(CredentialsError::InvalidFile {
                        path: self.path.clone(),
                        problem: format!(
                            "profile `{}`: source_profile chain deeper than {MAX_SOURCE_DEPTH} (a cycle?)",
                            profile.name
                        ),
                    });
                }
                let source = self.select(Some(&source_name))?;
                let source = self.provider(source, environment, config, depth + 1)?;
                Arc::new(RamRoleArnCredentials::new(
                    source,
                    self.role_options(profile)?,
                    environment,
                    config,
                )?)
            }
            "EcsRamRole" => {
                let endpoint =
                    environment
                        .metadata_endpoint()
                        .ok_or_else(|| CredentialsError::Source {
                            provider: "ecs_ram_role",
                            problem: "no metadata service in this environment".into(),
                        })?;
                let role = profile.string(&self.path, "ram_role_name")?;
                Arc::new(EcsRamRoleCredentials::new(
                    endpoint,
                    role,
                    environment,
                    config,
                )?)
            }
            "OIDC" => Arc::new(OidcRoleArnCredentials::new(
                self.role_options(profile)?,
                self.required(profile, "oidc_provider_arn")?,
                self.required(profile, "oidc_token_file")?,
                environment,
                config,
            )?),
            "CredentialsURI" => Arc::new(CredentialsUriCredentials::new(
                self.required(profile, "credentials_uri")?,
                config,
            )?),
            "External" => Arc::new(ExternalCredentials::new(
                &self.required(profile, "process_command")?,
                config,
            )?),
            other => {
                return Err(CredentialsError::UnsupportedMode {
                    path: self.path.clone(),
                    profile: profile.name.clone(),
                    mode: other.to_owned(),
                })
            }
        })
    }
}

/// Credentials from one aliyun CLI profile, in any supported mode. The profile is read
/// once, at the first call; its source (a role, the metadata service, ...) is kept.
pub struct CliProfileCredentials {
    environment: Environment,
    profile: Option<String>,
    config: ProviderConfig,
    inner: OnceLock<Arc<dyn ProvideCredentials>>,
}

impl fmt::Debug for CliProfileCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CliProfileCredentials")
            .field("profile", &self.profile)
            .field("inner", &self.inner.get())
            .finish_non_exhaustive()
    }
}

impl CliProfileCredentials {
    /// The profile named `profile`, else `ALIBABA_CLOUD_PROFILE`, else the file's
    /// `current`; the file is `ALIBABA_CLOUD_CONFIG_FILE` or `~/.aliyun/config.json`.
    pub fn new(environment: Environment, profile: Option<String>) -> Self {
        Self::with_config(environment, profile, ProviderConfig::default())
    }

    /// As [`CliProfileCredentials::new`], reaching STS and the metadata service with
    /// `config`.
    pub fn with_config(
        environment: Environment,
        profile: Option<String>,
        config: ProviderConfig,
    ) -> Self {
        CliProfileCredentials {
            environment,
            profile,
            config,
            inner: OnceLock::new(),
        }
    }

    /// Reads the file and builds the profile's source (no network).
    pub(crate) fn build(&self) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
        if let Some(inner) = self.inner.get() {
            return Ok(Arc::clone(inner));
        }
        let Some(path) = cli_config_location(&self.environment) else {
            return Err(CredentialsError::NotFound {
                attempts: vec![
                    "aliyun CLI profile ~/.aliyun/config.json: no home directory (HOME is not set)"
                        .to_owned(),
                ],
            });
        };
        let file = CliConfig::load(&path)?;
        let name = self
            .profile
            .clone()
            .or_else(|| self.environment.var(ENV_PROFILE));
        let profile = file.select(name.as_deref())?;
        let provider = file.provider(profile, &self.environment, &self.config, 0)?;
        Ok(Arc::clone(self.inner.get_or_init(|| provider)))
    }
}

impl ProvideCredentials for CliProfileCredentials {
    fn provide(&self) -> ProvideFuture<'_> {
        match self.build() {
            Err(e) => ProvideFuture::ready(Err(e)),
            Ok(inner) => ProvideFuture::new(async move {
                let c = inner.provide().await?;
                // Static modes say `cli_profile`; role modes keep their own name.
                Ok(if c.provider_name().starts_with("static") {
                    c.with_provider_name("cli_profile")
                } else {
                    c
                })
            }),
        }
    }
}

/// The credentials file in effect: `ALIBABA_CLOUD_CREDENTIALS_FILE`, else
/// `<home>/.alibabacloud/credentials` (else `credentials.ini` beside it, the Python
/// library's name).
pub(crate) fn credentials_file_location(environment: &Environment) -> Option<PathBuf> {
    if let Some(path) = environment
        .var(ENV_CREDENTIALS_FILE)
        .filter(|p| !p.is_empty())
    {
        return Some(PathBuf::from(path));
    }
    let plain = credentials_file_path(environment.home()?);
    let ini = plain.with_extension("ini");
    Some(if !plain.exists() && ini.exists() {
        ini
    } else {
        plain
    })
}

/// Credentials from a section of the credentials (ini) file: section `profile`, else
/// `ALIBABA_CLOUD_PROFILE`, else `default`; `type` is `access_key`, `ecs_ram_role`,
/// `ram_role_arn` or `oidc_role_arn`.
pub struct ProfileFileCredentials {
    environment: Environment,
    profile: Option<String>,
    config: ProviderConfig,
    inner: OnceLock<Arc<dyn ProvideCredentials>>,
}

impl fmt::Debug for ProfileFileCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProfileFileCredentials")
            .field("profile", &self.profile)
            .field("inner", &self.inner.get())
            .finish_non_exhaustive()
    }
}

impl ProfileFileCredentials {
    /// The given section (else `ALIBABA_CLOUD_PROFILE`, else `default`).
    pub fn new(environment: Environment, profile: Option<String>, config: ProviderConfig) -> Self {
        ProfileFileCredentials {
            environment,
            profile,
            config,
            inner: OnceLock::new(),
        }
    }

    pub(crate) fn build(&self) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
        if let Some(inner) = self.inner.get() {
            return Ok(Arc::clone(inner));
        }
        let problem = |problem: String| CredentialsError::Source {
            provider: "profile",
            problem,
        };
        let path = credentials_file_location(&self.environment).ok_or_else(|| {
            problem("credentials file: no home directory (HOME is not set)".into())
        })?;
        let shown = path.display().to_string();
        let text = read_bounded(&path)
            .map_err(|e| problem(format!("cannot read credentials file {shown}: {e}")))?;
        let text = String::from_utf8(text)
            .map_err(|_| problem(format!("credentials file {shown} is not UTF-8")))?;
        let section_name = self
            .profile
            .clone()
            .or_else(|| self.environment.var(ENV_PROFILE).filter(|p| !p.is_empty()))
            .unwrap_or_else(|| "default".to_owned());
        let section = ini_section(&text, &section_name)
            .map_err(|p| problem(format!("credentials file {shown}: {p}")))?;
        let section = section.ok_or_else(|| {
            problem(format!(
                "credentials file {shown}: no section [{section_name}]"
            ))
        })?;
        let get = |key: &str| -> Option<String> {
            section
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
                .filter(|v| !v.is_empty())
        };
        let need = |key: &str| -> Result<String, CredentialsError> {
            get(key).ok_or_else(|| {
                problem(format!(
                    "credentials file {shown}: section [{section_name}] has no `{key}`"
                ))
            })
        };
        let kind = need("type")?;
        let provider: Arc<dyn ProvideCredentials> = match kind.as_str() {
            "access_key" => Arc::new(
                Credential::new(need("access_key_id")?, need("access_key_secret")?)
                    .with_provider_name("profile"),
            ),
            "ecs_ram_role" => {
                let endpoint = self.environment.metadata_endpoint().ok_or_else(|| {
                    problem("ecs_ram_role: no metadata service in this environment".into())
                })?;
                Arc::new(EcsRamRoleCredentials::new(
                    endpoint,
                    get("role_name"),
                    &self.environment,
                    &self.config,
                )?)
            }
            "ram_role_arn" => {
                let source = Arc::new(Credential::new(
                    need("access_key_id")?,
                    need("access_key_secret")?,
                ));
                let mut options = RoleOptions::new(need("role_arn")?);
                options.session_name = get("role_session_name");
                options.policy = get("policy");
                Arc::new(RamRoleArnCredentials::new(
                    source,
                    options,
                    &self.environment,
                    &self.config,
                )?)
            }
            "oidc_role_arn" => {
                let mut options = RoleOptions::new(need("role_arn")?);
                options.session_name = get("role_session_name");
                options.policy = get("policy");
                Arc::new(OidcRoleArnCredentials::new(
                    options,
                    need("oidc_provider_arn")?,
                    need("oidc_token_file_path")?,
                    &self.environment,
                    &self.config,
                )?)
            }
            other => {
                return Err(problem(format!(
                    "credentials file {shown}: section [{section_name}] has type `{}`, which acsgen-runtime does not support (supported: access_key, ecs_ram_role, ram_role_arn, oidc_role_arn)",
                    crate::text::clip_string(other, 64, 0)
                )))
            }
        };
        Ok(Arc::clone(self.inner.get_or_init(|| provider)))
    }
}

impl ProvideCredentials for ProfileFileCredentials {
    fn provide(&self) -> ProvideFuture<'_> {
        match self.build() {
            Err(e) => ProvideFuture::ready(Err(e)),
            Ok(inner) => ProvideFuture::new(async move { inner.provide().await }),
        }
    }
}

/// The `key = value` pairs of section `[wanted]` of an ini text (`Ok(None)` when absent).
/// Comments start with `#` or `;`; keys and values are trimmed. Errors give the line.
fn ini_section(text: &str, wanted: &str) -> Result<Option<Vec<(String, String)>>, String> {
    let mut current: Option<&str> = None;
    let mut found: Option<Vec<(String, String)>> = None;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            let name = rest
                .strip_suffix(']')
                .ok_or_else(|| format!("line {}: unclosed section header", n + 1))?
                .trim();
            current = Some(name);
            if name == wanted && found.is_none() {
                found = Some(Vec::new());
            }
            continue;
        }
        // Never quote the line: it may hold a secret.
        let (key, value) = line
            .split_once('=')
            .ok_or_else(|| format!("line {}: expected `key = value`", n + 1))?;
        if current == Some(wanted) {
            if let Some(pairs) = found.as_mut() {
                pairs.push((key.trim().to_owned(), value.trim().to_owned()));
            }
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::Secret;

    const SECRET: &str = "TopSecretValue123";
    const TOKEN: &str = "StsTokenValue456";
    const CLI_CONFIG: &str = r#"{
        "current": "default",
        "profiles": [
            {"name": "default", "mode": "AK", "access_key_id": "LTAIdefault",
             "access_key_secret": "TopSecretValue123", "region_id": "cn-hangzhou"},
            {"name": "tmp", "mode": "StsToken", "access_key_id": "STS.tmp",
             "access_key_secret": "TopSecretValue123", "sts_token": "StsTokenValue456"},
            {"name": "sso", "mode": "CloudSSO", "access_key_id": "LTAIrole"},
            {"name": "broken", "mode": "StsToken", "access_key_id": "STS.b",
             "access_key_secret": "TopSecretValue123"},
            {"name": "norole", "mode": "RamRoleArn", "access_key_id": "LTAIx",
             "access_key_secret": "TopSecretValue123"}
        ],
        "meta_path": ""
    }"#;

    fn assert_no_secret(text: &str) {
        assert!(
            !text.contains(SECRET) && !text.contains(TOKEN),
            "leaked: {text}"
        );
    }

    fn load() -> CliConfig {
        CliConfig::parse(Path::new("/h/.aliyun/config.json"), CLI_CONFIG.as_bytes()).expect("valid")
    }

    #[test]
    fn static_modes_selection_and_debug() {
        let config = load();
        assert_no_secret(&format!("{config:?}"));
        let c = config
            .credential(config.select(None).expect("current"))
            .expect("ak");
        assert_eq!(
            (c.access_key_id(), c.provider_name()),
            ("LTAIdefault", "cli_profile")
        );
        let c = config
            .credential(config.select(Some("tmp")).expect("tmp"))
            .expect("sts");
        assert_eq!(c.security_token().map(Secret::expose_secret), Some(TOKEN));
    }

    #[test]
    fn profile_errors_name_file_profile_mode_and_field() {
        let config = load();
        let env = Environment::empty();
        let pc = ProviderConfig::new();
        let build = |name: &str| {
            config
                .provider(config.select(Some(name)).expect("exists"), &env, &pc, 0)
                .map(|_| ())
                .expect_err(name)
        };
        let err = build("sso");
        assert!(matches!(err, CredentialsError::UnsupportedMode { .. }));
        let text = err.to_string();
        assert!(
            text.contains("CloudSSO")
                && text.contains("`sso`")
                && text.contains("/h/.aliyun/config.json"),
            "{text}"
        );
        let text = build("broken").to_string();
        assert!(
            text.contains("sts_token") && text.contains("`broken`"),
            "{text}"
        );
        let text = build("norole").to_string();
        assert!(
            text.contains("ram_role_arn") && text.contains("RamRoleArn"),
            "{text}"
        );
        let err = config.select(Some("nope")).expect_err("absent");
        assert!(
            err.to_string()
                .contains("default, tmp, sso, broken, norole"),
            "{err}"
        );
        for e in [build("sso"), build("broken"), err] {
            assert_no_secret(&format!("{e} {e:?}"));
        }
    }

    #[test]
    fn malformed_files_are_reported_without_values() {
        let path = Path::new("/home/u/.aliyun/config.json");
        let err = CliConfig::parse(path, b"{not json").expect_err("syntax");
        assert!(err.to_string().contains("/home/u/.aliyun/config.json"));
        let bad = format!(r#"{{"profiles":[{{"name":"p","access_key_secret":["{SECRET}"]}}]}}"#);
        let err = CliConfig::parse(path, bad.as_bytes()).expect_err("type");
        assert!(
            err.to_string().contains("profiles[0].access_key_secret"),
            "{err}"
        );
        assert_no_secret(&format!("{err} {err:?}"));
        let bad = br#"{"profiles":[{"name":"p","mode":"RamRoleArn","expired_seconds":"soon"}]}"#;
        let config = CliConfig::parse(path, bad).expect("lazy field");
        let p = config.select(Some("p")).expect("p");
        let err = config.role_options(p).expect_err("no role");
        assert!(err.to_string().contains("ram_role_arn"), "{err}");
        let bad = br#"{"profiles":[{"name":"p","mode":"RamRoleArn","ram_role_arn":"arn","expired_seconds":"soon"}]}"#;
        let config = CliConfig::parse(path, bad).expect("lazy field");
        let p = config.select(Some("p")).expect("p");
        let err = config.role_options(p).expect_err("bad number");
        assert!(err.to_string().contains("expired_seconds"), "{err}");
        assert!(!err.to_string().contains("soon"), "no value: {err}");
        let err = CliConfig::parse(path, br#"{"profiles":[]}"#)
            .and_then(|c| c.select(None).map(|_| ()))
            .expect_err("no current");
        assert!(err.to_string().contains("no profile selected"));
    }

    #[test]
    fn role_profiles_read_the_official_field_names() {
        let text = br#"{"profiles":[{"name":"r","mode":"RamRoleArn","ram_role_arn":"arn:r",
            "ram_session_name":"s","expired_seconds":1800,"policy":"{}","external_id":"e",
            "sts_region":"cn-shanghai","enable_vpc":true}]}"#;
        let config = CliConfig::parse(Path::new("/c.json"), text).expect("valid");
        let o = config
            .role_options(config.select(Some("r")).expect("r"))
            .expect("options");
        assert_eq!(o.role_arn, "arn:r");
        assert_eq!(o.session_name.as_deref(), Some("s"));
        assert_eq!(o.duration, Some(Duration::from_secs(1800)));
        assert_eq!(o.policy.as_deref(), Some("{}"));
        assert_eq!(o.external_id.as_deref(), Some("e"));
        assert_eq!(o.sts_region.as_deref(), Some("cn-shanghai"));
        assert_eq!(o.enable_vpc, Some(true));
    }

    #[test]
    fn oversized_and_special_files_are_refused() {
        let dir = std::env::temp_dir().join(format!("acsgen-cred-big-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let big = dir.join("config.json");
        std::fs::write(&big, vec![b' '; crate::profile_file::MAX_SOURCE_BYTES + 1]).expect("write");
        let err = CliConfig::load(&big).expect_err("too big");
        assert!(err.to_string().contains("larger than"), "{err}");
        let err = CliConfig::load(&dir).expect_err("a directory");
        assert!(
            err.to_string().contains(&dir.display().to_string()),
            "{err}"
        );
        assert!(err.to_string().contains("not a regular file"), "{err}");
        // A FIFO with no writer would block open(2) itself.
        #[cfg(unix)]
        {
            let fifo = dir.join("fifo.json");
            let made = std::process::Command::new("mkfifo").arg(&fifo).status();
            if made.is_ok_and(|s| s.success()) {
                let err = CliConfig::load(&fifo).expect_err("a FIFO");
                assert!(err.to_string().contains("not a regular file"), "{err}");
            } else {
                panic!("mkfifo is needed for this test");
            }
        }
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn ini_sections_comments_and_errors() {
        let text = "# c\n[default]\ntype = access_key\naccess_key_id=LTAI\n; x\n[other]\ntype=ecs_ram_role\n";
        let s = ini_section(text, "default").expect("ok").expect("found");
        assert_eq!(
            s,
            vec![
                ("type".into(), "access_key".into()),
                ("access_key_id".into(), "LTAI".into())
            ]
        );
        assert!(ini_section(text, "missing").expect("ok").is_none());
        let err = ini_section("[a]\nTopSecretLine\n", "a").expect_err("bad");
        assert!(
            err.contains("line 2") && !err.contains("TopSecret"),
            "{err}"
        );
        assert!(ini_section("[a\n", "a").is_err());
    }
}
