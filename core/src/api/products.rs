//! The product service: cache-aside in the article's order.
//!
//! `GET product:{id}` → hit: `INCR` the views, answer from the cache →
//! miss: query the database → absent: not found (no view counted, nothing
//! cached) → present: `SET … EX ttl`, `INCR` the views, answer. The
//! stampede defences in [`super::cache_defences`] hook into this flow.

use super::cache_defences::{self, Cached};
use super::http::CacheOutcome;
use super::ports::{DbError, ProductDb, Redis, RequestContext};
use super::product_cache::{self, CacheError, Expiry};
use super::settings::Settings;
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
    /// A 404 remembered by negative caching: the database was not asked.
    CachedNotFound,
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

/// Cache-aside, with whichever defences the settings switch on (none by
/// default: then the commands are exactly the article's). With
/// `cache_errors_fall_back`, a Redis error on reading the value sends the
/// read straight to the database (`meta.cache` = `bypass`, no view counted)
/// instead of failing.
pub async fn get_product<R: Redis, D: ProductDb, C: RequestContext>(
    redis: &R,
    db: &D,
    ctx: &C,
    settings: &Settings,
    id: &str,
) -> Result<ProductLookup, ServiceError> {
    let defences = settings.defences;
    let mut waits = 0;
    let mut token = None;
    loop {
        let cached = match product_cache::get_product(redis, id).await {
            Ok(c) => c,
            Err(_) if settings.cache_errors_fall_back => return bypass(db, id).await,
            Err(e) => return Err(e.into()),
        };
        match cached.and_then(cache_defences::decode) {
            Some(Cached::NotFound) => return Ok(ProductLookup::CachedNotFound),
            Some(Cached::Plain(json)) => return found(redis, id, json, CacheOutcome::Hit).await,
            Some(Cached::Envelope {
                data,
                delta_ms,
                expires_at,
            }) => {
                let now = ctx.now_ms();
                if now < expires_at {
                    // XFetch: the draw is only made when it is on, so the
                    // seeded sequence is untouched otherwise.
                    let early = defences.xfetch_beta_thousandths > 0
                        && cache_defences::refresh_early(
                            now,
                            delta_ms,
                            expires_at,
                            defences.xfetch_beta_thousandths,
                            ctx.random_u64(),
                        );
                    if !early {
                        return found(redis, id, data, CacheOutcome::Hit).await;
                    }
                    // This reader rebuilds ahead of expiry, without the lock:
                    // the others keep hitting the still-valid value meanwhile.
                    return answer(redis, id, rebuild(redis, db, ctx, settings, id).await?).await;
                }
                if defences.stale_while_revalidate_seconds > 0 {
                    ctx.spawn_refresh(id.to_string(), *settings);
                    return found(redis, id, data, CacheOutcome::Stale).await;
                }
                // Past its fresh time and no stale window: a miss.
            }
            None => {}
        }
        if defences.single_flight && waits < defences.lock_max_retries {
            let token = token.get_or_insert_with(|| cache_defences::lock_token(ctx));
            let ttl = defences.lock_ttl_ms;
            if product_cache::try_lock(redis, id, token, ttl).await? {
                let built = rebuild(redis, db, ctx, settings, id).await;
                // Released even after a failed rebuild, so the waiters need
                // not sit out the lock's TTL. `false` (the lock expired and
                // may be someone else's now) needs nothing more: the value
                // is written either way, and the other lock was left alone.
                product_cache::release_lock(redis, id, token).await?;
                return answer(redis, id, built?).await;
            }
            let pause = cache_defences::retry_delay_ms(defences.lock_retry_ms, ctx.random_u64());
            ctx.sleep(pause).await;
            waits += 1;
            continue;
        }
        return answer(redis, id, rebuild(redis, db, ctx, settings, id).await?).await;
    }
}

/// The database straight, Redis being unreachable.
async fn bypass<D: ProductDb>(db: &D, id: &str) -> Result<ProductLookup, ServiceError> {
    Ok(match db.find_product(id).await? {
        Some(p) => ProductLookup::Found {
            json: p.to_json(),
            cache: CacheOutcome::Bypass,
            views: None,
        },
        None => ProductLookup::NotFound,
    })
}

/// Counts the view and answers with `json`.
async fn found<R: Redis>(
    redis: &R,
    id: &str,
    json: String,
    cache: CacheOutcome,
) -> Result<ProductLookup, ServiceError> {
    let views = product_cache::increment_views(redis, id).await?;
    Ok(ProductLookup::Found {
        json,
        cache,
        views: Some(views),
    })
}

/// A rebuilt value as a miss, or the 404 (no view counted).
async fn answer<R: Redis>(
    redis: &R,
    id: &str,
    built: Option<String>,
) -> Result<ProductLookup, ServiceError> {
    match built {
        Some(json) => found(redis, id, json, CacheOutcome::Miss).await,
        None => Ok(ProductLookup::NotFound),
    }
}

/// Reads the product from the database and caches what it found: the
/// product (plain or in the envelope, with δ = this read's virtual time),
/// or, with negative caching on, the not-found marker. `None`: no such product.
pub(super) async fn rebuild<R: Redis, D: ProductDb, C: RequestContext>(
    redis: &R,
    db: &D,
    ctx: &C,
    settings: &Settings,
    id: &str,
) -> Result<Option<String>, ServiceError> {
    let defences = settings.defences;
    let started = ctx.now_ms();
    let Some(product) = db.find_product(id).await? else {
        if defences.negative_ttl_seconds > 0 {
            let ttl = Expiry::Seconds(defences.negative_ttl_seconds);
            product_cache::save_value(redis, id, cache_defences::NOT_FOUND_MARKER, ttl).await?;
        }
        return Ok(None);
    };
    let now = ctx.now_ms();
    let json = product.to_json();
    let ttl = settings.product_cache_ttl_seconds;
    let jitter = defences.ttl_jitter_percent;
    let stale_ms = defences
        .stale_while_revalidate_seconds
        .saturating_mul(1_000);
    if jitter == 0 && !defences.uses_envelope() {
        product_cache::save_product(redis, id, &json, ttl).await?;
        return Ok(Some(json));
    }
    let fresh_ms = if jitter > 0 {
        cache_defences::fresh_ttl_ms(ttl, jitter, ctx.random_u64())
    } else {
        cache_defences::fresh_ttl_ms(ttl, 0, 0)
    };
    let expiry = if jitter == 0 && stale_ms == 0 {
        Expiry::Seconds(ttl)
    } else {
        Expiry::Millis(fresh_ms.saturating_add(stale_ms))
    };
    let value = if defences.uses_envelope() {
        let delta = now.saturating_sub(started);
        cache_defences::encode_envelope(&json, delta, now.saturating_add(fresh_ms))
    } else {
        json.clone()
    };
    product_cache::save_value(redis, id, &value, expiry).await?;
    Ok(Some(json))
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
