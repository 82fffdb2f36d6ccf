//! The report: what changed between two versions of one product, each change
//! classified by what it does to users of the generated crate. These types
//! are the JSON output (`--format json`), so field and variant names are part
//! of the tool's interface: add, never rename.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Everything that changed in one product (one generated crate).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Product code, e.g. `live`.
    pub product: String,
    /// Its directory name under the spec root (NEW side).
    pub dir: String,
    /// Cargo package name of the generated crate (NEW side).
    pub crate_name: String,
    /// Where OLD came from, e.g. `HEAD:spec/live`; set by the caller, may be empty.
    #[serde(default)]
    pub old_label: String,
    /// Where NEW came from; set by the caller, may be empty.
    #[serde(default)]
    pub new_label: String,
    pub summary: Summary,
    pub verdict: Verdict,
    /// Changes to `product.yaml` (crate name, endpoints, API version).
    pub product_changes: Vec<Change>,
    /// Operations with at least one change, sorted by name.
    pub operations: Vec<OperationChanges>,
}

impl Report {
    /// True when nothing at all changed.
    pub fn is_empty(&self) -> bool {
        self.product_changes.is_empty() && self.operations.is_empty()
    }

    pub fn is_breaking(&self) -> bool {
        self.summary.breaking > 0
    }

    /// Every change with the operation it belongs to (`None` for product changes).
    pub fn changes(&self) -> impl Iterator<Item = (Option<&str>, &Change)> {
        self.product_changes.iter().map(|c| (None, c)).chain(
            self.operations
                .iter()
                .flat_map(|op| op.changes.iter().map(move |c| (Some(op.name.as_str()), c))),
        )
    }

    /// The changes of one operation, if it has any.
    pub fn operation(&self, name: &str) -> Option<&OperationChanges> {
        self.operations.iter().find(|op| op.name == name)
    }

    /// Names of the operations added (`Kind::Added`) or removed.
    pub fn operations_with(&self, kind: Kind) -> Vec<&str> {
        self.operations
            .iter()
            .filter(|op| {
                op.changes
                    .iter()
                    .any(|c| c.part == Part::Operation && c.kind == kind)
            })
            .map(|op| op.name.as_str())
            .collect()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub operations_added: usize,
    pub operations_removed: usize,
    /// Operations present on both sides with at least one change.
    pub operations_changed: usize,
    pub changes: usize,
    pub breaking: usize,
    pub compatible: usize,
    pub behavior: usize,
}

/// The changes of one operation. An added or removed operation holds just
/// that one change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OperationChanges {
    pub name: String,
    pub changes: Vec<Change>,
}

/// One change. `part` + `path` say where, `kind` what, `old`/`new` the values
/// on each side that identify the change (a rate limit no longer given has
/// neither: the old limit is in `detail`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Change {
    pub part: Part,
    /// Wire name or field path: a parameter name (`RegionId`), a field path
    /// (`Data.Items[].Name`, `[]` for array items, `{}` for map values), an
    /// error code, a `product.yaml` key; empty for the operation itself.
    pub path: String,
    pub kind: Kind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new: Option<String>,
    /// Extra facts that differ from operation to operation (what a removed
    /// response held); not part of what makes two changes "the same".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    pub impact: Impact,
    /// Why it has this impact, in terms of the generated Rust API.
    pub reason: String,
}

/// Where in the spec a change is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    /// `product.yaml`.
    Product,
    /// The operation as a whole (added, removed, method, read_only...).
    Operation,
    /// A top-level request parameter.
    Parameter,
    /// A field nested inside an object, array or map parameter.
    ParameterField,
    /// The response body as a whole.
    Response,
    /// A field of the response body, at any depth.
    ResponseField,
    /// A response header read into a field (`path` is its name, lowercase).
    ResponseHeader,
    /// The error code list as a whole.
    Errors,
    /// One error code.
    ErrorCode,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Added,
    Removed,
    /// A `product.yaml` value changed.
    Changed,
    /// The type changed (including valid values appearing or vanishing,
    /// which turns a `String` into an enum or back, and a `$ref` change).
    Type,
    Required,
    /// `in`: query, body, header...
    Location,
    /// Wire style of an array or object parameter.
    Style,
    Method,
    /// Request path (ROA).
    RequestPath,
    ReadOnly,
    Deprecated,
    RateLimit,
    EnumValueAdded,
    EnumValueRemoved,
    /// Its Rust name in the generated crate changed (a new sibling took it).
    RustName,
    /// HTTP status of an error code.
    Status,
    /// The constructor and client method take arguments they kept in
    /// another order (`old`/`new`: their Rust names in order).
    ArgumentOrder,
    /// A named Rust type moved to another module (`old`/`new`: its paths).
    Moved,
    /// `into_paginator()` added, removed, or paging other fields
    /// (`old`/`new`: the wire fields, or the item type).
    Pagination,
}

/// What a change does to users of the generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Impact {
    /// Code written against the old crate may no longer compile: semver major.
    Breaking,
    /// New or deprecated API, old code still compiles: semver minor.
    Compatible,
    /// Same Rust API, different behaviour on the wire or in the runtime: semver patch.
    Behavior,
}

impl Impact {
    pub fn label(self) -> &'static str {
        match self {
            Impact::Breaking => "BREAKING",
            Impact::Compatible => "compatible",
            Impact::Behavior => "behavior",
        }
    }
}

/// The size of a semver step, smallest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

impl fmt::Display for Bump {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        })
    }
}

/// The semver verdict for the generated crate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// What the changes need by semver's rules: major for breaking changes,
    /// minor for additions and deprecations, patch for behaviour only.
    pub level: Bump,
    /// The version component to increment for `current`: below 1.0.0 every
    /// step shifts one place down (0.y.z: breaking bumps y).
    pub bump: Bump,
    /// `crate.version` in OLD's product.yaml.
    pub current: String,
    /// `current` bumped by `bump`; equal to `current` when nothing changed.
    pub next: String,
    /// `crate.version` in NEW's product.yaml.
    pub declared: String,
    /// Whether `declared` is at least `next`, so NEW is ready to release.
    pub declared_sufficient: bool,
}

/// A comparison of two spec trees: one report per product found on both
/// sides, and the products found on one side only.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TreeReport {
    pub reports: Vec<Report>,
    /// Product directories only in NEW.
    pub products_added: Vec<String>,
    /// Product directories only in OLD (their crates would vanish: breaking).
    pub products_removed: Vec<String>,
}

impl TreeReport {
    pub fn is_empty(&self) -> bool {
        self.reports.iter().all(Report::is_empty)
            && self.products_added.is_empty()
            && self.products_removed.is_empty()
    }

    pub fn is_breaking(&self) -> bool {
        self.reports.iter().any(Report::is_breaking) || !self.products_removed.is_empty()
    }
}
