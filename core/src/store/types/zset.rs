//! A sorted set: members ordered by (score, member bytes), as Redis orders
//! them, with a member → score map for O(1) ZSCORE.

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};

/// A score that is never NaN (Redis refuses NaN), so it can be ordered.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Score(pub f64);

impl Eq for Score {}

impl PartialOrd for Score {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Score {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0)
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ZSet {
    scores: HashMap<Vec<u8>, f64>,
    order: BTreeSet<(Score, Vec<u8>)>,
}

impl ZSet {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.scores.len()
    }

    pub fn is_empty(&self) -> bool {
        self.scores.is_empty()
    }

    pub fn score(&self, member: &[u8]) -> Option<f64> {
        self.scores.get(member).copied()
    }

    /// Adds or moves a member; returns the previous score. `-0.0` is stored
    /// as `0.0`, as Redis does.
    pub fn insert(&mut self, member: Vec<u8>, score: f64) -> Option<f64> {
        let score = if score == 0.0 { 0.0 } else { score };
        let old = self.scores.insert(member.clone(), score);
        if let Some(old) = old {
            self.order.remove(&(Score(old), member.clone()));
        }
        self.order.insert((Score(score), member));
        old
    }

    pub fn remove(&mut self, member: &[u8]) -> Option<f64> {
        let old = self.scores.remove(member)?;
        self.order.remove(&(Score(old), member.to_vec()));
        Some(old)
    }

    /// Members in ascending (score, member) order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&[u8], f64)> + '_ {
        self.order.iter().map(|(s, m)| (m.as_slice(), s.0))
    }

    pub fn memory_estimate(&self) -> usize {
        self.scores.keys().map(|m| m.len() + 8 + 11).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_by_score_then_member_and_moves_on_update() {
        let mut z = ZSet::new();
        z.insert(b"b".to_vec(), 1.0);
        z.insert(b"a".to_vec(), 1.0);
        z.insert(b"c".to_vec(), 0.5);
        assert_eq!(z.insert(b"c".to_vec(), 2.0), Some(0.5));
        let got: Vec<_> = z.iter().map(|(m, s)| (m.to_vec(), s)).collect();
        assert_eq!(
            got,
            vec![
                (b"a".to_vec(), 1.0),
                (b"b".to_vec(), 1.0),
                (b"c".to_vec(), 2.0)
            ]
        );
        assert_eq!(z.remove(b"a"), Some(1.0));
        assert_eq!(z.len(), 2);
        assert_eq!(
            z.iter().next().map(|(m, _)| m.to_vec()),
            Some(b"b".to_vec())
        );
    }
}
