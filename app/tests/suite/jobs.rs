//! The background job runner, on every configured database engine.

use app::assembly::testing::TestDb;
use app::platform::clock::now;
use app::platform::jobs::{JobFailure, JobRegistry, JobRunner, JobWaker, NewJob, enqueue};
use sqlx::Row;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn runner(db: &TestDb, registry: JobRegistry) -> JobRunner {
    JobRunner::new(
        db.db.clone(),
        registry,
        4,
        Duration::from_millis(20),
        JobWaker::default(),
    )
}

async fn status_of(db: &TestDb, id: &str) -> (String, i64, Option<String>, i64) {
    let row = sqlx::query("SELECT status, attempts, last_error, run_at FROM jobs WHERE id = $1")
        .bind(id)
        .fetch_one(db.db.pool())
        .await
        .unwrap();
    (
        row.get("status"),
        row.get("attempts"),
        row.get("last_error"),
        row.get("run_at"),
    )
}

#[tokio::test]
async fn each_job_runs_exactly_once_when_two_instances_compete() {
    for db in TestDb::all().await {
        let runs: Arc<Mutex<HashMap<String, u32>>> = Arc::default();
        let make_registry = || {
            let runs = runs.clone();
            let mut registry = JobRegistry::new();
            registry.register("count", move |ctx| {
                let runs = runs.clone();
                async move {
                    tokio::time::sleep(Duration::from_millis(2)).await;
                    *runs.lock().unwrap().entry(ctx.job_id).or_default() += 1;
                    Ok(())
                }
            });
            registry
        };
        for n in 0..40 {
            enqueue(db.db.pool(), &NewJob::new("count", &n).unwrap())
                .await
                .unwrap();
        }
        let a = runner(&db, make_registry());
        let b = runner(&db, make_registry());
        assert_ne!(a.instance(), b.instance());
        let (ran_a, ran_b) = tokio::join!(a.run_until_idle(), b.run_until_idle());
        let total = ran_a.unwrap() + ran_b.unwrap();
        assert_eq!(total, 40, "{:?}", db.engine());
        let runs = runs.lock().unwrap().clone();
        assert_eq!(runs.len(), 40);
        assert!(
            runs.values().all(|&n| n == 1),
            "a job ran twice on {:?}",
            db.engine()
        );
        let done: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE status = 'done'")
            .fetch_one(db.db.pool())
            .await
            .unwrap();
        assert_eq!(done, 40);
        db.finish().await;
    }
}

#[tokio::test]
async fn failed_jobs_are_retried_later_with_backoff_then_given_up() {
    for db in TestDb::all().await {
        let mut registry = JobRegistry::new();
        registry.register("flaky", |_ctx| async {
            Err(JobFailure::retry("mail server down"))
        });
        let id = enqueue(
            db.db.pool(),
            &NewJob::new("flaky", &()).unwrap().max_attempts(2),
        )
        .await
        .unwrap()
        .unwrap();
        let runner = runner(&db, registry);

        let before = now().millis();
        assert_eq!(runner.run_until_idle().await.unwrap(), 1);
        let (status, attempts, error, run_at) = status_of(&db, &id).await;
        assert_eq!((status.as_str(), attempts), ("queued", 1));
        assert_eq!(error.as_deref(), Some("mail server down"));
        assert!(run_at >= before + 5_000, "first retry waits at least 5 s");
        // Not due yet: nothing runs.
        assert_eq!(runner.run_until_idle().await.unwrap(), 0);

        // Make it due; the second failure is the last allowed attempt.
        sqlx::query("UPDATE jobs SET run_at = 0 WHERE id = $1")
            .bind(&id)
            .execute(db.db.pool())
            .await
            .unwrap();
        assert_eq!(runner.run_until_idle().await.unwrap(), 1);
        let (status, attempts, _, _) = status_of(&db, &id).await;
        assert_eq!((status.as_str(), attempts), ("failed", 2));
        db.finish().await;
    }
}

#[tokio::test]
async fn permanent_failures_panics_and_unknown_kinds_are_handled() {
    for db in TestDb::all().await {
        let mut registry = JobRegistry::new();
        registry.register("bad-input", |_ctx| async {
            Err(JobFailure::permanent("payload names no order"))
        });
        registry.register("panics", |_ctx| async { panic!("handler bug") });
        let runner = runner(&db, registry);
        let permanent = enqueue(db.db.pool(), &NewJob::new("bad-input", &()).unwrap())
            .await
            .unwrap()
            .unwrap();
        let panics = enqueue(db.db.pool(), &NewJob::new("panics", &()).unwrap())
            .await
            .unwrap()
            .unwrap();
        let unknown = enqueue(db.db.pool(), &NewJob::new("no-such-kind", &()).unwrap())
            .await
            .unwrap()
            .unwrap();
        runner.run_until_idle().await.unwrap();

        assert_eq!(status_of(&db, &permanent).await.0, "failed");
        let (status, _, error, _) = status_of(&db, &panics).await;
        assert_eq!(
            status, "queued",
            "a panic is retried like any transient failure"
        );
        assert!(error.unwrap().contains("panicked"));
        let (status, _, error, _) = status_of(&db, &unknown).await;
        assert_eq!(status, "failed");
        assert!(error.unwrap().contains("no handler"));
        db.finish().await;
    }
}

#[tokio::test]
async fn a_job_left_running_by_a_dead_instance_is_taken_over_after_its_lease() {
    for db in TestDb::all().await {
        let id = enqueue(db.db.pool(), &NewJob::new("count", &()).unwrap())
            .await
            .unwrap()
            .unwrap();
        // Another instance claimed it and died: its lease is still valid for a while.
        let in_future = now().millis() + 60_000;
        sqlx::query("UPDATE jobs SET status = 'running', attempts = 1, locked_by = 'dead', locked_until = $1 WHERE id = $2")
            .bind(in_future)
            .bind(&id)
            .execute(db.db.pool())
            .await
            .unwrap();
        let mut registry = JobRegistry::new();
        registry.register("count", |_ctx| async { Ok(()) });
        let runner = runner(&db, registry);
        assert_eq!(
            runner.run_until_idle().await.unwrap(),
            0,
            "a live lease is respected"
        );

        sqlx::query("UPDATE jobs SET locked_until = $1 WHERE id = $2")
            .bind(now().millis() - 1)
            .bind(&id)
            .execute(db.db.pool())
            .await
            .unwrap();
        assert_eq!(runner.run_until_idle().await.unwrap(), 1);
        let (status, attempts, _, _) = status_of(&db, &id).await;
        assert_eq!((status.as_str(), attempts), ("done", 2));
        db.finish().await;
    }
}

#[tokio::test]
async fn enqueue_joins_the_callers_transaction_and_dedupes() {
    for db in TestDb::all().await {
        let job = NewJob::new("count", &"order-1")
            .unwrap()
            .dedupe("order-1:confirmation");
        let mut tx = db.db.begin_write().await.unwrap();
        assert!(enqueue(&mut *tx, &job).await.unwrap().is_some());
        tx.rollback().await.unwrap();
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM jobs")
            .fetch_one(db.db.pool())
            .await
            .unwrap();
        assert_eq!(count, 0, "a rolled-back cause leaves no job");

        assert!(enqueue(db.db.pool(), &job).await.unwrap().is_some());
        assert!(
            enqueue(db.db.pool(), &job).await.unwrap().is_none(),
            "same dedupe key, no second job"
        );
        db.finish().await;
    }
}

#[tokio::test]
async fn the_spawned_runner_works_through_the_queue_and_stops_on_shutdown() {
    for db in TestDb::all().await {
        let (done_tx, mut done_rx) = tokio::sync::mpsc::unbounded_channel();
        let mut registry = JobRegistry::new();
        registry.register("notify", move |ctx| {
            let done_tx = done_tx.clone();
            async move {
                done_tx.send(ctx.payload).ok();
                Ok(())
            }
        });
        let waker = JobWaker::default();
        let runner = JobRunner::new(
            db.db.clone(),
            registry,
            2,
            Duration::from_secs(30),
            waker.clone(),
        );
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let handle = runner.spawn(stop_rx);

        enqueue(db.db.pool(), &NewJob::new("notify", &"hello").unwrap())
            .await
            .unwrap();
        waker.wake(); // without the wake-up the 30 s poll would make this test time out
        let payload = tokio::time::timeout(Duration::from_secs(5), done_rx.recv())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(payload, serde_json::json!("hello"));

        stop_tx.send(true).unwrap();
        tokio::time::timeout(Duration::from_secs(5), handle)
            .await
            .unwrap()
            .unwrap();
        db.finish().await;
    }
}

#[tokio::test]
async fn a_job_queued_while_every_worker_is_busy_runs_when_one_frees_up() {
    for db in TestDb::all().await {
        let (done_tx, mut done_rx) = tokio::sync::mpsc::unbounded_channel();
        let (release_tx, release_rx) = tokio::sync::watch::channel(false);
        let mut registry = JobRegistry::new();
        // `slow` holds the only worker until released.
        registry.register("slow", move |_ctx| {
            let mut release = release_rx.clone();
            async move {
                while !*release.borrow() {
                    release.changed().await.ok();
                }
                Ok(())
            }
        });
        registry.register("quick", move |ctx| {
            let done_tx = done_tx.clone();
            async move {
                done_tx.send(ctx.payload).ok();
                Ok(())
            }
        });
        let waker = JobWaker::default();
        // One worker and a poll far longer than the test: only wake-ups move the queue.
        let runner = JobRunner::new(
            db.db.clone(),
            registry,
            1,
            Duration::from_secs(600),
            waker.clone(),
        );
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let handle = runner.spawn(stop_rx);
        enqueue(db.db.pool(), &NewJob::new("slow", &()).unwrap())
            .await
            .unwrap();
        waker.wake();
        // Wait until the slow job holds the worker.
        for _ in 0..500 {
            let running: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM jobs WHERE kind = 'slow' AND status = 'running'",
            )
            .fetch_one(db.db.pool())
            .await
            .unwrap();
            if running == 1 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        // Queued while the only worker is busy: its wake-up finds no free worker.
        enqueue(db.db.pool(), &NewJob::new("quick", &"after").unwrap())
            .await
            .unwrap();
        waker.wake();
        tokio::task::yield_now().await;
        release_tx.send(true).unwrap();
        let payload = tokio::time::timeout(Duration::from_secs(30), done_rx.recv())
            .await
            .expect("the queued job ran once the worker was free, long before the next poll")
            .unwrap();
        assert_eq!(payload, serde_json::json!("after"));
        stop_tx.send(true).unwrap();
        tokio::time::timeout(Duration::from_secs(30), handle)
            .await
            .unwrap()
            .unwrap();
        db.finish().await;
    }
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
struct Parcel {
    id: u32,
}

impl app::platform::events::DomainEvent for Parcel {
    const KIND: &'static str = "test.parcel";
}

#[tokio::test]
async fn an_event_reaches_each_subscriber_once_and_a_failing_one_is_retried_alone() {
    use app::platform::events::record;
    for db in TestDb::all().await {
        let seen: Arc<Mutex<Vec<String>>> = Arc::default();
        let mut registry = JobRegistry::new();
        let mail_seen = seen.clone();
        registry.subscribe("mail", move |_ctx, p: Parcel| {
            let seen = mail_seen.clone();
            async move {
                seen.lock().unwrap().push(format!("mail {}", p.id));
                Ok(())
            }
        });
        let push_seen = seen.clone();
        registry.subscribe("push", move |ctx, p: Parcel| {
            let seen = push_seen.clone();
            async move {
                if ctx.attempt == 1 {
                    return Err(JobFailure::retry("push service down"));
                }
                seen.lock().unwrap().push(format!("push {}", p.id));
                Ok(())
            }
        });
        let runner = JobRunner::new(
            db.db.clone(),
            registry,
            1,
            Duration::from_secs(60),
            JobWaker::default(),
        );
        let mut tx = db.db.begin_write().await.unwrap();
        record(&mut tx, &Parcel { id: 7 }).await.unwrap();
        tx.commit().await.unwrap();
        runner.run_until_idle().await.unwrap();
        assert_eq!(*seen.lock().unwrap(), vec!["mail 7".to_owned()]);
        // The failed reaction waits for its backoff; bring it forward and run again.
        sqlx::query("UPDATE jobs SET run_at = 0 WHERE status = 'queued'")
            .execute(db.db.pool())
            .await
            .unwrap();
        runner.run_until_idle().await.unwrap();
        assert_eq!(
            *seen.lock().unwrap(),
            vec!["mail 7".to_owned(), "push 7".to_owned()],
            "the mail was not sent again"
        );
        let kinds: Vec<(String, String)> =
            sqlx::query_as("SELECT kind, status FROM jobs ORDER BY kind")
                .fetch_all(db.db.pool())
                .await
                .unwrap();
        assert_eq!(
            kinds,
            vec![
                ("event:test.parcel".to_owned(), "done".to_owned()),
                ("test.parcel>mail".to_owned(), "done".to_owned()),
                ("test.parcel>push".to_owned(), "done".to_owned()),
            ]
        );
        db.finish().await;
    }
}

/// Slow bulk jobs (push messages to endpoints that hang) never take every worker: a mail
/// queued behind a flood of them still goes out while they wait.
#[tokio::test]
async fn bulk_jobs_leave_a_worker_for_everything_else() {
    for db in TestDb::all().await {
        let release = Arc::new(tokio::sync::Semaphore::new(0));
        let (started_tx, mut started_rx) = tokio::sync::mpsc::unbounded_channel::<()>();
        let (done_tx, mut done_rx) = tokio::sync::mpsc::unbounded_channel::<String>();
        let mut registry = JobRegistry::new();
        {
            let release = release.clone();
            registry.register("slow.push", move |_ctx| {
                let release = release.clone();
                let started_tx = started_tx.clone();
                async move {
                    started_tx.send(()).ok();
                    // Held until the test lets go: an endpoint that never answers.
                    let _ = release.acquire().await;
                    Ok(())
                }
            });
        }
        registry.bulk("slow.push");
        registry.register("mail.send", move |_ctx| {
            let done_tx = done_tx.clone();
            async move {
                done_tx.send("mail".into()).ok();
                Ok(())
            }
        });
        for n in 0..4 {
            enqueue(db.db.pool(), &NewJob::new("slow.push", &n).unwrap())
                .await
                .unwrap();
        }
        let waker = JobWaker::default();
        let runner = JobRunner::new(
            db.db.clone(),
            registry,
            2,
            Duration::from_millis(20),
            waker.clone(),
        );
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let handle = runner.spawn(stop_rx);
        // One push holds one worker; the other stays free.
        started_rx.recv().await.unwrap();
        enqueue(db.db.pool(), &NewJob::new("mail.send", &"reset").unwrap())
            .await
            .unwrap();
        waker.wake();
        let done = tokio::time::timeout(Duration::from_secs(10), done_rx.recv())
            .await
            .expect("the mail ran while the pushes hung")
            .unwrap();
        assert_eq!(done, "mail");
        assert!(
            started_rx.try_recv().is_err(),
            "no second push started while one hung"
        );
        release.add_permits(100);
        stop_tx.send(true).unwrap();
        tokio::time::timeout(Duration::from_secs(10), handle)
            .await
            .unwrap()
            .unwrap();
        db.finish().await;
    }
}
