use super::manage_collections::{ChangeCollection, CreateCollection, list_collections};
use crate::ui::admin_error;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/admin/collections`: curated collections, their products, and which are on the home page.
#[component]
pub fn CollectionsPage() -> impl IntoView {
    let create = ServerAction::<CreateCollection>::new();
    let change = ServerAction::<ChangeCollection>::new();
    let list = Resource::new(
        move || (create.version().get(), change.version().get()),
        |_| list_collections(),
    );
    let error = move || {
        create
            .value()
            .with(|v| match v {
                Some(Err(e)) => Some(e.to_string()),
                _ => None,
            })
            .or_else(|| {
                change.value().with(|v| match v {
                    Some(Err(e)) => Some(e.to_string()),
                    _ => None,
                })
            })
    };
    view! {
        <Title text="Collections"/>
        <section class="page">
            <h1>"Collections"</h1>
            <p class="form-error" role="alert">{error}</p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(all) => all.into_iter().map(|c| {
                            let (feature_action, feature_label) = if c.featured { ("unfeature", "Take off the home page") } else { ("feature", "Show on the home page") };
                            let add_id = format!("add-{}", c.id);
                            let (id1, id2) = (c.id.clone(), c.id.clone());
                            view! {
                                <section class="zone">
                                    <h2><a href=format!("/collections/{}", c.slug)>{c.title.clone()}</a> {c.featured.then_some(" (on the home page)")}</h2>
                                    <ul>
                                        {c.products.into_iter().map(|(title, slug)| {
                                            let id = c.id.clone();
                                            view! {
                                                <li>{title.clone()} " "
                                                    <ActionForm action=change attr:class="inline-form">
                                                        <input type="hidden" name="id" value=id/>
                                                        <input type="hidden" name="action" value="remove"/>
                                                        <input type="hidden" name="product" value=slug/>
                                                        <button type="submit" class="secondary small" aria-label=format!("Remove {title} from the collection")>"Remove"</button>
                                                    </ActionForm>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                    <ActionForm action=change attr:class="inline-form category-form">
                                        <input type="hidden" name="id" value=id1/>
                                        <input type="hidden" name="action" value="add"/>
                                        <label for=add_id.clone()>"Add a product (handle or SKU)"</label>
                                        <input id=add_id name="product" type="text" maxlength="120" required=true/>
                                        <button type="submit" class="secondary small">"Add"</button>
                                    </ActionForm>
                                    <ActionForm action=change attr:class="inline-form">
                                        <input type="hidden" name="id" value=id2/>
                                        <input type="hidden" name="action" value=feature_action/>
                                        <button type="submit" class="secondary small">{feature_label}</button>
                                    </ActionForm>
                                </section>
                            }
                        }).collect_view().into_any(),
                        Err(e) => admin_error(e),
                    }
                })}
            </Suspense>
            <h2>"Create a collection"</h2>
            <ActionForm action=create attr:class="stack-form">
                <div class="field"><label for="col-title">"Title"</label><input id="col-title" name="title" type="text" maxlength="120" required=true/></div>
                <div class="field"><label for="col-description">"Description"</label><textarea id="col-description" name="description" rows="3" maxlength="2000"></textarea></div>
                <div class="field checkbox"><input id="col-featured" name="featured" type="checkbox"/><label for="col-featured">"Show on the home page"</label></div>
                <button type="submit" class="primary">"Create collection"</button>
            </ActionForm>
        </section>
    }
}
