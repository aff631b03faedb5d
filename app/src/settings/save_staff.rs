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
    use crate::platform::{errors::internal, state::app_state};
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
            let name: String = name.unwrap_or_default().trim().chars().take(100).collect();
            let mut conn = state
                .db
                .pool()
                .acquire()
                .await
                .map_err(internal("staff: connect"))?;
            let inserted = crate::identity::users::insert(
                &mut conn,
                state.db.vault(),
                &email,
                &hash,
                &name,
                role,
                true,
            )
            .await;
            match inserted {
                Ok(new) => new,
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
    let rights = |user: Option<crate::identity::users::User>| {
        user.map(|u| {
            serde_json::json!({
                "email": u.email,
                "role": u.role.as_str(),
                "permissions": u.permissions.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
            })
        })
    };
    let before = match &id {
        Some(_) => rights(
            crate::identity::users::find_by_id(&mut tx, state.db.vault(), &user_id)
                .await
                .map_err(internal("staff: read"))?,
        ),
        None => None,
    };
    // A new account was just made with its role; an existing one must have back-office
    // access already (customers are not turned into staff here).
    let changed =
        crate::identity::users::set_role(&mut tx, &user_id, role, &permissions, id.is_some())
            .await
            .map_err(internal("staff: role"))?;
    if !changed {
        return Err(AppError::not_found(Thing::StaffAccount));
    }
    let after = rights(
        crate::identity::users::find_by_id(&mut tx, state.db.vault(), &user_id)
            .await
            .map_err(internal("staff: read"))?,
    )
    .unwrap_or_default();
    let who = crate::identity::auth::who(&session);
    let subject = format!("user:{user_id}");
    match before {
        Some(before) => {
            crate::platform::audit_trail::record_change(
                &mut tx,
                &who,
                "staff.rights_changed",
                &subject,
                &before,
                &after,
            )
            .await
        }
        None => {
            crate::platform::audit_trail::record(
                &mut tx,
                &who,
                "staff.account_created",
                &subject,
                None,
                Some(after),
            )
            .await
        }
    }
    .map_err(internal("staff: audit"))?;
    if id.is_some() && user_id != session.user.id {
        crate::identity::sessions::delete_all_for_user(&mut tx, &user_id)
            .await
            .map_err(internal("staff: sessions"))?;
    }
    tx.commit().await.map_err(internal("staff: commit"))?;
    redirect_after_form_post("/admin/settings/staff?saved=1");
    Ok(())
}
