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

/// The newest 100 mails of the local mailbox, secret links hidden. Admins only: it is a tool
/// for demo and development shops (a real shop sends through SMTP and its mailbox stays
/// empty). A permission to read it once let staff read an admin's reset link.
#[server(endpoint = "admin/mailbox")]
pub async fn list_mailbox() -> Result<Vec<MailboxMessage>, AppError> {
    use crate::identity::auth::{Access, authorize};
    use crate::platform::{errors::internal, state::app_state};
    use shop_types::Role;

    let state = app_state()?;
    authorize(&state, Access::Role(&[Role::Admin])).await?;
    let mut conn = state.conn("mailbox: acquire").await?;
    read_mailbox(&mut conn, state.db.vault(), 100)
        .await
        .map_err(internal("mailbox: list"))
}

/// The newest `limit` mails of the local mailbox, opened.
#[cfg(feature = "ssr")]
pub async fn read_mailbox(
    conn: &mut sqlx::AnyConnection,
    vault: &crate::platform::vault::Vault,
    limit: i64,
) -> Result<Vec<MailboxMessage>, sqlx::Error> {
    use sqlx::Row;
    let rows = sqlx::query(
        "SELECT id, to_address, subject, text_body, created_at, key_id FROM mailbox ORDER BY created_at DESC, id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let openers = vault.row_openers(conn, &rows).await?;
    rows.iter()
        .zip(&openers)
        .map(|(r, opener)| {
            let field = |name: &str| -> Result<String, sqlx::Error> {
                opener.open(&format!("mailbox.{name}"), &r.try_get::<String, _>(name)?)
            };
            Ok(MailboxMessage {
                id: r.try_get("id")?,
                to: field("to_address")?,
                subject: field("subject")?,
                text: field("text_body")?,
                sent_at: Timestamp(r.try_get("created_at")?),
            })
        })
        .collect()
}
