use super::views::ViolationGroup;
use leptos::prelude::*;
use shop_types::AppError;

/// Content-Security-Policy violations browsers reported in the last 30 days, grouped. Admins
/// only: the reports name pages and addresses that attackers tried.
#[server(endpoint = "admin/security/csp")]
pub async fn list_violations() -> Result<Vec<ViolationGroup>, AppError> {
    use crate::identity::auth::{Access, authorize};
    use crate::platform::http::no_store;
    use crate::platform::{errors::internal, state::app_state};
    use shop_types::Role;

    no_store();
    let state = app_state()?;
    authorize(&state, Access::Role(&[Role::Admin])).await?;
    super::store::groups(&state.db, 30)
        .await
        .map_err(internal("csp reports: list"))
}
