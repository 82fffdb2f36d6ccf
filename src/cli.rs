//! The `generate`, `check` and `schema` commands.
//!
//! Exit codes ([`crate::exit`]): 0 success; 1 `check` found stale output;
//! 2 the spec is wrong (every diagnostic printed) or `--changelog-base` is
//! not a usable revision; 4 reading or writing the output, or git, failed;
//! 5 acsgen made bad code.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::diagnostics::Diagnostic;
use crate::diff::source::SourceError;
use crate::exit::{Exit, Failure};
use crate::generate::{
    generate_each, GenerateError, GeneratedCrate, Stage, ACSGEN_VERSION, TIMINGS,
};
use crate::load::FileError;
use crate::model::Options;
use crate::provenance::{self, Provenance};
use crate::spec::RuntimeSource;
use crate::write::{self, read_generated, Changes, WriteError};

#[derive(Debug, clap::Args)]
pub struct GenerateArgs {
    /// Spec root: one directory per product.
    #[arg(long, default_value = "spec")]
    pub spec: PathBuf,
    /// Output root: one crate directory per product.
    #[arg(long, default_value = "generated")]
    pub out: PathBuf,
    /// With `generate`: append the API changes since the spec at this git
    /// revision to each crate's CHANGELOG.md, under its current version.
    #[arg(long, value_name = "REV")]
    pub changelog_base: Option<String>,
    /// Print to stderr the time each stage took, summed over threads.
    #[arg(long)]
    pub timings: bool,
    /// Generated crates depend on acsgen-runtime at this path (relative
    /// paths are read by Cargo from each crate's directory), whatever the
    /// specs' `crate.runtime` says.
    #[arg(long, value_name = "PATH", conflicts_with = "runtime_git")]
    pub runtime_path: Option<String>,
    /// The acsgen-runtime version requirement (alone: from the registry).
    #[arg(long, value_name = "REQ")]
    pub runtime_version: Option<String>,
    /// Generated crates depend on acsgen-runtime from this git URL.
    #[arg(long, value_name = "URL")]
    pub runtime_git: Option<String>,
}

impl GenerateArgs {
    /// The generation options the flags ask for; a bad runtime source is
    /// refused before anything is generated.
    pub fn options(&self) -> Result<Options, CliError> {
        if self.runtime_path.is_none()
            && self.runtime_version.is_none()
            && self.runtime_git.is_none()
        {
            return Ok(Options::default());
        }
        let source = RuntimeSource {
            version: self.runtime_version.clone(),
            path: self.runtime_path.clone(),
            git: self.runtime_git.clone(),
            ..RuntimeSource::default()
        };
        if let Some((field, problem)) = source.problems().into_iter().next() {
            return Err(CliError::Runtime(format!("--runtime-{field}: {problem}")));
        }
        Ok(Options {
            runtime: Some(source),
        })
    }
}

/// Why `generate` or `check` stopped.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Generate(#[from] GenerateError),
    /// `--changelog-base` could not be read or compared.
    #[error("changelog: {0}")]
    ChangelogBase(#[from] SourceError),
    #[error("changelog: {}: {source}", .path.display())]
    ChangelogRead { path: PathBuf, source: FileError },
    /// The changelog on disk is not text.
    #[error("changelog: {0}")]
    ChangelogText(Diagnostic),
    #[error("{0}\nnothing was written: the output is as it was")]
    Write(#[from] WriteError),
    /// `--runtime-*` flags that Cargo could not use.
    #[error("{0}")]
    Runtime(String),
}

impl Failure for CliError {
    fn exit(&self) -> Exit {
        match self {
            CliError::Generate(error) => error.exit(),
            CliError::Runtime(_) => Exit::BadInput,
            CliError::ChangelogBase(error) => error.exit(),
            CliError::ChangelogRead { .. } | CliError::ChangelogText(_) | CliError::Write(_) => {
                Exit::Io
            }
        }
    }
}

/// Generated text kept in memory, at most, before crates are staged
/// (written into the staging areas, the output proper untouched) as they
/// come. A spec tree below this (any single product) is written only
/// once every crate was made, so a spec error leaves the output untouched;
/// above it (a whole catalogue) memory stays bounded, writing overlaps
/// generating, and a failure undoes the staging.
const BUFFERED_BYTES: usize = 64 << 20;

/// Generate every crate, then write them all or none: nothing is written
/// unless the whole spec tree loaded and validated and every crate (and
/// changelog entry) was made, and a failed write leaves the output as it was.
pub fn generate(args: &GenerateArgs) -> Result<(), CliError> {
    let started = Instant::now();
    let result = generate_writing(args);
    if args.timings {
        report_timings(started);
    }
    result
}

fn generate_writing(args: &GenerateArgs) -> Result<(), CliError> {
    let mut staging = write::Staging::default();
    let mut all_changes: Vec<Option<(PathBuf, Changes)>> = Vec::new();
    let mut buffer = Buffer::default();
    let options = args.options()?;
    generate_each(&args.spec, Some(&args.out), true, &options, |done| {
        let dir = args.out.join(&done.generated.dir_name);
        let on_disk = done.on_disk.unwrap_or_default();
        let (changes, update) = TIMINGS.time(Stage::Compare, || {
            write::plan_owned(&dir, &on_disk, done.generated.files)
        });
        if all_changes.len() <= done.index {
            all_changes.resize_with(done.index + 1, || None);
        }
        all_changes[done.index] = Some((dir, changes));
        buffer.push(update);
        // Once past the limit, every crate is staged as it comes.
        if buffer.streaming || buffer.bytes > BUFFERED_BYTES {
            buffer.streaming = true;
            buffer.stage(&mut staging)?;
        }
        Ok::<(), CliError>(())
    })?;
    let mut changelogs = Vec::new();
    if let Some(rev) = &args.changelog_base {
        for (dir_name, text) in changelog_entries(rev, args)? {
            let dir = args.out.join(&dir_name);
            if all_changes.iter().flatten().any(|(d, _)| *d == dir) {
                let mut update = write::Update {
                    dir: dir.clone(),
                    ..Default::default()
                };
                update.writes.insert(CHANGELOG.to_owned(), text);
                buffer.push(update);
                changelogs.push(dir.join(CHANGELOG));
            }
        }
    }
    buffer.stage(&mut staging)?;
    TIMINGS.time(Stage::Commit, || staging.commit())?;
    for (dir, changes) in all_changes.iter().flatten() {
        println!(
            "{}: {} added, {} modified, {} removed, {} unchanged",
            dir.display(),
            changes.added.len(),
            changes.modified.len(),
            changes.removed.len(),
            changes.unchanged
        );
    }
    if let Some(rev) = &args.changelog_base {
        for path in changelogs {
            println!("{}: appended changes since {rev}", path.display());
        }
    }
    Ok(())
}

/// Updates not staged yet.
#[derive(Default)]
struct Buffer {
    updates: Vec<write::Update>,
    bytes: usize,
    /// The limit was passed: nothing is held back any more.
    streaming: bool,
}

impl Buffer {
    fn push(&mut self, update: write::Update) {
        self.bytes += update.writes.values().map(String::len).sum::<usize>();
        self.updates.push(update);
    }

    /// Check every buffered update, then stage them all.
    fn stage(&mut self, staging: &mut write::Staging) -> Result<(), WriteError> {
        let updates = std::mem::take(&mut self.updates);
        self.bytes = 0;
        TIMINGS.time(Stage::Stage, || staging.stage_all(&updates))
    }
}

fn report_timings(started: Instant) {
    eprint!("{}", TIMINGS.report());
    eprintln!("{:<10} {:>9.3}", "wall", started.elapsed().as_secs_f64());
}

const CHANGELOG: &str = "CHANGELOG.md";

/// `acsgen diff`'s report (spec at `rev` -> spec now) appended to each
/// generated crate's CHANGELOG.md, as `(crate directory name, new text)`.
/// The changelog is not a generated file: it accumulates, and `check`
/// ignores it.
fn changelog_entries(rev: &str, args: &GenerateArgs) -> Result<Vec<(String, String)>, CliError> {
    let old = crate::diff::source::load_git(rev, &args.spec)?;
    let new = crate::diff::source::load_dir(&args.spec)?;
    let mut entries = Vec::new();
    for spec in &new.products {
        let Some(before) = old.products.iter().find(|p| p.dir_name == spec.dir_name) else {
            continue;
        };
        let report = crate::diff::compare(before, spec);
        let entry = crate::diff::render_changelog_entry(&report, &spec.product.krate.version);
        let path = args.out.join(&spec.dir_name).join(CHANGELOG);
        let existing = match crate::load::read_bytes(&path, crate::load::MAX_FILE_BYTES) {
            Ok(bytes) => crate::load::decode_text(&path, bytes).map_err(CliError::ChangelogText)?,
            Err(FileError::Missing) => "# Changelog\n".to_owned(),
            Err(source) => return Err(CliError::ChangelogRead { path, source }),
        };
        // Running `generate --changelog-base` again must not list the
        // same changes twice.
        if existing.contains(entry.trim()) {
            println!("{}: already lists the changes since {rev}", path.display());
            continue;
        }
        let text = format!(
            "{}\n{entry}",
            existing.trim_end_matches('\n').to_owned() + "\n"
        );
        entries.push((spec.dir_name.clone(), text));
    }
    Ok(entries)
}

/// [`Exit::Findings`] when the output is stale.
pub fn check(args: &GenerateArgs) -> Result<Exit, CliError> {
    let started = Instant::now();
    let result = check_all(args);
    if args.timings {
        report_timings(started);
    }
    result
}

fn check_all(args: &GenerateArgs) -> Result<Exit, CliError> {
    // No reuse: check must run every stage, or a stale file could pass.
    let mut reports: Vec<Option<(PathBuf, Option<String>)>> = Vec::new();
    let options = args.options()?;
    generate_each(&args.spec, Some(&args.out), false, &options, |done| {
        let dir = args.out.join(&done.generated.dir_name);
        let on_disk = done.on_disk.unwrap_or_default();
        let report = TIMINGS.time(Stage::Compare, || {
            check_against(&dir, &on_disk, &done.generated)
        });
        if reports.len() <= done.index {
            reports.resize_with(done.index + 1, || None);
        }
        reports[done.index] = Some((dir, report));
        Ok::<(), CliError>(())
    })?;
    let mut stale = false;
    for (dir, report) in reports.into_iter().flatten() {
        match report {
            None => println!("{}: up to date", dir.display()),
            Some(report) => {
                stale = true;
                print!("{report}");
            }
        }
    }
    if stale {
        eprintln!("generated code is stale: run `acsgen generate`");
        Ok(Exit::Findings)
    } else {
        Ok(Exit::Ok)
    }
}

/// `None` when `dir` matches; otherwise the cause and a unified diff.
pub fn check_crate(dir: &Path, generated: &GeneratedCrate) -> std::io::Result<Option<String>> {
    let on_disk = read_generated(dir)?;
    Ok(check_against(dir, &on_disk, generated))
}

/// [`check_crate`] with the generated files already read from `dir`.
pub fn check_against(
    dir: &Path,
    on_disk: &write::FileSet,
    generated: &GeneratedCrate,
) -> Option<String> {
    let changes = write::compare(on_disk, &generated.files);
    if changes.is_empty() {
        return None;
    }
    let mut report = format!("{}: stale\n", dir.display());
    for cause in drift_causes(on_disk, &generated.provenance) {
        report.push_str(&format!("cause: {cause}\n"));
    }
    let empty = String::new();
    for path in changes
        .added
        .iter()
        .chain(&changes.modified)
        .chain(&changes.removed)
    {
        let old = on_disk.get(path).unwrap_or(&empty);
        let new = generated.files.get(path).unwrap_or(&empty);
        let shown = dir.join(path).display().to_string();
        let diff = similar::TextDiff::from_lines(old, new);
        report.push_str(
            &diff
                .unified_diff()
                .context_radius(3)
                .header(&format!("a/{shown}"), &format!("b/{shown}"))
                .to_string(),
        );
    }
    Some(report)
}

/// Why the crate on disk differs from what the spec gives now.
pub fn drift_causes(on_disk: &write::FileSet, now: &Provenance) -> Vec<String> {
    let Some(recorded) = on_disk
        .get(provenance::FILE_NAME)
        .and_then(|t| Provenance::parse(t))
    else {
        return vec![format!(
            "no {} in the crate: it was never generated here, or the file was removed",
            provenance::FILE_NAME
        )];
    };
    let mut causes = Vec::new();
    if provenance::output_digest(on_disk) != recorded.output_digest {
        causes.push(
            "generated files were edited by hand since the last `acsgen generate` (their digest no longer matches acsgen.lock)"
                .to_owned(),
        );
    }
    if recorded.spec_digest != now.spec_digest {
        causes.push("the spec changed since the last `acsgen generate`".to_owned());
    }
    if recorded.acsgen_version != now.acsgen_version {
        causes.push(format!(
            "acsgen changed: the crate was generated by {}, this is {}",
            recorded.acsgen_version, now.acsgen_version
        ));
    }
    if causes.is_empty() {
        causes.push(format!(
            "acsgen {ACSGEN_VERSION}'s output changed without a version change: the generator or its templates were modified"
        ));
    }
    causes
}

pub fn schema() -> Exit {
    print!("{}", spec_json_schema());
    Exit::Ok
}

/// JSON Schema of an operation file, product.yaml and components.yaml.
pub fn spec_json_schema() -> String {
    let schema = schemars::schema_for!(crate::spec::SpecFile);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
