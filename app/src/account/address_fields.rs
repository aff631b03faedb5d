use leptos::prelude::*;
use shop_types::{AddressInput, COUNTRIES};

/// The fields of a postal address, named `<name>[<field>]` (`address[city]`, so a server
/// function takes an `AddressInput`), prefilled from `address`; `error` gives a field's
/// message, if any. Shared by the address book and the checkout (delivery and billing).
#[component]
pub fn AddressFields(
    /// Prefix of the inputs' ids, unique on the page.
    #[prop(into)]
    id_prefix: String,
    address: AddressInput,
    error: Callback<&'static str, Option<String>>,
    /// Whether the browser should insist on the required fields (not when a saved address
    /// may be chosen instead; the server checks either way).
    #[prop(default = true)]
    insist: bool,
    /// The form name the fields sit under; `billing` also marks them as the billing address
    /// for the browser's autofill.
    #[prop(default = "address")]
    name: &'static str,
) -> impl IntoView {
    let section = if name == "billing" { "billing " } else { "" };
    let a = address;
    let country = if a.country.is_empty() {
        "DE".to_owned()
    } else {
        a.country.clone()
    };
    let options = COUNTRIES
        .iter()
        .map(|(code, name)| view! { <option value=*code selected=*code == country.as_str()>{*name}</option> })
        .collect_view();
    let prefix = id_prefix.clone();
    let text = move |field: &'static str,
                     label: &'static str,
                     value: String,
                     autocomplete: &'static str,
                     max: &'static str,
                     required: bool| {
        let input_id = format!("{prefix}-{field}");
        let error_id = format!("{prefix}-{field}-error");
        let described = error_id.clone();
        view! {
            <div class="field">
                <label for=input_id.clone()>{label}</label>
                <input id=input_id name=format!("{name}[{field}]") type="text" value=value
                    autocomplete=format!("{section}{autocomplete}") maxlength=max required=required && insist aria-describedby=described
                    aria-invalid=move || error.run(field).map(|_| "true")/>
                <p id=error_id class="form-error">{move || error.run(field)}</p>
            </div>
        }
    };
    let country_id = format!("{id_prefix}-country");
    let country_error = format!("{id_prefix}-country-error");
    view! {
        {text("full_name", "Full name", a.full_name, "name", "100", true)}
        {text("company", "Company (optional)", a.company, "organization", "100", false)}
        {text("line1", "Street and number", a.line1, "address-line1", "120", true)}
        {text("line2", "Apartment, floor, etc. (optional)", a.line2, "address-line2", "120", false)}
        {text("postal_code", "Postal code", a.postal_code, "postal-code", "12", true)}
        {text("city", "Town or city", a.city, "address-level2", "80", true)}
        {text("region", "State or province (where needed)", a.region, "address-level1", "80", false)}
        <div class="field">
            <label for=country_id.clone()>"Country"</label>
            <select id=country_id name=format!("{name}[country]") autocomplete=format!("{section}country")
                aria-describedby=country_error.clone()>{options}</select>
            <p id=country_error class="form-error">{move || error.run("country")}</p>
        </div>
        {text("phone", "Phone (optional, for the courier)", a.phone, "tel", "30", false)}
    }
}
