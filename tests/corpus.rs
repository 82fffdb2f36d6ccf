//! Acceptance on Alibaba's metadata: every RPC product and the ROA ones (cs,
//! openitag, and Cloud Control, labelled V3 with a path per operation), in the
//! 2024 and 2025 editions and merged, imports and generates
//! a crate that passes
//! `cargo check` with warnings denied; the merged edition also passes clippy
//! and `cargo doc` with warnings denied and its own unit tests and doctests
//! (the catalogue-wide run is `benches/catalogue.sh`). Products signed their own way
//! (OSS, PDS) are refused by the importer in one line (tested in import_products.rs).
//! Each product with the fewest operations its crate must have (ROA operations
//! whose success body is a bare array or string are skipped so far).

mod support;

use acsgen::import::{import, ImportOptions, Prose};

const PRODUCTS: &[(&str, usize)] = &[
    ("ecs/2014-05-26", 50),
    ("live/2016-11-01", 50),
    ("cms/2019-01-01", 50),
    ("r-kvstore/2015-01-01", 50),
    ("waf-openapi/2021-10-01", 50),
    ("cs/2015-12-15", 90),
    ("openitag/2022-06-16", 30),
    ("cloudcontrol/2022-08-30", 11),
];

#[test]
#[ignore = "needs ../shared/metadata; .ci/run runs it when ../shared exists"]
fn every_product_and_edition_generates_a_crate_that_compiles() {
    let metadata = support::metadata_dir();
    let root = tempfile::tempdir().unwrap();
    let mut crates = Vec::new();
    for (product, least) in PRODUCTS {
        let code = product.split('/').next().unwrap();
        let editions = [
            ("2024", metadata.join("2024-06").join(product), None),
            ("2025", metadata.join("2025-12").join(product), None),
            (
                "merged",
                metadata.join("2025-12").join(product),
                Some(metadata.join("2024-06").join(product).join("api-docs.json")),
            ),
        ];
        for (edition, dir, older) in editions {
            let out = root.path().join(edition);
            let report = import(&ImportOptions {
                input: dir.join("api-docs.json"),
                older,
                filters: Vec::new(),
                out: out.clone(),
                prose: Prose::Metadata,
                crate_name: Some(format!("corpus-{code}-{edition}")),
            })
            .unwrap_or_else(|e| panic!("import {product} {edition}: {e}"));
            assert!(
                !report.written.is_empty() || report.unchanged > 0,
                "{product} {edition}: nothing imported"
            );
            let mut generated = support::generate_for_check(&out.join(code));
            let operations = generated
                .files
                .keys()
                .filter(|p| p.starts_with("src/operations/") && !p.ends_with("mod.rs"))
                .count();
            assert!(
                operations >= *least,
                "{product} {edition}: only {operations} operations"
            );
            generated.dir_name = format!("{code}-{edition}");
            crates.push(generated);
        }
    }
    support::cargo_check("corpus", &crates, false);
    // Clippy, docs and the crates' own tests on the merged edition of each product,
    // a superset of the other two; all three would triple CI time for little more.
    let merged: Vec<_> = crates
        .into_iter()
        .filter(|c| c.dir_name.ends_with("-merged"))
        .collect();
    support::cargo_check("corpus-merged", &merged, true);
    let (doctests_passed, _) = support::cargo_test("corpus-merged");
    assert!(doctests_passed > 0, "no doctest ran");
}
