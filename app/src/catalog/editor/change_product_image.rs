use leptos::prelude::*;
use shop_types::AppError;
#[cfg(feature = "ssr")]
use shop_types::{FieldName, Problem, Thing};

/// Changes one of a product's pictures: `action` is alt (with `alt`), up, down or remove.
#[server(endpoint = "admin/products/image/change")]
pub async fn change_product_image(
    product_id: String,
    image_id: String,
    action: String,
    alt: Option<String>,
) -> Result<(), AppError> {
    use crate::catalog::product_store::change_image;
    use crate::identity::auth::{Access, authorize};
    use crate::platform::forms::redirect_after_form_post;
    use crate::platform::{errors::internal, state::app_state};

    let state = app_state()?;
    let session = authorize(
        &state,
        Access::Permission(shop_types::Permission::ManageCatalog),
    )
    .await?;
    let (product, change) = read_image_change(&product_id, &action, alt)?;
    let who = crate::identity::auth::who(&session);
    let changed = change_image(&state.db, &who, &product, image_id.trim(), &change)
        .await
        .map_err(internal("products: image"))?;
    if !changed {
        return Err(AppError::not_found(Thing::Picture));
    }
    state.part::<crate::search::follower::Search>().changed();
    redirect_after_form_post(&format!("/admin/products/{product}"));
    Ok(())
}

/// Reads a posted picture change: the product's id and what to do (`alt` with `alt`, `up`,
/// `down`, `remove`).
#[cfg(feature = "ssr")]
pub fn read_image_change(
    product_id: &str,
    action: &str,
    alt: Option<String>,
) -> Result<(String, crate::catalog::product_store::ImageChange), AppError> {
    use crate::catalog::product_store::ImageChange;
    use shop_types::PublicId;
    let product = PublicId::parse(product_id.trim())
        .map_err(|_| AppError::not_found(Thing::Product))?
        .to_string();
    let change = match action.trim() {
        "alt" => {
            let alt = alt.unwrap_or_default().trim().to_owned();
            if alt.chars().count() > 250 {
                return Err(AppError::validation(
                    "alt",
                    Problem::TooLongField {
                        what: FieldName::Description,
                        max: 250,
                    },
                ));
            }
            ImageChange::Alt(alt)
        }
        "up" => ImageChange::MoveUp,
        "down" => ImageChange::MoveDown,
        "remove" => ImageChange::Remove,
        _ => {
            return Err(AppError::validation(
                "action",
                Problem::PictureActionUnknown,
            ));
        }
    };
    Ok((product, change))
}
