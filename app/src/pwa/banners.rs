//! What the shopper sees of the installable shop: the offline banner, the sync report
//! (changes waiting, conflicts), "a new version is available", the install offer, and the
//! "save for offline" button. All render nothing on the server and until the browser says
//! otherwise, so hydration always matches.

use leptos::prelude::*;
use shop_types::catalog::ProductSummary;
use shop_types::offline::ChangeReport;
#[cfg(feature = "hydrate")]
use shop_types::offline::{WorkerCommand, WorkerReport};

#[cfg(feature = "hydrate")]
use super::client;

/// Page views after which the install offer is shown (a shopper who came back or browsed).
pub const INSTALL_AFTER_PAGES: u32 = 3;
/// Days a dismissed install offer stays away.
pub const INSTALL_DISMISS_DAYS: f64 = 30.0;

/// Whether to show the install offer, given the pages seen and the time of an earlier
/// dismissal (pure, so it is tested without a browser).
pub fn offer_install(pages_seen: u32, dismissed_at_ms: Option<f64>, now_ms: f64) -> bool {
    let dismissed_recently =
        dismissed_at_ms.is_some_and(|at| now_ms - at < INSTALL_DISMISS_DAYS * 86_400_000.0);
    pages_seen >= INSTALL_AFTER_PAGES && !dismissed_recently
}

/// Tells the service worker about products shown on this page (for offline search).
pub fn remember_products(products: Vec<ProductSummary>) {
    #[cfg(feature = "hydrate")]
    if !products.is_empty() {
        client::send(&WorkerCommand::Remember { products });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = products;
}

/// Asks the service worker to keep these pages for offline reading.
pub fn save_for_offline(urls: Vec<String>) {
    #[cfg(feature = "hydrate")]
    if !urls.is_empty() {
        client::send(&WorkerCommand::SaveForOffline { urls });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = urls;
}

/// The notices every page carries (placed once, in the shell).
#[component]
pub fn PwaNotices() -> impl IntoView {
    let offline = RwSignal::new(false);
    let pending = RwSignal::new(0u32);
    let conflicts = RwSignal::new(Vec::<ChangeReport>::new());
    let update_ready = RwSignal::new(false);
    let install = RwSignal::new(InstallOffer::None);

    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        {
            offline.set(!client::is_online());
            client::load_catalog_links_whole_when_offline();
            client::on_connectivity(move |online| {
                offline.set(!online);
                if online {
                    client::send(&WorkerCommand::Replay);
                }
            });
            client::on_report(move |report| {
                if let WorkerReport::Status {
                    pending: waiting,
                    conflicts: found,
                } = report
                {
                    pending.set(waiting);
                    conflicts.set(found);
                }
            });
            // On every start: send what waits (browsers without Background Sync rely on this).
            client::send(&WorkerCommand::Replay);
            client::send(&WorkerCommand::Status);
            client::on_update_ready(move || update_ready.set(true));

            // The install offer: after a few pages, unless dismissed lately or installed.
            let seen = client::local("shop_pages_seen")
                .and_then(|v| v.parse::<u32>().ok())
                .unwrap_or(0)
                + 1;
            client::set_local("shop_pages_seen", &seen.to_string());
            let dismissed =
                client::local("shop_install_dismissed").and_then(|v| v.parse::<f64>().ok());
            let wanted =
                offer_install(seen, dismissed, client::now_ms()) && !client::running_installed();
            if wanted {
                if client::install_offer_available() {
                    install.set(InstallOffer::Prompt);
                } else if client::is_ios_safari() {
                    install.set(InstallOffer::IosInstructions);
                }
                client::on_install_offer(move || install.set(InstallOffer::Prompt));
            }
        }
    });

    let dismiss_install = move |_| {
        install.set(InstallOffer::None);
        #[cfg(feature = "hydrate")]
        client::set_local("shop_install_dismissed", &client::now_ms().to_string());
    };
    let accept_install = move |_| {
        install.set(InstallOffer::None);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            if !client::show_install_dialog().await {
                client::set_local("shop_install_dismissed", &client::now_ms().to_string());
            }
        });
    };
    let reload = move |_| {
        #[cfg(feature = "hydrate")]
        client::activate_update();
    };
    let dismiss_conflicts = move |_| {
        conflicts.set(Vec::new());
        #[cfg(feature = "hydrate")]
        client::send(&WorkerCommand::DismissConflicts);
    };

    view! {
        <div class="pwa-notices">
            <Show when=move || offline.get()>
                <p class="notice offline-notice" role="status">
                    <strong>"You are offline."</strong>
                    " Pages you have opened, your favourites and saved categories still work, and search covers the products seen on this device. Items you add to your cart are kept and sent when you are back online."
                </p>
            </Show>
            <Show when=move || { pending.get() > 0 }>
                <p class="notice" role="status">
                    {move || match pending.get() {
                        1 => "1 change is waiting to be sent.".to_owned(),
                        n => format!("{n} changes are waiting to be sent."),
                    }}
                </p>
            </Show>
            <Show when=move || !conflicts.get().is_empty()>
                <div class="notice conflict-notice" role="alert">
                    <p><strong>"Some changes made offline need your attention:"</strong></p>
                    <ul>
                        <For each=move || conflicts.get() key=|c| c.id.clone() let:c>
                            <li>{c.message()}</li>
                        </For>
                    </ul>
                    <p>
                        <a href="/cart">"Review your cart"</a>
                        " "
                        <button type="button" class="secondary" on:click=dismiss_conflicts>"Got it"</button>
                    </p>
                </div>
            </Show>
            <Show when=move || update_ready.get()>
                <p class="notice update-notice" role="status">
                    "A new version is available. "
                    <button type="button" on:click=reload>"Reload"</button>
                </p>
            </Show>
            <Show when=move || install.get() != InstallOffer::None>
                <div class="notice install-notice" role="region" aria-label="Install the shop">
                    {move || match install.get() {
                        InstallOffer::IosInstructions => view! {
                            <p>
                                "Install this shop on your iPhone or iPad: tap the Share button, then "
                                <strong>"Add to Home Screen"</strong>"."
                            </p>
                        }.into_any(),
                        _ => view! {
                            <p>"Install the shop for quick access and offline browsing."</p>
                            <button type="button" on:click=accept_install>"Install"</button>
                        }.into_any(),
                    }}
                    <button type="button" class="secondary" on:click=dismiss_install>"Not now"</button>
                </div>
            </Show>
        </div>
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum InstallOffer {
    None,
    Prompt,
    IosInstructions,
}

/// "Save for offline" on a listing page: keeps this page, its products and pictures on the
/// device. Shown only once a service worker controls the page.
#[component]
pub fn SaveForOfflineButton() -> impl IntoView {
    let available = RwSignal::new(false);
    let state = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        {
            available.set(client::controlled());
            client::on_report(move |report| {
                if let WorkerReport::Saved { asked, saved } = report {
                    state.set(Some(if saved == asked {
                        format!("Saved for offline: {saved} pages and pictures.")
                    } else {
                        format!("Saved {saved} of {asked} pages and pictures; try again online for the rest.")
                    }));
                }
            });
        }
    });
    let save = move |_| {
        state.set(Some("Saving…".into()));
        #[cfg(feature = "hydrate")]
        {
            let mut urls = vec![client::current_url()];
            urls.extend(client::page_links_and_pictures());
            save_for_offline(urls);
        }
    };
    view! {
        <Show when=move || available.get()>
            <p class="save-offline">
                <button type="button" class="secondary" on:click=save>"Save for offline"</button>
                <span role="status">{move || state.get()}</span>
            </p>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_install_offer_waits_and_respects_a_dismissal() {
        let day = 86_400_000.0;
        assert!(!offer_install(1, None, 0.0));
        assert!(offer_install(3, None, 0.0));
        assert!(!offer_install(5, Some(100.0 * day), 110.0 * day));
        assert!(offer_install(5, Some(100.0 * day), 131.0 * day));
    }
}
