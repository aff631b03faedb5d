//! Every write to `collections` and `collection_products`. The console's collections
//! (`editor::collections_service`) and the demo catalog decide what to write; this module only
//! stores.

use crate::platform::ids::new_id;
use sqlx::AnyConnection;

/// Adds a collection at `position` (`None`: after the last one); returns its id. A unique
/// violation means the web address is taken.
pub async fn insert(
    tx: &mut AnyConnection,
    slug: &str,
    title: &str,
    description: &str,
    featured: bool,
    position: Option<i64>,
    at: i64,
) -> Result<String, sqlx::Error> {
    let id = new_id().to_string();
    sqlx::query(
        "INSERT INTO collections (id, slug, title, description, featured, position, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, COALESCE($6, (SELECT COALESCE(MAX(position), 0) + 1 FROM collections)), $7, $7)",
    )
    .bind(&id)
    .bind(slug)
    .bind(title)
    .bind(description)
    .bind(i64::from(featured))
    .bind(position)
    .bind(at)
    .execute(tx)
    .await?;
    Ok(id)
}

/// Shows or hides the collection on the home page.
pub async fn set_featured(
    tx: &mut AnyConnection,
    id: &str,
    featured: bool,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE collections SET featured = $1, updated_at = $2 WHERE id = $3")
        .bind(i64::from(featured))
        .bind(at)
        .bind(id)
        .execute(tx)
        .await
        .map(|_| ())
}

/// Puts a product into the collection at `position` (`None`: last); nothing if it is in.
pub async fn add_product(
    tx: &mut AnyConnection,
    collection_id: &str,
    product_id: &str,
    position: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO collection_products (collection_id, product_id, position)
         VALUES ($1, $2, COALESCE($3, (SELECT COALESCE(MAX(position), 0) + 1 FROM collection_products WHERE collection_id = $1)))
         ON CONFLICT (collection_id, product_id) DO NOTHING",
    )
    .bind(collection_id)
    .bind(product_id)
    .bind(position)
    .execute(tx)
    .await
    .map(|_| ())
}

/// Takes a product out of the collection.
pub async fn remove_product(
    tx: &mut AnyConnection,
    collection_id: &str,
    product_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM collection_products WHERE collection_id = $1 AND product_id = $2")
        .bind(collection_id)
        .bind(product_id)
        .execute(tx)
        .await
        .map(|_| ())
}
