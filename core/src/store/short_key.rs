//! A key as the keyspace index and key events keep it: short keys (most
//! are: `product:42`, `rl:10.0.0.1`) inline, longer ones on the heap.
//!
//! Why: a lookup that finds its bucket must compare the key. With a `Vec`
//! that comparison first reads the key's separate allocation, a likely cache
//! miss per command on a keyspace of thousands of keys; inline, the bytes
//! are in the bucket already read. A bucket is no bigger than with a `Vec`.
//! And the event every write records for the viewers carries its key
//! without an allocation.

use std::borrow::Borrow;
use std::hash::{Hash, Hasher};

/// Keys up to this many bytes are kept inline.
const INLINE: usize = 22;

#[derive(Clone, Debug)]
pub enum ShortKey {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Box<[u8]>),
}

impl ShortKey {
    pub fn new(key: &[u8]) -> Self {
        let mut bytes = [0u8; INLINE];
        match bytes.get_mut(..key.len()) {
            Some(head) => {
                head.copy_from_slice(key);
                ShortKey::Inline {
                    len: key.len() as u8,
                    bytes,
                }
            }
            None => ShortKey::Heap(key.into()),
        }
    }

    pub fn as_bytes(&self) -> &[u8] {
        match self {
            ShortKey::Inline { len, bytes } => bytes.get(..usize::from(*len)).unwrap_or_default(),
            ShortKey::Heap(b) => b,
        }
    }
}

impl std::ops::Deref for ShortKey {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        self.as_bytes()
    }
}

// Looked up by `&[u8]`: hashing and equality must be exactly the slice's.
impl Borrow<[u8]> for ShortKey {
    fn borrow(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl Hash for ShortKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_bytes().hash(state);
    }
}

impl PartialEq for ShortKey {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for ShortKey {}

impl PartialEq<[u8]> for ShortKey {
    fn eq(&self, other: &[u8]) -> bool {
        self.as_bytes() == other
    }
}

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
            let k = ShortKey::new(key);
            assert_eq!(k.as_bytes(), key);
            assert_eq!(hash_of(&k), hash_of(key));
            assert_eq!(k, ShortKey::new(key));
            assert_eq!(matches!(k, ShortKey::Inline { .. }), key.len() <= INLINE);
        }
        // A shorter key is not equal to its own prefix padded with zeros.
        assert_ne!(ShortKey::new(b"ab"), ShortKey::new(b"ab\0"));
    }

    #[test]
    fn a_bucket_is_no_bigger_than_with_a_vec() {
        assert!(std::mem::size_of::<ShortKey>() <= std::mem::size_of::<Vec<u8>>());
    }
}
