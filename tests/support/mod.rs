//! Shared test helpers: locating ../shared, building spec trees in temp
//! directories, and compiling generated crates for real.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use acsgen::generate::{generate_product_with, GeneratedCrate};
use acsgen::load::read_product_dir;
use acsgen::model::Options;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared/metadata`, or `None` (and a notice) on a machine without it.
pub fn metadata_dir(test: &str) -> Option<PathBuf> {
    let dir = root().join("../shared/metadata");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped {test}: ../shared/metadata not found");
        None
    }
}

/// Generate a product directory with the runtime found by absolute path,
/// so the crate compiles wherever it is written.
pub fn generate_for_check(product_dir: &Path) -> GeneratedCrate {
    let files = read_product_dir(product_dir).expect("spec is readable");
    let options = Options {
        runtime_path: root().join("runtime").display().to_string(),
    };
    match generate_product_with(&files, &options) {
        Ok(generated) => generated,
        Err(error) => panic!("generation failed for {}:\n{error}", product_dir.display()),
    }
}

/// Write `crates` as one workspace under target/ and run `cargo check` (with
/// `strict`, clippy and `cargo doc` as well) with warnings denied. One cargo run for all
/// crates keeps CI time down; the target dir is shared between tests.
pub fn cargo_check(name: &str, crates: &[GeneratedCrate], strict: bool) {
    let base = root().join("target/acsgen-test-crates");
    let workspace = base.join(name);
    let _ = std::fs::remove_dir_all(&workspace);
    std::fs::create_dir_all(&workspace).expect("create test workspace");
    let mut members = Vec::new();
    for generated in crates {
        let dir = workspace.join(&generated.dir_name);
        acsgen::write::write_crate(&dir, &generated.files).expect("write crate");
        members.push(format!("{:?}", generated.dir_name));
    }
    std::fs::write(
        workspace.join("Cargo.toml"),
        format!(
            "[workspace]\nmembers = [{}]\nresolver = \"2\"\n",
            members.join(", ")
        ),
    )
    .expect("write workspace manifest");
    // Same dependency versions as the project itself.
    let _ = std::fs::copy(root().join("Cargo.lock"), workspace.join("Cargo.lock"));
    let target = base.join("target");
    let mut runs = vec![vec!["check", "--workspace", "--all-targets", "--quiet"]];
    if strict {
        runs.push(vec![
            "clippy",
            "--workspace",
            "--all-targets",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ]);
        runs.push(vec!["doc", "--workspace", "--no-deps", "--quiet"]);
    }
    for args in runs {
        let output = Command::new(env!("CARGO"))
            .args(&args)
            .current_dir(&workspace)
            .env("CARGO_TARGET_DIR", &target)
            .env("RUSTFLAGS", "-D warnings")
            .env("RUSTDOCFLAGS", "-D warnings")
            .output()
            .expect("run cargo");
        assert!(
            output.status.success(),
            "cargo {} failed for {name}:\n{}",
            args[0],
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// Every identifier in the generated Rust files (for injection checks).
pub fn identifiers(generated: &GeneratedCrate) -> Vec<String> {
    let mut out = Vec::new();
    for (path, text) in &generated.files {
        if path.ends_with(".rs") {
            let file: proc_macro2::TokenStream = text.parse().expect("generated file lexes");
            collect_idents(file, &mut out);
        }
    }
    out
}

fn collect_idents(stream: proc_macro2::TokenStream, out: &mut Vec<String>) {
    for token in stream {
        match token {
            proc_macro2::TokenTree::Ident(ident) => out.push(ident.to_string()),
            proc_macro2::TokenTree::Group(group) => collect_idents(group.stream(), out),
            _ => {}
        }
    }
}
