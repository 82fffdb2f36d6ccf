//! acsgen as a library for `build.rs`: one product's spec to one Rust file
//! in `OUT_DIR`, which the crate includes as a module.
//!
//! ```no_run
//! // In build.rs's `fn main`:
//! acsgen::Builder::new().spec("spec/live").generate_or_exit();
//! ```
//!
//! ```text
//! // src/lib.rs or src/main.rs: a module `live` with `live::Client`, ...
//! include!(concat!(env!("OUT_DIR"), "/live.rs"));
//! ```

use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostics;
use crate::embed::{EmbedError, EmbedOptions};
use crate::generate::GenerateError;

/// Generates one product's client as a module file (see the module docs).
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `generate` is called"]
pub struct Builder {
    spec: Option<PathBuf>,
    out_dir: Option<PathBuf>,
    module: Option<String>,
    serialize: bool,
    rerun_if_changed: bool,
}

impl Default for Builder {
    fn default() -> Self {
        Builder::new()
    }
}

/// What [`Builder::generate`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// `<out_dir>/<module>.rs`.
    pub path: PathBuf,
    /// The module the file defines.
    pub module: String,
    /// `false` when the file already held this text and was left alone.
    pub written: bool,
}

/// Why [`Builder::generate`] failed.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The spec is wrong: every problem, as `file:line:column: field: message`.
    #[error("{0}")]
    Spec(Diagnostics),
    /// Rendering or formatting failed (a bug in acsgen), or an I/O error.
    #[error("{0}")]
    Generate(GenerateError),
    /// The generated crate could not be made one module: a bug in acsgen.
    #[error("internal error: {0}")]
    Embed(#[from] EmbedError),
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The builder lacks something it needs.
    #[error("{0}")]
    Usage(String),
}

impl From<GenerateError> for BuildError {
    fn from(error: GenerateError) -> Self {
        match error {
            GenerateError::Spec(diagnostics) => BuildError::Spec(diagnostics),
            other => BuildError::Generate(other),
        }
    }
}

impl BuildError {
    /// The lines a build script prints so cargo shows this error: one
    /// `cargo:warning=` per spec problem (or one for the whole error).
    pub fn cargo_diagnostics(&self) -> Vec<String> {
        let lines: Vec<String> = match self {
            BuildError::Spec(diagnostics) => diagnostics
                .0
                .iter()
                .map(|d| format!("error: {d}"))
                .collect(),
            other => other.to_string().lines().map(str::to_owned).collect(),
        };
        // A newline would end the instruction; the rest would be lost.
        lines
            .into_iter()
            .map(|line| format!("cargo:warning={}", line.replace(['\r', '\n'], " ")))
            .collect()
    }
}

impl Builder {
    /// A builder with the defaults: output in `OUT_DIR`, module named after
    /// the product, no `serialize` items, `cargo:rerun-if-changed` printed.
    pub fn new() -> Self {
        Builder {
            spec: None,
            out_dir: None,
            module: None,
            serialize: false,
            rerun_if_changed: true,
        }
    }

    /// The product's spec directory (holding `product.yaml` and
    /// `operations/`), relative to the working directory (in a build
    /// script, the package's root).
    pub fn spec(mut self, dir: impl Into<PathBuf>) -> Self {
        self.spec = Some(dir.into());
        self
    }

    /// Where `<module>.rs` goes; the `OUT_DIR` environment variable if unset.
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// The module's name; the product code in snake case if unset.
    pub fn module(mut self, name: impl Into<String>) -> Self {
        self.module = Some(name.into());
        self
    }

    /// Whether response types implement `Serialize` and `Deserialize` (the
    /// generated crate's `serialize` feature). Off by default.
    pub fn serialize(mut self, on: bool) -> Self {
        self.serialize = on;
        self
    }

    /// Whether to print `cargo:rerun-if-changed` for the spec directory and
    /// every spec file read. On by default; turn it off outside build scripts.
    pub fn rerun_if_changed(mut self, on: bool) -> Self {
        self.rerun_if_changed = on;
        self
    }

    /// Load, validate, model, render and format the product as `acsgen
    /// generate` does, then write it as one module to `<out_dir>/<module>.rs`
    /// (atomically, and only when its text changed).
    pub fn generate(&self) -> Result<Generated, BuildError> {
        let spec = self
            .spec
            .as_deref()
            .ok_or_else(|| BuildError::Usage("acsgen::Builder: no spec directory given".into()))?;
        let out_dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or_else(|| {
                    BuildError::Usage("acsgen::Builder: OUT_DIR is not set; call `out_dir`".into())
                })?,
        };
        if let Some(name) = &self.module {
            module_name(name)?;
        }
        let read = crate::load::read_product_dir(spec);
        if self.rerun_if_changed {
            // Printed even when reading failed, so fixing the spec reruns.
            for line in rerun_lines(spec, read.as_ref().ok()) {
                println!("{line}");
            }
        }
        let files = read.map_err(BuildError::Spec)?;
        let generated = crate::generate::generate_product(&files)?;
        let module = match &self.module {
            Some(name) => name.clone(),
            None => product_module(&files)?,
        };
        let options = EmbedOptions {
            module: module.clone(),
            serialize: self.serialize,
        };
        let text = crate::embed::embed_to_string(&generated.files, &options)?;
        let path = out_dir.join(format!("{module}.rs"));
        let written = write_if_changed(&path, &text)?;
        Ok(Generated {
            path,
            module,
            written,
        })
    }

    /// [`generate`](Self::generate) for a build script: on failure, print
    /// each problem as a `cargo:warning` and exit, failing the build.
    pub fn generate_or_exit(&self) -> Generated {
        match self.generate() {
            Ok(generated) => generated,
            Err(error) => {
                for line in error.cargo_diagnostics() {
                    println!("{line}");
                }
                eprintln!("{error}");
                eprintln!("acsgen: could not generate the client; see the errors above");
                std::process::exit(1);
            }
        }
    }
}

/// `cargo:rerun-if-changed` for the spec directory (cargo also sees files
/// added anywhere below it) and every spec file there. Only paths that
/// exist: cargo reruns a build script every time for a missing one.
fn rerun_lines(dir: &Path, files: Option<&crate::load::ProductFiles>) -> Vec<String> {
    let operations = dir.join(crate::load::OPERATIONS_DIR);
    let mut paths = vec![
        dir.to_path_buf(),
        dir.join(crate::load::PRODUCT_FILE),
        dir.join(crate::load::COMPONENTS_FILE),
        operations.clone(),
    ];
    match files {
        Some(files) => paths.extend(
            files
                .operations
                .iter()
                .map(|(name, _)| files.operation_path(name)),
        ),
        // Reading failed: whatever is there, so a fix reruns the script.
        None => {
            if let Ok(entries) = std::fs::read_dir(&operations) {
                let mut found: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
                found.sort();
                paths.extend(found);
            }
        }
    }
    paths
        .iter()
        .filter(|path| path.exists())
        .map(|path| format!("cargo:rerun-if-changed={}", path.display()))
        .collect()
}

/// The product code in snake case, e.g. `live`.
fn product_module(files: &crate::load::ProductFiles) -> Result<String, BuildError> {
    let product: crate::spec::Product =
        crate::load::parse_yaml(&files.product_path(), &files.product)
            .map_err(|d| BuildError::Spec(d.into()))?;
    // The allocator's spelling: a keyword becomes `type_`, not an error.
    let name = crate::names::convert(crate::names::NameKind::Value, &product.product);
    module_name(&name).map_err(|_| {
        BuildError::Usage(format!(
            "acsgen::Builder: product `{}` is no module name; set one with `module`",
            product.product
        ))
    })?;
    Ok(name)
}

/// A module name must be a plain identifier (not a keyword, not raw: it
/// names the file too).
fn module_name(name: &str) -> Result<(), BuildError> {
    crate::embed::check_module_name(name)
        .map_err(|message| BuildError::Usage(format!("acsgen::Builder: {message}")))
}

/// Write `text` to `path` through a temporary file in the same directory,
/// unless the file already holds it (its mtime then stays, and so does
/// the includer's build). `true` when written.
fn write_if_changed(path: &Path, text: &str) -> Result<bool, BuildError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| BuildError::Io { path, source }
    };
    match std::fs::read(path) {
        Ok(old) if old == text.as_bytes() => return Ok(false),
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io(path)(e)),
    }
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let temp = dir.join(format!(
        ".{}.{}.tmp",
        name.unwrap_or_default(),
        std::process::id()
    ));
    let result = std::fs::File::create(&temp)
        .and_then(|mut file| {
            file.write_all(text.as_bytes())?;
            file.sync_all()
        })
        .and_then(|()| std::fs::rename(&temp, path));
    if let Err(source) = result {
        let _ = std::fs::remove_file(&temp);
        return Err(BuildError::Io {
            path: path.to_path_buf(),
            source,
        });
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The seed operation's spec alone, as `<root>/live`.
    fn seed_spec(root: &Path) -> PathBuf {
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("spec/live");
        let dir = root.join("live");
        std::fs::create_dir_all(dir.join("operations")).unwrap();
        std::fs::copy(from.join("product.yaml"), dir.join("product.yaml")).unwrap();
        let operation = "operations/RecoverLiveMessageDeletedGroup.yaml";
        std::fs::copy(from.join(operation), dir.join(operation)).unwrap();
        dir
    }

    fn builder(spec: &Path, out: &Path) -> Builder {
        Builder::new()
            .spec(spec)
            .out_dir(out)
            .rerun_if_changed(false)
    }

    #[test]
    fn writes_one_module_file_named_after_the_product_and_only_when_it_changed() {
        let temp = tempfile::tempdir().unwrap();
        let spec = seed_spec(temp.path());
        let out = temp.path().join("out");
        let first = builder(&spec, &out).generate().unwrap();
        assert_eq!(first.path, out.join("live.rs"));
        assert_eq!(first.module, "live");
        assert!(first.written);
        let text = std::fs::read_to_string(&first.path).unwrap();
        let file = syn::parse_file(&text).unwrap();
        assert!(matches!(&file.items[..], [syn::Item::Mod(m)] if m.ident == "live"));
        // Same spec: the file (and so the includer's build) is left alone.
        assert!(!builder(&spec, &out).generate().unwrap().written);
        // No temporary file is left beside it.
        let names: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["live.rs"]);
        let renamed = builder(&spec, &out)
            .module("live_serde")
            .serialize(true)
            .generate()
            .unwrap();
        assert_eq!(renamed.path, out.join("live_serde.rs"));
        let text = std::fs::read_to_string(&renamed.path).unwrap();
        let tokens = quote::ToTokens::to_token_stream(&syn::parse_file(&text).unwrap()).to_string();
        assert!(tokens.starts_with("pub mod live_serde {"), "{tokens}");
        assert!(tokens
            .contains("serde :: Deserialize < 'de > for RecoverLiveMessageDeletedGroupResponse"));
    }

    #[test]
    fn a_spec_error_names_file_line_and_column_and_writes_nothing() {
        let temp = tempfile::tempdir().unwrap();
        let spec = seed_spec(temp.path());
        std::fs::write(
            spec.join("operations/Broken.yaml"),
            "name: Broken\nmethod: POST\nsummary: x\nparameters: 7\n",
        )
        .unwrap();
        let out = temp.path().join("out");
        let error = builder(&spec, &out).generate().unwrap_err();
        assert!(matches!(error, BuildError::Spec(_)), "{error}");
        let path = spec.join("operations/Broken.yaml");
        let shown = format!("{}:", path.display());
        let text = error.to_string();
        let line = text
            .lines()
            .find(|line| line.contains(&shown))
            .unwrap_or_else(|| panic!("{text}"));
        // `path:line:column: ...`
        let position: Vec<&str> = line[line.find(&shown).unwrap() + shown.len()..]
            .splitn(3, ':')
            .collect();
        assert!(position[0].parse::<usize>().is_ok(), "{line}");
        assert!(position[1].parse::<usize>().is_ok(), "{line}");
        for warning in error.cargo_diagnostics() {
            assert!(warning.starts_with("cargo:warning=error: "), "{warning}");
            assert!(!warning.contains('\n'));
        }
        assert!(error.cargo_diagnostics().iter().any(|w| w.contains(&shown)));
        assert!(!out.exists());
    }

    #[test]
    fn rerun_covers_the_directory_and_every_spec_file() {
        let temp = tempfile::tempdir().unwrap();
        let spec = seed_spec(temp.path());
        let files = crate::load::read_product_dir(&spec).unwrap();
        let lines = rerun_lines(&spec, Some(&files));
        let expected = |path: PathBuf| format!("cargo:rerun-if-changed={}", path.display());
        for path in [
            spec.clone(),
            spec.join("product.yaml"),
            spec.join("operations"),
            spec.join("operations/RecoverLiveMessageDeletedGroup.yaml"),
        ] {
            assert!(lines.contains(&expected(path)), "{lines:?}");
        }
        // No components.yaml here: a missing path would rerun every build.
        assert!(!lines.iter().any(|l| l.ends_with("components.yaml")));
        // Unreadable product: still the files there, so a fix reruns.
        std::fs::remove_file(spec.join("product.yaml")).unwrap();
        let lines = rerun_lines(&spec, None);
        assert!(lines.contains(&expected(
            spec.join("operations/RecoverLiveMessageDeletedGroup.yaml")
        )));
    }

    #[test]
    fn usage_problems_are_errors() {
        let error = Builder::new().out_dir("x").generate().unwrap_err();
        assert!(error.to_string().contains("no spec directory"), "{error}");
        let temp = tempfile::tempdir().unwrap();
        let spec = seed_spec(temp.path());
        let error = builder(&spec, temp.path())
            .module("not a module")
            .generate()
            .unwrap_err();
        assert!(matches!(error, BuildError::Usage(_)), "{error}");
        for bad in ["type", "r#type", "live-v2", ""] {
            assert!(module_name(bad).is_err(), "{bad}");
        }
    }
}
