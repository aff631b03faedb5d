use super::views::AuditRows;
use leptos::prelude::*;
use shop_types::AppError;

/// The audit log, newest first, 50 a page: filtered by action (`product.saved`, or `product.`
/// for every product action), who (start of the e-mail), subject (`product:<id>` or a kind) and
/// dates (`from`/`to` as `YYYY-MM-DD`, both days included). Admins only: it names everyone's
/// actions and addresses.
#[server(endpoint = "admin/audit")]
pub async fn list_audit(
    action: Option<String>,
    who: Option<String>,
    subject: Option<String>,
    from: Option<String>,
    to: Option<String>,
    after: Option<String>,
) -> Result<AuditRows, AppError> {
    use crate::identity::auth::{Access, authorize};
    use crate::platform::http::no_store;
    use crate::platform::{errors::internal, state::app_state};
    use shop_types::Role;

    no_store();
    let state = app_state()?;
    authorize(&state, Access::Role(&[Role::Admin])).await?;
    let filter = super::store::AuditFilter::parse(action, who, subject, from, to, after)?;
    let mut conn = state.conn("audit: acquire").await?;
    super::store::page(&mut conn, &filter)
        .await
        .map_err(internal("audit: list"))
}
