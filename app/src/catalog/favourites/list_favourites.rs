use crate::catalog::ProductSummary;
use leptos::prelude::*;
use shop_types::AppError;

/// The signed-in account's favourites.
#[server(endpoint = "account/favourites")]
pub async fn list_favourites() -> Result<Vec<ProductSummary>, AppError> {
    use crate::identity::auth::{Access, authorize};
    use crate::platform::{errors::internal, state::app_state};
    let state = app_state()?;
    let session = authorize(&state, Access::SignedIn).await?;
    let mut conn = state.conn("favourites: acquire").await?;
    crate::catalog::queries::favourites(&mut conn, &session.user.id)
        .await
        .map_err(internal("favourites: list"))
}
