//! Bounded fuzzing on stable Rust (proptest): the loader and validator on
//! mutated and random YAML, and the importer on mutated api-docs.json.
//! Every case must finish (a watchdog fails the run if one takes 30 s),
//! must not panic (each case runs under `catch_unwind`), and every error
//! must be a diagnostic naming one of the files it was given.
//!
//! `ACSGEN_FUZZ_CASES` sets the number of cases per target (default 1000,
//! about half a minute in a debug build on two cores); `ACSGEN_FUZZ_SEED`
//! picks another deterministic run (default 0, so CI is reproducible).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use acsgen::diagnostics::Diagnostics;
use acsgen::generate::{generate_product, GenerateError};
use acsgen::import::{convert, import, ImportError, ImportOptions, Prose};
use acsgen::load::{decode_text, parse_product, parse_product_partial, ProductFiles};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use serde_json::{json, Value};

fn cases() -> u32 {
    std::env::var("ACSGEN_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000)
}

fn runner(salt: u8) -> TestRunner {
    let seed: u64 = std::env::var("ACSGEN_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut bytes = [salt; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let config = Config {
        cases: cases(),
        failure_persistence: None,
        max_shrink_iters: 256,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &bytes))
}

/// What a fuzz target saw, for the report and the watchdog.
#[derive(Default)]
struct Tally {
    cases: AtomicUsize,
    panics: AtomicUsize,
    errors: AtomicUsize,
    accepted: AtomicUsize,
    /// The input of the case running now, shown if it hangs.
    current: Mutex<String>,
}

/// Run `body` on every case of `strategy` in a thread; fail if no case
/// finishes for 30 s, if any case panics, or if `body` reports a problem.
fn fuzz<S>(
    name: &str,
    salt: u8,
    strategy: impl FnOnce() -> S + Send + 'static,
    body: impl Fn(&S::Value, &Tally) -> Result<(), String> + Send + Sync + 'static,
) where
    S: Strategy,
    S::Value: std::fmt::Debug,
{
    let tally = Arc::new(Tally::default());
    let (done, finished) = mpsc::channel();
    let shared = Arc::clone(&tally);
    std::thread::spawn(move || {
        let mut runner = runner(salt);
        let result = runner.run(&strategy(), |input| {
            *shared.current.lock().unwrap() = format!("{input:?}");
            let outcome = catch_unwind(AssertUnwindSafe(|| body(&input, &shared)));
            shared.cases.fetch_add(1, Ordering::SeqCst);
            match outcome {
                Ok(Ok(())) => Ok(()),
                Ok(Err(problem)) => Err(TestCaseError::fail(problem)),
                Err(panic) => {
                    shared.panics.fetch_add(1, Ordering::SeqCst);
                    let message = panic
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default();
                    Err(TestCaseError::fail(format!("panicked: {message}")))
                }
            }
        });
        let _ = done.send(result.map_err(|e| e.to_string()));
    });
    let started = Instant::now();
    let mut last = (0, Instant::now());
    let result = loop {
        match finished.recv_timeout(Duration::from_secs(1)) {
            Ok(result) => break result,
            Err(mpsc::RecvTimeoutError::Disconnected) => break Err("runner died".to_owned()),
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
        let count = tally.cases.load(Ordering::SeqCst);
        if count != last.0 {
            last = (count, Instant::now());
        } else if last.1.elapsed() > Duration::from_secs(30) {
            panic!(
                "{name}: a case has run for 30 s (hang?) on input:\n{}",
                tally.current.lock().unwrap()
            );
        }
    };
    eprintln!(
        "fuzz {name}: {} cases run ({} accepted, {} rejected with diagnostics), {} panics, {:.1} s",
        tally.cases.load(Ordering::SeqCst),
        tally.accepted.load(Ordering::SeqCst),
        tally.errors.load(Ordering::SeqCst),
        tally.panics.load(Ordering::SeqCst),
        started.elapsed().as_secs_f64()
    );
    if let Err(failure) = result {
        panic!("{name}: {failure}");
    }
    assert_eq!(tally.panics.load(Ordering::SeqCst), 0, "{name}: panics");
    // A fuzzer whose every input is refused never reaches the later stages.
    assert!(
        tally.accepted.load(Ordering::SeqCst) > 0,
        "{name}: no case was accepted, so nothing past the loader was fuzzed"
    );
}

// ---------------------------------------------------------------- specs --

/// A product with components, to reach `$ref` handling.
const COMPONENTS: &str = "schemas:
  Item:
    type: object
    properties:
      Id: {type: string, required: true}
      Tags: {type: array, items: {type: string}}
      Sizes: {type: map, values: {type: int64}}
  Mode:
    type: string
    enum:
    - {value: Fast, description: Quick.}
    - {value: Slow}
";

const OPERATION: &str = "name: PutItem
summary: Stores an item.
description: Keeps it.
method: POST
read_only: false
deprecated: {note: Use PutItemV2.}
rate_limit: {qps: 10, scope: user}
authorization:
- {action: 'small:PutItem'}
parameters:
- name: Item
  in: query
  style: json
  schema: {$ref: Item, required: true}
- name: Mode
  in: query
  schema: {$ref: Mode}
- name: Count
  in: query
  schema: {type: int32, minimum: 1, maximum: 10, default: '2', example: '3'}
- name: Ids
  in: query
  style: repeatList
  schema: {type: array, items: {type: string}, min_items: 1, max_items: 5}
response:
  schema:
    type: object
    properties:
      RequestId: {type: string}
      Item: {$ref: Item}
  example: '{\"RequestId\": \"r\", \"Item\": {\"Id\": \"x\"}}'
errors:
- {status: 400, code: InputInvalid, message: '%s is bad.', description: Bad input.}
- {status: 404, code: NotFound}
changes:
- {date: 2020-01-01, summary: Added.}
";

/// The committed spec (spec/live) plus the small product above.
struct Seeds {
    live: ProductFiles,
    small: ProductFiles,
}

fn seeds() -> Seeds {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let live = acsgen::load::read_product_dir(&root.join("spec/live")).expect("spec/live loads");
    let small = ProductFiles {
        dir_name: "small".to_owned(),
        dir: PathBuf::from("fuzz/small"),
        product: live
            .product
            .replace("product: live", "product: small")
            .replace("alibabacloud-live", "small-client"),
        components: Some(COMPONENTS.to_owned()),
        operations: vec![("PutItem.yaml".to_owned(), OPERATION.to_owned())],
    };
    let spec = parse_product(&small).expect("the small seed parses");
    acsgen::validate::validate(&small, &spec).expect("the small seed is valid");
    Seeds { live, small }
}

/// Which file of a product: 0 product.yaml, 1 components.yaml, then operations.
fn file_count(files: &ProductFiles) -> usize {
    2 + files.operations.len()
}

fn file_text(files: &ProductFiles, which: usize) -> &str {
    match which {
        0 => &files.product,
        1 => files.components.as_deref().unwrap_or(""),
        n => &files.operations[n - 2].1,
    }
}

fn file_path(files: &ProductFiles, which: usize) -> PathBuf {
    match which {
        0 => files.product_path(),
        1 => files.components_path(),
        n => files.operation_path(&files.operations[n - 2].0),
    }
}

fn set_file(files: &mut ProductFiles, which: usize, text: String) {
    match which {
        0 => files.product = text,
        1 => files.components = Some(text),
        n => files.operations[n - 2].1 = text,
    }
}

/// Scalars that stress types, numbers, tags, quoting and anchors.
const TOKENS: &[&str] = &[
    "~",
    "null",
    "[]",
    "{}",
    "''",
    "\"\\u0000\"",
    "\"\\uD800\"",
    "-1",
    "0",
    "4294967296",
    "-9223372036854775809",
    "340282366920938463463374607431768211456",
    "1e999",
    "-.inf",
    ".nan",
    "0x1F",
    "0o17",
    "true",
    "yes",
    "!!binary aGVsbG8=",
    "!Tag x",
    "!!str 1",
    "&a x",
    "*a",
    "*undefined",
    "'%s %d %n'",
    "|\n  block\n  text",
    ">-\n  folded",
    "[1, [2, [3, [4]]]]",
    "{a: {b: {c: d}}}",
    "? complex\n: key",
    "2020-13-45",
    "0.1.0-beta+build",
    "'unterminated",
    "\"unterminated",
    "@reserved",
    "`reserved",
    "\t",
    "- - -",
    "'{\"RequestId\": 1}'",
    "'[1, 2]'",
    "'{'",
    "type",
    "Item",
    "Mode",
    "Missing",
    "self",
    "Self",
    "r#type",
    "__proto__",
    "'ö∂ƒ𝕏'",
    "'\u{202e}rtl'",
    "'a\\b'",
    "\"line\\nbreak\"",
];

/// Fragments in the spec's own vocabulary, inserted as whole lines.
const SNIPPETS: &[&str] = &[
    "type: object\nproperties:\n  X: {type: string}",
    "$ref: Missing",
    "$ref: Item",
    "enum:\n- value: A\n- value: A",
    "enum:\n- value: '1'\n- value: '01'",
    "items: {type: array, items: {type: map, values: {type: int64}}}",
    "style: json",
    "style: repeatList",
    "style: spaceDelimited",
    "type: binary",
    "type: any",
    "in: path",
    "in: body",
    "in: header",
    "required: true",
    "minimum: 10\nmaximum: 1",
    "min_length: -1",
    "pattern: '['",
    "example: '{'",
    "default: not-a-number",
    "deprecated: {note: x}",
    "deprecated: true",
    "rate_limit: {qps: 0}",
    "errors: [{status: 999, code: ''}]",
    "changes: [{date: x, summary: y}]",
    "authorization: [{action: 'live:*'}]",
    "read_only: true",
    "path: /{Id}/x",
    "method: PATCH",
    "name: type",
    "name: Self",
    "name: ''",
    "response: {schema: {type: string}}",
    "response: {schema: {type: object, properties: {A: {$ref: Item}}}, example: '{\"A\": {}}'}",
    "x: &a [1, 2]\ny: *a",
    "<<: {summary: merged}",
    "---\nname: Second",
    "...",
    "%YAML 1.1",
    "# comment only",
];

/// Billion laughs: nine levels of ten aliases each.
fn alias_bomb() -> String {
    let mut text = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..10 {
        let refs = vec![format!("*a{}", level - 1); 10].join(", ");
        text.push_str(&format!("a{level}: &a{level} [{refs}]\n"));
    }
    text
}

#[derive(Debug, Clone)]
enum Mutation {
    FlipByte(Index, u8),
    InsertBytes(Index, Vec<u8>),
    DeleteBytes(Index, u8),
    DeleteLine(Index),
    DuplicateLine(Index),
    SwapLines(Index, Index),
    Indent(Index, i8),
    ReplaceValue(Index, Index),
    InsertSnippet(Index, Index),
    Alias(Index, Index),
    AliasBomb(Index),
    DeepNesting(Index, u16),
    Bom,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        1 => (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::FlipByte(i, b)),
        1 => (any::<Index>(), prop::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(i, b)| Mutation::InsertBytes(i, b)),
        1 => (any::<Index>(), 1..32u8).prop_map(|(i, n)| Mutation::DeleteBytes(i, n)),
        1 => any::<Index>().prop_map(Mutation::DeleteLine),
        1 => any::<Index>().prop_map(Mutation::DuplicateLine),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        1 => (any::<Index>(), -4..5i8).prop_map(|(i, d)| Mutation::Indent(i, d)),
        3 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::ReplaceValue(a, b)),
        3 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::InsertSnippet(a, b)),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::Alias(a, b)),
        1 => any::<Index>().prop_map(Mutation::AliasBomb),
        1 => (any::<Index>(), 1..400u16).prop_map(|(i, d)| Mutation::DeepNesting(i, d)),
        1 => Just(Mutation::Bom),
    ]
}

fn indentation(line: &str) -> &str {
    &line[..line.len() - line.trim_start_matches([' ', '-']).len()]
}

/// Lines of `bytes`, for line-level mutations (lossy: the byte-level ones
/// make invalid UTF-8 on their own).
fn lines(bytes: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(bytes)
        .split('\n')
        .map(str::to_owned)
        .collect()
}

fn apply(bytes: &mut Vec<u8>, mutation: &Mutation) {
    let len = bytes.len().max(1);
    match mutation {
        Mutation::FlipByte(i, b) => {
            if !bytes.is_empty() {
                let at = i.index(bytes.len());
                bytes[at] ^= b | 1;
            }
        }
        Mutation::InsertBytes(i, new) => {
            let at = i.index(len + 1).min(bytes.len());
            bytes.splice(at..at, new.iter().copied());
        }
        Mutation::DeleteBytes(i, n) => {
            if !bytes.is_empty() {
                let at = i.index(bytes.len());
                let end = (at + *n as usize).min(bytes.len());
                bytes.drain(at..end);
            }
        }
        Mutation::Bom => {
            bytes.splice(0..0, [0xEF, 0xBB, 0xBF]);
        }
        _ => {
            let mut all = lines(bytes);
            let n = all.len();
            match mutation {
                Mutation::DeleteLine(i) => {
                    all.remove(i.index(n));
                }
                Mutation::DuplicateLine(i) => {
                    let line = all[i.index(n)].clone();
                    all.insert(i.index(n), line);
                }
                Mutation::SwapLines(a, b) => all.swap(a.index(n), b.index(n)),
                Mutation::Indent(i, delta) => {
                    let line = &mut all[i.index(n)];
                    if *delta >= 0 {
                        line.insert_str(0, &" ".repeat(*delta as usize));
                    } else {
                        let cut = line.len() - line.trim_start_matches(' ').len();
                        line.drain(..cut.min(delta.unsigned_abs() as usize));
                    }
                }
                Mutation::ReplaceValue(i, token) => {
                    let line = &mut all[i.index(n)];
                    let token = TOKENS[token.index(TOKENS.len())];
                    let at = line
                        .find(": ")
                        .map(|p| p + 2)
                        .or_else(|| line.find("- ").map(|p| p + 2));
                    if let Some(at) = at {
                        line.truncate(at);
                        line.push_str(token);
                    }
                }
                Mutation::InsertSnippet(i, snippet) => {
                    let at = i.index(n);
                    let indent = indentation(&all[at]).replace('-', " ");
                    let snippet = SNIPPETS[snippet.index(SNIPPETS.len())];
                    for (k, line) in snippet.lines().enumerate() {
                        all.insert(at + k, format!("{indent}{line}"));
                    }
                }
                Mutation::Alias(a, b) => {
                    let (a, b) = (a.index(n), b.index(n));
                    if let Some(p) = all[a].find(": ") {
                        all[a].insert_str(p + 2, "&anchor ");
                    }
                    if let Some(p) = all[b].find(": ") {
                        all[b].truncate(p + 2);
                        all[b].push_str("*anchor");
                    }
                }
                Mutation::AliasBomb(i) => {
                    let at = i.index(n);
                    let indent = indentation(&all[at]).replace('-', " ");
                    for (k, line) in alias_bomb().lines().enumerate() {
                        all.insert(at + k, format!("{indent}{line}"));
                    }
                }
                Mutation::DeepNesting(i, depth) => {
                    let line = &mut all[i.index(n)];
                    let d = *depth as usize;
                    if let Some(p) = line.find(": ") {
                        line.truncate(p + 2);
                        line.push_str(&"[".repeat(d));
                        line.push_str(&"]".repeat(d));
                    }
                }
                _ => unreachable!(),
            }
            *bytes = all.join("\n").into_bytes();
        }
    }
}

/// Every diagnostic names one of `known` and says something.
fn check_diagnostics(diagnostics: &Diagnostics, known: &[PathBuf]) -> Result<(), String> {
    for d in &diagnostics.0 {
        if !known.contains(&d.file) {
            return Err(format!("diagnostic names no input file: {d}"));
        }
        if d.message.trim().is_empty() {
            return Err(format!("diagnostic without a message: {d}"));
        }
    }
    Ok(())
}

fn known_paths(files: &ProductFiles) -> Vec<PathBuf> {
    let mut known = vec![
        files.dir.clone(),
        files.product_path(),
        files.components_path(),
    ];
    known.extend(
        files
            .operations
            .iter()
            .map(|(n, _)| files.operation_path(n)),
    );
    known
}

/// Load, validate and (for a valid product of one operation) generate.
fn run_pipeline(files: &ProductFiles, tally: &Tally, generate: bool) -> Result<(), String> {
    let known = known_paths(files);
    let (spec, mut problems) = parse_product_partial(files);
    if let Some(spec) = &spec {
        if let Err(more) = acsgen::validate::validate(files, spec) {
            problems.extend(more);
        }
    }
    check_diagnostics(&problems, &known)?;
    if !problems.is_empty() || spec.is_none() {
        tally.errors.fetch_add(1, Ordering::Relaxed);
        return Ok(());
    }
    tally.accepted.fetch_add(1, Ordering::Relaxed);
    if generate {
        match generate_product(files) {
            Ok(_) => {}
            Err(GenerateError::Spec(d)) => check_diagnostics(&d, &known)?,
            // A valid spec whose output does not parse is acsgen's bug.
            Err(other) => return Err(format!("valid spec, internal error: {other}")),
        }
    }
    Ok(())
}

#[derive(Debug, Clone)]
struct SpecCase {
    small: bool,
    file: Index,
    mutations: Vec<Mutation>,
}

#[test]
fn mutated_spec_files() {
    let seeds = Arc::new(seeds());
    let strategy = || {
        (
            any::<bool>(),
            any::<Index>(),
            prop::collection::vec(mutation(), 1..5),
        )
            .prop_map(|(small, file, mutations)| SpecCase {
                small,
                file,
                mutations,
            })
    };
    fuzz("mutated spec files", 1, strategy, move |case, tally| {
        let base = if case.small {
            &seeds.small
        } else {
            &seeds.live
        };
        let which = case.file.index(file_count(base));
        let mut bytes = file_text(base, which).as_bytes().to_vec();
        for m in &case.mutations {
            apply(&mut bytes, m);
        }
        let path = file_path(base, which);
        let text = match decode_text(&path, bytes) {
            Ok(text) => text,
            Err(d) => {
                tally.errors.fetch_add(1, Ordering::Relaxed);
                return check_diagnostics(&d.into(), &[path]);
            }
        };
        let mut files = base.clone();
        set_file(&mut files, which, text);
        // Generating is the slow part: only for the one-operation product.
        run_pipeline(&files, tally, case.small)
    });
}

/// Keys of the spec vocabulary, so random documents reach the validator.
const KEYS: &[&str] = &[
    "name",
    "summary",
    "description",
    "method",
    "path",
    "read_only",
    "deprecated",
    "since",
    "note",
    "rate_limit",
    "qps",
    "scope",
    "authorization",
    "action",
    "parameters",
    "in",
    "style",
    "schema",
    "type",
    "$ref",
    "required",
    "properties",
    "items",
    "values",
    "enum",
    "value",
    "minimum",
    "maximum",
    "min_length",
    "max_length",
    "min_items",
    "max_items",
    "pattern",
    "default",
    "example",
    "response",
    "errors",
    "status",
    "code",
    "message",
    "changes",
    "date",
    "Id",
    "RequestId",
    "Item",
    "Mode",
];

const WORDS: &[&str] = &[
    "PutItem",
    "POST",
    "GET",
    "query",
    "body",
    "path",
    "json",
    "flat",
    "repeatList",
    "string",
    "int32",
    "int64",
    "float",
    "double",
    "boolean",
    "object",
    "array",
    "map",
    "any",
    "Item",
    "Mode",
    "Missing",
    "/",
    "/{Id}",
    "2020-01-01",
    "x",
    "",
    "Self",
    "type",
    "%s",
];

fn yaml_value() -> impl Strategy<Value = serde_yaml::Value> {
    use serde_yaml::Value as Y;
    let leaf = prop_oneof![
        1 => Just(Y::Null),
        1 => any::<bool>().prop_map(Y::Bool),
        1 => any::<i64>().prop_map(|n| Y::Number(n.into())),
        1 => any::<f64>().prop_map(|n| Y::Number(n.into())),
        4 => prop::sample::select(WORDS).prop_map(|w| Y::String(w.to_owned())),
        1 => any::<String>().prop_map(Y::String),
    ];
    leaf.prop_recursive(6, 96, 8, |inner| {
        prop_oneof![
            1 => prop::collection::vec(inner.clone(), 0..4).prop_map(Y::Sequence),
            3 => prop::collection::vec((prop::sample::select(KEYS), inner), 0..8).prop_map(
                |entries| {
                    Y::Mapping(
                        entries
                            .into_iter()
                            .map(|(k, v)| (Y::String(k.to_owned()), v))
                            .collect(),
                    )
                }
            ),
        ]
    })
}

#[test]
fn random_spec_documents() {
    let seeds = Arc::new(seeds());
    // Mostly an operation that has the required fields, with random parts.
    let strategy = || {
        (
            prop::sample::select(&[0usize, 1, 2, 2, 2, 2][..]),
            yaml_value(),
            any::<bool>(),
        )
    };
    fuzz(
        "random spec documents",
        2,
        strategy,
        move |(which, value, wrap), tally| {
            let mut files = seeds.small.clone();
            let mut value = value.clone();
            if *which == 2 && *wrap {
                let mut op: serde_yaml::Mapping =
                    serde_yaml::from_str(OPERATION).expect("seed operation");
                if let serde_yaml::Value::Mapping(random) = value {
                    for (k, v) in random {
                        op.insert(k, v);
                    }
                }
                op.insert("name".into(), "PutItem".into());
                value = serde_yaml::Value::Mapping(op);
            }
            let text = serde_yaml::to_string(&value).map_err(|e| format!("serialize: {e}"))?;
            set_file(&mut files, *which, text);
            run_pipeline(&files, tally, true)
        },
    );
}

#[test]
fn alias_bombs_and_deep_nesting_fail_fast() {
    let seeds = seeds();
    let mut texts = vec![alias_bomb()];
    // Ten levels of a hundred aliases of a big scalar: 10^20 nodes if expanded.
    let mut wide = format!("a0: &a0 '{}'\n", "x".repeat(10_000));
    for level in 1..10 {
        let refs = vec![format!("*a{}", level - 1); 100].join(", ");
        wide.push_str(&format!("a{level}: &a{level} [{refs}]\n"));
    }
    texts.push(wide);
    // Typed positions: parameters as a list of aliases of one big parameter.
    let param = format!(
        "- &p {{name: P, in: query, schema: {{type: string, description: '{}'}}}}\n",
        "d".repeat(100_000)
    );
    texts.push(format!(
        "name: PutItem\nsummary: s\nmethod: POST\nparameters:\n{param}{}",
        "- *p\n".repeat(50_000)
    ));
    texts.push(format!(
        "name: {}{}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    ));
    texts.push(format!("name: {}", "{a: ".repeat(50_000)));
    texts.push("- ".repeat(50_000));
    for (i, text) in texts.into_iter().enumerate() {
        let mut files = seeds.small.clone();
        files.operations[0].1 = text;
        let (send, receive) = mpsc::channel();
        std::thread::spawn(move || {
            let result = catch_unwind(AssertUnwindSafe(|| parse_product(&files)));
            let _ = send.send(result.map(|r| r.map(|_| ())));
        });
        let result = receive
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|_| panic!("document {i} not rejected within 30 s"));
        let diagnostics = result
            .unwrap_or_else(|_| panic!("document {i} panicked"))
            .expect_err("a hostile document is rejected");
        assert!(
            diagnostics
                .0
                .iter()
                .all(|d| d.file.ends_with("operations/PutItem.yaml")),
            "{diagnostics}"
        );
    }
}

// ------------------------------------------------------------- importer --

/// A small api-docs.json touching every part the importer reads.
fn api_docs() -> Value {
    json!({
        "version": "1.0",
        "info": {"style": "RPC", "product": "Demo", "version": "2020-01-01", "title": "Demo"},
        "directories": [],
        "components": {"schemas": {
            "Item": {"type": "object", "properties": {
                "Id": {"type": "string", "description": "The ~~12345~~ id.", "example": "i-1"},
                "Tags": {"type": "array", "items": {"type": "string"}},
                "Sub": {"$ref": "#/components/schemas/Sub"}
            }},
            "Sub": {"type": "object", "properties": {"Size": {"type": "integer", "format": "int64"}}}
        }},
        "apis": {
            "DescribeItems": {
                "methods": ["post", "get"],
                "schemes": ["https"],
                "summary": "Lists [items](~~678~~).",
                "description": "Long text with `code` and <b>html</b>.",
                "readOnly": true,
                "deprecated": false,
                "parameters": [
                    {"name": "RegionId", "in": "query", "schema": {"type": "string", "required": true, "example": "cn-hangzhou"}},
                    {"name": "PageSize", "in": "query", "schema": {"type": "integer", "format": "int32", "minimum": "1", "maximum": "100", "default": "10", "enum": ["10", "50"]}},
                    {"name": "Filter", "in": "query", "style": "json", "schema": {"type": "object", "properties": {"Key": {"type": "string"}}}},
                    {"name": "Ids", "in": "query", "style": "repeatList", "schema": {"type": "array", "items": {"type": "string"}, "maxItems": 10}},
                    {"name": "Item", "in": "formData", "schema": {"$ref": "#/components/schemas/Item"}}
                ],
                "responses": {"200": {"schema": {"type": "object", "properties": {
                    "RequestId": {"type": "string"},
                    "Items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
                    "Total": {"type": "integer", "format": "int32"}
                }}}},
                "responseDemo": "[{\"type\":\"json\",\"example\":\"{\\\"RequestId\\\":\\\"r\\\"}\"}]",
                "errorCodes": {"400": [{"errorCode": "InvalidParam", "errorMessage": "%s is invalid."}], "404": [{"errorCode": "NotFound"}]},
                "extraInfo": " ",
                "changeSet": [{"createdAt": "2020-01-01T00:00:00Z", "description": "Added."}],
                "ramActions": [{"operationType": "get", "ramAction": {"action": "demo:DescribeItems"}}],
                "flowControl": {"qps": "100"}
            },
            "DeleteItem": {
                "methods": ["post"],
                "summary": "Deletes an item.",
                "parameters": [{"name": "Id", "in": "query", "schema": {"type": "string", "required": true}}],
                "responses": {"200": {"schema": {"type": "object", "properties": {"RequestId": {"type": "string"}}}}}
            }
        },
        "endpoints": [
            {"regionId": "cn-hangzhou", "endpoint": "demo.cn-hangzhou.aliyuncs.com"},
            {"regionId": "cn-beijing", "endpoint": "demo.aliyuncs.com"}
        ]
    })
}

/// Values that stress the importer's leniency.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => any::<i64>().prop_map(|n| json!(n)),
        1 => any::<f64>().prop_map(|n| json!(n)),
        1 => Just(json!(u64::MAX)),
        4 => prop::sample::select(&[
            "", " ", "RPC", "ROA", "string", "integer", "int64", "number", "boolean", "array",
            "object", "query", "formData", "body", "path", "header", "json", "repeatList",
            "flat", "simple", "#/components/schemas/Item", "#/components/schemas/Missing",
            "~~1~~", "[x](~~Missing~~)", "%s", "2020-01-01", "1e999", "-1", "9999999999999",
            "Self", "type", "<script>", "a b", "Ünïcödé", "\u{0}", "\u{202e}",
        ][..])
        .prop_map(|s| Value::String(s.to_owned())),
        1 => any::<String>().prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop::sample::select(
                        &[
                            "type",
                            "format",
                            "$ref",
                            "properties",
                            "items",
                            "schema",
                            "name",
                            "in",
                            "style",
                            "required",
                            "enum",
                            "minimum",
                            "maximum",
                            "default",
                            "example",
                            "description",
                            "summary",
                            "title",
                            "methods",
                            "parameters",
                            "responses",
                            "errorCodes",
                            "200",
                            "x",
                        ][..]
                    ),
                    inner
                ),
                0..5
            )
            .prop_map(|entries| Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v))
                    .collect()
            )),
        ]
    })
}

#[derive(Debug, Clone)]
enum JsonMutation {
    /// Replace the node at this walk position.
    Replace(Index, Value),
    /// Remove a key (or element) of the container at this position.
    Remove(Index, Index),
    /// Add `key: value` to the object at this position.
    Insert(Index, String, Value),
    /// Copy one node over another.
    Copy(Index, Index),
}

fn json_mutation() -> impl Strategy<Value = JsonMutation> {
    let key = prop_oneof![
        prop::sample::select(
            &[
                "type",
                "$ref",
                "items",
                "properties",
                "schema",
                "style",
                "in",
                "enum",
                "format",
                "required",
                "apis",
                "info",
                "components",
                "schemas",
                "",
            ][..]
        )
        .prop_map(str::to_owned),
        "[A-Za-z]{1,300}",
    ];
    prop_oneof![
        3 => (any::<Index>(), json_value()).prop_map(|(i, v)| JsonMutation::Replace(i, v)),
        2 => (any::<Index>(), any::<Index>()).prop_map(|(i, k)| JsonMutation::Remove(i, k)),
        2 => (any::<Index>(), key, json_value()).prop_map(|(i, k, v)| JsonMutation::Insert(i, k, v)),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| JsonMutation::Copy(a, b)),
    ]
}

/// JSON pointers of every node, in walk order.
fn pointers(value: &Value, here: String, out: &mut Vec<String>) {
    out.push(here.clone());
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                pointers(item, format!("{here}/{i}"), out);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                let k = k.replace('~', "~0").replace('/', "~1");
                pointers(v, format!("{here}/{k}"), out);
            }
        }
        _ => {}
    }
}

fn mutate_json(value: &mut Value, mutation: &JsonMutation) {
    let mut all = Vec::new();
    pointers(value, String::new(), &mut all);
    let at = |i: &Index| all[i.index(all.len())].clone();
    match mutation {
        JsonMutation::Replace(i, new) => {
            if let Some(node) = value.pointer_mut(&at(i)) {
                *node = new.clone();
            }
        }
        JsonMutation::Remove(i, k) => match value.pointer_mut(&at(i)) {
            Some(Value::Object(map)) if !map.is_empty() => {
                let key = map
                    .keys()
                    .nth(k.index(map.len()))
                    .cloned()
                    .unwrap_or_default();
                map.remove(&key);
            }
            Some(Value::Array(items)) if !items.is_empty() => {
                items.remove(k.index(items.len()));
            }
            _ => {}
        },
        JsonMutation::Insert(i, key, new) => {
            if let Some(Value::Object(map)) = value.pointer_mut(&at(i)) {
                map.insert(key.clone(), new.clone());
            }
        }
        JsonMutation::Copy(a, b) => {
            let source = value.pointer(&at(a)).cloned();
            if let (Some(source), Some(node)) = (source, value.pointer_mut(&at(b))) {
                *node = source;
            }
        }
    }
}

#[derive(Debug, Clone)]
struct ImportCase {
    newer: Vec<JsonMutation>,
    older: Option<Vec<JsonMutation>>,
    /// Byte-level damage to the serialized newer file.
    bytes: Vec<Mutation>,
    prose: Prose,
    write: bool,
}

fn import_case() -> impl Strategy<Value = ImportCase> {
    (
        prop::collection::vec(json_mutation(), 0..6),
        prop::option::weighted(0.3, prop::collection::vec(json_mutation(), 0..4)),
        prop::collection::vec(
            prop_oneof![
                (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::FlipByte(i, b)),
                (any::<Index>(), 1..8u8).prop_map(|(i, n)| Mutation::DeleteBytes(i, n)),
                Just(Mutation::Bom),
            ],
            0..2,
        ),
        prop::sample::select(&[Prose::Metadata, Prose::None, Prose::Keep][..]),
        prop::bool::weighted(0.1),
    )
        .prop_map(|(newer, older, bytes, prose, write)| ImportCase {
            newer,
            older,
            bytes: if bytes.len() == 1 { bytes } else { Vec::new() },
            prose,
            write,
        })
}

/// An importer error must name the input file (or, for an invalid
/// result, a spec file under the output).
fn check_import_error(error: &ImportError, inputs: &[&Path], out: &Path) -> Result<(), String> {
    match error {
        ImportError::BadInput { file, message, .. } => {
            if !inputs.contains(&file.as_path()) {
                return Err(format!("bad input names no input file: {error}"));
            }
            if message.trim().is_empty() {
                return Err(format!("bad input without a message: {error}"));
            }
        }
        ImportError::Invalid(diagnostics) => {
            for d in &diagnostics.0 {
                if !d.file.starts_with(out) {
                    return Err(format!("diagnostic outside the output: {d}"));
                }
            }
        }
        ImportError::Unsupported(_)
        | ImportError::UnsupportedStyle { .. }
        | ImportError::BadFilter { .. } => {}
        ImportError::Io { path, .. } => {
            if path.as_os_str().is_empty() {
                return Err(format!("I/O error without a path: {error}"));
            }
        }
    }
    Ok(())
}

#[test]
fn mutated_api_docs() {
    let base = api_docs();
    fuzz(
        "mutated api-docs.json",
        3,
        import_case,
        move |case, tally| {
            let input = Path::new("fuzz/api-docs.json");
            let older_path = Path::new("fuzz/older-api-docs.json");
            let out = Path::new("fuzz-out");
            let mut newer = base.clone();
            for m in &case.newer {
                mutate_json(&mut newer, m);
            }
            let older = case.older.as_ref().map(|ms| {
                let mut older = base.clone();
                for m in ms {
                    mutate_json(&mut older, m);
                }
                older
            });
            let opts = ImportOptions {
                input: input.to_path_buf(),
                older: older.as_ref().map(|_| older_path.to_path_buf()),
                filters: Vec::new(),
                out: out.to_path_buf(),
                prose: case.prose,
                crate_name: None,
            };
            let mut bytes = serde_json::to_vec(&newer).map_err(|e| e.to_string())?;
            for m in &case.bytes {
                apply(&mut bytes, m);
            }
            if case.write {
                // Through the file system: read, convert, stage, write, reload.
                let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
                let input = dir.path().join("api-docs.json");
                let older_path = dir.path().join("older.json");
                let out = dir.path().join("spec");
                std::fs::write(&input, &bytes).map_err(|e| e.to_string())?;
                if let Some(older) = &older {
                    std::fs::write(&older_path, older.to_string()).map_err(|e| e.to_string())?;
                }
                let opts = ImportOptions {
                    input: input.clone(),
                    older: older.as_ref().map(|_| older_path.clone()),
                    out: out.clone(),
                    ..opts
                };
                return match import(&opts) {
                    Ok(report) => {
                        tally.accepted.fetch_add(1, Ordering::Relaxed);
                        let product = report.product.clone();
                        let files = acsgen::load::read_product_dir(&out.join(&product))
                            .map_err(|d| format!("written spec does not read back: {d}"))?;
                        let spec = parse_product(&files)
                            .map_err(|d| format!("written spec does not parse: {d}"))?;
                        acsgen::validate::validate(&files, &spec)
                            .map_err(|d| format!("written spec does not validate: {d}"))?;
                        // And it generates: importer and generator agree.
                        generate_product(&files)
                            .map(|_| ())
                            .map_err(|e| format!("imported spec does not generate: {e}"))
                    }
                    Err(error) => {
                        tally.errors.fetch_add(1, Ordering::Relaxed);
                        check_import_error(&error, &[&input, &older_path], &out)
                    }
                };
            }
            let newer = match serde_json::from_slice::<Value>(
                bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes),
            ) {
                Ok(value) => value,
                // Not JSON any more: `import` reports that as bad input.
                Err(_) => {
                    tally.errors.fetch_add(1, Ordering::Relaxed);
                    return Ok(());
                }
            };
            match convert(&newer, older.as_ref(), &opts) {
                Ok((product, components, operations, _report)) => {
                    tally.accepted.fetch_add(1, Ordering::Relaxed);
                    // What convert returns must load and validate as written.
                    let yaml = |v: &dyn erased::Ser| v.to_yaml();
                    let dir = out.join(&product.product);
                    let files = ProductFiles {
                        dir_name: product.product.clone(),
                        dir: dir.clone(),
                        product: yaml(&product)?,
                        components: Some(yaml(&components)?),
                        operations: operations
                            .iter()
                            .map(|op| Ok((format!("{}.yaml", op.name), yaml(op)?)))
                            .collect::<Result<_, String>>()?,
                    };
                    let spec = parse_product(&files)
                        .map_err(|d| format!("converted spec does not parse: {d}"))?;
                    acsgen::validate::validate(&files, &spec)
                        .map_err(|d| format!("converted spec does not validate: {d}"))
                }
                Err(error) => {
                    tally.errors.fetch_add(1, Ordering::Relaxed);
                    check_import_error(&error, &[input, older_path], out)
                }
            }
        },
    );
}

/// serde_yaml serialization behind one object-safe trait, for the closure above.
mod erased {
    pub trait Ser {
        fn to_yaml(&self) -> Result<String, String>;
    }
    impl<T: serde::Serialize> Ser for T {
        fn to_yaml(&self) -> Result<String, String> {
            serde_yaml::to_string(self).map_err(|e| format!("serialize: {e}"))
        }
    }
}

#[test]
fn importer_survives_reference_cycles_and_deep_documents() {
    let mut cyclic = api_docs();
    let schemas = &mut cyclic["components"]["schemas"];
    schemas["Item"]["properties"]["Again"] = json!({"$ref": "#/components/schemas/Item"});
    schemas["Sub"]["properties"]["Back"] = json!({"$ref": "#/components/schemas/Item"});
    schemas["Loop"] = json!({"$ref": "#/components/schemas/Loop"});
    cyclic["apis"]["DeleteItem"]["parameters"][0]["schema"] =
        json!({"$ref": "#/components/schemas/Loop"});
    // Nested as deep as serde_json allows (128 levels).
    let mut deep = json!({"type": "string"});
    for _ in 0..120 {
        deep = json!({"type": "object", "properties": {"A": deep}});
    }
    let mut nested = api_docs();
    nested["apis"]["DeleteItem"]["responses"]["200"]["schema"] = deep;
    for (i, doc) in [cyclic, nested].into_iter().enumerate() {
        let (send, receive) = mpsc::channel();
        std::thread::spawn(move || {
            let opts = ImportOptions {
                input: PathBuf::from("fuzz/api-docs.json"),
                older: None,
                filters: Vec::new(),
                out: PathBuf::from("fuzz-out"),
                prose: Prose::Metadata,
                crate_name: None,
            };
            let result = catch_unwind(AssertUnwindSafe(|| {
                convert(&doc, Some(&doc), &opts).map(|(.., report)| report.skipped.len())
            }));
            let _ = send.send(result.map(|r| r.map_err(|e| e.to_string())));
        });
        let result = receive
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|_| panic!("document {i} not converted within 30 s"));
        assert!(result.is_ok(), "document {i} panicked");
    }
    // Written to disk, read back and generated.
    let dir = tempfile::tempdir().unwrap();
    let mut doc = api_docs();
    doc["components"]["schemas"]["Item"]["properties"]["Again"] =
        json!({"$ref": "#/components/schemas/Item"});
    let input = dir.path().join("api-docs.json");
    std::fs::write(&input, doc.to_string()).unwrap();
    let opts = ImportOptions {
        input,
        older: None,
        filters: Vec::new(),
        out: dir.path().join("spec"),
        prose: Prose::Metadata,
        crate_name: None,
    };
    let report = import(&opts).unwrap();
    let files =
        acsgen::load::read_product_dir(&dir.path().join("spec").join(&report.product)).unwrap();
    if let Err(error) = generate_product(&files) {
        panic!("{error}");
    }
}
