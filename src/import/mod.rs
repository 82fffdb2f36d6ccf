//! `acsgen import`: Alibaba's api-docs.json metadata to spec files.
//!
//! [`convert`] is the whole translation in memory: metadata (`metadata`) to
//! spec types (`schema`, `operation`), filled from an older edition
//! (`merge`), prose handled per [`Prose`] (`prose`), and checked with the
//! validator so nothing invalid leaves it. [`import`] adds the file system:
//! existing files ([`Prose::Keep`], hand-kept fields) and all-or-nothing,
//! change-only writes (`write`).
//!
//! Exit codes ([`crate::exit`]): 0 imported (warnings allowed); 2 bad
//! input (unreadable or malformed file, missing `apis`, bad `--filter`,
//! metadata that yields an invalid product, a product listing no
//! operation); 3 nothing importable: products of a style other than RPC,
//! V3 or ROA are refused (as is a product none of whose selected operations
//! can be generated), with the reason for each operation, and nothing is
//! written; 4 the output could not be read or written.
//!
//! ROA (`operation::check_roa_shape`): the metadata's method and path
//! template; path parameters (always required), query, header and form
//! parameters as given, a `body` object's properties as JSON-body fields
//! (`in: json`), any other `body` (an array, a `$ref`) as the whole JSON body
//! (`in: jsonBody`). A success body that is not an object is not modelled
//! yet: such operations are skipped.
//!
//! RPC-shaped (`operation::check_rpc_shape`): no path placeholders and,
//! under a V3 label, no path at all; parameters only in the query or a
//! form body (an RPC label also allows headers and host labels), plus at
//! most one binary `body` parameter, the raw HTTP body (`stream`), which
//! excludes a form body. Official SDKs send such operations to `/` whatever path the
//! metadata gives, so an RPC label's fixed path is noted and not used.

mod merge;
mod metadata;
mod operation;
mod pagination;
mod prose;
mod report;
mod sample;
mod schema;
mod write;

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde_json::Value;

use crate::diagnostics::Diagnostics;
use crate::exit::{Exit, Failure};
use crate::load::{self, ProductFiles, COMPONENTS_FILE, OPERATIONS_DIR, PRODUCT_FILE};
use crate::spec::{Components, CrateInfo, EndpointRule, Operation, Product, ProductSpec};
pub use report::ImportReport;
use report::{Kind, Notes};

/// Arguments of `acsgen import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The api-docs.json to import (either edition).
    #[arg(long, value_name = "FILE")]
    pub input: PathBuf,
    /// An older edition that fills descriptions, examples, response schemas
    /// and error codes the input lacks.
    #[arg(long, value_name = "FILE")]
    pub older: Option<PathBuf>,
    /// Import only operations whose name matches this glob (repeatable);
    /// with a filter no file is removed, and `components.yaml` gets only the
    /// schemas the selected operations use (besides those it already has).
    #[arg(long = "filter", value_name = "GLOB")]
    pub filters: Vec<String>,
    /// Spec root; the product goes to `<out>/<product>/`.
    #[arg(long, value_name = "SPEC_ROOT", default_value = "spec")]
    pub out: PathBuf,
    /// What to do with the metadata's descriptions.
    #[arg(long, value_enum, default_value_t = Prose::Metadata)]
    pub prose: Prose,
    /// Cargo package name of the generated crate (default `alibabacloud-<product>`).
    #[arg(long, value_name = "NAME")]
    pub crate_name: Option<String>,
}

/// Where descriptions in the written spec come from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Prose {
    /// The metadata's prose, with `~~id~~` links made help-center URLs.
    #[default]
    Metadata,
    /// No prose; each summary is a neutral generated sentence.
    None,
    /// No metadata prose, but prose already in the existing spec files is
    /// kept, and so are facts they hold that the metadata lacks (rate limit,
    /// response, sample body, error codes, examples, defaults, valid values).
    Keep,
}

/// Everything an import needs.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// api-docs.json to import; wins on operations and parameters.
    pub input: PathBuf,
    /// Older edition filling documentation, responses and errors.
    pub older: Option<PathBuf>,
    /// Globs on operation names; empty imports all (and removes stale files).
    pub filters: Vec<String>,
    /// Spec root; the product goes to `<out>/<product>/`.
    pub out: PathBuf,
    pub prose: Prose,
    /// Cargo package name; default `alibabacloud-<product>` (or the existing one).
    pub crate_name: Option<String>,
}

impl ImportOptions {
    /// Import `input` into the spec root `out`, with the defaults of the command line:
    /// no older edition, every operation, the metadata's prose, the default crate name.
    pub fn new(input: impl Into<PathBuf>, out: impl Into<PathBuf>) -> Self {
        ImportOptions {
            input: input.into(),
            older: None,
            filters: Vec::new(),
            out: out.into(),
            prose: Prose::Metadata,
            crate_name: None,
        }
    }
}

impl From<&ImportArgs> for ImportOptions {
    fn from(args: &ImportArgs) -> Self {
        ImportOptions {
            input: args.input.clone(),
            older: args.older.clone(),
            filters: args.filters.clone(),
            out: args.out.clone(),
            prose: args.prose,
            crate_name: args.crate_name.clone(),
        }
    }
}

/// Why an import stopped.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// A file that is not a usable api-docs.json; `path` is a JSON path such as `$.apis`.
    #[error("{}: {}{message}", .file.display(), json_path_prefix(.path))]
    BadInput {
        file: PathBuf,
        path: String,
        message: String,
    },
    /// A `--filter` that is not a glob.
    #[error("--filter `{pattern}`: {message}")]
    BadFilter { pattern: String, message: String },
    /// The converted product or components fail the spec checks.
    #[error("the imported spec would be invalid:\n{0}")]
    Invalid(Diagnostics),
    /// Nothing can be imported (a style other than RPC or V3, or no selected
    /// operation RPC-shaped); `skipped` says why per operation.
    #[error(
        "nothing importable: {count} operation(s) of `{product}` cannot be generated yet\n{report}",
        count = .0.skipped.len(),
        product = .0.product,
        report = .0
    )]
    Unsupported(Box<ImportReport>),
    /// The whole product is of a style acsgen does not generate (OSS, SLS,
    /// PDS, AliGenie): one line naming it and the reason.
    #[error(
        "nothing importable: `{product}` is {style} style ({operations} operation(s)): {reason}"
    )]
    UnsupportedStyle {
        product: String,
        style: String,
        operations: usize,
        reason: &'static str,
    },
    /// The output could not be read or written.
    #[error("{}: {source}", .path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// `$.apis: ` before a message about that part of the file; nothing when
/// the message is about the whole file.
fn json_path_prefix(path: &str) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!("{path}: ")
    }
}

impl Failure for ImportError {
    fn exit(&self) -> Exit {
        match self {
            ImportError::BadInput { .. }
            | ImportError::BadFilter { .. }
            | ImportError::Invalid(_) => Exit::BadInput,
            ImportError::Unsupported(_) | ImportError::UnsupportedStyle { .. } => Exit::Unsupported,
            ImportError::Io { .. } => Exit::Io,
        }
    }
}

/// `acsgen import`: the report goes to stdout; an error is the caller's
/// to print (see [`crate::exit::report`]).
pub fn run(args: &ImportArgs) -> Result<(), ImportError> {
    let report = import(&ImportOptions::from(args))?;
    // A closed stdout (`| head`) must not turn success into a panic.
    let _ = write!(std::io::stdout().lock(), "{report}");
    Ok(())
}

/// The result of [`convert`] plus what [`import`] needs to update a directory.
struct Conversion {
    product: Product,
    components: Components,
    operations: Vec<Operation>,
    report: ImportReport,
    /// Every operation name in the input, importable or not.
    input_names: HashSet<String>,
}

/// Translate metadata to spec types in memory. `older` fills what `newer`
/// lacks. `opts.input`/`opts.older` only name the files in errors; with
/// [`Prose::Keep`] this behaves like [`Prose::None`] (the existing files are
/// [`import`]'s business). Operations come sorted by name, and all of it
/// passes [`crate::load::parse_product`] and [`crate::validate::validate`].
pub fn convert(
    newer: &Value,
    older: Option<&Value>,
    opts: &ImportOptions,
) -> Result<(Product, Components, Vec<Operation>, ImportReport), ImportError> {
    let c = convert_inner(newer, older, opts)?;
    Ok((c.product, c.components, c.operations, c.report))
}

fn globset(filters: &[String]) -> Result<Option<GlobSet>, ImportError> {
    if filters.is_empty() {
        return Ok(None);
    }
    let mut builder = GlobSetBuilder::new();
    for pattern in filters {
        let glob = Glob::new(pattern).map_err(|e| ImportError::BadFilter {
            pattern: pattern.clone(),
            message: e.kind().to_string(),
        })?;
        builder.add(glob);
    }
    builder
        .build()
        .map(Some)
        .map_err(|e| ImportError::BadFilter {
            pattern: filters.join(" "),
            message: e.to_string(),
        })
}

fn convert_inner(
    newer: &Value,
    older: Option<&Value>,
    opts: &ImportOptions,
) -> Result<Conversion, ImportError> {
    let doc = metadata::document(newer, &opts.input)?;
    let old_doc = match older {
        Some(value) => Some(older_document(value, opts, &doc)?),
        None => None,
    };
    let filter = globset(&opts.filters)?;
    let mut report = ImportReport::new(&doc.product);
    let mut names: Vec<&String> = doc
        .apis
        .keys()
        .filter(|name| filter.as_ref().is_none_or(|f| f.is_match(name.as_str())))
        .collect();
    names.sort();
    // Before the style: an empty product is bad input whatever its label.
    if names.is_empty() {
        return Err(nothing_to_import(opts));
    }
    let label = doc.label;
    if label == operation::Label::Other {
        return Err(ImportError::UnsupportedStyle {
            product: doc.product.clone(),
            style: doc.style.clone(),
            operations: names.len(),
            reason: operation::own_scheme(&doc.style),
        });
    }

    let mut notes = Notes::new(PRODUCT_FILE);
    if label == operation::Label::V3 {
        notes.warn(
            Kind::StyleLabel,
            "style",
            format!(
                "labelled `{}`: its RPC-shaped operations are imported as RPC, the others skipped",
                doc.style
            ),
        );
    }
    let product = operation::product(&doc, opts.crate_name.as_deref(), &mut notes);
    report.add_notes(notes);

    let mut component_notes = Notes::new(COMPONENTS_FILE);
    let mut components = operation::components(doc.schemas, &mut component_notes);
    let mut old_component_notes = Notes::new(COMPONENTS_FILE);
    let old_components = old_doc
        .as_ref()
        .map(|d| operation::components(d.schemas, &mut old_component_notes))
        .unwrap_or_default();
    for (name, schema) in &mut components.schemas {
        if let Some(old) = old_components.schemas.get(name) {
            merge::fill_schema(schema, old);
        }
    }

    let mut converted = Vec::with_capacity(names.len());
    for name in names {
        let mut op = match operation::convert(name, &doc.apis[name.as_str()], &doc) {
            Ok(op) => op,
            Err(reason) => {
                report.skipped.push((name.clone(), reason));
                continue;
            }
        };
        let old_api = old_doc.as_ref().and_then(|d| d.apis.get(name.as_str()));
        let old = old_doc
            .as_ref()
            .zip(old_api)
            .map(|(old_doc, api)| operation::convert(name, api, old_doc));
        if let Some(Ok(old)) = old {
            let taken = merge::fill_operation(&mut op, &old);
            merge::adopt_notes(&mut op.notes, old.notes, &taken);
        }
        converted.push(op);
    }

    adopt_old_components(
        &mut components,
        &old_components,
        &converted,
        &mut old_component_notes,
    );
    fix_references(&mut components, &mut converted, &mut component_notes);
    guess_pagination(&components, &mut converted, &mut report);
    report.add_notes(component_notes);
    report.add_notes(old_component_notes);

    let operations = apply_prose(opts.prose, &mut components, converted, &mut report);
    let mut conversion = Conversion {
        product,
        components,
        operations,
        report,
        input_names: doc.apis.keys().cloned().collect(),
    };
    if conversion.operations.is_empty() {
        return Err(ImportError::Unsupported(Box::new(conversion.report)));
    }
    self_check(&mut conversion, &opts.out)?;
    Ok(conversion)
}

/// A crate without operations is useless and fails its own lints.
fn nothing_to_import(opts: &ImportOptions) -> ImportError {
    let message = if opts.filters.is_empty() {
        "no operation to import (the product lists none)".to_owned()
    } else {
        format!(
            "no operation to import (--filter {} matched none)",
            opts.filters.join(" ")
        )
    };
    ImportError::BadInput {
        file: opts.input.clone(),
        path: "$.apis".to_owned(),
        message,
    }
}

/// The older edition, which must describe the same product and API version.
fn older_document<'a>(
    value: &'a Value,
    opts: &ImportOptions,
    doc: &metadata::Document<'_>,
) -> Result<metadata::Document<'a>, ImportError> {
    let file = opts
        .older
        .clone()
        .unwrap_or_else(|| PathBuf::from("<older edition>"));
    let old = metadata::document(value, &file)?;
    let mismatch = |path: &str, what: &str, theirs: &str, ours: &str| ImportError::BadInput {
        file: file.clone(),
        path: path.to_owned(),
        message: format!("older edition is for {what} `{theirs}`, the input for `{ours}`"),
    };
    if old.product != doc.product {
        return Err(mismatch(
            "$.info.product",
            "product",
            &old.product,
            &doc.product,
        ));
    }
    if old.version != doc.version {
        return Err(mismatch(
            "$.info.version",
            "API version",
            &old.version,
            &doc.version,
        ));
    }
    Ok(old)
}

/// Replace `$ref`s to missing components by `any`, then drop styles the
/// resolved type cannot have and sample values it cannot decode.
fn fix_references(
    components: &mut Components,
    converted: &mut [operation::Converted],
    component_notes: &mut Notes,
) {
    let names: HashSet<String> = components.schemas.keys().cloned().collect();
    let known = |name: &str| names.contains(name);
    for (name, schema) in &mut components.schemas {
        schema::fix_references(schema, &format!("schemas.{name}"), &known, component_notes);
    }
    for c in converted {
        for param in &mut c.op.parameters {
            let path = format!("parameters.{}", param.name);
            schema::fix_references(&mut param.schema, &path, &known, &mut c.notes);
        }
        if let Some(response) = &mut c.op.response {
            schema::fix_references(&mut response.schema, "response", &known, &mut c.notes);
        }
        operation::check_styles(&mut c.op, components, &mut c.notes);
        sample::check(&mut c.op, components, &mut c.notes);
    }
}

/// Fill each operation's `pagination` block from the names it uses (see
/// `pagination`), one summary line per operation that takes a page
/// parameter, whether a block was made or not.
fn guess_pagination(
    components: &Components,
    converted: &mut [operation::Converted],
    report: &mut ImportReport,
) {
    for c in converted {
        match pagination::guess(&c.op, components) {
            pagination::Guess::Paged(block, line) => {
                c.op.pagination = Some(block);
                // Names in the line are the metadata's: one line, escaped.
                let line = report::one_line(&format!("{}: {line}", c.op.name));
                report.pagination.push(line);
            }
            pagination::Guess::Unsure(why) => report
                .pagination
                .push(report::one_line(&format!("{}: no block: {why}", c.op.name))),
            pagination::Guess::NotPaged => {}
        }
    }
}

/// Apply `prose` (Keep strips here; [`import`] restores from the files)
/// and collect the operations and their notes.
fn apply_prose(
    mode: Prose,
    components: &mut Components,
    converted: Vec<operation::Converted>,
    report: &mut ImportReport,
) -> Vec<Operation> {
    if mode != Prose::Metadata {
        for schema in components.schemas.values_mut() {
            merge::strip_schema(schema);
        }
    }
    let mut operations = Vec::with_capacity(converted.len());
    for mut c in converted {
        match mode {
            Prose::Metadata if c.op.summary.is_empty() => {
                c.op.summary = prose::neutral_summary(&c.op.name);
            }
            Prose::Metadata => {}
            Prose::None | Prose::Keep => merge::strip_operation(&mut c.op),
        }
        report.add_notes(c.notes);
        operations.push(c.op);
    }
    operations
}

/// Add the older edition's components that the result refers to (a
/// response schema taken from the older edition may use them).
fn adopt_old_components(
    components: &mut Components,
    old: &Components,
    converted: &[operation::Converted],
    notes: &mut Notes,
) {
    let mut wanted: Vec<&str> = Vec::new();
    for c in converted {
        for param in &c.op.parameters {
            schema::references(&param.schema, &mut wanted);
        }
        if let Some(response) = &c.op.response {
            schema::references(&response.schema, &mut wanted);
        }
    }
    for schema in components.schemas.values() {
        schema::references(schema, &mut wanted);
    }
    let mut adopted: Vec<String> = Vec::new();
    let mut queue: Vec<String> = wanted.into_iter().map(str::to_owned).collect();
    while let Some(name) = queue.pop() {
        if components.schemas.contains_key(&name) {
            continue;
        }
        if let Some(schema) = old.schemas.get(&name) {
            let mut more = Vec::new();
            schema::references(schema, &mut more);
            queue.extend(more.into_iter().map(str::to_owned));
            components.schemas.insert(name.clone(), schema.clone());
            adopted.push(name);
        }
    }
    // Older-edition notes matter only for the components actually adopted.
    notes.items.retain(|note| {
        adopted.iter().any(|name| {
            note.path == format!("schemas.{name}")
                || note.path.starts_with(&format!("schemas.{name}."))
        })
    });
    for note in &mut notes.items {
        note.message.push_str(" (older edition)");
    }
}

fn yaml<T: serde::Serialize>(value: &T) -> String {
    // The spec types hold only strings, numbers, maps and lists.
    serde_yaml::to_string(value).expect("spec types serialize to YAML")
}

/// Validate the result as the generator will; an operation that fails is
/// dropped (listed as skipped), a failing product is an error. The spec
/// types are checked in memory: what serde_yaml writes from them reads back
/// the same (the tests load written files to hold that).
fn self_check(c: &mut Conversion, out: &Path) -> Result<(), ImportError> {
    let dir = out.join(&c.product.product);
    let files = ProductFiles {
        dir_name: c.product.product.clone(),
        dir: dir.clone(),
        ..ProductFiles::default()
    };
    let spec = ProductSpec {
        dir_name: c.product.product.clone(),
        product: c.product.clone(),
        components: std::mem::take(&mut c.components),
        operations: std::mem::take(&mut c.operations),
    };
    let result = crate::validate::validate(&files, &spec);
    c.components = spec.components;
    c.operations = spec.operations;
    let Err(problems) = result else {
        return Ok(());
    };
    let ops_dir = dir.join(OPERATIONS_DIR);
    let mut failed: Vec<(String, String)> = Vec::new();
    let mut product_problems = Diagnostics::default();
    for diagnostic in problems.0 {
        let op_name = (diagnostic.file.parent() == Some(ops_dir.as_path()))
            .then(|| {
                diagnostic
                    .file
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
            })
            .flatten();
        match op_name {
            Some(name) => {
                let text = format!(
                    "fails the spec checks: {}: {}",
                    diagnostic.field, diagnostic.message
                );
                match failed.iter_mut().find(|(n, _)| *n == name) {
                    Some((_, reason)) => {
                        reason.push_str("; ");
                        reason.push_str(&text);
                    }
                    None => failed.push((name, text)),
                }
            }
            None => product_problems.push(diagnostic),
        }
    }
    if !product_problems.is_empty() {
        return Err(ImportError::Invalid(product_problems.sorted()));
    }
    c.operations
        .retain(|op| !failed.iter().any(|(name, _)| *name == op.name));
    c.report.skipped.extend(failed);
    c.report.skipped.sort();
    Ok(())
}

/// Import into `opts.out`: convert, then update `<out>/<product>/` so that
/// only files whose bytes change are written. Hand-kept parts of existing
/// files survive: product name, description, protocol, endpoint rule,
/// default host and crate version (and crate name unless `--crate-name` is
/// given) of `product.yaml`, each
/// operation's `changes` and `authorization`, and with [`Prose::Keep`]
/// all prose plus every fact the metadata lacks (see [`ImportReport::kept`]).
/// An existing file that does not parse is left alone. With a filter,
/// `components.yaml` gets only the schemas the selected operations use and
/// keeps the ones it has.
pub fn import(opts: &ImportOptions) -> Result<ImportReport, ImportError> {
    let newer = metadata::read_json(&opts.input)?;
    let older = opts.older.as_deref().map(metadata::read_json).transpose()?;
    let mut c = convert_inner(&newer, older.as_ref(), opts)?;
    let dir = opts.out.join(&c.product.product);
    let ops_dir = dir.join(OPERATIONS_DIR);
    // Nothing is written until every file is worked out.
    let mut pending = write::Pending::new(&dir);
    update_product(
        &dir.join(PRODUCT_FILE),
        &mut c.product,
        opts,
        &mut c.report,
        &mut pending,
    )?;
    let filtered = !opts.filters.is_empty();
    if filtered {
        // Only what the selected operations use; the existing file adds the rest.
        retain_referenced(&mut c.components, &c.operations);
    }
    let components_path = dir.join(COMPONENTS_FILE);
    if !c.components.schemas.is_empty() || (filtered && components_path.exists()) {
        update_components(
            &components_path,
            &mut c.components,
            opts.prose,
            filtered,
            &mut c.report,
            &mut pending,
        )?;
    }
    for op in &mut c.operations {
        let path = ops_dir.join(format!("{}.yaml", op.name));
        let (mode, components) = (opts.prose, &c.components);
        update_operation(&path, op, mode, components, &mut c.report, &mut pending)?;
    }
    if opts.filters.is_empty() {
        let keep = |stem: &str| c.input_names.contains(stem);
        pending.remove_stale(&ops_dir, &keep)?;
    }
    pending.commit(&mut c.report)?;
    Ok(c.report)
}

fn rule_name(rule: EndpointRule) -> &'static str {
    match rule {
        EndpointRule::Regional => "regional",
        EndpointRule::Central => "central",
    }
}

/// `product.yaml`, keeping the hand-maintained fields of an existing one.
fn update_product(
    path: &Path,
    product: &mut Product,
    opts: &ImportOptions,
    report: &mut ImportReport,
    pending: &mut write::Pending,
) -> Result<(), ImportError> {
    let existing = write::read_existing(path)?;
    if let Some(text) = &existing {
        match load::parse_yaml::<Product>(path, text) {
            Ok(old) => {
                product.name = old.name;
                product.description = old.description;
                product.protocol = old.protocol;
                // The metadata lists hosts but not the rule (or the default
                // host): those are guesses, and an existing file decides.
                let mut kept = Vec::new();
                let (ours, theirs) = (&mut product.endpoints, &old.endpoints);
                if ours.rule != theirs.rule {
                    kept.push(format!(
                        "endpoints.rule {} (the metadata suggests {})",
                        rule_name(theirs.rule),
                        rule_name(ours.rule)
                    ));
                    ours.rule = theirs.rule;
                }
                if ours.default != theirs.default {
                    kept.push(format!(
                        "endpoints.default {} (the metadata suggests {})",
                        theirs.default, ours.default
                    ));
                    ours.default.clone_from(&theirs.default);
                }
                if !kept.is_empty() {
                    report
                        .kept
                        .push(format!("{PRODUCT_FILE}: {}", kept.join(", ")));
                }
                // The crate block is ours, not the metadata's: keep it,
                // but for a name given on the command line.
                let name = match &opts.crate_name {
                    Some(_) => product.krate.name.clone(),
                    None => old.krate.name.clone(),
                };
                product.krate = CrateInfo { name, ..old.krate };
            }
            Err(d) => {
                let message = format!("not updated, it does not parse: {d}");
                report.warn(Kind::ExistingFile, PRODUCT_FILE, message);
                return Ok(());
            }
        }
    }
    pending.write_if_changed(path, existing.as_deref(), &yaml(product), report);
    Ok(())
}

/// Drop the components that no operation refers to, directly or through
/// another component.
fn retain_referenced(components: &mut Components, operations: &[Operation]) {
    let mut queue: Vec<&str> = Vec::new();
    for op in operations {
        for param in &op.parameters {
            schema::references(&param.schema, &mut queue);
        }
        if let Some(response) = &op.response {
            schema::references(&response.schema, &mut queue);
        }
    }
    let mut wanted: HashSet<String> = HashSet::new();
    while let Some(name) = queue.pop() {
        if !wanted.insert(name.to_owned()) {
            continue;
        }
        if let Some(schema) = components.schemas.get(name) {
            schema::references(schema, &mut queue);
        }
    }
    components.schemas.retain(|name, _| wanted.contains(name));
}

/// `components.yaml`; with [`Prose::Keep`], keeping the existing prose and
/// the facts the metadata lacks. With `filtered` (a `--filter` import,
/// whose `components` hold only what the selected operations use), every
/// schema of the existing file stays: updated from the metadata when it
/// has it, as it is otherwise.
fn update_components(
    path: &Path,
    components: &mut Components,
    mode: Prose,
    filtered: bool,
    report: &mut ImportReport,
    pending: &mut write::Pending,
) -> Result<(), ImportError> {
    let existing = write::read_existing(path)?;
    if let (true, Some(text)) = (mode == Prose::Keep || filtered, &existing) {
        match load::parse_yaml::<Components>(path, text) {
            Ok(old) => {
                if filtered {
                    add_existing_components(components, &old);
                }
                if mode == Prose::Keep {
                    let mut kept = Vec::new();
                    for (name, schema) in &mut components.schemas {
                        if let Some(old_schema) = old.schemas.get(name) {
                            let path = format!("schemas.{name}");
                            merge::keep_schema_facts(schema, old_schema, &path, &mut kept);
                            merge::keep_schema(schema, old_schema);
                        }
                    }
                    if !kept.is_empty() {
                        report
                            .kept
                            .push(format!("{COMPONENTS_FILE}: {}", kept.join(", ")));
                    }
                }
            }
            Err(d) => {
                let message = format!("not updated, it does not parse: {d}");
                report.warn(Kind::ExistingFile, COMPONENTS_FILE, message);
                return Ok(());
            }
        }
    }
    pending.write_if_changed(path, existing.as_deref(), &yaml(components), report);
    Ok(())
}

/// Put the schemas of the existing `components.yaml` that a filtered
/// import did not select back into `components`: the existing file's
/// schemas in its order (the selected ones as the metadata has them), then
/// the selected ones it did not have.
fn add_existing_components(components: &mut Components, existing: &Components) {
    if existing
        .schemas
        .keys()
        .all(|n| components.schemas.contains_key(n))
    {
        return;
    }
    let mut selected = std::mem::take(&mut components.schemas);
    for (name, schema) in &existing.schemas {
        let schema = selected
            .shift_remove(name)
            .unwrap_or_else(|| schema.clone());
        components.schemas.insert(name.clone(), schema);
    }
    components.schemas.extend(selected);
}

/// One operation file, keeping `changes` and `authorization` of an existing
/// one and, with [`Prose::Keep`], its prose and the facts it has where the
/// metadata has none (listed in [`ImportReport::kept`]).
fn update_operation(
    path: &Path,
    op: &mut Operation,
    mode: Prose,
    components: &Components,
    report: &mut ImportReport,
    pending: &mut write::Pending,
) -> Result<(), ImportError> {
    let existing = write::read_existing(path)?;
    if let Some(text) = &existing {
        if mode == Prose::Keep || has_hand_kept_fields(text) {
            match load::parse_yaml::<Operation>(path, text) {
                Ok(old) => {
                    op.changes.clone_from(&old.changes);
                    op.authorization.clone_from(&old.authorization);
                    keep_pagination(op, old.pagination.as_ref(), components, report);
                    if mode == Prose::Keep {
                        let kept = merge::keep_facts(op, &old);
                        if !kept.is_empty() {
                            report
                                .kept
                                .push(format!("{}: {}", op.name, kept.join(", ")));
                        }
                        merge::keep_operation(op, &old);
                        // A kept sample must decode with the metadata's schema.
                        let mut notes = Notes::new(op.name.clone());
                        sample::check(op, components, &mut notes);
                        report.add_notes(notes);
                    }
                }
                Err(d) => {
                    let reason = format!("existing file left alone, it does not parse: {d}");
                    report.skipped.push((op.name.clone(), reason));
                    return Ok(());
                }
            }
        }
    }
    pending.write_if_changed(path, existing.as_deref(), &yaml(op), report);
    Ok(())
}

/// An existing file's `pagination` block wins over the guess (it may have
/// been reviewed and corrected by hand) while it still fits the operation
/// as imported; a change is listed in [`ImportReport::kept`].
fn keep_pagination(
    op: &mut Operation,
    existing: Option<&crate::spec::Pagination>,
    components: &Components,
    report: &mut ImportReport,
) {
    let Some(existing) = existing else { return };
    if op.pagination.as_ref() == Some(existing)
        || !crate::validate::pagination_problems(op, existing, components).is_empty()
    {
        return;
    }
    op.pagination = Some(existing.clone());
    report.kept.push(format!("{}: pagination", op.name));
}

/// Fields no metadata carries, so an import must not drop them.
fn has_hand_kept_fields(text: &str) -> bool {
    ["changes:", "authorization:", "pagination:"]
        .iter()
        .any(|field| text.starts_with(field) || text.contains(&format!("\n{field}")))
}
