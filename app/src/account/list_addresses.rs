use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use shop_types::{AddressInput, AppError};

/// A saved address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedAddress {
    pub id: String,
    pub address: AddressInput,
    pub is_default: bool,
}

/// The signed-in account's addresses, the default first.
#[server(endpoint = "account/addresses")]
pub async fn list_addresses() -> Result<Vec<SavedAddress>, AppError> {
    use super::address_book;
    use crate::identity::auth::{Access, authorize};
    use crate::platform::{errors::internal, state::app_state};

    let state = app_state()?;
    let session = authorize(&state, Access::SignedIn).await?;
    let mut conn = state.conn("addresses: acquire").await?;
    address_book::list(&mut conn, state.db.vault(), &session.user.id)
        .await
        .map_err(internal("addresses: list"))
}
