# Bench section (issue 16): one scan as N shards on this machine, as an engine would run them (Docs/Scale.md).
# For N = 1, 2, 4, 8: `agenttrail plan --shards N`, then the N shard scans through `xargs -P <cores>` (`--jobs 1` each,
# `--partial-out`), then `agenttrail merge`; the merged JSON must equal one `scan` over the corpus (without the
# `performance` block), else the row is marked failed. Then 100 partials merged (`merge of 100 partials s` and its
# peak RSS; targets in Scripts/bench-thresholds.tsv). Rows: shards-N (plan + scans), merge-N, dask-4/8 (Scripts/dask-scan.py on
# a local cluster, when .build/dask-venv exists), merge-100.
section_shards() {
    [[ -n "$BIN" ]] || { note "shards: skipped (no agenttrail binary)"; return; }
    local row any=""
    for row in shards-1 shards-2 shards-4 shards-8 merge-1 merge-2 merge-4 merge-8 merge-100 dask-4 dask-8; do
        selected "$row" && any=1
    done
    [[ -n "$any" ]] || return 0
    local work cores n k
    work="$(mktemp -d)"
    cores="$(nproc)"
    "$BIN" scan "$CORPUS" --format json > "$work/single.json" 2>/dev/null
    strip_perf() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d.pop("performance", None); print(json.dumps(d, sort_keys=True))' "$1"; }
    strip_perf "$work/single.json" > "$work/single.norm"
    # Notes whether a merged report ($1) equals the single scan, as "<label>: PASS|FAIL".
    same_as_single() {
        if [[ -s "$1" ]] && cmp -s <(strip_perf "$1") "$work/single.norm"; then note "shards: $2 = one scan: PASS"
        else note "shards: $2 = one scan: FAIL"; fi
    }
    for n in 1 2 4 8; do
        selected "shards-$n" || continue
        rm -f "$work"/part-*.json
        measure "shards-$n" "'$BIN' plan '$CORPUS' --shards $n --output '$work/plan.json' && seq 0 $((n - 1)) | xargs -P $cores -I{} '$BIN' scan --plan '$work/plan.json' --shard {} --jobs 1 --partial-out '$work/part-{}.json' --format json '$CORPUS' > /dev/null"
        selected "merge-$n" || continue
        measure "merge-$n" "'$BIN' merge '$work'/part-*.json --format json > '$work/merged-$n.json'"
        same_as_single "$work/merged-$n.json" "$n shards merged"
    done
    # The same through Dask on a local cluster (Scripts/dask-scan.py), when its venv exists (Scripts/check-dask-scan.sh
    # makes .build/dask-venv); the merged report is checked like the others.
    local dpy="$ROOT/.build/dask-venv/bin/python"
    if [[ -x "$dpy" ]] && "$dpy" -c 'import dask, distributed' 2>/dev/null; then
        for n in 4 8; do
            selected "dask-$n" || continue
            measure "dask-$n" "'$dpy' '$ROOT/Scripts/dask-scan.py' --shards $n --local $cores --agenttrail '$BIN' --format json --output '$work/dask-$n.json' '$CORPUS' 2> /dev/null"
            same_as_single "$work/dask-$n.json" "Dask, $n shards on a local cluster"
        done
    else
        note "shards: Dask rows skipped (no .build/dask-venv: run Scripts/check-dask-scan.sh once)"
    fi
    # 100 partials (each a shard of the same corpus).
    if ! selected "merge-100"; then rm -rf "$work"; return 0; fi
    rm -f "$work"/part-*.json
    "$BIN" plan "$CORPUS" --shards 100 --output "$work/plan.json" 2>/dev/null
    seq 0 99 | xargs -P "$cores" -I{} "$BIN" scan --plan "$work/plan.json" --shard {} --jobs 1 --partial-out "$work/part-{}.json" --format json "$CORPUS" > /dev/null 2>&1
    measure "merge-100" "'$BIN' merge '$work'/part-*.json --format json > '$work/merged-100.json'"
    local i
    for i in "${!ROW_NAME[@]}"; do
        if [[ "${ROW_NAME[$i]}" == "merge-100" ]]; then
            note "merge of 100 partials s = ${ROW_SECS[$i]}"
            note "merge of 100 partials peak RSS MB = $(( ${ROW_RSS[$i]:-0} / 1024 ))"
        fi
    done
    same_as_single "$work/merged-100.json" "100 partials merged"
    note "shards: partials of 100 shards, total $(du -sm "$work" | cut -f1) MB in $work (removed)"
    rm -rf "$work"
}
