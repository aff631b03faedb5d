#!/usr/bin/env bash
# `make bench`: the catalog's figures on this machine, with 100,000 products (and the admin
# console's product and order lists with 100,000 products and 100,000 orders).
#
# Uses the release build (make build), a database and search index of its own under
# target/bench (generated once by `server generate`, kept for later runs), wrk for throughput
# and benches/loadgen.rs for latency at a fixed rate. Prints a table at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."

PRODUCTS=${BENCH_PRODUCTS:-100000}
SECONDS_EACH=${BENCH_SECONDS:-10}
CONCURRENCY=${BENCH_CONCURRENCY:-32}
DIR=target/bench
PORT=3099
BASE="http://127.0.0.1:$PORT"
export DATABASE_URL="sqlite://$DIR/shop.db" SHOP_DATA_DIR="$DIR" SHOP_ADDR="127.0.0.1:$PORT" \
  SHOP_LOG_FORMAT=json RUST_LOG=warn LEPTOS_ENV=PROD SHOP_JOB_WORKERS=1 \
  SHOP_ADMIN_EMAIL=bench-admin@example.com SHOP_ADMIN_PASSWORD=bench-admin-password-1
ORDERS_IN_HISTORY=${BENCH_HISTORY_ORDERS:-100000}

if ! command -v wrk >/dev/null; then
  echo "installing: Debian package wrk"
  SUDO=$( [ "$(id -u)" = 0 ] || echo sudo )
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq wrk
fi
# Building the benches rebuilds the server binary too: with cargo-leptos's output name, or the
# site `make build` made would load the wrong /pkg files (and the next build starts over).
export LEPTOS_OUTPUT_NAME=shop
cargo bench -p server --bench loadgen --bench checkouts --no-run -q 2>/dev/null || cargo bench -p server --bench loadgen --bench checkouts --no-run
LOADGEN=$(ls -t target/release/deps/loadgen-* | grep -v '\.d$' | head -1)
CHECKOUTS=$(ls -t target/release/deps/checkouts-* | grep -v '\.d$' | head -1)

mkdir -p "$DIR"
# BENCH_ONLY=checkout skips the catalog half (and its 100,000-product generation).
ONLY=${BENCH_ONLY:-all}
if [ "$ONLY" != checkout ] && [ ! -f "$DIR/.generated-$PRODUCTS" ]; then
  echo "generating $PRODUCTS products (once; kept in $DIR)"
  rm -rf "$DIR"/shop.db* "$DIR/search"
  target/release/server generate "$PRODUCTS"
  touch "$DIR/.generated-$PRODUCTS"
fi
if [ "$ONLY" != checkout ] && [ ! -f "$DIR/.generated-orders-$ORDERS_IN_HISTORY" ]; then
  echo "generating $ORDERS_IN_HISTORY past orders (once; kept in $DIR)"
  target/release/server generate-orders "$ORDERS_IN_HISTORY"
  touch "$DIR/.generated-orders-$ORDERS_IN_HISTORY"
fi

SERVER_PID=
stop_server() {
  if [ -n "$SERVER_PID" ]; then kill -TERM "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  SERVER_PID=
}
trap stop_server EXIT

# Starts the server (page cache TTL $1); sets STARTUP_MS to the milliseconds from spawn to the
# first 200 of a category page.
start_server() {
  local t0 t1
  t0=$(date +%s%N)
  SHOP_PAGE_CACHE_SECS=$1 target/release/server >"$DIR/server.log" 2>&1 &
  SERVER_PID=$!
  until curl -sf -o /dev/null "$BASE/categories/sneakers"; do
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$DIR/server.log"; exit 1; }
    sleep 0.005
  done
  t1=$(date +%s%N)
  STARTUP_MS=$(( (t1 - t0) / 1000000 ))
}

peak_mb() { awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVER_PID/status"; }

# wrk: requests/s and p99 (ms) at fixed concurrency.
wrk_run() {
  local out rps p99
  out=$(wrk -t2 -c"$CONCURRENCY" -d"${SECONDS_EACH}s" --latency "$1")
  rps=$(awk '/Requests\/sec/ { printf "%.0f", $2 }' <<<"$out")
  p99=$(awk '$1 == "99%" { v=$2; if (v ~ /us$/) { sub(/us/,"",v); v=v/1000 } else if (v ~ /ms$/) { sub(/ms/,"",v) } else if (v ~ /s$/) { sub(/s/,"",v); v=v*1000 }; printf "%.2f", v }' <<<"$out")
  echo "$rps $p99"
}

field() { tr ' ' '\n' <<<"$2" | awk -F= -v k="$1" '$1 == k { print $2 }'; }

if [ "$ONLY" != checkout ]; then
echo "== start-up with the page cache off (every page rendered)"
start_server 0
startup_ms=$STARTUP_MS
CATEGORY="$BASE/categories/sneakers"
curl -sf "$CATEGORY" -o target/site/bench-category.html
read -r render_rps render_p99 < <(wrk_run "$CATEGORY")
read -r static_rps static_p99 < <(wrk_run "$BASE/bench-category.html")
# A department of 12,500 products sorted by price: its first page, and deep into it.
read -r first_rps first_p99 < <(wrk_run "$BASE/categories/shoes?sort=price_asc")
read -r deep_rps deep_p99 < <(wrk_run "$BASE/categories/shoes?sort=price_asc&page=400")
# Suggestions and searches over a mix of prefixes and typo'd queries.
printf '%s\n' sn sne snea sneak blak blac mug lamp "oak ch" wool "backp" tent cand > "$DIR/suggest.txt"
sed "s|^|$BASE/api/search/suggest?q=|; s| |+|g" "$DIR/suggest.txt" > "$DIR/suggest-urls.txt"
printf '%s\n' "blak sneakrs" "linen shirt" mug "wool blanket" "leather wallet" "copper lamp" tent \
  "northwind" "organic cotton t-shirt" "desk lamp" | sed "s|^|$BASE/search?q=|; s| |+|g" > "$DIR/search-urls.txt"
suggest=$("$LOADGEN" --urls-file "$DIR/suggest-urls.txt" --rate 200 --seconds "$SECONDS_EACH")
search=$("$LOADGEN" --urls-file "$DIR/search-urls.txt" --rate 50 --seconds "$SECONDS_EACH")
search_c=$("$LOADGEN" --urls-file "$DIR/search-urls.txt" --concurrency 8 --seconds "$SECONDS_EACH")
# The console's lists, signed in as an admin: first pages, filters, searches and deep pages.
ADMIN_COOKIE=$(curl -s -o /dev/null -c - -H 'accept: application/json' \
  --data 'email=bench-admin@example.com&password=bench-admin-password-1' "$BASE/api/account/sign-in" \
  | awk '$6 == "shop_session" { print "shop_session=" $7 }')
OLD_MS=$(( ($(date +%s) - 200 * 86400) * 1000 ))
printf '%s\n' "/admin/products" "/admin/products?status=draft" "/admin/products?q=linen" "/admin/products?q=oak+chair" \
  "/admin/products?after=${OLD_MS}_Z" "/admin/products?status=active&after=${OLD_MS}_Z" | sed "s|^|$BASE|" > "$DIR/admin-products.txt"
printf '%s\n' "/admin/orders" "/admin/orders?status=shipped" "/admin/orders?q=buyer42%40example.com" "/admin/orders?q=%2351234" \
  "/admin/orders?after=${OLD_MS}_Z" "/admin/orders?method=bank_transfer&from=2026-01-01&to=2026-06-30" | sed "s|^|$BASE|" > "$DIR/admin-orders.txt"
admin_products=$("$LOADGEN" --urls-file "$DIR/admin-products.txt" --concurrency 4 --seconds "$SECONDS_EACH" --cookie "$ADMIN_COOKIE")
admin_orders=$("$LOADGEN" --urls-file "$DIR/admin-orders.txt" --concurrency 4 --seconds "$SECONDS_EACH" --cookie "$ADMIN_COOKIE")
peak_nocache=$(peak_mb)
stop_server

echo "== with the page cache on (the default)"
start_server 30
startup_cached_ms=$STARTUP_MS
read -r cached_rps cached_p99 < <(wrk_run "$CATEGORY")
peak_cache=$(peak_mb)
stop_server
rm -f target/site/bench-category.html
fi

# Checkouts: a shop of its own with the demo data, on SQLite (synchronous=FULL, as always) and,
# where it is reachable, PostgreSQL; each placed order is one POST /api/checkout/place.
# BENCH_CHECKOUT_SERVER runs another build of the server instead (an A/B against an earlier
# commit's binary: the load generator speaks plain HTTP to either).
ORDERS=${BENCH_ORDERS:-4000}
CHECKOUT_CONCURRENCY=${BENCH_CHECKOUT_CONCURRENCY:-8}
checkout_run() {
  local url=$1
  DATABASE_URL=$url SHOP_DATA_DIR="$DIR/checkout-data" SHOP_DEMO_DATA=true SHOP_PAGE_CACHE_SECS=0 SHOP_ORDER_RATE_LIMIT=0 \
    "${BENCH_CHECKOUT_SERVER:-target/release/server}" >"$DIR/checkout-server.log" 2>&1 &
  SERVER_PID=$!
  until curl -sf -o /dev/null "$BASE/readyz"; do
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$DIR/checkout-server.log"; exit 1; }
    sleep 0.05
  done
  "$CHECKOUTS" --base "$BASE" --database "$url" --orders "$ORDERS" --concurrency "$CHECKOUT_CONCURRENCY"
  stop_server
}
echo "== checkouts on SQLite"
rm -rf "$DIR/checkout.db"* "$DIR/checkout-data"
checkout_sqlite=$(checkout_run "sqlite://$DIR/checkout.db")
checkout_pg="checkouts=0 rps=n/a p50_ms=n/a p99_ms=n/a errors=PostgreSQL-not-reachable"
if (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null && command -v psql >/dev/null; then
  echo "== checkouts on PostgreSQL"
  psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS shop_bench WITH (FORCE)" -c "CREATE DATABASE shop_bench" postgres
  rm -rf "$DIR/checkout-data"
  checkout_pg=$(checkout_run "postgres://postgres@127.0.0.1:5432/shop_bench")
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
products=$(sqlite3 "$DIR/shop.db" "SELECT COUNT(*) FROM products" 2>/dev/null || echo "$PRODUCTS")
if [ "$ONLY" != checkout ]; then
cat <<REPORT

Catalog benchmark: $products products, SQLite, $(nproc) cores, wrk -c$CONCURRENCY for ${SECONDS_EACH}s each
| measure                                           | figure              | goal              |
|---------------------------------------------------|---------------------|-------------------|
| category page, rendered every time (cache off)    | $render_rps req/s, p99 $render_p99 ms | |
| the same bytes as a static file                   | $static_rps req/s, p99 $static_p99 ms | |
| rendered / static                                 | $(ratio "$render_rps" "$static_rps")               | >= 0.5            |
| department page 1 of 521, by price (cache off)    | $first_rps req/s, p99 $first_p99 ms | |
| department page 400 of 521, by price (cache off)  | $deep_rps req/s, p99 $deep_p99 ms | |
| category page with the page cache (default)       | $cached_rps req/s, p99 $cached_p99 ms | |
| cached / static                                   | $(ratio "$cached_rps" "$static_rps")               | >= 0.5            |
| autosuggest at 200 req/s                          | p99 $(field p99_ms "$suggest") ms (p50 $(field p50_ms "$suggest"), errors $(field errors "$suggest")) | p99 <= 10 ms |
| search results page at 50 req/s                   | p99 $(field p99_ms "$search") ms (p50 $(field p50_ms "$search"), errors $(field errors "$search")) | p99 <= 30 ms |
| search results page, 8 in flight                  | $(field rps "$search_c") req/s, p99 $(field p99_ms "$search_c") ms | |
| start-up to first 200 (category page)             | $startup_ms ms (cache on: $startup_cached_ms ms) | < 1000 ms |
| console product list, $products products, 4 in flight | $(field rps "$admin_products") req/s, p50 $(field p50_ms "$admin_products") ms, p99 $(field p99_ms "$admin_products") ms, errors $(field errors "$admin_products") | |
| console order list, $ORDERS_IN_HISTORY orders, 4 in flight | $(field rps "$admin_orders") req/s, p50 $(field p50_ms "$admin_orders") ms, p99 $(field p99_ms "$admin_orders") ms, errors $(field errors "$admin_orders") | |
| server peak memory (VmHWM)                        | $peak_nocache MB (cache run: $peak_cache MB) | |
REPORT
fi
cat <<REPORT

Checkout benchmark: $ORDERS orders placed, $CHECKOUT_CONCURRENCY in flight, demo shop, one POST /api/checkout/place each
| engine                               | checkouts/s | p50      | p99      | errors | goal                     |
|--------------------------------------|-------------|----------|----------|--------|--------------------------|
| SQLite (WAL, synchronous=FULL)       | $(field rps "$checkout_sqlite") | $(field p50_ms "$checkout_sqlite") ms | $(field p99_ms "$checkout_sqlite") ms | $(field errors "$checkout_sqlite") | >= 500/s, p99 <= 50 ms |
| PostgreSQL (local, default settings) | $(field rps "$checkout_pg") | $(field p50_ms "$checkout_pg") ms | $(field p99_ms "$checkout_pg") ms | $(field errors "$checkout_pg") | |
REPORT
