-- Passkeys (WebAuthn), written by `identity::passkeys` only.
--
-- One row per passkey an account registered. `credential_id` is the authenticator's id for it
-- (base64url), unique across the shop: one passkey opens one account. `user_handle` is the
-- random id the authenticator keeps for the account (the same for all of an account's
-- passkeys; never its e-mail or database id), by which a passwordless sign-in finds the
-- account. `credential` is the verified public key with its signature counter and backup
-- flags, as JSON. `name` is the owner's label ("Phone", "Laptop").
CREATE TABLE passkeys (
    id            TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    user_handle   TEXT NOT NULL,
    credential_id TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    credential    TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    last_used_at  BIGINT
);
CREATE INDEX passkeys_user ON passkeys (user_id);
CREATE INDEX passkeys_handle ON passkeys (user_handle);

-- A passkey registration or sign-in between its two requests: the challenge the browser was
-- given and what the check of its answer needs (JSON). The browser holds a random token; only
-- its SHA-256 is kept. Each is used once and lives five minutes. `user_id` is the account
-- adding a passkey (null for a sign-in, which learns the account from the passkey).
CREATE TABLE passkey_ceremonies (
    token_hash TEXT PRIMARY KEY,
    purpose    TEXT NOT NULL CHECK (purpose IN ('register', 'sign_in')),
    user_id    TEXT REFERENCES users(id) ON DELETE CASCADE,
    state      TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
