#!/usr/bin/env bash
# Fuzzes AgentTrail's parsers with libFuzzer (Linux): builds the fuzz package in Fuzz/ with
# -sanitize=fuzzer,address, seeds each target from the repository's fixtures, runs each for SECONDS, and reports
# executions per target. Fails on any crash, leak, timeout or out-of-memory (the inputs are kept and printed).
#
#   Scripts/fuzz.sh [SECONDS] [TARGET...]     SECONDS per target (default 60); TARGET: gzip records instant policy
#                                             config (or FuzzGzip ...); default all
#
# Environment:
#   FUZZ_WORK=DIR        corpora, logs and crash inputs go here (kept); default a temporary directory, removed
#                        after a clean run and kept after a failure
#   FUZZ_JOBS=N          targets run at once (default 1; each libFuzzer process uses one core)
#   FUZZ_CONFIG=release  build optimised (about twice the executions per second; a longer build); default debug
#   FUZZ_SKIP_BUILD=1    use the binaries already built in Fuzz/.build-fuzz
#   FUZZ_ARGS="..."      extra libFuzzer flags for every target (e.g. "-seed=1 -max_len=65536")
#
# Reproduce a crash:   Fuzz/.build-fuzz/debug/FuzzRecords path/to/crash-<sha1>   (the script prints the command)
# (The build's scratch path is Fuzz/.build-fuzz, ignored by git; the main build and `swift test` never see it.)
set -u -o pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SECONDS_PER_TARGET="${1:-60}"
shift $(( $# > 0 ? 1 : 0 ))
case "$SECONDS_PER_TARGET" in ''|*[!0-9]*) echo "usage: Scripts/fuzz.sh [SECONDS] [TARGET...]" >&2; exit 64;; esac

ALL=(gzip records instant policy config)
targets=()
for t in "${@:-${ALL[@]}}"; do
  t="${t#Fuzz}"; t="$(echo "$t" | tr '[:upper:]' '[:lower:]')"
  case " ${ALL[*]} " in *" $t "*) targets+=("$t");; *) echo "unknown target: $t (one of: ${ALL[*]})" >&2; exit 64;; esac
done
product() { local t="$1"; echo "Fuzz${t^}"; }

# Every module (AgentTrail, Yams and its libyaml C code too) gets coverage instrumentation and AddressSanitizer.
# -parse-as-library: the targets have no top-level code; -enable-testing: FuzzRecords uses @testable (release).
SCRATCH="$ROOT/Fuzz/.build-fuzz"
CONFIG="${FUZZ_CONFIG:-debug}"
BUILD=(swift build --package-path "$ROOT/Fuzz" --scratch-path "$SCRATCH" -c "$CONFIG"
       -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xcc -fsanitize=fuzzer-no-link,address)
[ "$CONFIG" = release ] && BUILD+=(-Xswiftc -enable-testing)
if [ "${FUZZ_SKIP_BUILD:-0}" != 1 ]; then
  echo "== building the fuzz targets ($CONFIG, -sanitize=fuzzer,address) in Fuzz/.build-fuzz"
  build_start=$(date +%s)
  build() {  # (the linker warns about every AddressSanitizer helper symbol: not shown)
    "${BUILD[@]}" "$@" 2>&1 | { grep -v -e "Cannot export local symbol '__asan" || true; }
    [ "${PIPESTATUS[0]}" = 0 ] || { echo "building the fuzz targets failed" >&2; exit 1; }
  }
  if [ "${#targets[@]}" -eq "${#ALL[@]}" ]; then
    build
  else
    for t in "${targets[@]}"; do build --product "$(product "$t")"; done
  fi
  echo "   build took $(( $(date +%s) - build_start )) s"
fi
BIN="$("${BUILD[@]}" --show-bin-path)"
for t in "${targets[@]}"; do
  [ -x "$BIN/$(product "$t")" ] || { echo "missing $BIN/$(product "$t"): the build failed" >&2; exit 1; }
done

if [ -n "${FUZZ_WORK:-}" ]; then WORK="$FUZZ_WORK"; KEEP=1; mkdir -p "$WORK"
else WORK="$(mktemp -d "${TMPDIR:-/tmp}/agenttrail-fuzz.XXXXXX")"; KEEP=0; fi

# ---- seed corpora (copied from the fixtures into $WORK/<target>/corpus; nothing is written in the repository)
FIX=Tests/AgentTrailTests/Fixtures
small_gzip_files() {  # the edge-case and vendored archives, and every 10th sample log (all under 4 KB)
  find "$FIX" -name '*.gz' -size -4k | sort
  find SampleLogs -name '*.gz' -size -4k | sort | awk 'NR % 10 == 1'
}
seed() {
  local t="$1" c="$WORK/$1/corpus" i=0 f
  mkdir -p "$c"
  cp Fuzz/seeds/"$t"/* "$c"/ 2>/dev/null || true
  case "$t" in
    gzip)
      small_gzip_files | while read -r f; do i=$((i + 1)); cp "$f" "$c/fixture-$i.gz"; done
      find "$FIX/archive-edge" -name '*.json' -size -4k | while read -r f; do i=$((i + 1)); cp "$f" "$c/plain-$i.json"; done ;;
    records)
      # 4-byte header (options, chunk size, limits, fields; see Fuzz/Sources/FuzzRecords) + the decompressed log
      local headers=('\x01\x00\x00\x00' '\x1d\x07\x00\x00' '\x11\x83\x00\x00' '\x41\x40\x00\x21' '\x00\x00\x00\x00')
      # (the first 4 KB of each: libFuzzer's inputs are at most -max_len bytes)
      { small_gzip_files | while read -r f; do gzip -dc "$f" 2>/dev/null | head -c 4092; printf '\0'; done
        find "$FIX/archive-edge" "$FIX/reallogs" \( -name '*.json' -o -name '*.jsonl' \) -size -16k \
          -exec sh -c 'head -c 4092 "$1"; printf "\0"' _ {} \; ; } |
        while IFS= read -r -d '' doc; do
          printf "${headers[$((i % ${#headers[@]}))]}" > "$c/fixture-$i.json"
          printf '%s' "$doc" >> "$c/fixture-$i.json"
          i=$((i + 1))
        done ;;
    instant)
      small_gzip_files | head -40 | xargs gzip -dc 2>/dev/null | grep -o '"eventTime": *"[^"]*"' |
        sed 's/.*: *"\(.*\)"/\1/' | sort -u | head -50 | while read -r f; do i=$((i + 1)); printf '%s' "$f" > "$c/time-$i"; done ;;
    policy)
      find "$FIX/policies" SampleLogs/policies -name '*.json' -size -64k | while read -r f; do
        i=$((i + 1)); cp "$f" "$c/policy-$i.json"; done ;;
    config)
      cp SampleLogs/agenttrail.yml "$c/sample.yml" ;;
  esac
}
# Input sizes: small inputs reach the same code far more often (a few KB hold several records or members).
max_len() { case "$1" in gzip|records) echo 4096;; instant) echo 64;; policy) echo 8192;; config) echo 8192;; esac; }
dict() { case "$1" in records|policy) echo "-dict=$ROOT/Fuzz/dicts/json.dict";; config) echo "-dict=$ROOT/Fuzz/dicts/yaml.dict";; esac; }

run_target() {
  local t="$1" bin dir
  bin="$BIN/$(product "$t")"; dir="$WORK/$t"
  mkdir -p "$dir/artifacts"
  # SWIFT_BACKTRACE: let libFuzzer and AddressSanitizer report a crash (the Swift backtracer would get there first).
  # shellcheck disable=SC2046,SC2086
  SWIFT_BACKTRACE=enable=no "$bin" "$dir/corpus" -max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb=2048 -timeout=10 \
    -max_len="$(max_len "$t")" $(dict "$t") -artifact_prefix="$dir/artifacts/" -print_final_stats=1 ${FUZZ_ARGS:-} \
    > "$dir/log" 2>&1
  echo $? > "$dir/rc"
}

echo "== fuzzing ${targets[*]} for ${SECONDS_PER_TARGET} s each (work dir $WORK)"
running=0
for t in "${targets[@]}"; do
  seed "$t"
  echo "   $(product "$t"): $(ls "$WORK/$t/corpus" | wc -l) seeds"
  run_target "$t" &
  running=$((running + 1))
  if [ "$running" -ge "${FUZZ_JOBS:-1}" ]; then wait -n; running=$((running - 1)); fi
done
wait

failed=0
printf '\n%-12s %12s %10s %9s %8s  %s\n' target executions exec/s corpus rss_mb result
for t in "${targets[@]}"; do
  dir="$WORK/$t"; rc="$(cat "$dir/rc")"
  stat() { grep -o "stat::$1: *[0-9]*" "$dir/log" | grep -o '[0-9]*$' | tail -1; }
  artifacts=$(ls "$dir/artifacts" 2>/dev/null)
  result=ok
  if [ "$rc" != 0 ] || [ -n "$artifacts" ]; then
    result="FAILED (exit $rc)"; failed=1
  fi
  printf '%-12s %12s %10s %9s %8s  %s\n' "$(product "$t")" "$(stat number_of_executed_units)" \
    "$(stat average_exec_per_sec)" "$(ls "$dir/corpus" | wc -l)" "$(stat peak_rss_mb)" "$result"
done
for t in "${targets[@]}"; do
  dir="$WORK/$t"
  if [ "$(cat "$dir/rc")" != 0 ] || [ -n "$(ls "$dir/artifacts" 2>/dev/null)" ]; then
    echo
    echo "== $(product "$t") failed: log $dir/log"
    grep -E -A12 'ERROR: (libFuzzer|AddressSanitizer|LeakSanitizer)|Fatal error|Precondition failed|SUMMARY' "$dir/log" | head -40
    for a in "$dir"/artifacts/*; do
      [ -e "$a" ] || continue
      echo "   input: $a"
      echo "   reproduce: $BIN/$(product "$t") $a"
    done
  fi
done
if [ "$failed" = 0 ] && [ "$KEEP" = 0 ]; then rm -rf "$WORK"; fi
if [ "$failed" != 0 ]; then echo; echo "fuzzing found problems (inputs kept under $WORK)"; exit 1; fi
