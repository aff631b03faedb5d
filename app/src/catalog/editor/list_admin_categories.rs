use super::editor_views::CategoryChoice;
use leptos::prelude::*;
use shop_types::AppError;

/// A category as the console lists it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AdminCategory {
    pub choice: CategoryChoice,
    pub name: String,
    pub slug: String,
    pub parent_id: String,
    pub products: i64,
}

/// Every category, with its place in the tree and how many products it holds.
#[server(endpoint = "admin/categories/list")]
pub async fn list_admin_categories() -> Result<Vec<AdminCategory>, AppError> {
    use crate::identity::auth::{Access, authorize};
    use crate::platform::http::no_store;
    use crate::platform::{errors::internal, state::app_state};
    use sqlx::Row;

    no_store();
    let state = app_state()?;
    authorize(
        &state,
        Access::Permission(shop_types::Permission::ManageCatalog),
    )
    .await?;
    let mut conn = state.conn("categories: acquire").await?;
    let choices = super::editor_queries::category_choices(&mut conn)
        .await
        .map_err(internal("categories: tree"))?;
    let rows = sqlx::query(
        "SELECT c.id, c.name, c.slug, COALESCE(c.parent_id, '') AS parent_id,
                (SELECT COUNT(*) FROM products p WHERE p.category_id = c.id) AS products
         FROM categories c",
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(internal("categories: list"))?;
    let mut out = Vec::new();
    for choice in choices {
        if let Some(r) = rows
            .iter()
            .find(|r| r.try_get::<String, _>("id").ok().as_deref() == Some(&choice.id))
        {
            out.push(AdminCategory {
                name: r.try_get("name").map_err(internal("categories: row"))?,
                slug: r.try_get("slug").map_err(internal("categories: row"))?,
                parent_id: r
                    .try_get("parent_id")
                    .map_err(internal("categories: row"))?,
                products: r.try_get("products").map_err(internal("categories: row"))?,
                choice,
            });
        }
    }
    Ok(out)
}
