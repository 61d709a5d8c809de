//! Requests and responses of the simulated HTTP API.

use std::borrow::Cow;
use std::fmt;

use crate::store::int::u64_digits;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    pub method: Method,
    /// Path and optional query string, e.g. `/products/1`.
    pub path: String,
    /// Lower-case names; a fixed name (`x-forwarded-for` on every request
    /// of a load) is not allocated.
    pub headers: Vec<(Cow<'static, str>, String)>,
    /// The request body as sent (JSON for the routes that take one).
    pub body: String,
}

impl Request {
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Request {
            method,
            path: path.into(),
            headers: Vec::new(),
            body: String::new(),
        }
    }

    /// `GET`, `PUT`, `POST`, `DELETE` in any case.
    pub fn parse_method(s: &str) -> Option<Method> {
        match s.to_ascii_uppercase().as_str() {
            "GET" => Some(Method::Get),
            "PUT" => Some(Method::Put),
            "POST" => Some(Method::Post),
            "DELETE" => Some(Method::Delete),
            _ => None,
        }
    }

    pub fn get(path: impl Into<String>) -> Self {
        Self::new(Method::Get, path)
    }

    pub fn delete(path: impl Into<String>) -> Self {
        Self::new(Method::Delete, path)
    }
}

impl fmt::Display for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method.as_str(), self.path)
    }
}

/// Whether a product response came from the cache (the body's `meta.cache`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CacheOutcome {
    Hit,
    Miss,
    /// Redis failed and the read went to the database directly.
    Bypass,
    /// Served past its fresh TTL while a background task refreshes it
    /// (stale-while-revalidate).
    Stale,
}

impl CacheOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            CacheOutcome::Hit => "hit",
            CacheOutcome::Miss => "miss",
            CacheOutcome::Bypass => "bypass",
            CacheOutcome::Stale => "stale",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    /// The body as sent: JSON for every route the API defines.
    pub body: String,
    /// Names are the API's own, values mostly fixed words: neither is
    /// allocated per response unless it is a number.
    pub headers: Vec<(&'static str, HeaderValue)>,
    /// The body's `meta.cache`, kept typed so statistics need not parse JSON.
    pub cache: Option<CacheOutcome>,
}

/// A response header's value: a fixed word, a string, or a number kept
/// inline. The limiter's headers are numbers on most responses of a load,
/// and formatting each into its own string cost three allocations per
/// request. Reads as a `str` wherever a header is shown or compared.
#[derive(Clone)]
pub enum HeaderValue {
    Text(Cow<'static, str>),
    /// Decimal digits of a `u64`, in `digits[at..]` (see [`u64_digits`]).
    Number {
        digits: [u8; 20],
        at: u8,
    },
}

impl HeaderValue {
    pub fn as_str(&self) -> &str {
        match self {
            HeaderValue::Text(t) => t,
            HeaderValue::Number { digits, at } => digits
                .get(usize::from(*at)..)
                .and_then(|d| std::str::from_utf8(d).ok())
                .unwrap_or_default(),
        }
    }
}

impl From<u64> for HeaderValue {
    fn from(n: u64) -> Self {
        let (digits, at) = u64_digits(n);
        HeaderValue::Number {
            digits,
            // At most 19: fits.
            at: at as u8,
        }
    }
}

impl From<&'static str> for HeaderValue {
    fn from(s: &'static str) -> Self {
        HeaderValue::Text(Cow::Borrowed(s))
    }
}

impl From<String> for HeaderValue {
    fn from(s: String) -> Self {
        HeaderValue::Text(Cow::Owned(s))
    }
}

impl std::ops::Deref for HeaderValue {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for HeaderValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for HeaderValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq for HeaderValue {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for HeaderValue {}

impl PartialOrd for HeaderValue {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for HeaderValue {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialEq<str> for HeaderValue {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for HeaderValue {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// The headers of a new response: its type, with room for the rate
/// limiter's three or four, which most responses of a load get (growing
/// from one reallocated once per request).
fn content_type(kind: &'static str) -> Vec<(&'static str, HeaderValue)> {
    let mut headers = Vec::with_capacity(5);
    headers.push(("Content-Type", HeaderValue::from(kind)));
    headers
}

impl Response {
    pub fn json(status: u16, body: String) -> Self {
        Response {
            status,
            body,
            headers: content_type("application/json"),
            cache: None,
        }
    }

    pub fn text(status: u16, body: &str) -> Self {
        Response {
            status,
            body: body.to_string(),
            headers: content_type("text/plain; charset=UTF-8"),
            cache: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_header_reads_as_its_decimal_text() {
        let mut rng = crate::rng::Rng::new(3);
        let mut cases = vec![0, 1, 9, 10, 99, 100, 1_000, u64::MAX - 1, u64::MAX];
        cases.extend((0..2_000).map(|i| rng.next_u64() >> (i % 64)));
        for n in cases {
            let v = HeaderValue::from(n);
            assert_eq!(v.as_str(), n.to_string());
            assert_eq!(v.to_string(), n.to_string());
            assert_eq!(format!("{v:?}"), format!("{:?}", n.to_string()));
            assert_eq!(v, HeaderValue::from(n.to_string()));
        }
    }

    #[test]
    fn header_values_compare_and_sort_as_their_text() {
        let ten = HeaderValue::from(10);
        assert!(ten == "10" && ten == *"10" && ten != "1");
        assert_eq!(
            HeaderValue::from("true"),
            HeaderValue::from("true".to_string())
        );
        let mut values = [HeaderValue::from(9), "10".into(), HeaderValue::from(100)];
        values.sort();
        let texts: Vec<&str> = values.iter().map(|v| v.as_str()).collect();
        assert_eq!(texts, ["10", "100", "9"]);
        assert!(ten.starts_with('1'), "reads as a str");
    }
}
