//! Prose from the metadata: Alibaba's `~~id~~` link targets, the QPS limit
//! stated in descriptions, and the neutral summary used without prose.
//!
//! Imported Markdown is kept as written (code blocks and HTML included):
//! it lands in spec files only, and `acsgen generate` sends every spec
//! text through `crate::docs`, which is what keeps it from becoming a
//! doctest, HTML or code. A hand-edited spec gets the same treatment.

use crate::spec::{RateLimit, RateLimitScope};

const DOC_URL: &str = "https://help.aliyun.com/document_detail/";

/// The summary an operation gets when no prose is carried (it must not be empty).
pub(crate) fn neutral_summary(operation: &str) -> String {
    format!("Calls the {operation} operation.")
}

/// Metadata prose as the spec keeps it: trimmed, `\r\n` made `\n`, no
/// trailing spaces on lines (they force quoted YAML instead of readable
/// block text), and `~~id~~` links converted.
pub(crate) fn clean(text: &str) -> String {
    let text = text.trim();
    if text.is_empty() {
        return String::new();
    }
    let joined = if text.contains(['\r', '\n']) {
        text.replace("\r\n", "\n")
            .split('\n')
            .map(str::trim_end)
            .collect::<Vec<_>>()
            .join("\n")
    } else {
        text.to_owned()
    };
    convert_links(&joined)
}

/// `12345` or `12345#anchor`: a help-center document id.
fn doc_url(target: &str) -> Option<String> {
    let (id, anchor) = match target.split_once('#') {
        Some((id, anchor)) => (id, Some(anchor)),
        None => (target, None),
    };
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match anchor {
        None => Some(format!("{DOC_URL}{id}.html")),
        Some(a)
            if !a.is_empty()
                && a.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') =>
        {
            Some(format!("{DOC_URL}{id}.html#{a}"))
        }
        Some(_) => None,
    }
}

/// An API name used as a link target (`~~CreateDefenseRule~~`): no URL is known.
fn is_api_name(target: &str) -> bool {
    target.starts_with(|c: char| c.is_ascii_alphabetic())
        && target.len() <= 100
        && target
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// The target of a `~~target~~` starting at `text[start..]`, with its length in bytes.
fn tilde_target(text: &str, start: usize) -> Option<(&str, usize)> {
    let rest = text.get(start..)?.strip_prefix("~~")?;
    let end = rest.find("~~")?;
    let target = &rest[..end];
    if target.contains(char::is_whitespace) {
        return None;
    }
    Some((target, end + 4))
}

/// Rewrite `[Text](~~12345~~)` and bare `~~12345~~` to help-center URLs.
/// A link to an API name (no URL known) keeps only its text, and a bare
/// `~~Name~~` becomes `Name` (Markdown would strike it through otherwise).
pub(crate) fn convert_links(text: &str) -> String {
    if !text.contains("~~") {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 64);
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        if rest.starts_with('[') {
            if let Some(done) = markdown_link(text, i, &mut out) {
                i = done;
                continue;
            }
        }
        if rest.starts_with("~~") {
            if let Some((target, len)) = tilde_target(text, i) {
                if let Some(url) = doc_url(target) {
                    out.push_str(&url);
                    i += len;
                    continue;
                }
                if is_api_name(target) {
                    out.push_str(target);
                    i += len;
                    continue;
                }
            }
            // Not a link target: copy both tildes so the scan moves on.
            out.push_str("~~");
            i += 2;
            continue;
        }
        let c = rest.chars().next().unwrap_or(' ');
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// `[Text](~~target~~)` at `text[start..]`: write its replacement, return the end.
fn markdown_link(text: &str, start: usize, out: &mut String) -> Option<usize> {
    let rest = &text[start + 1..];
    let close = rest.find(']')?;
    let label = &rest[..close];
    if label.contains(['\n', '[']) {
        return None;
    }
    let after = start + 1 + close + 1;
    if !text[after..].starts_with("(~~") {
        return None;
    }
    let (target, len) = tilde_target(text, after + 1)?;
    let end = after + 1 + len;
    if !text[end..].starts_with(')') {
        return None;
    }
    if let Some(url) = doc_url(target) {
        out.push('[');
        out.push_str(&convert_links(label));
        out.push_str("](");
        out.push_str(&url);
        out.push(')');
    } else if is_api_name(target) {
        out.push_str(&convert_links(label));
    } else {
        return None;
    }
    Some(end + 1)
}

const UNITS: [&str; 5] = [
    "次/秒",
    "次每秒",
    "times per second",
    "calls per second",
    "requests per second",
];

/// The per-user or per-account QPS limit a description states, e.g.
/// `本接口的单用户QPS限制为50次/秒` or `up to 50 times per second per account`.
/// Only a single, clearly scoped per-second number counts; anything else
/// (per minute, several different numbers, no scope) gives `None`.
pub(crate) fn rate_limit(description: &str) -> Option<RateLimit> {
    if description.is_empty() {
        return None;
    }
    let mut found: Option<RateLimit> = None;
    for sentence in description
        .split(['。', '\n', ';', '；'])
        .flat_map(|s| s.split(". "))
    {
        let lower = sentence.to_ascii_lowercase();
        let scope = if sentence.contains("单用户")
            || ["per user", "single user", "each user"]
                .iter()
                .any(|p| lower.contains(p))
        {
            RateLimitScope::User
        } else if sentence.contains("账号") || lower.contains("account") {
            RateLimitScope::Account
        } else {
            continue;
        };
        for unit in UNITS {
            let mut from = 0;
            while let Some(at) = lower[from..].find(unit) {
                let at = from + at;
                from = at + unit.len();
                let qps = number_before(&lower[..at])?;
                let limit = RateLimit { qps, scope };
                match &found {
                    Some(previous) if *previous != limit => return None,
                    _ => found = Some(limit),
                }
            }
        }
    }
    found.filter(|limit| limit.qps > 0)
}

/// The whole number right before a unit; `None` (ambiguous) for `0.5`, `1,000` or no number.
fn number_before(text: &str) -> Option<u32> {
    let trimmed = text.trim_end();
    let digits_start = trimmed
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit())
        .last()
        .map(|(i, _)| i)?;
    if trimmed[..digits_start].ends_with(['.', ',']) {
        return None;
    }
    trimmed[digits_start..].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links() {
        assert_eq!(
            convert_links("先调用[AddLiveDomain接口](~~88327~~)添加"),
            "先调用[AddLiveDomain接口](https://help.aliyun.com/document_detail/88327.html)添加"
        );
        assert_eq!(
            convert_links("see ~~25620#SecurityGroupQuota1~~."),
            "see https://help.aliyun.com/document_detail/25620.html#SecurityGroupQuota1."
        );
        assert_eq!(
            convert_links("请参见[PutContact](~~PutContact~~)和"),
            "请参见PutContact和"
        );
        assert_eq!(
            convert_links("<a href=\"~~61012~~\">x</a>"),
            "<a href=\"https://help.aliyun.com/document_detail/61012.html\">x</a>"
        );
        assert_eq!(
            convert_links("~~not a link~~ [x](y) ~~"),
            "~~not a link~~ [x](y) ~~"
        );
    }

    #[test]
    fn imported_code_is_neutralized_when_generated() {
        let text = clean("Before\r\n\n> ```rust\n> fn x() {}\n\n<pre>y</pre>\n");
        let lines = crate::docs::markdown(&text, &crate::docs::Links::default());
        assert_eq!(
            lines,
            [
                "Before",
                "",
                "> ```text",
                "> fn x() {}",
                "> ```",
                "",
                "&lt;pre&gt;y&lt;/pre&gt;"
            ]
        );
    }

    #[test]
    fn qps() {
        let user = |qps| {
            Some(RateLimit {
                qps,
                scope: RateLimitScope::User,
            })
        };
        assert_eq!(
            rate_limit("## QPS限制\n本接口的单用户QPS限制为30次/秒。超过限制"),
            user(30)
        );
        assert_eq!(rate_limit("本接口的单用户QPS限制为30次/分钟。"), None);
        assert_eq!(rate_limit("单用户调用频率：10次/秒。"), user(10));
        assert_eq!(
            rate_limit(
                "单个API的调用次数限制为50次/秒。一个阿里云账号及该账号下的RAM用户共用50次/秒。"
            ),
            Some(RateLimit {
                qps: 50,
                scope: RateLimitScope::Account
            })
        );
        assert_eq!(
            rate_limit("You can call this operation up to 50 times per second per account."),
            Some(RateLimit {
                qps: 50,
                scope: RateLimitScope::Account
            })
        );
        assert_eq!(
            rate_limit("单用户QPS限制为10次/秒, 单用户QPS限制为20次/秒"),
            None
        );
        assert_eq!(rate_limit("本接口无单用户QPS限制"), None);
        assert_eq!(rate_limit("单用户QPS限制为0.5次/秒"), None);
    }
}
