//! The environment source ([`Environment`]): variables, home directory and instance
//! metadata service address, injectable so tests never touch the process environment
//! nor the network.
//!
//! This is the bottom of the configuration layers: it imports nothing from the crate.
//! `Environment::region` reads the aliyun CLI config file, so it is defined with that
//! parsing in `profile_file`.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Environment variable with the default region.
pub const ENV_REGION_ID: &str = "ALIBABA_CLOUD_REGION_ID";
/// Environment variable naming the profile to use (CLI file: else its `current`;
/// credentials file: else `default`).
pub const ENV_PROFILE: &str = "ALIBABA_CLOUD_PROFILE";
/// Environment variable with another path for the CLI config file.
pub const ENV_CONFIG_FILE: &str = "ALIBABA_CLOUD_CONFIG_FILE";
/// Where the metadata service answers on Alibaba Cloud instances.
pub const DEFAULT_METADATA_ENDPOINT: &str = "http://100.100.100.200";

type Lookup = dyn Fn(&str) -> Option<String> + Send + Sync;

/// Where environment variables, the home directory and the instance metadata service
/// are; injectable so tests never touch the process environment nor the network.
#[derive(Clone)]
pub struct Environment {
    lookup: Arc<Lookup>,
    home: Option<PathBuf>,
    metadata_endpoint: Option<String>,
}

impl Environment {
    /// The process environment; home from `HOME` (or `USERPROFILE`); the metadata
    /// service at `http://100.100.100.200`.
    pub fn process() -> Self {
        let home = std::env::var_os("HOME")
            .or_else(|| std::env::var_os("USERPROFILE"))
            .filter(|h| !h.is_empty())
            .map(PathBuf::from);
        Environment {
            lookup: Arc::new(|name| std::env::var(name).ok()),
            home,
            metadata_endpoint: Some(DEFAULT_METADATA_ENDPOINT.to_owned()),
        }
    }

    /// A custom source: `lookup` answers variable names, `home` is the home directory.
    /// It has no metadata service unless given one with
    /// [`Environment::with_metadata_endpoint`].
    pub fn new(
        lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
        home: Option<PathBuf>,
    ) -> Self {
        Environment {
            lookup: Arc::new(lookup),
            home,
            metadata_endpoint: None,
        }
    }

    /// Only the given variables and home directory: for tests, and for programs that
    /// configure clients from their own settings rather than the process environment.
    pub fn from_vars<K: Into<String>, V: Into<String>>(
        vars: impl IntoIterator<Item = (K, V)>,
        home: Option<PathBuf>,
    ) -> Self {
        let vars: std::collections::HashMap<String, String> = vars
            .into_iter()
            .map(|(name, value)| (name.into(), value.into()))
            .collect();
        Environment::new(move |name| vars.get(name).cloned(), home)
    }

    /// No variables and no home directory: nothing is found that a [`Config`] does not
    /// give explicitly.
    ///
    /// [`Config`]: crate::Config
    pub fn empty() -> Self {
        Environment::new(|_| None, None)
    }

    /// Sets where the instance metadata service answers (`http://host[:port]`).
    pub fn with_metadata_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.metadata_endpoint = Some(endpoint.into());
        self
    }

    /// Where the instance metadata service answers, if this environment has one.
    pub fn metadata_endpoint(&self) -> Option<&str> {
        self.metadata_endpoint.as_deref()
    }

    /// The value of variable `name`, if set.
    pub fn var(&self, name: &str) -> Option<String> {
        (self.lookup)(name)
    }

    /// The home directory, if known.
    pub fn home(&self) -> Option<&Path> {
        self.home.as_deref()
    }
}

impl fmt::Debug for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Environment")
            .field("home", &self.home)
            .field("metadata_endpoint", &self.metadata_endpoint)
            .finish_non_exhaustive()
    }
}
