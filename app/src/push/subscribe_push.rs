use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use shop_types::AppError;
use shop_types::offline::PushTopic;

/// Subscribes this device (the browser's push endpoint and keys) to `topics` for the signed-in
/// account, or changes its topics. No topics at all unsubscribes.
#[server(endpoint = "push/subscribe", input = Json)]
pub async fn subscribe_push(
    endpoint: String,
    p256dh: String,
    auth: String,
    topics: Vec<PushTopic>,
) -> Result<(), AppError> {
    use super::push_service::{self, NewSubscription, PushError};
    use crate::identity::auth::{Access, authorize};
    use crate::platform::{errors::internal, state::app_state};
    let state = app_state()?;
    let session = authorize(&state, Access::SignedIn).await?;
    if topics.is_empty() {
        push_service::unsubscribe(&state.db, &session.user.id, &endpoint)
            .await
            .map_err(internal("push: unsubscribe"))?;
        return Ok(());
    }
    let sub = NewSubscription {
        endpoint,
        p256dh,
        auth,
    };
    push_service::check(&sub, state.config.push_private_hosts)
        .map_err(|e| AppError::validation("endpoint", &e))?;
    match push_service::subscribe(&state.db, &session.user.id, &sub, &topics).await {
        Ok(()) => Ok(()),
        Err(PushError::Db(e)) => Err(internal("push: subscribe")(e)),
        Err(other) => Err(AppError::validation("endpoint", &other)),
    }
}
