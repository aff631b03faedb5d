//! A small HTTP load generator for `make bench`, run as a process of its own.
//!
//! - `--rate R`: open loop. A request is *due* every 1/R s whether or not earlier ones have
//!   answered, and latency is counted from when it was due, so a slow server cannot hide its
//!   queue (no coordinated omission). This is how "p99 at 200 requests/s" is measured.
//! - `--concurrency C`: closed loop, C requests in flight at all times (throughput).
//!
//! Prints one line: `requests=… rps=… p50_ms=… p99_ms=… max_ms=… errors=…`.
//! Usage: `cargo bench -p server --bench loadgen -- --url URL (--rate R | --concurrency C)
//! [--seconds S] [--urls-file F] [--cookie C]` (with `--urls-file`, requests cycle through its lines).

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

struct Args {
    urls: Vec<String>,
    rate: Option<f64>,
    concurrency: Option<usize>,
    seconds: f64,
    /// Sent as the `Cookie` header (a signed-in session for console pages).
    cookie: Option<String>,
}

fn args() -> Result<Args, String> {
    let mut urls = Vec::new();
    let (mut rate, mut concurrency, mut seconds, mut cookie) = (None, None, 10.0, None);
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--url" => urls.push(value()?),
            "--urls-file" => {
                let text = std::fs::read_to_string(value()?).map_err(|e| e.to_string())?;
                urls.extend(
                    text.lines()
                        .filter(|l| !l.trim().is_empty())
                        .map(str::to_owned),
                );
            }
            "--rate" => rate = Some(value()?.parse().map_err(|_| "--rate: a number")?),
            "--concurrency" => {
                concurrency = Some(value()?.parse().map_err(|_| "--concurrency: a number")?)
            }
            "--seconds" => seconds = value()?.parse().map_err(|_| "--seconds: a number")?,
            "--cookie" => cookie = Some(value()?),
            // cargo bench passes --bench to every bench target.
            "--bench" => {}
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if urls.is_empty() || rate.is_none() == concurrency.is_none() {
        return Err("give --url (or --urls-file) and one of --rate or --concurrency".into());
    }
    Ok(Args {
        urls,
        rate,
        concurrency,
        seconds,
        cookie,
    })
}

async fn one(client: &reqwest::Client, url: &str) -> bool {
    match client.get(url).send().await {
        Ok(r) => {
            let ok = r.status().is_success();
            ok && r.bytes().await.is_ok()
        }
        Err(_) => false,
    }
}

#[tokio::main]
async fn main() {
    let args = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("loadgen: {e}");
            std::process::exit(2);
        }
    };
    let mut headers = reqwest::header::HeaderMap::new();
    if let Some(cookie) = args
        .cookie
        .as_deref()
        .and_then(|c| reqwest::header::HeaderValue::from_str(c).ok())
    {
        headers.insert(reqwest::header::COOKIE, cookie);
    }
    let client = reqwest::Client::builder()
        .default_headers(headers)
        .pool_max_idle_per_host(512)
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    let urls = Arc::new(args.urls);
    let latencies = Arc::new(Mutex::new(Vec::<u64>::new()));
    let errors = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(args.seconds);

    if let Some(rate) = args.rate {
        let interval = Duration::from_secs_f64(1.0 / rate);
        let mut tasks = Vec::new();
        let mut n = 0usize;
        loop {
            let due = started + interval.mul_f64(n as f64);
            if due >= deadline {
                break;
            }
            tokio::time::sleep_until(due.into()).await;
            let (client, urls, latencies, errors) = (
                client.clone(),
                urls.clone(),
                latencies.clone(),
                errors.clone(),
            );
            tasks.push(tokio::spawn(async move {
                let ok = one(&client, &urls[n % urls.len()]).await;
                let micros = due.elapsed().as_micros() as u64;
                if ok {
                    latencies.lock().await.push(micros);
                } else {
                    errors.fetch_add(1, Ordering::Relaxed);
                }
            }));
            n += 1;
        }
        for t in tasks {
            let _ = t.await;
        }
    } else {
        let (ok, failed) = common::closed_loop(args.concurrency.unwrap_or(1), move |i| {
            (Instant::now() < deadline).then(|| {
                let (client, url) = (client.clone(), urls[i % urls.len()].clone());
                async move { one(&client, &url).await }
            })
        })
        .await;
        latencies.lock().await.extend(ok);
        errors.fetch_add(failed, Ordering::Relaxed);
    }
    let elapsed = started.elapsed().as_secs_f64();
    let latencies = latencies.lock().await.clone();
    common::report(
        "requests",
        latencies,
        elapsed,
        errors.load(Ordering::Relaxed),
    );
}
