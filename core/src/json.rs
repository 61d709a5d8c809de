//! Just enough JSON writing for the API's bodies. A hand-written writer keeps
//! serde out of the wasm bundle; bodies are small and their shapes fixed.

use std::fmt::Write;

/// Appends `s` as a JSON string literal (quotes included).
///
/// Runs of plain text are copied whole: a response writes a few keys and
/// values per request, and pushing them a `char` at a time cost a twentieth
/// of the load benchmark's instructions.
pub fn push_str(out: &mut String, s: &str) {
    out.push('"');
    let mut plain = 0;
    for (i, b) in s.bytes().enumerate() {
        // Every byte that needs an escape is ASCII, so `i` is always on a
        // char boundary here and the slices below cannot split a char.
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            b if b < 0x20 => "",
            _ => continue,
        };
        out.push_str(s.get(plain..i).unwrap_or_default());
        plain = i + 1;
        if escape.is_empty() {
            let _ = write!(out, "\\u{:04x}", b);
        } else {
            out.push_str(escape);
        }
    }
    out.push_str(s.get(plain..).unwrap_or_default());
    out.push('"');
}

/// A JSON string literal for `s`.
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_str(&mut out, s);
    out
}

/// Builds a JSON object field by field, in insertion order (the order the
/// article's handlers write their fields in).
#[derive(Default)]
pub struct Object {
    buf: String,
}

impl Object {
    pub fn new() -> Self {
        // Room for a typical body: growing from one byte took a few
        // reallocations for every response of every simulated request.
        Self::with_capacity(128)
    }

    /// An object with room for `bytes` of text, for a body whose size is
    /// known up front (a product body wraps the cached product's JSON).
    pub fn with_capacity(bytes: usize) -> Self {
        let mut buf = String::with_capacity(bytes.max(2));
        buf.push('{');
        Object { buf }
    }

    fn key(&mut self, k: &str) {
        // The first field follows the brace (also of an object nested in
        // the same buffer).
        if !matches!(self.buf.as_bytes().last(), None | Some(b'{')) {
            self.buf.push(',');
        }
        push_str(&mut self.buf, k);
        self.buf.push(':');
    }

    pub fn str(mut self, k: &str, v: &str) -> Self {
        self.key(k);
        push_str(&mut self.buf, v);
        self
    }

    pub fn int(mut self, k: &str, v: i64) -> Self {
        self.key(k);
        // Written in place, and without the formatting machinery (a
        // product body's view count: `write!` was 1.5% of the load benchmark).
        let (digits, at) = crate::store::int::u64_digits(v.unsigned_abs());
        if v < 0 {
            self.buf.push('-');
        }
        let digits = digits.get(at..).unwrap_or_default();
        self.buf
            .push_str(std::str::from_utf8(digits).unwrap_or_default());
        self
    }

    /// A value that is already valid JSON text.
    pub fn raw(mut self, k: &str, json: &str) -> Self {
        self.key(k);
        self.buf.push_str(json);
        self
    }

    /// An object value built in place, in this object's buffer (no
    /// separate string for it to be copied from).
    pub fn object(mut self, k: &str, build: impl FnOnce(Object) -> Object) -> Self {
        self.key(k);
        let mut buf = std::mem::take(&mut self.buf);
        buf.push('{');
        self.buf = build(Object { buf }).finish();
        self
    }

    pub fn finish(mut self) -> String {
        self.buf.push('}');
        self.buf
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_orders_fields() {
        let body = Object::new()
            .str("a", "q\"uote\\ \n\u{1}")
            .int("n", -3)
            .raw("o", "{\"x\":1}")
            .finish();
        assert_eq!(body, r#"{"a":"q\"uote\\ \n\u0001","n":-3,"o":{"x":1}}"#);
        assert_eq!(Object::new().finish(), "{}");
        assert_eq!(
            Object::new().int("a", 0).int("b", i64::MIN).finish(),
            r#"{"a":0,"b":-9223372036854775808}"#
        );
    }

    proptest::proptest! {
        /// Whatever the text (quotes, backslashes, control characters,
        /// multibyte chars next to them), the literal parses back to it.
        #[test]
        fn every_string_round_trips_through_its_literal(s in "(\\PC|[\"\\\\\\x00-\\x1f\\x7f]){0,40}") {
            let literal = string(&s);
            proptest::prop_assert_eq!(parse(&literal), Ok(Value::Str(s)));
        }

        #[test]
        fn integers_are_written_as_to_string_writes_them(n in proptest::num::i64::ANY) {
            proptest::prop_assert_eq!(Object::new().int("n", n).finish(), format!("{{\"n\":{n}}}"));
        }
    }

    #[test]
    fn nests_objects_in_place_with_commas_only_between_fields() {
        let body = Object::new()
            .raw("data", "[1]")
            .object("meta", |m| m.str("cache", "hit").int("views", 2))
            .object("empty", |m| m)
            .object("first", |m| m.object("inner", |i| i.int("x", 1)))
            .int("after", 3)
            .finish();
        assert_eq!(
            body,
            r#"{"data":[1],"meta":{"cache":"hit","views":2},"empty":{},"first":{"inner":{"x":1}},"after":3}"#
        );
        assert_eq!(
            Object::new().object("a", |m| m.raw("b", "{}")).finish(),
            r#"{"a":{"b":{}}}"#
        );
    }
}

/// A parsed JSON value (for request bodies and stored statuses).
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    Str(String),
    Array(Vec<Value>),
    Object(Vec<(String, Value)>),
}

impl Value {
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// A whole number that fits an i64.
    pub fn as_i64(&self) -> Option<i64> {
        let n = self.as_f64()?;
        (n.fract() == 0.0 && n.abs() < 9.0e15).then_some(n as i64)
    }
}

/// Deepest nesting accepted: a hostile body cannot overflow the stack.
const MAX_DEPTH: usize = 64;

/// Parses a whole JSON text; `Err` says where and why, never panics.
pub fn parse(text: &str) -> Result<Value, String> {
    let mut p = Parser {
        s: text.as_bytes(),
        i: 0,
    };
    let v = p.value(0)?;
    p.ws();
    if p.i != p.s.len() {
        return Err(format!("unexpected text at byte {}", p.i));
    }
    Ok(v)
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while matches!(self.s.get(self.i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn eat(&mut self, word: &str) -> bool {
        if self.s.get(self.i..self.i + word.len()) == Some(word.as_bytes()) {
            self.i += word.len();
            true
        } else {
            false
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, String> {
        if depth > MAX_DEPTH {
            return Err("nested too deeply".into());
        }
        self.ws();
        match self.s.get(self.i) {
            None => Err("unexpected end of input".into()),
            Some(b'{') => {
                self.i += 1;
                let mut fields = Vec::new();
                self.ws();
                if self.eat("}") {
                    return Ok(Value::Object(fields));
                }
                loop {
                    self.ws();
                    let k = self.string()?;
                    self.ws();
                    if !self.eat(":") {
                        return Err(format!("expected ':' at byte {}", self.i));
                    }
                    let v = self.value(depth + 1)?;
                    fields.push((k, v));
                    self.ws();
                    if self.eat(",") {
                        continue;
                    }
                    if self.eat("}") {
                        return Ok(Value::Object(fields));
                    }
                    return Err(format!("expected ',' or '}}' at byte {}", self.i));
                }
            }
            Some(b'[') => {
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if self.eat("]") {
                    return Ok(Value::Array(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    self.ws();
                    if self.eat(",") {
                        continue;
                    }
                    if self.eat("]") {
                        return Ok(Value::Array(items));
                    }
                    return Err(format!("expected ',' or ']' at byte {}", self.i));
                }
            }
            Some(b'"') => self.string().map(Value::Str),
            Some(b't') if self.eat("true") => Ok(Value::Bool(true)),
            Some(b'f') if self.eat("false") => Ok(Value::Bool(false)),
            Some(b'n') if self.eat("null") => Ok(Value::Null),
            Some(_) => self.number(),
        }
    }

    fn number(&mut self) -> Result<Value, String> {
        let start = self.i;
        while matches!(
            self.s.get(self.i),
            Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
        ) {
            self.i += 1;
        }
        let text =
            std::str::from_utf8(self.s.get(start..self.i).unwrap_or_default()).unwrap_or_default();
        // Rust's float syntax is a superset of JSON's here, except for a
        // leading '+' or '.', which JSON forbids.
        if text.is_empty() || text.starts_with(['+', '.']) || text.starts_with("-.") {
            return Err(format!("unexpected character at byte {start}"));
        }
        text.parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .map(Value::Number)
            .ok_or_else(|| format!("bad number at byte {start}"))
    }

    fn string(&mut self) -> Result<String, String> {
        if !self.eat("\"") {
            return Err(format!("expected a string at byte {}", self.i));
        }
        let mut out = String::new();
        loop {
            let rest = std::str::from_utf8(self.s.get(self.i..).unwrap_or_default())
                .map_err(|_| "invalid UTF-8")?;
            let mut chars = rest.chars();
            let Some(c) = chars.next() else {
                return Err("unterminated string".into());
            };
            self.i += c.len_utf8();
            match c {
                '"' => return Ok(out),
                '\\' => {
                    let e = self.s.get(self.i).copied().ok_or("unterminated escape")?;
                    self.i += 1;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hex = std::str::from_utf8(
                                self.s.get(self.i..self.i + 4).unwrap_or_default(),
                            )
                            .ok()
                            .and_then(|h| u32::from_str_radix(h, 16).ok())
                            .ok_or("bad \\u escape")?;
                            self.i += 4;
                            out.push(char::from_u32(hex).unwrap_or('\u{fffd}'));
                        }
                        _ => return Err(format!("bad escape at byte {}", self.i)),
                    }
                }
                c if (c as u32) < 0x20 => return Err("control character in string".into()),
                c => out.push(c),
            }
        }
    }
}

#[cfg(test)]
mod parse_tests {
    use super::*;

    #[test]
    fn parses_bodies_and_refuses_junk() {
        let v =
            parse(r#" {"rows": 250, "name":"Dock \"Pro\"", "tags":[1,2.5,true,null], "x":{}} "#)
                .expect("valid");
        assert_eq!(v.get("rows").and_then(Value::as_i64), Some(250));
        assert_eq!(v.get("name").and_then(Value::as_str), Some("Dock \"Pro\""));
        for bad in [
            "",
            "{",
            "{\"a\":}",
            "[1,]",
            "01x",
            "+1",
            ".5",
            "\"\\q\"",
            "{\"a\" 1}",
            "nul",
            "1 2",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} must be refused");
        }
        let deep = "[".repeat(10_000);
        assert!(parse(&deep).is_err());
    }
}
