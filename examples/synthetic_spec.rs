//! Writes the benchmark's synthetic spec to a directory, to measure the
//! real CLI (e.g. peak memory with `/usr/bin/time -v`):
//!
//! `cargo run --release --example synthetic_spec -- /tmp/synth 1000`

use std::path::PathBuf;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().unwrap_or_else(|| "synthetic-spec".into()));
    let count = args.next().and_then(|n| n.parse().ok()).unwrap_or(1000);
    let files = acsgen::synthetic::product_files(count);
    let dir = root.join(&files.dir_name);
    std::fs::create_dir_all(dir.join("operations"))?;
    std::fs::write(dir.join("product.yaml"), &files.product)?;
    for (name, text) in &files.operations {
        std::fs::write(dir.join("operations").join(name), text)?;
    }
    println!("wrote {count} operations to {}", dir.display());
    Ok(())
}
