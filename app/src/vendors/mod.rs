//! Marketplace vendors: sellers who apply (`/sell`, `apply_to_sell`), are accepted, complete
//! a checklist and are reviewed by staff before they sell (`onboarding`: every step of the
//! journey, with the rules in `shop_types::vendor`), their team (`vendor_members`, roles owner,
//! catalog, orders, finance; `scope::vendor_caller` is the check every vendor endpoint starts
//! with), the seller dashboard (`/vendor`, `vendor_dashboard`; the storefront's logo and banner:
//! `upload_vendor_picture`; the seller's products, `vendor_products`, and stock,
//! `vendor_stock`, through the catalog's editor and the inventory's rules narrowed to the
//! seller) and the console's sellers
//! (`/admin/vendors`, `vendor_review`). `vendor_store` writes the vendor tables; the business's
//! private details are sealed with the vendor's own data key. Status changes record
//! `vendors.status_changed` (`events`): the mail to the owners follows it.

mod apply_to_sell;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod events;
#[cfg(feature = "ssr")]
pub mod onboarding;
mod parts;
#[cfg(feature = "ssr")]
pub mod scope;
#[cfg(feature = "ssr")]
pub mod team;
mod upload_vendor_picture;
mod vendor_dashboard;
mod vendor_products;
mod vendor_review;
mod vendor_stock;
#[cfg(feature = "ssr")]
pub mod vendor_store;
mod vendor_team;
pub mod views;

pub use apply_to_sell::{ApplyToSell, SellPage, apply_to_sell, sell_offer};
pub use upload_vendor_picture::{
    MAX_VENDOR_PICTURE_BYTES, UploadVendorPicture, VendorPicture, upload_vendor_picture,
};
pub use vendor_dashboard::{
    SaveVendorProfile, SubmitVendorForReview, VendorDashboardPage, get_vendor_dashboard,
    save_vendor_profile, submit_vendor_for_review,
};
pub use vendor_products::{
    ChangeVendorProductImage, GetVendorProductEditor, ListVendorProducts, SaveVendorProduct,
    UploadVendorProductImage, VendorProductPage, VendorProductsPage, change_vendor_product_image,
    get_vendor_product_editor, list_vendor_products, save_vendor_product,
    upload_vendor_product_image,
};
pub use vendor_review::{
    DecideVendor, VendorReviewPage, VendorsPage, decide_vendor, get_vendor_review, list_vendors,
};
pub use vendor_stock::{
    AddVendorLocation, AdjustVendorStock, GetVendorStockItem, ListVendorLocations, ListVendorStock,
    VendorStockItemPage, VendorStockPage, add_vendor_location, adjust_vendor_stock,
    get_vendor_stock_item, list_vendor_locations, list_vendor_stock,
};
pub use vendor_team::{
    InviteVendorMember, JoinVendor, JoinVendorPage, RemoveVendorMember, get_vendor_team,
    invite_vendor_member, join_vendor, remove_vendor_member,
};
