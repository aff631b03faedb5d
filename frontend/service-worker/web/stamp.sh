#!/usr/bin/env bash
# Trunk post-build hook for the service worker: writes sw.js from web/sw.js with this build's
# version (a hash of the worker and of the app's /pkg files) and the worker's file names.
# A new app build therefore means a new worker and a fresh cache.
set -euo pipefail
staging="${TRUNK_STAGING_DIR:?run by trunk}"
src="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$src/../../.." && pwd)"

glue=$(cd "$staging" && ls service-worker*.js 2>/dev/null | head -n1)
wasm=$(cd "$staging" && ls service-worker*_bg.wasm 2>/dev/null | head -n1)
if [ -z "$glue" ] || [ -z "$wasm" ]; then
  echo "stamp.sh: the worker's .js and _bg.wasm are missing from $staging" >&2
  exit 1
fi

# The app build's /pkg files, precached by the worker at install: one copy of each, not the
# brotli and gzip copies `make build` writes beside them (the browser asks for the file and
# the server picks the encoding), nor the type declarations and the split manifest the server
# reads.
pkg_files=""
if [ -d "$root/target/site/pkg" ]; then
  pkg_files=$(cd "$root/target/site/pkg" && ls | grep -v -e '\.br$' -e '\.gz$' -e '\.d\.ts$' -e '_manifest\.json$' || true)
fi
# A split build (app/src/shell/pages.rs): the console's chunks are not precached (shoppers
# never need them, staff fetch them once and the worker keeps them); every other area's are,
# so a shopper's pages hydrate offline too. "console_view" is the console area's function in
# app/src/shell/pages.rs (the manifest's keys start with it).
precached="$pkg_files"
manifest="$root/target/site/pkg/__wasm_split_manifest.json"
if [ -f "$manifest" ]; then
  console_only=$(node -e '
    const m = require(process.argv[1]);
    const elsewhere = new Set(Object.entries(m).filter(([k]) => !k.startsWith("console_view")).flatMap(([, v]) => v));
    const only = Object.entries(m).filter(([k]) => k.startsWith("console_view")).flatMap(([, v]) => v).filter((c) => !elsewhere.has(c));
    console.log(only.map((c) => c + ".wasm").join("\n"));
  ' "$manifest")
  precached=$(comm -23 <(echo "$pkg_files" | sort) <(echo "$console_only" | sort))
fi
version=$( { cat "$staging/$glue" "$staging/$wasm" "$src/sw.js"; \
             for f in $pkg_files; do cat "$root/target/site/pkg/$f"; done; } \
           | sha256sum | cut -c1-16)
files=""
for f in $precached; do files="$files\"/pkg/$f\","; done
files="[${files%,}]"
sed -e "s/__SHOP_SW_VERSION__/$version/" -e "s/__SHOP_SW_GLUE__/$glue/" -e "s/__SHOP_SW_WASM__/$wasm/" \
    -e "s|__SHOP_SW_BUILD_FILES__|$files|" \
  "$src/sw.js" > "$staging/sw.js"
echo "stamp.sh: service worker version $version ($glue)"
