use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use shop_types::{AppError, Role, Timestamp};

/// The signed-in account as its owner sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub sessions: Vec<SessionView>,
    /// Two-step sign-in (an authenticator app) is on.
    pub two_step: bool,
    /// The account may not turn it off (back office).
    pub two_step_required: bool,
    /// Recovery codes not used yet.
    pub recovery_codes_left: i64,
    /// The account's passkeys, oldest first.
    pub passkeys: Vec<super::PasskeyView>,
    /// Whether passkeys can work at this shop's address.
    pub passkeys_available: bool,
}

/// One of the account's active sessions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    pub id: String,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
    pub user_agent: String,
    /// This browser's own session.
    pub current: bool,
}

/// The caller's account and sessions. Unauthorized when nobody is signed in.
#[server(endpoint = "account/get")]
pub async fn get_account() -> Result<AccountView, AppError> {
    use crate::identity::auth::{Access, authorize};
    use crate::identity::sessions;
    use crate::platform::http::no_store;
    use crate::platform::{errors::internal, state::app_state};

    no_store();
    let state = app_state()?;
    let session = authorize(&state, Access::SignedIn).await?;
    let mut conn = state.conn("account: acquire").await?;
    let list = sessions::list_for_user(&mut conn, &session.user.id)
        .await
        .map_err(internal("account: sessions"))?;
    let factors = crate::identity::factors::status(&mut conn, &session.user.id)
        .await
        .map_err(internal("account: factors"))?;
    let passkeys = crate::identity::passkeys::list(&mut conn, &session.user.id)
        .await
        .map_err(internal("account: passkeys"))?;
    drop(conn);
    let passkeys_available = super::server_support::relying_party(&state).await.is_ok();
    Ok(AccountView {
        email: session.user.email.clone(),
        name: session.user.name.clone(),
        role: session.user.role,
        two_step: factors.app,
        two_step_required: crate::identity::factors::requires_factor(session.user.role),
        recovery_codes_left: factors.recovery_codes_left,
        passkeys: passkeys
            .into_iter()
            .map(|p| super::PasskeyView {
                id: p.id,
                name: p.name,
                created_at: p.created_at,
                last_used_at: p.last_used_at,
            })
            .collect(),
        passkeys_available,
        sessions: list
            .into_iter()
            .map(|s| SessionView {
                current: s.public_id == session.public_id,
                id: s.public_id,
                created_at: s.created_at,
                last_seen_at: s.last_seen_at,
                user_agent: s.user_agent,
            })
            .collect(),
    })
}
