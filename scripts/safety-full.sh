#!/usr/bin/env bash
# The full runs behind the README's "Data safety" figures: the kill -9 loop
# over bulk import and bulk reminders (200 rounds: 100 imports killed), 8
# processes × 200 command-line actions on one file, and a writer beside an
# exporter for two minutes on a 58 MB database. `cargo test` runs short
# versions of each.
set -euo pipefail
cd "$(dirname "$0")/.."
iterations="${DUDAO_CRASH_ITERATIONS:-200}"
actions="${DUDAO_STRESS_ACTIONS:-200}"
profile=()
if [[ "${1:-}" == "--release" ]]; then profile=(--release); fi
DUDAO_CRASH_ITERATIONS="$iterations" cargo test "${profile[@]}" --test crashes kill_9 -- --nocapture 2>&1 |
  grep -E "crash loop|whole bulk|test result|panicked"
DUDAO_STRESS_ACTIONS="$actions" cargo test "${profile[@]}" --test several_users eight_processes -- --nocapture 2>&1 |
  grep -E "processes ×|test result|panicked"
DUDAO_SOAK_SECONDS="${DUDAO_SOAK_SECONDS:-120}" DUDAO_SOAK_SCALE="${DUDAO_SOAK_SCALE:-20}" \
  cargo test "${profile[@]}" --test several_users writer_and_an_exporter -- --nocapture 2>&1 |
  grep -E "writer and exporter|test result|panicked"
