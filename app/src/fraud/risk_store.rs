//! Every write to `order_risk`, and the counts the rules ask of it. The `*_key` columns hold
//! keyed hashes (`assess::Keys`), so the counts compare people without the table naming them.

use crate::platform::clock::now;
use crate::platform::db::Engine;
use shop_types::{RiskDecision, RiskReason};
use sqlx::{AnyConnection, Row};

/// What the rules count by. The column is picked from this list, never from input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyKind {
    Email,
    Client,
    Device,
    Address,
    Name,
    /// The card that paid (set once the payment went through).
    Card,
}

impl KeyKind {
    fn column(self) -> &'static str {
        match self {
            Self::Email => "email_key",
            Self::Client => "client_key",
            Self::Device => "device_key",
            Self::Address => "address_key",
            Self::Name => "name_key",
            Self::Card => "card_key",
        }
    }
}

/// A new order's assessment.
#[derive(Clone, Debug)]
pub struct NewRisk<'a> {
    pub order_id: &'a str,
    pub score: u32,
    pub decision: RiskDecision,
    pub reasons: &'a [RiskReason],
    pub email_key: &'a str,
    pub client_key: Option<&'a str>,
    pub device_key: Option<&'a str>,
    pub address_key: &'a str,
    pub name_key: &'a str,
    pub at: i64,
}

/// Records an order's assessment (once per order).
pub async fn insert(tx: &mut AnyConnection, r: &NewRisk<'_>) -> Result<(), sqlx::Error> {
    let reasons = serde_json::to_string(r.reasons).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query(
        "INSERT INTO order_risk (order_id, score, decision, reasons, email_key, client_key, device_key,
            address_key, name_key, scored_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(r.order_id)
    .bind(i64::from(r.score))
    .bind(r.decision.as_str())
    .bind(reasons)
    .bind(r.email_key)
    .bind(r.client_key)
    .bind(r.device_key)
    .bind(r.address_key)
    .bind(r.name_key)
    .bind(r.at)
    .execute(tx)
    .await
    .map(|_| ())
}

/// An assessment as scoring it again needs it.
#[derive(Clone, Debug)]
pub struct Scored {
    pub decision: RiskDecision,
    pub reasons: Vec<RiskReason>,
    pub email_key: String,
}

/// The order's assessment for scoring it again, locked for this transaction's update on
/// engines that lock rows (PostgreSQL); `None` if the order was never scored.
pub async fn for_rescoring(
    tx: &mut AnyConnection,
    order_id: &str,
    engine: Engine,
) -> Result<Option<Scored>, sqlx::Error> {
    let lock = match engine {
        Engine::Postgres => " FOR UPDATE",
        Engine::Sqlite => "",
    };
    let row = sqlx::query(&format!(
        "SELECT decision, reasons, email_key FROM order_risk WHERE order_id = $1{lock}"
    ))
    .bind(order_id)
    .fetch_optional(tx)
    .await?;
    row.map(|r| {
        let decision: String = r.try_get("decision")?;
        let reasons: String = r.try_get("reasons")?;
        Ok(Scored {
            decision: RiskDecision::parse(&decision).unwrap_or(RiskDecision::Accept),
            reasons: serde_json::from_str(&reasons).unwrap_or_default(),
            email_key: r.try_get("email_key")?,
        })
    })
    .transpose()
}

/// Keeps an order's new assessment after its payment: the card's key, score, decision and
/// reasons (the time it was first scored stays, so the windows keep counting from placing).
pub async fn rescore(
    tx: &mut AnyConnection,
    order_id: &str,
    card_key: Option<&str>,
    score: u32,
    decision: RiskDecision,
    reasons: &[RiskReason],
) -> Result<(), sqlx::Error> {
    let reasons = serde_json::to_string(reasons).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query(
        "UPDATE order_risk SET card_key = $1, score = $2, decision = $3, reasons = $4
         WHERE order_id = $5",
    )
    .bind(card_key)
    .bind(i64::from(score))
    .bind(decision.as_str())
    .bind(reasons)
    .bind(order_id)
    .execute(tx)
    .await
    .map(|_| ())
}

/// Counts stop here: the rules decide far below it, and a key shared by thousands of orders
/// (a pick-up point's address, a company's network) must not make every checkout count them
/// all inside its transaction.
pub const COUNT_CAP: i64 = 100;

/// How many of a key's latest orders the "other e-mail addresses" counts look at.
pub const RECENT_ORDERS: i64 = 200;

/// Assessed orders with `key` since `since` (milliseconds), up to [`COUNT_CAP`], leaving out
/// the order `except` when given.
pub async fn count_since(
    conn: &mut AnyConnection,
    kind: KeyKind,
    key: &str,
    since: i64,
    except: Option<&str>,
) -> Result<u32, sqlx::Error> {
    let sql = format!(
        "SELECT COUNT(*) FROM (SELECT 1 AS one FROM order_risk
           WHERE {} = $1 AND scored_at >= $2 AND order_id <> $3 LIMIT {COUNT_CAP}) AS recent",
        kind.column()
    );
    let n: i64 = sqlx::query_scalar(&sql)
        .bind(key)
        .bind(since)
        // Order ids are never empty.
        .bind(except.unwrap_or(""))
        .fetch_one(conn)
        .await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Other e-mail addresses that gave `key` since `since`, among the key's latest
/// [`RECENT_ORDERS`] orders.
pub async fn other_emails_since(
    conn: &mut AnyConnection,
    kind: KeyKind,
    key: &str,
    email_key: &str,
    since: i64,
) -> Result<u32, sqlx::Error> {
    let sql = format!(
        "SELECT COUNT(DISTINCT email_key) FROM (SELECT email_key FROM order_risk
           WHERE {} = $1 AND email_key <> $2 AND scored_at >= $3
           ORDER BY scored_at DESC LIMIT {RECENT_ORDERS}) AS recent",
        kind.column()
    );
    let n: i64 = sqlx::query_scalar(&sql)
        .bind(key)
        .bind(email_key)
        .bind(since)
        .fetch_one(conn)
        .await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// How staff decided a held order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Review {
    Approved,
    Rejected,
}

impl Review {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Approved => "approved",
            Self::Rejected => "rejected",
        }
    }
}

/// Records staff's decision on a held order; false if it was not waiting for one.
pub async fn set_review(
    tx: &mut AnyConnection,
    order_id: &str,
    review: Review,
    by: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE order_risk SET review = $1, reviewed_by = $2, reviewed_at = $3
         WHERE order_id = $4 AND decision = 'review' AND review IS NULL",
    )
    .bind(review.as_str())
    .bind(by)
    .bind(now().millis())
    .bind(order_id)
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// An order's assessment as staff see it.
#[derive(Clone, Debug)]
pub struct Assessed {
    pub order_id: String,
    pub score: u32,
    pub decision: RiskDecision,
    pub reasons: Vec<RiskReason>,
    pub review: Option<String>,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<i64>,
    pub scored_at: i64,
}

fn assessed(r: &sqlx::any::AnyRow) -> Result<Assessed, sqlx::Error> {
    let decision: String = r.try_get("decision")?;
    let reasons: String = r.try_get("reasons")?;
    Ok(Assessed {
        order_id: r.try_get("order_id")?,
        score: u32::try_from(r.try_get::<i64, _>("score")?).unwrap_or(0),
        decision: RiskDecision::parse(&decision).unwrap_or(RiskDecision::Accept),
        // A row the application wrote always parses; an unreadable one shows no reasons.
        reasons: serde_json::from_str(&reasons).unwrap_or_default(),
        review: r.try_get("review")?,
        reviewed_by: r.try_get("reviewed_by")?,
        reviewed_at: r.try_get("reviewed_at")?,
        scored_at: r.try_get("scored_at")?,
    })
}

const COLUMNS: &str =
    "order_id, score, decision, reasons, review, reviewed_by, reviewed_at, scored_at";

/// An order's assessment, if it was scored.
pub async fn of_order(
    conn: &mut AnyConnection,
    order_id: &str,
) -> Result<Option<Assessed>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM order_risk WHERE order_id = $1"
    ))
    .bind(order_id)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(assessed).transpose()
}

/// Orders waiting for review (oldest first, they wait longest), then the latest `recent`
/// decided or cancelled ones (newest first).
pub async fn queue(
    conn: &mut AnyConnection,
    recent: i64,
) -> Result<(Vec<Assessed>, Vec<Assessed>), sqlx::Error> {
    let waiting = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM order_risk WHERE decision = 'review' AND review IS NULL
         ORDER BY scored_at, order_id LIMIT 200"
    ))
    .fetch_all(&mut *conn)
    .await?;
    let done = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM order_risk
         WHERE (decision = 'review' AND review IS NOT NULL) OR decision = 'cancel'
         ORDER BY COALESCE(reviewed_at, scored_at) DESC, order_id LIMIT $1"
    ))
    .bind(recent)
    .fetch_all(&mut *conn)
    .await?;
    Ok((
        waiting.iter().map(assessed).collect::<Result<_, _>>()?,
        done.iter().map(assessed).collect::<Result<_, _>>()?,
    ))
}
