//! Staff's decision on a held order. Approving releases it for packing; rejecting cancels it
//! (an unpaid order's payment is stopped first, a paid one is refunded in full and its stock
//! given back). Money moves before the decision is recorded, while the order is still held, so
//! a failed refund leaves it waiting in the queue rather than released unpaid-back.

use super::risk_store::{self, Review};
use super::views::{ReviewItem, ReviewQueue};
use crate::orders::lifecycle::{self, OrderError};
use crate::orders::order_facts::core;
use crate::orders::payment_port::OrderPayments;
use crate::orders::status_rules::Actor;
use crate::platform::audit_trail::{self, Who};
use crate::platform::db::Db;
use shop_types::{Currency, HistoryNote, Money, OrderStatus, Timestamp};
use sqlx::{AnyConnection, Row};

/// How many decided orders the queue page shows below the waiting ones.
const RECENT: i64 = 50;

/// The review queue with each order's summary.
pub async fn queue(
    conn: &mut AnyConnection,
    vault: &crate::platform::vault::Vault,
) -> Result<ReviewQueue, sqlx::Error> {
    let (waiting, decided) = risk_store::queue(conn, RECENT).await?;
    let (review_score, cancel_score) = crate::store::queries::risk_scores(conn).await?;
    let mut items = (Vec::new(), Vec::new());
    for a in waiting {
        items.0.extend(item(&mut *conn, vault, a).await?);
    }
    for a in decided {
        items.1.extend(item(&mut *conn, vault, a).await?);
    }
    Ok(ReviewQueue {
        waiting: items.0,
        decided: items.1,
        review_score,
        cancel_score,
    })
}

async fn item(
    conn: &mut AnyConnection,
    vault: &crate::platform::vault::Vault,
    a: risk_store::Assessed,
) -> Result<Option<ReviewItem>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT o.number, o.created_at, o.email, o.key_id, o.pseudonym, o.total_minor, o.currency, o.status,
                u.email AS reviewer, u.key_id AS reviewer_key
         FROM orders o LEFT JOIN users u ON u.id = $2 WHERE o.id = $1",
    )
    .bind(&a.order_id)
    .bind(
        a.reviewed_by
            .as_deref()
            .and_then(|t| t.strip_prefix("staff:"))
            .unwrap_or(""),
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let keys = [
        r.try_get::<Option<String>, _>("key_id")?,
        r.try_get::<Option<String>, _>("reviewer_key")?,
    ];
    let openers = vault.openers(conn, &keys).await?;
    let reviewer = r
        .try_get::<Option<String>, _>("reviewer")?
        .map(|sealed| openers.of(keys[1].as_deref()).open("users.email", &sealed))
        .transpose()?;
    let currency: String = r.try_get("currency")?;
    let status: String = r.try_get("status")?;
    Ok(Some(ReviewItem {
        order_id: a.order_id,
        number: r.try_get("number")?,
        placed_at: Timestamp(r.try_get("created_at")?),
        email: crate::orders::order_queries::shown_email(&openers.of(keys[0].as_deref()), &r)?,
        total: Money::new(
            r.try_get("total_minor")?,
            Currency::parse(&currency).unwrap_or(Currency::EUR),
        ),
        status: OrderStatus::parse(&status).unwrap_or(OrderStatus::Cancelled),
        score: a.score,
        reasons: a.reasons,
        review: a.review,
        reviewed_by: reviewer,
        reviewed_at: a.reviewed_at.map(Timestamp),
    }))
}

/// Records the decision and releases the hold, in one transaction.
async fn record(
    db: &Db,
    order_id: &str,
    who: &Who,
    review: Review,
    after_refund: bool,
) -> Result<(), OrderError> {
    let mut tx = db.begin_write().await?;
    if !risk_store::set_review(&mut tx, order_id, review, &who.tag()).await? {
        return Err(OrderError::NotHeld);
    }
    let note = match review {
        Review::Approved => HistoryNote::ApprovedAfterReview,
        Review::Rejected => HistoryNote::RejectedAfterReview,
    };
    let order =
        lifecycle::release_hold_in(&mut tx, order_id, &Actor::Staff(who.clone()), note).await?;
    if after_refund {
        lifecycle::release_in(&mut tx, order_id).await?;
    }
    let action = match review {
        Review::Approved => "risk.order_approved",
        Review::Rejected => "risk.order_rejected",
    };
    audit_trail::record(
        &mut tx,
        who,
        action,
        &format!("order:{order_id}"),
        None,
        Some(serde_json::json!({ "number": order.number, "status": order.status.as_str() })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Releases a held order for packing.
pub async fn approve(db: &Db, order_id: &str, who: &Who) -> Result<(), OrderError> {
    record(db, order_id, who, Review::Approved, false).await
}

/// Cancels a held order: its payment stopped or refunded, its stock given back.
pub async fn reject(
    db: &Db,
    payments: &dyn OrderPayments,
    order_id: &str,
    who: &Who,
) -> Result<(), OrderError> {
    let mut conn = db.pool().acquire().await?;
    let order = core(&mut conn, order_id)
        .await?
        .ok_or(OrderError::NotFound)?;
    drop(conn);
    if !order.held {
        return Err(OrderError::NotHeld);
    }
    let actor = Actor::Staff(who.clone());
    let mut refunded = false;
    match order.status {
        OrderStatus::AwaitingPayment => {
            payments.stop(order_id).await?;
            lifecycle::transition(db, order_id, OrderStatus::Cancelled, &actor, None, "").await?;
        }
        // A held order is never packed, so what was paid is paid back whole.
        OrderStatus::Paid | OrderStatus::PartlyRefunded => {
            let left = order.total - order.refunded;
            if left > 0 {
                payments
                    .refund(order_id, left, "Not accepted after a risk review", &actor)
                    .await?;
            }
            refunded = true;
        }
        // Cancelled or refunded meanwhile (a retry after a failure): only the decision is left.
        OrderStatus::Cancelled | OrderStatus::Refunded => refunded = true,
        other => {
            return Err(OrderError::NotAllowed {
                from: Some(other),
                to: OrderStatus::Cancelled,
            });
        }
    }
    record(db, order_id, who, Review::Rejected, refunded).await
}
