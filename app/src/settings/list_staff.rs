use super::admin_views::StaffRow;
use leptos::prelude::*;
use shop_types::AppError;

/// Back-office accounts and their permissions. Admins only: permissions are theirs to give.
#[server(endpoint = "admin/staff/list")]
pub async fn list_staff() -> Result<Vec<StaffRow>, AppError> {
    use crate::identity::auth::{Access, authorize};
    use crate::platform::http::no_store;
    use crate::platform::{errors::internal, state::app_state};
    use shop_types::{Permission, Role};
    use sqlx::Row;

    no_store();
    let state = app_state()?;
    authorize(&state, Access::Role(&[Role::Admin])).await?;
    let mut conn = state.conn("staff: acquire").await?;
    let rows = sqlx::query(
        "SELECT id, email, name, role, disabled_at, key_id FROM users WHERE role IN ('staff', 'admin')",
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(internal("staff: list"))?;
    let openers = state
        .db
        .vault()
        .row_openers(&mut conn, &rows)
        .await
        .map_err(internal("staff: keys"))?;
    let mut out = Vec::new();
    for (r, opener) in rows.iter().zip(&openers) {
        let read = || -> Result<(String, String, String, String, bool), sqlx::Error> {
            Ok((
                r.try_get("id")?,
                opener.open("users.email", &r.try_get::<String, _>("email")?)?,
                opener.open("users.name", &r.try_get::<String, _>("name")?)?,
                r.try_get("role")?,
                r.try_get::<Option<i64>, _>("disabled_at")?.is_some(),
            ))
        };
        let (id, email, name, role, disabled) = read().map_err(internal("staff: row"))?;
        let permissions: Vec<String> =
            sqlx::query_scalar("SELECT permission FROM staff_permissions WHERE user_id = $1")
                .bind(&id)
                .fetch_all(&mut *conn)
                .await
                .map_err(internal("staff: permissions"))?;
        let two_step = crate::identity::factors::status(&mut conn, &id)
            .await
            .map_err(internal("staff: factors"))?
            .app;
        out.push(StaffRow {
            id,
            email,
            name,
            role: Role::parse(&role).unwrap_or(Role::Staff),
            permissions: permissions
                .iter()
                .filter_map(|p| Permission::parse(p))
                .collect(),
            disabled,
            two_step,
        });
    }
    // Sorted here: the addresses are sealed in the database.
    out.sort_by(|a, b| (a.role.as_str(), &a.email).cmp(&(b.role.as_str(), &b.email)));
    Ok(out)
}
