//! Scoring a new order, in the transaction that places it: the signals are gathered from the
//! orders before it (`risk_store` counts, the shop's average order), the rules turn them into
//! reasons, the shop's thresholds into a decision, which is applied at once (held orders are
//! flagged in `orders`, cancelled ones give their stock back) and kept with its reasons.
//!
//! A card order is scored again once its payment went through (`assess_payment`): only then
//! does the provider know the card that paid and how many were declined before it.

use super::risk_store::{self, KeyKind, NewRisk};
use super::rules::{self, Signals};
use crate::orders::lifecycle;
use crate::orders::status_rules::Actor;
use crate::platform::clock::now;
use crate::platform::db::Db;
use shop_types::risk::score_of;
use shop_types::{AddressInput, HistoryNote, RiskDecision, RiskReason, Timestamp};
use sqlx::AnyConnection;

/// What the placing code knows about the new order.
#[derive(Clone, Debug)]
pub struct Facts<'a> {
    pub order_id: &'a str,
    pub user_id: Option<&'a str>,
    pub email: &'a str,
    pub delivery: &'a AddressInput,
    /// When it is not the delivery address.
    pub billing: Option<&'a AddressInput>,
    pub total_minor: i64,
    /// The caller's network as rate limits count it (an address, or an IPv6 /64).
    pub client: Option<&'a str>,
    /// The browser's random id (its device or cart cookie).
    pub device: Option<&'a str>,
}

/// What scoring needs from outside the placing transaction: keyed hashes of what the rules
/// compare, and the shop's average order (a scan of 90 days of orders, read at most every
/// [`AVERAGE_MAX_AGE`] rather than inside every placing transaction).
#[derive(Clone, Debug)]
pub struct Keys {
    /// The shop's average order over the last [`rules::AVERAGE_DAYS`], when there were enough.
    pub average_minor: Option<i64>,
    /// The e-mail's blind index (as orders store it), to find earlier orders.
    pub email_index: String,
    pub email: String,
    pub client: Option<String>,
    pub device: Option<String>,
    pub address: String,
    pub name: String,
}

/// How old the shop's average order may be: it moves slowly, and reading it costs a scan
/// of 90 days of orders, which grew every checkout's transaction with the shop's history.
pub const AVERAGE_MAX_AGE: std::time::Duration = std::time::Duration::from_secs(600);

/// The shop's average paid order over the last [`rules::AVERAGE_DAYS`] (`None` below
/// [`rules::AVERAGE_MIN_ORDERS`] orders), at most [`AVERAGE_MAX_AGE`] old.
pub async fn shop_average(db: &Db) -> Result<Option<i64>, sqlx::Error> {
    db.recent_figure("fraud.average_order", AVERAGE_MAX_AGE, || async {
        let since = now().millis() - i64::from(rules::AVERAGE_DAYS) * Timestamp::DAY;
        let (sum, count): (i64, i64) = sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(total_minor), 0) AS BIGINT), COUNT(*) FROM orders
             WHERE created_at >= $1 AND status NOT IN ('awaiting_payment', 'cancelled')",
        )
        .bind(since)
        .fetch_one(db.pool())
        .await?;
        Ok((count >= rules::AVERAGE_MIN_ORDERS).then(|| sum / count))
    })
    .await
}

/// Lower case with single spaces, so `Main St  1` and `main st 1` are the same.
fn normal(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl Keys {
    /// The keys of `facts` under the shop's risk secret.
    pub async fn of(db: &Db, facts: &Facts<'_>) -> Result<Self, sqlx::Error> {
        // Blind indexes under the vault's key (wrapped by the master key), shortened: they
        // only need to tell orders apart within the rules' windows.
        let vault = db.vault();
        let key = |kind: &str, value: &str| {
            let mut index = vault.blind_index(&format!("risk:{kind}"), value);
            index.truncate(32);
            index
        };
        let d = facts.delivery;
        Ok(Self {
            average_minor: shop_average(db).await?,
            email_index: vault.email_index(facts.email),
            email: key("email", &normal(facts.email)),
            client: facts
                .client
                .filter(|c| !c.is_empty() && *c != "unknown")
                .map(|c| key("client", c)),
            device: facts
                .device
                .filter(|d| !d.is_empty())
                .map(|d| key("device", d)),
            address: key(
                "address",
                &format!(
                    "{}|{}|{}|{}",
                    normal(&d.line1),
                    normal(&d.line2),
                    normal(&d.postal_code),
                    d.country
                ),
            ),
            name: key("name", &normal(&d.full_name)),
        })
    }
}

/// The score, the decision and the reasons behind them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assessment {
    pub score: u32,
    pub decision: RiskDecision,
    pub reasons: Vec<RiskReason>,
}

async fn signals(
    tx: &mut AnyConnection,
    facts: &Facts<'_>,
    keys: &Keys,
    at: Timestamp,
) -> Result<Signals, sqlx::Error> {
    let velocity = at.millis() - i64::from(rules::VELOCITY_HOURS) * Timestamp::HOUR;
    let reuse = at.millis() - i64::from(rules::REUSE_DAYS) * Timestamp::DAY;
    // The new order is not in `order_risk` yet: each count adds it.
    let email_orders =
        risk_store::count_since(tx, KeyKind::Email, &keys.email, velocity, None).await? + 1;
    let network_orders = match &keys.client {
        Some(k) => Some(risk_store::count_since(tx, KeyKind::Client, k, velocity, None).await? + 1),
        None => None,
    };
    let device_orders = match &keys.device {
        Some(k) => Some(risk_store::count_since(tx, KeyKind::Device, k, velocity, None).await? + 1),
        None => None,
    };
    // Two indexed look-ups, not an OR over the table.
    let by_email: Option<String> =
        sqlx::query_scalar("SELECT id FROM orders WHERE email_index = $1 AND id <> $2 LIMIT 1")
            .bind(&keys.email_index)
            .bind(facts.order_id)
            .fetch_optional(&mut *tx)
            .await?;
    let by_account: Option<String> = match (&by_email, facts.user_id) {
        (None, Some(user)) => {
            sqlx::query_scalar("SELECT id FROM orders WHERE user_id = $1 AND id <> $2 LIMIT 1")
                .bind(user)
                .bind(facts.order_id)
                .fetch_optional(&mut *tx)
                .await?
        }
        _ => None,
    };
    Ok(Signals {
        disposable_domain: super::disposable::disposable_domain(facts.email),
        delivery_country: facts.delivery.country.clone(),
        billing_country: facts.billing.map(|b| b.country.clone()),
        email_orders,
        network_orders,
        device_orders,
        first_order: by_email.is_none() && by_account.is_none(),
        total_minor: facts.total_minor,
        average_minor: keys.average_minor,
        address_others: risk_store::other_emails_since(
            tx,
            KeyKind::Address,
            &keys.address,
            &keys.email,
            reuse,
        )
        .await?,
        name_others: risk_store::other_emails_since(
            tx,
            KeyKind::Name,
            &keys.name,
            &keys.email,
            reuse,
        )
        .await?,
    })
}

/// Scores the new order in its placing transaction, keeps the assessment and applies the
/// decision: a held order waits for staff, a cancelled one gives its stock back.
pub async fn assess_in(
    tx: &mut AnyConnection,
    facts: &Facts<'_>,
    keys: &Keys,
) -> Result<Assessment, sqlx::Error> {
    let at = now();
    let signals = signals(tx, facts, keys, at).await?;
    let reasons = rules::reasons(&signals);
    let score = score_of(&reasons);
    let (review_at, cancel_at) = crate::store::queries::risk_scores(tx).await?;
    let decision = RiskDecision::for_score(score, review_at, cancel_at);
    risk_store::insert(
        tx,
        &NewRisk {
            order_id: facts.order_id,
            score,
            decision,
            reasons: &reasons,
            email_key: &keys.email,
            client_key: keys.client.as_deref(),
            device_key: keys.device.as_deref(),
            address_key: &keys.address,
            name_key: &keys.name,
            at: at.millis(),
        },
    )
    .await?;
    match decision {
        RiskDecision::Accept => {}
        RiskDecision::Review => lifecycle::hold_in(tx, facts.order_id).await?,
        RiskDecision::Cancel => {
            lifecycle::cancel_unpaid_in(
                tx,
                facts.order_id,
                &Actor::System,
                HistoryNote::FailedRiskCheck,
            )
            .await?;
        }
    }
    Ok(Assessment {
        score,
        decision,
        reasons,
    })
}

/// What the payment provider tells about the card that paid an order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CardFacts {
    /// Declined attempts before the payment went through.
    pub declines: u32,
    /// The provider's fingerprint of the card (the same card gives the same one).
    pub fingerprint: Option<String>,
}

/// Scores a card order again once its payment went through, with the card's signals: the
/// reasons from placing stay, the card's replace any from an earlier report (a payment
/// reported twice, by webhook and by the shopper's return, counts once). A higher score holds
/// an accepted order for review; it never cancels a paid order (staff decide, and rejecting
/// it refunds) and never reopens a review staff already decided. `None`: the order was never
/// scored.
pub async fn assess_payment(
    db: &Db,
    order_id: &str,
    card: &CardFacts,
) -> Result<Option<Assessment>, sqlx::Error> {
    let card_key = card.fingerprint.as_deref().map(|f| {
        let mut key = db.vault().blind_index("risk:card", f);
        key.truncate(32);
        key
    });
    let at = now().millis();
    let mut tx = db.begin_write().await?;
    let Some(scored) = risk_store::for_rescoring(&mut tx, order_id, db.engine()).await? else {
        return Ok(None);
    };
    let (card_orders, card_others) = match &card_key {
        Some(key) => {
            let velocity = at - i64::from(rules::VELOCITY_HOURS) * Timestamp::HOUR;
            let reuse = at - i64::from(rules::REUSE_DAYS) * Timestamp::DAY;
            // This order's row does not carry the key yet (or carries it from a repeated
            // report): count the others, then add this one.
            let others =
                risk_store::count_since(&mut tx, KeyKind::Card, key, velocity, Some(order_id))
                    .await?;
            let emails = risk_store::other_emails_since(
                &mut tx,
                KeyKind::Card,
                key,
                &scored.email_key,
                reuse,
            )
            .await?;
            (Some(others + 1), Some(emails))
        }
        None => (None, None),
    };
    let mut reasons: Vec<RiskReason> = scored
        .reasons
        .into_iter()
        .filter(|r| !rules::is_card_signal(&r.signal))
        .collect();
    reasons.extend(rules::card_reasons(&rules::CardSignals {
        declines: card.declines,
        card_orders,
        card_others,
    }));
    let score = score_of(&reasons);
    let (review_at, cancel_at) = crate::store::queries::risk_scores(&mut tx).await?;
    let decision = match scored.decision {
        RiskDecision::Accept
            if RiskDecision::for_score(score, review_at, cancel_at) != RiskDecision::Accept =>
        {
            lifecycle::hold_in(&mut tx, order_id).await?;
            RiskDecision::Review
        }
        // Held, decided by staff, or cancelled: the decision stands, the reasons are kept.
        kept => kept,
    };
    risk_store::rescore(
        &mut tx,
        order_id,
        card_key.as_deref(),
        score,
        decision,
        &reasons,
    )
    .await?;
    tx.commit().await?;
    Ok(Some(Assessment {
        score,
        decision,
        reasons,
    }))
}
