//! Writing spec files: each file atomically (temporary file, then rename)
//! and only when its bytes change, so re-importing the same input touches
//! nothing and a newer edition touches only the operations that changed.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::{ImportError, ImportReport};

fn io_error(path: &Path, source: io::Error) -> ImportError {
    ImportError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The current text of a file, `None` when it does not exist.
pub(crate) fn read_existing(path: &Path) -> Result<Option<String>, ImportError> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).into_owned())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io_error(path, e)),
    }
}

/// Write `text` to `path` unless `existing` (its current text) is the same.
pub(crate) fn write_if_changed(
    path: &Path,
    existing: Option<&str>,
    text: &str,
    report: &mut ImportReport,
) -> Result<(), ImportError> {
    if existing == Some(text) {
        report.unchanged += 1;
        return Ok(());
    }
    write_atomic(path, text.as_bytes())?;
    report.written.push(path.to_path_buf());
    Ok(())
}

/// Write through a temporary file in the same directory and rename it over
/// `path`, so a reader never sees half a file.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ImportError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    // Not `.yaml`, so the loader never picks up a leftover.
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.flush()?;
        drop(file);
        fs::rename(&temp, path)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&temp);
        return Err(io_error(path, e));
    }
    Ok(())
}

pub(crate) fn create_dir(dir: &Path) -> Result<(), ImportError> {
    fs::create_dir_all(dir).map_err(|e| io_error(dir, e))
}

/// Delete `operations/*.yaml` files whose operation `keep` rejects.
pub(crate) fn remove_stale(
    ops_dir: &Path,
    keep: &dyn Fn(&str) -> bool,
    report: &mut ImportReport,
) -> Result<(), ImportError> {
    let entries = match fs::read_dir(ops_dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io_error(ops_dir, e)),
    };
    let mut stale: Vec<PathBuf> = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| io_error(ops_dir, e))?;
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        let Some(stem) = file_name.strip_suffix(".yaml") else {
            continue;
        };
        if !keep(stem) && entry.file_type().map(|t| t.is_file()).unwrap_or(false) {
            stale.push(entry.path());
        }
    }
    stale.sort();
    for path in stale {
        fs::remove_file(&path).map_err(|e| io_error(&path, e))?;
        report.removed.push(path);
    }
    Ok(())
}
