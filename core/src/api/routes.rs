//! Route handlers: parse the path, call a service, shape the JSON body.

use super::fencing;
use super::http::{CacheOutcome, Method, Request, Response};
use super::imports;
use super::ports::{ProductDb, Redis, RequestContext};
use super::product_cache;
use super::products::{self, ProductLookup, ServiceError};
use super::rate_limit::{self, Decision};
use super::settings::LimiterFailure;
use super::settings::Settings;
use super::signing_keys::{self, KeyError, KeyLookup, SigningKeyService};
use crate::json;

/// Which route a request matched, with its path parameters (borrowed from
/// the request's path: matching copies nothing).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route<'a> {
    Health,
    Product(&'a str),
    ProductCache(&'a str),
    ProductViews(&'a str),
    UpdateProduct(&'a str),
    CreateImport,
    Import(&'a str),
    // The fencing-token demo (fencing.rs).
    JobLock(&'a str),
    ReleaseJobLock(&'a str),
    JobResult(&'a str),
    WriteJobResult(&'a str),
    // The MailPace case (signing_keys.rs): another service's answer, cached.
    SigningKey(&'a str),
    SigningKeyCache(&'a str),
    RotateSigningKey(&'a str),
}

/// Matches a method and path (any query string ignored) to a route.
pub fn route(method: Method, path: &str) -> Option<Route<'_>> {
    let end = path
        .bytes()
        .position(|b| b == b'?' || b == b'#')
        .unwrap_or(path.len());
    let path = path.get(..end).unwrap_or_default().trim_start_matches('/');
    // No route has more than four segments: a fixed array, not a vector
    // allocated for every request. Split by bytes ('/' is ASCII, so every
    // cut is on a char boundary): `split('/')` cost a percent of the load
    // benchmark.
    let mut parts = [""; 4];
    let mut n = 0;
    let mut start = 0;
    for (i, b) in path.bytes().chain([b'/']).enumerate() {
        if b == b'/' {
            *parts.get_mut(n)? = path.get(start..i).unwrap_or_default();
            n += 1;
            start = i + 1;
        }
    }
    let segments = parts.get(..n).unwrap_or_default();
    match (method, segments) {
        (Method::Get, ["health"]) => Some(Route::Health),
        (Method::Get, ["products", id]) if !id.is_empty() => Some(Route::Product(id)),
        (Method::Delete, ["products", id, "cache"]) if !id.is_empty() => {
            Some(Route::ProductCache(id))
        }
        (Method::Get, ["products", id, "views"]) if !id.is_empty() => Some(Route::ProductViews(id)),
        (Method::Put, ["products", id]) if !id.is_empty() => Some(Route::UpdateProduct(id)),
        (Method::Post, ["imports"]) => Some(Route::CreateImport),
        (Method::Get, ["imports", id]) if !id.is_empty() => Some(Route::Import(id)),
        // The fencing-token demo.
        (Method::Post, ["jobs", id, "lock"]) if !id.is_empty() => Some(Route::JobLock(id)),
        (Method::Delete, ["jobs", id, "lock"]) if !id.is_empty() => Some(Route::ReleaseJobLock(id)),
        (Method::Get, ["jobs", id, "result"]) if !id.is_empty() => Some(Route::JobResult(id)),
        (Method::Put, ["jobs", id, "result"]) if !id.is_empty() => Some(Route::WriteJobResult(id)),
        // The MailPace case.
        (Method::Get, ["domains", d, "signing-key"]) if !d.is_empty() => Some(Route::SigningKey(d)),
        (Method::Delete, ["domains", d, "signing-key", "cache"]) if !d.is_empty() => {
            Some(Route::SigningKeyCache(d))
        }
        (Method::Put, ["domains", d, "signing-key"]) if !d.is_empty() => {
            Some(Route::RotateSigningKey(d))
        }
        _ => None,
    }
}

/// Handles one request. Unknown routes get the framework's plain 404, and a
/// store reply the code did not expect becomes a 500, as an uncaught throw would.
pub async fn handle<R: Redis, D: ProductDb, C: RequestContext, U: SigningKeyService>(
    redis: &R,
    db: &D,
    upstream: &U,
    ctx: &C,
    settings: &Settings,
    req: &Request,
) -> Response {
    let Some(route) = route(req.method, &req.path) else {
        return Response::text(404, "404 Not Found");
    };
    // The article's middleware: `GET /products/:id` is limited as `get_product`.
    let mut decision = None;
    if settings.rate_limit_enabled && matches!(route, Route::Product(_)) {
        let id = rate_limit::identifier(&req.headers, settings.rate_limit_by);
        match rate_limit::check(
            redis,
            settings.rate_limit,
            settings.rate_limit_atomic,
            "get_product",
            id,
            ctx.now_ms(),
            ctx.request_id(),
            settings.faults.crash_after_incr,
        )
        .await
        {
            Ok(d) if d.allowed => decision = Some(d),
            Ok(d) => return too_many_requests(settings, &d),
            // The process died: the client sees what a reverse proxy says.
            Err(rate_limit::LimiterError::Crashed) => {
                return Response::text(502, "502 Bad Gateway")
            }
            Err(_) => match settings.rate_limit_on_error {
                LimiterFailure::Error => return Response::text(500, "Internal Server Error"),
                LimiterFailure::Open => {}
                LimiterFailure::Closed => {
                    return Response::json(
                        503,
                        json::Object::new()
                            .str("error", "Rate limiter unavailable")
                            .finish(),
                    )
                }
            },
        }
    }
    if route == Route::CreateImport {
        return create_import(redis, ctx, settings, req).await;
    }
    let mut response = route_response(redis, db, upstream, ctx, settings, route, req).await;
    if let Some(d) = decision {
        add_limit_headers(&mut response, &d);
    }
    response
}

/// `POST /imports`: 202 with the job id; the worker starts after the reply.
async fn create_import<R: Redis, C: RequestContext>(
    redis: &R,
    ctx: &C,
    settings: &Settings,
    req: &Request,
) -> Response {
    let (rows, fail_at) = match imports::parse_body(&req.body) {
        Ok(v) => v,
        Err(message) => return error_json(400, &message),
    };
    let key = req
        .headers
        .iter()
        .find(|(n, _)| n == "idempotency-key")
        .map(|(_, v)| v.trim());
    if key.is_some_and(|k| k.is_empty() || k.len() > 255) {
        return error_json(400, "Idempotency-Key must be 1 to 255 characters");
    }
    match imports::create(redis, ctx, settings.imports, rows, fail_at, key).await {
        Ok(imports::Created::New { body, job }) => {
            ctx.start_import(job, settings.imports);
            Response::json(202, body)
        }
        Ok(imports::Created::Replay { status, body }) => {
            let mut r = Response::json(status, body);
            r.headers.push(("Idempotent-Replayed", "true".into()));
            r
        }
        Ok(imports::Created::InProgress { job_id }) => {
            let mut o = json::Object::new().str(
                "error",
                "A request with this Idempotency-Key is still in progress",
            );
            if let Some(id) = job_id {
                o = o.str("jobId", &id);
            }
            Response::json(409, o.finish())
        }
        Err(_) => Response::text(500, "Internal Server Error"),
    }
}

fn error_json(status: u16, message: &str) -> Response {
    Response::json(status, json::Object::new().str("error", message).finish())
}

/// The article's 429 body, with the headers it could derive from the key.
fn too_many_requests(settings: &Settings, d: &Decision) -> Response {
    let mut r = Response::json(
        429,
        json::Object::new()
            .str("error", "Too many requests")
            .int("limit", settings.rate_limit.max_requests as i64)
            .int("windowSeconds", settings.rate_limit.window_seconds as i64)
            .finish(),
    );
    add_limit_headers(&mut r, d);
    if let Some(ms) = d.retry_after_ms {
        r.headers
            .push(("Retry-After", ms.div_ceil(1_000).max(1).into()));
    }
    r
}

fn add_limit_headers(r: &mut Response, d: &Decision) {
    r.headers.push(("X-RateLimit-Limit", d.limit.into()));
    r.headers
        .push(("X-RateLimit-Remaining", d.remaining.into()));
    if let Some(ms) = d.reset_ms {
        // Seconds until the window is whole again, rounded up.
        r.headers
            .push(("X-RateLimit-Reset", ms.div_ceil(1_000).into()));
    }
}

async fn route_response<R: Redis, D: ProductDb, C: RequestContext, U: SigningKeyService>(
    redis: &R,
    db: &D,
    upstream: &U,
    ctx: &C,
    settings: &Settings,
    route: Route<'_>,
    req: &Request,
) -> Response {
    let result = match route {
        Route::Health => Ok(Response::json(
            200,
            json::Object::new().str("status", "ok").finish(),
        )),
        Route::Product(id) => Ok(get_product(redis, db, ctx, settings, id).await),
        Route::ProductCache(id) => product_cache::delete_product(redis, id).await.map(|_| {
            let body = json::Object::new()
                .str("message", "Product cache deleted")
                .str("productId", id)
                .finish();
            Response::json(200, body)
        }),
        Route::UpdateProduct(id) => match products::parse_patch(&req.body) {
            Err(message) => Ok(error_json(400, &message)),
            Ok(patch) => Ok(
                match products::update_product(redis, db, id, &patch).await {
                    Ok(Some(p)) => {
                        Response::json(200, json::Object::new().raw("data", &p.to_json()).finish())
                    }
                    Ok(None) => error_json(404, "Product not found"),
                    Err(ServiceError::Db(_)) => error_json(503, "Database unavailable"),
                    Err(ServiceError::Cache(_)) => Response::text(500, "Internal Server Error"),
                },
            ),
        },
        Route::CreateImport => Ok(error_json(500, "unreachable")),
        Route::Import(id) => imports::get_status(redis, id)
            .await
            .map(|status| match status {
                Some(s) if crate::json::parse(&s).is_ok() => {
                    Response::json(200, json::Object::new().raw("data", &s).finish())
                }
                // A key someone overwrote with junk: say so rather than send bad JSON.
                Some(_) => error_json(500, "Import status is corrupt"),
                None => error_json(404, "Import job not found"),
            }),
        r @ (Route::JobLock(_)
        | Route::ReleaseJobLock(_)
        | Route::JobResult(_)
        | Route::WriteJobResult(_)) => Ok(job_response(redis, r, req).await),
        r @ (Route::SigningKey(_) | Route::SigningKeyCache(_) | Route::RotateSigningKey(_)) => {
            Ok(signing_key_response(redis, upstream, settings, r).await)
        }
        Route::ProductViews(id) => product_cache::get_views(redis, id).await.map(|views| {
            Response::json(
                200,
                json::Object::new()
                    .str("productId", id)
                    .int("views", views)
                    .finish(),
            )
        }),
    };
    result.unwrap_or_else(|_| Response::text(500, "Internal Server Error"))
}

/// The fencing-token demo's routes (see `fencing.rs`).
async fn job_response<R: Redis>(redis: &R, route: Route<'_>, req: &Request) -> Response {
    // An error reply here is Redis down or a tampered key: a 500, as an
    // uncaught throw would be.
    let unexpected = |_: fencing::FencingError| Response::text(500, "Internal Server Error");
    match route {
        Route::JobLock(job) => {
            let (client, ttl) = match fencing::parse_lock_body(&req.body) {
                Ok(v) => v,
                Err(message) => return error_json(400, &message),
            };
            match fencing::acquire(redis, job, &client, ttl).await {
                Ok(fencing::Acquired::Token(token)) => Response::json(
                    200,
                    json::Object::new()
                        .str("job", job)
                        .str("client", &client)
                        .int("token", token)
                        .int("ttlMs", ttl as i64)
                        .finish(),
                ),
                Ok(fencing::Acquired::Held) => Response::json(
                    409,
                    json::Object::new()
                        .str("error", "Lock is held by another client")
                        .str("job", job)
                        .finish(),
                ),
                Err(e) => unexpected(e),
            }
        }
        Route::ReleaseJobLock(job) => {
            let client = match fencing::parse_release_body(&req.body) {
                Ok(v) => v,
                Err(message) => return error_json(400, &message),
            };
            match fencing::release(redis, job, &client).await {
                Ok(true) => Response::json(
                    200,
                    json::Object::new()
                        .str("message", "Lock released")
                        .str("job", job)
                        .finish(),
                ),
                // Its TTL ran out (and maybe someone else holds it now).
                Ok(false) => Response::json(
                    409,
                    json::Object::new()
                        .str("error", "Lock not held by this client")
                        .str("job", job)
                        .finish(),
                ),
                Err(e) => unexpected(e),
            }
        }
        Route::WriteJobResult(job) => {
            let (token, value) = match fencing::parse_write_body(&req.body) {
                Ok(v) => v,
                Err(message) => return error_json(400, &message),
            };
            match fencing::write(redis, job, token, &value).await {
                Ok(true) => Response::json(
                    200,
                    json::Object::new()
                        .str("message", "Result stored")
                        .str("job", job)
                        .int("token", token)
                        .finish(),
                ),
                Ok(false) => Response::json(
                    409,
                    json::Object::new()
                        .str("error", "Stale fencing token")
                        .str("job", job)
                        .int("token", token)
                        .finish(),
                ),
                Err(e) => unexpected(e),
            }
        }
        Route::JobResult(job) => match fencing::read(redis, job).await {
            Ok(Some(r)) => Response::json(
                200,
                json::Object::new()
                    .raw(
                        "data",
                        &json::Object::new()
                            .str("job", job)
                            .str("value", &r.value)
                            .int("token", r.token)
                            .finish(),
                    )
                    .finish(),
            ),
            Ok(None) => error_json(404, "No result for this job yet"),
            Err(e) => unexpected(e),
        },
        _ => error_json(500, "unreachable"),
    }
}

async fn signing_key_response<R: Redis, U: SigningKeyService>(
    redis: &R,
    upstream: &U,
    settings: &Settings,
    route: Route<'_>,
) -> Response {
    let raw = match &route {
        Route::SigningKey(d) | Route::SigningKeyCache(d) | Route::RotateSigningKey(d) => d,
        _ => return error_json(500, "unreachable"),
    };
    let Some(domain) = signing_keys::parse_domain(raw) else {
        return error_json(400, "Invalid domain");
    };
    let key_body = |key: &str| {
        json::Object::new()
            .str("domain", &domain)
            .str("signingKey", key)
            .finish()
    };
    let failed = |e: KeyError| match e {
        KeyError::Upstream(_) => error_json(502, "Signing-key service unavailable"),
        KeyError::Cache(_) => Response::text(500, "Internal Server Error"),
    };
    match route {
        Route::SigningKey(_) => {
            let ttl = settings.signing_keys.cache_ttl_seconds;
            match signing_keys::get_signing_key(redis, upstream, &domain, ttl).await {
                Ok(lookup) => {
                    let (key, cache) = match &lookup {
                        KeyLookup::Hit(k) => (k, CacheOutcome::Hit),
                        KeyLookup::Miss(k) => (k, CacheOutcome::Miss),
                    };
                    let mut r = Response::json(
                        200,
                        json::Object::new()
                            .raw("data", &key_body(key))
                            .raw(
                                "meta",
                                &json::Object::new().str("cache", cache.as_str()).finish(),
                            )
                            .finish(),
                    );
                    r.cache = Some(cache);
                    r
                }
                Err(e) => failed(e),
            }
        }
        Route::SigningKeyCache(_) => match signing_keys::invalidate(redis, &domain).await {
            Ok(_) => Response::json(
                200,
                json::Object::new()
                    .str("message", "Signing key cache deleted")
                    .str("domain", &domain)
                    .finish(),
            ),
            Err(e) => failed(e),
        },
        _ => match upstream.rotate_key(&domain).await {
            Ok(key) => Response::json(
                200,
                json::Object::new().raw("data", &key_body(&key)).finish(),
            ),
            Err(e) => failed(KeyError::Upstream(e)),
        },
    }
}

async fn get_product<R: Redis, D: ProductDb, C: RequestContext>(
    redis: &R,
    db: &D,
    ctx: &C,
    settings: &Settings,
    id: &str,
) -> Response {
    match products::get_product(redis, db, ctx, settings, id).await {
        Err(ServiceError::Db(_)) => error_json(503, "Database unavailable"),
        Err(ServiceError::Cache(_)) => Response::text(500, "Internal Server Error"),
        Ok(ProductLookup::NotFound) => error_json(404, "Product not found"),
        // The article's 404 body; typed as a hit, since the cache answered.
        Ok(ProductLookup::CachedNotFound) => {
            let mut resp = error_json(404, "Product not found");
            resp.cache = Some(CacheOutcome::Hit);
            resp
        }
        Ok(ProductLookup::Found {
            json: data,
            cache,
            views,
        }) => {
            let mut resp = Response::json(
                200,
                // The product's JSON, and 64 bytes for the rest.
                json::Object::with_capacity(data.len() + 64)
                    .raw("data", &data)
                    .object("meta", |meta| {
                        let meta = meta.str("cache", cache.as_str());
                        match views {
                            Some(v) => meta.int("views", v),
                            None => meta.raw("views", "null"),
                        }
                    })
                    .finish(),
            );
            resp.cache = Some(cache);
            resp
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_match_the_article() {
        assert_eq!(route(Method::Get, "/health"), Some(Route::Health));
        assert_eq!(
            route(Method::Get, "/products/7?x=1"),
            Some(Route::Product("7"))
        );
        assert_eq!(
            route(Method::Delete, "/products/7/cache"),
            Some(Route::ProductCache("7"))
        );
        assert_eq!(
            route(Method::Get, "/products/7/views"),
            Some(Route::ProductViews("7"))
        );
        assert_eq!(route(Method::Delete, "/products/7"), None);
        assert_eq!(route(Method::Get, "/products/"), None);
        assert_eq!(route(Method::Get, "/nope"), None);
        // Deeper than any route: no match, and no panic however deep.
        assert_eq!(route(Method::Get, "/products/7/views/x"), None);
        assert_eq!(
            route(Method::Delete, "/domains/a.io/signing-key/cache/x/y/z"),
            None
        );
        assert_eq!(
            route(Method::Delete, "/domains/a.io/signing-key/cache"),
            Some(Route::SigningKeyCache("a.io"))
        );
        assert_eq!(
            route(Method::Post, "/jobs/42/lock"),
            Some(Route::JobLock("42"))
        );
        assert_eq!(
            route(Method::Put, "/jobs/42/result"),
            Some(Route::WriteJobResult("42"))
        );
        assert_eq!(
            route(Method::Delete, "/domains/example.com/signing-key/cache"),
            Some(Route::SigningKeyCache("example.com"))
        );
        assert_eq!(
            route(Method::Put, "/domains/example.com/signing-key"),
            Some(Route::RotateSigningKey("example.com"))
        );
    }
}
