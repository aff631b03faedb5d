//! Scoring a new order, in the transaction that places it: the signals are gathered from the
//! orders before it (`risk_store` counts, the shop's average order), the rules turn them into
//! reasons, the shop's thresholds into a decision, which is applied at once (held orders are
//! flagged in `orders`, cancelled ones give their stock back) and kept with its reasons.

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

/// Keyed hashes of what the rules compare (made before the placing transaction: the key may
/// be created on first use).
#[derive(Clone, Debug)]
pub struct Keys {
    /// The e-mail's blind index (as orders store it), to find earlier orders.
    pub email_index: String,
    pub email: String,
    pub client: Option<String>,
    pub device: Option<String>,
    pub address: String,
    pub name: String,
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
        risk_store::count_since(tx, KeyKind::Email, &keys.email, velocity).await? + 1;
    let network_orders = match &keys.client {
        Some(k) => Some(risk_store::count_since(tx, KeyKind::Client, k, velocity).await? + 1),
        None => None,
    };
    let device_orders = match &keys.device {
        Some(k) => Some(risk_store::count_since(tx, KeyKind::Device, k, velocity).await? + 1),
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
    let since = at.millis() - i64::from(rules::AVERAGE_DAYS) * Timestamp::DAY;
    let (sum, count): (i64, i64) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(total_minor), 0) AS BIGINT), COUNT(*) FROM orders
         WHERE created_at >= $1 AND id <> $2 AND status NOT IN ('awaiting_payment', 'cancelled')",
    )
    .bind(since)
    .bind(facts.order_id)
    .fetch_one(&mut *tx)
    .await?;
    Ok(Signals {
        disposable_domain: super::disposable::disposable_domain(facts.email),
        delivery_country: facts.delivery.country.clone(),
        billing_country: facts.billing.map(|b| b.country.clone()),
        email_orders,
        network_orders,
        device_orders,
        first_order: by_email.is_none() && by_account.is_none(),
        total_minor: facts.total_minor,
        average_minor: (count >= rules::AVERAGE_MIN_ORDERS).then(|| sum / count),
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
