//! The only writer of `audit_log`, and its readers. Rows are appended, never updated; the
//! oldest are removed only by the retention period, as a prefix whose end is kept as an anchor
//! ([`prune`]). Each row's `hash` is SHA-256 over its own fields and the previous row's hash
//! (`prev_hash`; the first row follows [`GENESIS`]), so changing or removing any row breaks
//! every hash after it: [`verify`] walks the chain and names the first row that does not fit.
//! Appends are serialised (SQLite's write lock; a transaction-scoped advisory lock on
//! PostgreSQL), so several instances extend one chain.

use super::views::{AuditRow, AuditRows};
use crate::platform::audit_trail::Entry;
use crate::platform::db::{Bind as Value, Conditions, Db, Engine};
use sha2::{Digest, Sha256};
use shop_types::{AppError, Problem, Timestamp};
use sqlx::{AnyConnection, Row};

/// The `prev_hash` of the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Rows per console page.
pub const PER_PAGE: i64 = 50;

/// The PostgreSQL advisory lock that serialises appends (an arbitrary constant of ours).
const APPEND_LOCK: i64 = 0x5348_4f50_4155_4454;

/// A row's fields as they are hashed, in this order.
struct Fields<'a> {
    seq: i64,
    id: &'a str,
    at: i64,
    actor_id: Option<&'a str>,
    actor: &'a str,
    ip: Option<&'a str>,
    request_id: Option<&'a str>,
    action: &'a str,
    subject: &'a str,
    before: Option<&'a str>,
    after: Option<&'a str>,
    prev_hash: &'a str,
}

/// The hash of a row: SHA-256 of its fields as one JSON array (unambiguous: every text is
/// quoted and escaped), hex.
fn hash(f: &Fields<'_>) -> String {
    let canonical = serde_json::json!([
        f.seq,
        f.id,
        f.at,
        f.actor_id,
        f.actor,
        f.ip,
        f.request_id,
        f.action,
        f.subject,
        f.before,
        f.after,
        f.prev_hash
    ])
    .to_string();
    hex::encode(Sha256::digest(canonical.as_bytes()))
}

/// Appends `entry` at the end of the chain in the caller's write transaction; an entry
/// already in the log (a re-delivered event) is left as it is. Returns whether it was added.
pub async fn append(
    tx: &mut AnyConnection,
    engine: Engine,
    entry: &Entry,
) -> Result<bool, sqlx::Error> {
    if engine == Engine::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(APPEND_LOCK)
            .execute(&mut *tx)
            .await?;
    }
    let known: Option<i64> = sqlx::query_scalar("SELECT seq FROM audit_log WHERE id = $1")
        .bind(&entry.id)
        .fetch_optional(&mut *tx)
        .await?;
    if known.is_some() {
        return Ok(false);
    }
    let last = sqlx::query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
        .fetch_optional(&mut *tx)
        .await?;
    let (prev_seq, prev_hash) = match last {
        Some(r) => (r.try_get::<i64, _>("seq")?, r.try_get::<String, _>("hash")?),
        None => (0, GENESIS.to_owned()),
    };
    let before = entry.before.as_ref().map(|v| v.to_string());
    let after = entry.after.as_ref().map(|v| v.to_string());
    let fields = Fields {
        seq: prev_seq + 1,
        id: &entry.id,
        at: entry.at.millis(),
        actor_id: entry.who.user_id.as_deref(),
        actor: &entry.who.label,
        ip: entry.who.ip.as_deref(),
        request_id: entry.who.request_id.as_deref(),
        action: &entry.action,
        subject: &entry.subject,
        before: before.as_deref(),
        after: after.as_deref(),
        prev_hash: &prev_hash,
    };
    let hash = hash(&fields);
    sqlx::query(
        "INSERT INTO audit_log (seq, id, at, actor_id, actor, ip, request_id, action, subject,
                                before_json, after_json, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(fields.seq)
    .bind(fields.id)
    .bind(fields.at)
    .bind(fields.actor_id)
    .bind(fields.actor)
    .bind(fields.ip)
    .bind(fields.request_id)
    .bind(fields.action)
    .bind(fields.subject)
    .bind(fields.before)
    .bind(fields.after)
    .bind(fields.prev_hash)
    .bind(&hash)
    .execute(&mut *tx)
    .await?;
    Ok(true)
}

/// What [`verify`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every row fits; `rows` rows, the last one's hash is `head` (note it elsewhere: a row
    /// cut off the end of the chain is only seen against a head noted before).
    Intact { rows: i64, head: String },
    /// Row `seq` was changed (its hash does not match its fields).
    Altered { seq: i64 },
    /// The row before `seq` (numbered `seq - 1`.. ) is missing, or the rows were reordered.
    Missing { expected: i64, found: i64 },
    /// Row `seq` does not follow the row before it (the one before was replaced or removed).
    Unlinked { seq: i64 },
}

/// Removes the entries older than `before` (the retention period), oldest first, as one
/// prefix of the chain: the last removed entry's number and hash become the anchor the chain
/// is verified from. Returns how many went.
pub async fn prune(db: &Db, before: i64) -> Result<u64, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let last: Option<(i64, String)> = sqlx::query_as(
        "SELECT seq, hash FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log WHERE at < $1)",
    )
    .bind(before)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((seq, hash)) = last else {
        return Ok(0);
    };
    let done = sqlx::query("DELETE FROM audit_log WHERE seq <= $1")
        .bind(seq)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO audit_log_anchor (id, seq, hash) VALUES (1, $1, $2)
         ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
    )
    .bind(seq)
    .bind(&hash)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(done.rows_affected())
}

/// Walks the whole chain in order, in pages, from the start or from the anchor left by
/// [`prune`].
pub async fn verify(db: &Db) -> Result<Verdict, sqlx::Error> {
    const BATCH: i64 = 1000;
    let anchor: Option<(i64, String)> =
        sqlx::query_as("SELECT seq, hash FROM audit_log_anchor WHERE id = 1")
            .fetch_optional(db.pool())
            .await?;
    let (removed, mut prev_hash) = anchor.unwrap_or((0, GENESIS.to_owned()));
    let mut expected = removed + 1;
    loop {
        let rows = sqlx::query(
            "SELECT seq, id, at, actor_id, actor, ip, request_id, action, subject, before_json,
                    after_json, prev_hash, hash
             FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2",
        )
        .bind(expected)
        .bind(BATCH)
        .fetch_all(db.pool())
        .await?;
        if rows.is_empty() {
            let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
                .fetch_one(db.pool())
                .await?;
            if count != expected - 1 - removed {
                // Rows numbered below 1 (or repeated) were slipped in.
                return Ok(Verdict::Missing {
                    expected,
                    found: count + removed,
                });
            }
            return Ok(Verdict::Intact {
                rows: expected - 1 - removed,
                head: prev_hash,
            });
        }
        for r in &rows {
            let seq: i64 = r.try_get("seq")?;
            if seq != expected {
                return Ok(Verdict::Missing {
                    expected,
                    found: seq,
                });
            }
            let text = |name: &str| r.try_get::<Option<String>, _>(name);
            let (id, actor, action, subject, stored_prev, stored_hash): (
                String,
                String,
                String,
                String,
                String,
                String,
            ) = (
                r.try_get("id")?,
                r.try_get("actor")?,
                r.try_get("action")?,
                r.try_get("subject")?,
                r.try_get("prev_hash")?,
                r.try_get("hash")?,
            );
            let (actor_id, ip, request_id, before, after) = (
                text("actor_id")?,
                text("ip")?,
                text("request_id")?,
                text("before_json")?,
                text("after_json")?,
            );
            let fields = Fields {
                seq,
                id: &id,
                at: r.try_get("at")?,
                actor_id: actor_id.as_deref(),
                actor: &actor,
                ip: ip.as_deref(),
                request_id: request_id.as_deref(),
                action: &action,
                subject: &subject,
                before: before.as_deref(),
                after: after.as_deref(),
                prev_hash: &stored_prev,
            };
            if hash(&fields) != stored_hash {
                return Ok(Verdict::Altered { seq });
            }
            if stored_prev != prev_hash {
                return Ok(Verdict::Unlinked { seq });
            }
            prev_hash = stored_hash;
            expected += 1;
        }
    }
}

/// What the console's list is narrowed to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// An action, or the start of one followed by `.` (`product.` is every product action).
    pub action: Option<String>,
    /// Lower-cased start of who did it (an e-mail, or `system`).
    pub who: Option<String>,
    /// A subject (`product:<id>`), or a kind (`product`).
    pub subject: Option<String>,
    pub from: Option<i64>,
    /// Exclusive end (the day after the `to` date).
    pub until: Option<i64>,
    /// Rows older than this position.
    pub before_seq: Option<i64>,
}

impl AuditFilter {
    /// Reads the list's query string; anything unreadable is a clear validation error.
    pub fn parse(
        action: Option<String>,
        who: Option<String>,
        subject: Option<String>,
        from: Option<String>,
        to: Option<String>,
        after: Option<String>,
    ) -> Result<Self, AppError> {
        let given = |field: &'static str, v: Option<String>| {
            let v = v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
            match v {
                Some(s) if s.chars().count() > 200 => Err(AppError::validation(
                    field,
                    Problem::SearchTooLong { max: 200 },
                )),
                other => Ok(other),
            }
        };
        let date = |field: &'static str, v: Option<String>| {
            given(field, v)?
                .map(|d| {
                    Timestamp::parse_date(&d)
                        .map(|t| t.millis())
                        .ok_or_else(|| AppError::validation(field, Problem::DateInvalid))
                })
                .transpose()
        };
        let before_seq = given("after", after)?
            .map(|a| {
                a.parse::<i64>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| AppError::validation("after", Problem::PageLinkBroken))
            })
            .transpose()?;
        Ok(Self {
            action: given("action", action)?,
            who: given("who", who)?.map(|w| w.to_lowercase()),
            subject: given("subject", subject)?,
            from: date("from", from)?,
            until: date("to", to)?.map(|t| t + Timestamp::DAY),
            before_seq,
        })
    }
}

/// Up to `limit` rows matching `filter`, newest first.
pub async fn rows(
    conn: &mut AnyConnection,
    filter: &AuditFilter,
    limit: i64,
) -> Result<Vec<AuditRow>, sqlx::Error> {
    let mut c = Conditions::default();
    let mut add = |clause: &str, vs: Vec<Value>| c.add(clause, vs);
    // Prefixes are ranges, so the indexes on action and subject serve them.
    let prefix = |p: &str| {
        vec![
            Value::Text(p.to_owned()),
            Value::Text(format!("{p}\u{10ffff}")),
        ]
    };
    if let Some(action) = &filter.action {
        match action.strip_suffix('.') {
            Some(_) => add("action >= ?1 AND action < ?2", prefix(action)),
            None => add("action = ?1", vec![Value::Text(action.clone())]),
        }
    }
    if let Some(subject) = &filter.subject {
        if subject.contains(':') {
            add("subject = ?1", vec![Value::Text(subject.clone())]);
        } else {
            add(
                "subject >= ?1 AND subject < ?2",
                prefix(&format!("{subject}:")),
            );
        }
    }
    if let Some(who) = &filter.who {
        add("LOWER(actor) >= ?1 AND LOWER(actor) < ?2", prefix(who));
    }
    if let Some(from) = filter.from {
        add("at >= ?1", vec![Value::Int(from)]);
    }
    if let Some(until) = filter.until {
        add("at < ?1", vec![Value::Int(until)]);
    }
    if let Some(seq) = filter.before_seq {
        add("seq < ?1", vec![Value::Int(seq)]);
    }
    let sql = format!(
        "SELECT seq, at, actor, ip, request_id, action, subject, before_json, after_json
         FROM audit_log {} ORDER BY seq DESC LIMIT {limit}",
        c.where_sql()
    );
    let rows = c.bind(sqlx::query(&sql)).fetch_all(conn).await?;
    rows.iter()
        .map(|r| {
            let text = |name: &str| -> Result<String, sqlx::Error> {
                Ok(r.try_get::<Option<String>, _>(name)?.unwrap_or_default())
            };
            Ok(AuditRow {
                seq: r.try_get("seq")?,
                at: Timestamp(r.try_get("at")?),
                who: r.try_get("actor")?,
                ip: text("ip")?,
                request_id: text("request_id")?,
                action: r.try_get("action")?,
                subject: r.try_get("subject")?,
                before: text("before_json")?,
                after: text("after_json")?,
            })
        })
        .collect()
}

/// One console page of rows matching `filter`.
pub async fn page(
    conn: &mut AnyConnection,
    filter: &AuditFilter,
) -> Result<AuditRows, sqlx::Error> {
    let mut rows = rows(conn, filter, PER_PAGE + 1).await?;
    let next = (rows.len() > usize::try_from(PER_PAGE).unwrap_or(50)).then(|| {
        rows.truncate(usize::try_from(PER_PAGE).unwrap_or(50));
        rows.last().map(|r| r.seq.to_string()).unwrap_or_default()
    });
    Ok(AuditRows { rows, next })
}

/// Every row matching `filter` as CSV (newest first), in batches.
pub async fn csv(
    conn: &mut AnyConnection,
    filter: &AuditFilter,
) -> Result<Vec<u8>, crate::platform::export::ExportError> {
    use crate::platform::export::{finish, write_row};
    const BATCH: i64 = 1000;
    let mut out = csv::Writer::from_writer(Vec::new());
    write_row(
        &mut out,
        &[
            "Position", "Time", "Who", "Address", "Request", "Action", "Subject", "Before", "After",
        ],
    )?;
    let mut filter = filter.clone();
    loop {
        let page = rows(&mut *conn, &filter, BATCH).await?;
        let Some(last) = page.last() else { break };
        filter.before_seq = Some(last.seq);
        for r in &page {
            write_row(
                &mut out,
                &[
                    r.seq.to_string(),
                    r.at.to_rfc3339(),
                    r.who.clone(),
                    r.ip.clone(),
                    r.request_id.clone(),
                    r.action.clone(),
                    r.subject.clone(),
                    r.before.clone(),
                    r.after.clone(),
                ],
            )?;
        }
    }
    finish(out)
}
