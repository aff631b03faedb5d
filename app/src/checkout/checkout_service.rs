//! A checkout in progress: what the shopper entered (kept per cart in `checkouts`) and the
//! order it adds up to, priced from the catalog, the shipping rates, the tax rates and the
//! coupon as they are now. Nothing a client sends is taken as a price.

use super::pricing::{self, RateKind, RateRule, Totals};
use super::views::{CheckoutView, QuoteView, ShippingOption};
use crate::cart::{CartView, cart_service};
use crate::coupons::rules::{self as coupons, Coupon};
use crate::platform::clock::now;
use crate::platform::vault::{DataKey, Opener, Vault};
use crate::store::queries::{Store as StoreTerms, current as store_terms};
use shop_types::{AddressInput, Email, Money, PaymentMethod, Problem};
use sqlx::{AnyConnection, Row};

/// What the shopper has entered so far.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Details {
    pub email: String,
    pub address: Option<AddressInput>,
    /// Where the invoice goes, when it is not the delivery address.
    pub billing: Option<AddressInput>,
    pub shipping_rate_id: Option<String>,
    pub coupon_code: Option<String>,
    /// The data key the details are sealed with (`None` until details are entered).
    pub key_id: Option<String>,
}

/// The cart's checkout details (empty when nothing was entered), opened with the
/// checkout's data key; `key_id` is that key's id (the order placed from it keeps it).
pub async fn details(
    conn: &mut AnyConnection,
    vault: &Vault,
    cart_id: &str,
) -> Result<Details, sqlx::Error> {
    let row = sqlx::query(
        "SELECT email, address, billing_address, shipping_rate_id, coupon_code, key_id FROM checkouts WHERE cart_id = $1",
    )
    .bind(cart_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(Details::default());
    };
    let key_id: Option<String> = row.try_get("key_id")?;
    let opener = vault.opener(conn, key_id.as_deref()).await?;
    let address = opener.open("checkouts.address", &row.try_get::<String, _>("address")?)?;
    let billing = opener.open_opt(
        "checkouts.billing_address",
        row.try_get::<Option<String>, _>("billing_address")?
            .as_deref(),
    )?;
    Ok(Details {
        email: opener.open("checkouts.email", &row.try_get::<String, _>("email")?)?,
        address: serde_json::from_str(&address).ok(),
        billing: billing.and_then(|b| serde_json::from_str(&b).ok()),
        shipping_rate_id: row.try_get("shipping_rate_id")?,
        coupon_code: row.try_get("coupon_code")?,
        key_id,
    })
}

/// The key a checkout's personal data is sealed with: the account's when the cart has an
/// owner, else the checkout's own (made the first time a guest enters details).
async fn checkout_key(
    conn: &mut AnyConnection,
    vault: &Vault,
    cart_id: &str,
) -> Result<DataKey, sqlx::Error> {
    let row = sqlx::query(
        "SELECT ca.user_id, ch.key_id FROM carts ca LEFT JOIN checkouts ch ON ch.cart_id = ca.id WHERE ca.id = $1",
    )
    .bind(cart_id)
    .fetch_optional(&mut *conn)
    .await?;
    let (user_id, key_id): (Option<String>, Option<String>) = match &row {
        Some(r) => (r.try_get("user_id")?, r.try_get("key_id")?),
        None => (None, None),
    };
    if let Some(user_id) = user_id
        && let Some(key) = crate::identity::users::data_key(conn, vault, &user_id).await?
    {
        return Ok(key);
    }
    if let Some(key_id) = key_id
        && let Opener::Key(key) = vault.key(conn, &key_id).await?
    {
        return Ok(key);
    }
    vault.new_key(conn).await
}

async fn ensure_row(conn: &mut AnyConnection, cart_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO checkouts (cart_id, updated_at) VALUES ($1, $2) ON CONFLICT (cart_id) DO NOTHING",
    )
    .bind(cart_id)
    .bind(now().millis())
    .execute(conn)
    .await
    .map(|_| ())
}

/// Keeps the contact address, the (already validated) delivery address and the billing
/// address when it differs (`None`: bill the delivery address).
pub async fn save_details(
    conn: &mut AnyConnection,
    vault: &Vault,
    cart_id: &str,
    email: &Email,
    address: &AddressInput,
    billing: Option<&AddressInput>,
) -> Result<(), sqlx::Error> {
    ensure_row(conn, cart_id).await?;
    let key = checkout_key(conn, vault, cart_id).await?;
    let encode =
        |a: &AddressInput| serde_json::to_string(a).map_err(|e| sqlx::Error::Encode(Box::new(e)));
    let json = key.seal("checkouts.address", &encode(address)?);
    let billing = billing
        .filter(|b| *b != address)
        .map(encode)
        .transpose()?
        .map(|b| key.seal("checkouts.billing_address", &b));
    sqlx::query(
        "UPDATE checkouts SET email = $1, address = $2, billing_address = $3, updated_at = $4, key_id = $5 WHERE cart_id = $6",
    )
        .bind(key.seal("checkouts.email", email.as_str()))
        .bind(json)
        .bind(billing)
        .bind(now().millis())
        .bind(key.id())
        .bind(cart_id)
        .execute(conn)
        .await
        .map(|_| ())
}

/// The data keys sealing the checkout of account `user_id`'s cart (gone with the account).
pub async fn key_ids_of(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<Vec<String>, sqlx::Error> {
    let keys: Vec<Option<String>> = sqlx::query_scalar(
        "SELECT ch.key_id FROM checkouts ch JOIN carts ca ON ca.id = ch.cart_id WHERE ca.user_id = $1",
    )
    .bind(user_id)
    .fetch_all(conn)
    .await?;
    Ok(keys.into_iter().flatten().collect())
}

/// Seals the details of up to `batch` checkouts written before encryption; returns how many.
pub async fn seal_written_before(
    conn: &mut AnyConnection,
    vault: &Vault,
    batch: i64,
) -> Result<u64, sqlx::Error> {
    let carts: Vec<String> = sqlx::query_scalar(
        "SELECT cart_id FROM checkouts WHERE key_id IS NULL AND (email <> '' OR address <> '') LIMIT $1",
    )
    .bind(batch)
    .fetch_all(&mut *conn)
    .await?;
    for cart in &carts {
        let d = details(conn, vault, cart).await?;
        let key = checkout_key(conn, vault, cart).await?;
        let encode = |a: &AddressInput| serde_json::to_string(a).unwrap_or_default();
        sqlx::query(
            "UPDATE checkouts SET email = $1, address = $2, billing_address = $3, key_id = $4 WHERE cart_id = $5",
        )
        .bind(key.seal("checkouts.email", &d.email))
        .bind(key.seal("checkouts.address", &d.address.as_ref().map(encode).unwrap_or_default()))
        .bind(key.seal_opt("checkouts.billing_address", d.billing.as_ref().map(encode).as_deref()))
        .bind(key.id())
        .bind(cart)
        .execute(&mut *conn)
        .await?;
    }
    Ok(carts.len() as u64)
}

/// Keeps the chosen shipping rate (the caller checked that it is offered).
pub async fn save_shipping(
    conn: &mut AnyConnection,
    cart_id: &str,
    rate_id: &str,
) -> Result<(), sqlx::Error> {
    ensure_row(conn, cart_id).await?;
    sqlx::query("UPDATE checkouts SET shipping_rate_id = $1, updated_at = $2 WHERE cart_id = $3")
        .bind(rate_id)
        .bind(now().millis())
        .bind(cart_id)
        .execute(conn)
        .await
        .map(|_| ())
}

/// Keeps (or with `None` removes) the coupon code.
pub async fn save_coupon(
    conn: &mut AnyConnection,
    cart_id: &str,
    code: Option<&str>,
) -> Result<(), sqlx::Error> {
    ensure_row(conn, cart_id).await?;
    sqlx::query("UPDATE checkouts SET coupon_code = $1, updated_at = $2 WHERE cart_id = $3")
        .bind(code)
        .bind(now().millis())
        .bind(cart_id)
        .execute(conn)
        .await
        .map(|_| ())
}

/// Forgets the coupon of a cart whose order was confirmed (the order counts its use).
pub async fn forget_coupon(conn: &mut AnyConnection, cart_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE checkouts SET coupon_code = NULL, updated_at = $1 WHERE cart_id = $2")
        .bind(now().millis())
        .bind(cart_id)
        .execute(conn)
        .await
        .map(|_| ())
}

/// The rates of the first zone (by position, named countries before `*`) covering `country`.
pub async fn rates_for(
    conn: &mut AnyConnection,
    country: &str,
) -> Result<Vec<RateRule>, sqlx::Error> {
    // Every rate with its zone, in one query; the first zone covering the country wins.
    let rows = sqlx::query(
        "SELECT z.id AS zone_id, z.countries, r.id, r.name, r.kind, r.price_minor, r.per_kg_minor,
                r.min_weight_g, r.max_weight_g, r.free_over_minor, r.delivery_days
         FROM shipping_zones z LEFT JOIN shipping_rates r ON r.zone_id = z.id
         ORDER BY CASE WHEN z.countries = '*' THEN 1 ELSE 0 END, z.position, z.id, r.position, r.id",
    )
    .fetch_all(conn)
    .await?;
    let zone = rows.iter().find_map(|r| {
        let countries: String = r.try_get("countries").ok()?;
        pricing::zone_covers(&countries, country)
            .then(|| r.try_get::<String, _>("zone_id").ok())
            .flatten()
    });
    let Some(zone) = zone else {
        return Ok(Vec::new());
    };
    let rows: Vec<_> = rows
        .into_iter()
        .filter(|r| r.try_get::<String, _>("zone_id").ok().as_deref() == Some(zone.as_str()))
        // A zone without rates still claims its countries: it ships nothing there.
        .filter(|r| matches!(r.try_get::<Option<String>, _>("id"), Ok(Some(_))))
        .collect();
    let mut rules = Vec::with_capacity(rows.len());
    for r in rows {
        let Some(kind) = RateKind::parse(&r.try_get::<String, _>("kind")?) else {
            continue;
        };
        rules.push(RateRule {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
            kind,
            price_minor: r.try_get("price_minor")?,
            per_kg_minor: r.try_get("per_kg_minor")?,
            min_weight_g: r.try_get("min_weight_g")?,
            max_weight_g: r.try_get("max_weight_g")?,
            free_over_minor: r.try_get("free_over_minor")?,
            delivery_days: r.try_get("delivery_days")?,
        });
    }
    Ok(rules)
}

/// The tax rate for a destination: the region's row, else the country's, else none.
pub async fn tax_rate(
    conn: &mut AnyConnection,
    country: &str,
    region: &str,
) -> Result<(i64, String), sqlx::Error> {
    let row: Option<(i64, String)> = sqlx::query_as(
        "SELECT rate_bp, name FROM tax_rates WHERE country = $1 AND (region = $2 OR region = '')
         ORDER BY CASE WHEN region = '' THEN 1 ELSE 0 END LIMIT 1",
    )
    .bind(country)
    .bind(region.trim().to_ascii_uppercase())
    .fetch_optional(conn)
    .await?;
    Ok(row.unwrap_or((0, String::new())))
}

/// A checkout priced as it stands now.
#[derive(Clone, Debug)]
pub struct Priced {
    pub terms: StoreTerms,
    pub cart: CartView,
    pub details: Details,
    pub weight_g: i64,
    /// Rates offered for the address and parcel, with their prices.
    pub options: Vec<(RateRule, i64)>,
    /// The chosen rate, if it is still offered.
    pub rate: Option<(RateRule, i64)>,
    /// The coupon, if it applies.
    pub coupon: Option<Coupon>,
    /// Why the entered code does not apply (now).
    pub coupon_problem: Option<coupons::CouponError>,
    pub tax_rate_bp: i64,
    pub tax_name: String,
    pub totals: Totals,
    /// What still stops the order, in words.
    pub missing: Vec<Problem>,
}

impl Priced {
    /// Whether an order can be placed from it.
    pub fn ready(&self) -> bool {
        self.missing.is_empty()
    }
}

/// Prices the cart's checkout: lines from the catalog, the coupon if it still applies, the
/// chosen rate if it is still offered, tax for the destination.
pub async fn price(
    conn: &mut AnyConnection,
    vault: &Vault,
    cart_id: &str,
    user_id: Option<&str>,
) -> Result<Priced, sqlx::Error> {
    let terms = store_terms(conn).await?;
    let cart = cart_service::view(conn, cart_id).await?;
    let details = details(conn, vault, cart_id).await?;
    let weight_g = cart
        .lines
        .iter()
        .map(|l| l.weight_grams.saturating_mul(i64::from(l.quantity)))
        .sum::<i64>();
    let subtotal = cart.subtotal.map(|m| m.minor).unwrap_or(0);

    let mut coupon_problem = None;
    let mut coupon = None;
    if let Some(code) = &details.coupon_code {
        match coupons::find(conn, code).await? {
            None => coupon_problem = Some(coupons::CouponError::Unknown),
            Some(c) => {
                let key = coupons::customer_key(user_id, &vault.email_index(&details.email));
                let used = coupons::uses_by(conn, &c.id, &key).await?;
                match c.check(now(), subtotal, terms.currency, used) {
                    Ok(()) => coupon = Some(c),
                    Err(e) => coupon_problem = Some(e),
                }
            }
        }
    }
    let effect = coupon.as_ref().map(|c| c.effect);
    let discount = effect.map(|e| e.discount_on(subtotal)).unwrap_or(0);

    let mut options = Vec::new();
    let (mut tax_rate_bp, mut tax_name) = (0, String::new());
    if let Some(address) = &details.address {
        for rule in rates_for(conn, &address.country).await? {
            if let Some(mut p) = rule.price_for(weight_g, subtotal - discount) {
                if effect == Some(pricing::CouponEffect::FreeShipping) {
                    p = 0;
                }
                options.push((rule, p));
            }
        }
        (tax_rate_bp, tax_name) = tax_rate(conn, &address.country, &address.region).await?;
    }
    let rate = details
        .shipping_rate_id
        .as_ref()
        .and_then(|id| options.iter().find(|(r, _)| &r.id == id).cloned());
    let shipping = rate.as_ref().map(|(_, p)| *p).unwrap_or(0);
    let totals = pricing::totals(
        subtotal,
        discount,
        shipping,
        tax_rate_bp,
        terms.prices_include_tax,
    );

    let mut missing = Vec::new();
    if cart.lines.is_empty() {
        missing.push(Problem::CartEmpty);
    }
    if cart.lines.iter().any(|l| l.problem.is_some()) {
        missing.push(Problem::ItemsUnavailableInQuantity);
    }
    if details.email.is_empty() || details.address.is_none() {
        missing.push(Problem::ContactAndAddressMissing);
    } else if options.is_empty() {
        missing.push(Problem::CannotShipThere);
    } else if rate.is_none() {
        missing.push(Problem::ShippingMethodMissing);
    }
    Ok(Priced {
        terms,
        cart,
        details,
        weight_g,
        options,
        rate,
        coupon,
        coupon_problem,
        tax_rate_bp,
        tax_name,
        totals,
        missing,
    })
}

pub use crate::ui::format::percent_label;

/// The page's view of a priced checkout.
pub fn to_view(
    priced: Priced,
    payment_methods: Vec<PaymentMethod>,
    signed_in: bool,
    saved_addresses: Vec<super::views::AddressChoice>,
    idempotency_key: String,
) -> CheckoutView {
    let currency = priced.terms.currency;
    let m = |minor| Money::new(minor, currency);
    let quote = (!priced.cart.lines.is_empty()).then(|| QuoteView {
        subtotal: m(priced.totals.subtotal),
        discount: m(priced.totals.discount),
        shipping: priced.rate.as_ref().map(|(_, p)| m(*p)),
        tax: m(priced.totals.tax),
        total: m(priced.totals.total),
        tax_label: if priced.tax_name.is_empty() {
            String::new()
        } else {
            format!(
                "{} {} %",
                priced.tax_name,
                percent_label(priced.tax_rate_bp)
            )
        },
        prices_include_tax: priced.terms.prices_include_tax,
    });
    CheckoutView {
        signed_in,
        email: priced.details.email.clone(),
        address: priced.details.address.clone(),
        billing: priced.details.billing.clone(),
        saved_addresses,
        shipping_options: priced
            .options
            .iter()
            .map(|(r, p)| ShippingOption {
                id: r.id.clone(),
                name: r.name.clone(),
                price: m(*p),
                delivery_days: r.delivery_days.clone(),
            })
            .collect(),
        shipping_rate_id: priced.rate.as_ref().map(|(r, _)| r.id.clone()),
        coupon: priced
            .coupon
            .as_ref()
            .map(|c| (c.code.clone(), c.describe(currency))),
        coupon_problem: priced.coupon_problem.as_ref().map(ToString::to_string),
        quote,
        payment_methods,
        idempotency_key,
        missing: priced.missing.clone(),
        cart: priced.cart,
    }
}

/// Forgets the contact and address details of checkouts untouched since `before` (their
/// retention period); the cart stays. How many were cleared.
pub async fn forget_abandoned(
    db: &crate::platform::db::Db,
    before: i64,
) -> Result<u64, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "UPDATE checkouts SET email = '', address = '', billing_address = NULL
         WHERE updated_at < $1 AND (email <> '' OR address <> '')",
    )
    .bind(before)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests {
    #[test]
    fn percentages_read_naturally() {
        assert_eq!(super::percent_label(1900), "19");
        assert_eq!(super::percent_label(2050), "20.5");
        assert_eq!(super::percent_label(8875), "88.75");
        assert_eq!(super::percent_label(0), "0");
    }
}
