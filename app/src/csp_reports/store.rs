//! Reading what browsers report and keeping it: the only writer of `csp_reports`.
//!
//! Browsers send either the old `application/csp-report` body (`{"csp-report": {...}}`, from
//! the policy's `report-uri`) or the Reporting API's `application/reports+json` (a list of
//! `{"type": "csp-violation", "body": {...}}`). Both become [`NewReport`]s; every text is cut
//! to a bounded length, since anyone can send anything here.

use super::views::ViolationGroup;
use crate::platform::clock::now;
use crate::platform::db::Db;
use crate::platform::ids::new_id;
use serde_json::Value;
use shop_types::Timestamp;
use sqlx::Row;

/// Reports taken from one request (a Reporting API batch may carry more; the rest are dropped).
pub const MAX_PER_REQUEST: usize = 10;
/// Longest text kept of any field.
const MAX_TEXT: usize = 300;

/// One violation as a browser described it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewReport {
    pub document_uri: String,
    pub violated_directive: String,
    pub blocked_uri: String,
    pub source_file: String,
    pub line_number: Option<i64>,
    pub sample: String,
}

fn text(body: &Value, names: &[&str]) -> String {
    let found = names
        .iter()
        .find_map(|n| body.get(*n).and_then(Value::as_str))
        .unwrap_or_default();
    found
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_TEXT)
        .collect()
}

fn report_of(body: &Value) -> Option<NewReport> {
    let report = NewReport {
        document_uri: text(body, &["document-uri", "documentURL"]),
        violated_directive: text(
            body,
            &[
                "effective-directive",
                "effectiveDirective",
                "violated-directive",
            ],
        ),
        blocked_uri: text(body, &["blocked-uri", "blockedURL"]),
        source_file: text(body, &["source-file", "sourceFile"]),
        line_number: ["line-number", "lineNumber"]
            .iter()
            .find_map(|n| body.get(*n).and_then(Value::as_i64)),
        sample: text(body, &["script-sample", "sample"]),
    };
    (!report.violated_directive.is_empty()).then_some(report)
}

/// The reports in a request body; `None` when it is not a report at all.
pub fn parse(body: &[u8]) -> Option<Vec<NewReport>> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let reports: Vec<NewReport> = match &value {
        Value::Object(map) => map
            .get("csp-report")
            .and_then(report_of)
            .into_iter()
            .collect(),
        Value::Array(list) => list
            .iter()
            .filter(|r| r.get("type").and_then(Value::as_str) == Some("csp-violation"))
            .filter_map(|r| r.get("body").and_then(report_of))
            .take(MAX_PER_REQUEST)
            .collect(),
        _ => return None,
    };
    (!reports.is_empty()).then_some(reports)
}

/// Keeps the reports.
pub async fn record(db: &Db, reports: &[NewReport]) -> Result<(), sqlx::Error> {
    let at = now().millis();
    let mut tx = db.begin_write().await?;
    for r in reports.iter().take(MAX_PER_REQUEST) {
        sqlx::query(
            "INSERT INTO csp_reports (id, document_uri, violated_directive, blocked_uri, source_file, line_number, sample, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(new_id().to_string())
        .bind(&r.document_uri)
        .bind(&r.violated_directive)
        .bind(&r.blocked_uri)
        .bind(&r.source_file)
        .bind(r.line_number)
        .bind(&r.sample)
        .bind(at)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

/// The reports of the last `days` days grouped by directive, blocked address and page, the
/// most recent first (at most 100 groups).
pub async fn groups(db: &Db, days: i64) -> Result<Vec<ViolationGroup>, sqlx::Error> {
    let since = now().millis() - days * Timestamp::DAY;
    let rows = sqlx::query(
        "SELECT violated_directive, blocked_uri, document_uri, MAX(sample) AS sample,
                COUNT(*) AS n, MAX(created_at) AS last_seen
         FROM csp_reports WHERE created_at >= $1
         GROUP BY violated_directive, blocked_uri, document_uri
         ORDER BY last_seen DESC LIMIT 100",
    )
    .bind(since)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ViolationGroup {
                directive: r.try_get("violated_directive")?,
                blocked: r.try_get("blocked_uri")?,
                page: r.try_get("document_uri")?,
                sample: r.try_get("sample")?,
                count: r.try_get("n")?,
                last_seen: Timestamp(r.try_get("last_seen")?),
            })
        })
        .collect()
}

/// Deletes reports older than `before` (the hourly clean-up); how many went.
pub async fn prune(db: &Db, before: i64) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM csp_reports WHERE created_at < $1")
        .bind(before)
        .execute(db.pool())
        .await?
        .rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_report_formats_are_read_and_junk_is_not() {
        let old = br#"{"csp-report":{"document-uri":"http://shop/p","violated-directive":"script-src-elem","effective-directive":"script-src-elem","blocked-uri":"inline","line-number":3,"script-sample":"alert(1)"}}"#;
        let reports = parse(old).unwrap();
        assert_eq!(reports.len(), 1);
        assert_eq!(reports[0].violated_directive, "script-src-elem");
        assert_eq!(reports[0].blocked_uri, "inline");
        assert_eq!(reports[0].line_number, Some(3));
        assert_eq!(reports[0].sample, "alert(1)");

        let batch = br#"[{"type":"csp-violation","body":{"documentURL":"http://shop/","effectiveDirective":"img-src","blockedURL":"https://evil.example/x.png"}},{"type":"deprecation","body":{}}]"#;
        let reports = parse(batch).unwrap();
        assert_eq!(reports.len(), 1);
        assert_eq!(reports[0].blocked_uri, "https://evil.example/x.png");

        for junk in [
            &b"not json"[..],
            b"{}",
            b"[]",
            br#"{"csp-report":{}}"#,
            b"42",
        ] {
            assert!(parse(junk).is_none(), "{}", String::from_utf8_lossy(junk));
        }
        let long = format!(
            r#"{{"csp-report":{{"violated-directive":"img-src","blocked-uri":"{}"}}}}"#,
            "x".repeat(5000)
        );
        assert_eq!(
            parse(long.as_bytes()).unwrap()[0].blocked_uri.len(),
            MAX_TEXT
        );
    }
}
