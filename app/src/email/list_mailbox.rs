use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use shop_types::{AppError, Timestamp};

/// A mail in the local mailbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailboxMessage {
    pub id: String,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub sent_at: Timestamp,
}

/// The newest 100 mails of the local mailbox. Admins, and staff allowed to read it.
#[server(endpoint = "admin/mailbox")]
pub async fn list_mailbox() -> Result<Vec<MailboxMessage>, AppError> {
    use crate::identity::auth::{Access, authorize};
    use crate::platform::{errors::internal, state::app_state};
    use shop_types::Permission;
    use sqlx::Row;

    let state = app_state()?;
    authorize(&state, Access::Permission(Permission::ReadMailbox)).await?;
    let rows = sqlx::query(
        "SELECT id, to_address, subject, text_body, created_at FROM mailbox ORDER BY created_at DESC, id LIMIT 100",
    )
    .fetch_all(state.db.pool())
    .await
    .map_err(internal("mailbox: list"))?;
    rows.iter()
        .map(|r| {
            Ok(MailboxMessage {
                id: r.try_get("id")?,
                to: r.try_get("to_address")?,
                subject: r.try_get("subject")?,
                text: r.try_get("text_body")?,
                sent_at: Timestamp(r.try_get("created_at")?),
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(internal("mailbox: decode"))
}
