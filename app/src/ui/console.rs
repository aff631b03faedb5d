//! Pieces every console section shares: how a refused or failed load shows, and the settings
//! tabs (the store's settings and the promotion page sit among them).

use leptos::prelude::*;
use leptos_router::components::{A, Redirect};
use shop_types::AppError;

/// How a console section shows a refused or failed load: anonymous callers go to sign-in,
/// everyone else reads the reason.
pub fn admin_error(error: AppError) -> AnyView {
    match error {
        AppError::Unauthorized => view! { <Redirect path="/account/sign-in"/> }.into_any(),
        e => view! { <p role="alert" class="form-error">{e.to_string()}</p> }.into_any(),
    }
}

/// The settings sections, as tabs above each.
#[component]
pub fn SettingsNav() -> impl IntoView {
    view! {
        <nav aria-label="Settings" class="settings-nav">
            <ul>
                <li><A href="/admin/settings" exact=true>"Store"</A></li>
                <li><A href="/admin/settings/taxes">"Taxes"</A></li>
                <li><A href="/admin/settings/shipping">"Shipping"</A></li>
                <li><A href="/admin/settings/coupons">"Coupons"</A></li>
                <li><A href="/admin/settings/staff">"Staff"</A></li>
                <li><A href="/admin/settings/emails">"E-mails"</A></li>
                <li><A href="/admin/settings/notifications">"Push notifications"</A></li>
            </ul>
        </nav>
    }
}

/// Why an order looks risky, one line per reason with its points (the risk review and the
/// staff order page).
#[component]
pub fn RiskReasons(reasons: Vec<shop_types::RiskReason>) -> impl IntoView {
    let lines = reasons
        .iter()
        .map(|r| view! { <li>{shop_types::messages::en::risk_signal(&r.signal)} " " <span class="points">{format!("+{}", r.points)}</span></li> })
        .collect_view();
    view! { <ul class="risk-reasons">{lines}</ul> }
}
