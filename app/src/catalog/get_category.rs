use super::CategoryListing;
use leptos::prelude::*;
use shop_types::AppError;

/// One page of a category. Sort, page and filters come from the URL; values that make no
/// sense fall back to the defaults rather than fail.
#[server(endpoint = "catalog/category")]
pub async fn get_category(
    slug: String,
    sort: Option<String>,
    page: Option<String>,
    #[server(default)] brand: Vec<String>,
    in_stock: Option<String>,
    min: Option<String>,
    max: Option<String>,
) -> Result<CategoryListing, AppError> {
    use super::views::{Filters, Sort, parse_page};
    use crate::platform::{errors::internal, state::app_state};

    if slug.len() > 200 {
        return Err(AppError::not_found("Category"));
    }
    let state = app_state()?;
    let filters = Filters::parse(brand, in_stock.as_deref(), min.as_deref(), max.as_deref());
    let mut conn = state.conn("category: acquire").await?;
    super::queries::category_listing(
        &mut conn,
        &slug,
        Sort::parse(sort.as_deref()),
        parse_page(page.as_deref()),
        filters,
    )
    .await
    .map_err(internal("category: query"))?
    .ok_or_else(|| AppError::not_found("Category"))
}
