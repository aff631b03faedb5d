//! A seller's products in its dashboard (`/vendor/products`): the list, and the product editor
//! the console uses (`catalog::editor::ProductFields`) saving through the same rules, narrowed
//! to the caller's own seller (`catalog::editor::editor_service::Reach::Seller`): a product of
//! anybody else, the operator's included, is not found. New variants start with their units
//! at the seller's first stock location. Members with the catalog role (and owners) only;
//! every save is audited like a staff edit.

use crate::catalog::editor::editor_views::{
    AdminProductPage, ImageEdit, ProductEditor, ProductInput, VariantInput,
};
use crate::ui::{next_page, when};
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use shop_types::{AppError, paths};
use std::collections::BTreeMap;

/// The caller's seller's products, most recently changed first, 50 a page (`after`), narrowed
/// by a search (title, or an exact SKU) and a status.
#[server(endpoint = "vendor/products/list")]
pub async fn list_vendor_products(
    q: Option<String>,
    status: Option<String>,
    after: Option<String>,
) -> Result<AdminProductPage, AppError> {
    use crate::catalog::editor::editor_queries::{ProductFilter, product_page};
    use crate::platform::http::no_store;
    use crate::platform::{errors::internal, state::app_state};
    use shop_types::vendor::VendorArea;

    no_store();
    let state = app_state()?;
    let caller = super::scope::vendor_caller(&state, VendorArea::Catalog).await?;
    let mut filter = ProductFilter::read(q, status, None, after)?;
    filter.seller = Some(caller.vendor.id);
    let mut conn = state.conn("vendor products: acquire").await?;
    product_page(&mut conn, &filter)
        .await
        .map_err(internal("vendor products: list"))
}

/// The editor's data for one of the caller's products, or for a new one (`id` empty or
/// "new").
#[server(endpoint = "vendor/products/editor")]
pub async fn get_vendor_product_editor(id: Option<String>) -> Result<ProductEditor, AppError> {
    use crate::catalog::editor::editor_queries::editor;
    use crate::catalog::editor::product_form::EditorError;
    use crate::platform::http::no_store;
    use crate::platform::state::app_state;
    use shop_types::vendor::VendorArea;

    no_store();
    let state = app_state()?;
    let caller = super::scope::vendor_caller(&state, VendorArea::Catalog).await?;
    let id = crate::catalog::editor::product_form::product_id(id)?;
    let mut conn = state.conn("vendor products: acquire").await?;
    if let Some(id) = &id {
        own_product(&mut conn, &caller.vendor.id, id).await?;
    }
    editor(&mut conn, id.as_deref())
        .await
        .map_err(EditorError::into_app_error)
}

/// Creates (no `id`) or saves one of the caller's products with its variants
/// (`variants[<n>][field]`), as the console's editor does; opens its editor again.
#[server(endpoint = "vendor/products/save")]
pub async fn save_vendor_product(
    id: Option<String>,
    product: ProductInput,
    #[server(default)] variants: BTreeMap<String, VariantInput>,
) -> Result<String, AppError> {
    use crate::catalog::editor::editor_service::{Reach, save_product};
    use crate::catalog::editor::product_form::{EditorError, read_submission};
    use crate::identity::auth::who;
    use crate::platform::{errors::internal, state::app_state};
    use shop_types::vendor::VendorArea;

    let state = app_state()?;
    let caller = super::scope::vendor_caller(&state, VendorArea::Catalog).await?;
    if !caller.vendor.status.open() {
        return Err(AppError::conflict(shop_types::Problem::VendorStepNotNow));
    }
    let currency = {
        let mut conn = state.conn("vendor products: acquire").await?;
        crate::store::queries::store_currency(&mut conn)
            .await
            .map_err(internal("vendor products: currency"))?
    };
    let form = read_submission(id, &product, variants, currency)?;
    let saved = save_product(
        &state.db,
        form.id.as_deref(),
        &form.product,
        &form.variants,
        &who(&caller.session),
        Reach::Seller(&caller.vendor.id),
    )
    .await
    .map_err(EditorError::into_app_error)?;
    state.part::<crate::search::follower::Search>().changed();
    leptos_axum::redirect(&format!("{}?saved=1", paths::vendor_product(&saved)));
    Ok(saved)
}

/// Adds a picture to one of the caller's products: a multipart form with `product_id`, `alt`
/// and `file`, as the console's upload (a plain form with JavaScript or without); a refused
/// picture comes back as `image_error=` on the editor's address.
#[server(endpoint = "vendor/products/image", input = MultipartFormData)]
pub async fn upload_vendor_product_image(data: MultipartData) -> Result<(), AppError> {
    use crate::catalog::editor::receive_picture;
    use crate::identity::auth::who;
    use crate::platform::state::app_state;
    use shop_types::vendor::VendorArea;

    let state = app_state()?;
    let caller = super::scope::vendor_caller(&state, VendorArea::Catalog).await?;
    if !caller.vendor.status.open() {
        return Err(AppError::conflict(shop_types::Problem::VendorStepNotNow));
    }
    let mut product = String::new();
    let who = who(&caller.session);
    match receive_picture(&state, &who, data, Some(&caller.vendor.id), &mut product).await {
        Ok(()) => {
            leptos_axum::redirect(&format!("{}?saved=image", paths::vendor_product(&product)));
            Ok(())
        }
        Err(AppError::Validation { problem, .. }) if !product.is_empty() => {
            let query = crate::ui::query_string(&[("image_error".into(), problem.to_string())]);
            leptos_axum::redirect(&format!("{}?{query}", paths::vendor_product(&product)));
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// Changes one of the pictures of one of the caller's products: `action` is alt (with
/// `alt`), up, down or remove.
#[server(endpoint = "vendor/products/image/change")]
pub async fn change_vendor_product_image(
    product_id: String,
    image_id: String,
    action: String,
    alt: Option<String>,
) -> Result<(), AppError> {
    use crate::catalog::editor::read_image_change;
    use crate::catalog::product_store::change_image;
    use crate::identity::auth::who;
    use crate::platform::forms::redirect_after_form_post;
    use crate::platform::{errors::internal, state::app_state};
    use shop_types::Thing;
    use shop_types::vendor::VendorArea;

    let state = app_state()?;
    let caller = super::scope::vendor_caller(&state, VendorArea::Catalog).await?;
    if !caller.vendor.status.open() {
        return Err(AppError::conflict(shop_types::Problem::VendorStepNotNow));
    }
    let (product, change) = read_image_change(&product_id, &action, alt)?;
    {
        let mut conn = state.conn("vendor products: acquire").await?;
        own_product(&mut conn, &caller.vendor.id, &product).await?;
    }
    let changed = change_image(
        &state.db,
        &who(&caller.session),
        &product,
        image_id.trim(),
        &change,
    )
    .await
    .map_err(internal("vendor products: image"))?;
    if !changed {
        return Err(AppError::not_found(Thing::Picture));
    }
    state.part::<crate::search::follower::Search>().changed();
    redirect_after_form_post(&paths::vendor_product(&product));
    Ok(())
}

/// `Ok` when `product_id` is one of the seller `vendor_id`'s products; `NotFound` for any
/// other (the operator's and other sellers' alike: a seller learns nothing of their ids).
#[cfg(feature = "ssr")]
async fn own_product(
    conn: &mut sqlx::AnyConnection,
    vendor_id: &str,
    product_id: &str,
) -> Result<(), AppError> {
    let owner = crate::catalog::editor::editor_queries::seller_of(conn, product_id)
        .await
        .map_err(crate::platform::errors::internal("vendor products: seller"))?;
    if owner.as_deref() == Some(vendor_id) {
        Ok(())
    } else {
        Err(AppError::not_found(shop_types::Thing::Product))
    }
}

/// `/vendor/products`: the seller's products.
#[component]
pub fn VendorProductsPage() -> impl IntoView {
    let query = use_query_map();
    let get = move |k: &str| query.with(|q| q.get(k)).filter(|s| !s.is_empty());
    let page = Resource::new(
        move || (get("q"), get("status"), get("after")),
        |(q, s, a)| list_vendor_products(q, s, a),
    );
    view! {
        <Title text="Your products"/>
        <section class="page vendor-dashboard">
            <super::parts::VendorNav/>
            <h1>"Your products"</h1>
            <p><a class="button" href=paths::vendor_product("new")>"Add a product"</a></p>
            <form method="get" action=paths::VENDOR_PRODUCTS class="filter-form">
                <div class="field">
                    <label for="vp-q">"Title or SKU"</label>
                    <input id="vp-q" name="q" type="search" maxlength="200" value=move || get("q").unwrap_or_default()/>
                </div>
                <div class="field">
                    <label for="vp-status">"Status"</label>
                    <select id="vp-status" name="status">
                        <option value="">"Any"</option>
                        {crate::catalog::editor::editor_views::STATUSES.iter().map(|(v, l)| {
                            view! { <option value=*v selected=move || get("status").as_deref() == Some(*v)>{*l}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="secondary">"Show"</button>
            </form>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(p) if p.rows.is_empty() => view! { <p>"No products yet."</p> }.into_any(),
                        Ok(p) => {
                            let next = p.next.map(|c| query.with(|q| next_page(paths::VENDOR_PRODUCTS, q, &["q", "status"], c)));
                            view! {
                                <table class="data-table">
                                    <caption class="visually-hidden">"Your products, most recently changed first"</caption>
                                    <thead><tr>
                                        <th scope="col">"Product"</th><th scope="col">"Status"</th>
                                        <th scope="col" class="num">"Variants"</th><th scope="col" class="num">"Sellable"</th>
                                        <th scope="col" class="num">"From"</th><th scope="col">"Changed"</th>
                                    </tr></thead>
                                    <tbody>
                                        {p.rows.into_iter().map(|r| view! {
                                            <tr>
                                                <td><a href=paths::vendor_product(&r.id)>{r.title}</a></td>
                                                <td>{r.status}</td>
                                                <td class="num">{r.variants}</td>
                                                <td class="num">{r.stock}</td>
                                                <td class="num">{r.price.to_string()}</td>
                                                <td>{when(r.updated_at)}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                {next.map(|href| view! { <p><a href=href rel="next">"Next page"</a></p> })}
                            }.into_any()
                        }
                        Err(e) => super::parts::vendor_error(e),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// `/vendor/products/new` and `/vendor/products/<id>`: the seller's product editor.
#[component]
pub fn VendorProductPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id")).filter(|i| i != "new"));
    let save = ServerAction::<SaveVendorProduct>::new();
    let image = ServerAction::<ChangeVendorProductImage>::new();
    let data = Resource::new(
        move || (id.get(), save.version().get(), image.version().get()),
        |(id, _, _)| get_vendor_product_editor(id),
    );
    let saved = move || {
        query.with(|q| q.get("saved")).map(|s| match s.as_str() {
            "image" => "Picture added.",
            _ => "Saved.",
        })
    };
    view! {
        <Title text="Product"/>
        <section class="page product-editor vendor-dashboard">
            <super::parts::VendorNav/>
            <p><a href=paths::VENDOR_PRODUCTS>"All your products"</a></p>
            <p role="status" class="form-success">{saved}</p>
            <p role="alert" class="form-error">{move || query.with(|q| q.get("image_error"))}</p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(editor) => view! { <SellerEditor editor save image/> }.into_any(),
                        Err(e) => view! { <h1>"Product"</h1> {super::parts::vendor_error(e)} }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn SellerEditor(
    editor: ProductEditor,
    save: ServerAction<SaveVendorProduct>,
    image: ServerAction<ChangeVendorProductImage>,
) -> impl IntoView {
    use crate::catalog::editor::ProductFields;
    let heading = if editor.id.is_some() {
        editor.product.title.clone()
    } else {
        "New product".to_owned()
    };
    let error = move || {
        save.value().with(|v| match v {
            Some(Err(e)) => Some(e.to_string()),
            _ => None,
        })
    };
    let shop_link = (editor.id.is_some() && !editor.product.slug.is_empty()).then(|| {
        view! { <p><a href=paths::product(&editor.product.slug)>"See it in the shop"</a></p> }
    });
    let id = editor.id.clone().unwrap_or_default();
    let pictures = editor.id.clone().map(
        |product_id| view! { <SellerPictures product_id images=editor.images.clone() image/> },
    );
    view! {
        <h1>{heading}</h1>
        <p class="hint">"Shoppers see an active product once your shop is approved."</p>
        {shop_link}
        <ActionForm action=save attr:class="stack-form editor-form">
            <input type="hidden" name="id" value=id/>
            <ProductFields editor stock_hint="your first stock location" stock_later="Stock"/>
            <p class="form-error" role="alert">{error}</p>
            <button type="submit" class="primary">"Save product"</button>
        </ActionForm>
        {pictures}
    }
}

/// A seller product's pictures: the console's picture editor, posting to the seller's
/// endpoints.
#[component]
fn SellerPictures(
    product_id: String,
    images: Vec<ImageEdit>,
    image: ServerAction<ChangeVendorProductImage>,
) -> impl IntoView {
    use crate::catalog::editor::{PictureControl, PictureControlFields, PictureEditor};
    use leptos::server_fn::ServerFn;
    let error = Signal::derive(move || {
        image.value().with(|v| match v {
            Some(Err(e)) => Some(e.to_string()),
            _ => None,
        })
    });
    let control = Callback::new(move |c: PictureControl| {
        view! {
            <ActionForm action=image attr:class="inline-form">
                <PictureControlFields c/>
            </ActionForm>
        }
        .into_any()
    });
    view! {
        <PictureEditor product_id images upload_to=UploadVendorProductImage::PATH error control/>
    }
}
