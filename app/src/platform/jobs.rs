//! Background jobs backed by the database.
//!
//! E-mail, push messages, imports and re-indexing are queued here with [`enqueue`], in the same
//! transaction as the change that causes them, so a job exists exactly when its cause was
//! committed. Jobs survive restarts (they are rows), are retried with exponential backoff, and
//! are taken by exactly one instance when several run: a worker claims a due job with one
//! conditional `UPDATE` that sets a lease, and only the lease holder may finish it. A job whose
//! instance died is claimed again once its lease runs out.

use super::clock::now;
use super::db::{Db, Engine};
use super::ids::new_id;
use serde::Serialize;
use shop_types::Timestamp;
use sqlx::{Any, Executor, Row};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, Semaphore, watch};

/// How often a job is tried before it is marked failed, unless the job says otherwise.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 8;

/// Work to do later, as the domain that owns it defines it: a serde struct with a stable kind,
/// queued with [`NewJob::of`] and handled through [`JobRegistry::handle`].
pub trait Job: Serialize + serde::de::DeserializeOwned + Send + 'static {
    /// Stable name, `<domain>.<what>` (stored in jobs; never rename one in use).
    const KIND: &'static str;
}

/// A job to queue.
#[derive(Clone, Debug)]
pub struct NewJob {
    /// Which handler runs it, e.g. `email.send`.
    pub kind: String,
    /// The handler's input, as JSON.
    pub payload: serde_json::Value,
    /// Not before this time (now when `None`).
    pub run_at: Option<Timestamp>,
    /// Attempts before giving up.
    pub max_attempts: u32,
    /// If set, a second job with the same key is not queued (idempotent enqueue).
    pub dedupe_key: Option<String>,
}

impl NewJob {
    /// A job of `kind` with a serialisable payload.
    pub fn new(
        kind: impl Into<String>,
        payload: &impl Serialize,
    ) -> Result<Self, serde_json::Error> {
        Ok(Self {
            kind: kind.into(),
            payload: serde_json::to_value(payload)?,
            run_at: None,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            dedupe_key: None,
        })
    }

    /// A typed job.
    pub fn of<J: Job>(job: &J) -> Result<Self, serde_json::Error> {
        Self::new(J::KIND, job)
    }

    /// Only one job with this key will ever be queued.
    pub fn dedupe(mut self, key: impl Into<String>) -> Self {
        self.dedupe_key = Some(key.into());
        self
    }

    /// Run no earlier than `at`.
    pub fn at(mut self, at: Timestamp) -> Self {
        self.run_at = Some(at);
        self
    }

    /// Give up after `n` attempts.
    pub fn max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }
}

/// Queues a job on `ex` (a pool, connection or the caller's transaction). Returns the job's id,
/// or `None` when a job with the same dedupe key already exists.
pub async fn enqueue<'e, E>(ex: E, job: &NewJob) -> Result<Option<String>, sqlx::Error>
where
    E: Executor<'e, Database = Any>,
{
    let id = new_id().to_string();
    let now = now().millis();
    let done = sqlx::query(
        "INSERT INTO jobs (id, kind, payload, status, attempts, max_attempts, run_at, dedupe_key, created_at, updated_at)
         VALUES ($1, $2, $3, 'queued', 0, $4, $5, $6, $7, $7)
         ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind(&id)
    .bind(&job.kind)
    .bind(job.payload.to_string())
    .bind(i64::from(job.max_attempts))
    .bind(job.run_at.map_or(now, Timestamp::millis))
    .bind(job.dedupe_key.as_deref())
    .bind(now)
    .execute(ex)
    .await?;
    Ok((done.rows_affected() == 1).then_some(id))
}

/// What a handler reports when a job did not succeed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobFailure {
    /// Why, for the operator (stored in `jobs.last_error`).
    pub message: String,
    /// True when trying again cannot help (bad payload): the job fails at once.
    pub permanent: bool,
}

impl JobFailure {
    /// A failure that may pass (a mail server down): try again later.
    pub fn retry(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            permanent: false,
        }
    }

    /// A failure that will not pass: stop trying.
    pub fn permanent(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            permanent: true,
        }
    }
}

/// What a handler is given.
#[derive(Clone, Debug)]
pub struct JobContext {
    pub db: Db,
    pub job_id: String,
    pub kind: String,
    /// 1 on the first try.
    pub attempt: u32,
    pub payload: serde_json::Value,
}

type HandlerFuture = Pin<Box<dyn Future<Output = Result<(), JobFailure>> + Send>>;
type Handler = Arc<dyn Fn(JobContext) -> HandlerFuture + Send + Sync>;

/// The handlers this instance can run, by job kind.
#[derive(Clone, Default)]
pub struct JobRegistry {
    handlers: HashMap<String, Handler>,
    /// Event kind → the job kinds of its subscribers' reactions (see `platform::events`).
    subscribers: HashMap<String, Vec<String>>,
    /// Kinds that come in floods and wait on outside services (push messages): they never
    /// take every worker (see [`JobRegistry::bulk`]).
    bulk: Vec<String>,
}

impl JobRegistry {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// Runs `handler` for jobs of `kind`.
    pub fn register<F, Fut>(&mut self, kind: &str, handler: F) -> &mut Self
    where
        F: Fn(JobContext) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), JobFailure>> + Send + 'static,
    {
        self.handlers.insert(
            kind.to_owned(),
            Arc::new(move |ctx| Box::pin(handler(ctx)) as HandlerFuture),
        );
        self
    }

    /// Runs `handler` for every job of type `J` (its payload read back into a `J`; a payload that
    /// does not read fails the job at once).
    pub fn handle<J, F, Fut>(&mut self, handler: F) -> &mut Self
    where
        J: Job,
        F: Fn(JobContext, J) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), JobFailure>> + Send + 'static,
    {
        let handler = Arc::new(handler);
        self.register(J::KIND, move |ctx: JobContext| {
            let handler = handler.clone();
            async move {
                let job: J = serde_json::from_value(ctx.payload.clone())
                    .map_err(|e| JobFailure::permanent(format!("not a {} job: {e}", J::KIND)))?;
                handler(ctx, job).await
            }
        })
    }

    /// Marks jobs of `kind` as bulk work: however many are due, they leave a quarter of an
    /// instance's workers (at least one, when it has two or more) to every other kind, so a
    /// flood of slow push endpoints cannot hold back password-reset mails, order
    /// confirmations or the release of unpaid stock.
    pub fn bulk(&mut self, kind: &str) -> &mut Self {
        debug_assert!(
            kind.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._>:-".contains(&b))
        );
        if !self.bulk.iter().any(|k| k == kind) {
            self.bulk.push(kind.to_owned());
        }
        self
    }

    /// Runs `handler` once for every event of type `E` recorded from now on, as the reaction
    /// named `subscriber` (its own job, retried on its own).
    pub fn subscribe<E, F, Fut>(&mut self, subscriber: &str, handler: F) -> &mut Self
    where
        E: super::events::DomainEvent,
        F: Fn(JobContext, E) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), JobFailure>> + Send + 'static,
    {
        let kind = super::events::reaction_kind(E::KIND, subscriber);
        let handler = Arc::new(handler);
        self.register(&kind, move |ctx: JobContext| {
            let handler = handler.clone();
            async move {
                let event: E = serde_json::from_value(ctx.payload.clone())
                    .map_err(|e| JobFailure::permanent(format!("not a {} event: {e}", E::KIND)))?;
                handler(ctx, event).await
            }
        });
        let reactions = self.subscribers.entry(E::KIND.to_owned()).or_default();
        if !reactions.contains(&kind) {
            reactions.push(kind);
        }
        self
    }
}

/// Wakes this instance's idle workers right after a job was queued, instead of at the next poll.
#[derive(Clone, Debug, Default)]
pub struct JobWaker(Arc<Notify>);

impl JobWaker {
    /// Call after the transaction that queued a job has committed.
    pub fn wake(&self) {
        self.0.notify_one();
    }
}

/// Delay before attempt `attempt + 1` after `attempt` failed: 5 s, 10 s, 20 s ... at most 1 h.
pub fn backoff(attempt: u32) -> Duration {
    let exp = attempt.saturating_sub(1).min(20);
    Duration::from_secs((5u64 << exp).min(3600))
}

/// A job this instance holds the lease on.
#[derive(Debug)]
struct Claimed {
    id: String,
    kind: String,
    payload: String,
    attempts: u32,
    max_attempts: u32,
    /// When it was due (milliseconds).
    run_at: i64,
}

/// A job that starts this long after it was due is logged: the queue is falling behind.
const LATE_START_MS: i64 = 10_000;

/// Claims and runs due jobs.
#[derive(Clone)]
pub struct JobRunner {
    db: Db,
    registry: Arc<JobRegistry>,
    instance: String,
    workers: usize,
    poll: Duration,
    lease: Duration,
    waker: JobWaker,
    /// Claims only events and reactions (see [`JobRunner::events_only`]).
    events_only: bool,
    /// Bulk jobs (see [`JobRegistry::bulk`]) running now on this instance.
    bulk_running: Arc<std::sync::atomic::AtomicUsize>,
}

impl JobRunner {
    /// A runner for `db` with `workers` concurrent jobs.
    pub fn new(
        db: Db,
        registry: JobRegistry,
        workers: usize,
        poll: Duration,
        waker: JobWaker,
    ) -> Self {
        Self {
            db,
            registry: Arc::new(registry),
            instance: format!("instance-{}", new_id()),
            workers: workers.max(1),
            poll,
            lease: Duration::from_secs(300),
            waker,
            events_only: false,
            bulk_running: Arc::default(),
        }
    }

    /// How many bulk jobs may run at once: all but a quarter of the workers (at least one kept
    /// free when there are two or more).
    fn bulk_cap(&self) -> usize {
        if self.workers > 1 {
            self.workers - (self.workers / 4).max(1)
        } else {
            self.workers
        }
    }

    fn is_bulk(&self, kind: &str) -> bool {
        self.registry.bulk.iter().any(|k| k == kind)
    }

    /// Claims only domain events and the reactions they fan out to, leaving every other job
    /// queued: for tests that look at what reactions queued (mails, push messages) before it
    /// is delivered.
    pub fn events_only(mut self) -> Self {
        self.events_only = true;
        self
    }

    /// Sets how long a claim lasts before another instance may take the job over.
    pub fn with_lease(mut self, lease: Duration) -> Self {
        self.lease = lease;
        self
    }

    /// This instance's name in `jobs.locked_by`.
    pub fn instance(&self) -> &str {
        &self.instance
    }

    /// Runs until `shutdown` turns true, then waits for jobs in flight.
    pub fn spawn(self, mut shutdown: watch::Receiver<bool>) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let slots = Arc::new(Semaphore::new(self.workers));
            tracing::info!(instance = %self.instance, workers = self.workers, "job runner started");
            loop {
                if *shutdown.borrow() {
                    break;
                }
                while let Ok(permit) = slots.clone().try_acquire_owned() {
                    match self.claim().await {
                        Ok(Some(job)) => {
                            let runner = self.clone();
                            let bulk = self.is_bulk(&job.kind);
                            if bulk {
                                self.bulk_running
                                    .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                            }
                            tokio::spawn(async move {
                                runner.execute(job).await;
                                if bulk {
                                    runner
                                        .bulk_running
                                        .fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
                                }
                                drop(permit);
                                // A slot is free: look for due jobs now, not at the next poll
                                // (a job queued while every slot was busy, or one this job
                                // queued, would otherwise wait for it).
                                runner.waker.wake();
                            });
                        }
                        Ok(None) => break,
                        Err(e) => {
                            tracing::warn!(error = %e, "could not claim a job");
                            break;
                        }
                    }
                }
                tokio::select! {
                    _ = self.waker.0.notified() => {}
                    _ = tokio::time::sleep(self.poll) => {}
                    _ = shutdown.changed() => {}
                }
            }
            // Wait for the jobs in flight; their leases cover anything cut short.
            let _ = slots.acquire_many(self.workers as u32).await;
            tracing::info!(instance = %self.instance, "job runner stopped");
        })
    }

    /// Claims and runs due jobs one after another until none is due; returns how many ran.
    /// For tests and one-off commands; the server uses [`JobRunner::spawn`].
    pub async fn run_until_idle(&self) -> Result<usize, sqlx::Error> {
        let mut ran = 0;
        while let Some(job) = self.claim().await? {
            self.execute(job).await;
            ran += 1;
        }
        Ok(ran)
    }

    async fn claim(&self) -> Result<Option<Claimed>, sqlx::Error> {
        let now = now().millis();
        let lock_hint = match self.db.engine() {
            Engine::Postgres => " FOR UPDATE SKIP LOCKED",
            Engine::Sqlite => "",
        };
        let mut only = if self.events_only {
            format!(
                " AND (kind LIKE '{}%' OR kind LIKE '%>%')",
                super::events::EVENT_PREFIX
            )
        } else {
            String::new()
        };
        let bulk_full =
            self.bulk_running.load(std::sync::atomic::Ordering::SeqCst) >= self.bulk_cap();
        if bulk_full && !self.registry.bulk.is_empty() {
            // Kinds are names from the code (checked in `bulk`), never from a request.
            let kinds: Vec<String> = self
                .registry
                .bulk
                .iter()
                .map(|k| format!("'{k}'"))
                .collect();
            only.push_str(&format!(" AND kind NOT IN ({})", kinds.join(", ")));
        }
        let due = format!(
            "((status = 'queued' AND run_at <= $3) OR (status = 'running' AND locked_until < $3)){only}"
        );
        let sql = format!(
            "UPDATE jobs SET status = 'running', locked_by = $1, locked_until = $2,
                    attempts = attempts + 1, updated_at = $3
             WHERE id = (SELECT id FROM jobs WHERE {due} ORDER BY run_at LIMIT 1{lock_hint})
               AND {due}
             RETURNING id, kind, payload, attempts, max_attempts, run_at"
        );
        let row = sqlx::query(&sql)
            .bind(&self.instance)
            .bind(now + self.lease.as_millis() as i64)
            .bind(now)
            .fetch_optional(self.db.pool())
            .await?;
        row.map(|r| {
            Ok(Claimed {
                id: r.try_get("id")?,
                kind: r.try_get("kind")?,
                payload: r.try_get("payload")?,
                attempts: r.try_get::<i64, _>("attempts")? as u32,
                max_attempts: r.try_get::<i64, _>("max_attempts")? as u32,
                run_at: r.try_get("run_at")?,
            })
        })
        .transpose()
    }

    async fn execute(&self, job: Claimed) {
        let span =
            tracing::info_span!("job", id = %job.id, kind = %job.kind, attempt = job.attempts);
        let _guard = span.enter();
        let late_ms = now().millis() - job.run_at;
        if late_ms > LATE_START_MS {
            tracing::warn!(late_ms, "job started late: the workers were busy");
        }
        let outcome = if job.attempts > job.max_attempts {
            Err(JobFailure::permanent(
                "gave up: the instance running the last attempt stopped",
            ))
        } else {
            self.run_handler(&job).await
        };
        let recorded = match &outcome {
            Ok(()) => self.finish(&job.id).await,
            Err(failure) => {
                let give_up = failure.permanent || job.attempts >= job.max_attempts;
                tracing::warn!(error = %failure.message, give_up, "job failed");
                self.fail(&job, failure, give_up).await
            }
        };
        if let Err(e) = recorded {
            // The lease will run out and the job will be tried again: at-least-once delivery.
            tracing::error!(error = %e, "could not record the job's outcome");
        }
    }

    async fn run_handler(&self, job: &Claimed) -> Result<(), JobFailure> {
        if let Some(event) = job.kind.strip_prefix(super::events::EVENT_PREFIX) {
            return self.fan_out(job, event).await;
        }
        let Some(handler) = self.registry.handlers.get(&job.kind).cloned() else {
            return Err(JobFailure::permanent(format!(
                "no handler for job kind {:?}",
                job.kind
            )));
        };
        let payload = serde_json::from_str(&job.payload)
            .map_err(|e| JobFailure::permanent(format!("payload is not JSON: {e}")))?;
        let ctx = JobContext {
            db: self.db.clone(),
            job_id: job.id.clone(),
            kind: job.kind.clone(),
            attempt: job.attempts,
            payload,
        };
        // The handler runs in its own task so that a panic fails the job instead of the runner,
        // and it must end before the lease does.
        let limit = self.lease.mul_f64(0.9);
        match tokio::time::timeout(limit, tokio::spawn(handler(ctx))).await {
            Ok(Ok(result)) => result,
            Ok(Err(join)) => Err(JobFailure::retry(format!("handler panicked: {join}"))),
            Err(_) => Err(JobFailure::retry(format!(
                "handler ran longer than {limit:?}"
            ))),
        }
    }

    /// Queues one reaction job per subscriber of the event `job` carries, in one transaction
    /// (deduplicated by the event's id, so a repeated fan-out queues nothing twice).
    async fn fan_out(&self, job: &Claimed, event: &str) -> Result<(), JobFailure> {
        let Some(reactions) = self.registry.subscribers.get(event) else {
            tracing::debug!(event, "no subscriber");
            return Ok(());
        };
        let payload: serde_json::Value = serde_json::from_str(&job.payload)
            .map_err(|e| JobFailure::permanent(format!("payload is not JSON: {e}")))?;
        let retry = |e: sqlx::Error| JobFailure::retry(format!("fan-out: {e}"));
        let mut tx = self.db.begin_write().await.map_err(retry)?;
        for reaction in reactions {
            let next = NewJob::new(reaction.clone(), &payload)
                .map_err(|e| JobFailure::permanent(e.to_string()))?
                .dedupe(format!("{}:{reaction}", job.id));
            enqueue(&mut *tx, &next).await.map_err(retry)?;
        }
        tx.commit().await.map_err(retry)?;
        Ok(())
    }

    /// Marks the job done and forgets its payload: a finished job's payload is needed by no
    /// one, and some hold what must not lie around (a mail's live reset link, a push message's
    /// text); the row stays until the clean-up for `dedupe_key`.
    async fn finish(&self, id: &str) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE jobs SET status = 'done', payload = '{}', locked_by = NULL, locked_until = NULL, last_error = NULL, updated_at = $1
             WHERE id = $2 AND locked_by = $3",
        )
        .bind(now().millis())
        .bind(id)
        .bind(&self.instance)
        .execute(self.db.pool())
        .await
        .map(|_| ())
    }

    async fn fail(
        &self,
        job: &Claimed,
        failure: &JobFailure,
        give_up: bool,
    ) -> Result<(), sqlx::Error> {
        let now = now();
        let (status, run_at) = if give_up {
            ("failed", now)
        } else {
            (
                "queued",
                now.plus_millis(backoff(job.attempts).as_millis() as i64),
            )
        };
        sqlx::query(
            "UPDATE jobs SET status = $1, run_at = $2, locked_by = NULL, locked_until = NULL, last_error = $3, updated_at = $4
             WHERE id = $5 AND locked_by = $6",
        )
        .bind(status)
        .bind(run_at.millis())
        .bind(&failure.message)
        .bind(now.millis())
        .bind(&job.id)
        .bind(&self.instance)
        .execute(self.db.pool())
        .await
        .map(|_| ())
    }
}

/// Deletes jobs that finished successfully before `before`. Failed jobs stay for operators.
/// Called by the hourly clean-up (`assembly::maintenance`).
pub async fn prune_finished(db: &Db, before: Timestamp) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM jobs WHERE status = 'done' AND updated_at < $1")
        .bind(before.millis())
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff(1), Duration::from_secs(5));
        assert_eq!(backoff(2), Duration::from_secs(10));
        assert_eq!(backoff(4), Duration::from_secs(40));
        assert_eq!(backoff(30), Duration::from_secs(3600));
        assert_eq!(backoff(u32::MAX), Duration::from_secs(3600));
    }
}
