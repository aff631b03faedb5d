use super::SaveCategory;
use super::list_admin_categories::{AdminCategory, list_admin_categories};
use crate::ui::admin_error;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/admin/categories`: the category tree; add a category, rename or move one.
#[component]
pub fn CategoriesPage() -> impl IntoView {
    let save = ServerAction::<SaveCategory>::new();
    let list = Resource::new(move || save.version().get(), |_| list_admin_categories());
    let error = move || {
        save.value().with(|v| match v {
            Some(Err(e)) => Some(e.to_string()),
            _ => None,
        })
    };
    view! {
        <Title text="Categories"/>
        <section class="page">
            <h1>"Categories"</h1>
            <p class="form-error" role="alert">{error}</p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(all) => view! { <Categories all save/> }.into_any(),
                        Err(e) => admin_error(e),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Categories(all: Vec<AdminCategory>, save: ServerAction<SaveCategory>) -> impl IntoView {
    let choices: Vec<(String, String)> = all
        .iter()
        .map(|c| (c.choice.id.clone(), c.choice.path.clone()))
        .collect();
    let rows = all
        .into_iter()
        .map(|c| {
            let f = format!("cat-{}", c.choice.id);
            let options = parents(&choices, &c.parent_id, &c.choice.id);
            view! {
                <li>
                    <ActionForm action=save attr:class="inline-form category-form">
                        <input type="hidden" name="id" value=c.choice.id.clone()/>
                        <span class="category-path">{c.choice.path.clone()} " (" {c.products} " products)"</span>
                        <label for=format!("{f}-name")>"Name"</label>
                        <input id=format!("{f}-name") name="name" type="text" maxlength="80" required=true value=c.name.clone()/>
                        <label for=format!("{f}-slug")>"Web address"</label>
                        <input id=format!("{f}-slug") name="slug" type="text" maxlength="80" value=c.slug.clone()/>
                        <label for=format!("{f}-parent")>"Inside"</label>
                        <select id=format!("{f}-parent") name="parent_id">{options}</select>
                        <button type="submit" class="secondary small">"Save"</button>
                    </ActionForm>
                </li>
            }
        })
        .collect_view();
    let top = parents(&choices, "", "");
    view! {
        <ul class="category-list">{rows}</ul>
        <h2>"Add a category"</h2>
        <ActionForm action=save attr:class="stack-form">
            <div class="field">
                <label for="new-cat-name">"Name"</label>
                <input id="new-cat-name" name="name" type="text" maxlength="80" required=true/>
            </div>
            <div class="field">
                <label for="new-cat-parent">"Inside"</label>
                <select id="new-cat-parent" name="parent_id">{top}</select>
            </div>
            <button type="submit" class="primary">"Add category"</button>
        </ActionForm>
    }
}

/// The options of an "Inside" list: every category but `own`, `current` chosen.
fn parents(choices: &[(String, String)], current: &str, own: &str) -> impl IntoView + use<> {
    let options = choices
        .iter()
        .filter(|(id, _)| id != own)
        .map(|(id, path)| {
            let selected = id == current;
            view! { <option value=id.clone() selected=selected>{path.clone()}</option> }
        })
        .collect_view();
    view! { <option value="">"None (top level)"</option> {options} }
}
