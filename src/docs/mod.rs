//! Spec text to rustdoc: every piece of prose and every example passes
//! through here before it reaches generated code.
//!
//! Whatever a spec says must neither break the generated code (bare CR,
//! bidi control characters, which rustc rejects in comments) nor make
//! `cargo doc` warn (stray HTML, `[brackets]` read as broken intra-doc
//! links, bare URLs) nor turn into doctests. Prose is parsed as CommonMark
//! the way rustdoc parses it (`cmark`) and written back out in a form
//! with one reading only: every code block, whatever its form (fenced with
//! backticks or tildes, indented, inside quotes or lists), becomes a
//! ` ```text ` fence, and HTML becomes escaped text. Output lines never hold
//! a newline, so `/// {line}` is always one comment.

mod cmark;
mod operation;
mod pagination;
mod schema;

pub use operation::{
    crate_description, crate_docs, deprecation_note, empty_response_docs, error_enum_docs,
    error_row, error_variant_docs, method_docs, operation_docs, request_id_response_docs,
    response_docs, shared_error_docs, shared_response_docs, summary, undocumented_error_docs,
    unhandled_docs, REQUEST_ID_DOC,
};
pub use pagination::{paginator_docs, PaginatorDocs};
pub use schema::{
    alias_docs, component_docs, enum_docs, nested_struct_docs, parameter_docs, parameter_summary,
    response_header_docs, schema_docs, struct_description, variant_docs, whole_body_docs,
};

use std::collections::BTreeMap;

use crate::names::reserved::CLIENT;

/// Where `[Name]` mentions of operations point (wire name -> rustdoc path).
#[derive(Debug, Clone, Default)]
pub struct Links {
    pub operations: BTreeMap<String, String>,
}

/// The docs.rs page of a client method: where the README (read on GitHub or
/// crates.io, where rustdoc paths do not resolve) links an operation.
pub fn docs_rs_method_url(package: &str, version: &str, lib: &str, method: &str) -> String {
    format!("https://docs.rs/{package}/{version}/{lib}/struct.{CLIENT}.html#method.{method}")
}

/// Alibaba documentation links are written `~~12345~~` in the metadata.
fn help_url(id: &str) -> String {
    format!("https://help.aliyun.com/document_detail/{id}.html")
}

/// Characters rustc refuses in comments or that hide text from a reader.
fn is_hidden_format_char(c: char) -> bool {
    matches!(c as u32, 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2069 | 0xFEFF)
}

/// Drop control characters and make invisible ones visible.
pub fn clean(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' => out.push('\n'),
            '\t' => out.push_str("    "),
            c if is_hidden_format_char(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            '\u{2028}' | '\u{2029}' | '\u{85}' => out.push('\n'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Text that must stay on its line: like [`clean`], but line breaks and
/// tabs become spaces. Entities (`&#10;`, `&#x202E;`) can bring these
/// characters back after parsing, so decoded text passes through here.
fn one_line_chars(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}' | '\u{85}' => out.push(' '),
            c if is_hidden_format_char(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Markdown prose (a description) as doc lines: whole blocks, so other
/// doc lines go before or after them with a blank line between (a list
/// starting at 2 right after a line would be read as that line's text).
pub fn markdown(text: &str, links: &Links) -> Vec<String> {
    let mut lines = cmark::render(&clean(text), links);
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    let leading = lines.iter().take_while(|l| l.is_empty()).count();
    lines.drain(..leading);
    lines
}

/// One paragraph squeezed onto one line (for table cells and list items).
/// Block structure is not read, so a fence or list marker stays text.
pub fn one_line(text: &str, links: &Links) -> String {
    let joined = clean(text).split_whitespace().collect::<Vec<_>>().join(" ");
    cmark::render_inline(&joined, links)
}

/// Text shown literally: an inline code span, or, when the text holds
/// backticks (which make code spans fragile inside tables), plain text with
/// every markdown punctuation character backslash-escaped.
pub fn code(text: &str) -> String {
    let text = clean(text).replace('\n', " ");
    if text.is_empty() {
        return "` `".to_owned();
    }
    if !text.contains('`') {
        return format!("`{}`", text.replace('|', "\\|"));
    }
    // Leading spaces at the start of a doc line would indent a code block.
    let text = text.trim();
    let mut out = String::with_capacity(text.len() * 2);
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '&' => out.push_str("&amp;"),
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests;
