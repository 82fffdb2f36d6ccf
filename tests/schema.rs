//! `spec/schema.json` is generated from the spec types; it must be current,
//! and every committed spec file must match the format it describes.

#[test]
fn committed_json_schema_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/spec/schema.json");
    let committed = std::fs::read_to_string(path).expect("spec/schema.json exists");
    assert!(
        committed == acsgen::cli::spec_json_schema(),
        "spec/schema.json is stale: run `cargo run -- schema > spec/schema.json`"
    );
}

#[test]
fn schema_describes_every_file_kind() {
    let schema: serde_json::Value = serde_json::from_str(&acsgen::cli::spec_json_schema()).unwrap();
    let text = schema.to_string();
    for field in [
        "rate_limit",
        "endpoints",
        "components",
        "items",
        "properties",
        "values",
        "$ref",
    ] {
        assert!(text.contains(field), "schema lacks {field}");
    }
}
