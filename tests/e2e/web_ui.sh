#!/usr/bin/env bash
# web_ui.sh - the analysts' web UI in a real browser: starts `cordon serve` with an API key, a
# temporary case store holding counterparties that raised alerts, and the built UI (web/dist);
# then tests/web/ui_test.mjs drives Debian's Chromium through every page and saves a
# screenshot of each beside the binary (BUILD/screenshots; CORDON_SCREENSHOTS=docs/screenshots
# refreshes the README's copies), so a test run leaves the work tree clean. Also checks
# the static file serving itself with curl: types, caching, SPA pages, refused paths.
# Needs what ./setup installs: chromium, node, web/node_modules and web/dist.
# usage: bash web_ui.sh CORDON_BINARY REPO_DIR
source "$(dirname "$0")/server_lib.sh" "$@"

CHROMIUM=${CORDON_CHROMIUM:-/usr/bin/chromium}
for need in "$CHROMIUM" "$REPO/web/dist/index.html" "$REPO/web/node_modules/playwright-core/package.json"; do
    if [ ! -e "$need" ]; then
        echo "web_ui: $need is missing: run ./setup (it installs chromium and builds web/)" >&2
        exit 1
    fi
done
command -v node >/dev/null || { echo "web_ui: node is missing: run ./setup" >&2; exit 1; }

# The bundled snapshot when ./setup has built it (saves the build), else a fresh one.
if [ -s "$REPO/data/cordon.snap" ]; then SNAP="$REPO/data/cordon.snap"; else build_snapshot; fi
STORE="$T/store"
printf 'ref,name,type,country\nc-1,Kim Jong Un,person,KP\nc-2,Korea Ryonbong General Corporation,organization,KP\nc-3,Plain Widgets Ltd,organization,DE\n' >"$T/seed.csv"
"$CORDON" counterparties import "$T/seed.csv" --store "$STORE" >"$T/seed.log" 2>&1 &&
    "$CORDON" rescreen --store "$STORE" --snapshot "$SNAP" >>"$T/seed.log" 2>&1 ||
    { cat "$T/seed.log" >&2; echo "web_ui: cannot seed the case store" >&2; exit 1; }
check "the seed raised alerts" grep -q "new alerts" "$T/seed.log"
KEY=$("$CORDON" apikey add --name web-test --keys "$T/apikeys" 2>/dev/null | head -1)
check "an API key was made" test -n "$KEY"

start_server web --threads 2 --store "$STORE" --keys "$T/apikeys" --web "$REPO/web/dist" || exit 1

# --- static files -----------------------------------------------------------------------------
req GET "$URL/"
status_is "/ is the UI" 200
check "/ is HTML" header_has Content-Type text/html
check "index.html is revalidated" header_has Cache-Control no-cache
check "the page may only talk to this server" header_has Content-Security-Policy "default-src 'self'"
check "no external URL in the page" bash -c "! grep -Eq '(src|href)=\"(https?:)?//' '$BODY'"
asset=$(grep -o '/ui/index-[A-Za-z0-9_-]*\.js' "$BODY" | head -1)
req GET "$URL$asset"
status_is "the hashed script" 200
check "script type" header_has Content-Type text/javascript
check "hashed assets are immutable" header_has Cache-Control immutable
req HEAD "$URL$asset" -I
status_is "HEAD of an asset" 200
req GET "$URL/ui"
status_is "/ui is the UI too" 200
req GET "$URL/ui/alerts"
status_is "a UI page by URL (reload, bookmark)" 200
check "answers index.html" grep -q '<div id="toast"' "$BODY"
req GET "$URL/ui/missing.js"
error_is "a missing file" 404 not_found
req GET "$URL/ui/../../../etc/passwd" --path-as-is
status_is "traversal refused" 404
req GET "$URL/ui/..%2f..%2fetc%2fpasswd"
status_is "encoded traversal refused" 404
req GET "$URL/ui/.vite"
status_is "dot files refused" 404
req POST "$URL/ui/" --data x
error_is "POST to the UI" 405 method_not_allowed
req GET "$URL/v1/lists"
error_is "the API still needs the key" 401 unauthorized

# --- the browser --------------------------------------------------------------------------------
SHOTS=${CORDON_SCREENSHOTS:-$(dirname "$CORDON")/screenshots}
if node "$REPO/tests/web/ui_test.mjs" --url "$URL" --repo "$REPO" --key "$KEY" --tmp "$T" --shots "$SHOTS" >"$T/browser.log" 2>&1; then
    ok
else
    bad "browser test"
    keep="${TMPDIR:-/tmp}/cordon-web-failures"
    mkdir -p "$keep" && cp "$T"/fail-*.png "$keep"/ 2>/dev/null && echo "failure screenshots: $keep" >&2
fi
cat "$T/browser.log"

check "server stops cleanly (status 0: no sanitizer report)" stop_server web
check "no sanitizer report in the server log" bash -c "! grep -q 'Sanitizer' '$T/web.log'"
finish
