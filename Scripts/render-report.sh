#!/bin/sh
# Renders an HTML access review to a PNG with headless Chromium (Debian package `chromium`), to check that the
# self-contained page displays offline.
#   Scripts/render-report.sh report.html out.png [WIDTHxHEIGHT]
# Exits 0 when the PNG was written, 1 on error, 77 (skip) when chromium is not installed.
set -eu
if [ $# -lt 2 ]; then echo "usage: $0 report.html out.png [1280x2000]" >&2; exit 1; fi
html=$1
png=$2
size=${3:-1280x2000}
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then echo "render-report: chromium not installed, skipping" >&2; exit 77; fi
[ -f "$html" ] || { echo "render-report: no such file: $html" >&2; exit 1; }
abs=$(cd "$(dirname "$html")" && pwd)/$(basename "$html")
out=$(cd "$(dirname "$png")" && pwd)/$(basename "$png")
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
# No network: the page must not need it. --virtual-time-budget lets the inline script run before the shot.
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$profile" \
  --proxy-server=127.0.0.1:9 --proxy-bypass-list='<-loopback>' --virtual-time-budget=2000 \
  --window-size="$(echo "$size" | tr x ,)" --screenshot="$out" "file://$abs" >/dev/null 2>&1 || true
if [ ! -s "$out" ]; then echo "render-report: chromium wrote no screenshot" >&2; exit 1; fi
echo "render-report: wrote $out"
