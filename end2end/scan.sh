#!/usr/bin/env bash
# `make scan`: sqlmap against the forms and query parameters a stranger can reach (search,
# category listings, sign-in, the checkout's details and order forms) of a local shop started
# from the release build. Fails if sqlmap finds any injection point, or if it could not test.
set -euo pipefail
cd "$(dirname "$0")/.."

sqlmap="${SQLMAP:?set SQLMAP to the sqlmap command (make scan does)}"
. end2end/lib/shop.sh
new_shop
# Limits that would answer sqlmap's hundreds of requests with 429 are lifted for the scan.
start_shop SHOP_SIGN_IN_IP_LIMIT=100000 SHOP_REGISTER_IP_LIMIT=100000 SHOP_ORDER_RATE_LIMIT=0 \
  SHOP_CLIENT_CONCURRENCY=1000 SHOP_PAGE_CACHE_SECS=0
base="http://127.0.0.1:$port"

# A category to list, and a guest cart with something in it for the checkout forms.
category=$(curl -fsS "$base/" | grep -o 'href="/categories/[a-z0-9-]*"' | head -n1 | cut -d'"' -f2)
variant=$(curl -fsS "$base$(curl -fsS "$base$category" | grep -o 'href="/products/[a-z0-9-]*"' | head -n1 | cut -d'"' -f2)" \
  | grep -o 'name="variant_id" value="[a-z0-9]*"' | head -n1 | cut -d'"' -f4)
cart=$(curl -fsS -D - -o /dev/null -H 'accept: application/json' \
  --data "variant_id=$variant&quantity=1" "$base/api/cart/add" \
  | grep -io '^set-cookie: shop_cart=[^;]*' | cut -d' ' -f2)
[ -n "$category" ] && [ -n "$variant" ] && [ -n "$cart" ] || {
  echo "scan: could not prepare a category, a product and a cart" >&2; exit 1; }

found=0
untested=0
scan() {
  local name=$1; shift
  local out="$workdir/sqlmap-$name.log"
  echo "scan: $name"
  "$sqlmap" --batch --disable-coloring --flush-session --output-dir="$workdir/sqlmap" \
    --dbms=SQLite --level=1 --risk=1 --technique=BEUT --time-sec=2 --threads=2 \
    --ignore-code=400,401,403,404,409,413,422,429 "$@" >"$out" 2>&1 || true
  if grep -q "identified the following injection point" "$out"; then
    echo "scan: $name is INJECTABLE:" >&2
    sed -n '/identified the following injection point/,/^---$/p' "$out" >&2
    found=1
  elif ! grep -q "do not appear to be injectable" "$out"; then
    echo "scan: $name could not be tested; sqlmap said:" >&2
    tail -n 20 "$out" >&2
    untested=1
  fi
}

scan search -u "$base/search?q=mug&sort=relevance&page=1"
scan listing -u "$base$category?q=a&sort=price_asc&min=1&max=500&in_stock=1&brand=x"
scan sign-in -u "$base/api/account/sign-in" --data "email=scan%40example.com&password=not-the-password" \
  -H "accept: application/json"
scan checkout-details -u "$base/api/checkout/details" --cookie "$cart" -H "accept: application/json" \
  --data "email=scan%40example.com&address%5Bfull_name%5D=Scan&address%5Bline1%5D=Main+St+1&address%5Bpostal_code%5D=10115&address%5Bcity%5D=Berlin&address%5Bcountry%5D=DE"
scan checkout-place -u "$base/api/checkout/place" --cookie "$cart" -H "accept: application/json" \
  --data "idempotency_key=scan-key-0123456789abcdef&payment_method=cash_on_delivery"

if [ "$found" -ne 0 ] || [ "$untested" -ne 0 ]; then
  echo "scan: failed" >&2
  exit 1
fi
echo "scan: no injection point in 5 forms"
