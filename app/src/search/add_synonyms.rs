use leptos::prelude::*;
use shop_types::AppError;

/// Adds a synonym group ("sneakers, trainers, kicks"). Search uses it within a second.
#[server(endpoint = "admin/search/synonyms/add")]
pub async fn add_synonyms(terms: String) -> Result<(), AppError> {
    use crate::identity::auth::{Access, authorize};
    use crate::platform::{errors::internal, state::app_state};
    use shop_types::Permission;

    let state = app_state()?;
    authorize(&state, Access::Permission(Permission::ManageCatalog)).await?;
    let group = super::synonyms::parse_group(&terms)
        .map_err(|message| AppError::validation("terms", message))?;
    let mut conn = state.conn("synonyms: acquire").await?;
    super::synonyms::add(&mut conn, &group)
        .await
        .map_err(internal("synonyms: add"))?;
    state.part::<crate::search::follower::Search>().changed();
    leptos_axum::redirect("/admin/search?done=added");
    Ok(())
}
