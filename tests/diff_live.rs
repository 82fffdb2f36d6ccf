//! Real-world check: the 2024-06 and 2025-12 editions of the ApsaraVideo
//! Live metadata, each imported alone, diffed. Every expected fact below was
//! checked against the raw api-docs.json files first.

use std::path::Path;

use acsgen::diff::{compare, render_text, Change, Impact, Kind, Part, RenderOptions, Report};
use acsgen::import::{import, ImportOptions, Prose};
use acsgen::spec::ProductSpec;

const METADATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/metadata");

fn import_edition(edition: &str, out: &Path) -> ProductSpec {
    let input = Path::new(METADATA)
        .join(edition)
        .join("live/2016-11-01/api-docs.json");
    let options = ImportOptions {
        input,
        older: None,
        filters: Vec::new(),
        out: out.to_path_buf(),
        prose: Prose::None,
        crate_name: None,
    };
    import(&options).unwrap_or_else(|e| panic!("importing {edition}: {e:?}"));
    let (_, spec) = acsgen::load::load_product(&out.join("live"))
        .unwrap_or_else(|e| panic!("loading the {edition} import: {e}"));
    spec
}

fn changes<'r>(report: &'r Report, operation: &str) -> Vec<&'r Change> {
    report
        .operation(operation)
        .unwrap_or_else(|| panic!("{operation} has no changes"))
        .changes
        .iter()
        .collect()
}

fn has(report: &Report, operation: &str, part: Part, path: &str, kind: Kind) -> Option<Impact> {
    changes(report, operation)
        .into_iter()
        .find(|c| c.part == part && c.path == path && c.kind == kind)
        .map(|c| c.impact)
}

#[test]
#[ignore = "needs ../shared/metadata; .ci/run runs it when ../shared exists"]
fn live_2024_to_2025() {
    assert!(
        Path::new(METADATA).is_dir(),
        "{METADATA} not found: this test needs ../shared beside the checkout"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let old = import_edition("2024-06", &dir.path().join("old"));
    let new = import_edition("2025-12", &dir.path().join("new"));
    let report = compare(&old, &new);

    let added = report.operations_with(Kind::Added);
    assert_eq!(added.len(), 35, "{added:?}");
    for name in [
        "AddLiveMessageGroupBand",
        "RemoveLiveMessageGroupBand",
        "BanLiveMessageGroup",
        "UnbanLiveMessageGroup",
        "RecoverLiveMessageDeletedGroup",
    ] {
        assert!(added.contains(&name), "{name} not added");
    }
    let removed = report.operations_with(Kind::Removed);
    assert_eq!(removed.len(), 21, "{removed:?}");
    assert!(removed.contains(&"DeleteRoom") && removed.contains(&"ForbidPushStream"));

    for name in ["HighReliability", "Storage"] {
        assert_eq!(
            has(
                &report,
                "SendLiveMessageUser",
                Part::Parameter,
                name,
                Kind::Added
            ),
            Some(Impact::Compatible),
            "SendLiveMessageUser gains optional {name}"
        );
    }
    for operation in ["CreateLiveStreamMonitor", "UpdateLiveStreamMonitor"] {
        let change = changes(&report, operation)
            .into_iter()
            .find(|c| c.path == "InputList" && c.kind == Kind::Required)
            .unwrap_or_else(|| panic!("{operation}: InputList required flag"));
        assert_eq!(change.new.as_deref(), Some("required"));
        assert_eq!(change.impact, Impact::Breaking);
    }
    for operation in ["AddLiveAIProduceRules", "UpdateLiveAIProduceRules"] {
        let change = changes(&report, operation)
            .into_iter()
            .find(|c| c.path == "SubtitleName" && c.kind == Kind::Required)
            .unwrap_or_else(|| panic!("{operation}: SubtitleName required flag"));
        assert_eq!(change.new.as_deref(), Some("optional"));
        assert_eq!(change.impact, Impact::Breaking);
    }
    // DOMAIN -> DOMAIN, domain, Domain: two values added, none removed,
    // and `DOMAIN` keeps its variant name because the new ones come after it.
    let values: Vec<(Kind, Option<&str>)> = changes(&report, "UnTagLiveResources")
        .into_iter()
        .filter(|c| c.path == "ResourceType")
        .map(|c| (c.kind, c.new.as_deref()))
        .collect();
    assert_eq!(
        values,
        [
            (Kind::EnumValueAdded, Some("Domain")),
            (Kind::EnumValueAdded, Some("domain"))
        ]
    );

    // The 2025 edition describes no responses and no error codes: of the
    // operations in both, 382 had a response and 322 error codes in 2024.
    let whole = |part: Part| {
        report
            .changes()
            .filter(|(_, c)| c.part == part && c.kind == Kind::Removed)
            .count()
    };
    assert_eq!(whole(Part::Response), 382);
    assert_eq!(whole(Part::Errors), 322);

    let text = render_text(&report, RenderOptions::default());
    println!("{text}");
    // 259 operations present in both editions gain an optional RegionId
    // (252 of them gain nothing else): one summary line, not 259 entries.
    assert!(
        text.contains("259 operations: parameter `RegionId` added (optional string)"),
        "{text}"
    );
    assert_eq!(text.matches("`RegionId`").count(), 1, "{text}");
    assert!(text.contains("382 operations: response no longer described"));
    let lines = text.lines().count();
    assert!(lines < 400, "the report has {lines} lines");
}
