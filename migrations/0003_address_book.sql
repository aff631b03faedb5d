-- The address book: each account's saved delivery and billing addresses.
CREATE TABLE addresses (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    full_name   TEXT NOT NULL,
    company     TEXT NOT NULL DEFAULT '',
    line1       TEXT NOT NULL,
    line2       TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL,
    city        TEXT NOT NULL,
    region      TEXT NOT NULL DEFAULT '',
    country     TEXT NOT NULL,
    phone       TEXT NOT NULL DEFAULT '',
    is_default  BIGINT NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX addresses_user ON addresses (user_id);
