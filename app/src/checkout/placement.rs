//! Placing an order: one transaction takes the stock (a conditional decrement per line), the
//! coupon use, the order number, writes the order with its lines and first history entry, and
//! queues the confirmation mail; it commits all of that or nothing.
//!
//! The caller's idempotency key makes placing safe to repeat: the same key returns the same
//! order; the same key with a different cart is refused.

use super::checkout_service::{self, Priced};
use crate::catalog::stock_ledger::{self, OrderLine};
use crate::coupons::rules::{self as coupons, CouponError};
use crate::fraud::assess as fraud;
use crate::orders::lifecycle::{self, PAYMENT_WINDOW_MS};
use crate::orders::links;
use crate::orders::numbers::next_number;
use crate::orders::order_store::{self, NewLine, NewOrder};
use crate::platform::clock::now;
use crate::platform::db::Db;
use crate::platform::ids::new_id;
use crate::platform::jobs::{NewJob, enqueue};
use crate::platform::secrets::hash_secret;
use shop_types::{HistoryNote, OrderStatus, PaymentMethod, Problem, Timestamp};
use sqlx::AnyConnection;

/// What to place.
#[derive(Clone, Debug)]
pub struct PlaceRequest {
    pub cart_id: String,
    pub user_id: Option<String>,
    pub idempotency_key: String,
    pub method: PaymentMethod,
    /// Days a bank-transfer or cash-on-delivery order may wait before it is cancelled and its
    /// stock given back (`SHOP_MANUAL_PAYMENT_DAYS`).
    pub manual_window_days: u32,
    /// The caller's network as rate limits count it, for the fraud rules.
    pub client: Option<String>,
    /// The browser's random id (device or cart cookie), for the fraud rules.
    pub device: Option<String>,
}

/// A placed (or, for a repeated key, found) order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placement {
    pub order_id: String,
    /// The key of the order's link (for guests).
    pub link_key: String,
    pub method: PaymentMethod,
    pub total_minor: i64,
    pub currency: String,
    pub number: i64,
    /// False when the key had already placed this order.
    pub created: bool,
    /// Some product sold out with this order (listings must be refreshed).
    pub sold_out_something: bool,
    /// The fraud rules cancelled the order as it was placed: nothing is to be paid.
    pub refused: bool,
}

/// Placing failed; messages are fit to show.
#[derive(Debug, thiserror::Error)]
pub enum PlaceError {
    #[error("{}", Problem::from(self))]
    BadKey,
    #[error("{0}")]
    NotReady(Problem),
    #[error("{}", Problem::from(self))]
    OutOfStock { title: String, available: i64 },
    #[error("{0}")]
    Coupon(CouponError),
    #[error("{}", Problem::from(self))]
    KeyReused,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl PlaceError {
    /// As the error server functions return.
    pub fn into_app_error(self) -> shop_types::AppError {
        use shop_types::AppError;
        match self {
            Self::Db(e) => crate::platform::errors::internal("orders: place")(e),
            Self::BadKey => AppError::validation("idempotency_key", &self),
            Self::NotReady(problem) => AppError::validation("", problem),
            Self::Coupon(coupon) => AppError::validation("coupon", &coupon),
            Self::OutOfStock { .. } | Self::KeyReused => AppError::conflict(&self),
        }
    }
}

/// Whether a client's key looks like one: 16 to 100 letters, digits, `-` or `_`.
pub fn valid_key(key: &str) -> bool {
    (16..=100).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A digest of everything the order is made of, to tell a repeated form from a changed cart.
fn fingerprint(priced: &Priced, method: PaymentMethod) -> String {
    let mut text = format!(
        "{}|{}|{}|{:?}|{:?}|{}|",
        priced.details.email,
        serde_json::to_string(&priced.details.address).unwrap_or_default(),
        serde_json::to_string(&priced.details.billing).unwrap_or_default(),
        priced.rate.as_ref().map(|(r, p)| (&r.id, p)),
        priced.coupon.as_ref().map(|c| &c.code),
        method.as_str()
    );
    for line in &priced.cart.lines {
        text.push_str(&format!(
            "{}:{}:{};",
            line.variant_id, line.quantity, line.unit_price.minor
        ));
    }
    hash_secret(&text)
}

struct Existing {
    id: String,
    cart_id: Option<String>,
    fingerprint: String,
    method: String,
    total: i64,
    currency: String,
    number: i64,
    cancelled: bool,
}

/// (id, cart, fingerprint, method, total, currency, number, status) of an order found by its
/// key.
type KeyRow = (
    String,
    Option<String>,
    String,
    String,
    i64,
    String,
    i64,
    String,
);

async fn by_key(conn: &mut AnyConnection, key: &str) -> Result<Option<Existing>, sqlx::Error> {
    let row: Option<KeyRow> = sqlx::query_as(
        "SELECT id, cart_id, fingerprint, payment_method, total_minor, currency, number, status
         FROM orders WHERE idempotency_key = $1",
    )
    .bind(key)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(
        |(id, cart_id, fingerprint, method, total, currency, number, status)| Existing {
            id,
            cart_id,
            fingerprint,
            method,
            total,
            currency,
            number,
            cancelled: status == OrderStatus::Cancelled.as_str(),
        },
    ))
}

/// The earlier order of a repeated key, if the repeat is the same order.
async fn repeat(
    db: &Db,
    existing: Existing,
    request: &PlaceRequest,
    current: Option<&str>,
) -> Result<Placement, PlaceError> {
    let same_cart = existing.cart_id.as_deref() == Some(request.cart_id.as_str());
    // After a paid order the cart is empty: a repeat then still means the same order.
    let same = current.is_none_or(|f| f == existing.fingerprint);
    if !(same_cart && same) {
        return Err(PlaceError::KeyReused);
    }
    Ok(Placement {
        link_key: links::link_key(db, &existing.id).await?,
        order_id: existing.id,
        method: PaymentMethod::parse(&existing.method).unwrap_or(PaymentMethod::Card),
        total_minor: existing.total,
        currency: existing.currency,
        number: existing.number,
        created: false,
        sold_out_something: false,
        refused: existing.cancelled,
    })
}

/// Takes the cart's units from stock and redeems its coupon, in the placing transaction;
/// returns whether something sold out.
async fn take_stock_and_coupon(
    tx: &mut AnyConnection,
    vault: &crate::platform::vault::Vault,
    order_id: &str,
    priced: &checkout_service::Priced,
    request: &PlaceRequest,
) -> Result<bool, PlaceError> {
    let lines: Vec<OrderLine<'_>> = priced
        .cart
        .lines
        .iter()
        .map(|line| OrderLine {
            variant_id: &line.variant_id,
            quantity: i64::from(line.quantity),
        })
        .collect();
    let sold_out_something = match stock_ledger::take_for_order(tx, order_id, &lines).await? {
        Ok(sold_out) => sold_out,
        Err(short) => {
            return Err(PlaceError::OutOfStock {
                title: priced.cart.lines[short.line].title.clone(),
                available: short.available,
            });
        }
    };
    let customer_key = coupons::customer_key(
        request.user_id.as_deref(),
        &vault.email_index(&priced.details.email),
    );
    if let Some(coupon) = &priced.coupon
        && let Err(e) = coupons::redeem(tx, coupon, &customer_key).await?
    {
        return Err(PlaceError::Coupon(e));
    }
    Ok(sold_out_something)
}

/// The order's lines, as the cart priced them.
fn new_lines(priced: &checkout_service::Priced) -> Vec<NewLine<'_>> {
    priced
        .cart
        .lines
        .iter()
        .map(|line| NewLine {
            variant_id: &line.variant_id,
            product_slug: &line.product_slug,
            sku: &line.sku,
            title: &line.title,
            variant_title: &line.variant,
            quantity: i64::from(line.quantity),
            unit_price: line.unit_price.minor,
            line_total: line.line_total.minor,
        })
        .collect()
}

/// A new order from a cart replaces an earlier unpaid card order of it (its stock and coupon
/// come back).
async fn replace_earlier_unpaid(
    tx: &mut AnyConnection,
    cart_id: &str,
    order_id: &str,
) -> Result<(), sqlx::Error> {
    let earlier: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM orders WHERE cart_id = $1 AND id <> $2 AND status = 'awaiting_payment'
           AND payment_method = 'card' AND released = 0",
    )
    .bind(cart_id)
    .bind(order_id)
    .fetch_all(&mut *tx)
    .await?;
    for id in earlier {
        lifecycle::cancel_unpaid_in(
            tx,
            &id,
            &crate::orders::status_rules::Actor::System,
            HistoryNote::ReplacedByNewerOrder,
        )
        .await?;
    }
    Ok(())
}

/// Every order waits for its payment until `pay_by` and is cancelled then if nothing came
/// (the job checks first): a card order for its payment window, a manual one for
/// `manual_window_days`, so no order holds stock forever. An order paid by a manual method is
/// confirmed now.
async fn after_placing(
    tx: &mut AnyConnection,
    order_id: &str,
    method: PaymentMethod,
    pay_by: Timestamp,
) -> Result<(), sqlx::Error> {
    let job = NewJob::of(&lifecycle::ExpireUnpaid {
        order_id: order_id.to_owned(),
    })
    .map_err(|e| sqlx::Error::Encode(Box::new(e)))?
    .at(pay_by)
    .dedupe(format!("expire:{order_id}"));
    enqueue(&mut *tx, &job).await?;
    if method != PaymentMethod::Card {
        lifecycle::empty_cart_of(tx, order_id).await?;
        lifecycle::announce_confirmed(tx, order_id).await?;
    }
    Ok(())
}

/// Places the cart's order (see the module docs).
pub async fn place(db: &Db, request: &PlaceRequest) -> Result<Placement, PlaceError> {
    if !valid_key(&request.idempotency_key) {
        return Err(PlaceError::BadKey);
    }
    let mut conn = db.pool().acquire().await?;
    let priced = checkout_service::price(
        &mut conn,
        db.vault(),
        &request.cart_id,
        request.user_id.as_deref(),
    )
    .await?;
    // A repeat of a placed order is caught here (or, if it races its twin, by the unique key
    // when the order is inserted).
    if let Some(existing) = by_key(&mut conn, &request.idempotency_key).await? {
        let current = (!priced.cart.lines.is_empty()).then(|| fingerprint(&priced, request.method));
        // Back to the pool first: `repeat` may need a connection of its own.
        drop(conn);
        return repeat(db, existing, request, current.as_deref()).await;
    }
    if !priced.ready() {
        return Err(PlaceError::NotReady(Problem::CheckoutNotReady {
            missing: priced.missing.clone(),
        }));
    }
    if let Some(problem) = priced.coupon_problem.clone() {
        return Err(PlaceError::Coupon(problem));
    }
    let print = fingerprint(&priced, request.method);
    drop(conn);

    let order_id = new_id().to_string();
    let at = now();
    let address = priced
        .details
        .address
        .clone()
        .ok_or_else(|| PlaceError::NotReady(Problem::DeliveryAddressMissing))?;
    let risk_facts = fraud::Facts {
        order_id: &order_id,
        user_id: request.user_id.as_deref(),
        email: &priced.details.email,
        delivery: &address,
        billing: priced.details.billing.as_ref(),
        total_minor: priced.totals.total,
        client: request.client.as_deref(),
        device: request.device.as_deref(),
    };
    // Before the transaction: the link and risk secrets may be written on first use.
    let link_key = links::link_key(db, &order_id).await?;
    let risk_keys = fraud::Keys::of(db, &risk_facts).await?;
    let mut tx = db.begin_write().await?;
    let sold_out_something =
        take_stock_and_coupon(&mut tx, db.vault(), &order_id, &priced, request).await?;

    let number = next_number(&mut tx, "order_number", 1001).await?;
    let (rate, shipping) = priced
        .rate
        .clone()
        .ok_or_else(|| PlaceError::NotReady(Problem::ShippingMethodMissing))?;
    let pay_by = if request.method == PaymentMethod::Card {
        at.plus_millis(PAYMENT_WINDOW_MS)
    } else {
        at.plus_millis(i64::from(request.manual_window_days.max(1)) * Timestamp::DAY)
    };
    let t = priced.totals;
    let encode = |a: &shop_types::AddressInput| {
        serde_json::to_string(a).map_err(|e| sqlx::Error::Encode(Box::new(e)))
    };
    let address_json = encode(&address)?;
    let billing_json = priced.details.billing.as_ref().map(encode).transpose()?;
    // The order keeps the checkout's key: the account's, or the guest checkout's own.
    let key = match priced.details.key_id.as_deref() {
        Some(id) => match db.vault().key(&mut tx, id).await? {
            crate::platform::vault::Opener::Key(key) => key,
            _ => db.vault().new_key(&mut tx).await?,
        },
        None => db.vault().new_key(&mut tx).await?,
    };
    let inserted = order_store::insert(
        &mut tx,
        db.vault(),
        &NewOrder {
            id: &order_id,
            number,
            store_id: &priced.terms.id,
            user_id: request.user_id.as_deref(),
            cart_id: &request.cart_id,
            email: &priced.details.email,
            key: &key,
            currency: priced.terms.currency.code(),
            subtotal: t.subtotal,
            discount: t.discount,
            shipping,
            tax: t.tax,
            total: t.total,
            prices_include_tax: priced.terms.prices_include_tax,
            tax_rate_bp: priced.tax_rate_bp,
            tax_name: &priced.tax_name,
            address: address_json,
            billing_address: billing_json,
            shipping_name: &rate.name,
            coupon_id: priced.coupon.as_ref().map(|c| c.id.as_str()),
            coupon_code: priced.coupon.as_ref().map(|c| c.code.as_str()),
            method: request.method,
            idempotency_key: &request.idempotency_key,
            fingerprint: &print,
            access_hash: hash_secret(&link_key),
            pay_by: Some(pay_by.millis()),
            at: at.millis(),
        },
    )
    .await;
    if let Err(e) = inserted {
        let twin = e
            .as_database_error()
            .is_some_and(|d| d.is_unique_violation());
        drop(tx);
        if twin
            && let Some(existing) =
                by_key(&mut *db.pool().acquire().await?, &request.idempotency_key).await?
        {
            return repeat(db, existing, request, Some(&print)).await;
        }
        return Err(e.into());
    }

    order_store::insert_lines(&mut tx, &order_id, &new_lines(&priced)).await?;
    order_store::record_event(
        &mut tx,
        &order_id,
        None,
        OrderStatus::AwaitingPayment,
        &crate::orders::status_rules::Actor::Customer,
        None,
        "",
    )
    .await?;
    replace_earlier_unpaid(&mut tx, &request.cart_id, &order_id).await?;
    let risk = fraud::assess_in(&mut tx, &risk_facts, &risk_keys).await?;
    let refused = risk.decision == shop_types::RiskDecision::Cancel;
    if !refused {
        after_placing(&mut tx, &order_id, request.method, pay_by).await?;
    }

    tx.commit().await?;
    Ok(Placement {
        order_id,
        link_key,
        method: request.method,
        total_minor: t.total,
        currency: priced.terms.currency.code().to_owned(),
        number,
        created: true,
        sold_out_something,
        refused,
    })
}

impl From<&PlaceError> for Problem {
    fn from(error: &PlaceError) -> Self {
        match error {
            PlaceError::BadKey => Problem::OrderFormOutOfDate,
            PlaceError::NotReady(problem) => problem.clone(),
            PlaceError::OutOfStock { title, available } => Problem::SoldOutMeanwhile {
                title: title.clone(),
                available: *available,
            },
            PlaceError::Coupon(coupon) => Problem::from(coupon),
            PlaceError::KeyReused => Problem::OrderFormReused,
            PlaceError::Db(_) => Problem::Unexpected,
        }
    }
}
