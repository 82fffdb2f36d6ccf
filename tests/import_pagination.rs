//! `acsgen import` guessing `pagination` blocks: the shapes Alibaba's metadata
//! uses (NextToken/MaxResults, PageNumber/PageSize/TotalCount and the PageNum,
//! CurrentPage, PageIndex spellings, a token in a nested object, items one or
//! two objects down), one summary line per operation, and a reviewed block in
//! an existing file kept on re-import.

mod support;

use std::path::{Path, PathBuf};

use acsgen::import::{convert, import, ImportOptions, Prose};
use acsgen::spec::{Operation, Pagination};
use serde_json::Value;

fn fixture() -> PathBuf {
    support::root().join("tests/fixtures/import_pagination/api-docs.json")
}

fn read(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn converted() -> (Vec<Operation>, acsgen::import::ImportReport) {
    let path = fixture();
    let (_, _, operations, report) = convert(
        &read(&path),
        None,
        &ImportOptions::new(&path, Path::new("spec")),
    )
    .expect("the fixture converts");
    (operations, report)
}

fn block(operations: &[Operation], name: &str) -> Option<Pagination> {
    operations
        .iter()
        .find(|op| op.name == name)
        .unwrap_or_else(|| panic!("no operation {name}"))
        .pagination
        .clone()
}

fn text(value: &str) -> Option<String> {
    Some(value.to_owned())
}

#[test]
fn common_shapes_are_recognised() {
    let (operations, _) = converted();
    let token = |input: &str, output: &str, size: Option<&str>, items: &str| Pagination {
        input_token: text(input),
        output_token: text(output),
        page_size: size.map(str::to_owned),
        items: items.to_owned(),
        ..Pagination::default()
    };
    let pages = |number: &str, size: Option<&str>, items: &str, total: Option<&str>| Pagination {
        page_number: text(number),
        page_size: size.map(str::to_owned),
        items: items.to_owned(),
        total_count: total.map(str::to_owned),
        ..Pagination::default()
    };
    let expected = [
        (
            "ListThings",
            // A token wins; its TotalCount is not trusted (ECS: meaningless with NextToken).
            Some(token(
                "NextToken",
                "NextToken",
                Some("MaxResults"),
                "Things.Thing",
            )),
        ),
        (
            "DescribeThings",
            Some(pages(
                "PageNumber",
                Some("PageSize"),
                "Things",
                Some("TotalCount"),
            )),
        ),
        (
            "ListByPageNum",
            Some(pages(
                "PageNum",
                Some("PageSize"),
                "Data.List",
                Some("Data.Total"),
            )),
        ),
        (
            "ListByCurrentPage",
            Some(pages(
                "CurrentPage",
                Some("Limit"),
                "Result.Items.Item",
                Some("TotalNum"),
            )),
        ),
        (
            "ListByPageIndex",
            Some(Pagination {
                has_more: text("HasMore"),
                ..pages("PageIndex", None, "Rows", None)
            }),
        ),
        (
            "DescribeNested",
            Some(token(
                "NextToken",
                "Invocation.NextToken",
                Some("MaxResults"),
                "Invocation.InvocationResults.InvocationResult",
            )),
        ),
        (
            "ListIntegerTokens",
            Some(Pagination {
                has_more: text("Hasmore"),
                ..token(
                    "NextPageToken",
                    "NextPageToken",
                    Some("PageSize"),
                    "UserList",
                )
            }),
        ),
        (
            "ListTokenless",
            Some(pages("PageNumber", None, "Items", None)),
        ),
        ("ListAmbiguous", None),
        ("ListStringPages", None),
        ("ListNoOutputToken", None),
        ("GetThing", None),
    ];
    for (name, wanted) in expected {
        assert_eq!(block(&operations, name), wanted, "{name}");
    }
}

#[test]
fn every_guess_is_one_line_of_the_summary() {
    let (_, report) = converted();
    assert_eq!(
        report.pagination,
        [
            "DescribeNested: token NextToken <- Invocation.NextToken, page size MaxResults, items Invocation.InvocationResults.InvocationResult (PageNumber also taken; the token is used)",
            "DescribeThings: page number PageNumber, page size PageSize, items Things, total TotalCount",
            "ListAmbiguous: no block: several arrays could hold the items (Groups, Accounts.Account); write the block by hand",
            "ListByCurrentPage: page number CurrentPage, page size Limit, items Result.Items.Item, total TotalNum",
            "ListByPageIndex: page number PageIndex, items Rows, has more HasMore (PageIndex assumed to count from 1)",
            "ListByPageNum: page number PageNum, page size PageSize, items Data.List, total Data.Total",
            "ListIntegerTokens: token NextPageToken <- NextPageToken, page size PageSize, items UserList, has more Hasmore",
            "ListNoOutputToken: no block: takes NextToken but the response has no token field",
            "ListStringPages: no block: PageNumber is `string`; a token must be a string or an integer, a page number an integer",
            "ListThings: token NextToken <- NextToken, page size MaxResults, items Things.Thing",
            "ListTokenless: page number PageNumber, items Items (NextToken taken but the response has no token field; pages by number; no total count: stops at an empty page)",
        ]
    );
    let printed = report.to_string();
    let section = printed
        .split("pagination guessed from parameter and field names (review each):\n")
        .nth(1)
        .expect("a pagination section");
    assert!(section.starts_with("  DescribeNested: token NextToken"));
}

#[test]
fn guessed_blocks_generate_and_a_reviewed_block_is_kept() {
    let out = tempfile::tempdir().unwrap();
    let opts = ImportOptions {
        prose: Prose::None,
        ..ImportOptions::new(fixture(), out.path())
    };
    import(&opts).expect("first import");
    let generated = acsgen::generate::generate_all(out.path(), None).expect("guesses generate");
    let product = &generated[0];
    let paged = product
        .files
        .iter()
        .filter(|(_, text)| text.contains("pub fn into_paginator("))
        .count();
    assert_eq!(paged, 8, "one paginator per guessed block");

    // A reviewer writes the block the importer could not guess; the next
    // import keeps it, and says so.
    let file = out.path().join("pages/operations/ListAmbiguous.yaml");
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(!written.contains("pagination:"));
    let reviewed = written.replace(
        "\nerrors:",
        "\npagination:\n  page_number: PageNumber\n  items: Groups\n  total_count: TotalCount\nerrors:",
    );
    let reviewed = if reviewed == written {
        format!("{written}pagination:\n  page_number: PageNumber\n  items: Groups\n  total_count: TotalCount\n")
    } else {
        reviewed
    };
    std::fs::write(&file, &reviewed).unwrap();
    // A block that no longer fits (its parameter is gone) is replaced by the guess.
    let stale = out.path().join("pages/operations/DescribeThings.yaml");
    let original = std::fs::read_to_string(&stale).unwrap();
    let stale_text = original.replace("page_number: PageNumber", "page_number: Page");
    assert_ne!(stale_text, original, "the block was made stale");
    std::fs::write(&stale, stale_text).unwrap();

    let report = import(&opts).expect("second import");
    assert!(
        report.kept.iter().any(|k| k == "ListAmbiguous: pagination"),
        "{:?}",
        report.kept
    );
    assert!(
        !report
            .kept
            .iter()
            .any(|k| k == "DescribeThings: pagination"),
        "a stale block is not kept: {:?}",
        report.kept
    );
    let (_, spec) = acsgen::load::load_product(&out.path().join("pages")).expect("loads");
    let find = |name: &str| {
        spec.operations
            .iter()
            .find(|op| op.name == name)
            .and_then(|op| op.pagination.clone())
    };
    assert_eq!(
        find("ListAmbiguous").map(|p| p.items),
        Some("Groups".to_owned())
    );
    assert_eq!(
        find("DescribeThings").and_then(|p| p.page_number),
        Some("PageNumber".to_owned())
    );
    acsgen::generate::generate_all(out.path(), None).expect("still generates");
}

/// `Describe*` and `List*` operations of ECS in the June 2024 metadata: how many
/// get a token block, a page-number block, or a summary line without one.
#[test]
#[ignore = "needs ../shared"]
fn ecs_detection_counts() {
    let path = support::metadata_dir().join("2024-06/ecs/2014-05-26/api-docs.json");
    let (_, _, operations, report) = convert(
        &read(&path),
        None,
        &ImportOptions::new(&path, Path::new("spec")),
    )
    .expect("ECS converts");
    let token = operations
        .iter()
        .filter(|op| {
            op.pagination
                .as_ref()
                .is_some_and(|p| p.input_token.is_some())
        })
        .count();
    let pages = operations
        .iter()
        .filter(|op| {
            op.pagination
                .as_ref()
                .is_some_and(|p| p.page_number.is_some())
        })
        .count();
    let without: Vec<&String> = report
        .pagination
        .iter()
        .filter(|line| line.contains(": no block: "))
        .collect();
    println!(
        "ECS: {token} token blocks, {pages} page-number blocks, {} without: {without:#?}",
        without.len()
    );
    // The metadata: 31 operations take NextToken, 60 PageNumber, 14 of them both.
    // Every NextToken operation pages by token; PageNumber alone, by number,
    // except two whose PageNumber is a string and one with two item arrays.
    assert_eq!(token, 31);
    assert_eq!(pages, 43);
    assert_eq!(without.len(), 3);
    assert_eq!(report.pagination.len(), token + pages + without.len());
}
