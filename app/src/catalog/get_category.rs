use super::CategoryListing;
use leptos::prelude::*;
use shop_types::AppError;

/// One page of a category. `sort` and `page` come from the URL; values that make no sense fall
/// back to the defaults rather than fail.
#[server(endpoint = "catalog/category")]
pub async fn get_category(
    slug: String,
    sort: Option<String>,
    page: Option<String>,
) -> Result<CategoryListing, AppError> {
    use super::views::{Sort, parse_page};
    use crate::platform::{errors::internal, state::app_state};

    if slug.len() > 200 {
        return Err(AppError::not_found("Category"));
    }
    let state = app_state()?;
    let mut conn = state.conn("category: acquire").await?;
    super::queries::category_listing(
        &mut conn,
        &slug,
        Sort::parse(sort.as_deref()),
        parse_page(page.as_deref()),
    )
    .await
    .map_err(internal("category: query"))?
    .ok_or_else(|| AppError::not_found("Category"))
}
