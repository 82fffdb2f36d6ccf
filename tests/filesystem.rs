//! The file system as an adversary: spec paths that are FIFOs, devices,
//! symlink loops or directories; oversized, BOM-prefixed and non-UTF-8
//! files; a spec tree that cannot be read completely (nothing generated may
//! then be deleted); output that cannot be written (the previous tree stays
//! byte-identical, mtimes included); and git revisions that look like
//! options. Every read runs in a thread with a generous deadline, so a
//! blocking open fails the test instead of hanging it.

#![cfg(unix)]

mod support;

use std::collections::BTreeMap;
use std::ffi::CString;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::mpsc;
use std::time::{Duration, SystemTime};

use acsgen::exit::{Exit, Failure};
use acsgen::format::MARKER_RS;
use acsgen::generate::{generate_all, GenerateError};
use acsgen::import::{import, ImportOptions};
use acsgen::load::{read_bytes, read_product_dir, FileError, MAX_FILE_BYTES};
use acsgen::write::{apply, write_crate, Update, STAGING_DIR};
use support::{git, DEMO_OPERATION, DEMO_PRODUCT};

const BIN: &str = env!("CARGO_BIN_EXE_acsgen");

fn operation(name: &str) -> String {
    DEMO_OPERATION.replace("name: Ping", &format!("name: {name}"))
}

/// `<root>/demo` with product.yaml and the named operations.
fn spec_tree(root: &Path, operations: &[&str]) -> PathBuf {
    let texts: Vec<(String, String)> = operations
        .iter()
        .map(|name| (format!("{name}.yaml"), operation(name)))
        .collect();
    let files: Vec<(&str, &str)> = texts
        .iter()
        .map(|(f, t)| (f.as_str(), t.as_str()))
        .collect();
    support::demo_spec_tree(root, DEMO_PRODUCT, None, &files)
}

/// Run `work` in a thread; fail if it has not finished within 30 s (a
/// blocked open of a FIFO would never finish).
fn within_deadline<T: Send + 'static>(what: &str, work: impl FnOnce() -> T + Send + 'static) -> T {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(work());
    });
    receive
        .recv_timeout(Duration::from_secs(30))
        .unwrap_or_else(|_| panic!("{what} did not finish within 30 s: it blocks"))
}

fn mkfifo(path: &Path) {
    let c = CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    let rc = unsafe { libc::mkfifo(c.as_ptr(), 0o644) };
    assert_eq!(rc, 0, "mkfifo {}", path.display());
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// The diagnostics of generating `root`, as strings (the root shown as ROOT).
fn spec_errors(root: &Path) -> Vec<String> {
    let owned = root.to_path_buf();
    let result = within_deadline("generate_all", move || {
        generate_all(&owned, None).map(|crates| crates.len())
    });
    match result {
        Ok(n) => panic!("expected spec errors, generated {n} crate(s)"),
        Err(GenerateError::Spec(d)) => {
            for diagnostic in &d.0 {
                assert!(
                    !diagnostic.file.as_os_str().is_empty(),
                    "diagnostic without a file: {diagnostic}"
                );
            }
            d.0.iter()
                .map(|d| d.to_string().replace(&root.display().to_string(), "ROOT"))
                .collect()
        }
        Err(other) => panic!("expected spec errors, got {other}"),
    }
}

fn assert_one_error(root: &Path, expected: &str) {
    let errors = spec_errors(root);
    assert!(
        errors.iter().any(|e| e == expected),
        "expected {expected:?}\n     got {errors:#?}"
    );
}

#[test]
fn fifo_spec_files_are_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let product = spec_tree(dir.path(), &["Ping"]);
    mkfifo(&product.join("operations/Fifo.yaml"));
    assert_one_error(
        dir.path(),
        "ROOT/demo/operations/Fifo.yaml: cannot read: is a FIFO (named pipe), not a regular file",
    );
    // product.yaml and components.yaml as FIFOs too.
    fs::remove_file(product.join("product.yaml")).unwrap();
    mkfifo(&product.join("product.yaml"));
    mkfifo(&product.join("components.yaml"));
    let errors = spec_errors(dir.path());
    for file in ["product.yaml", "components.yaml", "operations/Fifo.yaml"] {
        let expected =
            format!("ROOT/demo/{file}: cannot read: is a FIFO (named pipe), not a regular file");
        assert!(errors.contains(&expected), "{expected:?} in {errors:#?}");
    }
}

#[test]
fn devices_loops_and_directories_are_refused_with_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let product = spec_tree(dir.path(), &["Ping"]);
    let ops = product.join("operations");
    symlink("/dev/zero", ops.join("Zero.yaml")).unwrap();
    symlink("Loop.yaml", ops.join("Loop.yaml")).unwrap();
    symlink(".", ops.join("Itself.yaml")).unwrap();
    fs::create_dir(ops.join("Folder.yaml")).unwrap();
    symlink("nowhere", ops.join("Dangling.yaml")).unwrap();
    let errors = spec_errors(dir.path());
    let expect = |file: &str, message: &str| {
        let line = format!("ROOT/demo/operations/{file}: {message}");
        assert!(
            errors.iter().any(|e| e.starts_with(&line)),
            "{line:?} in {errors:#?}"
        );
    };
    expect(
        "Zero.yaml",
        "cannot read: is a character device, not a regular file",
    );
    expect(
        "Loop.yaml",
        "cannot read: Too many levels of symbolic links",
    );
    expect(
        "Itself.yaml",
        "cannot read: is a directory, not a regular file",
    );
    expect(
        "Folder.yaml",
        "cannot read: is a directory, not a regular file",
    );
    expect("Dangling.yaml", "cannot read: No such file or directory");
    assert_eq!(errors.len(), 5, "{errors:#?}");

    // product.yaml pointing at a device; a product directory that is a loop.
    let dir = tempfile::tempdir().unwrap();
    let product = spec_tree(dir.path(), &["Ping"]);
    fs::remove_file(product.join("product.yaml")).unwrap();
    symlink("/dev/zero", product.join("product.yaml")).unwrap();
    symlink("looped", dir.path().join("looped")).unwrap();
    // A directory linked into itself is not a product and is not walked.
    symlink(".", product.join("operations/again")).unwrap();
    let errors = spec_errors(dir.path());
    assert!(
        errors.contains(
            &"ROOT/demo/product.yaml: cannot read: is a character device, not a regular file"
                .to_owned()
        ),
        "{errors:#?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("ROOT/looped: cannot read: Too many levels")),
        "{errors:#?}"
    );
    // The operations directory itself replaced by a file or a device.
    let dir = tempfile::tempdir().unwrap();
    let product = spec_tree(dir.path(), &[]);
    fs::remove_dir(product.join("operations")).unwrap();
    symlink("/dev/null", product.join("operations")).unwrap();
    assert_one_error(
        dir.path(),
        "ROOT/demo/operations: cannot read: is a character device, not a directory",
    );
}

#[test]
fn oversized_files_are_refused_naming_size_and_limit() {
    let dir = tempfile::tempdir().unwrap();
    let product = spec_tree(dir.path(), &["Ping"]);
    // Sparse: costs no disk and, since the size is checked first, no reading.
    let big = fs::File::create(product.join("operations/Big.yaml")).unwrap();
    big.set_len(MAX_FILE_BYTES + 1).unwrap();
    assert_one_error(
        dir.path(),
        &format!(
            "ROOT/demo/operations/Big.yaml: cannot read: the file is {} bytes or more, over the limit of {MAX_FILE_BYTES} bytes (64 MiB) for one file",
            MAX_FILE_BYTES + 1
        ),
    );
    // The read itself stops at the limit (a file that grows, or /proc).
    let small = dir.path().join("small.txt");
    fs::write(&small, "0123456789abc").unwrap();
    assert!(matches!(
        read_bytes(&small, 10),
        Err(FileError::TooLarge {
            size: 13,
            limit: 10
        })
    ));
    assert_eq!(read_bytes(&small, 13).unwrap(), b"0123456789abc");
    let status = Path::new("/proc/self/status");
    if status.exists() {
        // Reported as 0 bytes long, yet longer than 16: only the read sees it.
        assert!(matches!(
            read_bytes(status, 16),
            Err(FileError::TooLarge { limit: 16, .. })
        ));
    }
    assert!(matches!(
        within_deadline("read /dev/zero", || read_bytes(
            Path::new("/dev/zero"),
            MAX_FILE_BYTES
        )),
        Err(FileError::NotAFile("a character device"))
    ));
}

#[test]
fn byte_order_mark_is_accepted_and_bad_utf8_is_located() {
    let plain = tempfile::tempdir().unwrap();
    spec_tree(plain.path(), &["Ping"]);
    let with_bom = tempfile::tempdir().unwrap();
    let product = spec_tree(with_bom.path(), &[]);
    fs::write(
        product.join("product.yaml"),
        format!("\u{feff}{DEMO_PRODUCT}"),
    )
    .unwrap();
    fs::write(
        product.join("operations/Ping.yaml"),
        format!("\u{feff}{}", operation("Ping")),
    )
    .unwrap();
    let a = generate_all(plain.path(), None).unwrap();
    let b = generate_all(with_bom.path(), None).unwrap();
    assert_eq!(a[0].files, b[0].files, "a BOM changes nothing");

    let bad = tempfile::tempdir().unwrap();
    let product = spec_tree(bad.path(), &["Ping"]);
    let mut bytes = operation("Ping").into_bytes();
    // Line 2 is "summary: Checks the service.": break the `C`.
    let at = bytes.iter().position(|&b| b == b'C').unwrap();
    bytes[at] = 0xFF;
    fs::write(product.join("operations/Ping.yaml"), &bytes).unwrap();
    assert_one_error(
        bad.path(),
        &format!(
            "ROOT/demo/operations/Ping.yaml:2:10: is not UTF-8 text: invalid byte 0xff at byte offset {at}"
        ),
    );
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(DEMO_PRODUCT.encode_utf16().flat_map(|u| u.to_le_bytes()));
    fs::write(product.join("product.yaml"), utf16).unwrap();
    let errors = spec_errors(bad.path());
    assert!(
        errors.contains(&"ROOT/demo/product.yaml: is UTF-16 text (it starts with a UTF-16 byte-order mark): save it as UTF-8".to_owned()),
        "{errors:#?}"
    );
}

/// Every file under `dir` with its bytes and mtime.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in fs::read_dir(&current).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            let meta = fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap().to_path_buf();
                let bytes = if meta.is_file() {
                    fs::read(&path).unwrap()
                } else {
                    Vec::new()
                };
                out.insert(relative, (bytes, meta.modified().unwrap()));
            }
        }
    }
    out
}

fn run(args: &[&str], spec: &Path, out: &Path) -> Output {
    let spec = spec.to_path_buf();
    let out = out.to_path_buf();
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    within_deadline("acsgen", move || {
        Command::new(BIN)
            .args(&args)
            .arg("--spec")
            .arg(&spec)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap()
    })
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_partly_readable_spec_never_deletes_generated_files() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec");
    let out = dir.path().join("out");
    let product = spec_tree(&spec, &["Ping", "Pong"]);
    // A second product, so one product's failure is seen to stop both.
    let other = spec.join("other");
    fs::create_dir_all(other.join("operations")).unwrap();
    fs::write(
        other.join("product.yaml"),
        DEMO_PRODUCT
            .replace("product: demo", "product: other")
            .replace("demo-client", "other-client"),
    )
    .unwrap();
    fs::write(other.join("operations/Ping.yaml"), operation("Ping")).unwrap();
    let generated = run(&["generate"], &spec, &out);
    assert!(generated.status.success(), "{}", stderr(&generated));
    assert!(out.join("demo/src/operations/pong.rs").exists());
    let before = snapshot(&out);

    let pong = product.join("operations/Pong.yaml");
    let pong_text = fs::read(&pong).unwrap();
    let product_yaml = product.join("product.yaml");
    let ops = product.join("operations");
    type Break<'a> = Box<dyn Fn() + 'a>;
    let breaks: Vec<(&str, Break)> = vec![
        (
            "operation file became a FIFO",
            Box::new(|| {
                fs::remove_file(&pong).unwrap();
                mkfifo(&pong);
            }),
        ),
        (
            "operation file became a directory",
            Box::new(|| {
                fs::remove_file(&pong).unwrap();
                fs::create_dir(&pong).unwrap();
            }),
        ),
        (
            "operation file became a symlink loop",
            Box::new(|| {
                fs::remove_file(&pong).unwrap();
                symlink("Pong.yaml", &pong).unwrap();
            }),
        ),
        (
            "operation file is not UTF-8",
            Box::new(|| fs::write(&pong, b"name: Pong\xff\n").unwrap()),
        ),
        (
            "product.yaml became a dangling symlink",
            Box::new(|| {
                fs::remove_file(&product_yaml).unwrap();
                symlink("gone.yaml", &product_yaml).unwrap();
            }),
        ),
        (
            "operations directory became a file",
            Box::new(|| {
                fs::rename(&ops, dir.path().join("ops-aside")).unwrap();
                fs::write(&ops, "").unwrap();
            }),
        ),
    ];
    for (what, break_it) in &breaks {
        break_it();
        let failed = run(&["generate"], &spec, &out);
        assert_eq!(failed.status.code(), Some(2), "{what}: {}", stderr(&failed));
        assert!(
            stderr(&failed).contains("cannot read") || stderr(&failed).contains("not UTF-8"),
            "{what}: {}",
            stderr(&failed)
        );
        assert_eq!(snapshot(&out), before, "{what}: the output was touched");
        // Restore the spec as it was.
        if fs::symlink_metadata(&ops).is_ok_and(|m| m.is_file()) {
            fs::remove_file(&ops).unwrap();
            fs::rename(dir.path().join("ops-aside"), &ops).unwrap();
        }
        if fs::symlink_metadata(&pong).is_ok_and(|m| m.is_dir()) {
            fs::remove_dir(&pong).unwrap();
        } else {
            let _ = fs::remove_file(&pong);
        }
        fs::write(&pong, &pong_text).unwrap();
        let _ = fs::remove_file(&product_yaml);
        fs::write(&product_yaml, DEMO_PRODUCT).unwrap();
    }
    if !is_root() {
        // Root reads anything, so a permission error needs another user.
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&pong, fs::Permissions::from_mode(0o000)).unwrap();
        let failed = run(&["generate"], &spec, &out);
        fs::set_permissions(&pong, fs::Permissions::from_mode(0o644)).unwrap();
        assert_eq!(failed.status.code(), Some(2), "{}", stderr(&failed));
        assert!(stderr(&failed).contains("Permission denied"));
        assert_eq!(snapshot(&out), before);
    }
    // Removing the file for real does remove the operation.
    fs::remove_file(&pong).unwrap();
    let removed = run(&["generate"], &spec, &out);
    assert!(removed.status.success(), "{}", stderr(&removed));
    assert!(!out.join("demo/src/operations/pong.rs").exists());
}

/// An operation name that fits a spec file name (245 bytes) but whose
/// generated module file name (`ab_ab_…_ab.rs`) does not fit in 255 bytes.
fn long_name() -> String {
    "Ab".repeat(120)
}

#[test]
fn a_file_name_too_long_for_the_file_system_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec");
    let out = dir.path().join("out");
    let product = spec_tree(&spec, &["Ping"]);
    let generated = run(&["generate"], &spec, &out);
    assert!(generated.status.success(), "{}", stderr(&generated));
    let before = snapshot(&out);
    fs::write(
        product.join("operations/Ping.yaml"),
        operation("Ping").replace("Checks", "Pings"),
    )
    .unwrap();
    let name = long_name();
    fs::write(
        product.join("operations").join(format!("{name}.yaml")),
        operation(&name),
    )
    .unwrap();
    let failed = run(&["generate"], &spec, &out);
    let message = stderr(&failed);
    match failed.status.code() {
        // Either the spec is refused, or the write is, before any change.
        Some(2) => assert!(message.contains(&name), "{message}"),
        Some(4) => assert!(
            message.contains("bytes a file name may have") && message.contains("ab_ab_ab"),
            "{message}"
        ),
        other => panic!("exit {other:?}: {message}"),
    }
    assert_eq!(snapshot(&out), before, "the previous tree is untouched");
}

#[test]
fn a_failed_write_leaves_every_crate_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    let files = |text: &str| -> BTreeMap<String, String> {
        [
            ("lib.rs".to_owned(), format!("{MARKER_RS}\n{text}\n")),
            ("src/one.rs".to_owned(), format!("{MARKER_RS}\n{text}\n")),
            ("src/old.rs".to_owned(), format!("{MARKER_RS}\nold\n")),
        ]
        .into_iter()
        .collect()
    };
    write_crate(&a, &files("first")).unwrap();
    write_crate(&b, &files("first")).unwrap();
    let before_a = snapshot(&a);
    let before_b = snapshot(&b);

    // b needs a new directory where a dangling symlink stands: the paths
    // pass the checks, staging passes, and the commit fails in b after a
    // was committed. a must be rolled back.
    symlink("nowhere", b.join("newdir")).unwrap();
    let mut wanted = files("second");
    wanted.remove("src/old.rs");
    let mut wanted_b = wanted.clone();
    wanted_b.insert("newdir/x.rs".to_owned(), format!("{MARKER_RS}\n"));
    let error =
        acsgen::write::write_crates(&[(a.clone(), &wanted), (b.clone(), &wanted_b)]).unwrap_err();
    assert!(error.path.starts_with(&b), "{error}");
    assert_eq!(snapshot(&a), before_a, "a rolled back");
    let mut after_b = snapshot(&b);
    after_b.remove(Path::new("newdir"));
    assert_eq!(after_b, before_b, "b untouched");
    assert!(!a.join(STAGING_DIR).exists() && !b.join(STAGING_DIR).exists());

    // A file where a directory must go is found before anything is staged.
    fs::remove_file(b.join("newdir")).unwrap();
    fs::write(b.join("newdir"), "in the way").unwrap();
    let error =
        acsgen::write::write_crates(&[(a.clone(), &wanted), (b.clone(), &wanted_b)]).unwrap_err();
    assert!(error.to_string().contains("not a directory"), "{error}");
    assert_eq!(snapshot(&a), before_a);

    // Paths that are not plain, or too long, are refused up front.
    for bad in [
        "../escape.rs",
        "/abs.rs",
        "a//b.rs",
        &format!("{}.rs", "x".repeat(300)),
    ] {
        let update = Update {
            dir: a.clone(),
            writes: [(bad.to_owned(), "x".to_owned())].into_iter().collect(),
            removals: Vec::new(),
        };
        assert!(apply(&[update]).is_err(), "{bad} accepted");
        assert_eq!(snapshot(&a), before_a, "{bad}");
    }

    {
        // Unwritable through permissions, or chattr +i as root.
        let guard = Unwritable::new(&a.join("src"))
            .expect("cannot make a directory unwritable here (as root this needs chattr +i)");
        let result = write_crate(&a, &wanted);
        drop(guard);
        assert!(result.is_err());
        assert_eq!(snapshot(&a), before_a);
    }

    // And when everything can be written, unchanged files keep their mtime.
    let mut wanted = files("first");
    wanted.insert("lib.rs".to_owned(), format!("{MARKER_RS}\nthird\n"));
    let changes = write_crate(&a, &wanted).unwrap();
    assert_eq!(changes.modified, vec!["lib.rs"]);
    let after = snapshot(&a);
    assert_eq!(
        after[Path::new("src/one.rs")],
        before_a[Path::new("src/one.rs")]
    );
    assert_eq!(
        after[Path::new("lib.rs")].0,
        format!("{MARKER_RS}\nthird\n").as_bytes()
    );
    assert!(!a.join(STAGING_DIR).exists());
}

/// Makes a directory unwritable for this process until dropped: by mode
/// for a normal user, by the immutable attribute for root (whom modes do
/// not stop). `None` when neither is possible here.
struct Unwritable(PathBuf, bool);

impl Unwritable {
    fn new(dir: &Path) -> Option<Self> {
        if is_root() {
            let done = Command::new("chattr").arg("+i").arg(dir).output();
            return match done {
                Ok(output) if output.status.success() => Some(Unwritable(dir.to_path_buf(), true)),
                _ => None,
            };
        }
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o555)).ok()?;
        Some(Unwritable(dir.to_path_buf(), false))
    }
}

impl Drop for Unwritable {
    fn drop(&mut self) {
        if self.1 {
            let _ = Command::new("chattr").arg("-i").arg(&self.0).output();
        } else {
            use std::os::unix::fs::PermissionsExt;
            let _ = fs::set_permissions(&self.0, fs::Permissions::from_mode(0o755));
        }
    }
}

#[test]
fn an_unwritable_directory_leaves_the_previous_tree() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec");
    let out = dir.path().join("out");
    let product = spec_tree(&spec, &["Ping", "Pong"]);
    assert!(run(&["generate"], &spec, &out).status.success());
    let before = snapshot(&out);
    // Changes at the crate root (acsgen.lock, lib.rs) are committed before
    // the operations directory is reached, and must be undone.
    fs::write(
        product.join("operations/Ping.yaml"),
        operation("Ping").replace("Checks", "Pings"),
    )
    .unwrap();
    fs::remove_file(product.join("operations/Pong.yaml")).unwrap();
    fs::write(product.join("operations/Zap.yaml"), operation("Zap")).unwrap();
    // As root only `chattr +i` makes a directory unwritable; a machine
    // without it must fail here, not pass without testing the rollback.
    let guard = Unwritable::new(&out.join("demo/src/operations"))
        .expect("cannot make a directory unwritable here (as root this needs chattr +i)");
    let failed = run(&["generate"], &spec, &out);
    let after = snapshot(&out);
    drop(guard);
    assert_eq!(failed.status.code(), Some(4), "{}", stderr(&failed));
    assert!(
        stderr(&failed).contains("src/operations/"),
        "{}",
        stderr(&failed)
    );
    assert!(stderr(&failed).contains("nothing was written"));
    assert_eq!(after, before, "the previous tree, bytes and mtimes");
    assert!(!out.join("demo").join(STAGING_DIR).exists());
    // Writable again: the same run goes through.
    let generated = run(&["generate"], &spec, &out);
    assert!(generated.status.success(), "{}", stderr(&generated));
    assert!(out.join("demo/src/operations/zap.rs").exists());
    assert!(!out.join("demo/src/operations/pong.rs").exists());
}

#[test]
fn a_staging_area_left_by_a_killed_run_is_cleared() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec");
    let out = dir.path().join("out");
    let product = spec_tree(&spec, &["Ping"]);
    assert!(run(&["generate"], &spec, &out).status.success());
    let staging = out.join("demo").join(STAGING_DIR);
    fs::create_dir_all(staging.join("new/src")).unwrap();
    fs::write(staging.join("new/src/lib.rs"), "half").unwrap();
    // Ignored by check, and by generate when nothing changed.
    let checked = run(&["check"], &spec, &out);
    assert!(checked.status.success(), "{}", stderr(&checked));
    fs::write(
        product.join("operations/Ping.yaml"),
        operation("Ping").replace("Checks", "Pings"),
    )
    .unwrap();
    let generated = run(&["generate"], &spec, &out);
    assert!(generated.status.success(), "{}", stderr(&generated));
    assert!(!staging.exists(), "leftover cleared");
    assert!(run(&["check"], &spec, &out).status.success());
}

#[test]
fn the_output_tree_is_read_without_following_links() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec");
    let out = dir.path().join("out");
    spec_tree(&spec, &["Ping"]);
    assert!(run(&["generate"], &spec, &out).status.success());
    let crate_dir = out.join("demo");
    symlink("..", crate_dir.join("src/up")).unwrap();
    symlink("loop", crate_dir.join("src/loop")).unwrap();
    symlink("/dev/zero", crate_dir.join("src/zero.rs")).unwrap();
    mkfifo(&crate_dir.join("src/fifo.rs"));
    let found = within_deadline("read_generated", move || {
        acsgen::write::read_generated(&crate_dir).map(|f| f.into_keys().collect::<Vec<_>>())
    })
    .unwrap();
    assert!(found
        .iter()
        .all(|p| !p.contains("up/") && !p.contains("zero") && !p.contains("fifo")));
    assert!(found.contains(&"src/operations/ping.rs".to_owned()));
    let again = run(&["generate"], &spec, &out);
    assert!(again.status.success(), "{}", stderr(&again));
    let checked = run(&["check"], &spec, &out);
    assert!(checked.status.success(), "{}", stderr(&checked));
}

fn api_docs(names: &[&str]) -> String {
    let apis: serde_json::Map<String, serde_json::Value> = names
        .iter()
        .map(|name| {
            (
                name.to_string(),
                serde_json::json!({
                    "methods": ["post"],
                    "summary": "Does a thing.",
                    "parameters": [{"name": "Id", "in": "query", "schema": {"type": "string", "required": true}}]
                }),
            )
        })
        .collect();
    serde_json::json!({
        "version": "1.0",
        "info": {"style": "RPC", "product": "Demo", "version": "2020-01-01"},
        "apis": apis,
        "endpoints": [{"regionId": "cn-hangzhou", "endpoint": "demo.cn-hangzhou.aliyuncs.com"}]
    })
    .to_string()
}

#[test]
fn import_is_all_or_nothing_and_refuses_odd_files() {
    let dir = tempfile::tempdir().unwrap();
    // A spec root so deep that the file of a 100-character operation name
    // (the longest the validator allows) still has a path the kernel takes,
    // but its staged copy (20 bytes longer) has not: the import must fail
    // on the path check, before writing anything.
    let long = format!("Do{}", "x".repeat(98));
    let target = 4085 - "/demo/operations/".len() - format!("{long}.yaml").len();
    let mut out = dir.path().to_path_buf();
    while out.as_os_str().len() < target {
        let room = target - out.as_os_str().len() - 1;
        out.push("d".repeat(room.clamp(1, 200)));
    }
    let input = dir.path().join("api-docs.json");
    fs::write(&input, api_docs(&["DoThing", "DoOther"])).unwrap();
    let report = import(&ImportOptions::new(&input, &out)).unwrap();
    assert_eq!(report.written.len(), 3, "{report}");
    let before = snapshot(&out);

    fs::write(&input, api_docs(&["DoThing", &long])).unwrap();
    let error = import(&ImportOptions::new(&input, &out)).unwrap_err();
    assert_eq!(error.exit(), Exit::Io, "{error}");
    assert!(
        error.to_string().contains("bytes a path may have"),
        "{error}"
    );
    assert_eq!(
        snapshot(&out),
        before,
        "nothing written, DoOther not removed"
    );

    // The input as a FIFO or a device: refused, never opened for reading.
    let fifo = dir.path().join("fifo.json");
    mkfifo(&fifo);
    for bad in [fifo.clone(), PathBuf::from("/dev/zero")] {
        let opts = ImportOptions::new(&bad, &out);
        let error = within_deadline("import", move || import(&opts).map(|_| ())).unwrap_err();
        assert_eq!(error.exit(), Exit::BadInput);
        let text = error.to_string();
        assert!(text.starts_with(&bad.display().to_string()), "{text}");
        assert!(text.contains("not a regular file"), "{text}");
    }
    let mut opts = ImportOptions::new(&input, &out);
    opts.older = Some(fifo.clone());
    let error = within_deadline("import", move || import(&opts).map(|_| ())).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("fifo.json: cannot read: is a FIFO"),
        "{error}"
    );

    // An existing operation file that is a FIFO: an error, spec untouched.
    fs::write(&input, api_docs(&["DoThing", "DoOther", "DoThird"])).unwrap();
    let existing = out.join("demo/operations/DoOther.yaml");
    let kept = fs::read(&existing).unwrap();
    fs::remove_file(&existing).unwrap();
    mkfifo(&existing);
    let before = snapshot(&out);
    let opts = ImportOptions::new(&input, &out);
    let error = within_deadline("import", move || import(&opts).map(|_| ())).unwrap_err();
    assert_eq!(error.exit(), Exit::Io);
    assert!(
        error
            .to_string()
            .contains("DoOther.yaml: cannot read: is a FIFO"),
        "{error}"
    );
    assert_eq!(snapshot(&out), before);
    fs::remove_file(&existing).unwrap();
    fs::write(&existing, kept).unwrap();

    // An unwritable operations directory: components.yaml (committed
    // before operations/) must be taken back.
    let mut doc: serde_json::Value =
        serde_json::from_str(&api_docs(&["DoThing", "DoOther", "DoNew"])).unwrap();
    doc["components"] = serde_json::json!({"schemas": {"Thing": {
        "type": "object", "properties": {"A": {"type": "string"}}
    }}});
    fs::write(&input, doc.to_string()).unwrap();
    let before = snapshot(&out);
    {
        let guard = Unwritable::new(&out.join("demo/operations"))
            .expect("cannot make a directory unwritable here (as root this needs chattr +i)");
        let error = import(&ImportOptions::new(&input, &out)).unwrap_err();
        let after = snapshot(&out);
        drop(guard);
        assert_eq!(error.exit(), Exit::Io, "{error}");
        assert!(
            error.to_string().contains("operations/DoNew.yaml"),
            "{error}"
        );
        assert_eq!(after, before, "spec untouched");
        let report = import(&ImportOptions::new(&input, &out)).unwrap();
        assert!(out.join("demo/components.yaml").exists(), "{report}");
        fs::write(&input, api_docs(&["DoThing", "DoOther"])).unwrap();
        import(&ImportOptions::new(&input, &out)).unwrap();
        fs::remove_file(out.join("demo/components.yaml")).unwrap();
    }

    // A BOM in the input is fine.
    fs::write(
        &input,
        format!("\u{feff}{}", api_docs(&["DoThing", "DoOther"])),
    )
    .unwrap();
    let report = import(&ImportOptions::new(&input, &out)).unwrap();
    assert!(report.written.is_empty(), "{report}");
    assert!(!out.join("demo").join(STAGING_DIR).exists());
    read_product_dir(&out.join("demo")).unwrap();
}

#[test]
fn revisions_that_look_like_options_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    git(repo, &["init", "-q"]);
    spec_tree(&repo.join("spec"), &["Ping"]);
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "spec"]);
    let acsgen = |args: &[&str]| {
        Command::new(BIN)
            .args(args)
            .current_dir(repo)
            .output()
            .unwrap()
    };
    let marker = repo.join("written-by-git");
    let output_option = format!("--base=--output={}", marker.display());
    for args in [
        vec!["diff", output_option.as_str()],
        vec!["diff", "--base=-h"],
        vec!["diff", "--base=--all"],
    ] {
        let output = acsgen(&args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains("starts with `-`: refused"),
            "{args:?}: {}",
            stderr(&output)
        );
    }
    assert!(!marker.exists(), "git took a revision for an option");
    let output = acsgen(&["generate", "--changelog-base=--output=x"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("starts with `-`: refused"),
        "{}",
        stderr(&output)
    );
    assert!(!repo.join("generated").exists(), "nothing written");

    // Not a commit: a tree, a blob, garbage.
    for rev in [
        "HEAD^{tree}",
        "HEAD:spec/demo/product.yaml",
        "no-such-rev",
        "",
    ] {
        let output = acsgen(&["diff", &format!("--base={rev}")]);
        assert_eq!(output.status.code(), Some(2), "{rev}: {}", stderr(&output));
        assert!(
            stderr(&output).contains("is not a commit") || stderr(&output).contains("empty"),
            "{rev}: {}",
            stderr(&output)
        );
    }
    let output = acsgen(&["diff", "--base", "HEAD"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}
