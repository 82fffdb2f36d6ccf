//! The hostile-spec corpus: every case under `tests/hostile/` (plus a few
//! made here because they are too big or not valid text to commit) is run
//! through the real `acsgen generate` binary, the way a maintainer runs it.
//!
//! For each case: no panic, no hang, an exit code that matches `case.yaml`
//! (`error`: exit 2, or 4 when only the write is refused, and a diagnostic
//! naming each of `mentions`; `compiles`: exit 0; `either`: one of the
//! two), and on error the previous output tree
//! byte-for-byte untouched. Every crate that was generated is then built in
//! one workspace with clippy and rustdoc warnings denied, its doctests run
//! (spec text that became a doctest panics there), and its identifiers and
//! `Cargo.toml` are checked for injected code. The run ends with one line of
//! figures, which the issue note quotes.

mod support;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::Deserialize;

/// Longer than any honest run of a case takes; past it the case is a hang.
const HANG_AFTER: Duration = Duration::from_secs(120);

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    expect: Expect,
    #[serde(default)]
    mentions: Vec<String>,
    why: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Expect {
    Error,
    Compiles,
    Either,
}

struct Case {
    name: String,
    spec: PathBuf,
    expect: Expect,
    mentions: Vec<String>,
}

#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Generated,
    Diagnosed,
}

#[derive(Default)]
struct Figures {
    cases: usize,
    diagnosed: usize,
    generated: usize,
    panics: Vec<String>,
    hangs: Vec<String>,
    partial_writes: Vec<String>,
    unclear: Vec<String>,
    unexpected: Vec<String>,
    injections: Vec<String>,
    peak_rss_kb: i64,
    peak_case: String,
}

/// Every file below `dir` with its bytes, to prove a failed run wrote nothing.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                out.insert(path.clone(), Vec::new());
                stack.push(path);
            } else {
                out.insert(path.clone(), fs::read(&path).unwrap());
            }
        }
    }
    out
}

fn product_dirs(spec: &Path) -> Vec<String> {
    let mut dirs: Vec<String> = fs::read_dir(spec)
        .unwrap()
        .flatten()
        .filter(|e| e.path().join("product.yaml").exists())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    dirs
}

fn committed_cases(work: &Path) -> Vec<Case> {
    let corpus = support::root().join("tests/hostile");
    let mut names: Vec<String> = fs::read_dir(&corpus)
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let dir = corpus.join(&name);
            let text = fs::read_to_string(dir.join("case.yaml")).unwrap();
            let case: CaseFile = serde_yaml::from_str(&text)
                .unwrap_or_else(|e| panic!("tests/hostile/{name}/case.yaml: {e}"));
            assert!(!case.why.is_empty(), "{name}: say why the case exists");
            let spec = work.join("cases").join(&name);
            support::copy_tree(&dir, &spec);
            fs::remove_file(spec.join("case.yaml")).unwrap();
            Case {
                name,
                spec,
                expect: case.expect,
                mentions: case.mentions,
            }
        })
        .collect()
}

const PRODUCT: &str = "product: made\nversion: 2020-01-01\nname: Made\nstyle: rpc\nprotocol: https\nendpoints: {rule: regional, default: made.aliyuncs.com}\ncrate: {name: hostile-made, version: 0.1.0}\n";

/// Cases that cannot be committed: too large, not UTF-8, or names too long
/// for a file system.
fn made_cases(work: &Path) -> Vec<Case> {
    let mut cases = Vec::new();
    let mut make = |name: &str, expect, mentions: &[&str], files: Vec<(String, Vec<u8>)>| {
        let spec = work.join("cases").join(name);
        let product = spec.join("made");
        fs::create_dir_all(product.join("operations")).unwrap();
        fs::write(product.join("product.yaml"), PRODUCT).unwrap();
        for (file, bytes) in files {
            fs::write(product.join(file), bytes).unwrap();
        }
        cases.push(Case {
            name: name.to_owned(),
            spec,
            expect,
            mentions: mentions.iter().map(|m| m.to_string()).collect(),
        });
    };
    // Larger than any spec file may be: refused by size, not read whole.
    let mut huge = b"name: Huge\nsummary: s\nmethod: POST\ndescription: ".to_vec();
    huge.resize(huge.len() + 65 * 1024 * 1024, b'a');
    huge.push(b'\n');
    make(
        "made_huge_file",
        Expect::Error,
        &["Huge.yaml"],
        vec![("operations/Huge.yaml".into(), huge)],
    );
    // 10,000 nested schemas: no stage may recurse without bound.
    let depth = 10_000;
    let mut deep = String::from(
        "name: Deep\nsummary: s\nmethod: POST\nparameters:\n- name: D\n  in: query\n  style: json\n  schema: ",
    );
    for _ in 0..depth {
        deep.push_str("{type: array, items: ");
    }
    deep.push_str("{type: string}");
    deep.push_str(&"}".repeat(depth));
    deep.push('\n');
    make(
        "made_deep_yaml",
        Expect::Error,
        &["Deep.yaml"],
        vec![("operations/Deep.yaml".into(), deep.into_bytes())],
    );
    make(
        "made_invalid_utf8",
        Expect::Error,
        &["Bad.yaml"],
        vec![(
            "operations/Bad.yaml".into(),
            b"name: Bad\nsummary: \xff\xfe\xc3\nmethod: POST\n".to_vec(),
        )],
    );
    // A legal file name whose generated module name is too long for a file.
    let long = "Ab".repeat(120);
    make(
        "made_name_too_long",
        Expect::Error,
        &[&format!("{long}.yaml")],
        vec![(
            format!("operations/{long}.yaml"),
            format!("name: {long}\nsummary: s\nmethod: POST\n").into_bytes(),
        )],
    );
    cases
}

/// Run the binary with a hang guard; returns (exit code, output, the largest
/// RSS any child of this test has reached so far, in KiB).
fn run_acsgen(args: &[&std::ffi::OsStr], logs: &Path) -> Result<(Option<i32>, String, i64), ()> {
    let stdout = fs::File::create(logs.join("stdout")).unwrap();
    let stderr = fs::File::create(logs.join("stderr")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_acsgen"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(stderr)
        .spawn()
        .expect("start acsgen");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for acsgen") {
            break status;
        }
        if started.elapsed() > HANG_AFTER {
            let _ = child.kill();
            let _ = child.wait();
            return Err(());
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    // SAFETY: rusage is plain data that getrusage fills in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: a valid `who` and a valid out pointer.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    let output = format!(
        "{}{}",
        fs::read_to_string(logs.join("stdout")).unwrap_or_default(),
        fs::read_to_string(logs.join("stderr")).unwrap_or_default()
    );
    Ok((status.code(), output, usage.ru_maxrss))
}

/// The files a previous, good run left: every case starts from them.
fn seed_previous_output(out: &Path, products: &[String]) {
    let live = support::root().join("generated/live");
    for product in products {
        support::copy_tree(&live.join("src"), &out.join(product).join("src"));
        for file in ["Cargo.toml", "acsgen.lock", "rustfmt.toml"] {
            fs::copy(live.join(file), out.join(product).join(file)).unwrap();
        }
    }
}

fn run_case(case: &Case, work: &Path, figures: &mut Figures) -> Option<Outcome> {
    let out = work.join("out").join(&case.name);
    let logs = work.join("logs").join(&case.name);
    fs::create_dir_all(&logs).unwrap();
    let products = product_dirs(&case.spec);
    seed_previous_output(&out, &products);
    let before = snapshot(&out);
    let args = [
        "generate".as_ref(),
        "--spec".as_ref(),
        case.spec.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ];
    let name = &case.name;
    let Ok((code, output, rss)) = run_acsgen(&args, &logs) else {
        figures.hangs.push(name.clone());
        return None;
    };
    if rss > figures.peak_rss_kb {
        figures.peak_rss_kb = rss;
        figures.peak_case = name.clone();
    }
    if code == Some(101) || code.is_none() || output.contains("panicked at") {
        figures
            .panics
            .push(format!("{name}: exit {code:?}\n{output}"));
        return None;
    }
    let outcome = match code {
        Some(0) => Outcome::Generated,
        // 2: the spec is refused; 4: the write is (a name too long for
        // the file system), before anything changed.
        Some(2) | Some(4) => Outcome::Diagnosed,
        other => {
            figures
                .unexpected
                .push(format!("{name}: exit {other:?}\n{output}"));
            return None;
        }
    };
    let expected = match case.expect {
        Expect::Error => outcome == Outcome::Diagnosed,
        Expect::Compiles => outcome == Outcome::Generated,
        Expect::Either => true,
    };
    if !expected {
        figures.unexpected.push(format!(
            "{name}: expected {:?}, got {outcome:?}\n{}",
            case.expect,
            excerpt(&output)
        ));
    }
    if outcome == Outcome::Diagnosed {
        figures.diagnosed += 1;
        if snapshot(&out) != before {
            figures.partial_writes.push(name.clone());
        }
        let missing: Vec<&String> = case
            .mentions
            .iter()
            .filter(|m| !output.contains(m.as_str()))
            .collect();
        // A clear diagnostic names the file it is about.
        let names_a_file = output.contains(&*case.spec.to_string_lossy());
        if !missing.is_empty() || !names_a_file {
            figures.unclear.push(format!(
                "{name}: missing {missing:?} or a spec path in:\n{}",
                excerpt(&output)
            ));
        }
    } else {
        figures.generated += 1;
    }
    Some(outcome)
}

fn excerpt(text: &str) -> String {
    text.chars().take(2000).collect()
}

/// Identifiers that only injected spec text could have put in the code.
fn injected_identifiers(krate: &acsgen::generate::GeneratedCrate) -> Vec<String> {
    support::identifiers(krate)
        .into_iter()
        .filter(|ident| ident.contains("injected"))
        .collect()
}

/// Cargo.toml must have exactly the tables and dependencies acsgen writes.
fn cargo_toml_injections(krate: &acsgen::generate::GeneratedCrate) -> Vec<String> {
    let text = &krate.files["Cargo.toml"];
    let manifest: toml_edit::DocumentMut = match text.parse() {
        Ok(manifest) => manifest,
        Err(e) => return vec![format!("Cargo.toml does not parse: {e}")],
    };
    let mut found = Vec::new();
    let allowed_tables = ["package", "features", "dependencies", "dev-dependencies"];
    for (key, _) in manifest.iter() {
        if !allowed_tables.contains(&key) {
            found.push(format!("table `{key}`"));
        }
    }
    for table in ["dependencies", "dev-dependencies"] {
        if let Some(deps) = manifest.get(table).and_then(|t| t.as_table_like()) {
            for (dep, _) in deps.iter() {
                if !["acsgen-runtime", "serde", "serde_json", "tokio"].contains(&dep) {
                    found.push(format!("{table}.{dep}"));
                }
            }
        }
    }
    if let Some(package) = manifest.get("package").and_then(|p| p.as_table_like()) {
        for key in ["build", "links", "workspace"] {
            if package.contains_key(key) {
                found.push(format!("package.{key}"));
            }
        }
    }
    found
}

#[test]
fn hostile_corpus_never_panics_hangs_half_writes_or_injects() {
    let work = tempfile::tempdir().unwrap();
    let mut cases = committed_cases(work.path());
    cases.extend(made_cases(work.path()));
    let mut figures = Figures {
        cases: cases.len(),
        ..Figures::default()
    };
    let mut generated = Vec::new();
    for case in &cases {
        if run_case(case, work.path(), &mut figures) == Some(Outcome::Generated) {
            for product in product_dirs(&case.spec) {
                let krate = support::generate_for_check(&case.spec.join(&product));
                for ident in injected_identifiers(&krate) {
                    figures
                        .injections
                        .push(format!("{}: identifier {ident}", case.name));
                }
                for entry in cargo_toml_injections(&krate) {
                    figures
                        .injections
                        .push(format!("{}: Cargo.toml {entry}", case.name));
                }
                generated.push(krate);
            }
        }
    }
    // Distinct directory names, so all crates share one workspace.
    let mut seen = std::collections::BTreeSet::new();
    assert!(
        generated.iter().all(|c| seen.insert(c.dir_name.clone())),
        "two cases use the same product directory name"
    );
    // Before compiling, so a failing build still shows how far the run got.
    println!(
        "hostile corpus, before compiling: {} cases, {} diagnosed, {} generated, {} panics, {} hangs, {} partial writes, {} unclear, {} unexpected, {} injections; peak RSS {} MiB ({})\n{:#?}",
        figures.cases,
        figures.diagnosed,
        figures.generated,
        figures.panics.len(),
        figures.hangs.len(),
        figures.partial_writes.len(),
        figures.unclear.len(),
        figures.unexpected.len(),
        figures.injections.len(),
        figures.peak_rss_kb / 1024,
        figures.peak_case,
        (&figures.panics, &figures.hangs, &figures.partial_writes, &figures.unclear, &figures.unexpected, &figures.injections),
    );
    support::cargo_check("hostile", &generated, true);
    let (doctests, failed, ignored) = support::cargo_doctest("hostile");
    let own: usize = generated.iter().map(support::own_doctests).sum();
    if (doctests, failed, ignored) != (own, 0, 0) {
        figures.injections.push(format!(
            "{doctests} doctests ran, acsgen writes {own}: spec text became doctests"
        ));
    }
    println!(
        "hostile corpus: {} cases, {} clear diagnostics, {} generated crates (clippy, rustdoc, {} doctests: all acsgen's own), {} unclear, {} unexpected outcomes, {} panics, {} hangs, {} partial writes, {} injections, 0 non-compiling outputs; peak RSS {} MiB ({})",
        figures.cases,
        figures.diagnosed - figures.unclear.len().min(figures.diagnosed),
        figures.generated,
        doctests,
        figures.unclear.len(),
        figures.unexpected.len(),
        figures.panics.len(),
        figures.hangs.len(),
        figures.partial_writes.len(),
        figures.injections.len(),
        figures.peak_rss_kb / 1024,
        figures.peak_case,
    );
    let problems: Vec<String> = [
        ("panics", &figures.panics),
        ("hangs", &figures.hangs),
        ("partial writes", &figures.partial_writes),
        ("unclear diagnostics", &figures.unclear),
        ("unexpected outcomes", &figures.unexpected),
        ("injections", &figures.injections),
    ]
    .into_iter()
    .filter(|(_, list)| !list.is_empty())
    .map(|(what, list)| format!("{what}:\n  {}", list.join("\n  ")))
    .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
