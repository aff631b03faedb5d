use leptos::prelude::*;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use shop_types::Thing;
use shop_types::{AppError, Currency};

/// What every page needs to know about the store.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreInfo {
    pub name: String,
    pub currency: Currency,
    pub support_email: Option<String>,
    /// The shop's public URL (`SHOP_PUBLIC_URL`), for canonical links.
    pub base_url: String,
    /// The picture key of the store's logo, if one was uploaded.
    pub logo_key: Option<String>,
}

/// The store's public settings. Anyone may call it: nothing in it is private.
#[server(endpoint = "store/info")]
pub async fn get_store_info() -> Result<StoreInfo, AppError> {
    use crate::platform::{errors::internal, state::app_state};
    let state = app_state()?;
    let mut conn = state.conn("store info: acquire").await?;
    let mut info = super::queries::default_store(&mut conn)
        .await
        .map_err(internal("store info: query"))?
        .ok_or_else(|| AppError::not_found(Thing::Store))?;
    info.base_url = state.config.public_url.clone();
    Ok(info)
}
