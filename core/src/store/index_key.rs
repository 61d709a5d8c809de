//! The keyspace index's key: short keys (most are: `product:42`,
//! `rl:10.0.0.1`) are kept in the index's own bucket, longer ones on the
//! heap.
//!
//! Why: a lookup that finds its bucket must compare the key. With a `Vec`
//! that comparison first reads the key's separate allocation, a likely cache
//! miss per command on a keyspace of thousands of keys; inline, the bytes
//! are in the bucket already read. A bucket is no bigger than with a `Vec`.

use std::borrow::Borrow;
use std::hash::{Hash, Hasher};

/// Keys up to this many bytes are kept inline.
const INLINE: usize = 22;

#[derive(Clone, Debug)]
pub enum IndexKey {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Box<[u8]>),
}

impl IndexKey {
    pub fn new(key: &[u8]) -> Self {
        let mut bytes = [0u8; INLINE];
        match bytes.get_mut(..key.len()) {
            Some(head) => {
                head.copy_from_slice(key);
                IndexKey::Inline {
                    len: key.len() as u8,
                    bytes,
                }
            }
            None => IndexKey::Heap(key.into()),
        }
    }

    pub fn as_bytes(&self) -> &[u8] {
        match self {
            IndexKey::Inline { len, bytes } => bytes.get(..usize::from(*len)).unwrap_or_default(),
            IndexKey::Heap(b) => b,
        }
    }
}

// Looked up by `&[u8]`: hashing and equality must be exactly the slice's.
impl Borrow<[u8]> for IndexKey {
    fn borrow(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl Hash for IndexKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_bytes().hash(state);
    }
}

impl PartialEq for IndexKey {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for IndexKey {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::hash_map::DefaultHasher;

    fn hash_of<T: Hash + ?Sized>(t: &T) -> u64 {
        let mut h = DefaultHasher::new();
        t.hash(&mut h);
        h.finish()
    }

    #[test]
    fn short_and_long_keys_read_back_and_hash_as_their_bytes() {
        let long = vec![b'k'; 1000];
        for key in [
            &b""[..],
            b"a",
            b"product:42",
            b"exactly-twenty-two-by",
            b"twenty-three-bytes-key",
            &long,
            "😀 emoji".as_bytes(),
        ] {
            let k = IndexKey::new(key);
            assert_eq!(k.as_bytes(), key);
            assert_eq!(hash_of(&k), hash_of(key));
            assert_eq!(k, IndexKey::new(key));
            assert_eq!(matches!(k, IndexKey::Inline { .. }), key.len() <= INLINE);
        }
        // A shorter key is not equal to its own prefix padded with zeros.
        assert_ne!(IndexKey::new(b"ab"), IndexKey::new(b"ab\0"));
    }

    #[test]
    fn a_bucket_is_no_bigger_than_with_a_vec() {
        assert!(std::mem::size_of::<IndexKey>() <= std::mem::size_of::<Vec<u8>>());
    }
}
