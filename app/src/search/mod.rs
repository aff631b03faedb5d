//! Search: the embedded full-text index (tantivy) behind the search page, the autosuggest
//! combobox, and every category and collection listing.
//!
//! - `index`: schema, analyzer, writer and reader of one instance's index;
//! - `documents`: what the index holds of a product, read from the database;
//! - `follower`: keeps the index in step with the database (and rebuilds it);
//! - `query`: typo-tolerant, prefix and synonym matching, and highlighting;
//! - `listing_service`: filters, facet counts, sorting and pages over the matches;
//! - `suggest_service`: suggestions while typing; `synonyms`: the merchant's synonym groups,
//!   edited at `/admin/search` (`SynonymsPage`, `add_synonyms`, `remove_synonyms`);
//! - `suggest`: the server function; `SearchBox`: the UI (the results page is `catalog::SearchPage`, a listing served by
//!   `catalog::get_listing`, which serves every listing from this index).

mod add_synonyms;
mod list_synonyms;
mod remove_synonyms;
mod search_box;
pub mod views;

mod suggest;
mod synonyms_page;

pub use add_synonyms::{AddSynonyms, add_synonyms};
pub use list_synonyms::{ListSynonyms, SynonymGroup, list_synonyms};
pub use remove_synonyms::{RemoveSynonyms, remove_synonyms};
pub use search_box::SearchBox;

pub use suggest::{Suggest, suggest};
pub use synonyms_page::SynonymsPage;

#[cfg(feature = "ssr")]
pub mod documents;
#[cfg(feature = "ssr")]
pub mod follower;
#[cfg(feature = "ssr")]
pub mod index;
#[cfg(feature = "ssr")]
pub mod listing_service;
#[cfg(feature = "ssr")]
pub mod query;
#[cfg(feature = "ssr")]
pub mod suggest_service;
#[cfg(feature = "ssr")]
pub mod synonyms;
