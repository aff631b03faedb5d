use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use shop_types::AppError;

/// A department and its categories, for navigation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Department {
    pub slug: String,
    pub name: String,
    /// (slug, name) of each category in it.
    pub categories: Vec<(String, String)>,
}

/// The category tree: departments with their categories, in shop order.
#[server(endpoint = "catalog/categories")]
pub async fn list_categories() -> Result<Vec<Department>, AppError> {
    use crate::platform::{errors::internal, state::app_state};
    let state = app_state()?;
    let mut conn = state.conn("categories: acquire").await?;
    let rows = super::queries::category_tree(&mut conn)
        .await
        .map_err(internal("categories"))?;
    let mut departments: Vec<Department> = Vec::new();
    for (slug, name, parent) in rows {
        match parent {
            None => departments.push(Department {
                slug,
                name,
                categories: Vec::new(),
            }),
            Some(parent) => {
                if let Some(d) = departments.iter_mut().find(|d| d.slug == parent) {
                    d.categories.push((slug, name));
                }
            }
        }
    }
    Ok(departments)
}
