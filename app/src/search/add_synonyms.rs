use leptos::prelude::*;
use shop_types::AppError;

/// Adds a synonym group ("sneakers, trainers, kicks"). Search uses it within a second.
#[server(endpoint = "admin/search/synonyms/add")]
pub async fn add_synonyms(terms: String) -> Result<(), AppError> {
    use crate::identity::auth::{Access, authorize};
    use crate::platform::{errors::internal, state::app_state};
    use shop_types::Permission;

    let state = app_state()?;
    let session = authorize(&state, Access::Permission(Permission::ManageCatalog)).await?;
    let group = super::synonyms::parse_group(&terms)
        .map_err(|message| AppError::validation("terms", message))?;
    let mut tx = state.write("synonyms: begin").await?;
    let id = super::synonyms::add(&mut tx, &group)
        .await
        .map_err(internal("synonyms: add"))?;
    crate::platform::audit_trail::record(
        &mut tx,
        &crate::identity::auth::who(&session),
        "synonyms.added",
        &format!("synonyms:{id}"),
        None,
        Some(serde_json::json!({ "terms": group })),
    )
    .await
    .map_err(internal("synonyms: audit"))?;
    tx.commit().await.map_err(internal("synonyms: commit"))?;
    state.part::<crate::search::follower::Search>().changed();
    leptos_axum::redirect("/admin/search?done=added");
    Ok(())
}
