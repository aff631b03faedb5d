# Starts the release build on a free port with a fresh SQLite database and the demo data, for
# the end-to-end specs (run.sh) and the security scan (scan.sh). Source it, then call
# `start_shop [NAME=value ...]`: extra settings are passed to the server. Sets `port`, `workdir`
# and `log`; the server is always stopped (and the work folder removed) when the script exits.

bin=target/release/server
[ -x "$bin" ] || { echo "$0: $bin is missing; run 'make build' first" >&2; exit 1; }
[ -d target/site/pkg ] || { echo "$0: target/site/pkg is missing; run 'make build' first" >&2; exit 1; }

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
workdir=$(mktemp -d)
log="$workdir/server.log"
pid=""
stop_shop() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    # A graceful stop takes well under a second; never let a stuck one hold up the run.
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$workdir"
}
trap stop_shop EXIT INT TERM

start_shop() {
  env \
    SHOP_ADDR="127.0.0.1:$port" \
    DATABASE_URL="sqlite://$workdir/shop.db" \
    SHOP_DATA_DIR="$workdir/data" \
    SHOP_DEMO_DATA=true \
    SHOP_MAIL_DIR="$workdir/mail" \
    LEPTOS_SITE_ROOT=target/site \
    LEPTOS_ENV=PROD \
    RUST_LOG="${RUST_LOG:-warn}" \
    "$@" \
    "$bin" >"$log" 2>&1 &
  pid=$!
  local ready=""
  for _ in $(seq 1 100); do
    if curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then ready=1; break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$ready" ]; then
    echo "$0: the server did not become ready; its log:" >&2
    cat "$log" >&2
    return 1
  fi
}
