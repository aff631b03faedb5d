//! What the index holds of a product, read from the database in batches.

use crate::search::views::{ImageRef, SellerRef};
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

/// A product shoppers may see and buy, for any query over `products p`: active, and the
/// shop's own or an approved seller's (a seller still onboarding, suspended or closed sells
/// nothing). The one definition every storefront read, the cart, the stock ledger, push and the index use
/// (here, below the catalog, so every layer that needs it can reach it).
pub const ON_SALE: &str = "p.status = 'active' AND (p.vendor_id IS NULL OR p.vendor_id IN (SELECT sv.id FROM vendors sv WHERE sv.status = 'approved'))";

/// One product on sale as the index sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct IndexedProduct {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub brand: String,
    /// Its category and every one above it: (slug, name).
    pub categories: Vec<(String, String)>,
    pub collections: Vec<String>,
    pub tags: Vec<String>,
    pub skus: Vec<String>,
    /// Option values of its variants and its attributes, as (name, value), without repeats.
    pub facets: Vec<(String, String)>,
    pub price_minor: i64,
    pub compare_at_minor: Option<i64>,
    pub currency: String,
    pub created_at: i64,
    pub sold_count: i64,
    pub in_stock: bool,
    pub image: Option<ImageRef>,
    /// The marketplace seller (`None`: the shop's own).
    pub seller: Option<SellerRef>,
}

/// `$1, $2, ...` for `n` values starting at `from`.
fn marks(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn with_ids<'q>(
    sql: &'q str,
    ids: &'q [String],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    let mut query = sqlx::query(sql);
    for id in ids {
        query = query.bind(id.as_str());
    }
    query
}

/// Every category: id → (slug, name, parent id).
pub async fn category_map(
    conn: &mut AnyConnection,
) -> Result<HashMap<String, (String, String, Option<String>)>, sqlx::Error> {
    let rows: Vec<(String, String, String, Option<String>)> =
        sqlx::query_as("SELECT id, slug, name, parent_id FROM categories")
            .fetch_all(conn)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, slug, name, parent)| (id, (slug, name, parent)))
        .collect())
}

/// The category `id` and those above it, top first: (slug, name).
pub fn category_trail(
    categories: &HashMap<String, (String, String, Option<String>)>,
    id: Option<&str>,
) -> Vec<(String, String)> {
    let mut trail = Vec::new();
    let mut next = id.map(str::to_owned);
    // The depth bound stops a (corrupt) cycle from looping for ever.
    while let Some(current) = next.take() {
        if trail.len() > 16 {
            break;
        }
        if let Some((slug, name, parent)) = categories.get(&current) {
            trail.push((slug.clone(), name.clone()));
            next = parent.clone();
        }
    }
    trail.reverse();
    trail
}

/// Reads the products among `ids` that are active; ids missing from the answer should leave
/// the index.
pub async fn load(
    conn: &mut AnyConnection,
    ids: &[String],
    categories: &HashMap<String, (String, String, Option<String>)>,
) -> Result<Vec<IndexedProduct>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let in_ids = marks(1, ids.len());
    let mut products: Vec<IndexedProduct> = Vec::with_capacity(ids.len());
    let mut option_names: HashMap<String, [Option<String>; 3]> = HashMap::new();
    let sql = format!(
        "SELECT p.id, p.slug, p.title, p.description, p.brand, p.category_id, p.price_minor, p.currency,
                p.created_at, p.sold_count, p.option1_name, p.option2_name, p.option3_name,
                seller.slug AS seller_slug, seller.name AS seller_name
         FROM products p LEFT JOIN vendors seller ON seller.id = p.vendor_id
         WHERE {ON_SALE} AND p.id IN ({in_ids})"
    );
    for row in with_ids(&sql, ids).fetch_all(&mut *conn).await? {
        let id: String = row.try_get("id")?;
        option_names.insert(
            id.clone(),
            [
                row.try_get("option1_name")?,
                row.try_get("option2_name")?,
                row.try_get("option3_name")?,
            ],
        );
        let category: Option<String> = row.try_get("category_id")?;
        products.push(IndexedProduct {
            id,
            slug: row.try_get("slug")?,
            title: row.try_get("title")?,
            description: row.try_get("description")?,
            brand: row.try_get("brand")?,
            categories: category_trail(categories, category.as_deref()),
            collections: Vec::new(),
            tags: Vec::new(),
            skus: Vec::new(),
            facets: Vec::new(),
            price_minor: row.try_get("price_minor")?,
            compare_at_minor: None,
            currency: row.try_get("currency")?,
            created_at: row.try_get("created_at")?,
            sold_count: row.try_get("sold_count")?,
            in_stock: false,
            image: None,
            seller: row
                .try_get::<Option<String>, _>("seller_slug")?
                .zip(row.try_get::<Option<String>, _>("seller_name")?)
                .map(|(slug, name)| SellerRef { slug, name }),
        });
    }
    if products.is_empty() {
        return Ok(products);
    }
    let index: HashMap<String, usize> = products
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.clone(), i))
        .collect();

    let sql = format!(
        "SELECT product_id, sku, price_minor, compare_at_minor, stock, option1, option2, option3
         FROM variants WHERE product_id IN ({in_ids}) ORDER BY product_id, position, id"
    );
    for row in with_ids(&sql, ids).fetch_all(&mut *conn).await? {
        let product_id: String = row.try_get("product_id")?;
        let Some(&i) = index.get(&product_id) else {
            continue;
        };
        let p = &mut products[i];
        p.skus.push(row.try_get("sku")?);
        let stock: i64 = row.try_get("stock")?;
        p.in_stock |= stock > 0;
        let price: i64 = row.try_get("price_minor")?;
        if let Some(compare) = row.try_get::<Option<i64>, _>("compare_at_minor")?
            && price == p.price_minor
            && compare > price
        {
            p.compare_at_minor = Some(compare);
        }
        let names = &option_names[&product_id];
        for (k, column) in ["option1", "option2", "option3"].iter().enumerate() {
            if let (Some(name), Some(value)) =
                (&names[k], row.try_get::<Option<String>, _>(*column)?)
            {
                let pair = (name.clone(), value);
                if !p.facets.contains(&pair) {
                    p.facets.push(pair);
                }
            }
        }
    }
    let sql = format!(
        "SELECT product_id, name, value FROM product_attributes WHERE product_id IN ({in_ids}) ORDER BY position"
    );
    for row in with_ids(&sql, ids).fetch_all(&mut *conn).await? {
        let Some(&i) = index.get(&row.try_get::<String, _>("product_id")?) else {
            continue;
        };
        let pair = (row.try_get("name")?, row.try_get("value")?);
        if !products[i].facets.contains(&pair) {
            products[i].facets.push(pair);
        }
    }
    let sql = format!(
        "SELECT product_id, tag FROM product_tags WHERE product_id IN ({in_ids}) ORDER BY tag"
    );
    for row in with_ids(&sql, ids).fetch_all(&mut *conn).await? {
        let Some(&i) = index.get(&row.try_get::<String, _>("product_id")?) else {
            continue;
        };
        products[i].tags.push(row.try_get("tag")?);
    }
    let sql = format!(
        "SELECT cp.product_id, c.slug FROM collection_products cp JOIN collections c ON c.id = cp.collection_id
         WHERE cp.product_id IN ({in_ids})"
    );
    for row in with_ids(&sql, ids).fetch_all(&mut *conn).await? {
        let Some(&i) = index.get(&row.try_get::<String, _>("product_id")?) else {
            continue;
        };
        products[i].collections.push(row.try_get("slug")?);
    }
    let sql = format!(
        "SELECT product_id, file_key, alt, width, height FROM product_images
         WHERE product_id IN ({in_ids}) ORDER BY product_id, position DESC, id DESC"
    );
    for row in with_ids(&sql, ids).fetch_all(&mut *conn).await? {
        // Ordered so the first image (lowest position) is written last and stays.
        let Some(&i) = index.get(&row.try_get::<String, _>("product_id")?) else {
            continue;
        };
        products[i].image = Some(ImageRef {
            key: row.try_get("file_key")?,
            alt: row.try_get("alt")?,
            width: row.try_get::<i64, _>("width")? as u32,
            height: row.try_get::<i64, _>("height")? as u32,
        });
    }
    Ok(products)
}
