//! Hourly clean-up of data that has run its course: expired sessions, used or expired account
//! links, old rate-limit windows and finished jobs, and every kind of data past its retention
//! period (`enforce_retention`, periods from the store settings).
//!
//! It runs as a job that queues its own next run. Each run's dedupe key names its hour, so
//! however many instances start, each hour's clean-up is queued once and runs once.

use crate::platform::clock::now;
use crate::platform::db::Db;
use crate::platform::jobs::{JobContext, JobFailure, JobRegistry, NewJob, enqueue, prune_finished};
use crate::platform::rate_limit;
use shop_types::Timestamp;
use std::time::Duration;

/// The job kind.
pub const PRUNE: &str = "maintenance.prune";

/// The hourly clean-up.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Prune {}

impl crate::platform::jobs::Job for Prune {
    const KIND: &'static str = PRUNE;
}

/// Queues the clean-up for the next full hour (idempotent).
pub async fn schedule_next(db: &Db) -> Result<(), sqlx::Error> {
    let next_hour = (now().millis() / Timestamp::HOUR + 1) * Timestamp::HOUR;
    let job = NewJob::of(&Prune {})
        .map_err(|e| sqlx::Error::Encode(Box::new(e)))?
        .at(Timestamp(next_hour))
        .dedupe(format!("{PRUNE}:{next_hour}"));
    enqueue(db.pool(), &job).await.map(|_| ())
}

/// Deletes what is no longer needed, each domain through its own store; returns how many
/// rows went.
pub async fn prune(db: &Db) -> Result<u64, sqlx::Error> {
    let now = now().millis();
    let mut removed = 0;
    removed += crate::identity::sessions::prune_expired(db, now).await?;
    // Sign-ins left half-way: a second step never given, a passkey prompt never answered.
    removed += crate::identity::factors::prune_challenges(db, now).await?;
    removed += crate::identity::passkeys::prune_ceremonies(db, now).await?;
    // Used or expired account links, kept a day for support questions.
    removed += crate::account::account_service::prune_links(db, now - Timestamp::DAY).await?;
    removed += enforce_retention(db, now).await?;
    // Offline changes are replayed within days; a month covers a device long out of reach.
    removed += crate::offline::offline_sync::prune(db, now - 30 * Timestamp::DAY).await?;
    removed += rate_limit::prune(db, Duration::from_secs(24 * 3600)).await?;
    removed += crate::csp_reports::store::prune(db, now - 30 * Timestamp::DAY).await?;
    removed += prune_finished(db, Timestamp(now - 7 * Timestamp::DAY)).await?;
    Ok(removed)
}

/// Removes what is older than its kind's retention period (store settings), each kind through
/// its own domain; logs how much each purge removed. Returns the total.
pub async fn enforce_retention(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    use shop_types::retention::DataKind as K;
    let periods = {
        let mut conn = db.pool().acquire().await?;
        crate::store::queries::retention_periods(&mut conn).await?
    };
    let mut total = 0;
    for period in periods {
        let before = now - i64::from(period.days) * Timestamp::DAY;
        let removed = match period.kind {
            K::GuestCarts => crate::cart::cart_service::prune_guest_carts(db, before).await?,
            K::AbandonedCheckouts => {
                crate::checkout::checkout_service::forget_abandoned(db, before).await?
            }
            K::SignInRecords => crate::identity::devices::prune(db, before).await?,
            K::AnalyticsEvents => crate::analytics::recorder::prune(db, before).await?,
            K::Mailbox => crate::email::delivery::prune_mailbox(db, before).await?,
            K::AuditLog => crate::audit::store::prune(db, before).await?,
            K::ErasedPseudonyms => {
                crate::orders::order_store::forget_pseudonyms(db, before).await?
            }
        };
        if removed > 0 {
            tracing::info!(
                kind = period.kind.as_str(),
                days = period.days,
                removed,
                "retention: purged"
            );
        }
        total += removed;
    }
    Ok(total)
}

/// Registers the clean-up handler (which also queues the next run).
pub fn register(registry: &mut JobRegistry) {
    registry.handle(|ctx: JobContext, _: Prune| async move {
        let removed = prune(&ctx.db)
            .await
            .map_err(|e| JobFailure::retry(e.to_string()))?;
        tracing::info!(removed, "hourly clean-up done");
        schedule_next(&ctx.db)
            .await
            .map_err(|e| JobFailure::retry(e.to_string()))
    });
}
