//! Second factors as the database keeps them: an account's authenticator app (TOTP, see
//! [`super::totp`]), its ten recovery codes, and the sign-in challenge that sits between a
//! right password and a full session.
//!
//! - Enrolment: [`start_enrolment`] keeps a new key and recovery codes unconfirmed (shown
//!   again on a reload for [`ENROLMENT_TTL`]); [`confirm_enrolment`] turns them on once the
//!   app's first code matches. An account
//!   that already has a confirmed app cannot start another enrolment over it (it is removed
//!   first: by its owner after re-authenticating, or by an admin).
//! - Sign-in: a right password opens a [`Challenge`] (never a session); [`use_code`] takes a
//!   code from the app (each time step once, stored as `last_step`) or a recovery code (each
//!   once, `used_at`). A challenge lasts [`CHALLENGE_TTL`] and dies after
//!   [`MAX_FAILURES`] wrong codes.
//! - Recovery codes are hashed like passwords (argon2id): they carry 50 bits, too few for a
//!   plain hash to resist a stolen database. The TOTP key itself must be readable to compute
//!   codes, so it is stored as it is; a stolen key still needs the account's password.

use super::passwords::{hash_password, verify_password};
use super::totp;
use crate::platform::secrets::{hash_secret, new_secret};
use shop_types::{Role, Timestamp};
use sqlx::{AnyConnection, Row};

/// How long a sign-in may wait between password and code (or enrolment).
pub const CHALLENGE_TTL: i64 = 10 * Timestamp::MINUTE;
/// Wrong codes a challenge survives; then the sign-in starts over with the password.
pub const MAX_FAILURES: i64 = 5;

/// What a sign-in still needs after the right password.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// A code from the account's app, or a recovery code.
    SecondFactor,
    /// A back-office account without a second factor sets one up first.
    Enrol,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Self::SecondFactor => "second_factor",
            Self::Enrol => "enrol",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        match text {
            "second_factor" => Some(Self::SecondFactor),
            "enrol" => Some(Self::Enrol),
            _ => None,
        }
    }
}

/// The step after the password for an account of `role` that has (or has not) a confirmed
/// app: `None` means the password was enough (customers who chose no second factor).
pub fn next_step(role: Role, has_factor: bool) -> Option<Purpose> {
    if has_factor {
        Some(Purpose::SecondFactor)
    } else if requires_factor(role) {
        Some(Purpose::Enrol)
    } else {
        None
    }
}

/// Whether accounts of `role` must have a second factor (staff and admins; vendors too).
pub fn requires_factor(role: Role) -> bool {
    role != Role::Customer
}

/// A sign-in waiting for its second step.
#[derive(Clone, Debug)]
pub struct Challenge {
    pub user_id: String,
    pub purpose: Purpose,
    pub failures: i64,
}

/// Opens a challenge for `user_id` (ending any earlier one of theirs); returns the token for
/// the browser's cookie.
pub async fn open_challenge(
    conn: &mut AnyConnection,
    user_id: &str,
    purpose: Purpose,
    now: Timestamp,
) -> Result<String, sqlx::Error> {
    close_challenges_of(&mut *conn, user_id).await?;
    let token = new_secret();
    sqlx::query(
        "INSERT INTO sign_in_challenges (token_hash, user_id, purpose, failures, expires_at, created_at)
         VALUES ($1, $2, $3, 0, $4, $5)",
    )
    .bind(hash_secret(&token))
    .bind(user_id)
    .bind(purpose.as_str())
    .bind(now.plus_millis(CHALLENGE_TTL).millis())
    .bind(now.millis())
    .execute(&mut *conn)
    .await?;
    Ok(token)
}

/// The live challenge behind `token`; expired or worn-out ones are deleted on sight.
pub async fn find_challenge(
    conn: &mut AnyConnection,
    token: &str,
    now: Timestamp,
) -> Result<Option<Challenge>, sqlx::Error> {
    let hash = hash_secret(token);
    let Some(row) = sqlx::query(
        "SELECT user_id, purpose, failures, expires_at FROM sign_in_challenges WHERE token_hash = $1",
    )
    .bind(&hash)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let failures: i64 = row.try_get("failures")?;
    let expires_at: i64 = row.try_get("expires_at")?;
    let purpose = Purpose::parse(&row.try_get::<String, _>("purpose")?);
    match purpose {
        Some(purpose) if now.millis() < expires_at && failures < MAX_FAILURES => {
            Ok(Some(Challenge {
                user_id: row.try_get("user_id")?,
                purpose,
                failures,
            }))
        }
        _ => {
            close_challenge(conn, token).await?;
            Ok(None)
        }
    }
}

/// Deletes sign-in challenges that ran out and forgets the plain text of new recovery codes
/// shown long enough (the hourly clean-up; a live one is never touched).
pub async fn prune_challenges(db: &crate::platform::db::Db, now: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sign_in_challenges WHERE expires_at < $1")
        .bind(now)
        .execute(db.pool())
        .await?;
    let shown = sqlx::query(
        "UPDATE totp_factors SET pending_codes = NULL, codes_shown_until = NULL
         WHERE confirmed_at IS NOT NULL AND codes_shown_until < $1",
    )
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() + shown.rows_affected())
}

/// Counts a wrong code against the challenge; returns how many it has had.
pub async fn count_failure(conn: &mut AnyConnection, token: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE sign_in_challenges SET failures = failures + 1 WHERE token_hash = $1 RETURNING failures",
    )
    .bind(hash_secret(token))
    .fetch_optional(conn)
    .await
    .map(|f| f.unwrap_or(MAX_FAILURES))
}

/// Ends the challenge behind `token`.
pub async fn close_challenge(conn: &mut AnyConnection, token: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sign_in_challenges WHERE token_hash = $1")
        .bind(hash_secret(token))
        .execute(conn)
        .await
        .map(|_| ())
}

/// Ends every challenge of `user_id` (a new sign-in, a reset factor, "sign out everywhere").
pub async fn close_challenges_of(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sign_in_challenges WHERE user_id = $1")
        .bind(user_id)
        .execute(conn)
        .await
        .map(|_| ())
}

/// An account's second factors as its owner (and an admin) sees them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Status {
    /// A confirmed authenticator app.
    pub app: bool,
    /// Recovery codes not used yet.
    pub recovery_codes_left: i64,
}

/// `user_id`'s second factors.
pub async fn status(conn: &mut AnyConnection, user_id: &str) -> Result<Status, sqlx::Error> {
    let app: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM totp_factors WHERE user_id = $1 AND confirmed_at IS NOT NULL",
    )
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await?;
    let left: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL",
    )
    .bind(user_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Status {
        app: app.is_some(),
        recovery_codes_left: if app.is_some() { left } else { 0 },
    })
}

/// How long an enrolment in progress keeps its key and codes: a page reloaded (or a wrong
/// code sent back without JavaScript) shows the same ones, so the app already set up still fits.
pub const ENROLMENT_TTL: i64 = 30 * Timestamp::MINUTE;

/// A key and recovery codes being set up, shown to the person setting up their app until the
/// first code confirms them.
#[derive(Clone, Debug)]
pub struct Enrolment {
    pub secret: Vec<u8>,
    pub recovery_codes: Vec<String>,
}

/// `user_id`'s enrolment in progress: the one started less than [`ENROLMENT_TTL`] ago, else a
/// new key and ten new codes. `None` when the account already has a confirmed app.
pub async fn start_enrolment(
    conn: &mut AnyConnection,
    user_id: &str,
    now: Timestamp,
) -> Result<Option<Enrolment>, sqlx::Error> {
    if status(&mut *conn, user_id).await?.app {
        return Ok(None);
    }
    if let Some(pending) = pending_enrolment(&mut *conn, user_id, now).await? {
        return Ok(Some(pending));
    }
    let enrolment = Enrolment {
        secret: totp::new_secret(),
        recovery_codes: totp::recovery_codes(),
    };
    let codes = enrolment.recovery_codes.join("\n");
    replace_factor(conn, user_id, &enrolment.secret, None, Some(&codes), now).await?;
    Ok(Some(enrolment))
}

/// Puts `secret` in place of whatever app `user_id` had: confirmed at `confirmed_at`, or an
/// enrolment in progress showing `pending_codes`.
async fn replace_factor(
    conn: &mut AnyConnection,
    user_id: &str,
    secret: &[u8],
    confirmed_at: Option<Timestamp>,
    pending_codes: Option<&str>,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM totp_factors WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO totp_factors (user_id, secret, last_step, confirmed_at, pending_codes, created_at)
         VALUES ($1, $2, NULL, $3, $4, $5)",
    )
    .bind(user_id)
    .bind(totp::base32(secret))
    .bind(confirmed_at.map(Timestamp::millis))
    .bind(pending_codes)
    .bind(now.millis())
    .execute(conn)
    .await
    .map(|_| ())
}

/// `user_id`'s unconfirmed enrolment, if it is younger than [`ENROLMENT_TTL`].
pub async fn pending_enrolment(
    conn: &mut AnyConnection,
    user_id: &str,
    now: Timestamp,
) -> Result<Option<Enrolment>, sqlx::Error> {
    let Some(row) = sqlx::query(
        "SELECT secret, pending_codes FROM totp_factors
         WHERE user_id = $1 AND confirmed_at IS NULL AND created_at > $2",
    )
    .bind(user_id)
    .bind(now.millis() - ENROLMENT_TTL)
    .fetch_optional(conn)
    .await?
    else {
        return Ok(None);
    };
    let secret = totp::from_base32(&row.try_get::<String, _>("secret")?)
        .ok_or_else(|| sqlx::Error::Decode("a TOTP key that is not base32".into()))?;
    let codes: Option<String> = row.try_get("pending_codes")?;
    Ok(Some(Enrolment {
        secret,
        recovery_codes: codes
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect(),
    }))
}

/// Gives `user_id` a confirmed app with a key chosen by the caller (the demo admin's printed
/// key; never for real accounts, whose keys come from [`start_enrolment`]).
pub async fn set_known_key(
    conn: &mut AnyConnection,
    user_id: &str,
    secret: &[u8],
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    replace_factor(conn, user_id, secret, Some(now), None, now).await
}

async fn key(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<Option<(Vec<u8>, Option<i64>)>, sqlx::Error> {
    let Some(row) = sqlx::query(
        "SELECT secret, last_step FROM totp_factors WHERE user_id = $1 AND confirmed_at IS NOT NULL",
    )
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let secret = totp::from_base32(&row.try_get::<String, _>("secret")?)
        .ok_or_else(|| sqlx::Error::Decode("a TOTP key that is not base32".into()))?;
    Ok(Some((secret, row.try_get("last_step")?)))
}

/// Marks `step` used, unless it (or a later one) already was: false means someone used the
/// same code a moment earlier.
async fn take_step(
    conn: &mut AnyConnection,
    user_id: &str,
    step: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE totp_factors SET last_step = $1
         WHERE user_id = $2 AND (last_step IS NULL OR last_step < $1)",
    )
    .bind(step)
    .bind(user_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The recovery codes of `enrolment`, hashed for [`confirm_enrolment`] (argon2id takes a
/// moment each: call this outside a write transaction).
pub async fn hash_recovery_codes(enrolment: &Enrolment) -> Result<Vec<String>, sqlx::Error> {
    let mut hashes = Vec::with_capacity(enrolment.recovery_codes.len());
    for code in &enrolment.recovery_codes {
        hashes.push(
            hash_password(totp::normalise_recovery_code(code))
                .await
                .map_err(|e| sqlx::Error::Protocol(format!("recovery code hash: {e}")))?,
        );
    }
    Ok(hashes)
}

/// Turns on the enrolment whose key is `secret`, once the app's first code matched time step
/// `step` ([`totp::verify`]; that step counts as used), and stores its recovery codes as
/// `code_hashes` (hashing them takes a while, so the step is checked before, not here). False
/// when that enrolment is no longer the one in progress.
pub async fn confirm_enrolment(
    conn: &mut AnyConnection,
    user_id: &str,
    secret: &[u8],
    step: i64,
    code_hashes: &[String],
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE totp_factors SET confirmed_at = $1, last_step = $2, pending_codes = NULL
         WHERE user_id = $3 AND secret = $4 AND confirmed_at IS NULL",
    )
    .bind(now.millis())
    .bind(step)
    .bind(user_id)
    .bind(totp::base32(secret))
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    store_recovery_codes(conn, user_id, code_hashes).await?;
    Ok(true)
}

/// Puts `code_hashes` in place of all of `user_id`'s recovery codes.
async fn store_recovery_codes(
    conn: &mut AnyConnection,
    user_id: &str,
    code_hashes: &[String],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    for hash in code_hashes {
        sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
            .bind(user_id)
            .bind(hash)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// How long new recovery codes stay readable for their owner after they were made.
pub const NEW_CODES_SHOWN: i64 = 15 * Timestamp::MINUTE;

/// Replaces `user_id`'s recovery codes with `codes` (hashed as `code_hashes`, see
/// [`hash_recovery_codes`]); the plain codes stay readable by [`shown_codes`] for
/// [`NEW_CODES_SHOWN`]. False when the account has no confirmed app.
pub async fn renew_recovery_codes(
    conn: &mut AnyConnection,
    user_id: &str,
    codes: &[String],
    code_hashes: &[String],
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE totp_factors SET pending_codes = $1, codes_shown_until = $2
         WHERE user_id = $3 AND confirmed_at IS NOT NULL",
    )
    .bind(codes.join("\n"))
    .bind(now.plus_millis(NEW_CODES_SHOWN).millis())
    .bind(user_id)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    store_recovery_codes(conn, user_id, code_hashes).await?;
    Ok(true)
}

/// The new recovery codes `user_id` may still read (empty once saved or after
/// [`NEW_CODES_SHOWN`]).
pub async fn shown_codes(
    conn: &mut AnyConnection,
    user_id: &str,
    now: Timestamp,
) -> Result<Vec<String>, sqlx::Error> {
    let codes: Option<Option<String>> = sqlx::query_scalar(
        "SELECT pending_codes FROM totp_factors
         WHERE user_id = $1 AND confirmed_at IS NOT NULL AND codes_shown_until > $2",
    )
    .bind(user_id)
    .bind(now.millis())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(codes
        .flatten()
        .map(|c| c.lines().map(str::to_owned).collect())
        .unwrap_or_default())
}

/// Forgets the plain text of `user_id`'s new recovery codes (their owner saved them).
pub async fn forget_shown_codes(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE totp_factors SET pending_codes = NULL, codes_shown_until = NULL
         WHERE user_id = $1 AND confirmed_at IS NOT NULL",
    )
    .bind(user_id)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Which kind of code passed a second step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    App,
    RecoveryCode,
}

impl Method {
    /// As the audit log names it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::App => "app",
            Self::RecoveryCode => "recovery_code",
        }
    }
}

/// Checks a code typed at the second step: six digits from the app (its step not used
/// before), or one of the unused recovery codes (used up now). `None` when it is neither.
pub async fn use_code(
    conn: &mut AnyConnection,
    user_id: &str,
    typed: &str,
    now: Timestamp,
) -> Result<Option<Method>, sqlx::Error> {
    let Some((secret, last)) = key(&mut *conn, user_id).await? else {
        return Ok(None);
    };
    let compact: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.len() == totp::DIGITS as usize && compact.bytes().all(|b| b.is_ascii_digit()) {
        let Some(step) = totp::verify(&secret, &compact, now.millis() / 1000, last) else {
            return Ok(None);
        };
        return Ok(take_step(conn, user_id, step).await?.then_some(Method::App));
    }
    let code = totp::normalise_recovery_code(typed);
    if code.is_empty() || code.len() > 40 {
        return Ok(None);
    }
    let unused: Vec<String> = sqlx::query_scalar(
        "SELECT code_hash FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL",
    )
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await?;
    for hash in unused {
        if verify_password(code.clone(), Some(hash.clone())).await {
            let done = sqlx::query(
                "UPDATE recovery_codes SET used_at = $1
                 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
            )
            .bind(now.millis())
            .bind(user_id)
            .bind(&hash)
            .execute(&mut *conn)
            .await?;
            return Ok((done.rows_affected() == 1).then_some(Method::RecoveryCode));
        }
    }
    Ok(None)
}

/// Removes `user_id`'s app and recovery codes (its owner turning them off, or an admin's reset
/// of a lost phone); true if there was an app. Open challenges end too.
pub async fn remove(conn: &mut AnyConnection, user_id: &str) -> Result<bool, sqlx::Error> {
    let had = status(&mut *conn, user_id).await?.app;
    sqlx::query("DELETE FROM totp_factors WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    close_challenges_of(conn, user_id).await?;
    Ok(had)
}
