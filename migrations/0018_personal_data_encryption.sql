-- Personal data sealed at rest (`platform::vault`): data keys, each stored wrapped by the
-- master key (which never enters the database), and which key seals each row's personal
-- fields. Destroying a key (erasure) makes what it sealed unreadable everywhere, so rows keep
-- `key_id` without a foreign key.
CREATE TABLE data_keys (
    id         TEXT PRIMARY KEY,
    -- The id (a hash) of the master key that wraps this key.
    master_id  TEXT NOT NULL,
    wrapped    TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX data_keys_master ON data_keys (master_id);

-- Accounts: e-mail and name sealed; the e-mail's blind index finds and keeps it unique.
ALTER TABLE users ADD COLUMN key_id TEXT;
ALTER TABLE users ADD COLUMN email_index TEXT;
CREATE UNIQUE INDEX users_email_index ON users (email_index);

-- Checkouts and orders: e-mail and addresses sealed with the account's key, or a guest
-- checkout's own key (which its orders keep).
ALTER TABLE checkouts ADD COLUMN key_id TEXT;
ALTER TABLE orders ADD COLUMN key_id TEXT;
ALTER TABLE orders ADD COLUMN email_index TEXT;
CREATE INDEX orders_email_index ON orders (email_index);

-- The local mailbox: recipient, subject and bodies sealed with the shop's key.
ALTER TABLE mailbox ADD COLUMN key_id TEXT;

-- Erasure (Art. 17): an erased customer's orders stay, with their totals and tax lines, under
-- a pseudonym; their key is destroyed, so the sealed fields can never be read again.
ALTER TABLE orders ADD COLUMN erased_at BIGINT;
ALTER TABLE orders ADD COLUMN pseudonym TEXT;

-- Data-subject requests made outside the account page (by e-mail, letter, phone): what was
-- asked, by whom (the address sealed with the shop's key, found by its blind index), and the
-- 30-day deadline (GDPR Art. 12(3)). Closing a request blanks the address.
CREATE TABLE privacy_requests (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('export', 'erasure')),
    email       TEXT NOT NULL,
    email_index TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    due_at      BIGINT NOT NULL,
    closed_at   BIGINT,
    -- 'done', 'no_account' or 'refused'; for an erasure, `pseudonym` names what is left.
    outcome     TEXT,
    pseudonym   TEXT,
    key_id      TEXT
);
CREATE INDEX privacy_requests_open ON privacy_requests (closed_at, due_at);

-- Retention: days each kind of data is kept (`shop_types::retention`; kinds not listed keep
-- their default), enforced by the hourly clean-up.
CREATE TABLE retention_periods (
    kind TEXT PRIMARY KEY,
    days BIGINT NOT NULL
);

-- Where the audit log's chain is verified from once its oldest entries were removed for
-- retention: the last removed entry's number and hash (one row, id 1).
CREATE TABLE audit_log_anchor (
    id   BIGINT PRIMARY KEY,
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
