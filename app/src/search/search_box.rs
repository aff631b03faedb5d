use super::suggest;
use crate::search::views::{Suggestions, TextRun};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// Longest search text the box takes (the server cuts longer text too).
pub const MAX_QUERY_LEN: usize = 100;

/// One entry of the suggestion list.
#[derive(Clone, Debug, PartialEq)]
struct Entry {
    href: String,
    kind: &'static str,
    runs: Vec<TextRun>,
    extra: Option<String>,
}

/// What the server suggests for `text`, as entries (`None` if it could not be asked).
async fn find_suggestions(text: String) -> Option<Vec<Entry>> {
    #[cfg(target_arch = "wasm32")]
    {
        // A chunk that cannot be downloaded only costs the suggestions (the next keystroke
        // tries again): it must not stop the page, as a page's own chunk would.
        suggestions_request(text).await.ok()?.await
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        ask_for_suggestions(text).await
    }
}

async fn ask_for_suggestions(text: String) -> Option<Vec<Entry>> {
    suggest(text).await.ok().map(|s| entries(&s))
}

#[cfg(target_arch = "wasm32")]
type SuggestionsFuture = std::pin::Pin<Box<dyn std::future::Future<Output = Option<Vec<Entry>>>>>;

/// The request for suggestions, the reading of its answer and the making of entries travel in
/// a WebAssembly chunk of their own, fetched when the box is first focused (`preload_suggestions`
/// in `SearchBox`): a first visit that never types a search does not download them. Split with
/// wasm-split's `fallible` option (Leptos's `#[lazy]` panics when a chunk cannot be fetched).
#[cfg(target_arch = "wasm32")]
#[leptos::wasm_split::wasm_split(
    search_suggestions,
    wasm_split_path = ::leptos::wasm_split,
    preload(preload_suggestions),
    fallible
)]
fn suggestions_request(
    text: String,
) -> Result<SuggestionsFuture, leptos::wasm_split::SplitLoaderError> {
    Ok(Box::pin(ask_for_suggestions(text)))
}

fn entries(s: &Suggestions) -> Vec<Entry> {
    let categories = s.categories.iter().map(|c| Entry {
        href: format!("/categories/{}", c.slug),
        kind: "Category",
        runs: vec![TextRun {
            text: c.name.clone(),
            hit: false,
        }],
        extra: None,
    });
    let products = s.products.iter().map(|p| Entry {
        href: format!("/products/{}", p.slug),
        kind: "Product",
        runs: p.title.clone(),
        extra: Some(p.price.to_string()),
    });
    categories.chain(products).collect()
}

/// The search box: a plain GET form to `/search` (so it works without JavaScript), which with
/// JavaScript becomes an ARIA 1.2 combobox suggesting categories and products as the shopper
/// types. Arrow keys move through the suggestions, Enter opens the one chosen (or searches),
/// Escape closes the list. `id` keeps ids unique when a page shows more than one box.
#[component]
pub fn SearchBox(#[prop(into)] id: String, #[prop(optional, into)] value: String) -> impl IntoView {
    let input_id = format!("{id}-input");
    let list_id = format!("{id}-list");
    let list = RwSignal::new(Vec::<Entry>::new());
    let open = RwSignal::new(false);
    let active = RwSignal::new(None::<usize>);
    // Answers can arrive out of order; only the latest request's answer is shown. Closing the
    // list (Escape, leaving the box, choosing) also takes a new ticket, so an answer still on
    // its way cannot reopen a list the shopper has just closed.
    let latest = StoredValue::new(0u64);
    let forget_pending = move || latest.update_value(|t| *t += 1);
    let navigate = use_navigate();
    // The combobox roles are set once the app runs in the browser: without JavaScript the box
    // is a plain search field, and must not promise suggestions it cannot show.
    let enhanced = RwSignal::new(false);
    let input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| enhanced.set(true));

    let on_input = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        let ticket = latest.get_value() + 1;
        latest.set_value(ticket);
        if text.trim().chars().count() < 2 {
            list.set(Vec::new());
            open.set(false);
            active.set(None);
            return;
        }
        leptos::task::spawn_local(async move {
            if let Some(found) = find_suggestions(text).await
                && latest.get_value() == ticket
            {
                open.set(!found.is_empty());
                list.set(found);
                active.set(None);
            }
        });
    };
    let go = {
        let navigate = navigate.clone();
        move |href: String| {
            forget_pending();
            open.set(false);
            active.set(None);
            list.set(Vec::new());
            // The header stays on screen: leave its box empty for the next search.
            if let Some(el) = input.get_untracked() {
                el.set_value("");
            }
            navigate(&href, Default::default());
        }
    };
    let on_keydown = {
        let go = go.clone();
        move |ev: leptos::ev::KeyboardEvent| {
            let n = list.with(Vec::len);
            match ev.key().as_str() {
                "ArrowDown" if n > 0 => {
                    ev.prevent_default();
                    open.set(true);
                    active.update(|a| *a = Some(a.map_or(0, |i| (i + 1) % n)));
                }
                "ArrowUp" if n > 0 => {
                    ev.prevent_default();
                    open.set(true);
                    active.update(|a| *a = Some(a.map_or(n - 1, |i| (i + n - 1) % n)));
                }
                "Enter" => {
                    if let (true, Some(i)) = (open.get_untracked(), active.get_untracked())
                        && let Some(entry) = list.with_untracked(|l| l.get(i).cloned())
                    {
                        ev.prevent_default();
                        go(entry.href);
                    }
                }
                "Escape" => {
                    forget_pending();
                    if open.get_untracked() {
                        ev.prevent_default();
                        open.set(false);
                        active.set(None);
                    }
                }
                _ => {}
            }
        }
    };
    let option_id = {
        let list_id = list_id.clone();
        move |i: usize| format!("{list_id}-{i}")
    };
    let active_descendant = {
        let option_id = option_id.clone();
        move || active.get().filter(|_| open.get()).map(&option_id)
    };
    let controls = {
        let list_id = list_id.clone();
        move || open.get().then(|| list_id.clone())
    };
    let announcement = move || {
        let n = list.with(Vec::len);
        match (open.get(), n) {
            (false, _) | (_, 0) => String::new(),
            (_, 1) => "1 suggestion. Use the arrow keys to choose.".to_owned(),
            (_, n) => format!("{n} suggestions. Use the arrow keys to choose."),
        }
    };
    let options = move || {
        let go = go.clone();
        list.get()
            .into_iter()
            .enumerate()
            .map(|(i, entry)| {
                let go = go.clone();
                let href = entry.href.clone();
                let selected = move || active.get() == Some(i);
                view! {
                    <li
                        role="option"
                        id=option_id(i)
                        class="suggestion"
                        class:active=selected
                        aria-selected=move || if selected() { "true" } else { "false" }
                        on:mousedown=move |ev| {
                            ev.prevent_default();
                            go(href.clone());
                        }
                    >
                        <span class="suggestion-kind">{entry.kind}</span>
                        <span class="suggestion-text">
                            {entry
                                .runs
                                .into_iter()
                                .map(|r| if r.hit {
                                    view! { <mark>{r.text}</mark> }.into_any()
                                } else {
                                    r.text.into_any()
                                })
                                .collect_view()}
                        </span>
                        {entry.extra.map(|e| view! { <span class="suggestion-price">{e}</span> })}
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <form class="search-form" role="search" action="/search" method="get" id=id>
            <label for=input_id.clone() class="visually-hidden">"Search products"</label>
            <div class="combobox">
                <input
                    node_ref=input
                    id=input_id
                    type="search"
                    name="q"
                    value=value
                    placeholder="Search products"
                    maxlength=MAX_QUERY_LEN.to_string()
                    autocomplete="off"
                    role=move || enhanced.get().then_some("combobox")
                    aria-autocomplete=move || enhanced.get().then_some("list")
                    aria-expanded=move || enhanced.get().then(|| if open.get() { "true" } else { "false" })
                    aria-controls=controls
                    aria-activedescendant=active_descendant
                    on:input=on_input
                    // The suggestions' code starts on its way as soon as the shopper may type.
                    on:focus=move |_| {
                        #[cfg(target_arch = "wasm32")]
                        leptos::task::spawn_local(async {
                            let _ = preload_suggestions().await;
                        });
                    }
                    on:keydown=on_keydown
                    on:blur=move |_| {
                        forget_pending();
                        open.set(false);
                    }
                />
                <Show when=move || open.get()>
                    <ul id=list_id.clone() role="listbox" class="suggestions" aria-label="Suggestions">
                        {options.clone()}
                    </ul>
                </Show>
            </div>
            <button type="submit">"Search"</button>
            <div class="visually-hidden" role="status" aria-live="polite">{announcement}</div>
        </form>
    }
}
