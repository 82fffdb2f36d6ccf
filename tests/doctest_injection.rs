//! No spec text may become a doctest or code (issue 8).
//!
//! Random Markdown built from every way CommonMark opens a code block
//! (backtick and tilde fences of several lengths and info strings, unclosed
//! fences, fences in quotes, nested quotes and list items, lazy lines,
//! indented blocks, code in lists in quotes), raw HTML, and comment- and
//! attribute-like text goes into every prose slot of one generated product.
//! Every code block holds `injected_xyz()`, which panics when it runs. The
//! crate must pass `cargo check`, clippy and `cargo doc` with warnings
//! denied, and `cargo test --doc` must run exactly acsgen's own examples.
//!
//! `ACSGEN_DOCTEST_CASES` sets how many documents go into the crate (32);
//! `ACSGEN_DOCS_CASES` how many documents the cheap check of
//! `acsgen::docs` alone reads (512); `ACSGEN_DOCTEST_SEED` picks other
//! documents for the crate than the fixed default ones.

mod support;

use std::fs;
use std::path::{Path, PathBuf};

use acsgen::docs::{self, Links};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{RngAlgorithm, TestRng, TestRunner};
use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag};
use serde_json::{json, Value};

const MARKER: &str = "injected_xyz";

fn env_count(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(default)
}

// ---------------------------------------------------------------------
// Random documents
// ---------------------------------------------------------------------

/// Code bodies: each calls the marker at top level, so a doctest made of
/// it panics (or, under `compile_fail`, may "pass"; the count catches that).
fn code_body() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "fn injected_xyz() { panic!(\"spec text ran\") }\ninjected_xyz();",
        "injected_xyz();\nfn injected_xyz() { panic!() } */ \"#",
        "#[doc = \"x\"]\nfn injected_xyz() { panic!() }\ninjected_xyz();",
        "```\nfn injected_xyz() { panic!() }\ninjected_xyz();",
        "~~~\ninjected_xyz();\nfn injected_xyz() { panic!() }",
        "    fn injected_xyz() { panic!() }\n\n    injected_xyz();",
        "#![allow(unused)]\nfn injected_xyz() { panic!() } injected_xyz();\n``",
        "<pre>fn injected_xyz() { panic!() }</pre>\ninjected_xyz();",
    ])
    .prop_map(str::to_owned)
}

fn info() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "",
        "rust",
        "no_run",
        "should_panic",
        "edition2021",
        "compile_fail",
        "ignore",
        "rust,no_run",
        " rust ",
        "text",
        "{.rust}",
    ])
}

/// A fenced block: ``` or ~~~ of 3 to 6, closed exactly, longer, after a
/// fake closer (too short or the other character), or not at all.
fn fence() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!['`', '~']),
        3usize..=6,
        info(),
        code_body(),
        0u8..4,
    )
        .prop_map(|(c, len, info, body, close)| {
            let open: String = std::iter::repeat_n(c, len).collect();
            let other = if c == '`' { "~~~~~~~" } else { "```````" };
            match close {
                0 => format!("{open}{info}\n{body}"),
                1 => format!("{open}{info}\n{body}\n{open}"),
                2 => format!("{open}{info}\n{body}\n{open}{}", c),
                _ => format!(
                    "{open}{info}\n{body}\n{}\n{other}\n{injected}\n{open}",
                    &open[..open.len() - 1],
                    injected = "injected_xyz();"
                ),
            }
        })
}

/// An indented block (4+ spaces or a tab), after a blank line.
fn indented() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["    ", "\t", "      ", "  \t", "        "]),
        code_body(),
    )
        .prop_map(|(indent, body)| {
            let lines: Vec<String> = body.lines().map(|l| format!("{indent}{l}")).collect();
            format!("\n{}", lines.join("\n"))
        })
}

fn html() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec![
            "<pre>\n{}\n</pre>",
            "<details>\n<summary>More</summary>\n\n{}\n</details>",
            "<script>\n{}\n</script>",
            "<div>\n{}\n\n</div>",
            "<!--\n{}\n-->",
            "<table><tr><td>\n\n{}\n\n</td></tr></table>",
        ]),
        prop_oneof![code_body(), fence()],
    )
        .prop_map(|(template, body)| template.replace("{}", &body))
}

fn inline_atom() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "words and more words",
        "`code span`",
        "``a ` tick``",
        "*/",
        "\"#",
        "#[doc = \"injected\"]",
        "<b>bold</b>",
        "<span class=\"x\">",
        "</p>",
        "[link]",
        "[text](https://example.com/a_b)",
        "[https://example.com/label](https://example.com/x)",
        "<https://example.com/auto> <someone@example.com> <ftp://x.y>",
        "[rel](./x.md)",
        "[DescribeThing]",
        "~~12345~~",
        "https://example.com/path?x=1&y=2",
        "&lt;/props&gt; &amp; &#96;&#96;&#96;rust",
        "_under_ *star* ~tilde~",
        "a | b",
        "trailing \\",
        "1. not a list",
        "# not a heading",
        "![img](https://example.com/i.png)",
        "[^note]",
        "``` inline fence ```",
        "\u{202e}bidi",
        "x\u{0}y",
    ])
}

fn paragraph() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::collection::vec(inline_atom(), 1..4).prop_map(|atoms| atoms.join(" ")),
        1..4,
    )
    .prop_map(|lines| lines.join("\n"))
}

fn leaf() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => fence(),
        2 => indented(),
        2 => html(),
        2 => paragraph(),
        1 => paragraph().prop_map(|p| format!("## {}", p.replace('\n', " "))),
        1 => Just("| a | b |\n|---|---|\n| `x\\|y` | <i>z</i> |".to_owned()),
    ]
}

/// Prefix every line: `first` on the first, `rest` on the others (a lazy
/// continuation line gets no prefix at all).
fn prefixed(text: &str, first: &str, rest: &str, lazy: bool) -> String {
    text.lines()
        .enumerate()
        .map(|(i, line)| {
            if i == 0 {
                format!("{first}{line}")
            } else if lazy && i == 1 {
                line.to_owned()
            } else if line.is_empty() {
                rest.trim_end().to_owned()
            } else {
                format!("{rest}{line}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn block() -> impl Strategy<Value = String> {
    leaf().prop_recursive(3, 24, 3, |inner| {
        prop_oneof![
            // Block quotes, with or without the space, sometimes lazy.
            (inner.clone(), prop::bool::weighted(0.2), prop::bool::ANY).prop_map(
                |(text, lazy, space)| {
                    let mark = if space { "> " } else { ">" };
                    prefixed(&text, mark, mark, lazy)
                }
            ),
            // List items of every marker kind, sometimes with lazy lines.
            (
                prop::collection::vec(inner.clone(), 1..3),
                prop::sample::select(vec!["- ", "* ", "+ ", "1. ", "2) ", "-\t", "10. "]),
                prop::bool::weighted(0.2),
                prop::bool::ANY,
            )
                .prop_map(|(items, marker, lazy, loose)| {
                    let width = if marker.ends_with('\t') {
                        4
                    } else {
                        marker.len()
                    };
                    let indent = " ".repeat(width);
                    let separator = if loose { "\n\n" } else { "\n" };
                    items
                        .iter()
                        .map(|item| prefixed(item, marker, &indent, lazy))
                        .collect::<Vec<_>>()
                        .join(separator)
                }),
            prop::collection::vec(inner, 1..3).prop_map(|blocks| blocks.join("\n\n")),
        ]
    })
}

fn document() -> impl Strategy<Value = String> {
    prop::collection::vec((block(), prop::sample::select(vec!["\n", "\n\n"])), 1..5).prop_map(
        |parts| {
            parts
                .into_iter()
                .map(|(block, separator)| format!("{block}{separator}"))
                .collect::<String>()
        },
    )
}

// ---------------------------------------------------------------------
// What rustdoc would see
// ---------------------------------------------------------------------

#[derive(Default, Debug)]
struct Reading {
    /// Info strings of the code blocks (`<indented>` for indented ones).
    infos: Vec<String>,
    /// Code blocks that hold the marker.
    marked: usize,
    /// Text of each code block, lines trimmed at the end.
    code: Vec<String>,
    html: Vec<String>,
    /// Block tags other than paragraphs.
    blocks: usize,
}

fn read(markdown: &str) -> Reading {
    // rustdoc's extensions.
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    let mut reading = Reading::default();
    let mut in_code = false;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                in_code = true;
                reading.code.push(String::new());
                reading.infos.push(match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => "<indented>".into(),
                });
            }
            Event::End(pulldown_cmark::TagEnd::CodeBlock) => in_code = false,
            Event::Text(text) if in_code => {
                if text.contains(MARKER) {
                    reading.marked += 1;
                }
                if let Some(code) = reading.code.last_mut() {
                    for line in text.split_inclusive('\n') {
                        code.push_str(line.trim_end());
                        if line.ends_with('\n') {
                            code.push('\n');
                        }
                    }
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => reading.html.push(html.to_string()),
            Event::Start(Tag::Paragraph) => {}
            Event::Start(
                Tag::Heading { .. }
                | Tag::BlockQuote(_)
                | Tag::List(_)
                | Tag::Table(_)
                | Tag::HtmlBlock
                | Tag::FootnoteDefinition(_),
            )
            | Event::Rule => reading.blocks += 1,
            _ => {}
        }
    }
    reading
}

fn links() -> Links {
    let mut links = Links::default();
    links.operations.insert(
        "DescribeThing".into(),
        "crate::Client::describe_thing".into(),
    );
    links
}

fn assert_text_only(source: &str, lines: &[String]) {
    assert!(
        lines.iter().all(|l| !l.contains(['\n', '\r'])),
        "a line holds a newline: {lines:#?}"
    );
    let reading = read(&lines.join("\n"));
    assert!(
        reading.infos.iter().all(|info| info == "text"),
        "code block that is not `text` ({:?}) from\n{source}\n---\n{}",
        reading.infos,
        lines.join("\n")
    );
    assert!(
        reading.html.is_empty(),
        "HTML {:?} left from\n{source}\n---\n{}",
        reading.html,
        lines.join("\n")
    );
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: env_count("ACSGEN_DOCS_CASES", 512) as u32,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// The cheap half: what `docs` writes has only `text` code blocks, no
    /// HTML, and keeps every code block of the source (as text).
    #[test]
    fn docs_output_has_only_text_code_blocks(source in document()) {
        let lines = docs::markdown(&source, &links());
        assert_text_only(&source, &lines);
        let before = read(&docs::clean(&source));
        let after = read(&lines.join("\n"));
        prop_assert_eq!(&before.code, &after.code, "code blocks lost, made or changed");
        // Between the generator's own lines, as model.rs places it.
        let mut joined = vec!["Shared type `X`.".to_owned(), String::new()];
        joined.extend(lines.iter().cloned());
        joined.extend([String::new(), "Sent in the query string.".to_owned()]);
        assert_text_only(&source, &joined);

        // One line: no block at all, so it is safe at the start of a line.
        let line = docs::one_line(&source, &links());
        let reading = read(&line);
        prop_assert!(!line.contains('\n'));
        prop_assert!(reading.infos.is_empty() && reading.html.is_empty() && reading.blocks == 0,
            "one_line made blocks: {line}");
        let literal = docs::code(&source);
        let reading = read(&literal);
        prop_assert!(reading.infos.is_empty() && reading.html.is_empty() && reading.blocks == 0,
            "code() made blocks: {literal}");
    }
}

// ---------------------------------------------------------------------
// The generated crate
// ---------------------------------------------------------------------

/// Hands out the documents in turn, one per prose slot.
struct Slots {
    docs: Vec<String>,
    next: usize,
}

impl Slots {
    fn next(&mut self) -> String {
        let doc = self.docs[self.next % self.docs.len()].clone();
        self.next += 1;
        doc
    }

    fn used_all(&self) -> bool {
        self.next >= self.docs.len()
    }
}

fn operation(name: &str, slots: &mut Slots, deprecated: bool) -> Value {
    let summary = slots.next();
    let summary = if summary.trim().is_empty() {
        "Summary.".to_owned()
    } else {
        summary
    };
    let mut op = json!({
        "name": name,
        "summary": summary,
        "description": slots.next(),
        "method": "POST",
        "parameters": [
            {"name": "Text", "in": "query", "schema": {
                "type": "string", "required": true, "description": slots.next(),
                "example": slots.next(), "pattern": slots.next(), "default": slots.next()}},
            {"name": "Choice", "in": "query", "schema": {
                "type": "string", "description": slots.next(),
                "enum": [
                    {"value": "a", "description": slots.next()},
                    {"value": "b", "description": slots.next()}]}},
            {"name": "Count", "in": "query", "schema": {
                "type": "int32", "description": slots.next()}},
        ],
        "response": {"schema": {"type": "object", "description": slots.next(), "properties": {
            "RequestId": {"type": "string", "description": slots.next()},
            "Item": {"type": "object", "description": slots.next(), "properties": {
                "Name": {"type": "string", "description": slots.next()}}},
            "Mode": {"type": "string", "description": slots.next(), "enum": [
                {"value": "x", "description": slots.next()},
                {"value": "y", "description": slots.next()}]},
            "Shared": {"$ref": "Shared"},
        }}},
        "errors": [
            {"status": 400, "code": "Bad.Input", "message": slots.next(), "description": slots.next()},
            {"status": 404, "code": "NotFound", "description": slots.next()},
        ],
        "changes": [{"date": "2024-01-01", "summary": slots.next()}],
    });
    if deprecated {
        op["deprecated"] = json!({"note": slots.next()});
    }
    op
}

fn write_yaml(path: &Path, value: &Value) {
    fs::write(path, serde_yaml::to_string(value).expect("yaml")).expect("write spec file");
}

/// One product whose every prose slot holds one of `docs`; returns its
/// directory and the number of operations.
fn write_spec(root: &Path, docs: Vec<String>) -> (PathBuf, usize) {
    let mut slots = Slots { docs, next: 0 };
    let dir = root.join("inject");
    fs::create_dir_all(dir.join("operations")).expect("create spec dir");
    write_yaml(
        &dir.join("product.yaml"),
        &json!({
            "product": "inject",
            "version": "2020-01-01",
            "name": "Injection",
            "description": slots.next(),
            "style": "rpc",
            "endpoints": {"rule": "regional", "default": "inject.aliyuncs.com"},
            "crate": {"name": "inject-doctests", "version": "0.1.0"},
        }),
    );
    write_yaml(
        &dir.join("components.yaml"),
        &json!({"schemas": {
            "Shared": {"type": "object", "description": slots.next(), "properties": {
                "Level": {"$ref": "Level"},
                "Note": {"type": "string", "description": slots.next()}}},
            "Level": {"type": "string", "description": slots.next(), "enum": [
                {"value": "low", "description": slots.next()},
                {"value": "high", "description": slots.next()}]},
            "Alias": {"type": "string", "description": slots.next()},
        }}),
    );
    let names = ["DescribeThing", "CreateThing", "DeleteThing", "ListThings"];
    let mut count = 0;
    while count < 3 || (!slots.used_all() && count < 40) {
        let name = names
            .get(count)
            .map_or_else(|| format!("Operation{count}"), |n| (*n).to_owned());
        let op = operation(&name, &mut slots, count == 1);
        write_yaml(&dir.join("operations").join(format!("{name}.yaml")), &op);
        count += 1;
    }
    (dir, count)
}

/// Doc comments of a generated file, one string per commented item.
fn doc_blocks(source: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in source.lines() {
        let trimmed = line.trim_start();
        let text = trimmed
            .strip_prefix("///")
            .or_else(|| trimmed.strip_prefix("//!"));
        match text {
            Some(text) => current.push(text.strip_prefix(' ').unwrap_or(text)),
            None if !current.is_empty() => {
                blocks.push(current.join("\n"));
                current.clear();
            }
            None => {}
        }
    }
    if !current.is_empty() {
        blocks.push(current.join("\n"));
    }
    blocks
}

#[test]
fn spec_prose_never_becomes_a_doctest() {
    let count = env_count("ACSGEN_DOCTEST_CASES", 32);
    // Fixed documents by default; `ACSGEN_DOCTEST_SEED=n` explores others.
    let mut runner = match std::env::var("ACSGEN_DOCTEST_SEED")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
    {
        Some(seed) => {
            let mut bytes = [0u8; 32];
            bytes[..8].copy_from_slice(&seed.to_le_bytes());
            TestRunner::new_with_rng(
                proptest::test_runner::Config::default(),
                TestRng::from_seed(RngAlgorithm::ChaCha, &bytes),
            )
        }
        None => TestRunner::deterministic(),
    };
    let strategy = document();
    let docs: Vec<String> = (0..count)
        .map(|_| {
            strategy
                .new_tree(&mut runner)
                .expect("generate a document")
                .current()
        })
        .collect();
    let in_source = docs
        .iter()
        .map(|doc| read(&docs::clean(doc)).marked)
        .sum::<usize>();
    assert!(in_source > 0, "the documents hold no marked code block");

    let root = tempfile::tempdir().expect("temp dir");
    let (dir, operations) = write_spec(root.path(), docs);
    let generated = support::generate_for_check(&dir);

    // Rust side: the marker is no identifier anywhere.
    assert!(
        !support::identifiers(&generated).iter().any(|i| i == MARKER),
        "{MARKER} became code"
    );
    // Doc side: every code block is `text`, except acsgen's own examples,
    // which never hold the marker; nothing else is HTML.
    let mut own = 0;
    let mut marked = 0;
    for (path, text) in &generated.files {
        if !path.ends_with(".rs") {
            continue;
        }
        for block in doc_blocks(text) {
            let reading = read(&block);
            for info in &reading.infos {
                match info.as_str() {
                    "text" => {}
                    "no_run" => own += 1,
                    other => panic!("`{other}` code block in {path}:\n{block}"),
                }
            }
            assert!(
                reading.html.is_empty(),
                "HTML in {path}: {:?}",
                reading.html
            );
            marked += reading.marked;
        }
    }
    // lib.rs's quick start plus one example per operation.
    let expected = operations + 1;
    assert_eq!(own, expected, "acsgen's own examples");
    assert!(marked > 0, "no marked code block reached the docs");

    support::cargo_check("doctest_injection", &[generated], true);
    let (passed, failed, ignored) = support::cargo_doctest("doctest_injection");
    assert_eq!(
        (passed, failed, ignored),
        (expected, 0, 0),
        "doctests run: only acsgen's {expected} examples may"
    );
    eprintln!(
        "doctest_injection: {count} documents, {operations} operations, {marked} marked code blocks in the docs, {passed} doctests run"
    );
}
