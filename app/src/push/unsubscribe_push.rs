use leptos::prelude::*;
use shop_types::AppError;

/// Stops push messages to this device for the signed-in account.
#[server(endpoint = "push/unsubscribe")]
pub async fn unsubscribe_push(endpoint: String) -> Result<(), AppError> {
    use crate::identity::auth::{Access, authorize};
    use crate::platform::{errors::internal, state::app_state};
    let state = app_state()?;
    let session = authorize(&state, Access::SignedIn).await?;
    super::push_service::unsubscribe(&state.db, &session.user.id, &endpoint)
        .await
        .map_err(internal("push: unsubscribe"))?;
    Ok(())
}
