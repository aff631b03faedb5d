-- The audit log: every staff action and security event, appended by `audit::store` only and
-- never updated or deleted by the application. `hash` is SHA-256 over the row's fields and
-- `prev_hash` (the row before it), so `server audit verify` names the first row changed or
-- removed in the database. `seq` numbers the chain from 1; `id` makes a re-delivered event
-- land once. Before and after hold JSON of what changed.
CREATE TABLE audit_log (
    seq         BIGINT PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    at          BIGINT NOT NULL,
    actor_id    TEXT,
    actor       TEXT NOT NULL,
    ip          TEXT,
    request_id  TEXT,
    action      TEXT NOT NULL,
    subject     TEXT NOT NULL,
    before_json TEXT,
    after_json  TEXT,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_log_by_action ON audit_log (action, seq);
CREATE INDEX audit_log_by_subject ON audit_log (subject, seq);
CREATE INDEX audit_log_by_time ON audit_log (at);
