//! The product catalog the fake database starts with.

use crate::json;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Product {
    pub id: String,
    pub name: String,
    /// Price in cents, so the JSON never shows a float rounding artefact.
    pub price_cents: u64,
    pub stock: u32,
    /// ISO-8601 time of the last change.
    pub updated_at: String,
}

impl Product {
    /// The product as the API returns it and as it is cached:
    /// `{"id":"1","name":"…","price":24.99,"stock":42,"updated_at":"…"}`.
    pub fn to_json(&self) -> String {
        let price = format!("{}.{:02}", self.price_cents / 100, self.price_cents % 100);
        json::Object::new()
            .str("id", &self.id)
            .str("name", &self.name)
            .raw("price", &price)
            .int("stock", i64::from(self.stock))
            .str("updated_at", &self.updated_at)
            .finish()
    }
}

/// Twelve products with ids `1` … `12`.
pub fn catalog() -> Vec<Product> {
    const ITEMS: [(&str, u64, u32); 12] = [
        ("Mechanical keyboard", 8_999, 42),
        ("Wireless mouse", 2_499, 130),
        ("27\" monitor", 27_900, 17),
        ("USB-C dock", 14_950, 8),
        ("Noise-cancelling headphones", 19_900, 23),
        ("Laptop stand", 3_900, 75),
        ("Webcam 1080p", 5_990, 0),
        ("Desk lamp", 3_450, 51),
        ("Ergonomic chair", 34_900, 5),
        ("Standing desk", 49_900, 3),
        ("Cable organiser", 1_299, 240),
        ("Portable SSD 1 TB", 10_990, 64),
    ];
    ITEMS
        .iter()
        .enumerate()
        .map(|(i, &(name, price_cents, stock))| Product {
            id: (i + 1).to_string(),
            name: name.to_string(),
            price_cents,
            stock,
            updated_at: format!("2026-11-{:02}T09:{:02}:00Z", i + 1, (i * 7) % 60),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twelve_products_with_ids_one_to_twelve() {
        let c = catalog();
        let ids: Vec<&str> = c.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(
            ids,
            ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"]
        );
    }

    #[test]
    fn json_shape() {
        let p = &catalog()[2];
        assert_eq!(
            p.to_json(),
            r#"{"id":"3","name":"27\" monitor","price":279.00,"stock":17,"updated_at":"2026-11-03T09:14:00Z"}"#
        );
    }
}
