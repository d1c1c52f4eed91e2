//! The index directory on disk: deciding whether an existing index is usable,
//! clearing one that is not, and creating a fresh one.
//!
//! Clearing only removes files tantivy owns (`meta.json`, `.managed.json`, segment
//! files, its temp files): if the configured directory turns out to be the wrong one,
//! the operator's own files survive. The lock files are kept too, because deleting a
//! lock file that another process has open would let a third process lock a new file
//! of the same name, defeating the lock.

use std::fs;
use std::path::Path;

use tantivy::directory::MmapDirectory;
use tantivy::{Index, IndexReader, ReloadPolicy};

use crate::error::{Result, SearchError};
use crate::index::RebuildReason;
use crate::schema::{self, SCHEMA_VERSION};
use crate::state::IndexState;

/// What was found in an index directory.
pub(crate) enum Inspection {
    /// A committed index with this build's schema version: use as is.
    Usable(Index),
    /// A valid, empty index that has never been committed to by this crate.
    NeverCommitted(Index),
    /// Nothing usable; it must be (re)created and rebuilt from the database.
    Rebuild(RebuildReason),
}

/// Examines the index in `directory` without modifying it.
pub(crate) fn inspect(directory: &MmapDirectory) -> Inspection {
    match Index::exists(directory) {
        Ok(true) => {}
        Ok(false) => return Inspection::Rebuild(RebuildReason::Missing),
        Err(err) => return unreadable(err),
    }
    let index = match Index::open(directory.clone()) {
        Ok(index) => index,
        Err(err) => return unreadable(err),
    };
    let payload = match index.load_metas() {
        Ok(metas) => metas.payload,
        Err(err) => return unreadable(err),
    };
    let state = match payload.as_deref().map(IndexState::from_payload).transpose() {
        Ok(state) => state,
        Err(err) => return unreadable(err),
    };
    // The recorded version is checked before the fields: a version bump usually
    // changes the fields too, and "schema changed" is the more useful diagnosis.
    if let Some(state) = state {
        if state.schema_version != SCHEMA_VERSION {
            return Inspection::Rebuild(RebuildReason::SchemaChanged {
                found: state.schema_version,
            });
        }
    }
    if index.schema() != schema::build() {
        return unreadable(format!(
            "its fields differ from those of schema version {SCHEMA_VERSION}"
        ));
    }
    // Opening a reader opens every segment, which catches deleted or truncated
    // segment files that `meta.json` still refers to.
    let reader: tantivy::Result<IndexReader> = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into();
    if let Err(err) = reader {
        return unreadable(err);
    }
    match state {
        Some(_) => Inspection::Usable(index),
        None => Inspection::NeverCommitted(index),
    }
}

fn unreadable(err: impl ToString) -> Inspection {
    Inspection::Rebuild(RebuildReason::Unreadable(err.to_string()))
}

/// Removes tantivy's files from `dir` (see the module docs for what is kept).
pub(crate) fn wipe(dir: &Path) -> Result<()> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| SearchError::Io { path, source }
    };
    for entry in fs::read_dir(dir).map_err(io(dir))? {
        let entry = entry.map_err(io(dir))?;
        let path = entry.path();
        let owned = entry.file_name().to_str().is_some_and(is_tantivy_file);
        if !owned || entry.file_type().map_err(io(&path))?.is_dir() {
            continue;
        }
        match fs::remove_file(&path) {
            Ok(()) => {}
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => return Err(io(&path)(err)),
        }
    }
    Ok(())
}

/// Whether tantivy created a file of this name (lock files excluded on purpose).
fn is_tantivy_file(name: &str) -> bool {
    // Segment files are `<32 hex digit segment id>.<component>[.<opstamp>]`.
    let is_segment_file = name.len() > 33
        && name.as_bytes()[..32].iter().all(u8::is_ascii_hexdigit)
        && name.as_bytes()[32] == b'.';
    // Atomic writes go through `tempfile`, whose names start with `.tmp`.
    name == "meta.json" || name == ".managed.json" || name.starts_with(".tmp") || is_segment_file
}

/// Creates an empty index in `dir`, which must not contain `meta.json`.
pub(crate) fn create(dir: &Path) -> Result<Index> {
    Ok(Index::builder()
        .schema(schema::build())
        .settings(schema::settings())
        .create_in_dir(dir)?)
}

#[cfg(test)]
mod tests {
    use super::is_tantivy_file;

    #[test]
    fn recognises_tantivy_files_only() {
        for name in [
            "meta.json",
            ".managed.json",
            ".tmpAbC123",
            "0123456789abcdef0123456789abcdef.idx",
            "0123456789abcdef0123456789abcdef.12.del",
        ] {
            assert!(is_tantivy_file(name), "{name}");
        }
        for name in [
            ".tantivy-writer.lock",
            ".tantivy-meta.lock",
            "notes.txt",
            "0123456789abcdef.idx",
            "0123456789abcdef0123456789abcdefX.idx",
        ] {
            assert!(!is_tantivy_file(name), "{name}");
        }
    }
}
