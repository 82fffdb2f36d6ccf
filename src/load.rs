//! Stage 1: read spec files and parse them into [`crate::spec`] types.
//!
//! Reading (files to text) is separate from parsing (text to types) so the
//! same parser serves a directory on disk and a git revision (`acsgen diff`).
//! Syntax and type errors carry file, line and column; every file is parsed
//! even after one fails, so a run reports all of them.

use std::fs;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::spec::{Components, Operation, Product, ProductSpec};

pub const PRODUCT_FILE: &str = "product.yaml";
pub const COMPONENTS_FILE: &str = "components.yaml";
pub const OPERATIONS_DIR: &str = "operations";

/// The text of one product's spec files, with the paths used in diagnostics.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProductFiles {
    /// Directory name under the spec root, e.g. `live`.
    pub dir_name: String,
    /// Path shown for this product's directory, e.g. `spec/live`.
    pub dir: PathBuf,
    pub product: String,
    pub components: Option<String>,
    /// `(file name, text)` of each `operations/*.yaml`, sorted by file name.
    pub operations: Vec<(String, String)>,
}

impl ProductFiles {
    pub fn product_path(&self) -> PathBuf {
        self.dir.join(PRODUCT_FILE)
    }

    pub fn components_path(&self) -> PathBuf {
        self.dir.join(COMPONENTS_FILE)
    }

    pub fn operation_path(&self, file_name: &str) -> PathBuf {
        self.dir.join(OPERATIONS_DIR).join(file_name)
    }
}

/// Largest file acsgen reads. Real spec files are kilobytes and metadata a
/// few megabytes; the limit only stops a device or runaway file from
/// exhausting memory.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Why a file could not be read. Displayed without the path: callers put
/// it in their own error, which names the file.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// Nothing at the path (not even a dangling symlink).
    #[error("cannot read: no such file")]
    Missing,
    /// A directory, FIFO, device or socket.
    #[error("cannot read: is {0}, not a regular file")]
    NotAFile(&'static str),
    /// `size` is the size found, at least `limit + 1`.
    #[error(
        "cannot read: the file is {size} bytes or more, over the limit of {limit} bytes ({} MiB) for one file",
        .limit / (1024 * 1024)
    )]
    TooLarge { size: u64, limit: u64 },
    #[error("cannot read: {0}")]
    Io(#[source] std::io::Error),
}

impl From<FileError> for std::io::Error {
    fn from(error: FileError) -> Self {
        use std::io::ErrorKind;
        let kind = match &error {
            FileError::Io(e) => return std::io::Error::new(e.kind(), error.to_string()),
            FileError::Missing => ErrorKind::NotFound,
            FileError::NotAFile(_) | FileError::TooLarge { .. } => ErrorKind::InvalidInput,
        };
        std::io::Error::new(kind, error.to_string())
    }
}

/// What a file type is, when it is not a regular file.
fn non_file_kind(file_type: &fs::FileType) -> Option<&'static str> {
    if file_type.is_file() {
        return None;
    }
    if file_type.is_dir() {
        return Some("a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if file_type.is_char_device() {
            return Some("a character device");
        }
        if file_type.is_block_device() {
            return Some("a block device");
        }
        if file_type.is_socket() {
            return Some("a socket");
        }
    }
    Some("not a regular file")
}

/// Open for reading without ever blocking: a FIFO swapped in after the
/// type check would otherwise wait for a writer forever.
fn open_nonblocking(path: &Path) -> std::io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    options.open(path)
}

/// The bytes of a regular file (symlinks followed), at most `limit` of them.
/// FIFOs, devices and directories are refused before they are opened.
pub fn read_bytes(path: &Path, limit: u64) -> Result<Vec<u8>, FileError> {
    use std::io::Read;
    // Missing only when nothing is there: a dangling symlink is an error.
    if let Err(e) = fs::symlink_metadata(path) {
        return Err(match e.kind() {
            std::io::ErrorKind::NotFound => FileError::Missing,
            _ => FileError::Io(e),
        });
    }
    let meta = fs::metadata(path).map_err(FileError::Io)?;
    if let Some(kind) = non_file_kind(&meta.file_type()) {
        return Err(FileError::NotAFile(kind));
    }
    if meta.len() > limit {
        return Err(FileError::TooLarge {
            size: meta.len(),
            limit,
        });
    }
    let file = open_nonblocking(path).map_err(FileError::Io)?;
    // Checked again on the open file: the path may have changed meanwhile.
    let meta = file.metadata().map_err(FileError::Io)?;
    if let Some(kind) = non_file_kind(&meta.file_type()) {
        return Err(FileError::NotAFile(kind));
    }
    let mut bytes = Vec::with_capacity(meta.len().min(limit) as usize);
    // limit + 1 so a file that grew (or lies about its size, like /proc)
    // is seen to be too large instead of silently cut.
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(FileError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(FileError::TooLarge {
            size: (bytes.len() as u64).max(meta.len()),
            limit,
        });
    }
    Ok(bytes)
}

/// Text from a file's bytes: a UTF-8 byte-order mark is dropped; anything
/// but UTF-8 is an error giving the byte offset, line and column.
pub fn decode_text(path: &Path, mut bytes: Vec<u8>) -> Result<String, Diagnostic> {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Diagnostic::new(
            path,
            "",
            "is UTF-16 text (it starts with a UTF-16 byte-order mark): save it as UTF-8",
        ));
    }
    let skipped = if bytes.starts_with(BOM) {
        bytes.drain(..BOM.len());
        BOM.len()
    } else {
        0
    };
    String::from_utf8(bytes).map_err(|error| {
        let valid = error.utf8_error().valid_up_to();
        let bytes = error.as_bytes();
        let before = &bytes[..valid];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        // Column in characters, as serde_yaml counts them.
        let column = String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count()
            + 1;
        let byte = bytes.get(valid).copied().unwrap_or_default();
        Diagnostic::new(
            path,
            "",
            format!(
                "is not UTF-8 text: invalid byte 0x{byte:02x} at byte offset {}",
                valid + skipped
            ),
        )
        .at(line, column)
    })
}

fn file_diagnostic(path: &Path, error: &FileError) -> Diagnostic {
    Diagnostic::new(path, "", error.to_string())
}

/// A spec file as text: a regular file within [`MAX_FILE_BYTES`], in UTF-8.
pub fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let bytes = read_bytes(path, MAX_FILE_BYTES).map_err(|e| file_diagnostic(path, &e))?;
    decode_text(path, bytes)
}

/// Like [`read_text`], `None` when nothing is at `path`.
fn read_optional_text(path: &Path) -> Result<Option<String>, Diagnostic> {
    match read_bytes(path, MAX_FILE_BYTES) {
        Ok(bytes) => decode_text(path, bytes).map(Some),
        Err(FileError::Missing) => Ok(None),
        Err(e) => Err(file_diagnostic(path, &e)),
    }
}

fn io_error(path: &Path, error: std::io::Error) -> Diagnostic {
    Diagnostic::new(path, "", format!("cannot read: {error}"))
}

/// Whether something (a file, directory or symlink, even a dangling one)
/// is at `path`; errors other than "not found" are reported.
fn exists(path: &Path) -> Result<bool, Diagnostic> {
    match fs::symlink_metadata(path) {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(io_error(path, e)),
    }
}

/// Every product directory (one holding `product.yaml`) under `root`, sorted.
/// A directory whose `product.yaml` is there but unreadable is an error,
/// never skipped: a product that silently vanished would look removed.
pub fn read_spec_root(root: &Path) -> Result<Vec<ProductFiles>, Diagnostics> {
    let (dirs, mut problems) = list_spec_root(root)?;
    let mut products = Vec::new();
    for dir in dirs {
        match read_product_dir(&dir) {
            Ok(files) => products.push(files),
            Err(e) => problems.extend(e),
        }
    }
    problems.into_result(products)
}

/// The product directories under `root`, sorted, and the entries that may
/// be products but could not be looked at (which must fail the run, after
/// the readable products were read for their own problems). `Err` when
/// `root` itself is unusable or holds no product at all.
pub fn list_spec_root(root: &Path) -> Result<(Vec<PathBuf>, Diagnostics), Diagnostics> {
    match fs::metadata(root) {
        Ok(meta) if meta.is_dir() => {}
        Ok(_) => {
            return Err(Diagnostic::new(root, "", "cannot read: not a directory").into());
        }
        Err(e) => return Err(io_error(root, e).into()),
    }
    let entries = fs::read_dir(root).map_err(|e| io_error(root, e))?;
    let mut dirs = Vec::new();
    let mut problems = Diagnostics::default();
    for entry in entries {
        let entry = entry.map_err(|e| io_error(root, e))?;
        let path = entry.path();
        // Hidden entries (.git, staging directories) are never products.
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        match fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => {}
            // README.md, schema.json and the like.
            Ok(_) => continue,
            // A dangling symlink or a loop may be a product: say so.
            Err(e) => {
                problems.push(io_error(&path, e));
                continue;
            }
        }
        match exists(&path.join(PRODUCT_FILE)) {
            Ok(true) => dirs.push(path),
            Ok(false) => {}
            Err(d) => problems.push(d),
        }
    }
    dirs.sort();
    if dirs.is_empty() && problems.is_empty() {
        return Err(Diagnostic::new(
            root,
            "",
            format!("no product found: expected <product>/{PRODUCT_FILE} below this directory"),
        )
        .into());
    }
    Ok((dirs, problems))
}

/// The spec files of one product directory. Every file that cannot be read
/// is reported; any one of them fails the whole directory, so a partial
/// product is never taken for a smaller one.
pub fn read_product_dir(dir: &Path) -> Result<ProductFiles, Diagnostics> {
    let mut problems = Diagnostics::default();
    let dir_name = match dir.file_name().map(|n| n.to_str()) {
        Some(Some(name)) => name.to_owned(),
        Some(None) => {
            problems.push(Diagnostic::new(
                dir,
                "",
                "the directory name is not valid UTF-8",
            ));
            String::new()
        }
        None => String::new(),
    };
    let product_path = dir.join(PRODUCT_FILE);
    let product = read_text(&product_path).unwrap_or_else(|d| {
        problems.push(d);
        String::new()
    });
    let components = read_optional_text(&dir.join(COMPONENTS_FILE)).unwrap_or_else(|d| {
        problems.push(d);
        None
    });
    let ops_dir = dir.join(OPERATIONS_DIR);
    let mut operations = Vec::new();
    match exists(&ops_dir) {
        Ok(false) => {}
        Ok(true) => match read_operations(&ops_dir, &mut problems) {
            Ok(found) => operations = found,
            Err(d) => problems.push(d),
        },
        Err(d) => problems.push(d),
    }
    operations.sort();
    problems.into_result(ProductFiles {
        dir_name,
        dir: dir.to_path_buf(),
        product,
        components,
        operations,
    })
}

/// `(file name, text)` of each `*.yaml` in `ops_dir`; per-file problems
/// go to `problems`, an unreadable directory is the error.
fn read_operations(
    ops_dir: &Path,
    problems: &mut Diagnostics,
) -> Result<Vec<(String, String)>, Diagnostic> {
    match fs::metadata(ops_dir) {
        Ok(meta) if meta.is_dir() => {}
        Ok(meta) => {
            let kind = non_file_kind(&meta.file_type()).unwrap_or("a file");
            return Err(Diagnostic::new(
                ops_dir,
                "",
                format!("cannot read: is {kind}, not a directory"),
            ));
        }
        Err(e) => return Err(io_error(ops_dir, e)),
    }
    let mut operations = Vec::new();
    for entry in fs::read_dir(ops_dir).map_err(|e| io_error(ops_dir, e))? {
        let entry = entry.map_err(|e| io_error(ops_dir, e))?;
        let path = entry.path();
        let file_name = entry.file_name();
        let Some(name) = file_name.to_str() else {
            if file_name.to_string_lossy().ends_with(".yaml") {
                problems.push(Diagnostic::new(
                    &path,
                    "",
                    "the file name is not valid UTF-8",
                ));
            }
            continue;
        };
        if !name.ends_with(".yaml") {
            continue;
        }
        match read_text(&path) {
            Ok(text) => operations.push((name.to_owned(), text)),
            Err(d) => problems.push(d),
        }
    }
    Ok(operations)
}

/// Parse one YAML document, turning serde_yaml's error into a diagnostic
/// with line, column and (where serde_yaml gives one) the field path.
/// A leading byte-order mark is ignored (editors on Windows add one).
/// A document whose aliases expand far beyond its own size (a "billion
/// laughs" file) is refused before it is built.
pub fn parse_yaml<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    check_flow_depth(path, text)?;
    if may_hold_alias(text) {
        check_alias_expansion(path, text)?;
    }
    serde_yaml::from_str(text).map_err(|error| yaml_diagnostic(path, &error))
}

/// Deepest bracket nesting accepted. serde_yaml refuses more than 128
/// levels anyway, but only after libyaml has scanned the whole file, which
/// takes time proportional to tokens times flow depth (minutes for a few
/// hundred kilobytes of `[`).
const MAX_FLOW_DEPTH: usize = 200;

/// Refuse text whose `[`/`{` nest deeper than [`MAX_FLOW_DEPTH`]. Brackets
/// inside quoted or block scalars count too: over-approximate, but no real
/// spec has hundreds of unclosed brackets in its prose.
fn check_flow_depth(path: &Path, text: &str) -> Result<(), Diagnostic> {
    let mut depth = 0usize;
    let (mut line, mut line_start) = (1, 0);
    for (i, byte) in text.bytes().enumerate() {
        match byte {
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    let column = text[line_start..i].chars().count() + 1;
                    return Err(Diagnostic::new(
                        path,
                        "",
                        format!(
                            "brackets nest more than {MAX_FLOW_DEPTH} levels deep: refused (no spec needs that)"
                        ),
                    )
                    .at(line, column));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'\n' => {
                line += 1;
                line_start = i + 1;
            }
            _ => {}
        }
    }
    Ok(())
}

/// Whether `text` may hold a YAML alias (`*name` where a node can start).
/// Over-approximate: a false positive only costs the check below.
fn may_hold_alias(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.windows(2).enumerate().any(|(i, pair)| {
        pair[0] == b'*'
            && !pair[1].is_ascii_whitespace()
            && !b",[]{}*".contains(&pair[1])
            && (i == 0 || b" \t\r\n[{,:-?".contains(&bytes[i - 1]))
    })
}

/// serde_yaml replays an alias's node at every use, bounded only loosely
/// (100 replays per event), so a small file can expand to gigabytes. Walk
/// the document once, counting expanded nodes and scalar bytes, and stop
/// as soon as it exceeds what any alias-free file of its size could hold.
fn check_alias_expansion(path: &Path, text: &str) -> Result<(), Diagnostic> {
    use serde::de::DeserializeSeed;
    let mut budget = Budget {
        nodes: 0,
        bytes: 0,
        max_nodes: 2 * text.len() + 10_000,
        max_bytes: 2 * text.len() + (1 << 20),
        exceeded: false,
    };
    let deserializer = serde_yaml::Deserializer::from_str(text);
    match Counter(&mut budget).deserialize(deserializer) {
        Err(error) if budget.exceeded => Err(yaml_diagnostic(path, &error)),
        // Other errors are the real parse's to report, with better context.
        _ => Ok(()),
    }
}

struct Budget {
    nodes: usize,
    bytes: usize,
    max_nodes: usize,
    max_bytes: usize,
    exceeded: bool,
}

impl Budget {
    fn take<E: serde::de::Error>(&mut self, bytes: usize) -> Result<(), E> {
        self.nodes += 1;
        self.bytes = self.bytes.saturating_add(bytes);
        if self.nodes > self.max_nodes || self.bytes > self.max_bytes {
            self.exceeded = true;
            return Err(E::custom(format!(
                "aliases expand this document beyond {} nodes or {} bytes, more than its text could hold without them (a YAML alias bomb?)",
                self.max_nodes, self.max_bytes
            )));
        }
        Ok(())
    }
}

/// Visits any YAML node, charging it to the budget.
struct Counter<'a>(&'a mut Budget);

impl<'de> serde::de::DeserializeSeed<'de> for Counter<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Counter<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        self.0.take(1)
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
        self.0.take(8)
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<(), E> {
        self.0.take(8)
    }
    fn visit_i128<E: serde::de::Error>(self, _: i128) -> Result<(), E> {
        self.0.take(16)
    }
    fn visit_u128<E: serde::de::Error>(self, _: u128) -> Result<(), E> {
        self.0.take(16)
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
        self.0.take(8)
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<(), E> {
        self.0.take(v.len())
    }
    fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<(), E> {
        self.0.take(v.len())
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        self.0.take(1)
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<(), E> {
        self.0.take(1)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        self.0.take::<D::Error>(1)?;
        serde::de::DeserializeSeed::deserialize(Counter(self.0), d)
    }
    fn visit_newtype_struct<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        self.0.take::<D::Error>(1)?;
        serde::de::DeserializeSeed::deserialize(Counter(self.0), d)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.0.take::<A::Error>(1)?;
        while seq.next_element_seed(Counter(&mut *self.0))?.is_some() {}
        Ok(())
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.0.take::<A::Error>(1)?;
        while map.next_key_seed(Counter(&mut *self.0))?.is_some() {
            map.next_value_seed(Counter(&mut *self.0))?;
        }
        Ok(())
    }
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        use serde::de::VariantAccess;
        self.0.take::<A::Error>(1)?;
        let ((), variant) = data.variant_seed(Counter(&mut *self.0))?;
        variant.newtype_variant_seed(Counter(&mut *self.0))
    }
}

fn yaml_diagnostic(path: &Path, error: &serde_yaml::Error) -> Diagnostic {
    let mut message = error.to_string();
    // serde_yaml appends " at line L column C"; we print position ourselves.
    if let Some(cut) = message.find(" at line ") {
        message.truncate(cut);
    }
    let (field, message) = match message.split_once(": ") {
        // serde_yaml prefixes the field path, e.g. "parameters[0].schema: unknown field".
        Some((field, rest)) if !field.contains(' ') => (field.to_owned(), rest.to_owned()),
        _ => (String::new(), message),
    };
    let diagnostic = Diagnostic::new(path, field, message);
    match error.location() {
        Some(location) => diagnostic.at(location.line(), location.column()),
        None => diagnostic,
    }
}

/// Parse a product's files. Reports every file that fails, not just the first.
pub fn parse_product(files: &ProductFiles) -> Result<ProductSpec, Diagnostics> {
    match parse_product_partial(files) {
        (Some(spec), problems) if problems.is_empty() => Ok(spec),
        (_, problems) => Err(problems.sorted()),
    }
}

/// Parse what parses: the spec holds every operation that could be read (so
/// the validator can still check them) and the diagnostics every file that
/// could not. `None` when product.yaml itself is unreadable.
pub fn parse_product_partial(files: &ProductFiles) -> (Option<ProductSpec>, Diagnostics) {
    parse_product_partial_on(files, 1)
}

/// Operation files parsed per thread, at least: below this a thread costs
/// more than it saves.
const FILES_PER_THREAD: usize = 32;

/// [`parse_product_partial`] with the operation files split over up to
/// `threads` threads; the result is the same.
pub fn parse_product_partial_on(
    files: &ProductFiles,
    threads: usize,
) -> (Option<ProductSpec>, Diagnostics) {
    let mut problems = Diagnostics::default();
    let product: Option<Product> = match parse_yaml(&files.product_path(), &files.product) {
        Ok(product) => Some(product),
        Err(d) => {
            problems.push(d);
            None
        }
    };
    let components = match &files.components {
        Some(text) => match parse_yaml::<Components>(&files.components_path(), text) {
            Ok(components) => components,
            Err(d) => {
                problems.push(d);
                Components::default()
            }
        },
        None => Components::default(),
    };
    let threads = threads
        .min(files.operations.len() / FILES_PER_THREAD)
        .max(1);
    let chunk = files.operations.len().div_ceil(threads).max(1);
    let parsed: Vec<Result<Operation, Diagnostic>> = if threads == 1 {
        files
            .operations
            .iter()
            .map(|(name, text)| parse_operation(files, name, text))
            .collect()
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = files
                .operations
                .chunks(chunk)
                .map(|part| {
                    scope.spawn(move || {
                        part.iter()
                            .map(|(name, text)| parse_operation(files, name, text))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|handle| match handle.join() {
                    Ok(part) => part,
                    Err(panic) => std::panic::resume_unwind(panic),
                })
                .collect()
        })
    };
    let mut operations = Vec::with_capacity(files.operations.len());
    for result in parsed {
        match result {
            Ok(operation) => operations.push(operation),
            Err(d) => problems.push(d),
        }
    }
    operations.sort_by(|a, b| a.name.cmp(&b.name));
    let spec = product.map(|product| ProductSpec {
        dir_name: files.dir_name.clone(),
        product,
        components,
        operations,
    });
    (spec, problems)
}

/// One operation file, which must be named after its operation.
fn parse_operation(files: &ProductFiles, name: &str, text: &str) -> Result<Operation, Diagnostic> {
    let path = files.operation_path(name);
    let operation = parse_yaml::<Operation>(&path, text)?;
    // The file name is the operation name, so a change to one
    // operation is a change to one file and names stay unique.
    if name.strip_suffix(".yaml") != Some(operation.name.as_str()) {
        return Err(Diagnostic::new(
            &path,
            "name",
            format!(
                "operation `{}` must be in a file named `{}.yaml`",
                operation.name, operation.name
            ),
        ));
    }
    Ok(operation)
}

/// Read and parse one product directory.
pub fn load_product(dir: &Path) -> Result<(ProductFiles, ProductSpec), Diagnostics> {
    let files = read_product_dir(dir)?;
    let spec = parse_product(&files)?;
    Ok((files, spec))
}
