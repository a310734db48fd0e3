#!/usr/bin/env bash
# All benchmarks side by side, each with a ratio against a baseline measured in the same run:
#   1. site build: the example school, and the synthetic 200- and 10,000-page sites from
#      ../shared/bench/make-synthetic-site.py; always against Zola 0.22.1's reference times from
#      issue 8 (0.10 s and 9.5 s), and against `zola` measured in the same run when it is on
#      PATH (then the goal, <= 0.8 x Zola, is judged against that);
#   2. survey submissions/s against a bare axum endpoint (cargo bench --bench inzendingen);
#   3. report and export timings (cargo bench --bench rapport), when that benchmark exists.
# Usage: bash bench/alles.sh            (RUNS=5 builds per site, BENCH_SECONDEN=5 per survey run)
# Release builds; results depend on machine load, so note the load average printed at the top.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
RUNS="${RUNS:-5}"
WORK="${BENCH_MAP_ALLES:-$ROOT/target/bench-alles}"
SYNTH="${SYNTH:-$ROOT/../shared/bench/make-synthetic-site.py}"
mkdir -p "$WORK"

echo "== machine: $(nproc) cores, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
cargo build --release --quiet -p zorgsite -p zorgenquete --bins
ZORGSITE="$ROOT/target/release/zorgsite"

# Median wall time in seconds of RUNS runs of a command (output discarded); sets BEST to the
# fastest run, which shows the time without other work on the machine.
median() {
  local times=()
  for _ in $(seq "$RUNS"); do
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; return 1; }
    end=$(date +%s.%N)
    times+=("$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.4f", b - a}')")
  done
  printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {printf "%.3f %.3f\n", a[int((NR+1)/2)], a[1]}'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

echo
echo "== 1. site build (median of $RUNS runs, release; goal: zorgsite <= 0.80 x Zola)"
printf '%-16s %10s %8s %12s %8s %12s %8s %s\n' "site" "zorgsite s" "(best)" "zola ref. s" "ratio" "zola here s" "ratio" "goal"
read -r ex best < <(median "$ZORGSITE" build --root "$ROOT/content" --theme "$ROOT/site" --output "$WORK/out-example")
printf '%-16s %10s %8s %12s %8s %12s %8s\n' "example school" "$ex" "($best)" "-" "-" "-" "-"
for n in 200 10000; do
  dir="$WORK/synthetic-$n"
  if [ ! -f "$dir/zorgsite/config.toml" ]; then
    python3 "$SYNTH" "$n" "$dir" >/dev/null
  fi
  read -r ours best < <(median "$ZORGSITE" build --root "$dir/zorgsite" --theme "$ROOT/site" --output "$WORK/out-$n")
  # Zola 0.22.1's reference times from issue 8, measured on this machine kind.
  case $n in 200) reference=0.10 ;; 10000) reference=9.5 ;; esac
  against=$(ratio "$ours" "$reference")
  measured="-" measured_ratio="-"
  if command -v zola >/dev/null 2>&1; then
    read -r measured _ < <(median zola --root "$dir/zola" build --output-dir "$WORK/zola-out-$n" --force)
    measured_ratio=$(ratio "$ours" "$measured")
    against=$measured_ratio
  fi
  met=$(awk -v r="$against" 'BEGIN {print (r <= 0.80) ? "met" : "NOT met"}')
  printf '%-16s %10s %8s %12s %8s %12s %8s %s\n' "$n pages" "$ours" "($best)" "$reference" \
    "$(ratio "$ours" "$reference")" "$measured" "$measured_ratio" "$met"
done
if ! command -v zola >/dev/null 2>&1; then
  echo "(no zola on PATH: the goal is judged against the reference times)"
fi

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
