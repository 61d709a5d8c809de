//! A set as Redis 7.0 keeps one: an *intset* (sorted 64-bit integers) while
//! every member is an integer and there are at most 512, else a hashtable.
//! The conversion is one-way, and it shows: `OBJECT ENCODING`, and the order
//! SMEMBERS answers in (ascending for an intset). A hashtable's order in
//! Redis follows a hash seeded at random per process, which no one can
//! reproduce; this one keeps insertion order there.

use indexmap::IndexSet;

use crate::store::int::parse_i64;

/// Redis 7.0's default `set-max-intset-entries`.
pub const INTSET_MAX_ENTRIES: usize = 512;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Set {
    members: IndexSet<Vec<u8>>,
    /// Still an intset (Redis never converts back).
    intset: bool,
}

impl Set {
    /// An empty set of the encoding Redis's `setTypeCreate` picks for the
    /// first member it will hold: an intset for an integer.
    pub fn for_first(member: &[u8]) -> Set {
        Set {
            members: IndexSet::new(),
            intset: parse_i64(member).is_some(),
        }
    }

    /// An empty intset: where SINTERSTORE, SUNIONSTORE and SDIFFSTORE build
    /// their result (Redis's `createIntsetObject`).
    pub fn new_intset() -> Set {
        Set {
            members: IndexSet::new(),
            intset: true,
        }
    }

    /// Adds a member; `false` when it was there. Converts the way
    /// `setTypeAdd` does: a non-integer, or a 513th member, makes a
    /// hashtable for good.
    pub fn insert(&mut self, member: &[u8]) -> bool {
        if self.members.contains(member) {
            return false;
        }
        if self.intset && parse_i64(member).is_none() {
            self.intset = false;
        }
        self.members.insert(member.to_vec());
        if self.intset && self.members.len() > INTSET_MAX_ENTRIES {
            self.intset = false;
        }
        true
    }

    /// Removes a member; `false` when it was not there. The others keep
    /// their order.
    pub fn remove(&mut self, member: &[u8]) -> bool {
        self.members.shift_remove(member)
    }

    pub fn contains(&self, member: &[u8]) -> bool {
        self.members.contains(member)
    }

    pub fn len(&self) -> usize {
        self.members.len()
    }

    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    pub fn is_intset(&self) -> bool {
        self.intset
    }

    /// The members in the order Redis iterates them: ascending integers
    /// for an intset, insertion order for a hashtable (see the module).
    /// Lazy for a hashtable, so a viewer that wants the first few of a big
    /// set does not collect them all; an intset (at most 512) is sorted.
    pub fn iter(&self) -> Box<dyn Iterator<Item = &[u8]> + '_> {
        let all = self.members.iter().map(Vec::as_slice);
        if !self.intset {
            return Box::new(all);
        }
        let mut sorted: Vec<&[u8]> = all.collect();
        // Every member of an intset parses; 0 is never reached.
        crate::sort::sort_by_u64_key(&mut sorted, |m| {
            crate::sort::ordered_i64(parse_i64(m).unwrap_or(0))
        });
        Box::new(sorted.into_iter())
    }

    /// [`Set::iter`], collected.
    pub fn members(&self) -> Vec<&[u8]> {
        self.iter().collect()
    }

    /// The member at `i` in storage order (for random picks).
    pub fn get(&self, i: usize) -> Option<&[u8]> {
        self.members.get_index(i).map(Vec::as_slice)
    }

    /// Bytes of all members, for the memory estimate.
    pub fn bytes(&self) -> usize {
        self.members.iter().map(Vec::len).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_stay_an_intset_in_ascending_order_until_a_word_arrives() {
        let mut s = Set::for_first(b"10");
        for m in ["10", "-3", "7", "10"] {
            s.insert(m.as_bytes());
        }
        assert!(s.is_intset());
        assert_eq!(s.members(), [&b"-3"[..], b"7", b"10"]);
        s.insert(b"x");
        assert!(!s.is_intset());
        assert_eq!(s.members(), [&b"10"[..], b"-3", b"7", b"x"]);
        s.remove(b"x");
        assert!(!s.is_intset(), "one-way, as in Redis");
    }

    #[test]
    fn not_every_number_is_an_integer_member() {
        for m in ["007", "+1", "-0", "1.5", " 1", "9223372036854775808"] {
            assert!(!Set::for_first(m.as_bytes()).is_intset(), "{m}");
        }
        assert!(Set::for_first(b"-9223372036854775808").is_intset());
    }

    #[test]
    fn the_513th_integer_makes_a_hashtable() {
        let mut s = Set::new_intset();
        for i in 0..INTSET_MAX_ENTRIES {
            s.insert(i.to_string().as_bytes());
        }
        assert!(s.is_intset());
        s.insert(b"100000");
        assert!(!s.is_intset());
    }
}
