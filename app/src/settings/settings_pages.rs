use super::admin_views::{SettingsView, StaffRow};
use super::{
    AddCoupon, AddShippingRate, AddShippingZone, RemoveSetting, ResetTwoStep, SaveRiskScores,
    SaveStaff, SaveStoreSettings, SaveTaxRate, get_settings, list_staff, preview_emails,
};
use crate::ui::SettingsNav;
use crate::ui::admin_error;
use crate::ui::when;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shop_types::{AppError, Permission, Role};

fn action_error<T>(value: &Option<Result<T, AppError>>) -> Option<String> {
    match value {
        Some(Err(e)) => Some(e.to_string()),
        _ => None,
    }
}

/// Shown after a plain form post saved something.
fn saved_note() -> impl IntoView {
    let query = use_query_map();
    move || {
        query
            .with(|q| q.get("saved"))
            .map(|_| view! { <p role="status" class="form-success">"Saved."</p> })
    }
}

/// A section's frame: heading, tabs, and its data once loaded.
fn section<F, V>(
    title: &'static str,
    resource: Resource<Result<SettingsView, AppError>>,
    body: F,
) -> impl IntoView
where
    F: Fn(SettingsView) -> V + Copy + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <Title text=title/>
        <section class="page">
            <h1>{title}</h1>
            <SettingsNav/>
            {saved_note()}
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match resource.await {
                        Ok(s) => body(s).into_any(),
                        Err(e) => admin_error(e),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// `/admin/settings`: the store's name, contact details, currency and tax display.
#[component]
pub fn StoreSettingsPage() -> impl IntoView {
    let save = ServerAction::<SaveStoreSettings>::new();
    let risk = ServerAction::<SaveRiskScores>::new();
    let sellers = ServerAction::<super::SaveVendorRules>::new();
    let retention = ServerAction::<super::SaveRetention>::new();
    let data = Resource::new(
        move || {
            (
                save.version().get(),
                risk.version().get(),
                sellers.version().get(),
                retention.version().get(),
            )
        },
        |_| get_settings(),
    );
    section("Store settings", data, move |s| {
        let st = s.store;
        let periods = s.retention;
        let risk_error =
            move |field: &'static str| risk.value().with(|v| crate::ui::error_for(v, field));
        let sellers_error = move || {
            sellers
                .value()
                .with(|v| crate::ui::error_for(v, "vendor_min_products"))
        };
        view! {
            <ActionForm action=save attr:class="stack-form">
                <div class="field"><label for="st-name">"Store name"</label>
                    <input id="st-name" name="name" type="text" required=true maxlength="80" value=st.name/></div>
                <div class="field"><label for="st-email">"Customer service e-mail"</label>
                    <input id="st-email" name="support_email" type="email" maxlength="254" value=st.support_email/></div>
                <div class="field"><label for="st-phone">"Phone"</label>
                    <input id="st-phone" name="contact_phone" type="tel" maxlength="40" value=st.contact_phone/></div>
                <div class="field"><label for="st-address">"Postal address (shown in the footer and on invoices)"</label>
                    <textarea id="st-address" name="contact_address" rows="3" maxlength="300">{st.contact_address}</textarea></div>
                <div class="field"><label for="st-currency">"Currency (three letters)"</label>
                    <input id="st-currency" name="currency" type="text" maxlength="3" required=true value=st.currency readonly=st.currency_locked/>
                    {st.currency_locked.then(|| view! { <p class="hint">"The currency is fixed once products exist: prices are not converted."</p> })}</div>
                <div class="field checkbox"><input id="st-incl" name="prices_include_tax" type="checkbox" checked=st.prices_include_tax/>
                    <label for="st-incl">"Prices include tax"</label></div>
                <div class="field"><label for="st-low">"Low stock at or below (units)"</label>
                    <input id="st-low" name="low_stock_threshold" type="number" min="0" max="10000" required=true value=st.low_stock_threshold.to_string()/></div>
                <p class="form-error" role="alert">{move || save.value().with(action_error)}</p>
                <button type="submit" class="primary">"Save"</button>
            </ActionForm>
            <h2>"Logo"</h2>
            {st.logo_key.map(|key| view! { <img src=format!("/media/{key}/320.webp") alt="The current logo" height="64" class="logo-preview"/> })}
            <p role="alert" class="form-error">{move || use_query_map().with(|q| q.get("logo_error"))}</p>
            <form method="post" action="/api/admin/settings/logo" enctype="multipart/form-data" class="stack-form">
                <div class="field"><label for="st-logo">"Logo (PNG, JPEG or WebP, up to 2 MB; shown in the header beside the name)"</label>
                    <input id="st-logo" name="file" type="file" accept="image/png,image/jpeg,image/webp" required=true/></div>
                <button type="submit" class="secondary">"Upload logo"</button>
            </form>
            <h2 id="risk">"Order risk"</h2>
            <p class="hint">"Every new order gets a risk score from 0 to 100 with its reasons (see the risk review). Choose where the shop holds an order for you to check, and where it cancels it at once."</p>
            <ActionForm action=risk attr:class="stack-form">
                <div class="field"><label for="st-risk-review">"Hold for review from score"</label>
                    <input id="st-risk-review" name="risk_review_score" type="number" min="1" max="100" required=true
                        value=st.risk_review_score.to_string() aria-describedby="st-risk-review-error"/>
                    <p id="st-risk-review-error" class="form-error">{move || risk_error("risk_review_score")}</p></div>
                <div class="field"><label for="st-risk-cancel">"Cancel from score (101: never cancel)"</label>
                    <input id="st-risk-cancel" name="risk_cancel_score" type="number" min="1" max="101" required=true
                        value=st.risk_cancel_score.to_string() aria-describedby="st-risk-cancel-error"/>
                    <p id="st-risk-cancel-error" class="form-error">{move || risk_error("risk_cancel_score")}</p></div>
                <button type="submit" class="secondary">"Save risk scores"</button>
            </ActionForm>
            <h2 id="sellers">"Sellers"</h2>
            <p class="hint">"What a seller does before it may sell: accept the terms, describe its shop and returns policy, give a payout account, and list as many products as you ask for here."</p>
            <ActionForm action=sellers attr:class="stack-form">
                <div class="field"><label for="st-vendor-min">"Products listed before review"</label>
                    <input id="st-vendor-min" name="vendor_min_products" type="number" min="0" max="1000" required=true
                        value=st.vendor_min_products.to_string() aria-describedby="st-vendor-min-error"/>
                    <p id="st-vendor-min-error" class="form-error">{sellers_error}</p></div>
                <div class="field checkbox">
                    <input id="st-vendor-review" name="vendor_review_required" type="checkbox" checked=st.vendor_review_required/>
                    <label for="st-vendor-review">"Staff review each seller before it sells (otherwise a completed checklist opens the shop at once)"</label>
                </div>
                <button type="submit" class="secondary">"Save seller rules"</button>
            </ActionForm>
            <h2 id="retention">"Data retention"</h2>
            <p class="hint">"How many days the shop keeps each kind of data. Every hour, what is older is deleted (an erased customer's pseudonym is blanked; their orders stay)."</p>
            <ActionForm action=retention attr:class="stack-form">
                {periods.into_iter().map(|p| {
                    let name = p.kind.as_str();
                    let id = format!("st-keep-{name}");
                    let error_id = format!("{id}-error");
                    view! {
                        <div class="field"><label for=id.clone()>{shop_types::messages::en::data_kind(p.kind)}</label>
                            <input id=id name=name type="number" required=true
                                min=p.kind.min_days().to_string() max=shop_types::retention::DataKind::MAX_DAYS.to_string()
                                value=p.days.to_string() aria-describedby=error_id.clone()/>
                            <p id=error_id class="form-error">{move || retention.value().with(|v| crate::ui::error_for(v, name))}</p></div>
                    }
                }).collect_view()}
                <button type="submit" class="secondary">"Save retention periods"</button>
            </ActionForm>
        }
    })
}

/// `/admin/settings/taxes`: tax rates per country and region.
#[component]
pub fn TaxesPage() -> impl IntoView {
    let save = ServerAction::<SaveTaxRate>::new();
    let remove = ServerAction::<RemoveSetting>::new();
    let data = Resource::new(
        move || (save.version().get(), remove.version().get()),
        |_| get_settings(),
    );
    section("Taxes", data, move |s| {
        view! {
            <table class="data-table">
                <caption class="visually-hidden">"Tax rates"</caption>
                <thead><tr><th scope="col">"Country"</th><th scope="col">"Region"</th><th scope="col">"Name"</th><th scope="col" class="num">"Rate"</th><th scope="col"><span class="visually-hidden">"Remove"</span></th></tr></thead>
                <tbody>
                    {s.taxes.into_iter().map(|t| view! {
                        <tr>
                            <td>{t.country.clone()}</td><td>{t.region.clone()}</td><td>{t.name.clone()}</td>
                            <td class="num">{crate::ui::percent(t.rate_bp)}</td>
                            <td><ActionForm action=remove attr:class="inline-form">
                                <input type="hidden" name="kind" value="tax"/><input type="hidden" name="id" value=t.id/>
                                <button type="submit" class="secondary small" aria-label=format!("Remove the rate for {} {}", t.country, t.region)>"Remove"</button>
                            </ActionForm></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <p class="form-error" role="alert">{move || remove.value().with(action_error)}</p>
            <h2>"Add or change a rate"</h2>
            <ActionForm action=save attr:class="stack-form">
                <div class="field-row">
                    <div class="field"><label for="tax-country">"Country code"</label><input id="tax-country" name="country" type="text" maxlength="2" required=true/></div>
                    <div class="field"><label for="tax-region">"Region code (optional)"</label><input id="tax-region" name="region" type="text" maxlength="10"/></div>
                    <div class="field"><label for="tax-name">"Name"</label><input id="tax-name" name="name" type="text" maxlength="40" required=true value="VAT"/></div>
                    <div class="field"><label for="tax-rate">"Rate in percent"</label><input id="tax-rate" name="rate" type="text" inputmode="decimal" maxlength="6" required=true/></div>
                </div>
                <p class="form-error" role="alert">{move || save.value().with(action_error)}</p>
                <button type="submit" class="primary">"Save rate"</button>
            </ActionForm>
        }
    })
}

/// `/admin/settings/shipping`: zones and their rates.
#[component]
pub fn ShippingPage() -> impl IntoView {
    let zone = ServerAction::<AddShippingZone>::new();
    let rate = ServerAction::<AddShippingRate>::new();
    let remove = ServerAction::<RemoveSetting>::new();
    let data = Resource::new(
        move || {
            (
                zone.version().get(),
                rate.version().get(),
                remove.version().get(),
            )
        },
        |_| get_settings(),
    );
    section("Shipping", data, move |s| {
        let zone_options = s
            .zones
            .iter()
            .map(|z| view! { <option value=z.id.clone()>{z.name.clone()}</option> })
            .collect_view();
        view! {
            {s.zones.into_iter().map(|z| view! {
                <section class="zone">
                    <h2>{z.name.clone()} " (" {if z.countries == "*" { "everywhere else".to_owned() } else { z.countries.replace(',', ", ") }} ")"</h2>
                    <ul>
                        {z.rates.into_iter().map(|r| view! {
                            <li>{r.name.clone()} ": " {r.summary} {(!r.delivery_days.is_empty()).then(|| format!(", {}", r.delivery_days))}
                                <ActionForm action=remove attr:class="inline-form">
                                    <input type="hidden" name="kind" value="rate"/><input type="hidden" name="id" value=r.id/>
                                    <button type="submit" class="secondary small" aria-label=format!("Remove the rate {}", r.name)>"Remove"</button>
                                </ActionForm>
                            </li>
                        }).collect_view()}
                    </ul>
                    <ActionForm action=remove attr:class="inline-form">
                        <input type="hidden" name="kind" value="zone"/><input type="hidden" name="id" value=z.id/>
                        <button type="submit" class="secondary small">{format!("Remove the zone {}", z.name)}</button>
                    </ActionForm>
                </section>
            }).collect_view()}
            <p class="form-error" role="alert">{move || remove.value().with(action_error)}</p>
            <h2>"Add a rate"</h2>
            <ActionForm action=rate attr:class="stack-form">
                <div class="field-row">
                    <div class="field"><label for="rate-zone">"Zone"</label><select id="rate-zone" name="zone_id">{zone_options}</select></div>
                    <div class="field"><label for="rate-name">"Name"</label><input id="rate-name" name="name" type="text" maxlength="60" required=true/></div>
                    <div class="field"><label for="rate-kind">"Priced"</label>
                        <select id="rate-kind" name="kind"><option value="flat">"Flat"</option><option value="weight">"By weight"</option></select></div>
                </div>
                <div class="field-row">
                    <div class="field"><label for="rate-price">"Price"</label><input id="rate-price" name="price" type="text" inputmode="decimal" required=true/></div>
                    <div class="field"><label for="rate-kg">"Per started kg (by weight)"</label><input id="rate-kg" name="per_kg" type="text" inputmode="decimal"/></div>
                    <div class="field"><label for="rate-free">"Free from (optional)"</label><input id="rate-free" name="free_over" type="text" inputmode="decimal"/></div>
                </div>
                <div class="field-row">
                    <div class="field"><label for="rate-min">"From grams (optional)"</label><input id="rate-min" name="min_weight_g" type="number" min="0"/></div>
                    <div class="field"><label for="rate-max">"Up to grams (optional)"</label><input id="rate-max" name="max_weight_g" type="number" min="0"/></div>
                    <div class="field"><label for="rate-days">"Delivery time"</label><input id="rate-days" name="delivery_days" type="text" maxlength="40"/></div>
                </div>
                <p class="form-error" role="alert">{move || rate.value().with(action_error)}</p>
                <button type="submit" class="primary">"Add rate"</button>
            </ActionForm>
            <h2>"Add a zone"</h2>
            <ActionForm action=zone attr:class="stack-form">
                <div class="field-row">
                    <div class="field"><label for="zone-name">"Name"</label><input id="zone-name" name="name" type="text" maxlength="60" required=true/></div>
                    <div class="field"><label for="zone-countries">"Country codes, or * for everywhere else"</label><input id="zone-countries" name="countries" type="text" required=true/></div>
                </div>
                <p class="form-error" role="alert">{move || zone.value().with(action_error)}</p>
                <button type="submit" class="primary">"Add zone"</button>
            </ActionForm>
        }
    })
}

/// `/admin/settings/coupons`: coupon codes and their use.
#[component]
pub fn CouponsPage() -> impl IntoView {
    let add = ServerAction::<AddCoupon>::new();
    let remove = ServerAction::<RemoveSetting>::new();
    let data = Resource::new(
        move || (add.version().get(), remove.version().get()),
        |_| get_settings(),
    );
    section("Coupons", data, move |s| {
        view! {
            <table class="data-table">
                <caption class="visually-hidden">"Coupons, newest first"</caption>
                <thead><tr><th scope="col">"Code"</th><th scope="col">"Gives"</th><th scope="col">"Minimum"</th><th scope="col">"Valid"</th><th scope="col" class="num">"Used"</th><th scope="col"><span class="visually-hidden">"End"</span></th></tr></thead>
                <tbody>
                    {s.coupons.into_iter().map(|c| {
                        let valid = match (c.starts_at, c.ends_at) {
                            (None, None) => "Always".to_owned(),
                            (s, e) => format!("{} – {}", s.map(when).unwrap_or_default(), e.map(when).unwrap_or_default()),
                        };
                        let limit = match (c.usage_limit, c.per_customer_limit) {
                            (Some(u), Some(p)) => format!("{} of {u} ({p} per customer)", c.times_used),
                            (Some(u), None) => format!("{} of {u}", c.times_used),
                            (None, Some(p)) => format!("{} ({p} per customer)", c.times_used),
                            (None, None) => c.times_used.to_string(),
                        };
                        view! {
                            <tr>
                                <td><code>{c.code.clone()}</code></td><td>{c.value}</td>
                                <td>{c.min_subtotal.map(|m| m.to_string()).unwrap_or_default()}</td>
                                <td>{valid}</td><td class="num">{limit}</td>
                                <td><ActionForm action=remove attr:class="inline-form">
                                    <input type="hidden" name="kind" value="coupon"/><input type="hidden" name="id" value=c.id/>
                                    <button type="submit" class="secondary small" aria-label=format!("End now: coupon {}", c.code)>"End now"</button>
                                </ActionForm></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <h2>"Create a coupon"</h2>
            <ActionForm action=add attr:class="stack-form">
                <div class="field-row">
                    <div class="field"><label for="cp-code">"Code"</label><input id="cp-code" name="code" type="text" maxlength="32" required=true/></div>
                    <div class="field"><label for="cp-kind">"Gives"</label>
                        <select id="cp-kind" name="kind"><option value="percent">"A percentage off"</option><option value="fixed">"An amount off"</option><option value="free_shipping">"Free shipping"</option></select></div>
                    <div class="field"><label for="cp-value">"Percent or amount"</label><input id="cp-value" name="value" type="text" inputmode="decimal"/></div>
                </div>
                <div class="field-row">
                    <div class="field"><label for="cp-min">"Minimum order (optional)"</label><input id="cp-min" name="min_subtotal" type="text" inputmode="decimal"/></div>
                    <div class="field"><label for="cp-starts">"Starts (optional)"</label><input id="cp-starts" name="starts" type="date"/></div>
                    <div class="field"><label for="cp-ends">"Ends after (optional)"</label><input id="cp-ends" name="ends" type="date"/></div>
                </div>
                <div class="field-row">
                    <div class="field"><label for="cp-limit">"Uses in all (optional)"</label><input id="cp-limit" name="usage_limit" type="number" min="1"/></div>
                    <div class="field"><label for="cp-per">"Uses per customer (optional)"</label><input id="cp-per" name="per_customer_limit" type="number" min="1"/></div>
                </div>
                <p class="form-error" role="alert">{move || add.value().with(action_error)}</p>
                <button type="submit" class="primary">"Create coupon"</button>
            </ActionForm>
        }
    })
}

/// `/admin/settings/staff`: back-office accounts and their permissions (admins only).
#[component]
pub fn StaffPage() -> impl IntoView {
    let save = ServerAction::<SaveStaff>::new();
    let reset = ServerAction::<ResetTwoStep>::new();
    let staff = Resource::new(
        move || (save.version().get(), reset.version().get()),
        |_| list_staff(),
    );
    view! {
        <Title text="Staff"/>
        <section class="page">
            <h1>"Staff"</h1>
            <SettingsNav/>
            {saved_note()}
            <p class="form-error" role="alert">{move || save.value().with(action_error)}</p>
            <p class="form-error" role="alert">{move || reset.value().with(action_error)}</p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match staff.await {
                        Ok(list) => view! {
                            <ul class="staff-list">{list.into_iter().map(|s| view! { <StaffForm s save reset/> }).collect_view()}</ul>
                        }.into_any(),
                        Err(e) => admin_error(e),
                    }
                })}
            </Suspense>
            <h2>"Add a staff account"</h2>
            <ActionForm action=save attr:class="stack-form">
                <div class="field-row">
                    <div class="field"><label for="new-staff-email">"E-mail"</label><input id="new-staff-email" name="email" type="email" required=true autocomplete="off"/></div>
                    <div class="field"><label for="new-staff-name">"Name"</label><input id="new-staff-name" name="name" type="text" maxlength="100"/></div>
                    <div class="field"><label for="new-staff-password">"First password (hand it over; they can change it)"</label>
                        <input id="new-staff-password" name="password" type="password" required=true minlength="8" autocomplete="new-password"/></div>
                </div>
                <PermissionFields prefix="new".into() role=Role::Staff granted=Vec::new()/>
                <button type="submit" class="primary">"Add account"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn StaffForm(
    s: StaffRow,
    save: ServerAction<SaveStaff>,
    reset: ServerAction<ResetTwoStep>,
) -> impl IntoView {
    let two_step = if s.two_step {
        "Two-step sign-in: on"
    } else {
        "Two-step sign-in: not set up yet (asked for at the next sign-in)"
    };
    let reset_form = s.two_step.then(|| {
        let (id, email) = (s.id.clone(), s.email.clone());
        view! {
            <ActionForm action=reset attr:class="inline-form">
                <input type="hidden" name="id" value=id/>
                <button type="submit" class="secondary">{format!("Reset two-step sign-in of {email} (lost phone)")}</button>
            </ActionForm>
        }
    });
    view! {
        <li>
            <ActionForm action=save attr:class="stack-form staff-form">
                <input type="hidden" name="id" value=s.id.clone()/>
                <p><strong>{s.email.clone()}</strong> " " {s.name.clone()} {s.disabled.then_some(" (disabled)")}</p>
                <p>{two_step}</p>
                <PermissionFields prefix=s.id.clone() role=s.role granted=s.permissions.clone()/>
                <button type="submit" class="secondary">{format!("Save {}", s.email)}</button>
            </ActionForm>
            {reset_form}
        </li>
    }
}

#[component]
fn PermissionFields(prefix: String, role: Role, granted: Vec<Permission>) -> impl IntoView {
    let role_id = format!("{prefix}-role");
    view! {
        <div class="field">
            <label for=role_id.clone()>"Role"</label>
            <select id=role_id name="role">
                <option value="staff" selected=role == Role::Staff>"Staff (the permissions below)"</option>
                <option value="admin" selected=role == Role::Admin>"Admin (everything)"</option>
                <option value="customer" selected=role == Role::Customer>"No back-office access"</option>
            </select>
        </div>
        <fieldset>
            <legend>"Permissions (for staff)"</legend>
            {Permission::ALL.into_iter().map(|p| {
                let id = format!("{prefix}-{}", p.as_str());
                view! {
                    <div class="field checkbox">
                        <input id=id.clone() type="checkbox" name=format!("permissions[{}]", p.as_str()) checked=granted.contains(&p)/>
                        <label for=id>{p.label()}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
}

/// `/admin/settings/emails`: every mail the shop sends, with sample values.
#[component]
pub fn EmailPreviewsPage() -> impl IntoView {
    let mails = Resource::new(|| (), |_| preview_emails());
    view! {
        <Title text="E-mails"/>
        <section class="page">
            <h1>"E-mails"</h1>
            <SettingsNav/>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match mails.await {
                        Ok(list) => list.into_iter().map(|m| view! {
                            <article class="email-preview">
                                <h2>{m.name.clone()}</h2>
                                <p><strong>"Subject: "</strong>{m.subject}</p>
                                // Its own document, under a policy that allows the mail's own styles only.
                                <p><a href=m.frame target="_blank" rel="noopener">"See the HTML version of “" {m.name.clone()} "”"</a></p>
                                <details><summary>"Plain-text version"</summary><pre>{m.text}</pre></details>
                            </article>
                        }).collect_view().into_any(),
                        Err(e) => admin_error(e),
                    }
                })}
            </Suspense>
        </section>
    }
}
