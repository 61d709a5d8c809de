//! One stable sort for every caller that orders items by an integer key.
//!
//! Why not `sort_by_key`: each call with its own closure makes the compiler
//! build its own copy of the standard library's sort (driftsort with its
//! small-sort helpers, 1–3 KB of wasm each), and the release bundle carried
//! twenty of them. Here every caller sorts the same `(key, index)` pairs, so
//! the bundle holds a single copy; what each caller adds is a short loop.

/// Sorts `items` by `key`, keeping equal keys in their current order (a
/// stable sort, like `sort_by_key`).
pub fn sort_by_u64_key<T>(items: &mut Vec<T>, mut key: impl FnMut(&T) -> u64) {
    let mut order: Vec<(u64, usize)> = items
        .iter()
        .enumerate()
        .map(|(i, item)| (key(item), i))
        .collect();
    // Unstable is enough: the index breaks every tie in the original order.
    order.sort_unstable();
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(
        order
            .into_iter()
            .filter_map(|(_, i)| slots.get_mut(i).and_then(Option::take)),
    );
}

/// An `i64` as a `u64` in the same order (the sign bit flipped), for keys
/// that can be negative.
pub fn ordered_i64(n: i64) -> u64 {
    (n as u64) ^ (1 << 63)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_keys_keep_their_order() {
        let mut v = vec![(3, 'a'), (1, 'b'), (3, 'c'), (0, 'd'), (1, 'e')];
        sort_by_u64_key(&mut v, |x| x.0);
        assert_eq!(v, [(0, 'd'), (1, 'b'), (1, 'e'), (3, 'a'), (3, 'c')]);
    }

    #[test]
    fn agrees_with_the_standard_stable_sort() {
        let mut rng = crate::rng::Rng::new(7);
        for len in [0usize, 1, 2, 5, 33, 400] {
            let v: Vec<(u64, usize)> = (0..len).map(|i| (rng.up_to(7), i)).collect();
            let mut ours = v.clone();
            sort_by_u64_key(&mut ours, |x| x.0);
            let mut std = v;
            std.sort_by_key(|x| x.0);
            assert_eq!(ours, std, "len {len}");
        }
    }

    #[test]
    fn negative_keys_sort_below_positive_ones() {
        let mut v = vec![5i64, -3, i64::MIN, 0, i64::MAX, -1];
        sort_by_u64_key(&mut v, |n| ordered_i64(*n));
        assert_eq!(v, [i64::MIN, -3, -1, 0, 5, i64::MAX]);
    }
}
