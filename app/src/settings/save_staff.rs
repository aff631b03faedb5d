use leptos::prelude::*;
use shop_types::AppError;
#[cfg(feature = "ssr")]
use shop_types::{Problem, Thing};

/// Admins add a staff account (no `id`: e-mail, name, a first password they hand over) or
/// change one: its role (staff, admin, or customer to take the back office away) and
/// permissions. The account's sessions end on every change, so new rights apply at once.
#[server(endpoint = "admin/staff/save")]
pub async fn save_staff(
    id: Option<String>,
    email: Option<String>,
    name: Option<String>,
    password: Option<String>,
    role: String,
    #[server(default)] permissions: std::collections::BTreeMap<String, String>,
) -> Result<(), AppError> {
    use crate::identity::auth::{Access, authorize};
    use crate::identity::passwords::{check_new_password, hash_password};
    use crate::platform::db::is_unique_violation;
    use crate::platform::forms::redirect_after_form_post;
    use crate::platform::{clock::now, errors::internal, ids::new_id, state::app_state};
    use shop_types::{Email, Permission, Role};

    let state = app_state()?;
    let session = authorize(&state, Access::Role(&[Role::Admin])).await?;
    let role = match role.trim() {
        "staff" => Role::Staff,
        "admin" => Role::Admin,
        "customer" => Role::Customer,
        _ => {
            return Err(AppError::validation("role", Problem::StaffRoleUnknown));
        }
    };
    // `permissions[<name>]` = "on" for each ticked box.
    let permissions: Vec<Permission> = permissions
        .keys()
        .map(|p| {
            Permission::parse(p.trim())
                .ok_or_else(|| AppError::validation("permissions", Problem::PermissionUnknown))
        })
        .collect::<Result<_, _>>()?;
    let at = now().millis();
    let id = id.map(|i| i.trim().to_owned()).filter(|i| !i.is_empty());
    let user_id = match &id {
        Some(id) => {
            if *id == session.user.id && role != Role::Admin {
                return Err(AppError::validation("role", Problem::OwnAdminRights));
            }
            id.clone()
        }
        None => {
            let email = Email::parse(email.as_deref().unwrap_or("").trim())
                .map_err(|_| AppError::validation("email", Problem::StaffEmailInvalid))?
                .to_string();
            let password = password.unwrap_or_default();
            check_new_password(&password, &email)
                .map_err(|e| AppError::validation("password", e))?;
            if role == Role::Customer {
                return Err(AppError::validation("role", Problem::NewStaffRoleMissing));
            }
            let hash = hash_password(password)
                .await
                .map_err(|e| internal("staff: hash")(e))?;
            let new = new_id().to_string();
            let inserted = sqlx::query(
                "INSERT INTO users (id, email, password_hash, name, role, email_verified_at, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $6, $6)",
            )
            .bind(&new)
            .bind(&email)
            .bind(hash)
            .bind(name.unwrap_or_default().trim().chars().take(100).collect::<String>())
            .bind(role.as_str())
            .bind(at)
            .execute(state.db.pool())
            .await;
            match inserted {
                Ok(_) => new,
                Err(e) if is_unique_violation(&e) => {
                    return Err(AppError::validation("email", Problem::StaffEmailTaken));
                }
                Err(e) => return Err(internal("staff: insert")(e)),
            }
        }
    };
    let mut tx = state
        .db
        .begin_write()
        .await
        .map_err(internal("staff: begin"))?;
    let changed = sqlx::query("UPDATE users SET role = $1, updated_at = $2 WHERE id = $3 AND (role IN ('staff', 'admin') OR $4 = 1)")
        .bind(role.as_str())
        .bind(at)
        .bind(&user_id)
        .bind(i64::from(id.is_none()))
        .execute(&mut *tx)
        .await
        .map_err(internal("staff: role"))?;
    if changed.rows_affected() != 1 {
        return Err(AppError::not_found(Thing::StaffAccount));
    }
    sqlx::query("DELETE FROM staff_permissions WHERE user_id = $1")
        .bind(&user_id)
        .execute(&mut *tx)
        .await
        .map_err(internal("staff: permissions"))?;
    if role == Role::Staff {
        for p in &permissions {
            sqlx::query("INSERT INTO staff_permissions (user_id, permission) VALUES ($1, $2)")
                .bind(&user_id)
                .bind(p.as_str())
                .execute(&mut *tx)
                .await
                .map_err(internal("staff: permission"))?;
        }
    }
    if id.is_some() && user_id != session.user.id {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(&user_id)
            .execute(&mut *tx)
            .await
            .map_err(internal("staff: sessions"))?;
    }
    tx.commit().await.map_err(internal("staff: commit"))?;
    redirect_after_form_post("/admin/settings/staff?saved=1");
    Ok(())
}
