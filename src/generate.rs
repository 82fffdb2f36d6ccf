//! The whole pipeline for one product, in memory:
//! load -> validate -> model -> render -> format. Writing is separate
//! ([`crate::write`]) so `check` can compare without touching the disk.

use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostics;
use crate::format::{format_file, FormatError};
use crate::load::{parse_product_partial, read_spec_root, ProductFiles};
use crate::model::Options;
use crate::provenance::{self, Provenance};
use crate::render::{render_crate, RenderError, RenderedFile};
use crate::write::FileSet;

pub const ACSGEN_VERSION: &str = env!("CARGO_PKG_VERSION");

/// One generated crate, not yet written.
#[derive(Debug, Clone)]
pub struct GeneratedCrate {
    /// Directory name under the output root, the same as under `spec/`.
    pub dir_name: String,
    pub files: FileSet,
    pub provenance: Provenance,
}

#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// The spec is wrong: the user's to fix.
    #[error("{0}")]
    Spec(Diagnostics),
    /// A template produced bad output: acsgen's bug.
    #[error("internal error: {0}")]
    Render(#[from] RenderError),
    #[error("internal error: {0}")]
    Format(#[from] FormatError),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl From<Diagnostics> for GenerateError {
    fn from(diagnostics: Diagnostics) -> Self {
        GenerateError::Spec(diagnostics)
    }
}

/// Generate one product from its spec files.
pub fn generate_product(files: &ProductFiles) -> Result<GeneratedCrate, GenerateError> {
    generate_product_with(files, &Options::default())
}

pub fn generate_product_with(
    files: &ProductFiles,
    options: &Options,
) -> Result<GeneratedCrate, GenerateError> {
    let (spec, mut problems) = parse_product_partial(files);
    if let Some(spec) = &spec {
        if let Err(more) = crate::validate::validate(files, spec) {
            problems.extend(more);
        }
    }
    let spec = match spec {
        Some(spec) if problems.is_empty() => spec,
        _ => return Err(GenerateError::Spec(problems.sorted())),
    };
    let model = crate::model::build(&spec, options);
    let rendered = render_crate(&model)?;
    let formatted = format_all(rendered)?;
    let mut set: FileSet = formatted.into_iter().map(|f| (f.path, f.text)).collect();
    let provenance = Provenance {
        acsgen_version: ACSGEN_VERSION.to_owned(),
        spec_digest: provenance::spec_digest(files),
        output_digest: provenance::output_digest(&set),
    };
    set.insert(provenance::FILE_NAME.to_owned(), provenance.render());
    Ok(GeneratedCrate {
        dir_name: files.dir_name.clone(),
        files: set,
        provenance,
    })
}

/// Format on all cores; results keep their order, so output is the same
/// whatever the thread count.
fn format_all(files: Vec<RenderedFile>) -> Result<Vec<RenderedFile>, FormatError> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || files.len() < 8 {
        return files.into_iter().map(format_file).collect();
    }
    let chunk = files.len().div_ceil(threads);
    let mut chunks: Vec<Vec<RenderedFile>> = Vec::new();
    let mut files = files.into_iter().peekable();
    while files.peek().is_some() {
        chunks.push(files.by_ref().take(chunk).collect());
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                scope.spawn(move || {
                    chunk
                        .into_iter()
                        .map(format_file)
                        .collect::<Result<Vec<_>, _>>()
                })
            })
            .collect();
        let mut out = Vec::new();
        for handle in handles {
            match handle.join() {
                Ok(result) => out.extend(result?),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        Ok(out)
    })
}

/// Generate every product under `spec_root`. All spec errors of all
/// products are reported together.
pub fn generate_all(spec_root: &Path) -> Result<Vec<GeneratedCrate>, GenerateError> {
    let products = read_spec_root(spec_root)?;
    let mut crates = Vec::new();
    let mut problems = Diagnostics::default();
    for files in &products {
        match generate_product(files) {
            Ok(generated) => crates.push(generated),
            Err(GenerateError::Spec(d)) => problems.extend(d),
            Err(other) => return Err(other),
        }
    }
    problems.into_result(crates).map_err(GenerateError::Spec)
}
