//! Every Redis key the API uses is built here, so the naming scheme lives in
//! one place (the article's advice) and the UI can show and parse the same names.

pub fn product(id: &str) -> String {
    format!("product:{id}")
}

pub fn product_views(id: &str) -> String {
    format!("product:{id}:views")
}

/// `lock:product:{id}`: held by the one request rebuilding `product:{id}`
/// (single-flight, and stale-while-revalidate's background refresh).
pub fn product_lock(id: &str) -> String {
    format!("lock:product:{id}")
}

/// `import:{jobId}`: an import's status, with a TTL.
pub fn import_status(job_id: &str) -> String {
    format!("import:{job_id}")
}

/// `idem:{key}`: the first response to a request with this Idempotency-Key.
pub fn idempotency(key: &str) -> String {
    format!("idem:{key}")
}

/// `rate_limit:{route}:{identifier}` (the article's order: route first).
pub fn rate_limit(identifier: &str, route: &str) -> String {
    format!("rate_limit:{route}:{identifier}")
}

/// `lock:job:{id}`: who may run a job now (`SET … NX PX`, through
/// `pg_acquire_fenced`), holding the owner's name.
pub fn job_lock(id: &str) -> String {
    format!("lock:job:{id}")
}

/// `fence:job:{id}`: the job's fencing counter; every lock taken gets the
/// next number, so a later holder always has a higher token.
pub fn job_fence(id: &str) -> String {
    format!("fence:job:{id}")
}

/// `job:{id}:result`: the record the lock protects, a hash
/// `{value, token}` written only through `pg_fenced_write`.
pub fn job_result(id: &str) -> String {
    format!("job:{id}:result")
}

/// `signing_key:{domain}`: a domain's signing key fetched from the
/// signing-key service, cached with a TTL (the MailPace case).
pub fn signing_key(domain: &str) -> String {
    format!("signing_key:{domain}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn key_names_match_the_article() {
        assert_eq!(super::product("7"), "product:7");
        assert_eq!(super::product_views("7"), "product:7:views");
        assert_eq!(super::product_lock("7"), "lock:product:7");
        assert_eq!(
            super::rate_limit("127.0.0.1", "get_product"),
            "rate_limit:get_product:127.0.0.1"
        );
    }
}
