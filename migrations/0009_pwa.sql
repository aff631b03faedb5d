-- The installable shop: web push subscriptions per device and topic, and the offline changes
-- already applied (so a replayed change is applied once however often it arrives).

-- One row per browser that opted in. `endpoint` is the push service's address for it;
-- `p256dh` and `auth` (base64url) are the keys messages are encrypted for. `topics` is a
-- comma-separated list of names (`order_status,back_in_stock,...`).
CREATE TABLE push_subscriptions (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    endpoint     TEXT NOT NULL UNIQUE,
    p256dh       TEXT NOT NULL,
    auth         TEXT NOT NULL,
    topics       TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    last_sent_at BIGINT
);
CREATE INDEX push_subscriptions_user ON push_subscriptions (user_id);

-- An offline change's id, scoped to who sent it (a cart, or a shopper for favourites), with
-- the outcome reported the first time; cleared after 30 days by the hourly clean-up.
CREATE TABLE offline_changes (
    owner      TEXT NOT NULL,
    change_id  TEXT NOT NULL,
    outcome    TEXT NOT NULL,
    applied_at BIGINT NOT NULL,
    PRIMARY KEY (owner, change_id)
);
CREATE INDEX offline_changes_applied ON offline_changes (applied_at);
