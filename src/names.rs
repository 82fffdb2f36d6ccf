//! The name allocator: the one place where a wire name becomes a Rust name.
//!
//! Conversion (heck) first turns symbols, digits and non-ASCII text into
//! words, then a [`Scope`] makes the result unique among its siblings and
//! keeps it clear of keywords, prelude names and names the generated code
//! itself uses (the [`reserved`] table, which the templates print those
//! names from). The same input always gives the same name, so regenerating
//! is stable; wire names are never changed, only the Rust side.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

pub mod reserved;

pub use reserved::Namespace;

/// Rust keywords (all editions, including reserved ones).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Type names no generated type may take, in any module: std prelude types
/// and traits, and std and serde names readers take for those. What the
/// generated code itself declares or imports is in [`reserved`], per
/// namespace.
const PRELUDE: &[&str] = &[
    "Result",
    "Option",
    "Some",
    "None",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Error",
    "Default",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Iterator",
    "IntoIterator",
    "Extend",
    "From",
    "Into",
    "TryFrom",
    "TryInto",
    "ToString",
    "ToOwned",
    "AsRef",
    "AsMut",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Debug",
    "Display",
    "Hash",
    "Unpin",
    "HashMap",
    "Serialize",
    "Deserialize",
    "Formatter",
];

/// What a name is for; decides its case and how it dodges clashes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    /// Modules, fields, methods, arguments: `snake_case`.
    Value,
    /// Structs and enums: `UpperCamelCase`, never a prelude name.
    Type,
    /// Enum variants: `UpperCamelCase`.
    Variant,
}

/// Names taken in one namespace (a module's types, a struct's fields, an
/// enum's variants). Allocation order decides who gets the plain name, so
/// callers allocate in spec order, which is stable.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    pub fn new() -> Self {
        Scope::default()
    }

    /// A scope where `reserved` are already taken (names the generated code
    /// uses for itself, such as a `new` constructor beside setters).
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Scope {
            taken: reserved.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// A scope of `namespace` where the names the generated code takes
    /// there itself (from the [`reserved`] table) are already taken.
    pub fn for_namespace(namespace: Namespace) -> Self {
        Scope::with_reserved(&namespace.reserved())
    }

    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Claim a name for `wire` (any text). Returns a valid, unique identifier.
    pub fn allocate(&mut self, kind: NameKind, wire: &str) -> String {
        let base = convert(kind, wire);
        self.claim(base)
    }

    /// Claim `preferred` as given (already in the right case), or the first
    /// free `preferred2`, `preferred3`, ...
    pub fn claim(&mut self, preferred: String) -> String {
        let mut name = preferred.clone();
        // `self_` (a keyword dodge) numbers as `self_2`, not `self__2`,
        // which the case lints reject.
        let stem = match preferred.trim_end_matches('_') {
            "" => preferred.as_str(),
            stem => stem,
        };
        let separator = if stem.ends_with(|c: char| c.is_ascii_digit())
            || stem.starts_with(|c: char| c.is_ascii_lowercase())
        {
            "_"
        } else {
            ""
        };
        let mut n = 2;
        while self.taken.contains(&name) {
            name = format!("{stem}{separator}{n}");
            n += 1;
        }
        self.taken.insert(name.clone());
        name
    }
}

/// The words of `wire` as an UpperCamelCase prefix for a longer name
/// (`Self` -> `Self`, so `SelfRequest`): no keyword or prelude suffix, as
/// the caller appends its own word.
pub fn type_prefix(wire: &str) -> String {
    let name = camel(&spell_out(wire));
    if name.is_empty() {
        "Unnamed".to_owned()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("T{name}")
    } else {
        name
    }
}

/// Convert text to a valid identifier of `kind`, without uniqueness.
pub fn convert(kind: NameKind, wire: &str) -> String {
    let words = spell_out(wire);
    let mut name = match kind {
        NameKind::Value => words.to_snake_case(),
        NameKind::Type | NameKind::Variant => camel(&words),
    };
    if name.is_empty() {
        name = match kind {
            NameKind::Value => "value".to_owned(),
            NameKind::Type => "Unnamed".to_owned(),
            NameKind::Variant => "Empty".to_owned(),
        };
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = match kind {
            NameKind::Value => format!("n{name}"),
            NameKind::Type => format!("T{name}"),
            NameKind::Variant => format!("V{name}"),
        };
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    if kind == NameKind::Type && PRELUDE.contains(&name.as_str()) {
        name.push_str("Type");
    }
    name
}

/// UpperCamelCase that keeps a `_` between two digits (`3.0` -> `3_0`,
/// not `30`, which would collide with the value `30`).
fn camel(words: &str) -> String {
    let mut out = String::new();
    for (index, part) in words.split_whitespace().enumerate() {
        let piece = part.to_upper_camel_case();
        if index > 0
            && out.ends_with(|c: char| c.is_ascii_digit())
            && piece.starts_with(|c: char| c.is_ascii_digit())
        {
            out.push('_');
        }
        out.push_str(&piece);
    }
    out
}

/// Turn any text into space-separated ASCII words: symbols become their
/// names (`!=` -> `not eq`), non-ASCII characters their code points, and
/// printf placeholders (`%s`) vanish.
fn spell_out(wire: &str) -> String {
    let text = wire.replace("%s", " ").replace("%d", " ");
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
            continue;
        }
        let word = match c {
            '!' => "not",
            '=' => "eq",
            '<' => "lt",
            '>' => "gt",
            '+' => "plus",
            '*' => "star",
            '%' => "percent",
            '&' => "and",
            '|' => "or",
            '@' => "at",
            '#' => "hash",
            '$' => "dollar",
            '~' => "tilde",
            '^' => "caret",
            '?' => "question",
            _ if c.is_ascii() => "",
            _ => {
                out.push_str(&format!(" u{:04x} ", c as u32));
                continue;
            }
        };
        out.push(' ');
        out.push_str(word);
        out.push(' ');
        // Separators between two digits are kept as a word break so that
        // `1.0` and `10` stay different names.
        if word.is_empty() && chars.peek().is_some_and(|n| n.is_ascii_digit()) {
            out.push(' ');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_get_a_suffix() {
        assert_eq!(convert(NameKind::Value, "type"), "type_");
        assert_eq!(convert(NameKind::Value, "Match"), "match_");
        assert_eq!(convert(NameKind::Value, "Pub"), "pub_");
        assert_eq!(convert(NameKind::Value, "Self"), "self_");
        assert_eq!(convert(NameKind::Type, "Self"), "Self_");
    }

    #[test]
    fn prelude_types_are_renamed() {
        assert_eq!(convert(NameKind::Type, "Result"), "ResultType");
        assert_eq!(convert(NameKind::Type, "error"), "ErrorType");
        assert_eq!(convert(NameKind::Variant, "Result"), "Result");
    }

    #[test]
    fn symbols_digits_and_unicode_become_words() {
        assert_eq!(
            convert(NameKind::Variant, "InvalidParameter.Foo"),
            "InvalidParameterFoo"
        );
        assert_eq!(
            convert(NameKind::Variant, "Throttling.User"),
            "ThrottlingUser"
        );
        assert_eq!(convert(NameKind::Variant, "10001"), "V10001");
        assert_eq!(convert(NameKind::Variant, "3.0"), "V3_0");
        assert_eq!(convert(NameKind::Variant, "!="), "NotEq");
        assert_eq!(convert(NameKind::Variant, "0"), "V0");
        assert_eq!(convert(NameKind::Variant, "参数"), "U53c2U6570");
        assert_eq!(convert(NameKind::Variant, "%s"), "Empty");
        assert_eq!(
            convert(NameKind::Value, "HealthCheckURL"),
            "health_check_url"
        );
        assert_eq!(convert(NameKind::Value, "2ndValue"), "n2nd_value");
    }

    #[test]
    fn prefixes_skip_keyword_suffixes() {
        assert_eq!(type_prefix("Self"), "Self");
        assert_eq!(type_prefix("3ds"), "T3ds");
        assert_eq!(type_prefix("Describe.Instances"), "DescribeInstances");
    }

    #[test]
    fn collisions_get_numbered() {
        let mut scope = Scope::new();
        assert_eq!(scope.allocate(NameKind::Value, "Key"), "key");
        assert_eq!(scope.allocate(NameKind::Value, "key"), "key_2");
        let mut variants = Scope::new();
        assert_eq!(
            variants.allocate(NameKind::Variant, "RAM.USER.NOT.FOUND"),
            "RamUserNotFound"
        );
        assert_eq!(
            variants.allocate(NameKind::Variant, "RAM_USER_NOT_FOUND"),
            "RamUserNotFound2"
        );
        assert_eq!(variants.allocate(NameKind::Variant, "Finished"), "Finished");
        assert_eq!(
            variants.allocate(NameKind::Variant, "finished"),
            "Finished2"
        );
    }

    #[test]
    fn keyword_dodges_number_without_a_double_underscore() {
        let mut fields = Scope::new();
        assert_eq!(fields.allocate(NameKind::Value, "self"), "self_");
        assert_eq!(fields.allocate(NameKind::Value, "Self"), "self_2");
        let mut variants = Scope::new();
        assert_eq!(variants.allocate(NameKind::Variant, "self"), "Self_");
        assert_eq!(variants.allocate(NameKind::Variant, "Self"), "Self2");
    }

    #[test]
    fn reserved_names_are_avoided() {
        let mut scope = Scope::with_reserved(&["new", "send"]);
        assert_eq!(scope.allocate(NameKind::Value, "New"), "new_2");
        assert_eq!(scope.allocate(NameKind::Value, "Send"), "send_2");
    }
}
