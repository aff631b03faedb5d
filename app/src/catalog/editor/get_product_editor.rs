use super::editor_views::ProductEditor;
use leptos::prelude::*;
use shop_types::AppError;

/// The editor's data for a product, or for a new one (`id` empty or "new").
#[server(endpoint = "admin/products/editor")]
pub async fn get_product_editor(id: Option<String>) -> Result<ProductEditor, AppError> {
    use super::{editor_queries::editor, product_form::EditorError};
    use crate::identity::auth::{Access, authorize};
    use crate::platform::http::no_store;
    use crate::platform::state::app_state;

    no_store();
    let state = app_state()?;
    authorize(
        &state,
        Access::Permission(shop_types::Permission::ManageCatalog),
    )
    .await?;
    let id = crate::catalog::editor::product_form::product_id(id)?;
    let mut conn = state.conn("editor: acquire").await?;
    editor(&mut conn, id.as_deref())
        .await
        .map_err(EditorError::into_app_error)
}
