# Bench section: `agenttrail lint` over policies of many distinct unknown actions (the did-you-mean cost).
#
# Writes, in a temporary folder, policies of 1,000 and 20,000 distinct unknown action names made from the IAM
# catalogue's real names (a letter dropped, two letters swapped or a suffix added; services drawn at random; seed 7),
# then times a whole `lint` run over each, best of 3. Notes `lint 1000 unknown actions s`,
# `lint 20000 unknown actions s` and `lint us per unknown action` = (t20000 - t1000) / 19,000, which leaves out the
# catalogue load and process start. Targets in Scripts/bench-thresholds.tsv. Select it with BENCH_ONLY=lint.
section_60_lint() {
    [[ -n "$BIN" ]] || { note "lint: skipped (no agenttrail binary)"; return; }
    selected lint || return 0
    say "== agenttrail lint (unknown actions)"
    local work; work="$(mktemp -d)"
    python3 - "$ROOT/Sources/AgentTrail/Resources/iam-catalogue-all.json" "$work" 1000 20000 <<'EOF' || { note "lint: could not generate the policies - skipped"; rm -rf "$work"; return; }
import json, random, sys
services = json.load(open(sys.argv[1]))["services"]
actions = {p: sorted(s["actions"]) for p, s in services.items() if s["actions"]}
prefixes = sorted(actions)
known = {(p + ":" + a).lower() for p in prefixes for a in actions[p]}
for n in map(int, sys.argv[3:]):
    rng = random.Random(7)
    seen, names = set(), []
    while len(names) < n:
        p = rng.choice(prefixes)
        a = rng.choice(actions[p])
        kind = rng.randrange(3)
        if kind == 0 and len(a) > 3:
            i = rng.randrange(len(a))
            a = a[:i] + a[i + 1:]
        elif kind == 1 and len(a) > 3:
            i = rng.randrange(len(a) - 1)
            a = a[:i] + a[i + 1] + a[i] + a[i + 2:]
        else:
            a += rng.choice(["V2", "Batch", "Internal", "X"])
        name = p + ":" + a
        if name.lower() in known or name.lower() in seen:
            continue
        seen.add(name.lower())
        names.append(name)
    statements = [{"Effect": "Allow", "Action": names[i:i + 100], "Resource": "*"} for i in range(0, n, 100)]
    with open("%s/unknown-%d.json" % (sys.argv[2], n), "w") as f:
        json.dump({"Version": "2012-10-17", "Statement": statements}, f)
EOF
    local n best secs t0 t1 rc i
    declare -A took=()
    for n in 1000 20000; do
        best=""
        for i in 1 2 3; do
            t0="$(date +%s.%N)"
            "$BIN" lint --fail-on critical "$work/unknown-$n.json" > /dev/null 2>&1; rc=$?
            t1="$(date +%s.%N)"
            if ((rc != 0 && rc != 2)); then note "lint: run over $n unknown actions failed with exit code $rc"; best=""; break; fi
            secs="$(echo "$t1 - $t0" | bc -l)"
            if [[ -z "$best" ]] || (($(echo "$secs < $best" | bc -l))); then best="$secs"; fi
        done
        say "  lint-unknown-$n: best ${best:-?} s"
        [[ -n "$best" ]] || continue
        took[$n]="$best"
        note "lint $n unknown actions s = $(printf '%.3f' "$best")"
    done
    if [[ -n "${took[1000]:-}" && -n "${took[20000]:-}" ]]; then
        note "lint us per unknown action = $(printf '%.1f' "$(echo "(${took[20000]} - ${took[1000]}) * 1000000 / 19000" | bc -l)")"
    fi
    rm -rf "$work"
}
