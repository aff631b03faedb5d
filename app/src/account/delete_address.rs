use leptos::prelude::*;
use shop_types::AppError;

/// Deletes one of the signed-in account's addresses.
#[server(endpoint = "account/addresses/delete")]
pub async fn delete_address(id: String) -> Result<(), AppError> {
    use super::address_book;
    use crate::identity::auth::{Access, authorize};
    use crate::platform::state::app_state;

    let state = app_state()?;
    let session = authorize(&state, Access::SignedIn).await?;
    address_book::delete(&state.db, &session.user.id, &id)
        .await
        .map_err(address_book::AddressBookError::into_app_error)?;
    leptos_axum::redirect("/account/addresses?done=deleted");
    Ok(())
}
