//! Every Redis key the API uses is built here, so the naming scheme lives in
//! one place (the article's advice) and the UI can show and parse the same names.

pub fn product(id: &str) -> String {
    format!("product:{id}")
}

pub fn product_views(id: &str) -> String {
    format!("product:{id}:views")
}

#[cfg(test)]
mod tests {
    #[test]
    fn key_names_match_the_article() {
        assert_eq!(super::product("7"), "product:7");
        assert_eq!(super::product_views("7"), "product:7:views");
    }
}
