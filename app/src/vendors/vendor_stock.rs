//! A seller's stock in its dashboard (`/vendor/stock`): its variants by SKU with the units at
//! each of its locations, one variant's history and the change form the console uses
//! (`inventory::AdjustFields`, checked by `inventory::inventory_service::change_stock`
//! narrowed to the seller), and its stock locations (a first one, "Main location", is made
//! with its first product). Members with the catalog role (and owners) only.

use crate::inventory::views::{StockItem, StockPage};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use shop_types::{AppError, paths};

/// The seller's stock locations: id and name.
pub type Locations = Vec<(String, String)>;

/// The caller's variants by SKU, 50 a page (`after`), optionally those whose SKU starts with
/// or whose product title contains `q`, or only those at or below `low` units.
#[server(endpoint = "vendor/stock/list")]
pub async fn list_vendor_stock(
    q: Option<String>,
    low: Option<String>,
    after: Option<String>,
) -> Result<StockPage, AppError> {
    use crate::inventory::{inventory_service::read_stock_query, queries::page};
    use crate::platform::http::no_store;
    use crate::platform::{errors::internal, state::app_state};
    use shop_types::vendor::VendorArea;

    no_store();
    let state = app_state()?;
    let caller = super::scope::vendor_caller(&state, VendorArea::Catalog).await?;
    let (q, low) = read_stock_query(q, low)?;
    let mut conn = state.conn("vendor stock: acquire").await?;
    page(
        &mut conn,
        q.as_deref(),
        low,
        after.as_deref().unwrap_or(""),
        Some(&caller.vendor.id),
    )
    .await
    .map_err(internal("vendor stock: list"))
}

/// One of the caller's variants: units per location and the history of its changes.
#[server(endpoint = "vendor/stock/item")]
pub async fn get_vendor_stock_item(id: String) -> Result<StockItem, AppError> {
    use crate::platform::http::no_store;
    use crate::platform::{errors::internal, state::app_state};
    use shop_types::Thing;
    use shop_types::vendor::VendorArea;

    no_store();
    let state = app_state()?;
    let caller = super::scope::vendor_caller(&state, VendorArea::Catalog).await?;
    let mut conn = state.conn("vendor stock: acquire").await?;
    crate::inventory::queries::item(&mut conn, id.trim(), Some(&caller.vendor.id))
        .await
        .map_err(internal("vendor stock: item"))?
        .ok_or_else(|| AppError::not_found(Thing::Item))
}

/// Changes the stock of one of the caller's variants at one of its locations: `mode` add,
/// remove or set (a count), with a reason and an optional note.
#[server(endpoint = "vendor/stock/adjust")]
pub async fn adjust_vendor_stock(
    variant_id: String,
    location_id: String,
    mode: String,
    quantity: String,
    reason: String,
    note: Option<String>,
) -> Result<i64, AppError> {
    use crate::identity::auth::who;
    use crate::inventory::inventory_service::{StockChange, change_stock};
    use crate::platform::forms::redirect_after_form_post;
    use crate::platform::state::app_state;
    use shop_types::vendor::VendorArea;

    let state = app_state()?;
    let caller = super::scope::vendor_caller(&state, VendorArea::Catalog).await?;
    if !caller.vendor.status.open() {
        return Err(AppError::conflict(shop_types::Problem::VendorStepNotNow));
    }
    let change = StockChange {
        variant_id,
        location_id,
        mode,
        quantity,
        reason,
        note,
    };
    let sellable = change_stock(
        &state,
        &who(&caller.session),
        &change,
        Some(&caller.vendor.id),
    )
    .await?;
    redirect_after_form_post(&paths::vendor_stock_item(change.variant_id.trim()));
    Ok(sellable)
}

/// The caller's stock locations.
#[server(endpoint = "vendor/stock/locations")]
pub async fn list_vendor_locations() -> Result<Locations, AppError> {
    use crate::catalog::stock_ledger::seller_locations;
    use crate::platform::http::no_store;
    use crate::platform::{errors::internal, state::app_state};
    use shop_types::vendor::VendorArea;

    no_store();
    let state = app_state()?;
    let caller = super::scope::vendor_caller(&state, VendorArea::Catalog).await?;
    let mut conn = state.conn("vendor stock: acquire").await?;
    Ok(seller_locations(&mut conn, &caller.vendor.id)
        .await
        .map_err(internal("vendor stock: locations"))?
        .into_iter()
        .map(|l| (l.id, l.label))
        .collect())
}

/// Adds a stock location (a name of 1 to 60 characters the seller does not use yet);
/// audited as `stock.location_added`.
#[server(endpoint = "vendor/stock/locations/add")]
pub async fn add_vendor_location(name: String) -> Result<String, AppError> {
    use crate::catalog::stock_ledger::{LOCATION_LABEL_MAX, add_seller_location};
    use crate::identity::auth::who;
    use crate::platform::forms::redirect_after_form_post;
    use crate::platform::{errors::internal, state::app_state};
    use shop_types::Problem;
    use shop_types::vendor::VendorArea;

    let state = app_state()?;
    let caller = super::scope::vendor_caller(&state, VendorArea::Catalog).await?;
    if !caller.vendor.status.open() {
        return Err(AppError::conflict(Problem::VendorStepNotNow));
    }
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(AppError::validation("name", Problem::LocationNameMissing));
    }
    if name.chars().count() > LOCATION_LABEL_MAX {
        return Err(AppError::validation(
            "name",
            Problem::LocationNameTooLong {
                max: u32::try_from(LOCATION_LABEL_MAX).unwrap_or(60),
            },
        ));
    }
    let mut tx = state
        .db
        .begin_write()
        .await
        .map_err(internal("vendor stock: begin"))?;
    let id = add_seller_location(&mut tx, &caller.vendor.id, &name)
        .await
        .map_err(internal("vendor stock: add location"))?
        .ok_or_else(|| AppError::validation("name", Problem::LocationNameTaken))?;
    crate::platform::audit_trail::record(
        &mut tx,
        &who(&caller.session),
        "stock.location_added",
        &format!("vendor:{}", caller.vendor.id),
        None,
        Some(serde_json::json!({ "location": id, "name": name })),
    )
    .await
    .map_err(internal("vendor stock: audit"))?;
    tx.commit()
        .await
        .map_err(internal("vendor stock: commit"))?;
    redirect_after_form_post(&format!("{}?saved=location", paths::VENDOR_STOCK));
    Ok(id)
}

/// `/vendor/stock`: the seller's stock by SKU and its locations.
#[component]
pub fn VendorStockPage() -> impl IntoView {
    use crate::inventory::StockTable;
    use crate::ui::{FormError, error_for, next_page};
    let query = use_query_map();
    let get = move |k: &str| query.with(|q| q.get(k)).filter(|s| !s.is_empty());
    let add = ServerAction::<AddVendorLocation>::new();
    let stock = Resource::new(
        move || (get("q"), get("low"), get("after")),
        |(q, l, a)| list_vendor_stock(q, l, a),
    );
    let locations = Resource::new(move || add.version().get(), |_| list_vendor_locations());
    let add_error = Signal::derive(move || add.value().with(|v| error_for(v, "name")));
    let added = move || {
        (add.value().with(|v| matches!(v, Some(Ok(_))))
            || query.with(|q| q.get("saved").as_deref() == Some("location")))
        .then_some("The location is added.")
    };
    view! {
        <Title text="Your stock"/>
        <section class="page vendor-dashboard">
            <super::parts::VendorNav/>
            <h1>"Your stock"</h1>
            <form method="get" action=paths::VENDOR_STOCK class="filter-form">
                <div class="field">
                    <label for="vs-q">"SKU or product"</label>
                    <input id="vs-q" name="q" type="search" maxlength="100" value=move || get("q").unwrap_or_default()/>
                </div>
                <div class="field">
                    <label for="vs-low">"Only with at most this many units"</label>
                    <input id="vs-low" name="low" type="number" min="0" value=move || get("low").unwrap_or_default()/>
                </div>
                <button type="submit" class="secondary">"Show"</button>
            </form>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match stock.await {
                        Ok(page) if page.rows.is_empty() => view! { <p>"Nothing matches."</p> }.into_any(),
                        Ok(page) => {
                            let next = page.next.map(|c| query.with(|q| next_page(paths::VENDOR_STOCK, q, &["q", "low"], c)));
                            view! {
                                <StockTable rows=page.rows link=paths::vendor_stock_item/>
                                {next.map(|href| view! { <p><a href=href rel="next">"Next page"</a></p> })}
                            }.into_any()
                        }
                        Err(e) => super::parts::vendor_error(e),
                    }
                })}
            </Suspense>
            <h2 id="locations-heading">"Your stock locations"</h2>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match locations.await {
                        Ok(list) if list.is_empty() => view! { <p>"Your first location is made with your first product."</p> }.into_any(),
                        Ok(list) => view! {
                            <ul aria-labelledby="locations-heading">
                                {list.into_iter().map(|(_, name)| view! { <li>{name}</li> }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(_) => ().into_any(),
                    }
                })}
            </Suspense>
            <p class="form-success" role="status">{added}</p>
            <ActionForm action=add attr:class="inline-form">
                <div class="field">
                    <label for="vs-location">"New location's name"</label>
                    <input id="vs-location" name="name" type="text" maxlength="60" required=true aria-describedby="vs-location-error"/>
                    <p id="vs-location-error" class="form-error">{add_error}</p>
                </div>
                <FormError error=Signal::derive(move || add.value().with(|v| error_for(v, "")))/>
                <button type="submit" class="secondary">"Add the location"</button>
            </ActionForm>
        </section>
    }
}

/// `/vendor/stock/<variant>`: one variant's units per location, the change form and its
/// history.
#[component]
pub fn VendorStockItemPage() -> impl IntoView {
    use crate::inventory::{AdjustFields, MovementTable};
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let adjust = ServerAction::<AdjustVendorStock>::new();
    let item = Resource::new(
        move || (id.get(), adjust.version().get()),
        |(id, _)| get_vendor_stock_item(id),
    );
    let error = move || {
        adjust.value().with(|v| match v {
            Some(Err(e)) => Some(e.to_string()),
            _ => None,
        })
    };
    let done = move || {
        adjust.value().with(|v| match v {
            Some(Ok(n)) => Some(format!("Saved. {n} can be sold now.")),
            _ => None,
        })
    };
    view! {
        <Title text="Stock"/>
        <section class="page vendor-dashboard">
            <super::parts::VendorNav/>
            <p><a href=paths::VENDOR_STOCK>"All your stock"</a></p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match item.await {
                        Ok(item) => {
                            let r = item.row.clone();
                            view! {
                                <h1>{r.title.clone()} " – " {r.variant.clone()}</h1>
                                <p>"SKU " {r.sku.clone()} ". " <strong>{r.sellable}</strong> " can be sold now. "
                                    <a href=paths::vendor_product(&r.product_id)>"Edit the product"</a></p>
                                <table class="data-table">
                                    <caption>"On hand per location"</caption>
                                    <thead><tr><th scope="col">"Location"</th><th scope="col" class="num">"On hand"</th></tr></thead>
                                    <tbody>
                                        {item.locations.iter().map(|l| view! { <tr><td>{l.location.clone()}</td><td class="num">{l.on_hand}</td></tr> }).collect_view()}
                                    </tbody>
                                </table>
                                <h2>"Change the stock"</h2>
                                <ActionForm action=adjust attr:class="stack-form">
                                    <input type="hidden" name="variant_id" value=r.variant_id.clone()/>
                                    <AdjustFields locations=item.locations.clone()/>
                                    <p class="form-error" role="alert">{error}</p>
                                    <p class="form-success" role="status">{done}</p>
                                    <button type="submit" class="primary">"Save the change"</button>
                                </ActionForm>
                                <h2>"History"</h2>
                                <MovementTable movements=item.movements order_link=|_: &str| None/>
                            }.into_any()
                        }
                        Err(e) => view! { <h1>"Stock"</h1> {super::parts::vendor_error(e)} }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
