//! Favourites (the wish list): saved in the account, or in a cookie while signed out and
//! merged into the account at sign-in.

use crate::catalog::queries::ON_SALE;
use crate::platform::clock::now;
use shop_types::PublicId;
use sqlx::AnyConnection;

/// Most favourites a signed-out shopper's cookie holds.
pub const MAX_GUEST_FAVOURITES: usize = 50;
/// The cookie of a signed-out shopper's favourites (product ids, comma separated).
pub const GUEST_COOKIE: shop_types::paths::cookies::CookieName =
    shop_types::paths::cookies::FAVOURITES;

/// Saves a product as the account's favourite; false if no such active product exists.
pub async fn add(
    conn: &mut AnyConnection,
    user_id: &str,
    product_id: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(&format!(
        "INSERT INTO favourites (user_id, product_id, created_at)
         SELECT $1, p.id, $3 FROM products p WHERE p.id = $2 AND {ON_SALE}
         ON CONFLICT (user_id, product_id) DO NOTHING"
    ))
    .bind(user_id)
    .bind(product_id)
    .bind(now().millis())
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 1 {
        return Ok(true);
    }
    let exists: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM products p WHERE p.id = $1 AND {ON_SALE}"
    ))
    .bind(product_id)
    .fetch_one(conn)
    .await?;
    Ok(exists > 0)
}

/// Removes a product from the account's favourites.
pub async fn remove(
    conn: &mut AnyConnection,
    user_id: &str,
    product_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM favourites WHERE user_id = $1 AND product_id = $2")
        .bind(user_id)
        .bind(product_id)
        .execute(conn)
        .await
        .map(|_| ())
}

/// Reads a guest cookie's product ids, keeping only well-formed ids, at most the limit.
pub fn parse_guest_cookie(value: &str) -> Vec<String> {
    let mut ids: Vec<String> = value
        .split(',')
        .filter_map(|id| PublicId::parse(id.trim()).ok())
        .map(|id| id.to_string())
        .collect();
    ids.dedup();
    ids.truncate(MAX_GUEST_FAVOURITES);
    ids
}

/// Adds or removes one id in a guest's list and returns the new cookie value.
pub fn update_guest_list(current: &str, product_id: &str, save: bool) -> String {
    let mut ids: Vec<String> = parse_guest_cookie(current)
        .into_iter()
        .filter(|id| id != product_id)
        .collect();
    if save {
        ids.insert(0, product_id.to_owned());
        ids.truncate(MAX_GUEST_FAVOURITES);
    }
    ids.join(",")
}

/// Moves a guest's favourites into the account (unknown products are skipped).
pub async fn merge_guest(
    conn: &mut AnyConnection,
    user_id: &str,
    cookie: &str,
) -> Result<usize, sqlx::Error> {
    let mut merged = 0;
    for id in parse_guest_cookie(cookie) {
        if add(conn, user_id, &id).await? {
            merged += 1;
        }
    }
    Ok(merged)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guest_cookies_are_read_defensively() {
        let a = PublicId::from_random_bits(1).to_string();
        let b = PublicId::from_random_bits(2).to_string();
        assert_eq!(
            parse_guest_cookie(&format!("{a},junk,<script>,{b}")),
            vec![a.clone(), b.clone()]
        );
        let added = update_guest_list(&a, &b, true);
        assert_eq!(added, format!("{b},{a}"));
        assert_eq!(update_guest_list(&added, &b, false), a);
        let many: Vec<String> = (0..80u128)
            .map(|i| PublicId::from_random_bits(i).to_string())
            .collect();
        assert_eq!(
            parse_guest_cookie(&many.join(",")).len(),
            MAX_GUEST_FAVOURITES
        );
    }
}
