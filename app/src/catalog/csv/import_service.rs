//! Product imports from Shopify's CSV, run by the job queue so a large file never holds a
//! request open. The file is checked when it is uploaded (whole-file problems are refused at
//! once); the job then imports product by product, each in its own transaction, so a broken
//! product or row is reported (`import_errors`, by row number) and never undoes the good
//! ones. Progress is saved after every product; a job that runs out of its time slice queues
//! its own continuation, and a job retried after a crash resumes after the last product done.

use super::shopify_csv::{self, CsvProduct, FileError, RowError};
use crate::catalog::editor::editor_service::{Reach, Saving, save_product_keeping};
use crate::catalog::editor::editor_views::{ProductInput, VariantInput};
use crate::catalog::editor::product_form::{EditorError, clean_product, clean_variants};
use crate::catalog::stock_ledger;
use crate::platform::clock::now;
use crate::platform::db::Db;
use crate::platform::ids::new_id;
use crate::platform::jobs::{JobContext, JobFailure, JobRegistry, NewJob, enqueue};
use shop_types::Currency;
use shop_types::Problem;
use shop_types::messages::PictureTrouble;
use sqlx::Row;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The job kind.
pub const IMPORT_JOB: &str = "catalog.import";
/// Largest file accepted.
pub const MAX_FILE_BYTES: usize = 50 * 1024 * 1024;
/// How long one job run works before it queues its continuation.
const SLICE: Duration = Duration::from_secs(20);
/// Largest picture fetched for an import.
const MAX_IMAGE_BYTES: usize = 10 * 1024 * 1024;

/// Where imports may fetch pictures from.
#[derive(Clone, Debug)]
pub struct Fetcher {
    pub client: reqwest::Client,
    /// Loopback and private addresses allowed (`SHOP_IMPORT_PRIVATE_HOSTS`).
    pub private_hosts: bool,
}

impl Fetcher {
    pub fn new(private_hosts: bool) -> Self {
        Self {
            client: crate::platform::outbound::client(Duration::from_secs(15), private_hosts),
            private_hosts,
        }
    }
}

/// Imports (the next slice of) one uploaded file.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct ImportJob {
    /// The import's id.
    pub import: String,
}

impl crate::platform::jobs::Job for ImportJob {
    const KIND: &'static str = IMPORT_JOB;
}

/// Registers the import job.
pub fn register(registry: &mut JobRegistry, media_dir: PathBuf, private_hosts: bool) {
    let fetcher = Fetcher::new(private_hosts);
    registry.handle(move |ctx: JobContext, job: ImportJob| {
        let media_dir = media_dir.clone();
        let client = fetcher.clone();
        async move {
            run(&ctx.db, &media_dir, &client, &job.import)
                .await
                .map_err(|e| JobFailure::retry(e.to_string()))
        }
    });
}

/// Checks an uploaded file, keeps it and queues its import. Whole-file problems are refused
/// here; row problems are reported by the job.
pub async fn start(
    db: &Db,
    who: &crate::platform::audit_trail::Who,
    file_name: &str,
    text: &str,
) -> Result<String, FileError> {
    let user_id = who.user_id.as_deref().unwrap_or_default();
    let parsed = shopify_csv::parse(text)?;
    let id = new_id().to_string();
    let mut tx = db
        .begin_write()
        .await
        .map_err(|_| FileError::Malformed(0))?;
    let result: Result<(), sqlx::Error> = async {
        sqlx::query(
            "INSERT INTO imports (id, kind, file_name, status, payload, total_rows, total_products, created_by, created_at)
             VALUES ($1, 'products', $2, 'queued', $3, $4, $5, $6, $7)",
        )
        .bind(&id)
        .bind(file_name)
        .bind(text)
        .bind(i64::try_from(parsed.rows).unwrap_or(i64::MAX))
        .bind(i64::try_from(parsed.products.len()).unwrap_or(i64::MAX))
        .bind(user_id)
        .bind(now().millis())
        .execute(&mut *tx)
        .await?;
        let job = NewJob::of(&ImportJob { import: id.clone() })
            .map_err(|e| sqlx::Error::Protocol(e.to_string()))?
            .dedupe(format!("import:{id}:0"));
        enqueue(&mut *tx, &job).await?;
        crate::platform::audit_trail::record(
            &mut tx,
            who,
            "import.started",
            &format!("import:{id}"),
            None,
            Some(serde_json::json!({
                "file": file_name,
                "rows": parsed.rows,
                "products": parsed.products.len(),
            })),
        )
        .await?;
        Ok(())
    }
    .await;
    result.map_err(|e| {
        tracing::error!(error = %e, "import: could not queue");
        FileError::Malformed(0)
    })?;
    tx.commit().await.map_err(|_| FileError::Malformed(0))?;
    Ok(id)
}

/// Works through an import for one time slice.
pub async fn run(
    db: &Db,
    media_dir: &std::path::Path,
    client: &Fetcher,
    id: &str,
) -> Result<(), sqlx::Error> {
    let started = Instant::now();
    let row =
        sqlx::query("SELECT status, payload, products_done, created_by FROM imports WHERE id = $1")
            .bind(id)
            .fetch_optional(db.pool())
            .await?;
    let Some(row) = row else { return Ok(()) };
    let status: String = row.try_get("status")?;
    if status == "done" || status == "failed" {
        return Ok(());
    }
    let payload: Option<String> = row.try_get("payload")?;
    let mut done = usize::try_from(row.try_get::<i64, _>("products_done")?).unwrap_or(0);
    let actor = format!(
        "import:{}",
        row.try_get::<Option<String>, _>("created_by")?
            .unwrap_or_default()
    );
    let Ok(parsed) = shopify_csv::parse(payload.as_deref().unwrap_or_default()) else {
        sqlx::query(
            "UPDATE imports SET status = 'failed', finished_at = $1, payload = NULL WHERE id = $2",
        )
        .bind(now().millis())
        .bind(id)
        .execute(db.pool())
        .await?;
        return Ok(());
    };
    if done == 0 {
        // First slice: the rows refused while reading the file.
        let mut tx = db.begin_write().await?;
        sqlx::query("UPDATE imports SET status = 'running' WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        for e in &parsed.errors {
            record_error(&mut tx, id, e).await?;
        }
        tx.commit().await?;
    }
    let currency = {
        let mut conn = db.pool().acquire().await?;
        crate::store::queries::store_currency(&mut conn).await?
    };
    while done < parsed.products.len() {
        if started.elapsed() > SLICE {
            let job = NewJob::of(&ImportJob {
                import: id.to_owned(),
            })
            .map_err(|e| sqlx::Error::Protocol(e.to_string()))?
            .dedupe(format!("import:{id}:{done}"));
            enqueue(db.pool(), &job).await?;
            return Ok(());
        }
        let product = &parsed.products[done];
        let outcome = import_product(db, media_dir, client, product, currency, &actor).await?;
        let mut tx = db.begin_write().await?;
        for e in &outcome.errors {
            record_error(&mut tx, id, e).await?;
        }
        sqlx::query(
            "UPDATE imports SET products_done = products_done + 1, created_count = created_count + $1,
                    updated_count = updated_count + $2 WHERE id = $3",
        )
        .bind(i64::from(outcome.created))
        .bind(i64::from(outcome.updated))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        done += 1;
    }
    sqlx::query(
        "UPDATE imports SET status = 'done', finished_at = $1, payload = NULL,
                failed_rows = (SELECT COUNT(*) FROM import_errors WHERE import_id = $2) WHERE id = $2",
    )
    .bind(now().millis())
    .bind(id)
    .execute(db.pool())
    .await?;
    Ok(())
}

async fn record_error(
    tx: &mut sqlx::AnyConnection,
    id: &str,
    e: &RowError,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO import_errors (import_id, row_number, handle, message) VALUES ($1, $2, $3, $4)
         ON CONFLICT (import_id, row_number) DO NOTHING",
    )
    .bind(id)
    .bind(i64::try_from(e.row).unwrap_or(i64::MAX))
    .bind(&e.handle)
    .bind(serde_json::to_string(&e.problem).unwrap_or_default())
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// What importing one product did.
#[derive(Debug, Default)]
pub struct Outcome {
    pub created: bool,
    pub updated: bool,
    pub errors: Vec<RowError>,
}

/// Imports one product: its fields, the variants whose rows are good, stock and pictures.
pub async fn import_product(
    db: &Db,
    media_dir: &std::path::Path,
    client: &Fetcher,
    p: &CsvProduct,
    currency: Currency,
    actor: &str,
) -> Result<Outcome, sqlx::Error> {
    let mut outcome = Outcome::default();
    let fail_all = |problem: Problem| -> Vec<RowError> {
        let mut rows: Vec<usize> = std::iter::once(p.row)
            .chain(p.variants.iter().map(|v| v.row))
            .chain(p.images.iter().map(|i| i.row))
            .collect();
        rows.sort_unstable();
        rows.dedup();
        rows.into_iter()
            .map(|row| RowError {
                row,
                handle: p.handle.clone(),
                problem: problem.clone(),
            })
            .collect()
    };
    let mut conn = db.pool().acquire().await?;
    let existing: Option<String> = sqlx::query_scalar("SELECT id FROM products WHERE slug = $1")
        .bind(&p.handle)
        .fetch_optional(&mut *conn)
        .await?;
    let category_name = p
        .category
        .rsplit('>')
        .next()
        .unwrap_or_default()
        .trim()
        .to_lowercase();
    let mut category_id: Option<String> = None;
    for name in [category_name, p.product_type.trim().to_lowercase()] {
        if name.is_empty() || category_id.is_some() {
            continue;
        }
        category_id = sqlx::query_scalar(
            "SELECT id FROM categories WHERE LOWER(name) = $1 ORDER BY position LIMIT 1",
        )
        .bind(&name)
        .fetch_optional(&mut *conn)
        .await?;
    }
    let input = ProductInput {
        title: p.title.clone(),
        slug: p.handle.clone(),
        description: shopify_csv::html_to_markdown(&p.body_html),
        brand: p.brand.clone(),
        status: p.status.clone(),
        category_id: category_id.unwrap_or_default(),
        product_type: p.product_type.clone(),
        tags: p.tags.clone(),
        seo_title: p.seo_title.chars().take(70).collect(),
        seo_description: p.seo_description.chars().take(320).collect(),
        option1_name: p.option_names[0].clone(),
        option2_name: p.option_names[1].clone(),
        option3_name: p.option_names[2].clone(),
    };
    // Shopify writes "Title" / "Default Title" for products without options.
    let mut input = input;
    if input.option1_name.eq_ignore_ascii_case("title")
        && p.variants
            .iter()
            .all(|v| v.options[0].eq_ignore_ascii_case("default title"))
    {
        input.option1_name.clear();
    }
    let clean = match clean_product(&input) {
        Ok(c) => c,
        Err(EditorError::Invalid { problem, .. }) => {
            outcome.errors = fail_all(Problem::ProductSkipped {
                reason: Box::new(problem),
            });
            return Ok(outcome);
        }
        Err(EditorError::NotFound) => return Ok(outcome),
        Err(EditorError::Db(e)) => return Err(e),
    };
    // Each variant row on its own, so one bad row does not take the others with it.
    let mut variants = Vec::new();
    let mut quantities = Vec::new();
    for (n, v) in p.variants.iter().enumerate() {
        let sku = if v.sku.is_empty() {
            format!("{}-{}", p.handle, n + 1)
        } else {
            v.sku.clone()
        };
        let owner: Option<(String, String)> =
            sqlx::query("SELECT id, product_id FROM variants WHERE sku = $1")
                .bind(&sku)
                .fetch_optional(&mut *conn)
                .await?
                .map(|r| Ok::<_, sqlx::Error>((r.try_get("id")?, r.try_get("product_id")?)))
                .transpose()?;
        let id = match (&owner, &existing) {
            (Some((vid, pid)), Some(existing)) if pid == existing => vid.clone(),
            (Some(_), _) => {
                outcome.errors.push(RowError {
                    row: v.row,
                    handle: p.handle.clone(),
                    problem: Problem::SkuTaken { sku: sku.clone() },
                });
                continue;
            }
            (None, _) => String::new(),
        };
        let row = VariantInput {
            id,
            sku,
            option1: v.options[0].clone(),
            option2: v.options[1].clone(),
            option3: v.options[2].clone(),
            price: v.price.clone(),
            compare_at: v.compare_at.clone(),
            weight_grams: v.grams.to_string(),
            barcode: v.barcode.clone(),
            stock: v.quantity.unwrap_or(0).to_string(),
            remove: String::new(),
        };
        match clean_variants(std::slice::from_ref(&row), &clean.option_names, currency) {
            Ok(mut one) => {
                let candidate = one.remove(0);
                let clash = variants.iter().any(
                    |c: &crate::catalog::editor::product_form::CleanVariant| {
                        c.sku.eq_ignore_ascii_case(&candidate.sku)
                            || (!candidate.options.is_empty()
                                && c.options
                                    .iter()
                                    .map(|o| o.to_lowercase())
                                    .eq(candidate.options.iter().map(|o| o.to_lowercase())))
                    },
                );
                if clash {
                    outcome.errors.push(RowError {
                        row: v.row,
                        handle: p.handle.clone(),
                        problem: Problem::VariantRepeats {
                            sku: candidate.sku.clone(),
                        },
                    });
                    continue;
                }
                quantities.push((candidate.id.clone(), candidate.sku.clone(), v.quantity));
                variants.push(candidate);
            }
            Err(EditorError::Invalid { problem, .. }) => {
                outcome.errors.push(RowError {
                    row: v.row,
                    handle: p.handle.clone(),
                    problem,
                });
            }
            Err(EditorError::Db(e)) => return Err(e),
            Err(EditorError::NotFound) => {}
        }
    }
    if variants.is_empty() && existing.is_none() {
        let mut errors = fail_all(Problem::ProductSkippedNoVariants);
        errors.retain(|e| !outcome.errors.iter().any(|o| o.row == e.row));
        outcome.errors.extend(errors);
        return Ok(outcome);
    }
    drop(conn);
    let saving = Saving {
        actor,
        who: None,
        keep_missing: true,
        reach: Reach::Shop,
    };
    let saved = save_product_keeping(db, existing.as_deref(), &clean, &variants, saving).await;
    let product_id = match saved {
        Ok(id) => id,
        Err(EditorError::Invalid { problem, .. }) => {
            let mut errors = fail_all(Problem::ProductSkipped {
                reason: Box::new(problem),
            });
            errors.retain(|e| !outcome.errors.iter().any(|o| o.row == e.row));
            outcome.errors.extend(errors);
            return Ok(outcome);
        }
        Err(EditorError::NotFound) => return Ok(outcome),
        Err(EditorError::Db(e)) => return Err(e),
    };
    if existing.is_some() {
        outcome.updated = true;
    } else {
        outcome.created = true;
    }
    // Quantities of variants that already existed become stock counts at the first location.
    let updates: Vec<(String, i64)> = quantities
        .iter()
        .filter_map(|(id, _, q)| Some((id.clone()?, (*q)?)))
        .collect();
    if !updates.is_empty() {
        let mut tx = db.begin_write().await?;
        let location = crate::catalog::stock_ledger::home_location(&mut tx, &product_id).await?;
        for (variant, quantity) in &updates {
            if let Err(e) = stock_ledger::set_count(
                &mut tx,
                variant,
                &location,
                *quantity,
                "import",
                "Product import",
                actor,
            )
            .await
            {
                match e {
                    stock_ledger::LedgerError::Db(e) => return Err(e),
                    other => {
                        let row = p
                            .variants
                            .iter()
                            .find(|v| {
                                quantities.iter().any(|(id, sku, _)| {
                                    id.as_deref() == Some(variant) && *sku == v.sku
                                })
                            })
                            .map_or(p.row, |v| v.row);
                        outcome.errors.push(RowError {
                            row,
                            handle: p.handle.clone(),
                            problem: other.problem(),
                        });
                    }
                }
            }
        }
        tx.commit().await?;
    }
    // Pictures, in their position order; one that cannot be fetched is reported, the product stays.
    let mut images = p.images.clone();
    images.sort_by_key(|i| i.position);
    for image in images {
        let known: Option<String> = sqlx::query_scalar(
            "SELECT id FROM product_images WHERE product_id = $1 AND source_url = $2",
        )
        .bind(&product_id)
        .bind(&image.src)
        .fetch_optional(db.pool())
        .await?;
        if known.is_some() {
            continue;
        }
        match fetch_image(client, media_dir, &image.src).await {
            Ok((key, width, height)) => {
                let row = crate::catalog::product_store::ImageRow {
                    position: None,
                    file_key: &key,
                    alt: &image.alt,
                    width: i64::from(width),
                    height: i64::from(height),
                    source_url: Some(&image.src),
                };
                crate::catalog::product_store::add_image(db, None, &product_id, &row).await?;
            }
            Err(trouble) => outcome.errors.push(RowError {
                row: image.row,
                handle: p.handle.clone(),
                problem: Problem::PictureNotImported {
                    src: image.src.chars().take(300).collect(),
                    trouble,
                },
            }),
        }
    }
    Ok(outcome)
}

async fn fetch_image(
    fetcher: &Fetcher,
    media_dir: &std::path::Path,
    src: &str,
) -> Result<(String, u32, u32), PictureTrouble> {
    use crate::platform::outbound::OutboundError;
    let url = crate::platform::outbound::public_url(src, fetcher.private_hosts)
        .await
        .map_err(|e| match e {
            OutboundError::Invalid => PictureTrouble::AddressInvalid,
            OutboundError::NoHost => PictureTrouble::NoHost,
            OutboundError::Unresolved => PictureTrouble::HostUnknown,
            OutboundError::Private => PictureTrouble::PrivateNetwork,
        })?;
    let mut response = fetcher
        .client
        .get(url)
        .send()
        .await
        .map_err(|_| PictureTrouble::Unreachable)?;
    if !response.status().is_success() {
        return Err(PictureTrouble::Answered {
            status: response.status().as_u16(),
        });
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|_| PictureTrouble::CutOff)? {
        if bytes.len() + chunk.len() > MAX_IMAGE_BYTES {
            return Err(PictureTrouble::TooLarge);
        }
        bytes.extend_from_slice(&chunk);
    }
    let root = media_dir.to_path_buf();
    tokio::task::spawn_blocking(move || crate::media::storage::store_original(&root, &bytes))
        .await
        .map_err(|_| PictureTrouble::Unprocessable)?
        .map_err(|_| PictureTrouble::NotAPicture)
}
