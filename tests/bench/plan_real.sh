#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Plan fixtures/terraform/landing_zone with real Terraform for a number of spokes, offline, and
# write `terraform show -json` of the plan to OUT (the same setup as
# fixtures/terraform/regenerate.sh: hashicorp/aws 5.100.0 from a filesystem mirror).
#
#   tests/bench/plan_real.sh SPOKES OUT.json
#
# Made tests/bench/landing_zone_17.plan.json (`plan_real.sh 17 tests/bench/landing_zone_17.plan.json`),
# which tests/bench/generator_check.py compares with the generator's output.
# Environment: TF_PLUGIN_MIRROR (default /opt/tf-plugins), TERRAFORM (default terraform).
set -euo pipefail

if [ "$#" -ne 2 ]; then
  echo "usage: $0 SPOKES OUT.json" >&2
  exit 2
fi
spokes=$1
out=$2
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
scenario="$here/../../fixtures/terraform/landing_zone"
tf="${TERRAFORM:-terraform}"
mirror="${TF_PLUGIN_MIRROR:-/opt/tf-plugins}"
if ! command -v "$tf" >/dev/null 2>&1; then
  echo "plan_real.sh: terraform not found (set TERRAFORM=/path/to/terraform)" >&2
  exit 1
fi
if [ ! -d "$mirror/registry.terraform.io/hashicorp/aws" ]; then
  echo "plan_real.sh: provider mirror '$mirror' has no registry.terraform.io/hashicorp/aws" >&2
  exit 1
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/cvpn-bench-plan.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cat >"$work/terraform.rc" <<EOF
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/hashicorp/aws"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/aws"]
  }
}
EOF
export TF_CLI_CONFIG_FILE="$work/terraform.rc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
unset TF_DATA_DIR TF_WORKSPACE TF_CLI_ARGS TF_CLI_ARGS_init TF_CLI_ARGS_plan TF_CLI_ARGS_show
mkdir "$work/config"
cp "$scenario/main.tf" "$work/config/"
log="$work/log"
if ! { "$tf" -chdir="$work/config" init -input=false -no-color &&
       "$tf" -chdir="$work/config" plan -input=false -lock=false -refresh=false -no-color \
         -parallelism=2 -var "spokes=$spokes" -out=tfplan &&
       "$tf" -chdir="$work/config" show -json tfplan >"$work/plan.json"; } >"$log" 2>&1; then
  sed 's/^/    /' "$log" >&2
  echo "plan_real.sh: terraform failed for $spokes spokes" >&2
  exit 1
fi
mv "$work/plan.json" "$out"
