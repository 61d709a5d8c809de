//! Redis's `stringmatchlen`, byte for byte.

/// Whether `string` matches the glob `pattern`: `*` any run, `?` one byte,
/// `[abc]`, `[^a]`, `[a-z]` (reversed ranges work too), `\x` a literal `x`.
/// An unclosed `[` takes the rest of the pattern as the class; a `\` at the
/// end of the pattern matches a literal `\`.
pub fn string_match(pattern: &[u8], string: &[u8]) -> bool {
    let mut skip_longer = false;
    match_impl(pattern, string, false, &mut skip_longer, 0)
}

fn match_impl(
    mut p: &[u8],
    mut s: &[u8],
    nocase: bool,
    skip_longer: &mut bool,
    nesting: usize,
) -> bool {
    // Redis caps recursion the same way to protect its stack.
    if nesting > 1000 {
        return false;
    }
    let eq = |a: u8, b: u8| {
        if nocase {
            a.eq_ignore_ascii_case(&b)
        } else {
            a == b
        }
    };
    while let (Some(&pc), false) = (p.first(), s.is_empty()) {
        match pc {
            b'*' => {
                while p.get(1) == Some(&b'*') {
                    p = p.get(1..).unwrap_or_default();
                }
                if p.len() == 1 {
                    return true;
                }
                while !s.is_empty() {
                    if match_impl(
                        p.get(1..).unwrap_or_default(),
                        s,
                        nocase,
                        skip_longer,
                        nesting + 1,
                    ) {
                        return true;
                    }
                    if *skip_longer {
                        return false;
                    }
                    s = s.get(1..).unwrap_or_default();
                }
                *skip_longer = true;
                return false;
            }
            b'?' => {
                s = s.get(1..).unwrap_or_default();
            }
            b'[' => {
                p = p.get(1..).unwrap_or_default();
                let not = p.first() == Some(&b'^');
                if not {
                    p = p.get(1..).unwrap_or_default();
                }
                let c = s.first().copied().unwrap_or(0);
                let mut matched = false;
                loop {
                    match p.first() {
                        Some(b'\\') if p.len() >= 2 => {
                            p = p.get(1..).unwrap_or_default();
                            if p.first().is_some_and(|&x| eq(x, c)) {
                                matched = true;
                            }
                        }
                        Some(b']') => break,
                        None => {
                            // Unclosed class: step back so the outer
                            // `p++` lands at the end.
                            break;
                        }
                        Some(&a) if p.len() >= 3 && p.get(1) == Some(&b'-') => {
                            let mut start = a;
                            let mut end = p.get(2).copied().unwrap_or(0);
                            let mut cc = c;
                            if start > end {
                                std::mem::swap(&mut start, &mut end);
                            }
                            if nocase {
                                start = start.to_ascii_lowercase();
                                end = end.to_ascii_lowercase();
                                cc = cc.to_ascii_lowercase();
                            }
                            p = p.get(2..).unwrap_or_default();
                            if cc >= start && cc <= end {
                                matched = true;
                            }
                        }
                        Some(&a) => {
                            if eq(a, c) {
                                matched = true;
                            }
                        }
                    }
                    p = p.get(1..).unwrap_or_default();
                }
                let matched = if not { !matched } else { matched };
                if !matched {
                    return false;
                }
                // `p` is at the `]` (skipped below) or, for an unclosed
                // class, already at the end.
                s = s.get(1..).unwrap_or_default();
            }
            b'\\' if p.len() >= 2 => {
                p = p.get(1..).unwrap_or_default();
                if !s
                    .first()
                    .is_some_and(|&c| eq(p.first().copied().unwrap_or(0), c))
                {
                    return false;
                }
                s = s.get(1..).unwrap_or_default();
            }
            _ => {
                if !s.first().is_some_and(|&c| eq(pc, c)) {
                    return false;
                }
                s = s.get(1..).unwrap_or_default();
            }
        }
        p = p.get(1..).unwrap_or_default();
        if s.is_empty() {
            while p.first() == Some(&b'*') {
                p = p.get(1..).unwrap_or_default();
            }
            break;
        }
    }
    p.is_empty() && s.is_empty()
}

#[cfg(test)]
mod tests {
    use super::string_match;

    #[test]
    fn globs_like_redis() {
        assert!(string_match(b"*", b"anything"));
        assert!(string_match(b"h?llo", b"hello"));
        assert!(!string_match(b"h?llo", b"hllo"));
        assert!(string_match(b"h[ae]llo", b"hallo"));
        assert!(!string_match(b"h[^e]llo", b"hello"));
        assert!(string_match(b"h[a-b]llo", b"hbllo"));
        assert!(string_match(b"h[b-a]llo", b"hallo"));
        assert!(string_match(b"h\\*llo", b"h*llo"));
        assert!(!string_match(b"h\\*llo", b"hello"));
        assert!(string_match(b"a*", b"a"));
        assert!(string_match(b"a**", b"a"));
        assert!(!string_match(b"", b"a"));
        assert!(string_match(b"", b""));
        // Redis special-cases a lone "*" in KEYS and SCAN, not here.
        assert!(!string_match(b"*", b""));
    }
}
