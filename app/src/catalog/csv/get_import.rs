use super::views::ImportView;
use leptos::prelude::*;
use shop_types::AppError;
#[cfg(feature = "ssr")]
use shop_types::Thing;

/// One import with its progress and first 500 row errors.
#[server(endpoint = "admin/import/get")]
pub async fn get_import(id: String) -> Result<ImportView, AppError> {
    use crate::identity::auth::{Access, authorize};
    use crate::platform::http::no_store;
    use crate::platform::{errors::internal, state::app_state};

    no_store();
    let state = app_state()?;
    authorize(
        &state,
        Access::Permission(shop_types::Permission::ManageCatalog),
    )
    .await?;
    let mut conn = state.conn("import: acquire").await?;
    let mut list = imports(&mut conn, Some(id.trim()))
        .await
        .map_err(internal("import: read"))?;
    let mut view = list
        .pop()
        .ok_or_else(|| AppError::not_found(Thing::Import))?;
    view.errors = errors(&mut conn, &view.id)
        .await
        .map_err(internal("import: errors"))?;
    Ok(view)
}

/// The 20 latest imports.
#[server(endpoint = "admin/import/list")]
pub async fn list_imports() -> Result<Vec<ImportView>, AppError> {
    use crate::identity::auth::{Access, authorize};
    use crate::platform::http::no_store;
    use crate::platform::{errors::internal, state::app_state};

    no_store();
    let state = app_state()?;
    authorize(
        &state,
        Access::Permission(shop_types::Permission::ManageCatalog),
    )
    .await?;
    let mut conn = state.conn("import: acquire").await?;
    imports(&mut conn, None)
        .await
        .map_err(internal("import: list"))
}

#[cfg(feature = "ssr")]
async fn imports(
    conn: &mut sqlx::AnyConnection,
    id: Option<&str>,
) -> Result<Vec<ImportView>, sqlx::Error> {
    use sqlx::Row;
    let rows = sqlx::query(
        "SELECT id, file_name, status, total_rows, total_products, products_done, created_count, updated_count,
                (SELECT COUNT(*) FROM import_errors e WHERE e.import_id = imports.id) AS failed, created_at, finished_at
         FROM imports WHERE ($1 = '' OR id = $1) ORDER BY created_at DESC LIMIT 20",
    )
    .bind(id.unwrap_or(""))
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ImportView {
                id: r.try_get("id")?,
                file_name: r.try_get("file_name")?,
                status: r.try_get("status")?,
                total_rows: r.try_get("total_rows")?,
                total_products: r.try_get("total_products")?,
                products_done: r.try_get("products_done")?,
                created: r.try_get("created_count")?,
                updated: r.try_get("updated_count")?,
                failed_rows: r.try_get("failed")?,
                created_at: shop_types::Timestamp(r.try_get("created_at")?),
                finished_at: r
                    .try_get::<Option<i64>, _>("finished_at")?
                    .map(shop_types::Timestamp),
                errors: Vec::new(),
            })
        })
        .collect()
}

#[cfg(feature = "ssr")]
async fn errors(
    conn: &mut sqlx::AnyConnection,
    id: &str,
) -> Result<Vec<super::views::ImportRowError>, sqlx::Error> {
    use super::views::ImportRowError;
    use sqlx::Row;
    sqlx::query("SELECT row_number, handle, message FROM import_errors WHERE import_id = $1 ORDER BY row_number LIMIT 500")
        .bind(id)
        .fetch_all(conn)
        .await?
        .iter()
        .map(|r| Ok(ImportRowError { row: r.try_get("row_number")?, handle: r.try_get("handle")?, problem: stored_problem(r.try_get("message")?) }))
        .collect()
}

/// A stored row error: a problem as JSON, or the English text of a row stored before codes.
#[cfg(feature = "ssr")]
fn stored_problem(text: String) -> shop_types::Problem {
    serde_json::from_str(&text).unwrap_or(shop_types::Problem::Verbatim { text })
}
