//! Order statistics by nearest rank: the p-th percentile of n values is
//! the value at rank ⌈p·n⌉ in ascending order. It is always a value that
//! was observed ("90% of incidents were detected within this"), and it
//! needs no interpolation to explain.

/// The `p`-th percentile (0 < p ≤ 1) of `values`, `None` when empty.
pub fn percentile(values: &[i64], p: f64) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    let rank = (p * v.len() as f64).ceil().max(1.0) as usize;
    let at = rank.min(v.len()) - 1;
    // The value a sort would put at `at`, in linear time.
    Some(*v.select_nth_unstable(at).1)
}

/// The median: [`percentile`] at one half.
pub fn median(values: &[i64]) -> Option<i64> {
    percentile(values, 0.5)
}

/// The 90th percentile.
pub fn p90(values: &[i64]) -> Option<i64> {
    percentile(values, 0.9)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_gives_an_observed_value() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[7]), Some(7));
        assert_eq!(median(&[4, 1, 3, 2]), Some(2));
        assert_eq!(median(&[5, 1, 3]), Some(3));
        let ten: Vec<i64> = (1..=10).collect();
        assert_eq!(p90(&ten), Some(9));
        assert_eq!(percentile(&ten, 1.0), Some(10));
        let eleven: Vec<i64> = (1..=11).collect();
        assert_eq!(p90(&eleven), Some(10));
    }
}
