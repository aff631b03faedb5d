use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};
use shop_types::AppError;

/// The largest logo file taken.
pub const MAX_LOGO_BYTES: usize = 2 * 1024 * 1024;

/// Sets the store's logo from an uploaded picture (`file`, PNG, JPEG or WebP, up to 2 MB), shown
/// in every page's header. Posted as a plain form; answers by opening the settings again.
#[server(endpoint = "admin/settings/logo", input = MultipartFormData)]
pub async fn upload_store_logo(data: MultipartData) -> Result<(), AppError> {
    use crate::identity::auth::{Access, authorize};
    use crate::platform::{errors::internal, state::app_state};
    use shop_types::Problem;

    const MAX_BYTES: usize = MAX_LOGO_BYTES;
    let state = app_state()?;
    let session = authorize(
        &state,
        Access::Permission(shop_types::Permission::ManageSettings),
    )
    .await?;
    // The settings page shows `logo_error`; the words are made here, at the edge.
    let refuse = |problem: Problem| {
        let query = crate::ui::query_string(&[("logo_error".into(), problem.to_string())]);
        leptos_axum::redirect(&format!("/admin/settings?{query}"));
        Ok(())
    };
    let Some(mut multipart) = data.into_inner() else {
        return refuse(Problem::PictureMissing);
    };
    let mut bytes = Vec::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => return refuse(Problem::UploadCutOff),
        };
        if field.name() != Some("file") {
            continue;
        }
        let mut field = field;
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) if bytes.len() + chunk.len() <= MAX_BYTES => {
                    bytes.extend_from_slice(&chunk)
                }
                Ok(Some(_)) => return refuse(Problem::LogoTooLarge),
                Ok(None) => break,
                Err(_) => return refuse(Problem::UploadCutOff),
            }
        }
    }
    if bytes.is_empty() {
        return refuse(Problem::PictureMissing);
    }
    let root = state.config.media_dir.clone();
    let stored =
        tokio::task::spawn_blocking(move || crate::media::storage::store_original(&root, &bytes))
            .await
            .map_err(internal("logo: task"))?;
    let Ok((key, _, _)) = stored else {
        return refuse(Problem::PictureFormatUnknown);
    };
    let mut tx = state.write("logo: begin").await?;
    super::settings_service::set_logo(&mut tx, &key)
        .await
        .map_err(internal("logo: save"))?;
    super::settings_service::audit_setting(
        &mut tx,
        &session,
        "settings.logo_changed",
        "store",
        serde_json::json!({ "logo": key }),
    )
    .await?;
    tx.commit().await.map_err(internal("logo: commit"))?;
    leptos_axum::redirect("/admin/settings?saved=1");
    Ok(())
}
