//! Accounts in the database.

use crate::platform::clock::now;
use crate::platform::ids::new_id;
use crate::platform::vault::{DataKey, Opener, Vault};
use shop_types::{Permission, Role};
use sqlx::{AnyConnection, Row, any::AnyRow};

/// An account as the server sees it.
#[derive(Clone, Debug)]
pub struct User {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub password_hash: String,
    pub email_verified: bool,
    pub disabled: bool,
    pub permissions: Vec<Permission>,
}

impl User {
    /// Admins hold every permission; staff hold those granted; others none.
    pub fn has_permission(&self, permission: Permission) -> bool {
        match self.role {
            Role::Admin => true,
            Role::Staff => self.permissions.contains(&permission),
            Role::Customer | Role::Vendor => false,
        }
    }
}

const COLUMNS: &str =
    "id, email, name, role, password_hash, email_verified_at, disabled_at, key_id";

/// An account from a row selected with [`COLUMNS`], its sealed fields opened.
async fn read_row(
    conn: &mut AnyConnection,
    vault: &Vault,
    row: &AnyRow,
) -> Result<User, sqlx::Error> {
    let role: String = row.try_get("role")?;
    let key_id: Option<String> = row.try_get("key_id")?;
    let opener = vault.opener(conn, key_id.as_deref()).await?;
    Ok(User {
        id: row.try_get("id")?,
        email: opener.open("users.email", &row.try_get::<String, _>("email")?)?,
        name: opener.open("users.name", &row.try_get::<String, _>("name")?)?,
        role: Role::parse(&role)
            .ok_or_else(|| sqlx::Error::Decode(format!("unknown role {role}").into()))?,
        password_hash: row.try_get("password_hash")?,
        email_verified: row
            .try_get::<Option<i64>, _>("email_verified_at")?
            .is_some(),
        disabled: row.try_get::<Option<i64>, _>("disabled_at")?.is_some(),
        permissions: Vec::new(),
    })
}

async fn with_permissions(
    conn: &mut AnyConnection,
    user: Option<User>,
) -> Result<Option<User>, sqlx::Error> {
    let Some(mut user) = user else {
        return Ok(None);
    };
    if user.role == Role::Staff {
        let names: Vec<String> =
            sqlx::query_scalar("SELECT permission FROM staff_permissions WHERE user_id = $1")
                .bind(&user.id)
                .fetch_all(&mut *conn)
                .await?;
        user.permissions = names.iter().filter_map(|n| Permission::parse(n)).collect();
    }
    Ok(Some(user))
}

/// The account with this (normalised) e-mail address, found by its blind index.
pub async fn find_by_email(
    conn: &mut AnyConnection,
    vault: &Vault,
    email: &str,
) -> Result<Option<User>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM users WHERE email_index = $1"
    ))
    .bind(vault.email_index(email))
    .fetch_optional(&mut *conn)
    .await?;
    let user = match row {
        Some(row) => Some(read_row(conn, vault, &row).await?),
        None => None,
    };
    with_permissions(conn, user).await
}

/// The account with this id.
pub async fn find_by_id(
    conn: &mut AnyConnection,
    vault: &Vault,
    id: &str,
) -> Result<Option<User>, sqlx::Error> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM users WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    let user = match row {
        Some(row) => Some(read_row(conn, vault, &row).await?),
        None => None,
    };
    with_permissions(conn, user).await
}

/// Creates an account with its own data key; returns its id. Fails with a unique violation if
/// the address is taken.
pub async fn insert(
    conn: &mut AnyConnection,
    vault: &Vault,
    email: &str,
    password_hash: &str,
    name: &str,
    role: Role,
    verified: bool,
) -> Result<String, sqlx::Error> {
    let id = new_id().to_string();
    let now = now().millis();
    let key = vault.new_key(&mut *conn).await?;
    sqlx::query(
        "INSERT INTO users (id, email, email_index, password_hash, name, role, email_verified_at, created_at, updated_at, key_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9)",
    )
    .bind(&id)
    .bind(key.seal("users.email", email))
    .bind(vault.email_index(email))
    .bind(password_hash)
    .bind(key.seal("users.name", name))
    .bind(role.as_str())
    .bind(verified.then_some(now))
    .bind(now)
    .bind(key.id())
    .execute(conn)
    .await?;
    Ok(id)
}

/// Deletes account `id` (its sessions, links, factors, passkeys, devices, addresses, carts and
/// favourites go with it; its orders stay, without the account). Returns the id of the data
/// key that sealed it, for the caller to destroy.
pub async fn delete(conn: &mut AnyConnection, id: &str) -> Result<Option<String>, sqlx::Error> {
    let key: Option<Option<String>> = sqlx::query_scalar("SELECT key_id FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(key.flatten())
}

/// The data key of account `id` (made and recorded if the account predates encryption), or
/// `None` if there is no such account or its key was destroyed.
pub async fn data_key(
    conn: &mut AnyConnection,
    vault: &Vault,
    id: &str,
) -> Result<Option<DataKey>, sqlx::Error> {
    let key_id: Option<Option<String>> =
        sqlx::query_scalar("SELECT key_id FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    match key_id {
        None => Ok(None),
        Some(None) => {
            let key = vault.new_key(&mut *conn).await?;
            sqlx::query("UPDATE users SET key_id = $1 WHERE id = $2 AND key_id IS NULL")
                .bind(key.id())
                .bind(id)
                .execute(&mut *conn)
                .await?;
            Ok(Some(key))
        }
        Some(Some(key_id)) => match vault.key(conn, &key_id).await? {
            Opener::Key(key) => Ok(Some(key)),
            _ => Ok(None),
        },
    }
}

/// Seals the e-mail address and name of up to `batch` accounts written before encryption;
/// returns how many.
pub async fn seal_written_before(
    conn: &mut AnyConnection,
    vault: &Vault,
    batch: i64,
) -> Result<u64, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, email, name FROM users WHERE key_id IS NULL OR email_index IS NULL LIMIT $1",
    )
    .bind(batch)
    .fetch_all(&mut *conn)
    .await?;
    let mut sealed = 0;
    for row in rows {
        let id: String = row.try_get("id")?;
        let Some(key) = data_key(conn, vault, &id).await? else {
            continue;
        };
        let opener = Opener::Key(key.clone());
        let email = opener.open("users.email", &row.try_get::<String, _>("email")?)?;
        let name = opener.open("users.name", &row.try_get::<String, _>("name")?)?;
        sqlx::query("UPDATE users SET email = $1, email_index = $2, name = $3 WHERE id = $4")
            .bind(key.seal("users.email", &email))
            .bind(vault.email_index(&email))
            .bind(key.seal("users.name", &name))
            .bind(&id)
            .execute(&mut *conn)
            .await?;
        sealed += 1;
    }
    Ok(sealed)
}

/// Records that the account's address was confirmed.
pub async fn mark_verified(conn: &mut AnyConnection, id: &str) -> Result<(), sqlx::Error> {
    let now = now().millis();
    sqlx::query("UPDATE users SET email_verified_at = COALESCE(email_verified_at, $1), updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(conn)
        .await
        .map(|_| ())
}

/// Replaces the password hash.
pub async fn set_password(
    conn: &mut AnyConnection,
    id: &str,
    hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(hash)
        .bind(now().millis())
        .bind(id)
        .execute(conn)
        .await
        .map(|_| ())
}

/// Replaces the (already confirmed) e-mail address. Fails with a unique violation if taken.
pub async fn set_email(
    conn: &mut AnyConnection,
    vault: &Vault,
    id: &str,
    email: &str,
) -> Result<(), sqlx::Error> {
    let Some(key) = data_key(conn, vault, id).await? else {
        return Ok(());
    };
    let now = now().millis();
    sqlx::query(
        "UPDATE users SET email = $1, email_index = $2, email_verified_at = $3, updated_at = $3 WHERE id = $4",
    )
    .bind(key.seal("users.email", email))
    .bind(vault.email_index(email))
    .bind(now)
    .bind(id)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Replaces the display name.
pub async fn set_name(
    conn: &mut AnyConnection,
    vault: &Vault,
    id: &str,
    name: &str,
) -> Result<(), sqlx::Error> {
    let Some(key) = data_key(conn, vault, id).await? else {
        return Ok(());
    };
    sqlx::query("UPDATE users SET name = $1, updated_at = $2 WHERE id = $3")
        .bind(key.seal("users.name", name))
        .bind(now().millis())
        .bind(id)
        .execute(conn)
        .await
        .map(|_| ())
}

/// Disables (or with `None` enables again) a customer's account; false if there is no such
/// customer (staff accounts are changed through their role).
pub async fn set_customer_disabled(
    conn: &mut AnyConnection,
    id: &str,
    disabled_at: Option<i64>,
) -> Result<bool, sqlx::Error> {
    let changed = sqlx::query(
        "UPDATE users SET disabled_at = $1, updated_at = $2 WHERE id = $3 AND role = 'customer'",
    )
    .bind(disabled_at)
    .bind(now().millis())
    .bind(id)
    .execute(conn)
    .await?;
    Ok(changed.rows_affected() == 1)
}

/// Gives an account `role` and, for staff, exactly `permissions`. With `only_back_office`, only
/// an account that already has back-office access changes (a customer is not made staff by a
/// stale form). False if nothing matched.
pub async fn set_role(
    conn: &mut AnyConnection,
    id: &str,
    role: Role,
    permissions: &[shop_types::Permission],
    only_back_office: bool,
) -> Result<bool, sqlx::Error> {
    let changed = sqlx::query(
        "UPDATE users SET role = $1, updated_at = $2 WHERE id = $3 AND (role IN ('staff', 'admin') OR $4 = 0)",
    )
    .bind(role.as_str())
    .bind(now().millis())
    .bind(id)
    .bind(i64::from(only_back_office))
    .execute(&mut *conn)
    .await?;
    if changed.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM staff_permissions WHERE user_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    if role == Role::Staff {
        for permission in permissions {
            sqlx::query("INSERT INTO staff_permissions (user_id, permission) VALUES ($1, $2)")
                .bind(id)
                .bind(permission.as_str())
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(true)
}

/// When `user_id`'s account was created.
pub async fn joined_at(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<Option<shop_types::Timestamp>, sqlx::Error> {
    let at: Option<i64> = sqlx::query_scalar("SELECT created_at FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(at.map(shop_types::Timestamp))
}
