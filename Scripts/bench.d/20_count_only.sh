# Splitter-only and summary-only measurements (sourced by Scripts/bench.sh).
#   scan-count-only-j1      `agenttrail scan --count-only --jobs 1`: decompress (libdeflate) + split, no decode;
#                           also notes the splitter's own MB/s (its time is measured apart from decompression)
#   scan-summary-only-j1/j2 `agenttrail scan --summary-only`: no detectors, records are never decoded
section_20_count_only() {
    [[ -z "$BIN" ]] && return
    "$BIN" scan --help 2>/dev/null | grep -q -- '--count-only' || { note "scan --count-only: not in this binary - skipped"; return; }
    say "== agenttrail scan --count-only / --summary-only"
    measure scan-count-only-j1 "'$BIN' scan --count-only --jobs 1 --decompressor libdeflate --format json '$CORPUS' > /dev/null"
    if selected scan-count-only-j1; then
        local line rate
        line="$("$BIN" scan --count-only --jobs 1 --decompressor libdeflate --format json "$CORPUS" 2>/dev/null \
            | python3 -c 'import json,sys; d=json.load(sys.stdin); print("%.0f %d" % (d["splitterMBPerSecond"], d["records"]))' 2>/dev/null)"
        if [[ -n "$line" ]]; then
            rate="${line%% *}"
            note "splitter alone: $rate MB/s per core (${line#* } records)"
            note "splitter MB/s per core = $rate"
        fi
    fi
    measure scan-summary-only-j1 "'$BIN' scan --summary-only --jobs 1 --decompressor libdeflate --format json '$CORPUS' > /dev/null"
    measure scan-summary-only-j2 "'$BIN' scan --summary-only --jobs 2 --decompressor libdeflate --format json '$CORPUS' > /dev/null"
}
