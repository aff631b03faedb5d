//! What the benchmark drivers share: the one-line report of latencies.

/// Prints `<count_name>=… rps=… p50_ms=… p99_ms=… max_ms=… errors=…` for latencies in
/// microseconds gathered over `elapsed_secs`.
pub fn report(count_name: &str, mut micros: Vec<u64>, elapsed_secs: f64, errors: usize) {
    micros.sort_unstable();
    let pct = |p: f64| -> f64 {
        if micros.is_empty() {
            return 0.0;
        }
        let i = ((micros.len() as f64 * p).ceil() as usize).clamp(1, micros.len()) - 1;
        micros[i] as f64 / 1000.0
    };
    println!(
        "{count_name}={} rps={:.0} p50_ms={:.2} p99_ms={:.2} max_ms={:.2} errors={}",
        micros.len(),
        micros.len() as f64 / elapsed_secs,
        pct(0.50),
        pct(0.99),
        micros.last().copied().unwrap_or(0) as f64 / 1000.0,
        errors
    );
}

/// Runs `workers` closed loops: each takes the next index, asks `work` for that request (no
/// more when it answers `None`), and times it. Returns the latencies of the requests that
/// succeeded, in microseconds, and how many failed.
pub async fn closed_loop<F, Fut>(workers: usize, work: F) -> (Vec<u64>, usize)
where
    F: Fn(usize) -> Option<Fut> + Send + Sync + 'static,
    Fut: std::future::Future<Output = bool> + Send + 'static,
{
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let work = Arc::new(work);
    let next = Arc::new(AtomicUsize::new(0));
    let handles: Vec<_> = (0..workers.max(1))
        .map(|_| {
            let (work, next) = (work.clone(), next.clone());
            tokio::spawn(async move {
                let (mut ok, mut failed) = (Vec::new(), 0usize);
                while let Some(request) = work(next.fetch_add(1, Ordering::Relaxed)) {
                    let start = std::time::Instant::now();
                    if request.await {
                        ok.push(start.elapsed().as_micros() as u64);
                    } else {
                        failed += 1;
                    }
                }
                (ok, failed)
            })
        })
        .collect();
    let (mut all, mut errors) = (Vec::new(), 0);
    for handle in handles {
        if let Ok((ok, failed)) = handle.await {
            all.extend(ok);
            errors += failed;
        }
    }
    (all, errors)
}
