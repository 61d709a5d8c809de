//! The product service: cache-aside in the article's order.
//!
//! `GET product:{id}` → hit: `INCR` the views, answer from the cache →
//! miss: query the database → absent: not found (no view counted, nothing
//! cached) → present: `SET … EX ttl`, `INCR` the views, answer.

use super::http::CacheOutcome;
use super::ports::{ProductDb, Redis};
use super::product_cache::{self, CacheError};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProductLookup {
    Found {
        json: String,
        cache: CacheOutcome,
        views: i64,
    },
    NotFound,
}

pub async fn get_product<R: Redis, D: ProductDb>(
    redis: &R,
    db: &D,
    id: &str,
    ttl_seconds: u64,
) -> Result<ProductLookup, CacheError> {
    if let Some(json) = product_cache::get_product(redis, id).await? {
        let views = product_cache::increment_views(redis, id).await?;
        return Ok(ProductLookup::Found {
            json,
            cache: CacheOutcome::Hit,
            views,
        });
    }
    let Some(product) = db.find_product(id).await else {
        return Ok(ProductLookup::NotFound);
    };
    let json = product.to_json();
    product_cache::save_product(redis, id, &json, ttl_seconds).await?;
    let views = product_cache::increment_views(redis, id).await?;
    Ok(ProductLookup::Found {
        json,
        cache: CacheOutcome::Miss,
        views,
    })
}
