//! The shop's side of card payments: starting one for an order, applying what the provider
//! reports (on the shopper's return, from a webhook, or when the payment window closes),
//! refunds, and received webhooks (checked, then applied once per event id).

use super::Payments;
use super::provider::{
    Intent, IntentStatus, NewIntent, PaymentError, PaymentProvider, WebhookError,
};
use crate::orders::lifecycle::{self, OrderError, PaidOutcome};
use crate::orders::links;
use crate::orders::order_facts::{self, Core};
use crate::orders::status_rules::Actor;
use crate::platform::clock::now;
use crate::platform::ids::new_id;
use shop_types::{HistoryNote, OrderStatus, PaymentMethod, StatusDetail};
use sqlx::AnyConnection;

/// The order's latest payment attempt: (payment id, intent id, status).
async fn latest_payment(
    conn: &mut AnyConnection,
    order_id: &str,
    provider: &str,
) -> Result<Option<(String, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, intent_id, status FROM payments WHERE order_id = $1 AND provider = $2
         ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .bind(order_id)
    .bind(provider)
    .fetch_optional(conn)
    .await
}

async fn order_core(p: &Payments, order_id: &str) -> Result<Core, OrderError> {
    let mut conn = p.db.pool().acquire().await?;
    order_facts::core(&mut conn, order_id)
        .await?
        .ok_or(OrderError::NotFound)
}

fn provider_error(e: PaymentError) -> OrderError {
    match e {
        PaymentError::Db(e) => OrderError::Db(e),
        other => OrderError::Provider(other.to_string()),
    }
}

/// Where the shopper pays for an unpaid card order: the current intent's page, or a new
/// intent's. `None` if the order needs no payment (any more).
pub async fn start(p: &Payments, order_id: &str) -> Result<Option<String>, OrderError> {
    let order = order_core(p, order_id).await?;
    if order.status != OrderStatus::AwaitingPayment || order.method != PaymentMethod::Card {
        return Ok(None);
    }
    // No pooled connection is held while the provider answers (it may take seconds, and a
    // pool held by waiting shoppers stalls the whole shop).
    let latest = {
        let mut conn = p.db.pool().acquire().await?;
        latest_payment(&mut conn, order_id, p.provider.name()).await?
    };
    if let Some((_, intent_id, _)) = latest {
        let intent = p
            .provider
            .retrieve_intent(&intent_id)
            .await
            .map_err(provider_error)?;
        apply(p, &intent).await?;
        match intent.status {
            IntentStatus::RequiresPaymentMethod | IntentStatus::RequiresAction => {
                return Ok(intent.pay_url);
            }
            IntentStatus::Canceled => {}
            _ => return Ok(None),
        }
    }
    let attempts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM payments WHERE order_id = $1")
        .bind(order_id)
        .fetch_one(p.db.pool())
        .await?;
    let key = links::link_key(&p.db, order_id).await?;
    let store_name = {
        let mut conn = p.db.pool().acquire().await?;
        crate::store::queries::current(&mut conn).await?.name
    };
    let request = NewIntent {
        amount: order.total,
        currency: order.currency.clone(),
        reference: order.id.clone(),
        description: format!("{store_name} order {}", order.number),
        return_url: format!("{}/orders/{}?key={key}&paid=1", p.mail.public_url, order.id),
        idempotency_key: format!("order-{}-{attempts}", order.id),
    };
    let intent = p
        .provider
        .create_intent(&request)
        .await
        .map_err(provider_error)?;
    let at = now().millis();
    sqlx::query(
        "INSERT INTO payments (id, order_id, provider, intent_id, status, amount_minor, currency, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) ON CONFLICT (provider, intent_id) DO NOTHING",
    )
    .bind(new_id().to_string())
    .bind(order_id)
    .bind(p.provider.name())
    .bind(&intent.id)
    .bind(intent.status.as_str())
    .bind(intent.amount)
    .bind(&intent.currency)
    .bind(at)
    .execute(p.db.pool())
    .await?;
    Ok(intent.pay_url)
}

/// Applies an intent's state to its payment and order: paid when it succeeded, the failure
/// reason kept when it failed. A payment that succeeds for an order already cancelled (its
/// stock given back) is refunded at once.
pub async fn apply(p: &Payments, intent: &Intent) -> Result<(), OrderError> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT id, order_id FROM payments WHERE provider = $1 AND intent_id = $2")
            .bind(p.provider.name())
            .bind(&intent.id)
            .fetch_optional(p.db.pool())
            .await?;
    let Some((payment_id, order_id)) = row else {
        return Ok(());
    };
    sqlx::query("UPDATE payments SET status = $1, last_error = $2, updated_at = $3 WHERE id = $4")
        .bind(intent.status.as_str())
        .bind(intent.last_error.as_deref())
        .bind(now().millis())
        .bind(&payment_id)
        .execute(p.db.pool())
        .await?;
    if intent.status == IntentStatus::RequiresCapture {
        let captured = p
            .provider
            .capture_intent(&intent.id, None)
            .await
            .map_err(provider_error)?;
        return Box::pin(apply(p, &captured)).await;
    }
    if intent.status != IntentStatus::Succeeded {
        return Ok(());
    }
    score_card(p, &order_id, &intent.id).await?;
    match lifecycle::mark_paid(&p.db, &order_id, &Actor::Provider).await? {
        PaidOutcome::Paid | PaidOutcome::AlreadyPaid => Ok(()),
        PaidOutcome::WasCancelled => {
            tracing::warn!(
                order_id,
                intent = intent.id,
                "payment arrived after cancellation; refunding"
            );
            p.provider
                .refund(
                    &intent.id,
                    intent.amount_received,
                    &format!("late-{}", intent.id),
                )
                .await
                .map_err(provider_error)?;
            Ok(())
        }
    }
}

/// Scores a still unpaid order again with what the provider tells about the card that paid
/// it (before it is marked paid, so a report that crashes half-way is scored again when it is
/// repeated). A provider that cannot tell leaves the order as it was scored at placing.
async fn score_card(p: &Payments, order_id: &str, intent_id: &str) -> Result<(), OrderError> {
    if order_core(p, order_id).await?.status != OrderStatus::AwaitingPayment {
        return Ok(());
    }
    match p.provider.card_history(intent_id).await {
        Ok(card) => {
            crate::fraud::assess::assess_payment(&p.db, order_id, &card).await?;
        }
        Err(PaymentError::Db(e)) => return Err(e.into()),
        Err(e) => tracing::warn!(
            order_id,
            intent = intent_id,
            error = %e,
            "the provider did not tell the card's history; the order keeps its placing score"
        ),
    }
    Ok(())
}

/// Asks the provider about an unpaid card order's latest payment and applies the answer
/// (the shopper came back from the payment page).
pub async fn refresh(p: &Payments, order_id: &str) -> Result<Option<String>, OrderError> {
    let mut conn = p.db.pool().acquire().await?;
    let Some((_, intent_id, status)) =
        latest_payment(&mut conn, order_id, p.provider.name()).await?
    else {
        return Ok(None);
    };
    drop(conn);
    if matches!(status.as_str(), "succeeded" | "canceled") {
        return Ok(None);
    }
    let intent = p
        .provider
        .retrieve_intent(&intent_id)
        .await
        .map_err(provider_error)?;
    apply(p, &intent).await?;
    Ok(intent.last_error)
}

/// The payment window of a card order closed: if it was paid meanwhile, it is marked paid;
/// otherwise the intent is cancelled at the provider and the order cancelled, giving its
/// stock back. Run by the `orders.expire_unpaid` job.
pub async fn expire(p: &Payments, order_id: &str) -> Result<bool, OrderError> {
    let order = order_core(p, order_id).await?;
    if order.status != OrderStatus::AwaitingPayment {
        return Ok(false);
    }
    let detail = if order.method == PaymentMethod::Card {
        // If it was paid meanwhile, this marks it paid and the cancel below finds nothing to do.
        stop_payment(p, order_id).await?;
        StatusDetail::CancelledUnpaid {
            minutes: (lifecycle::PAYMENT_WINDOW_MS / 60_000) as u32,
        }
    } else {
        // A manual order is cancelled only when its own deadline has passed (a job left from
        // a longer setting must not cut a shorter wait short, or the other way round).
        let deadline = order.pay_by.unwrap_or(i64::MAX);
        if now().millis() < deadline {
            return Ok(false);
        }
        StatusDetail::CancelledUnpaidDays {
            days: ((deadline - order.created_at) / shop_types::Timestamp::DAY).max(1) as u32,
        }
    };
    let mut tx = p.db.begin_write().await?;
    let cancelled = lifecycle::cancel_unpaid_in(
        &mut tx,
        order_id,
        &crate::orders::status_rules::Actor::System,
        HistoryNote::NotPaidInTime,
    )
    .await?;
    if cancelled {
        // Tell the shopper, who may think the order stands.
        lifecycle::announce_status(&mut tx, order_id, OrderStatus::Cancelled, detail).await?;
    }
    tx.commit().await?;
    Ok(cancelled)
}

/// Refunds `amount` of an order: through the provider for card orders, recorded only for
/// manual methods (the money goes back by hand).
pub async fn refund(
    p: &Payments,
    order_id: &str,
    amount: i64,
    reason: &str,
    actor: &Actor,
) -> Result<OrderStatus, OrderError> {
    let order = order_core(p, order_id).await?;
    // Before the provider moves any money: an order that may not be refunded now (awaiting
    // payment, cancelled, already refunded) is refused here, not after the fact.
    lifecycle::refund_allowed(&order, amount)?;
    let mut provider_refund = None;
    if order.method == PaymentMethod::Card {
        let row: Option<(String, String)> = sqlx::query_as(
            "SELECT id, intent_id FROM payments WHERE order_id = $1 AND provider = $2 AND status = 'succeeded'
             ORDER BY created_at DESC LIMIT 1",
        )
        .bind(order_id)
        .bind(p.provider.name())
        .fetch_optional(p.db.pool())
        .await?;
        let Some((pid, intent)) = row else {
            return Err(OrderError::NotAllowed {
                from: Some(order.status),
                to: OrderStatus::Refunded,
            });
        };
        // The key names the refund by what was refunded before, so a retried click does not
        // refund twice.
        let refund = p
            .provider
            .refund(
                &intent,
                amount,
                &format!("refund-{order_id}-{}-{amount}", order.refunded),
            )
            .await
            .map_err(provider_error)?;
        provider_refund = Some((pid, refund.id));
    }
    let mut tx = p.db.begin_write().await?;
    let to = lifecycle::record_refund(
        &mut tx,
        order_id,
        amount,
        provider_refund
            .as_ref()
            .map(|(p, r)| (p.as_str(), r.as_str())),
        reason,
        actor,
    )
    .await?;
    if let Some((payment, _)) = &provider_refund {
        sqlx::query(
            "UPDATE payments SET refunded_minor = refunded_minor + $1, updated_at = $2 WHERE id = $3",
        )
        .bind(amount)
        .bind(crate::platform::clock::now().millis())
        .bind(payment)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(to)
}

/// A webhook could not be accepted.
#[derive(Debug, thiserror::Error)]
pub enum ReceiveError {
    #[error("unknown provider")]
    UnknownProvider,
    #[error(transparent)]
    Refused(#[from] WebhookError),
    #[error(transparent)]
    Failed(#[from] OrderError),
}

/// Checks and applies one webhook delivery. A re-delivered event (same id) is acknowledged
/// without being applied again.
pub async fn receive_webhook(
    p: &Payments,
    provider: &str,
    signature: Option<&str>,
    body: &[u8],
) -> Result<bool, ReceiveError> {
    if provider != p.provider.name() {
        return Err(ReceiveError::UnknownProvider);
    }
    let event = p.provider.verify_webhook(signature, body, now()).await?;
    let fresh = sqlx::query(
        "INSERT INTO webhook_events (provider, event_id, kind, received_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (provider, event_id) DO NOTHING",
    )
    .bind(provider)
    .bind(&event.id)
    .bind(&event.kind)
    .bind(now().millis())
    .execute(p.db.pool())
    .await
    .map_err(OrderError::from)?;
    if fresh.rows_affected() != 1 {
        return Ok(false);
    }
    if let Some(intent) = &event.intent
        && let Err(e) = apply(p, intent).await
    {
        // Let the provider deliver it again later.
        sqlx::query("DELETE FROM webhook_events WHERE provider = $1 AND event_id = $2")
            .bind(provider)
            .bind(&event.id)
            .execute(p.db.pool())
            .await
            .map_err(OrderError::from)?;
        return Err(e.into());
    }
    Ok(true)
}

/// Stops the order's open card payment at the provider because the order is being cancelled.
/// If the payment succeeded meanwhile, the order is marked paid instead (and the cancel that
/// follows is then checked against a paid order).
pub async fn stop_payment(p: &Payments, order_id: &str) -> Result<(), OrderError> {
    let mut conn = p.db.pool().acquire().await?;
    let latest = latest_payment(&mut conn, order_id, p.provider.name()).await?;
    drop(conn);
    let Some((_, intent_id, status)) = latest else {
        return Ok(());
    };
    if matches!(status.as_str(), "succeeded" | "canceled") {
        return Ok(());
    }
    let intent = match p.provider.cancel_intent(&intent_id).await {
        Ok(intent) => intent,
        Err(PaymentError::Refused(_)) => p
            .provider
            .retrieve_intent(&intent_id)
            .await
            .map_err(provider_error)?,
        Err(e) => return Err(provider_error(e)),
    };
    apply(p, &intent).await
}
