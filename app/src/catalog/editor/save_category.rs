use leptos::prelude::*;
use shop_types::AppError;
#[cfg(feature = "ssr")]
use shop_types::{Problem, Thing};

/// Creates (no `id`) or renames/moves a category.
#[server(endpoint = "admin/categories/save")]
pub async fn save_category(
    id: Option<String>,
    name: String,
    slug: Option<String>,
    parent_id: Option<String>,
) -> Result<String, AppError> {
    use crate::catalog::demo::slugify;
    use crate::identity::auth::{Access, authorize};
    use crate::platform::db::is_unique_violation;
    use crate::platform::forms::redirect_after_form_post;
    use crate::platform::{clock::now, errors::internal, state::app_state};

    let state = app_state()?;
    let session = authorize(
        &state,
        Access::Permission(shop_types::Permission::ManageCatalog),
    )
    .await?;
    let name = name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(AppError::validation("name", Problem::CategoryNameLength));
    }
    let slug = slug
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| slugify(&name));
    if slug.is_empty()
        || slug.len() > 80
        || !slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(AppError::validation("slug", Problem::SlugInvalid));
    }
    let id = id.map(|i| i.trim().to_owned()).filter(|i| !i.is_empty());
    let parent = parent_id
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty());
    let mut tx = state
        .db
        .begin_write()
        .await
        .map_err(internal("categories: begin"))?;
    if let Some(parent) = &parent {
        // The parent must exist and must not be the category itself or one of its children.
        let mut cursor = Some(parent.clone());
        for _ in 0..10 {
            let Some(c) = cursor else { break };
            if Some(&c) == id.as_ref() {
                return Err(AppError::validation(
                    "parent_id",
                    Problem::CategoryInsideItself,
                ));
            }
            cursor = sqlx::query_scalar::<_, Option<String>>(
                "SELECT parent_id FROM categories WHERE id = $1",
            )
            .bind(&c)
            .fetch_optional(&mut *tx)
            .await
            .map_err(internal("categories: parent"))?
            .ok_or_else(|| AppError::validation("parent_id", Problem::ParentCategoryUnknown))?;
        }
    }
    let saved = match &id {
        Some(id) => {
            let updated = crate::catalog::category_store::update(
                &mut tx,
                id,
                parent.as_deref(),
                &slug,
                &name,
            )
            .await;
            match updated {
                Ok(true) => id.clone(),
                Ok(false) => return Err(AppError::not_found(Thing::Category)),
                Err(e) if is_unique_violation(&e) => {
                    return Err(AppError::validation("slug", Problem::CategorySlugTaken));
                }
                Err(e) => return Err(internal("categories: update")(e)),
            }
        }
        None => {
            let inserted = crate::catalog::category_store::insert(
                &mut tx,
                parent.as_deref(),
                &slug,
                &name,
                None,
                now().millis(),
            )
            .await;
            match inserted {
                Ok(new) => new,
                Err(e) if is_unique_violation(&e) => {
                    return Err(AppError::validation("slug", Problem::CategorySlugTaken));
                }
                Err(e) => return Err(internal("categories: insert")(e)),
            }
        }
    };
    crate::platform::audit_trail::record(
        &mut tx,
        &crate::identity::auth::who(&session),
        if id.is_some() {
            "category.saved"
        } else {
            "category.created"
        },
        &format!("category:{saved}"),
        None,
        Some(serde_json::json!({ "name": name, "slug": slug, "parent": parent })),
    )
    .await
    .map_err(internal("categories: audit"))?;
    // Listings show category names: products in it are re-indexed.
    crate::catalog::product_store::touch_category(&mut tx, &saved, now().millis())
        .await
        .map_err(internal("categories: touch products"))?;
    tx.commit().await.map_err(internal("categories: commit"))?;
    state.part::<crate::search::follower::Search>().changed();
    redirect_after_form_post("/admin/categories?saved=1");
    Ok(saved)
}
