//! Stage 4: the IR through askama templates (in `templates/`), giving
//! unformatted source text per output file. Templates only loop and print;
//! every decision was made in [`crate::model`].

use askama::Template;

// Templates match on `Conversion` and `SerdeAttrs` values.
use crate::model::{
    Conversion, CrateModel, OperationModel, RuntimeDependency, RuntimeLocation, SerdeAttrs,
    TypeModel,
};
// Templates print the names the generated code gives itself as `r::NAME`,
// from the same table the name allocator keeps spec names clear of.
use crate::names::reserved as r;

/// One output file before formatting: path relative to the crate directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedFile {
    pub path: String,
    pub text: String,
    /// Static, hand-formatted source (macro definitions, which prettyplease
    /// prints badly): checked by the parser but printed as written.
    pub preformatted: bool,
}

#[derive(Template)]
#[template(path = "operation.rs.askama", escape = "none")]
struct OperationFile<'a> {
    op: &'a OperationModel,
}

#[derive(Template)]
#[template(path = "client.rs.askama", escape = "none")]
struct ClientFile<'a> {
    krate: &'a CrateModel,
}

#[derive(Template)]
#[template(path = "lib.rs.askama", escape = "none")]
struct LibFile<'a> {
    krate: &'a CrateModel,
}

#[derive(Template)]
#[template(path = "operations_mod.rs.askama", escape = "none")]
struct OperationsModFile<'a> {
    krate: &'a CrateModel,
}

#[derive(Template)]
#[template(path = "types.rs.askama", escape = "none")]
struct TypesFile<'a> {
    krate: &'a CrateModel,
}

#[derive(Template)]
#[template(path = "testing.rs.askama", escape = "none")]
struct TestingFile;

#[derive(Template)]
#[template(path = "macros.rs.askama", escape = "none")]
struct MacrosFile<'a> {
    krate: &'a CrateModel,
}

#[derive(Template)]
#[template(path = "rustfmt.toml.askama", escape = "none")]
struct RustfmtFile;

#[derive(Template)]
#[template(path = "README.md.askama", escape = "none")]
struct ReadmeFile<'a> {
    krate: &'a CrateModel,
    rows: Vec<ReadmeRow<'a>>,
}

/// One operation in the README's table.
struct ReadmeRow<'a> {
    method: &'a str,
    url: &'a str,
    action: &'a str,
    /// The one-line summary; prose rendering escapes `|`, so it stays in
    /// its cell.
    summary: &'a str,
}

impl<'a> ReadmeFile<'a> {
    fn new(krate: &'a CrateModel) -> Self {
        let rows = krate
            .operations
            .iter()
            .map(|op| ReadmeRow {
                method: &op.client_method,
                url: &op.docs_url,
                action: &op.wire_name,
                summary: &op.readme_summary,
            })
            .collect();
        ReadmeFile { krate, rows }
    }
}

/// The generated crate's manifest with every value empty: comments and
/// layout live here, values are filled in by [`cargo_toml`].
const MANIFEST_SKELETON: &str = include_str!("../templates/crate-manifest.toml");

/// Longest Cargo `description` written; the product name is checked to be
/// short already, this only bounds what a caller building a model by hand
/// can put there.
pub const MAX_DESCRIPTION: usize = 200;

/// Templates are compiled in; a failure here is a bug in a template, so it
/// is reported with the file it was rendering rather than a panic.
#[derive(Debug, thiserror::Error)]
#[error("rendering {path} failed: {source}")]
pub struct RenderError {
    pub path: String,
    #[source]
    pub source: RenderFailure,
}

#[derive(Debug, thiserror::Error)]
pub enum RenderFailure {
    #[error(transparent)]
    Template(#[from] askama::Error),
    #[error("manifest skeleton: {0}")]
    Manifest(String),
}

/// `Cargo.toml`, built as a TOML document rather than text, so every value
/// from the spec (or the options) is a properly escaped string whatever it
/// holds: a quote or newline in it cannot add keys or tables.
pub fn cargo_toml(krate: &CrateModel) -> Result<RenderedFile, RenderError> {
    let failure = |message: String| RenderError {
        path: "Cargo.toml".into(),
        source: RenderFailure::Manifest(message),
    };
    let mut manifest: toml_edit::DocumentMut = MANIFEST_SKELETON
        .parse()
        .map_err(|e: toml_edit::TomlError| failure(e.to_string()))?;
    let description = one_line_clipped(&krate.description, MAX_DESCRIPTION);
    let values: [(&[&str], &str); 3] = [
        (&["package", "name"], &krate.package_name),
        (&["package", "version"], &krate.version),
        (&["package", "description"], &description),
    ];
    for (keys, text) in values {
        set_string(&mut manifest, keys, text).map_err(failure)?;
    }
    if let Some(repository) = &krate.repository {
        manifest["package"]["repository"] = toml_edit::value(repository.as_str());
    }
    let keywords = manifest["package"]["keywords"]
        .as_array_mut()
        .ok_or_else(|| failure("`package.keywords` is not an array".into()))?;
    // crates.io takes five keywords at most; the skeleton's come first.
    if let Some(keyword) = product_keyword(&krate.product_code) {
        let taken = keywords
            .iter()
            .any(|k| k.as_str() == Some(keyword.as_str()));
        if keywords.len() < 5 && !taken {
            keywords.push(keyword);
        }
    }
    let runtime = runtime_dependency(&krate.runtime);
    set_value(&mut manifest, &["dependencies", "acsgen-runtime"], runtime).map_err(failure)?;
    let text = manifest.to_string();
    Ok(RenderedFile {
        path: "Cargo.toml".into(),
        // The file has always ended without a newline; keep it byte-stable.
        text: text.trim_end_matches('\n').to_owned(),
        preformatted: false,
    })
}

/// The `acsgen-runtime = ...` value: a bare version for the registry, else
/// an inline table with the location first.
fn runtime_dependency(runtime: &RuntimeDependency) -> toml_edit::Value {
    let mut table = toml_edit::InlineTable::new();
    match &runtime.location {
        RuntimeLocation::Registry => return toml_edit::Value::from(runtime.version.as_str()),
        RuntimeLocation::Path(path) => {
            table.insert("path", path.as_str().into());
        }
        RuntimeLocation::Git { url, reference } => {
            table.insert("git", url.as_str().into());
            if let Some(reference) = reference {
                table.insert(reference.key(), reference.value().into());
            }
        }
    }
    table.insert("version", runtime.version.as_str().into());
    toml_edit::Value::InlineTable(table)
}

/// The product code as a crates.io keyword, when it is one: ASCII letters,
/// digits, `-` and `_`, starting with a letter, at most 20 characters.
fn product_keyword(code: &str) -> Option<String> {
    let keyword = code.to_ascii_lowercase();
    let valid = keyword.len() <= 20
        && keyword.starts_with(|c: char| c.is_ascii_alphabetic())
        && keyword
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    valid.then_some(keyword)
}

/// Replace the string at `keys` (which the skeleton must hold), keeping the
/// skeleton's spacing around it.
fn set_string(
    manifest: &mut toml_edit::DocumentMut,
    keys: &[&str],
    text: &str,
) -> Result<(), String> {
    set_value(manifest, keys, toml_edit::Value::from(text))
}

/// Replace the value at `keys` (which the skeleton must hold), keeping the
/// skeleton's spacing around it.
fn set_value(
    manifest: &mut toml_edit::DocumentMut,
    keys: &[&str],
    new: toml_edit::Value,
) -> Result<(), String> {
    let mut item = manifest.as_item_mut();
    for key in keys {
        item = item
            .get_mut(key)
            .ok_or_else(|| format!("no `{}`", keys.join(".")))?;
    }
    let value = item
        .as_value_mut()
        .ok_or_else(|| format!("`{}` is not a value", keys.join(".")))?;
    let decor = value.decor().clone();
    *value = new;
    *value.decor_mut() = decor;
    Ok(())
}

/// `text` on one line without control characters, at most `max` characters.
fn one_line_clipped(text: &str, max: usize) -> String {
    let line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    match line.char_indices().nth(max) {
        Some((cut, _)) => format!("{}...", line[..cut].trim_end()),
        None => line,
    }
}

fn render(path: String, template: &dyn askama::DynTemplate) -> Result<RenderedFile, RenderError> {
    match template.dyn_render() {
        Ok(text) => Ok(RenderedFile {
            path,
            text,
            preformatted: false,
        }),
        Err(source) => Err(RenderError {
            path,
            source: source.into(),
        }),
    }
}

/// Every file of the crate, sorted by path.
pub fn render_crate(krate: &CrateModel) -> Result<Vec<RenderedFile>, RenderError> {
    let mut files = vec![
        cargo_toml(krate)?,
        render("rustfmt.toml".into(), &RustfmtFile)?,
        render("README.md".into(), &ReadmeFile::new(krate))?,
        render("src/lib.rs".into(), &LibFile { krate })?,
        render("src/client.rs".into(), &ClientFile { krate })?,
        render("src/operations/mod.rs".into(), &OperationsModFile { krate })?,
        RenderedFile {
            preformatted: true,
            ..render("src/macros.rs".into(), &MacrosFile { krate })?
        },
    ];
    if krate.has_samples {
        files.push(render("src/testing.rs".into(), &TestingFile)?);
    }
    if krate.has_types_module() {
        files.push(render("src/types.rs".into(), &TypesFile { krate })?);
    }
    for op in &krate.operations {
        files.push(render_operation(op)?);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

pub fn render_operation(op: &OperationModel) -> Result<RenderedFile, RenderError> {
    render(
        format!("src/operations/{}.rs", op.module),
        &OperationFile { op },
    )
}

// Templates match on these variants.
#[allow(dead_code)]
fn _variants(t: &TypeModel) -> bool {
    matches!(
        t,
        TypeModel::Struct(_) | TypeModel::Enum(_) | TypeModel::Alias(_)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_skeleton_holds_every_value_filled_in() {
        let mut manifest: toml_edit::DocumentMut = MANIFEST_SKELETON.parse().unwrap();
        for keys in [
            &["package", "name"][..],
            &["package", "version"],
            &["package", "description"],
            &["dependencies", "acsgen-runtime"],
        ] {
            set_string(&mut manifest, keys, "v").unwrap();
        }
        assert!(set_string(&mut manifest, &["package", "homepage"], "v").is_err());
        assert!(set_string(&mut manifest, &["features"], "v").is_err());
    }

    #[test]
    fn descriptions_are_one_bounded_line() {
        assert_eq!(one_line_clipped("a\nb\u{7f}c", 10), "a b c");
        assert_eq!(one_line_clipped("abc def", 4), "abc...");
        assert_eq!(one_line_clipped(&"é".repeat(5), 5), "é".repeat(5));
    }

    #[test]
    fn rustfmt_file_is_static_toml() {
        let text = RustfmtFile.render().unwrap();
        let document: toml_edit::DocumentMut = text.parse().unwrap();
        let keys: Vec<&str> = document.iter().map(|(key, _)| key).collect();
        assert_eq!(keys, ["disable_all_formatting"]);
    }
}
