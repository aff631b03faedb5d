use super::address_fields::AddressFields;
use super::{DeleteAddress, SaveAddress, SavedAddress, list_addresses};
use crate::ui::{FormError, error_for};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;
use shop_types::address::country_name;
use shop_types::{AddressInput, AppError};

/// `/account/addresses`: the address book. `?edit=ID` fills the form with that address.
#[component]
pub fn AddressesPage() -> impl IntoView {
    // The actions live here so the list reloads after each save or delete made in place.
    let save = ServerAction::<SaveAddress>::new();
    let delete = ServerAction::<DeleteAddress>::new();
    let addresses = Resource::new(
        move || (save.version().get(), delete.version().get()),
        |_| list_addresses(),
    );
    view! {
        <Title text="Your addresses"/>
        <section class="page narrow">
            <p><a href="/account">"← Your account"</a></p>
            <h1>"Your addresses"</h1>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match addresses.await {
                        Ok(list) => view! { <AddressBook list save delete/> }.into_any(),
                        Err(AppError::Unauthorized) => view! { <Redirect path="/account/sign-in"/> }.into_any(),
                        Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn AddressBook(
    list: Vec<SavedAddress>,
    save: ServerAction<SaveAddress>,
    delete: ServerAction<DeleteAddress>,
) -> impl IntoView {
    let query = use_query_map();
    let done = move || {
        query.with(|q| match q.get("done").as_deref() {
            Some("saved") => Some("The address was saved."),
            Some("deleted") => Some("The address was deleted."),
            _ => None,
        })
    };
    // Follows the URL, so "Edit" links work as client-side navigations too.
    let all = list.clone();
    let form = move || {
        let editing_id = query.with(|q| q.get("edit")).unwrap_or_default();
        let editing = all.iter().find(|a| a.id == editing_id).cloned();
        view! { <AddressForm editing save/> }
    };
    let delete_error = Signal::derive(move || delete.value().with(|v| error_for(v, "")));
    let items = list
        .into_iter()
        .map(|saved| {
            let a = saved.address;
            let country = country_name(&a.country).unwrap_or_default();
            let lines: Vec<String> = [
                a.full_name.clone(),
                a.company.clone(),
                a.line1.clone(),
                a.line2.clone(),
                format!("{} {}", a.postal_code, a.city),
                a.region.clone(),
                country.to_owned(),
                a.phone.clone(),
            ]
            .into_iter()
            .filter(|l| !l.trim().is_empty())
            .collect();
            let edit_href = format!("/account/addresses?edit={}", saved.id);
            let label = format!("Delete the address of {}", a.full_name);
            view! {
                <li class="address-card">
                    <address>{lines.into_iter().map(|l| view! { <span>{l}</span><br/> }).collect_view()}</address>
                    {saved.is_default.then(|| view! { <p><strong>"Default address"</strong></p> })}
                    <div class="button-row">
                        <a href=edit_href class="button-link">"Edit"</a>
                        <ActionForm action=delete attr:class="inline-form">
                            <input type="hidden" name="id" value=saved.id/>
                            <button type="submit" class="secondary" aria-label=label>"Delete"</button>
                        </ActionForm>
                    </div>
                </li>
            }
        })
        .collect_view();
    view! {
        <p class="form-success" role="status">{done}</p>
        <FormError error=delete_error/>
        <ul class="addresses">{items}</ul>
        {form}
    }
}

#[component]
fn AddressForm(editing: Option<SavedAddress>, save: ServerAction<SaveAddress>) -> impl IntoView {
    let value = save.value();
    let err =
        move |field: &'static str| Signal::derive(move || value.with(|v| error_for(v, field)));
    let heading = if editing.is_some() {
        "Edit address"
    } else {
        "Add an address"
    };
    let id = editing.as_ref().map(|e| e.id.clone()).unwrap_or_default();
    let a = editing.map(|e| e.address).unwrap_or_else(|| AddressInput {
        country: "DE".into(),
        ..Default::default()
    });
    view! {
        <h2>{heading}</h2>
        <ActionForm action=save attr:class="stack-form">
            <FormError error=err("")/>
            <input type="hidden" name="id" value=id/>
            <AddressFields id_prefix="address" address=a
                error=Callback::new(move |field: &'static str| err(field).get())/>
            <div class="checkbox">
                <input id="address-default" type="checkbox" name="make_default" value="on"/>
                <label for="address-default">"Use as my default address"</label>
            </div>
            <button type="submit" disabled=move || save.pending().get()>"Save address"</button>
        </ActionForm>
    }
}
