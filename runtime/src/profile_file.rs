//! The aliyun CLI config file (`~/.aliyun/config.json`): where it is, how it parses
//! ([`CliConfig`], [`CliProfile`]) and the region it gives ([`Environment::region`]).
//!
//! Both `config` (the region) and `credentials` (the CLI profile source) use it; it
//! depends only on `environment`, `identity` and `error`. Turning a profile into a
//! credential source (roles, metadata service, ...) is done in `credentials`.

use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::environment::{Environment, ENV_CONFIG_FILE, ENV_PROFILE, ENV_REGION_ID};
use crate::error::CredentialsError;
use crate::identity::{Credential, Secret};

/// Largest file, process output or answer read by a credential source: real ones are
/// under 4 KiB, and all of them are untrusted.
pub const MAX_SOURCE_BYTES: usize = 64 * 1024;

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
    index: usize,
    // Every field of the profile; secrets among them, so never printed.
    fields: Map<String, Value>,
}

impl fmt::Debug for CliProfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keys: Vec<&str> = self.fields.keys().map(String::as_str).collect();
        f.debug_struct("CliProfile")
            .field("name", &self.name)
            .field("mode", &self.mode)
            .field("region_id", &self.region_id)
            .field("fields", &keys)
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
    /// Reads (at most 64 KiB of a regular file) and parses the file at `path`.
    pub fn load(path: &Path) -> Result<CliConfig, CredentialsError> {
        let text = read_bounded(path).map_err(|source| CredentialsError::ReadFile {
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
        for (index, entry) in list.iter().enumerate() {
            let fields = entry
                .as_object()
                .ok_or_else(|| invalid(format!("profiles[{index}] is not an object")))?
                .clone();
            let mut profile = CliProfile {
                name: String::new(),
                mode: String::new(),
                region_id: None,
                index,
                fields,
            };
            // Type-check the fields every mode reads now, so a bad file fails early.
            for key in ["access_key_id", "access_key_secret", "sts_token"] {
                profile.string(path, key)?;
            }
            profile.name = profile.string(path, "name")?.unwrap_or_default();
            profile.mode = profile.string(path, "mode")?.unwrap_or_default();
            profile.region_id = profile.string(path, "region_id")?;
            profiles.push(profile);
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

    /// The static credential of a profile in mode `AK` or `StsToken`.
    pub fn credential(&self, profile: &CliProfile) -> Result<Credential, CredentialsError> {
        match profile.mode.as_str() {
            "" | "AK" => {
                let (id, secret) = self.keys(profile)?;
                Ok(Credential::new(id, secret.expose_secret()).with_provider_name("cli_profile"))
            }
            "StsToken" => {
                let (id, secret) = self.keys(profile)?;
                let token = self.required(profile, "sts_token")?;
                Ok(
                    Credential::with_security_token(id, secret.expose_secret(), token)
                        .with_provider_name("cli_profile"),
                )
            }
            other => Err(CredentialsError::UnsupportedMode {
                path: self.path.clone(),
                profile: profile.name.clone(),
                mode: other.to_owned(),
            }),
        }
    }

    pub(crate) fn keys(&self, profile: &CliProfile) -> Result<(String, Secret), CredentialsError> {
        let id = self.required(profile, "access_key_id")?;
        let secret = Secret::new(self.required(profile, "access_key_secret")?);
        Ok((id, secret))
    }

    pub(crate) fn required(
        &self,
        profile: &CliProfile,
        key: &'static str,
    ) -> Result<String, CredentialsError> {
        profile
            .string(&self.path, key)?
            .filter(|s| !s.is_empty())
            .ok_or_else(|| CredentialsError::MissingField {
                path: self.path.clone(),
                profile: profile.name.clone(),
                mode: profile.mode.clone(),
                field: key,
            })
    }
}

impl CliProfile {
    fn invalid(&self, path: &Path, key: &str, what: &str) -> CredentialsError {
        CredentialsError::InvalidFile {
            path: path.to_owned(),
            problem: format!("profiles[{}].{key} is not {what}", self.index),
        }
    }

    pub(crate) fn string(
        &self,
        path: &Path,
        key: &str,
    ) -> Result<Option<String>, CredentialsError> {
        match self.fields.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone()).filter(|s| !s.is_empty())),
            Some(_) => Err(self.invalid(path, key, "a string")),
        }
    }

    pub(crate) fn number(&self, path: &Path, key: &str) -> Result<Option<u64>, CredentialsError> {
        match self.fields.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => n
                .as_u64()
                .map(Some)
                .ok_or_else(|| self.invalid(path, key, "a whole number")),
            Some(Value::String(s)) if s.is_empty() => Ok(None),
            Some(Value::String(s)) => s
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| self.invalid(path, key, "a whole number")),
            Some(_) => Err(self.invalid(path, key, "a whole number")),
        }
    }

    pub(crate) fn boolean(&self, path: &Path, key: &str) -> Result<Option<bool>, CredentialsError> {
        match self.fields.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(self.invalid(path, key, "true or false")),
        }
    }
}

/// The CLI config file in effect: `ALIBABA_CLOUD_CONFIG_FILE`, else
/// `<home>/.aliyun/config.json`.
pub(crate) fn cli_config_location(environment: &Environment) -> Option<PathBuf> {
    match environment.var(ENV_CONFIG_FILE).filter(|p| !p.is_empty()) {
        Some(path) => Some(PathBuf::from(path)),
        None => environment.home().map(cli_config_path),
    }
}

/// Reads at most [`MAX_SOURCE_BYTES`] of a regular file (a FIFO or device would block or
/// never end).
pub(crate) fn read_bounded(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    // Opening a FIFO without a writer blocks in open(2) itself: look first.
    if !std::fs::metadata(path)?.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    let file = std::fs::File::open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    let mut out = Vec::new();
    file.take(MAX_SOURCE_BYTES as u64 + 1)
        .read_to_end(&mut out)?;
    if out.len() > MAX_SOURCE_BYTES {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("larger than {MAX_SOURCE_BYTES} bytes"),
        ));
    }
    Ok(out)
}

impl Environment {
    /// Region from `ALIBABA_CLOUD_REGION_ID`, else the `region_id` of the selected aliyun
    /// CLI profile (`ALIBABA_CLOUD_CONFIG_FILE` or `~/.aliyun/config.json`; a missing or
    /// unreadable file just gives `None`).
    pub fn region(&self) -> Option<String> {
        if let Some(r) = self.var(ENV_REGION_ID).filter(|r| !r.is_empty()) {
            return Some(r);
        }
        let config = CliConfig::load(&cli_config_location(self)?).ok()?;
        let profile = config.select(self.var(ENV_PROFILE).as_deref()).ok()?;
        profile.region_id.clone().filter(|r| !r.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)], home: Option<PathBuf>) -> Environment {
        Environment::from_vars(vars.iter().copied(), home)
    }

    #[test]
    fn region_from_env_var_then_profile() {
        let home = std::env::temp_dir().join(format!("acsgen-runtime-cfg-{}", std::process::id()));
        std::fs::create_dir_all(home.join(".aliyun")).expect("mkdir");
        std::fs::write(
            home.join(".aliyun/config.json"),
            r#"{"current":"a","profiles":[{"name":"a","mode":"AK","region_id":"cn-beijing"},
                {"name":"b","mode":"AK","region_id":"cn-hangzhou"}]}"#,
        )
        .expect("write");
        assert_eq!(
            env(&[(ENV_REGION_ID, "eu-central-1")], Some(home.clone()))
                .region()
                .as_deref(),
            Some("eu-central-1")
        );
        assert_eq!(
            env(&[], Some(home.clone())).region().as_deref(),
            Some("cn-beijing")
        );
        assert_eq!(
            env(&[(ENV_PROFILE, "b")], Some(home.clone()))
                .region()
                .as_deref(),
            Some("cn-hangzhou")
        );
        assert_eq!(env(&[], None).region(), None);
        let _ = std::fs::remove_dir_all(home);
    }
}
