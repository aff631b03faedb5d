use super::Listing;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};
use shop_types::AppError;
#[cfg(feature = "ssr")]
use shop_types::Thing;

/// Which kind of list a listing page shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListingKind {
    /// A department or category, its sub-categories' products included (`slug`).
    Category,
    /// A curated collection (`slug`).
    Collection,
    /// Search results for `q`.
    Search,
    /// A marketplace seller's storefront (`slug`).
    Seller,
}

/// One page of a category, collection or search, answered from the search index. Sort, page
/// and filters come from the URL; values that make no sense fall back to the defaults rather
/// than fail, and the search text is trimmed and bounded.
#[server(endpoint = "catalog/listing", input = GetUrl)]
#[allow(clippy::too_many_arguments)]
pub async fn get_listing(
    kind: ListingKind,
    slug: Option<String>,
    q: Option<String>,
    sort: Option<String>,
    page: Option<String>,
    #[server(default)] brand: Vec<String>,
    #[server(default)] f: Vec<String>,
    #[server(default)] seller: Vec<String>,
    in_stock: Option<String>,
    min: Option<String>,
    max: Option<String>,
) -> Result<Listing, AppError> {
    use super::views::{Filters, Scope, Sort, clean_query, parse_page};
    use crate::platform::{errors::internal, state::app_state};
    use crate::search::listing_service::{Within, listing};

    let state = app_state()?;
    let slug = slug.unwrap_or_default();
    if slug.len() > 200 {
        return Err(AppError::not_found(Thing::Page));
    }
    let text = clean_query(q.as_deref().unwrap_or_default());
    let (scope, default_sort) = match kind {
        ListingKind::Category => {
            let mut conn = state.conn("listing: acquire").await?;
            let (name, parents) = super::queries::category_with_parents(&mut conn, &slug)
                .await
                .map_err(internal("listing: category"))?
                .ok_or_else(|| AppError::not_found(Thing::Category))?;
            let scope = Scope::Category {
                slug,
                name,
                parents,
            };
            (scope, Sort::Newest)
        }
        ListingKind::Collection => {
            let mut conn = state.conn("listing: acquire").await?;
            let (title, description) = super::queries::collection_by_slug(&mut conn, &slug)
                .await
                .map_err(internal("listing: collection"))?
                .ok_or_else(|| AppError::not_found(Thing::Collection))?;
            let scope = Scope::Collection {
                slug,
                title,
                description,
            };
            (scope, Sort::BestSelling)
        }
        ListingKind::Seller => {
            let mut conn = state.conn("listing: acquire").await?;
            let front = super::queries::seller_front(&mut conn, &slug)
                .await
                .map_err(internal("listing: seller"))?
                .ok_or_else(|| AppError::not_found(Thing::Page))?;
            (Scope::Seller(front), Sort::BestSelling)
        }
        ListingKind::Search => (
            Scope::Search {
                query: text.clone(),
            },
            Sort::Relevance,
        ),
    };
    let filters = Filters::parse_with_options(
        brand,
        in_stock.as_deref(),
        min.as_deref(),
        max.as_deref(),
        f,
    )
    .with_sellers(seller);
    let mut sort = Sort::parse_or(sort.as_deref(), default_sort);
    if sort == Sort::Relevance && kind != ListingKind::Search {
        sort = default_sort;
    }
    let page = parse_page(page.as_deref());
    let index = state
        .part::<crate::search::follower::Search>()
        .index
        .clone();
    // A search is counted once, on its first page, with what it found.
    let searched =
        (kind == ListingKind::Search && page == 1 && !text.is_empty()).then(|| text.clone());
    let result = tokio::task::spawn_blocking(move || {
        let within = match &scope {
            Scope::Category { slug, .. } => Within::Category(slug.clone()),
            Scope::Collection { slug, .. } => Within::Collection(slug.clone()),
            Scope::Seller(s) => Within::Seller(s.slug.clone()),
            Scope::Search { .. } => Within::Everything,
        };
        listing(&index, scope, within, &text, filters, sort, page)
    })
    .await
    .map_err(internal("listing: task"))?
    .map_err(internal("listing: search index"))?;
    if let Some(terms) = searched {
        crate::analytics::recorder::record_here(
            &state,
            crate::analytics::recorder::Event::search(&terms, result.total),
        );
    }
    Ok(result)
}
