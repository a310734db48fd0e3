#!/usr/bin/env bash
# Lighthouse on a slow mobile profile (400 ms round trips, 400 kbit/s, CPU slowed 6x) over the
# home page, the parents' stappenplan, the poster and the parents' survey, in Dutch and Arabic,
# served by zorgenquete (which serves the site too). Every page is measured twice in the same
# run: as served, and as a baseline without compression (Accept-Encoding: identity). Prints a
# table and whether the goals of issue 16 are met (performance >= 95, accessibility 100, a
# survey page <= 15 KB on a first visit). A benchmark, not a test: it always exits 0 when it ran.
#
# Usage: bash bench/lighthouse.sh            (RUNS=3 per page and mode, median by score;
#                                              PROFILE=debug to skip the release build;
#                                              JSON=file.json to keep the numbers)
# Needs Node 20 and Debian's Chromium (CHROME_PATH, default /usr/bin/chromium); installs
# Lighthouse 12.8.2 into bench/lighthouse/node_modules with `npm ci` on first use.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
RUNS="${RUNS:-3}"
PROFILE="${PROFILE:-release}"
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"

if [ "$PROFILE" = release ]; then
  cargo build --release --quiet -p zorgenquete --bin zorgenquete
else
  cargo build --quiet -p zorgenquete --bin zorgenquete
fi
BIN="$ROOT/target/$PROFILE/zorgenquete"

MARKER=bench/lighthouse/node_modules/.zorg-installed-package-lock.json
if ! cmp -s bench/lighthouse/package-lock.json "$MARKER" 2>/dev/null; then
  (cd bench/lighthouse && PUPPETEER_SKIP_DOWNLOAD=true npm ci --no-audit --no-fund --loglevel=error)
  cp bench/lighthouse/package-lock.json "$MARKER"
fi

WORK="$(mktemp -d)"
SERVER=""
cleanup() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$BIN" periode open ouders 2025-2026 --db "$WORK/z.sqlite" --root "$ROOT/content" >/dev/null
"$BIN" serve --bind "127.0.0.1:$PORT" --db "$WORK/z.sqlite" --root "$ROOT/content" --theme "$ROOT/site" \
  >"$WORK/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 100); do
  if curl -fs -o /dev/null "http://127.0.0.1:$PORT/"; then break; fi
  sleep 0.2
done
curl -fs -o /dev/null "http://127.0.0.1:$PORT/" || { cat "$WORK/serve.log" >&2; exit 1; }

echo "== machine: $(nproc) cores, load average: $(cut -d' ' -f1-3 /proc/loadavg); zorgenquete ($PROFILE) on 127.0.0.1:$PORT"
echo "== Lighthouse $(node -p "require('./bench/lighthouse/node_modules/lighthouse/package.json').version"), mobile, simulated 400 ms RTT, 400 kbit/s, CPU x6; median of $RUNS runs"
node bench/lighthouse/meet.mjs --base "http://127.0.0.1:$PORT" --runs "$RUNS" ${JSON:+--json "$JSON"}
