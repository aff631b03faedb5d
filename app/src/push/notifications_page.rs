use leptos::prelude::*;
use leptos_meta::Title;
use shop_types::offline::PushTopic;

/// `/account/notifications`: turn push notifications on or off for this device, per topic.
/// Push needs JavaScript and a browser that supports it; the page says so otherwise.
#[component]
pub fn NotificationsPage() -> impl IntoView {
    // Which topics are ticked (all but promotions by default).
    let chosen = RwSignal::new(vec![
        PushTopic::OrderStatus,
        PushTopic::BackInStock,
        PushTopic::PriceDrop,
    ]);
    let supported = RwSignal::new(false);
    let subscribed = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let message = RwSignal::new(None::<(bool, String)>);

    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        {
            use crate::pwa::client;
            supported.set(client::push_supported());
            leptos::task::spawn_local(async move {
                let current = client::current_subscription().await;
                let endpoint = current.map(|s| s.endpoint).unwrap_or_default();
                if let Ok(status) = super::get_push_status(endpoint).await
                    && let Some(topics) = status.topics
                {
                    subscribed.set(true);
                    chosen.set(topics);
                }
            });
        }
    });

    let toggle = move |topic: PushTopic, on: bool| {
        chosen.update(|list| {
            list.retain(|t| *t != topic);
            if on {
                list.push(topic);
            }
        });
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        message.set(None);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            use crate::pwa::client;
            let topics = chosen.get_untracked();
            let outcome: Result<String, String> = async {
                if topics.is_empty() {
                    if let Some(current) = client::current_subscription().await {
                        super::unsubscribe_push(current.endpoint)
                            .await
                            .map_err(|e| e.to_string())?;
                    }
                    client::unsubscribe().await;
                    subscribed.set(false);
                    return Ok("Notifications are off on this device.".to_owned());
                }
                let status = super::get_push_status(String::new())
                    .await
                    .map_err(|e| e.to_string())?;
                let device = match client::current_subscription().await {
                    Some(device) => device,
                    None => client::subscribe(&status.public_key).await?,
                };
                super::subscribe_push(device.endpoint, device.p256dh, device.auth, topics)
                    .await
                    .map_err(|e| e.to_string())?;
                subscribed.set(true);
                Ok("Saved: this device will get the notifications you chose.".to_owned())
            }
            .await;
            message.set(Some(match outcome {
                Ok(text) => (true, text),
                Err(text) => (false, text),
            }));
            busy.set(false);
        });
    };
    let turn_off = move |_| {
        chosen.set(Vec::new());
    };

    view! {
        <Title text="Notifications"/>
        <section class="page narrow">
            <p><a href="/account">"← Your account"</a></p>
            <h1>"Notifications"</h1>
            <Show
                when=move || supported.get()
                fallback=|| view! {
                    <p>"Notifications on this device need JavaScript and a browser that supports web push (Chrome, Edge, Firefox, or Safari on an installed app)."</p>
                }
            >
                <form class="stack" on:submit=save>
                    <fieldset>
                        <legend>"Tell me on this device when…"</legend>
                        {PushTopic::ALL.into_iter().map(|topic| {
                            let id = format!("topic-{}", topic.as_str());
                            view! {
                                <div class="check">
                                    <input
                                        type="checkbox"
                                        id=id.clone()
                                        name=topic.as_str()
                                        prop:checked=move || chosen.get().contains(&topic)
                                        on:change=move |ev| toggle(topic, event_target_checked(&ev))
                                    />
                                    <label for=id>{topic.label()}</label>
                                </div>
                            }
                        }).collect_view()}
                    </fieldset>
                    <p>
                        <button type="submit" disabled=move || busy.get()>
                            {move || if subscribed.get() { "Save choices" } else { "Turn on notifications" }}
                        </button>
                        " "
                        <Show when=move || subscribed.get()>
                            <button type="submit" class="secondary" on:click=turn_off>"Turn all off"</button>
                        </Show>
                    </p>
                    <p role="status" class=move || match message.get() {
                        Some((false, _)) => "form-error",
                        _ => "form-success",
                    }>{move || message.get().map(|m| m.1)}</p>
                </form>
            </Show>
        </section>
    }
}

/// `/admin/settings/notifications`: send a promotion to everyone who opted in to offers.
#[component]
pub fn PromotionPushPage() -> impl IntoView {
    let send = ServerAction::<super::SendPromotion>::new();
    let query = leptos_router::hooks::use_query_map();
    let sent = move || {
        send.value()
            .get()
            .and_then(|r| r.ok())
            .or_else(|| query.with(|q| q.get("sent").and_then(|s| s.parse().ok())))
    };
    let error = move || {
        send.value()
            .get()
            .and_then(|r| r.err())
            .map(|e| e.to_string())
    };
    view! {
        <Title text="Push notifications"/>
        <section class="page">
        <h1>"Push notifications"</h1>
        <crate::ui::SettingsNav/>
        <p>"Shoppers choose on their account's Notifications page which messages they get. Order updates, restocks of favourites and price drops of favourites are sent by themselves; promotions are sent from here to everyone who opted in to offers."</p>
        <ActionForm action=send attr:class="stack narrow">
            <div class="field">
                <label for="promo-title">"Title"</label>
                <input id="promo-title" name="title" required maxlength="60"/>
            </div>
            <div class="field">
                <label for="promo-body">"Message"</label>
                <textarea id="promo-body" name="body" required maxlength="200" rows="3"></textarea>
            </div>
            <div class="field">
                <label for="promo-url">"Page to open"</label>
                <input id="promo-url" name="url" value="/" required/>
            </div>
            <button type="submit">"Send to subscribers"</button>
            <p role="status" class=move || if error().is_some() { "form-error" } else { "form-success" }>
                {move || error().or_else(|| sent().map(|n: usize| format!("Queued for {n} devices.")))}
            </p>
        </ActionForm>
        </section>
    }
}
