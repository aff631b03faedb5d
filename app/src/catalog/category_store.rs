//! Every write to `categories`. The console's category form (`editor::save_category`) and the
//! demo catalog decide what to write; this module only stores.

use crate::platform::ids::new_id;
use sqlx::AnyConnection;

/// Adds a category at `position` (`None`: after the last one); returns its id. A unique
/// violation means the web address is taken.
pub async fn insert(
    tx: &mut AnyConnection,
    parent_id: Option<&str>,
    slug: &str,
    name: &str,
    position: Option<i64>,
    at: i64,
) -> Result<String, sqlx::Error> {
    let id = new_id().to_string();
    sqlx::query(
        "INSERT INTO categories (id, parent_id, slug, name, position, created_at)
         VALUES ($1, $2, $3, $4, COALESCE($5, (SELECT COALESCE(MAX(position), 0) + 1 FROM categories)), $6)",
    )
    .bind(&id)
    .bind(parent_id)
    .bind(slug)
    .bind(name)
    .bind(position)
    .bind(at)
    .execute(tx)
    .await?;
    Ok(id)
}

/// Renames or moves a category; false if there is no such category.
pub async fn update(
    tx: &mut AnyConnection,
    id: &str,
    parent_id: Option<&str>,
    slug: &str,
    name: &str,
) -> Result<bool, sqlx::Error> {
    let updated =
        sqlx::query("UPDATE categories SET name = $1, slug = $2, parent_id = $3 WHERE id = $4")
            .bind(name)
            .bind(slug)
            .bind(parent_id)
            .bind(id)
            .execute(tx)
            .await?;
    Ok(updated.rows_affected() == 1)
}
