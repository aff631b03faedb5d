-- Second factors (written by `identity::factors` only).
--
-- An account's authenticator app: the TOTP key (base32) and the last time step a code was
-- accepted for, so each code works once. `confirmed_at` stays null until the first code from
-- the app proves it was set up; an unconfirmed row is an enrolment in progress, and only
-- then `pending_codes` holds the recovery codes being shown (one per line; they count for
-- nothing yet, and are hashed into `recovery_codes` and cleared at confirmation).
CREATE TABLE totp_factors (
    user_id       TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    secret        TEXT NOT NULL,
    last_step     BIGINT,
    confirmed_at  BIGINT,
    pending_codes TEXT,
    created_at    BIGINT NOT NULL
);

-- Ten recovery codes per account, kept as SHA-256 only; each works once (`used_at`).
CREATE TABLE recovery_codes (
    user_id   TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at   BIGINT,
    PRIMARY KEY (user_id, code_hash)
);

-- A sign-in that passed the password and waits for the second factor (`second_factor`), or,
-- for back-office accounts without one, for its enrolment (`enrol`). The browser holds a
-- random token in its own short-lived cookie; only its SHA-256 is stored. Never a session.
CREATE TABLE sign_in_challenges (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL CHECK (purpose IN ('second_factor', 'enrol')),
    failures   BIGINT NOT NULL DEFAULT 0,
    expires_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX sign_in_challenges_user ON sign_in_challenges (user_id);

-- Browsers each account signed in from: a random id in a long-lived cookie, kept here as its
-- SHA-256 (written by `identity::devices` only). A sign-in from a browser not in the list,
-- on an account that signed in elsewhere before, mails the owner ("was this you?").
CREATE TABLE known_devices (
    user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    device_hash   TEXT NOT NULL,
    user_agent    TEXT NOT NULL DEFAULT '',
    first_seen_at BIGINT NOT NULL,
    last_seen_at  BIGINT NOT NULL,
    PRIMARY KEY (user_id, device_hash)
);
