use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use shop_types::AppError;

/// A synonym group as the admin page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SynonymGroup {
    pub id: String,
    pub terms: String,
}

/// The merchant's synonym groups. Staff who manage the catalog, and admins.
#[server(endpoint = "admin/search/synonyms")]
pub async fn list_synonyms() -> Result<Vec<SynonymGroup>, AppError> {
    use crate::identity::auth::{Access, authorize};
    use crate::platform::{errors::internal, state::app_state};
    use shop_types::Permission;

    let state = app_state()?;
    authorize(&state, Access::Permission(Permission::ManageCatalog)).await?;
    let mut conn = state.conn("synonyms: acquire").await?;
    Ok(super::synonyms::list(&mut conn)
        .await
        .map_err(internal("synonyms: list"))?
        .into_iter()
        .map(|(id, terms)| SynonymGroup { id, terms })
        .collect())
}
