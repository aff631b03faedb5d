use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};
use shop_types::AppError;

/// Takes a Shopify product CSV (`file`, multipart, up to 50 MB), refuses it at once if the
/// file as a whole is unusable, and otherwise queues its import and opens its progress page.
#[server(endpoint = "admin/import/products", input = MultipartFormData)]
pub async fn start_import(data: MultipartData) -> Result<String, AppError> {
    use super::import_service::{MAX_FILE_BYTES, start};
    use crate::identity::auth::{Access, authorize};
    use crate::platform::state::app_state;

    let state = app_state()?;
    let session = authorize(
        &state,
        Access::Permission(shop_types::Permission::ManageCatalog),
    )
    .await?;
    let refuse = |message: String| {
        let query = crate::ui::query_string(&[("error".into(), message.clone())]);
        leptos_axum::redirect(&format!("/admin/import?{query}"));
        AppError::validation("file", message)
    };
    let mut multipart = data
        .into_inner()
        .ok_or_else(|| refuse("Choose a CSV file to import.".into()))?;
    let (mut name, mut bytes) = (String::new(), Vec::new());
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|_| refuse("The upload was cut off; try again.".into()))?
    {
        if field.name() != Some("file") {
            continue;
        }
        name = field
            .file_name()
            .unwrap_or("products.csv")
            .chars()
            .take(200)
            .collect();
        while let Some(chunk) = field
            .chunk()
            .await
            .map_err(|_| refuse("The upload was cut off; try again.".into()))?
        {
            if bytes.len() + chunk.len() > MAX_FILE_BYTES {
                return Err(refuse("The file is larger than 50 MB; split it.".into()));
            }
            bytes.extend_from_slice(&chunk);
        }
    }
    if bytes.is_empty() {
        return Err(refuse("Choose a CSV file to import.".into()));
    }
    let text = String::from_utf8(bytes).map_err(|_| {
        refuse("The file is not UTF-8 text; export it again as CSV (UTF-8).".into())
    })?;
    let id = start(&state.db, &name, &text, &session.user.id)
        .await
        .map_err(|e| refuse(e.to_string()))?;
    state.jobs.wake();
    leptos_axum::redirect(&format!("/admin/import/{id}"));
    Ok(id)
}
