//! The product service: cache-aside in the article's order.
//!
//! `GET product:{id}` → hit: `INCR` the views, answer from the cache →
//! miss: query the database → absent: not found (no view counted, nothing
//! cached) → present: `SET … EX ttl`, `INCR` the views, answer.

use super::http::CacheOutcome;
use super::ports::{DbError, ProductDb, Redis};
use super::product_cache::{self, CacheError};
use crate::db::{Product, ProductPatch};
use crate::json;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProductLookup {
    Found {
        json: String,
        cache: CacheOutcome,
        /// `None` when the counter could not be reached (cache bypassed).
        views: Option<i64>,
    },
    NotFound,
}

/// Why a product request could not be answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ServiceError {
    Cache(CacheError),
    Db(DbError),
}

impl From<CacheError> for ServiceError {
    fn from(e: CacheError) -> Self {
        ServiceError::Cache(e)
    }
}

impl From<DbError> for ServiceError {
    fn from(e: DbError) -> Self {
        ServiceError::Db(e)
    }
}

/// Cache-aside. With `fall_back`, a Redis error sends the read straight to
/// the database (`meta.cache` = `bypass`, no view counted) instead of failing.
pub async fn get_product<R: Redis, D: ProductDb>(
    redis: &R,
    db: &D,
    id: &str,
    ttl_seconds: u64,
    fall_back: bool,
) -> Result<ProductLookup, ServiceError> {
    let cached = match product_cache::get_product(redis, id).await {
        Ok(c) => c,
        Err(_) if fall_back => {
            return Ok(match db.find_product(id).await? {
                Some(p) => ProductLookup::Found {
                    json: p.to_json(),
                    cache: CacheOutcome::Bypass,
                    views: None,
                },
                None => ProductLookup::NotFound,
            })
        }
        Err(e) => return Err(e.into()),
    };
    if let Some(json) = cached {
        let views = product_cache::increment_views(redis, id).await?;
        return Ok(ProductLookup::Found {
            json,
            cache: CacheOutcome::Hit,
            views: Some(views),
        });
    }
    let Some(product) = db.find_product(id).await? else {
        return Ok(ProductLookup::NotFound);
    };
    let json = product.to_json();
    product_cache::save_product(redis, id, &json, ttl_seconds).await?;
    let views = product_cache::increment_views(redis, id).await?;
    Ok(ProductLookup::Found {
        json,
        cache: CacheOutcome::Miss,
        views: Some(views),
    })
}

/// `PUT /products/:id`, the article's invalidation flow: update the
/// database, then `DEL product:{id}` so the next read fetches the new row.
/// `None` when there is no such product (nothing is deleted then).
pub async fn update_product<R: Redis, D: ProductDb>(
    redis: &R,
    db: &D,
    id: &str,
    patch: &ProductPatch,
) -> Result<Option<Product>, ServiceError> {
    let Some(updated) = db.update_product(id, patch).await? else {
        return Ok(None);
    };
    product_cache::delete_product(redis, id).await?;
    Ok(Some(updated))
}

/// Reads `{"name"?: string, "price"?: number, "stock"?: integer}`; the
/// error says what is wrong, for a 400.
pub fn parse_patch(body: &str) -> Result<ProductPatch, String> {
    let v = json::parse(body).map_err(|e| format!("Invalid JSON body: {e}"))?;
    if !matches!(v, json::Value::Object(_)) {
        return Err("The body must be a JSON object".into());
    }
    let mut patch = ProductPatch::default();
    if let Some(name) = v.get("name") {
        let name = name
            .as_str()
            .map(str::trim)
            .ok_or("name must be a string")?;
        if name.is_empty() || name.chars().count() > 200 {
            return Err("name must be 1 to 200 characters".into());
        }
        patch.name = Some(name.to_string());
    }
    if let Some(price) = v.get("price") {
        let p = price
            .as_f64()
            .filter(|p| (0.0..=1_000_000.0).contains(p))
            .ok_or("price must be a number from 0 to 1000000")?;
        patch.price_cents = Some((p * 100.0).round() as u64);
    }
    if let Some(stock) = v.get("stock") {
        let s = stock
            .as_i64()
            .filter(|s| (0..=1_000_000_000).contains(s))
            .ok_or("stock must be a whole number from 0 to 1000000000")?;
        patch.stock = Some(s as u32);
    }
    if patch == ProductPatch::default() {
        return Err("Nothing to update: send name, price or stock".into());
    }
    Ok(patch)
}
