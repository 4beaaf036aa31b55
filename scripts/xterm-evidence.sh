#!/bin/sh
# Screenshots of the console and the review in a real xterm under Xvfb:
# the inbox, the checklist and review pages 1-3, with ambiguous characters
# narrow (xterm's default) and wide (-cjk_width, as Xshell, SecureCRT and
# PuTTY with CJK settings draw them), and the alerts through
# `luit -encoding GBK` (a GBK terminal). Not a test: the pictures are for a
# person to look at (docs/evidence/). Needs xterm, Xvfb, xdotool, luit,
# ImageMagick, DejaVu Sans Mono and a CJK font (Noto Sans Mono CJK SC).
#
#   scripts/xterm-evidence.sh [OUT_DIR]        (default docs/evidence)
#   DUDAO=target/release/dudao scripts/xterm-evidence.sh
set -eu
out=${1:-docs/evidence}
bin=$(realpath "${DUDAO:-target/debug/dudao}")
font=${FONT:-DejaVu Sans Mono}
wide_font=${WIDE_FONT:-Noto Sans Mono CJK SC}
mkdir -p "$out"
tmp=$(mktemp -d)
cp sample.db "$tmp/sample.db"
Xvfb :77 -screen 0 1600x1000x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null; rm -rf "$tmp"' EXIT
export DISPLAY=:77
sleep 1

# shot NAME: the xterm window as a small PNG.
shot() {
    sleep "${SETTLE:-1.5}"
    import -window "$wid" "$tmp/shot.png"
    convert "$tmp/shot.png" -colors 32 "PNG8:$out/$1.png"
    echo "$out/$1.png"
}

# run TITLE XTERM_OPTS -- COMMAND…: an xterm running the command; sets $wid.
run() {
    title=$1
    shift
    opts=$1
    shift
    # shellcheck disable=SC2086
    LANG=C.UTF-8 xterm $opts -fa "$font" -fd "$wide_font" -fs 10 -geometry 100x30 -tn xterm-256color \
        -title "$title" -xrm 'XTerm*allowTitleOps: false' -xrm 'XTerm*allowSendEvents: true' -e "$@" &
    wid=$(xdotool search --sync --name "^$title\$" | head -n 1)
}

keys() {
    xdotool key --window "$wid" "$@"
}

for mode in narrow wide; do
    opts=""
    [ "$mode" = wide ] && opts="-cjk_width"
    run "dudao-$mode" "$opts" "$bin" --no-config --today 2026-11-30 "$tmp/sample.db"
    shot "xterm-$mode-inbox"
    keys 2
    shot "xterm-$mode-checklist"
    keys q
    sleep 1
    run "review-$mode" "$opts" "$bin" --no-config review --quarter 2026Q3 --today 2026-11-30 "$tmp/sample.db"
    shot "xterm-$mode-review-p1"
    keys 2
    shot "xterm-$mode-review-p2"
    keys 3
    shot "xterm-$mode-review-p3"
    keys q
    sleep 1
done

# A GBK terminal: luit turns the GBK stream into what xterm shows.
run "dudao-gbk" "" luit -encoding GBK -- env LANG=zh_CN.GBK "$bin" --no-config --today 2026-11-30 "$tmp/sample.db"
keys 4
shot "xterm-gbk-alerts"
keys q
sleep 1
