//! The order a rebuild adds postmortems in: grouped by topic.
//!
//! tantivy numbers documents in the order they are added, and block-max
//! WAND skips a block of 128 postings when the block's best score cannot
//! reach the results. Postmortems added by id interleave every kind of
//! failure, so each block of a common word's postings holds some postmortem
//! of the kind being searched for, and almost no block can be skipped.
//! Grouped by topic, most blocks belong to other kinds of failure and are
//! skipped whole. At 100k synthetic postmortems this made a search do about
//! a fifth fewer instructions and the index 7% smaller (postings of
//! neighbouring ids compress better); results do not change, since scores
//! do not depend on document numbers (only exact ties may swap).
//!
//! Topics are found without labels, from the text alone: spherical k-means
//! over the words of each postmortem's main sections, weighted by rarity and
//! hashed into a fixed number of dimensions. It is deterministic (the seeds
//! are evenly spaced postmortems in the given order), so the same database
//! always rebuilds the same index. This is document identifier reassignment
//! as in Silvestri's "Sorting out the document identifier assignment
//! problem" (ECIR 2007); recursive graph bisection orders finer but costs far
//! more, and k-means already put the synthetic failure modes within 5% of
//! a perfect grouping.
//!
//! Only a rebuild orders: incremental writes append, and tantivy's merges
//! keep each segment's order, so an index grows less grouped. The commit
//! records how many documents the last rebuild grouped, and the server
//! rebuilds in the background each time the index has doubled since
//! ([`SearchIndex::should_regroup`](crate::SearchIndex::should_regroup)).

use std::collections::HashMap;
use std::hash::Hasher;

use rayon::prelude::*;

use crate::analyzer::{FastHash, FastHasher};
use crate::document::IndexDoc;

/// Dimensions words are hashed into. Collisions only blur topics a little;
/// each centroid is this many floats.
const DIMS: usize = 1 << 14;

/// Rounds of assigning postmortems to their nearest centroid and moving the
/// centroids. At 100k synthetic postmortems, 10 rounds grouped no better than 5.
const ROUNDS: usize = 5;

/// At most this many topics. 32, 64 and 128 grouped 100k synthetic
/// postmortems equally well; 64 took least time per search.
const MAX_TOPICS: usize = 64;

/// Words in more than this share of postmortems say little about a topic
/// and are left out, as are words of a single postmortem.
const MAX_WORD_SHARE: f64 = 0.25;

/// `docs` in the order to add them: grouped by topic, each group in its
/// given order. Groups follow the order of their seeds; postmortems without
/// a telling word come last.
pub(crate) fn by_topic(docs: Vec<IndexDoc>) -> Vec<IndexDoc> {
    let order = topic_order(&docs);
    let mut slots: Vec<Option<IndexDoc>> = docs.into_iter().map(Some).collect();
    order
        .into_iter()
        .filter_map(|at| slots[at].take())
        .collect()
}

/// The positions of `docs` in the order [`by_topic`] adds them.
fn topic_order(docs: &[IndexDoc]) -> Vec<usize> {
    let words: Vec<Vec<u32>> = docs.par_iter().map(distinct_words).collect();
    let mut df: HashMap<u32, u32, FastHash> = HashMap::default();
    for doc in &words {
        for &word in doc {
            *df.entry(word).or_default() += 1;
        }
    }
    let count = docs.len();
    let max_df = ((count as f64 * MAX_WORD_SHARE) as u32).max(2);
    let vectors: Vec<Vec<(u32, f32)>> = words
        .into_par_iter()
        .map(|doc| vector(&doc, &df, count, max_df))
        .collect();
    drop(df);
    let topics = ((count as f64).sqrt() / 4.0).clamp(1.0, MAX_TOPICS as f64) as usize;
    let assigned = kmeans(&vectors, topics);
    let mut order: Vec<usize> = (0..docs.len()).collect();
    // Stable: each topic keeps the given order.
    order.sort_by_key(|&at| assigned[at]);
    order
}

/// The hashes of the distinct words (three or more letters or digits, not
/// all digits, lowercased) of `doc`'s title and main sections, sorted.
/// Thirty-two bits: two words of a vocabulary sharing one only blur a topic,
/// and a rebuild holds every postmortem's words at once.
fn distinct_words(doc: &IndexDoc) -> Vec<u32> {
    let mut out = Vec::new();
    let mut lower = String::new();
    for text in [
        &doc.title,
        &doc.summary,
        &doc.impact,
        &doc.root_cause,
        &doc.mitigation,
        &doc.symptoms,
        &doc.causes,
        &doc.resolution,
    ] {
        for word in text.split(|c: char| !c.is_alphanumeric()) {
            if word.len() < 3 || word.bytes().all(|b| b.is_ascii_digit()) {
                continue;
            }
            lower.clear();
            lower.extend(word.chars().flat_map(char::to_lowercase));
            let mut hasher = FastHasher::default();
            hasher.write(lower.as_bytes());
            out.push(spread(hasher.finish()) as u32);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// A unit vector of `words` in [`DIMS`] dimensions: each word that is in at
/// least two and at most `max_df` postmortems, weighted by its rarity.
/// Empty when none is.
fn vector(
    words: &[u32],
    df: &HashMap<u32, u32, FastHash>,
    count: usize,
    max_df: u32,
) -> Vec<(u32, f32)> {
    let mut out: Vec<(u32, f32)> = words
        .iter()
        .filter_map(|word| {
            let df = df.get(word).copied().unwrap_or(0);
            (2..=max_df).contains(&df).then(|| {
                let dim = word % DIMS as u32;
                (dim, (count as f32 / df as f32).ln())
            })
        })
        .collect();
    out.sort_unstable_by_key(|&(dim, _)| dim);
    // Two words hashed to one dimension count once.
    out.dedup_by_key(|&mut (dim, _)| dim);
    let norm = out.iter().map(|&(_, w)| w * w).sum::<f32>().sqrt();
    for (_, w) in &mut out {
        *w /= norm;
    }
    out
}

/// The topic (`0..topics`) of each of `vectors`, `usize::MAX` for an empty
/// one: spherical k-means seeded with evenly spaced non-empty vectors.
fn kmeans(vectors: &[Vec<(u32, f32)>], topics: usize) -> Vec<usize> {
    let seeds: Vec<usize> = (0..vectors.len())
        .filter(|&at| !vectors[at].is_empty())
        .collect();
    let topics = topics.min(seeds.len());
    if topics == 0 {
        return vec![usize::MAX; vectors.len()];
    }
    let mut centroids = vec![0f32; topics * DIMS];
    for topic in 0..topics {
        let seed = &vectors[seeds[topic * seeds.len() / topics]];
        for &(dim, w) in seed {
            centroids[topic * DIMS + dim as usize] = w;
        }
    }
    let mut assigned = Vec::new();
    for _ in 0..ROUNDS {
        assigned = vectors
            .par_iter()
            .map(|vector| nearest(&centroids, vector))
            .collect();
        centroids.fill(0.0);
        for (vector, &topic) in vectors.iter().zip(&assigned) {
            if topic == usize::MAX {
                continue;
            }
            let row = &mut centroids[topic * DIMS..(topic + 1) * DIMS];
            for &(dim, w) in vector {
                row[dim as usize] += w;
            }
        }
        // A topic left without members keeps a zero centroid and attracts
        // none: every dot product with it is 0, and a member scores above.
        for row in centroids.chunks_exact_mut(DIMS) {
            let norm = row.iter().map(|x| x * x).sum::<f32>().sqrt();
            if norm > 0.0 {
                row.iter_mut().for_each(|x| *x /= norm);
            }
        }
    }
    assigned
}

/// The topic whose centroid is most similar to `vector` (the first on a
/// tie), `usize::MAX` for an empty vector.
fn nearest(centroids: &[f32], vector: &[(u32, f32)]) -> usize {
    if vector.is_empty() {
        return usize::MAX;
    }
    let mut best = (f32::MIN, usize::MAX);
    for (topic, row) in centroids.chunks_exact(DIMS).enumerate() {
        let dot: f32 = vector.iter().map(|&(dim, w)| row[dim as usize] * w).sum();
        if dot > best.0 {
            best = (dot, topic);
        }
    }
    best.1
}

/// Spreads a multiply-rotate hash's bits over the whole word (a finaliser as
/// in MurmurHash3), so that its low bits pick a dimension evenly.
fn spread(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ (x >> 33)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: i64, title: &str, summary: &str) -> IndexDoc {
        IndexDoc {
            id,
            title: title.into(),
            summary: summary.into(),
            ..IndexDoc::default()
        }
    }

    /// Five kinds of failure, interleaved, with words of their own each and
    /// a few shared.
    fn interleaved(per_kind: usize) -> Vec<IndexDoc> {
        let kinds = [
            (
                "DNS lookups failed",
                "resolver coredns nxdomain lookup timeout",
            ),
            (
                "Connection pool exhausted",
                "hikari pool connections database timeout",
            ),
            (
                "Certificate expired",
                "tls certificate expiry handshake renewal",
            ),
            ("Disk filled up", "volume disk full logs rotation database"),
            (
                "Retry storm",
                "retries backoff jitter amplification timeout",
            ),
        ];
        (0..per_kind * kinds.len())
            .map(|n| {
                let (title, words) = kinds[n % kinds.len()];
                doc(n as i64 + 1, title, &format!("{words} host{n}"))
            })
            .collect()
    }

    fn kind(doc: &IndexDoc) -> String {
        doc.title.clone()
    }

    #[test]
    fn groups_postmortems_of_a_kind_together() {
        // 1,000 postmortems make 7 topics, seeded with every kind.
        let docs = by_topic(interleaved(200));
        assert_eq!(docs.len(), 1000);
        // Each kind is one run: the kind changes four times in all.
        let changes = docs
            .windows(2)
            .filter(|w| kind(&w[0]) != kind(&w[1]))
            .count();
        assert_eq!(
            changes,
            4,
            "{:?}",
            docs.iter().map(|d| d.id).collect::<Vec<_>>()
        );
        // Each run keeps the given order.
        for run in docs.chunk_by(|a, b| kind(a) == kind(b)) {
            assert!(run.windows(2).all(|w| w[0].id < w[1].id));
        }
    }

    #[test]
    fn keeps_every_postmortem_once_and_is_deterministic() {
        let mut docs = interleaved(10);
        docs.push(doc(100, "", ""));
        docs.push(doc(101, "ok", "a b 12345"));
        let first: Vec<i64> = by_topic(docs.clone()).iter().map(|d| d.id).collect();
        let again: Vec<i64> = by_topic(docs.clone()).iter().map(|d| d.id).collect();
        assert_eq!(first, again);
        let mut ids = first.clone();
        ids.sort_unstable();
        let mut given: Vec<i64> = docs.iter().map(|d| d.id).collect();
        given.sort_unstable();
        assert_eq!(ids, given);
        // Without a telling word, last, in the given order.
        assert_eq!(first[first.len() - 2..], [100, 101]);
    }

    #[test]
    fn orders_nothing_and_one() {
        assert!(by_topic(Vec::new()).is_empty());
        let one = by_topic(vec![doc(7, "Disk full", "volume filled")]);
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].id, 7);
    }
}
