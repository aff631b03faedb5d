//! Command-line tasks beside serving, run as `server <command>` with the same settings:
//!
//! - `server reindex`: rebuilds this instance's search index from the database (stop the shop
//!   first: the index has one writer);
//! - `server generate <N>`: adds N demo products (for benchmarks: 100000), then indexes them.
//!
//! - `server generate-orders <N>`: adds N synthetic past orders over the catalog (for the
//!   console's list benchmarks).
//!
//! - `server audit verify`: walks the audit log's hash chain; fails naming the first row that
//!   was changed or removed in the database, or prints the number of rows and the last hash.
//!
//! - `server rotate-master-key`: re-wraps every data key with the master key the settings name
//!   now (`SHOP_MASTER_KEY[_FILE]`), reading those wrapped by the keys in
//!   `SHOP_OLD_MASTER_KEYS` / `SHOP_OLD_MASTER_KEY_FILES`. The shop keeps serving meanwhile;
//!   once it reports nothing remaining, the old keys can be dropped from the settings.
//!
//! They show a progress bar on a terminal.

use app::platform::config::Config;
use app::platform::db::Db;
use app::search::follower::{Follower, rebuild};
use app::search::index::SearchIndex;
use indicatif::{ProgressBar, ProgressStyle};
use std::sync::Arc;

fn bar(total: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{msg:>12} [{bar:40}] {pos}/{len} ({per_sec}, {eta} left)")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(what.to_owned());
    bar
}

/// The database, migrated, with its vault unlocked.
async fn connect(config: &Config) -> Result<Db, String> {
    let db = Db::connect(&config.database_url, config.db_max_connections)
        .await
        .map_err(|e| e.to_string())?;
    db.migrate().await.map_err(|e| e.to_string())?;
    db.unlock(app::platform::vault::ring_from(config)?)
        .await
        .map_err(|e| e.to_string())?;
    Ok(db)
}

async fn open(config: &Config) -> Result<(Db, Arc<SearchIndex>), String> {
    let db = connect(config).await?;
    let index = app::search::follower::open_for(&db, config.search_dir())
        .await
        .map_err(|e| e.to_string())?;
    Ok((db, index))
}

/// `server demo-code`: the code an authenticator app with the demo admin's key shows now (and
/// how many seconds it has left), for a first look at `make run` without a phone. Refused
/// unless demo data is on: real accounts have keys nobody prints.
pub fn demo_code(config: &Config) -> Result<(), String> {
    use app::assembly::seed::DEMO_ADMIN_TOTP_KEY;
    use app::identity::totp;
    if !config.demo_data {
        return Err("demo-code works only with demo data (SHOP_DEMO_DATA=true)".to_owned());
    }
    let key = totp::from_base32(DEMO_ADMIN_TOTP_KEY).ok_or("the demo key is not base32")?;
    let now = app::platform::clock::now().millis() / 1000;
    let left = totp::STEP_SECS - now.rem_euclid(totp::STEP_SECS);
    println!(
        "{} (valid for {left} more seconds)",
        totp::code_at(&key, now)
    );
    Ok(())
}

/// `server audit verify`.
pub async fn audit_verify(config: &Config) -> Result<(), String> {
    use app::audit::store::{Verdict, verify};
    let db = connect(config).await?;
    let verdict = verify(&db).await.map_err(|e| e.to_string());
    db.close().await;
    match verdict? {
        Verdict::Intact { rows, head } => {
            println!("audit log intact: {rows} rows, last hash {head}");
            Ok(())
        }
        broken => Err(audit_problem(&broken)),
    }
}

/// What `server audit verify` says about a broken chain.
pub fn audit_problem(verdict: &app::audit::store::Verdict) -> String {
    use app::audit::store::Verdict;
    match verdict {
        Verdict::Intact { .. } => "audit log intact".to_owned(),
        Verdict::Altered { seq } => {
            format!("audit log row {seq} was changed: its hash does not match its contents")
        }
        Verdict::Unlinked { seq } => format!(
            "audit log row {seq} does not follow the row before it: that row was replaced or removed"
        ),
        Verdict::Missing { expected, found } => format!(
            "audit log row {expected} is missing (the next row found is {found}): rows were removed or renumbered"
        ),
    }
}

/// `server reindex`.
pub async fn reindex(config: &Config) -> Result<(), String> {
    let (db, index) = open(config).await?;
    let bar = bar(0, "indexing");
    let started = std::time::Instant::now();
    let done = rebuild(&db, &index, &mut |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    })
    .await
    .map_err(|e| e.to_string())?;
    bar.finish();
    println!(
        "indexed {done} products in {:.1} s ({} in the index)",
        started.elapsed().as_secs_f64(),
        index.len()
    );
    db.close().await;
    Ok(())
}

/// `server generate <N>`.
pub async fn generate(config: &Config, count: usize) -> Result<(), String> {
    let (db, index) = open(config).await?;
    app::assembly::seed::ensure_default_store(&db, config)
        .await
        .map_err(|e| e.to_string())?;
    let bar_gen = bar(count as u64, "generating");
    let started = std::time::Instant::now();
    app::catalog::demo::generate_with_progress(&db, count, &config.currency, &mut |done| {
        bar_gen.set_position(done as u64)
    })
    .await
    .map_err(|e| e.to_string())?;
    bar_gen.finish();
    println!(
        "generated {count} products in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let bar_index = bar(0, "indexing");
    Follower::default()
        .sync(&db, &index, &mut |done, total| {
            bar_index.set_length(total);
            bar_index.set_position(done);
        })
        .await
        .map_err(|e| e.to_string())?;
    bar_index.finish();
    println!("search index holds {} products", index.len());
    db.close().await;
    Ok(())
}

/// `server generate-orders <N>`.
pub async fn generate_orders(config: &Config, count: usize) -> Result<(), String> {
    let db = connect(config).await?;
    let progress = bar(count as u64, "orders");
    let started = std::time::Instant::now();
    app::orders::demo_orders::generate(&db, count, &mut |done| progress.set_position(done as u64))
        .await
        .map_err(|e| e.to_string())?;
    progress.finish();
    println!(
        "generated {count} orders in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    db.close().await;
    Ok(())
}

/// `server rotate-master-key`: see the module documentation.
pub async fn rotate_master_key(config: &Config) -> Result<(), String> {
    let db = connect(config).await?;
    let report = db.vault().rotate(&db).await.map_err(|e| e.to_string());
    db.close().await;
    let report = report?;
    println!(
        "re-wrapped {} data keys with master key {}",
        report.rewrapped,
        app::platform::vault::ring_from(config)?.current_id()
    );
    if report.remaining > 0 {
        return Err(format!(
            "{} data keys are still wrapped by an older key: an instance still runs with the old master key as its current one; run again once every instance has the new settings",
            report.remaining
        ));
    }
    Ok(())
}
