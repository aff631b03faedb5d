//! Transactional e-mail: templates, the outbox and delivery.
//!
//! A mail is rendered when its cause happens and queued with [`outbox::queue`] in the same
//! transaction (as an `email.send` job), so it goes out exactly when the cause committed. The
//! job runner delivers it through SMTP (`SHOP_SMTP_URL`) or, when none is configured, into the
//! local mailbox table that admins read at `/admin/mailbox`.

mod list_mailbox;
mod mailbox_page;

#[cfg(feature = "ssr")]
pub use list_mailbox::read_mailbox;
pub use list_mailbox::{ListMailbox, MailboxMessage, list_mailbox};
pub use mailbox_page::MailboxPage;

#[cfg(feature = "ssr")]
pub mod delivery;
#[cfg(feature = "ssr")]
pub mod outbox;
#[cfg(feature = "ssr")]
pub mod templates;
