#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Validates the SARIF that cvpn-lint writes for every fixture (Terraform plans and CloudFormation
# templates):
#   1. with Microsoft's SARIF Multitool (`validate`, npm package @microsoft/sarif-multitool-linux),
#      requiring no error and no warning;
#   2. against the SARIF 2.1.0 JSON schema the Multitool ships (sarif-2.1.0.json), with python3's
#      `jsonschema` where it can be imported.
# Each validator that is not installed is skipped (a "note:" line); with neither, the script prints
# a line starting "SKIPPED:" and exits 0 (CTest reports the test as skipped).
#
# usage: tests/sarif_validate.sh CVPN_LINT [TOOL_DIR]
#   CVPN_LINT  the cvpn-lint binary
#   TOOL_DIR   where the Multitool is installed (default: build/sarif-tool), i.e. the directory of
#              `npm install --no-save --prefix TOOL_DIR @microsoft/sarif-multitool-linux`.
#              With CVPN_SARIF_INSTALL=1 in the environment the script runs that install itself
#              when the tool is missing (this reaches the npm registry; nothing else does).
set -eu

if [ $# -lt 1 ]; then
  echo "usage: $0 CVPN_LINT [TOOL_DIR]" >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tool_dir=${2:-$root/build/sarif-tool}
package=$tool_dir/node_modules/@microsoft/sarif-multitool-linux
multitool=$package/Sarif.Multitool
schema=$package/sarif-2.1.0.json

if [ ! -e "$multitool" ] && [ "${CVPN_SARIF_INSTALL:-0}" = 1 ] && command -v npm >/dev/null 2>&1
then
  mkdir -p "$tool_dir"
  npm install --no-save --no-audit --no-fund --prefix "$tool_dir" \
    @microsoft/sarif-multitool-linux >&2
fi
# npm may refuse to run the package's postinstall script (chmod u+x); do it here.
if [ -e "$multitool" ] && [ ! -x "$multitool" ]; then
  chmod u+x "$multitool" 2>/dev/null || true
fi

have_multitool=0
if [ -x "$multitool" ]; then
  have_multitool=1
fi
have_jsonschema=0
if [ -f "$schema" ] && command -v python3 >/dev/null 2>&1 &&
   python3 -c 'import jsonschema' >/dev/null 2>&1; then
  have_jsonschema=1
fi
if [ "$have_multitool" = 0 ] && [ "$have_jsonschema" = 0 ]; then
  echo "SKIPPED: no SARIF Multitool in $tool_dir (install it with" \
       "'npm install --no-save --prefix $tool_dir @microsoft/sarif-multitool-linux'" \
       "or set CVPN_SARIF_INSTALL=1)"
  exit 0
fi
if [ "$have_multitool" = 1 ] && ! command -v python3 >/dev/null 2>&1; then
  echo "SKIPPED: python3 is needed to read the Multitool's findings"
  exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/cvpn-sarif.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
mkdir -p "$work/sarif"

# Paths in the SARIF are relative to the directory cvpn-lint runs in: the repository root, as in CI.
cd "$root"
status=0
count=0
for dir in fixtures/terraform/*/ fixtures/cloudformation/*/; do
  dir=${dir%/}
  [ -f "$dir/expected.txt" ] || continue
  name=$(basename "$(dirname "$dir")")_$(basename "$dir")
  set -- --format sarif --fail-on never --output "$work/sarif/$name.sarif"
  if [ -f "$dir/cvpn-lint.yaml" ]; then
    set -- "$@" --config "$dir/cvpn-lint.yaml"
  fi
  if [ -f "$dir/parameters.txt" ]; then  # KEY=VALUE lines
    while IFS= read -r line || [ -n "$line" ]; do
      case $line in ''|'#'*) ;; *) set -- "$@" --parameter "$line" ;; esac
    done <"$dir/parameters.txt"
  fi
  # The inputs: the plan, or else every template (fixture file names have no spaces).
  if [ -f "$dir/plan.json" ]; then
    inputs=$dir/plan.json
  else
    inputs=$(find "$dir" -maxdepth 1 -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) \
               ! -name cvpn-lint.yaml | LC_ALL=C sort)
  fi
  # shellcheck disable=SC2086  # word splitting of $inputs is intended
  if ! "$bin" "$@" $inputs 2>"$work/stderr"; then
    echo "FAIL: $name: cvpn-lint could not write SARIF:" >&2
    cat "$work/stderr" >&2
    status=1
    continue
  fi
  count=$((count + 1))
done
if [ "$count" = 0 ]; then
  echo "FAIL: no SARIF was produced" >&2
  exit 1
fi

if [ "$have_multitool" = 1 ]; then
  # SARIF2006 would fetch every URI over HTTP; the test stays offline.
  cat >"$work/multitool.xml" <<'EOF'
<?xml version="1.0" encoding="utf-8"?>
<Properties>
  <Properties Key="SARIF2006.UrisShouldBeReachable.Options">
    <Property Key="RuleEnabled" Value="Disabled" />
  </Properties>
</Properties>
EOF
  # "Ghas" adds the GitHub Advanced Security ingestion rules where the Multitool has them.
  if ! DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 "$multitool" validate \
      --config "$work/multitool.xml" --rule-kind "Sarif;Ghas" --level "Error;Warning" \
      --output "$work/validation.sarif" "$work"/sarif/*.sarif >"$work/multitool.log" 2>&1; then
    echo "FAIL: the SARIF Multitool did not finish:" >&2
    cat "$work/multitool.log" >&2
    status=1
  elif ! python3 - "$work/validation.sarif" <<'EOF'
import json, sys
log = json.load(open(sys.argv[1], encoding="utf-8"))
problems = []
for run in log.get("runs", []):
    for result in run.get("results", []):
        level = result.get("level", "warning")
        if level not in ("error", "warning"):
            continue
        where = ""
        for location in result.get("locations", []):
            where = location.get("physicalLocation", {}).get("artifactLocation", {}).get("uri", "")
        message = result.get("message", {})
        text = message.get("text") or " ".join(message.get("arguments", []))
        problems.append(f"{where}: {level} {result.get('ruleId')}: {text}")
    for notification in (n for inv in run.get("invocations", [])
                         for n in inv.get("toolExecutionNotifications", [])
                         + inv.get("toolConfigurationNotifications", [])):
        text = notification.get("message", {}).get("text", "")
        # The one rule this script turns off (SARIF2006, which needs the network) is reported as
        # a configuration warning; it says nothing about the files.
        if (notification.get("descriptor", {}).get("id") == "WRN999.RuleExplicitlyDisabled"
                and "'SARIF2006'" in text):
            continue
        if notification.get("level", "warning") in ("error", "warning"):
            problems.append("multitool: " + text)
for p in problems:
    print("FAIL:", p, file=sys.stderr)
sys.exit(1 if problems else 0)
EOF
  then
    status=1
  else
    echo "ok: SARIF Multitool validate: $count files, no errors, no warnings"
  fi
else
  echo "note: SARIF Multitool validate skipped: not installed in $tool_dir"
fi

if [ "$have_jsonschema" = 1 ]; then
  if python3 - "$schema" "$work"/sarif/*.sarif <<'EOF'
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1], encoding="utf-8"))
validator_class = jsonschema.validators.validator_for(schema)
validator_class.check_schema(schema)
validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
failed = False
for path in sys.argv[2:]:
    for error in validator.iter_errors(json.load(open(path, encoding="utf-8"))):
        failed = True
        print(f"FAIL: {path}: {error.json_path}: {error.message}", file=sys.stderr)
sys.exit(1 if failed else 0)
EOF
  then
    echo "ok: SARIF 2.1.0 JSON schema: $count files valid"
  else
    status=1
  fi
else
  echo "note: JSON schema validation skipped: needs python3 with jsonschema, and $schema"
fi
exit "$status"
