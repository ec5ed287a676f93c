#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Runs the real pre-commit with this repository's .pre-commit-hooks.yaml, as a user would: a
# throwaway hook repository holding the hooks file, a throwaway project whose
# .pre-commit-config.yaml is the three lines README shows, `pre-commit install`, and `git commit`s:
#   1. a plan whose declared path is reachable: the commit succeeds;
#   2. a plan that blocks the path: pre-commit fails and the commit is not made;
#   3. the fix (a plan whose security group admits the endpoint's group): the commit succeeds;
#   4. a YAML file that is no CloudFormation template: the hooks skip it;
#   5. where this cvpn-lint reads CloudFormation: a reachable template passes, a blocked one fails.
# Nothing reaches the network: the hook repository is a local path. Skips (exit 0, SKIPPED line)
# where pre-commit or git is not installed.
#
# usage: tests/precommit_test.sh CVPN_LINT
set -eu

if [ $# -lt 1 ]; then
  echo "usage: $0 CVPN_LINT" >&2
  exit 2
fi
for tool in pre-commit git; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "SKIPPED: $tool is not installed"
    exit 0
  fi
done
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
fixtures=$root/fixtures/terraform
good=$fixtures/sg_reference_inline    # every declared pair reachable
bad=$fixtures/sg_client_cidr_only     # CVPN002: the security group admits only the client CIDR
fixed=$fixtures/sg_reference_sg_rule  # the fix: the security group admits the endpoint's group

work=$(mktemp -d "${TMPDIR:-/tmp}/cvpn-precommit.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

# cvpn-lint on PATH under its own name, as language: system hooks expect.
mkdir -p "$work/bin"
ln -s "$bin" "$work/bin/cvpn-lint"
PATH=$work/bin:$PATH
# Keep pre-commit's cache and git's configuration out of the user's home.
PRE_COMMIT_HOME=$work/cache
GIT_CONFIG_GLOBAL=$work/gitconfig
GIT_CONFIG_NOSYSTEM=1
export PATH PRE_COMMIT_HOME GIT_CONFIG_GLOBAL GIT_CONFIG_NOSYSTEM
git config --global user.name "cvpn-lint test"
git config --global user.email "test@example.invalid"
git config --global init.defaultBranch main
git config --global commit.gpgsign false
git config --global protocol.file.allow always

fail() {
  echo "FAIL: $*" >&2
  if [ -f "$work/out" ]; then
    sed 's/^/  | /' "$work/out" >&2
  fi
  exit 1
}

# The hook repository: this repository's hooks file, committed.
mkdir "$work/hooks"
cp "$root/.pre-commit-hooks.yaml" "$work/hooks/"
git -C "$work/hooks" init -q
git -C "$work/hooks" add .pre-commit-hooks.yaml
git -C "$work/hooks" commit -q -m hooks
rev=$(git -C "$work/hooks" rev-parse HEAD)

# The project.
project=$work/project
mkdir "$project"
cd "$project"
git init -q
cat >.pre-commit-config.yaml <<EOF
repos:
  - repo: $work/hooks
    rev: $rev
    hooks: [{id: cvpn-lint-terraform-plan}, {id: cvpn-lint-cloudformation}]
EOF
git add .pre-commit-config.yaml
git commit -q -m "pre-commit config"
pre-commit install >"$work/out" 2>&1 || fail "pre-commit install"

commit() {  # commit MESSAGE: commits the staged files; returns git's exit status
  git commit -m "$1" >"$work/out" 2>&1
}

# 1. Reachable: the hook passes and the commit is made.
mkdir infra
cp "$good/plan.json" infra/plan.json
cp "$good/cvpn-lint.yaml" .cvpn-lint.yaml
git add infra/plan.json .cvpn-lint.yaml
commit "reachable" || fail "the reachable plan was rejected"
grep -q "cvpn-lint (Terraform plan).*Passed" "$work/out" || fail "the plan hook did not pass"
good_head=$(git rev-parse HEAD)

# 2. Blocked: pre-commit fails, names the rule, and the commit is not made.
cp "$bad/plan.json" infra/plan.json
cp "$bad/cvpn-lint.yaml" .cvpn-lint.yaml
git add infra/plan.json .cvpn-lint.yaml
if commit "blocked"; then
  fail "the blocked plan was committed"
fi
grep -q "cvpn-lint (Terraform plan).*Failed" "$work/out" || fail "the plan hook did not fail"
grep -q "exit code: 1" "$work/out" || fail "cvpn-lint did not exit with status 1"
grep -q "CVPN002" "$work/out" || fail "the failure does not name CVPN002"
[ "$(git rev-parse HEAD)" = "$good_head" ] || fail "HEAD moved although the hook failed"
# pre-commit run on the staged files says the same.
if pre-commit run --hook-stage pre-commit >"$work/out" 2>&1; then
  fail "pre-commit run passed on the blocked plan"
fi

# 3. The fix: the target's security group admits the endpoint's security group.
cp "$fixed/plan.json" infra/plan.json
cp "$fixed/cvpn-lint.yaml" .cvpn-lint.yaml
git add infra/plan.json .cvpn-lint.yaml
commit "fixed" || fail "the fixed plan was rejected"
[ "$(git rev-parse HEAD)" != "$good_head" ] || fail "the fix was not committed"

# 4. Other YAML and JSON are left alone.
mkdir -p .github/workflows
printf 'on: push\njobs: {}\n' >.github/workflows/ci.yml
printf '{"name": "not a plan"}\n' >package.json
git add .github/workflows/ci.yml package.json
commit "unrelated files" || fail "unrelated YAML or JSON was rejected"
grep -q "cvpn-lint (Terraform plan).*no files to check" "$work/out" ||
  fail "the plan hook ran on unrelated files"
grep -q "cvpn-lint (CloudFormation).*no files to check" "$work/out" ||
  fail "the CloudFormation hook ran on unrelated files"

# 5. CloudFormation, where this build reads templates: a reachable template passes, a blocked
#    one fails. (The plan and its declarations go: these templates declare their targets by tag.)
cfn_good=$root/fixtures/cloudformation/default_egress_kept/template.yaml
cfn_bad=$root/fixtures/cloudformation/endpoint_sg_disallow_all/template.json
if [ -f "$cfn_good" ] && [ -f "$cfn_bad" ] && (cd "$work" && cvpn-lint "$cfn_good") >/dev/null 2>&1; then
  git rm -q infra/plan.json .cvpn-lint.yaml
  mkdir -p cloudformation
  cp "$cfn_good" cloudformation/vpn.yaml
  git add cloudformation/vpn.yaml
  commit "reachable template" || fail "the reachable template was rejected"
  grep -q "cvpn-lint (CloudFormation).*Passed" "$work/out" || fail "the template hook did not pass"
  cfn_head=$(git rev-parse HEAD)
  git rm -q cloudformation/vpn.yaml
  mkdir -p cloudformation
  cp "$cfn_bad" cloudformation/vpn.json
  git add cloudformation/vpn.json
  if commit "blocked template"; then
    fail "the blocked template was committed"
  fi
  grep -q "cvpn-lint (CloudFormation).*Failed" "$work/out" || fail "the template hook did not fail"
  [ "$(git rev-parse HEAD)" = "$cfn_head" ] || fail "HEAD moved although the hook failed"
  echo "ok: pre-commit passes a reachable template and fails a blocked one"
else
  echo "note: CloudFormation hook not exercised: this cvpn-lint does not read the fixture templates"
fi

echo "ok: pre-commit passes a reachable plan, fails a blocked one, passes the fix"
