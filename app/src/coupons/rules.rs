//! Coupon codes: looking one up, checking it against the cart and the clock, and counting its
//! uses so that limits hold when many shoppers order at once.
//!
//! A use is taken in the order's transaction by conditional `UPDATE`s (`redeem`) and given back
//! when the order is cancelled or never paid (`release`). Checking a code while the shopper is
//! still at the checkout (`Coupon::check`) promises nothing: only `redeem` decides.

use super::effect::CouponEffect;
use shop_types::{Currency, Money, Problem, Timestamp};
use sqlx::{AnyConnection, Row};

/// A coupon as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Coupon {
    pub id: String,
    pub code: String,
    pub effect: CouponEffect,
    pub min_subtotal_minor: i64,
    pub starts_at: Option<i64>,
    pub ends_at: Option<i64>,
    pub usage_limit: Option<i64>,
    pub per_customer_limit: Option<i64>,
    pub times_used: i64,
}

/// Why a coupon does not apply; the message is fit to show.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum CouponError {
    #[error("{}", Problem::from(self))]
    Unknown,
    #[error("{}", Problem::from(self))]
    NotYet,
    #[error("{}", Problem::from(self))]
    Expired,
    #[error("{}", Problem::from(self))]
    MinimumNotReached(Money),
    #[error("{}", Problem::from(self))]
    UsedUp,
    #[error("{}", Problem::from(self))]
    UsedByYou,
}

/// Normalises what a shopper typed: trimmed, capitals, at most 40 characters of letters,
/// digits, `-` and `_`.
pub fn normalise_code(input: &str) -> Option<String> {
    let code = input.trim().to_ascii_uppercase();
    let ok = !code.is_empty()
        && code.len() <= 40
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    ok.then_some(code)
}

impl Coupon {
    /// Whether the coupon applies now to goods worth `subtotal_minor`, given how often this
    /// customer used it.
    pub fn check(
        &self,
        now: Timestamp,
        subtotal_minor: i64,
        currency: Currency,
        used_by_customer: i64,
    ) -> Result<(), CouponError> {
        if self.starts_at.is_some_and(|s| now.millis() < s) {
            return Err(CouponError::NotYet);
        }
        if self.ends_at.is_some_and(|e| now.millis() >= e) {
            return Err(CouponError::Expired);
        }
        if subtotal_minor < self.min_subtotal_minor {
            return Err(CouponError::MinimumNotReached(Money::new(
                self.min_subtotal_minor,
                currency,
            )));
        }
        if self.usage_limit.is_some_and(|l| self.times_used >= l) {
            return Err(CouponError::UsedUp);
        }
        if self
            .per_customer_limit
            .is_some_and(|l| used_by_customer >= l)
        {
            return Err(CouponError::UsedByYou);
        }
        Ok(())
    }

    /// What the coupon does, in words.
    pub fn describe(&self, currency: Currency) -> String {
        match self.effect {
            CouponEffect::Percent(p) => format!("{p} % off"),
            CouponEffect::Fixed(m) => format!("{} off", Money::new(m, currency)),
            CouponEffect::FreeShipping => "Free shipping".to_owned(),
        }
    }
}

/// The coupon with this (normalised) code, if any.
pub async fn find(conn: &mut AnyConnection, code: &str) -> Result<Option<Coupon>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, code, kind, value, min_subtotal_minor, starts_at, ends_at, usage_limit,
                per_customer_limit, times_used
         FROM coupons WHERE code = $1",
    )
    .bind(code)
    .fetch_optional(conn)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let kind: String = r.try_get("kind")?;
    let Some(effect) = CouponEffect::from_row(&kind, r.try_get("value")?) else {
        return Ok(None);
    };
    Ok(Some(Coupon {
        id: r.try_get("id")?,
        code: r.try_get("code")?,
        effect,
        min_subtotal_minor: r.try_get("min_subtotal_minor")?,
        starts_at: r.try_get("starts_at")?,
        ends_at: r.try_get("ends_at")?,
        usage_limit: r.try_get("usage_limit")?,
        per_customer_limit: r.try_get("per_customer_limit")?,
        times_used: r.try_get("times_used")?,
    }))
}

/// How often `customer_key` used the coupon (in orders not cancelled).
pub async fn uses_by(
    conn: &mut AnyConnection,
    coupon_id: &str,
    customer_key: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COALESCE(MAX(uses), 0) FROM coupon_customer_uses WHERE coupon_id = $1 AND customer_key = $2",
    )
    .bind(coupon_id)
    .bind(customer_key)
    .fetch_one(conn)
    .await
}

/// The key per-customer limits count by: the account, or a guest's e-mail address by its
/// blind index (`platform::vault`; the address itself is never stored readable).
pub fn customer_key(user_id: Option<&str>, email_index: &str) -> String {
    match user_id {
        Some(id) => format!("user:{id}"),
        None => format!("email:{email_index}"),
    }
}

/// Re-keys up to `batch` guest counters written before e-mail addresses were sealed (keyed by
/// the address itself) by the address's blind index; returns how many.
pub async fn seal_written_before(
    conn: &mut AnyConnection,
    vault: &crate::platform::vault::Vault,
    batch: i64,
) -> Result<u64, sqlx::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT coupon_id, customer_key FROM coupon_customer_uses WHERE customer_key LIKE 'email:%@%' LIMIT $1",
    )
    .bind(batch)
    .fetch_all(&mut *conn)
    .await?;
    for (coupon, key) in &rows {
        let email = key.trim_start_matches("email:");
        sqlx::query(
            "UPDATE coupon_customer_uses SET customer_key = $1 WHERE coupon_id = $2 AND customer_key = $3",
        )
        .bind(customer_key(None, &vault.email_index(email)))
        .bind(coupon)
        .bind(key)
        .execute(&mut *conn)
        .await?;
    }
    Ok(rows.len() as u64)
}

/// Takes one use of the coupon inside the order's transaction. Both limits are enforced by
/// conditional statements, so concurrent orders cannot exceed them: the total by
/// `times_used < usage_limit`, the customer's by an upsert that only raises `uses` below the
/// limit (on PostgreSQL a concurrent upsert of the same key waits and re-checks).
pub async fn redeem(
    tx: &mut AnyConnection,
    coupon: &Coupon,
    customer_key: &str,
) -> Result<Result<(), CouponError>, sqlx::Error> {
    let taken = sqlx::query(
        "UPDATE coupons SET times_used = times_used + 1
         WHERE id = $1 AND (usage_limit IS NULL OR times_used < usage_limit)",
    )
    .bind(&coupon.id)
    .execute(&mut *tx)
    .await?;
    if taken.rows_affected() != 1 {
        return Ok(Err(CouponError::UsedUp));
    }
    let limit = coupon.per_customer_limit.unwrap_or(i64::MAX);
    let counted = sqlx::query(
        "INSERT INTO coupon_customer_uses (coupon_id, customer_key, uses) VALUES ($1, $2, 1)
         ON CONFLICT (coupon_id, customer_key) DO UPDATE SET uses = coupon_customer_uses.uses + 1
         WHERE coupon_customer_uses.uses < $3",
    )
    .bind(&coupon.id)
    .bind(customer_key)
    .bind(limit)
    .execute(&mut *tx)
    .await?;
    if counted.rows_affected() != 1 || limit < 1 {
        return Ok(Err(CouponError::UsedByYou));
    }
    Ok(Ok(()))
}

/// Gives a use back (the order was cancelled or never paid).
pub async fn release(
    tx: &mut AnyConnection,
    coupon_id: &str,
    customer_key: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE coupons SET times_used = times_used - 1 WHERE id = $1 AND times_used > 0")
        .bind(coupon_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "UPDATE coupon_customer_uses SET uses = uses - 1 WHERE coupon_id = $1 AND customer_key = $2 AND uses > 0",
    )
    .bind(coupon_id)
    .bind(customer_key)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

impl From<&CouponError> for Problem {
    fn from(error: &CouponError) -> Self {
        match error {
            CouponError::Unknown => Problem::CouponUnknown,
            CouponError::NotYet => Problem::CouponNotYet,
            CouponError::Expired => Problem::CouponExpired,
            CouponError::MinimumNotReached(minimum) => Problem::CouponMinimum { minimum: *minimum },
            CouponError::UsedUp => Problem::CouponUsedUp,
            CouponError::UsedByYou => Problem::CouponUsedByYou,
        }
    }
}

/// A coupon as the merchant defines it.
#[derive(Clone, Debug)]
pub struct NewCoupon<'a> {
    /// Normalised (see [`normalise_code`]).
    pub code: &'a str,
    /// percent, fixed or free_shipping.
    pub kind: &'a str,
    pub value: i64,
    pub min_subtotal_minor: i64,
    pub starts_at: Option<i64>,
    pub ends_at: Option<i64>,
    pub usage_limit: Option<i64>,
    pub per_customer_limit: Option<i64>,
}

/// Adds a coupon. With `keep_existing` a coupon with the same code stays as it is (and false
/// is returned); without it, a taken code is a unique violation.
pub async fn insert(
    conn: &mut AnyConnection,
    coupon: &NewCoupon<'_>,
    keep_existing: bool,
) -> Result<bool, sqlx::Error> {
    let conflict = if keep_existing {
        " ON CONFLICT (code) DO NOTHING"
    } else {
        ""
    };
    let done = sqlx::query(&format!(
        "INSERT INTO coupons (id, code, kind, value, min_subtotal_minor, starts_at, ends_at, usage_limit,
                per_customer_limit, times_used, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, $10){conflict}"
    ))
    .bind(crate::platform::ids::new_id().to_string())
    .bind(coupon.code)
    .bind(coupon.kind)
    .bind(coupon.value)
    .bind(coupon.min_subtotal_minor)
    .bind(coupon.starts_at)
    .bind(coupon.ends_at)
    .bind(coupon.usage_limit)
    .bind(coupon.per_customer_limit)
    .bind(crate::platform::clock::now().millis())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Ends a coupon at `at` (its uses stay on record); false if there is no such coupon.
pub async fn end(conn: &mut AnyConnection, id: &str, at: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE coupons SET ends_at = $2 WHERE id = $1")
        .bind(id)
        .bind(at)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coupon() -> Coupon {
        Coupon {
            id: "c".into(),
            code: "SAVE10".into(),
            effect: CouponEffect::Percent(10),
            min_subtotal_minor: 2000,
            starts_at: Some(1_000),
            ends_at: Some(2_000),
            usage_limit: Some(5),
            per_customer_limit: Some(1),
            times_used: 0,
        }
    }

    #[test]
    fn codes_are_normalised_and_odd_input_refused() {
        assert_eq!(normalise_code("  save10 "), Some("SAVE10".into()));
        assert_eq!(normalise_code("SUMMER-24_X"), Some("SUMMER-24_X".into()));
        assert_eq!(normalise_code(""), None);
        assert_eq!(normalise_code("DROP TABLE"), None);
        assert_eq!(normalise_code(&"A".repeat(41)), None);
    }

    #[test]
    fn window_minimum_and_limits_are_checked() {
        let c = coupon();
        let eur = Currency::EUR;
        assert_eq!(
            c.check(Timestamp(999), 5000, eur, 0),
            Err(CouponError::NotYet)
        );
        assert_eq!(
            c.check(Timestamp(2000), 5000, eur, 0),
            Err(CouponError::Expired)
        );
        assert!(matches!(
            c.check(Timestamp(1500), 1999, eur, 0),
            Err(CouponError::MinimumNotReached(_))
        ));
        assert_eq!(c.check(Timestamp(1500), 2000, eur, 0), Ok(()));
        assert_eq!(
            c.check(Timestamp(1500), 2000, eur, 1),
            Err(CouponError::UsedByYou)
        );
        let used_up = Coupon { times_used: 5, ..c };
        assert_eq!(
            used_up.check(Timestamp(1500), 2000, eur, 0),
            Err(CouponError::UsedUp)
        );
    }
}
