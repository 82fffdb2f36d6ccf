//! The generated crate's dependency on `acsgen-runtime`, as a value: where
//! Cargo finds it and which version it asks for.

use crate::spec::RuntimeSource;

/// The runtime version generated code is written against; a test keeps it
/// equal to `runtime/Cargo.toml`.
pub const RUNTIME_VERSION: &str = "0.1.0";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimeDependency {
    /// The requirement Cargo checks (and, for `path` and `git`, the one a
    /// published crate keeps).
    pub version: String,
    pub location: RuntimeLocation,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeLocation {
    /// crates.io (or the user's configured registry).
    Registry,
    /// A directory, relative to the generated crate's.
    Path(String),
    Git {
        url: String,
        reference: Option<GitReference>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GitReference {
    Branch(String),
    Tag(String),
    Rev(String),
}

impl GitReference {
    /// The Cargo key naming this kind of reference.
    pub fn key(&self) -> &'static str {
        match self {
            GitReference::Branch(_) => "branch",
            GitReference::Tag(_) => "tag",
            GitReference::Rev(_) => "rev",
        }
    }

    pub fn value(&self) -> &str {
        match self {
            GitReference::Branch(v) | GitReference::Tag(v) | GitReference::Rev(v) => v,
        }
    }
}

impl RuntimeDependency {
    /// The default for crates generated outside this repository.
    pub fn registry() -> Self {
        RuntimeDependency {
            version: RUNTIME_VERSION.to_owned(),
            location: RuntimeLocation::Registry,
        }
    }

    /// A path dependency on the runtime at `path` (as Cargo reads it: from
    /// the generated crate's directory).
    pub fn path(path: impl Into<String>) -> Self {
        RuntimeDependency {
            version: RUNTIME_VERSION.to_owned(),
            location: RuntimeLocation::Path(path.into()),
        }
    }

    /// From a spec or command-line source; nothing given means the registry.
    /// Sources are validated before ([`RuntimeSource::problems`]): a
    /// `path` wins over `git`, and the first git reference over the others.
    pub fn from_source(source: Option<&RuntimeSource>) -> Self {
        let Some(source) = source else {
            return RuntimeDependency::registry();
        };
        let version = source
            .version
            .clone()
            .unwrap_or_else(|| RUNTIME_VERSION.to_owned());
        let location = if let Some(path) = &source.path {
            RuntimeLocation::Path(path.clone())
        } else if let Some(url) = &source.git {
            let reference = (source.branch.clone().map(GitReference::Branch))
                .or_else(|| source.tag.clone().map(GitReference::Tag))
                .or_else(|| source.rev.clone().map(GitReference::Rev));
            RuntimeLocation::Git {
                url: url.clone(),
                reference,
            }
        } else {
            RuntimeLocation::Registry
        };
        RuntimeDependency { version, location }
    }
}
