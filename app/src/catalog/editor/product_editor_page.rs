use super::editor_views::{ImageEdit, ProductEditor, STATUSES, VariantEdit, VariantInput};
use super::{ChangeProductImage, SaveProduct, get_product_editor};
use crate::catalog::image_url;
use crate::ui::admin_error;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Blank variant rows offered under the existing ones.
const NEW_ROWS: usize = 2;

/// `/admin/products/new` and `/admin/products/<id>`: the product editor.
#[component]
pub fn ProductEditorPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id")).filter(|i| i != "new"));
    let save = ServerAction::<SaveProduct>::new();
    let image = ServerAction::<ChangeProductImage>::new();
    let data = Resource::new(
        move || (id.get(), save.version().get(), image.version().get()),
        |(id, _, _)| get_product_editor(id),
    );
    let saved = move || {
        query.with(|q| q.get("saved")).map(|s| match s.as_str() {
            "image" => "Picture added.",
            _ => "Saved.",
        })
    };
    view! {
        <Title text="Product"/>
        <section class="page product-editor">
            <p><a href="/admin/products">"All products"</a></p>
            <p role="status" class="form-success">{saved}</p>
            <p role="alert" class="form-error">{move || query.with(|q| q.get("image_error"))}</p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(editor) => view! { <Editor editor save image/> }.into_any(),
                        Err(e) => view! { <h1>"Product"</h1> {admin_error(e)} }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Editor(
    editor: ProductEditor,
    save: ServerAction<SaveProduct>,
    image: ServerAction<ChangeProductImage>,
) -> impl IntoView {
    let p = &editor.product;
    let heading = if editor.id.is_some() {
        p.title.clone()
    } else {
        "New product".to_owned()
    };
    let error = move || {
        save.value().with(|v| match v {
            Some(Err(e)) => Some(e.to_string()),
            _ => None,
        })
    };
    let preview = (editor.id.is_some() && !p.slug.is_empty()).then(|| {
        let note = if p.status == "active" { "" } else { " (drafts are visible to staff only)" };
        view! { <p><a href=format!("/products/{}", p.slug) target="_blank" rel="noopener">"Preview in the shop"</a> {note}</p> }
    });
    let id = editor.id.clone().unwrap_or_default();
    let images = editor.id.clone().map(|product_id| {
        view! { <Images product_id images=editor.images.clone() image/> }
    });
    view! {
        <h1>{heading}</h1>
        {preview}
        <ActionForm action=save attr:class="stack-form editor-form">
            <input type="hidden" name="id" value=id/>
            <ProductFields editor stock_hint="the first stock location" stock_later="Inventory"/>
            <p class="form-error" role="alert">{error}</p>
            <button type="submit" class="primary">"Save product"</button>
        </ActionForm>
        {images}
    }
}

/// The product form's fields (all but its id and its button), the same for the console's
/// editor and a seller's: new variants start with the stock entered at `stock_hint`; later
/// changes are made under `stock_later`.
#[component]
pub fn ProductFields(
    editor: ProductEditor,
    stock_hint: &'static str,
    stock_later: &'static str,
) -> impl IntoView {
    let p = editor.product.clone();
    let status_options = STATUSES
        .iter()
        .map(|(value, label)| view! { <option value=*value selected=*value == p.status>{*label}</option> })
        .collect_view();
    let category_options = editor
        .categories
        .iter()
        .map(|c| view! { <option value=c.id.clone() selected=c.id == p.category_id>{c.path.clone()}</option> })
        .collect_view();
    let option_names = [
        p.option1_name.clone(),
        p.option2_name.clone(),
        p.option3_name.clone(),
    ];
    let existing = editor.variants.len();
    let rows = editor
        .variants
        .iter()
        .cloned()
        .chain((0..NEW_ROWS).map(|_| VariantEdit {
            input: VariantInput::default(),
            stock: 0,
            levels: Vec::new(),
        }))
        .enumerate()
        .map(|(n, v)| {
            let is_new = n >= existing;
            view! { <VariantRow n v is_new currency=editor.currency.clone()/> }
        })
        .collect_view();
    let option_heading = move |i: usize| {
        if option_names[i].is_empty() {
            format!("Option {}", i + 1)
        } else {
            option_names[i].clone()
        }
    };
    view! {
            <div class="field">
                <label for="p-title">"Title"</label>
                <input id="p-title" name="product[title]" type="text" required=true maxlength="200" value=p.title.clone()/>
            </div>
            <div class="field">
                <label for="p-slug">"Web address (after /products/; made from the title when empty)"</label>
                <input id="p-slug" name="product[slug]" type="text" maxlength="120" value=p.slug.clone()/>
            </div>
            <div class="field-row">
                <div class="field">
                    <label for="p-status">"Status"</label>
                    <select id="p-status" name="product[status]">{status_options}</select>
                </div>
                <div class="field">
                    <label for="p-category">"Category"</label>
                    <select id="p-category" name="product[category_id]">
                        <option value="">"None"</option>
                        {category_options}
                    </select>
                </div>
            </div>
            <div class="field-row">
                <div class="field">
                    <label for="p-brand">"Brand"</label>
                    <input id="p-brand" name="product[brand]" type="text" maxlength="100" value=p.brand.clone()/>
                </div>
                <div class="field">
                    <label for="p-type">"Product type"</label>
                    <input id="p-type" name="product[product_type]" type="text" maxlength="100" value=p.product_type.clone()/>
                </div>
            </div>
            <div class="field">
                <label for="p-tags">"Tags (separated by commas)"</label>
                <input id="p-tags" name="product[tags]" type="text" maxlength="1300" value=p.tags.clone()/>
            </div>
            <div class="field">
                <label for="p-description">"Description (Markdown)"</label>
                <textarea id="p-description" name="product[description]" rows="8" maxlength="20000">{p.description.clone()}</textarea>
            </div>
            <fieldset>
                <legend>"Search engines"</legend>
                <div class="field">
                    <label for="p-seo-title">"Page title (up to 70 characters; the product title when empty)"</label>
                    <input id="p-seo-title" name="product[seo_title]" type="text" maxlength="70" value=p.seo_title.clone()/>
                </div>
                <div class="field">
                    <label for="p-seo-description">"Description (up to 320 characters)"</label>
                    <textarea id="p-seo-description" name="product[seo_description]" rows="2" maxlength="320">{p.seo_description.clone()}</textarea>
                </div>
            </fieldset>
            <fieldset>
                <legend>"Options (such as Size or Colour)"</legend>
                <div class="field-row">
                    {[p.option1_name.clone(), p.option2_name.clone(), p.option3_name.clone()].into_iter().enumerate().map(|(i, name)| view! {
                        <div class="field">
                            <label for=format!("p-option{}", i + 1)>{format!("Option {}", i + 1)}</label>
                            <input id=format!("p-option{}", i + 1) name=format!("product[option{}_name]", i + 1) type="text" maxlength="40" value=name.clone()/>
                        </div>
                    }).collect_view()}
                </div>
            </fieldset>
            <fieldset>
                <legend>"Variants"</legend>
                <p class="hint">{format!("Fill in a blank row to add a variant. New variants start with the stock you enter at {stock_hint}; change stock later under {stock_later}.")}</p>
                <div class="table-scroll">
                    <table class="data-table variant-table">
                        <caption class="visually-hidden">"Variants"</caption>
                        <thead><tr>
                            <th scope="col">"SKU"</th>
                            <th scope="col">{option_heading(0)}</th>
                            <th scope="col">{option_heading(1)}</th>
                            <th scope="col">{option_heading(2)}</th>
                            <th scope="col">"Price"</th><th scope="col">"Compare at"</th><th scope="col">"Grams"</th>
                            <th scope="col">"Barcode"</th><th scope="col">"Stock"</th><th scope="col">"Remove"</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </fieldset>
    }
}

#[component]
fn VariantRow(n: usize, v: VariantEdit, is_new: bool, currency: String) -> impl IntoView {
    let name = move |field: &str| format!("variants[{n}][{field}]");
    let label = move |what: &str| {
        if is_new {
            format!("New variant {}: {what}", n + 1)
        } else {
            format!("Variant {}: {what}", n + 1)
        }
    };
    let i = v.input;
    let stock = if is_new {
        view! { <input name=name("stock") type="number" min="0" max="1000000" inputmode="numeric" class="qty-input" aria-label=label("units in stock")/> }.into_any()
    } else {
        let levels = v
            .levels
            .iter()
            .map(|l| format!("{}: {}", l.location, l.on_hand))
            .collect::<Vec<_>>()
            .join(", ");
        view! { <span title=levels.clone()>{v.stock}</span> <span class="visually-hidden">{levels}</span> }.into_any()
    };
    view! {
        <tr>
            <td>
                <input type="hidden" name=name("id") value=i.id.clone()/>
                <input name=name("sku") type="text" maxlength="64" value=i.sku.clone() aria-label=label("SKU")/>
            </td>
            <td><input name=name("option1") type="text" maxlength="60" value=i.option1.clone() aria-label=label("option 1")/></td>
            <td><input name=name("option2") type="text" maxlength="60" value=i.option2.clone() aria-label=label("option 2")/></td>
            <td><input name=name("option3") type="text" maxlength="60" value=i.option3.clone() aria-label=label("option 3")/></td>
            <td><input name=name("price") type="text" inputmode="decimal" maxlength="14" value=i.price.clone() aria-label=label(&format!("price in {currency}")) class="money-input"/></td>
            <td><input name=name("compare_at") type="text" inputmode="decimal" maxlength="14" value=i.compare_at.clone() aria-label=label("compare-at price") class="money-input"/></td>
            <td><input name=name("weight_grams") type="number" min="0" max="1000000" value=i.weight_grams.clone() aria-label=label("weight in grams") class="qty-input"/></td>
            <td><input name=name("barcode") type="text" maxlength="40" value=i.barcode.clone() aria-label=label("barcode")/></td>
            <td>{stock}</td>
            <td>{(!is_new).then(|| view! { <input type="checkbox" name=name("remove") aria-label=label("remove")/> })}</td>
        </tr>
    }
}

#[component]
fn Images(
    product_id: String,
    images: Vec<ImageEdit>,
    image: ServerAction<ChangeProductImage>,
) -> impl IntoView {
    let error = Signal::derive(move || {
        image.value().with(|v| match v {
            Some(Err(e)) => Some(e.to_string()),
            _ => None,
        })
    });
    let control = Callback::new(move |c: PictureControl| {
        view! {
            <ActionForm action=image attr:class="inline-form">
                <PictureControlFields c/>
            </ActionForm>
        }
        .into_any()
    });
    view! { <PictureEditor product_id images upload_to="/api/admin/products/image" error control/> }
}

/// One change to one picture, as a small form posts it: the product, the picture, the action
/// (`alt`, `up`, `down`, `remove`) and the button's words; `alt` carries the description
/// field's id, label and value.
#[derive(Clone, Debug)]
pub struct PictureControl {
    pub product_id: String,
    pub image_id: String,
    pub action: &'static str,
    pub label: String,
    pub alt: Option<(String, String, String)>,
}

/// The inside of a [`PictureControl`]'s form (its caller wraps it in its own action's form).
#[component]
pub fn PictureControlFields(c: PictureControl) -> impl IntoView {
    view! {
        <input type="hidden" name="product_id" value=c.product_id/>
        <input type="hidden" name="image_id" value=c.image_id/>
        <input type="hidden" name="action" value=c.action/>
        {c.alt.map(|(id, label, value)| view! {
            <label for=id.clone()>{label}</label>
            <input id=id name="alt" type="text" maxlength="250" value=value/>
        })}
        <button type="submit" class="secondary small">{c.label}</button>
    }
}

/// A product's pictures in an editor: each with its description, moves and removal (each a
/// small form `control` makes, so the console and a seller's dashboard post to their own
/// endpoints), and the upload form posting to `upload_to` (a plain form: a file cannot travel
/// in a server action).
#[component]
pub fn PictureEditor(
    product_id: String,
    images: Vec<ImageEdit>,
    upload_to: &'static str,
    error: Signal<Option<String>>,
    control: Callback<PictureControl, AnyView>,
) -> impl IntoView {
    let count = images.len();
    let list = images
        .into_iter()
        .enumerate()
        .map(|(n, img)| {
            let c = |action: &'static str, label: String| {
                control.run(PictureControl {
                    product_id: product_id.clone(),
                    image_id: img.id.clone(),
                    action,
                    label,
                    alt: None,
                })
            };
            let height = (u64::from(img.image.height) * 160) / u64::from(img.image.width.max(1));
            let describe = control.run(PictureControl {
                product_id: product_id.clone(),
                image_id: img.id.clone(),
                action: "alt",
                label: "Save description".into(),
                alt: Some((
                    format!("alt-{}", img.id),
                    format!("Description of picture {}", n + 1),
                    img.image.alt.clone(),
                )),
            });
            view! {
                <li class="editor-image">
                    <img src=image_url(&img.image, 320) alt=img.image.alt.clone() width="160" height=height.to_string()/>
                    {describe}
                    {(n > 0).then(|| c("up", format!("Move picture {} earlier", n + 1)))}
                    {(n + 1 < count).then(|| c("down", format!("Move picture {} later", n + 1)))}
                    {c("remove", format!("Remove picture {}", n + 1))}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="editor-images" aria-labelledby="images-heading">
            <h2 id="images-heading">"Pictures"</h2>
            <p class="hint">"The first picture is the one shown in lists."</p>
            <ol class="image-list">{list}</ol>
            <p class="form-error" role="alert">{error}</p>
            <form method="post" action=upload_to enctype="multipart/form-data" class="stack-form">
                <input type="hidden" name="product_id" value=product_id.clone()/>
                <div class="field">
                    <label for="image-file">"Picture (PNG, JPEG or WebP, up to 10 MB)"</label>
                    <input id="image-file" name="file" type="file" accept="image/png,image/jpeg,image/webp" required=true/>
                </div>
                <div class="field">
                    <label for="image-alt">"Description for people who cannot see it"</label>
                    <input id="image-alt" name="alt" type="text" maxlength="250"/>
                </div>
                <button type="submit" class="secondary">"Upload picture"</button>
            </form>
        </section>
    }
}
