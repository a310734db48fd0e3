#!/usr/bin/env bash
# Resident memory of the real service with N schools (issue 17: 50 schools under 300 MB), with
# one school as the baseline in the same run.
#   bash bench/geheugen.sh                 (N=50, release build of zorgenquete)
#   N=10 PROFILE=debug bash bench/geheugen.sh
#   BIN=/path/to/zorgenquete bash bench/geheugen.sh   (no build; another binary)
#   ALLOCATOR=standaard bash bench/geheugen.sh         (without the unit's MIMALLOC_* settings)
# Every school is a copy of content/ (the example school) under its own id in one group file
# (`[[school]]`, as deploy/groep.toml); each gets its own SQLite file. The script starts
# `zorgenquete serve --config groep.toml`, waits until the last school's home page answers,
# then asks every school's survey index once (so templates and database connections are in use,
# as after the first visitors), waits 2 s and reads VmRSS and VmHWM from /proc/<pid>/status.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
N="${N:-50}"
PROFILE="${PROFILE:-release}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/zorg-geheugen-XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# The allocator's settings of the systemd unit (deploy/zorgenquete.service), as on a server;
# ALLOCATOR=standaard measures without them.
if [ "${ALLOCATOR:-unit}" != standaard ]; then
  while IFS= read -r regel; do
    export "${regel#Environment=}"
  done < <(grep '^Environment=MIMALLOC_' deploy/zorgenquete.service)
fi
echo "== allocator: $(env | grep '^MIMALLOC_' | tr '\n' ' ')"

# BIN=path/to/zorgenquete measures that binary instead (no build).
if [ -z "${BIN:-}" ]; then
  if [ "$PROFILE" = release ]; then
    cargo build --release --quiet -p zorgenquete --bin zorgenquete
  else
    cargo build --quiet -p zorgenquete --bin zorgenquete
  fi
  BIN="$ROOT/target/$PROFILE/zorgenquete"
fi

# One group of `n` schools in "$WORK/groep<n>"; prints the config's path.
maak_groep() {
  local n=$1 dir="$WORK/groep$1"
  mkdir -p "$dir/data"
  cp -r "$ROOT/content" "$dir/content"
  {
    echo "db = \"$dir/data/groep.sqlite\""
    echo "theme = \"$ROOT/site\""
    echo "publieke_url = \"http://groep.test\""
    for i in $(seq 1 "$n"); do
      printf '\n[[school]]\nid = "school%s"\nroot = "%s/content"\n' "$i" "$dir"
    done
  } >"$dir/groep.toml"
  echo "$dir/groep.toml"
}

# Starts the service on a free port with config $1 and N schools $2; prints
# "<seconds to ready> <VmRSS MB> <VmHWM MB>".
meet() {
  local config=$1 n=$2 port log pid start ready=""
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  log="$WORK/serve-$n.log"
  start=$(date +%s.%N)
  "$BIN" --config "$config" serve --bind "127.0.0.1:$port" >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 1200); do
    if curl -fs -o /dev/null -H "Host: groep.test" "http://127.0.0.1:$port/school$n/" 2>/dev/null; then
      ready=$(date +%s.%N)
      break
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "zorgenquete stopte:" >&2
      cat "$log" >&2
      exit 1
    fi
    sleep 0.1
  done
  [ -n "$ready" ] || { kill "$pid"; echo "zorgenquete werd niet klaar" >&2; exit 1; }
  for i in $(seq 1 "$n"); do
    curl -fsS -o /dev/null -H "Host: groep.test" "http://127.0.0.1:$port/school$i/enquete/"
  done
  sleep 2
  local rss hwm
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
  hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  awk -v s="$start" -v r="$ready" -v rss="$rss" -v hwm="$hwm" \
    'BEGIN {printf "%.1f %.0f %.0f\n", r - s, rss / 1024, hwm / 1024}'
}

echo "== machine: $(nproc) cores, load average: $(cut -d' ' -f1-3 /proc/loadavg); $PROFILE build"
read -r t1 rss1 hwm1 < <(meet "$(maak_groep 1)" 1)
read -r tn rssn hwmn < <(meet "$(maak_groep "$N")" "$N")
per=$(awk -v a="$rss1" -v b="$rssn" -v n="$N" 'BEGIN {printf "%.1f", (n > 1) ? (b - a) / (n - 1) : 0}')
printf '%-10s %12s %10s %10s\n' "scholen" "opstart s" "VmRSS MB" "piek MB"
printf '%-10s %12s %10s %10s\n' 1 "$t1" "$rss1" "$hwm1"
printf '%-10s %12s %10s %10s\n' "$N" "$tn" "$rssn" "$hwmn"
echo "per extra school: $per MB; verhouding $N / 1 school: $(awk -v a="$rss1" -v b="$rssn" 'BEGIN {printf "%.2f", b / a}')"
if [ "$N" -eq 50 ]; then
  echo "doel 50 scholen < 300 MB: $(awk -v b="$rssn" 'BEGIN {print (b < 300) ? "gehaald" : "NIET gehaald"}')"
fi
