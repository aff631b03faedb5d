//! Checkouts per second for `make bench`, against a running shop, as a process of its own.
//!
//! First it prepares `--orders` guest carts over HTTP (each: add a variant to the cart, enter
//! an address, which also picks the cheapest shipping rate), untimed. Then it places them with
//! `--concurrency` requests in flight (closed loop): each request is one `POST
//! /api/checkout/place` (bank transfer), the whole order transaction: prices, stock
//! decrement, coupon, order number, order and lines, history and the queued confirmation mail.
//!
//! Prints: `checkouts=… rps=… p50_ms=… p99_ms=… max_ms=… errors=…`.
//! Usage: `cargo bench -p server --bench checkouts -- --base URL --database URL
//! [--orders N] [--concurrency C]`. The database is the shop's: 200 variants of active
//! products are given plenty of stock so that no order fails for lack of it.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

struct Args {
    base: String,
    database: String,
    orders: usize,
    concurrency: usize,
}

fn args() -> Result<Args, String> {
    let (mut base, mut database, mut orders, mut concurrency) = (None, None, 4000, 8);
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--base" => base = Some(value()?),
            "--database" => database = Some(value()?),
            "--orders" => orders = value()?.parse().map_err(|_| "--orders: a number")?,
            "--concurrency" => {
                concurrency = value()?.parse().map_err(|_| "--concurrency: a number")?
            }
            "--bench" => {}
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let base = base.ok_or("give --base")?;
    let database = database.ok_or("give --database")?;
    Ok(Args {
        base,
        database,
        orders,
        concurrency,
    })
}

/// A prepared cart: its cookie and a fresh idempotency key.
struct Ready {
    cookie: String,
    key: String,
}

async fn prepare(
    client: &reqwest::Client,
    base: &str,
    variant: &str,
    n: usize,
) -> Result<Ready, String> {
    let added = client
        .post(format!("{base}/api/cart/add"))
        .header("accept", "application/json")
        .form(&[("variant_id", variant), ("quantity", "1")])
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !added.status().is_success() {
        return Err(format!("add to cart: {}", added.status()));
    }
    let cookie = added
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("shop_cart="))
        .and_then(|v| v.split(';').next())
        .ok_or("no cart cookie")?
        .to_owned();
    let email = format!("bench-{n}@example.com");
    let details = client
        .post(format!("{base}/api/checkout/details"))
        .header("accept", "application/json")
        .header("cookie", &cookie)
        .form(&[
            ("email", email.as_str()),
            ("address[full_name]", "Bench Buyer"),
            ("address[line1]", "Hauptstraße 5"),
            ("address[postal_code]", "10115"),
            ("address[city]", "Berlin"),
            ("address[country]", "DE"),
        ])
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !details.status().is_success() {
        return Err(format!("details: {}", details.status()));
    }
    Ok(Ready {
        cookie,
        key: format!("bench-order-{n:012}"),
    })
}

async fn place(client: &reqwest::Client, base: &str, ready: &Ready) -> bool {
    let answer = client
        .post(format!("{base}/api/checkout/place"))
        .header("accept", "application/json")
        .header("cookie", &ready.cookie)
        .form(&[
            ("idempotency_key", ready.key.as_str()),
            ("payment_method", "bank_transfer"),
        ])
        .send()
        .await;
    match answer {
        Ok(r) if r.status().is_success() => r.bytes().await.is_ok(),
        _ => false,
    }
}

/// Gives 200 variants of active products plenty of stock and returns their ids.
async fn stocked_variants(url: &str) -> Vec<String> {
    let db = app::platform::db::Db::connect(url, 2)
        .await
        .expect("open the shop's database");
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id
         WHERE p.status = 'active' ORDER BY v.sku LIMIT 200",
    )
    .fetch_all(db.pool())
    .await
    .expect("variants");
    for id in &ids {
        sqlx::query("UPDATE variants SET stock = 1000000 WHERE id = $1")
            .bind(id)
            .execute(db.pool())
            .await
            .expect("stock");
    }
    db.close().await;
    ids
}

#[tokio::main]
async fn main() {
    let args = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("checkouts: {e}");
            std::process::exit(2);
        }
    };
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client");
    let base = Arc::new(args.base.trim_end_matches('/').to_owned());
    let variants = Arc::new(stocked_variants(&args.database).await);

    // Untimed: the carts.
    let next = Arc::new(AtomicUsize::new(0));
    let carts = Arc::new(Mutex::new(Vec::with_capacity(args.orders)));
    let preparers: Vec<_> = (0..16)
        .map(|_| {
            let (client, base, variants, next, carts) = (
                client.clone(),
                base.clone(),
                variants.clone(),
                next.clone(),
                carts.clone(),
            );
            let total = args.orders;
            tokio::spawn(async move {
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= total {
                        break;
                    }
                    match prepare(&client, &base, &variants[n % variants.len()], n).await {
                        Ok(ready) => carts.lock().await.push(ready),
                        Err(e) => eprintln!("checkouts: preparing cart {n}: {e}"),
                    }
                }
            })
        })
        .collect();
    for p in preparers {
        let _ = p.await;
    }
    let carts = Arc::new(std::mem::take(&mut *carts.lock().await));

    // Timed: placing the orders.
    let started = Instant::now();
    let (latencies, errors) = common::closed_loop(args.concurrency, move |i| {
        let ready = carts.get(i)?;
        let (client, base, cookie, key) = (
            client.clone(),
            base.clone(),
            ready.cookie.clone(),
            ready.key.clone(),
        );
        Some(async move { place(&client, &base, &Ready { cookie, key }).await })
    })
    .await;
    common::report(
        "checkouts",
        latencies,
        started.elapsed().as_secs_f64(),
        errors,
    );
}
