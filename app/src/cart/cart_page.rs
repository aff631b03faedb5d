use super::CartCount;
use super::{AddToCart, CartLineView, CartView, UpdateCartLine, get_cart};
use crate::catalog::image_url;
use leptos::prelude::*;
use leptos_meta::Title;
use shop_types::AppError;

/// `/cart`: what the shopper is about to buy, priced now, with quantities to change, lines to
/// remove or save for later. Every control is a plain form, so it works without JavaScript.
#[component]
pub fn CartPage() -> impl IntoView {
    let update = ServerAction::<UpdateCartLine>::new();
    let cart = Resource::new(move || update.version().get(), |_| get_cart());
    let CartCount(count) = expect_context();
    let error = move || {
        update.value().with(|v| {
            v.as_ref()
                .and_then(|r| r.as_ref().err())
                .map(|e| e.to_string())
        })
    };
    view! {
        <Title text="Your cart"/>
        <section class="page cart-page">
            <h1>"Your cart"</h1>
            <p class="form-error" role="alert">{error}</p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match cart.await {
                        Ok(view) => {
                            count.set(view.units);
                            view! { <CartContents cart=view update/> }.into_any()
                        }
                        Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn CartContents(cart: CartView, update: ServerAction<UpdateCartLine>) -> impl IntoView {
    let CartView {
        lines,
        saved,
        subtotal,
        units,
    } = cart;
    if lines.is_empty() && saved.is_empty() {
        return view! {
            <p>"Your cart is empty."</p>
            <p><a href="/">"Continue shopping"</a></p>
        }
        .into_any();
    }
    let summary = subtotal.map(|s| {
        let label = if units == 1 { "1 item".to_owned() } else { format!("{units} items") };
        view! {
            <div class="cart-summary">
                <p><span>"Subtotal (" {label} ")"</span> " " <strong class="cart-subtotal">{s.to_string()}</strong></p>
                <p class="hint">"Shipping and taxes are added at checkout."</p>
                <p><a class="button-link button-primary" href="/checkout">"Go to checkout"</a></p>
            </div>
        }
    });
    let saved_section = (!saved.is_empty()).then(|| {
        view! {
            <h2>"Saved for later"</h2>
            <ul class="cart-lines">
                {saved.into_iter().map(|line| view! { <Line line update/> }).collect_view()}
            </ul>
        }
    });
    view! {
        {lines.is_empty().then(|| view! { <p>"Nothing in your cart right now."</p> })}
        <ul class="cart-lines">
            {lines.into_iter().map(|line| view! { <Line line update/> }).collect_view()}
        </ul>
        {summary}
        {saved_section}
    }
    .into_any()
}

#[component]
fn Line(line: CartLineView, update: ServerAction<UpdateCartLine>) -> impl IntoView {
    let href = format!("/products/{}", line.product_slug);
    let qty_id = format!("qty-{}", line.variant_id);
    let name = if line.variant.is_empty() {
        line.title.clone()
    } else {
        format!("{}, {}", line.title, line.variant)
    };
    let picture = line.image.clone().map(|image| {
        view! { <a href=href.clone() tabindex="-1" aria-hidden="true"><img src=image_url(&image, 320) width="96" height="96" alt="" loading="lazy"/></a> }
    });
    let max = line.available.clamp(1, super::MAX_LINE_UNITS).to_string();
    let saved = line.saved_for_later;
    let qty_form = (!saved).then(|| {
        let label = format!("Quantity of {name}");
        let variant = line.variant_id.clone();
        view! {
            <ActionForm action=update attr:class="inline-form qty-form">
                <input type="hidden" name="variant_id" value=variant/>
                <label for=qty_id.clone()>{label}</label>
                <input id=qty_id type="number" name="quantity" min="0" max=max step="1" inputmode="numeric" value=line.quantity.to_string()/>
                <button type="submit" class="secondary">"Update"</button>
            </ActionForm>
        }
    });
    let save_label = format!(
        "{} {name}",
        if saved {
            "Move to cart:"
        } else {
            "Save for later:"
        }
    );
    let remove_label = format!("Remove {name}");
    let (id_save, id_remove) = (line.variant_id.clone(), line.variant_id.clone());
    view! {
        <li class="cart-line">
            {picture}
            <div class="cart-line-info">
                <a href=href.clone() class="cart-line-title">{line.title.clone()}</a>
                {(!line.variant.is_empty()).then(|| view! { <span class="cart-line-variant">{line.variant.clone()}</span> })}
                <span class="cart-line-price">{line.unit_price.to_string()} " each"</span>
                {line.problem.clone().map(|p| view! { <span class="cart-line-problem">{p}</span> })}
            </div>
            <div class="cart-line-actions">
                {qty_form}
                <strong class="cart-line-total">{if saved { String::new() } else { line.line_total.to_string() }}</strong>
                <ActionForm action=update attr:class="inline-form">
                    <input type="hidden" name="variant_id" value=id_save/>
                    <input type="hidden" name="save" value=if saved { "false" } else { "true" }/>
                    <button type="submit" class="link-button" aria-label=save_label>
                        {if saved { "Move to cart" } else { "Save for later" }}
                    </button>
                </ActionForm>
                <ActionForm action=update attr:class="inline-form">
                    <input type="hidden" name="variant_id" value=id_remove/>
                    <input type="hidden" name="quantity" value="0"/>
                    <button type="submit" class="link-button" aria-label=remove_label>"Remove"</button>
                </ActionForm>
            </div>
        </li>
    }
}

/// The "Add to cart" form of a product page: the chosen variant and a quantity. With
/// JavaScript the header's count updates in place; without, the shopper lands on the cart.
#[component]
pub fn AddToCartForm(
    #[prop(into)] variant_id: Signal<Option<String>>,
    #[prop(into)] sold_out: Signal<bool>,
    /// The unit price shown: sent along so a change kept offline can tell if it changed.
    #[prop(into, optional)]
    price: Signal<Option<shop_types::Money>>,
) -> impl IntoView {
    let add = ServerAction::<AddToCart>::new();
    let CartCount(count) = expect_context();
    Effect::new(move |_| {
        if let Some(Ok(units)) = add.value().get() {
            count.set(units);
        }
    });
    let message = move || match add.value().get() {
        Some(Ok(_)) => Some(("form-success", "Added to your cart.".to_owned())),
        // The service worker kept it on the device: not an error for the shopper.
        Some(Err(e @ AppError::SavedOffline)) => Some(("form-success", e.to_string())),
        Some(Err(e)) => Some(("form-error", e.to_string())),
        None => None,
    };
    view! {
        <ActionForm action=add attr:class="add-to-cart">
            <input type="hidden" name="variant_id" value=move || variant_id.get().unwrap_or_default()/>
            <input type="hidden" name="seen_price" value=move || price.get().map(|p| format!("{} {}", p.minor, p.currency)).unwrap_or_default()/>
            <div class="field qty-field">
                <label for="add-quantity">"Quantity"</label>
                <input id="add-quantity" type="number" name="quantity" min="1" max="99" step="1" inputmode="numeric" value="1"/>
            </div>
            <button type="submit" disabled=move || sold_out.get()>
                {move || if sold_out.get() { "Sold out" } else { "Add to cart" }}
            </button>
            <p role="status" class=move || message().map(|m| m.0).unwrap_or("form-success")>
                {move || message().map(|m| m.1)}
                {move || matches!(add.value().get(), Some(Ok(_))).then(|| view! { " " <a href="/cart">"View cart"</a> })}
            </p>
        </ActionForm>
    }
}
