#!/usr/bin/env bash
# Runs the end-to-end specs against the release build: starts the server on a free port with a
# fresh SQLite database and the demo data, runs Playwright (JavaScript on and off), always
# stops the server, and ends with one "N passed, N failed" line.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=target/release/server
[ -x "$bin" ] || { echo "e2e: $bin is missing; run 'make build' first" >&2; exit 1; }
[ -d target/site/pkg ] || { echo "e2e: target/site/pkg is missing; run 'make build' first" >&2; exit 1; }

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
workdir=$(mktemp -d)
log="$workdir/server.log"
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    # A graceful stop takes well under a second; never let a stuck one hold up the run.
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$workdir"
}
trap cleanup EXIT INT TERM

SHOP_ADDR="127.0.0.1:$port" \
DATABASE_URL="sqlite://$workdir/shop.db" \
SHOP_DATA_DIR="$workdir/data" \
SHOP_DEMO_DATA=true \
SHOP_SIGN_IN_IP_LIMIT=1000 \
SHOP_REGISTER_IP_LIMIT=1000 \
SHOP_PUSH_PRIVATE_HOSTS=true \
SHOP_MAIL_DIR="$workdir/mail" \
LEPTOS_SITE_ROOT=target/site \
LEPTOS_ENV=PROD \
RUST_LOG="${RUST_LOG:-warn}" \
  "$bin" >"$log" 2>&1 &
pid=$!

ready=""
for _ in $(seq 1 100); do
  if curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then ready=1; break; fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$ready" ]; then
  echo "e2e: the server did not become ready; its log:" >&2
  cat "$log" >&2
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
