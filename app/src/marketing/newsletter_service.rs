//! Newsletter subscriptions and their consent records. Each subscription's address is sealed
//! under a data key of its own (`platform::vault`; shredded when the person is erased) and
//! found by its blind index, so the table names nobody in clear.

use crate::platform::consent_trail;
use crate::platform::vault::Vault;
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

/// The sealed column.
const EMAIL_FIELD: &str = "newsletter_subscriptions.email";

/// Records (in the caller's transaction) that the address with `email_index` gave or
/// withdrew newsletter consent.
async fn record_consent(
    tx: &mut sqlx::AnyConnection,
    email_index: &str,
    given: bool,
    source: &str,
) -> Result<(), sqlx::Error> {
    consent_trail::record(
        tx,
        &consent_trail::Change {
            user_id: None,
            email_index: Some(email_index),
            purpose: consent::NEWSLETTER,
            given,
            wording: consent::NEWSLETTER_WORDING,
            source,
        },
    )
    .await
}

/// Forgets `email`'s subscriptions entirely (the person was erased), in the caller's
/// transaction: the rows go and their keys are shredded, so copies in backups and the WAL
/// cannot be read either.
pub async fn forget(
    tx: &mut sqlx::AnyConnection,
    vault: &Vault,
    email: &str,
) -> Result<u64, sqlx::Error> {
    let index = vault.email_index(email);
    let keys: Vec<Option<String>> =
        sqlx::query_scalar("SELECT key_id FROM newsletter_subscriptions WHERE email_index = $1")
            .bind(&index)
            .fetch_all(&mut *tx)
            .await?;
    for key in keys.iter().flatten() {
        vault.shred(tx, key).await?;
    }
    let done = sqlx::query("DELETE FROM newsletter_subscriptions WHERE email_index = $1")
        .bind(&index)
        .execute(tx)
        .await?;
    Ok(done.rows_affected())
}

/// Records consent for `email`, or renews it if the address had unsubscribed. Idempotent.
pub async fn subscribe(db: &Db, email: &Email, source: &str) -> Result<(), SubscribeError> {
    let vault = db.vault();
    let index = vault.email_index(email.as_str());
    let mut tx = db.begin_write().await?;
    let store_id = default_store_id(&mut tx)
        .await?
        .ok_or(SubscribeError::NoStore)?;
    let at = now().millis();
    let renewed = sqlx::query(
        "UPDATE newsletter_subscriptions
           SET consented_at = CASE WHEN unsubscribed_at IS NULL THEN consented_at ELSE $1 END,
               source = CASE WHEN unsubscribed_at IS NULL THEN source ELSE $2 END,
               unsubscribed_at = NULL
         WHERE store_id = $3 AND email_index = $4",
    )
    .bind(at)
    .bind(source)
    .bind(&store_id)
    .bind(&index)
    .execute(&mut *tx)
    .await?;
    if renewed.rows_affected() == 0 {
        let key = vault.new_key(&mut tx).await?;
        // Two sign-ups of one new address at once (PostgreSQL): the other one's row stands,
        // and this key, unused, goes.
        let inserted = sqlx::query(
            "INSERT INTO newsletter_subscriptions
               (id, store_id, email, email_index, key_id, source, consented_at, unsubscribed_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, NULL)
             ON CONFLICT (store_id, email_index) DO NOTHING",
        )
        .bind(new_id().to_string())
        .bind(&store_id)
        .bind(key.seal(EMAIL_FIELD, email.as_str()))
        .bind(&index)
        .bind(key.id())
        .bind(source)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        if inserted.rows_affected() == 0 {
            vault.shred(&mut tx, key.id()).await?;
        }
    }
    record_consent(&mut tx, &index, true, source).await?;
    tx.commit().await?;
    Ok(())
}

/// Seals up to `batch` subscriptions written before encryption (start-up,
/// `assembly::sealing`): each gets a data key of its own and its blind index.
pub async fn seal_written_before(
    conn: &mut sqlx::AnyConnection,
    vault: &Vault,
    batch: i64,
) -> Result<u64, sqlx::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, email FROM newsletter_subscriptions WHERE email_index IS NULL LIMIT $1",
    )
    .bind(batch)
    .fetch_all(&mut *conn)
    .await?;
    for (id, email) in &rows {
        let key = vault.new_key(conn).await?;
        sqlx::query(
            "UPDATE newsletter_subscriptions SET email = $1, email_index = $2, key_id = $3
             WHERE id = $4",
        )
        .bind(key.seal(EMAIL_FIELD, email))
        .bind(vault.email_index(email))
        .bind(key.id())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(rows.len() as u64)
}

/// Withdraws consent (`source`: where it was withdrawn). Returns false if the address was not
/// subscribed.
pub async fn unsubscribe(db: &Db, email: &Email, source: &str) -> Result<bool, SubscribeError> {
    let index = db.vault().email_index(email.as_str());
    let mut tx = db.begin_write().await?;
    let store_id = default_store_id(&mut tx)
        .await?
        .ok_or(SubscribeError::NoStore)?;
    let done = sqlx::query(
        "UPDATE newsletter_subscriptions SET unsubscribed_at = $1
         WHERE store_id = $2 AND email_index = $3 AND unsubscribed_at IS NULL",
    )
    .bind(now().millis())
    .bind(&store_id)
    .bind(&index)
    .execute(&mut *tx)
    .await?;
    let withdrawn = done.rows_affected() == 1;
    if withdrawn {
        record_consent(&mut tx, &index, false, source).await?;
    }
    tx.commit().await?;
    Ok(withdrawn)
}

/// Whether `email` currently consents.
pub async fn is_subscribed(db: &Db, email: &Email) -> Result<bool, SubscribeError> {
    let count: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM newsletter_subscriptions s JOIN stores st ON st.id = s.store_id
         WHERE st.code = $1 AND s.email_index = $2 AND s.unsubscribed_at IS NULL",
    )
    .bind(crate::store::DEFAULT_STORE_CODE)
    .bind(db.vault().email_index(email.as_str()))
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
    vault: &Vault,
    email: &str,
) -> Result<Option<Consent>, sqlx::Error> {
    use sqlx::Row;
    let row = sqlx::query(
        "SELECT s.source, s.consented_at, s.unsubscribed_at FROM newsletter_subscriptions s
         JOIN stores st ON st.id = s.store_id WHERE st.code = $1 AND s.email_index = $2",
    )
    .bind(crate::store::DEFAULT_STORE_CODE)
    .bind(vault.email_index(email))
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
