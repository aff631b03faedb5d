//! The catalog as a Shopify product CSV: one row per variant (the first carrying the
//! product's fields), extra rows for extra pictures, so the file imports back here or into
//! Shopify. Products are read 500 at a time with their variants, tags and pictures in three
//! queries per batch.

use super::shopify_csv::COLUMNS;
use crate::platform::export::{ExportError, finish};
use shop_types::{Currency, Money};
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

const BATCH: usize = 500;

/// The whole catalog as CSV bytes. `public_url` makes picture addresses absolute.
pub async fn products_csv(
    conn: &mut AnyConnection,
    public_url: &str,
) -> Result<Vec<u8>, ExportError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(COLUMNS)?;
    let categories: HashMap<String, String> = sqlx::query("SELECT id, name FROM categories")
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get("name")?)))
        .collect::<Result<_, sqlx::Error>>()?;
    let mut after = String::new();
    loop {
        let products = sqlx::query(
            "SELECT id, slug, title, description, brand, status, category_id, product_type, currency,
                    option1_name, option2_name, option3_name, seo_title, seo_description
             FROM products WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(&after)
        .bind(i64::try_from(BATCH).unwrap_or(500))
        .fetch_all(&mut *conn)
        .await?;
        let Some(last) = products.last() else { break };
        after = last.try_get("id")?;
        let ids: Vec<String> = products
            .iter()
            .map(|p| p.try_get("id"))
            .collect::<Result<_, _>>()?;
        let placeholders = (1..=ids.len())
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut variants: HashMap<String, Vec<sqlx::any::AnyRow>> = HashMap::new();
        for v in fetch_in(
            &mut *conn,
            &format!(
                "SELECT product_id, sku, option1, option2, option3, price_minor, compare_at_minor, weight_grams, barcode, stock
                 FROM variants WHERE product_id IN ({placeholders}) ORDER BY product_id, position, id"
            ),
            &ids,
        )
        .await?
        {
            variants.entry(v.try_get("product_id")?).or_default().push(v);
        }
        let mut tags: HashMap<String, Vec<String>> = HashMap::new();
        for t in fetch_in(
            &mut *conn,
            &format!("SELECT product_id, tag FROM product_tags WHERE product_id IN ({placeholders}) ORDER BY product_id, tag"),
            &ids,
        )
        .await?
        {
            tags.entry(t.try_get("product_id")?).or_default().push(t.try_get("tag")?);
        }
        let mut images: HashMap<String, Vec<(String, String)>> = HashMap::new();
        for i in fetch_in(
            &mut *conn,
            &format!(
                "SELECT product_id, file_key, alt FROM product_images WHERE product_id IN ({placeholders}) ORDER BY product_id, position, id"
            ),
            &ids,
        )
        .await?
        {
            images
                .entry(i.try_get("product_id")?)
                .or_default()
                .push((format!("{public_url}/media/{}/960.webp", i.try_get::<String, _>("file_key")?), i.try_get("alt")?));
        }
        for p in &products {
            let id: String = p.try_get("id")?;
            let currency =
                Currency::parse(&p.try_get::<String, _>("currency")?).unwrap_or(Currency::EUR);
            let opt = |c: &str| -> Result<String, sqlx::Error> {
                Ok(p.try_get::<Option<String>, _>(c)?.unwrap_or_default())
            };
            let status: String = p.try_get("status")?;
            let vs = variants.remove(&id).unwrap_or_default();
            let pics = images.remove(&id).unwrap_or_default();
            let lines = vs.len().max(pics.len()).max(1);
            for n in 0..lines {
                let mut record = vec![String::new(); COLUMNS.len()];
                let mut set = |column: &str, value: String| {
                    if let Some(i) = COLUMNS.iter().position(|c| *c == column) {
                        record[i] = value;
                    }
                };
                set("Handle", p.try_get("slug")?);
                if n == 0 {
                    set("Title", p.try_get("title")?);
                    set(
                        "Body (HTML)",
                        crate::catalog::markdown::render(&p.try_get::<String, _>("description")?),
                    );
                    // Shopify calls the brand "Vendor".
                    set("Vendor", p.try_get("brand")?);
                    set(
                        "Product Category",
                        p.try_get::<Option<String>, _>("category_id")?
                            .and_then(|c| categories.get(&c).cloned())
                            .unwrap_or_default(),
                    );
                    set("Type", p.try_get("product_type")?);
                    set(
                        "Tags",
                        tags.get(&id).map(|t| t.join(", ")).unwrap_or_default(),
                    );
                    set(
                        "Published",
                        if status == "active" { "TRUE" } else { "FALSE" }.into(),
                    );
                    set("Option1 Name", opt("option1_name")?);
                    set("Option2 Name", opt("option2_name")?);
                    set("Option3 Name", opt("option3_name")?);
                    set("SEO Title", p.try_get("seo_title")?);
                    set("SEO Description", p.try_get("seo_description")?);
                    set("Status", status.clone());
                }
                if let Some(v) = vs.get(n) {
                    let vopt = |c: &str| -> Result<String, sqlx::Error> {
                        Ok(v.try_get::<Option<String>, _>(c)?.unwrap_or_default())
                    };
                    set("Option1 Value", vopt("option1")?);
                    set("Option2 Value", vopt("option2")?);
                    set("Option3 Value", vopt("option3")?);
                    set("Variant SKU", v.try_get("sku")?);
                    set(
                        "Variant Grams",
                        v.try_get::<i64, _>("weight_grams")?.to_string(),
                    );
                    set("Variant Inventory Tracker", "shopify".into());
                    set(
                        "Variant Inventory Qty",
                        v.try_get::<i64, _>("stock")?.to_string(),
                    );
                    set("Variant Inventory Policy", "deny".into());
                    set("Variant Fulfillment Service", "manual".into());
                    set(
                        "Variant Price",
                        Money::new(v.try_get("price_minor")?, currency).to_decimal_string(),
                    );
                    set(
                        "Variant Compare At Price",
                        v.try_get::<Option<i64>, _>("compare_at_minor")?
                            .map(|m| Money::new(m, currency).to_decimal_string())
                            .unwrap_or_default(),
                    );
                    set("Variant Requires Shipping", "TRUE".into());
                    set("Variant Taxable", "TRUE".into());
                    set("Variant Barcode", vopt("barcode")?);
                }
                if let Some((src, alt)) = pics.get(n) {
                    set("Image Src", src.clone());
                    set("Image Position", (n + 1).to_string());
                    set("Image Alt Text", alt.clone());
                }
                crate::platform::export::write_row(&mut out, &record)?;
            }
        }
        if products.len() < BATCH {
            break;
        }
    }
    finish(out)
}

async fn fetch_in(
    conn: &mut AnyConnection,
    sql: &str,
    ids: &[String],
) -> Result<Vec<sqlx::any::AnyRow>, sqlx::Error> {
    let mut query = sqlx::query(sql);
    for id in ids {
        query = query.bind(id);
    }
    query.fetch_all(conn).await
}
