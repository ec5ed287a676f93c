#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The benchmark of issue 7: generates landing zones into a temporary directory (never into the
# repository), then runs cvpn-bench on them and on the CloudFormation templates, which prints a
# Markdown table (cvpn-lint vs simdjson's parse, vs cfn-lint, against the goals of goals.h).
# Builds nothing: build cvpn-lint and cvpn-bench first
# (cmake --build BUILD --target cvpn-lint cvpn-bench).
#
#   tests/bench/run.sh [--build DIR] [--runs N] [--sizes "4 40 100"] [--real "10 100"] [--no-cfn]
#   tests/bench/run.sh --check [--build DIR]          # CI: the regression check only
#
#   --build DIR   the build directory (default: build)
#   --runs N      runs per measurement, best taken (default 5; long runs are repeated less)
#   --sizes LIST  spoke counts of the extra rows showing growth (default "4 40 100"); with
#                 --check, the sizes checked (default 100)
#   --real LIST   also plan these spoke counts with real Terraform (tests/bench/plan_real.sh) and
#                 measure those plans (needs terraform and the provider mirror)
#   --no-cfn      skip the CloudFormation comparison
#
# The goal rows: 300 spokes (3,918 resources, 12.7 MB) with 1,600 pairs; 3,000 spokes with
# 16,000 pairs (ten times both); 300 spokes with 100,000 pairs against the same plan with one
# pair; the .tf sources of the 300 spokes against their plan; every template of
# fixtures/cloudformation and ../shared/corpus against cfn-lint.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
build="build"
runs=5
sizes=""
real=""
check=0
cfn=1
while [ "$#" -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --sizes) sizes=$2; shift 2 ;;
    --real) real=$2; shift 2 ;;
    --check) check=1; shift ;;
    --no-cfn) cfn=0; shift ;;
    *) echo "usage: $0 [--check] [--build DIR] [--runs N] [--sizes LIST] [--real LIST] [--no-cfn]" >&2
       exit 2 ;;
  esac
done
build="$(cd "$build" && pwd)"
lint="$build/cvpn-lint"
bench="$build/tests/bench/cvpn-bench"
for f in "$lint" "$bench"; do
  if [ ! -x "$f" ]; then
    echo "run.sh: $f is missing: cmake --build $build --target cvpn-lint cvpn-bench" >&2
    exit 2
  fi
done

work="$(mktemp -d "${TMPDIR:-/tmp}/cvpn-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT
manifest="$work/manifest"
: >"$manifest"
gen() {  # gen DIR SPOKES PAIRS [--sources]: a generated landing zone in $work/DIR
  python3 "$here/generate_landing_zone.py" --out "$work/$1" --spokes "$2" --pairs "$3" "${@:4}"
}
pairs_for() {  # the pairs of N spokes at the goal case's density (1,600 pairs for 300 spokes)
  echo $(( ($1 * 1600 + 150) / 300 ))
}
case_line() {  # case_line NAME GOAL REF FILE ARGS...: one manifest line, tab-separated
  (IFS=$'\t'; echo "$*") >>"$manifest"
}

if [ "$check" -eq 1 ]; then
  for n in ${sizes:-100}; do
    gen "lz$n" "$n" "$(pairs_for "$n")"
    case_line "check-$n-spokes" check - "$work/lz$n/plan.json" \
      --config "$work/lz$n/cvpn-lint.yaml" "$work/lz$n/plan.json"
  done
  "$bench" --check --runs "$runs" --work "$work" --cvpn-lint "$lint" "$manifest"
  exit
fi

echo "generating landing zones in $work ..." >&2
gen lz300 300 1600 --sources
gen lz300-1 300 1
gen lz300-100k 300 100000
gen lz3000 3000 16000
for n in ${sizes:-4 40 100}; do
  gen "lz$n" "$n" "$(pairs_for "$n")"
done
for n in $real; do
  echo "planning $n spokes with terraform ..." >&2
  mkdir -p "$work/real$n"
  "$here/plan_real.sh" "$n" "$work/real$n/plan.json"
  gen "real$n-config" "$n" "$(pairs_for "$n")"
done

p="$work/lz300"
case_line "300 spokes, 1,600 pairs" base - "$p/plan.json" --config "$p/cvpn-lint.yaml" "$p/plan.json"
case_line "300 spokes, 1 pair" none - "$p/plan.json" --config "$work/lz300-1/cvpn-lint.yaml" "$p/plan.json"
case_line "300 spokes, 100,000 pairs" pairs "300 spokes, 1 pair" "$p/plan.json" \
  --config "$work/lz300-100k/cvpn-lint.yaml" "$p/plan.json"
case_line "3,000 spokes, 16,000 pairs" scale "300 spokes, 1,600 pairs" "$work/lz3000/plan.json" \
  --config "$work/lz3000/cvpn-lint.yaml" "$work/lz3000/plan.json"
case_line ".tf sources of 300 spokes" sources "300 spokes, 1,600 pairs" "$p/src" \
  --config "$p/cvpn-lint.yaml" "$p/src"
for n in ${sizes:-4 40 100}; do
  case_line "$n spokes" none - "$work/lz$n/plan.json" --config "$work/lz$n/cvpn-lint.yaml" \
    "$work/lz$n/plan.json"
done
for n in $real; do
  case_line "$n spokes (real Terraform plan)" none - "$work/real$n/plan.json" \
    --config "$work/real$n-config/cvpn-lint.yaml" "$work/real$n/plan.json"
done

cfn_lint=""
if [ "$cfn" -eq 1 ]; then
  cfn_lint="$(pyenv which cfn-lint 2>/dev/null || command -v cfn-lint || true)"
  [ -n "$cfn_lint" ] || echo "run.sh: cfn-lint not found, CloudFormation rows without it" >&2
  # A fixture directory is one input (its templates together, with its parameters and pairs);
  # a corpus template is one input on its own. cfn-lint reads the same templates.
  for dir in "$repo"/fixtures/cloudformation/*/; do
    dir="${dir%/}"
    templates=$(find "$dir" -maxdepth 1 -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) \
      ! -name 'cvpn-lint.yaml' | sort | tr '\n' ' ')
    [ -n "$templates" ] || continue
    args=()
    [ -f "$dir/cvpn-lint.yaml" ] && args+=(--config "$dir/cvpn-lint.yaml")
    if [ -f "$dir/parameters.txt" ]; then
      while IFS= read -r kv; do
        case "$kv" in ''|'#'*) ;; *) args+=(--parameter "$kv") ;; esac
      done <"$dir/parameters.txt"
    fi
    # shellcheck disable=SC2086 # one word per template (fixture paths hold no spaces)
    set -- $templates
    name="fixtures/cloudformation/$(basename "$dir")"
    [ "$#" -gt 1 ] && name="$name ($# templates)"
    case_line "$name" cfn - "$(IFS=,; echo "$*")" "${args[@]}" "$@"
  done
  if [ -d "$repo/../shared/corpus" ]; then
    grep -rlE '^(AWSTemplateFormatVersion|Resources:)|"Resources" *:' "$repo/../shared/corpus" \
      --include='*.yaml' --include='*.yml' --include='*.json' | sort | while IFS= read -r t; do
      case_line "corpus/${t#*/shared/corpus/}" cfn - "$t" "$t"
    done
  fi
fi

extra=()
[ -n "$cfn_lint" ] && extra=(--cfn-lint "$cfn_lint")
echo "build: $(grep -E '^CMAKE_BUILD_TYPE:' "$build/CMakeCache.txt" | cut -d= -f2); $(nproc) cores" >&2
"$bench" --runs "$runs" --work "$work" --cvpn-lint "$lint" "${extra[@]}" "$manifest"
