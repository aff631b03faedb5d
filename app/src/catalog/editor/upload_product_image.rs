use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};
use shop_types::AppError;
#[cfg(feature = "ssr")]
use shop_types::{FieldName, Problem, Thing};

/// Largest picture accepted.
pub const MAX_IMAGE_BYTES: usize = 10 * 1024 * 1024;

/// Adds a picture to a product: a multipart form with `product_id`, `alt` and `file` (PNG,
/// JPEG or WebP, up to 10 MB). Posted as a plain form (JavaScript or not); answers by
/// opening the product's editor again, with `image_error=` in its address when the picture
/// was refused (a plain form has no other place to show it).
#[server(endpoint = "admin/products/image", input = MultipartFormData)]
pub async fn upload_product_image(data: MultipartData) -> Result<(), AppError> {
    use crate::identity::auth::{Access, authorize};
    use crate::platform::state::app_state;

    let state = app_state()?;
    let session = authorize(
        &state,
        Access::Permission(shop_types::Permission::ManageCatalog),
    )
    .await?;
    let who = crate::identity::auth::who(&session);
    let mut product = String::new();
    match receive_picture(&state, &who, data, None, &mut product).await {
        Ok(()) => {
            leptos_axum::redirect(&format!("/admin/products/{product}?saved=image"));
            Ok(())
        }
        Err(AppError::Validation { problem, .. }) if !product.is_empty() => {
            let query = crate::ui::query_string(&[("image_error".into(), problem.to_string())]);
            leptos_axum::redirect(&format!("/admin/products/{product}?{query}"));
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// Reads a posted picture form and adds the picture to its product; with `seller`, only to
/// one of that seller's products (`NotFound` otherwise). The product's id is left in
/// `product_out` as soon as it is read, so a refusal can send the person back to it.
#[cfg(feature = "ssr")]
pub async fn receive_picture(
    state: &crate::platform::state::AppState,
    who: &crate::platform::audit_trail::Who,
    data: MultipartData,
    seller: Option<&str>,
    product_out: &mut String,
) -> Result<(), AppError> {
    use crate::platform::errors::internal;
    use shop_types::PublicId;
    let form = crate::media::upload::read_form(data, MAX_IMAGE_BYTES)
        .await
        .map_err(|problem| AppError::validation("file", problem))?;
    let alt = form.field("alt").to_owned();
    let bytes = form.file;
    let product = PublicId::parse(form.fields.get("product_id").map_or("", String::as_str))
        .map_err(|_| AppError::not_found(Thing::Product))?
        .to_string();
    if let Some(seller) = seller {
        let mut conn = state.conn("products: acquire").await?;
        let owner = super::editor_queries::seller_of(&mut conn, &product)
            .await
            .map_err(internal("products: seller"))?;
        if owner.as_deref() != Some(seller) {
            return Err(AppError::not_found(Thing::Product));
        }
    }
    product_out.clone_from(&product);
    if bytes.is_empty() {
        return Err(AppError::validation("file", Problem::PictureMissing));
    }
    if alt.chars().count() > 250 {
        return Err(AppError::validation(
            "alt",
            Problem::TooLongField {
                what: FieldName::Description,
                max: 250,
            },
        ));
    }
    let (key, width, height) =
        crate::media::upload::store_picture(state.config.media_dir.clone(), bytes)
            .await
            .map_err(|problem| AppError::validation("file", problem))?;
    let image = crate::catalog::product_store::ImageRow {
        position: None,
        file_key: &key,
        alt: &alt,
        width: i64::from(width),
        height: i64::from(height),
        source_url: None,
    };
    let added = crate::catalog::product_store::add_image(&state.db, Some(who), &product, &image)
        .await
        .map_err(internal("products: add image"))?;
    if !added {
        return Err(AppError::not_found(Thing::Product));
    }
    state.part::<crate::search::follower::Search>().changed();
    Ok(())
}
