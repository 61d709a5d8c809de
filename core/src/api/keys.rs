//! Every Redis key the API uses is built here, so the naming scheme lives in
//! one place (the article's advice) and the UI can show and parse the same names.

pub fn product(id: &str) -> String {
    concat(&["product:", id])
}

pub fn product_views(id: &str) -> String {
    concat(&["product:", id, ":views"])
}

/// `lock:product:{id}`: held by the one request rebuilding `product:{id}`
/// (single-flight, and stale-while-revalidate's background refresh).
pub fn product_lock(id: &str) -> String {
    concat(&["lock:product:", id])
}

/// `import:{jobId}`: an import's status, with a TTL.
pub fn import_status(job_id: &str) -> String {
    concat(&["import:", job_id])
}

/// `idem:{key}`: the first response to a request with this Idempotency-Key.
pub fn idempotency(key: &str) -> String {
    concat(&["idem:", key])
}

/// `rate_limit:{route}:{identifier}` (the article's order: route first).
pub fn rate_limit(identifier: &str, route: &str) -> String {
    concat(&["rate_limit:", route, ":", identifier])
}

/// `lock:job:{id}`: who may run a job now (`SET … NX PX`, through
/// `pg_acquire_fenced`), holding the owner's name.
pub fn job_lock(id: &str) -> String {
    concat(&["lock:job:", id])
}

/// `fence:job:{id}`: the job's fencing counter; every lock taken gets the
/// next number, so a later holder always has a higher token.
pub fn job_fence(id: &str) -> String {
    concat(&["fence:job:", id])
}

/// `job:{id}:result`: the record the lock protects, a hash
/// `{value, token}` written only through `pg_fenced_write`.
pub fn job_result(id: &str) -> String {
    concat(&["job:", id, ":result"])
}

/// `signing_key:{domain}`: a domain's signing key fetched from the
/// signing-key service, cached with a TTL (the MailPace case).
pub fn signing_key(domain: &str) -> String {
    concat(&["signing_key:", domain])
}

/// The parts joined into one string of exactly their length: `format!`
/// guessed the size and then grew, two allocations per key on the path of
/// every simulated request.
fn concat(parts: &[&str]) -> String {
    let mut key = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        key.push_str(p);
    }
    key
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
        assert_eq!(super::import_status("j1"), "import:j1");
        assert_eq!(super::idempotency("k"), "idem:k");
        assert_eq!(super::job_lock("9"), "lock:job:9");
        assert_eq!(super::job_fence("9"), "fence:job:9");
        assert_eq!(super::job_result("9"), "job:9:result");
        assert_eq!(super::signing_key("a.io"), "signing_key:a.io");
        // Exactly sized: one allocation, never grown.
        let key = super::rate_limit("10.0.0.200", "get_product");
        assert_eq!(key.capacity(), key.len());
    }
}
