-- Stores: one row per storefront. A fresh install has one, created at first start.
CREATE TABLE stores (
    id               TEXT PRIMARY KEY,
    code             TEXT NOT NULL UNIQUE,
    name             TEXT NOT NULL,
    default_currency TEXT NOT NULL,
    support_email    TEXT,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);

-- Newsletter consent: who agreed, where and when (GDPR asks us to prove consent).
CREATE TABLE newsletter_subscriptions (
    id              TEXT PRIMARY KEY,
    store_id        TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    email           TEXT NOT NULL,
    source          TEXT NOT NULL,
    consented_at    BIGINT NOT NULL,
    unsubscribed_at BIGINT,
    UNIQUE (store_id, email)
);

-- Background jobs, shared by every instance (see app/src/platform/jobs.rs).
CREATE TABLE jobs (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    payload      TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    attempts     BIGINT NOT NULL DEFAULT 0,
    max_attempts BIGINT NOT NULL,
    run_at       BIGINT NOT NULL,
    locked_by    TEXT,
    locked_until BIGINT,
    last_error   TEXT,
    dedupe_key   TEXT UNIQUE,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX jobs_due ON jobs (status, run_at);

-- Facts about this installation (for example, that the demo data was loaded).
CREATE TABLE app_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
