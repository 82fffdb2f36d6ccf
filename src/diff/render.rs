//! Rendering a [`Report`] as terminal text, a markdown PR comment, JSON, or a
//! CHANGELOG section. Rendering never decides anything about impact: it only
//! orders, groups and words what [`super::compare()`] found.
//!
//! To keep a big report readable, a change shared by many operations (same
//! place, kind, values and impact) is shown once with the list of
//! operations; everything else is listed per operation.

use std::collections::BTreeMap;

use super::model::{Bump, Change, Impact, Kind, Part, Report, TreeReport};

/// A change made by at least this many operations is listed once.
pub const GROUP_MIN: usize = 4;
/// Width that operation name lists are wrapped to in text.
const WIDTH: usize = 100;
/// Lines of operation names shown per shared change in text, unless `full`.
const TEXT_NAME_LINES: usize = 2;
/// Operation names shown per shared change in markdown, unless `full`.
const MARKDOWN_NAMES: usize = 60;
/// Operation names shown per shared change in a changelog entry.
const CHANGELOG_NAMES: usize = 12;

/// How much to show.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// List every operation of a shared change instead of the first few.
    pub full: bool,
}

/// One change shared by several operations.
struct Group<'r> {
    change: &'r Change,
    operations: Vec<&'r str>,
}

/// The report split for display.
struct Layout<'r> {
    added: Vec<&'r str>,
    removed: Vec<&'r str>,
    groups: Vec<Group<'r>>,
    /// The changes of each operation not covered by a group or the lists.
    per_operation: Vec<(&'r str, Vec<&'r Change>)>,
}

/// What makes two changes "the same" for grouping: all but the detail
/// (which differs per operation) and the reason (which follows from the rest).
type GroupKey<'r> = (
    Impact,
    Part,
    &'r str,
    Kind,
    Option<&'r str>,
    Option<&'r str>,
);

fn key(change: &Change) -> GroupKey<'_> {
    (
        change.impact,
        change.part,
        &change.path,
        change.kind,
        change.old.as_deref(),
        change.new.as_deref(),
    )
}

fn is_operation_added_or_removed(change: &Change) -> bool {
    change.part == Part::Operation && matches!(change.kind, Kind::Added | Kind::Removed)
}

fn layout(report: &Report) -> Layout<'_> {
    let mut shared: BTreeMap<GroupKey, Group> = BTreeMap::new();
    for op in &report.operations {
        for change in &op.changes {
            if is_operation_added_or_removed(change) {
                continue;
            }
            shared
                .entry(key(change))
                .or_insert_with(|| Group {
                    change,
                    operations: Vec::new(),
                })
                .operations
                .push(&op.name);
        }
    }
    shared.retain(|_, group| group.operations.len() >= GROUP_MIN);
    let mut per_operation = Vec::new();
    for op in &report.operations {
        let rest: Vec<&Change> = op
            .changes
            .iter()
            .filter(|c| !is_operation_added_or_removed(c) && !shared.contains_key(&key(c)))
            .collect();
        if !rest.is_empty() {
            per_operation.push((op.name.as_str(), rest));
        }
    }
    let mut groups: Vec<Group> = shared.into_values().collect();
    // Breaking first, then the widest.
    groups.sort_by(|a, b| {
        (a.change.impact, b.operations.len(), key(a.change)).cmp(&(
            b.change.impact,
            a.operations.len(),
            key(b.change),
        ))
    });
    Layout {
        added: report.operations_with(Kind::Added),
        removed: report.operations_with(Kind::Removed),
        groups,
        per_operation,
    }
}

/// What the change is about, e.g. "parameter `RegionId`".
fn subject(change: &Change) -> String {
    let path = &change.path;
    match change.part {
        Part::Product => format!("`{path}`"),
        Part::Operation => String::new(),
        Part::Parameter => format!("parameter `{path}`"),
        Part::ParameterField => format!("request field `{path}`"),
        Part::Response => "response".to_owned(),
        Part::ResponseField if path.is_empty() => "response body".to_owned(),
        Part::ResponseField => format!("response field `{path}`"),
        Part::ResponseHeader => format!("response header `{path}`"),
        Part::Errors => "error codes".to_owned(),
        Part::ErrorCode => format!("error code `{path}`"),
    }
}

/// One phrase for the change, without its reason or detail.
pub fn describe(change: &Change) -> String {
    let subject = subject(change);
    let old = change.old.as_deref().unwrap_or("none");
    let new = change.new.as_deref().unwrap_or("none");
    let now = change.new.as_deref() == Some("true");
    let phrase = match (change.part, change.kind) {
        (Part::Response, Kind::Added) => "now described".to_owned(),
        (Part::Response, Kind::Removed) => "no longer described".to_owned(),
        (Part::Errors, Kind::Added) => "now listed".to_owned(),
        (Part::Errors, Kind::Removed) => "no longer listed".to_owned(),
        (Part::Product, Kind::Added) => format!("added: {new}"),
        (Part::Product, Kind::Removed) => format!("removed (was {old})"),
        (Part::ErrorCode, Kind::Added) => format!("added (HTTP {new})"),
        (Part::ErrorCode, Kind::Removed) => format!("removed (was HTTP {old})"),
        (_, Kind::Added) => match &change.new {
            Some(new) => format!("added ({new})"),
            None => "added".to_owned(),
        },
        (_, Kind::Removed) => match &change.old {
            Some(old) => format!("removed (was {old})"),
            None => "removed".to_owned(),
        },
        (_, Kind::Required) if new == "required" => "now required".to_owned(),
        (_, Kind::Required) => "no longer required".to_owned(),
        (_, Kind::ReadOnly) if now => "now read-only".to_owned(),
        (_, Kind::ReadOnly) => "no longer read-only".to_owned(),
        (_, Kind::Deprecated) if now => "now deprecated".to_owned(),
        (_, Kind::Deprecated) => "no longer deprecated".to_owned(),
        (_, Kind::RateLimit) if change.old.is_none() && change.new.is_none() => {
            "rate limit no longer given".to_owned()
        }
        (_, Kind::EnumValueAdded) => format!("valid value `{new}` added"),
        (_, Kind::EnumValueRemoved) => format!("valid value `{old}` removed"),
        (_, Kind::Changed) => format!("{old} -> {new}"),
        (_, Kind::ArgumentOrder) => format!("argument order ({old}) -> ({new})"),
        (_, Kind::Moved) => format!("type moved {old} -> {new}"),
        (_, Kind::Pagination) => match (&change.old, &change.new) {
            (None, _) => format!("paginator added ({new})"),
            (_, None) => format!("paginator removed (was {old})"),
            _ => format!("paging {old} -> {new}"),
        },
        (_, kind) => {
            let what = match kind {
                Kind::Type => "type",
                Kind::Location => "location",
                Kind::Style => "style",
                Kind::Method => "HTTP method",
                Kind::RequestPath => "request path",
                Kind::RateLimit => "rate limit",
                Kind::Status => "HTTP status",
                Kind::RustName => "Rust name",
                _ => "value",
            };
            format!("{what} {old} -> {new}")
        }
    };
    if subject.is_empty() {
        phrase
    } else {
        format!("{subject} {phrase}")
    }
}

fn plural(count: usize, noun: &str) -> String {
    format!("{count} {noun}{}", if count == 1 { "" } else { "s" })
}

fn verdict_line(report: &Report) -> String {
    let v = &report.verdict;
    if v.level == Bump::None {
        return format!("semver: no API change; {} stays", v.current);
    }
    let why = match v.level {
        Bump::Major => "breaking changes need a major release",
        Bump::Minor => "additions need a minor release",
        _ => "behavior changes need a patch release",
    };
    let shift = if v.bump != v.level {
        format!(" (a 0.x crate, so bump {})", v.bump)
    } else {
        String::new()
    };
    let declared = if v.declared_sufficient {
        format!("NEW declares {}: ok", v.declared)
    } else {
        format!("NEW declares {}: too low", v.declared)
    };
    format!(
        "semver: {why}{shift}: {} -> {} ({declared})",
        v.current, v.next
    )
}

fn totals_line(report: &Report) -> String {
    let s = &report.summary;
    format!(
        "{} added, {} removed, {} changed; {}: {} breaking, {} compatible, {} behavior",
        plural(s.operations_added, "operation"),
        s.operations_removed,
        s.operations_changed,
        plural(s.changes, "change"),
        s.breaking,
        s.compatible,
        s.behavior
    )
}

/// Names joined by ", " and wrapped to `WIDTH` after `indent`; at most
/// `max_lines` lines, the last then saying how many were left out.
fn wrap_names(names: &[&str], indent: &str, max_lines: Option<usize>) -> Vec<String> {
    let room = WIDTH.saturating_sub(indent.len());
    let width = |line: &[&str]| line.iter().map(|n| n.len() + 2).sum::<usize>();
    let mut lines: Vec<Vec<&str>> = Vec::new();
    for name in names {
        match lines.last_mut() {
            Some(line) if width(line) + name.len() < room => line.push(name),
            _ => lines.push(vec![name]),
        }
    }
    let mut tail = String::new();
    if let Some(max) = max_lines.filter(|max| lines.len() > *max && *max > 0) {
        lines.truncate(max);
        loop {
            let shown: usize = lines.iter().map(Vec::len).sum();
            tail = format!(" and {} more", names.len() - shown);
            let last = lines.last_mut().expect("max > 0");
            if width(last) + tail.len() <= room || last.len() == 1 {
                break;
            }
            last.pop();
        }
    }
    let count = lines.len();
    lines
        .iter()
        .enumerate()
        .map(|(index, line)| {
            let end = if index + 1 < count {
                ","
            } else {
                tail.as_str()
            };
            format!("{indent}{}{end}", line.join(", "))
        })
        .collect()
}

/// Terminal report.
pub fn render_text(report: &Report, options: RenderOptions) -> String {
    let mut out = Vec::new();
    out.push(format!("{} (crate {})", report.product, report.crate_name));
    if !report.old_label.is_empty() || !report.new_label.is_empty() {
        out.push(format!("  old: {}", report.old_label));
        out.push(format!("  new: {}", report.new_label));
    }
    if report.is_empty() {
        out.push("  no API changes".to_owned());
        out.push(format!("  {}", verdict_line(report)));
        return out.join("\n") + "\n";
    }
    out.push(format!("  {}", totals_line(report)));
    out.push(format!("  {}", verdict_line(report)));
    let layout = layout(report);
    if !report.product_changes.is_empty() {
        out.push(String::new());
        out.push("product.yaml:".to_owned());
        for line in product_lines(&report.product_changes) {
            out.push(format!(
                "    {:<10}  {} - {}",
                line.impact.label(),
                line.text,
                line.reason
            ));
            out.extend(wrap_names(&line.items, "                ", None));
        }
    }
    for (names, title, reason) in [
        (
            &layout.added,
            "Operations added",
            "compatible: new types and client methods",
        ),
        (
            &layout.removed,
            "Operations removed",
            "BREAKING: their types and client methods are gone",
        ),
    ] {
        if !names.is_empty() {
            out.push(String::new());
            out.push(format!("{title} ({}, {reason}):", names.len()));
            out.extend(wrap_names(names, "  ", None));
        }
    }
    if !layout.groups.is_empty() {
        out.push(String::new());
        out.push(format!(
            "Changes shared by {GROUP_MIN} or more operations ({}):",
            layout.groups.len()
        ));
        for group in &layout.groups {
            let change = group.change;
            out.push(format!(
                "  {:<10}  {}: {} - {}",
                change.impact.label(),
                plural(group.operations.len(), "operation"),
                describe(change),
                change.reason
            ));
            let max_lines = (!options.full).then_some(TEXT_NAME_LINES);
            out.extend(wrap_names(&group.operations, "              ", max_lines));
        }
    }
    if !layout.per_operation.is_empty() {
        out.push(String::new());
        out.push(format!(
            "Changes per operation ({}):",
            layout.per_operation.len()
        ));
        for (name, changes) in &layout.per_operation {
            out.push(format!("  {name}"));
            for change in changes {
                out.push(text_change(change));
            }
        }
    }
    out.join("\n") + "\n"
}

/// Region entries of product.yaml changed the same way, folded into one line.
struct ProductLine<'r> {
    first: &'r Change,
    impact: Impact,
    text: String,
    reason: &'r str,
    /// The folded entries, e.g. `cn-hangzhou (was live.aliyuncs.com)`.
    items: Vec<&'r str>,
}

const REGIONS: &str = "endpoints.regions.";

fn product_lines(changes: &[Change]) -> Vec<ProductLine<'_>> {
    let mut lines = Vec::new();
    let mut regions: BTreeMap<(Kind, Impact), Vec<&Change>> = BTreeMap::new();
    for change in changes {
        if change.path.starts_with(REGIONS) {
            regions
                .entry((change.kind, change.impact))
                .or_default()
                .push(change);
        } else {
            lines.push(ProductLine {
                first: change,
                impact: change.impact,
                text: with_detail(change),
                reason: &change.reason,
                items: Vec::new(),
            });
        }
    }
    for ((kind, impact), group) in regions {
        if group.len() < GROUP_MIN {
            lines.extend(group.into_iter().map(|change| ProductLine {
                first: change,
                impact,
                text: with_detail(change),
                reason: &change.reason,
                items: Vec::new(),
            }));
            continue;
        }
        let verb = match kind {
            Kind::Added => "added",
            Kind::Removed => "removed",
            _ => "changed",
        };
        lines.push(ProductLine {
            first: group[0],
            impact,
            text: format!("`endpoints.regions`: {} {verb}", group.len()),
            reason: &group[0].reason,
            items: group.iter().map(|c| &c.path[REGIONS.len()..]).collect(),
        });
    }
    lines
}

fn markdown_items(items: &[&str]) -> String {
    if items.is_empty() {
        String::new()
    } else {
        format!(": {}", code_list(items, None))
    }
}

fn with_detail(change: &Change) -> String {
    match &change.detail {
        Some(detail) => format!("{} [{detail}]", describe(change)),
        None => describe(change),
    }
}

fn text_change(change: &Change) -> String {
    format!(
        "    {:<10}  {} - {}",
        change.impact.label(),
        with_detail(change),
        change.reason
    )
}

fn code_list(names: &[&str], max: Option<usize>) -> String {
    let shown = max.map_or(names.len(), |max| max.min(names.len()));
    let mut text = names[..shown]
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if shown < names.len() {
        text.push_str(&format!(" and {} more", names.len() - shown));
    }
    text
}

fn impact_markdown(impact: Impact) -> &'static str {
    match impact {
        Impact::Breaking => "**breaking**",
        Impact::Compatible => "compatible",
        Impact::Behavior => "behavior",
    }
}

/// Markdown for a pull-request comment.
pub fn render_markdown(report: &Report, options: RenderOptions) -> String {
    let mut out = Vec::new();
    out.push(format!(
        "### API changes: `{}` (crate `{}`)",
        report.product, report.crate_name
    ));
    out.push(String::new());
    if !report.old_label.is_empty() || !report.new_label.is_empty() {
        out.push(format!(
            "Comparing `{}` with `{}`.",
            report.old_label, report.new_label
        ));
        out.push(String::new());
    }
    if report.is_empty() {
        out.push("No API changes.".to_owned());
        out.push(String::new());
        out.push(format!("**{}**", verdict_line(report)));
        return out.join("\n") + "\n";
    }
    out.push(format!("**{}**", verdict_line(report)));
    out.push(String::new());
    out.push(totals_line(report));
    let layout = layout(report);
    if !report.product_changes.is_empty() {
        out.push(String::new());
        out.push("#### product.yaml".to_owned());
        out.push(String::new());
        for line in product_lines(&report.product_changes) {
            out.push(format!(
                "- {}: {}{} — {}",
                impact_markdown(line.impact),
                escape_markdown(&line.text),
                markdown_items(&line.items),
                escape_markdown(line.reason)
            ));
        }
    }
    for (names, title) in [
        (&layout.added, "Operations added (compatible)"),
        (&layout.removed, "Operations removed (**breaking**)"),
    ] {
        if !names.is_empty() {
            out.push(String::new());
            out.push(format!("#### {title}: {}", names.len()));
            out.push(String::new());
            out.push(code_list(names, None));
        }
    }
    if !layout.groups.is_empty() {
        out.push(String::new());
        out.push(format!(
            "#### Changes shared by {GROUP_MIN} or more operations"
        ));
        out.push(String::new());
        for group in &layout.groups {
            let change = group.change;
            out.push(format!(
                "- {} · {}: {} — {}",
                impact_markdown(change.impact),
                plural(group.operations.len(), "operation"),
                escape_markdown(&describe(change)),
                escape_markdown(&change.reason)
            ));
            let max = (!options.full).then_some(MARKDOWN_NAMES);
            out.push(format!(
                "  <details><summary>operations</summary>\n\n  {}\n  </details>",
                code_list(&group.operations, max)
            ));
        }
    }
    if !layout.per_operation.is_empty() {
        out.push(String::new());
        out.push(format!(
            "#### Changes per operation: {}",
            layout.per_operation.len()
        ));
        out.push(String::new());
        for (name, changes) in &layout.per_operation {
            out.push(format!("- `{name}`"));
            for change in changes {
                out.push(format!("  {}", markdown_change(change)));
            }
        }
    }
    out.join("\n") + "\n"
}

fn markdown_change(change: &Change) -> String {
    format!(
        "- {}: {} — {}",
        impact_markdown(change.impact),
        escape_markdown(&with_detail(change)),
        escape_markdown(&change.reason)
    )
}

/// `<` outside code spans as an entity, so `array<Tag>` is not taken for
/// an HTML tag (a lone `>` opens nothing, and `->` should stay readable).
fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_code = false;
    for c in text.chars() {
        match c {
            '`' => {
                in_code = !in_code;
                out.push(c);
            }
            '<' if !in_code => out.push_str("&lt;"),
            _ => out.push(c),
        }
    }
    out
}

/// The report as pretty JSON (the [`Report`] type, field for field).
pub fn render_json(report: &Report) -> String {
    serde_json::to_string_pretty(report).expect("a report always serializes") + "\n"
}

/// A CHANGELOG.md section for releasing `version` of the generated crate.
pub fn render_changelog_entry(report: &Report, version: &str) -> String {
    let mut out = vec![format!("## {version}"), String::new()];
    if report.is_empty() {
        out.push("No API changes.".to_owned());
        return out.join("\n") + "\n";
    }
    let layout = layout(report);
    let mut sections: [(&str, Vec<String>); 4] = [
        ("Breaking changes", Vec::new()),
        ("Added", Vec::new()),
        ("Deprecated", Vec::new()),
        ("Changed behavior", Vec::new()),
    ];
    let section = |change: &Change| match (change.impact, change.kind) {
        (Impact::Breaking, _) => 0,
        (Impact::Compatible, Kind::Deprecated) => 2,
        (Impact::Compatible, _) => 1,
        (Impact::Behavior, _) => 3,
    };
    if !layout.removed.is_empty() {
        sections[0].1.push(format!(
            "- Removed operations: {}.",
            code_list(&layout.removed, None)
        ));
    }
    if !layout.added.is_empty() {
        sections[1].1.push(format!(
            "- New operations: {}.",
            code_list(&layout.added, None)
        ));
    }
    for line in product_lines(&report.product_changes) {
        let index = section(line.first);
        sections[index].1.push(format!(
            "- {}{}.",
            escape_markdown(&line.text),
            markdown_items(&line.items)
        ));
    }
    for group in &layout.groups {
        sections[section(group.change)].1.push(format!(
            "- {}: {} ({}).",
            plural(group.operations.len(), "operation"),
            escape_markdown(&describe(group.change)),
            code_list(&group.operations, Some(CHANGELOG_NAMES))
        ));
    }
    for (name, changes) in &layout.per_operation {
        for change in changes {
            sections[section(change)].1.push(format!(
                "- `{name}`: {}.",
                escape_markdown(&describe(change))
            ));
        }
    }
    for (title, lines) in sections {
        if lines.is_empty() {
            continue;
        }
        out.push(format!("### {title}"));
        out.push(String::new());
        out.extend(lines);
        out.push(String::new());
    }
    out.join("\n")
}

/// All products of a tree comparison as text.
pub fn render_tree_text(tree: &TreeReport, options: RenderOptions) -> String {
    let mut parts: Vec<String> = tree
        .reports
        .iter()
        .map(|r| render_text(r, options))
        .collect();
    for name in &tree.products_added {
        parts.push(format!("{name}: new product (only in NEW)\n"));
    }
    for name in &tree.products_removed {
        parts.push(format!(
            "{name}: product removed (only in OLD) - BREAKING: its crate is no longer generated\n"
        ));
    }
    if parts.is_empty() {
        parts.push("no products to compare\n".to_owned());
    }
    parts.join("\n")
}

/// All products of a tree comparison as markdown.
pub fn render_tree_markdown(tree: &TreeReport, options: RenderOptions) -> String {
    let mut parts: Vec<String> = tree
        .reports
        .iter()
        .map(|r| render_markdown(r, options))
        .collect();
    for name in &tree.products_added {
        parts.push(format!("### New product: `{name}`\n"));
    }
    for name in &tree.products_removed {
        parts.push(format!(
            "### Removed product: `{name}` (**breaking**: its crate is no longer generated)\n"
        ));
    }
    parts.join("\n")
}

/// All products of a tree comparison as JSON ([`TreeReport`]).
pub fn render_tree_json(tree: &TreeReport) -> String {
    serde_json::to_string_pretty(tree).expect("a report always serializes") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escapes_angle_brackets_outside_code() {
        assert_eq!(
            escape_markdown("`Tag` added (optional array<Tag>) `a<b>`"),
            "`Tag` added (optional array&lt;Tag>) `a<b>`"
        );
    }

    #[test]
    fn names_wrap_and_truncate() {
        let names: Vec<String> = (0..60).map(|i| format!("Operation{i:02}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let all = wrap_names(&names, "  ", None);
        assert!(all.iter().all(|l| l.len() <= WIDTH));
        assert_eq!(all.join(" ").matches("Operation").count(), 60);
        let short = wrap_names(&names, "  ", Some(2));
        assert_eq!(short.len(), 2);
        assert!(short.iter().all(|l| l.len() <= WIDTH), "{short:?}");
        let shown = short.join(" ").matches("Operation").count();
        assert!(
            short[1].ends_with(&format!(" and {} more", 60 - shown)),
            "{short:?}"
        );
    }
}
