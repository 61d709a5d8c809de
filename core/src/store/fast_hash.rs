//! The store's hasher: deterministic (no per-map random seed, so a run
//! replays the same), and cheap on short keys, for the keyspace's index and
//! the reverse-binary scan of hashtable-encoded collections.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// An Fx-style hasher (rustc's: rotate, xor, multiply per word) with a
/// final avalanche, because hashbrown picks buckets from the low bits and
/// its tag from the top 7, and a bare Fx product is weak in the low bits.
/// SipHash cost a third of a GET; key flooding is not a threat in a
/// playground that runs in the user's own tab.
#[derive(Default, Clone, Copy)]
pub struct FastHasher {
    hash: u64,
}

const FX_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FastHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(FX_SEED);
    }
}

impl Hasher for FastHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            self.add(le_word(rest));
        }
    }

    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    #[inline]
    fn finish(&self) -> u64 {
        // murmur3's fmix64: every input bit reaches the low and high bits.
        let mut h = self.hash;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h
    }
}

/// Up to 8 bytes as the little-endian word they would make padded with
/// zeros. Shifted in byte by byte: copying a variable-length tail into an
/// array compiled to a `memcpy` call, which cost more than a short key's
/// whole hash or a command name's lookup.
#[inline]
pub(crate) fn le_word(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .rev()
        .fold(0u64, |w, &b| (w << 8) | u64::from(b))
}

/// A `HashMap` with [`FastHasher`]: deterministic, no per-map random seed.
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hasher_reads_a_tail_as_a_zero_padded_little_endian_word() {
        let bytes: Vec<u8> = (0..40u8).map(|i| i.wrapping_mul(37) ^ 0xa5).collect();
        for len in 0..=bytes.len() {
            let key = bytes.get(..len).unwrap_or_default();
            let mut fast = FastHasher::default();
            fast.write(key);
            let mut reference = FastHasher::default();
            for chunk in key.chunks(8) {
                let mut w = [0u8; 8];
                for (d, s) in w.iter_mut().zip(chunk) {
                    *d = *s;
                }
                reference.add(u64::from_le_bytes(w));
            }
            assert_eq!(fast.finish(), reference.finish(), "{len} bytes");
        }
    }
}
