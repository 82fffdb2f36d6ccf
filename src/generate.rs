//! The whole pipeline for one product, in memory:
//! load -> validate -> model -> render -> format. Writing is separate
//! ([`crate::write`]) so `check` can compare without touching the disk.

use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostics;
use crate::exit::{Exit, Failure};
use crate::format::{format_file, input_key, recorded_key, FormatError};
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

impl Failure for GenerateError {
    fn exit(&self) -> Exit {
        match self {
            GenerateError::Spec(_) => Exit::BadInput,
            GenerateError::Render(_) | GenerateError::Format(_) => Exit::Internal,
            GenerateError::Io { .. } => Exit::Io,
        }
    }
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
    generate_product_reusing(files, options, None)
}

/// Like [`generate_product_with`], taking formatted files from `previous`
/// (the crate now on disk) when their recorded input key matches.
pub fn generate_product_reusing(
    files: &ProductFiles,
    options: &Options,
    previous: Option<&FileSet>,
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
    let mut set = FileSet::new();
    let mut to_format = Vec::with_capacity(rendered.len());
    for file in rendered {
        let reusable = previous
            .and_then(|p| p.get(&file.path))
            .filter(|old| recorded_key(old) == Some(input_key(&file.text).as_str()));
        match reusable {
            Some(old) => {
                set.insert(file.path, old.clone());
            }
            None => to_format.push(file),
        }
    }
    set.extend(format_all(to_format)?.into_iter().map(|f| (f.path, f.text)));
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

/// Reuse is only safe from a crate nobody edited by hand: its files must
/// still match the output digest in its acsgen.lock.
fn untouched_since_generated(files: &FileSet) -> bool {
    files
        .get(provenance::FILE_NAME)
        .and_then(|text| Provenance::parse(text))
        .is_some_and(|recorded| recorded.output_digest == provenance::output_digest(files))
}

/// Generate every product under `spec_root`. All spec errors of all
/// products are reported together, and any of them (an unreadable file
/// included) fails the whole run: a partly read tree must never be taken
/// for one whose operations were removed. With `reuse_from` (the output root),
/// formatted files whose input did not change are taken from disk.
pub fn generate_all(
    spec_root: &Path,
    reuse_from: Option<&Path>,
) -> Result<Vec<GeneratedCrate>, GenerateError> {
    let products = read_spec_root(spec_root)?;
    let mut crates = Vec::new();
    let mut problems = Diagnostics::default();
    for files in &products {
        let previous = match reuse_from {
            Some(out) => {
                let dir = out.join(&files.dir_name);
                let found = crate::write::read_generated(&dir)
                    .map_err(|source| GenerateError::Io { path: dir, source })?;
                Some(found).filter(untouched_since_generated)
            }
            None => None,
        };
        match generate_product_reusing(files, &Options::default(), previous.as_ref()) {
            Ok(generated) => crates.push(generated),
            Err(GenerateError::Spec(d)) => problems.extend(d),
            Err(other) => return Err(other),
        }
    }
    problems.into_result(crates).map_err(GenerateError::Spec)
}
