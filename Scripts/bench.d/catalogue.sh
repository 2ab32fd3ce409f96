# Bench section: IAM catalogue load time in the release build, reported by the binary itself (`catalogue load ms`;
# target in Scripts/bench-thresholds.tsv).
section_catalogue() {
    [[ -n "$BIN" ]] || { note "catalogue: skipped (no agenttrail binary)"; return; }
    local seed="$ROOT/Tests/AgentTrailTests/Fixtures/policies/seed/10b-least-privilege-good.json"
    local best="" line ms
    for _ in 1 2 3; do
        line="$("$BIN" lint "$seed" --catalogue-stats 2>&1 >/dev/null | grep '^catalogue:')"
        ms="$(sed -n 's/.*loaded in \([0-9]*\) ms.*/\1/p' <<<"$line")"
        [[ -z "$best" || ( -n "$ms" && "$ms" -lt "$best" ) ]] && best="$ms"
    done
    note "$line"
    note "catalogue load ms = ${best:-?} (best of 3)"
}
