//! The home page. Featured collections, new arrivals and best sellers join it with the catalog.

mod home_page;

pub use home_page::HomePage;
