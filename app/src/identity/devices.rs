//! Browsers an account has signed in from, so a sign-in from a new one can be told to its
//! owner. The browser keeps a random id in a long-lived cookie (`paths::cookies::DEVICE`); the
//! table keeps its SHA-256 per account. Clearing cookies makes a browser new again: a mail too
//! many is the safe side.

use crate::platform::secrets::hash_secret;
use shop_types::Timestamp;
use sqlx::AnyConnection;

/// How long the browser keeps its id (the most browsers allow, about 400 days).
pub const DEVICE_COOKIE_DAYS: i64 = 400;

/// What a sign-in's browser was to its account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seen {
    /// Signed in from here before.
    Known,
    /// New here, but the account has signed in elsewhere before: tell the owner.
    New,
    /// The account's first browser ever (just registered): nothing to tell.
    First,
}

/// A short name for the browser a `User-Agent` header describes ("Chrome on Android"), made of
/// product names only (the same in every language); `None` when it tells nothing known.
pub fn describe(user_agent: &str) -> Option<String> {
    // Order matters: Edge and Opera also say Chrome, Chrome also says Safari.
    const BROWSERS: [(&str, &str); 6] = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chromium/", "Chromium"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ];
    const SYSTEMS: [(&str, &str); 7] = [
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ];
    let find = |list: &[(&str, &'static str)]| {
        list.iter()
            .find(|(needle, _)| user_agent.contains(needle))
            .map(|(_, name)| *name)
    };
    match (find(&BROWSERS), find(&SYSTEMS)) {
        (Some(browser), Some(system)) => Some(format!("{browser} on {system}")),
        (Some(one), None) | (None, Some(one)) => Some(one.to_owned()),
        (None, None) => None,
    }
}

/// A browser an account signed in from, as its owner may see it (never the cookie's id).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KnownDevice {
    pub user_agent: String,
    pub first_seen_at: Timestamp,
    pub last_seen_at: Timestamp,
}

/// The browsers `user_id` signed in from, most recent first.
pub async fn list(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<Vec<KnownDevice>, sqlx::Error> {
    use sqlx::Row;
    let rows = sqlx::query(
        "SELECT user_agent, first_seen_at, last_seen_at FROM known_devices WHERE user_id = $1
         ORDER BY last_seen_at DESC",
    )
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(KnownDevice {
                user_agent: r.try_get("user_agent")?,
                first_seen_at: Timestamp(r.try_get("first_seen_at")?),
                last_seen_at: Timestamp(r.try_get("last_seen_at")?),
            })
        })
        .collect()
}

/// Notes that `user_id` signs in from the browser with id `device` now.
pub async fn remember(
    conn: &mut AnyConnection,
    user_id: &str,
    device: &str,
    user_agent: &str,
    now: Timestamp,
) -> Result<Seen, sqlx::Error> {
    let hash = hash_secret(device);
    let known = sqlx::query(
        "UPDATE known_devices SET last_seen_at = $1 WHERE user_id = $2 AND device_hash = $3",
    )
    .bind(now.millis())
    .bind(user_id)
    .bind(&hash)
    .execute(&mut *conn)
    .await?;
    if known.rows_affected() == 1 {
        return Ok(Seen::Known);
    }
    let others: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM known_devices WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(&mut *conn)
        .await?;
    let agent: String = user_agent.chars().take(200).collect();
    sqlx::query(
        "INSERT INTO known_devices (user_id, device_hash, user_agent, first_seen_at, last_seen_at)
         VALUES ($1, $2, $3, $4, $4)",
    )
    .bind(user_id)
    .bind(&hash)
    .bind(agent)
    .bind(now.millis())
    .execute(conn)
    .await?;
    Ok(if others == 0 { Seen::First } else { Seen::New })
}

/// Forgets browsers last seen before `before` (the sign-in records' retention period); how
/// many went.
pub async fn prune(db: &crate::platform::db::Db, before: i64) -> Result<u64, sqlx::Error> {
    Ok(
        sqlx::query("DELETE FROM known_devices WHERE last_seen_at < $1")
            .bind(before)
            .execute(db.pool())
            .await?
            .rows_affected(),
    )
}

#[cfg(test)]
mod tests {
    use super::describe;

    #[test]
    fn browsers_are_named_by_product_and_system() {
        let chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";
        assert_eq!(describe(chrome).as_deref(), Some("Chrome on Linux"));
        let safari = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1";
        assert_eq!(describe(safari).as_deref(), Some("Safari on iPhone"));
        let edge = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36 Edg/130.0";
        assert_eq!(describe(edge).as_deref(), Some("Edge on Windows"));
        assert_eq!(describe("curl/8.0"), None);
    }
}
