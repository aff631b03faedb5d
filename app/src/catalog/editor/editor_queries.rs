//! What the console's product pages read: the editor's form, the product list with its
//! filters, the category choices.

use super::editor_views::*;
use super::product_form::EditorError;
use crate::store::queries::store_currency;
use shop_types::{Currency, Money, Timestamp};
use sqlx::{AnyConnection, Row};

/// Products per page of the console's list.
pub const PRODUCTS_PER_PAGE: i64 = 50;

/// Categories with their parents' names, for the editor's list.
pub async fn category_choices(
    conn: &mut AnyConnection,
) -> Result<Vec<CategoryChoice>, sqlx::Error> {
    let rows = sqlx::query("SELECT id, parent_id, name FROM categories ORDER BY position, name")
        .fetch_all(conn)
        .await?;
    let all: Vec<(String, Option<String>, String)> = rows
        .iter()
        .map(|r| {
            Ok((
                r.try_get("id")?,
                r.try_get("parent_id")?,
                r.try_get("name")?,
            ))
        })
        .collect::<Result<_, sqlx::Error>>()?;
    let mut out: Vec<CategoryChoice> = all
        .iter()
        .map(|(id, parent, name)| {
            let mut path = vec![name.clone()];
            let mut next = parent.clone();
            // Bounded walk: a broken cycle in the data cannot hang the page.
            for _ in 0..10 {
                let Some(p) = next else { break };
                match all.iter().find(|(i, _, _)| *i == p) {
                    Some((_, pp, n)) => {
                        path.push(n.clone());
                        next = pp.clone();
                    }
                    None => break,
                }
            }
            path.reverse();
            CategoryChoice {
                id: id.clone(),
                path: path.join(" › "),
            }
        })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// The editor's data for a product (None: a new product).
pub async fn editor(
    conn: &mut AnyConnection,
    id: Option<&str>,
) -> Result<ProductEditor, EditorError> {
    let currency = store_currency(&mut *conn).await?;
    let categories = category_choices(&mut *conn).await?;
    let Some(id) = id else {
        return Ok(ProductEditor {
            id: None,
            product: ProductInput {
                status: "draft".into(),
                ..ProductInput::default()
            },
            variants: Vec::new(),
            images: Vec::new(),
            categories,
            currency: currency.code().to_owned(),
        });
    };
    let row = sqlx::query(
        "SELECT title, slug, description, brand, status, category_id, product_type, seo_title, seo_description,
                option1_name, option2_name, option3_name
         FROM products WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(EditorError::NotFound)?;
    let tags: Vec<String> =
        sqlx::query_scalar("SELECT tag FROM product_tags WHERE product_id = $1 ORDER BY tag")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    let opt = |c: &str| -> Result<String, sqlx::Error> {
        Ok(row.try_get::<Option<String>, _>(c)?.unwrap_or_default())
    };
    let product = ProductInput {
        title: row.try_get("title")?,
        slug: row.try_get("slug")?,
        description: row.try_get("description")?,
        brand: row.try_get("brand")?,
        status: row.try_get("status")?,
        category_id: opt("category_id")?,
        product_type: row.try_get("product_type")?,
        tags: tags.join(", "),
        seo_title: row.try_get("seo_title")?,
        seo_description: row.try_get("seo_description")?,
        option1_name: opt("option1_name")?,
        option2_name: opt("option2_name")?,
        option3_name: opt("option3_name")?,
    };
    let variant_rows = sqlx::query(
        "SELECT id, sku, option1, option2, option3, price_minor, compare_at_minor, weight_grams, barcode, stock
         FROM variants WHERE product_id = $1 ORDER BY position, id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let mut variants = Vec::new();
    for v in variant_rows {
        let vid: String = v.try_get("id")?;
        let levels = sqlx::query(
            "SELECT COALESCE(l.label, l.name) AS name, s.on_hand FROM stock_levels s JOIN stock_locations l ON l.id = s.location_id
             WHERE s.variant_id = $1 ORDER BY l.position, l.name",
        )
        .bind(&vid)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| Ok(LevelView { location: r.try_get("name")?, on_hand: r.try_get("on_hand")? }))
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
        let s = |c: &str| -> Result<String, sqlx::Error> {
            Ok(v.try_get::<Option<String>, _>(c)?.unwrap_or_default())
        };
        variants.push(VariantEdit {
            input: VariantInput {
                id: vid.clone(),
                sku: v.try_get("sku")?,
                option1: s("option1")?,
                option2: s("option2")?,
                option3: s("option3")?,
                price: Money::new(v.try_get("price_minor")?, currency).to_decimal_string(),
                compare_at: v
                    .try_get::<Option<i64>, _>("compare_at_minor")?
                    .map(|m| Money::new(m, currency).to_decimal_string())
                    .unwrap_or_default(),
                weight_grams: v.try_get::<i64, _>("weight_grams")?.to_string(),
                barcode: s("barcode")?,
                stock: String::new(),
                remove: String::new(),
            },
            stock: v.try_get("stock")?,
            levels,
        });
    }
    let images = sqlx::query(
        "SELECT id, file_key, alt, width, height FROM product_images WHERE product_id = $1 ORDER BY position, id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        Ok(ImageEdit {
            id: r.try_get("id")?,
            image: crate::catalog::ImageRef {
                key: r.try_get("file_key")?,
                alt: r.try_get("alt")?,
                width: u32::try_from(r.try_get::<i64, _>("width")?).unwrap_or(0),
                height: u32::try_from(r.try_get::<i64, _>("height")?).unwrap_or(0),
            },
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(ProductEditor {
        id: Some(id.to_owned()),
        product,
        variants,
        images,
        categories,
        currency: currency.code().to_owned(),
    })
}

/// The seller a product belongs to: `None` when there is no such product, `Some(None)` for
/// one of the operator's own.
pub async fn seller_of(
    conn: &mut AnyConnection,
    product_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    let row: Option<Option<String>> =
        sqlx::query_scalar("SELECT vendor_id FROM products WHERE id = $1")
            .bind(product_id)
            .fetch_optional(conn)
            .await?;
    Ok(row.flatten())
}

/// What the product list is narrowed to.
#[derive(Clone, Debug, Default)]
pub struct ProductFilter {
    pub text: Option<String>,
    pub status: Option<String>,
    pub category_id: Option<String>,
    pub after: Option<(i64, String)>,
    /// Only this seller's products (its own dashboard).
    pub seller: Option<String>,
}

impl ProductFilter {
    /// The list's query as posted (empty values mean "any"), checked.
    pub fn read(
        q: Option<String>,
        status: Option<String>,
        category: Option<String>,
        after: Option<String>,
    ) -> Result<Self, shop_types::AppError> {
        use shop_types::{AppError, Problem};
        let given = |v: Option<String>| v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
        let text = given(q);
        if text.as_ref().is_some_and(|t| t.chars().count() > 200) {
            return Err(AppError::validation(
                "q",
                Problem::SearchTooLong { max: 200 },
            ));
        }
        let status = given(status);
        if let Some(s) = &status
            && !STATUSES.iter().any(|(known, _)| known == s)
        {
            return Err(AppError::validation(
                "status",
                Problem::ProductStatusUnknown,
            ));
        }
        Ok(Self {
            text,
            status,
            category_id: given(category),
            after: crate::ui::parse_cursor(after)?,
            seller: None,
        })
    }
}

/// A page of products, most recently changed first. A search matches a SKU exactly or the
/// title anywhere.
pub async fn product_page(
    conn: &mut AnyConnection,
    filter: &ProductFilter,
) -> Result<AdminProductPage, sqlx::Error> {
    let mut clauses = Vec::new();
    let mut texts: Vec<String> = Vec::new();
    let param = |v: String, texts: &mut Vec<String>| {
        texts.push(v);
        format!("${}", texts.len())
    };
    if let Some(status) = &filter.status {
        let p = param(status.clone(), &mut texts);
        clauses.push(format!("p.status = {p}"));
    }
    if let Some(seller) = &filter.seller {
        let p = param(seller.clone(), &mut texts);
        clauses.push(format!("p.vendor_id = {p}"));
    }
    if let Some(category) = &filter.category_id {
        let p = param(category.clone(), &mut texts);
        clauses.push(format!("p.category_id = {p}"));
    }
    if let Some(text) = &filter.text {
        let sku = param(text.clone(), &mut texts);
        let like = param(
            format!(
                "%{}%",
                text.to_lowercase()
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            ),
            &mut texts,
        );
        // SQLite's LIKE ignores ASCII case already (LOWER per row only slows the scan);
        // PostgreSQL needs ILIKE.
        let like_op = if conn.backend_name() == "PostgreSQL" {
            "ILIKE"
        } else {
            "LIKE"
        };
        clauses.push(format!(
            "(p.title {like_op} {like} ESCAPE '\\' OR p.id IN (SELECT product_id FROM variants WHERE sku = {sku}))"
        ));
    }
    if let Some((at, id)) = &filter.after {
        let p = param(id.clone(), &mut texts);
        // A plain range first, so the index seeks to the page.
        clauses.push(format!(
            "p.updated_at <= {at} AND (p.updated_at < {at} OR p.id < {p})"
        ));
    }
    // The page's ids first, from the narrow (covering) index; then their details.
    let sql = format!(
        "SELECT p.id, p.title, p.slug, p.status, p.price_minor, p.currency, p.updated_at,
                (SELECT COUNT(*) FROM variants v WHERE v.product_id = p.id) AS variant_count,
                (SELECT CAST(COALESCE(SUM(v.stock), 0) AS BIGINT) FROM variants v WHERE v.product_id = p.id) AS stock,
                {first_image}
         FROM products p
         WHERE p.id IN (SELECT p.id FROM products p {where_} ORDER BY p.updated_at DESC, p.id DESC LIMIT {limit})
         ORDER BY p.updated_at DESC, p.id DESC",
        first_image = crate::catalog::queries::FIRST_IMAGE,
        where_ = if clauses.is_empty() { String::new() } else { format!("WHERE {}", clauses.join(" AND ")) },
        limit = PRODUCTS_PER_PAGE + 1,
    );
    let mut query = sqlx::query(&sql);
    for t in texts {
        query = query.bind(t);
    }
    let rows = query.fetch_all(conn).await?;
    let mut out = rows
        .iter()
        .map(|r| {
            let currency: String = r.try_get("currency")?;
            Ok(AdminProductRow {
                id: r.try_get("id")?,
                title: r.try_get("title")?,
                slug: r.try_get("slug")?,
                status: r.try_get("status")?,
                variants: r.try_get("variant_count")?,
                stock: r.try_get::<i64, _>("stock")?,
                price: Money::new(
                    r.try_get("price_minor")?,
                    Currency::parse(&currency).unwrap_or(Currency::EUR),
                ),
                updated_at: Timestamp(r.try_get("updated_at")?),
                image: crate::catalog::queries::first_image(r)?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let per_page = usize::try_from(PRODUCTS_PER_PAGE).unwrap_or(50);
    let next = (out.len() > per_page).then(|| {
        out.truncate(per_page);
        out.last()
            .map(|r| format!("{}_{}", r.updated_at.millis(), r.id))
            .unwrap_or_default()
    });
    Ok(AdminProductPage { rows: out, next })
}

/// A product as the audit log compares it before and after a change: its own fields and its
/// variants keyed by SKU (prices in minor units, stock as units on hand). `None` if it does
/// not exist.
pub async fn audit_view(
    conn: &mut AnyConnection,
    id: &str,
) -> Result<Option<serde_json::Value>, sqlx::Error> {
    let Some(p) = sqlx::query(
        "SELECT slug, title, description, brand, status, category_id, currency FROM products WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let variants = sqlx::query(
        "SELECT sku, title, price_minor, compare_at_minor, stock FROM variants WHERE product_id = $1",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let mut by_sku = serde_json::Map::new();
    for v in &variants {
        by_sku.insert(
            v.try_get("sku")?,
            serde_json::json!({
                "title": v.try_get::<String, _>("title")?,
                "price": v.try_get::<i64, _>("price_minor")?,
                "compare_at": v.try_get::<Option<i64>, _>("compare_at_minor")?,
                "stock": v.try_get::<i64, _>("stock")?,
            }),
        );
    }
    Ok(Some(serde_json::json!({
        "slug": p.try_get::<String, _>("slug")?,
        "title": p.try_get::<String, _>("title")?,
        "description": p.try_get::<String, _>("description")?,
        "brand": p.try_get::<String, _>("brand")?,
        "status": p.try_get::<String, _>("status")?,
        "category": p.try_get::<Option<String>, _>("category_id")?,
        "currency": p.try_get::<String, _>("currency")?,
        "variants": by_sku,
    })))
}
