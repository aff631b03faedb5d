//! Newsletter consent records.

use crate::platform::consent_trail;
use crate::platform::{clock::now, db::Db, ids::new_id};
use crate::store::queries::default_store_id;
use shop_types::Email;
use shop_types::consent;

/// The store is missing or the database failed.
#[derive(Debug, thiserror::Error)]
pub enum SubscribeError {
    #[error("the default store does not exist")]
    NoStore,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Records (in the caller's transaction) that `email` gave or withdrew newsletter consent.
async fn record_consent(
    tx: &mut sqlx::AnyConnection,
    email: &Email,
    given: bool,
    source: &str,
) -> Result<(), sqlx::Error> {
    consent_trail::record(
        tx,
        &consent_trail::Change {
            user_id: None,
            email: Some(email.as_str()),
            purpose: consent::NEWSLETTER,
            given,
            wording: consent::NEWSLETTER_WORDING,
            source,
        },
    )
    .await
}

/// Forgets `email`'s subscription entirely (the person was erased), in the caller's
/// transaction.
pub async fn forget(tx: &mut sqlx::AnyConnection, email: &str) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM newsletter_subscriptions WHERE email = $1")
        .bind(email.trim().to_lowercase())
        .execute(tx)
        .await?;
    Ok(done.rows_affected())
}

/// Records consent for `email`, or renews it if the address had unsubscribed. Idempotent.
pub async fn subscribe(db: &Db, email: &Email, source: &str) -> Result<(), SubscribeError> {
    let mut tx = db.begin_write().await?;
    let store_id = default_store_id(&mut tx)
        .await?
        .ok_or(SubscribeError::NoStore)?;
    sqlx::query(
        "INSERT INTO newsletter_subscriptions (id, store_id, email, source, consented_at, unsubscribed_at)
         VALUES ($1, $2, $3, $4, $5, NULL)
         ON CONFLICT (store_id, email) DO UPDATE
           SET consented_at = CASE WHEN newsletter_subscriptions.unsubscribed_at IS NULL
                                   THEN newsletter_subscriptions.consented_at ELSE excluded.consented_at END,
               source = CASE WHEN newsletter_subscriptions.unsubscribed_at IS NULL
                             THEN newsletter_subscriptions.source ELSE excluded.source END,
               unsubscribed_at = NULL",
    )
    .bind(new_id().to_string())
    .bind(&store_id)
    .bind(email.as_str())
    .bind(source)
    .bind(now().millis())
    .execute(&mut *tx)
    .await?;
    record_consent(&mut tx, email, true, source).await?;
    tx.commit().await?;
    Ok(())
}

/// Withdraws consent (`source`: where it was withdrawn). Returns false if the address was not
/// subscribed.
pub async fn unsubscribe(db: &Db, email: &Email, source: &str) -> Result<bool, SubscribeError> {
    let mut tx = db.begin_write().await?;
    let store_id = default_store_id(&mut tx)
        .await?
        .ok_or(SubscribeError::NoStore)?;
    let done = sqlx::query(
        "UPDATE newsletter_subscriptions SET unsubscribed_at = $1
         WHERE store_id = $2 AND email = $3 AND unsubscribed_at IS NULL",
    )
    .bind(now().millis())
    .bind(&store_id)
    .bind(email.as_str())
    .execute(&mut *tx)
    .await?;
    let withdrawn = done.rows_affected() == 1;
    if withdrawn {
        record_consent(&mut tx, email, false, source).await?;
    }
    tx.commit().await?;
    Ok(withdrawn)
}

/// Whether `email` currently consents.
pub async fn is_subscribed(db: &Db, email: &Email) -> Result<bool, SubscribeError> {
    let count: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM newsletter_subscriptions s JOIN stores st ON st.id = s.store_id
         WHERE st.code = $1 AND s.email = $2 AND s.unsubscribed_at IS NULL",
    )
    .bind(crate::store::DEFAULT_STORE_CODE)
    .bind(email.as_str())
    .fetch_one(db.pool())
    .await?;
    Ok(count == 1)
}

/// A newsletter consent as recorded: where it was given, when, and when it was withdrawn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Consent {
    pub source: String,
    pub consented_at: shop_types::Timestamp,
    pub withdrawn_at: Option<shop_types::Timestamp>,
}

/// The newsletter consent recorded for `email`, if any (current or withdrawn).
pub async fn consent(
    conn: &mut sqlx::AnyConnection,
    email: &str,
) -> Result<Option<Consent>, sqlx::Error> {
    use sqlx::Row;
    let row = sqlx::query(
        "SELECT s.source, s.consented_at, s.unsubscribed_at FROM newsletter_subscriptions s
         JOIN stores st ON st.id = s.store_id WHERE st.code = $1 AND s.email = $2",
    )
    .bind(crate::store::DEFAULT_STORE_CODE)
    .bind(email)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        Ok(Consent {
            source: r.try_get("source")?,
            consented_at: shop_types::Timestamp(r.try_get("consented_at")?),
            withdrawn_at: r
                .try_get::<Option<i64>, _>("unsubscribed_at")?
                .map(shop_types::Timestamp),
        })
    })
    .transpose()
}
