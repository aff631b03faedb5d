//! Registration, e-mail confirmation and sign-in: the rules, callable without HTTP.

use super::passwords::{PasswordRuleError, check_new_password, hash_password, verify_password};
use super::users::{self, User};
use crate::email::outbox;
use crate::email::templates;
use crate::platform::clock::now;
use crate::platform::db::{Db, is_unique_violation};
use crate::platform::secrets::{hash_secret, new_secret};
use shop_types::{Email, Role, Timestamp};

/// How long an e-mail confirmation link works.
pub const VERIFY_LINK_HOURS: i64 = 48;

/// Why an account action failed. Messages are fit to show, and never say whether an address
/// has an account.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("{0}")]
    Password(#[from] PasswordRuleError),
    #[error("The e-mail address or password is wrong.")]
    BadCredentials,
    #[error("Please confirm your e-mail address first: use the link we sent you.")]
    NotVerified,
    #[error("This link is invalid, was already used or has expired.")]
    BadLink,
    #[error("hashing failed: {0}")]
    Hash(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// What the shop needs to write its mails.
#[derive(Clone, Debug)]
pub struct MailContext {
    pub store_name: String,
    pub public_url: String,
}

/// Registers a customer account and mails a confirmation link. If the address already has an
/// account, mails that account's owner instead; the caller sees the same outcome either way.
pub async fn register(
    db: &Db,
    mail: &MailContext,
    email: &Email,
    password: &str,
    name: &str,
) -> Result<(), AccountError> {
    check_new_password(password, email.as_str())?;
    let hash = hash_password(password.to_owned())
        .await
        .map_err(AccountError::Hash)?;
    let mut tx = db.begin_write().await?;
    let inserted = users::insert(
        &mut tx,
        email.as_str(),
        &hash,
        name.trim(),
        Role::Customer,
        false,
    )
    .await;
    match inserted {
        Ok(user_id) => {
            let token = new_secret();
            sqlx::query(
                "INSERT INTO account_tokens (token_hash, user_id, purpose, expires_at, created_at)
                 VALUES ($1, $2, 'verify_email', $3, $4)",
            )
            .bind(hash_secret(&token))
            .bind(&user_id)
            .bind(
                now()
                    .plus_millis(VERIFY_LINK_HOURS * Timestamp::HOUR)
                    .millis(),
            )
            .bind(now().millis())
            .execute(&mut *tx)
            .await?;
            let link = format!("{}/account/confirm?token={token}", mail.public_url);
            let message =
                templates::verify_email(&mail.store_name, email.as_str(), &link, VERIFY_LINK_HOURS);
            outbox::queue(&mut *tx, &message).await?;
        }
        Err(e) if is_unique_violation(&e) => {
            // The failed insert aborted the transaction on PostgreSQL: start again for the mail.
            tx.rollback().await?;
            tx = db.begin_write().await?;
            let link = format!("{}/account/sign-in", mail.public_url);
            let message = templates::already_registered(&mail.store_name, email.as_str(), &link);
            outbox::queue(&mut *tx, &message).await?;
        }
        Err(e) => return Err(e.into()),
    }
    tx.commit().await?;
    Ok(())
}

/// Uses a confirmation link: marks the address confirmed and returns the account.
/// A link works once and only until it expires.
pub async fn confirm_email(db: &Db, token: &str) -> Result<User, AccountError> {
    let mut tx = db.begin_write().await?;
    let user_id: Option<String> = sqlx::query_scalar(
        "UPDATE account_tokens SET used_at = $1
         WHERE token_hash = $2 AND purpose = 'verify_email' AND used_at IS NULL AND expires_at > $1
         RETURNING user_id",
    )
    .bind(now().millis())
    .bind(hash_secret(token))
    .fetch_optional(&mut *tx)
    .await?;
    let user_id = user_id.ok_or(AccountError::BadLink)?;
    users::mark_verified(&mut tx, &user_id).await?;
    let user = users::find_by_id(&mut tx, &user_id)
        .await?
        .ok_or(AccountError::BadLink)?;
    tx.commit().await?;
    if user.disabled {
        return Err(AccountError::BadLink);
    }
    Ok(user)
}

/// Checks an address and password. Takes as long for an unknown address as for a known one.
pub async fn authenticate(db: &Db, email: &Email, password: &str) -> Result<User, AccountError> {
    let mut conn = db.pool().acquire().await?;
    let user = users::find_by_email(&mut conn, email.as_str()).await?;
    drop(conn);
    let stored = user.as_ref().map(|u| u.password_hash.clone());
    let matches = verify_password(password.to_owned(), stored).await;
    match user {
        Some(user) if matches && !user.disabled => {
            if user.email_verified {
                Ok(user)
            } else {
                Err(AccountError::NotVerified)
            }
        }
        _ => Err(AccountError::BadCredentials),
    }
}

/// Creates an account directly (first-start admin, tests); the address counts as confirmed.
pub async fn create_confirmed(
    db: &Db,
    email: &Email,
    password: &str,
    name: &str,
    role: Role,
) -> Result<String, AccountError> {
    let hash = hash_password(password.to_owned())
        .await
        .map_err(AccountError::Hash)?;
    let mut conn = db.pool().acquire().await?;
    Ok(users::insert(&mut conn, email.as_str(), &hash, name, role, true).await?)
}
