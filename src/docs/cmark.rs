//! Spec Markdown parsed with pulldown-cmark (the parser rustdoc uses, with
//! rustdoc's extensions) and written back as CommonMark that has a single
//! reading: code blocks only as ` ```text ` fences, HTML only as escaped
//! text, list items indented under their marker, `>` on every quoted line,
//! and every character that could open a construct of its own escaped.
//! What rustdoc would have taken for a doctest is decided here by the same
//! parser, so no text can become one.

use pulldown_cmark::{
    Alignment, BrokenLink, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
    TextMergeStream,
};

use super::{help_url, one_line_chars, Links};

/// The extensions rustdoc turns on (smart punctuation aside, which only
/// changes how text looks).
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// Parse `text`; `[Name]` of a known operation resolves to its rustdoc path.
fn events<'a>(text: &'a str, links: &Links) -> Vec<Event<'a>> {
    let callback = |broken: BrokenLink<'a>| {
        links
            .operations
            .get(broken.reference.trim())
            .map(|path| (CowStr::from(path.clone()), CowStr::from("")))
    };
    let parser = Parser::new_with_broken_link_callback(text, options(), Some(callback));
    TextMergeStream::new(parser).collect()
}

/// Doc lines for `text` (already passed through `clean`).
pub(super) fn render(text: &str, links: &Links) -> Vec<String> {
    let mut writer = Writer::new(false);
    writer.run(&events(text, links));
    writer.finish()
}

/// `text` (one line) as inline Markdown only.
pub(super) fn render_inline(text: &str, links: &Links) -> String {
    if text.is_empty() {
        return String::new();
    }
    // A leading word makes the line a paragraph whatever it starts with.
    let source = format!("a {text}");
    let mut writer = Writer::new(true);
    writer.run(&events(&source, links));
    let line = writer.finish().join(" ");
    // Only the word when the text rendered to nothing (`&nbsp;`).
    let rest = line.strip_prefix('a').unwrap_or(&line).trim_start();
    let mut out = String::with_capacity(rest.len() + 2);
    out.push_str(&escape_line_start(rest));
    out
}

/// Escape what would open a block at the start of a line: an ATX heading,
/// a list item, a setext underline or thematic break. The other openers
/// (`>`, `<`, `*`, `|`, `` ` ``, `~`) are escaped wherever they are.
fn escape_line_start(text: &str) -> String {
    let first = text.chars().next();
    if matches!(first, Some('#' | '-' | '+' | '=')) {
        return format!("\\{text}");
    }
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=9).contains(&digits) {
        let rest = &text[digits..];
        if let Some(after) = rest.strip_prefix(['.', ')']) {
            if after.is_empty() || after.starts_with(' ') {
                return format!("{}\\{}", &text[..digits], &text[digits..]);
            }
        }
    }
    text.to_owned()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Block {
    /// Inline content straight inside a tight list item.
    TightText,
    Paragraph,
    Heading,
    Code,
    Quote,
    /// A list that may follow a paragraph line directly (CommonMark only
    /// lets non-empty bullet lists and lists starting at 1 do that).
    List {
        interrupts: bool,
    },
    Rule,
    Table,
    Html,
    Footnote,
}

impl Block {
    /// Blocks that end a paragraph without a blank line before them.
    fn interrupts(self) -> bool {
        match self {
            Block::Code | Block::Heading | Block::Quote | Block::Rule => true,
            Block::List { interrupts } => interrupts,
            _ => false,
        }
    }
}

enum Kind {
    Root,
    Quote,
    Footnote,
    List {
        next: u64,
        ordered: bool,
        delimiter: char,
        tight: bool,
        items: usize,
    },
    Item {
        marker: String,
        pending: bool,
        tight: bool,
    },
}

struct Frame {
    kind: Kind,
    /// Child blocks written so far.
    blocks: usize,
    /// Delimiter of the previous child when it was a list: the next list
    /// uses the other one, or the two would merge into one list.
    last_list: Option<char>,
}

impl Frame {
    fn new(kind: Kind) -> Self {
        Frame {
            kind,
            blocks: 0,
            last_list: None,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Inline {
    Paragraph,
    Implicit,
    Heading,
    Cell,
}

/// What closes an open link or image.
enum LinkEnd {
    /// `](url)`.
    Url(String),
    /// Only the label was kept.
    Label,
}

struct Writer {
    out: Vec<String>,
    /// The line being written, its prefix included.
    line: Option<String>,
    /// Where the line's content starts (after the container prefix).
    content_start: usize,
    frames: Vec<Frame>,
    inline: Option<Inline>,
    links: Vec<LinkEnd>,
    /// Depth of a link or image whose content is replaced, not written.
    skip: usize,
    code: Option<String>,
    html: Option<String>,
    table: Option<Vec<Alignment>>,
    one_line: bool,
}

impl Writer {
    fn new(one_line: bool) -> Self {
        Writer {
            out: Vec::new(),
            line: None,
            content_start: 0,
            frames: vec![Frame::new(Kind::Root)],
            inline: None,
            links: Vec::new(),
            skip: 0,
            code: None,
            html: None,
            table: None,
            one_line,
        }
    }

    fn finish(mut self) -> Vec<String> {
        self.end_line();
        if let Some(code) = self.code.take() {
            self.write_code(&code);
        }
        self.out
    }

    fn run(&mut self, events: &[Event<'_>]) {
        let mut i = 0;
        while i < events.len() {
            i += self.event(events, i);
        }
    }

    /// Handle `events[i]`; returns how many events were used.
    fn event(&mut self, events: &[Event<'_>], i: usize) -> usize {
        let event = &events[i];
        if let Some(code) = &mut self.code {
            match event {
                Event::Text(text) => code.push_str(text),
                Event::End(TagEnd::CodeBlock) => {
                    let code = self.code.take().unwrap_or_default();
                    self.write_code(&code);
                }
                _ => {}
            }
            return 1;
        }
        if let Some(html) = &mut self.html {
            match event {
                Event::Html(text) | Event::Text(text) => html.push_str(text),
                Event::End(TagEnd::HtmlBlock) => {
                    let html = self.html.take().unwrap_or_default();
                    self.write_html(&html);
                }
                _ => {}
            }
            return 1;
        }
        if self.skip > 0 {
            match event {
                Event::Start(Tag::Link { .. } | Tag::Image { .. }) => self.skip += 1,
                Event::End(TagEnd::Link | TagEnd::Image) => self.skip -= 1,
                _ => {}
            }
            return 1;
        }
        match event {
            Event::Start(tag) => return self.start(tag, events, i),
            Event::End(tag) => self.end(*tag),
            Event::Text(text) | Event::InlineMath(text) | Event::DisplayMath(text) => {
                self.text(text)
            }
            Event::Html(text) | Event::InlineHtml(text) => self.text(text),
            Event::Code(text) => self.code_span(text),
            Event::FootnoteReference(label) => self.text(&format!("[^{label}]")),
            Event::TaskListMarker(done) => self.text(if *done { "[x] " } else { "[ ] " }),
            Event::SoftBreak => self.soft_break(),
            Event::HardBreak => {
                if self.one_line || matches!(self.inline, Some(Inline::Heading | Inline::Cell)) {
                    self.push(" ");
                } else {
                    self.push("\\");
                    self.end_line();
                }
            }
            Event::Rule => {
                self.begin_block(Block::Rule);
                // `***`, unlike `---`, is never read as a setext underline.
                self.raw("***");
                self.end_line();
            }
        }
        1
    }

    fn start(&mut self, tag: &Tag<'_>, events: &[Event<'_>], i: usize) -> usize {
        match tag {
            Tag::Paragraph => {
                self.begin_block(Block::Paragraph);
                self.inline = Some(Inline::Paragraph);
            }
            Tag::Heading { level, .. } => {
                self.begin_block(Block::Heading);
                // Spec headings stay below the sections the generator writes.
                let level = match level {
                    HeadingLevel::H1 | HeadingLevel::H2 | HeadingLevel::H3 => 3,
                    HeadingLevel::H4 => 4,
                    HeadingLevel::H5 => 5,
                    HeadingLevel::H6 => 6,
                };
                self.inline = Some(Inline::Heading);
                self.raw(&format!("{} ", "#".repeat(level)));
            }
            Tag::BlockQuote(_) => {
                self.begin_block(Block::Quote);
                self.frames.push(Frame::new(Kind::Quote));
            }
            Tag::CodeBlock(_) => {
                self.begin_block(Block::Code);
                self.code = Some(String::new());
            }
            Tag::HtmlBlock => {
                self.begin_block(Block::Html);
                self.html = Some(String::new());
            }
            Tag::List(start) => {
                let nonempty = matches!(events.get(i + 1), Some(Event::Start(Tag::Item)))
                    && !matches!(events.get(i + 2), Some(Event::End(TagEnd::Item)));
                let interrupts = nonempty && matches!(start, None | Some(1));
                let previous = self.frames.last().and_then(|f| f.last_list);
                // A bullet on the same line as its parent's: `- - -` would
                // be a thematic break, so the two differ.
                let parent = match self.frames.last() {
                    Some(Frame {
                        kind:
                            Kind::Item {
                                marker,
                                pending: true,
                                ..
                            },
                        ..
                    }) => marker.chars().last(),
                    _ => None,
                };
                self.begin_block(Block::List { interrupts });
                let delimiter = match (start.is_some(), parent.or(previous)) {
                    (false, Some('-')) => '*',
                    (false, _) => '-',
                    (true, Some('.')) => ')',
                    (true, _) => '.',
                };
                self.frames.push(Frame::new(Kind::List {
                    next: start.unwrap_or(1),
                    ordered: start.is_some(),
                    delimiter,
                    tight: is_tight(events, i),
                    items: 0,
                }));
            }
            Tag::Item => self.start_item(),
            Tag::FootnoteDefinition(label) => {
                self.begin_block(Block::Footnote);
                let label = escape_text(&one_line_chars(label), false, true);
                self.raw(&format!("\\[^{label}\\]:"));
                self.end_line();
                let mut frame = Frame::new(Kind::Footnote);
                frame.blocks = 1;
                self.frames.push(frame);
            }
            Tag::Table(alignments) => {
                self.begin_block(Block::Table);
                self.table = Some(alignments.clone());
            }
            Tag::TableHead | Tag::TableRow => {
                self.end_line();
                self.raw("|");
            }
            Tag::TableCell => {
                self.raw(" ");
                self.inline = Some(Inline::Cell);
            }
            Tag::Emphasis => self.push("*"),
            Tag::Strong => self.push("**"),
            Tag::Strikethrough => {
                // `~~12345~~` is an Alibaba documentation reference.
                if let (Some(Event::Text(id)), Some(Event::End(TagEnd::Strikethrough))) =
                    (events.get(i + 1), events.get(i + 2))
                {
                    if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) {
                        self.push(&format!("<{}>", help_url(id)));
                        return 3;
                    }
                }
                self.push("~~");
            }
            Tag::Link {
                link_type,
                dest_url,
                id,
                ..
            } => self.start_link(*link_type, dest_url, id),
            Tag::Image { dest_url, .. } => match web_url(dest_url) {
                Some(url) => {
                    self.push("![");
                    self.links.push(LinkEnd::Url(url));
                }
                None => self.links.push(LinkEnd::Label),
            },
            // Not enabled, so never produced; their content is kept.
            Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::Superscript
            | Tag::Subscript
            | Tag::MetadataBlock(_) => {}
        }
        1
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => {
                self.end_line();
                self.inline = None;
            }
            TagEnd::Heading(_) => {
                // A trailing `#` run would be read as a closing sequence.
                if let Some(line) = &mut self.line {
                    let trimmed = line.trim_end().len();
                    line.truncate(trimmed);
                    let run = line.bytes().rev().take_while(|b| *b == b'#').count();
                    if run > 0 && line.len() - run > self.content_start {
                        line.insert(line.len() - run, '\\');
                    }
                }
                self.end_line();
                self.inline = None;
            }
            TagEnd::BlockQuote(_) | TagEnd::FootnoteDefinition => {
                self.close_implicit();
                self.frames.pop();
            }
            TagEnd::List(_) => {
                self.close_implicit();
                if let Some(Frame {
                    kind: Kind::List { delimiter, .. },
                    ..
                }) = self.frames.pop()
                {
                    if let Some(parent) = self.frames.last_mut() {
                        parent.last_list = Some(delimiter);
                    }
                }
            }
            TagEnd::Item => {
                self.close_implicit();
                let empty = matches!(
                    self.frames.last(),
                    Some(Frame {
                        kind: Kind::Item { pending: true, .. },
                        ..
                    })
                );
                if empty {
                    // The marker alone.
                    self.raw("");
                    self.end_line();
                }
                self.frames.pop();
            }
            TagEnd::Table => {
                self.end_line();
                self.table = None;
            }
            TagEnd::TableHead => {
                self.end_line();
                let mut row = String::from("|");
                for alignment in self.table.clone().unwrap_or_default() {
                    row.push_str(match alignment {
                        Alignment::None => "---|",
                        Alignment::Left => ":---|",
                        Alignment::Center => ":---:|",
                        Alignment::Right => "---:|",
                    });
                }
                self.raw(&row);
                self.end_line();
            }
            TagEnd::TableRow => self.end_line(),
            TagEnd::TableCell => {
                self.raw(" |");
                self.inline = None;
            }
            TagEnd::Emphasis => self.push("*"),
            TagEnd::Strong => self.push("**"),
            TagEnd::Strikethrough => self.push("~~"),
            TagEnd::Link | TagEnd::Image => {
                if let Some(LinkEnd::Url(url)) = self.links.pop() {
                    self.push(&format!("]({url})"));
                }
            }
            TagEnd::CodeBlock
            | TagEnd::HtmlBlock
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::MetadataBlock(_) => {}
        }
    }

    fn start_item(&mut self) {
        let Some(Frame {
            kind:
                Kind::List {
                    next,
                    ordered,
                    delimiter,
                    tight,
                    items,
                },
            ..
        }) = self.frames.last_mut()
        else {
            // An item outside a list does not occur; write it as a bullet.
            self.frames.push(Frame::new(Kind::Item {
                marker: "-".into(),
                pending: true,
                tight: false,
            }));
            return;
        };
        let marker = if *ordered {
            format!("{next}{delimiter}")
        } else {
            delimiter.to_string()
        };
        *next = next.saturating_add(1);
        *items += 1;
        let (tight, separate) = (*tight, *items > 1 && !*tight);
        if separate {
            self.blank();
        }
        self.frames.push(Frame::new(Kind::Item {
            marker,
            pending: true,
            tight,
        }));
    }

    fn start_link(&mut self, link_type: LinkType, dest: &str, id: &str) {
        match link_type {
            // Resolved by the broken-link callback: an operation mention.
            LinkType::ShortcutUnknown | LinkType::CollapsedUnknown => {
                let name = one_line_chars(id.trim()).replace('`', "");
                self.push(&format!("[`{name}`]({dest})"));
                self.skip = 1;
            }
            LinkType::ReferenceUnknown => {
                self.push("[");
                self.links.push(LinkEnd::Url(dest.to_owned()));
            }
            LinkType::Autolink => match web_url(dest) {
                Some(url) => {
                    self.push(&format!("<{url}>"));
                    self.skip = 1;
                }
                None => self.links.push(LinkEnd::Label),
            },
            _ => match web_url(dest) {
                Some(url) if self.links.is_empty() => {
                    self.push("[");
                    self.links.push(LinkEnd::Url(url));
                }
                _ => self.links.push(LinkEnd::Label),
            },
        }
    }

    /// Start a block in the innermost container, separated from the
    /// previous one by a blank line unless the container is a tight list
    /// item and the block can follow a line directly.
    fn begin_block(&mut self, block: Block) {
        self.close_implicit();
        self.end_line();
        let Some(frame) = self.frames.last_mut() else {
            return;
        };
        let tight = matches!(frame.kind, Kind::Item { tight: true, .. });
        let separate = frame.blocks > 0 && !(tight && block.interrupts());
        frame.blocks += 1;
        frame.last_list = None;
        if separate {
            self.blank();
        }
    }

    /// End text written straight inside a tight list item.
    fn close_implicit(&mut self) {
        if self.inline == Some(Inline::Implicit) {
            self.end_line();
            self.inline = None;
        }
    }

    /// The container prefix of a new line; `marker` consumes pending list
    /// markers (a blank line does not).
    fn prefix(&mut self, marker: bool) -> String {
        let mut prefix = String::new();
        for frame in &mut self.frames {
            match &mut frame.kind {
                Kind::Quote => prefix.push_str("> "),
                Kind::Item {
                    marker: text,
                    pending,
                    ..
                } => {
                    if *pending && marker {
                        *pending = false;
                        prefix.push_str(text);
                        prefix.push(' ');
                    } else {
                        prefix.push_str(&" ".repeat(text.len() + 1));
                    }
                }
                Kind::Root | Kind::Footnote | Kind::List { .. } => {}
            }
        }
        prefix
    }

    fn blank(&mut self) {
        // Nothing is written yet after a pending marker (the blocks before
        // were empty), and a blank line there would be an indented line.
        let pending = self
            .frames
            .iter()
            .any(|f| matches!(f.kind, Kind::Item { pending: true, .. }));
        if self.one_line || pending {
            return;
        }
        self.end_line();
        let line = self.prefix(false).trim_end().to_owned();
        if self.out.last() != Some(&line) {
            self.out.push(line);
        }
    }

    /// Append inline content to the current line; inline content outside
    /// any block (a tight list item's text) starts a block of its own.
    fn push(&mut self, text: &str) {
        if self.line.is_none() && self.inline.is_none() && self.table.is_none() {
            self.begin_block(Block::TightText);
            self.inline = Some(Inline::Implicit);
        }
        self.raw(text);
    }

    /// Append to the current line, opening one when none is open.
    fn raw(&mut self, text: &str) {
        if self.line.is_none() {
            let prefix = self.prefix(true);
            self.content_start = prefix.len();
            self.line = Some(prefix);
        }
        if let Some(line) = &mut self.line {
            line.push_str(text);
        }
    }

    /// A whole line written as is (fences and code), after the prefix.
    fn emit(&mut self, content: &str) {
        self.end_line();
        let prefix = self.prefix(true);
        self.out
            .push(format!("{prefix}{content}").trim_end().to_owned());
    }

    fn at_line_start(&self) -> bool {
        self.line
            .as_ref()
            .is_none_or(|line| line.len() == self.content_start)
    }

    fn end_line(&mut self) {
        let Some(mut line) = self.line.take() else {
            return;
        };
        // Whatever the pieces, a line never opens a code block: no
        // indentation, no tilde fence, no backtick fence (a run of
        // backticks is only a fence when no backtick follows on the line).
        let start = self.content_start.min(line.len());
        let content = line[start..].trim_start().to_owned();
        let fence = content.starts_with("~~~")
            || (content.starts_with("```") && !content.trim_start_matches('`').contains('`'));
        line.truncate(start);
        if fence {
            line.push('\\');
        }
        line.push_str(&content);
        let line = line.trim_end().replace(['\n', '\r'], " ");
        self.out.push(line);
    }

    fn soft_break(&mut self) {
        if self.one_line || matches!(self.inline, Some(Inline::Heading | Inline::Cell)) {
            self.push(" ");
        } else {
            self.end_line();
        }
    }

    fn pipes(&self) -> bool {
        self.one_line || self.table.is_some()
    }

    fn text(&mut self, text: &str) {
        let text = one_line_chars(text);
        let line_start = self.at_line_start() && !self.one_line;
        let escaped = escape_text(&text, line_start, !self.links.is_empty());
        if line_start && escaped.is_empty() {
            return;
        }
        self.push(&escaped);
    }

    fn code_span(&mut self, text: &str) {
        let mut text = one_line_chars(text);
        if self.pipes() {
            text = text.replace('|', "\\|");
        }
        if text.is_empty() {
            text.push(' ');
        }
        let ticks = "`".repeat(longest_run(&text, '`') + 1);
        let pad = text.starts_with('`')
            || text.ends_with('`')
            || (text.starts_with(' ') && text.ends_with(' ') && !text.trim().is_empty());
        let pad = if pad { " " } else { "" };
        self.push(&format!("{ticks}{pad}{text}{pad}{ticks}"));
    }

    /// A code block of any form as a `text` fence longer than any backtick
    /// run inside, so the content can neither close it nor be Rust.
    fn write_code(&mut self, code: &str) {
        if self.one_line {
            let text = code.split_whitespace().collect::<Vec<_>>().join(" ");
            self.code_span(&text);
            return;
        }
        let fence = "`".repeat(longest_run(code, '`').max(2) + 1);
        self.emit(&format!("{fence}text"));
        let body = code.strip_suffix('\n').unwrap_or(code);
        if !code.is_empty() {
            for line in body.split('\n') {
                self.emit(&one_line_chars(line));
            }
        }
        self.emit(&fence);
    }

    /// An HTML block as escaped text, one paragraph per run of lines.
    fn write_html(&mut self, html: &str) {
        let mut first = true;
        let mut in_paragraph = false;
        for raw in html.lines() {
            if raw.trim().is_empty() {
                if in_paragraph {
                    self.end_line();
                    in_paragraph = false;
                }
                continue;
            }
            if !in_paragraph && !first {
                self.blank();
            }
            first = false;
            in_paragraph = true;
            let text = escape_text(&one_line_chars(raw), true, false);
            self.raw(&text);
            if self.one_line {
                self.raw(" ");
            } else {
                self.end_line();
            }
        }
    }
}

/// A list is tight when no item holds a paragraph of its own (pulldown-cmark
/// leaves out the paragraph tags of tight items).
fn is_tight(events: &[Event<'_>], list: usize) -> bool {
    let mut depth = 0usize;
    for event in &events[list + 1..] {
        match event {
            Event::Start(Tag::Paragraph) if depth == 1 => return false,
            Event::Start(_) => depth += 1,
            Event::End(_) if depth == 0 => return true,
            Event::End(_) => depth -= 1,
            _ => {}
        }
    }
    true
}

fn longest_run(text: &str, c: char) -> usize {
    let mut longest = 0;
    let mut run = 0;
    for ch in text.chars() {
        if ch == c {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    longest
}

/// A link target kept in the docs: the web, or an Alibaba `~~id~~`
/// reference. Anything else (relative paths, anchors, intra-doc paths
/// the spec cannot know) keeps only its label.
fn web_url(dest: &str) -> Option<String> {
    let dest = dest.trim();
    if let Some(id) = dest
        .strip_prefix("~~")
        .and_then(|d| d.strip_suffix("~~"))
        .filter(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
    {
        return Some(help_url(id));
    }
    let lower = dest.get(..8).unwrap_or(dest).to_ascii_lowercase();
    let scheme = if lower.starts_with("https://") {
        8
    } else if lower.starts_with("http://") {
        7
    } else {
        return None;
    };
    if dest.len() <= scheme {
        return None;
    }
    let mut url = String::with_capacity(dest.len());
    for c in dest.chars() {
        match c {
            ' ' => url.push_str("%20"),
            '<' => url.push_str("%3C"),
            '>' => url.push_str("%3E"),
            '(' => url.push_str("%28"),
            ')' => url.push_str("%29"),
            '|' => url.push_str("%7C"),
            '\\' => url.push_str("%5C"),
            '`' => url.push_str("%60"),
            '"' => url.push_str("%22"),
            c if c.is_whitespace() || c.is_control() || super::is_hidden_format_char(c) => {}
            c => url.push(c),
        }
    }
    Some(url)
}

/// Where a bare URL in text ends.
fn ends_url(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '<' | '>' | '"' | ')' | '(' | '`' | '|' | '，' | '。' | '）' | '\\' | '[' | ']'
        )
}

/// `~~12345~~` at the start of `chars`: (chars used, id).
fn help_ref(chars: &[char]) -> Option<(usize, String)> {
    if chars.len() < 5 || chars[0] != '~' || chars[1] != '~' {
        return None;
    }
    let id: String = chars[2..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    let end = 2 + id.len();
    (!id.is_empty() && chars.get(end) == Some(&'~') && chars.get(end + 1) == Some(&'~'))
        .then_some((end + 2, id))
}

/// Text as Markdown that reads back as the same characters: HTML-like
/// and bracket characters escaped, bare URLs wrapped in `<>` (outside
/// links), and at a line start no indentation and no block marker.
fn escape_text(text: &str, line_start: bool, in_link: bool) -> String {
    let text = if line_start { text.trim_start() } else { text };
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let previous = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        if !in_link && c == 'h' {
            let url: String = chars[i..].iter().take_while(|c| !ends_url(**c)).collect();
            let url = url.trim_end_matches(['.', ',', ';', ':', '!', '?', '*', '_', '~']);
            let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
            let scheme = if lower.starts_with("https://") { 8 } else { 7 };
            if (lower.starts_with("http://") || lower.starts_with("https://")) && url.len() > scheme
            {
                out.push('<');
                out.push_str(url);
                out.push('>');
                i += url.chars().count();
                continue;
            }
        }
        if c == '~' && !in_link {
            if let Some((used, id)) = help_ref(&chars[i..]) {
                out.push_str(&format!("<{}>", help_url(&id)));
                i += used;
                continue;
            }
        }
        match c {
            '\\' if next.is_none_or(|n| n.is_ascii_punctuation()) => out.push_str("\\\\"),
            // A link may follow: `![` would make it an image.
            '!' if next.is_none() => out.push_str("\\!"),
            '`' | '*' | '[' | ']' | '~' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '_' if !(previous.is_some_and(char::is_alphanumeric)
                && next.is_some_and(char::is_alphanumeric)) =>
            {
                out.push_str("\\_")
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c => out.push(c),
        }
        i += 1;
    }
    if line_start {
        escape_line_start(&out)
    } else {
        out
    }
}
