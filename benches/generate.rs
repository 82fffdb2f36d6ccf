//! End-to-end generation speed: parse, validate, model, render and format a
//! synthetic product of 1,000 operations (8 parameters, 5 error codes each).
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

criterion_group!(benches, generate_1000);
criterion_main!(benches);
