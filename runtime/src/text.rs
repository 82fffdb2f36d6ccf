//! Bounded rendering of server-provided text in error messages: a hostile or broken
//! server must not be able to put megabytes (or terminal escapes) into a log line.

use std::fmt::{self, Write as _};

/// Renders `text` with control characters escaped, keeping at most `head` bytes of its
/// start and `tail` bytes of its end. When something in between is dropped, the cut is
/// marked with an ellipsis and the full (escaped) length: `start…[1048576 bytes]…end`.
/// Cuts fall on char boundaries.
pub(crate) struct Clip<T> {
    text: T,
    head: usize,
    tail: usize,
    quoted: bool,
}

/// See [`Clip`].
pub(crate) fn clip<T: fmt::Display>(text: T, head: usize, tail: usize) -> Clip<T> {
    Clip {
        text,
        head,
        tail,
        quoted: false,
    }
}

/// [`clip`] into a `String`, for bounded text that is stored rather than printed.
pub(crate) fn clip_string<T: fmt::Display>(text: T, head: usize, tail: usize) -> String {
    clip(text, head, tail).to_string()
}

/// `value` cut to at most `limit` bytes on a char boundary, with `…` appended when cut
/// (for header values kept in errors, which need no length marker).
pub(crate) fn truncate(mut value: String, limit: usize) -> String {
    if value.len() > limit {
        let mut cut = limit;
        while !value.is_char_boundary(cut) {
            cut -= 1;
        }
        value.truncate(cut);
        value.push('…');
    }
    value
}

impl<T: fmt::Display> Clip<T> {
    fn render(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut sink = Sink {
            head: String::new(),
            head_limit: self.head,
            head_full: false,
            tail: String::new(),
            tail_limit: self.tail,
            total: 0,
            dropped: false,
            quoted: self.quoted,
        };
        // The sink never fails, so an error here can only come from `text` itself.
        write!(sink, "{}", self.text)?;
        sink.trim_tail();
        if self.quoted {
            f.write_char('"')?;
        }
        f.write_str(&sink.head)?;
        if sink.dropped {
            write!(f, "…[{} bytes]", sink.total)?;
            if !sink.tail.is_empty() {
                f.write_char('…')?;
            }
        }
        f.write_str(&sink.tail)?;
        if self.quoted {
            f.write_char('"')?;
        }
        Ok(())
    }
}

impl<T: fmt::Display> fmt::Display for Clip<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.render(f)
    }
}

/// Quoted, with `"` and `\` escaped too, as `Debug` of a string would print it.
impl<T: fmt::Display> fmt::Debug for Clip<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Clip {
            text: &self.text,
            head: self.head,
            tail: self.tail,
            quoted: true,
        }
        .render(f)
    }
}

/// Collects the head and a rolling tail of everything written to it.
struct Sink {
    head: String,
    head_limit: usize,
    head_full: bool,
    tail: String,
    tail_limit: usize,
    total: usize,
    dropped: bool,
    quoted: bool,
}

impl Sink {
    /// Keeps `c` (already escaped) in the head or the tail.
    fn keep(&mut self, c: char) {
        if !self.head_full {
            if self.head.len() + c.len_utf8() <= self.head_limit {
                self.head.push(c);
                return;
            }
            self.head_full = true;
        }
        if self.tail_limit == 0 {
            self.dropped = true;
            return;
        }
        self.tail.push(c);
        // Trim in batches so a long text costs amortized O(1) per char.
        if self.tail.len() > self.tail_limit.saturating_mul(2).saturating_add(8) {
            self.trim_tail();
        }
    }

    fn trim_tail(&mut self) {
        if self.tail.len() > self.tail_limit {
            let mut cut = self.tail.len() - self.tail_limit;
            while !self.tail.is_char_boundary(cut) {
                cut += 1;
            }
            self.tail.drain(..cut);
            self.dropped = true;
        }
    }
}

impl fmt::Write for Sink {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for (i, c) in s.char_indices() {
            if self.head_full && self.tail_limit == 0 {
                // Nothing more is kept: only count the rest.
                self.total = self.total.saturating_add(s.len() - i);
                self.dropped = true;
                return Ok(());
            }
            // The marker reports the original length, not the escaped one.
            self.total = self.total.saturating_add(c.len_utf8());
            let escape = c.is_control() || (self.quoted && (c == '"' || c == '\\'));
            if escape {
                for e in c.escape_debug() {
                    self.keep(e);
                }
            } else {
                self.keep(c);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_unchanged() {
        assert_eq!(
            clip("InvalidParameter", 256, 0).to_string(),
            "InvalidParameter"
        );
        assert_eq!(clip("abcdef", 3, 3).to_string(), "abcdef");
        assert_eq!(format!("{:?}", clip("a\"b", 8, 0)), r#""a\"b""#);
    }

    #[test]
    fn long_text_keeps_head_tail_and_length_on_char_boundaries() {
        let text = "中".repeat(1000); // 3000 bytes
        let shown = clip(&text, 10, 0).to_string();
        assert_eq!(shown, format!("{}…[3000 bytes]", "中".repeat(3)));
        let shown = clip(&text, 10, 7).to_string();
        assert_eq!(
            shown,
            format!("{}…[3000 bytes]…{}", "中".repeat(3), "中".repeat(2))
        );
        let shown = clip(format_args!("head {} tail", "x".repeat(1 << 20)), 5, 5).to_string();
        assert_eq!(shown, "head …[1048586 bytes]… tail");
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(
            clip("a\nb\u{1b}[31m", 64, 0).to_string(),
            "a\\nb\\u{1b}[31m"
        );
        // The limit counts what is printed; the marker the original length.
        assert_eq!(
            clip("\n".repeat(100), 4, 0).to_string(),
            "\\n\\n…[100 bytes]"
        );
    }

    #[test]
    fn truncate_cuts_on_a_char_boundary() {
        assert_eq!(truncate("abc".into(), 5), "abc");
        assert_eq!(truncate("中文字".into(), 7), "中文…");
        assert_eq!(truncate("中".into(), 0), "…");
    }
}
