//! Delivering queued mail: SMTP through lettre, or the local mailbox.

use super::templates::OutgoingEmail;
use crate::platform::clock::now;
use crate::platform::db::Db;
use crate::platform::ids::new_id;
use crate::platform::jobs::{JobContext, JobFailure, JobRegistry};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::client::Tls;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::sync::Arc;

/// Where mail goes.
#[derive(Clone)]
pub enum Mailer {
    /// Into the `mailbox` table (no SMTP server configured).
    Local,
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
    pub fn from_settings(smtp_url: Option<&str>, from: &str) -> Result<Self, MailerError> {
        let Some(url) = smtp_url else {
            return Ok(Self::Local);
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
            Self::Local => {
                sqlx::query(
                    "INSERT INTO mailbox (id, to_address, subject, text_body, html_body, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(new_id().to_string())
                .bind(&email.to)
                .bind(&email.subject)
                .bind(&email.text)
                .bind(&email.html)
                .bind(now().millis())
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

/// Registers the `email.send` handler.
pub fn register(registry: &mut JobRegistry, mailer: Mailer) {
    let mailer = Arc::new(mailer);
    registry.handle(move |ctx: JobContext, email: OutgoingEmail| {
        let mailer = mailer.clone();
        async move { mailer.deliver(&ctx.db, &email).await }
    });
}
