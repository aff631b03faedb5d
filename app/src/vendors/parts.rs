//! Pieces the seller dashboard and the console's seller page share.

use super::views::StatusChange;
use crate::ui::when;
use leptos::prelude::*;
use shop_types::messages::en;
use shop_types::vendor::ChecklistItem;

/// The checklist before review, each line done or to do; `heading_id` names the heading that
/// labels it.
#[component]
pub fn Checklist(items: Vec<ChecklistItem>, heading_id: &'static str) -> impl IntoView {
    view! {
        <ul class="checklist" aria-labelledby=heading_id>
            {items.into_iter().map(|item| view! {
                <li class:done=item.done>
                    <span class="checklist-state">{if item.done { "Done" } else { "To do" }}": "</span>
                    {en::requirement(&item.requirement)}
                </li>
            }).collect_view()}
        </ul>
    }
}

/// A seller's status changes, oldest first, with staff's notes.
#[component]
pub fn History(changes: Vec<StatusChange>) -> impl IntoView {
    view! {
        <ol class="vendor-history">
            {changes.into_iter().map(|h| view! {
                <li>{when(h.at)}": "{en::vendor_status(h.to)}{h.reason.map(|r| format!(" ({r})"))}</li>
            }).collect_view()}
        </ol>
    }
}

/// The seller dashboard's sections, above each of its pages.
#[component]
pub fn VendorNav() -> impl IntoView {
    use leptos_router::components::A;
    use shop_types::paths;
    view! {
        <nav aria-label="Seller dashboard" class="settings-nav">
            <ul>
                <li><A href=paths::VENDOR exact=true>"Overview"</A></li>
                <li><A href=paths::VENDOR_PRODUCTS>"Products"</A></li>
                <li><A href=paths::VENDOR_STOCK>"Stock"</A></li>
            </ul>
        </nav>
    }
}

/// What a seller page shows instead of its content when the caller cannot see it.
pub fn vendor_error(error: shop_types::AppError) -> AnyView {
    use shop_types::AppError;
    match error {
        AppError::Unauthorized => view! {
            <p>"Sign in with your seller account to see your shop."</p>
            <p><a class="button" href=shop_types::paths::SIGN_IN>"Sign in"</a></p>
        }
        .into_any(),
        AppError::Forbidden => view! {
            <p>"Your part in this seller's team does not include this page."</p>
        }
        .into_any(),
        e => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
    }
}
