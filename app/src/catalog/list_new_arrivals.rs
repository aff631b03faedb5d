use super::ProductSummary;
use leptos::prelude::*;
use shop_types::AppError;

/// The eight newest products, for the home page.
#[server(endpoint = "catalog/new-arrivals")]
pub async fn list_new_arrivals() -> Result<Vec<ProductSummary>, AppError> {
    use crate::platform::{errors::internal, state::app_state};
    let state = app_state()?;
    let mut conn = state.conn("new arrivals: acquire").await?;
    super::queries::new_arrivals(&mut conn, 8)
        .await
        .map_err(internal("new arrivals"))
}
