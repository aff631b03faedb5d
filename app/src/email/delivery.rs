//! Delivering queued mail: SMTP through lettre, or the local mailbox.

use super::templates::OutgoingEmail;
use crate::platform::clock::now;
use crate::platform::db::Db;
use crate::platform::ids::new_id;
use crate::platform::jobs::{JobContext, JobFailure, JobRegistry};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::client::Tls;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Where mail goes.
#[derive(Clone)]
pub enum Mailer {
    /// Into the `mailbox` table (no SMTP server configured), with secret links hidden (see
    /// [`SECRET_LINK_MASK`]); whole, into `drop_dir` when one is set (`SHOP_MAIL_DIR`, for
    /// development and the end-to-end tests, which follow the links).
    Local { drop_dir: Option<PathBuf> },
    /// Through an SMTP server.
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
}

/// The mail settings are unusable.
#[derive(Debug, thiserror::Error)]
pub enum MailerError {
    #[error("setting SHOP_SMTP_URL is invalid: {0}")]
    Url(String),
    #[error("setting SHOP_MAIL_FROM is not a valid sender: {0}")]
    From(String),
}

impl Mailer {
    /// Builds the mailer from `SHOP_SMTP_URL` and `SHOP_MAIL_FROM`.
    ///
    /// `smtp://host:port` uses STARTTLS (required), `smtps://` implicit TLS, and a URL with
    /// `?tls=none` speaks plain SMTP (only for a relay on the same machine or in tests).
    pub fn from_settings(
        smtp_url: Option<&str>,
        from: &str,
        drop_dir: Option<&Path>,
    ) -> Result<Self, MailerError> {
        let Some(url) = smtp_url else {
            return Ok(Self::Local {
                drop_dir: drop_dir.map(Path::to_path_buf),
            });
        };
        let from: Mailbox = from
            .parse()
            .map_err(|e: lettre::address::AddressError| MailerError::From(e.to_string()))?;
        let plain = url.contains("tls=none");
        let transport = if plain {
            let clean = url.replace("?tls=none", "").replace("&tls=none", "");
            let rest = clean.trim_start_matches("smtp://");
            let (host, port) = rest
                .rsplit_once(':')
                .ok_or_else(|| MailerError::Url("a plain relay needs host:port".into()))?;
            let port: u16 = port
                .trim_end_matches('/')
                .parse()
                .map_err(|_| MailerError::Url("bad port".into()))?;
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
                .port(port)
                .tls(Tls::None)
                .build()
        } else {
            let builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                .map_err(|e| MailerError::Url(e.to_string()))?;
            builder.build()
        };
        Ok(Self::Smtp { transport, from })
    }

    /// Delivers one mail.
    pub async fn deliver(&self, db: &Db, email: &OutgoingEmail) -> Result<(), JobFailure> {
        match self {
            Self::Local { drop_dir } => {
                if let Some(dir) = drop_dir {
                    drop_file(dir, email).await.map_err(|e| {
                        JobFailure::retry(format!("mail drop {}: {e}", dir.display()))
                    })?;
                }
                let email = &email.masked(SECRET_LINK_MASK);
                let key = db.vault().shop_key();
                sqlx::query(
                    "INSERT INTO mailbox (id, to_address, subject, text_body, html_body, created_at, key_id)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(new_id().to_string())
                .bind(key.seal("mailbox.to_address", &email.to))
                .bind(key.seal("mailbox.subject", &email.subject))
                .bind(key.seal("mailbox.text_body", &email.text))
                .bind(key.seal("mailbox.html_body", &email.html))
                .bind(now().millis())
                .bind(key.id())
                .execute(db.pool())
                .await
                .map_err(|e| JobFailure::retry(format!("mailbox insert: {e}")))?;
                Ok(())
            }
            Self::Smtp { transport, from } => {
                let to: Mailbox = email.to.parse().map_err(|e| {
                    JobFailure::permanent(format!("bad recipient {:?}: {e}", email.to))
                })?;
                let message = Message::builder()
                    .from(from.clone())
                    .to(to)
                    .subject(&email.subject)
                    .multipart(MultiPart::alternative_plain_html(
                        email.text.clone(),
                        email.html.clone(),
                    ))
                    .map_err(|e| {
                        JobFailure::permanent(format!("could not build the message: {e}"))
                    })?;
                match transport.send(message).await {
                    Ok(_) => Ok(()),
                    Err(e) if e.is_permanent() => {
                        Err(JobFailure::permanent(format!("SMTP refused: {e}")))
                    }
                    Err(e) => Err(JobFailure::retry(format!("SMTP: {e}"))),
                }
            }
        }
    }
}

/// Seals up to `batch` mails of the local mailbox written before encryption; returns how many.
pub async fn seal_written_before(
    conn: &mut sqlx::AnyConnection,
    vault: &crate::platform::vault::Vault,
    batch: i64,
) -> Result<u64, sqlx::Error> {
    use sqlx::Row;
    let rows = sqlx::query(
        "SELECT id, to_address, subject, text_body, html_body FROM mailbox WHERE key_id IS NULL LIMIT $1",
    )
    .bind(batch)
    .fetch_all(&mut *conn)
    .await?;
    let key = vault.shop_key();
    for r in &rows {
        let field = |name: &str| -> Result<String, sqlx::Error> {
            Ok(key.seal(&format!("mailbox.{name}"), &r.try_get::<String, _>(name)?))
        };
        sqlx::query(
            "UPDATE mailbox SET to_address = $1, subject = $2, text_body = $3, html_body = $4, key_id = $5 WHERE id = $6",
        )
        .bind(field("to_address")?)
        .bind(field("subject")?)
        .bind(field("text_body")?)
        .bind(field("html_body")?)
        .bind(key.id())
        .bind(r.try_get::<String, _>("id")?)
        .execute(&mut *conn)
        .await?;
    }
    Ok(rows.len() as u64)
}

/// What the local mailbox shows instead of a secret link: whoever reads the mailbox (an admin
/// of a demo or development shop) must not be able to use someone else's confirmation,
/// reset or order link.
pub const SECRET_LINK_MASK: &str = "[secret link hidden; see the mail drop, SHOP_MAIL_DIR]";

/// Writes the whole mail as JSON into `dir` (`<millis>-<sequence>-<id>.json`, so names sort by
/// sending order), through a temporary name so a reader never sees half a file.
async fn drop_file(dir: &Path, email: &OutgoingEmail) -> std::io::Result<()> {
    static SEQUENCE: AtomicU64 = AtomicU64::new(0);
    tokio::fs::create_dir_all(dir).await?;
    let name = format!(
        "{:013}-{:06}-{}.json",
        now().millis(),
        SEQUENCE.fetch_add(1, Ordering::Relaxed),
        new_id()
    );
    let body = serde_json::to_vec_pretty(email).map_err(std::io::Error::other)?;
    let partial = dir.join(format!(".{name}.partial"));
    tokio::fs::write(&partial, body).await?;
    tokio::fs::rename(&partial, dir.join(name)).await
}

/// The mails in a drop directory, oldest first (tests and tools read them).
pub fn dropped(dir: &Path) -> std::io::Result<Vec<OutgoingEmail>> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    names.sort();
    names
        .iter()
        .map(|p| {
            let bytes = std::fs::read(p)?;
            serde_json::from_slice(&bytes).map_err(std::io::Error::other)
        })
        .collect()
}

/// Registers the `email.send` handler.
pub fn register(registry: &mut JobRegistry, mailer: Mailer) {
    let mailer = Arc::new(mailer);
    registry.handle(move |ctx: JobContext, sealed: super::outbox::SealedEmail| {
        let mailer = mailer.clone();
        async move {
            let email = sealed.open(ctx.db.vault())?;
            mailer.deliver(&ctx.db, &email).await
        }
    });
}

/// Deletes local mail older than `before` (the mailbox's retention period); how many went.
pub async fn prune_mailbox(db: &Db, before: i64) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM mailbox WHERE created_at < $1")
        .bind(before)
        .execute(db.pool())
        .await?
        .rows_affected())
}
