#!/usr/bin/env bash
# Lighthouse on the home, a category, a product, the cart and the checkout page with its mobile settings (simulated slow 4G and a
# 4x slower CPU), against the release build on a fresh database. Prints the performance and
# best-practices scores and keeps the JSON reports in end2end/lighthouse/. Lighthouse is
# installed once into target/lighthouse (it is not needed by `make test`).
set -euo pipefail
cd "$(dirname "$0")/.."

LIGHTHOUSE_VERSION=13.5.0
tool=target/lighthouse/node_modules/.bin/lighthouse
if [ ! -x "$tool" ] || ! grep -q "\"version\": \"$LIGHTHOUSE_VERSION\"" target/lighthouse/node_modules/lighthouse/package.json 2>/dev/null; then
  echo "installing: lighthouse $LIGHTHOUSE_VERSION (npm, into target/lighthouse)"
  mkdir -p target/lighthouse
  npm install --prefix target/lighthouse --no-save --no-audit --no-fund "lighthouse@$LIGHTHOUSE_VERSION" >/dev/null
fi

bin=target/release/server
[ -x "$bin" ] || { echo "lighthouse: $bin is missing; run 'make build' first" >&2; exit 1; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
workdir=$(mktemp -d)
pid=""
cleanup() {
  [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$workdir"
}
trap cleanup EXIT INT TERM
SHOP_ADDR="127.0.0.1:$port" DATABASE_URL="sqlite://$workdir/shop.db" SHOP_DATA_DIR="$workdir/data" \
SHOP_DEMO_DATA=true LEPTOS_SITE_ROOT=target/site LEPTOS_ENV=PROD RUST_LOG=warn \
  "$bin" >"$workdir/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done

base="http://127.0.0.1:$port"
product=$(curl -fsS "$base/" | grep -o 'href="/products/[^"]*"' | head -n1 | cut -d'"' -f2)
mkdir -p end2end/lighthouse
category=$(curl -fsS "$base/" | grep -o 'href="/categories/[^"]*"' | head -n1 | cut -d'"' -f2)
for page in "/" "$category" "$product" "/cart" "/checkout"; do
  # Warm the server's page cache and the pictures' resized copies first, as a shop in use has.
  curl -fsS "$base$page" >/dev/null
  case "$page" in
    /) name=home ;;
    /categories/*) name=category ;;
    /products/*) name=product ;;
    *) name=${page#/} ;;
  esac
  CHROME_PATH=/usr/bin/chromium "$tool" "$base$page" --quiet \
    --only-categories=performance,best-practices \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --no-first-run" \
    --output=json --output-path="end2end/lighthouse/$name.json"
  node -e '
    const r = require(process.argv[1]);
    const c = r.categories, a = r.audits;
    const ms = (k) => Math.round(a[k].numericValue);
    console.log(`${process.argv[2]}: performance ${Math.round(c.performance.score*100)}, best practices ${Math.round(c["best-practices"].score*100)}` +
      ` (FCP ${ms("first-contentful-paint")} ms, LCP ${ms("largest-contentful-paint")} ms, TBT ${ms("total-blocking-time")} ms, CLS ${a["cumulative-layout-shift"].numericValue.toFixed(3)})`);
    for (const [id, audit] of Object.entries(a)) {
      if (audit.score !== null && audit.score < 0.9 && r.categories["best-practices"].auditRefs.some((x) => x.id === id && x.weight > 0))
        console.log(`  best practices: ${id}: ${audit.title}`);
    }
  ' "$PWD/end2end/lighthouse/$name.json" "$name $page"
done
