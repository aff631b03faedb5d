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
    match receive(&state, &who, data, &mut product).await {
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

#[cfg(feature = "ssr")]
async fn receive(
    state: &crate::platform::state::AppState,
    who: &crate::platform::audit_trail::Who,
    data: MultipartData,
    product_out: &mut String,
) -> Result<(), AppError> {
    use crate::platform::errors::internal;
    use shop_types::PublicId;
    let mut multipart = data
        .into_inner()
        .ok_or_else(|| AppError::validation("file", Problem::PictureMissing))?;
    let (mut product, mut alt, mut bytes) = (String::new(), String::new(), Vec::new());
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|_| AppError::validation("file", Problem::UploadCutOff))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        let mut value = Vec::new();
        while let Some(chunk) = field
            .chunk()
            .await
            .map_err(|_| AppError::validation("file", Problem::UploadCutOff))?
        {
            if value.len() + chunk.len() > MAX_IMAGE_BYTES {
                return Err(AppError::validation("file", Problem::PictureTooLarge));
            }
            value.extend_from_slice(&chunk);
        }
        match name.as_str() {
            "product_id" => product = String::from_utf8_lossy(&value).trim().to_owned(),
            "alt" => alt = String::from_utf8_lossy(&value).trim().to_owned(),
            "file" => bytes = value,
            _ => {}
        }
    }
    let product = PublicId::parse(&product)
        .map_err(|_| AppError::not_found(Thing::Product))?
        .to_string();
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
    let root = state.config.media_dir.clone();
    let stored =
        tokio::task::spawn_blocking(move || crate::media::storage::store_original(&root, &bytes))
            .await
            .map_err(internal("products: image task"))?
            .map_err(|_| AppError::validation("file", Problem::PictureFormatUnknown))?;
    let (key, width, height) = stored;
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
