use leptos::prelude::*;
use leptos_router::components::{A, Outlet};

/// The console's frame: its navigation beside the routed section. Every section asks the
/// server for its data, and every server function checks the caller's permission, so the
/// frame itself holds nothing secret.
#[component]
pub fn AdminLayout() -> impl IntoView {
    view! {
        <div class="admin-console">
            <nav class="admin-nav" aria-label="Console">
                <p class="admin-nav-title">"Console"</p>
                <ul>
                    <li><A href="/admin" exact=true>"Dashboard"</A></li>
                    <li><A href="/admin/orders">"Orders"</A></li>
                    <li><A href="/admin/risk">"Risk review"</A></li>
                    <li><A href="/admin/products">"Products"</A></li>
                    <li><A href="/admin/categories">"Categories"</A></li>
                    <li><A href="/admin/collections">"Collections"</A></li>
                    <li><A href="/admin/inventory">"Inventory"</A></li>
                    <li><A href="/admin/customers">"Customers"</A></li>
                    <li><A href="/admin/vendors">"Sellers"</A></li>
                    <li><A href="/admin/privacy">"Privacy requests"</A></li>
                    <li><A href="/admin/import">"Import and export"</A></li>
                    <li><A href="/admin/settings">"Settings"</A></li>
                    <li><A href="/admin/search">"Search synonyms"</A></li>
                    <li><A href="/admin/audit">"Audit log"</A></li>
                    <li><A href="/admin/security">"Security reports"</A></li>
                    <li><A href="/admin/mailbox">"Mailbox"</A></li>
                </ul>
            </nav>
            <div class="admin-main">
                <Outlet/>
            </div>
        </div>
    }
}
