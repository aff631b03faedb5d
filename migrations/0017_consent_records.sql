-- Consent records (issue 18): every consent given or withdrawn, with the version of the words
-- agreed to and where (written by `privacy::consents` only, from `privacy.consent_changed`
-- events; append only). A person's records are found by account or by e-mail address.
CREATE TABLE consent_records (
    id       TEXT PRIMARY KEY,
    user_id  TEXT,
    email    TEXT,
    purpose  TEXT NOT NULL,
    given    BIGINT NOT NULL,
    wording  TEXT NOT NULL,
    source   TEXT NOT NULL,
    at       BIGINT NOT NULL
);
CREATE INDEX consent_records_user ON consent_records (user_id, at);
CREATE INDEX consent_records_email ON consent_records (email, at);
