use super::{AddSynonyms, RemoveSynonyms, list_synonyms};
use crate::ui::{Field, error_for};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use shop_types::AppError;

/// `/admin/search`: the merchant's synonym groups (words shoppers use for one another).
#[component]
pub fn SynonymsPage() -> impl IntoView {
    let add = ServerAction::<AddSynonyms>::new();
    let remove = ServerAction::<RemoveSynonyms>::new();
    let groups = Resource::new(
        move || (add.version().get(), remove.version().get()),
        |_| list_synonyms(),
    );
    view! {
        <Title text="Search synonyms"/>
        <section class="page narrow">
            <h1>"Search synonyms"</h1>
            <p>"Words in one group find each other: a search for any of them finds products named with the others. Changes apply within a second, without re-indexing."</p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match groups.await {
                        Ok(list) if list.is_empty() => view! { <p>"No synonym groups yet."</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="synonyms">
                                {list.into_iter().map(|g| view! {
                                    <li>
                                        <span>{g.terms.clone()}</span>
                                        <ActionForm action=remove attr:class="inline-form">
                                            <input type="hidden" name="id" value=g.id/>
                                            <button type="submit" class="secondary" aria-label=format!("Remove {}", g.terms)>"Remove"</button>
                                        </ActionForm>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(AppError::Unauthorized) => view! { <Redirect path="/account/sign-in"/> }.into_any(),
                        Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
            <AddGroup add/>
        </section>
    }
}

/// The form that adds a synonym group.
#[component]
fn AddGroup(add: ServerAction<AddSynonyms>) -> impl IntoView {
    view! {
            <h2>"Add a group"</h2>
            <ActionForm action=add attr:class="stack-form">
                <Field
                    id="synonym-terms"
                    name="terms"
                    label="Words or phrases, separated by commas"
                    hint="For example: sneakers, trainers, kicks"
                    required=true
                    maxlength="900"
                    error=Signal::derive(move || add.value().with(|v| error_for(v, "terms")))
                />
                <button type="submit">"Add group"</button>
            </ActionForm>
    }
    .into_any()
}
