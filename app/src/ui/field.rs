use leptos::prelude::*;
use shop_types::AppError;

/// The message for `field` in a server action's last result, if it failed on that field.
/// An empty `field` selects errors that concern the whole form.
pub fn error_for<T>(result: &Option<Result<T, AppError>>, field: &str) -> Option<String> {
    match result {
        Some(Err(e)) if e.field().unwrap_or("") == field => Some(e.to_string()),
        _ => None,
    }
}

/// A labelled input with its hint and error, wired for screen readers (`aria-describedby`,
/// `aria-invalid`). Ids derive from `id`: `{id}-hint`, `{id}-error`.
#[component]
pub fn Field(
    #[prop(into)] id: String,
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(into, default = "text".into())] kind: String,
    #[prop(into, optional)] autocomplete: String,
    #[prop(into, optional)] hint: Option<String>,
    #[prop(optional)] required: bool,
    #[prop(into, optional)] maxlength: Option<String>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = if hint.is_some() {
        format!("{hint_id} {error_id}")
    } else {
        error_id.clone()
    };
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input
                id=id
                name=name
                type=kind
                autocomplete=autocomplete
                required=required
                maxlength=maxlength
                aria-describedby=described
                aria-invalid=move || error.get().map(|_| "true")
            />
            {hint.map(|h| view! { <p id=hint_id class="hint">{h}</p> })}
            <p id=error_id class="form-error">{move || error.get()}</p>
        </div>
    }
}

/// The form-wide error of a server action (role=alert, announced when it appears).
#[component]
pub fn FormError(#[prop(into)] error: Signal<Option<String>>) -> impl IntoView {
    view! { <p class="form-error" role="alert">{move || error.get()}</p> }
}
