#!/usr/bin/env bash
# AgentTrail throughput benchmark.
#
# Makes (once, cached outside the repo) a >= 1 GB uncompressed CloudTrail corpus with Scripts/gen_cloudtrail.py,
# builds `swift build -c release`, then measures side by side, best of N runs each:
#   zcat, libdeflate-gunzip (if installed), zcat | jq (if installed),
#   agenttrail scan --jobs 1|2 --decompressor zlib|libdeflate --format json
# and prints a table (seconds, uncompressed MB/s, throughput ratio to zcat) plus summary ratios and peak RSS.
# Then it checks the `NAME = VALUE` lines it printed against the targets in Scripts/bench-thresholds.tsv (PASS, FAIL
# or SKIP per target) and saves the report to $AGENTTRAIL_BENCH_DIR/last-results.txt (BENCH_RESULTS).
#
#   Scripts/bench.sh                          measure, report, check the thresholds
#   Scripts/bench.sh --check-only RESULTS     only check a saved report against the thresholds (no build, no corpus)
#
# Environment:
#   AGENTTRAIL_BENCH_DIR   cache dir (default ~/.cache/agenttrail-bench)
#   BENCH_SIZE             corpus size (default 1GB), BENCH_DAYS (default 2), BENCH_SEED (default 42)
#   BENCH_RUNS             runs per measurement (default 3; 2 when one run takes longer than BENCH_SLOW_SECONDS=60)
#   AGENTTRAIL_BIN         use this binary instead of building .build/release/agenttrail
#   BENCH_SKIP_BUILD=1     do not run swift build
#   BENCH_ONLY="zcat jq"   run only measurements whose name starts with one of these words
#   BENCH_THRESHOLDS       targets file (default Scripts/bench-thresholds.tsv)
#   BENCH_RESULTS          where to save the report (default $AGENTTRAIL_BENCH_DIR/last-results.txt)
#   BENCH_ENFORCE=1        exit 1 when a target FAILs (default: report only; CI does not run the bench)
#   BENCH_CALLGRIND=1      also count the rule rows' instructions under callgrind (Scripts/bench.d/12_rules_instructions.sh)
#   BENCH_RS_SIZE, BENCH_RS_DAYS, BENCH_TINY_FILES, BENCH_NO_DUCKDB=1
#                          the real-shaped / tiny-file section (Scripts/bench.d/30_realshaped.sh)
#
# Extending: define a function named `section_<name>` (here or in Scripts/bench.d/*.sh, which are sourced);
# every section_* function runs after the built-in measurements, in name order. Inside, call
#   measure <name> <command...>        (timed, best of N; adds a row to the table)
#   measure_interleaved <name> <cmd> <name> <cmd> ...   (the same, round-robin: for rows compared as ratios)
#   note "<line>"                     (printed in the summary)
# Helpers: $CORPUS, $TOTAL_BYTES (uncompressed), $BIN (agenttrail or empty), corpus_files (NUL-separated list).
# A section measuring another corpus sets MEASURE_BYTES (its uncompressed bytes, for MB/s) and MEASURE_BASE (the
# row its ratio column is relative to) around its `measure` calls, and adds `key=value` words to CONFIG_EXTRA
# (printed on the `bench config:` line, so targets can apply to that corpus).
set -u -o pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_DIR="${AGENTTRAIL_BENCH_DIR:-$HOME/.cache/agenttrail-bench}"
SIZE="${BENCH_SIZE:-1GB}"
DAYS="${BENCH_DAYS:-2}"
SEED="${BENCH_SEED:-42}"
RUNS="${BENCH_RUNS:-3}"
SLOW="${BENCH_SLOW_SECONDS:-60}"
ONLY="${BENCH_ONLY:-}"
THRESHOLDS="${BENCH_THRESHOLDS:-$ROOT/Scripts/bench-thresholds.tsv}"
CORPUS_KEY=""

declare -a ROW_NAME=() ROW_SECS=() ROW_RSS=() ROW_STATUS=()
declare -a NOTES=()
declare -a ROW_BYTES=() ROW_BASE=()   # per row, optional: uncompressed bytes read, row the ratio column divides by
declare -a ROW_CPU=()                 # per row: user+sys CPU seconds of the fastest run (from /usr/bin/time), or empty
declare -a CONFIG_EXTRA=()
TIME_BIN=""
BIN=""

say() { printf '%s\n' "$*" >&2; }
note() { NOTES+=("$*"); }

# ----------------------------------------------------------------------------------------------------------
# Corpus
# ----------------------------------------------------------------------------------------------------------
make_corpus() {
    local gen="$ROOT/Scripts/gen_cloudtrail.py"
    local gen_sha
    gen_sha="$(sha256sum "$gen" | cut -c1-16)"
    local key="seed${SEED}-${SIZE}-d${DAYS}"
    CORPUS_KEY="$key"
    CORPUS="$BENCH_DIR/corpus-$key"
    local stamp="$CORPUS.stamp" manifest="$CORPUS.manifest.json"
    local want="generator=$gen_sha seed=$SEED size=$SIZE days=$DAYS"
    if [[ -f "$stamp" && -f "$manifest" && "$(cat "$stamp")" == "$want" ]]; then
        say "corpus: cached $CORPUS"
    else
        say "corpus: generating $SIZE over $DAYS day(s) into $CORPUS (one-off, a minute or two)"
        rm -rf "$CORPUS" "$stamp" "$manifest"
        mkdir -p "$BENCH_DIR"
        python3 "$gen" --size "$SIZE" --days "$DAYS" --seed "$SEED" --out "$CORPUS" --manifest "$manifest" --jobs 2 \
            || { say "corpus generation failed"; exit 1; }
        echo "$want" > "$stamp"
    fi
    TOTAL_BYTES="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["uncompressedBytes"])' "$manifest")"
    COMPRESSED_BYTES="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["compressedBytes"])' "$manifest")"
    FILE_COUNT="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["files"])' "$manifest")"
    say "corpus: $FILE_COUNT files, $((TOTAL_BYTES / 1048576)) MiB uncompressed, $((COMPRESSED_BYTES / 1048576)) MiB gzip"
}

corpus_files() { find "$CORPUS" -type f -name '*.json.gz' -print0 | sort -z; }

# ----------------------------------------------------------------------------------------------------------
# Measuring
# ----------------------------------------------------------------------------------------------------------
selected() {
    [[ -z "$ONLY" ]] && return 0
    local w
    for w in $ONLY; do [[ "$1" == "$w"* ]] && return 0; done
    return 1
}

# run_one CMD : runs CMD once (through bash -c); sets RUN_RC, RUN_SECS (wall), RUN_RSS (KiB, from /usr/bin/time -v)
# and RUN_CPU (user + system seconds).
run_one() {
    local tf; tf="$(mktemp)"
    local t0 t1
    t0="$(date +%s.%N)"
    if [[ -n "$TIME_BIN" ]]; then
        "$TIME_BIN" -v -o "$tf" bash -c "$*" ; RUN_RC=$?
    else
        bash -c "$*" ; RUN_RC=$?
    fi
    t1="$(date +%s.%N)"
    RUN_SECS="$(echo "$t1 - $t0" | bc -l)"; RUN_RSS=0; RUN_CPU=""
    if [[ -n "$TIME_BIN" ]]; then
        RUN_RSS="$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$tf")"
        RUN_RSS="${RUN_RSS:-0}"
        RUN_CPU="$(awk -F: '/User time \(seconds\)|System time \(seconds\)/ {t += $2} END {printf "%.2f", t}' "$tf")"
    fi
    rm -f "$tf"
}

record_row() {  # record_row NAME BEST_SECS RSS STATUS CPU
    local idx=${#ROW_NAME[@]}
    ROW_BYTES[idx]="${MEASURE_BYTES:-}"; ROW_BASE[idx]="${MEASURE_BASE:-}"; ROW_CPU[idx]="$5"
    ROW_NAME+=("$1"); ROW_SECS+=("${2:-}"); ROW_RSS+=("$3"); ROW_STATUS+=("$4")
}

# measure NAME CMD... : run CMD (through bash -c if it is one string) RUNS times; keep the fastest wall time,
# and the peak RSS (max over runs) reported by /usr/bin/time -v.
measure() {
    local name="$1"; shift
    selected "$name" || return 0
    local best="" rss=0 status="ok" i n="$RUNS" cpu=""
    for ((i = 1; i <= n; i++)); do
        run_one "$*"
        if ((RUN_RC != 0)); then
            status="failed(rc=$RUN_RC)"
            say "  $name: run $i failed with exit code $RUN_RC"
            break
        fi
        ((RUN_RSS > rss)) && rss="$RUN_RSS"
        if [[ -z "$best" ]] || (($(echo "$RUN_SECS < $best" | bc -l))); then best="$RUN_SECS"; cpu="$RUN_CPU"; fi
        say "  $name: run $i: $(printf '%.3f' "$RUN_SECS") s, max RSS $((RUN_RSS / 1024)) MB"
        if ((i == 1)) && (($(echo "$RUN_SECS > $SLOW" | bc -l))) && ((n > 2)); then n=2; fi
    done
    record_row "$name" "$best" "$rss" "$status" "$cpu"
}

# measure_interleaved NAME1 CMD1 NAME2 CMD2 ... : like `measure` for each pair, but round-robin (run 1 of every row,
# then run 2, ...), so that rows compared as a ratio see the same machine state (a shared machine drifts by more
# than the few per cent such ratios measure).
measure_interleaved() {
    local names=() cmds=() k i
    while (($# >= 2)); do
        if selected "$1"; then names+=("$1"); cmds+=("$2"); fi
        shift 2
    done
    ((${#names[@]} == 0)) && return 0
    local best=() rss=() status=() cpu=()
    for k in "${!names[@]}"; do best[k]=""; rss[k]=0; status[k]=ok; cpu[k]=""; done
    for ((i = 1; i <= RUNS; i++)); do
        for k in "${!names[@]}"; do
            [[ "${status[k]}" == ok ]] || continue
            run_one "${cmds[k]}"
            if ((RUN_RC != 0)); then
                status[k]="failed(rc=$RUN_RC)"
                say "  ${names[k]}: run $i failed with exit code $RUN_RC"
                continue
            fi
            ((RUN_RSS > rss[k])) && rss[k]="$RUN_RSS"
            if [[ -z "${best[k]}" ]] || (($(echo "$RUN_SECS < ${best[k]}" | bc -l))); then best[k]="$RUN_SECS"; cpu[k]="$RUN_CPU"; fi
            say "  ${names[k]}: run $i: $(printf '%.3f' "$RUN_SECS") s, max RSS $((RUN_RSS / 1024)) MB"
        done
    done
    for k in "${!names[@]}"; do record_row "${names[k]}" "${best[k]}" "${rss[k]}" "${status[k]}" "${cpu[k]}"; done
}

row_secs() {  # seconds of a named row, empty when missing or failed
    local i
    for i in "${!ROW_NAME[@]}"; do
        if [[ "${ROW_NAME[$i]}" == "$1" && "${ROW_STATUS[$i]}" == ok ]]; then echo "${ROW_SECS[$i]}"; return; fi
    done
}

ratio() {  # throughput of $1 relative to $2 (= secs2 / secs1)
    local a b; a="$(row_secs "$1")"; b="$(row_secs "$2")"
    if [[ -n "$a" && -n "$b" ]]; then printf '%.3f' "$(echo "$b / $a" | bc -l)"; else echo "n/a"; fi
}

# ----------------------------------------------------------------------------------------------------------
# Built-in sections
# ----------------------------------------------------------------------------------------------------------
section_00_baselines() {
    say "== baselines"
    measure zcat "find '$CORPUS' -type f -name '*.json.gz' -print0 | sort -z | xargs -0 zcat > /dev/null"
    if command -v libdeflate-gunzip > /dev/null; then
        measure libdeflate-gunzip "find '$CORPUS' -type f -name '*.json.gz' -print0 | sort -z | xargs -0 libdeflate-gunzip -c > /dev/null"
    else
        note "libdeflate-gunzip: not installed (Debian package libdeflate-tools) - skipped"
    fi
    if command -v jq > /dev/null; then
        measure zcat-jq-bedrock "find '$CORPUS' -type f -name '*.json.gz' -print0 | sort -z | xargs -0 zcat | jq -c '.Records[] | select(.eventSource==\"bedrock.amazonaws.com\")' > /dev/null"
    else
        note "jq: not installed - skipped"
    fi
}

build_agenttrail() {
    if [[ -n "${AGENTTRAIL_BIN:-}" ]]; then
        BIN="$AGENTTRAIL_BIN"
    else
        if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
            say "== swift build -c release"
            (cd "$ROOT" && swift build -c release --product agenttrail 2>&1 | tail -5) >&2
        fi
        BIN="$ROOT/.build/release/agenttrail"
    fi
    if [[ ! -x "$BIN" ]]; then
        note "agenttrail: no binary at $BIN (build failed?) - scan measurements skipped"
        BIN=""
        return
    fi
    # probe: the scan subcommand with the options this script uses must exist
    if ! "$BIN" scan --help > /dev/null 2>&1; then
        note "agenttrail: '$BIN scan --help' failed - scan measurements skipped"
        BIN=""
        return
    fi
    local probe_dir; probe_dir="$(mktemp -d)"
    if ! "$BIN" scan --jobs 1 --decompressor zlib --format json "$probe_dir" > /dev/null 2>&1; then
        note "agenttrail: 'scan --jobs 1 --decompressor zlib --format json <dir>' failed on an empty dir - scan measurements skipped"
        BIN=""
    fi
    rmdir "$probe_dir"
}

section_10_agenttrail() {
    build_agenttrail
    [[ -z "$BIN" ]] && return
    say "== agenttrail scan"
    local dec j
    for dec in zlib; do
        for j in 1 2; do
            measure "scan-$dec-j$j" "'$BIN' scan --jobs $j --decompressor $dec --format json '$CORPUS' > /dev/null"
        done
    done
    measure "scan-libdeflate-j2" "'$BIN' scan --jobs 2 --decompressor libdeflate --format json '$CORPUS' > /dev/null"
    # Rules: scan-libdeflate-j1 runs the default rule pack (on by default); the same scan without any rule, and with
    # the pack plus the 57 SigmaHQ CloudTrail rules (131 rules and 4 correlations in all). Interleaved: their ratios
    # are a few per cent, less than this machine drifts between consecutive rows.
    local sigmahq="$ROOT/Tests/AgentTrailTests/Fixtures/sigma/SigmaHQ-cloudtrail"
    measure_interleaved \
        "scan-norules-j1" "'$BIN' scan --jobs 1 --decompressor libdeflate --no-default-rules --format json '$CORPUS' > /dev/null" \
        "scan-libdeflate-j1" "'$BIN' scan --jobs 1 --decompressor libdeflate --format json '$CORPUS' > /dev/null" \
        "scan-rules131-j1" "'$BIN' scan --jobs 1 --decompressor libdeflate --rules '$sigmahq' --format json '$CORPUS' > /dev/null"
}

# ----------------------------------------------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------------------------------------------
report() {
    local mb; mb="$(echo "$TOTAL_BYTES / 1000000" | bc -l)"
    local zs; zs="$(row_secs zcat)"
    echo
    echo "AgentTrail bench: $FILE_COUNT files, $(printf '%.1f' "$mb") MB uncompressed (MB = 10^6 bytes), best of $RUNS, $(nproc) cores"
    echo "corpus: $CORPUS"
    local build=none  # release or debug from the binary's folder (.build/<triple>/release/...), else unknown
    if [[ -n "$BIN" ]]; then
        case "$(readlink -f "$BIN" 2>/dev/null)" in */release/*) build=release ;; */debug/*) build=debug ;; *) build=unknown ;; esac
    fi
    echo "bench config: corpus=$CORPUS_KEY cores=$(nproc) build=$build runs=$RUNS${CONFIG_EXTRA[*]+ ${CONFIG_EXTRA[*]}}"
    printf '%-22s %10s %10s %10s %10s  %s\n' name seconds MB/s ratio/zcat peakRSS_MB status
    local i
    for i in "${!ROW_NAME[@]}"; do
        local s="${ROW_SECS[$i]}" rate="-" r="-" secs="-" rmb="$mb" rzs="$zs"
        # rows over another corpus: their own bytes and baseline row (MEASURE_BYTES / MEASURE_BASE)
        [[ -n "${ROW_BYTES[$i]:-}" ]] && rmb="$(echo "${ROW_BYTES[$i]} / 1000000" | bc -l)"
        [[ -n "${ROW_BASE[$i]:-}" ]] && rzs="$(row_secs "${ROW_BASE[$i]}")"
        if [[ "${ROW_STATUS[$i]}" == ok && -n "$s" ]]; then
            secs="$(printf '%.3f' "$s")"
            rate="$(printf '%.1f' "$(echo "$rmb / $s" | bc -l)")"
            [[ -n "$rzs" ]] && r="$(printf '%.3f' "$(echo "$rzs / $s" | bc -l)")"
        fi
        printf '%-22s %10s %10s %10s %10s  %s\n' "${ROW_NAME[$i]}" "$secs" "$rate" "$r" "$((ROW_RSS[$i] / 1024))" "${ROW_STATUS[$i]}"
    done
    echo
    echo "scan-zlib-j1/zcat = $(ratio scan-zlib-j1 zcat)"
    echo "scan-j2/scan-j1 = $(ratio scan-zlib-j2 scan-zlib-j1)"
    echo "libdeflate-j1/zcat = $(ratio scan-libdeflate-j1 zcat)"
    echo "libdeflate-j2/zcat = $(ratio scan-libdeflate-j2 zcat)"
    echo "libdeflate-j2/libdeflate-j1 = $(ratio scan-libdeflate-j2 scan-libdeflate-j1)"
    # Time with rules over time without (1.10 = rules cost 10 % of the scan).
    echo "pack-time/no-rules-time = $(ratio scan-norules-j1 scan-libdeflate-j1)"
    echo "rules131-time/no-rules-time = $(ratio scan-norules-j1 scan-rules131-j1)"
    local peak=0 have=0
    for i in "${!ROW_NAME[@]}"; do
        if [[ "${ROW_NAME[$i]}" == scan-* && "${ROW_STATUS[$i]}" == ok ]]; then
            have=1
            ((ROW_RSS[$i] > peak)) && peak="${ROW_RSS[$i]}"
        fi
    done
    if ((have)) && [[ -n "$TIME_BIN" ]]; then echo "peak RSS MB = $((peak / 1024))"; else echo "peak RSS MB = n/a"; fi
    local n
    for n in "${NOTES[@]+"${NOTES[@]}"}"; do echo "note: $n"; done
}

# ----------------------------------------------------------------------------------------------------------
# Thresholds
# ----------------------------------------------------------------------------------------------------------
# check_thresholds RESULTS: reads the `NAME = VALUE` lines of a bench report (ratio lines and `note: NAME = VALUE`
# lines; the last one of a name wins) and its `bench config:` line, and compares them with the targets in
# $THRESHOLDS. Prints one line per target: PASS or FAIL with the measured value, SKIP when the run did not measure
# it or the target applies to another corpus/machine, ERROR for a malformed target line. Returns 1 when any target
# FAILs or is malformed, else 0.
check_thresholds() {
    local results="$1"
    if [[ ! -f "$THRESHOLDS" ]]; then
        echo "thresholds: no file $THRESHOLDS - nothing checked"
        return 0
    fi
    echo "thresholds (${THRESHOLDS#"$ROOT"/}):"
    awk -F'\t' '
        function trim(x) { gsub(/^[ \t]+|[ \t]+$/, "", x); return x }
        FILENAME == ARGV[1] {
            line = $0
            if (line ~ /^bench config: /) {
                n = split(substr(line, 15), kv, " ")
                for (i = 1; i <= n; i++) { eq = index(kv[i], "="); if (eq) config[substr(kv[i], 1, eq - 1)] = substr(kv[i], eq + 1) }
                next
            }
            sub(/^note: /, "", line)
            at = index(line, " = ")
            if (at == 0) next
            name = substr(line, 1, at - 1)
            split(trim(substr(line, at + 3)), words, /[ \t]+/)
            value[name] = words[1]
            next
        }
        /^[ \t]*(#|$)/ { next }
        {
            metric = trim($1); op = trim($2); target = trim($3); applies = trim($4); note = trim($5)
            if (NF < 4 || metric == "" || op !~ /^(>=|>|<=|<|==)$/ || target !~ /^-?[0-9]+(\.[0-9]+)?$/ || applies == "") {
                printf "  ERROR %s line %d: want metric<TAB>op<TAB>value<TAB>applies<TAB>note, op one of >= > <= < ==\n", FILENAME, FNR
                bad++
                next
            }
            skip = ""
            if (applies != "any") {
                n = split(applies, conds, ",")
                for (i = 1; i <= n; i++) {
                    eq = index(conds[i], "="); k = trim(substr(conds[i], 1, eq - 1)); v = trim(substr(conds[i], eq + 1))
                    if (skip == "" && (!(k in config) || config[k] != v)) skip = "applies to " applies "; this run has " k "=" ((k in config) ? config[k] : "?")
                }
            }
            measured = (metric in value) ? value[metric] : ""
            if (skip == "" && measured !~ /^-?([0-9]+(\.[0-9]*)?|\.[0-9]+)$/) skip = (measured == "" ? "not measured in this run" : "measured " measured)
            if (skip != "") {
                printf "  SKIP  %-46s %10s  %-2s %-8s %s (%s)\n", metric, "-", op, target, note, skip
                next
            }
            m = measured + 0; t = target + 0
            ok = (op == ">=" && m >= t) || (op == ">" && m > t) || (op == "<=" && m <= t) || (op == "<" && m < t) || (op == "==" && m == t)
            if (!ok) failed++
            printf "  %-5s %-46s %10s  %-2s %-8s %s\n", (ok ? "PASS" : "FAIL"), metric, measured, op, target, note
        }
        END {
            printf "thresholds: %d failed%s\n", failed + 0, (bad ? sprintf(", %d malformed", bad) : "")
            exit (failed || bad) ? 1 : 0
        }
    ' "$results" "$THRESHOLDS"
}

# enforce STATUS: the exit status of the bench for a thresholds check that returned STATUS.
enforce() {
    if (($1 != 0)); then
        if [[ "${BENCH_ENFORCE:-0}" == 1 ]]; then
            echo "BENCH_ENFORCE=1: failing"
            exit 1
        fi
        echo "(report only: BENCH_ENFORCE=1 makes a failed target exit 1)"
    fi
    exit 0
}

main() {
    if [[ "${1:-}" == --check-only ]]; then
        if [[ -z "${2:-}" || ! -f "$2" ]]; then
            say "usage: Scripts/bench.sh --check-only RESULTS_FILE   (a saved bench report)"
            exit 2
        fi
        check_thresholds "$2"
        enforce $?
    fi
    if [[ -x /usr/bin/time ]] && /usr/bin/time -v true > /dev/null 2>&1; then
        TIME_BIN=/usr/bin/time
    else
        note "/usr/bin/time (GNU, Debian package 'time') not installed: no peak RSS"
    fi
    command -v bc > /dev/null || { say "bc is required"; exit 1; }
    make_corpus
    say "== warming the page cache"
    corpus_files | xargs -0 cat > /dev/null
    local d
    if [[ -d "$ROOT/Scripts/bench.d" ]]; then
        for d in "$ROOT"/Scripts/bench.d/*.sh; do [[ -f "$d" ]] && source "$d"; done
    fi
    local f
    for f in $(declare -F | awk '{print $3}' | grep '^section_' | sort); do
        "$f"
    done
    local results="${BENCH_RESULTS:-$BENCH_DIR/last-results.txt}"
    report | tee "$results"
    echo
    check_thresholds "$results"
    local status=$?
    echo "report saved to $results (check it again: Scripts/bench.sh --check-only $results)"
    enforce "$status"
}

main "$@"
