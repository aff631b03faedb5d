-- Accounts, sessions, single-use account links, rate limits and the local mailbox.

CREATE TABLE users (
    id                TEXT PRIMARY KEY,
    email             TEXT NOT NULL UNIQUE,
    password_hash     TEXT NOT NULL,
    name              TEXT NOT NULL DEFAULT '',
    role              TEXT NOT NULL CHECK (role IN ('customer', 'vendor', 'staff', 'admin')),
    email_verified_at BIGINT,
    disabled_at       BIGINT,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL
);

-- Named permissions of staff accounts (admins have every permission).
CREATE TABLE staff_permissions (
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    permission TEXT NOT NULL,
    PRIMARY KEY (user_id, permission)
);

-- Server-side sessions. Only a SHA-256 of the cookie's token is stored.
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    public_id    TEXT NOT NULL UNIQUE,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Single-use links sent by e-mail (verification, password reset, change of address).
-- Only a hash of the link's token is stored.
CREATE TABLE account_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL CHECK (purpose IN ('verify_email', 'reset_password', 'change_email')),
    new_email  TEXT,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX account_tokens_user ON account_tokens (user_id, purpose);

-- Fixed-window counters for rate limits, shared by every instance.
CREATE TABLE rate_limits (
    key          TEXT PRIMARY KEY,
    window_start BIGINT NOT NULL,
    hits         BIGINT NOT NULL
);

-- Mail delivered locally when no SMTP server is configured; admins read it in the app.
CREATE TABLE mailbox (
    id         TEXT PRIMARY KEY,
    to_address TEXT NOT NULL,
    subject    TEXT NOT NULL,
    text_body  TEXT NOT NULL,
    html_body  TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX mailbox_recent ON mailbox (created_at);
