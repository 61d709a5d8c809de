//! Requests and responses of the simulated HTTP API.

use std::borrow::Cow;
use std::fmt;

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
    pub headers: Vec<(String, String)>,
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
    pub headers: Vec<(&'static str, Cow<'static, str>)>,
    /// The body's `meta.cache`, kept typed so statistics need not parse JSON.
    pub cache: Option<CacheOutcome>,
}

/// The headers of a new response: its type, with room for the rate
/// limiter's three or four, which most responses of a load get (growing
/// from one reallocated once per request).
fn content_type(kind: &'static str) -> Vec<(&'static str, Cow<'static, str>)> {
    let mut headers = Vec::with_capacity(5);
    headers.push(("Content-Type", Cow::Borrowed(kind)));
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
