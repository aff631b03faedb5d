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

/// Takes `count` numbers of a named counter at once (the first one `first` if the counter is
/// new); returns the last one taken.
pub async fn take_many(
    tx: &mut AnyConnection,
    name: &str,
    count: i64,
    first: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO counters (name, value) VALUES ($1, $2)
         ON CONFLICT (name) DO UPDATE SET value = counters.value + $3 RETURNING value",
    )
    .bind(name)
    .bind(first - 1 + count)
    .bind(count)
    .fetch_one(tx)
    .await
}
