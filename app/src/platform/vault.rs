//! Encryption of personal data at rest: envelope encryption with one data key per customer.
//!
//! - A **master key** (32 random bytes) comes from a file or an environment variable, never
//!   from the database (`platform::config`, `SHOP_MASTER_KEY` / `SHOP_MASTER_KEY_FILE`). Older
//!   master keys may be listed beside it so data keys wrapped by them stay readable while
//!   `server rotate-master-key` re-wraps them.
//! - A **data key** (32 random bytes) belongs to one customer account, one guest checkout (and
//!   the orders made from it) or the shop itself (`system:…`, e.g. the blind-index key). It is
//!   stored in `data_keys` only wrapped (AES-256-GCM under the master key, bound to its id).
//! - A **sealed field** is `v1.` followed by base64url(nonce ‖ AES-256-GCM ciphertext), bound
//!   to its column's name so a value cannot be moved to another column unnoticed. Empty text
//!   stays empty. Text without the prefix was written before encryption existed and reads as
//!   it is until the start-up pass seals it.
//! - **Crypto-shredding**: deleting a data key's row makes every copy of what it sealed
//!   (including the SQLite WAL, PostgreSQL's dead tuples and backups) unreadable; such values
//!   read as empty text.
//! - A **blind index** (keyed HMAC-SHA-256) lets the shop find an account by e-mail and keep
//!   e-mail addresses unique without storing them readable; its key is a system data key, so
//!   rotating the master key does not change any index.
//!
//! Unwrapped data keys are kept in memory for [`KEY_CACHE_TTL`]: a key shredded by another
//! instance stops being readable there within that time.
//!
//! This module owns the table `data_keys`.

use super::clock::now;
use super::db::Db;
use super::ids::new_id;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long an unwrapped data key is reused before it is read again.
pub const KEY_CACHE_TTL: Duration = Duration::from_secs(60);
/// At most this many unwrapped keys are kept; past it the cache starts over.
const KEY_CACHE_MAX: usize = 20_000;
/// The prefix of a sealed value (format version 1).
const SEALED: &str = "v1.";
const NONCE_LEN: usize = 12;
/// The data key behind every blind index.
const BLIND_INDEX_KEY: &str = "system:blind-index";
/// The blind-index kind of e-mail addresses (accounts and orders alike, so one look-up finds
/// both): see [`Vault::email_index`].
const EMAIL_INDEX: &str = "email";
/// The data key for values that belong to no customer (the local mailbox, for instance).
pub const SHOP_KEY: &str = "system:shop";

/// Why a key or a sealed value could not be used.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error(
        "a master key must be 32 bytes written as base64 (44 characters) or hex (64 characters)"
    )]
    BadMasterKey,
    #[error(
        "data keys are wrapped by master key {0}, which is not configured: list it in SHOP_OLD_MASTER_KEYS or SHOP_OLD_MASTER_KEY_FILES"
    )]
    UnknownMaster(String),
    #[error("data key {0} does not open with its master key: wrong key or damaged row")]
    Unwrap(String),
    #[error("a sealed {0} does not open: damaged or moved from another row")]
    Open(String),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

impl From<VaultError> for sqlx::Error {
    fn from(e: VaultError) -> Self {
        match e {
            VaultError::Db(e) => e,
            other => sqlx::Error::Decode(Box::new(other)),
        }
    }
}

/// One master key and its public id (a hash, so the id tells nothing about the key).
pub struct MasterKey {
    id: String,
    cipher: Aes256Gcm,
}

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MasterKey").field("id", &self.id).finish()
    }
}

impl MasterKey {
    /// A master key from its 32 bytes.
    pub fn from_bytes(bytes: &[u8; 32]) -> Self {
        let digest = Sha256::digest([b"shop master key id:".as_slice(), bytes].concat());
        Self {
            id: hex::encode(&digest[..8]),
            cipher: Aes256Gcm::new(bytes.into()),
        }
    }

    /// A master key written as base64 (standard or URL alphabet) or hex; spaces around it
    /// (a trailing newline in a file) are ignored.
    pub fn parse(text: &str) -> Result<Self, VaultError> {
        let text = text.trim();
        let bytes = if text.len() == 64 {
            hex::decode(text).ok()
        } else {
            STANDARD
                .decode(text)
                .or_else(|_| URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')))
                .ok()
        };
        let bytes: [u8; 32] = bytes
            .and_then(|b| b.try_into().ok())
            .ok_or(VaultError::BadMasterKey)?;
        Ok(Self::from_bytes(&bytes))
    }

    /// A fresh random key and its base64 text, for a new installation's key file.
    pub fn generate() -> (Self, String) {
        let bytes: [u8; 32] = rand::random();
        (Self::from_bytes(&bytes), STANDARD.encode(bytes))
    }

    /// The key's public id, stored beside every data key it wraps.
    pub fn id(&self) -> &str {
        &self.id
    }
}

/// The master key new data keys are wrapped with, and older ones still accepted.
#[derive(Clone, Debug)]
pub struct KeyRing {
    current: Arc<MasterKey>,
    older: Vec<Arc<MasterKey>>,
}

impl KeyRing {
    pub fn new(current: MasterKey, older: Vec<MasterKey>) -> Self {
        let older = older
            .into_iter()
            .filter(|k| k.id != current.id)
            .map(Arc::new)
            .collect();
        Self {
            current: Arc::new(current),
            older,
        }
    }

    /// A ring with one fresh random key (tests).
    pub fn random() -> Self {
        Self::new(MasterKey::generate().0, Vec::new())
    }

    /// The id of the key new data keys are wrapped with.
    pub fn current_id(&self) -> &str {
        &self.current.id
    }

    fn find(&self, id: &str) -> Option<&MasterKey> {
        std::iter::once(&self.current)
            .chain(self.older.iter())
            .find(|k| k.id == id)
            .map(|k| k.as_ref())
    }

    /// This ring with `next` as its current key and every key of this ring kept readable.
    pub fn rotated_to(&self, next: MasterKey) -> Self {
        let mut older: Vec<Arc<MasterKey>> = vec![self.current.clone()];
        older.extend(self.older.iter().cloned());
        older.retain(|k| k.id != next.id);
        Self {
            current: Arc::new(next),
            older,
        }
    }
}

/// An unwrapped data key: seals and opens the fields of one customer (or guest, or the shop).
#[derive(Clone)]
pub struct DataKey {
    id: Arc<str>,
    cipher: Arc<Aes256Gcm>,
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DataKey").field("id", &self.id).finish()
    }
}

impl DataKey {
    fn from_array(id: &str, bytes: &[u8; 32]) -> Self {
        Self {
            id: id.into(),
            cipher: Arc::new(Aes256Gcm::new(bytes.into())),
        }
    }

    fn from_bytes(id: &str, bytes: &[u8]) -> Option<Self> {
        let bytes: [u8; 32] = bytes.try_into().ok()?;
        Some(Self::from_array(id, &bytes))
    }

    /// The id rows store in their `key_id` column.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// `plain` sealed for the column `field` (e.g. `"users.name"`); empty text stays empty.
    pub fn seal(&self, field: &str, plain: &str) -> String {
        if plain.is_empty() {
            return String::new();
        }
        let nonce: [u8; NONCE_LEN] = rand::random();
        let sealed = self
            .cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plain.as_bytes(),
                    aad: field.as_bytes(),
                },
            )
            .unwrap_or_default();
        let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        format!("{SEALED}{}", URL_SAFE_NO_PAD.encode(out))
    }

    /// An optional value sealed (`None` stays `None`).
    pub fn seal_opt(&self, field: &str, plain: Option<&str>) -> Option<String> {
        plain.map(|p| self.seal(field, p))
    }

    fn open(&self, field: &str, stored: &str) -> Result<String, VaultError> {
        let bad = || VaultError::Open(field.to_owned());
        let bytes = URL_SAFE_NO_PAD
            .decode(&stored[SEALED.len()..])
            .map_err(|_| bad())?;
        if bytes.len() < NONCE_LEN {
            return Err(bad());
        }
        let (nonce, sealed) = bytes.split_at(NONCE_LEN);
        let plain = self
            .cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: field.as_bytes(),
                },
            )
            .map_err(|_| bad())?;
        String::from_utf8(plain).map_err(|_| bad())
    }
}

/// What opens the sealed fields of one row.
#[derive(Clone, Debug)]
pub enum Opener {
    /// The row's data key.
    Key(DataKey),
    /// The row has no data key: written before encryption, its text is stored as it is.
    Plain,
    /// The row's data key was destroyed (the customer was erased): its fields read as empty.
    Shredded,
}

impl Opener {
    /// The text of a stored field: opened if sealed, as it is if written before encryption,
    /// empty if its key is gone.
    pub fn open(&self, field: &str, stored: &str) -> Result<String, sqlx::Error> {
        match self {
            _ if stored.is_empty() => Ok(String::new()),
            Self::Shredded => Ok(String::new()),
            _ if !stored.starts_with(SEALED) => Ok(stored.to_owned()),
            Self::Key(key) => Ok(key.open(field, stored)?),
            Self::Plain => Err(VaultError::Open(field.to_owned()).into()),
        }
    }

    /// [`Opener::open`] for an optional field.
    pub fn open_opt(
        &self,
        field: &str,
        stored: Option<&str>,
    ) -> Result<Option<String>, sqlx::Error> {
        stored.map(|s| self.open(field, s)).transpose()
    }

    /// Whether the row's key was destroyed.
    pub fn is_shredded(&self) -> bool {
        matches!(self, Self::Shredded)
    }
}

/// The openers of a page of rows (see [`Vault::openers`]).
#[derive(Debug, Default)]
pub struct Openers(HashMap<String, Opener>);

impl Openers {
    /// What opens the fields of the row whose `key_id` is `id`.
    pub fn of(&self, id: Option<&str>) -> Opener {
        match id {
            None => Opener::Plain,
            Some(id) => self.0.get(id).cloned().unwrap_or(Opener::Shredded),
        }
    }
}

/// How far a master-key rotation got.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rotation {
    /// Data keys re-wrapped with the current master key by this run.
    pub rewrapped: u64,
    /// Data keys still wrapped by an older key when the run ended (an instance still running
    /// with the old master key as its current one makes them; run it again once all run the
    /// new configuration).
    pub remaining: u64,
}

/// The ring the settings name: the current master key (the default key file is made, readable
/// by its owner only, if missing) and the older ones.
pub fn ring_from(config: &super::config::Config) -> Result<KeyRing, String> {
    use super::config::KeySource;
    fn read(source: &KeySource) -> Result<MasterKey, String> {
        let (text, what) = match source {
            KeySource::Text(text) => (text.clone(), "the master key setting".to_owned()),
            KeySource::File(path) => (
                std::fs::read_to_string(path)
                    .map_err(|e| format!("cannot read master key file {}: {e}", path.display()))?,
                path.display().to_string(),
            ),
            KeySource::MadeIfMissing(path) => {
                if !path.exists() {
                    make_key_file(path)?;
                }
                return read(&KeySource::File(path.clone()));
            }
        };
        MasterKey::parse(&text).map_err(|e| format!("{what}: {e}"))
    }
    let older = config
        .old_master_keys
        .iter()
        .map(read)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(KeyRing::new(read(&config.master_key)?, older))
}

fn make_key_file(path: &std::path::Path) -> Result<(), String> {
    use std::io::Write;
    let fail = |e: std::io::Error| format!("cannot make master key file {}: {e}", path.display());
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(fail)?;
    let (_, text) = MasterKey::generate();
    file.write_all(format!("{text}\n").as_bytes())
        .map_err(fail)?;
    file.sync_all().map_err(fail)?;
    tracing::warn!(
        path = %path.display(),
        "made a new master key file: back it up apart from the database (without it, personal data cannot be read)"
    );
    Ok(())
}

/// The key ring, the blind-index key and a cache of unwrapped data keys.
pub struct Vault {
    ring: KeyRing,
    blind: Hmac<Sha256>,
    shop: DataKey,
    cache: Mutex<HashMap<String, (DataKey, Instant)>>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("master", &self.ring.current.id)
            .finish()
    }
}

impl Vault {
    /// Opens the vault of the database behind `db` with `ring`: checks that every data key is
    /// wrapped by a key of the ring and loads (or makes, on first use) the system keys.
    pub async fn open(db: &Db, ring: KeyRing) -> Result<Self, VaultError> {
        let mut conn = db.pool().acquire().await?;
        let masters: Vec<String> = sqlx::query_scalar("SELECT DISTINCT master_id FROM data_keys")
            .fetch_all(&mut *conn)
            .await?;
        if let Some(unknown) = masters.iter().find(|m| ring.find(m).is_none()) {
            return Err(VaultError::UnknownMaster(unknown.clone()));
        }
        let mut vault = Self {
            ring,
            // Replaced below, once the system key is read.
            blind: <Hmac<Sha256> as Mac>::new_from_slice(&[0u8; 32]).expect("any key length"),
            shop: DataKey::from_array(SHOP_KEY, &[0u8; 32]),
            cache: Mutex::new(HashMap::new()),
        };
        let mut system = Vec::new();
        for id in [BLIND_INDEX_KEY, SHOP_KEY] {
            let key = match vault.load(&mut conn, id).await? {
                Some(key) => key,
                None => {
                    vault.insert_key(&mut conn, id).await?;
                    vault
                        .load(&mut conn, id)
                        .await?
                        .ok_or_else(|| VaultError::Unwrap(id.to_owned()))?
                }
            };
            system.push(key);
        }
        vault.blind = <Hmac<Sha256> as Mac>::new_from_slice(&system[0].1).expect("any key length");
        vault.shop = system[1].0.clone();
        Ok(vault)
    }

    /// The ring this vault wraps and unwraps with.
    pub fn ring(&self) -> &KeyRing {
        &self.ring
    }

    /// The blind index of `value` (already normalised, e.g. a lower-case e-mail address) for
    /// look-ups of kind `kind` (`"email"`): 64 hex digits.
    pub fn blind_index(&self, kind: &str, value: &str) -> String {
        let mut mac = self.blind.clone();
        mac.update(kind.as_bytes());
        mac.update(&[0]);
        mac.update(value.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// The blind index of an e-mail address (trimmed and lower-cased first, so every way of
    /// writing it finds the same accounts and orders).
    pub fn email_index(&self, email: &str) -> String {
        self.blind_index(EMAIL_INDEX, &email.trim().to_lowercase())
    }

    /// A new data key, stored wrapped inside the caller's transaction.
    pub async fn new_key(&self, conn: &mut AnyConnection) -> Result<DataKey, sqlx::Error> {
        let id = format!("k{}", new_id());
        let bytes = self.insert_key(conn, &id).await?;
        let key = DataKey::from_array(&id, &bytes);
        self.remember(&key);
        Ok(key)
    }

    /// The shop's own data key (for values that belong to no customer: queued and local mail).
    pub fn shop_key(&self) -> &DataKey {
        &self.shop
    }

    /// What opens the fields of a row whose `key_id` is `id` (`None`: written before
    /// encryption).
    pub async fn opener(
        &self,
        conn: &mut AnyConnection,
        id: Option<&str>,
    ) -> Result<Opener, sqlx::Error> {
        match id {
            None => Ok(Opener::Plain),
            Some(id) => self.key(conn, id).await,
        }
    }

    /// The openers of many rows at once, by their `key_id`s (one query for the keys not in
    /// memory).
    pub async fn openers(
        &self,
        conn: &mut AnyConnection,
        ids: &[Option<String>],
    ) -> Result<Openers, sqlx::Error> {
        let mut out = HashMap::new();
        let mut missing = Vec::new();
        for id in ids.iter().flatten() {
            if out.contains_key(id) {
                continue;
            }
            match self.cached(id) {
                Some(key) => {
                    out.insert(id.clone(), Opener::Key(key));
                }
                None => {
                    if !missing.contains(id) {
                        missing.push(id.clone());
                    }
                }
            }
        }
        for chunk in missing.chunks(200) {
            let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "SELECT id, master_id, wrapped FROM data_keys WHERE id IN ({})",
                marks.join(", ")
            );
            let mut query = sqlx::query(&sql);
            for id in chunk {
                query = query.bind(id);
            }
            for row in query.fetch_all(&mut *conn).await? {
                let id: String = row.try_get("id")?;
                let key = self.unwrap_row(
                    &id,
                    &row.try_get::<String, _>("master_id")?,
                    &row.try_get::<String, _>("wrapped")?,
                )?;
                let key =
                    DataKey::from_bytes(&id, &key).ok_or_else(|| VaultError::Unwrap(id.clone()))?;
                self.remember(&key);
                out.insert(id, Opener::Key(key));
            }
            for id in chunk {
                out.entry(id.clone()).or_insert(Opener::Shredded);
            }
        }
        Ok(Openers(out))
    }

    /// The opener of each row (by its `key_id` column), in the rows' order, with one query for
    /// the keys not in memory.
    pub async fn row_openers(
        &self,
        conn: &mut AnyConnection,
        rows: &[sqlx::any::AnyRow],
    ) -> Result<Vec<Opener>, sqlx::Error> {
        let ids: Vec<Option<String>> = rows
            .iter()
            .map(|r| r.try_get("key_id"))
            .collect::<Result<_, _>>()?;
        let openers = self.openers(conn, &ids).await?;
        Ok(ids.iter().map(|id| openers.of(id.as_deref())).collect())
    }

    /// What opens the fields sealed with data key `id`.
    pub async fn key(&self, conn: &mut AnyConnection, id: &str) -> Result<Opener, sqlx::Error> {
        if let Some(key) = self.cached(id) {
            return Ok(Opener::Key(key));
        }
        Ok(match self.load(conn, id).await? {
            Some((key, _)) => {
                self.remember(&key);
                Opener::Key(key)
            }
            None => Opener::Shredded,
        })
    }

    /// Destroys data key `id` inside the caller's transaction: everything it sealed becomes
    /// unreadable, everywhere, for good.
    pub async fn shred(&self, conn: &mut AnyConnection, id: &str) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM data_keys WHERE id = $1 AND id NOT LIKE 'system:%'")
            .bind(id)
            .execute(conn)
            .await?;
        if let Ok(mut cache) = self.cache.lock() {
            cache.remove(id);
        }
        Ok(())
    }

    /// Re-wraps every data key still wrapped by an older master key with the current one, in
    /// small transactions, while the shop keeps serving: a key is re-wrapped only if no one
    /// changed it meanwhile, and readers accept both keys throughout.
    pub async fn rotate(&self, db: &Db) -> Result<Rotation, VaultError> {
        let current = self.ring.current_id().to_owned();
        let mut report = Rotation::default();
        let mut after = String::new();
        loop {
            let rows = sqlx::query(
                "SELECT id, master_id, wrapped FROM data_keys
                 WHERE master_id <> $1 AND id > $2 ORDER BY id LIMIT 200",
            )
            .bind(&current)
            .bind(&after)
            .fetch_all(db.pool())
            .await?;
            let Some(last) = rows.last() else { break };
            after = last.try_get("id")?;
            let mut tx = db.begin_write().await?;
            for row in &rows {
                let id: String = row.try_get("id")?;
                let master: String = row.try_get("master_id")?;
                let wrapped: String = row.try_get("wrapped")?;
                let bytes = self.unwrap_row(&id, &master, &wrapped)?;
                let done = sqlx::query(
                    "UPDATE data_keys SET master_id = $1, wrapped = $2 WHERE id = $3 AND master_id = $4",
                )
                .bind(&current)
                .bind(self.wrap(&id, &bytes))
                .bind(&id)
                .bind(&master)
                .execute(&mut *tx)
                .await?;
                report.rewrapped += done.rows_affected();
            }
            tx.commit().await?;
        }
        let remaining: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM data_keys WHERE master_id <> $1")
                .bind(&current)
                .fetch_one(db.pool())
                .await?;
        report.remaining = remaining.max(0) as u64;
        Ok(report)
    }

    async fn insert_key(
        &self,
        conn: &mut AnyConnection,
        id: &str,
    ) -> Result<[u8; 32], sqlx::Error> {
        let bytes: [u8; 32] = rand::random();
        sqlx::query(
            "INSERT INTO data_keys (id, master_id, wrapped, created_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(id)
        .bind(self.ring.current_id())
        .bind(self.wrap(id, &bytes))
        .bind(now().millis())
        .execute(conn)
        .await?;
        Ok(bytes)
    }

    async fn load(
        &self,
        conn: &mut AnyConnection,
        id: &str,
    ) -> Result<Option<(DataKey, Vec<u8>)>, VaultError> {
        let row = sqlx::query("SELECT master_id, wrapped FROM data_keys WHERE id = $1")
            .bind(id)
            .fetch_optional(conn)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let bytes = self.unwrap_row(
            id,
            &row.try_get::<String, _>("master_id")?,
            &row.try_get::<String, _>("wrapped")?,
        )?;
        let key =
            DataKey::from_bytes(id, &bytes).ok_or_else(|| VaultError::Unwrap(id.to_owned()))?;
        Ok(Some((key, bytes)))
    }

    fn wrap(&self, id: &str, bytes: &[u8]) -> String {
        let nonce: [u8; NONCE_LEN] = rand::random();
        let sealed = self
            .ring
            .current
            .cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: bytes,
                    aad: id.as_bytes(),
                },
            )
            .unwrap_or_default();
        URL_SAFE_NO_PAD.encode([nonce.as_slice(), &sealed].concat())
    }

    fn unwrap_row(&self, id: &str, master: &str, wrapped: &str) -> Result<Vec<u8>, VaultError> {
        let master = self
            .ring
            .find(master)
            .ok_or_else(|| VaultError::UnknownMaster(master.to_owned()))?;
        let bytes = URL_SAFE_NO_PAD
            .decode(wrapped)
            .map_err(|_| VaultError::Unwrap(id.to_owned()))?;
        if bytes.len() < NONCE_LEN {
            return Err(VaultError::Unwrap(id.to_owned()));
        }
        let (nonce, sealed) = bytes.split_at(NONCE_LEN);
        master
            .cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: id.as_bytes(),
                },
            )
            .map_err(|_| VaultError::Unwrap(id.to_owned()))
    }

    fn cached(&self, id: &str) -> Option<DataKey> {
        let cache = self.cache.lock().ok()?;
        cache
            .get(id)
            .filter(|(_, at)| at.elapsed() < KEY_CACHE_TTL)
            .map(|(key, _)| key.clone())
    }

    fn remember(&self, key: &DataKey) {
        if let Ok(mut cache) = self.cache.lock() {
            if cache.len() >= KEY_CACHE_MAX {
                cache.clear();
            }
            cache.insert(key.id().to_owned(), (key.clone(), Instant::now()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn master_keys_parse_from_base64_or_hex_and_refuse_anything_else() {
        let (key, text) = MasterKey::generate();
        assert_eq!(
            MasterKey::parse(&format!("{text}\n")).unwrap().id(),
            key.id()
        );
        let hex = "00".repeat(32);
        assert_eq!(
            MasterKey::parse(&hex).unwrap().id(),
            MasterKey::from_bytes(&[0; 32]).id()
        );
        assert!(MasterKey::parse("short").is_err());
        assert!(MasterKey::parse(&"zz".repeat(32)).is_err());
        assert!(MasterKey::parse(&STANDARD.encode([1u8; 31])).is_err());
    }

    #[test]
    fn a_sealed_field_opens_only_with_its_key_and_column() {
        let key = DataKey::from_bytes("k1", &[7; 32]).unwrap();
        let other = DataKey::from_bytes("k2", &[8; 32]).unwrap();
        let sealed = key.seal("users.name", "Zebulon Quatermain");
        assert!(sealed.starts_with(SEALED) && !sealed.contains("Zebulon"));
        assert_ne!(
            sealed,
            key.seal("users.name", "Zebulon Quatermain"),
            "fresh nonce each time"
        );
        let opener = Opener::Key(key.clone());
        assert_eq!(
            opener.open("users.name", &sealed).unwrap(),
            "Zebulon Quatermain"
        );
        assert!(
            opener.open("users.email", &sealed).is_err(),
            "bound to its column"
        );
        assert!(Opener::Key(other).open("users.name", &sealed).is_err());
        assert_eq!(Opener::Shredded.open("users.name", &sealed).unwrap(), "");
        assert_eq!(
            opener.open("users.name", "written before").unwrap(),
            "written before"
        );
        assert_eq!(key.seal("users.name", ""), "");
    }

    #[test]
    fn rotating_a_ring_keeps_every_older_key() {
        let ring = KeyRing::random();
        let first = ring.current_id().to_owned();
        let (next, _) = MasterKey::generate();
        let next_id = next.id().to_owned();
        let rotated = ring.rotated_to(next);
        assert_eq!(rotated.current_id(), next_id);
        assert!(rotated.find(&first).is_some());
    }
}
