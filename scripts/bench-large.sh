#!/usr/bin/env bash
# Benchmarks at about a million reports, measured from outside: makes the
# database once (dudao demo --scale 390, ~40 s, ~1.1 GB in $TMPDIR), then
# runs the console in a pseudo-terminal at 80×24 and 160×48 (first frame,
# each pane's first open, keypress to frame p50/p99 by kind, bytes per key,
# peak resident memory; benches/console.rs), the in-process render bench,
# and the command line against the sqlite3 shell (scripts/bench-cli.sh).
# Usage: scripts/bench-large.sh [SCALE]
set -euo pipefail
cd "$(dirname "$0")/.."
scale="${1:-390}"
db="${TMPDIR:-/tmp}/dudao-bench-scale${scale}.db"
cargo build --release --quiet
if [ ! -f "$db" ]; then
  ./target/release/dudao --no-config demo --scale "$scale" --out "$db"
fi
# A database made by an older build (another schema) is made again.
if ! ./target/release/dudao --no-config export articles --format csv "$db" >/dev/null 2>&1; then
  rm -f "$db" "$db"-wal "$db"-shm "$db".audit-head
  ./target/release/dudao --no-config demo --scale "$scale" --out "$db"
fi
for size in 80x24 160x48; do
  DUDAO_BENCH_DB="$db" DUDAO_BENCH_SIZE="$size" DUDAO_BENCH_KEYS="${DUDAO_BENCH_KEYS:-40}" \
    cargo bench --quiet --bench console
done
DUDAO_BENCH_DB="$db" cargo bench --quiet --bench render
if command -v sqlite3 >/dev/null; then
  scripts/bench-cli.sh "$scale"
else
  echo "(sqlite3 shell not installed: skipping the command-line comparison)"
fi
