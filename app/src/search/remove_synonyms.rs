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
    let session = authorize(&state, Access::Permission(Permission::ManageCatalog)).await?;
    let mut tx = state.write("synonyms: begin").await?;
    if !super::synonyms::remove(&mut tx, &id)
        .await
        .map_err(internal("synonyms: remove"))?
    {
        return Err(AppError::not_found(Thing::SynonymGroup));
    }
    crate::platform::audit_trail::record(
        &mut tx,
        &crate::identity::auth::who(&session),
        "synonyms.removed",
        &format!("synonyms:{id}"),
        None,
        None,
    )
    .await
    .map_err(internal("synonyms: audit"))?;
    tx.commit().await.map_err(internal("synonyms: commit"))?;
    state.part::<crate::search::follower::Search>().changed();
    leptos_axum::redirect("/admin/search?done=removed");
    Ok(())
}
