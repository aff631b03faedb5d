//! Cart rules: who owns a cart, what may be added, and how a guest's cart joins an account's.
//!
//! Every quantity is bounded by the variant's stock and by [`MAX_LINE_UNITS`]; prices come
//! from the catalog each time the cart is read.

use super::views::{CartLineView, CartView, MAX_LINE_UNITS, MAX_LINES};
use crate::catalog::queries::ON_SALE;
use crate::catalog::queries::{FIRST_IMAGE, first_image};
use crate::platform::clock::now;
use crate::platform::ids::new_id;
use shop_types::Thing;
use shop_types::{Currency, Money, Problem, Quantity};
use sqlx::{AnyConnection, Row};

/// Whose cart.
#[derive(Clone, Copy, Debug)]
pub enum Owner<'a> {
    /// A signed-in shopper's, by user id.
    User(&'a str),
    /// A guest's, by the SHA-256 of its cookie token.
    Guest(&'a str),
}

/// A change to the cart was refused; the message is fit to show.
#[derive(Debug, thiserror::Error)]
pub enum CartError {
    #[error("{}", Problem::from(self))]
    UnknownVariant,
    #[error("{}", Problem::from(self))]
    SoldOut,
    #[error("{}", Problem::from(self))]
    NotEnoughStock { available: i64, can_add: i64 },
    #[error("{}", Problem::from(self))]
    TooMany,
    #[error("{}", Problem::from(self))]
    Full,
    #[error("{}", Problem::from(self))]
    NotInCart,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl CartError {
    /// As the error server functions return.
    pub fn into_app_error(self) -> shop_types::AppError {
        match self {
            Self::Db(e) => crate::platform::errors::internal("cart")(e),
            Self::UnknownVariant | Self::NotInCart => shop_types::AppError::not_found(Thing::Item),
            other => shop_types::AppError::validation("quantity", &other),
        }
    }
}

/// The owner's cart id, if it has one.
pub async fn find(
    conn: &mut AnyConnection,
    owner: Owner<'_>,
) -> Result<Option<String>, sqlx::Error> {
    let (sql, key) = match owner {
        Owner::User(id) => ("SELECT id FROM carts WHERE user_id = $1", id),
        Owner::Guest(hash) => ("SELECT id FROM carts WHERE token_hash = $1", hash),
    };
    sqlx::query_scalar(sql).bind(key).fetch_optional(conn).await
}

/// The owner's cart id, made if missing.
pub async fn find_or_create(
    conn: &mut AnyConnection,
    owner: Owner<'_>,
) -> Result<String, sqlx::Error> {
    if let Some(id) = find(conn, owner).await? {
        return Ok(id);
    }
    let id = new_id().to_string();
    let (user, token) = match owner {
        Owner::User(u) => (Some(u), None),
        Owner::Guest(t) => (None, Some(t)),
    };
    let at = now().millis();
    // Two requests of one shopper may race to make the cart; the loser uses the winner's.
    sqlx::query(
        "INSERT INTO carts (id, user_id, token_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
         ON CONFLICT DO NOTHING",
    )
    .bind(&id)
    .bind(user)
    .bind(token)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(find(conn, owner).await?.unwrap_or(id))
}

/// Stock of an active product's variant, or `None` when there is no such variant to sell.
async fn stock_of(conn: &mut AnyConnection, variant_id: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(&format!(
        "SELECT v.stock FROM variants v JOIN products p ON p.id = v.product_id
         WHERE v.id = $1 AND {ON_SALE}"
    ))
    .bind(variant_id)
    .fetch_optional(conn)
    .await
}

async fn touch(conn: &mut AnyConnection, cart_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE carts SET updated_at = $1 WHERE id = $2")
        .bind(now().millis())
        .bind(cart_id)
        .execute(conn)
        .await
        .map(|_| ())
}

/// The quantity a line may have, given stock and the per-line limit.
fn check(wanted: i64, already: i64, stock: i64) -> Result<i64, CartError> {
    if stock <= 0 {
        return Err(CartError::SoldOut);
    }
    if wanted > MAX_LINE_UNITS {
        return Err(CartError::TooMany);
    }
    if wanted > stock {
        return Err(CartError::NotEnoughStock {
            available: stock,
            can_add: (stock - already).max(0),
        });
    }
    Ok(wanted)
}

/// Adds `quantity` of a variant (to what the cart already holds of it).
pub async fn add(
    conn: &mut AnyConnection,
    cart_id: &str,
    variant_id: &str,
    quantity: Quantity,
) -> Result<(), CartError> {
    let stock = stock_of(conn, variant_id)
        .await?
        .ok_or(CartError::UnknownVariant)?;
    let already: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(quantity), 0) FROM cart_lines WHERE cart_id = $1 AND variant_id = $2",
    )
    .bind(cart_id)
    .bind(variant_id)
    .fetch_one(&mut *conn)
    .await?;
    if already == 0 {
        let lines: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cart_lines WHERE cart_id = $1")
            .bind(cart_id)
            .fetch_one(&mut *conn)
            .await?;
        if lines as usize >= MAX_LINES {
            return Err(CartError::Full);
        }
    }
    let total = check(already + i64::from(quantity.get()), already, stock)?;
    sqlx::query(
        "INSERT INTO cart_lines (cart_id, variant_id, quantity, saved_for_later, added_at) VALUES ($1, $2, $3, 0, $4)
         ON CONFLICT (cart_id, variant_id) DO UPDATE SET quantity = $3, saved_for_later = 0",
    )
    .bind(cart_id)
    .bind(variant_id)
    .bind(total)
    .bind(now().millis())
    .execute(&mut *conn)
    .await?;
    touch(conn, cart_id).await?;
    Ok(())
}

/// Sets a line's quantity; 0 removes it.
pub async fn set_quantity(
    conn: &mut AnyConnection,
    cart_id: &str,
    variant_id: &str,
    quantity: i64,
) -> Result<(), CartError> {
    if quantity <= 0 {
        sqlx::query("DELETE FROM cart_lines WHERE cart_id = $1 AND variant_id = $2")
            .bind(cart_id)
            .bind(variant_id)
            .execute(&mut *conn)
            .await?;
        return Ok(touch(conn, cart_id).await?);
    }
    let stock = stock_of(conn, variant_id)
        .await?
        .ok_or(CartError::UnknownVariant)?;
    let quantity = check(quantity, 0, stock)?;
    let done =
        sqlx::query("UPDATE cart_lines SET quantity = $1 WHERE cart_id = $2 AND variant_id = $3")
            .bind(quantity)
            .bind(cart_id)
            .bind(variant_id)
            .execute(&mut *conn)
            .await?;
    if done.rows_affected() == 0 {
        return Err(CartError::NotInCart);
    }
    Ok(touch(conn, cart_id).await?)
}

/// Moves a line to "saved for later" (`saved`) or back into the cart.
pub async fn set_saved(
    conn: &mut AnyConnection,
    cart_id: &str,
    variant_id: &str,
    saved: bool,
) -> Result<(), CartError> {
    let done = sqlx::query(
        "UPDATE cart_lines SET saved_for_later = $1 WHERE cart_id = $2 AND variant_id = $3",
    )
    .bind(i64::from(saved))
    .bind(cart_id)
    .bind(variant_id)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(CartError::NotInCart);
    }
    Ok(touch(conn, cart_id).await?)
}

/// Moves a guest's lines into an account's cart at sign-in: quantities add up, within stock
/// and limits; lines that no longer fit are kept at what fits. The guest cart is then deleted.
pub async fn merge(
    conn: &mut AnyConnection,
    guest_cart: &str,
    user_cart: &str,
) -> Result<u32, sqlx::Error> {
    let lines: Vec<(String, i64)> = sqlx::query_as(
        "SELECT variant_id, quantity FROM cart_lines WHERE cart_id = $1 AND saved_for_later = 0",
    )
    .bind(guest_cart)
    .fetch_all(&mut *conn)
    .await?;
    let mut moved = 0;
    for (variant, quantity) in lines {
        let Some(stock) = stock_of(conn, &variant).await? else {
            continue;
        };
        let already: i64 = sqlx::query_scalar(
            "SELECT COALESCE(MAX(quantity), 0) FROM cart_lines WHERE cart_id = $1 AND variant_id = $2",
        )
        .bind(user_cart)
        .bind(&variant)
        .fetch_one(&mut *conn)
        .await?;
        let total = (already + quantity).min(stock).min(MAX_LINE_UNITS);
        if total <= already {
            continue;
        }
        sqlx::query(
            "INSERT INTO cart_lines (cart_id, variant_id, quantity, saved_for_later, added_at) VALUES ($1, $2, $3, 0, $4)
             ON CONFLICT (cart_id, variant_id) DO UPDATE SET quantity = $3, saved_for_later = 0",
        )
        .bind(user_cart)
        .bind(&variant)
        .bind(total)
        .bind(now().millis())
        .execute(&mut *conn)
        .await?;
        moved += 1;
    }
    sqlx::query("DELETE FROM carts WHERE id = $1")
        .bind(guest_cart)
        .execute(&mut *conn)
        .await?;
    touch(conn, user_cart).await?;
    Ok(moved)
}

/// Units in the cart, lines saved for later left out (what [`view`] counts as `units`).
pub async fn units(conn: &mut AnyConnection, cart_id: &str) -> Result<u32, sqlx::Error> {
    let units: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM cart_lines
         WHERE cart_id = $1 AND saved_for_later = 0",
    )
    .bind(cart_id)
    .fetch_one(conn)
    .await?;
    Ok(u32::try_from(units).unwrap_or(u32::MAX))
}

/// The cart priced from the catalog as it is now.
pub async fn view(conn: &mut AnyConnection, cart_id: &str) -> Result<CartView, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT l.variant_id, l.quantity, l.saved_for_later, v.title AS variant, v.sku, v.price_minor, v.stock, v.weight_grams,
                p.slug, p.title, p.currency, CASE WHEN {ON_SALE} THEN 1 ELSE 0 END AS on_sale,
                (SELECT COUNT(*) FROM variants o WHERE o.product_id = p.id) AS variants, {FIRST_IMAGE}
         FROM cart_lines l JOIN variants v ON v.id = l.variant_id JOIN products p ON p.id = v.product_id
         WHERE l.cart_id = $1 ORDER BY l.added_at, l.variant_id"
    ))
    .bind(cart_id)
    .fetch_all(conn)
    .await?;
    let mut view = CartView::default();
    let mut subtotal: Option<Money> = None;
    for row in rows {
        let currency = Currency::parse(&row.try_get::<String, _>("currency")?)
            .map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
        let quantity: i64 = row.try_get("quantity")?;
        let stock: i64 = row.try_get("stock")?;
        let active = row.try_get::<i64, _>("on_sale")? == 1;
        let available = if active { stock.max(0) } else { 0 };
        let unit = Money::new(row.try_get("price_minor")?, currency);
        let line_total = Money::new(unit.minor.saturating_mul(quantity), currency);
        let problem = if available == 0 {
            Some("Sold out".to_owned())
        } else if quantity > available {
            Some(format!("Only {available} left"))
        } else {
            None
        };
        let saved = row.try_get::<i64, _>("saved_for_later")? == 1;
        let line = CartLineView {
            variant_id: row.try_get("variant_id")?,
            product_slug: row.try_get("slug")?,
            title: row.try_get("title")?,
            variant: if row.try_get::<i64, _>("variants")? > 1 {
                row.try_get("variant")?
            } else {
                String::new()
            },
            sku: row.try_get("sku")?,
            quantity: quantity as u32,
            unit_price: unit,
            line_total,
            available,
            saved_for_later: saved,
            problem,
            image: first_image(&row)?,
            weight_grams: row.try_get("weight_grams")?,
        };
        if saved {
            view.saved.push(line);
        } else {
            view.units += line.quantity;
            subtotal = Some(match subtotal {
                None => line.line_total,
                Some(s) => s.checked_add(line.line_total).unwrap_or(s),
            });
            view.lines.push(line);
        }
    }
    view.subtotal = subtotal;
    Ok(view)
}

/// Takes the units of `order_id` out of the cart it was placed from (lines added since, and
/// lines saved for later, stay). Called when the order is paid or placed for bank transfer.
pub async fn remove_ordered(tx: &mut AnyConnection, order_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "DELETE FROM cart_lines WHERE saved_for_later = 0
           AND cart_id = (SELECT cart_id FROM orders WHERE id = $1)
           AND variant_id IN (SELECT variant_id FROM order_lines WHERE order_id = $1)",
    )
    .bind(order_id)
    .execute(&mut *tx)
    .await
    .map(|_| ())
}

/// Deletes guest carts untouched since `before` (the hourly clean-up); how many went.
pub async fn prune_guest_carts(
    db: &crate::platform::db::Db,
    before: i64,
) -> Result<u64, sqlx::Error> {
    Ok(
        sqlx::query("DELETE FROM carts WHERE user_id IS NULL AND updated_at < $1")
            .bind(before)
            .execute(db.pool())
            .await?
            .rows_affected(),
    )
}

impl From<&CartError> for Problem {
    fn from(error: &CartError) -> Self {
        match error {
            CartError::UnknownVariant => Problem::ProductUnavailable,
            CartError::SoldOut => Problem::SoldOut,
            CartError::NotEnoughStock { available, can_add } => Problem::OnlyLeft {
                available: *available,
                can_add: *can_add,
            },
            CartError::TooMany => Problem::LineUnitsMax {
                max: MAX_LINE_UNITS as u32,
            },
            CartError::Full => Problem::CartFull {
                max: MAX_LINES as u32,
            },
            CartError::NotInCart => Problem::NotInCart,
            CartError::Db(_) => Problem::Unexpected,
        }
    }
}
