# Instruction counts of the rule rows (sourced by Scripts/bench.sh). Wall-clock ratios of a few per cent drift with
# this shared machine (the same binary has measured 0.98 and 1.14 for rules131/no-rules, best of 7, interleaved);
# instruction counts under callgrind do not. Opt-in: BENCH_CALLGRIND=1 (about 10 minutes on the 1 GB corpus, the
# three runs two at a time), and only when valgrind is installed.
#   instructions: scan without rules, with the default pack, with the pack + 57 SigmaHQ CloudTrail rules (1 worker,
#   libdeflate, the whole corpus); notes `pack-instr/no-rules-instr` and `rules131-instr/no-rules-instr`.
section_12_rules_instructions() {
    [[ -z "$BIN" ]] && return
    [[ "${BENCH_CALLGRIND:-0}" == 1 ]] || return 0
    selected rules-instr || return 0
    command -v valgrind >/dev/null || { note "rules instructions: valgrind not installed - skipped"; return; }
    say "== rule costs in instructions (callgrind)"
    local dir; dir="$(mktemp -d)"
    # valgrind cannot read the Swift binary's DWARF: a copy without debug sections, beside its resource bundle.
    cp "$BIN" "$dir/agenttrail" && strip --strip-debug "$dir/agenttrail" || { note "rules instructions: cannot strip a copy - skipped"; rm -rf "$dir"; return; }
    local res; for res in "$(dirname "$BIN")"/*.resources; do [[ -d "$res" ]] && cp -r "$res" "$dir/"; done
    local sigmahq="$ROOT/Tests/AgentTrailTests/Fixtures/sigma/SigmaHQ-cloudtrail"
    run_cg() {  # run_cg NAME ARGS... : instructions of one scan into $dir/NAME.ir
        valgrind --tool=callgrind --callgrind-out-file=/dev/null "$dir/agenttrail" scan --jobs 1 --decompressor libdeflate \
            "${@:2}" --format json "$CORPUS" 2>"$dir/$1.err" >/dev/null
        sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$dir/$1.err" | tail -1 > "$dir/$1.ir"
    }
    run_cg norules --no-default-rules & run_cg pack & wait
    run_cg rules131 --rules "$sigmahq"
    local n p r; n="$(cat "$dir/norules.ir")"; p="$(cat "$dir/pack.ir")"; r="$(cat "$dir/rules131.ir")"
    if [[ -n "$n" && -n "$p" && -n "$r" ]]; then
        say "  instructions: no rules $n, pack $p, pack + SigmaHQ $r"
        note "instructions: no rules $n, default pack $p, pack + 57 SigmaHQ $r (callgrind, 1 worker)"
        note "pack-instr/no-rules-instr = $(printf '%.3f' "$(echo "$p / $n" | bc -l)")"
        note "rules131-instr/no-rules-instr = $(printf '%.3f' "$(echo "$r / $n" | bc -l)")"
    else
        note "rules instructions: a callgrind run failed ($(tail -n 2 "$dir"/*.err | tr '\n' ' ' | cut -c1-200))"
    fi
    rm -rf "$dir"
}
