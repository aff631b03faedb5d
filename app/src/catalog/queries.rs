//! Catalog reads.

use super::views::{
    CategoryListing, Facets, Filters, PAGE_SIZE, ProductDetail, ProductSummary, Sort, VariantView,
};
use shop_types::{Currency, Money};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

fn money(minor: i64, currency: &str) -> Result<Money, sqlx::Error> {
    let currency = Currency::parse(currency).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    Ok(Money::new(minor, currency))
}

fn summary(row: &AnyRow) -> Result<ProductSummary, sqlx::Error> {
    let currency: String = row.try_get("currency")?;
    Ok(ProductSummary {
        id: row.try_get("id")?,
        slug: row.try_get("slug")?,
        title: row.try_get("title")?,
        brand: row.try_get("brand")?,
        price: money(row.try_get("price_minor")?, &currency)?,
    })
}

const SUMMARY: &str = "p.id, p.slug, p.title, p.brand, p.price_minor, p.currency";

/// An active product by its slug, with variants; `viewer` marks it as their favourite.
pub async fn product_by_slug(
    conn: &mut AnyConnection,
    slug: &str,
    viewer: Option<&str>,
) -> Result<Option<ProductDetail>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {SUMMARY}, p.description, c.slug AS category_slug, c.name AS category_name
         FROM products p LEFT JOIN categories c ON c.id = p.category_id
         WHERE p.slug = $1 AND p.status = 'active'"
    ))
    .bind(slug)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let summary = summary(&row)?;
    let category = match (
        row.try_get::<Option<String>, _>("category_slug")?,
        row.try_get::<Option<String>, _>("category_name")?,
    ) {
        (Some(s), Some(n)) => Some((s, n)),
        _ => None,
    };
    let currency = summary.price.currency.code().to_owned();
    let variants = sqlx::query(
        "SELECT id, sku, title, price_minor, compare_at_minor, stock FROM variants WHERE product_id = $1 ORDER BY position, id",
    )
    .bind(&summary.id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|v| {
        Ok(VariantView {
            id: v.try_get("id")?,
            sku: v.try_get("sku")?,
            title: v.try_get("title")?,
            price: money(v.try_get("price_minor")?, &currency)?,
            compare_at: v.try_get::<Option<i64>, _>("compare_at_minor")?.map(|m| money(m, &currency)).transpose()?,
            in_stock: v.try_get::<i64, _>("stock")? > 0,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
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
    Ok(Some(ProductDetail {
        description: row.try_get("description")?,
        category,
        variants,
        favourite,
        summary,
    }))
}

/// A value bound to a dynamically built query.
enum Value {
    Text(String),
    Int(i64),
}

/// `WHERE` conditions and their values for a category's filters. `skip_brands` and
/// `skip_stock` leave one filter out, to count what choosing it would show.
fn filter_sql(
    category_id: &str,
    filters: &Filters,
    skip_brands: bool,
    skip_stock: bool,
) -> (String, Vec<Value>) {
    let mut values = vec![Value::Text(category_id.to_owned())];
    let mut sql = String::from("p.category_id = $1 AND p.status = 'active'");
    if let Some(min) = filters.min_price {
        values.push(Value::Int(min));
        sql.push_str(&format!(" AND p.price_minor >= ${}", values.len()));
    }
    if let Some(max) = filters.max_price {
        values.push(Value::Int(max));
        sql.push_str(&format!(" AND p.price_minor <= ${}", values.len()));
    }
    if filters.in_stock && !skip_stock {
        sql.push_str(IN_STOCK);
    }
    if !filters.brands.is_empty() && !skip_brands {
        let mut marks = Vec::new();
        for brand in &filters.brands {
            values.push(Value::Text(brand.clone()));
            marks.push(format!("${}", values.len()));
        }
        sql.push_str(&format!(" AND p.brand IN ({})", marks.join(", ")));
    }
    (sql, values)
}

const IN_STOCK: &str =
    " AND EXISTS (SELECT 1 FROM variants v WHERE v.product_id = p.id AND v.stock > 0)";

fn bind_all<'q>(
    mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    values: &'q [Value],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    for value in values {
        query = match value {
            Value::Text(t) => query.bind(t),
            Value::Int(i) => query.bind(*i),
        };
    }
    query
}

/// One page of a category's active products, filtered and sorted, with facet counts.
pub async fn category_listing(
    conn: &mut AnyConnection,
    slug: &str,
    sort: Sort,
    page: u32,
    filters: Filters,
) -> Result<Option<CategoryListing>, sqlx::Error> {
    let row = sqlx::query("SELECT id, name FROM categories WHERE slug = $1")
        .bind(slug)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let id: String = row.try_get("id")?;

    let (where_sql, values) = filter_sql(&id, &filters, false, false);
    let total: i64 = {
        let sql = format!("SELECT COUNT(*) AS n FROM products p WHERE {where_sql}");
        bind_all(sqlx::query(&sql), &values)
            .fetch_one(&mut *conn)
            .await?
            .try_get("n")?
    };
    let order = match sort {
        Sort::Newest => "p.created_at DESC, p.id",
        Sort::PriceAsc => "p.price_minor ASC, p.id",
        Sort::PriceDesc => "p.price_minor DESC, p.id",
    };
    let products = {
        let sql = format!(
            "SELECT {SUMMARY} FROM products p WHERE {where_sql} ORDER BY {order} LIMIT {} OFFSET {}",
            PAGE_SIZE,
            (page - 1) * PAGE_SIZE
        );
        bind_all(sqlx::query(&sql), &values)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(summary)
            .collect::<Result<Vec<_>, _>>()?
    };

    let (brand_sql, brand_values) = filter_sql(&id, &filters, true, false);
    let brands = {
        let sql = format!(
            "SELECT p.brand AS brand, COUNT(*) AS n FROM products p WHERE {brand_sql} GROUP BY p.brand ORDER BY p.brand"
        );
        bind_all(sqlx::query(&sql), &brand_values)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| {
                Ok((
                    r.try_get::<String, _>("brand")?,
                    r.try_get::<i64, _>("n")? as u64,
                ))
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?
    };
    let (stock_sql, stock_values) = filter_sql(&id, &filters, false, true);
    let in_stock: i64 = {
        let sql = format!("SELECT COUNT(*) AS n FROM products p WHERE {stock_sql}{IN_STOCK}");
        bind_all(sqlx::query(&sql), &stock_values)
            .fetch_one(&mut *conn)
            .await?
            .try_get("n")?
    };

    let pages = (total as u64).div_ceil(u64::from(PAGE_SIZE)).max(1) as u32;
    Ok(Some(CategoryListing {
        slug: slug.to_owned(),
        name: row.try_get("name")?,
        products,
        total: total as u64,
        page,
        pages,
        sort,
        filters,
        facets: Facets {
            brands,
            in_stock: in_stock as u64,
        },
    }))
}

/// The newest active products.
pub async fn new_arrivals(
    conn: &mut AnyConnection,
    limit: i64,
) -> Result<Vec<ProductSummary>, sqlx::Error> {
    sqlx::query(&format!(
        "SELECT {SUMMARY} FROM products p WHERE p.status = 'active' ORDER BY p.created_at DESC, p.id LIMIT $1"
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
        "SELECT {SUMMARY} FROM favourites f JOIN products p ON p.id = f.product_id
         WHERE f.user_id = $1 AND p.status = 'active' ORDER BY f.created_at DESC, p.id"
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
