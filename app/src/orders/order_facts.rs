//! What the order domain reads about one order to decide a change (`Core`) or to write its
//! confirmation mail (`Confirmation`).

use crate::coupons::rules as coupons;
use crate::platform::vault::Vault;
use shop_types::{Money, OrderStatus, PaymentMethod, Problem};
use sqlx::{AnyConnection, Row};

/// The facts about an order that its changes depend on.
#[derive(Clone, Debug)]
pub struct Core {
    pub id: String,
    pub number: i64,
    pub status: OrderStatus,
    pub method: PaymentMethod,
    /// The blind index of the customer's e-mail (the address itself is sealed: [`email`]).
    pub email_index: String,
    pub user_id: Option<String>,
    pub cart_id: Option<String>,
    pub total: i64,
    pub refunded: i64,
    pub currency: String,
    pub released: bool,
    pub coupon_id: Option<String>,
    pub access_hash: String,
    pub created_at: i64,
    /// When an unpaid order is cancelled (the card window, or the wait for a manual payment).
    pub pay_by: Option<i64>,
    /// Held for a risk review: nothing may be packed or shipped.
    pub held: bool,
}

/// Reads an order's core facts.
pub async fn core(conn: &mut AnyConnection, order_id: &str) -> Result<Option<Core>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, number, status, payment_method, COALESCE(email_index, '') AS email_index, user_id, cart_id, total_minor, refunded_minor,
                currency, released, coupon_id, access_hash, created_at, pay_by, held
         FROM orders WHERE id = $1",
    )
    .bind(order_id)
    .fetch_optional(conn)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let status: String = r.try_get("status")?;
    let method: String = r.try_get("payment_method")?;
    Ok(Some(Core {
        id: r.try_get("id")?,
        number: r.try_get("number")?,
        status: OrderStatus::parse(&status).ok_or_else(|| sqlx::Error::Decode(status.into()))?,
        method: PaymentMethod::parse(&method).ok_or_else(|| sqlx::Error::Decode(method.into()))?,
        email_index: r.try_get("email_index")?,
        user_id: r.try_get("user_id")?,
        cart_id: r.try_get("cart_id")?,
        total: r.try_get("total_minor")?,
        refunded: r.try_get("refunded_minor")?,
        currency: r.try_get("currency")?,
        released: r.try_get::<i64, _>("released")? == 1,
        coupon_id: r.try_get("coupon_id")?,
        access_hash: r.try_get("access_hash")?,
        created_at: r.try_get("created_at")?,
        pay_by: r.try_get("pay_by")?,
        held: r.try_get::<i64, _>("held")? == 1,
    }))
}

impl Core {
    /// `minor` in the order's currency (checked when the order was placed; EUR if a row was
    /// edited by hand into nonsense).
    pub fn amount(&self, minor: i64) -> Money {
        Money::new(
            minor,
            shop_types::Currency::parse(&self.currency).unwrap_or(shop_types::Currency::EUR),
        )
    }

    /// The range a refund must fall in.
    pub fn refund_range(&self) -> Problem {
        Problem::RefundBetween {
            min: self.amount(1),
            max: self.amount(self.total - self.refunded),
        }
    }

    pub fn money(&self, minor: i64) -> String {
        shop_types::Currency::parse(&self.currency)
            .map(|c| Money::new(minor, c).to_string())
            .unwrap_or_else(|_| format!("{minor} {}", self.currency))
    }

    pub fn customer_key(&self) -> String {
        coupons::customer_key(self.user_id.as_deref(), &self.email_index)
    }
}

/// The numbers of a customer's orders that are not finished (placed by account `user_id` or
/// as a guest with the same e-mail, by its blind index): unpaid, being packed or shipped, or
/// in a return. Delivered, cancelled and refunded orders are finished.
pub async fn unfinished(
    conn: &mut AnyConnection,
    user_id: &str,
    email_index: &str,
) -> Result<Vec<i64>, sqlx::Error> {
    use shop_types::OrderStatus as S;
    let finished = [S::Delivered, S::Cancelled, S::Refunded, S::PartlyRefunded];
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT number, status FROM orders WHERE user_id = $1 OR email_index = $2 ORDER BY number",
    )
    .bind(user_id)
    .bind(email_index)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter(|(_, status)| OrderStatus::parse(status).is_some_and(|s| !finished.contains(&s)))
        .map(|(number, _)| number)
        .collect())
}

/// The e-mail address an order's mail goes to, opened with the order's key (empty once the
/// customer was erased).
pub async fn email(
    conn: &mut AnyConnection,
    vault: &Vault,
    order_id: &str,
) -> Result<String, sqlx::Error> {
    let row = sqlx::query("SELECT email, key_id FROM orders WHERE id = $1")
        .bind(order_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    let key_id: Option<String> = row.try_get("key_id")?;
    vault
        .opener(conn, key_id.as_deref())
        .await?
        .open("orders.email", &row.try_get::<String, _>("email")?)
}

async fn lines_for_mail(
    tx: &mut AnyConnection,
    order_id: &str,
) -> Result<Vec<(String, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT CASE WHEN variant_title = '' THEN title ELSE title || ' (' || variant_title || ')' END,
                quantity, line_total_minor
         FROM order_lines WHERE order_id = $1 ORDER BY position",
    )
    .bind(order_id)
    .fetch_all(tx)
    .await
}

/// What the "thank you for your order" mail says.
#[derive(Clone, Debug)]
pub struct Confirmation {
    pub order_id: String,
    pub email: String,
    pub number: i64,
    pub method: PaymentMethod,
    pub total: i64,
    pub currency: String,
    /// (what, quantity, line total in minor units)
    pub lines: Vec<(String, i64, i64)>,
    /// When an unpaid order is cancelled.
    pub pay_by: Option<i64>,
}

impl Confirmation {
    /// Reads it from a stored order.
    pub async fn load(
        tx: &mut AnyConnection,
        vault: &Vault,
        order_id: &str,
    ) -> Result<Self, sqlx::Error> {
        let order = core(tx, order_id).await?.ok_or(sqlx::Error::RowNotFound)?;
        Ok(Self {
            order_id: order.id,
            email: email(tx, vault, order_id).await?,
            number: order.number,
            method: order.method,
            total: order.total,
            currency: order.currency,
            pay_by: order.pay_by,
            lines: lines_for_mail(tx, order_id).await?,
        })
    }
}
