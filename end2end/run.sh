#!/usr/bin/env bash
# Runs the end-to-end specs against the release build: starts the server on a free port with a
# fresh SQLite database and the demo data, runs Playwright (JavaScript on and off), always
# stops the server, and ends with one "N passed, N failed" line.
set -euo pipefail
cd "$(dirname "$0")/.."

. end2end/lib/shop.sh
# Every spec's browser comes from 127.0.0.1: limits per address are raised for them.
limits=(SHOP_SIGN_IN_IP_LIMIT=1000 SHOP_REGISTER_IP_LIMIT=1000 SHOP_CSP_REPORT_LIMIT=10000)
new_shop
shop_port=$port
shop_mail="$workdir/mail"
started=1
start_shop "${limits[@]}" SHOP_PUSH_PRIVATE_HOSTS=true || started=""

# A second shop that takes cards on Stripe, here a fake of Stripe's API and hosted page
# (end2end/fake-stripe.mjs): stripe.spec.ts pays there.
new_shop
fake_stripe_port=$(free_port)
stripe_key=sk_test_e2e_fake
stripe_webhook_secret=whsec_e2e_fake
[ -z "$started" ] || start_helper "$workdir/fake-stripe.log" "http://127.0.0.1:$fake_stripe_port/" \
  env FAKE_STRIPE_PORT="$fake_stripe_port" FAKE_STRIPE_KEY="$stripe_key" \
  FAKE_STRIPE_WEBHOOK_SECRET="$stripe_webhook_secret" \
  FAKE_STRIPE_WEBHOOK_URL="http://127.0.0.1:$port/webhooks/stripe" \
  node end2end/fake-stripe.mjs || started=""
[ -z "$started" ] || start_shop "${limits[@]}" SHOP_PAYMENT_PROVIDER=stripe \
  SHOP_STRIPE_API_BASE="http://127.0.0.1:$fake_stripe_port" SHOP_STRIPE_SECRET_KEY="$stripe_key" \
  SHOP_STRIPE_WEBHOOK_SECRET="$stripe_webhook_secret" || started=""
if [ -z "$started" ]; then
  echo "end-to-end: 0 passed, 1 failed"
  exit 1
fi
stripe_shop_port=$port

cd end2end
mkdir -p screenshots test-results
status=0
SHOP_E2E_URL="http://127.0.0.1:$shop_port" SHOP_E2E_MAIL_DIR="$shop_mail" \
  SHOP_E2E_STRIPE_SHOP_URL="http://127.0.0.1:$stripe_shop_port" npx playwright test "$@" || status=$?
node -e '
  const r = require("./test-results/results.json");
  const s = r.stats || {};
  const failed = (s.unexpected || 0) + (s.flaky || 0);
  console.log(`end-to-end: ${s.expected || 0} passed, ${failed} failed, ${s.skipped || 0} skipped`);
' || echo "end-to-end: 0 passed, 1 failed"
if [ "$status" -ne 0 ]; then
  for d in "${dirs[@]}"; do
    for f in "$d"/*.log; do
      echo "e2e: $f (last 50 lines):" >&2
      tail -n 50 "$f" >&2
    done
  done
fi
exit "$status"
