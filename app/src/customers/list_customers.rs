use super::views::CustomerPage;
use leptos::prelude::*;
use shop_types::AppError;
#[cfg(feature = "ssr")]
use shop_types::Problem;

/// Customer accounts, newest first, 50 a page (keyset `after`), optionally the one whose
/// e-mail is `q` (addresses are sealed: found by their blind index, whole).
#[server(endpoint = "admin/customers/list")]
pub async fn list_customers(
    q: Option<String>,
    after: Option<String>,
) -> Result<CustomerPage, AppError> {
    use super::queries::{CUSTOMER_COLUMNS, customer_rows};
    use crate::identity::auth::{Access, authorize};
    use crate::platform::http::no_store;
    use crate::platform::{errors::internal, state::app_state};

    no_store();
    let state = app_state()?;
    authorize(
        &state,
        Access::Permission(shop_types::Permission::ManageCustomers),
    )
    .await?;
    let q = q.map(|s| s.trim().to_lowercase()).filter(|s| !s.is_empty());
    if q.as_ref().is_some_and(|q| q.chars().count() > 200) {
        return Err(AppError::validation(
            "q",
            Problem::SearchTooLong { max: 200 },
        ));
    }
    let (after_at, after_id) = crate::ui::parse_cursor(after)?.unwrap_or((i64::MAX, String::new()));
    let mut sql = format!(
        "SELECT {CUSTOMER_COLUMNS}
         FROM users u WHERE u.role = 'customer' AND u.created_at <= $1 AND (u.created_at < $1 OR u.id < $2)"
    );
    if q.is_some() {
        sql.push_str(" AND u.email_index = $3");
    }
    sql.push_str(" ORDER BY u.created_at DESC, u.id DESC LIMIT 51");
    let mut query = sqlx::query(&sql)
        .bind(after_at)
        .bind(if after_id.is_empty() {
            "\u{10ffff}".to_owned()
        } else {
            after_id
        });
    let vault = state.db.vault();
    if let Some(q) = &q {
        query = query.bind(vault.email_index(q));
    }
    let mut conn = state.conn("customers: acquire").await?;
    let rows = query
        .fetch_all(&mut *conn)
        .await
        .map_err(internal("customers: list"))?;
    let mut out = customer_rows(&mut conn, vault, &rows)
        .await
        .map_err(internal("customers: row"))?;
    let next = (out.len() > 50).then(|| {
        out.truncate(50);
        out.last()
            .map(|r| format!("{}_{}", r.joined.millis(), r.id))
            .unwrap_or_default()
    });
    Ok(CustomerPage { rows: out, next })
}
