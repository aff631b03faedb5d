use leptos::prelude::*;
use shop_types::AppError;
#[cfg(feature = "ssr")]
use shop_types::Thing;

/// The favourite button's words.
pub fn favourite_label(saved: bool) -> &'static str {
    if saved {
        "Remove from favourites"
    } else {
        "Save to favourites"
    }
}

/// Saves (`save` = "true") or removes a product from the caller's favourites: in the account
/// when signed in, otherwise in a cookie that is merged into the account at sign-in.
#[server(endpoint = "account/favourites/toggle")]
pub async fn toggle_favourite(product_id: String, save: String) -> Result<(), AppError> {
    use super::store::{self as favourites, GUEST_COOKIE, update_guest_list};
    use crate::identity::auth::{cookie_value, current_session, set_cookie};
    use crate::platform::forms::redirect_after_form_post;
    use crate::platform::{errors::internal, state::app_state};
    use shop_types::PublicId;

    let state = app_state()?;
    let product_id = PublicId::parse(&product_id)
        .map_err(|_| AppError::not_found(Thing::Product))?
        .to_string();
    let save = save == "true";
    match current_session(&state).await? {
        Some(session) => {
            let mut conn = state.conn("favourites: acquire").await?;
            if save {
                if !favourites::add(&mut conn, &session.user.id, &product_id)
                    .await
                    .map_err(internal("favourites: add"))?
                {
                    return Err(AppError::not_found(Thing::Product));
                }
            } else {
                favourites::remove(&mut conn, &session.user.id, &product_id)
                    .await
                    .map_err(internal("favourites: remove"))?;
            }
        }
        None => {
            let current = cookie_value(&state, GUEST_COOKIE).unwrap_or_default();
            let updated = update_guest_list(&current, &product_id, save);
            set_cookie(&state, GUEST_COOKIE, &updated, 180 * 24 * 3600);
        }
    }
    // Back to the page the form was on, which shows the new state.
    let back = leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|p| {
            p.headers
                .get(axum::http::header::REFERER)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        })
        .and_then(|r| r.find("/products/").map(|i| r[i..].to_owned()))
        .unwrap_or_else(|| "/account/favourites".to_owned());
    redirect_after_form_post(&back);
    Ok(())
}
