//! The history cache: persons' entries as of a version, kept in memory so that a page that shows
//! a person's history need not read it again while it has not changed.
//!
//! It cannot serve a stale history: `entries` is append-only (database triggers), and every
//! append bumps the person's `version` in the same transaction, so `version` counts the person's
//! entries. A history is kept under (person, version) only when it holds exactly `version`
//! entries, i.e. it is exactly the history as of that version; and it is looked up only under the
//! version the caller has just read from the database. A newer version misses and is read afresh.
//! This holds across processes too: each reads the version from the shared database.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use crate::EntryRow;

/// At most this many persons' histories are kept (a few kilobytes each).
const CAPACITY: usize = 4096;

/// Histories by person: (version, entries as of that version).
type Histories = HashMap<i64, (i64, Arc<[EntryRow]>)>;

/// The kept histories, shared by a store's clones.
#[derive(Default)]
pub(crate) struct HistoryCache {
    map: Mutex<Histories>,
}

impl std::fmt::Debug for HistoryCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HistoryCache").finish_non_exhaustive()
    }
}

impl HistoryCache {
    fn map(&self) -> std::sync::MutexGuard<'_, Histories> {
        // A poisoned lock only means another caller panicked while holding it; the map is
        // still sound (each operation on it is one insert or one lookup).
        self.map
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The person's history as of `version`, when kept.
    pub(crate) fn get(&self, person_id: i64, version: i64) -> Option<Arc<[EntryRow]>> {
        match self.map().get(&person_id) {
            Some((kept, entries)) if *kept == version => Some(Arc::clone(entries)),
            _ => None,
        }
    }

    /// Keeps `entries`, just read, as the person's history as of `version`, provided there are
    /// exactly `version` of them (otherwise they were read at another version, and are not kept).
    pub(crate) fn keep(&self, person_id: i64, version: i64, entries: &Arc<[EntryRow]>) {
        if i64::try_from(entries.len()).ok() != Some(version) {
            return;
        }
        let mut map = self.map();
        if map.len() >= CAPACITY && !map.contains_key(&person_id) {
            // Full: make room by forgetting some other person (whichever comes first).
            if let Some(&other) = map.keys().next() {
                map.remove(&other);
            }
        }
        map.insert(person_id, (version, Arc::clone(entries)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(n: i64) -> Arc<[EntryRow]> {
        (1..=n)
            .map(|id| EntryRow {
                id,
                person_id: 7,
                kind: "movement".into(),
                payload: "{}".into(),
                recorded_at: "2025-01-01T00:00:00Z".into(),
                recorded_by_name: "x".into(),
                corrects: None,
                reason: None,
            })
            .collect()
    }

    #[test]
    fn a_history_is_kept_only_under_the_version_it_is() {
        let cache = HistoryCache::default();
        // Three entries read for version 2: an append came between; not kept.
        cache.keep(7, 2, &entries(3));
        assert!(cache.get(7, 2).is_none());
        assert!(cache.get(7, 3).is_none());
        cache.keep(7, 3, &entries(3));
        assert_eq!(cache.get(7, 3).map(|e| e.len()), Some(3));
        // Another version is never answered from it.
        assert!(cache.get(7, 2).is_none());
        assert!(cache.get(7, 4).is_none());
        // A newer version replaces it.
        cache.keep(7, 4, &entries(4));
        assert!(cache.get(7, 3).is_none());
        assert_eq!(cache.get(7, 4).map(|e| e.len()), Some(4));
    }

    #[test]
    fn the_cache_stays_within_its_capacity() {
        let cache = HistoryCache::default();
        let one = entries(1);
        for person in 0..(CAPACITY as i64 + 10) {
            cache.keep(person, 1, &one);
        }
        assert_eq!(cache.map().len(), CAPACITY);
    }
}
