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

fn io_error(path: &Path, error: std::io::Error) -> Diagnostic {
    Diagnostic::new(path, "", format!("cannot read: {error}"))
}

/// Every product directory (one holding `product.yaml`) under `root`, sorted.
pub fn read_spec_root(root: &Path) -> Result<Vec<ProductFiles>, Diagnostics> {
    let entries = fs::read_dir(root).map_err(|e| io_error(root, e))?;
    let mut dirs = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| io_error(root, e))?;
        let path = entry.path();
        if path.join(PRODUCT_FILE).is_file() {
            dirs.push(path);
        }
    }
    dirs.sort();
    if dirs.is_empty() {
        return Err(Diagnostic::new(
            root,
            "",
            format!("no product found: expected <product>/{PRODUCT_FILE} below this directory"),
        )
        .into());
    }
    let mut products = Vec::new();
    let mut problems = Diagnostics::default();
    for dir in dirs {
        match read_product_dir(&dir) {
            Ok(files) => products.push(files),
            Err(e) => problems.extend(e),
        }
    }
    problems.into_result(products)
}

/// The spec files of one product directory.
pub fn read_product_dir(dir: &Path) -> Result<ProductFiles, Diagnostics> {
    let dir_name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let product_path = dir.join(PRODUCT_FILE);
    let product = fs::read_to_string(&product_path).map_err(|e| io_error(&product_path, e))?;
    let components_path = dir.join(COMPONENTS_FILE);
    let components = if components_path.is_file() {
        Some(fs::read_to_string(&components_path).map_err(|e| io_error(&components_path, e))?)
    } else {
        None
    };
    let ops_dir = dir.join(OPERATIONS_DIR);
    let mut operations = Vec::new();
    if ops_dir.is_dir() {
        for entry in fs::read_dir(&ops_dir).map_err(|e| io_error(&ops_dir, e))? {
            let entry = entry.map_err(|e| io_error(&ops_dir, e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if !name.ends_with(".yaml") {
                continue;
            }
            let path = entry.path();
            let text = fs::read_to_string(&path).map_err(|e| io_error(&path, e))?;
            operations.push((name, text));
        }
    }
    operations.sort();
    Ok(ProductFiles {
        dir_name,
        dir: dir.to_path_buf(),
        product,
        components,
        operations,
    })
}

/// Parse one YAML document, turning serde_yaml's error into a diagnostic
/// with line, column and (where serde_yaml gives one) the field path.
pub fn parse_yaml<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T, Diagnostic> {
    serde_yaml::from_str(text).map_err(|error| yaml_diagnostic(path, &error))
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
    let mut operations = Vec::with_capacity(files.operations.len());
    for (name, text) in &files.operations {
        let path = files.operation_path(name);
        match parse_yaml::<Operation>(&path, text) {
            // The file name is the operation name, so a change to one
            // operation is a change to one file and names stay unique.
            Ok(operation) if name.strip_suffix(".yaml") != Some(operation.name.as_str()) => {
                problems.push(Diagnostic::new(
                    &path,
                    "name",
                    format!(
                        "operation `{}` must be in a file named `{}.yaml`",
                        operation.name, operation.name
                    ),
                ));
            }
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

/// Read and parse one product directory.
pub fn load_product(dir: &Path) -> Result<(ProductFiles, ProductSpec), Diagnostics> {
    let files = read_product_dir(dir)?;
    let spec = parse_product(&files)?;
    Ok((files, spec))
}
