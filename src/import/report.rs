//! What an import did and what it noticed, for the summary printed at the end.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

/// Kinds of metadata oddity, so the summary can count them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    DuplicateParameter,
    ArrayWithoutItems,
    EmptyEnum,
    InvalidEnumValue,
    InvalidDefault,
    EmptyPropertyName,
    TooDeep,
    MissingType,
    UnknownType,
    BadConstraint,
    DuplicateError,
    BadErrorStatus,
    BadResponse,
    DroppedStyle,
    ReadOnlyContradiction,
    DanglingReference,
    BadComponent,
    BadEndpoint,
    StyleLabel,
    RpcPath,
    PathParameter,
    WholePath,
    BadExample,
    BadSample,
    ExistingFile,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::DuplicateParameter => "duplicate parameter",
            Kind::ArrayWithoutItems => "array without items",
            Kind::EmptyEnum => "empty enum",
            Kind::InvalidEnumValue => "invalid enum value",
            Kind::InvalidDefault => "invalid default",
            Kind::EmptyPropertyName => "empty property name",
            Kind::TooDeep => "schema too deep",
            Kind::MissingType => "missing type",
            Kind::UnknownType => "unknown type",
            Kind::BadConstraint => "bad constraint",
            Kind::DuplicateError => "duplicate error code",
            Kind::BadErrorStatus => "bad error status",
            Kind::BadResponse => "bad response",
            Kind::DroppedStyle => "style dropped",
            Kind::ReadOnlyContradiction => "operationType contradicts name",
            Kind::DanglingReference => "dangling $ref",
            Kind::BadComponent => "bad component",
            Kind::BadEndpoint => "bad endpoint",
            Kind::StyleLabel => "style label not RPC",
            Kind::RpcPath => "RPC path not used",
            Kind::PathParameter => "path or host parameter made required or dropped",
            Kind::WholePath => "path given whole by a parameter",
            Kind::BadExample => "example contradicts schema",
            Kind::BadSample => "sample contradicts schema",
            Kind::ExistingFile => "existing file",
        }
    }
}

/// `text` in backticks for a note: on one line (control characters
/// escaped) and cut after 40 characters, since metadata values can be
/// whole paragraphs or JSON documents.
pub(crate) fn quote(text: &str) -> String {
    let escaped = one_line(text);
    match escaped.char_indices().nth(40) {
        Some((end, _)) => format!("`{}...`", &escaped[..end]),
        None => format!("`{escaped}`"),
    }
}

/// `text` with control characters (newlines included) escaped, so a report
/// line stays one line.
pub(crate) fn one_line(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            escaped.extend(c.escape_debug());
        } else {
            escaped.push(c);
        }
    }
    escaped
}

/// Written files are listed one by one up to this many.
const LIST_WRITTEN_UP_TO: usize = 50;

/// One note: where (operation or file, then field path) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Note {
    pub kind: Kind,
    pub scope: String,
    pub path: String,
    pub message: String,
}

impl Note {
    fn text(&self) -> String {
        match (self.scope.is_empty(), self.path.is_empty()) {
            (true, true) => self.message.clone(),
            (false, true) => format!("{}: {}", self.scope, self.message),
            (true, false) => format!("{}: {}", self.path, self.message),
            (false, false) => format!("{}: {}: {}", self.scope, self.path, self.message),
        }
    }
}

/// Notes collected while converting one scope (an operation, the components, ...).
#[derive(Debug, Default)]
pub(crate) struct Notes {
    pub scope: String,
    pub items: Vec<Note>,
}

impl Notes {
    pub fn new(scope: impl Into<String>) -> Self {
        Notes {
            scope: scope.into(),
            items: Vec::new(),
        }
    }

    pub fn warn(&mut self, kind: Kind, path: &str, message: impl Into<String>) {
        self.items.push(Note {
            kind,
            scope: self.scope.clone(),
            path: path.to_owned(),
            message: message.into(),
        });
    }
}

/// The outcome of one import.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Product code, e.g. `live`.
    pub product: String,
    /// Files created or changed, in write order.
    pub written: Vec<PathBuf>,
    /// Files left alone because their bytes were already right.
    pub unchanged: usize,
    /// `operations/*.yaml` files deleted because the input no longer has them.
    pub removed: Vec<PathBuf>,
    /// Operations not imported: `(operation, reason)`.
    pub skipped: Vec<(String, String)>,
    /// Facts the metadata lacks (or only guesses) that were kept from the
    /// existing files, one entry per file, e.g. `RecoverLiveMessageDeletedGroup:
    /// rate_limit, response, errors` (with `--prose keep`) or `product.yaml:
    /// endpoints.rule`.
    pub kept: Vec<String>,
    /// One line per operation taking a page parameter: the `pagination` block
    /// guessed for it, or why none was (`ListX: no block: ...`), for review.
    pub pagination: Vec<String>,
    /// Metadata oddities that were normalized, each naming operation and field.
    pub warnings: Vec<String>,
    /// Kind of each warning, parallel to `warnings`, for the summary counts.
    kinds: Vec<&'static str>,
}

impl ImportReport {
    pub(crate) fn new(product: &str) -> Self {
        ImportReport {
            product: product.to_owned(),
            ..ImportReport::default()
        }
    }

    pub(crate) fn add_notes(&mut self, notes: Notes) {
        for note in notes.items {
            self.add_note(&note);
        }
    }

    pub(crate) fn add_note(&mut self, note: &Note) {
        self.warnings.push(note.text());
        self.kinds.push(note.kind.label());
    }

    pub(crate) fn warn(&mut self, kind: Kind, scope: &str, message: impl Into<String>) {
        self.add_note(&Note {
            kind,
            scope: scope.to_owned(),
            path: String::new(),
            message: message.into(),
        });
    }
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "import {}: {} file(s) written, {} unchanged, {} removed, {} operation(s) skipped, {} warning(s)",
            self.product,
            self.written.len(),
            self.unchanged,
            self.removed.len(),
            self.skipped.len(),
            self.warnings.len()
        )?;
        // A first import writes every file; listing them all says nothing.
        if self.written.len() <= LIST_WRITTEN_UP_TO {
            for path in &self.written {
                writeln!(f, "  wrote {}", path.display())?;
            }
        }
        for path in &self.removed {
            writeln!(f, "  removed {}", path.display())?;
        }
        if !self.kept.is_empty() {
            writeln!(f, "kept from the existing files (not in the metadata):")?;
            for entry in &self.kept {
                writeln!(f, "  {entry}")?;
            }
        }
        if !self.pagination.is_empty() {
            writeln!(
                f,
                "pagination guessed from parameter and field names (review each):"
            )?;
            for line in &self.pagination {
                writeln!(f, "  {line}")?;
            }
        }
        if !self.skipped.is_empty() {
            writeln!(f, "skipped:")?;
            for (operation, reason) in &self.skipped {
                writeln!(f, "  {operation}: {reason}")?;
            }
        }
        if !self.warnings.is_empty() {
            let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
            for kind in &self.kinds {
                *counts.entry(kind).or_default() += 1;
            }
            writeln!(f, "warnings by kind:")?;
            for (kind, count) in counts {
                writeln!(f, "  {count:>5}  {kind}")?;
            }
            writeln!(f, "warnings:")?;
            for warning in &self.warnings {
                writeln!(f, "  {warning}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod one_line_tests {
    use super::one_line;

    #[test]
    fn report_lines_stay_one_line() {
        assert_eq!(one_line("a\nb\tc\u{1b}[2J"), "a\\nb\\tc\\u{1b}[2J");
        assert_eq!(one_line("PageNumber"), "PageNumber");
    }
}
