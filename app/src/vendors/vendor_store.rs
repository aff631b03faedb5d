//! Every write to `vendors`, `vendor_members` and `vendor_status_history`, and the reads the
//! rules and pages need. The business's private details are one JSON document sealed with the
//! vendor's own data key (see migration 0020); only [`details`] opens it.

use super::views::{StatusChange, VendorDetails, VendorRow};
use crate::catalog::queries::picture;
use crate::platform::clock::now;
use crate::platform::ids::new_id;
use crate::platform::vault::Vault;
use shop_types::{Timestamp, VendorRole, VendorStatus};
use sqlx::{AnyConnection, Row, any::AnyRow};

const SEALED: &str = "vendors.details";

/// A new vendor as the application makes it.
pub struct NewVendor<'a> {
    pub name: &'a str,
    pub slug_base: &'a str,
    pub legal_form: &'a str,
    pub details: &'a VendorDetails,
    pub terms_version: &'a str,
    pub owner_id: &'a str,
    /// Who the history names (`account:<id>`).
    pub actor: &'a str,
}

/// Creates the vendor in status `applied` with its owner; returns its id and slug. The slug is
/// the name's, with `-2`, `-3`, … when another vendor has it.
pub async fn insert(
    tx: &mut AnyConnection,
    vault: &Vault,
    new: &NewVendor<'_>,
) -> Result<(String, String), sqlx::Error> {
    let id = new_id().to_string();
    let at = now().millis();
    let slug = free_slug(tx, new.slug_base).await?;
    let key = vault.new_key(&mut *tx).await?;
    let details = serde_json::to_string(new.details).map_err(|e| sqlx::Error::Encode(e.into()))?;
    sqlx::query(
        "INSERT INTO vendors (id, slug, name, status, legal_form, details, key_id, terms_version,
             terms_accepted_at, status_changed_at, created_at, updated_at)
         VALUES ($1, $2, $3, 'applied', $4, $5, $6, $7, $8, $8, $8, $8)",
    )
    .bind(&id)
    .bind(&slug)
    .bind(new.name)
    .bind(new.legal_form)
    .bind(key.seal(SEALED, &details))
    .bind(key.id())
    .bind(new.terms_version)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    add_member(tx, &id, new.owner_id, VendorRole::Owner).await?;
    history(tx, &id, None, VendorStatus::Applied, None, new.actor).await?;
    Ok((id, slug))
}

async fn free_slug(conn: &mut AnyConnection, base: &str) -> Result<String, sqlx::Error> {
    let taken: Vec<String> =
        sqlx::query_scalar("SELECT slug FROM vendors WHERE slug = $1 OR slug LIKE $2")
            .bind(base)
            .bind(format!("{base}-%"))
            .fetch_all(conn)
            .await?;
    if !taken.iter().any(|s| s == base) {
        return Ok(base.to_owned());
    }
    let mut n = 2;
    while taken.contains(&format!("{base}-{n}")) {
        n += 1;
    }
    Ok(format!("{base}-{n}"))
}

/// Adds `user_id` to the vendor's team. Fails with a unique violation if the account already
/// belongs to a vendor.
pub async fn add_member(
    conn: &mut AnyConnection,
    vendor_id: &str,
    user_id: &str,
    role: VendorRole,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO vendor_members (vendor_id, user_id, role, added_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(vendor_id)
    .bind(user_id)
    .bind(role.as_str())
    .bind(now().millis())
    .execute(conn)
    .await?;
    Ok(())
}

/// Ends every membership of the vendor; returns the accounts that were members.
pub async fn remove_members(
    conn: &mut AnyConnection,
    vendor_id: &str,
) -> Result<Vec<String>, sqlx::Error> {
    let users: Vec<String> =
        sqlx::query_scalar("SELECT user_id FROM vendor_members WHERE vendor_id = $1")
            .bind(vendor_id)
            .fetch_all(&mut *conn)
            .await?;
    sqlx::query("DELETE FROM vendor_members WHERE vendor_id = $1")
        .bind(vendor_id)
        .execute(conn)
        .await?;
    Ok(users)
}

async fn history(
    conn: &mut AnyConnection,
    vendor_id: &str,
    from: Option<VendorStatus>,
    to: VendorStatus,
    reason: Option<&str>,
    actor: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO vendor_status_history (id, vendor_id, at, from_status, to_status, reason, actor)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(new_id().to_string())
    .bind(vendor_id)
    .bind(now().millis())
    .bind(from.map(VendorStatus::as_str))
    .bind(to.as_str())
    .bind(reason)
    .bind(actor)
    .execute(conn)
    .await?;
    Ok(())
}

/// Moves the vendor from `from` to `to` if it is still in `from` (one conditional update, so
/// two people deciding at once cannot both win); false if it was not.
pub async fn set_status(
    conn: &mut AnyConnection,
    vendor_id: &str,
    from: VendorStatus,
    to: VendorStatus,
    reason: Option<&str>,
    actor: &str,
) -> Result<bool, sqlx::Error> {
    let at = now().millis();
    let done = sqlx::query(
        "UPDATE vendors SET status = $1, status_reason = $2, status_changed_at = $3, updated_at = $3
         WHERE id = $4 AND status = $5",
    )
    .bind(to.as_str())
    .bind(reason)
    .bind(at)
    .bind(vendor_id)
    .bind(from.as_str())
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    history(conn, vendor_id, Some(from), to, reason, actor).await?;
    Ok(true)
}

/// Saves the storefront profile (description and returns policy, already checked).
pub async fn set_profile(
    conn: &mut AnyConnection,
    vendor_id: &str,
    description: &str,
    returns_policy: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE vendors SET description = $1, returns_policy = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(description)
    .bind(returns_policy)
    .bind(now().millis())
    .bind(vendor_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Sets the logo or banner (the stored original's key and size).
pub async fn set_picture(
    conn: &mut AnyConnection,
    vendor_id: &str,
    kind: crate::vendors::VendorPicture,
    key: &str,
    width: u32,
    height: u32,
) -> Result<(), sqlx::Error> {
    let sql = match kind {
        crate::vendors::VendorPicture::Logo => {
            "UPDATE vendors SET logo_key = $1, logo_width = $2, logo_height = $3, updated_at = $4 WHERE id = $5"
        }
        crate::vendors::VendorPicture::Banner => {
            "UPDATE vendors SET banner_key = $1, banner_width = $2, banner_height = $3, updated_at = $4 WHERE id = $5"
        }
    };
    sqlx::query(sql)
        .bind(key)
        .bind(i64::from(width))
        .bind(i64::from(height))
        .bind(now().millis())
        .bind(vendor_id)
        .execute(conn)
        .await?;
    Ok(())
}

const COLUMNS: &str =
    "v.id, v.slug, v.name, v.status, v.legal_form, v.description, v.returns_policy,
    v.terms_version, v.terms_accepted_at, v.status_reason, v.status_changed_at, v.created_at,
    v.logo_key, v.logo_width, v.logo_height, v.banner_key, v.banner_width, v.banner_height";

fn read(row: &AnyRow) -> Result<VendorRow, sqlx::Error> {
    let status: String = row.try_get("status")?;
    Ok(VendorRow {
        id: row.try_get("id")?,
        slug: row.try_get("slug")?,
        name: row.try_get("name")?,
        status: VendorStatus::parse(&status)
            .ok_or_else(|| sqlx::Error::Decode(format!("unknown vendor status {status}").into()))?,
        legal_form: row.try_get("legal_form")?,
        description: row.try_get("description")?,
        returns_policy: row.try_get("returns_policy")?,
        terms_version: row.try_get("terms_version")?,
        terms_accepted_at: Timestamp(row.try_get("terms_accepted_at")?),
        status_reason: row.try_get("status_reason")?,
        status_changed_at: Timestamp(row.try_get("status_changed_at")?),
        created_at: Timestamp(row.try_get("created_at")?),
        logo: picture(row, "logo", &row.try_get::<String, _>("name")?)?,
        banner: picture(row, "banner", "")?,
    })
}

/// One vendor.
pub async fn find(conn: &mut AnyConnection, id: &str) -> Result<Option<VendorRow>, sqlx::Error> {
    sqlx::query(&format!("SELECT {COLUMNS} FROM vendors v WHERE v.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .as_ref()
        .map(read)
        .transpose()
}

/// The vendor an account works for, and its role there.
pub async fn membership(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<Option<(VendorRow, VendorRole)>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS}, m.role AS member_role FROM vendor_members m JOIN vendors v ON v.id = m.vendor_id
         WHERE m.user_id = $1"
    ))
    .bind(user_id)
    .fetch_optional(conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let role: String = row.try_get("member_role")?;
    let role = VendorRole::parse(&role)
        .ok_or_else(|| sqlx::Error::Decode(format!("unknown vendor role {role}").into()))?;
    Ok(Some((read(&row)?, role)))
}

/// The e-mail addresses of the vendor's owners (who its mails go to).
pub async fn owner_ids(
    conn: &mut AnyConnection,
    vendor_id: &str,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT user_id FROM vendor_members WHERE vendor_id = $1 AND role = 'owner' ORDER BY added_at",
    )
    .bind(vendor_id)
    .fetch_all(conn)
    .await
}

/// The vendor's private details, opened with its data key (`None` once shredded).
pub async fn details(
    conn: &mut AnyConnection,
    vault: &Vault,
    vendor_id: &str,
) -> Result<Option<VendorDetails>, sqlx::Error> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT details, key_id FROM vendors WHERE id = $1")
            .bind(vendor_id)
            .fetch_optional(&mut *conn)
            .await?;
    let Some((sealed, key_id)) = row else {
        return Ok(None);
    };
    let opener = vault.opener(conn, Some(&key_id)).await?;
    if opener.is_shredded() {
        return Ok(None);
    }
    let text = opener.open(SEALED, &sealed)?;
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| sqlx::Error::Decode(e.into()))
}

/// How many products the vendor lists (drafts and active ones; archived ones do not count).
pub async fn product_count(conn: &mut AnyConnection, vendor_id: &str) -> Result<u32, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM products WHERE vendor_id = $1 AND status <> 'archived'",
    )
    .bind(vendor_id)
    .fetch_one(conn)
    .await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// The vendor's status changes, oldest first.
pub async fn status_history(
    conn: &mut AnyConnection,
    vendor_id: &str,
) -> Result<Vec<StatusChange>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT at, to_status, reason FROM vendor_status_history WHERE vendor_id = $1 ORDER BY at, id",
    )
    .bind(vendor_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            let to: String = r.try_get("to_status")?;
            Ok(StatusChange {
                at: Timestamp(r.try_get("at")?),
                to: VendorStatus::parse(&to).ok_or_else(|| {
                    sqlx::Error::Decode(format!("unknown vendor status {to}").into())
                })?,
                reason: r.try_get("reason")?,
            })
        })
        .collect()
}

/// Vendors for the console: those in `status` (every status when `None`), the longest waiting
/// first, at most 200.
pub async fn list(
    conn: &mut AnyConnection,
    status: Option<VendorStatus>,
) -> Result<Vec<VendorRow>, sqlx::Error> {
    let rows = match status {
        Some(s) => {
            sqlx::query(&format!(
                "SELECT {COLUMNS} FROM vendors v WHERE v.status = $1 ORDER BY v.status_changed_at, v.id LIMIT 200"
            ))
            .bind(s.as_str())
            .fetch_all(conn)
            .await?
        }
        None => {
            sqlx::query(&format!(
                "SELECT {COLUMNS} FROM vendors v ORDER BY v.status_changed_at DESC, v.id LIMIT 200"
            ))
            .fetch_all(conn)
            .await?
        }
    };
    rows.iter().map(read).collect()
}

/// How many vendors are in each status, for the console's filter.
pub async fn counts(conn: &mut AnyConnection) -> Result<Vec<(VendorStatus, i64)>, sqlx::Error> {
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT status, COUNT(*) FROM vendors GROUP BY status")
            .fetch_all(conn)
            .await?;
    Ok(VendorStatus::ALL
        .into_iter()
        .map(|s| {
            let n = rows
                .iter()
                .find(|(k, _)| k == s.as_str())
                .map_or(0, |(_, n)| *n);
            (s, n)
        })
        .collect())
}

/// An open invitation to a vendor's team, found by its link's token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invitation {
    pub token_hash: String,
    pub vendor_id: String,
    pub email_index: String,
    pub role: VendorRole,
}

/// Invites the address (its blind index and, sealed with the shop's key, the address for the
/// owner's list) to the vendor's team as `role`; the link's token is hashed here, the caller
/// mails it.
#[allow(clippy::too_many_arguments)]
pub async fn invite(
    conn: &mut AnyConnection,
    vault: &Vault,
    vendor_id: &str,
    email: &str,
    role: VendorRole,
    invited_by: &str,
    token: &str,
    valid_millis: i64,
) -> Result<(), sqlx::Error> {
    let at = now().millis();
    sqlx::query(
        "INSERT INTO vendor_invitations (token_hash, vendor_id, email_index, email, role, invited_by, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(crate::platform::secrets::hash_secret(token))
    .bind(vendor_id)
    .bind(vault.email_index(email))
    .bind(vault.shop_key().seal("vendor_invitations.email", email))
    .bind(role.as_str())
    .bind(invited_by)
    .bind(at)
    .bind(at + valid_millis)
    .execute(conn)
    .await?;
    Ok(())
}

/// The unused, unexpired invitation behind `token`.
pub async fn open_invitation(
    conn: &mut AnyConnection,
    token: &str,
) -> Result<Option<Invitation>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT token_hash, vendor_id, email_index, role FROM vendor_invitations
         WHERE token_hash = $1 AND accepted_at IS NULL AND expires_at > $2",
    )
    .bind(crate::platform::secrets::hash_secret(token))
    .bind(now().millis())
    .fetch_optional(conn)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let role: String = r.try_get("role")?;
    Ok(Some(Invitation {
        token_hash: r.try_get("token_hash")?,
        vendor_id: r.try_get("vendor_id")?,
        email_index: r.try_get("email_index")?,
        role: VendorRole::parse(&role)
            .ok_or_else(|| sqlx::Error::Decode(format!("unknown vendor role {role}").into()))?,
    }))
}

/// Uses an invitation (once): false if it was used or expired meanwhile.
pub async fn use_invitation(
    conn: &mut AnyConnection,
    token_hash: &str,
) -> Result<bool, sqlx::Error> {
    let at = now().millis();
    let done = sqlx::query(
        "UPDATE vendor_invitations SET accepted_at = $1 WHERE token_hash = $2 AND accepted_at IS NULL AND expires_at > $1",
    )
    .bind(at)
    .bind(token_hash)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Invitations of the vendor still waiting: the address, the role, when the link expires.
pub async fn pending_invitations(
    conn: &mut AnyConnection,
    vault: &Vault,
    vendor_id: &str,
) -> Result<Vec<(String, VendorRole, Timestamp)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT email, role, expires_at FROM vendor_invitations
         WHERE vendor_id = $1 AND accepted_at IS NULL AND expires_at > $2 ORDER BY created_at",
    )
    .bind(vendor_id)
    .bind(now().millis())
    .fetch_all(conn)
    .await?;
    let opener = crate::platform::vault::Opener::Key(vault.shop_key().clone());
    rows.iter()
        .map(|r| {
            let role: String = r.try_get("role")?;
            Ok((
                opener.open(
                    "vendor_invitations.email",
                    &r.try_get::<String, _>("email")?,
                )?,
                VendorRole::parse(&role).unwrap_or(VendorRole::Catalog),
                Timestamp(r.try_get("expires_at")?),
            ))
        })
        .collect()
}

/// The vendor's team: account ids with their roles, owners first, then by when they joined.
pub async fn members(
    conn: &mut AnyConnection,
    vendor_id: &str,
) -> Result<Vec<(String, VendorRole, Timestamp)>, sqlx::Error> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT user_id, role, added_at FROM vendor_members WHERE vendor_id = $1
         ORDER BY CASE role WHEN 'owner' THEN 0 ELSE 1 END, added_at, user_id",
    )
    .bind(vendor_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, role, at)| {
            (
                id,
                VendorRole::parse(&role).unwrap_or(VendorRole::Catalog),
                Timestamp(at),
            )
        })
        .collect())
}

/// Ends one membership of the vendor; false if the account is not in its team.
pub async fn remove_member(
    conn: &mut AnyConnection,
    vendor_id: &str,
    user_id: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM vendor_members WHERE vendor_id = $1 AND user_id = $2")
        .bind(vendor_id)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}
