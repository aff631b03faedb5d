use super::views::ReviewItem;
use super::{DecideReview, get_review_queue};
use crate::ui::{FormError, RiskReasons, admin_error, error_for, when};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/admin/risk`: orders the fraud rules held, each with its score and reasons and a decision
/// to make, then the latest decisions (including orders the rules cancelled).
#[component]
pub fn RiskReviewPage() -> impl IntoView {
    let decide = ServerAction::<DecideReview>::new();
    let queue = Resource::new(move || decide.version().get(), |_| get_review_queue());
    let error = Signal::derive(move || {
        decide
            .value()
            .with(|v| error_for(v, "").or_else(|| error_for(v, "decision")))
    });
    let query = use_query_map();
    // With JavaScript the action's answer says it; without, the redirect's `?decided=`.
    let decided = move || {
        (decide.value().with(|v| matches!(v, Some(Ok(_))))
            || query.with(|q| q.get("decided").is_some()))
        .then_some("Decision saved.")
    };
    view! {
        <Title text="Risk review"/>
        <section class="page">
            <h1>"Risk review"</h1>
            <p class="form-success" role="status">{decided}</p>
            <FormError error=error/>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match queue.await {
                        Ok(q) => view! {
                            <p class="hint">
                                {format!(
                                    "Orders scoring {} or more are held here until you decide; {} cancels an order when it is placed. ",
                                    q.review_score,
                                    if q.cancel_score > 100 { "no score".to_owned() } else { format!("{} or more", q.cancel_score) },
                                )}
                                <a href="/admin/settings#risk">"Change the scores"</a>
                            </p>
                            <h2>"Waiting for a decision"</h2>
                            {if q.waiting.is_empty() {
                                view! { <p>"No order is waiting."</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="review-list">
                                        {q.waiting.into_iter().map(|item| view! { <Waiting item decide/> }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                            <h2>"Recent decisions"</h2>
                            <Decided items=q.decided/>
                        }.into_any(),
                        Err(e) => admin_error(e),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn reasons(item: &ReviewItem) -> impl IntoView + use<> {
    view! { <RiskReasons reasons=item.reasons.clone()/> }
}

#[component]
fn Waiting(item: ReviewItem, decide: ServerAction<DecideReview>) -> impl IntoView {
    let heading = format!("Order {}", item.number);
    let why = reasons(&item);
    let (approve_id, reject_id) = (item.order_id.clone(), item.order_id.clone());
    view! {
        <li class="review-item">
            <h3><a href=format!("/admin/orders/{}", item.order_id)>{heading}</a></h3>
            <dl class="facts">
                <dt>"Score"</dt><dd><strong>{format!("{} of 100", item.score)}</strong></dd>
                <dt>"Placed"</dt><dd>{when(item.placed_at)}</dd>
                <dt>"E-mail"</dt><dd>{item.email.clone()}</dd>
                <dt>"Total"</dt><dd>{item.total.to_string()}</dd>
                <dt>"Status"</dt><dd>{item.status.label()}</dd>
            </dl>
            {why}
            <div class="review-actions">
                <ActionForm action=decide attr:class="inline-form">
                    <input type="hidden" name="id" value=approve_id/>
                    <input type="hidden" name="decision" value="approve"/>
                    <button type="submit" class="primary">{format!("Approve order {}", item.number)}</button>
                </ActionForm>
                <ActionForm action=decide attr:class="inline-form">
                    <input type="hidden" name="id" value=reject_id/>
                    <input type="hidden" name="decision" value="reject"/>
                    <button type="submit" class="secondary">{format!("Reject order {} (cancel and refund)", item.number)}</button>
                </ActionForm>
            </div>
        </li>
    }
}

#[component]
fn Decided(items: Vec<ReviewItem>) -> impl IntoView {
    if items.is_empty() {
        return view! { <p>"No decisions yet."</p> }.into_any();
    }
    view! {
        <table class="data-table">
            <caption class="visually-hidden">"Recent risk decisions, newest first"</caption>
            <thead><tr>
                <th scope="col">"Order"</th><th scope="col" class="num">"Score"</th>
                <th scope="col">"Reasons"</th><th scope="col">"Outcome"</th><th scope="col">"By"</th><th scope="col">"When"</th>
            </tr></thead>
            <tbody>
                {items.into_iter().map(|item| {
                    let outcome = match item.review.as_deref() {
                        Some("approved") => "Approved",
                        Some("rejected") => "Rejected",
                        _ => "Cancelled when placed",
                    };
                    let at = item.reviewed_at.unwrap_or(item.placed_at);
                    view! {
                        <tr>
                            <td><a href=format!("/admin/orders/{}", item.order_id)>{format!("Order {}", item.number)}</a></td>
                            <td class="num">{item.score}</td>
                            <td>{reasons(&item)}</td>
                            <td>{outcome}</td>
                            <td>{item.reviewed_by.clone().unwrap_or_else(|| "The rules".to_owned())}</td>
                            <td>{when(at)}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
