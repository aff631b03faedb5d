use leptos::prelude::*;
use shop_types::AppError;

/// Creates a coupon code.
#[server(endpoint = "admin/settings/coupon")]
#[allow(clippy::too_many_arguments)]
pub async fn add_coupon(
    code: String,
    kind: String,
    value: Option<String>,
    min_subtotal: Option<String>,
    starts: Option<String>,
    ends: Option<String>,
    usage_limit: Option<String>,
    per_customer_limit: Option<String>,
) -> Result<(), AppError> {
    use super::settings_service::CouponForm;
    use crate::identity::auth::{Access, authorize};
    use crate::platform::forms::redirect_after_form_post;
    use crate::platform::{errors::internal, state::app_state};

    let state = app_state()?;
    let session = authorize(
        &state,
        Access::Permission(shop_types::Permission::ManageSettings),
    )
    .await?;
    let mut tx = state.write("settings: begin").await?;
    let currency = crate::store::queries::current(&mut tx)
        .await
        .map_err(internal("settings: currency"))?
        .currency;
    let form = CouponForm {
        code,
        kind,
        value: value.unwrap_or_default(),
        min_subtotal: min_subtotal.unwrap_or_default(),
        starts: starts.unwrap_or_default(),
        ends: ends.unwrap_or_default(),
        usage_limit: usage_limit.unwrap_or_default(),
        per_customer_limit: per_customer_limit.unwrap_or_default(),
    };
    super::settings_service::add_coupon(&mut tx, &form, currency).await?;
    super::settings_service::audit_setting(
        &mut tx,
        &session,
        "settings.coupon_added",
        "coupon",
        serde_json::json!({ "code": form.code, "kind": form.kind, "value": form.value,
            "min_subtotal": form.min_subtotal, "starts": form.starts, "ends": form.ends,
            "usage_limit": form.usage_limit, "per_customer_limit": form.per_customer_limit }),
    )
    .await?;
    tx.commit().await.map_err(internal("settings: commit"))?;
    redirect_after_form_post("/admin/settings/coupons?saved=1");
    Ok(())
}
