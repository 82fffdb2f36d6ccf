//! Stage 6: put a generated crate on disk. Everything is rendered and
//! formatted in memory first, so a failed run never touches the output.
//! Unchanged files are not rewritten (their mtime stays, so cargo does not
//! rebuild), changed ones are replaced atomically (temp file + rename), and
//! stale files are removed only when they carry the generated marker.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::format::is_generated;

/// The generated files of one crate: relative path -> content.
pub type FileSet = BTreeMap<String, String>;

/// What writing (or checking) found.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    pub added: Vec<String>,
    pub modified: Vec<String>,
    pub removed: Vec<String>,
    pub unchanged: usize,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.modified.is_empty() && self.removed.is_empty()
    }
}

/// Generated files currently in `dir` (those with the marker), by relative path.
pub fn read_generated(dir: &Path) -> io::Result<FileSet> {
    let mut found = FileSet::new();
    if dir.is_dir() {
        collect(dir, dir, &mut found)?;
    }
    Ok(found)
}

fn collect(root: &Path, dir: &Path, found: &mut FileSet) -> io::Result<()> {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    entries.sort();
    for path in entries {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() {
            if name != "target" && !name.starts_with('.') {
                collect(root, &path, found)?;
            }
        } else if let Ok(text) = fs::read_to_string(&path) {
            if is_generated(&text) || name == crate::provenance::FILE_NAME {
                let relative = path
                    .strip_prefix(root)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                found.insert(relative, text);
            }
        }
    }
    Ok(())
}

/// Compare what is on disk with what should be.
pub fn compare(on_disk: &FileSet, wanted: &FileSet) -> Changes {
    let mut changes = Changes::default();
    for (path, text) in wanted {
        match on_disk.get(path) {
            None => changes.added.push(path.clone()),
            Some(old) if old != text => changes.modified.push(path.clone()),
            Some(_) => changes.unchanged += 1,
        }
    }
    for path in on_disk.keys() {
        if !wanted.contains_key(path) {
            changes.removed.push(path.clone());
        }
    }
    changes
}

/// Bring `dir` in line with `wanted`.
pub fn write_crate(dir: &Path, wanted: &FileSet) -> io::Result<Changes> {
    let on_disk = read_generated(dir)?;
    let changes = compare(&on_disk, wanted);
    for path in changes.added.iter().chain(&changes.modified) {
        write_atomic(&dir.join(path), &wanted[path])?;
    }
    for path in &changes.removed {
        let full = dir.join(path);
        fs::remove_file(&full)?;
        // Drop directories the removal left empty (never the crate root).
        let mut parent = full.parent();
        while let Some(p) = parent {
            if p == dir || fs::remove_dir(p).is_err() {
                break;
            }
            parent = p.parent();
        }
    }
    Ok(changes)
}

fn write_atomic(path: &Path, text: &str) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let temp = path.with_file_name(format!(".{file_name}.acsgen-tmp"));
    fs::write(&temp, text)?;
    fs::rename(&temp, path).inspect_err(|_| {
        let _ = fs::remove_file(&temp);
    })
}
