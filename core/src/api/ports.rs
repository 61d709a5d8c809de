//! What the services need from the outside world. The simulation implements
//! these on virtual time; another adapter could implement them for real.

use crate::db::{Product, ProductPatch};
use crate::store::Reply;

/// A bulk reply's bytes as text, invalid UTF-8 replaced as
/// `from_utf8_lossy` does, without a copy when they are valid (the cached
/// product of every cache hit is read this way).
pub fn bulk_text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// A Redis connection: one command in, one reply out.
#[allow(async_fn_in_trait)] // single-threaded by design: no Send bound wanted
pub trait Redis {
    async fn call(&self, args: &[&[u8]]) -> Reply;
}

/// The product database.
#[allow(async_fn_in_trait)]
pub trait ProductDb {
    async fn find_product(&self, id: &str) -> Result<Option<Product>, DbError>;
    /// `UPDATE products SET … WHERE id = …`, returning the new row.
    async fn update_product(
        &self,
        id: &str,
        patch: &ProductPatch,
    ) -> Result<Option<Product>, DbError>;
}

/// The database did not answer (down, or timed out).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DbError(pub String);

/// What a handler knows about the request it serves: the application
/// server's clock (virtual in the simulation), for the limiter algorithms
/// that reason about time, and a number unique to the request.
#[allow(async_fn_in_trait)]
pub trait RequestContext {
    fn now_ms(&self) -> crate::time::Millis;
    fn request_id(&self) -> u64;
    /// A random number (seeded in the simulation), e.g. for job ids.
    fn random_u64(&self) -> u64;
    /// Hands an import to the background worker (it outlives the request).
    fn start_import(
        &self,
        job: super::imports::ImportJob,
        settings: super::imports::ImportSettings,
    );
    /// Waits on the app server's clock, e.g. a single-flight waiter before
    /// it reads again.
    async fn sleep(&self, ms: crate::time::Millis);
    /// Refreshes `product:{id}` in the background (stale-while-revalidate):
    /// the task outlives the request that served the stale value.
    fn spawn_refresh(&self, id: String, settings: super::settings::Settings);
}

/// Waiting, for background work.
#[allow(async_fn_in_trait)]
pub trait Timer {
    async fn sleep(&self, ms: crate::time::Millis);
    fn now_ms(&self) -> crate::time::Millis;
}

#[cfg(test)]
mod tests {
    use super::bulk_text;

    #[test]
    fn bulk_text_replaces_invalid_utf8_as_lossy_does() {
        for bytes in [
            &b""[..],
            b"{\"id\":\"1\"}",
            "😀 é".as_bytes(),
            b"\xff\xfe ok",
            b"cut \xe2\x82",
        ] {
            assert_eq!(bulk_text(bytes.to_vec()), String::from_utf8_lossy(bytes));
        }
    }
}
