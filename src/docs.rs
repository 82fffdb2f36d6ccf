//! Spec text to rustdoc: every piece of prose and every example passes
//! through here before it reaches generated code.
//!
//! Whatever a spec says must neither break the generated code (bare CR,
//! bidi control characters, which rustc rejects in comments) nor make
//! `cargo doc` warn (stray HTML, `[brackets]` read as broken intra-doc
//! links, bare URLs) nor turn into doctests (code fences are marked `text`).
//! Output lines never hold a newline, so `/// {line}` is always one comment.

use std::collections::BTreeMap;

/// Where `[Name]` mentions of operations point (wire name -> rustdoc path).
#[derive(Debug, Clone, Default)]
pub struct Links {
    pub operations: BTreeMap<String, String>,
}

/// Alibaba documentation links are written `~~12345~~` in the metadata.
fn help_url(id: &str) -> String {
    format!("https://help.aliyun.com/document_detail/{id}.html")
}

/// Characters rustc refuses in comments or that hide text from a reader.
fn is_hidden_format_char(c: char) -> bool {
    matches!(c as u32, 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2069 | 0xFEFF)
}

/// Drop control characters and make invisible ones visible.
pub fn clean(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' => out.push('\n'),
            '\t' => out.push_str("    "),
            c if is_hidden_format_char(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            '\u{2028}' | '\u{2029}' | '\u{85}' => out.push('\n'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Markdown prose (a description) as doc lines.
pub fn markdown(text: &str, links: &Links) -> Vec<String> {
    let text = clean(text);
    let mut lines = Vec::new();
    let mut fence: Option<String> = None;
    for raw in text.lines() {
        let trimmed = raw.trim_start();
        if let Some(open) = &fence {
            if trimmed.starts_with(open.as_str()) && trimmed.trim_end() == open.as_str() {
                lines.push(open.clone());
                fence = None;
            } else {
                lines.push(raw.trim_end().to_owned());
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let marker: String = trimmed
                .chars()
                .take_while(|c| *c == '`' || *c == '~')
                .collect();
            // Rustdoc compiles untagged fences as Rust doctests.
            lines.push(format!("{marker}text"));
            fence = Some(marker);
            continue;
        }
        let indent = raw.len() - trimmed.len();
        // Four spaces would start an indented code block, i.e. a doctest.
        let mut line = " ".repeat(indent.min(3));
        if trimmed.starts_with('#') {
            // Keep spec headings below the sections the generator writes.
            let level = trimmed.chars().take_while(|c| *c == '#').count();
            let rest = trimmed[level..].trim_start();
            line.push_str(&"#".repeat(level.clamp(3, 6)));
            line.push(' ');
            line.push_str(&inline(rest, links));
        } else {
            line.push_str(&inline(trimmed, links));
        }
        lines.push(line.trim_end().to_owned());
    }
    if let Some(open) = fence {
        lines.push(open);
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    while lines.first().is_some_and(|l| l.is_empty()) {
        lines.remove(0);
    }
    lines
}

/// One paragraph squeezed onto one line (for table cells and list items).
pub fn one_line(text: &str, links: &Links) -> String {
    let joined = clean(text).split_whitespace().collect::<Vec<_>>().join(" ");
    inline(&joined, links).replace('|', "\\|")
}

/// Text shown literally: an inline code span, or, when the text holds
/// backticks (which make code spans fragile inside tables), plain text with
/// every markdown punctuation character backslash-escaped.
pub fn code(text: &str) -> String {
    let text = clean(text).replace('\n', " ");
    if text.is_empty() {
        return "` `".to_owned();
    }
    if !text.contains('`') {
        return format!("`{}`", text.replace('|', "\\|"));
    }
    let mut out = String::with_capacity(text.len() * 2);
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '&' => out.push_str("&amp;"),
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Escape inline markdown outside code spans: HTML, brackets, bare URLs.
fn inline(text: &str, links: &Links) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            // Copy a whole code span verbatim (or a lone backtick run).
            let run = chars[i..].iter().take_while(|c| **c == '`').count();
            let close = find_run(&chars, i + run, run);
            let end = close.map_or(i + run, |close| close + run);
            out.extend(&chars[i..end]);
            i = end;
            continue;
        }
        if c == '[' {
            if let Some((consumed, rendered)) = link(&chars[i..], links) {
                out.push_str(&rendered);
                i += consumed;
                continue;
            }
            out.push_str("\\[");
            i += 1;
            continue;
        }
        if c == ']' {
            out.push_str("\\]");
            i += 1;
            continue;
        }
        if c == '<' {
            out.push_str("&lt;");
            i += 1;
            continue;
        }
        if c == '>' && !out.trim().is_empty() {
            out.push_str("&gt;");
            i += 1;
            continue;
        }
        if c == '&' {
            out.push_str("&amp;");
            i += 1;
            continue;
        }
        if c == '~' && chars.get(i + 1) == Some(&'~') {
            if let Some((consumed, id)) = help_ref(&chars[i..]) {
                out.push_str(&format!("<{}>", help_url(&id)));
                i += consumed;
                continue;
            }
        }
        if (c == 'h') && starts_with(&chars[i..], "http") {
            let url: String = chars[i..]
                .iter()
                .take_while(|c| {
                    !c.is_whitespace()
                        && !matches!(c, '<' | '>' | '"' | ')' | '(' | '`' | '，' | '。' | '）')
                })
                .collect();
            if url.starts_with("http://") || url.starts_with("https://") {
                let url = url.trim_end_matches(['.', ',', ';', ':']).to_owned();
                out.push('<');
                out.push_str(&url);
                out.push('>');
                i += url.chars().count();
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

fn starts_with(chars: &[char], prefix: &str) -> bool {
    prefix
        .chars()
        .enumerate()
        .all(|(i, p)| chars.get(i) == Some(&p))
}

/// Index where a backtick run of exactly `len` starts, at or after `from`.
fn find_run(chars: &[char], from: usize, len: usize) -> Option<usize> {
    let mut i = from;
    while i < chars.len() {
        if chars[i] == '`' {
            let run = chars[i..].iter().take_while(|c| **c == '`').count();
            if run == len {
                return Some(i);
            }
            i += run;
        } else {
            i += 1;
        }
    }
    None
}

/// `~~12345~~` -> (chars consumed, "12345").
fn help_ref(chars: &[char]) -> Option<(usize, String)> {
    let digits: String = chars[2..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    let end = 2 + digits.chars().count();
    if !digits.is_empty() && chars.get(end) == Some(&'~') && chars.get(end + 1) == Some(&'~') {
        Some((end + 2, digits))
    } else {
        None
    }
}

/// `[text](target)` or `[OperationName]` at the start of `chars`.
fn link(chars: &[char], links: &Links) -> Option<(usize, String)> {
    let close = chars.iter().position(|c| *c == ']')?;
    let label: String = chars[1..close].iter().collect();
    if label.contains('[') || label.is_empty() {
        return None;
    }
    let label_text = inline_plain(&label);
    if chars.get(close + 1) == Some(&'(') {
        let end = chars[close + 2..].iter().position(|c| *c == ')')? + close + 2;
        let target: String = chars[close + 2..end].iter().collect();
        let target = target.trim();
        let url = if let Some(id) = target
            .strip_prefix("~~")
            .and_then(|t| t.strip_suffix("~~"))
            .filter(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
        {
            help_url(id)
        } else if target.starts_with("http://") || target.starts_with("https://") {
            target.replace(['<', '>', ' '], "")
        } else {
            return Some((end + 1, label_text));
        };
        return Some((end + 1, format!("[{label_text}]({url})")));
    }
    let path = links.operations.get(label.trim())?;
    Some((close + 1, format!("[`{}`]({path})", label.trim())))
}

/// Link labels: no nested markup worth keeping, only escaping.
fn inline_plain(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('[', "\\[")
        .replace(']', "\\]")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(text: &str) -> Vec<String> {
        markdown(text, &Links::default())
    }

    #[test]
    fn fences_are_not_doctests_and_get_closed() {
        assert_eq!(
            md("a\n```\nfn x() {}\n"),
            vec!["a", "```text", "fn x() {}", "```"]
        );
        assert_eq!(md("```json\n{}\n```"), vec!["```text", "{}", "```"]);
    }

    #[test]
    fn html_brackets_and_urls_are_escaped() {
        assert_eq!(md("a </p> b"), vec!["a &lt;/p&gt; b"]);
        assert_eq!(
            md("see [x] and https://a.b/c."),
            vec!["see \\[x\\] and <https://a.b/c>."]
        );
        assert_eq!(md("`<kept>` [y]"), vec!["`<kept>` \\[y\\]"]);
    }

    #[test]
    fn alibaba_links_become_urls() {
        assert_eq!(
            md("call [CreateApp](~~2593195~~) first"),
            vec!["call [CreateApp](https://help.aliyun.com/document_detail/2593195.html) first"]
        );
    }

    #[test]
    fn operation_mentions_become_intra_doc_links() {
        let mut links = Links::default();
        links
            .operations
            .insert("DeleteGroup".into(), "crate::Client::delete_group".into());
        assert_eq!(
            markdown("after [DeleteGroup] runs", &links),
            vec!["after [`DeleteGroup`](crate::Client::delete_group) runs"]
        );
    }

    #[test]
    fn hostile_characters_are_neutralized() {
        let lines = md("x\r\ny\u{202e}z\u{0}");
        assert_eq!(lines, vec!["x", "y\\u{202e}z"]);
        assert_eq!(md("        indented"), vec!["   indented"]);
        assert_eq!(md("# Title"), vec!["### Title"]);
    }

    #[test]
    fn literal_text_survives_backticks() {
        assert_eq!(code("a`b"), "a\\`b");
        assert_eq!(code("`x <y>"), "\\`x &lt;y\\>");
        assert_eq!(code("a|b"), "`a\\|b`");
        assert_eq!(code(""), "` `");
    }
}
