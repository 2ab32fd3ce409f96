#!/usr/bin/env bash
# Runs Scripts/dask-scan.py on a distributed.LocalCluster of this machine and checks that the merged report equals one
# `agenttrail scan` over the same files (JSON, without the `performance` block), for 4 and 13 shards.
# Usage: Scripts/check-dask-scan.sh [AGENTTRAIL_BINARY]   (default .build/debug/agenttrail)
# Dask runs from a cached venv, .build/dask-venv (pip install "dask[distributed]" from PyPI). When PyPI cannot be
# reached the check prints a SKIP line and exits 0; any other failure (install or check) exits 1.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${1:-.build/debug/agenttrail}
[ -x "$bin" ] || { echo "dask check: $bin is not an executable (build it first)" >&2; exit 1; }

venv=.build/dask-venv
py=$venv/bin/python
ready() { [ -x "$py" ] && "$py" -c 'import dask, distributed' >/dev/null 2>&1; }
if ! ready; then
  echo "dask check: installing dask[distributed] into $venv" >&2
  rm -rf "$venv"
  if ! { python3 -m venv "$venv" >&2 &&
         "$py" -m pip install --disable-pip-version-check -q --retries 2 --timeout 30 'dask[distributed]' >&2; } || ! ready; then
    rm -rf "$venv"
    if ! python3 -c 'import urllib.request; urllib.request.urlopen("https://pypi.org/simple/distributed/", timeout=15)' >/dev/null 2>&1; then
      echo "SKIP dask check: PyPI is unreachable (pip install 'dask[distributed]' into $venv failed)"
      exit 0
    fi
    echo "dask check: PyPI is reachable but installing dask[distributed] into $venv failed" >&2
    exit 1
  fi
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
analysis=(--config SampleLogs/agenttrail.yml)
"$bin" scan SampleLogs "${analysis[@]}" --format json > "$tmp/single.json"
for shards in 4 13; do
  "$py" Scripts/dask-scan.py --shards "$shards" --local 2 --fan-in 3 --agenttrail "$bin" --format json \
    --output "$tmp/dask-$shards.json" SampleLogs -- "${analysis[@]}" 2> "$tmp/dask-$shards.err" || {
      cat "$tmp/dask-$shards.err" >&2; echo "dask check: dask-scan.py failed for $shards shards" >&2; exit 1; }
  python3 - "$tmp/single.json" "$tmp/dask-$shards.json" "$shards" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for d in (a, b):
    d.pop("performance", None)
if a != b:
    diff = [k for k in set(a) | set(b) if a.get(k) != b.get(k)]
    sys.exit(f"dask check: {sys.argv[3]} shards on Dask differ from one scan in {sorted(diff)}")
print(f"dask check: {sys.argv[3]} shards on a LocalCluster = one scan ({len(a['findings'])} findings, {a['records']['total']} records)")
PY
done
