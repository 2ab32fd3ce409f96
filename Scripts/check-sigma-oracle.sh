#!/usr/bin/env bash
# Compares `agenttrail rules match` with the independent Sigma oracle (Scripts/sigma_oracle.py, pySigma for parsing,
# its own evaluator): same rules, same logs, the sorted match lines must be identical.
# Usage: Scripts/check-sigma-oracle.sh [AGENTTRAIL_BINARY] [--rules PATH]... [--logs PATH]...
#   AGENTTRAIL_BINARY  default .build/debug/agenttrail
#   --rules            default Tests/AgentTrailTests/Fixtures/sigma/SigmaHQ-cloudtrail, else ../shared/sigma/SigmaHQ-cloudtrail
#   --logs             default ../shared/reallogs (else Tests/AgentTrailTests/Fixtures/reallogs) and Tests/AgentTrailTests/Fixtures/rules
# The oracle runs in a cached venv, .build/sigma-oracle-venv, with pysigma 2.x from PyPI. When it cannot be installed
# (no registry) or there are no rules or logs, the check fails, unless AGENTTRAIL_ORACLE_OPTIONAL=1: then it prints a
# SKIP line and exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=.build/debug/agenttrail
rules=()
logs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rules) rules+=("${2:?--rules needs a path}"); shift 2 ;;
    --logs) logs+=("${2:?--logs needs a path}"); shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    -*) echo "check-sigma-oracle: unknown option $1" >&2; exit 2 ;;
    *) bin=$1; shift ;;
  esac
done

skip_or_fail() {  # a precondition is missing: SKIP when the check is optional, else fail
  if [ "${AGENTTRAIL_ORACLE_OPTIONAL:-}" = 1 ]; then
    echo "SKIP sigma oracle: $1"
    exit 0
  fi
  echo "sigma oracle: $1 (set AGENTTRAIL_ORACLE_OPTIONAL=1 to skip instead)" >&2
  exit 1
}

if [ ${#rules[@]} -eq 0 ]; then
  for r in Tests/AgentTrailTests/Fixtures/sigma/SigmaHQ-cloudtrail ../shared/sigma/SigmaHQ-cloudtrail; do
    if [ -e "$r" ]; then rules=("$r"); break; fi
  done
fi
if [ ${#logs[@]} -eq 0 ]; then
  # The public samples (../shared/reallogs beside the clone, else the subset vendored in the tests), and the rule
  # pack's positive and negative records.
  if [ -e ../shared/reallogs ]; then logs+=(../shared/reallogs); else logs+=(Tests/AgentTrailTests/Fixtures/reallogs); fi
  if [ -e Tests/AgentTrailTests/Fixtures/rules ]; then logs+=(Tests/AgentTrailTests/Fixtures/rules); fi
fi
[ ${#rules[@]} -gt 0 ] || skip_or_fail "no Sigma rules found"
[ ${#logs[@]} -gt 0 ] || skip_or_fail "no CloudTrail logs found"
[ -x "$bin" ] || { echo "sigma oracle: $bin is not an executable (build it first)" >&2; exit 1; }

# The oracle's venv, created once and kept in .build/.
venv=.build/sigma-oracle-venv
py=$venv/bin/python
ready() { [ -x "$py" ] && "$py" -c 'import sys, importlib.metadata as m; import sigma.collection; sys.exit(int(m.version("pysigma").split(".")[0]) != 2)' 2>/dev/null; }
if ! ready; then
  echo "sigma oracle: installing pysigma into $venv" >&2
  rm -rf "$venv"
  mkdir -p .build
  if ! { python3 -m venv "$venv" >&2 &&
         "$py" -m pip install --disable-pip-version-check -q --retries 2 --timeout 30 'pysigma>=2,<3' >&2; } || ! ready; then
    rm -rf "$venv"
    skip_or_fail "cannot install pysigma from PyPI into $venv (python3 -m venv + pip install 'pysigma>=2,<3' failed)"
  fi
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rule_args=()
for r in "${rules[@]}"; do rule_args+=(--rules "$r"); done

if ! "$bin" rules match --no-default-rules "${rule_args[@]}" "${logs[@]}" >"$work/agenttrail.raw" 2>"$work/agenttrail.err"; then
  echo "sigma oracle: '$bin rules match' failed:" >&2
  cat "$work/agenttrail.err" >&2
  exit 1
fi
"$py" Scripts/sigma_oracle.py "${rule_args[@]}" --stats "$work/stats.json" "${logs[@]}" >"$work/oracle.raw" 2>"$work/oracle.err" || {
  echo "sigma oracle: Scripts/sigma_oracle.py failed:" >&2
  cat "$work/oracle.err" >&2
  exit 1
}
# Rules or files the oracle skipped, so that a difference they explain is visible.
sed 's/^/oracle: /' "$work/oracle.err" >&2

# Both sides as canonical JSON lines ({"file","index","rule"} in that order), sorted byte-wise; duplicates are kept.
normalize() {
  "$py" - "$1" <<'PY'
import json, sys
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    if not line.strip():
        continue
    try:
        m = json.loads(line)
        assert isinstance(m, dict) and sorted(m) == ["file", "index", "rule"], "keys must be file, index, rule"
        assert isinstance(m["file"], str) and isinstance(m["rule"], str), "file and rule must be strings"
        assert isinstance(m["index"], int) and not isinstance(m["index"], bool), "index must be an integer"
    except (ValueError, AssertionError) as e:
        sys.exit(f"sigma oracle: {sys.argv[1]}:{n}: not a match line ({e}): {line.rstrip()}")
    print(json.dumps({"file": m["file"], "index": m["index"], "rule": m["rule"]}, separators=(",", ":")))
PY
}
normalize "$work/agenttrail.raw" | LC_ALL=C sort >"$work/agenttrail.txt"
normalize "$work/oracle.raw" | LC_ALL=C sort >"$work/oracle.txt"

read -r nrules nrecords < <("$py" -c 'import json, sys; s = json.load(open(sys.argv[1])); print(s["rules"], s["records"])' "$work/stats.json")
nmatches=$(wc -l <"$work/oracle.txt" | tr -d ' ')
if cmp -s "$work/agenttrail.txt" "$work/oracle.txt"; then
  echo "sigma oracle: $nmatches matches over $nrecords records and $nrules rules: identical"
  exit 0
fi
only_at=$(LC_ALL=C comm -23 "$work/agenttrail.txt" "$work/oracle.txt" | wc -l | tr -d ' ')
only_or=$(LC_ALL=C comm -13 "$work/agenttrail.txt" "$work/oracle.txt" | wc -l | tr -d ' ')
echo "sigma oracle: DIFFERENT over $nrecords records and $nrules rules: agenttrail $(wc -l <"$work/agenttrail.txt" | tr -d ' ') matches," \
  "oracle $nmatches; $only_at only in agenttrail (+), $only_or only in the oracle (-)"
diff -u --label oracle --label agenttrail "$work/oracle.txt" "$work/agenttrail.txt" >"$work/diff.txt" || true
head -n 300 "$work/diff.txt"
lines=$(wc -l <"$work/diff.txt" | tr -d ' ')
[ "$lines" -le 300 ] || echo "... $((lines - 300)) more diff lines"
exit 1
