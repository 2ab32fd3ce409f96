# Nightly mode (scan --state) benchmark section, sourced by Scripts/bench.sh.
#
# 1. A first --state run over the whole corpus, then a second over the unchanged corpus (it only stats the files
#    against the ledger; best of $RUNS, each run timed alone): notes `nightly-unchanged % of first` and
#    `nightly files read when unchanged`.
# 2. One more "day" of files added (copies of the last day's files under the next day's folder and file names):
#    notes `nightly extra files read after one more day` (files read beyond those).
# Their targets are in Scripts/bench-thresholds.tsv.
# The corpus is not modified: runs go over a farm of hard links (copies across file systems) in a temp dir. Not
# symbolic links: agenttrail does not follow links that lead out of the folder it is given.

_nightly_time() {  # _nightly_time RUNS OUT CMD... : the best wall time of RUNS runs of CMD (stdout to OUT), in seconds
    python3 - "$@" <<'PY'
import subprocess, sys, time
runs, out, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
best = None
for _ in range(max(1, runs)):
    with open(out, "wb") as f:
        t = time.perf_counter()
        rc = subprocess.run(cmd, stdout=f).returncode
        d = time.perf_counter() - t
    if rc != 0:
        sys.exit(1)
    best = d if best is None or d < best else best
print(f"{best:.6f}")
PY
}

section_50_nightly() {
    [[ -z "$BIN" ]] && return
    selected nightly || return 0
    say "== nightly (scan --state)"
    local work; work="$(mktemp -d)"
    local farm="$work/corpus" db="$work/state.sqlite"
    mkdir -p "$farm"
    cp -rl "$CORPUS/." "$farm/" 2>/dev/null || cp -r "$CORPUS/." "$farm/" 2>/dev/null \
        || { note "nightly: cannot build a linked copy of the corpus - skipped"; rm -rf "$work"; return; }

    # (Each run timed alone, from its spawn to its exit (`_nightly_time`): timed from the shell, with `date` and `bc`
    # around it, a ~20 ms re-run carried ~3-4 ms of the shell's own. The unchanged re-run is repeatable — it reads
    # nothing and reports nothing — and, as every row, taken at its best of $RUNS; the first run is timed once.)
    local first second
    first="$(_nightly_time 1 "$work/first.json" "$BIN" scan --state "$db" --format json "$farm")" \
        || { note "nightly: first --state run failed"; rm -rf "$work"; return; }
    second="$(_nightly_time "$RUNS" "$work/second.json" "$BIN" scan --state "$db" --format json "$farm")" \
        || { note "nightly: second --state run failed"; rm -rf "$work"; return; }
    ROW_NAME+=("nightly-first"); ROW_SECS+=("$first"); ROW_RSS+=(0); ROW_STATUS+=(ok)
    ROW_NAME+=("nightly-unchanged"); ROW_SECS+=("$second"); ROW_RSS+=(0); ROW_STATUS+=(ok)
    local pct; pct="$(echo "100 * $second / $first" | bc -l)"
    local read2; read2="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["state"]["filesRead"])' "$work/second.json")"
    note "nightly: unchanged re-run $(printf '%.3f' "$second") s, $(printf '%.2f' "$pct")% of the first $(printf '%.1f' "$first") s, files read $read2"
    note "nightly-unchanged % of first = $(printf '%.2f' "$pct")"
    note "nightly files read when unchanged = ${read2:-?}"

    # One more day: the last day's files copied under the following day.
    local lastday; lastday="$(find "$farm" -type f -name '*.json.gz' -o -type l -name '*.json.gz' | sed -E 's#.*/([0-9]{4}/[0-9]{2}/[0-9]{2})/[^/]*$#\1#' | sort -u | tail -1)"
    local next; next="$(date -u -d "${lastday//\//-} + 1 day" +%Y/%m/%d)"
    local stamp_old="${lastday//\//}" stamp_new="${next//\//}" added=0 f
    while IFS= read -r -d '' f; do
        local rel="${f#"$farm"/}"
        local dst="$farm/${rel//$lastday/$next}"
        dst="${dst//_${stamp_old}T/_${stamp_new}T}"
        mkdir -p "$(dirname "$dst")"
        cp -L "$f" "$dst" && added=$((added + 1))
    done < <(find "$farm" -path "*/$lastday/*" -name '*.json.gz' -print0)
    "$BIN" scan --state "$db" --format json "$farm" > "$work/third.json" || { note "nightly: run after adding a day failed"; rm -rf "$work"; return; }
    local read3; read3="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["state"]["filesRead"])' "$work/third.json")"
    note "nightly: after adding one day ($added files) the run read $read3 files"
    if [[ "$read3" =~ ^[0-9]+$ ]]; then
        note "nightly extra files read after one more day = $((read3 - added))"
    fi
    rm -rf "$work"
}
