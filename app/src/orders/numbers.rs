//! Gapless counters: order and invoice numbers.

use sqlx::AnyConnection;

/// Raises a named counter inside the transaction and returns the new value (gapless: the
/// row stays locked until commit).
pub async fn next_number(
    tx: &mut AnyConnection,
    name: &str,
    first: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO counters (name, value) VALUES ($1, $2)
         ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value",
    )
    .bind(name)
    .bind(first)
    .fetch_one(tx)
    .await
}
