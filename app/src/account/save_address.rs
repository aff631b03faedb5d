use leptos::prelude::*;
use shop_types::{AddressInput, AppError};

/// Adds an address to the signed-in account's book, or (with `id`) changes one of its own.
#[server(endpoint = "account/addresses/save")]
pub async fn save_address(
    #[server(default)] id: String,
    address: AddressInput,
    #[server(default)] make_default: Option<String>,
) -> Result<(), AppError> {
    use super::address_book;
    use crate::identity::auth::{Access, authorize};
    use crate::platform::state::app_state;

    let state = app_state()?;
    let session = authorize(&state, Access::SignedIn).await?;
    let id = (!id.is_empty()).then_some(id);
    address_book::save(
        &state.db,
        &session.user.id,
        id.as_deref(),
        address,
        make_default.is_some(),
    )
    .await
    .map_err(address_book::AddressBookError::into_app_error)?;
    leptos_axum::redirect("/account/addresses?done=saved");
    Ok(())
}
