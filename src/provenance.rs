//! Which spec and which acsgen made a generated crate, in one small file
//! (`acsgen.lock` in the crate), so `acsgen check` can name the cause of
//! drift: the spec changed, acsgen changed, or generated code was edited.

use sha2::{Digest, Sha256};

use crate::load::ProductFiles;
use crate::write::FileSet;

pub const FILE_NAME: &str = "acsgen.lock";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    pub acsgen_version: String,
    pub spec_digest: String,
    pub output_digest: String,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Digest of a product's spec text. Paths are relative to the product
/// directory so the digest does not depend on where the checkout lives.
pub fn spec_digest(files: &ProductFiles) -> String {
    let mut hasher = Sha256::new();
    let mut feed = |name: &str, text: &str| {
        hasher.update((name.len() as u64).to_le_bytes());
        hasher.update(name.as_bytes());
        hasher.update((text.len() as u64).to_le_bytes());
        hasher.update(text.as_bytes());
    };
    feed(crate::load::PRODUCT_FILE, &files.product);
    if let Some(components) = &files.components {
        feed(crate::load::COMPONENTS_FILE, components);
    }
    for (name, text) in &files.operations {
        feed(&format!("{}/{name}", crate::load::OPERATIONS_DIR), text);
    }
    format!("sha256:{}", hex(&hasher.finalize()))
}

/// Digest of generated files, excluding the provenance file itself.
pub fn output_digest(files: &FileSet) -> String {
    let mut hasher = Sha256::new();
    for (path, text) in files {
        if path == FILE_NAME {
            continue;
        }
        hasher.update((path.len() as u64).to_le_bytes());
        hasher.update(path.as_bytes());
        hasher.update((text.len() as u64).to_le_bytes());
        hasher.update(text.as_bytes());
    }
    format!("sha256:{}", hex(&hasher.finalize()))
}

impl Provenance {
    /// The file's text. No spec text is in it (a version and two digests),
    /// and each value is still written as an escaped TOML string, so even a
    /// hand-made `Provenance` cannot produce a file that reads back as other
    /// keys.
    pub fn render(&self) -> String {
        format!(
            "# Written by `acsgen generate`; read by `acsgen check`. Do not edit.\nacsgen = {}\ndigests = {{ spec = {}, output = {} }}\n",
            toml_string(&self.acsgen_version),
            toml_string(&self.spec_digest),
            toml_string(&self.output_digest)
        )
    }

    /// Read the file back; `None` when it is missing, not TOML, or not ours.
    pub fn parse(text: &str) -> Option<Provenance> {
        let document: toml_edit::DocumentMut = text.parse().ok()?;
        let string = |item: Option<&toml_edit::Item>| item?.as_str().map(str::to_owned);
        let digests = document.get("digests")?;
        Some(Provenance {
            acsgen_version: string(document.get("acsgen"))?,
            spec_digest: string(digests.get("spec"))?,
            output_digest: string(digests.get("output"))?,
        })
    }
}

/// A one-line TOML basic string holding exactly `text` (toml_edit would
/// pick a multi-line string for text with a newline).
fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_and_parses_back() {
        let provenance = Provenance {
            acsgen_version: "1.2.3".into(),
            spec_digest: "sha256:aa".into(),
            output_digest: "sha256:bb".into(),
        };
        let text = provenance.render();
        assert_eq!(
            text,
            "# Written by `acsgen generate`; read by `acsgen check`. Do not edit.\nacsgen = \"1.2.3\"\ndigests = { spec = \"sha256:aa\", output = \"sha256:bb\" }\n"
        );
        assert_eq!(Provenance::parse(&text), Some(provenance));
        assert_eq!(Provenance::parse("acsgen = \"1\"\n"), None);
        assert_eq!(Provenance::parse("not toml = = ["), None);
    }

    #[test]
    fn values_are_escaped_and_read_back_exactly() {
        let provenance = Provenance {
            acsgen_version: "1\"\n[evil]\nx = \"y".into(),
            spec_digest: "a, output = \"b\" }".into(),
            output_digest: "\\ \u{7f} '".into(),
        };
        let text = provenance.render();
        let document: toml_edit::DocumentMut = text.parse().unwrap();
        let keys: Vec<&str> = document.iter().map(|(key, _)| key).collect();
        assert_eq!(keys, ["acsgen", "digests"]);
        assert_eq!(text.lines().count(), 3, "{text}");
        assert_eq!(Provenance::parse(&text), Some(provenance));
    }
}
