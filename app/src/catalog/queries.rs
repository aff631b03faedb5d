//! Catalog reads.

use super::views::{ImageRef, ProductDetail, ProductSummary, SellerFront, SellerRef, VariantView};
use shop_types::{Currency, Money};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

fn money(minor: i64, currency: &str) -> Result<Money, sqlx::Error> {
    let currency = Currency::parse(currency).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    Ok(Money::new(minor, currency))
}

/// Columns naming a product's first picture, for any query over `products p` (read back
/// with [`first_image`]).
pub const FIRST_IMAGE: &str = "
    (SELECT i.file_key FROM product_images i WHERE i.product_id = p.id ORDER BY i.position, i.id LIMIT 1) AS image_key,
    (SELECT i.alt FROM product_images i WHERE i.product_id = p.id ORDER BY i.position, i.id LIMIT 1) AS image_alt,
    (SELECT i.width FROM product_images i WHERE i.product_id = p.id ORDER BY i.position, i.id LIMIT 1) AS image_width,
    (SELECT i.height FROM product_images i WHERE i.product_id = p.id ORDER BY i.position, i.id LIMIT 1) AS image_height";

/// The first picture selected by [`FIRST_IMAGE`], if the product has one.
pub fn first_image(row: &AnyRow) -> Result<Option<ImageRef>, sqlx::Error> {
    let Some(key) = row.try_get::<Option<String>, _>("image_key")? else {
        return Ok(None);
    };
    Ok(Some(ImageRef {
        key,
        alt: row
            .try_get::<Option<String>, _>("image_alt")?
            .unwrap_or_default(),
        width: row.try_get::<Option<i64>, _>("image_width")?.unwrap_or(0) as u32,
        height: row.try_get::<Option<i64>, _>("image_height")?.unwrap_or(0) as u32,
    }))
}

pub use crate::search::documents::ON_SALE;

/// The seller named by the `seller_slug` and `seller_name` columns of [`SUMMARY_COLUMNS`].
pub fn seller(row: &AnyRow) -> Result<Option<SellerRef>, sqlx::Error> {
    let slug: Option<String> = row.try_get("seller_slug")?;
    let name: Option<String> = row.try_get("seller_name")?;
    Ok(slug.zip(name).map(|(slug, name)| SellerRef { slug, name }))
}

fn summary(row: &AnyRow) -> Result<ProductSummary, sqlx::Error> {
    let currency: String = row.try_get("currency")?;
    let image = first_image(row)?;
    let compare_at = row.try_get::<Option<i64>, _>("compare_at_minor")?;
    Ok(ProductSummary {
        id: row.try_get("id")?,
        slug: row.try_get("slug")?,
        title: row.try_get("title")?,
        brand: row.try_get("brand")?,
        price: money(row.try_get("price_minor")?, &currency)?,
        compare_at: compare_at.map(|c| money(c, &currency)).transpose()?,
        image,
        highlighted: None,
        seller: seller(row)?,
    })
}

/// The columns [`summary`] reads, for a query over `products p`: the reduction of the
/// cheapest variant comes from a correlated subquery, the picture from [`FIRST_IMAGE`], the
/// seller (while approved) from `vendors`.
const SUMMARY_COLUMNS: &str = "p.id, p.slug, p.title, p.brand, p.price_minor, p.currency,
    (SELECT sv.slug FROM vendors sv WHERE sv.id = p.vendor_id AND sv.status = 'approved') AS seller_slug,
    (SELECT sv.name FROM vendors sv WHERE sv.id = p.vendor_id AND sv.status = 'approved') AS seller_name,
    (SELECT MAX(v.compare_at_minor) FROM variants v WHERE v.product_id = p.id AND v.price_minor = p.price_minor AND v.compare_at_minor > v.price_minor) AS compare_at_minor,";

/// An active product by its slug, with variants, images and facts; `viewer` marks it as their
/// favourite.
pub async fn product_by_slug(
    conn: &mut AnyConnection,
    slug: &str,
    viewer: Option<&str>,
) -> Result<Option<ProductDetail>, sqlx::Error> {
    product_by_slug_in(conn, slug, viewer, false).await
}

/// [`product_by_slug`], also finding drafts and archived products when `any_status` (staff
/// previewing their work).
pub async fn product_by_slug_in(
    conn: &mut AnyConnection,
    slug: &str,
    viewer: Option<&str>,
    any_status: bool,
) -> Result<Option<ProductDetail>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {SUMMARY_COLUMNS}{FIRST_IMAGE}, p.description, p.category_id, p.option1_name, p.option2_name, p.option3_name
         FROM products p WHERE p.slug = $1 AND (({ON_SALE}) OR $2 = 1)"
    ))
    .bind(slug)
    .bind(i64::from(any_status))
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let summary = summary(&row)?;
    let category_id: Option<String> = row.try_get("category_id")?;
    let breadcrumbs = match category_id {
        Some(id) => {
            let categories = crate::search::documents::category_map(&mut *conn).await?;
            crate::search::documents::category_trail(&categories, Some(&id))
        }
        None => Vec::new(),
    };
    let option_names: Vec<String> = ["option1_name", "option2_name", "option3_name"]
        .iter()
        .map(|c| row.try_get::<Option<String>, _>(*c))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .map_while(|n| n)
        .collect();
    let currency = summary.price.currency.code().to_owned();
    let variants = sqlx::query(
        "SELECT id, sku, title, price_minor, compare_at_minor, stock, option1, option2, option3
         FROM variants WHERE product_id = $1 ORDER BY position, id",
    )
    .bind(&summary.id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|v| {
        let stock: i64 = v.try_get("stock")?;
        let options = ["option1", "option2", "option3"]
            .iter()
            .take(option_names.len())
            .map(|c| Ok(v.try_get::<Option<String>, _>(*c)?.unwrap_or_default()))
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        Ok(VariantView {
            id: v.try_get("id")?,
            sku: v.try_get("sku")?,
            title: v.try_get("title")?,
            options,
            price: money(v.try_get("price_minor")?, &currency)?,
            compare_at: v
                .try_get::<Option<i64>, _>("compare_at_minor")?
                .map(|m| money(m, &currency))
                .transpose()?,
            in_stock: stock > 0,
            stock,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let images = sqlx::query_as::<_, (String, String, i64, i64)>(
        "SELECT file_key, alt, width, height FROM product_images WHERE product_id = $1 ORDER BY position, id",
    )
    .bind(&summary.id)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|(key, alt, width, height)| ImageRef {
        key,
        alt,
        width: width as u32,
        height: height as u32,
    })
    .collect();
    let attributes: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, value FROM product_attributes WHERE product_id = $1 ORDER BY position, name",
    )
    .bind(&summary.id)
    .fetch_all(&mut *conn)
    .await?;
    let tags: Vec<String> =
        sqlx::query_scalar("SELECT tag FROM product_tags WHERE product_id = $1 ORDER BY tag")
            .bind(&summary.id)
            .fetch_all(&mut *conn)
            .await?;
    let favourite = match viewer {
        Some(user_id) => {
            let n: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM favourites WHERE user_id = $1 AND product_id = $2",
            )
            .bind(user_id)
            .bind(&summary.id)
            .fetch_one(&mut *conn)
            .await?;
            n > 0
        }
        None => false,
    };
    let description: String = row.try_get("description")?;
    Ok(Some(ProductDetail {
        description_html: super::markdown::render(&description),
        description,
        breadcrumbs,
        option_names,
        variants,
        images,
        attributes,
        tags,
        favourite,
        summary,
    }))
}

/// A category's name and the (slug, name) trail above it.
pub async fn category_with_parents(
    conn: &mut AnyConnection,
    slug: &str,
) -> Result<Option<(String, Vec<(String, String)>)>, sqlx::Error> {
    let row: Option<(String, String, Option<String>)> =
        sqlx::query_as("SELECT id, name, parent_id FROM categories WHERE slug = $1")
            .bind(slug)
            .fetch_optional(&mut *conn)
            .await?;
    let Some((_, name, parent)) = row else {
        return Ok(None);
    };
    let parents = match parent {
        Some(parent) => {
            let categories = crate::search::documents::category_map(&mut *conn).await?;
            crate::search::documents::category_trail(&categories, Some(&parent))
        }
        None => Vec::new(),
    };
    Ok(Some((name, parents)))
}

/// A collection's title and description.
pub async fn collection_by_slug(
    conn: &mut AnyConnection,
    slug: &str,
) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT title, description FROM collections WHERE slug = $1")
        .bind(slug)
        .fetch_optional(conn)
        .await
}

/// Featured collections for the home page: (slug, title, description), in their order.
pub async fn featured_collections(
    conn: &mut AnyConnection,
) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT slug, title, description FROM collections WHERE featured = 1 ORDER BY position, title",
    )
    .fetch_all(conn)
    .await
}

/// The best-selling active products.
pub async fn best_sellers(
    conn: &mut AnyConnection,
    limit: i64,
) -> Result<Vec<ProductSummary>, sqlx::Error> {
    sqlx::query(&format!(
        "SELECT {SUMMARY_COLUMNS}{FIRST_IMAGE} FROM products p WHERE {ON_SALE} ORDER BY p.sold_count DESC, p.created_at DESC, p.id LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(conn)
    .await?
    .iter()
    .map(summary)
    .collect()
}

/// The newest active products.
pub async fn new_arrivals(
    conn: &mut AnyConnection,
    limit: i64,
) -> Result<Vec<ProductSummary>, sqlx::Error> {
    sqlx::query(&format!(
        "SELECT {SUMMARY_COLUMNS}{FIRST_IMAGE} FROM products p WHERE {ON_SALE} ORDER BY p.created_at DESC, p.id LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(conn)
    .await?
    .iter()
    .map(summary)
    .collect()
}

/// A shopper's favourites, most recently saved first.
pub async fn favourites(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<Vec<ProductSummary>, sqlx::Error> {
    sqlx::query(&format!(
        "SELECT {SUMMARY_COLUMNS}{FIRST_IMAGE} FROM favourites f JOIN products p ON p.id = f.product_id
         WHERE f.user_id = $1 AND {ON_SALE} ORDER BY f.created_at DESC, p.id"
    ))
    .bind(user_id)
    .fetch_all(conn)
    .await?
    .iter()
    .map(summary)
    .collect()
}

/// Top-level categories with their sub-categories, for navigation: (slug, name, parent slug).
pub async fn category_tree(
    conn: &mut AnyConnection,
) -> Result<Vec<(String, String, Option<String>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.slug, c.name, p.slug FROM categories c LEFT JOIN categories p ON p.id = c.parent_id
         ORDER BY COALESCE(p.position, c.position), c.parent_id IS NOT NULL, c.position",
    )
    .fetch_all(conn)
    .await
}

/// An approved seller's storefront by its slug (`None` for any other status: a suspended or
/// closed seller has no public page).
pub async fn seller_front(
    conn: &mut AnyConnection,
    slug: &str,
) -> Result<Option<SellerFront>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT slug, name, description, returns_policy, logo_key, logo_width, logo_height,
                banner_key, banner_width, banner_height
         FROM vendors WHERE slug = $1 AND status = 'approved'",
    )
    .bind(slug)
    .fetch_optional(conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let name: String = row.try_get("name")?;
    // The logo names the seller; the banner is decoration (empty alternative text).
    let logo = picture(&row, "logo", &name)?;
    let banner = picture(&row, "banner", "")?;
    Ok(Some(SellerFront {
        slug: row.try_get("slug")?,
        description: row.try_get("description")?,
        returns_policy: row.try_get("returns_policy")?,
        logo,
        banner,
        name,
    }))
}

/// The picture kept in a row's `<prefix>_key`, `<prefix>_width` and `<prefix>_height` columns
/// (a seller's logo or banner), described by `alt`.
pub fn picture(row: &AnyRow, prefix: &str, alt: &str) -> Result<Option<ImageRef>, sqlx::Error> {
    let key: Option<String> = row.try_get(format!("{prefix}_key").as_str())?;
    let size = |column: &str| -> Result<u32, sqlx::Error> {
        let value: Option<i64> = row.try_get(format!("{prefix}_{column}").as_str())?;
        Ok(value.unwrap_or(0) as u32)
    };
    Ok(match key {
        Some(key) => Some(ImageRef {
            key,
            alt: alt.to_owned(),
            width: size("width")?,
            height: size("height")?,
        }),
        None => None,
    })
}
