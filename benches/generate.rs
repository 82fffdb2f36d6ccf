//! End-to-end generation speed: parse, validate, model, render and format a
//! synthetic product of 1,000 operations (8 parameters, 5 error codes each),
//! and a spec tree of several such products read from disk (products are
//! made in parallel as well as their files).
//!
//! `cargo bench --bench generate`

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn generate_1000(c: &mut Criterion) {
    let files = acsgen::synthetic::product_files(1000);
    let mut group = c.benchmark_group("generate");
    group.sample_size(10);
    group.throughput(Throughput::Elements(1000));
    group.bench_function("synthetic_1000_operations", |b| {
        b.iter(|| acsgen::generate::generate_product(&files).expect("synthetic spec generates"))
    });
    group.finish();
}

/// Eight products of 125 operations each, as a spec tree on disk.
fn generate_tree(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let files = acsgen::synthetic::product_files(125);
    for product in 0..8 {
        let root = dir.path().join(format!("product{product}"));
        let operations = root.join(acsgen::load::OPERATIONS_DIR);
        std::fs::create_dir_all(&operations).expect("spec directory");
        std::fs::write(root.join(acsgen::load::PRODUCT_FILE), &files.product).expect("write");
        if let Some(components) = &files.components {
            std::fs::write(root.join(acsgen::load::COMPONENTS_FILE), components).expect("write");
        }
        for (name, text) in &files.operations {
            std::fs::write(operations.join(name), text).expect("write");
        }
    }
    let mut group = c.benchmark_group("generate");
    group.sample_size(10);
    group.throughput(Throughput::Elements(1000));
    group.bench_function("synthetic_tree_8x125_operations", |b| {
        b.iter(|| {
            acsgen::generate::generate_all(dir.path(), None).expect("synthetic tree generates")
        })
    });
    group.finish();
}

criterion_group!(benches, generate_1000, generate_tree);
criterion_main!(benches);
