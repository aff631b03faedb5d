//! The console's vendors (`/admin/vendors`): applications and reviews waiting, every vendor
//! by status, one vendor with its business details and checklist, and the decisions (accept,
//! approve, ask for changes, reject, suspend, reinstate, close), each mailed and audited.
//! Staff with the vendors permission.

use super::views::{VendorList, VendorReview};
use crate::ui::{FormError, admin_error, error_for, when};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use shop_types::messages::en;
use shop_types::{AppError, VendorStatus, VendorStep};

/// Vendors in `status` (all when empty), with the count per status.
#[server(endpoint = "admin/vendors")]
pub async fn list_vendors(#[server(default)] status: String) -> Result<VendorList, AppError> {
    use crate::identity::auth::{Access, authorize};
    use crate::platform::http::no_store;
    use crate::platform::{errors::internal, state::app_state};
    use shop_types::Permission;

    no_store();
    let state = app_state()?;
    authorize(&state, Access::Permission(Permission::ManageVendors)).await?;
    let status =
        match status.trim() {
            "" => None,
            s => Some(VendorStatus::parse(s).ok_or_else(|| {
                AppError::validation("status", shop_types::Problem::StatusUnknown)
            })?),
        };
    let mut conn = state.conn("vendors: acquire").await?;
    let vendors = super::vendor_store::list(&mut conn, status)
        .await
        .map_err(internal("vendors: list"))?;
    let counts = super::vendor_store::counts(&mut conn)
        .await
        .map_err(internal("vendors: counts"))?;
    Ok(VendorList { counts, vendors })
}

/// One vendor with its private details, for staff deciding on it.
#[server(endpoint = "admin/vendors/one")]
pub async fn get_vendor_review(id: String) -> Result<VendorReview, AppError> {
    use crate::identity::auth::{Access, authorize};
    use crate::platform::http::no_store;
    use crate::platform::{errors::internal, state::app_state};
    use shop_types::{Permission, Thing};

    no_store();
    let state = app_state()?;
    let session = authorize(&state, Access::Permission(Permission::ManageVendors)).await?;
    let vault = state.db.vault();
    let mut conn = state.conn("vendor review: acquire").await?;
    let vendor = super::vendor_store::find(&mut conn, id.trim())
        .await
        .map_err(internal("vendor review: find"))?
        .ok_or(AppError::not_found(Thing::Vendor))?;
    drop(conn);
    // The page shows the business's sealed details (registration, contact, bank account):
    // who opened them, and when, is kept like a change.
    let mut tx = state
        .db
        .begin_write()
        .await
        .map_err(internal("vendor review: begin"))?;
    crate::platform::audit_trail::record(
        &mut tx,
        &crate::identity::auth::who(&session),
        "vendor.details_viewed",
        &format!("vendor:{}", vendor.id),
        None,
        None,
    )
    .await
    .map_err(internal("vendor review: audit"))?;
    tx.commit()
        .await
        .map_err(internal("vendor review: commit"))?;
    let mut conn = state.conn("vendor review: acquire").await?;
    let details = super::vendor_store::details(&mut conn, vault, &vendor.id)
        .await
        .map_err(internal("vendor review: details"))?;
    let mut owner_email = None;
    for owner in super::vendor_store::owner_ids(&mut conn, &vendor.id)
        .await
        .map_err(internal("vendor review: owners"))?
    {
        if let Some(user) = crate::identity::users::find_by_id(&mut conn, vault, &owner)
            .await
            .map_err(internal("vendor review: owner"))?
        {
            owner_email = Some(user.email);
            break;
        }
    }
    let rules = crate::store::queries::vendor_rules(&mut conn)
        .await
        .map_err(internal("vendor review: rules"))?;
    let checklist = super::onboarding::checklist(&mut conn, vault, &vendor, rules)
        .await
        .map_err(internal("vendor review: checklist"))?;
    let history = super::vendor_store::status_history(&mut conn, &vendor.id)
        .await
        .map_err(internal("vendor review: history"))?;
    let steps = VendorStep::for_operator(vendor.status);
    Ok(VendorReview {
        vendor,
        details,
        owner_email,
        checklist,
        history,
        steps,
    })
}

/// Takes `step` for vendor `id`; `reason` is what the vendor is told (needed to reject,
/// suspend or ask for changes).
#[server(endpoint = "admin/vendors/decide")]
pub async fn decide_vendor(
    id: String,
    step: String,
    #[server(default)] reason: String,
) -> Result<VendorStatus, AppError> {
    use crate::identity::auth::{Access, authorize, who};
    use crate::platform::state::app_state;
    use shop_types::vendor::Actor;
    use shop_types::{Permission, Problem};

    let state = app_state()?;
    let session = authorize(&state, Access::Permission(Permission::ManageVendors)).await?;
    let step = VendorStep::parse(step.trim())
        .ok_or_else(|| AppError::validation("step", Problem::VendorStepUnknown))?;
    let to = super::onboarding::take_step(
        &state.db,
        id.trim(),
        step,
        Actor::Operator,
        &reason,
        &who(&session),
    )
    .await?;
    crate::platform::forms::redirect_after_form_post(&format!(
        "{}/{}?saved=1",
        shop_types::paths::ADMIN_VENDORS,
        id.trim()
    ));
    Ok(to)
}

/// `/admin/vendors`: the vendors, filtered by status.
#[component]
pub fn VendorsPage() -> impl IntoView {
    let query = use_query_map();
    let status = move || query.with(|q| q.get("status").unwrap_or_default());
    let vendors = Resource::new(status, list_vendors);
    view! {
        <Title text="Sellers"/>
        <section class="page">
            <h1>"Sellers"</h1>
            <p class="hint">"Applications wait for you first, then completed checklists in review. The longest waiting come first."</p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match vendors.await {
                        Ok(list) => {
                            let current = status();
                            view! {
                                <nav aria-label="Sellers by status" class="filter-links">
                                    <ul>
                                        <li><a href=shop_types::paths::ADMIN_VENDORS aria-current=current.is_empty().then_some("page")>"All"</a></li>
                                        {list.counts.iter().map(|(s, n)| {
                                            let here = current == s.as_str();
                                            view! {
                                                <li><a href=format!("{}?status={}", shop_types::paths::ADMIN_VENDORS, s.as_str())
                                                    aria-current=here.then_some("page")>
                                                    {format!("{} ({n})", en::vendor_status(*s))}
                                                </a></li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                </nav>
                                <VendorTable vendors=list.vendors/>
                            }.into_any()
                        }
                        Err(e) => admin_error(e),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn VendorTable(vendors: Vec<super::views::VendorRow>) -> impl IntoView {
    if vendors.is_empty() {
        return view! { <p>"No seller here."</p> }.into_any();
    }
    view! {
        <div class="table-scroll"><table class="data-table">
            <caption class="visually-hidden">"Sellers"</caption>
            <thead><tr>
                <th scope="col">"Seller"</th><th scope="col">"Status"</th>
                <th scope="col">"Since"</th><th scope="col">"Applied"</th>
            </tr></thead>
            <tbody>
                {vendors.into_iter().map(|v| view! {
                    <tr>
                        <td><a href=format!("{}/{}", shop_types::paths::ADMIN_VENDORS, v.id)>{v.name}</a></td>
                        <td>{en::vendor_status(v.status)}</td>
                        <td>{when(v.status_changed_at)}</td>
                        <td>{when(v.created_at)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table></div>
    }
    .into_any()
}

/// `/admin/vendors/<id>`: one vendor, its details and the decisions open now.
#[component]
pub fn VendorReviewPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let decide = ServerAction::<DecideVendor>::new();
    let review = Resource::new(
        move || (id(), decide.version().get()),
        |(id, _)| get_vendor_review(id),
    );
    let query = use_query_map();
    let saved = move || {
        (decide.value().with(|v| matches!(v, Some(Ok(_))))
            || query.with(|q| q.get("saved").is_some()))
        .then_some("Saved. The seller is told by mail.")
    };
    let err =
        move |f: &'static str| Signal::derive(move || decide.value().with(|v| error_for(v, f)));
    view! {
        <Title text="Seller"/>
        <section class="page">
            <p><a href=shop_types::paths::ADMIN_VENDORS>"All sellers"</a></p>
            <p class="form-success" role="status">{saved}</p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match review.await {
                        Ok(r) => view! { <ReviewBody r decide err_any=err("") err_reason=err("reason")/> }.into_any(),
                        Err(e) => admin_error(e),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ReviewBody(
    r: VendorReview,
    decide: ServerAction<DecideVendor>,
    err_any: Signal<Option<String>>,
    err_reason: Signal<Option<String>>,
) -> impl IntoView {
    let v = r.vendor;
    let legal_form = shop_types::vendor::LEGAL_FORMS
        .iter()
        .find(|(k, _)| *k == v.legal_form)
        .map_or(v.legal_form.clone(), |(_, label)| (*label).to_owned());
    let address = |a: &shop_types::AddressInput| {
        [
            a.full_name.as_str(),
            a.company.as_str(),
            a.line1.as_str(),
            a.line2.as_str(),
            &format!("{} {}", a.postal_code, a.city),
            a.region.as_str(),
            shop_types::address::country_name(&a.country).unwrap_or(&a.country),
        ]
        .into_iter()
        .filter(|p| !p.trim().is_empty())
        .collect::<Vec<_>>()
        .join(", ")
    };
    let details = match r.details {
        Some(d) => view! {
            <dl class="facts">
                <dt>"Legal form"</dt><dd>{legal_form}</dd>
                <dt>"Registration number"</dt><dd>{d.registration_number.clone()}</dd>
                <dt>"VAT number"</dt><dd>{d.tax_number.clone()}</dd>
                <dt>"Contact"</dt><dd>{format!("{}, {}", d.contact_name, d.contact_phone)}</dd>
                <dt>"Owner's e-mail"</dt><dd>{r.owner_email.clone().unwrap_or_else(|| "(no owner any more)".into())}</dd>
                <dt>"Billing address"</dt><dd>{address(&d.billing)}</dd>
                <dt>"Returns address"</dt><dd>{d.returns.as_ref().map_or_else(|| "Same as billing".to_owned(), address)}</dd>
                <dt>"Payout account"</dt><dd>{format!("{}, {}", d.account_holder, d.iban)}</dd>
                <dt>"Terms accepted"</dt><dd>{format!("version {}, {}", v.terms_version, when(v.terms_accepted_at))}</dd>
            </dl>
        }.into_any(),
        None => view! { <p>"The business details were deleted."</p> }.into_any(),
    };
    let id = v.id.clone();
    view! {
        <h1>{v.name.clone()}</h1>
        <p><span class=format!("status-badge status-{}", v.status.as_str())>{en::vendor_status(v.status)}</span>
            {format!(" since {}", when(v.status_changed_at))}</p>
        {v.status_reason.clone().map(|r| view! { <p><strong>"Last note to the seller: "</strong>{r}</p> })}
        <h2>"Business"</h2>
        {details}
        <h2>"Shop profile"</h2>
        <p>{if v.description.is_empty() { "(no description yet)".to_owned() } else { v.description.clone() }}</p>
        <h3>"Returns policy"</h3>
        <p>{if v.returns_policy.is_empty() { "(none yet)".to_owned() } else { v.returns_policy.clone() }}</p>
        <h2 id="review-checklist">"Checklist"</h2>
        <super::parts::Checklist items=r.checklist heading_id="review-checklist"/>
        <h2>"Decide"</h2>
        {if r.steps.is_empty() {
            view! { <p>"Nothing to decide: this seller is closed or rejected."</p> }.into_any()
        } else {
            view! {
                <ActionForm action=decide attr:class="stack-form">
                    <FormError error=err_any/>
                    <input type="hidden" name="id" value=id/>
                    <div class="field">
                        <label for="vendor-reason">"Note to the seller"</label>
                        <textarea id="vendor-reason" name="reason" rows="3" maxlength="1000"
                            aria-describedby="vendor-reason-hint vendor-reason-error"></textarea>
                        <p id="vendor-reason-hint" class="hint">"Needed to reject, suspend or ask for changes; the seller receives it by mail."</p>
                        <p id="vendor-reason-error" class="form-error">{err_reason}</p>
                    </div>
                    <div class="button-row">
                        {r.steps.iter().map(|s| view! {
                            <button type="submit" name="step" value=s.as_str()
                                class=if matches!(s, VendorStep::Reject | VendorStep::Suspend | VendorStep::Close) { "secondary" } else { "" }>
                                {en::vendor_step(*s)}
                            </button>
                        }).collect_view()}
                    </div>
                </ActionForm>
            }.into_any()
        }}
        <h2>"History"</h2>
        <super::parts::History changes=r.history/>
    }
}
