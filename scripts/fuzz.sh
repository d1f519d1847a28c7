#!/usr/bin/env bash
# Fuzzes the parsers of outside input with libFuzzer (docs/fuzzing.md).
#
#   scripts/fuzz.sh TARGET [SECONDS] [libFuzzer flags...]   build, then fuzz TARGET (default 60 s)
#   scripts/fuzz.sh all SECONDS                              every target in turn (CI: .ci/run)
#   scripts/fuzz.sh build                                    only build .build-fuzz/release/ssd-fuzz
#   scripts/fuzz.sh list                                     the targets
#
# The harness (Fuzz/Harness, one file per target) is built with -sanitize=fuzzer,address in
# its own build folder (.build-fuzz); `swift build` never builds it. The corpus of TARGET
# grows in .fuzz/TARGET/corpus (not in git), seeded from ../shared/fixtures, the configs and
# the committed regression inputs in Tests/Fixtures/fuzz/TARGET (files as the parser reads
# them; the harness's `seeds` puts them in the target's input layout). Crashes, timeouts (> 10 s)
# and allocations over 2 GiB are written to .fuzz/TARGET/ as crash-*/timeout-*/oom-* files;
# the run then fails. Reproduce one with:
#   SSD_FUZZ_TARGET=TARGET ASAN_OPTIONS=detect_leaks=0 .build-fuzz/release/ssd-fuzz FILE
# Long campaigns: ASAN_OPTIONS=detect_leaks=0:malloc_context_size=0 \
#   scripts/fuzz.sh TARGET 3600 -fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1
# (malloc_context_size=0: no stack trace kept per allocation, 1.6x the executions per second of
# the report targets; a report then lacks the allocation's stack: replay the input without it.)
# SSD_FUZZ_NO_BUILD=1 runs the binary as it is (e.g. while editing sources during a campaign).
# SSD_FUZZ_CONFIG=debug builds -Onone (builds in a third of the time, runs ~3x slower; CI).
# SSD_FUZZ_SCRATCH=DIR builds in DIR instead of .build-fuzz.
#
# Adding a target: a file in Fuzz/Harness with `run` and `seeds`, a line in
# FuzzTarget.all, and its fixture files and input size limit in `seed_files`/`max_len` here.
set -euo pipefail
cd "$(dirname "$0")/.."
fixtures=${SSD_FIXTURES:-../shared/fixtures}
configs=${SSD_CONFIGS:-../shared/configs}
targets=(tfrecord example jpeg pipeline-config label-map checkpoint-v1 checkpoint-v2 snappy coco-json dllogger events wire)

# Fixture files the harness turns into TARGET's seed inputs (its `seeds` function).
seed_files() {
  case "$1" in
    tfrecord | example) ls "$fixtures"/bad_tfrecord/*.record "$fixtures"/tfrecord/*.record* "$fixtures"/tfrecord/legacy/*.record* ;;
    jpeg) ls "$fixtures"/tfrecord/synth_val.record-00000-of-00001 "$fixtures"/bad_tfrecord/bad_jpeg.record ;;
    pipeline-config) ls configs/*.config "$configs"/*.config Tests/ConfigData/*.config ;;
    label-map) ls "$fixtures"/mscoco_label_map.pbtxt ;;
    checkpoint-v1) ls "$fixtures"/checkpoint/small/v1/model.ckpt ;;
    checkpoint-v2) ls "$fixtures"/checkpoint/*/v2/*.index ;;
    coco-json) ls -d "$fixtures"/cocoeval/*/ | sed 's:/$::'; ls "$fixtures"/tfrecord/instances_synth_val.json ;;
    events) find Tests/EventsData -name 'events.out.tfevents.*' ;;
    snappy | dllogger | wire) ;;  # the harness makes its seeds
    *) echo "fuzz.sh: unknown target '$1' (scripts/fuzz.sh list)" >&2; return 1 ;;
  esac
}

# Largest input libFuzzer makes for TARGET (bytes): big enough for the seeds' structure,
# small enough to keep executions fast.
max_len() {
  case "$1" in
    tfrecord | checkpoint-v2 | jpeg) echo 16384 ;;
    coco-json) echo 65536 ;;
    *) echo 8192 ;;
  esac
}

config=${SSD_FUZZ_CONFIG:-release}
# The hang limit is for the release harness (the issue's 10 s). The debug harness CI uses is
# 10-50x slower under ASan at -Onone: a legal 178-byte JPEG declaring 65500x768 pixels takes
# 14 s there (libjpeg-turbo itself decodes it in 0.11 s; the rest is our pixel loops built
# -Onone under ASan), so debug smoke runs allow 120 s per input.
if [ "$config" = debug ]; then unit_timeout=${SSD_FUZZ_TIMEOUT:-120}; else unit_timeout=${SSD_FUZZ_TIMEOUT:-10}; fi
# Writes TARGET's libFuzzer dictionary (tokens worth inserting) to FILE; false if none.
dictionary() {
  case "$1" in
    coco-json | dllogger) cp Fuzz/Dictionaries/json.dict "$2" ;;
    example) cp Fuzz/Dictionaries/example.dict "$2" ;;
    pipeline-config | label-map)  # every field and enum value name of the schema, and the syntax
      { grep -oE '(opt|rep)\("[a-z0-9_]+"' Sources/Config/ProtoSchema+ObjectDetection.swift | sed -E 's/.*\(//'
        grep -oE '\("[A-Z][A-Z0-9_]*", -?[0-9]+\)' Sources/Config/ProtoSchema+ObjectDetection.swift | sed -E 's/^\(("[^"]*").*/\1/'
        printf '"%s"\n' '{' '}' '<' '>' '[' ']' ':' ',' ';' '#' "'" 'true' 'false' 'inf' '-nan' '0x' '1e39' \
          '4294967296' '-2147483649' '\\x' '\\u' '\\377'
      } | sort -u > "$2" ;;
    *) return 1 ;;
  esac
}

scratch_path=${SSD_FUZZ_SCRATCH:-.build-fuzz}
binary=$scratch_path/$config/ssd-fuzz
build() {
  if [ -n "${SSD_FUZZ_NO_BUILD:-}" ]; then test -x "$binary"; return; fi
  # lld: gold fails on the sanitizer runtime's symbols. detect_leaks=0: see docs/fuzzing.md.
  SSD_FUZZ=1 swift build -c "$config" --scratch-path "$scratch_path" --product ssd-fuzz -Xswiftc -enable-testing \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -use-ld=lld 2>&1 \
    | grep -v "Cannot export local symbol" >&2
  test -x "$binary"
}

# fuzz TARGET SECONDS [flags...]: seeds, then libFuzzer; fails when it found a problem.
fuzz() {
  local target=$1 seconds=$2
  shift 2
  local dir=.fuzz/$target
  mkdir -p "$dir/corpus"
  local scratch base=${FUZZ_TMP:-/dev/shm}  # files the parsers open: in memory if possible
  [ -w "$base" ] || base=${TMPDIR:-/tmp}
  scratch=$(mktemp -d "$base/ssd-fuzz.XXXXXX")
  local seeds=$scratch/seeds
  mkdir -p "$seeds"
  # shellcheck disable=SC2046
  SSD_FUZZ_TARGET=$target SSD_FUZZ_SEEDS_OUT=$seeds "$binary" $(seed_files "$target") \
    $(ls -d Tests/Fixtures/fuzz/"$target"/* 2>/dev/null || true)
  local dict=()
  if dictionary "$target" "$scratch/dictionary"; then dict=(-dict="$scratch/dictionary"); fi
  local status=0
  TMPDIR=$scratch SSD_FUZZ_TARGET=$target ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0} "$binary" \
    -max_total_time="$seconds" -timeout="$unit_timeout" -rss_limit_mb=3072 -malloc_limit_mb=2048 -max_len="$(max_len "$target")" \
    -artifact_prefix="$dir/" -print_final_stats=1 "${dict[@]}" "$@" "$dir/corpus" "$seeds" \
    2> >(tee "$dir/last-run.log" | grep -E "^#[0-9]+ *(INITED|DONE)|^stat::|ERROR|SUMMARY|check failed|Test unit written|^==" >&2) \
    || status=$?
  sleep 0.2  # let the log filter finish
  rm -rf "$scratch"
  return $status
}

case "${1:-}" in
  list) printf '%s\n' "${targets[@]}" ;;
  build) build ;;
  all)
    seconds=${2:?usage: scripts/fuzz.sh all SECONDS}
    build
    failed=()
    for t in "${targets[@]}"; do
      echo "== fuzz $t ($seconds s)" >&2
      fuzz "$t" "$seconds" || failed+=("$t")
    done
    if ((${#failed[@]})); then echo "fuzz.sh: problems found in: ${failed[*]} (see .fuzz/<target>/)" >&2; exit 1; fi
    echo "fuzz.sh: ${#targets[@]} targets, no problem found" >&2
    ;;
  "" | -h | --help) sed -n '2,/^set -euo/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit 2 ;;
  *)
    target=$1
    seconds=${2:-60}
    shift $(($# >= 2 ? 2 : 1))
    seed_files "$target" >/dev/null
    build
    fuzz "$target" "$seconds" "$@"
    ;;
esac
