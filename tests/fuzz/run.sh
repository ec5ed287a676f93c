#!/usr/bin/env bash
# Runs every libFuzzer harness for a bounded time, seeded from the fixtures, with the formats'
# dictionaries and each harness's regressions (tests/fuzz/regressions/HARNESS/). A crash fails the
# run and leaves the input in build-fuzz/crashes/ to turn into a regression there (see its
# README.md). Usage: tests/fuzz/run.sh BUILD_DIR SECONDS
set -euo pipefail
build=${1:-build-fuzz}
seconds=${2:-60}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$build/crashes"

run() {
  local fuzzer=$1 dict=$2
  shift 2
  local corpus="$work/$fuzzer"
  mkdir -p "$corpus"
  # Seeds: copies, so that the fuzzer's new inputs never land in the repository.
  for seed in "$@"; do
    [ -f "$seed" ] && cp "$seed" "$corpus/$(echo "$seed" | md5sum | cut -c1-16)"
  done
  local options=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=262144
                 -artifact_prefix="$build/crashes/$fuzzer-" -print_final_stats=1)
  [ -n "$dict" ] && options+=(-dict="$dict")
  echo "fuzzing $fuzzer for $seconds s"
  "$build/tests/fuzz/$fuzzer" "${options[@]}" "$corpus" 2>&1 | tail -5
}

shopt -s nullglob globstar
regressions="$root/tests/fuzz/regressions"
run input_fuzzer "$root/tests/fuzz/plan.dict" "$root"/fixtures/terraform/*/plan.json \
  "$root"/fixtures/state/*.json "$root"/fixtures/cloudformation/**/*.yaml \
  "$root"/fixtures/cloudformation/**/*.json "$regressions"/input_fuzzer/*
run config_fuzzer "" "$root"/fixtures/terraform/*/cvpn-lint.yaml "$regressions"/config_fuzzer/*
run hcl_fuzzer "$root/tests/fuzz/hcl.dict" "$root"/fixtures/terraform/*/main.tf \
  "$regressions"/hcl_fuzzer/*
