//! Web push subscriptions and sending.
//!
//! A browser that opts in hands us its push service endpoint and keys; we keep one row per
//! device with the topics the shopper chose. A cause (an order shipped, a favourite back in
//! stock) queues one `push.send` job per matching device *in the cause's transaction*, so a
//! message exists exactly when its cause committed. The job encrypts the message for that
//! device (RFC 8291), signs a VAPID token (RFC 8292) and posts it; the push service's answer
//! decides what happens next: 2xx done, 404/410 the subscription is gone and is deleted,
//! 429/5xx or a network failure retried with backoff, other 4xx given up.

use super::encryption;
use super::vapid::VapidKey;
use crate::platform::clock::now;
use crate::platform::db::Db;
use crate::platform::ids::new_id;
use crate::platform::jobs::{JobContext, JobFailure, JobRegistry, NewJob, enqueue};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use shop_types::offline::{PushMessage, PushTopic};
use shop_types::{Problem, Timestamp};
use sqlx::AnyConnection;
use std::time::Duration;

/// The job that delivers one message to one device.
pub const SEND_PUSH: &str = "push.send";
/// How long a push service should keep an undelivered message (seconds).
const TIME_TO_LIVE: u32 = 24 * 3600;
/// Most devices one account may register (old ones make room).
const MAX_DEVICES_PER_ACCOUNT: i64 = 20;

/// A subscription as the browser's `PushSubscription.toJSON()` gives it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewSubscription {
    pub endpoint: String,
    pub p256dh: String,
    pub auth: String,
}

/// Why a subscription was refused.
#[derive(Debug, thiserror::Error)]
pub enum PushError {
    #[error("{}", Problem::from(self))]
    BadEndpoint,
    #[error("{}", Problem::from(self))]
    BadKeys,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Checks what a browser sent: an https endpoint (plain http only where private hosts are
/// allowed, for tests) and keys a message can be encrypted for.
pub fn check(sub: &NewSubscription, allow_private: bool) -> Result<(), PushError> {
    let url = reqwest::Url::parse(sub.endpoint.trim()).map_err(|_| PushError::BadEndpoint)?;
    let scheme_ok = url.scheme() == "https" || (allow_private && url.scheme() == "http");
    if !scheme_ok || url.host_str().is_none() || sub.endpoint.len() > 2048 {
        return Err(PushError::BadEndpoint);
    }
    let p256dh = URL_SAFE_NO_PAD
        .decode(sub.p256dh.trim().trim_end_matches('='))
        .map_err(|_| PushError::BadKeys)?;
    let auth = URL_SAFE_NO_PAD
        .decode(sub.auth.trim().trim_end_matches('='))
        .map_err(|_| PushError::BadKeys)?;
    // Encrypting a tiny message proves both keys usable.
    encryption::encrypt(&p256dh, &auth, b"{}").map_err(|_| PushError::BadKeys)?;
    Ok(())
}

/// Stores (or updates) this device's subscription for `user_id` with `topics`.
pub async fn subscribe(
    db: &Db,
    user_id: &str,
    sub: &NewSubscription,
    topics: &[PushTopic],
) -> Result<(), PushError> {
    let wanted = topics;
    let topics = join_topics(topics);
    let mut tx = db.begin_write().await?;
    let before: Option<String> = sqlx::query_scalar(
        "SELECT topics FROM push_subscriptions WHERE user_id = $1 AND endpoint = $2",
    )
    .bind(user_id)
    .bind(sub.endpoint.trim())
    .fetch_optional(&mut *tx)
    .await?;
    let before = before.as_deref().map(split_topics).unwrap_or_default();
    for topic in PushTopic::ALL {
        let (was, is) = (before.contains(&topic), wanted.contains(&topic));
        if was != is {
            record_consent(&mut tx, user_id, topic, is).await?;
        }
    }
    // An endpoint belongs to one browser profile: if another account had it, it moves here.
    sqlx::query(
        "INSERT INTO push_subscriptions (id, user_id, endpoint, p256dh, auth, topics, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (endpoint) DO UPDATE SET user_id = $2, p256dh = $4, auth = $5, topics = $6",
    )
    .bind(new_id().to_string())
    .bind(user_id)
    .bind(sub.endpoint.trim())
    .bind(sub.p256dh.trim().trim_end_matches('='))
    .bind(sub.auth.trim().trim_end_matches('='))
    .bind(&topics)
    .bind(now().millis())
    .execute(&mut *tx)
    .await?;
    // Keep the newest devices only.
    sqlx::query(
        "DELETE FROM push_subscriptions WHERE user_id = $1 AND id NOT IN (
             SELECT id FROM push_subscriptions WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2)",
    )
    .bind(user_id)
    .bind(MAX_DEVICES_PER_ACCOUNT)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Removes this device's subscription (only the account's own); its topics' consents are
/// recorded as withdrawn.
pub async fn unsubscribe(db: &Db, user_id: &str, endpoint: &str) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let topics: Option<String> = sqlx::query_scalar(
        "SELECT topics FROM push_subscriptions WHERE user_id = $1 AND endpoint = $2",
    )
    .bind(user_id)
    .bind(endpoint.trim())
    .fetch_optional(&mut *tx)
    .await?;
    let Some(topics) = topics else {
        return Ok(false);
    };
    sqlx::query("DELETE FROM push_subscriptions WHERE user_id = $1 AND endpoint = $2")
        .bind(user_id)
        .bind(endpoint.trim())
        .execute(&mut *tx)
        .await?;
    for topic in split_topics(&topics) {
        record_consent(&mut tx, user_id, topic, false).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// Records that `user_id` agreed to (or no longer wants) push messages on `topic`.
async fn record_consent(
    tx: &mut AnyConnection,
    user_id: &str,
    topic: PushTopic,
    given: bool,
) -> Result<(), sqlx::Error> {
    use crate::platform::consent_trail::{Change, record};
    use shop_types::consent;
    record(
        tx,
        &Change {
            user_id: Some(user_id),
            email_index: None,
            purpose: &consent::push_purpose(topic),
            given,
            wording: consent::PUSH_WORDING,
            source: "notifications_page",
        },
    )
    .await
}

/// A device that receives `user_id`'s push messages, as its owner may see it: the push
/// service it goes through (never the device's address or keys), its topics and dates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PushDevice {
    pub service: String,
    pub topics: Vec<PushTopic>,
    pub created_at: Timestamp,
    pub last_sent_at: Option<Timestamp>,
}

/// `user_id`'s push devices, oldest first.
pub async fn devices_of(
    conn: &mut sqlx::AnyConnection,
    user_id: &str,
) -> Result<Vec<PushDevice>, sqlx::Error> {
    use sqlx::Row;
    let rows = sqlx::query(
        "SELECT endpoint, topics, created_at, last_sent_at FROM push_subscriptions
         WHERE user_id = $1 ORDER BY created_at, id",
    )
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let endpoint: String = r.try_get("endpoint")?;
            // `https://push.example/send/abc` → `push.example`
            let service = endpoint
                .split("://")
                .nth(1)
                .and_then(|rest| rest.split('/').next())
                .unwrap_or_default()
                .to_owned();
            Ok(PushDevice {
                service,
                topics: split_topics(&r.try_get::<String, _>("topics")?),
                created_at: Timestamp(r.try_get("created_at")?),
                last_sent_at: r.try_get::<Option<i64>, _>("last_sent_at")?.map(Timestamp),
            })
        })
        .collect()
}

/// The topics this device is subscribed to for `user_id` (`None`: not subscribed).
pub async fn topics_of(
    db: &Db,
    user_id: &str,
    endpoint: &str,
) -> Result<Option<Vec<PushTopic>>, sqlx::Error> {
    let topics: Option<String> = sqlx::query_scalar(
        "SELECT topics FROM push_subscriptions WHERE user_id = $1 AND endpoint = $2",
    )
    .bind(user_id)
    .bind(endpoint.trim())
    .fetch_optional(db.pool())
    .await?;
    Ok(topics.map(|t| split_topics(&t)))
}

fn join_topics(topics: &[PushTopic]) -> String {
    let mut names: Vec<&str> = topics.iter().map(|t| t.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    names.join(",")
}

fn split_topics(stored: &str) -> Vec<PushTopic> {
    stored.split(',').filter_map(PushTopic::parse).collect()
}

/// Sends one message to one device (`push.send`).
#[derive(Clone, Debug, Serialize, Deserialize)]
struct SendJob {
    subscription_id: String,
    message: PushMessage,
}

impl crate::platform::jobs::Job for SendJob {
    const KIND: &'static str = SEND_PUSH;
}

/// Queues `message` to every device of `user_id` subscribed to `topic`, in the caller's
/// transaction. `dedupe` (optional) keeps a cause from queueing the same message twice.
pub async fn notify_user(
    tx: &mut AnyConnection,
    user_id: &str,
    topic: PushTopic,
    message: &PushMessage,
    dedupe: Option<&str>,
) -> Result<usize, sqlx::Error> {
    let pattern = format!("%,{},%", topic.as_str());
    let devices: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM push_subscriptions WHERE user_id = $1 AND (',' || topics || ',') LIKE $2",
    )
    .bind(user_id)
    .bind(&pattern)
    .fetch_all(&mut *tx)
    .await?;
    for device in &devices {
        let payload = SendJob {
            subscription_id: device.clone(),
            message: message.clone(),
        };
        let mut job = NewJob::of(&payload)
            .map_err(|e| sqlx::Error::Encode(Box::new(e)))?
            .max_attempts(8);
        if let Some(key) = dedupe {
            job = job.dedupe(format!("push:{key}:{device}"));
        }
        enqueue(&mut *tx, &job).await?;
    }
    Ok(devices.len())
}

/// Queues `message` to every account that keeps `product_id` among its favourites and chose
/// `topic`. `dedupe` names the cause (one message per product and day, say).
pub async fn notify_favourites(
    tx: &mut AnyConnection,
    product_id: &str,
    topic: PushTopic,
    message: &PushMessage,
    dedupe: &str,
) -> Result<usize, sqlx::Error> {
    let users: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT f.user_id FROM favourites f JOIN push_subscriptions s ON s.user_id = f.user_id
         WHERE f.product_id = $1",
    )
    .bind(product_id)
    .fetch_all(&mut *tx)
    .await?;
    let mut queued = 0;
    for user in users {
        queued += notify_user(tx, &user, topic, message, Some(dedupe)).await?;
    }
    Ok(queued)
}

/// Queues `message` to every device subscribed to `topic` (promotions).
pub async fn notify_everyone(
    tx: &mut AnyConnection,
    topic: PushTopic,
    message: &PushMessage,
) -> Result<usize, sqlx::Error> {
    let pattern = format!("%,{},%", topic.as_str());
    let users: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT user_id FROM push_subscriptions WHERE (',' || topics || ',') LIKE $1",
    )
    .bind(&pattern)
    .fetch_all(&mut *tx)
    .await?;
    let mut queued = 0;
    for user in users {
        queued += notify_user(tx, &user, topic, message, None).await?;
    }
    Ok(queued)
}

/// Sends push messages: what the `push.send` job needs.
#[derive(Clone, Debug)]
pub struct Sender {
    client: reqwest::Client,
    /// Push endpoints on loopback/private addresses allowed (`SHOP_PUSH_PRIVATE_HOSTS`; tests).
    pub private_hosts: bool,
    /// The contact in VAPID tokens (`mailto:` or `https:`).
    pub subject: String,
}

impl Sender {
    pub fn new(private_hosts: bool, subject: String) -> Self {
        Self {
            client: crate::platform::outbound::client(Duration::from_secs(10), private_hosts),
            private_hosts,
            subject,
        }
    }
}

/// Registers the `push.send` job, as bulk work: a promotion queues one per device and push
/// services (or endpoints someone registered on purpose) can be slow, so push never takes
/// every worker.
pub fn register(registry: &mut JobRegistry, sender: Sender) {
    registry.handle(move |ctx: JobContext, job: SendJob| {
        let sender = sender.clone();
        async move { deliver(&ctx.db, &sender, job).await }
    });
    registry.bulk(<SendJob as crate::platform::jobs::Job>::KIND);
}

async fn deliver(db: &Db, sender: &Sender, job: SendJob) -> Result<(), JobFailure> {
    let row: Option<(String, String, String)> =
        sqlx::query_as("SELECT endpoint, p256dh, auth FROM push_subscriptions WHERE id = $1")
            .bind(&job.subscription_id)
            .fetch_optional(db.pool())
            .await
            .map_err(|e| JobFailure::retry(e.to_string()))?;
    // Unsubscribed since: nothing to do.
    let Some((endpoint, p256dh, auth)) = row else {
        return Ok(());
    };
    let key = VapidKey::load(db)
        .await
        .map_err(|e| JobFailure::retry(e.to_string()))?;
    let decode = |s: &str| {
        URL_SAFE_NO_PAD
            .decode(s)
            .map_err(|_| JobFailure::permanent("stored keys are not base64url"))
    };
    let plaintext =
        serde_json::to_vec(&job.message).map_err(|e| JobFailure::permanent(e.to_string()))?;
    let body = encryption::encrypt(&decode(&p256dh)?, &decode(&auth)?, &plaintext)
        .map_err(|e| JobFailure::permanent(e.to_string()))?;
    let url = crate::platform::outbound::public_url(&endpoint, sender.private_hosts)
        .await
        .map_err(|e| JobFailure::permanent(format!("push endpoint refused: {e}")))?;
    let authorization = key.authorization(&url, &sender.subject, now().millis() / 1000);
    let response = sender
        .client
        .post(url)
        .header("Authorization", authorization)
        .header("Content-Encoding", "aes128gcm")
        .header("Content-Type", "application/octet-stream")
        .header("TTL", TIME_TO_LIVE.to_string())
        .header("Urgency", "normal")
        .header("Topic", topic_header(&job.message.tag))
        .body(body)
        .send()
        .await
        .map_err(|e| JobFailure::retry(format!("push service unreachable: {e}")))?;
    let status = response.status().as_u16();
    match status {
        200..=299 => {
            sqlx::query("UPDATE push_subscriptions SET last_sent_at = $1 WHERE id = $2")
                .bind(now().millis())
                .bind(&job.subscription_id)
                .execute(db.pool())
                .await
                .map_err(|e| JobFailure::retry(e.to_string()))?;
            Ok(())
        }
        404 | 410 => {
            // The browser unsubscribed or the subscription expired: forget the device.
            sqlx::query("DELETE FROM push_subscriptions WHERE id = $1")
                .bind(&job.subscription_id)
                .execute(db.pool())
                .await
                .map_err(|e| JobFailure::retry(e.to_string()))?;
            tracing::info!(status, "push subscription gone; deleted");
            Ok(())
        }
        429 | 500..=599 => Err(JobFailure::retry(format!("push service answered {status}"))),
        _ => Err(JobFailure::permanent(format!(
            "push service refused the message: {status}"
        ))),
    }
}

/// The `Topic` header (RFC 8030: at most 32 base64url characters): a newer message with the
/// same topic replaces an undelivered older one.
fn topic_header(tag: &str) -> String {
    let clean: String = tag
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .take(32)
        .collect();
    if clean.is_empty() {
        "shop".into()
    } else {
        clean
    }
}

impl From<&PushError> for Problem {
    fn from(error: &PushError) -> Self {
        match error {
            PushError::BadEndpoint => Problem::PushEndpointInvalid,
            PushError::BadKeys => Problem::PushKeysInvalid,
            PushError::Db(_) => Problem::Unexpected,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_are_stored_sorted_and_read_back() {
        let joined = join_topics(&[
            PushTopic::PriceDrop,
            PushTopic::OrderStatus,
            PushTopic::PriceDrop,
        ]);
        assert_eq!(joined, "order_status,price_drop");
        assert_eq!(
            split_topics(&joined),
            vec![PushTopic::OrderStatus, PushTopic::PriceDrop]
        );
        assert_eq!(split_topics(""), vec![]);
    }

    #[test]
    fn topic_headers_are_short_and_safe() {
        assert_eq!(topic_header("order-01abc"), "order-01abc");
        assert_eq!(topic_header("a b/c"), "abc");
        assert_eq!(topic_header(&"x".repeat(50)).len(), 32);
        assert_eq!(topic_header("!!"), "shop");
    }

    #[test]
    fn subscriptions_need_https_and_usable_keys() {
        let key = encryption::random_secret_key();
        use p256::elliptic_curve::sec1::ToEncodedPoint;
        let p256dh = URL_SAFE_NO_PAD.encode(key.public_key().to_encoded_point(false).as_bytes());
        let good = NewSubscription {
            endpoint: "https://push.example.net/abc".into(),
            p256dh: p256dh.clone(),
            auth: URL_SAFE_NO_PAD.encode([1u8; 16]),
        };
        assert!(check(&good, false).is_ok());
        let http = NewSubscription {
            endpoint: "http://127.0.0.1:9/abc".into(),
            ..good.clone()
        };
        assert!(matches!(check(&http, false), Err(PushError::BadEndpoint)));
        assert!(check(&http, true).is_ok());
        let bad_keys = NewSubscription {
            p256dh: "AAAA".into(),
            ..good.clone()
        };
        assert!(matches!(check(&bad_keys, false), Err(PushError::BadKeys)));
        let javascript = NewSubscription {
            endpoint: "javascript:alert(1)".into(),
            ..good
        };
        assert!(matches!(
            check(&javascript, true),
            Err(PushError::BadEndpoint)
        ));
    }
}
