//! Stage 6: put a generated crate on disk. Everything is rendered and
//! formatted in memory first, so a failed run never touches the output.
//! Unchanged files are not rewritten (their mtime stays, so cargo does not
//! rebuild), and stale files are removed only when they carry the
//! generated marker.
//!
//! Writing is all-or-nothing ([`apply`]): every path is checked first
//! (names the file system would refuse, a file where a directory must go),
//! then every new file is written into a staging directory inside the
//! output directory (same file system), and only then are they renamed
//! into place, the replaced and removed files moved aside. Any failure
//! undoes what was done, leaving the previous tree as it was, byte for
//! byte and with its mtimes.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::format::is_generated;
use crate::load::{read_bytes, MAX_FILE_BYTES};

/// The generated files of one crate: relative path -> content.
pub type FileSet = BTreeMap<String, String>;

/// Longest file name (one path component) in bytes on the usual file
/// systems (ext4, xfs, btrfs, tmpfs, APFS, NTFS in UTF-16 units).
pub const NAME_MAX: usize = 255;
/// Longest path in bytes the kernel takes in one call (Linux PATH_MAX
/// without the terminating NUL).
pub const PATH_MAX: usize = 4095;
/// Where [`apply`] prepares files, inside each output directory. Hidden, so
/// [`read_generated`] and the spec loader never look into it.
pub const STAGING_DIR: &str = ".acsgen-staging";

/// Directories deeper than this are not searched for generated files (a
/// generated crate is three levels deep; bind mounts can make real loops).
const MAX_DEPTH: usize = 32;

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

/// A failed write, naming the file it was about.
#[derive(Debug, thiserror::Error)]
#[error("{}: {source}", path.display())]
pub struct WriteError {
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
}

impl WriteError {
    fn new(path: &Path, source: io::Error) -> Self {
        WriteError {
            path: path.to_path_buf(),
            source,
        }
    }
}

impl From<WriteError> for io::Error {
    fn from(error: WriteError) -> Self {
        io::Error::new(error.source.kind(), error.to_string())
    }
}

/// Files to write and remove under one directory, applied together.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Update {
    pub dir: PathBuf,
    /// Relative `/`-separated path -> new content.
    pub writes: BTreeMap<String, String>,
    /// Relative paths to delete.
    pub removals: Vec<String>,
}

/// Generated files currently in `dir` (those with the marker), by relative
/// path. Symlinks are never followed and only regular files within
/// [`MAX_FILE_BYTES`] are read, so a loop or a device in the output
/// cannot hang or exhaust memory; such entries are not ours and are skipped.
pub fn read_generated(dir: &Path) -> io::Result<FileSet> {
    let mut found = FileSet::new();
    match fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => collect(dir, dir, 0, &mut found)?,
        Ok(_) => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "not a directory",
            ));
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    Ok(found)
}

/// Errors name the directory relative to `root` (callers name `root`).
fn collect(root: &Path, dir: &Path, depth: usize, found: &mut FileSet) -> io::Result<()> {
    let with_path = |e: io::Error| match dir.strip_prefix(root) {
        Ok(relative) if !relative.as_os_str().is_empty() => {
            io::Error::new(e.kind(), format!("{}: {e}", relative.display()))
        }
        _ => e,
    };
    let mut entries = Vec::new();
    for entry in fs::read_dir(dir).map_err(with_path)? {
        let entry = entry.map_err(with_path)?;
        // The entry's own type: a symlink is a symlink, not its target.
        let file_type = entry.file_type().map_err(with_path)?;
        entries.push((entry.path(), file_type));
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    for (path, file_type) in entries {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if file_type.is_dir() {
            if name != "target" && !name.starts_with('.') && depth < MAX_DEPTH {
                collect(root, &path, depth + 1, found)?;
            }
            continue;
        }
        if !file_type.is_file() {
            continue;
        }
        let Ok(bytes) = read_bytes(&path, MAX_FILE_BYTES) else {
            continue;
        };
        let Ok(text) = String::from_utf8(bytes) else {
            continue;
        };
        if is_generated(&text) || name == crate::provenance::FILE_NAME {
            let relative = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            found.insert(relative, text);
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

/// What `dir` needs to match `wanted`, and the update that does it.
pub fn plan_crate(dir: &Path, wanted: &FileSet) -> io::Result<(Changes, Update)> {
    let on_disk = read_generated(dir)?;
    Ok(plan_against(dir, &on_disk, wanted))
}

/// What `dir` needs to match `wanted`, given the generated files already
/// read from it (so a caller that read them once need not read them again).
pub fn plan_against(dir: &Path, on_disk: &FileSet, wanted: &FileSet) -> (Changes, Update) {
    let changes = compare(on_disk, wanted);
    let update = Update {
        dir: dir.to_path_buf(),
        writes: changes
            .added
            .iter()
            .chain(&changes.modified)
            .map(|path| (path.clone(), wanted[path].clone()))
            .collect(),
        removals: changes.removed.clone(),
    };
    (changes, update)
}

/// [`plan_against`] taking `wanted` by value, so its text is moved into
/// the update rather than copied.
pub fn plan_owned(dir: &Path, on_disk: &FileSet, wanted: FileSet) -> (Changes, Update) {
    let changes = compare(on_disk, &wanted);
    let mut writes = wanted;
    writes.retain(|path, text| on_disk.get(path) != Some(text));
    let update = Update {
        dir: dir.to_path_buf(),
        writes,
        removals: changes.removed.clone(),
    };
    (changes, update)
}

/// Bring `dir` in line with `wanted`, all or nothing.
pub fn write_crate(dir: &Path, wanted: &FileSet) -> io::Result<Changes> {
    let (changes, update) = plan_crate(dir, wanted)?;
    apply(&[update])?;
    Ok(changes)
}

/// Bring each directory in line with its files; either all of them are
/// updated or none is touched.
pub fn write_crates(crates: &[(PathBuf, &FileSet)]) -> Result<Vec<Changes>, WriteError> {
    let mut all_changes = Vec::with_capacity(crates.len());
    let mut updates = Vec::with_capacity(crates.len());
    for (dir, wanted) in crates {
        let (changes, update) = plan_crate(dir, wanted).map_err(|e| WriteError::new(dir, e))?;
        all_changes.push(changes);
        updates.push(update);
    }
    apply(&updates)?;
    Ok(all_changes)
}

fn too_long(path: &Path, message: String) -> WriteError {
    WriteError::new(path, io::Error::new(io::ErrorKind::InvalidInput, message))
}

fn path_len(path: &Path) -> usize {
    path.as_os_str().len()
}

/// The checks that can be made before anything is written: each relative
/// path is plain (no `..`, not absolute), its names and the whole path fit
/// the file system's limits (the staged copy included), and nothing that
/// is not a directory stands where one must go.
pub fn check_update(update: &Update) -> Result<(), WriteError> {
    let staging = update.dir.join(STAGING_DIR);
    for relative in update.writes.keys().chain(&update.removals) {
        let target = update.dir.join(relative);
        if relative.contains(['\\', '\0'])
            || relative
                .split('/')
                .any(|name| name.is_empty() || name == "." || name == "..")
        {
            return Err(too_long(
                &target,
                format!("`{relative}` is not a plain relative path"),
            ));
        }
        for name in relative.split('/') {
            if name.len() > NAME_MAX {
                return Err(too_long(
                    &target,
                    format!(
                        "file name `{}…` is {} bytes, longer than the {NAME_MAX} bytes a file name may have",
                        name.chars().take(40).collect::<String>(),
                        name.len()
                    ),
                ));
            }
        }
        let longest = path_len(&staging.join("old").join(relative)).max(path_len(&target));
        if longest > PATH_MAX {
            return Err(too_long(
                &target,
                format!(
                    "the path is {longest} bytes (staged), longer than the {PATH_MAX} bytes a path may have"
                ),
            ));
        }
    }
    // Ancestors already found to be directories or absent: most files
    // share them (a stat less per file and level).
    let mut directories: HashSet<PathBuf> = HashSet::new();
    let mut absent: HashSet<PathBuf> = HashSet::new();
    for relative in update.writes.keys() {
        let target = update.dir.join(relative);
        // Each ancestor inside the output must be a directory or absent.
        let mut ancestor = update.dir.clone();
        let mut missing = false;
        for name in relative.split('/') {
            if directories.contains(&ancestor) {
                ancestor.push(name);
                continue;
            }
            if absent.contains(&ancestor) {
                missing = true;
                break;
            }
            match fs::metadata(&ancestor) {
                Ok(meta) if meta.is_dir() => {
                    directories.insert(ancestor.clone());
                }
                Ok(_) => {
                    return Err(WriteError::new(
                        &ancestor,
                        io::Error::new(
                            io::ErrorKind::AlreadyExists,
                            format!("is in the way of {relative}: not a directory"),
                        ),
                    ));
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    absent.insert(ancestor);
                    missing = true;
                    break;
                }
                Err(e) => return Err(WriteError::new(&ancestor, e)),
            }
            ancestor.push(name);
        }
        if missing {
            continue;
        }
        if let Ok(meta) = fs::symlink_metadata(&target) {
            if meta.is_dir() {
                return Err(WriteError::new(
                    &target,
                    io::Error::new(
                        io::ErrorKind::AlreadyExists,
                        "a directory is where this file must go",
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Apply every update, all or nothing (see the module docs).
pub fn apply(updates: &[Update]) -> Result<(), WriteError> {
    let mut staging = Staging::default();
    staging.stage_all(updates)?;
    staging.commit()
}

/// An [`apply`] taken in two steps, so a caller can stage crates as they
/// are made and drop each one's text: [`Staging::stage`] writes new files
/// into the staging directories only (the output proper is untouched),
/// [`Staging::commit`] moves everything into place. Dropping it without
/// committing, or a failed commit, undoes everything.
#[derive(Debug, Default)]
pub struct Staging {
    transaction: Transaction,
    /// What was staged, without the text (already on disk).
    staged: Vec<Staged>,
}

#[derive(Debug)]
struct Staged {
    dir: PathBuf,
    writes: BTreeSet<String>,
    removals: Vec<String>,
}

impl Staging {
    /// Check `update` and write its new files under its staging directory.
    /// Another update for a directory already staged adds to it.
    pub fn stage(&mut self, update: &Update) -> Result<(), WriteError> {
        self.stage_all(std::slice::from_ref(update))
    }

    /// Check every update, then stage each (nothing is staged if one
    /// fails its checks).
    pub fn stage_all(&mut self, updates: &[Update]) -> Result<(), WriteError> {
        for update in updates {
            check_update(update)?;
        }
        for update in updates {
            self.stage_checked(update)?;
        }
        Ok(())
    }

    fn stage_checked(&mut self, update: &Update) -> Result<(), WriteError> {
        if update.writes.is_empty() && update.removals.is_empty() {
            return Ok(());
        }
        let index = match self.staged.iter().position(|s| s.dir == update.dir) {
            Some(index) => index,
            None => {
                self.transaction.open(&update.dir)?;
                self.staged.push(Staged {
                    dir: update.dir.clone(),
                    writes: BTreeSet::new(),
                    removals: Vec::new(),
                });
                self.staged.len() - 1
            }
        };
        let staged = &mut self.staged[index];
        self.transaction.stage(update, &staged.writes)?;
        staged.writes.extend(update.writes.keys().cloned());
        for removal in &update.removals {
            if !staged.removals.contains(removal) {
                staged.removals.push(removal.clone());
            }
        }
        Ok(())
    }

    /// Move every staged file into place, all or nothing.
    pub fn commit(mut self) -> Result<(), WriteError> {
        let mut transaction = std::mem::take(&mut self.transaction);
        let staged = std::mem::take(&mut self.staged);
        let result = staged
            .iter()
            .try_for_each(|update| transaction.commit(update));
        match result {
            Ok(()) => {
                transaction.finish(&staged);
                Ok(())
            }
            Err(error) => {
                transaction.rollback();
                Err(error)
            }
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        std::mem::take(&mut self.transaction).rollback();
    }
}

/// A step already taken, undone in reverse order on failure.
#[derive(Debug)]
enum Step {
    /// `target` is new: remove it.
    Added(PathBuf),
    /// `target` is a new directory moved from `staged`: move it back.
    Moved { target: PathBuf, staged: PathBuf },
    /// The previous `target` is at `backup` (moved or hard-linked there):
    /// rename it back.
    Saved { target: PathBuf, backup: PathBuf },
}

#[derive(Debug, Default)]
struct Transaction {
    /// Directories this run created outside the staging areas, in order.
    created: Vec<PathBuf>,
    /// Staging directories, removed at the end either way.
    staging: Vec<PathBuf>,
    done: Vec<Step>,
    /// Directories known to exist (made or seen), so each is made once.
    known_dirs: HashSet<PathBuf>,
}

/// Files staged per thread, at least: fewer are not worth a thread.
const FILES_PER_WRITER: usize = 64;

fn staging_dir(dir: &Path) -> PathBuf {
    dir.join(STAGING_DIR)
}

impl Transaction {
    /// Create `dir` and its missing ancestors, remembering which were new.
    fn create_dirs(&mut self, dir: &Path) -> Result<(), WriteError> {
        if self.known_dirs.contains(dir) {
            return Ok(());
        }
        let mut missing = Vec::new();
        let mut current = Some(dir);
        while let Some(path) = current {
            if path.as_os_str().is_empty() || fs::metadata(path).is_ok() {
                break;
            }
            missing.push(path.to_path_buf());
            current = path.parent();
        }
        for path in missing.into_iter().rev() {
            match fs::create_dir(&path) {
                Ok(()) => self.created.push(path),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && path.is_dir() => {}
                Err(e) => return Err(WriteError::new(&path, e)),
            }
        }
        self.known_dirs.insert(dir.to_path_buf());
        Ok(())
    }

    /// Make `dir` (if new) and a fresh, empty staging directory in it.
    fn open(&mut self, dir: &Path) -> Result<(), WriteError> {
        self.create_dirs(dir)?;
        let staging = staging_dir(dir);
        // Left over from a run that was killed: nothing in it is needed.
        if let Ok(meta) = fs::symlink_metadata(&staging) {
            let removed = if meta.is_dir() {
                fs::remove_dir_all(&staging)
            } else {
                fs::remove_file(&staging)
            };
            removed.map_err(|e| WriteError::new(&staging, e))?;
        }
        fs::create_dir(&staging).map_err(|e| WriteError::new(&staging, e))?;
        self.staging.push(staging);
        Ok(())
    }

    /// Write every new file of `update` under its (open) staging directory;
    /// `already` are paths staged there before, replaced.
    fn stage(&mut self, update: &Update, already: &BTreeSet<String>) -> Result<(), WriteError> {
        let new = staging_dir(&update.dir).join("new");
        // Parents first, each once: the area is fresh, so a parent made
        // (or seen) once exists.
        let mut parents: HashSet<PathBuf> = HashSet::new();
        for relative in update.writes.keys() {
            let staged = new.join(relative);
            let target = || update.dir.join(relative);
            if already.contains(relative) {
                fs::remove_file(&staged).map_err(|e| WriteError::new(&target(), e))?;
            }
            if let Some(parent) = staged.parent() {
                if !parents.contains(parent) {
                    fs::create_dir_all(parent).map_err(|e| WriteError::new(&target(), e))?;
                    parents.insert(parent.to_path_buf());
                }
            }
        }
        // Creating files is mostly the file system's CPU time (inode
        // allocation): a large crate is written on all cores.
        let writes: Vec<(&String, &String)> = update.writes.iter().collect();
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(writes.len() / FILES_PER_WRITER)
            .max(1);
        let write = |part: &[(&String, &String)]| {
            part.iter().try_for_each(|(relative, text)| {
                write_new(&new.join(relative), text.as_bytes())
                    .map_err(|e| WriteError::new(&update.dir.join(relative), e))
            })
        };
        if threads == 1 {
            return write(&writes);
        }
        let chunk = writes.len().div_ceil(threads);
        std::thread::scope(|scope| {
            let handles: Vec<_> = writes
                .chunks(chunk)
                .map(|part| scope.spawn(move || write(part)))
                .collect();
            // The first failure in path order, whatever finished first.
            handles
                .into_iter()
                .map(|handle| match handle.join() {
                    Ok(result) => result,
                    Err(panic) => std::panic::resume_unwind(panic),
                })
                .collect::<Vec<_>>()
                .into_iter()
                .collect::<Result<(), WriteError>>()
        })
    }

    /// Move the staged files into place and the removed ones aside.
    fn commit(&mut self, update: &Staged) -> Result<(), WriteError> {
        let staging = staging_dir(&update.dir);
        for relative in &update.removals {
            let target = update.dir.join(relative);
            let backup = staging.join("old").join(relative);
            create_parent(&backup).map_err(|e| WriteError::new(&target, e))?;
            fs::rename(&target, &backup).map_err(|e| WriteError::new(&target, e))?;
            self.done.push(Step::Saved { target, backup });
        }
        // Directories missing from the output are moved in whole, one
        // rename each instead of one per file (a new crate is a handful).
        let mut present: HashMap<String, bool> = HashMap::new();
        let mut moved: Vec<String> = Vec::new();
        for relative in &update.writes {
            if moved.iter().any(|dir| {
                relative
                    .strip_prefix(dir.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
            }) {
                continue;
            }
            if let Some(dir) = missing_ancestor(&update.dir, relative, &mut present) {
                let target = update.dir.join(&dir);
                let staged = staging.join("new").join(&dir);
                fs::rename(&staged, &target).map_err(|e| WriteError::new(&target, e))?;
                self.done.push(Step::Moved { target, staged });
                moved.push(dir);
                continue;
            }
            let target = update.dir.join(relative);
            if let Some(parent) = target.parent() {
                self.create_dirs(parent)?;
            }
            if fs::symlink_metadata(&target).is_ok() {
                let backup = staging.join("old").join(relative);
                create_parent(&backup).map_err(|e| WriteError::new(&target, e))?;
                // A hard link keeps the old file in place until the rename
                // below replaces it atomically; moving it is the fallback.
                if fs::hard_link(&target, &backup).is_err() {
                    fs::rename(&target, &backup).map_err(|e| WriteError::new(&target, e))?;
                }
                self.done.push(Step::Saved {
                    target: target.clone(),
                    backup,
                });
                let staged = staging.join("new").join(relative);
                fs::rename(&staged, &target).map_err(|e| WriteError::new(&target, e))?;
            } else {
                let staged = staging.join("new").join(relative);
                fs::rename(&staged, &target).map_err(|e| WriteError::new(&target, e))?;
                self.done.push(Step::Added(target));
            }
        }
        Ok(())
    }

    /// Everything is in place: drop the staging areas and the directories
    /// that removals left empty (never an output directory itself).
    fn finish(self, updates: &[Staged]) {
        for staging in &self.staging {
            let _ = fs::remove_dir_all(staging);
        }
        for update in updates {
            for relative in &update.removals {
                let full = update.dir.join(relative);
                let mut parent = full.parent();
                while let Some(p) = parent {
                    if p == update.dir || !p.starts_with(&update.dir) || fs::remove_dir(p).is_err()
                    {
                        break;
                    }
                    parent = p.parent();
                }
            }
        }
    }

    /// Put everything back as it was, as far as the file system lets us.
    fn rollback(self) {
        for step in self.done.into_iter().rev() {
            match step {
                Step::Added(target) => {
                    let _ = fs::remove_file(&target);
                }
                Step::Saved { target, backup } => {
                    let _ = fs::rename(&backup, &target);
                }
                Step::Moved { target, staged } => {
                    let _ = fs::rename(&target, &staged);
                }
            }
        }
        for staging in &self.staging {
            let _ = fs::remove_dir_all(staging);
        }
        for dir in self.created.iter().rev() {
            // Only if empty: never delete what someone else put there.
            let _ = fs::remove_dir(dir);
        }
    }
}

/// The shallowest directory above `relative` (relative too) that is not
/// in `dir`; `present` remembers what was looked up.
fn missing_ancestor(
    dir: &Path,
    relative: &str,
    present: &mut HashMap<String, bool>,
) -> Option<String> {
    let mut end = 0;
    while let Some(slash) = relative[end..].find('/') {
        end += slash;
        let ancestor = &relative[..end];
        let exists = *present
            .entry(ancestor.to_owned())
            .or_insert_with(|| fs::symlink_metadata(dir.join(ancestor)).is_ok());
        if !exists {
            return Some(ancestor.to_owned());
        }
        end += 1;
    }
    None
}

fn create_parent(path: &Path) -> io::Result<()> {
    match path.parent() {
        Some(parent) => fs::create_dir_all(parent),
        None => Ok(()),
    }
}

/// Write a new file (its parent exists), flushed to the file system.
fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(bytes)?;
    file.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn update(dir: &Path, writes: &[(&str, &str)], removals: &[&str]) -> Update {
        Update {
            dir: dir.to_path_buf(),
            writes: writes
                .iter()
                .map(|(path, text)| (path.to_string(), text.to_string()))
                .collect(),
            removals: removals.iter().map(|path| path.to_string()).collect(),
        }
    }

    #[test]
    fn staging_without_commit_leaves_nothing() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("new-crate");
        let mut staging = Staging::default();
        staging
            .stage(&update(
                &dir,
                &[("src/lib.rs", "x"), ("Cargo.toml", "y")],
                &[],
            ))
            .unwrap();
        assert!(dir.join(STAGING_DIR).join("new/src/lib.rs").is_file());
        drop(staging);
        assert!(!dir.exists());
    }

    #[test]
    fn new_directories_are_moved_whole_and_files_replaced_one_by_one() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("crate");
        fs::create_dir_all(dir.join("src")).unwrap();
        fs::write(dir.join("src/lib.rs"), "old").unwrap();
        fs::write(dir.join("src/stale.rs"), "stale").unwrap();
        let mut staging = Staging::default();
        let first = update(
            &dir,
            &[
                ("src/lib.rs", "new"),
                ("src/operations/a.rs", "a"),
                ("src/operations/b.rs", "b"),
            ],
            &["src/stale.rs"],
        );
        staging.stage(&first).unwrap();
        // A second update for the same directory adds to what is staged.
        staging
            .stage(&update(&dir, &[("CHANGELOG.md", "c")], &[]))
            .unwrap();
        staging.commit().unwrap();
        assert_eq!(fs::read_to_string(dir.join("src/lib.rs")).unwrap(), "new");
        assert_eq!(
            fs::read_to_string(dir.join("src/operations/b.rs")).unwrap(),
            "b"
        );
        assert_eq!(fs::read_to_string(dir.join("CHANGELOG.md")).unwrap(), "c");
        assert!(!dir.join("src/stale.rs").exists());
        assert!(!dir.join(STAGING_DIR).exists());
    }

    #[test]
    fn a_failed_commit_moves_new_directories_back_out() {
        let root = tempfile::tempdir().unwrap();
        let a = root.path().join("a");
        let b = root.path().join("b");
        fs::create_dir_all(&b).unwrap();
        fs::write(b.join("kept.rs"), "kept").unwrap();
        let mut staging = Staging::default();
        staging
            .stage_all(&[
                update(&a, &[("src/lib.rs", "a")], &[]),
                // Removing a file that is not there fails at commit.
                update(&b, &[("kept.rs", "changed")], &["missing.rs"]),
            ])
            .unwrap();
        assert!(staging.commit().is_err());
        assert!(!a.exists(), "the new crate directory is gone again");
        assert_eq!(fs::read_to_string(b.join("kept.rs")).unwrap(), "kept");
        assert!(!b.join(STAGING_DIR).exists());
    }
}
