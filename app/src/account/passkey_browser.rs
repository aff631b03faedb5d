//! The browser's side of passkeys: hands the server's options to `navigator.credentials` and
//! returns the browser's answer as JSON. It relies on the WebAuthn JSON helpers
//! (`PublicKeyCredential.parse…OptionsFromJSON`, `credential.toJSON()`), in every current
//! browser; where they are missing, passkeys are not offered. Without WebAssembly (the
//! server's build) nothing here runs and passkeys are never offered.

use shop_types::Problem;

/// Whether this browser can create and use passkeys here.
pub fn supported() -> bool {
    #[cfg(feature = "hydrate")]
    {
        imp::supported()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        false
    }
}

/// Creates a passkey with the creation `options` (JSON); returns the new credential as JSON.
pub async fn create(options: &str) -> Result<String, Problem> {
    #[cfg(feature = "hydrate")]
    {
        imp::ceremony("create", "parseCreationOptionsFromJSON", options).await
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = options;
        Err(Problem::PasskeysUnavailable)
    }
}

/// Signs with a passkey the browser chooses for the request `options` (JSON); returns the
/// assertion as JSON.
pub async fn get(options: &str) -> Result<String, Problem> {
    #[cfg(feature = "hydrate")]
    {
        imp::ceremony("get", "parseRequestOptionsFromJSON", options).await
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = options;
        Err(Problem::PasskeysUnavailable)
    }
}

/// The value of the field `name` in the form a submit event came from ("" when missing).
pub fn form_value(event: &leptos::ev::SubmitEvent, name: &str) -> String {
    #[cfg(feature = "hydrate")]
    {
        imp::form_value(event, name)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (event, name);
        String::new()
    }
}

/// Empties the form a submit event came from (after it did its work).
pub fn reset_form(event: &leptos::ev::SubmitEvent) {
    #[cfg(feature = "hydrate")]
    {
        imp::reset_form(event)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = event;
    }
}

#[cfg(feature = "hydrate")]
mod imp {
    use js_sys::{Function, JSON, Object, Promise, Reflect};
    use shop_types::Problem;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    fn get(target: &JsValue, name: &str) -> Option<JsValue> {
        Reflect::get(target, &JsValue::from_str(name))
            .ok()
            .filter(|v| !v.is_undefined() && !v.is_null())
    }

    fn credential_class() -> Option<JsValue> {
        get(&web_sys::window()?.into(), "PublicKeyCredential")
    }

    pub fn supported() -> bool {
        credential_class().is_some_and(|class| {
            get(&class, "parseCreationOptionsFromJSON").is_some()
                && get(&class, "parseRequestOptionsFromJSON").is_some()
        })
    }

    /// `navigator.credentials[method]({ publicKey: PublicKeyCredential[parse](options) })`,
    /// then the credential's `toJSON()` as text.
    pub async fn ceremony(method: &str, parse: &str, options: &str) -> Result<String, Problem> {
        let unavailable = || Problem::PasskeysUnavailable;
        let class = credential_class().ok_or_else(unavailable)?;
        let parse: Function = get(&class, parse)
            .and_then(|f| f.dyn_into().ok())
            .ok_or_else(unavailable)?;
        let options = JSON::parse(options).map_err(|_| unavailable())?;
        let public_key = parse.call1(&class, &options).map_err(refusal)?;
        let request = Object::new();
        Reflect::set(&request, &JsValue::from_str("publicKey"), &public_key)
            .map_err(|_| unavailable())?;
        let navigator: JsValue = web_sys::window()
            .ok_or_else(unavailable)?
            .navigator()
            .into();
        let credentials = get(&navigator, "credentials").ok_or_else(unavailable)?;
        let call: Function = get(&credentials, method)
            .and_then(|f| f.dyn_into().ok())
            .ok_or_else(unavailable)?;
        let promise: Promise = call
            .call1(&credentials, &request)
            .map_err(refusal)?
            .dyn_into()
            .map_err(|_| unavailable())?;
        let credential = JsFuture::from(promise).await.map_err(refusal)?;
        let to_json: Function = get(&credential, "toJSON")
            .and_then(|f| f.dyn_into().ok())
            .ok_or_else(unavailable)?;
        let json = to_json.call0(&credential).map_err(refusal)?;
        JSON::stringify(&json)
            .ok()
            .and_then(|s| s.as_string())
            .ok_or_else(unavailable)
    }

    /// What the browser's exception means to the person: they cancelled (or it timed out), the
    /// authenticator already holds a passkey for this account, or passkeys cannot work here.
    fn refusal(error: JsValue) -> Problem {
        match get(&error, "name").and_then(|n| n.as_string()).as_deref() {
            Some("NotAllowedError" | "AbortError") => Problem::PasskeyFailed,
            Some("InvalidStateError") => Problem::PasskeyAlreadyAdded,
            _ => Problem::PasskeysUnavailable,
        }
    }

    fn form_of(event: &leptos::ev::SubmitEvent) -> Option<web_sys::HtmlFormElement> {
        event.target().and_then(|t| t.dyn_into().ok())
    }

    pub fn reset_form(event: &leptos::ev::SubmitEvent) {
        if let Some(form) = form_of(event) {
            form.reset();
        }
    }

    pub fn form_value(event: &leptos::ev::SubmitEvent, name: &str) -> String {
        let Some(form) = form_of(event) else {
            return String::new();
        };
        web_sys::FormData::new_with_form(&form)
            .ok()
            .and_then(|data| data.get(name).as_string())
            .unwrap_or_default()
    }
}
