//! Every write to a product's rows: `products`, `variants` (but their stock, which only
//! `stock_ledger` moves), `product_tags`, `product_attributes` and `product_images`. The product
//! editor, the CSV import, the demo catalog and other domains' causes (a paid order's sales)
//! decide what to write and call these functions in their transaction; they check inputs
//! first (`editor_service::clean_product`), so the functions here only store.

use crate::platform::clock::now;
use crate::platform::db::{Db, Engine};
use crate::platform::ids::new_id;
use sqlx::AnyConnection;

/// A product's own fields, as stored.
#[derive(Clone, Debug)]
pub struct ProductRow<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub brand: &'a str,
    /// draft, active or archived.
    pub status: &'a str,
    pub category_id: Option<&'a str>,
    pub product_type: &'a str,
    pub seo_title: &'a str,
    pub seo_description: &'a str,
    /// Up to three option names (Size, Colour, ...), in order.
    pub option_names: &'a [String],
    /// The lowest variant price (listings sort and filter by it).
    pub price_minor: i64,
    pub currency: &'a str,
}

/// Binds a product's fields in the order both statements name them: slug to currency, the
/// time of the change, then the option names, SEO fields and type.
fn bind_product<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    p: &'q ProductRow<'q>,
    at: i64,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    query
        .bind(p.slug)
        .bind(p.title)
        .bind(p.description)
        .bind(p.brand)
        .bind(p.status)
        .bind(p.category_id)
        .bind(p.price_minor)
        .bind(p.currency)
        .bind(at)
        .bind(p.option_names.first())
        .bind(p.option_names.get(1))
        .bind(p.option_names.get(2))
        .bind(p.seo_title)
        .bind(p.seo_description)
        .bind(p.product_type)
}

/// Inserts a new product (with no variants yet) made at `at`, having sold `sold_count` units.
pub async fn insert_product(
    tx: &mut AnyConnection,
    id: &str,
    p: &ProductRow<'_>,
    at: i64,
    sold_count: i64,
) -> Result<(), sqlx::Error> {
    let query = sqlx::query(
        "INSERT INTO products (id, slug, title, description, brand, status, category_id, price_minor, currency,
                created_at, updated_at, option1_name, option2_name, option3_name, seo_title, seo_description,
                product_type, sold_count)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $12, $13, $14, $15, $16, $17)",
    )
    .bind(id);
    bind_product(query, p, at)
        .bind(sold_count)
        .execute(tx)
        .await
        .map(|_| ())
}

/// Replaces a product's fields; false if there is no such product.
pub async fn update_product(
    tx: &mut AnyConnection,
    id: &str,
    p: &ProductRow<'_>,
    at: i64,
) -> Result<bool, sqlx::Error> {
    let query = sqlx::query(
        "UPDATE products SET slug = $1, title = $2, description = $3, brand = $4, status = $5, category_id = $6,
                price_minor = $7, currency = $8, updated_at = $9, option1_name = $10, option2_name = $11,
                option3_name = $12, seo_title = $13, seo_description = $14, product_type = $15
         WHERE id = $16",
    );
    let updated = bind_product(query, p, at).bind(id).execute(tx).await?;
    Ok(updated.rows_affected() == 1)
}

/// Gives a product these tags (with `replace`, only these).
pub async fn set_tags(
    tx: &mut AnyConnection,
    product_id: &str,
    tags: &[String],
    replace: bool,
) -> Result<(), sqlx::Error> {
    if replace {
        sqlx::query("DELETE FROM product_tags WHERE product_id = $1")
            .bind(product_id)
            .execute(&mut *tx)
            .await?;
    }
    for tag in tags {
        sqlx::query(
            "INSERT INTO product_tags (product_id, tag) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(product_id)
        .bind(tag)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// Adds a named attribute ("Material: linen") at `position`.
pub async fn add_attribute(
    tx: &mut AnyConnection,
    product_id: &str,
    name: &str,
    value: &str,
    position: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO product_attributes (product_id, name, value, position) VALUES ($1, $2, $3, $4)",
    )
    .bind(product_id)
    .bind(name)
    .bind(value)
    .bind(position)
    .execute(tx)
    .await
    .map(|_| ())
}

/// A variant's own fields, as stored (its stock is the ledger's).
#[derive(Clone, Debug)]
pub struct VariantRow<'a> {
    pub sku: &'a str,
    /// The options joined ("M / Blue"), or "Default".
    pub title: &'a str,
    pub price_minor: i64,
    pub compare_at_minor: Option<i64>,
    pub position: i64,
    /// Up to three option values, in the order of the product's option names.
    pub options: &'a [String],
    pub weight_grams: i64,
    pub barcode: Option<&'a str>,
}

/// Binds a variant's fields in the order both statements name them.
fn bind_variant<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    v: &'q VariantRow<'q>,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    query
        .bind(v.sku)
        .bind(v.title)
        .bind(v.price_minor)
        .bind(v.compare_at_minor)
        .bind(v.position)
        .bind(v.options.first())
        .bind(v.options.get(1))
        .bind(v.options.get(2))
        .bind(v.weight_grams)
        .bind(v.barcode)
}

/// Inserts a variant with no stock (its first units go through `stock_ledger::receive`).
pub async fn insert_variant(
    tx: &mut AnyConnection,
    id: &str,
    product_id: &str,
    v: &VariantRow<'_>,
) -> Result<(), sqlx::Error> {
    let query = sqlx::query(
        "INSERT INTO variants (id, product_id, sku, title, price_minor, compare_at_minor, stock, position,
                option1, option2, option3, weight_grams, barcode)
         VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8, $9, $10, $11, $12)",
    )
    .bind(id)
    .bind(product_id);
    bind_variant(query, v).execute(tx).await.map(|_| ())
}

/// Replaces a variant's fields (not its stock).
pub async fn update_variant(
    tx: &mut AnyConnection,
    id: &str,
    product_id: &str,
    v: &VariantRow<'_>,
) -> Result<(), sqlx::Error> {
    let query = sqlx::query(
        "UPDATE variants SET sku = $1, title = $2, price_minor = $3, compare_at_minor = $4, position = $5,
                option1 = $6, option2 = $7, option3 = $8, weight_grams = $9, barcode = $10
         WHERE id = $11 AND product_id = $12",
    );
    bind_variant(query, v)
        .bind(id)
        .bind(product_id)
        .execute(tx)
        .await
        .map(|_| ())
}

/// Removes a variant of the product.
pub async fn remove_variant(
    tx: &mut AnyConnection,
    id: &str,
    product_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM variants WHERE id = $1 AND product_id = $2")
        .bind(id)
        .bind(product_id)
        .execute(tx)
        .await
        .map(|_| ())
}

/// Sets a product's status; returns whether it changed.
pub async fn set_status(
    tx: &mut AnyConnection,
    product_id: &str,
    status: &str,
    at: i64,
) -> Result<bool, sqlx::Error> {
    let changed = sqlx::query(
        "UPDATE products SET status = $1, updated_at = $2 WHERE id = $3 AND status <> $1",
    )
    .bind(status)
    .bind(at)
    .bind(product_id)
    .execute(tx)
    .await?;
    Ok(changed.rows_affected() == 1)
}

/// Changes every variant price of a product by `basis_points` (rounded to the nearest minor
/// unit, never below one) and its listed lowest price; false if it has no variants.
pub async fn adjust_prices(
    tx: &mut AnyConnection,
    engine: Engine,
    product_id: &str,
    basis_points: i64,
    at: i64,
) -> Result<bool, sqlx::Error> {
    let sql = match engine {
        Engine::Postgres => {
            "UPDATE variants SET price_minor = GREATEST(1, (price_minor * (10000 + $1) + 5000) / 10000) WHERE product_id = $2"
        }
        Engine::Sqlite => {
            "UPDATE variants SET price_minor = MAX(1, (price_minor * (10000 + $1) + 5000) / 10000) WHERE product_id = $2"
        }
    };
    let moved = sqlx::query(sql)
        .bind(basis_points)
        .bind(product_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if moved == 0 {
        return Ok(false);
    }
    sqlx::query(
        "UPDATE products SET price_minor = (SELECT MIN(price_minor) FROM variants WHERE product_id = $1), updated_at = $2 WHERE id = $1",
    )
    .bind(product_id)
    .bind(at)
    .execute(tx)
    .await?;
    Ok(true)
}

/// A picture of a product, as stored.
#[derive(Clone, Debug)]
pub struct ImageRow<'a> {
    /// Its place among the product's pictures; `None` puts it last.
    pub position: Option<i64>,
    pub file_key: &'a str,
    pub alt: &'a str,
    pub width: i64,
    pub height: i64,
    /// The address it was imported from, if any (so a second import does not fetch it again).
    pub source_url: Option<&'a str>,
}

/// Adds a picture to a product.
pub async fn insert_image(
    tx: &mut AnyConnection,
    product_id: &str,
    image: &ImageRow<'_>,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO product_images (id, product_id, position, file_key, alt, width, height, source_url, created_at)
         VALUES ($1, $2, COALESCE($3, (SELECT COALESCE(MAX(position), -1) + 1 FROM product_images WHERE product_id = $2)),
                 $4, $5, $6, $7, $8, $9)",
    )
    .bind(new_id().to_string())
    .bind(product_id)
    .bind(image.position)
    .bind(image.file_key)
    .bind(image.alt)
    .bind(image.width)
    .bind(image.height)
    .bind(image.source_url)
    .bind(at)
    .execute(tx)
    .await
    .map(|_| ())
}

/// Adds an uploaded picture (already stored under `key`) as the product's last one; false if
/// there is no such product. A staff upload names `who` for the audit log (an import's
/// pictures are logged with the import).
pub async fn add_image(
    db: &Db,
    who: Option<&crate::platform::audit_trail::Who>,
    product_id: &str,
    image: &ImageRow<'_>,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let at = now().millis();
    let touched = sqlx::query("UPDATE products SET updated_at = $1 WHERE id = $2")
        .bind(at)
        .bind(product_id)
        .execute(&mut *tx)
        .await?;
    if touched.rows_affected() != 1 {
        return Ok(false);
    }
    insert_image(&mut tx, product_id, image, at).await?;
    if let Some(who) = who {
        crate::platform::audit_trail::record(
            &mut tx,
            who,
            "product.picture_added",
            &format!("product:{product_id}"),
            None,
            Some(serde_json::json!({ "file": image.file_key, "alt": image.alt })),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// What to do to one picture.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImageChange {
    Alt(String),
    MoveUp,
    MoveDown,
    Remove,
}

/// Changes one of a product's pictures (`who` is in the audit log); false when the picture is
/// not the product's.
pub async fn change_image(
    db: &Db,
    who: &crate::platform::audit_trail::Who,
    product_id: &str,
    image_id: &str,
    change: &ImageChange,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM product_images WHERE product_id = $1 ORDER BY position, id",
    )
    .bind(product_id)
    .fetch_all(&mut *tx)
    .await?;
    let Some(index) = ids.iter().position(|i| i == image_id) else {
        return Ok(false);
    };
    let mut order = ids.clone();
    match change {
        ImageChange::Alt(alt) => {
            sqlx::query("UPDATE product_images SET alt = $1 WHERE id = $2")
                .bind(alt)
                .bind(image_id)
                .execute(&mut *tx)
                .await?;
        }
        ImageChange::MoveUp if index > 0 => order.swap(index, index - 1),
        ImageChange::MoveDown if index + 1 < order.len() => order.swap(index, index + 1),
        ImageChange::Remove => {
            sqlx::query("DELETE FROM product_images WHERE id = $1")
                .bind(image_id)
                .execute(&mut *tx)
                .await?;
            order.remove(index);
        }
        _ => {}
    }
    for (position, id) in order.iter().enumerate() {
        sqlx::query("UPDATE product_images SET position = $1 WHERE id = $2")
            .bind(i64::try_from(position).unwrap_or(0))
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    touch(&mut tx, product_id, now().millis()).await?;
    let what = match change {
        ImageChange::Alt(alt) => serde_json::json!({ "picture": image_id, "alt": alt }),
        ImageChange::MoveUp => serde_json::json!({ "picture": image_id, "moved": "up" }),
        ImageChange::MoveDown => serde_json::json!({ "picture": image_id, "moved": "down" }),
        ImageChange::Remove => serde_json::json!({ "picture": image_id, "removed": true }),
    };
    crate::platform::audit_trail::record(
        &mut tx,
        who,
        "product.picture_changed",
        &format!("product:{product_id}"),
        None,
        Some(what),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Touches every product of a category (its name or place changed, listings show it).
pub async fn touch_category(
    tx: &mut AnyConnection,
    category_id: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE products SET updated_at = $1 WHERE category_id = $2")
        .bind(at)
        .bind(category_id)
        .execute(tx)
        .await
        .map(|_| ())
}

/// Marks a product changed for listings (the search follower re-reads products by
/// `updated_at`): its stock crossed zero, its price moved, it was edited.
pub async fn touch(tx: &mut AnyConnection, product_id: &str, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE products SET updated_at = $1 WHERE id = $2")
        .bind(at)
        .bind(product_id)
        .execute(&mut *tx)
        .await
        .map(|_| ())
}

/// Gives the products to `vendor_id` (`None`: back to the marketplace's operator); how many
/// changed. Marks them changed for listings.
pub async fn set_vendor(
    tx: &mut AnyConnection,
    product_ids: &[String],
    vendor_id: Option<&str>,
    at: i64,
) -> Result<u64, sqlx::Error> {
    let mut changed = 0;
    for id in product_ids {
        changed += sqlx::query("UPDATE products SET vendor_id = $1, updated_at = $2 WHERE id = $3")
            .bind(vendor_id)
            .bind(at)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    }
    Ok(changed)
}

/// [`touch`] for every product of `vendor_id` (its status changed: they appear in or leave
/// the storefront).
pub async fn touch_vendor(
    tx: &mut AnyConnection,
    vendor_id: &str,
    at: i64,
) -> Result<u64, sqlx::Error> {
    Ok(
        sqlx::query("UPDATE products SET updated_at = $1 WHERE vendor_id = $2")
            .bind(at)
            .bind(vendor_id)
            .execute(&mut *tx)
            .await?
            .rows_affected(),
    )
}

/// [`touch`] for the product of a variant.
pub async fn touch_variant(
    tx: &mut AnyConnection,
    variant_id: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE products SET updated_at = $1 WHERE id = (SELECT product_id FROM variants WHERE id = $2)",
    )
    .bind(at)
    .bind(variant_id)
    .execute(&mut *tx)
    .await
    .map(|_| ())
}

/// Counts the units of a paid order towards its products' sales ("best sellers").
pub async fn count_sales_of_order(
    tx: &mut AnyConnection,
    order_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE products SET sold_count = sold_count + (
             SELECT COALESCE(SUM(l.quantity), 0) FROM order_lines l JOIN variants v ON v.id = l.variant_id
             WHERE l.order_id = $1 AND v.product_id = products.id)
         WHERE id IN (SELECT v.product_id FROM order_lines l JOIN variants v ON v.id = l.variant_id WHERE l.order_id = $1)",
    )
    .bind(order_id)
    .execute(&mut *tx)
    .await
    .map(|_| ())
}

/// The lowest price of a product's variants (to compare before and after an edit).
pub async fn lowest_price(
    tx: &mut AnyConnection,
    product_id: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT MIN(price_minor) FROM variants WHERE product_id = $1")
        .bind(product_id)
        .fetch_one(tx)
        .await
}
