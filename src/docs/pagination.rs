//! Prose of a paginated operation's `into_paginator`: what the stream yields,
//! when it stops, how to size pages, and a compiled example.

use crate::model::RustType;
use crate::names::reserved::{CLIENT, FROM_ENV, INTO_PAGINATOR};
use crate::spec::Pagination;

use super::code;

/// What the docs of one paginator need.
pub struct PaginatorDocs<'a> {
    pub pagination: &'a Pagination,
    pub response: &'a str,
    pub error: &'a str,
    /// One item, as written in the operation module.
    pub item: &'a RustType,
    /// The request's setter of the page size, when the block names one.
    pub page_size_setter: Option<&'a str>,
    pub lib_name: &'a str,
    /// The client method.
    pub method: &'a str,
    /// Doctest values of the client method's arguments.
    pub arguments: &'a [String],
}

/// Doc lines of `into_paginator`.
pub fn paginator_docs(input: &PaginatorDocs) -> Vec<String> {
    let pagination = input.pagination;
    let how = match (&pagination.input_token, &pagination.output_token) {
        (Some(input_token), Some(output_token)) => format!(
            "Each page's {} is sent back as {} for the next one; paging stops at a missing, empty or repeated token",
            code(output_token),
            code(input_token)
        ),
        _ => format!(
            "Pages are asked for by {}, from the one set on the request (else 1) up",
            code(pagination.page_number.as_deref().unwrap_or_default())
        ),
    };
    let mut stops = vec![how];
    if let Some(total) = &pagination.total_count {
        stops.push(format!("once the items counted reach {}", code(total)));
    }
    if let Some(more) = &pagination.has_more {
        stops.push(format!("when {} is `false`", code(more)));
    }
    stops.push(
        "at a page without items, or after the first error (the stream's last element)".to_owned(),
    );
    let mut docs = vec![
        format!(
            "Every page of this list, requested one after the other as a `Stream` of `Result<`[`{}`]`, SdkError<`[`{}`]`>>`; `.items()` on it gives the items of {} (each a `{}`) one by one.",
            input.response,
            input.error,
            code(&pagination.items),
            input.item
        ),
        String::new(),
        format!("{}, {}.", stops[0], stops[1..].join(", ")),
    ];
    if let (Some(setter), Some(size)) = (input.page_size_setter, &pagination.page_size) {
        docs.push(String::new());
        docs.push(format!(
            "Set the page size with `.{setter}(..)` ({}) before calling this.",
            code(size)
        ));
    }
    docs.extend([
        String::new(),
        "# Example".to_owned(),
        String::new(),
        "```no_run".to_owned(),
        "# async fn example() -> Result<(), Box<dyn std::error::Error>> {".to_owned(),
        "use acsgen_runtime::paginate::TryStreamExt;".to_owned(),
        format!("let client = {}::{CLIENT}::{FROM_ENV}()?;", input.lib_name),
        format!(
            "let mut items = client.{}({}).{INTO_PAGINATOR}().items();",
            input.method,
            input.arguments.join(", ")
        ),
        "while let Some(item) = items.try_next().await? {".to_owned(),
        "    println!(\"{item:?}\");".to_owned(),
        "}".to_owned(),
        "# Ok(())".to_owned(),
        "# }".to_owned(),
        "```".to_owned(),
    ]);
    docs
}
