//! Rules for changing the catalog from the console: checking a product and its variants,
//! saving them in one transaction, the product list, pictures and bulk changes.
//!
//! Every write bumps `products.updated_at` (the search index follows it) and the caller calls
//! `state.part::<crate::search::follower::Search>().changed()` after commit.

use super::editor_views::*;
use crate::catalog::demo::slugify;
use crate::catalog::product_store::{self, ProductRow, VariantRow};
use crate::platform::clock::now;
use crate::platform::db::{Db, is_unique_violation};
use crate::platform::ids::new_id;
use shop_types::{Currency, Money, PublicId, Timestamp};
use shop_types::{FieldName, Problem, Thing};
use sqlx::{AnyConnection, Row};
use std::collections::HashSet;

/// Most variants one product may have (Shopify's limit is 100 too).
pub const MAX_VARIANTS: usize = 100;
/// Products per page of the console's list.
pub const PRODUCTS_PER_PAGE: i64 = 50;

/// A refused change; `field` names the form field (`variants.<n>.sku` for a variant's).
#[derive(Debug, thiserror::Error)]
pub enum EditorError {
    #[error("{problem}")]
    Invalid { field: String, problem: Problem },
    #[error("{}", shop_types::AppError::not_found(Thing::Product))]
    NotFound,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl EditorError {
    fn invalid(field: impl Into<String>, problem: Problem) -> Self {
        Self::Invalid {
            field: field.into(),
            problem,
        }
    }

    pub fn into_app_error(self) -> shop_types::AppError {
        match self {
            Self::Invalid { field, problem } => shop_types::AppError::validation(field, problem),
            Self::NotFound => shop_types::AppError::not_found(Thing::Product),
            Self::Db(e) => crate::platform::errors::internal("catalog editor")(e),
        }
    }
}

/// A product checked and ready to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CleanProduct {
    pub title: String,
    pub slug: String,
    pub description: String,
    pub brand: String,
    pub status: String,
    pub category_id: Option<String>,
    pub product_type: String,
    pub tags: Vec<String>,
    pub seo_title: String,
    pub seo_description: String,
    pub option_names: Vec<String>,
}

/// A variant checked and ready to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CleanVariant {
    pub id: Option<String>,
    pub sku: String,
    pub options: Vec<String>,
    pub price_minor: i64,
    pub compare_at_minor: Option<i64>,
    pub weight_grams: i64,
    pub barcode: Option<String>,
    pub initial_stock: i64,
}

fn limit(field: &str, value: &str, max: u32, what: FieldName) -> Result<String, EditorError> {
    let value = value.trim();
    if value.chars().count() > max as usize {
        return Err(EditorError::invalid(
            field,
            Problem::TooLongField { what, max },
        ));
    }
    Ok(value.to_owned())
}

/// Checks the product's own fields.
pub fn clean_product(input: &ProductInput) -> Result<CleanProduct, EditorError> {
    let title = limit("product[title]", &input.title, 200, FieldName::Title)?;
    if title.is_empty() {
        return Err(EditorError::invalid(
            "product[title]",
            Problem::ProductTitleMissing,
        ));
    }
    let slug_given = input.slug.trim();
    let slug = if slug_given.is_empty() {
        slugify(&title)
    } else {
        slug_given.to_lowercase()
    };
    if slug.is_empty()
        || slug.len() > 120
        || !slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        || slug.starts_with('-')
        || slug.ends_with('-')
    {
        return Err(EditorError::invalid(
            "product[slug]",
            Problem::ProductSlugInvalid,
        ));
    }
    let status = match input.status.trim() {
        "" => "draft".to_owned(),
        s if ["draft", "active", "archived"].contains(&s) => s.to_owned(),
        _ => {
            return Err(EditorError::invalid(
                "product[status]",
                Problem::ProductStatusUnknown,
            ));
        }
    };
    let mut tags = Vec::new();
    for tag in input
        .tags
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        if tag.chars().count() > 40 {
            return Err(EditorError::invalid("product[tags]", Problem::TagTooLong));
        }
        if !tags.iter().any(|t: &String| t.eq_ignore_ascii_case(tag)) {
            tags.push(tag.to_owned());
        }
    }
    if tags.len() > 30 {
        return Err(EditorError::invalid("product[tags]", Problem::TooManyTags));
    }
    let names = [
        &input.option1_name,
        &input.option2_name,
        &input.option3_name,
    ];
    let mut option_names = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let name = limit(
            &format!("product[option{}_name]", i + 1),
            name,
            40,
            FieldName::OptionName,
        )?;
        if name.is_empty() {
            if names[i + 1..].iter().any(|n| !n.trim().is_empty()) {
                return Err(EditorError::invalid(
                    format!("product[option{}_name]", i + 1),
                    Problem::OptionsOutOfOrder,
                ));
            }
            break;
        }
        if option_names
            .iter()
            .any(|n: &String| n.eq_ignore_ascii_case(&name))
        {
            return Err(EditorError::invalid(
                format!("product[option{}_name]", i + 1),
                Problem::OptionNameTwice,
            ));
        }
        option_names.push(name);
    }
    Ok(CleanProduct {
        title,
        slug,
        description: limit(
            "product[description]",
            &input.description,
            20_000,
            FieldName::Description,
        )?,
        brand: limit("product[brand]", &input.brand, 100, FieldName::Brand)?,
        status,
        category_id: Some(input.category_id.trim().to_owned()).filter(|c| !c.is_empty()),
        product_type: limit(
            "product[product_type]",
            &input.product_type,
            100,
            FieldName::ProductType,
        )?,
        tags,
        seo_title: limit(
            "product[seo_title]",
            &input.seo_title,
            70,
            FieldName::SearchTitle,
        )?,
        seo_description: limit(
            "product[seo_description]",
            &input.seo_description,
            320,
            FieldName::SearchDescription,
        )?,
        option_names,
    })
}

/// Checks the variants that stay (rows marked for removal and blank new rows are left out).
pub fn clean_variants(
    rows: &[VariantInput],
    option_names: &[String],
    currency: Currency,
) -> Result<Vec<CleanVariant>, EditorError> {
    let mut out = Vec::new();
    let mut skus = HashSet::new();
    let mut combinations = HashSet::new();
    for (n, row) in rows.iter().enumerate() {
        let field = |name: &str| format!("variants[{n}][{name}]");
        let blank_new = row.id.trim().is_empty()
            && [
                &row.sku,
                &row.price,
                &row.option1,
                &row.option2,
                &row.option3,
            ]
            .iter()
            .all(|v| v.trim().is_empty());
        if blank_new || row.remove.trim() == "on" {
            continue;
        }
        let id = Some(row.id.trim().to_owned()).filter(|i| !i.is_empty());
        if let Some(id) = &id
            && PublicId::parse(id).is_err()
        {
            return Err(EditorError::invalid(
                field("id"),
                Problem::VariantNotInProduct,
            ));
        }
        let sku = limit(&field("sku"), &row.sku, 64, FieldName::Sku)?;
        if sku.is_empty() || sku.chars().any(char::is_whitespace) {
            return Err(EditorError::invalid(field("sku"), Problem::SkuInvalid));
        }
        if !skus.insert(sku.to_lowercase()) {
            return Err(EditorError::invalid(
                field("sku"),
                Problem::SkuTwice { sku: sku.clone() },
            ));
        }
        let values = [&row.option1, &row.option2, &row.option3];
        let mut options = Vec::new();
        for (i, name) in option_names.iter().enumerate() {
            let value = limit(
                &field(&format!("option{}", i + 1)),
                values[i],
                60,
                FieldName::OptionValue,
            )?;
            if value.is_empty() {
                return Err(EditorError::invalid(
                    field(&format!("option{}", i + 1)),
                    Problem::OptionValueMissing {
                        sku: sku.clone(),
                        option: name.clone(),
                    },
                ));
            }
            options.push(value);
        }
        let combination = options
            .iter()
            .map(|o| o.to_lowercase())
            .collect::<Vec<_>>()
            .join("\u{1f}");
        if !combinations.insert(combination) {
            return Err(EditorError::invalid(
                field("option1"),
                Problem::OptionsTwice {
                    options: options.join(" / "),
                },
            ));
        }
        let price = Money::parse_decimal(row.price.trim(), currency)
            .ok()
            .filter(|m| m.minor > 0 && m.minor <= 100_000_000_000)
            .ok_or_else(|| {
                EditorError::invalid(field("price"), Problem::PriceMissing { sku: sku.clone() })
            })?;
        let compare_at = match row.compare_at.trim() {
            "" => None,
            text => Some(
                Money::parse_decimal(text, currency)
                    .ok()
                    .filter(|m| m.minor > 0 && m.minor <= 100_000_000_000)
                    .ok_or_else(|| {
                        EditorError::invalid(field("compare_at"), Problem::CompareAtPriceInvalid)
                    })?
                    .minor,
            ),
        };
        let whole = |name: &str, text: &str, what: FieldName| -> Result<i64, EditorError> {
            match text.trim() {
                "" => Ok(0),
                t => t
                    .parse::<i64>()
                    .ok()
                    .filter(|v| (0..=1_000_000).contains(v))
                    .ok_or_else(|| {
                        EditorError::invalid(field(name), Problem::WholeNumberRange { what })
                    }),
            }
        };
        let barcode = limit(&field("barcode"), &row.barcode, 40, FieldName::Barcode)?;
        out.push(CleanVariant {
            id: id.clone(),
            sku,
            options,
            price_minor: price.minor,
            compare_at_minor: compare_at,
            weight_grams: whole("weight_grams", &row.weight_grams, FieldName::WeightInGrams)?,
            barcode: Some(barcode).filter(|b| !b.is_empty()),
            initial_stock: if id.is_none() {
                whole("stock", &row.stock, FieldName::Stock)?
            } else {
                0
            },
        });
    }
    if out.is_empty() {
        return Err(EditorError::invalid(
            "variants[0][sku]",
            Problem::VariantsMissing,
        ));
    }
    if out.len() > MAX_VARIANTS {
        return Err(EditorError::invalid(
            "variants",
            Problem::TooManyVariants {
                max: MAX_VARIANTS as u32,
            },
        ));
    }
    Ok(out)
}

use crate::store::queries::store_currency;

/// Records a price drop of `product_id` (shoppers who keep it among their favourites are
/// told, once a day; see `assembly::reactions`). Nothing when the price did not fall.
async fn price_dropped(
    tx: &mut AnyConnection,
    product_id: &str,
    was: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    if now >= was {
        return Ok(());
    }
    crate::platform::events::record(
        tx,
        &crate::catalog::events::PriceDropped {
            product_id: product_id.to_owned(),
            was,
            now,
        },
    )
    .await
}

/// Creates (`id` None) or updates a product with its variants, in one transaction; variants
/// not listed are removed. Returns the product's id.
pub async fn save_product(
    db: &Db,
    id: Option<&str>,
    product: &CleanProduct,
    variants: &[CleanVariant],
    actor: &str,
) -> Result<String, EditorError> {
    save_product_keeping(db, id, product, variants, actor, false).await
}

/// [`save_product`]; with `keep_missing`, variants not listed stay as they are (an import
/// that names only some of them).
pub async fn save_product_keeping(
    db: &Db,
    id: Option<&str>,
    product: &CleanProduct,
    variants: &[CleanVariant],
    actor: &str,
    keep_missing: bool,
) -> Result<String, EditorError> {
    let mut tx = db.begin_write().await?;
    let currency = store_currency(&mut tx).await?;
    if let Some(category) = &product.category_id {
        let known: Option<String> = sqlx::query_scalar("SELECT id FROM categories WHERE id = $1")
            .bind(category)
            .fetch_optional(&mut *tx)
            .await?;
        if known.is_none() {
            return Err(EditorError::invalid(
                "product[category_id]",
                Problem::CategoryUnknown,
            ));
        }
    }
    let at = now().millis();
    let lowest_before = match id {
        Some(id) => product_store::lowest_price(&mut tx, id).await?,
        None => None,
    };
    let mut lowest = variants.iter().map(|v| v.price_minor).min().unwrap_or(0);
    if keep_missing && let Some(id) = id {
        let kept: Option<i64> =
            sqlx::query_scalar("SELECT MIN(price_minor) FROM variants WHERE product_id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
        lowest = kept.map_or(lowest, |k| k.min(lowest));
    }
    let row = ProductRow {
        slug: &product.slug,
        title: &product.title,
        description: &product.description,
        brand: &product.brand,
        status: &product.status,
        category_id: product.category_id.as_deref(),
        product_type: &product.product_type,
        seo_title: &product.seo_title,
        seo_description: &product.seo_description,
        option_names: &product.option_names,
        price_minor: lowest,
        currency: currency.code(),
    };
    let product_id = match id {
        Some(id) => {
            if !product_store::update_product(&mut tx, id, &row, at)
                .await
                .map_err(slug_taken)?
            {
                return Err(EditorError::NotFound);
            }
            id.to_owned()
        }
        None => {
            let id = new_id().to_string();
            product_store::insert_product(&mut tx, &id, &row, at, 0)
                .await
                .map_err(slug_taken)?;
            id
        }
    };
    product_store::set_tags(&mut tx, &product_id, &product.tags, true).await?;
    // Variants: the ones not kept go, the kept ones change, the new ones come in.
    let existing: Vec<String> = sqlx::query_scalar("SELECT id FROM variants WHERE product_id = $1")
        .bind(&product_id)
        .fetch_all(&mut *tx)
        .await?;
    for v in variants {
        if let Some(vid) = &v.id
            && !existing.contains(vid)
        {
            return Err(EditorError::invalid(
                "variants",
                Problem::VariantNotInProductReload,
            ));
        }
    }
    for gone in existing
        .iter()
        .filter(|_| !keep_missing)
        .filter(|e| !variants.iter().any(|v| v.id.as_ref() == Some(e)))
    {
        product_store::remove_variant(&mut tx, gone, &product_id).await?;
    }
    let mut location = None;
    for (position, v) in variants.iter().enumerate() {
        let title = if v.options.is_empty() {
            "Default".to_owned()
        } else {
            v.options.join(" / ")
        };
        let row = VariantRow {
            sku: &v.sku,
            title: &title,
            price_minor: v.price_minor,
            compare_at_minor: v.compare_at_minor,
            position: i64::try_from(position).unwrap_or(0),
            options: &v.options,
            weight_grams: v.weight_grams,
            barcode: v.barcode.as_deref(),
        };
        match &v.id {
            Some(vid) => {
                product_store::update_variant(&mut tx, vid, &product_id, &row)
                    .await
                    .map_err(|e| sku_taken(e, &v.sku))?;
            }
            None => {
                let vid = new_id().to_string();
                product_store::insert_variant(&mut tx, &vid, &product_id, &row)
                    .await
                    .map_err(|e| sku_taken(e, &v.sku))?;
                let loc = match &location {
                    Some(l) => l,
                    None => location
                        .insert(crate::catalog::stock_ledger::default_location(&mut tx).await?),
                };
                // Its first units go through the ledger like every other stock change.
                crate::catalog::stock_ledger::receive(&mut tx, &vid, loc, v.initial_stock, actor)
                    .await?;
            }
        }
    }
    if let (Some(was), Some(now_minor)) = (
        lowest_before,
        product_store::lowest_price(&mut tx, &product_id).await?,
    ) {
        price_dropped(&mut tx, &product_id, was, now_minor).await?;
    }
    tx.commit().await?;
    Ok(product_id)
}

fn slug_taken(e: sqlx::Error) -> EditorError {
    if is_unique_violation(&e) {
        EditorError::invalid("product[slug]", Problem::ProductSlugTaken)
    } else {
        e.into()
    }
}

fn sku_taken(e: sqlx::Error, sku: &str) -> EditorError {
    if is_unique_violation(&e) {
        EditorError::invalid(
            "variants",
            Problem::SkuTaken {
                sku: sku.to_owned(),
            },
        )
    } else {
        e.into()
    }
}

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
            "SELECT l.name, s.on_hand FROM stock_levels s JOIN stock_locations l ON l.id = s.location_id
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

/// What the product list is narrowed to.
#[derive(Clone, Debug, Default)]
pub struct ProductFilter {
    pub text: Option<String>,
    pub status: Option<String>,
    pub category_id: Option<String>,
    pub after: Option<(i64, String)>,
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

/// A change made to many products at once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BulkAction {
    SetStatus(&'static str),
    /// Raise (positive) or lower every variant's price by this many basis points.
    AdjustPrice(i64),
    /// Count every variant at the first stock location as this many units (a stock take,
    /// recorded in each variant's history as made by `actor`).
    SetStock {
        units: i64,
        actor: String,
    },
}

/// Applies `action` to the products `ids` in one transaction (all or nothing); returns how
/// many changed.
pub async fn bulk(db: &Db, ids: &[String], action: &BulkAction) -> Result<u64, EditorError> {
    let mut tx = db.begin_write().await?;
    let at = now().millis();
    let mut changed = 0;
    for id in ids {
        match action {
            BulkAction::SetStatus(status) => {
                changed += u64::from(product_store::set_status(&mut tx, id, status, at).await?);
            }
            BulkAction::AdjustPrice(bp) => {
                let was = product_store::lowest_price(&mut tx, id).await?;
                if product_store::adjust_prices(&mut tx, db.engine(), id, *bp, at).await? {
                    changed += 1;
                    if let (Some(was), Some(now_minor)) =
                        (was, product_store::lowest_price(&mut tx, id).await?)
                    {
                        price_dropped(&mut tx, id, was, now_minor).await?;
                    }
                }
            }
            BulkAction::SetStock { units, actor } => {
                use crate::catalog::stock_ledger::{LedgerError, set_count};
                let variants: Vec<(String, String)> = sqlx::query_as(
                    "SELECT id, sku FROM variants WHERE product_id = $1 ORDER BY position, id",
                )
                .bind(id)
                .fetch_all(&mut *tx)
                .await?;
                let location = crate::catalog::stock_ledger::default_location(&mut tx).await?;
                for (variant, sku) in &variants {
                    match set_count(
                        &mut tx,
                        variant,
                        &location,
                        *units,
                        "counted",
                        "Bulk change",
                        actor,
                    )
                    .await
                    {
                        Ok(_) => {}
                        Err(LedgerError::Db(e)) => return Err(e.into()),
                        Err(e) => {
                            return Err(EditorError::invalid(
                                "units",
                                Problem::StockChangeRefused {
                                    sku: sku.clone(),
                                    reason: Box::new(e.problem()),
                                },
                            ));
                        }
                    }
                }
                product_store::touch(&mut tx, id, at).await?;
                changed += u64::from(!variants.is_empty());
            }
        }
    }
    tx.commit().await?;
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variant(sku: &str, price: &str, option1: &str) -> VariantInput {
        VariantInput {
            sku: sku.into(),
            price: price.into(),
            option1: option1.into(),
            ..VariantInput::default()
        }
    }

    #[test]
    fn a_product_gets_a_slug_from_its_title_and_tags_are_deduplicated() {
        let p = clean_product(&ProductInput {
            title: "Linen Shirt, Blue".into(),
            tags: "summer, Summer, linen,,".into(),
            status: "active".into(),
            option1_name: "Size".into(),
            ..ProductInput::default()
        })
        .unwrap();
        assert_eq!(p.slug, "linen-shirt-blue");
        assert_eq!(p.tags, vec!["summer", "linen"]);
        assert_eq!(p.option_names, vec!["Size"]);
    }

    #[test]
    fn bad_products_are_refused_with_the_field_named() {
        let field_of = |input: ProductInput| match clean_product(&input) {
            Err(EditorError::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(field_of(ProductInput::default()), "product[title]");
        assert_eq!(
            field_of(ProductInput {
                title: "T".into(),
                slug: "Not a slug!".into(),
                ..Default::default()
            }),
            "product[slug]"
        );
        assert_eq!(
            field_of(ProductInput {
                title: "T".into(),
                option2_name: "Colour".into(),
                ..Default::default()
            }),
            "product[option1_name]"
        );
        assert_eq!(
            field_of(ProductInput {
                title: "T".into(),
                status: "live".into(),
                ..Default::default()
            }),
            "product[status]"
        );
    }

    #[test]
    fn variants_need_unique_skus_options_and_real_prices() {
        let names = vec!["Size".to_owned()];
        let ok = clean_variants(
            &[
                variant("A-S", "19.99", "S"),
                variant("A-M", "21", "M"),
                VariantInput::default(),
            ],
            &names,
            Currency::EUR,
        )
        .unwrap();
        assert_eq!(ok.len(), 2, "the blank row is not a variant");
        assert_eq!(ok[0].price_minor, 1999);
        assert_eq!(ok[1].price_minor, 2100);
        let err = |rows: &[VariantInput]| {
            clean_variants(rows, &names, Currency::EUR)
                .unwrap_err()
                .to_string()
        };
        assert!(err(&[variant("A", "1", "S"), variant("a", "1", "M")]).contains("used twice"));
        assert!(err(&[variant("A", "1", "S"), variant("B", "1", "s")]).contains("Two variants"));
        assert!(err(&[variant("A", "-1", "S")]).contains("price"));
        assert!(err(&[variant("A", "abc", "S")]).contains("price"));
        assert!(err(&[variant("A", "1", "")]).contains("Size"));
        assert!(err(&[]).contains("at least one"));
        let mut removed = variant("A", "1", "S");
        removed.remove = "on".into();
        assert!(err(&[removed]).contains("at least one"));
    }
}
