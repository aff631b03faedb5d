//! Writes to the catalog's product rows that other domains cause. The product editor, the CSV
//! import and the demo catalog write the rest of a product in their own modules of this folder;
//! no other domain writes `products` or `variants` (stock goes through `stock_ledger`).

use sqlx::AnyConnection;

/// Marks a product changed for listings (the search follower re-reads products by
/// `updated_at`): its stock crossed zero, its price moved, it was edited.
pub async fn touch(tx: &mut AnyConnection, product_id: &str, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE products SET updated_at = $1 WHERE id = $2")
        .bind(at)
        .bind(product_id)
        .execute(&mut *tx)
        .await
        .map(|_| ())
}

/// [`touch`] for the product of a variant.
pub async fn touch_variant(
    tx: &mut AnyConnection,
    variant_id: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE products SET updated_at = $1 WHERE id = (SELECT product_id FROM variants WHERE id = $2)",
    )
    .bind(at)
    .bind(variant_id)
    .execute(&mut *tx)
    .await
    .map(|_| ())
}

/// Counts the units of a paid order towards its products' sales ("best sellers").
pub async fn count_sales_of_order(
    tx: &mut AnyConnection,
    order_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE products SET sold_count = sold_count + (
             SELECT COALESCE(SUM(l.quantity), 0) FROM order_lines l JOIN variants v ON v.id = l.variant_id
             WHERE l.order_id = $1 AND v.product_id = products.id)
         WHERE id IN (SELECT v.product_id FROM order_lines l JOIN variants v ON v.id = l.variant_id WHERE l.order_id = $1)",
    )
    .bind(order_id)
    .execute(&mut *tx)
    .await
    .map(|_| ())
}

/// The lowest price of a product's variants (to compare before and after an edit).
pub async fn lowest_price(
    tx: &mut AnyConnection,
    product_id: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT MIN(price_minor) FROM variants WHERE product_id = $1")
        .bind(product_id)
        .fetch_one(tx)
        .await
}
