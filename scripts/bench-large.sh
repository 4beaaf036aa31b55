#!/usr/bin/env bash
# Benchmarks the console on about a million reports: makes the database once
# (dudao demo --scale 390, ~30 s, ~1 GB in $TMPDIR), then runs the render
# benchmark against it. Usage: scripts/bench-large.sh [SCALE]
set -euo pipefail
cd "$(dirname "$0")/.."
scale="${1:-390}"
db="${TMPDIR:-/tmp}/dudao-bench-scale${scale}.db"
cargo build --release --quiet
if [ ! -f "$db" ]; then
  ./target/release/dudao demo --scale "$scale" --out "$db"
fi
DUDAO_BENCH_DB="$db" cargo bench --bench render
