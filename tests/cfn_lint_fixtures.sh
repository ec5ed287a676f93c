#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Every CloudFormation fixture template must pass cfn-lint (warnings included). Prints
# "SKIPPED: ..." and exits 0 where cfn-lint is not installed.
# usage: cfn_lint_fixtures.sh FIXTURES_DIR [CFN_LINT]
set -u
dir=$1
lint=${2:-cfn-lint}
if ! command -v "$lint" >/dev/null 2>&1; then
  echo "SKIPPED: cfn-lint is not installed"
  exit 0
fi
templates=$(find "$dir" -mindepth 2 -maxdepth 2 -type f \
  \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) ! -name 'cvpn-lint.yaml' | sort)
if [ -z "$templates" ]; then
  echo "no templates under $dir" >&2
  exit 1
fi
# shellcheck disable=SC2086 # one word per template path (fixture paths hold no spaces)
"$lint" $templates
status=$?
if [ $status -ne 0 ]; then
  echo "cfn-lint exited with $status" >&2
  exit 1
fi
echo "cfn-lint: $(echo "$templates" | wc -l) templates pass"
