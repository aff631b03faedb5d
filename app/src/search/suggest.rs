use crate::search::views::Suggestions;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use shop_types::AppError;

/// Suggestions for what a shopper is typing: a few categories and products.
#[server(endpoint = "search/suggest", input = GetUrl)]
pub async fn suggest(q: String) -> Result<Suggestions, AppError> {
    use crate::platform::{errors::internal, state::app_state};
    use crate::search::views::clean_query;

    let state = app_state()?;
    let text = clean_query(&q);
    let index = state
        .part::<crate::search::follower::Search>()
        .index
        .clone();
    tokio::task::spawn_blocking(move || super::suggest_service::suggest(&index, &text))
        .await
        .map_err(internal("suggest: task"))?
        .map_err(internal("suggest: query"))
}
