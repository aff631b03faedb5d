//! Registration, e-mail confirmation and sign-in: the rules, callable without HTTP.

use crate::email::outbox;
use crate::email::templates;
use crate::identity::passwords::{
    PasswordRuleError, check_new_password, hash_password, verify_password,
};
use crate::identity::users::{self, User};
use crate::platform::clock::now;
use crate::platform::db::{Db, is_unique_violation};
use crate::platform::secrets::{hash_secret, new_secret};
use shop_types::{Email, Problem, Role, Timestamp};

/// How long an e-mail confirmation link works.
pub const VERIFY_LINK_HOURS: i64 = 48;
/// How long a password reset link works.
pub const RESET_LINK_MINUTES: i64 = 60;

/// What a single-use link is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkPurpose {
    VerifyEmail,
    ResetPassword,
    ChangeEmail,
}

impl LinkPurpose {
    fn as_str(self) -> &'static str {
        match self {
            Self::VerifyEmail => "verify_email",
            Self::ResetPassword => "reset_password",
            Self::ChangeEmail => "change_email",
        }
    }
}

/// Stores a new single-use link for `user_id` and returns its secret token.
async fn issue_link(
    conn: &mut sqlx::AnyConnection,
    user_id: &str,
    purpose: LinkPurpose,
    new_email: Option<&str>,
    valid_for_ms: i64,
) -> Result<String, sqlx::Error> {
    let token = new_secret();
    sqlx::query(
        "INSERT INTO account_tokens (token_hash, user_id, purpose, new_email, expires_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(hash_secret(&token))
    .bind(user_id)
    .bind(purpose.as_str())
    .bind(new_email)
    .bind(now().plus_millis(valid_for_ms).millis())
    .bind(now().millis())
    .execute(conn)
    .await?;
    Ok(token)
}

/// Uses up a link: marks it used and returns its account (and new address, for a change of
/// address), or `None` if it is unknown, used, expired or for another purpose. One statement,
/// so two clicks at once cannot both succeed.
async fn consume_link(
    conn: &mut sqlx::AnyConnection,
    token: &str,
    purpose: LinkPurpose,
) -> Result<Option<(String, Option<String>)>, sqlx::Error> {
    sqlx::query_as(
        "UPDATE account_tokens SET used_at = $1
         WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1
         RETURNING user_id, new_email",
    )
    .bind(now().millis())
    .bind(hash_secret(token))
    .bind(purpose.as_str())
    .fetch_optional(conn)
    .await
}

/// How long the "this was not me" link of a new-browser sign-in mail works.
pub const SECURE_LINK_HOURS: i64 = 24;

/// Mails `user` that their account was signed in to from a new browser, with a link that ends
/// every session and leads to a new password (a reset link that lasts
/// [`SECURE_LINK_HOURS`]). In the sign-in's transaction.
pub async fn mail_new_device(
    conn: &mut sqlx::AnyConnection,
    vault: &crate::platform::vault::Vault,
    mail: &MailContext,
    user: &User,
    device: &str,
    from: &str,
) -> Result<(), sqlx::Error> {
    let token = issue_link(
        &mut *conn,
        &user.id,
        LinkPurpose::ResetPassword,
        None,
        SECURE_LINK_HOURS * Timestamp::HOUR,
    )
    .await?;
    let link = format!(
        "{}{}?token={token}",
        mail.public_url,
        shop_types::paths::SECURE_ACCOUNT
    );
    let when = now().to_rfc3339();
    let when = format!("{} {} UTC", &when[..10], &when[11..16]);
    let device = if device.is_empty() { "unknown" } else { device };
    let from = if from.is_empty() { "unknown" } else { from };
    outbox::queue(
        conn,
        vault,
        &templates::new_device_sign_in(
            &mail.store_name,
            &user.email,
            device,
            &when,
            from,
            &link,
            SECURE_LINK_HOURS,
        ),
    )
    .await
}

/// "This was not me": the account behind an unused, unexpired reset link loses every session
/// and waiting sign-in at once; the link stays usable for choosing the new password. Returns
/// the account, or `BadLink`.
pub async fn secure_account(db: &Db, token: &str) -> Result<User, AccountError> {
    let mut tx = db.begin_write().await?;
    let user_id: Option<String> = sqlx::query_scalar(
        "SELECT user_id FROM account_tokens
         WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3",
    )
    .bind(hash_secret(token))
    .bind(LinkPurpose::ResetPassword.as_str())
    .bind(now().millis())
    .fetch_optional(&mut *tx)
    .await?;
    let user = match user_id {
        Some(id) => users::find_by_id(&mut tx, db.vault(), &id).await?,
        None => None,
    }
    .ok_or(AccountError::BadLink)?;
    crate::identity::sessions::delete_all_for_user(&mut tx, &user.id).await?;
    crate::identity::factors::close_challenges_of(&mut tx, &user.id).await?;
    crate::platform::audit_trail::record(
        &mut tx,
        &crate::platform::audit_trail::Who::anonymous(&user.email),
        "account.secured",
        &format!("user:{}", user.id),
        None,
        Some(serde_json::json!({ "sessions_ended": true })),
    )
    .await?;
    tx.commit().await?;
    Ok(user)
}

/// Why an account action failed. Messages are fit to show, and never say whether an address
/// has an account.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("{0}")]
    Password(#[from] PasswordRuleError),
    #[error("{}", Problem::from(self))]
    BadCredentials,
    #[error("{}", Problem::from(self))]
    NotVerified,
    #[error("{}", Problem::from(self))]
    BadLink,
    #[error("{}", Problem::from(self))]
    WrongCurrentPassword,
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

/// What the browser that registered keeps (`cookies::REGISTERING`) to be signed in when its
/// confirmation link is used: derived from the link's token, which it does not reveal.
pub fn registering_proof(token: &str) -> String {
    hash_secret(&format!("registering:{token}"))
}

/// Registers a customer account and mails a confirmation link. If the address already has an
/// account, mails that account's owner instead; the caller sees the same outcome either way.
/// Returns the [`registering_proof`] for the registering browser (a random one when no
/// account was made, so the answer looks the same).
pub async fn register(
    db: &Db,
    mail: &MailContext,
    email: &Email,
    password: &str,
    name: &str,
) -> Result<String, AccountError> {
    check_new_password(password, email.as_str())?;
    let hash = hash_password(password.to_owned())
        .await
        .map_err(AccountError::Hash)?;
    let mut tx = db.begin_write().await?;
    let mut proof = registering_proof(&new_secret());
    let inserted = users::insert(
        &mut tx,
        db.vault(),
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
            proof = registering_proof(&token);
            let link = format!("{}/account/confirm?token={token}", mail.public_url);
            let message =
                templates::verify_email(&mail.store_name, email.as_str(), &link, VERIFY_LINK_HOURS);
            outbox::queue(&mut *tx, db.vault(), &message).await?;
        }
        Err(e) if is_unique_violation(&e) => {
            // The failed insert aborted the transaction on PostgreSQL: start again for the mail.
            tx.rollback().await?;
            tx = db.begin_write().await?;
            let link = format!("{}/account/sign-in", mail.public_url);
            let message = templates::already_registered(&mail.store_name, email.as_str(), &link);
            outbox::queue(&mut *tx, db.vault(), &message).await?;
        }
        Err(e) => return Err(e.into()),
    }
    tx.commit().await?;
    Ok(proof)
}

/// Uses a confirmation link: marks the address confirmed and returns the account.
/// A link works once and only until it expires.
pub async fn confirm_email(db: &Db, token: &str) -> Result<User, AccountError> {
    let mut tx = db.begin_write().await?;
    let (user_id, _) = consume_link(&mut tx, token, LinkPurpose::VerifyEmail)
        .await?
        .ok_or(AccountError::BadLink)?;
    users::mark_verified(&mut tx, &user_id).await?;
    let user = users::find_by_id(&mut tx, db.vault(), &user_id)
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
    let user = users::find_by_email(&mut conn, db.vault(), email.as_str()).await?;
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
    Ok(users::insert(
        &mut conn,
        db.vault(),
        email.as_str(),
        &hash,
        name,
        role,
        true,
    )
    .await?)
}

/// Mails a password reset link if the address has an active account. The caller always tells
/// the shopper the same thing, so nobody learns whether an address has an account.
pub async fn request_password_reset(
    db: &Db,
    mail: &MailContext,
    email: &Email,
) -> Result<(), AccountError> {
    let mut tx = db.begin_write().await?;
    if let Some(user) = users::find_by_email(&mut tx, db.vault(), email.as_str()).await?
        && !user.disabled
    {
        let token = issue_link(
            &mut tx,
            &user.id,
            LinkPurpose::ResetPassword,
            None,
            RESET_LINK_MINUTES * Timestamp::MINUTE,
        )
        .await?;
        let link = format!("{}/account/reset?token={token}", mail.public_url);
        outbox::queue(
            &mut *tx,
            db.vault(),
            &templates::password_reset(&mail.store_name, email.as_str(), &link, RESET_LINK_MINUTES),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Sets a new password through a reset link. Ends every session of the account (whoever had
/// the old password is signed out) and confirms the address (the link proved the inbox).
pub async fn reset_password(
    db: &Db,
    token: &str,
    new_password: &str,
) -> Result<User, AccountError> {
    let mut tx = db.begin_write().await?;
    let (user_id, _) = consume_link(&mut tx, token, LinkPurpose::ResetPassword)
        .await?
        .ok_or(AccountError::BadLink)?;
    let user = users::find_by_id(&mut tx, db.vault(), &user_id)
        .await?
        .ok_or(AccountError::BadLink)?;
    if user.disabled {
        return Err(AccountError::BadLink);
    }
    // Checked after the link so a wrong link is reported first; the transaction rolls back
    // (the link stays usable) if the password is refused.
    check_new_password(new_password, &user.email)?;
    let hash = hash_password(new_password.to_owned())
        .await
        .map_err(AccountError::Hash)?;
    users::set_password(&mut tx, &user.id, &hash).await?;
    users::mark_verified(&mut tx, &user.id).await?;
    crate::identity::sessions::delete_all_for_user(&mut tx, &user.id).await?;
    sqlx::query("UPDATE account_tokens SET used_at = $1 WHERE user_id = $2 AND purpose = 'reset_password' AND used_at IS NULL")
        .bind(now().millis())
        .bind(&user.id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(user)
}

/// Changes the password of a signed-in account after checking the current one. Ends every
/// session of the account; the caller starts a fresh one for this browser.
pub async fn change_password(
    db: &Db,
    user: &User,
    current: &str,
    new_password: &str,
) -> Result<(), AccountError> {
    if !verify_password(current.to_owned(), Some(user.password_hash.clone())).await {
        return Err(AccountError::WrongCurrentPassword);
    }
    check_new_password(new_password, &user.email)?;
    let hash = hash_password(new_password.to_owned())
        .await
        .map_err(AccountError::Hash)?;
    let mut tx = db.begin_write().await?;
    users::set_password(&mut tx, &user.id, &hash).await?;
    crate::identity::sessions::delete_all_for_user(&mut tx, &user.id).await?;
    tx.commit().await?;
    Ok(())
}

/// Starts a change of address after checking the current password: mails a confirmation link
/// to the new address (or, if that address already has an account, tells its owner instead).
/// The address changes only when the link is used.
pub async fn request_email_change(
    db: &Db,
    mail: &MailContext,
    user: &User,
    current_password: &str,
    new_email: &Email,
) -> Result<(), AccountError> {
    if !verify_password(
        current_password.to_owned(),
        Some(user.password_hash.clone()),
    )
    .await
    {
        return Err(AccountError::WrongCurrentPassword);
    }
    let mut tx = db.begin_write().await?;
    let taken = users::find_by_email(&mut tx, db.vault(), new_email.as_str())
        .await?
        .is_some();
    let message = if taken {
        templates::already_registered(
            &mail.store_name,
            new_email.as_str(),
            &format!("{}/account/sign-in", mail.public_url),
        )
    } else {
        // The new address waits in the link's row, sealed with the account's key.
        let key = users::data_key(&mut tx, db.vault(), &user.id)
            .await?
            .ok_or(AccountError::BadLink)?;
        let sealed = key.seal("account_tokens.new_email", new_email.as_str());
        let token = issue_link(
            &mut tx,
            &user.id,
            LinkPurpose::ChangeEmail,
            Some(&sealed),
            VERIFY_LINK_HOURS * Timestamp::HOUR,
        )
        .await?;
        let link = format!(
            "{}/account/confirm-new-email?token={token}",
            mail.public_url
        );
        templates::confirm_new_email(
            &mail.store_name,
            new_email.as_str(),
            &link,
            VERIFY_LINK_HOURS,
        )
    };
    outbox::queue(&mut *tx, db.vault(), &message).await?;
    tx.commit().await?;
    Ok(())
}

/// Uses a change-of-address link. Fails if the new address got an account meanwhile. The old
/// address is told, in the same transaction, so a taken-over account does not change hands in
/// silence.
pub async fn confirm_email_change(
    db: &Db,
    mail: &MailContext,
    token: &str,
) -> Result<User, AccountError> {
    let mut tx = db.begin_write().await?;
    let (user_id, new_email) = consume_link(&mut tx, token, LinkPurpose::ChangeEmail)
        .await?
        .ok_or(AccountError::BadLink)?;
    let new_email = new_email.ok_or(AccountError::BadLink)?;
    let key = users::data_key(&mut tx, db.vault(), &user_id)
        .await?
        .ok_or(AccountError::BadLink)?;
    let new_email =
        crate::platform::vault::Opener::Key(key).open("account_tokens.new_email", &new_email)?;
    let old_email = users::find_by_id(&mut tx, db.vault(), &user_id)
        .await?
        .ok_or(AccountError::BadLink)?
        .email;
    match users::set_email(&mut tx, db.vault(), &user_id, &new_email).await {
        Ok(()) => {}
        Err(e) if is_unique_violation(&e) => return Err(AccountError::BadLink),
        Err(e) => return Err(e.into()),
    }
    let user = users::find_by_id(&mut tx, db.vault(), &user_id)
        .await?
        .ok_or(AccountError::BadLink)?;
    if !old_email.eq_ignore_ascii_case(&new_email) {
        let notice = templates::email_changed(
            &mail.store_name,
            &old_email,
            &new_email,
            &format!("{}/account/sign-in", mail.public_url),
        );
        outbox::queue(&mut *tx, db.vault(), &notice).await?;
    }
    tx.commit().await?;
    Ok(user)
}

/// Updates the account's display name.
pub async fn update_name(db: &Db, user: &User, name: &str) -> Result<(), AccountError> {
    let mut conn = db.pool().acquire().await?;
    users::set_name(&mut conn, db.vault(), &user.id, name.trim()).await?;
    Ok(())
}

/// Changes an account's role and staff permissions (a privilege change). Every session of the
/// account ends, so the new rights start only with a fresh sign-in and a fresh token.
pub async fn change_role(
    db: &Db,
    user_id: &str,
    role: Role,
    permissions: &[shop_types::Permission],
) -> Result<(), AccountError> {
    let mut tx = db.begin_write().await?;
    crate::identity::users::set_role(&mut tx, user_id, role, permissions, false).await?;
    crate::identity::sessions::delete_all_for_user(&mut tx, user_id).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes account links (confirmation, reset, change of address) used or expired before
/// `before` (the hourly clean-up); how many went.
pub async fn prune_links(db: &Db, before: i64) -> Result<u64, sqlx::Error> {
    Ok(
        sqlx::query("DELETE FROM account_tokens WHERE expires_at < $1 OR used_at < $1")
            .bind(before)
            .execute(db.pool())
            .await?
            .rows_affected(),
    )
}

impl From<&AccountError> for Problem {
    fn from(error: &AccountError) -> Self {
        match error {
            AccountError::Password(rule) => Problem::from(rule),
            AccountError::BadCredentials => Problem::BadCredentials,
            AccountError::NotVerified => Problem::EmailNotVerified,
            AccountError::BadLink => Problem::LinkInvalid,
            AccountError::WrongCurrentPassword => Problem::PasswordWrong,
            AccountError::Hash(_) | AccountError::Db(_) => Problem::Unexpected,
        }
    }
}
