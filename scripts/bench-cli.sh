#!/usr/bin/env bash
# The command line at about a million reports against the same question
# asked of the sqlite3 shell on the same file (target: within 2×).
# Makes the database once (dudao demo --scale 390, ~1 GB in $TMPDIR).
# Each command runs 5 times, output to /dev/null; the median is shown.
# Needs the sqlite3 shell (Debian: sqlite3).
# Usage: scripts/bench-cli.sh [SCALE]
set -euo pipefail
cd "$(dirname "$0")/.."
scale="${1:-390}"
db="${TMPDIR:-/tmp}/dudao-bench-scale${scale}.db"
cargo build --release --quiet
bin=./target/release/dudao
if [ ! -f "$db" ]; then
  "$bin" --no-config demo --scale "$scale" --out "$db"
fi
command -v sqlite3 >/dev/null || { echo "sqlite3 shell not found (apt-get install sqlite3)" >&2; exit 1; }
# A database made by an older build (another schema) is made again.
if ! ./target/release/dudao --no-config export articles --format csv "$db" >/dev/null 2>&1; then
  rm -f "$db" "$db"-wal "$db"-shm "$db".audit-head
  ./target/release/dudao --no-config demo --scale "$scale" --out "$db"
fi

median() { # runs "$@" 5 times, prints the median wall time in ms
  local t=()
  for _ in 1 2 3 4 5; do
    local s e
    s=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    e=$(date +%s%N)
    t+=($(( (e - s) / 1000000 )))
  done
  printf '%s\n' "${t[@]}" | sort -n | sed -n 3p
}

sql() { sqlite3 -readonly -csv "$db" "$1"; }

month=2026-10
# dudao report list: every expected report of a month, missing ones too.
list_sql="SELECT u.id, u.full_name, r.status, r.due_date, r.received_at, r.version_no,
    (SELECT count(*) FROM reminders x WHERE x.entity = 'report' AND x.entity_key = u.id || ':$month'
       AND x.withdrawn_at IS NULL)
  FROM units u LEFT JOIN reports r ON r.unit_id = u.id AND r.month = '$month' AND r.latest = 1
  WHERE u.reporting = 1 ORDER BY u.sort, u.id;"
# dudao export reports: every report with its unit.
export_sql="SELECT u.full_name, r.month, r.version_no, r.status, r.due_date, r.received_at,
  r.summary, r.return_reason, r.resubmit_by, r.source, r.contact_name, r.contact_phone
  FROM reports r JOIN units u ON u.id = r.unit_id ORDER BY r.month, u.sort, u.id, r.version_no;"
# dudao alerts: the largest part, reports missing over the last twelve
# months (units × months without a report), with open reminders counted.
alerts_sql="WITH RECURSIVE m(month, n) AS (SELECT '2025-11', 0 UNION ALL
    SELECT strftime('%Y-%m', month || '-01', '+1 month'), n + 1 FROM m WHERE n < 11)
  SELECT u.id, u.full_name, m.month,
    (SELECT count(*) FROM reminders x WHERE x.entity = 'report' AND x.entity_key = u.id || ':' || m.month
       AND x.withdrawn_at IS NULL AND x.answered = 0)
  FROM units u JOIN m LEFT JOIN reports r ON r.unit_id = u.id AND r.month = m.month AND r.latest = 1
  WHERE u.reporting = 1 AND r.id IS NULL ORDER BY u.sort, m.month;"

reports=$(sqlite3 -readonly "$db" "SELECT count(*) FROM reports")
echo "database: $db ($reports reports), $(nproc) cores"
printf '%-34s %10s %10s %7s\n' "command" "dudao ms" "sqlite3 ms" "ratio"
row() {
  local name="$1" a="$2" b="$3"
  printf '%-34s %10s %10s %6s×\n' "$name" "$a" "$b" "$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')"
}
row "alerts --format csv" \
  "$(median "$bin" --no-config --today 2026-11-30 alerts --format csv "$db")" \
  "$(median sql "$alerts_sql")"
row "report list --month $month" \
  "$(median "$bin" --no-config --today 2026-11-30 report list --month "$month" --format csv "$db")" \
  "$(median sql "$list_sql")"
row "export reports --format csv" \
  "$(median "$bin" --no-config export reports --format csv "$db")" \
  "$(median sql "$export_sql")"
