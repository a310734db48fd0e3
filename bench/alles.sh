#!/usr/bin/env bash
# All benchmarks side by side, each with a ratio against a baseline measured in the same run:
#   1. site build: the example school, and the synthetic 200- and 10,000-page sites from
#      ../shared/bench/make-synthetic-site.py; against `zola` when it is on PATH, otherwise
#      against Zola 0.22.1's reference times from issue 8 (0.10 s and 9.5 s; goal <= 0.8 x Zola);
#   2. survey submissions/s against a bare axum endpoint (cargo bench --bench inzendingen);
#   3. report and export timings (cargo bench --bench rapport), when that benchmark exists.
# Usage: bash bench/alles.sh            (RUNS=3 builds per site, BENCH_SECONDEN=5 per survey run)
# Release builds; results depend on machine load, so note the load average printed at the top.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
RUNS="${RUNS:-3}"
WORK="${BENCH_MAP_ALLES:-$ROOT/target/bench-alles}"
SYNTH="${SYNTH:-$ROOT/../shared/bench/make-synthetic-site.py}"
mkdir -p "$WORK"

echo "== machine: $(nproc) cores, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
cargo build --release --quiet -p zorgsite -p zorgenquete --bins
ZORGSITE="$ROOT/target/release/zorgsite"

# Median wall time in seconds of RUNS runs of a command (output discarded).
median() {
  local times=()
  for _ in $(seq "$RUNS"); do
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; return 1; }
    end=$(date +%s.%N)
    times+=("$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.4f", b - a}')")
  done
  printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]}'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

echo
echo "== 1. site build (median of $RUNS runs, release)"
printf '%-28s %10s %10s %8s %s\n' "site" "zorgsite s" "zola s" "ratio" "(goal <= 0.80)"
ex=$(median "$ZORGSITE" build --root "$ROOT/content" --theme "$ROOT/site" --output "$WORK/out-example")
printf '%-28s %10s %10s %8s\n' "example school" "$ex" "-" "-"
for n in 200 10000; do
  dir="$WORK/synthetic-$n"
  if [ ! -f "$dir/zorgsite/config.toml" ]; then
    python3 "$SYNTH" "$n" "$dir" >/dev/null
  fi
  ours=$(median "$ZORGSITE" build --root "$dir/zorgsite" --theme "$ROOT/site" --output "$WORK/out-$n")
  if command -v zola >/dev/null 2>&1; then
    theirs=$(median zola --root "$dir/zola" build --output-dir "$WORK/zola-out-$n" --force)
    label="$n pages (zola measured)"
  else
    case $n in 200) theirs=0.10 ;; 10000) theirs=9.5 ;; esac
    label="$n pages (zola reference)"
  fi
  printf '%-28s %10s %10s %8s\n' "$label" "$ours" "$theirs" "$(ratio "$ours" "$theirs")"
done

echo
echo "== 2. survey submissions (durable, vs a bare axum endpoint parsing the same form)"
BENCH_SECONDEN="${BENCH_SECONDEN:-5}" cargo bench --quiet -p zorgenquete --bench inzendingen

echo
echo "== 3. report and export"
if [ -f survey-service/benches/rapport.rs ]; then
  cargo bench --quiet -p zorgenquete --bench rapport
else
  echo "(survey-service/benches/rapport.rs is not there yet: skipped)"
fi
