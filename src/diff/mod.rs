//! `acsgen diff`: what changed in the API between two spec trees, each
//! change classified by what it does to users of the generated crate, with
//! a semver verdict.
//!
//! Three layers, kept apart so each can be reused: [`source`] loads a side
//! (directory or git revision), [`compare()`] is a pure function from two
//! [`ProductSpec`]s to a [`Report`], and `render_*` turn a report into text,
//! markdown, JSON or a CHANGELOG section.

mod compare;
mod model;
mod render;
mod rust;
mod semver;
pub mod source;

use std::collections::BTreeMap;
use std::path::PathBuf;

pub use compare::compare;
pub use model::{
    Bump, Change, Impact, Kind, OperationChanges, Part, Report, Summary, TreeReport, Verdict,
};
pub use render::{
    describe, render_changelog_entry, render_json, render_markdown, render_text, render_tree_json,
    render_tree_markdown, render_tree_text, RenderOptions, GROUP_MIN,
};

use crate::exit::{Exit, Failure};
use crate::spec::ProductSpec;
use source::{Side, SourceError};

/// Why `acsgen diff` made no report.
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    #[error("give OLD and NEW, or --base REV [NEW]")]
    MissingPaths,
    #[error("with --base REV give at most NEW")]
    TooManyPaths,
    #[error(transparent)]
    Source(#[from] SourceError),
}

impl Failure for DiffError {
    fn exit(&self) -> Exit {
        match self {
            DiffError::MissingPaths | DiffError::TooManyPaths => Exit::BadInput,
            DiffError::Source(error) => error.exit(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For a terminal.
    Text,
    /// For a pull-request comment.
    Markdown,
    /// For tools: the report types, serialized.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// Always exit 0 once the report is made.
    None,
    /// Exit 1 when a change breaks users of a generated crate.
    Breaking,
    /// Exit 1 when anything changed.
    Any,
}

/// Arguments of `acsgen diff`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    acsgen diff old-spec/ spec/\n  \
    acsgen diff spec-2024/live spec/live --format markdown\n  \
    acsgen diff --base origin/main --fail-on breaking\n  \
    acsgen diff --base HEAD~3 spec/live\n\n\
    Exit status: 0 done, 1 --fail-on matched, 2 bad input or revision, 4 git failed\n\
    (the table under `acsgen --help`).")]
pub struct DiffArgs {
    /// OLD and NEW: each a spec root (holding `<product>/product.yaml`) or one
    /// product directory. With --base, only NEW (default: spec).
    #[arg(value_name = "OLD NEW", num_args = 0..=2)]
    pub paths: Vec<PathBuf>,
    /// Take OLD from this git revision: the same path as NEW, as committed there.
    #[arg(long, value_name = "REV")]
    pub base: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit 1 when the report holds changes of this kind.
    #[arg(long, value_enum, default_value_t = FailOn::None)]
    pub fail_on: FailOn,
    /// List every operation of a shared change, not just the first few.
    #[arg(long)]
    pub full: bool,
}

/// Compare every product found on both sides, paired by directory name
/// (or directly when both sides name one product directory).
pub fn compare_trees(old: &[ProductSpec], new: &[ProductSpec], pair_single: bool) -> TreeReport {
    let mut tree = TreeReport::default();
    if pair_single && old.len() == 1 && new.len() == 1 {
        tree.reports.push(compare(&old[0], &new[0]));
        return tree;
    }
    let old_by_dir: BTreeMap<&str, &ProductSpec> =
        old.iter().map(|p| (p.dir_name.as_str(), p)).collect();
    let new_by_dir: BTreeMap<&str, &ProductSpec> =
        new.iter().map(|p| (p.dir_name.as_str(), p)).collect();
    for (dir, old_product) in &old_by_dir {
        match new_by_dir.get(dir) {
            Some(new_product) => tree.reports.push(compare(old_product, new_product)),
            None => tree.products_removed.push((*dir).to_owned()),
        }
    }
    tree.products_added = new_by_dir
        .keys()
        .filter(|dir| !old_by_dir.contains_key(*dir))
        .map(|dir| (*dir).to_owned())
        .collect();
    tree
}

fn load(args: &DiffArgs) -> Result<(Side, Side), DiffError> {
    match (&args.base, args.paths.as_slice()) {
        (None, [old, new]) => Ok((source::load_dir(old)?, source::load_dir(new)?)),
        (None, _) => Err(DiffError::MissingPaths),
        (Some(rev), paths) => {
            let new = match paths {
                [] => PathBuf::from("spec"),
                [new] => new.clone(),
                _ => return Err(DiffError::TooManyPaths),
            };
            Ok((source::load_git(rev, &new)?, source::load_dir(&new)?))
        }
    }
}

/// `acsgen diff`: the report goes to stdout; [`Exit::Findings`] when
/// `--fail-on` matched.
pub fn run(args: &DiffArgs) -> Result<Exit, DiffError> {
    let (old, new) = load(args)?;
    let single = old.single && new.single;
    let mut tree = compare_trees(&old.products, &new.products, single);
    for report in &mut tree.reports {
        let suffix = |side: &Side| {
            if side.single {
                String::new()
            } else {
                format!("/{}", report.dir)
            }
        };
        report.old_label = format!("{}{}", old.label, suffix(&old));
        report.new_label = format!("{}{}", new.label, suffix(&new));
    }
    let options = RenderOptions { full: args.full };
    let output = match args.format {
        Format::Text => render_tree_text(&tree, options),
        Format::Markdown => render_tree_markdown(&tree, options),
        Format::Json => render_tree_json(&tree),
    };
    print!("{output}");
    let fail = match args.fail_on {
        FailOn::None => false,
        FailOn::Breaking => tree.is_breaking(),
        FailOn::Any => !tree.is_empty(),
    };
    Ok(if fail { Exit::Findings } else { Exit::Ok })
}
