use super::views::DashboardView;
use leptos::prelude::*;
use shop_types::AppError;
#[cfg(feature = "ssr")]
use shop_types::Problem;

/// The dashboard's figures for a range ("day", "week", "month", "year"; a week when empty).
/// Staff who manage orders or the catalog see it.
#[server(endpoint = "admin/dashboard")]
pub async fn get_dashboard(range: Option<String>) -> Result<DashboardView, AppError> {
    use super::views::Range;
    use crate::identity::auth::{Access, authorize};
    use crate::platform::http::no_store;
    use crate::platform::{clock::now, errors::internal, state::app_state};

    no_store();
    let state = app_state()?;
    authorize(
        &state,
        Access::Permission(shop_types::Permission::ViewReports),
    )
    .await?;
    let range = match range.as_deref().filter(|r| !r.is_empty()) {
        None => Range::Week,
        Some(r) => {
            Range::parse(r).ok_or_else(|| AppError::validation("range", Problem::RangeUnknown))?
        }
    };
    let mut conn = state.conn("dashboard: acquire").await?;
    super::dashboard_service::dashboard(&mut conn, range, now())
        .await
        .map_err(internal("dashboard: figures"))
}
