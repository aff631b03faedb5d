//! The shape of `app/src` stays a layered graph: reading every `crate::<domain>` path in the
//! source (outside `#[cfg(test)]` modules), no domain may reach, directly or through others,
//! back to itself; `platform` and the `ui` kit may name no domain at all; and nothing but the
//! route table (`shell`) and the composition root (`assembly`) may name `assembly` or `shell`.
//! And every table is written from the files listed for it in `WRITERS`, all in one domain.
//! See ARCHITECTURE.md, "Layers" and "Who writes which table".

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Folders that sit below every domain: they may import none.
const FOUNDATIONS: [&str; 2] = ["platform", "ui"];
/// Folders at the top: only each other may import them.
const TOP: [&str; 2] = ["assembly", "shell"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("app/src is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The text of a source file without its `#[cfg(test)]` module (tests may reach anywhere).
fn production_code(text: &str) -> &str {
    text.split("#[cfg(test)]").next().unwrap_or(text)
}

/// The domains named by `crate::<name>` paths in `text`.
fn named_domains<'a>(text: &'a str, domains: &BTreeSet<String>) -> BTreeSet<&'a str> {
    let mut found = BTreeSet::new();
    let mut rest = text;
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().next_back();
        let after = &rest[at + "crate::".len()..];
        let name_len = after
            .find(|c: char| !(c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit()))
            .unwrap_or(after.len());
        let name = &after[..name_len];
        // `shop_crate::x` or `$crate::x` are not ours.
        let ours = !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$');
        if ours && domains.contains(name) {
            found.insert(name);
        }
        rest = &after[name_len..];
    }
    found
}

/// domain -> (imported domain -> the files that import it).
fn import_graph() -> BTreeMap<String, BTreeMap<String, BTreeSet<String>>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let domains: BTreeSet<String> = std::fs::read_dir(&src)
        .expect("app/src")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let mut graph: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = domains
        .iter()
        .map(|d| (d.clone(), BTreeMap::new()))
        .collect();
    for domain in &domains {
        let mut files = Vec::new();
        rust_files(&src.join(domain), &mut files);
        for file in files {
            let text = std::fs::read_to_string(&file).expect("a readable source file");
            let shown = file
                .strip_prefix(&src)
                .unwrap_or(&file)
                .display()
                .to_string();
            for target in named_domains(production_code(&text), &domains) {
                if target != domain {
                    graph
                        .get_mut(domain)
                        .expect("every domain has an entry")
                        .entry(target.to_owned())
                        .or_default()
                        .insert(shown.clone());
                }
            }
        }
    }
    graph
}

/// One path of imports from `from` back to itself, if there is one.
fn cycle_through(
    graph: &BTreeMap<String, BTreeMap<String, BTreeSet<String>>>,
    from: &str,
) -> Option<Vec<String>> {
    fn walk(
        graph: &BTreeMap<String, BTreeMap<String, BTreeSet<String>>>,
        start: &str,
        at: &str,
        path: &mut Vec<String>,
        seen: &mut BTreeSet<String>,
    ) -> bool {
        for next in graph[at].keys() {
            if next == start {
                path.push(next.clone());
                return true;
            }
            if seen.insert(next.clone()) {
                path.push(next.clone());
                if walk(graph, start, next, path, seen) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    let mut path = vec![from.to_owned()];
    let mut seen = BTreeSet::new();
    walk(graph, from, from, &mut path, &mut seen).then_some(path)
}

#[test]
fn domains_import_each_other_without_cycles() {
    let graph = import_graph();
    assert!(graph.len() > 10, "the domains of app/src were found");
    let cycles: Vec<String> = graph
        .keys()
        .filter_map(|d| cycle_through(&graph, d))
        .map(|path| {
            let steps: Vec<String> = path
                .windows(2)
                .map(|w| {
                    let files = &graph[&w[0]][&w[1]];
                    format!("{} -> {} (in {})", w[0], w[1], files.iter().next().unwrap())
                })
                .collect();
            steps.join(", ")
        })
        .collect();
    assert!(
        cycles.is_empty(),
        "domains import each other in a circle; move the shared piece down a layer or invert \
         the call (an event, a port, a context slot):\n{}",
        cycles.join("\n")
    );
}

#[test]
fn foundations_know_no_domain_and_nothing_imports_the_top() {
    let graph = import_graph();
    let mut wrong = Vec::new();
    for base in FOUNDATIONS {
        for (target, files) in &graph[base] {
            if !FOUNDATIONS.contains(&target.as_str()) || base == "platform" {
                wrong.push(format!("{base} imports {target} (in {files:?})"));
            }
        }
    }
    for (domain, targets) in &graph {
        if TOP.contains(&domain.as_str()) {
            continue;
        }
        for top in TOP {
            if let Some(files) = targets.get(top) {
                wrong.push(format!("{domain} imports {top} (in {files:?})"));
            }
        }
    }
    assert!(wrong.is_empty(), "layering broken:\n{}", wrong.join("\n"));
}

#[test]
fn the_checker_sees_paths_and_cycles() {
    let domains: BTreeSet<String> = ["orders", "payments", "platform"]
        .into_iter()
        .map(String::from)
        .collect();
    let text = "use crate::orders::x; fn f() { crate::payments::y(); shop_crate::platform::z; }";
    assert_eq!(
        named_domains(text, &domains),
        BTreeSet::from(["orders", "payments"])
    );
    let mut graph: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    graph.insert(
        "orders".into(),
        BTreeMap::from([("payments".into(), BTreeSet::from(["a.rs".to_owned()]))]),
    );
    graph.insert(
        "payments".into(),
        BTreeMap::from([("orders".into(), BTreeSet::from(["b.rs".to_owned()]))]),
    );
    graph.insert("platform".into(), BTreeMap::new());
    assert_eq!(
        cycle_through(&graph, "orders"),
        Some(vec!["orders".into(), "payments".into(), "orders".into()])
    );
    assert_eq!(cycle_through(&graph, "platform"), None);
}

#[test]
fn paths_match_the_route_table() {
    use shop_types::paths;
    let routes =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/shell/mod.rs"))
            .expect("the route table");
    // Prefixes of pages with one parameter.
    for prefix in [
        paths::PRODUCTS,
        paths::CATEGORIES,
        paths::COLLECTIONS,
        paths::ORDERS,
    ] {
        assert!(
            routes.contains(&format!("path!(\"{prefix}:")),
            "no route starts with {prefix}"
        );
    }
    for page in [
        paths::SEARCH,
        paths::CART,
        paths::CHECKOUT,
        paths::ACCOUNT,
        paths::SIGN_IN,
        paths::SECOND_STEP,
        paths::TWO_STEP_SETUP,
        paths::SECURE_ACCOUNT,
        paths::NEW_RECOVERY_CODES,
        paths::DELETE_ACCOUNT,
        paths::ACCOUNT_DELETED,
        paths::ADMIN,
    ] {
        assert!(
            routes.contains(&format!("path!(\"{page}\")")),
            "no route for {page}"
        );
    }
    assert!(routes.contains(&format!("path!(\"{}/:id\")", paths::TESTPAY)));
}

#[test]
fn the_workers_endpoints_are_the_server_functions_addresses() {
    use server_fn::ServerFn;
    use shop_types::paths::api;
    assert_eq!(<app::cart::AddToCart as ServerFn>::PATH, api::CART_ADD);
    assert_eq!(
        <app::catalog::favourites::ToggleFavourite as ServerFn>::PATH,
        api::FAVOURITE_TOGGLE
    );
    assert_eq!(<app::account::SignOut as ServerFn>::PATH, api::SIGN_OUT);
    assert_eq!(
        <app::account::SignOutEverywhere as ServerFn>::PATH,
        api::SIGN_OUT_EVERYWHERE
    );
    assert_eq!(
        <app::offline::SyncOfflineChanges as ServerFn>::PATH,
        api::OFFLINE_SYNC
    );
}

/// Who may write each table: its domain's store (ARCHITECTURE.md, "Who writes which table").
/// A new table, or a new file writing one, must be added here on purpose.
const WRITERS: &[(&str, &[&str])] = &[
    ("account_tokens", &["account/account_service.rs"]),
    ("addresses", &["account/address_book.rs"]),
    ("analytics_events", &["analytics/recorder.rs"]),
    ("app_meta", &["platform/meta.rs"]),
    ("cart_lines", &["cart/cart_service.rs"]),
    ("carts", &["cart/cart_service.rs"]),
    ("categories", &["catalog/category_store.rs"]),
    ("checkouts", &["checkout/checkout_service.rs"]),
    ("collection_products", &["catalog/collection_store.rs"]),
    ("collections", &["catalog/collection_store.rs"]),
    ("counters", &["orders/numbers.rs"]),
    ("data_keys", &["platform/vault.rs"]),
    ("privacy_requests", &["privacy/request_store.rs"]),
    ("consent_records", &["privacy/consents.rs"]),
    ("coupon_customer_uses", &["coupons/rules.rs"]),
    ("coupons", &["coupons/rules.rs"]),
    ("favourites", &["catalog/favourites/store.rs"]),
    ("import_errors", &["catalog/csv/import_service.rs"]),
    ("imports", &["catalog/csv/import_service.rs"]),
    ("jobs", &["platform/jobs.rs"]),
    ("csp_reports", &["csp_reports/store.rs"]),
    ("audit_log", &["audit/store.rs"]),
    ("audit_log_anchor", &["audit/store.rs"]),
    ("retention_periods", &["settings/settings_service.rs"]),
    ("mailbox", &["email/delivery.rs"]),
    ("vendors", &["vendors/vendor_store.rs"]),
    ("vendor_members", &["vendors/vendor_store.rs"]),
    ("vendor_status_history", &["vendors/vendor_store.rs"]),
    ("vendor_invitations", &["vendors/vendor_store.rs"]),
    (
        "newsletter_subscriptions",
        &["marketing/newsletter_service.rs"],
    ),
    ("offline_changes", &["offline/offline_sync.rs"]),
    ("order_events", &["orders/order_store.rs"]),
    ("order_lines", &["orders/order_store.rs"]),
    ("order_risk", &["fraud/risk_store.rs"]),
    ("order_notes", &["orders/workbench.rs"]),
    ("orders", &["orders/order_store.rs"]),
    ("payments", &["payments/payment_service.rs"]),
    ("product_attributes", &["catalog/product_store.rs"]),
    ("product_images", &["catalog/product_store.rs"]),
    ("product_tags", &["catalog/product_store.rs"]),
    ("products", &["catalog/product_store.rs"]),
    ("push_subscriptions", &["push/push_service.rs"]),
    ("rate_limits", &["platform/rate_limit.rs"]),
    ("refunds", &["orders/order_store.rs"]),
    ("search_synonyms", &["search/synonyms.rs"]),
    ("sessions", &["identity/sessions.rs"]),
    ("known_devices", &["identity/devices.rs"]),
    ("sign_in_challenges", &["identity/factors.rs"]),
    ("recovery_codes", &["identity/factors.rs"]),
    ("totp_factors", &["identity/factors.rs"]),
    ("passkeys", &["identity/passkeys.rs"]),
    ("passkey_ceremonies", &["identity/passkeys.rs"]),
    ("shipment_lines", &["orders/order_store.rs"]),
    ("shipments", &["orders/order_store.rs"]),
    (
        "shipping_rates",
        &["settings/defaults.rs", "settings/settings_service.rs"],
    ),
    (
        "shipping_zones",
        &["settings/defaults.rs", "settings/settings_service.rs"],
    ),
    ("staff_permissions", &["identity/users.rs"]),
    ("stock_levels", &["catalog/stock_ledger.rs"]),
    ("stock_locations", &["catalog/stock_ledger.rs"]),
    ("stock_movements", &["catalog/stock_ledger.rs"]),
    ("stores", &["settings/settings_service.rs"]),
    (
        "tax_rates",
        &["settings/defaults.rs", "settings/settings_service.rs"],
    ),
    ("testpay_intents", &["payments/test_provider.rs"]),
    ("users", &["identity/users.rs"]),
    (
        "variants",
        &["catalog/product_store.rs", "catalog/stock_ledger.rs"],
    ),
    ("webhook_events", &["payments/payment_service.rs"]),
];

/// The tables a file's production code writes (`INSERT INTO t`, `UPDATE t`, `DELETE FROM t`).
fn written_tables(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for verb in ["INSERT INTO ", "UPDATE ", "DELETE FROM "] {
        let mut rest = text;
        while let Some(at) = rest.find(verb) {
            let after = &rest[at + verb.len()..];
            let len = after
                .find(|c: char| !(c.is_ascii_lowercase() || c == '_'))
                .unwrap_or(after.len());
            if len > 0 {
                found.insert(after[..len].to_owned());
            }
            rest = &after[len..];
        }
    }
    found
}

#[test]
fn each_table_is_written_by_its_domains_store_only() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut actual: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable source");
        let name = file
            .strip_prefix(&src)
            .expect("inside app/src")
            .to_string_lossy()
            .replace('\\', "/");
        for table in written_tables(production_code(&text)) {
            actual.entry(table).or_default().insert(name.clone());
        }
    }
    let expected: BTreeMap<String, BTreeSet<String>> = WRITERS
        .iter()
        .map(|(table, files)| {
            let files: BTreeSet<String> = files.iter().map(|f| f.to_string()).collect();
            (table.to_string(), files)
        })
        .collect();
    for (table, files) in &expected {
        let domains: BTreeSet<&str> = files
            .iter()
            .map(|f| f.split('/').next().unwrap_or(f))
            .collect();
        assert_eq!(
            domains.len(),
            1,
            "{table} is written from several domains: {files:?}"
        );
    }
    assert_eq!(
        actual, expected,
        "a table is written outside its store (or a new table has no entry in WRITERS)"
    );
}

#[test]
fn the_table_checker_sees_every_kind_of_write() {
    let text = "sqlx::query(\"INSERT INTO orders (id) VALUES ($1)\"); \
                \"UPDATE variants SET stock = 1\"; \"DELETE FROM cart_lines WHERE x\"; \
                \"SELECT * FROM products\"";
    let tables: Vec<String> = written_tables(text).into_iter().collect();
    assert_eq!(tables, ["cart_lines", "orders", "variants"]);
}
