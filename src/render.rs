//! Stage 4: the IR through askama templates (in `templates/`), giving
//! unformatted source text per output file. Templates only loop and print;
//! every decision was made in [`crate::model`].

use askama::Template;

use crate::model::{CrateModel, OperationModel, TypeModel};

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
#[template(path = "Cargo.toml.askama", escape = "none")]
struct CargoFile<'a> {
    krate: &'a CrateModel,
}

/// Templates are compiled in; a failure here is a bug in a template, so it
/// is reported with the file it was rendering rather than a panic.
#[derive(Debug, thiserror::Error)]
#[error("rendering {path} failed: {source}")]
pub struct RenderError {
    pub path: String,
    #[source]
    pub source: askama::Error,
}

fn render(path: String, template: &dyn askama::DynTemplate) -> Result<RenderedFile, RenderError> {
    match template.dyn_render() {
        Ok(text) => Ok(RenderedFile {
            path,
            text,
            preformatted: false,
        }),
        Err(source) => Err(RenderError { path, source }),
    }
}

/// Every file of the crate, sorted by path.
pub fn render_crate(krate: &CrateModel) -> Result<Vec<RenderedFile>, RenderError> {
    let mut files = vec![
        render("Cargo.toml".into(), &CargoFile { krate })?,
        render("rustfmt.toml".into(), &RustfmtFile)?,
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
    if !krate.components.is_empty() {
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
