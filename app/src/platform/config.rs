//! The shop's configuration: one typed struct, read from environment variables and an optional
//! TOML file.
//!
//! Every setting has a default (listed in the README), so a fresh checkout runs with none set.
//! Precedence: environment variable, then the file named by `SHOP_CONFIG_FILE`, then the
//! default. A value that does not parse stops the start with a message naming the setting.

use ipnet::IpNet;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

/// How log lines are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines (the default).
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// Every setting the server reads at start-up.
#[derive(Clone, Debug)]
pub struct Config {
    /// `SHOP_ADDR`: address and port to listen on.
    pub addr: SocketAddr,
    /// `SHOP_PUBLIC_URL`: the URL shoppers use, for links in e-mails and canonical URLs.
    pub public_url: String,
    /// `DATABASE_URL`: `sqlite://path` (embedded, the default) or `postgres://...`.
    pub database_url: String,
    /// `SHOP_DB_MAX_CONNECTIONS`: size of the database connection pool.
    pub db_max_connections: u32,
    /// `SHOP_DEMO_DATA`: load the demo store on first start.
    pub demo_data: bool,
    /// `SHOP_STORE_NAME`: the store's name when it is first created (later edited in the admin).
    pub store_name: String,
    /// `SHOP_CURRENCY`: the store's currency when it is first created.
    pub currency: String,
    /// `SHOP_LOG_FORMAT`: `text` or `json`.
    pub log_format: LogFormat,
    /// `SHOP_JOB_WORKERS`: background jobs run at once by this instance (0 turns the runner off).
    pub job_workers: usize,
    /// `SHOP_JOB_POLL_MS`: how often idle job workers look for due jobs.
    pub job_poll_interval: Duration,
    /// `SHOP_SHUTDOWN_GRACE_SECS`: how long in-flight requests and jobs may take after Ctrl-C.
    pub shutdown_grace: Duration,
    /// `SHOP_SMTP_URL`: where mail goes (`smtp://user:pass@host:587` with STARTTLS,
    /// `smtps://...` with TLS, `smtp://host:25?tls=none` in the clear for a local relay).
    /// Unset: mail is delivered to the local mailbox that admins read in the app.
    pub smtp_url: Option<String>,
    /// `SHOP_MAIL_DIR`: without SMTP, also write every mail whole into this directory (one
    /// JSON file per mail) for development and the end-to-end tests; the mailbox page hides
    /// secret links.
    pub mail_dir: Option<PathBuf>,
    /// `SHOP_MAIL_FROM`: the sender of the shop's mail.
    pub mail_from: String,
    /// `SHOP_ADMIN_EMAIL` / `SHOP_ADMIN_PASSWORD`: an admin account created on first start if
    /// both are set (with demo data and neither set: `admin@demo-shop.example` / `demo-admin-password`).
    pub admin_email: Option<String>,
    pub admin_password: Option<String>,
    /// `SHOP_DATA_DIR`: where this instance keeps files (default `data`): its search index
    /// (`search/`, rebuilt from the database when lost) and, unless `SHOP_MEDIA_DIR` says
    /// otherwise, pictures (`media/`).
    pub data_dir: PathBuf,
    /// `SHOP_MEDIA_DIR`: where pictures are kept; several instances must share it.
    pub media_dir: PathBuf,
    /// `SHOP_SEARCH_SYNC_MS`: how often the search index looks for catalog changes made by
    /// other instances (changes made here are indexed at once).
    pub search_sync_interval: Duration,
    /// `SHOP_PAGE_CACHE_SECS`: how long a rendered catalog page is reused for visitors without
    /// a session (0 turns the cache off). Catalog changes end it sooner.
    pub page_cache_ttl: Duration,
    /// Which provider takes card payments (`SHOP_PAYMENT_PROVIDER`: `off`, `test` or
    /// `stripe`). Unset it is `test` in demo mode and `off` otherwise: a real shop never takes
    /// made-up cards by accident.
    pub card_provider: CardProviderSetting,
    /// Where bank transfers go, as shown to shoppers (`SHOP_BANK_DETAILS`). Unset outside demo
    /// mode, the shop does not offer bank transfer.
    pub bank_details: Option<String>,
    /// `SHOP_ALLOW_TEST_PAYMENTS`: lets a shop outside demo mode (a staging copy) use the test
    /// card provider and the demo bank account. Off by default.
    pub allow_test_payments: bool,
    /// `SHOP_TRUSTED_PROXIES`: addresses or networks (`10.0.0.0/8`, `::1`) of the reverse
    /// proxies in front of the shop. Only their `X-Forwarded-For` / `Forwarded` headers are
    /// believed; the client is the right-most address not in this list.
    pub trusted_proxies: Vec<IpNet>,
    /// `SHOP_METRICS_TOKEN`: `/metrics` answers only requests carrying
    /// `Authorization: Bearer <token>`; unset, `/metrics` is not served at all.
    pub metrics_token: Option<String>,
    /// `SHOP_HEADER_TIMEOUT_SECS`: a connection must send a request's headers within this
    /// time (and an idle kept-alive connection is closed after it), so clients that trickle
    /// bytes (slow-loris) cannot hold connections open.
    pub header_timeout: Duration,
    /// `SHOP_REQUEST_TIMEOUT_SECS`: the longest a request may take until its answer starts.
    pub request_timeout: Duration,
    /// `SHOP_CLIENT_CONCURRENCY`: requests one client (address, or IPv6 /64) may have in
    /// flight at once; more are answered 429.
    pub client_concurrency: usize,
    /// `SHOP_CSP_REPORT_LIMIT`: violation reports one client may send per 15 minutes (a page
    /// with one blocked thing reports on every view; more are dropped).
    pub csp_report_limit: i64,
    /// `SHOP_MANUAL_PAYMENT_DAYS`: days a bank-transfer order waits for its money before it is
    /// cancelled and its stock given back (cash on delivery is not waited for: it is paid on
    /// delivery).
    pub manual_payment_days: u32,
    /// Orders one IP address may place per 15 minutes (`SHOP_ORDER_RATE_LIMIT`; 0: no limit).
    /// Placed orders hold stock, so this stops one client from reserving a shop empty.
    pub order_rate_limit: i64,
    /// Sign-in attempts one IP address may make per 15 minutes, over all accounts
    /// (`SHOP_SIGN_IN_IP_LIMIT`; raise it for shops whose customers share an address).
    pub sign_in_ip_limit: i64,
    /// Registrations one IP address may make per window (`SHOP_REGISTER_IP_LIMIT`; raise it
    /// for shops whose customers share an address).
    pub register_ip_limit: i64,
    /// Whether product imports may fetch pictures from loopback and private network addresses
    /// (`SHOP_IMPORT_PRIVATE_HOSTS`, off: a CSV file must not make the server probe its own
    /// network).
    pub import_private_hosts: bool,
    /// `SHOP_PUSH_PRIVATE_HOSTS`: accept web push endpoints on loopback and private addresses,
    /// over plain http too (tests with a local push endpoint; never in production).
    pub push_private_hosts: bool,
    /// The master key that wraps the data keys sealing personal data (`platform::vault`):
    /// `SHOP_MASTER_KEY` (32 bytes as base64 or hex) or `SHOP_MASTER_KEY_FILE` (a file holding
    /// it). Neither set: the file `master.key` in `SHOP_DATA_DIR`, made on first start. Keep
    /// it out of database backups: with it, a backup's personal data is readable.
    pub master_key: KeySource,
    /// `SHOP_OLD_MASTER_KEYS` (comma-separated) and `SHOP_OLD_MASTER_KEY_FILES`
    /// (comma-separated paths): master keys being rotated away from, still accepted.
    pub old_master_keys: Vec<KeySource>,
}

/// Where a master key comes from. Its `Debug` never shows a key.
#[derive(Clone, PartialEq, Eq)]
pub enum KeySource {
    /// Given in a setting.
    Text(String),
    /// Read from a file.
    File(PathBuf),
    /// Read from this file, which is made with a fresh key if missing.
    MadeIfMissing(PathBuf),
}

impl std::fmt::Debug for KeySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Text(_) => f.write_str("Text(…)"),
            Self::File(p) => f.debug_tuple("File").field(p).finish(),
            Self::MadeIfMissing(p) => f.debug_tuple("MadeIfMissing").field(p).finish(),
        }
    }
}

impl Config {
    /// The folder of this instance's search index.
    pub fn search_dir(&self) -> PathBuf {
        self.data_dir.join("search")
    }
}

/// A setting that could not be used; the message names it and says what is expected.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("setting {name} has the invalid value {value:?}: expected {expected}")]
    Invalid {
        name: &'static str,
        value: String,
        expected: &'static str,
    },
    #[error("could not read the configuration file {path}: {reason}")]
    File { path: PathBuf, reason: String },
    #[error("the configuration file {path} names an unknown setting {key:?}")]
    UnknownKey { path: PathBuf, key: String },
}

/// The card payment provider and its credentials.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CardProviderSetting {
    /// No card payments: checkout offers the manual methods only.
    Off,
    /// The built-in test provider (Stripe's test cards, no real money).
    Test,
    /// Stripe: `SHOP_STRIPE_SECRET_KEY`, `SHOP_STRIPE_WEBHOOK_SECRET`, and the API base
    /// (`SHOP_STRIPE_API_BASE`, default [`STRIPE_API_BASE`]; another base is a stand-in such as a
    /// local fake, whose own origin then serves the hosted payment pages).
    Stripe {
        api_base: String,
        secret_key: String,
        webhook_secret: String,
    },
}

/// Names of all settings, as environment variables. File keys are the same in lower case
/// without the `SHOP_` prefix (`database_url`, `db_max_connections`, ...).
pub const SETTINGS: &[&str] = &[
    "SHOP_ADDR",
    "SHOP_PUBLIC_URL",
    "DATABASE_URL",
    "SHOP_DB_MAX_CONNECTIONS",
    "SHOP_DEMO_DATA",
    "SHOP_STORE_NAME",
    "SHOP_CURRENCY",
    "SHOP_LOG_FORMAT",
    "SHOP_JOB_WORKERS",
    "SHOP_JOB_POLL_MS",
    "SHOP_SHUTDOWN_GRACE_SECS",
    "SHOP_SMTP_URL",
    "SHOP_MAIL_FROM",
    "SHOP_MAIL_DIR",
    "SHOP_ADMIN_EMAIL",
    "SHOP_ADMIN_PASSWORD",
    "SHOP_DATA_DIR",
    "SHOP_MEDIA_DIR",
    "SHOP_SEARCH_SYNC_MS",
    "SHOP_PAGE_CACHE_SECS",
    "SHOP_PAYMENT_PROVIDER",
    "SHOP_STRIPE_SECRET_KEY",
    "SHOP_STRIPE_WEBHOOK_SECRET",
    "SHOP_STRIPE_API_BASE",
    "SHOP_BANK_DETAILS",
    "SHOP_ALLOW_TEST_PAYMENTS",
    "SHOP_TRUSTED_PROXIES",
    "SHOP_METRICS_TOKEN",
    "SHOP_MANUAL_PAYMENT_DAYS",
    "SHOP_HEADER_TIMEOUT_SECS",
    "SHOP_REQUEST_TIMEOUT_SECS",
    "SHOP_CLIENT_CONCURRENCY",
    "SHOP_CSP_REPORT_LIMIT",
    "SHOP_ORDER_RATE_LIMIT",
    "SHOP_SIGN_IN_IP_LIMIT",
    "SHOP_IMPORT_PRIVATE_HOSTS",
    "SHOP_MASTER_KEY",
    "SHOP_MASTER_KEY_FILE",
    "SHOP_OLD_MASTER_KEYS",
    "SHOP_OLD_MASTER_KEY_FILES",
];

fn file_key(name: &str) -> String {
    name.strip_prefix("SHOP_")
        .unwrap_or(name)
        .to_ascii_lowercase()
}

/// Where values come from: the environment first, then the file.
struct Sources {
    env: HashMap<String, String>,
    file: HashMap<String, String>,
}

impl Sources {
    fn get(&self, name: &'static str) -> Option<String> {
        self.env
            .get(name)
            .filter(|v| !v.is_empty())
            .cloned()
            .or_else(|| self.file.get(&file_key(name)).cloned())
    }

    fn parse<T: FromStr>(
        &self,
        name: &'static str,
        default: T,
        expected: &'static str,
        valid: impl Fn(&T) -> bool,
    ) -> Result<T, ConfigError> {
        match self.get(name) {
            None => Ok(default),
            Some(raw) => match raw.trim().parse::<T>() {
                Ok(v) if valid(&v) => Ok(v),
                _ => Err(ConfigError::Invalid {
                    name,
                    value: raw,
                    expected,
                }),
            },
        }
    }
}

fn parse_bool(name: &'static str, raw: Option<String>, default: bool) -> Result<bool, ConfigError> {
    match raw.as_deref().map(|v| v.trim().to_ascii_lowercase()) {
        None => Ok(default),
        Some(v) if matches!(v.as_str(), "1" | "true" | "yes" | "on") => Ok(true),
        Some(v) if matches!(v.as_str(), "0" | "false" | "no" | "off") => Ok(false),
        Some(_) => Err(ConfigError::Invalid {
            name,
            value: raw.unwrap_or_default(),
            expected: "true or false",
        }),
    }
}

impl Config {
    /// Reads the process environment (and the file it names).
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_vars(std::env::vars().collect())
    }

    /// Reads the given variables (and the file `SHOP_CONFIG_FILE` names, if any).
    pub fn from_vars(env: HashMap<String, String>) -> Result<Self, ConfigError> {
        let file = match env.get("SHOP_CONFIG_FILE").filter(|p| !p.is_empty()) {
            Some(path) => read_file(PathBuf::from(path))?,
            None => HashMap::new(),
        };
        let src = Sources { env, file };

        let addr = src.parse(
            "SHOP_ADDR",
            SocketAddr::from(([127, 0, 0, 1], 3000)),
            "an address such as 127.0.0.1:3000",
            |_| true,
        )?;
        let public_url = src
            .get("SHOP_PUBLIC_URL")
            .unwrap_or_else(|| format!("http://{addr}"));
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            return Err(ConfigError::Invalid {
                name: "SHOP_PUBLIC_URL",
                value: public_url,
                expected: "an http:// or https:// URL",
            });
        }
        let database_url = src
            .get("DATABASE_URL")
            .unwrap_or_else(|| "sqlite://data/shop.db".into());
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://"))
        {
            return Err(ConfigError::Invalid {
                name: "DATABASE_URL",
                value: database_url,
                expected: "a sqlite:// or postgres:// URL",
            });
        }
        let currency = src.get("SHOP_CURRENCY").unwrap_or_else(|| "EUR".into());
        if shop_types::Currency::parse(&currency).is_err() {
            return Err(ConfigError::Invalid {
                name: "SHOP_CURRENCY",
                value: currency,
                expected: "a three-letter ISO 4217 code such as EUR",
            });
        }
        let store_name = src
            .get("SHOP_STORE_NAME")
            .unwrap_or_else(|| "Demo Shop".into());
        if store_name.trim().is_empty() || store_name.chars().count() > 80 {
            return Err(ConfigError::Invalid {
                name: "SHOP_STORE_NAME",
                value: store_name,
                expected: "a name of 1 to 80 characters",
            });
        }
        let log_format = match src.get("SHOP_LOG_FORMAT").as_deref().map(str::trim) {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    name: "SHOP_LOG_FORMAT",
                    value: other.into(),
                    expected: "text or json",
                });
            }
        };
        let smtp_url = src.get("SHOP_SMTP_URL");
        if let Some(url) = &smtp_url
            && !(url.starts_with("smtp://") || url.starts_with("smtps://"))
        {
            return Err(ConfigError::Invalid {
                name: "SHOP_SMTP_URL",
                value: url.clone(),
                expected: "an smtp:// or smtps:// URL",
            });
        }
        let mail_from = src
            .get("SHOP_MAIL_FROM")
            .unwrap_or_else(|| format!("{} <shop@localhost>", store_name.trim()));
        if !mail_from.contains('@') {
            return Err(ConfigError::Invalid {
                name: "SHOP_MAIL_FROM",
                value: mail_from,
                expected: "a sender such as Shop <shop@example.com>",
            });
        }
        let admin_email = src.get("SHOP_ADMIN_EMAIL");
        if let Some(email) = &admin_email
            && shop_types::Email::parse(email).is_err()
        {
            return Err(ConfigError::Invalid {
                name: "SHOP_ADMIN_EMAIL",
                value: email.clone(),
                expected: "an e-mail address",
            });
        }
        let data_dir = PathBuf::from(src.get("SHOP_DATA_DIR").unwrap_or_else(|| "data".into()));
        let media_dir = src
            .get("SHOP_MEDIA_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| data_dir.join("media"));
        let demo_data = parse_bool("SHOP_DEMO_DATA", src.get("SHOP_DEMO_DATA"), false)?;
        let allow_test_payments = parse_bool(
            "SHOP_ALLOW_TEST_PAYMENTS",
            src.get("SHOP_ALLOW_TEST_PAYMENTS"),
            false,
        )?;
        let test_money_allowed = demo_data || allow_test_payments;
        let card_provider = match src.get("SHOP_PAYMENT_PROVIDER").as_deref().map(str::trim) {
            None if demo_data => CardProviderSetting::Test,
            None | Some("off") => CardProviderSetting::Off,
            Some("test") if test_money_allowed => CardProviderSetting::Test,
            Some("test") => {
                return Err(ConfigError::Invalid {
                    name: "SHOP_PAYMENT_PROVIDER",
                    value: "test".into(),
                    expected: "stripe or off outside demo mode: the test provider accepts made-up \
                               cards (a staging shop sets SHOP_ALLOW_TEST_PAYMENTS=true)",
                });
            }
            Some("stripe") => {
                let need = |name: &'static str, prefix: &'static str| {
                    src.get(name).filter(|v| v.starts_with(prefix)).ok_or(ConfigError::Invalid {
                        name,
                        value: String::new(),
                        expected: "set when SHOP_PAYMENT_PROVIDER is stripe (a key from the Stripe dashboard)",
                    })
                };
                let api_base = src
                    .get("SHOP_STRIPE_API_BASE")
                    .unwrap_or_else(|| STRIPE_API_BASE.into());
                if !(api_base.starts_with("https://") || api_base.starts_with("http://")) {
                    return Err(ConfigError::Invalid {
                        name: "SHOP_STRIPE_API_BASE",
                        value: api_base,
                        expected: "an http(s):// URL",
                    });
                }
                CardProviderSetting::Stripe {
                    api_base,
                    secret_key: need("SHOP_STRIPE_SECRET_KEY", "sk_")?,
                    webhook_secret: need("SHOP_STRIPE_WEBHOOK_SECRET", "whsec_")?,
                }
            }
            Some(other) => {
                return Err(ConfigError::Invalid {
                    name: "SHOP_PAYMENT_PROVIDER",
                    value: other.into(),
                    expected: "off, test or stripe",
                });
            }
        };
        let bank_details = match src.get("SHOP_BANK_DETAILS") {
            Some(details) if is_demo_bank_account(&details) && !test_money_allowed => {
                return Err(ConfigError::Invalid {
                    name: "SHOP_BANK_DETAILS",
                    value: details,
                    expected: "the shop's own bank account: this is the demo account \
                               (a staging shop sets SHOP_ALLOW_TEST_PAYMENTS=true)",
                });
            }
            Some(details) if details.trim().is_empty() || details.chars().count() > 300 => {
                return Err(ConfigError::Invalid {
                    name: "SHOP_BANK_DETAILS",
                    value: details,
                    expected: "the account shoppers transfer to, 1 to 300 characters",
                });
            }
            Some(details) => Some(details.trim().to_owned()),
            None if demo_data => Some(DEMO_BANK_DETAILS.to_owned()),
            None => None,
        };
        let trusted_proxies = match src.get("SHOP_TRUSTED_PROXIES") {
            None => Vec::new(),
            Some(list) => list
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| {
                    parse_network(s).ok_or_else(|| ConfigError::Invalid {
                        name: "SHOP_TRUSTED_PROXIES",
                        value: list.clone(),
                        expected: "addresses or networks separated by commas, such as \
                                   127.0.0.1, 10.0.0.0/8, fd00::/8",
                    })
                })
                .collect::<Result<_, _>>()?,
        };
        let metrics_token = src.get("SHOP_METRICS_TOKEN");
        if let Some(token) = &metrics_token
            && token.trim().len() < 16
        {
            return Err(ConfigError::Invalid {
                name: "SHOP_METRICS_TOKEN",
                value: "(hidden)".into(),
                expected: "a secret of at least 16 characters",
            });
        }
        Ok(Config {
            card_provider,
            bank_details,
            allow_test_payments,
            trusted_proxies,
            metrics_token: metrics_token.map(|t| t.trim().to_owned()),
            header_timeout: Duration::from_secs(src.parse(
                "SHOP_HEADER_TIMEOUT_SECS",
                10u64,
                "seconds from 1 to 300",
                |n| (1..=300).contains(n),
            )?),
            request_timeout: Duration::from_secs(src.parse(
                "SHOP_REQUEST_TIMEOUT_SECS",
                60u64,
                "seconds from 1 to 3600",
                |n| (1..=3600).contains(n),
            )?),
            client_concurrency: src.parse(
                "SHOP_CLIENT_CONCURRENCY",
                64usize,
                "a number of requests from 1 to 100000",
                |n| (1..=100_000).contains(n),
            )?,
            csp_report_limit: src.parse(
                "SHOP_CSP_REPORT_LIMIT",
                20i64,
                "a number of reports from 1 to 100000",
                |n| (1..=100_000).contains(n),
            )?,
            manual_payment_days: src.parse(
                "SHOP_MANUAL_PAYMENT_DAYS",
                14u32,
                "a number of days from 1 to 365",
                |n| (1..=365).contains(n),
            )?,
            master_key: match (src.get("SHOP_MASTER_KEY"), src.get("SHOP_MASTER_KEY_FILE")) {
                (Some(text), _) => KeySource::Text(text),
                (None, Some(path)) => KeySource::File(PathBuf::from(path)),
                (None, None) => KeySource::MadeIfMissing(data_dir.join("master.key")),
            },
            old_master_keys: src
                .get("SHOP_OLD_MASTER_KEYS")
                .iter()
                .flat_map(|v| v.split(','))
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(|v| KeySource::Text(v.to_owned()))
                .chain(
                    src.get("SHOP_OLD_MASTER_KEY_FILES")
                        .iter()
                        .flat_map(|v| v.split(','))
                        .map(str::trim)
                        .filter(|v| !v.is_empty())
                        .map(|v| KeySource::File(PathBuf::from(v))),
                )
                .collect(),
            data_dir,
            media_dir,
            search_sync_interval: Duration::from_millis(src.parse(
                "SHOP_SEARCH_SYNC_MS",
                1000u64,
                "milliseconds from 50 to 600000",
                |n| (50..=600_000).contains(n),
            )?),
            sign_in_ip_limit: src.parse(
                "SHOP_SIGN_IN_IP_LIMIT",
                30i64,
                "a number of attempts from 1 to 100000",
                |n| (1..=100_000).contains(n),
            )?,
            register_ip_limit: src.parse(
                "SHOP_REGISTER_IP_LIMIT",
                10i64,
                "a number of registrations from 1 to 100000",
                |n| (1..=100_000).contains(n),
            )?,
            order_rate_limit: src.parse(
                "SHOP_ORDER_RATE_LIMIT",
                30i64,
                "a number of orders from 0 (no limit) to 100000",
                |n| (0..=100_000).contains(n),
            )?,
            page_cache_ttl: Duration::from_secs(src.parse(
                "SHOP_PAGE_CACHE_SECS",
                30u64,
                "seconds from 0 to 86400",
                |n| *n <= 86_400,
            )?),
            addr,
            public_url: public_url.trim_end_matches('/').to_owned(),
            database_url,
            db_max_connections: src.parse(
                "SHOP_DB_MAX_CONNECTIONS",
                10u32,
                "a whole number from 1 to 1000",
                |n| (1..=1000).contains(n),
            )?,
            demo_data,
            import_private_hosts: parse_bool(
                "SHOP_IMPORT_PRIVATE_HOSTS",
                src.get("SHOP_IMPORT_PRIVATE_HOSTS"),
                false,
            )?,
            push_private_hosts: parse_bool(
                "SHOP_PUSH_PRIVATE_HOSTS",
                src.get("SHOP_PUSH_PRIVATE_HOSTS"),
                false,
            )?,
            store_name: store_name.trim().to_owned(),
            currency: currency.trim().to_ascii_uppercase(),
            log_format,
            job_workers: src.parse(
                "SHOP_JOB_WORKERS",
                4usize,
                "a whole number from 0 to 64",
                |n| *n <= 64,
            )?,
            job_poll_interval: Duration::from_millis(src.parse(
                "SHOP_JOB_POLL_MS",
                1000u64,
                "milliseconds from 10 to 60000",
                |n| (10..=60_000).contains(n),
            )?),
            shutdown_grace: Duration::from_secs(src.parse(
                "SHOP_SHUTDOWN_GRACE_SECS",
                30u64,
                "seconds from 0 to 3600",
                |n| *n <= 3600,
            )?),
            smtp_url,
            mail_dir: src.get("SHOP_MAIL_DIR").map(PathBuf::from),
            mail_from,
            admin_email,
            admin_password: src.get("SHOP_ADMIN_PASSWORD"),
        })
    }
}

/// Stripe's API, the default `SHOP_STRIPE_API_BASE`.
pub const STRIPE_API_BASE: &str = "https://api.stripe.com";

/// The bank account the demo shop shows (a well-known example IBAN, no real account).
pub const DEMO_BANK_DETAILS: &str =
    "IBAN DE02 1203 0000 0000 2020 51, BIC BYLADEM1001 (demo account)";

/// `10.0.0.0/8`, `fd00::/8`, or a single address (`127.0.0.1`, `::1`).
fn parse_network(text: &str) -> Option<IpNet> {
    if text.contains('/') {
        text.parse::<IpNet>().ok()
    } else {
        text.parse::<std::net::IpAddr>().ok().map(IpNet::from)
    }
}

fn is_demo_bank_account(details: &str) -> bool {
    let compact: String = details.chars().filter(|c| !c.is_whitespace()).collect();
    compact
        .to_ascii_uppercase()
        .contains("DE02120300000000202051")
}

fn read_file(path: PathBuf) -> Result<HashMap<String, String>, ConfigError> {
    let text = std::fs::read_to_string(&path).map_err(|e| ConfigError::File {
        path: path.clone(),
        reason: e.to_string(),
    })?;
    let table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| ConfigError::File {
            path: path.clone(),
            reason: e.to_string(),
        })?;
    let known: Vec<String> = SETTINGS.iter().map(|s| file_key(s)).collect();
    let mut out = HashMap::new();
    for (key, value) in table {
        if !known.contains(&key) {
            return Err(ConfigError::UnknownKey { path, key });
        }
        let text = match value {
            toml::Value::String(s) => s,
            other => other.to_string(),
        };
        out.insert(key, text);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_need_no_settings() {
        let c = Config::from_vars(HashMap::new()).unwrap();
        assert_eq!(c.addr.to_string(), "127.0.0.1:3000");
        assert_eq!(c.database_url, "sqlite://data/shop.db");
        assert_eq!(c.public_url, "http://127.0.0.1:3000");
        assert!(!c.demo_data);
        assert_eq!(c.log_format, LogFormat::Text);
        assert_eq!((c.sign_in_ip_limit, c.register_ip_limit), (30, 10));
        assert!(!c.push_private_hosts && !c.import_private_hosts);
        // Outside demo mode nothing takes made-up money.
        assert_eq!(c.card_provider, CardProviderSetting::Off);
        assert_eq!(c.bank_details, None);
        assert!(c.trusted_proxies.is_empty() && c.metrics_token.is_none());
        assert_eq!(c.manual_payment_days, 14);
    }

    #[test]
    fn test_money_needs_demo_mode_or_an_explicit_allowance() {
        let demo = Config::from_vars(vars(&[("SHOP_DEMO_DATA", "true")])).unwrap();
        assert_eq!(demo.card_provider, CardProviderSetting::Test);
        assert_eq!(demo.bank_details.as_deref(), Some(DEMO_BANK_DETAILS));

        let err = Config::from_vars(vars(&[("SHOP_PAYMENT_PROVIDER", "test")])).unwrap_err();
        assert!(err.to_string().contains("SHOP_PAYMENT_PROVIDER"), "{err}");
        let err = Config::from_vars(vars(&[(
            "SHOP_BANK_DETAILS",
            "IBAN DE02120300000000202051 (ours, honest)",
        )]))
        .unwrap_err();
        assert!(err.to_string().contains("SHOP_BANK_DETAILS"), "{err}");

        let staging = Config::from_vars(vars(&[
            ("SHOP_PAYMENT_PROVIDER", "test"),
            ("SHOP_ALLOW_TEST_PAYMENTS", "true"),
            ("SHOP_BANK_DETAILS", DEMO_BANK_DETAILS),
        ]))
        .unwrap();
        assert_eq!(staging.card_provider, CardProviderSetting::Test);

        let real = Config::from_vars(vars(&[(
            "SHOP_BANK_DETAILS",
            "IBAN GB33 BUKB 2020 1555 5555 55",
        )]))
        .unwrap();
        assert_eq!(
            real.bank_details.as_deref(),
            Some("IBAN GB33 BUKB 2020 1555 5555 55")
        );
        let off = Config::from_vars(vars(&[
            ("SHOP_DEMO_DATA", "true"),
            ("SHOP_PAYMENT_PROVIDER", "off"),
        ]))
        .unwrap();
        assert_eq!(off.card_provider, CardProviderSetting::Off);
    }

    #[test]
    fn trusted_proxies_are_addresses_or_networks() {
        let c = Config::from_vars(vars(&[(
            "SHOP_TRUSTED_PROXIES",
            "127.0.0.1, 10.0.0.0/8,::1",
        )]))
        .unwrap();
        assert_eq!(c.trusted_proxies.len(), 3);
        assert!(c.trusted_proxies[1].contains(&"10.2.3.4".parse::<std::net::IpAddr>().unwrap()));
        assert!(c.trusted_proxies[0].contains(&"127.0.0.1".parse::<std::net::IpAddr>().unwrap()));
        assert!(!c.trusted_proxies[0].contains(&"127.0.0.2".parse::<std::net::IpAddr>().unwrap()));
        for bad in ["proxy.local", "10.0.0.0/40"] {
            let err = Config::from_vars(vars(&[("SHOP_TRUSTED_PROXIES", bad)])).unwrap_err();
            assert!(err.to_string().contains("SHOP_TRUSTED_PROXIES"), "{err}");
        }
        let err = Config::from_vars(vars(&[("SHOP_METRICS_TOKEN", "short")])).unwrap_err();
        assert!(err.to_string().contains("SHOP_METRICS_TOKEN"), "{err}");
    }

    #[test]
    fn invalid_values_name_the_setting() {
        for (name, value) in [
            ("SHOP_DB_MAX_CONNECTIONS", "zero"),
            ("SHOP_DB_MAX_CONNECTIONS", "0"),
            ("SHOP_ADDR", "localhost"),
            ("SHOP_DEMO_DATA", "maybe"),
            ("SHOP_LOG_FORMAT", "xml"),
            ("DATABASE_URL", "mysql://x"),
            ("SHOP_CURRENCY", "EURO"),
            ("SHOP_JOB_POLL_MS", "1"),
            ("SHOP_SMTP_URL", "mail.example.com"),
            ("SHOP_MAIL_FROM", "nobody"),
            ("SHOP_ADMIN_EMAIL", "root"),
        ] {
            let err = Config::from_vars(vars(&[(name, value)]))
                .unwrap_err()
                .to_string();
            assert!(err.contains(name), "{err}");
        }
    }

    #[test]
    fn environment_beats_file_and_file_beats_default() {
        let dir = std::env::temp_dir().join(format!("shop-config-{}", rand::random::<u64>()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("shop.toml");
        std::fs::write(
            &path,
            "store_name = \"From File\"\ndb_max_connections = 3\ndemo_data = true\n",
        )
        .unwrap();
        let c = Config::from_vars(vars(&[
            ("SHOP_CONFIG_FILE", path.to_str().unwrap()),
            ("SHOP_DB_MAX_CONNECTIONS", "7"),
        ]))
        .unwrap();
        assert_eq!(c.store_name, "From File");
        assert_eq!(c.db_max_connections, 7);
        assert!(c.demo_data);

        std::fs::write(&path, "colour = \"blue\"\n").unwrap();
        let err =
            Config::from_vars(vars(&[("SHOP_CONFIG_FILE", path.to_str().unwrap())])).unwrap_err();
        assert!(err.to_string().contains("colour"));
        std::fs::remove_dir_all(&dir).ok();
    }
}
