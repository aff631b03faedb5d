#!/usr/bin/env bash
# Runs the end-to-end specs against the release build: starts the server on a free port with a
# fresh SQLite database and the demo data, runs Playwright (JavaScript on and off), always
# stops the server, and ends with one "N passed, N failed" line.
set -euo pipefail
cd "$(dirname "$0")/.."

. end2end/lib/shop.sh
# Every spec's browser comes from 127.0.0.1: limits per address are raised for them.
if ! start_shop SHOP_SIGN_IN_IP_LIMIT=1000 SHOP_REGISTER_IP_LIMIT=1000 SHOP_CSP_REPORT_LIMIT=10000 \
  SHOP_PUSH_PRIVATE_HOSTS=true; then
  echo "0 passed, 1 failed"
  exit 1
fi

cd end2end
mkdir -p screenshots test-results
status=0
SHOP_E2E_URL="http://127.0.0.1:$port" SHOP_E2E_MAIL_DIR="$workdir/mail" npx playwright test "$@" || status=$?
node -e '
  const r = require("./test-results/results.json");
  const s = r.stats || {};
  const failed = (s.unexpected || 0) + (s.flaky || 0);
  console.log(`end-to-end: ${s.expected || 0} passed, ${failed} failed, ${s.skipped || 0} skipped`);
' || echo "end-to-end: 0 passed, 1 failed"
if [ "$status" -ne 0 ]; then
  echo "e2e: server log (last 50 lines):" >&2
  tail -n 50 "$log" >&2
fi
exit "$status"
