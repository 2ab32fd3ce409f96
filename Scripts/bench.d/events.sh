# Bench section for `agenttrail events` (sourced by Scripts/bench.sh).
#
# A selective query (one rare source IP; one principal) against a full `scan --format json` of the same corpus,
# same decompressor and job count. Push-down (byte-level search for the IP / name before decoding) should make
# the selective query faster than the scan (target in Scripts/bench-thresholds.tsv). Prints
# `events-selective/scan = X` (scan seconds divided by query seconds).
#
# Environment: BENCH_EVENTS_IP (default 34.201.22.206, rare in the generated corpus),
#              BENCH_EVENTS_PRINCIPAL (default SupportChatBackendRole), BENCH_EVENTS_JOBS (default 2).

section_50_events() {
    [[ -z "$BIN" ]] && { note "events: no agenttrail binary - skipped"; return; }
    if ! "$BIN" events --help > /dev/null 2>&1; then
        note "events: '$BIN events --help' failed - skipped"
        return
    fi
    local ip="${BENCH_EVENTS_IP:-34.201.22.206}"
    local principal="${BENCH_EVENTS_PRINCIPAL:-SupportChatBackendRole}"
    local j="${BENCH_EVENTS_JOBS:-2}"
    say "== agenttrail events (push-down)"
    # The reference: a full scan with the same decompressor and jobs (reuse the built-in row when it exists).
    local scan_row="scan-libdeflate-j$j"
    if [[ -z "$(row_secs "$scan_row")" ]]; then
        measure "$scan_row" "'$BIN' scan --jobs $j --decompressor libdeflate --format json '$CORPUS' > /dev/null"
    fi
    measure "events-ip-j$j" "'$BIN' events --jobs $j --decompressor libdeflate --ip '$ip' --format jsonl '$CORPUS' > /dev/null"
    measure "events-principal-j$j" "'$BIN' events --jobs $j --decompressor libdeflate --principal '$principal' --count '$CORPUS' > /dev/null"
    local n1 n2 r1 r2
    n1="$("$BIN" events --jobs "$j" --ip "$ip" --count --format table "$CORPUS" 2> /dev/null)"
    n2="$("$BIN" events --jobs "$j" --principal "$principal" --count --format table "$CORPUS" 2> /dev/null)"
    r1="$(ratio "events-ip-j$j" "$scan_row")"
    r2="$(ratio "events-principal-j$j" "$scan_row")"
    note "events-selective/scan = $r1"
    note "events: --ip $ip matches ${n1:-?} records (speedup $r1), --principal $principal matches ${n2:-?} (speedup $r2); speedup = scan seconds / query seconds"
}
