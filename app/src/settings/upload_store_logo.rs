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
    let bytes = match crate::media::upload::read_form(data, MAX_BYTES).await {
        Ok(form) if form.file.is_empty() => return refuse(Problem::PictureMissing),
        Ok(form) => form.file,
        Err(Problem::PictureTooLarge) => return refuse(Problem::LogoTooLarge),
        Err(problem) => return refuse(problem),
    };
    let key = match crate::media::upload::store_picture(state.config.media_dir.clone(), bytes).await
    {
        Ok((key, _, _)) => key,
        Err(problem) => return refuse(problem),
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
