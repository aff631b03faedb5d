# The shop's two set-up commands are `make run` and `make test` (see README.md).
# Every install step checks first and says what it installs, so running them again is cheap.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

CARGO_LEPTOS_VERSION := 0.3.8
WASM_BINDGEN_VERSION := 0.2.129
TRUNK_VERSION := 0.21.14
CARGO_DENY_VERSION := 0.20.2
SQLMAP_VERSION := 1.10.10
# The RustSec advisory database, as a snapshot beside the project (no network needed).
ADVISORY_BUNDLE ?= ../shared/advisory-db.bundle
# Where cargo-deny looks for it (deny.toml's db-path, under the name it derives from the URL).
ADVISORY_DB := target/advisory-db/advisory-db-3157b0e258782691
SCAN_TOOLS := $(HOME)/.cache/shop-tools
POSTGRES_TEST_URL ?= postgres://postgres@127.0.0.1:5432/postgres

export PATH := $(CURDIR)/end2end/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

.PHONY: help run dev build bench lighthouse test test-rust test-e2e tools rust-tools node-tools chromium clean-test-dbs fmt lint audit scan audit-tools scan-tools

help:
	@echo "make run    build and start the shop on http://127.0.0.1:3000 (SQLite, demo data)"
	@echo "make test   install what tests need, run Rust tests (SQLite, and PostgreSQL if reachable)"
	@echo "            and the end-to-end specs in headless Chromium"
	@echo "make dev    rebuild and reload on every change (cargo leptos watch --split)"
	@echo "make bench  catalog benchmark with 100,000 products (server/benches/run.sh)"
	@echo "make lighthouse  Lighthouse (mobile) on the home, category, product, cart and checkout pages"
	@echo "make audit  dependencies against the RustSec advisories, licences and bans (cargo-deny, offline)"
	@echo "make scan   sqlmap against the search, listing, sign-in and checkout forms of a local shop"

## Tools ---------------------------------------------------------------------------------------

tools: rust-tools node-tools

rust-tools:
	@if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then \
	  echo "installing: Rust target wasm32-unknown-unknown"; rustup target add wasm32-unknown-unknown; fi
	@if [ "$$(cargo leptos --version 2>/dev/null)" != "cargo-leptos $(CARGO_LEPTOS_VERSION)" ]; then \
	  echo "installing: cargo-leptos $(CARGO_LEPTOS_VERSION) (about 15 minutes on 2 cores, once)"; \
	  cargo install cargo-leptos --version $(CARGO_LEPTOS_VERSION) --locked --features no_downloads; fi
	@if [ "$$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $(WASM_BINDGEN_VERSION)" ]; then \
	  echo "installing: wasm-bindgen-cli $(WASM_BINDGEN_VERSION) (must equal the wasm-bindgen pin in Cargo.toml)"; \
	  cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --locked; fi
	@if [ "$$(trunk --version 2>/dev/null)" != "trunk $(TRUNK_VERSION)" ]; then \
	  echo "installing: trunk $(TRUNK_VERSION) (builds the service worker; about 7 minutes, once)"; \
	  cargo install trunk --version $(TRUNK_VERSION) --locked; fi

# wasm-opt (npm binaryen), Playwright and axe-core, from the committed lockfile.
node-tools:
	@if [ ! -x end2end/node_modules/.bin/wasm-opt ] || [ ! -d end2end/node_modules/@axe-core/playwright ] \
	   || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then \
	  echo "installing: node packages for end2end (npm ci: binaryen, @playwright/test, @axe-core/playwright)"; \
	  (cd end2end && npm ci --no-audit --no-fund); fi

# Debian's Chromium: Playwright cannot download a browser here.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "installing: Debian package chromium"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium; fi

## Build and run -------------------------------------------------------------------------------

# cargo-leptos builds the app into target/site (emptying it first), the browser code split into
# a main module and chunks per area (app/src/shell/pages.rs); then Trunk builds the
# service worker and its files are copied in: /sw.js at the root (its scope), the rest in /sw/.
# Last, brotli and gzip copies of /pkg and /sw files, which the server sends as they are.
build: tools
	cargo leptos build --release --split
	trunk build --release
	rm -rf target/site/sw && mkdir -p target/site/sw
	cp target/sw-dist/sw.js target/site/sw.js
	cp target/sw-dist/service-worker* target/site/sw/
	node frontend/precompress.mjs target/site/pkg target/site/sw

run: build
	@echo "starting the shop on http://localhost:3000 (also http://127.0.0.1:3000, without passkeys; Ctrl-C stops it gracefully)"
	@echo "demo admin: admin@demo-shop.example / demo-admin-password; two-step key DEMOSHOPADMINKEYDEMOSHOPADMINKEY"
	@echo "  (add it to an authenticator app, or run 'SHOP_DEMO_DATA=true target/release/server demo-code' for the current code)"
	@echo "demo seller: seller@demo-shop.example / demo-seller-password (same two-step key); seller dashboard at /vendor"
	SHOP_DEMO_DATA=$${SHOP_DEMO_DATA:-true} SHOP_MAIL_DIR=$${SHOP_MAIL_DIR:-data/mail} LEPTOS_ENV=PROD exec target/release/server

# Figures for the catalog (see server/benches/run.sh; the 100,000 products are generated once).
bench: build
	server/benches/run.sh

# Lighthouse's mobile scores for the home and a product page (end2end/lighthouse.sh).
lighthouse: build chromium
	end2end/lighthouse.sh

dev: tools
	SHOP_DEMO_DATA=$${SHOP_DEMO_DATA:-true} cargo leptos watch --split

## Tests ---------------------------------------------------------------------------------------

# PostgreSQL half: on when a server answers at 127.0.0.1:5432 (or POSTGRES_TEST_URL).
PG_UP = $(shell (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null && echo yes)

test: chromium tools audit test-rust build test-e2e scan
	@echo "make test: all green"

## Security checks -----------------------------------------------------------------------------

audit-tools:
	@if [ "$$(cargo deny --version 2>/dev/null)" != "cargo-deny $(CARGO_DENY_VERSION)" ]; then \
	  echo "installing: cargo-deny $(CARGO_DENY_VERSION) (about 10 minutes on 2 cores, once)"; \
	  cargo install cargo-deny --version $(CARGO_DENY_VERSION) --locked; fi
	@if [ ! -d "$(ADVISORY_DB)/.git" ]; then \
	  echo "cloning the advisory database snapshot ($(ADVISORY_BUNDLE))"; \
	  mkdir -p "$$(dirname "$(ADVISORY_DB)")"; git clone -q "$(ADVISORY_BUNDLE)" "$(ADVISORY_DB)"; \
	else git -C "$(ADVISORY_DB)" pull -q --ff-only 2>/dev/null || true; fi

# Offline: the snapshot is the database (ignored advisories and their reasons are in deny.toml).
audit: audit-tools
	cargo deny --offline --all-features check advisories licenses bans sources

# sqlmap from PyPI in a virtual environment of its own.
scan-tools:
	@if [ "$$($(SCAN_TOOLS)/venv/bin/sqlmap --version 2>/dev/null | cut -d'#' -f1)" != "$(SQLMAP_VERSION)" ]; then \
	  echo "installing: sqlmap $(SQLMAP_VERSION) from PyPI into $(SCAN_TOOLS)/venv"; \
	  python3 -m venv "$(SCAN_TOOLS)/venv" && "$(SCAN_TOOLS)/venv/bin/pip" install -q "sqlmap==$(SQLMAP_VERSION)"; fi

# Needs the release build (make build); starts its own shop on a free port.
scan: scan-tools
	SQLMAP="$(SCAN_TOOLS)/venv/bin/sqlmap" end2end/scan.sh

test-rust: clean-test-dbs
	@if [ "$(PG_UP)" = yes ]; then \
	  echo "Rust tests on SQLite and PostgreSQL ($(POSTGRES_TEST_URL))"; \
	  export SHOP_TEST_POSTGRES_URL="$(POSTGRES_TEST_URL)"; \
	else \
	  echo "Rust tests on SQLite only: PostgreSQL is not reachable on 127.0.0.1:5432"; \
	fi; \
	if command -v cargo-nextest >/dev/null; then \
	  cargo nextest run --workspace --exclude frontend --features app/ssr; \
	else \
	  echo "cargo-nextest not found: running the tests one at a time with cargo test"; \
	  cargo test --workspace --exclude frontend --features app/ssr -- --test-threads=1; \
	fi

test-e2e: chromium node-tools
	end2end/run.sh

# Test databases left behind by an interrupted run.
clean-test-dbs:
	@if [ "$(PG_UP)" = yes ] && command -v psql >/dev/null; then \
	  for db in $$(psql "$(POSTGRES_TEST_URL)" -Atc "SELECT datname FROM pg_database WHERE datname LIKE 'shop_test_%'" 2>/dev/null); do \
	    psql "$(POSTGRES_TEST_URL)" -qc "DROP DATABASE IF EXISTS \"$$db\" WITH (FORCE)" >/dev/null 2>&1 || true; done; fi

fmt:
	cargo fmt --all

lint:
	cargo clippy --workspace --exclude frontend --features app/ssr -- -D warnings
