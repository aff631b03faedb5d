-- Content-Security-Policy violations browsers reported (`POST /csp-report`), for the console's
-- security page: a blocked script or style is either an attack or a change of ours that the
-- policy does not allow yet. Kept 30 days; no address or account is stored.
CREATE TABLE csp_reports (
    id                 TEXT PRIMARY KEY,
    document_uri       TEXT NOT NULL,
    violated_directive TEXT NOT NULL,
    blocked_uri        TEXT NOT NULL,
    source_file        TEXT NOT NULL,
    line_number        BIGINT,
    sample             TEXT NOT NULL,
    created_at         BIGINT NOT NULL
);
CREATE INDEX csp_reports_by_time ON csp_reports (created_at);
