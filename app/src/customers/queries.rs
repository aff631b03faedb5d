//! Reading customer rows for the console.

use super::views::CustomerRow;
use crate::platform::vault::{Opener, Vault};
use shop_types::Timestamp;
use sqlx::{AnyConnection, Row};

/// Columns [`customer_rows`] reads, for a query over `users u`.
pub const CUSTOMER_COLUMNS: &str =
    "u.id, u.email, u.name, u.created_at, u.disabled_at, u.email_verified_at, u.key_id,
    (SELECT COUNT(*) FROM orders o WHERE o.user_id = u.id) AS orders";

/// A customer from a row selected with [`CUSTOMER_COLUMNS`], opened with `opener`.
fn customer_row(r: &sqlx::any::AnyRow, opener: &Opener) -> Result<CustomerRow, sqlx::Error> {
    Ok(CustomerRow {
        id: r.try_get("id")?,
        email: opener.open("users.email", &r.try_get::<String, _>("email")?)?,
        name: opener.open("users.name", &r.try_get::<String, _>("name")?)?,
        joined: Timestamp(r.try_get("created_at")?),
        orders: r.try_get("orders")?,
        disabled: r.try_get::<Option<i64>, _>("disabled_at")?.is_some(),
    })
}

/// Customers from rows selected with [`CUSTOMER_COLUMNS`], their sealed fields opened.
pub async fn customer_rows(
    conn: &mut AnyConnection,
    vault: &Vault,
    rows: &[sqlx::any::AnyRow],
) -> Result<Vec<CustomerRow>, sqlx::Error> {
    let openers = vault.row_openers(conn, rows).await?;
    rows.iter()
        .zip(&openers)
        .map(|(r, opener)| customer_row(r, opener))
        .collect()
}
