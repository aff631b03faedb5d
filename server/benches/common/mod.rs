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
