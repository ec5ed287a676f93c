#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs cvpn-lint on every hostile input of fixtures/hostile/manifest.txt (files written to break
# it, and the big ones generated here) and checks each answer: the exit status the manifest gives,
# a message naming the file (with line and column where the manifest asks for them), no sanitizer
# report, no crash, an end within the hang guard. Prints each case's time.
# Usage: tests/hostile_test.sh CVPN_LINT FIXTURES_DIR [sanitized|plain]
set -uo pipefail
binary=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
fixtures=$2
sanitized=${3:-plain}
# The hang guard. A release build answers each case in well under a second, so 10 s only catches
# what never ends; a Debug build with AddressSanitizer and UBSan (CI's second run) is 10 to 20 times
# slower on the biggest generated inputs, so it gets 60 s.
if [ "$sanitized" = sanitized ]; then
  guard=${CVPN_HOSTILE_TIMEOUT:-60}
else
  guard=${CVPN_HOSTILE_TIMEOUT:-10}
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$fixtures" || exit 1

# --- Generated inputs: too big to commit. Each is made when its case runs, then removed. --------

repeat() {  # repeat TEXT COUNT: TEXT written COUNT times, on one line
  yes "$1" | head -n "$2" | tr -d '\n'
}

long_string() {  # 100 MiB of one letter
  head -c $((100 << 20)) /dev/zero | tr '\0' 'x'
}

generate() {  # generate NAME: writes $work/NAME
  local target="$work/$1"
  case $1 in
    plan-deep.json)
      { printf '{"format_version":"1.2","planned_values":'; repeat '[' 100000; repeat ']' 100000
        printf '}'; } > "$target" ;;
    plan-long-string.json)
      { printf '{"format_version":"1.2","planned_values":{"root_module":{"resources":[{"address":'
        printf '"aws_vpc.a","type":"aws_vpc","name":"a","values":{"cidr_block":"10.0.0.0/16",'
        printf '"tags":{"Name":"'; long_string; printf '"}}}]}}}'; } > "$target" ;;
    plan-huge-file.json)
      printf '{"format_version":"1.2","planned_values":{}}' > "$target"
      truncate -s 600M "$target" ;;  # sparse: no disk, no time
    plan-many-resources.json)
      awk 'BEGIN { printf "{\"format_version\":\"1.2\",\"planned_values\":{\"root_module\":"
                   printf "{\"resources\":["
                   for (i = 0; i < 100000; i++) {
                     printf "%s{\"address\":\"random_pet.p%d\",\"type\":\"random_pet\",", \
                       (i ? "," : ""), i
                     printf "\"name\":\"p%d\",\"values\":{}}", i
                   }
                   printf "]}}}" }' > "$target" ;;
    cfn-deep-flow.yaml)
      { printf 'Resources: '; repeat '[' 100000; printf '\n'; } > "$target" ;;
    cfn-deep-block.yaml)
      awk 'BEGIN { print "Resources:"
                   for (i = 0; i < 1000; i++) printf "%" (2 * i + 2) "sk%d:\n", "", i }' \
        > "$target" ;;
    cfn-long-string.yaml)
      { printf 'Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n'
        printf '      CidrBlock: 10.0.0.0/16\n      Description: '; long_string; printf '\n'; } \
        > "$target" ;;
    cfn-many-resources.yaml)
      awk 'BEGIN { print "Resources:"
                   for (i = 0; i < 50000; i++) printf "  R%d: {Type: AWS::Made::Up}\n", i }' \
        > "$target" ;;
    cfn-control-character.yaml)
      sed 's/GroupDescription: app/GroupDescription: a\x07pp/' cfn-yaml/base.yaml > "$target" ;;
    cfn-deep.json)
      { printf '{"Resources": '; repeat '[' 100000; printf '}'; } > "$target" ;;
    cfn-long-string.json)
      { printf '{"Resources": {"Vpc": {"Type": "AWS::EC2::VPC", "Properties": '
        printf '{"CidrBlock": "10.0.0.0/16", "Description": "'; long_string; printf '"}}}}'; } \
        > "$target" ;;
    tf-deep-list)
      mkdir -p "$target"
      { printf 'locals {\n  x = '; repeat '[' 100000; repeat ']' 100000; printf '\n}\n'; } \
        > "$target/main.tf" ;;
    tf-deep-blocks)
      mkdir -p "$target"
      { yes 'a {' | head -n 100000; yes '}' | head -n 100000; } > "$target/main.tf" ;;
    tf-deep-parens)
      mkdir -p "$target"
      { printf 'locals {\n  x = '; repeat '(' 100000; printf '1'; repeat ')' 100000
        printf '\n}\n'; } > "$target/main.tf" ;;
    tf-deep-unary)
      mkdir -p "$target"
      { printf 'locals {\n  x = '; repeat '!' 100000; printf 'true\n}\n'; } > "$target/main.tf" ;;
    tf-long-string)
      mkdir -p "$target"
      { printf 'locals {\n  x = "'; long_string; printf '"\n}\n'; } > "$target/main.tf" ;;
    tf-huge-file)
      mkdir -p "$target"
      printf 'locals {}\n' > "$target/main.tf"
      truncate -s 600M "$target/main.tf" ;;
    tf-many-files)  # 22000 resources in 20 files, each file and the sum under the size limits
      mkdir -p "$target"
      for f in $(seq 1 20); do
        awk -v f="$f" 'BEGIN { for (i = 0; i < 1100; i++)
                                 printf "resource \"aws_vpc\" \"v%d_%d\" {\n  cidr_block = " \
                                        "\"10.0.0.0/16\"\n}\n", f, i }' > "$target/f$f.tf"
      done ;;
    config-deep.yaml)
      { printf 'targets: '; repeat '[' 100000; printf '\n'; } > "$target" ;;
    config-huge-file.yaml)
      printf 'targets: []\n' > "$target"
      truncate -s 8M "$target" ;;
    *)
      echo "hostile_test.sh: no generator for $1" >&2
      return 1 ;;
  esac
  return 0  # `yes | head` ends `yes` with SIGPIPE, a failure under pipefail
}

# --- The cases -----------------------------------------------------------------------------------

trim() {
  local s=$1
  s=${s#"${s%%[![:space:]]*}"}
  printf '%s' "${s%"${s##*[![:space:]]}"}"
}

pass=0 fail=0 xfail=0 xpass=0
failures=""
while IFS= read -r line || [ -n "$line" ]; do
  case $line in '' | '#'*) continue ;; esac
  IFS='|' read -r raw_args raw_exit raw_fragment raw_flags <<< "$line"
  args_text=$(trim "$raw_args")
  expected_exit=$(trim "$raw_exit")
  fragment=$(trim "$raw_fragment")
  flags=$(trim "${raw_flags:-}")
  known_failing=""
  case $flags in *known-failing*) known_failing=${flags#*known-failing} ;; esac

  # Arguments: generated inputs are made now; the named file is --config's, else the first.
  args=()
  generated=()
  named=""
  after_config=""
  for a in $args_text; do
    if [ "${a#gen:}" != "$a" ]; then
      name=${a#gen:}
      if ! generate "$name"; then
        fail=$((fail + 1))
        failures="$failures  $args_text: cannot generate $name"$'\n'
        continue 2
      fi
      generated+=("$work/$name")
      a="$work/$name"
    fi
    if [ "$a" = "--config" ]; then
      after_config=1
    elif [ -n "$after_config" ] && [ -z "$named" ]; then
      named=$a
    elif [ -z "$named" ] && [ -z "$after_config" ]; then
      named=$a
    fi
    args+=("$a")
  done

  start=$(date +%s%N)
  if [ "$sanitized" != sanitized ]; then
    # Memory is bounded: 4 GiB of address space (AddressSanitizer needs far more, so not there).
    (ulimit -v 4194304; exec timeout "$guard" "$binary" "${args[@]}") \
      > "$work/out" 2> "$work/err"
  else
    timeout "$guard" "$binary" "${args[@]}" > "$work/out" 2> "$work/err"
  fi
  status=$?
  elapsed=$((($(date +%s%N) - start) / 1000000))
  for g in "${generated[@]}"; do rm -rf "$g"; done

  problems=""
  if [ "$status" -eq 124 ]; then
    problems="no answer within ${guard} s"
  elif grep -qE 'AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:' \
      "$work/err"; then
    problems="sanitizer report"
  elif [ "$status" -gt 2 ]; then
    problems="exit $status (a crash?)"
  elif [ "$status" -ne "$expected_exit" ]; then
    problems="exit $status, expected $expected_exit"
  elif grep -q 'internal error' "$work/err"; then
    problems="internal error"
  elif [ "$expected_exit" -eq 2 ]; then
    if ! grep -qF -- "$named" "$work/err"; then
      problems="the message does not name $named"
    elif [ -n "$fragment" ] && ! grep -qF -- "$fragment" "$work/err"; then
      problems="the message lacks \"$fragment\""
    elif [[ " $flags " == *" pos "* ]] &&
        ! grep -qE -- "$(printf '%s' "$named" | sed 's/[][\.*^$/]/\\&/g')[^ ]*:[0-9]+:[0-9]+: error:" \
          "$work/err"; then
      problems="the message has no line and column"
    fi
  elif [ -n "$fragment" ] && ! grep -qF -- "$fragment" "$work/out"; then
    problems="the report lacks \"$fragment\""
  fi

  shown=$args_text
  if [ -z "$problems" ] && [ -z "$known_failing" ]; then
    pass=$((pass + 1))
    printf 'ok     %6d ms  %s\n' "$elapsed" "$shown"
  elif [ -z "$problems" ]; then
    xpass=$((xpass + 1))
    printf 'XPASS  %6d ms  %s (marked known-failing%s: remove the mark)\n' "$elapsed" "$shown" \
      "$known_failing"
  elif [ -n "$known_failing" ]; then
    xfail=$((xfail + 1))
    printf 'xfail  %6d ms  %s: %s; known-failing%s\n' "$elapsed" "$shown" "$problems" \
      "$known_failing"
  else
    fail=$((fail + 1))
    failures="$failures  $shown: $problems"$'\n'
    printf 'FAIL   %6d ms  %s: %s\n' "$elapsed" "$shown" "$problems"
    head -c 2000 "$work/err" | sed 's/^/         stderr: /'
  fi
done < manifest.txt

printf '\n%d passed, %d failed, %d known-failing, %d passing though marked known-failing\n' \
  "$pass" "$fail" "$xfail" "$xpass"
if [ "$fail" -ne 0 ]; then
  printf 'failed:\n%s' "$failures"
  exit 1
fi
