use super::chart::LineChart;
use super::get_dashboard;
use super::views::{DashboardView, Range, change};
use crate::ui::admin_error;
use crate::ui::percent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/admin`: how the shop is doing over a range, against the range before.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let query = use_query_map();
    let range = Memo::new(move |_| query.with(|q| q.get("range")));
    let data = Resource::new(move || range.get(), get_dashboard);
    view! {
        <Title text="Dashboard"/>
        <section class="page dashboard">
            <h1>"Dashboard"</h1>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(d) => view! { <Dashboard d/> }.into_any(),
                        Err(e) => admin_error(e),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Dashboard(d: DashboardView) -> impl IntoView {
    let currency = d.revenue.now.currency;
    let ranges = Range::ALL
        .into_iter()
        .map(|r| {
            let current = (r == d.range).then_some("page");
            view! { <li><a href=format!("/admin?range={}", r.as_str()) aria-current=current>{r.label()}</a></li> }
        })
        .collect_view();
    let kpis = [
        ("Revenue", d.revenue.now.to_string(), change(d.revenue.now.minor, d.revenue.before.minor)),
        ("Orders", d.orders.now.to_string(), change(d.orders.now, d.orders.before)),
        (
            "Average order",
            d.average_order.now.to_string(),
            change(d.average_order.now.minor, d.average_order.before.minor),
        ),
        (
            "Cart conversion",
            percent(d.conversion_bp.now),
            change(d.conversion_bp.now, d.conversion_bp.before),
        ),
        (
            "Returning customers",
            percent(d.returning_bp.now),
            change(d.returning_bp.now, d.returning_bp.before),
        ),
    ]
    .into_iter()
    .map(|(label, value, delta)| {
        view! {
            <div class="kpi">
                <dt>{label}</dt>
                <dd><span class="kpi-value">{value}</span> <span class="kpi-change">{delta} " vs period before"</span></dd>
            </div>
        }
    })
    .collect_view();
    let top = if d.top_products.is_empty() {
        view! { <p>"No sales in this period."</p> }.into_any()
    } else {
        view! {
            <table class="data-table">
                <caption class="visually-hidden">"Best sellers of the period"</caption>
                <thead><tr><th scope="col">"Product"</th><th scope="col" class="num">"Units"</th><th scope="col" class="num">"Revenue"</th></tr></thead>
                <tbody>
                    {d.top_products.into_iter().map(|p| view! {
                        <tr><td><a href=format!("/products/{}", p.slug)>{p.title}</a></td><td class="num">{p.units}</td><td class="num">{p.revenue.to_string()}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        }.into_any()
    };
    let low = if d.low_stock.is_empty() {
        view! { <p>"Nothing is running low."</p> }.into_any()
    } else {
        view! {
            <table class="data-table">
                <caption class="visually-hidden">"Variants running low"</caption>
                <thead><tr><th scope="col">"Product"</th><th scope="col">"SKU"</th><th scope="col" class="num">"In stock"</th></tr></thead>
                <tbody>
                    {d.low_stock.into_iter().map(|s| view! {
                        <tr>
                            <td><a href=format!("/admin/products/{}", s.product_id)>{s.title} " – " {s.variant_title}</a></td>
                            <td>{s.sku}</td>
                            <td class="num">{s.stock}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        }.into_any()
    };
    let first_cart_step = d
        .funnel
        .iter()
        .find(|s| s.kind == crate::analytics::EventKind::AddToCart)
        .map(|s| s.count)
        .unwrap_or(0);
    let funnel = d
        .funnel
        .into_iter()
        .map(|s| {
            let share = s.share_bp.map(percent);
            let meter = s.share_bp.map(|_| {
                view! { <meter min="0" max=first_cart_step.max(1) value=s.count aria-hidden="true"></meter> }
            });
            view! {
                <tr>
                    <th scope="row">{s.kind.label()}</th>
                    <td class="num">{s.count}</td>
                    <td class="num">{share.unwrap_or_default()}</td>
                    <td>{meter}</td>
                </tr>
            }
        })
        .collect_view();
    let zero = if d.zero_result_searches.is_empty() {
        view! { <p>"Every search found something."</p> }.into_any()
    } else {
        view! {
            <ul class="zero-searches">
                {d.zero_result_searches.into_iter().map(|s| view! { <li><q>{s.terms}</q> " – " {s.count} "×"</li> }).collect_view()}
            </ul>
        }.into_any()
    };
    view! {
        <nav aria-label="Range"><ul class="range-picker">{ranges}</ul></nav>
        <dl class="kpis">{kpis}</dl>
        <section aria-labelledby="chart-heading">
            <h2 id="chart-heading">"Revenue"</h2>
            <LineChart points=d.points currency title=format!("Revenue, {}", d.range.label().to_lowercase())/>
        </section>
        <div class="dashboard-grid">
            <section aria-labelledby="top-heading">
                <h2 id="top-heading">"Best sellers"</h2>
                {top}
            </section>
            <section aria-labelledby="low-heading">
                <h2 id="low-heading">"Low stock"</h2>
                <p class="hint">"Variants with " {d.low_stock_threshold} " or fewer units."</p>
                {low}
            </section>
            <section aria-labelledby="funnel-heading">
                <h2 id="funnel-heading">"Funnel"</h2>
                <table class="data-table funnel">
                    <caption class="visually-hidden">"From product views to orders"</caption>
                    <thead><tr><th scope="col">"Step"</th><th scope="col" class="num">"Count"</th><th scope="col" class="num">"Of carts"</th><td></td></tr></thead>
                    <tbody>{funnel}</tbody>
                </table>
                <p class="hint">"Views and searches count events; the other steps count carts."</p>
            </section>
            <section aria-labelledby="zero-heading">
                <h2 id="zero-heading">"Searches that found nothing"</h2>
                {zero}
            </section>
        </div>
    }
}
