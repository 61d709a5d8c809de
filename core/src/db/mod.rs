//! A deliberately slow fake database of products. It only holds data and
//! counts queries; the time a query takes is charged by the simulation
//! engine (see `sim`), which asks [`FakeDb::query_latency`] for it.

mod catalog;

pub use catalog::{catalog, Product};

use crate::rng::Rng;

/// Latency settings, named like the article's environment variables.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DbLatency {
    /// `DB_LATENCY_MS`: the base time of one query.
    pub base_ms: u64,
    /// Up to this many extra milliseconds, uniformly drawn per query (0 = none).
    pub jitter_ms: u64,
}

impl Default for DbLatency {
    fn default() -> Self {
        DbLatency {
            base_ms: 400,
            jitter_ms: 0,
        }
    }
}

/// The fields `PUT /products/:id` may change.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProductPatch {
    pub name: Option<String>,
    pub price_cents: Option<u64>,
    pub stock: Option<u32>,
}

#[derive(Clone, Debug)]
pub struct FakeDb {
    products: Vec<Product>,
    queries: u64,
}

impl Default for FakeDb {
    fn default() -> Self {
        FakeDb {
            products: catalog(),
            queries: 0,
        }
    }
}

impl FakeDb {
    pub fn new() -> Self {
        Self::default()
    }

    /// Looks a product up by its id as it appears in the URL. Counts a query
    /// whether or not the product exists: the database did the work.
    pub fn find_product(&mut self, id: &str) -> Option<Product> {
        self.queries += 1;
        self.products.iter().find(|p| p.id == id).cloned()
    }

    /// Applies a change to a product (an `UPDATE … WHERE id = …`), stamping
    /// `updated_at`. Counts a query. `None` when there is no such product.
    pub fn update_product(
        &mut self,
        id: &str,
        patch: &ProductPatch,
        updated_at: String,
    ) -> Option<Product> {
        self.queries += 1;
        let p = self.products.iter_mut().find(|p| p.id == id)?;
        if let Some(name) = &patch.name {
            p.name = name.clone();
        }
        if let Some(price) = patch.price_cents {
            p.price_cents = price;
        }
        if let Some(stock) = patch.stock {
            p.stock = stock;
        }
        p.updated_at = updated_at;
        Some(p.clone())
    }

    /// How many queries ran since the start.
    pub fn queries(&self) -> u64 {
        self.queries
    }

    pub fn products(&self) -> &[Product] {
        &self.products
    }

    /// The virtual time one query takes, jitter drawn from the seeded RNG.
    pub fn query_latency(latency: DbLatency, rng: &mut Rng) -> u64 {
        latency.base_ms
            + if latency.jitter_ms > 0 {
                rng.up_to(latency.jitter_ms)
            } else {
                0
            }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_known_ids_and_counts_every_query() {
        let mut db = FakeDb::new();
        assert_eq!(db.find_product("3").map(|p| p.id), Some("3".to_string()));
        assert!(db.find_product("404").is_none());
        assert!(db.find_product("").is_none());
        assert_eq!(db.queries(), 3);
    }

    #[test]
    fn jitter_stays_in_range_and_zero_jitter_is_exact() {
        let mut rng = Rng::new(7);
        let exact = DbLatency {
            base_ms: 400,
            jitter_ms: 0,
        };
        assert_eq!(FakeDb::query_latency(exact, &mut rng), 400);
        let jittery = DbLatency {
            base_ms: 400,
            jitter_ms: 50,
        };
        let draws: Vec<u64> = (0..200)
            .map(|_| FakeDb::query_latency(jittery, &mut rng))
            .collect();
        assert!(draws.iter().all(|d| (400..=450).contains(d)));
        assert!(draws.iter().any(|&d| d != draws[0]), "jitter should vary");
    }
}
