//! Favourites: products a shopper keeps for later, on the device (a cookie) while signed out and
//! in the account once signed in (merged at sign-in). The heart on product pages
//! (`toggle_favourite`), the `/account/favourites` page, and the rows (`store`).

mod favourites_page;
mod list_favourites;
mod toggle_favourite;

pub use favourites_page::FavouritesPage;
pub use list_favourites::{ListFavourites, list_favourites};
pub use toggle_favourite::{ToggleFavourite, favourite_label, toggle_favourite};

#[cfg(feature = "ssr")]
pub mod store;
