//! Curated collections in the console: create one, add or remove products (by handle or SKU),
//! feature it on the home page. Members' `updated_at` is bumped so listings follow.

use super::editor_views::CollectionRow;
use crate::catalog::collection_store;
use crate::catalog::demo::slugify;
use crate::platform::clock::now;
use crate::platform::db::{Db, is_unique_violation};
use shop_types::AppError;
use shop_types::{FieldName, Problem, Thing};
use sqlx::Row;

fn bad(field: &str, problem: Problem) -> AppError {
    AppError::validation(field, problem)
}

/// Every collection with its products (title, handle), in their order.
pub async fn list(conn: &mut sqlx::AnyConnection) -> Result<Vec<CollectionRow>, sqlx::Error> {
    let rows =
        sqlx::query("SELECT id, title, slug, featured FROM collections ORDER BY position, title")
            .fetch_all(&mut *conn)
            .await?;
    let mut out = Vec::new();
    for r in rows {
        let id: String = r.try_get("id")?;
        let products = sqlx::query(
            "SELECT p.title, p.slug FROM collection_products cp JOIN products p ON p.id = cp.product_id
             WHERE cp.collection_id = $1 ORDER BY cp.position, p.title LIMIT 200",
        )
        .bind(&id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|p| Ok((p.try_get("title")?, p.try_get("slug")?)))
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
        out.push(CollectionRow {
            id,
            title: r.try_get("title")?,
            slug: r.try_get("slug")?,
            featured: r.try_get::<i64, _>("featured")? == 1,
            products,
        });
    }
    Ok(out)
}

/// Creates a collection (`who` is in the audit log).
pub async fn create(
    db: &Db,
    who: &crate::platform::audit_trail::Who,
    title: &str,
    description: &str,
    featured: bool,
) -> Result<String, AppError> {
    let title = title.trim();
    if title.is_empty() || title.chars().count() > 120 {
        return Err(bad("title", Problem::CollectionTitleLength));
    }
    if description.chars().count() > 2000 {
        return Err(bad(
            "description",
            Problem::TooLongField {
                what: FieldName::Description,
                max: 2000,
            },
        ));
    }
    let slug = slugify(title);
    if slug.is_empty() {
        return Err(bad("title", Problem::TitleWithoutLetters));
    }
    let internal = |what: &'static str| crate::platform::errors::internal(what);
    let mut tx = db
        .begin_write()
        .await
        .map_err(internal("collections: begin"))?;
    let inserted = collection_store::insert(
        &mut tx,
        &slug,
        title,
        description.trim(),
        featured,
        None,
        now().millis(),
    )
    .await;
    let id = match inserted {
        Ok(id) => id,
        Err(e) if is_unique_violation(&e) => {
            return Err(bad("title", Problem::CollectionSlugTaken));
        }
        Err(e) => return Err(internal("collections: create")(e)),
    };
    crate::platform::audit_trail::record(
        &mut tx,
        who,
        "collection.created",
        &format!("collection:{id}"),
        None,
        Some(serde_json::json!({ "title": title, "slug": slug, "featured": featured })),
    )
    .await
    .map_err(internal("collections: audit"))?;
    tx.commit().await.map_err(internal("collections: commit"))?;
    Ok(id)
}

/// Adds (`add`) or removes a product, named by its handle or one of its SKUs, or switches the
/// home-page feature (`feature`/`unfeature`).
pub async fn change(
    db: &Db,
    who: &crate::platform::audit_trail::Who,
    collection: &str,
    action: &str,
    product: &str,
) -> Result<(), AppError> {
    let internal = |what: &'static str| crate::platform::errors::internal(what);
    let mut tx = db
        .begin_write()
        .await
        .map_err(internal("collections: begin"))?;
    let known: Option<String> = sqlx::query_scalar("SELECT id FROM collections WHERE id = $1")
        .bind(collection)
        .fetch_optional(&mut *tx)
        .await
        .map_err(internal("collections: find"))?;
    known.ok_or_else(|| AppError::not_found(Thing::Collection))?;
    let at = now().millis();
    match action {
        "feature" | "unfeature" => {
            collection_store::set_featured(&mut tx, collection, action == "feature", at)
                .await
                .map_err(internal("collections: feature"))?;
        }
        "add" | "remove" => {
            let name = product.trim();
            let product_id: Option<String> = sqlx::query_scalar(
                "SELECT id FROM products WHERE slug = $1
                 UNION SELECT product_id FROM variants WHERE sku = $2 LIMIT 1",
            )
            .bind(name.to_lowercase())
            .bind(name)
            .fetch_optional(&mut *tx)
            .await
            .map_err(internal("collections: product"))?;
            let product_id =
                product_id.ok_or_else(|| bad("product", Problem::ProductHandleUnknown))?;
            if action == "add" {
                collection_store::add_product(&mut tx, collection, &product_id, None)
                    .await
                    .map_err(internal("collections: add"))?;
            } else {
                collection_store::remove_product(&mut tx, collection, &product_id)
                    .await
                    .map_err(internal("collections: remove"))?;
            }
            // Collection pages are answered from the search index, which follows updated_at.
            crate::catalog::product_store::touch(&mut tx, &product_id, at)
                .await
                .map_err(internal("collections: touch"))?;
        }
        _ => return Err(bad("action", Problem::CollectionActionUnknown)),
    }
    let product = product.trim();
    crate::platform::audit_trail::record(
        &mut tx,
        who,
        "collection.changed",
        &format!("collection:{collection}"),
        None,
        Some(match action {
            "add" | "remove" => serde_json::json!({ action: product }),
            _ => serde_json::json!({ "featured": action == "feature" }),
        }),
    )
    .await
    .map_err(internal("collections: audit"))?;
    tx.commit().await.map_err(internal("collections: commit"))?;
    Ok(())
}
