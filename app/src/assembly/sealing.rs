//! The start-up pass that seals personal data written before encryption existed
//! (`platform::vault`): each domain's store seals its own rows, in batches of short
//! transactions, until none is left. On a shop that never ran without encryption it finds
//! nothing and costs one query per table.

use crate::platform::db::Db;
use crate::platform::vault::Vault;
use sqlx::AnyConnection;
use std::future::Future;
use std::pin::Pin;

/// Rows sealed per transaction.
const BATCH: i64 = 200;

type Step = for<'a> fn(
    &'a mut AnyConnection,
    &'a Vault,
    i64,
) -> Pin<Box<dyn Future<Output = Result<u64, sqlx::Error>> + Send + 'a>>;

/// Seals what is left unsealed; returns how many rows (or groups) were sealed.
pub async fn seal_written_before(db: &Db) -> Result<u64, sqlx::Error> {
    let steps: [(&str, Step); 8] = [
        ("accounts", |c, v, n| {
            Box::pin(crate::identity::users::seal_written_before(c, v, n))
        }),
        ("addresses", |c, v, n| {
            Box::pin(crate::account::address_book::seal_written_before(c, v, n))
        }),
        ("checkouts", |c, v, n| {
            Box::pin(crate::checkout::checkout_service::seal_written_before(
                c, v, n,
            ))
        }),
        ("orders", |c, v, n| {
            Box::pin(crate::orders::order_store::seal_written_before(c, v, n))
        }),
        ("coupon counters", |c, v, n| {
            Box::pin(crate::coupons::rules::seal_written_before(c, v, n))
        }),
        ("mailbox", |c, v, n| {
            Box::pin(crate::email::delivery::seal_written_before(c, v, n))
        }),
        ("newsletter subscriptions", |c, v, n| {
            Box::pin(crate::marketing::newsletter_service::seal_written_before(
                c, v, n,
            ))
        }),
        ("consent records", |c, v, n| {
            Box::pin(crate::privacy::consents::seal_written_before(c, v, n))
        }),
    ];
    let mut total = 0;
    for (what, step) in steps {
        let mut sealed = 0;
        loop {
            let mut tx = db.begin_write().await?;
            let done = step(&mut tx, db.vault(), BATCH).await?;
            tx.commit().await?;
            sealed += done;
            if done == 0 {
                break;
            }
        }
        if sealed > 0 {
            tracing::info!(
                what,
                sealed,
                "sealed personal data written before encryption"
            );
        }
        total += sealed;
    }
    Ok(total)
}
