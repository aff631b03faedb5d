//! Which cart a request speaks for: the signed-in shopper's, or the guest cart named by the
//! `shop_cart` cookie (a random token; only its SHA-256 is stored).

use super::cart_service::{self, Owner};
use crate::identity::auth::{cookie_value, current_session, set_cookie};
use crate::platform::errors::internal;
use crate::platform::secrets::{hash_secret, new_secret};
use crate::platform::state::AppState;
use shop_types::AppError;

/// The guest cart's cookie.
pub const CART_COOKIE: shop_types::paths::cookies::CookieName = shop_types::paths::cookies::CART;
/// How long a guest cart is kept (the hourly clean-up deletes older untouched ones).
pub const GUEST_CART_DAYS: i64 = 30;

/// The caller's cart id; with `create`, one is made (and a guest gets its cookie) if missing.
pub async fn caller_cart(state: &AppState, create: bool) -> Result<Option<String>, AppError> {
    let session = current_session(state).await?;
    let mut conn = state.conn("cart: acquire").await?;
    if let Some(session) = session {
        let owner = Owner::User(&session.user.id);
        return if create {
            cart_service::find_or_create(&mut conn, owner)
                .await
                .map(Some)
        } else {
            cart_service::find(&mut conn, owner).await
        }
        .map_err(internal("cart: find"));
    }
    let token = cookie_value(state, CART_COOKIE).filter(|t| (20..=100).contains(&t.len()));
    if let Some(token) = &token {
        let hash = hash_secret(token);
        if let Some(id) = cart_service::find(&mut conn, Owner::Guest(&hash))
            .await
            .map_err(internal("cart: find"))?
        {
            return Ok(Some(id));
        }
    }
    if !create {
        return Ok(None);
    }
    let token = new_secret();
    let id = cart_service::find_or_create(&mut conn, Owner::Guest(&hash_secret(&token)))
        .await
        .map_err(internal("cart: create"))?;
    set_cookie(state, CART_COOKIE, &token, GUEST_CART_DAYS * 24 * 3600);
    Ok(Some(id))
}

/// At sign-in: moves the guest cart of this browser into the account's cart and forgets the
/// cookie.
pub async fn merge_at_sign_in(state: &AppState, user_id: &str) -> Result<(), AppError> {
    let Some(token) = cookie_value(state, CART_COOKIE) else {
        return Ok(());
    };
    let mut conn = state.conn("cart: acquire").await?;
    let guest = cart_service::find(&mut conn, Owner::Guest(&hash_secret(&token)))
        .await
        .map_err(internal("cart: find guest"))?;
    if let Some(guest) = guest {
        let mine = cart_service::find_or_create(&mut conn, Owner::User(user_id))
            .await
            .map_err(internal("cart: find account cart"))?;
        cart_service::merge(&mut conn, &guest, &mine)
            .await
            .map_err(internal("cart: merge"))?;
    }
    set_cookie(state, CART_COOKIE, "", 0);
    Ok(())
}
