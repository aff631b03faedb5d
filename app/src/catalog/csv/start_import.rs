use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};
use shop_types::AppError;
#[cfg(feature = "ssr")]
use shop_types::Problem;

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
    // Without JavaScript the form lands back on the import page, which shows `error`.
    let refuse = |problem: Problem| {
        let query = crate::ui::query_string(&[("error".into(), problem.to_string())]);
        leptos_axum::redirect(&format!("/admin/import?{query}"));
        AppError::validation("file", problem)
    };
    let mut multipart = data
        .into_inner()
        .ok_or_else(|| refuse(Problem::CsvFileMissing))?;
    let (mut name, mut bytes) = (String::new(), Vec::new());
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|_| refuse(Problem::UploadCutOff))?
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
            .map_err(|_| refuse(Problem::UploadCutOff))?
        {
            if bytes.len() + chunk.len() > MAX_FILE_BYTES {
                return Err(refuse(Problem::CsvTooBig));
            }
            bytes.extend_from_slice(&chunk);
        }
    }
    if bytes.is_empty() {
        return Err(refuse(Problem::CsvFileMissing));
    }
    let text = String::from_utf8(bytes).map_err(|_| refuse(Problem::CsvNotUtf8))?;
    let id = start(
        &state.db,
        &crate::identity::auth::who(&session),
        &name,
        &text,
    )
    .await
    .map_err(|e| refuse(Problem::from(&e)))?;
    state.jobs.wake();
    leptos_axum::redirect(&format!("/admin/import/{id}"));
    Ok(id)
}
