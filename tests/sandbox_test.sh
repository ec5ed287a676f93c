#!/usr/bin/env sh
# SPDX-License-Identifier: Apache-2.0
# Nothing else touched: cvpn-lint opens no socket and writes nothing but its report. Runs the real
# binary on a plan, a directory of .tf sources and a CloudFormation template:
#   - under strace: no socket/connect/bind/sendto call at all, and no file opened for writing other
#     than the --output file;
#   - in a network namespace without interfaces (unshare -n): the same report as outside.
# Prints "SKIPPED: ..." and exits 0 where strace and unshare are both unavailable.
# Usage: tests/sandbox_test.sh CVPN_LINT SOURCE_DIR
set -eu
lint=$1
root=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
plan="$root/fixtures/terraform/two_subnets_sg_one_cidr"
cfn=$(ls "$root"/fixtures/cloudformation/rds_same_vpc_reachable/*.yaml 2>/dev/null | grep -v cvpn-lint.yaml | head -n 1)
ran=0
fail=0

for input in "$plan/plan.json" "$plan" ${cfn:+"$cfn"}; do
  out="$work/report.json"
  if command -v strace > /dev/null 2>&1; then
    ran=1
    status=0
    if [ "$input" = "$cfn" ]; then
      set -- --format json --output "$out" "$input"  # its own logical IDs: inferred pairs
    else
      set -- --format json --output "$out" --target aws_instance.bastion=tcp/22 "$input"
    fi
    strace -f -qq -o "$work/trace" -e trace=socket,connect,bind,sendto,sendmsg,openat,open,creat \
      "$lint" "$@" > /dev/null 2>&1 || status=$?
    if [ "$status" -ge 2 ]; then
      echo "FAIL: $input: exit $status"; fail=1
    fi
    if grep -E '^[0-9]+ +(socket|connect|bind|sendto|sendmsg)\(' "$work/trace"; then
      echo "FAIL: $input: network system calls above"; fail=1
    fi
    if grep -E '(O_WRONLY|O_RDWR|O_CREAT|creat\()' "$work/trace" | grep -v "\"$out\"" | grep -v ' = -1 '; then
      echo "FAIL: $input: files opened for writing above"; fail=1
    fi
  fi
  if unshare -n true > /dev/null 2>&1; then
    ran=1
    "$lint" --format json "$input" > "$work/outside.json" 2>&1 || true
    unshare -n "$lint" --format json "$input" > "$work/inside.json" 2>&1 || true
    if ! cmp -s "$work/outside.json" "$work/inside.json"; then
      echo "FAIL: $input: the report differs without a network"; fail=1
    fi
  fi
done

if [ "$ran" = 0 ]; then
  echo "SKIPPED: neither strace nor unshare -n is available"
  exit 0
fi
[ "$fail" = 0 ] && echo "no socket, no write but the report, same report without a network"
exit "$fail"
