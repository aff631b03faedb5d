//! The catalog in the console: the product list (search, filters, bulk publish/archive/price
//! changes), the product editor (options, variants, pictures with alt text and order, stock per
//! location, search-engine fields, preview link), categories and collections. Rules in `editor_service`.

mod bulk_update_products;
mod categories_page;
mod change_product_image;
mod collections_page;
pub mod editor_views;
mod get_product_editor;
mod list_admin_categories;
mod list_admin_products;
mod manage_collections;
mod product_editor_page;
mod product_list_page;
mod save_category;
mod save_product;
mod upload_product_image;

#[cfg(feature = "ssr")]
pub mod collections_service;
#[cfg(feature = "ssr")]
pub mod editor_queries;
#[cfg(feature = "ssr")]
pub mod editor_service;
#[cfg(feature = "ssr")]
pub mod product_form;

pub use bulk_update_products::{BulkUpdateProducts, bulk_update_products};
pub use categories_page::CategoriesPage;
#[cfg(feature = "ssr")]
pub use change_product_image::read_image_change;
pub use change_product_image::{ChangeProductImage, change_product_image};
pub use collections_page::CollectionsPage;
pub use get_product_editor::{GetProductEditor, get_product_editor};
pub use list_admin_categories::{AdminCategory, ListAdminCategories, list_admin_categories};
pub use list_admin_products::{ListAdminProducts, list_admin_products};
pub use manage_collections::{
    ChangeCollection, CreateCollection, ListCollections, change_collection, create_collection,
    list_collections,
};
pub use product_editor_page::{
    PictureControl, PictureControlFields, PictureEditor, ProductEditorPage, ProductFields,
};
pub use product_list_page::AdminProductsPage;
pub use save_category::{SaveCategory, save_category};
pub use save_product::{SaveProduct, save_product};
#[cfg(feature = "ssr")]
pub use upload_product_image::receive_picture;
pub use upload_product_image::{MAX_IMAGE_BYTES, UploadProductImage, upload_product_image};
