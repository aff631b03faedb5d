//! The staff order list's query: filters checked once, then one indexed, keyset-paged
//! statement. Shared by the list page and the CSV export.

use super::list_orders::{AdminOrderRow, ORDERS_PER_PAGE};
use super::staff_views::OrderListPage;
use crate::platform::db::{Bind as Value, Conditions};
use crate::platform::vault::Vault;
use shop_types::Problem;
use shop_types::{AppError, Currency, Money, OrderStatus, PaymentMethod, Timestamp};
use sqlx::{AnyConnection, Row};

/// What the list is narrowed to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrderFilter {
    pub status: Option<OrderStatus>,
    pub method: Option<PaymentMethod>,
    pub number: Option<i64>,
    /// The customer's whole e-mail address, lower-cased (found by its blind index: addresses
    /// are sealed, so there is no prefix search).
    pub email: Option<String>,
    pub from: Option<i64>,
    /// Exclusive end (the day after the `to` date).
    pub until: Option<i64>,
    /// Rows strictly older than this (created_at, id).
    pub after: Option<(i64, String)>,
}

impl OrderFilter {
    /// Reads the list's query string; anything unreadable is a clear validation error.
    pub fn parse(
        status: Option<String>,
        method: Option<String>,
        q: Option<String>,
        from: Option<String>,
        to: Option<String>,
        after: Option<String>,
    ) -> Result<Self, AppError> {
        let given = |v: Option<String>| v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
        let status = given(status)
            .map(|s| {
                OrderStatus::parse(&s)
                    .ok_or_else(|| AppError::validation("status", Problem::StatusUnknown))
            })
            .transpose()?;
        let method = given(method)
            .map(|m| {
                PaymentMethod::parse(&m)
                    .ok_or_else(|| AppError::validation("method", Problem::PaymentMethodUnknown))
            })
            .transpose()?;
        let (mut number, mut email) = (None, None);
        if let Some(q) = given(q) {
            if q.chars().count() > 200 {
                return Err(AppError::validation(
                    "q",
                    Problem::SearchTooLong { max: 200 },
                ));
            }
            let digits = q.trim_start_matches('#');
            match digits.parse::<i64>() {
                Ok(n) if n > 0 => number = Some(n),
                _ => email = Some(q.to_lowercase()),
            }
        }
        let date = |field: &'static str, v: Option<String>| {
            given(v)
                .map(|d| {
                    Timestamp::parse_date(&d)
                        .map(|t| t.millis())
                        .ok_or_else(|| AppError::validation(field, Problem::DateInvalid))
                })
                .transpose()
        };
        let from = date("from", from)?;
        let until = date("to", to)?.map(|t| t + Timestamp::DAY);
        let after = crate::ui::parse_cursor(after)?;
        Ok(Self {
            status,
            method,
            number,
            email,
            from,
            until,
            after,
        })
    }
}

/// One page of orders matching `filter`.
pub async fn page(
    conn: &mut AnyConnection,
    vault: &Vault,
    filter: &OrderFilter,
) -> Result<OrderListPage, sqlx::Error> {
    let mut rows = rows(conn, vault, filter, ORDERS_PER_PAGE + 1).await?;
    let next = (rows.len() > usize::try_from(ORDERS_PER_PAGE).unwrap_or(50)).then(|| {
        rows.truncate(usize::try_from(ORDERS_PER_PAGE).unwrap_or(50));
        rows.last()
            .map(|r| format!("{}_{}", r.placed_at.millis(), r.id))
            .unwrap_or_default()
    });
    Ok(OrderListPage { rows, next })
}

/// Up to `limit` orders matching `filter`, newest first.
pub async fn rows(
    conn: &mut AnyConnection,
    vault: &Vault,
    filter: &OrderFilter,
    limit: i64,
) -> Result<Vec<AdminOrderRow>, sqlx::Error> {
    // Only the conditions in use go into the statement, so the planner can pick the index
    // that fits (status, e-mail or date) instead of scanning past switched-off ones.
    let mut c = Conditions::default();
    let mut add = |clause: &str, vs: Vec<Value>| c.add(clause, vs);
    if let Some(status) = filter.status {
        add("status = ?1", vec![Value::Text(status.as_str().into())]);
    }
    if let Some(method) = filter.method {
        add(
            "payment_method = ?1",
            vec![Value::Text(method.as_str().into())],
        );
    }
    if let Some(number) = filter.number {
        add("number = ?1", vec![Value::Int(number)]);
    }
    if let Some(email) = &filter.email {
        add(
            "email_index = ?1",
            vec![Value::Text(vault.email_index(email))],
        );
    }
    if let Some(from) = filter.from {
        add("created_at >= ?1", vec![Value::Int(from)]);
    }
    if let Some(until) = filter.until {
        add("created_at < ?1", vec![Value::Int(until)]);
    }
    if let Some((at, id)) = &filter.after {
        // The first half is a plain range, so the index seeks to the page instead of
        // walking every newer order.
        add(
            "created_at <= ?1 AND (created_at < ?2 OR id < ?3)",
            vec![Value::Int(*at), Value::Int(*at), Value::Text(id.clone())],
        );
    }
    let sql = format!(
        "SELECT id, number, status, email, created_at, total_minor, currency, payment_method, key_id, pseudonym FROM orders
         {} ORDER BY created_at DESC, id DESC LIMIT {limit}",
        c.where_sql()
    );
    let query = c.bind(sqlx::query(&sql));
    let rows = query.fetch_all(&mut *conn).await?;
    let openers = vault.row_openers(conn, &rows).await?;
    rows.iter()
        .zip(&openers)
        .map(|(r, opener)| {
            let status: String = r.try_get("status")?;
            let method: String = r.try_get("payment_method")?;
            let currency: String = r.try_get("currency")?;
            Ok(AdminOrderRow {
                id: r.try_get("id")?,
                number: r.try_get("number")?,
                status: OrderStatus::parse(&status).unwrap_or(OrderStatus::AwaitingPayment),
                email: super::order_queries::shown_email(opener, r)?,
                placed_at: Timestamp(r.try_get("created_at")?),
                total: Money::new(
                    r.try_get("total_minor")?,
                    Currency::parse(&currency).unwrap_or(Currency::EUR),
                ),
                payment_method: PaymentMethod::parse(&method).unwrap_or(PaymentMethod::Card),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_searches_by_number_and_text_by_email() {
        let f = OrderFilter::parse(None, None, Some("#1042".into()), None, None, None).unwrap();
        assert_eq!(f.number, Some(1042));
        let f = OrderFilter::parse(None, None, Some("Ann@".into()), None, None, None).unwrap();
        assert_eq!(f.email.as_deref(), Some("ann@"));
    }

    #[test]
    fn bad_filters_are_named() {
        let e = OrderFilter::parse(Some("lost".into()), None, None, None, None, None).unwrap_err();
        assert!(e.to_string().contains("status"), "{e}");
        assert!(
            OrderFilter::parse(None, None, None, Some("2026-02-30".into()), None, None).is_err()
        );
        assert!(OrderFilter::parse(None, None, None, None, None, Some("nope".into())).is_err());
        let f = OrderFilter::parse(
            None,
            None,
            None,
            Some("2026-11-01".into()),
            Some("2026-11-01".into()),
            None,
        )
        .unwrap();
        assert_eq!(f.until.unwrap() - f.from.unwrap(), Timestamp::DAY);
    }
}
