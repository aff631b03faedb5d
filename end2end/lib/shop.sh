# Starts the release build on a free port with a fresh SQLite database and the demo data, for
# the end-to-end specs (run.sh) and the security scan (scan.sh). Source it, then call
# `new_shop` (picks a free `port`, a fresh `workdir` and its `log`) and
# `start_shop [NAME=value ...]` (extra settings are passed to the server); call both again for
# another shop. `start_helper LOG URL command...` starts a helper process (a fake payment provider).
# Every process is stopped, and every work folder removed, when the script exits.

bin=target/release/server
[ -x "$bin" ] || { echo "$0: $bin is missing; run 'make build' first" >&2; exit 1; }
[ -d target/site/pkg ] || { echo "$0: target/site/pkg is missing; run 'make build' first" >&2; exit 1; }

pids=()
dirs=()
stop_all() {
  local p
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    # A graceful stop takes well under a second; never let a stuck one hold up the run.
    for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  rm -rf "${dirs[@]}"
}
trap stop_all EXIT INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

new_shop() {
  port=$(free_port)
  workdir=$(mktemp -d)
  dirs+=("$workdir")
  log="$workdir/server.log"
}

# Starts a helper process with its output in `helper_log` and waits until `url` answers (any
# HTTP status).
start_helper() {
  local helper_log=$1 url=$2; shift 2
  "$@" >"$helper_log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  for _ in $(seq 1 100); do
    if curl -sS -o /dev/null "$url" 2>/dev/null; then return 0; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "$0: $1 did not start; its log:" >&2
  cat "$helper_log" >&2
  return 1
}

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
  local pid=$!
  pids+=("$pid")
  local ready=""
  for _ in $(seq 1 100); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" 2>/dev/null; then ready=1; break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$ready" ]; then
    echo "$0: the server did not become ready; its log:" >&2
    cat "$log" >&2
    return 1
  fi
}
