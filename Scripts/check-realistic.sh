#!/usr/bin/env bash
# Scores AgentTrail on the independent realistic archive (Scripts/gen_cloudtrail.py --realistic): generates it, scans it
# with --policies, and fails unless every injected incident is found and precision at medium and above (expected
# posture findings counted as correct) is at least $MIN_PRECISION (default 0.95), for --jobs 1 and 2 alike.
# Usage: Scripts/check-realistic.sh [AGENTTRAIL_BINARY]   (default .build/debug/agenttrail)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-.build/debug/agenttrail}
min_precision=${MIN_PRECISION:-0.95}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 Scripts/gen_cloudtrail.py --realistic --out "$work/archive" >/dev/null
status=0
for jobs in 1 2; do
  "$bin" scan "$work/archive" --policies "$work/archive/policies" --format json --jobs "$jobs" >"$work/findings-$jobs.json" 2>"$work/stderr-$jobs.txt" || true
  python3 Scripts/score_findings.py "$work/archive" --findings "$work/findings-$jobs.json" >"$work/score-$jobs.txt"
  python3 Scripts/score_findings.py "$work/archive" --findings "$work/findings-$jobs.json" --format json >"$work/score-$jobs.json"
  python3 - "$work/score-$jobs.json" "$min_precision" "$jobs" <<'PY' || { status=1; cat "$work/score-$jobs.txt"; }
import json, sys
s = json.load(open(sys.argv[1])); need = float(sys.argv[2]); jobs = sys.argv[3]
r = s["recall"]; p = s["precisionWithPosture"]
print(f"realistic archive, --jobs {jobs}: recall {r['detected']}/{r['incidents']}, precision {p:.3f} (posture counted correct; "
      f"incidents only {s['precision']:.3f}), {s['scored']} findings at medium and above")
sys.exit(0 if r["detected"] == r["incidents"] and p >= need else 1)
PY
done
cmp -s <(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(json.dumps(d['findings'],sort_keys=True))" "$work/findings-1.json") \
       <(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(json.dumps(d['findings'],sort_keys=True))" "$work/findings-2.json") \
  || { echo "findings differ between --jobs 1 and --jobs 2"; status=1; }
exit $status
