//! Loading the two sides of a diff: a directory on disk (a spec root or one
//! product directory), or the same path at a git revision, read with
//! `git ls-tree` and `git cat-file --batch` (one process for all files,
//! instead of one `git show` per file) into [`ProductFiles`].

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::exit::{Exit, Failure};
use crate::load::{
    decode_text, parse_product, read_product_dir, read_spec_root, ProductFiles, COMPONENTS_FILE,
    MAX_FILE_BYTES, OPERATIONS_DIR, PRODUCT_FILE,
};
use crate::spec::ProductSpec;

/// Why one side of a diff could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The spec does not read or parse: the diagnostics of each product.
    #[error("{}", join_lines(.0))]
    Spec(Vec<Diagnostics>),
    /// A file at the revision is not text.
    #[error("{0}")]
    Text(Diagnostic),
    #[error("{rev}:{path}: the file is {size} bytes, over the limit of {MAX_FILE_BYTES} bytes for one file")]
    TooLarge {
        rev: String,
        path: String,
        size: u64,
    },
    #[error(
        "{rev}:{path}: no product found (expected {PRODUCT_FILE} or <product>/{PRODUCT_FILE})"
    )]
    NoProduct { rev: String, path: String },
    /// Requests to `git cat-file --batch` are one per line.
    #[error("{rev}:{path:?}: a file name holds a line break")]
    LineBreak { rev: String, path: String },
    #[error("the git revision is empty")]
    EmptyRevision,
    #[error("git revision `{0}` starts with `-`: refused, it would be read as an option")]
    OptionRevision(String),
    #[error("git revision {0:?} holds a newline or NUL")]
    ControlInRevision(String),
    #[error("git revision `{rev}` is not a commit in the repository at {}", .top.display())]
    NotACommit { rev: String, top: PathBuf },
    #[error("git revision `{rev}` is not a commit (git answered {id:?})")]
    OddCommitId { rev: String, id: String },
    /// The path is in no git repository (git's own words).
    #[error("git {args} failed: {stderr}")]
    NoRepository { args: String, stderr: String },
    #[error("{} is not inside the git repository at {}", .path.display(), .top.display())]
    OutsideRepository { path: PathBuf, top: PathBuf },
    #[error("no current directory: {0}")]
    NoCurrentDir(#[source] std::io::Error),
    #[error("cannot run git: {0}")]
    Spawn(#[source] std::io::Error),
    #[error("git {args} failed: {stderr}")]
    Git { args: String, stderr: String },
    #[error("reading git output: {0}")]
    ReadGit(#[source] std::io::Error),
    #[error("writing to git: {0}")]
    WriteGit(#[source] std::io::Error),
    #[error("waiting for git: {0}")]
    WaitGit(#[source] std::io::Error),
    #[error("git cannot read {rev}:{path}: {header}")]
    Unreadable {
        rev: String,
        path: String,
        header: String,
    },
    #[error("git cat-file failed at {0}")]
    CatFile(String),
    /// Stdio::piped() always gives a pipe; not having one is acsgen's bug.
    #[error("git was started without its pipes")]
    NoPipe,
    #[error("git writer thread panicked")]
    WriterPanicked,
}

fn join_lines(all: &[Diagnostics]) -> String {
    all.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

impl Failure for SourceError {
    fn exit(&self) -> Exit {
        use SourceError::*;
        match self {
            Spec(_)
            | Text(_)
            | TooLarge { .. }
            | NoProduct { .. }
            | LineBreak { .. }
            | EmptyRevision
            | OptionRevision(_)
            | ControlInRevision(_)
            | NotACommit { .. }
            | OddCommitId { .. }
            | NoRepository { .. }
            | OutsideRepository { .. } => Exit::BadInput,
            NoCurrentDir(_)
            | Spawn(_)
            | Git { .. }
            | ReadGit(_)
            | WriteGit(_)
            | WaitGit(_)
            | Unreadable { .. }
            | CatFile(_) => Exit::Io,
            NoPipe | WriterPanicked => Exit::Internal,
        }
    }
}

/// One side of a diff, parsed.
#[derive(Debug, Clone)]
pub struct Side {
    /// Products, sorted by directory name.
    pub products: Vec<ProductSpec>,
    /// The path named one product directory rather than a spec root.
    pub single: bool,
    /// Where it came from, for the report, e.g. `HEAD:spec`.
    pub label: String,
}

fn parse_all(files: &[ProductFiles]) -> Result<Vec<ProductSpec>, SourceError> {
    let mut products = Vec::new();
    let mut errors = Vec::new();
    for product in files {
        match parse_product(product) {
            Ok(spec) => products.push(spec),
            Err(diagnostics) => errors.push(diagnostics),
        }
    }
    if errors.is_empty() {
        Ok(products)
    } else {
        Err(SourceError::Spec(errors))
    }
}

/// A spec root (holding `<product>/product.yaml`) or one product directory.
pub fn load_dir(path: &Path) -> Result<Side, SourceError> {
    // Anything named product.yaml makes this a product directory; an
    // unreadable one is then an error instead of a silently different tree.
    let single = std::fs::symlink_metadata(path.join(PRODUCT_FILE)).is_ok();
    let files = if single {
        vec![read_product_dir(path).map_err(|d| SourceError::Spec(vec![d]))?]
    } else {
        read_spec_root(path).map_err(|d| SourceError::Spec(vec![d]))?
    };
    Ok(Side {
        products: parse_all(&files)?,
        single,
        label: path.display().to_string(),
    })
}

fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, SourceError> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(SourceError::Spawn)?;
    if !output.status.success() {
        return Err(SourceError::Git {
            args: args.join(" "),
            stderr: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        });
    }
    Ok(output.stdout)
}

fn git_line(dir: &Path, args: &[&str]) -> Result<String, SourceError> {
    let out = git(dir, args)?;
    Ok(String::from_utf8_lossy(&out)
        .trim_end_matches('\n')
        .to_owned())
}

/// `path` joined lexically, without `.` and with `..` applied.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The repository top level and `path` relative to it, `/`-separated.
fn locate(path: &Path) -> Result<(PathBuf, String), SourceError> {
    let cwd = std::env::current_dir().map_err(SourceError::NoCurrentDir)?;
    // Ask git from the directory itself when it exists, so a path into
    // another repository works; a path deleted since REV is taken relative
    // to the current directory.
    let (probe, target) = match path.canonicalize() {
        Ok(canonical) if canonical.is_dir() => (canonical.clone(), canonical),
        _ => (cwd.clone(), normalize(&cwd.join(path))),
    };
    // git runs but fails here when the path is in no repository: the
    // user's to fix, unlike a git that cannot run.
    let top = git_line(&probe, &["rev-parse", "--show-toplevel"]).map_err(|e| match e {
        SourceError::Git { args, stderr } => SourceError::NoRepository { args, stderr },
        other => other,
    })?;
    let top = PathBuf::from(top);
    let top = top.canonicalize().unwrap_or(top);
    let relative = target
        .strip_prefix(&top)
        .map_err(|_| SourceError::OutsideRepository {
            path: path.to_path_buf(),
            top: top.clone(),
        })?;
    let relative = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/");
    Ok((top, relative))
}

/// Read many blobs with one `git cat-file --batch`.
/// `commit` is the object id asked for, `rev` what the user wrote (for messages).
fn read_blobs(
    top: &Path,
    commit: &str,
    rev: &str,
    paths: &[String],
) -> Result<Vec<String>, SourceError> {
    let mut child = Command::new("git")
        .arg("-C")
        .arg(top)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(SourceError::Spawn)?;
    let (Some(mut stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(SourceError::NoPipe);
    };
    let requests: String = paths.iter().map(|p| format!("{commit}:{p}\n")).collect();
    // Written from another thread: git answers while it reads, and both
    // pipes can fill up.
    let writer = std::thread::spawn(move || stdin.write_all(requests.as_bytes()));
    let reader = BufReader::new(stdout);
    let texts = match read_batch(reader, rev, paths) {
        Ok(texts) => texts,
        Err(e) => {
            // Stop git so the writer thread and the process both end.
            let _ = child.kill();
            let _ = child.wait();
            let _ = writer.join();
            return Err(e);
        }
    };
    writer
        .join()
        .map_err(|_| SourceError::WriterPanicked)?
        .map_err(SourceError::WriteGit)?;
    let status = child.wait().map_err(SourceError::WaitGit)?;
    if !status.success() {
        return Err(SourceError::CatFile(rev.to_owned()));
    }
    Ok(texts)
}

/// Parse `git cat-file --batch` output: a header line, then the blob and a newline.
fn read_batch(
    mut reader: impl BufRead,
    rev: &str,
    paths: &[String],
) -> Result<Vec<String>, SourceError> {
    let mut texts = Vec::with_capacity(paths.len());
    for path in paths {
        let mut header = String::new();
        reader
            .read_line(&mut header)
            .map_err(SourceError::ReadGit)?;
        let fields: Vec<&str> = header.split_whitespace().collect();
        let size = match fields.as_slice() {
            [_, "blob", size] => size.parse::<usize>().ok(),
            _ => None,
        }
        .ok_or_else(|| SourceError::Unreadable {
            rev: rev.to_owned(),
            path: path.clone(),
            header: header.trim().to_owned(),
        })?;
        if size as u64 > MAX_FILE_BYTES {
            return Err(SourceError::TooLarge {
                rev: rev.to_owned(),
                path: path.clone(),
                size: size as u64,
            });
        }
        let mut body = vec![0; size + 1];
        reader.read_exact(&mut body).map_err(SourceError::ReadGit)?;
        body.pop();
        let label = PathBuf::from(format!("{rev}:{path}"));
        texts.push(decode_text(&label, body).map_err(SourceError::Text)?);
    }
    Ok(texts)
}

/// Where each file of one product is in the batch read.
struct Blobs {
    product: usize,
    components: Option<usize>,
    /// `(file name, index)`, sorted by file name.
    operations: Vec<(String, usize)>,
}

/// The commit `rev` names, as a full object id. A revision starting with
/// `-` is refused outright, and git is told where options end, so no
/// revision can ever be read as an option.
pub fn resolve_commit(top: &Path, rev: &str) -> Result<String, SourceError> {
    check_rev(rev)?;
    let spec = format!("{rev}^{{commit}}");
    let id = git_line(
        top,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            &spec,
        ],
    )
    .map_err(|e| match e {
        SourceError::Git { .. } => SourceError::NotACommit {
            rev: rev.to_owned(),
            top: top.to_path_buf(),
        },
        other => other,
    })?;
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(SourceError::OddCommitId {
            rev: rev.to_owned(),
            id,
        });
    }
    Ok(id)
}

/// A revision acsgen will hand to git at all.
fn check_rev(rev: &str) -> Result<(), SourceError> {
    if rev.is_empty() {
        return Err(SourceError::EmptyRevision);
    }
    if rev.starts_with('-') {
        return Err(SourceError::OptionRevision(rev.to_owned()));
    }
    if rev.contains(['\n', '\0']) {
        return Err(SourceError::ControlInRevision(rev.to_owned()));
    }
    Ok(())
}

/// `path` (a spec root or one product directory in the working tree's
/// repository) as it was at git revision `rev`.
pub fn load_git(rev: &str, path: &Path) -> Result<Side, SourceError> {
    // Before anything else, so a bad revision is refused in any directory.
    check_rev(rev)?;
    let (top, relative) = locate(path)?;
    // From here on git sees only the object id, never the user's text.
    let commit = resolve_commit(&top, rev)?;
    let prefix = if relative.is_empty() {
        String::new()
    } else {
        format!("{relative}/")
    };
    let mut args = vec!["ls-tree", "-r", "-z", "--name-only", commit.as_str()];
    if !relative.is_empty() {
        args.extend(["--", relative.as_str()]);
    }
    let listing = git(&top, &args)?;
    let listing = String::from_utf8_lossy(&listing);
    let files: Vec<&str> = listing
        .split('\0')
        .filter_map(|f| f.strip_prefix(prefix.as_str()))
        .collect();

    // Product directories relative to `path`: "" when `path` is one.
    let single = files.contains(&PRODUCT_FILE);
    let dirs: Vec<&str> = if single {
        vec![""]
    } else {
        files
            .iter()
            .filter_map(|f| f.strip_suffix(PRODUCT_FILE)?.strip_suffix('/'))
            .filter(|d| !d.contains('/'))
            .collect()
    };
    if dirs.is_empty() {
        return Err(SourceError::NoProduct {
            rev: rev.to_owned(),
            path: relative,
        });
    }

    // Which blob belongs where, then one batch read for all of them.
    let mut wanted: Vec<String> = Vec::new();
    let mut layout: BTreeMap<&str, Blobs> = BTreeMap::new();
    let mut want = |file: String| {
        wanted.push(format!("{prefix}{file}"));
        wanted.len() - 1
    };
    for dir in &dirs {
        let base = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        let product = want(format!("{base}{PRODUCT_FILE}"));
        let components = files
            .contains(&format!("{base}{COMPONENTS_FILE}").as_str())
            .then(|| want(format!("{base}{COMPONENTS_FILE}")));
        let ops_prefix = format!("{base}{OPERATIONS_DIR}/");
        let mut operations = Vec::new();
        for file in &files {
            if let Some(name) = file.strip_prefix(ops_prefix.as_str()) {
                if name.ends_with(".yaml") && !name.contains('/') {
                    operations.push((name.to_owned(), want((*file).to_owned())));
                }
            }
        }
        operations.sort();
        layout.insert(
            dir,
            Blobs {
                product,
                components,
                operations,
            },
        );
    }
    // One request per line: a name with a newline would misalign the answers.
    if let Some(odd) = wanted.iter().find(|p| p.contains(['\n', '\r'])) {
        return Err(SourceError::LineBreak {
            rev: rev.to_owned(),
            path: odd.clone(),
        });
    }
    let texts = read_blobs(&top, &commit, rev, &wanted)?;

    let dir_label = |dir: &str| {
        let full = [relative.as_str(), dir]
            .iter()
            .filter(|p| !p.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("/");
        PathBuf::from(format!("{rev}:{full}"))
    };
    let path_name = Path::new(&relative)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let product_files: Vec<ProductFiles> = layout
        .into_iter()
        .map(|(dir, blobs)| ProductFiles {
            dir_name: if dir.is_empty() {
                path_name.clone()
            } else {
                dir.to_owned()
            },
            dir: dir_label(dir),
            product: texts[blobs.product].clone(),
            components: blobs.components.map(|i| texts[i].clone()),
            operations: blobs
                .operations
                .into_iter()
                .map(|(name, i)| (name, texts[i].clone()))
                .collect(),
        })
        .collect();
    Ok(Side {
        products: parse_all(&product_files)?,
        single,
        label: format!("{rev}:{relative}"),
    })
}
