use leptos::prelude::*;
use shop_types::AppError;
#[cfg(feature = "ssr")]
use shop_types::Thing;

/// Removes a synonym group.
#[server(endpoint = "admin/search/synonyms/remove")]
pub async fn remove_synonyms(id: String) -> Result<(), AppError> {
    use crate::identity::auth::{Access, authorize};
    use crate::platform::{errors::internal, state::app_state};
    use shop_types::Permission;

    let state = app_state()?;
    authorize(&state, Access::Permission(Permission::ManageCatalog)).await?;
    let mut conn = state.conn("synonyms: acquire").await?;
    if !super::synonyms::remove(&mut conn, &id)
        .await
        .map_err(internal("synonyms: remove"))?
    {
        return Err(AppError::not_found(Thing::SynonymGroup));
    }
    state.part::<crate::search::follower::Search>().changed();
    leptos_axum::redirect("/admin/search?done=removed");
    Ok(())
}
