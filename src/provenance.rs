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
    pub fn render(&self) -> String {
        format!(
            "# Written by `acsgen generate`; read by `acsgen check`. Do not edit.\nacsgen = \"{}\"\ndigests = {{ spec = \"{}\", output = \"{}\" }}\n",
            self.acsgen_version, self.spec_digest, self.output_digest
        )
    }

    /// Read the file back; `None` when it is missing or not ours.
    pub fn parse(text: &str) -> Option<Provenance> {
        let mut acsgen_version = None;
        let mut spec_digest = None;
        let mut output_digest = None;
        // One line per fact; the digests share a line so that a spec
        // change shows as a one-line diff of this file.
        for line in text.lines() {
            let line = line
                .trim()
                .trim_start_matches("digests = {")
                .trim_end_matches('}');
            for pair in line.split(", ") {
                let Some((key, value)) = pair.split_once(" = ") else {
                    continue;
                };
                let value = value.trim().trim_matches('"').to_owned();
                match key.trim() {
                    "acsgen" => acsgen_version = Some(value),
                    "spec" => spec_digest = Some(value),
                    "output" => output_digest = Some(value),
                    _ => {}
                }
            }
        }
        Some(Provenance {
            acsgen_version: acsgen_version?,
            spec_digest: spec_digest?,
            output_digest: output_digest?,
        })
    }
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
        assert_eq!(Provenance::parse(&provenance.render()), Some(provenance));
        assert_eq!(Provenance::parse("acsgen = \"1\"\n"), None);
    }
}
