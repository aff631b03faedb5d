//! The secret link that lets a guest see their order: `/orders/<id>?key=<key>`, where the key
//! is an HMAC of the order id under this installation's secret. Nothing per order needs to be
//! kept to mail the link again later; the order also stores the key's SHA-256 so a key can be
//! checked without the secret.

use crate::platform::db::Db;
use crate::platform::secrets::{hash_secret, new_secret};
use hmac::{Hmac, Mac};
use sha2::Sha256;

async fn secret(db: &Db) -> Result<String, sqlx::Error> {
    crate::platform::meta::get_or_create(db, "order_link_secret", new_secret).await
}

/// The key of an order's link.
pub async fn link_key(db: &Db, order_id: &str) -> Result<String, sqlx::Error> {
    let secret = secret(db).await?;
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
    mac.update(order_id.as_bytes());
    Ok(hex::encode(&mac.finalize().into_bytes()[..20]))
}

/// Whether `key` opens the order whose stored hash is `access_hash`.
pub fn key_matches(key: &str, access_hash: &str) -> bool {
    let given = hash_secret(key);
    // Both are 64 hex digits; compare without an early exit.
    given.len() == access_hash.len()
        && given
            .bytes()
            .zip(access_hash.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}
