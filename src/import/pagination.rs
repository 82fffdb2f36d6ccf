//! Guessing an operation's `pagination` block from the names Alibaba's APIs
//! use: a `NextToken`-like parameter sent back from a token field of the
//! response, or a `PageNumber`-like parameter (`PageNum`, `CurrentPage`,
//! `PageIndex`, ...) with a `TotalCount`-like field; the page size
//! (`PageSize`, `MaxResults`, ...); and the one array of the response that
//! holds the page's items, at most three fields down (`Data.Items`,
//! `Instances.Instance`, `Invocation.InvocationResults.InvocationResult`).
//!
//! Every guess is a line of the import summary, and so is every operation
//! that takes such a parameter but gets no block (with the reason), so a
//! reviewer sees each one. A guess is checked with the validator's rules
//! before it is kept.

use crate::spec::{Components, Operation, Pagination, Schema, Type};

/// Request parameters that carry a token, lower-case.
const TOKEN_PARAMETERS: &[&str] = &[
    "nexttoken",
    "nextpagetoken",
    "pagetoken",
    "continuationtoken",
];
/// Request parameters that carry a page number, lower-case.
const PAGE_PARAMETERS: &[&str] = &[
    "pagenumber",
    "pagenum",
    "pageno",
    "currentpage",
    "currentpagenumber",
    "pageindex",
];
/// Request parameters that set the page size, lower-case, preferred first.
const SIZE_PARAMETERS: &[&str] = &[
    "pagesize",
    "maxresults",
    "maxresult",
    "pagelimit",
    "maxitems",
    "limit",
];
/// Response fields with the total number of items, lower-case, preferred first.
const TOTAL_FIELDS: &[&str] = &[
    "totalcount",
    "total",
    "totalnum",
    "totalnumber",
    "totalrecordcount",
    "totalrecords",
    "totalitems",
];
/// Response fields saying whether more pages follow, lower-case.
const MORE_FIELDS: &[&str] = &["hasmore", "hasnext", "hasnextpage"];

/// Fields of the response this far down (segments of a path) are looked at.
const MAX_DEPTH: usize = 3;

/// What the importer concluded about one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Guess {
    /// No paging parameter: nothing to say.
    NotPaged,
    /// A block, and the summary line describing it.
    Paged(Pagination, String),
    /// A paging parameter, but no block: why.
    Unsure(String),
}

/// A response field reachable through objects: its path and resolved type.
struct Field {
    path: String,
    name: String,
    ty: Option<Type>,
    enumerated: bool,
}

/// Every field of `response` at most [`MAX_DEPTH`] segments down, through
/// objects only, shallowest first.
fn fields(response: &Schema, components: &Components) -> Vec<Field> {
    let mut out = Vec::new();
    let mut level: Vec<(String, &Schema)> = vec![(String::new(), response)];
    for _ in 0..MAX_DEPTH {
        let mut next = Vec::new();
        for (prefix, schema) in level {
            let resolved = components.resolve(schema);
            if resolved.ty != Some(Type::Object) {
                continue;
            }
            for (name, property) in &resolved.schema.properties {
                // A dot in a name would read as a path separator.
                if name.is_empty() || name.contains('.') {
                    continue;
                }
                let path = if prefix.is_empty() {
                    name.clone()
                } else {
                    format!("{prefix}.{name}")
                };
                let target = components.resolve(property);
                out.push(Field {
                    path: path.clone(),
                    name: name.clone(),
                    ty: target.ty,
                    enumerated: !target.schema.enumeration.is_empty(),
                });
                next.push((path, property));
            }
        }
        level = next;
    }
    out
}

fn depth(path: &str) -> usize {
    path.matches('.').count()
}

/// The request parameter whose lower-case name is the first of `names` found.
fn parameter<'a>(
    op: &'a Operation,
    names: &[&str],
    components: &Components,
    fits: fn(Type) -> bool,
) -> Option<&'a str> {
    names.iter().find_map(|wanted| {
        op.parameters
            .iter()
            .find(|p| {
                let resolved = components.resolve(&p.schema);
                p.name.eq_ignore_ascii_case(wanted)
                    && resolved.ty.is_some_and(fits)
                    && resolved.schema.enumeration.is_empty()
            })
            .map(|p| p.name.as_str())
    })
}

/// The shallowest field named one of `names` (earlier names win at equal
/// depth) with a type that `fits`.
fn field<'a>(found: &'a [Field], names: &[&str], fits: fn(Type) -> bool) -> Option<&'a Field> {
    found
        .iter()
        .filter(|f| !f.enumerated && f.ty.is_some_and(fits))
        .filter_map(|f| {
            let rank = names.iter().position(|n| f.name.eq_ignore_ascii_case(n))?;
            Some((depth(&f.path), rank, f))
        })
        .min_by_key(|(depth, rank, _)| (*depth, *rank))
        .map(|(_, _, f)| f)
}

fn is_token(ty: Type) -> bool {
    matches!(ty, Type::String | Type::Int32 | Type::Int64)
}

/// Guess the `pagination` block of `op`.
pub(crate) fn guess(op: &Operation, components: &Components) -> Guess {
    let token_in = parameter(op, TOKEN_PARAMETERS, components, is_token);
    let page_in = parameter(op, PAGE_PARAMETERS, components, Type::is_integer);
    if token_in.is_none() && page_in.is_none() {
        // Named like one, but of a type (or with valid values) paging cannot set.
        let named = op.parameters.iter().find(|p| {
            let lower = p.name.to_ascii_lowercase();
            TOKEN_PARAMETERS.contains(&lower.as_str()) || PAGE_PARAMETERS.contains(&lower.as_str())
        });
        return match named {
            Some(param) => {
                let resolved = components.resolve(&param.schema);
                let ty = resolved.ty.map_or("unknown", Type::as_str);
                let what = if resolved.schema.enumeration.is_empty() {
                    format!("`{ty}`")
                } else {
                    format!("`{ty}` with valid values")
                };
                Guess::Unsure(format!(
                    "{} is {what}; a token must be a string or an integer, a page number an integer",
                    param.name
                ))
            }
            None => Guess::NotPaged,
        };
    }
    let Some(response) = op.response.as_ref().map(|r| &r.schema) else {
        return Guess::Unsure("takes a page parameter but documents no response".to_owned());
    };
    let found = fields(response, components);
    let arrays: Vec<&Field> = found.iter().filter(|f| f.ty == Some(Type::Array)).collect();
    let items = match arrays.as_slice() {
        [] => return Guess::Unsure("no array in the response to hold the items".to_owned()),
        [one] => one.path.clone(),
        several => {
            let paths: Vec<&str> = several.iter().map(|f| f.path.as_str()).collect();
            return Guess::Unsure(format!(
                "several arrays could hold the items ({}); write the block by hand",
                paths.join(", ")
            ));
        }
    };
    let mut notes = Vec::new();
    // Token paging wins when both are offered: Alibaba recommends it.
    let token_out = token_in.and_then(|input| {
        let mut names: Vec<String> = vec![input.to_ascii_lowercase()];
        names.extend(TOKEN_PARAMETERS.iter().map(|n| (*n).to_owned()));
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        field(&found, &names, is_token)
    });
    let mut pagination = Pagination {
        items,
        has_more: field(&found, MORE_FIELDS, |ty| ty == Type::Boolean).map(|f| f.path.clone()),
        ..Pagination::default()
    };
    match (token_in, token_out, page_in) {
        (Some(input), Some(output), _) => {
            pagination.input_token = Some(input.to_owned());
            pagination.output_token = Some(output.path.clone());
            if let Some(page) = page_in {
                notes.push(format!("{page} also taken; the token is used"));
            }
        }
        (_, _, Some(page)) => {
            if let Some(input) = token_in {
                notes.push(format!(
                    "{input} taken but the response has no token field; pages by number"
                ));
            }
            if page.eq_ignore_ascii_case("pageindex") {
                notes.push(format!("{page} assumed to count from 1"));
            }
            pagination.page_number = Some(page.to_owned());
            // With a token the total is often meaningless (ECS says so of
            // `TotalCount` with `NextToken`), so it is used with numbers only.
            pagination.total_count =
                field(&found, TOTAL_FIELDS, Type::is_integer).map(|f| f.path.clone());
        }
        (Some(input), None, None) => {
            return Guess::Unsure(format!("takes {input} but the response has no token field"));
        }
        (None, _, None) => return Guess::NotPaged,
    }
    // `MaxResults` goes with tokens, `PageSize` with numbers, when both are taken.
    let sizes: Vec<&str> = if pagination.input_token.is_some() {
        let mut sizes = vec!["maxresults"];
        sizes.extend(SIZE_PARAMETERS.iter().filter(|n| **n != "maxresults"));
        sizes
    } else {
        SIZE_PARAMETERS.to_vec()
    };
    pagination.page_size = parameter(op, &sizes, components, Type::is_integer).map(str::to_owned);
    if pagination.page_number.is_some()
        && pagination.total_count.is_none()
        && pagination.has_more.is_none()
    {
        notes.push("no total count: stops at an empty page".to_owned());
    }
    let problems = crate::validate::pagination_problems(op, &pagination, components);
    if let Some((field, problem)) = problems.first() {
        return Guess::Unsure(format!(
            "the guess fails the spec checks: {field}: {problem}"
        ));
    }
    // The same one-line wording as the API surface's.
    let mut line = crate::model::pagination::wire_summary(&pagination);
    if !notes.is_empty() {
        line.push_str(&format!(" ({})", notes.join("; ")));
    }
    Guess::Paged(pagination, line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(yaml: &str) -> Operation {
        serde_yaml::from_str(yaml).expect("operation")
    }

    #[test]
    fn nothing_to_say_without_page_parameters() {
        let op = op("name: Get\nsummary: s\nmethod: GET\nparameters:\n- {name: Id, in: query, schema: {type: string}}\n");
        assert_eq!(guess(&op, &Components::default()), Guess::NotPaged);
    }

    #[test]
    fn ambiguous_items_are_not_guessed() {
        let op = op(r#"name: List
summary: s
method: GET
parameters:
- {name: PageNumber, in: query, schema: {type: int32}}
response:
  schema:
    type: object
    properties:
      A: {type: array, items: {type: string}}
      B: {type: object, properties: {C: {type: array, items: {type: string}}}}
"#);
        assert_eq!(
            guess(&op, &Components::default()),
            Guess::Unsure(
                "several arrays could hold the items (A, B.C); write the block by hand".into()
            )
        );
    }
}
