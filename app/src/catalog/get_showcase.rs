use super::ProductSummary;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use shop_types::AppError;

/// A featured collection as the home page links to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectionCard {
    pub slug: String,
    pub title: String,
    pub description: String,
}

/// What the home page shows of the catalog.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Showcase {
    pub collections: Vec<CollectionCard>,
    pub best_sellers: Vec<ProductSummary>,
    pub new_arrivals: Vec<ProductSummary>,
}

/// Featured collections, best sellers and new arrivals, in one round trip.
#[server(endpoint = "catalog/showcase")]
pub async fn get_showcase() -> Result<Showcase, AppError> {
    use crate::platform::{errors::internal, state::app_state};
    let state = app_state()?;
    let mut conn = state.conn("showcase: acquire").await?;
    let collections = super::queries::featured_collections(&mut conn)
        .await
        .map_err(internal("showcase: collections"))?
        .into_iter()
        .map(|(slug, title, description)| CollectionCard {
            slug,
            title,
            description,
        })
        .collect();
    let best_sellers = super::queries::best_sellers(&mut conn, 4)
        .await
        .map_err(internal("showcase: best sellers"))?;
    let new_arrivals = super::queries::new_arrivals(&mut conn, 8)
        .await
        .map_err(internal("showcase: new arrivals"))?;
    Ok(Showcase {
        collections,
        best_sellers,
        new_arrivals,
    })
}
