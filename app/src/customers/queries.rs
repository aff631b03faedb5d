//! Reading customer rows for the console.

use super::views::CustomerRow;
use shop_types::Timestamp;
use sqlx::Row;

/// Columns [`customer_row`] reads, for a query over `users u`.
pub const CUSTOMER_COLUMNS: &str =
    "u.id, u.email, u.name, u.created_at, u.disabled_at, u.email_verified_at,
    (SELECT COUNT(*) FROM orders o WHERE o.user_id = u.id) AS orders";

/// A customer from a row selected with [`CUSTOMER_COLUMNS`].
pub fn customer_row(r: &sqlx::any::AnyRow) -> Result<CustomerRow, sqlx::Error> {
    Ok(CustomerRow {
        id: r.try_get("id")?,
        email: r.try_get("email")?,
        name: r.try_get("name")?,
        joined: Timestamp(r.try_get("created_at")?),
        orders: r.try_get("orders")?,
        disabled: r.try_get::<Option<i64>, _>("disabled_at")?.is_some(),
    })
}
