use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use shop_types::AppError;
use shop_types::offline::PushTopic;

/// What the notifications page needs: the shop's public VAPID key (for
/// `pushManager.subscribe`) and, if this device is subscribed, its topics.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushStatus {
    pub public_key: String,
    pub topics: Option<Vec<PushTopic>>,
}

/// The push status of this device (`endpoint` empty: not known yet) for the signed-in account.
#[server(endpoint = "push/status")]
pub async fn get_push_status(endpoint: String) -> Result<PushStatus, AppError> {
    use crate::identity::auth::{Access, authorize};
    use crate::platform::{errors::internal, state::app_state};
    let state = app_state()?;
    let session = authorize(&state, Access::SignedIn).await?;
    let key = super::vapid::VapidKey::load(&state.db)
        .await
        .map_err(internal("push: key"))?;
    let topics = if endpoint.trim().is_empty() {
        None
    } else {
        super::push_service::topics_of(&state.db, &session.user.id, &endpoint)
            .await
            .map_err(internal("push: topics"))?
    };
    Ok(PushStatus {
        public_key: key.public_base64(),
        topics,
    })
}
