//! Tag feedback: reranking the best text matches by the tags of the very best.
//!
//! Symptoms rarely name their cause, so the words of a pasted alert find
//! postmortems that looked alike, not necessarily ones that failed alike. The
//! tags of the best matches are a vote on what kind of incident this is
//! (pseudo-relevance feedback, on tags instead of words): the candidates that
//! share the tags the top of the list agrees on move up, those that share none
//! move down. A tag written as a path (`internal/software/config`) also votes,
//! more weakly, for each of its prefixes (`internal/software`).
//!
//! It reads nothing but the candidates' tag lists, already in memory, so it costs
//! microseconds. Without tags (fewer than [`MIN_TAGGED`] of the top
//! [`FEEDBACK_DOCS`] have any) the text order stands.
//!
//! Measured on the corpus dev queries of task 1 (past incidents with the same
//! kind of root cause): nDCG@10 from 0.41 to 0.65 (see BENCHMARKS.md); task 2
//! has no tags and is unchanged.

use std::collections::HashMap;

use crate::analyzer::FastHash;

/// How many of the best text matches vote.
const FEEDBACK_DOCS: usize = 20;

/// How many candidates are reordered; the rest keep their text order below.
const RERANK_DEPTH: usize = 100;

/// Fewer tagged voters than this and the vote says nothing.
const MIN_TAGGED: usize = 2;

/// Share of the text score in the final score; the rest is the tag vote.
const TEXT_SHARE: f32 = 0.2;

/// Weight of a shared tag prefix relative to a shared whole tag.
const PREFIX_WEIGHT: f32 = 0.3;

/// The new order of the candidates, given their text scores (best first) and
/// each one's tags, as `(position, score)` pairs.
pub(crate) fn rerank(scores: &[f32], tags: &[Vec<&str>]) -> Vec<(usize, f32)> {
    let text_order: Vec<(usize, f32)> = scores.iter().copied().enumerate().collect();
    let voters = scores.len().min(FEEDBACK_DOCS);
    let best = scores.first().copied().unwrap_or(0.0);
    let tagged = tags.iter().take(voters).filter(|t| !t.is_empty()).count();
    if tagged < MIN_TAGGED || best <= 0.0 {
        return text_order;
    }
    let weights: Vec<f32> = scores[..voters].iter().map(|score| score / best).collect();
    let total: f32 = weights.iter().sum();
    let mut votes: HashMap<Key<'_>, f32, FastHash> = HashMap::default();
    for (weight, doc_tags) in weights.iter().zip(tags) {
        for key in keys(doc_tags) {
            *votes.entry(key).or_default() += weight / total;
        }
    }
    let depth = scores.len().min(RERANK_DEPTH);
    let mut reranked: Vec<(usize, f32)> = text_order[..depth]
        .iter()
        .map(|&(at, score)| {
            let vote: f32 = keys(&tags[at])
                .into_iter()
                .map(|key| {
                    let weight = match key {
                        Key::Whole(_) => 1.0,
                        Key::Prefix(_) => PREFIX_WEIGHT,
                    };
                    weight * votes.get(&key).copied().unwrap_or(0.0)
                })
                .sum();
            (at, TEXT_SHARE * score / best + (1.0 - TEXT_SHARE) * vote)
        })
        .collect();
    // Stable: equal scores keep their text order.
    reranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    reranked.extend(
        text_order[depth..]
            .iter()
            .map(|&(at, score)| (at, TEXT_SHARE * score / best)),
    );
    reranked
}

/// What a tag votes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Key<'a> {
    /// The tag itself.
    Whole(&'a str),
    /// A path prefix of it, ending before a `/`.
    Prefix(&'a str),
}

/// The distinct keys of one document's tags.
fn keys<'a>(tags: &[&'a str]) -> Vec<Key<'a>> {
    let mut out = Vec::new();
    for tag in tags {
        out.push(Key::Whole(tag));
        out.extend(
            tag.match_indices('/')
                .map(|(at, _)| Key::Prefix(&tag[..at]))
                .filter(|key| !matches!(key, Key::Prefix(""))),
        );
    }
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(scores: &[f32], tags: &[Vec<&str>]) -> Vec<usize> {
        rerank(scores, tags).into_iter().map(|(at, _)| at).collect()
    }

    #[test]
    fn untagged_results_keep_their_text_order() {
        let scores = [9.0, 8.0, 7.0];
        assert_eq!(order(&scores, &[vec![], vec![], vec!["db"]]), [0, 1, 2]);
    }

    #[test]
    fn the_tag_the_top_agrees_on_moves_up() {
        let scores = [10.0, 9.5, 9.0, 5.0, 4.9];
        let tags = [
            vec!["capacity"],
            vec!["capacity"],
            vec!["config"],
            vec!["config"],
            vec!["capacity"],
        ];
        assert_eq!(order(&scores, &tags), [0, 1, 4, 2, 3]);
    }

    #[test]
    fn prefixes_vote_weakly() {
        assert_eq!(
            keys(&["a/b/c", "a/x"]),
            [
                Key::Whole("a/b/c"),
                Key::Whole("a/x"),
                Key::Prefix("a"),
                Key::Prefix("a/b")
            ]
        );
        let scores = [10.0, 9.0, 8.0, 7.0];
        let tags = [vec!["a/b"], vec!["a/c"], vec!["z/q"], vec!["a/d"]];
        assert_eq!(order(&scores, &tags), [0, 1, 3, 2]);
    }
}
