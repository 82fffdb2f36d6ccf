use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};

use super::*;

fn md(text: &str) -> Vec<String> {
    markdown(text, &Links::default())
}

/// What rustdoc would see in `lines`: (info strings of code blocks, HTML found).
fn read_back(lines: &[String]) -> (Vec<String>, bool) {
    let doc = lines.join("\n");
    let mut infos = Vec::new();
    let mut html = false;
    for event in Parser::new_ext(&doc, cmark::options()) {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                infos.push(info.to_string())
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => {
                infos.push("<indented>".into())
            }
            Event::Html(_) | Event::InlineHtml(_) => html = true,
            _ => {}
        }
    }
    (infos, html)
}

/// `text` gives exactly `blocks` code blocks, all `text`, and no HTML.
fn assert_safe(text: &str, blocks: usize) -> Vec<String> {
    let lines = md(text);
    let (infos, html) = read_back(&lines);
    assert!(!html, "HTML left in {lines:#?}");
    assert_eq!(infos.len(), blocks, "code blocks of {text:?}: {lines:#?}");
    assert!(
        infos.iter().all(|info| info == "text"),
        "{infos:?} in {lines:#?}"
    );
    assert!(lines.iter().all(|l| !l.contains('\n') && !l.contains('\r')));
    lines
}

#[test]
fn fences_are_not_doctests_and_get_closed() {
    assert_eq!(
        md("a\n```\nfn x() {}\n"),
        vec!["a", "", "```text", "fn x() {}", "```"]
    );
    assert_eq!(md("```json\n{}\n```"), vec!["```text", "{}", "```"]);
    assert_safe("~~~rust\nfn x() {}\n~~~", 1);
    assert_safe("```should_panic,edition2021\npanic!()\n```", 1);
}

#[test]
fn a_fence_closes_only_with_a_long_enough_fence_of_its_kind() {
    // The inner ``` and ~~~ are content; the block ends at ````.
    let lines = assert_safe("````\n```\nfn a() {}\n~~~\n````\nafter", 1);
    assert_eq!(
        lines,
        vec!["````text", "```", "fn a() {}", "~~~", "````", "", "after"]
    );
}

#[test]
fn fences_in_quotes_and_lists_are_text_blocks() {
    let lines = assert_safe("> ```rust\n> fn x() {}\n> ```", 1);
    assert_eq!(lines, vec!["> ```text", "> fn x() {}", "> ```"]);
    let lines = assert_safe("- ```rust\n  fn x() {}\n  ```\n- b", 1);
    assert_eq!(lines, vec!["- ```text", "  fn x() {}", "  ```", "- b"]);
    assert_safe("1. a\n\n   ```\n   x\n   ```", 1);
    assert_safe("> > - > ```\n> > -   > y", 1);
    assert_safe("* > - ~~~\n*   > -   z", 1);
}

#[test]
fn indented_code_becomes_a_fence() {
    assert_eq!(
        md("        indented"),
        vec!["```text", "    indented", "```"]
    );
    assert_safe("a\n\n\tfn x() {}", 1);
    assert_safe(">     fn x() {}", 1);
    assert_safe("- a\n\n      fn x() {}", 1);
    assert_safe("> - a\n>\n>       fn x() {}", 1);
}

#[test]
fn lazy_lines_are_indented_and_quotes_keep_their_marker() {
    assert_eq!(md("- a\nb"), vec!["- a", "  b"]);
    assert_eq!(md("> a\nb"), vec!["> a", "> b"]);
    assert_eq!(md("10. a\nb"), vec!["10. a", "    b"]);
    assert_eq!(md("- a\n\n  b"), vec!["- a", "", "  b"]);
    assert_eq!(md("- a\n- b"), vec!["- a", "- b"]);
}

#[test]
fn html_is_escaped_text() {
    assert_eq!(md("a </p> b"), vec!["a &lt;/p&gt; b"]);
    let lines = assert_safe("<pre>\nfn x() {}\n</pre>", 0);
    assert_eq!(lines, vec!["&lt;pre&gt;", "fn x() {}", "&lt;/pre&gt;"]);
    assert_safe(
        "<details>\n<summary>s</summary>\n\n```rust\nx\n```\n</details>",
        1,
    );
    assert_safe("<script>\nalert(1)\n\n</script>", 0);
    assert_safe("x <span>y</span> <!-- c -->", 0);
    // Entities render as the characters they stand for.
    assert_eq!(md("&lt;/props&gt; &amp;"), vec!["&lt;/props&gt; &amp;"]);
    assert_eq!(md("&#96;&#96;&#96;rust"), vec!["\\`\\`\\`rust"]);
}

#[test]
fn entities_cannot_indent_or_break_lines() {
    assert_safe("&#32;&#32;&#32;&#32;fn x() {}", 0);
    let lines = assert_safe("a&#10;```rust&#13;b", 0);
    assert_eq!(lines.len(), 1);
    assert_eq!(md("x&#x202E;y"), vec!["x\\u{202e}y"]);
}

#[test]
fn html_brackets_and_urls_are_escaped() {
    assert_eq!(
        md("see [x] and https://a.b/c."),
        vec!["see \\[x\\] and <https://a.b/c>."]
    );
    assert_eq!(md("`<kept>` [y]"), vec!["`<kept>` \\[y\\]"]);
    assert_eq!(md("[t](http://x.y/a b)"), vec!["\\[t\\](<http://x.y/a> b)"]);
    assert_eq!(md("[t](<http://x.y/a b>)"), vec!["[t](http://x.y/a%20b)"]);
    assert_eq!(md("[t](./local)"), vec!["t"]);
    assert_eq!(md("Hi\\![t](https://a.b)"), vec!["Hi\\![t](https://a.b)"]);
    assert_eq!(md("a|b ~c~ *d* _e_ f_g"), vec!["a\\|b ~~c~~ *d* *e* f_g"]);
}

#[test]
fn alibaba_links_become_urls() {
    assert_eq!(
        md("call [CreateApp](~~2593195~~) first"),
        vec!["call [CreateApp](https://help.aliyun.com/document_detail/2593195.html) first"]
    );
    assert_eq!(
        md("see ~~123~~."),
        vec!["see <https://help.aliyun.com/document_detail/123.html>."]
    );
}

#[test]
fn operation_mentions_become_intra_doc_links() {
    let mut links = Links::default();
    links
        .operations
        .insert("DeleteGroup".into(), "crate::Client::delete_group".into());
    assert_eq!(
        markdown("after [DeleteGroup] runs, not [Other]", &links),
        vec!["after [`DeleteGroup`](crate::Client::delete_group) runs, not \\[Other\\]"]
    );
    assert_eq!(
        one_line("[DeleteGroup] | x", &links),
        "[`DeleteGroup`](crate::Client::delete_group) \\| x"
    );
}

#[test]
fn hostile_characters_are_neutralized() {
    let lines = md("x\r\ny\u{202e}z\u{0}");
    assert_eq!(lines, vec!["x", "y\\u{202e}z"]);
    assert_eq!(md("# Title"), vec!["### Title"]);
    assert_eq!(md("##### C\\# #"), vec!["##### C\\#"]);
    assert_eq!(md("Title\n==="), vec!["### Title"]);
    assert_eq!(
        md("a\n\\- b\n\\# c\n2\\. d"),
        vec!["a", "\\- b", "\\# c", "2\\. d"]
    );
    assert_eq!(md("a\n\n---\n\nb"), vec!["a", "", "***", "", "b"]);
}

#[test]
fn nested_markers_on_one_line_are_no_thematic_break() {
    assert_eq!(md("- * -"), vec!["- * -"]);
    assert_eq!(md("+ + a"), vec!["- * a"]);
    // An empty quote writes nothing, so no blank line goes before the code.
    assert_eq!(
        md("10. >>\n    >     x"),
        vec!["10. > ```text", "    > x", "    > ```"]
    );
}

#[test]
fn adjacent_lists_stay_apart() {
    assert_eq!(md("- a\n\n* b"), vec!["- a", "", "* b"]);
    assert_eq!(md("1. a\n\n1) b"), vec!["1. a", "", "1) b"]);
}

#[test]
fn tables_are_kept() {
    assert_eq!(
        md("| a | `b\\|c` |\n|:-|-:|\n| [x] | <i> |"),
        vec!["| a | `b\\|c` |", "|:---|---:|", "| \\[x\\] | &lt;i&gt; |"]
    );
}

#[test]
fn one_line_reads_no_blocks() {
    let links = Links::default();
    assert_eq!(
        one_line("```rust\nfn x() {}\n```", &links),
        "`rust fn x() {} `"
    );
    assert_eq!(
        one_line("```rust\nfn x() {}", &links),
        "\\`\\`\\`rust fn x() {}"
    );
    assert_eq!(one_line("# a | b", &links), "\\# a \\| b");
    assert_eq!(one_line("- a\n- b", &links), "\\- a - b");
    assert_eq!(one_line("1. a", &links), "1\\. a");
    assert_eq!(one_line("    code", &links), "code");
    assert_eq!(one_line("<pre>x</pre>", &links), "&lt;pre&gt;x&lt;/pre&gt;");
    assert_eq!(one_line("", &links), "");
    assert_eq!(one_line("a `x|y` b", &links), "a `x\\|y` b");
}

#[test]
fn literal_text_survives_backticks() {
    assert_eq!(code("a`b"), "a\\`b");
    assert_eq!(code("`x <y>"), "\\`x &lt;y\\>");
    assert_eq!(code("a|b"), "`a\\|b`");
    assert_eq!(code(""), "` `");
    assert_eq!(code("    x`"), "x\\`");
}

#[test]
fn deep_nesting_stays_safe() {
    let quotes = format!("{}```rust\nx\n", "> ".repeat(2_000));
    assert_safe(&quotes, 1);
    let lists: String = (0..300)
        .map(|depth| format!("{}- ```\n", "  ".repeat(depth)))
        .collect();
    let lines = md(&lists);
    let (infos, html) = read_back(&lines);
    assert!(!html && infos.iter().all(|info| info == "text"));
    assert_safe(&"[".repeat(5_000), 0);
    assert_safe(&"*a **b ".repeat(2_000), 0);
}

/// Lines clippy reads as lazy continuations or over-indented list text
/// (`doc_lazy_continuation`, `doc_overindented_list_items`) come out
/// indented exactly under their item, and quoted lines all get `>`.
#[test]
fn lazy_and_overindented_lines_are_written_under_their_container() {
    assert_eq!(
        md("Notes:\n- one\ngoes on\n- two\n  * nested\nlazy too"),
        vec![
            "Notes:",
            "",
            "- one",
            "  goes on",
            "- two",
            "  - nested",
            "    lazy too"
        ]
    );
    assert_eq!(
        md("-   three spaces\n        deep continuation\n1.  ordered\n 1 space"),
        vec![
            "- three spaces",
            "  deep continuation",
            "",
            "1. ordered",
            "   1 space"
        ]
    );
    assert_eq!(
        md("> advice\nlazy\n> > nested\nlazy again"),
        vec!["> advice", "> lazy", ">", "> > nested", "> > lazy again"]
    );
    // Escaped tags stay escaped; tabs become spaces, never a code block.
    assert_eq!(
        md("ends with &lt;/props&gt;\n\tafter a tab"),
        vec!["ends with &lt;/props&gt;", "after a tab"]
    );
    assert_safe("Use:\n\n    Describe(Id)\n\nThen.", 1);
}

#[test]
fn one_line_of_nothing_is_empty() {
    let links = Links::default();
    for blank in ["&nbsp;", "&#32;", " "] {
        assert_eq!(one_line(blank, &links), "", "{blank:?}");
    }
    assert_eq!(one_line("a &nbsp;", &links), "a");
}
