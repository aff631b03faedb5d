//! A seller's logo or banner for its storefront (`/sellers/<slug>`), uploaded from the
//! dashboard by owners and catalog members.

use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};
use shop_types::AppError;

/// Largest logo or banner accepted.
pub const MAX_VENDOR_PICTURE_BYTES: usize = 5 * 1024 * 1024;

/// Which of the storefront's pictures a form replaces (`kind` of the form).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VendorPicture {
    Logo,
    Banner,
}

impl VendorPicture {
    /// Reads the form's `kind`.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "logo" => Some(Self::Logo),
            "banner" => Some(Self::Banner),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Logo => "logo",
            Self::Banner => "banner",
        }
    }
}

/// Replaces the logo or the banner: a multipart form with `kind` (`logo` or `banner`) and
/// `file` (PNG, JPEG or WebP, up to 5 MB). Posted as a plain form; answers by opening the
/// dashboard again, with `picture_error=` in its address when the picture was refused.
#[server(endpoint = "vendor/picture", input = MultipartFormData)]
pub async fn upload_vendor_picture(data: MultipartData) -> Result<(), AppError> {
    use super::scope::vendor_caller;
    use crate::identity::auth::who;
    use crate::platform::state::app_state;
    use shop_types::vendor::VendorArea;

    let state = app_state()?;
    let caller = vendor_caller(&state, VendorArea::Catalog).await?;
    let dashboard = shop_types::paths::VENDOR;
    match receive(&state, &caller, &who(&caller.session), data).await {
        Ok(kind) => {
            leptos_axum::redirect(&format!("{dashboard}?saved={}", kind.as_str()));
            Ok(())
        }
        Err(AppError::Validation { problem, .. }) => {
            let query = crate::ui::query_string(&[("picture_error".into(), problem.to_string())]);
            leptos_axum::redirect(&format!("{dashboard}?{query}"));
            Ok(())
        }
        Err(e) => Err(e),
    }
}

#[cfg(feature = "ssr")]
async fn receive(
    state: &crate::platform::state::AppState,
    caller: &super::scope::VendorCaller,
    who: &crate::platform::audit_trail::Who,
    data: MultipartData,
) -> Result<VendorPicture, AppError> {
    use shop_types::Problem;
    let refuse = |problem| AppError::validation("file", problem);
    let form = crate::media::upload::read_form(data, MAX_VENDOR_PICTURE_BYTES)
        .await
        .map_err(refuse)?;
    let kind = VendorPicture::parse(form.field("kind"))
        .ok_or_else(|| refuse(Problem::PictureActionUnknown))?;
    if form.file.is_empty() {
        return Err(refuse(Problem::PictureMissing));
    }
    let (key, width, height) =
        crate::media::upload::store_picture(state.config.media_dir.clone(), form.file)
            .await
            .map_err(refuse)?;
    super::onboarding::save_picture(
        &state.db,
        &caller.vendor.id,
        kind,
        (&key, width, height),
        who,
    )
    .await?;
    Ok(kind)
}
