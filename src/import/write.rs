//! Writing spec files: only files whose bytes change, so re-importing the
//! same input touches nothing and a newer edition touches only the
//! operations that changed. Nothing is written while the import is worked
//! out: writes and removals are collected in a [`Pending`] and applied at
//! the end by [`crate::write::apply`], all or nothing (every path checked
//! first, new files staged, then renamed into place; a failure leaves the
//! spec directory as it was).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::load::{read_bytes, FileError, MAX_FILE_BYTES};
use crate::write::Update;

use super::{ImportError, ImportReport};

fn io_error(path: &Path, source: io::Error) -> ImportError {
    ImportError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The current text of a file, `None` when nothing is there. A directory,
/// FIFO or device at the path, or a file over the size limit, is an error.
pub(crate) fn read_existing(path: &Path) -> Result<Option<String>, ImportError> {
    match read_bytes(path, MAX_FILE_BYTES) {
        // Never rewrite a file that is not UTF-8 as lossy text.
        Ok(bytes) => crate::load::decode_text(path, bytes)
            .map(Some)
            .map_err(|d| ImportError::Invalid(d.into())),
        Err(FileError::Missing) => Ok(None),
        Err(e) => Err(io_error(path, e.into())),
    }
}

/// The writes and removals of one import, under the product directory.
#[derive(Debug)]
pub(crate) struct Pending {
    update: Update,
    written: Vec<PathBuf>,
    removed: Vec<PathBuf>,
}

impl Pending {
    pub(crate) fn new(dir: &Path) -> Self {
        Pending {
            update: Update {
                dir: dir.to_path_buf(),
                ..Update::default()
            },
            written: Vec::new(),
            removed: Vec::new(),
        }
    }

    fn relative(&self, path: &Path) -> String {
        path.strip_prefix(&self.update.dir)
            .unwrap_or(path)
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/")
    }

    /// Write `text` to `path` (inside the product directory) unless
    /// `existing` (its current text) is the same.
    pub(crate) fn write_if_changed(
        &mut self,
        path: &Path,
        existing: Option<&str>,
        text: &str,
        report: &mut ImportReport,
    ) {
        if existing == Some(text) {
            report.unchanged += 1;
            return;
        }
        let relative = self.relative(path);
        self.update.writes.insert(relative, text.to_owned());
        self.written.push(path.to_path_buf());
    }

    /// Delete `operations/*.yaml` files whose operation `keep` rejects.
    pub(crate) fn remove_stale(
        &mut self,
        ops_dir: &Path,
        keep: &dyn Fn(&str) -> bool,
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
            // Only regular files: never a directory, FIFO or symlink.
            if !keep(stem) && entry.file_type().map(|t| t.is_file()).unwrap_or(false) {
                stale.push(entry.path());
            }
        }
        stale.sort();
        for path in stale {
            let relative = self.relative(&path);
            self.update.removals.push(relative);
            self.removed.push(path);
        }
        Ok(())
    }

    /// Apply everything, all or nothing, and record it in `report`.
    pub(crate) fn commit(self, report: &mut ImportReport) -> Result<(), ImportError> {
        crate::write::apply(&[self.update]).map_err(|e| io_error(&e.path, e.source))?;
        report.written.extend(self.written);
        report.removed.extend(self.removed);
        Ok(())
    }
}
