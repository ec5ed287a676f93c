#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Check generate_landing_zone.py against real Terraform (CTest `bench_generator`).

    generator_check.py --cvpn-lint build/cvpn-lint

1. Generating the fixture's own size (4 spokes) from its plan gives that plan back, byte for byte.
2. Generating 17 spokes gives the plan Terraform made with `-var spokes=17`
   (landing_zone_17.plan.json, by plan_real.sh): the same keys, the same resources in the same
   order with the same keys and values; only `timestamp` and the order of `relevant_attributes`
   (which Terraform does not keep stable) may differ.
3. cvpn-lint gives the generated and the real 17-spoke plans the same pairs, checks, messages
   and findings, and the verdicts that main.tf's rules imply (expected.txt of the generator).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
GENERATOR = os.path.join(HERE, "generate_landing_zone.py")
FIXTURE_PLAN = os.path.join(HERE, "..", "..", "fixtures", "terraform", "landing_zone", "plan.json")
REAL_17 = os.path.join(HERE, "landing_zone_17.plan.json")
FAILURES = []


def fail(message):
    FAILURES.append(message)
    print("FAIL: " + message)


def generate(out, spokes, *extra):
    subprocess.run([sys.executable, GENERATOR, "--spokes", str(spokes), "--out", out] + list(extra),
                   check=True)


def first_difference(a, b, path="$"):
    """Where two JSON values first differ, or None."""
    if type(a) is not type(b):
        return "%s: %s vs %s" % (path, json.dumps(a)[:120], json.dumps(b)[:120])
    if isinstance(a, dict):
        if list(a) != list(b):
            return "%s: keys %s vs %s" % (path, list(a), list(b))
        for k in a:
            d = first_difference(a[k], b[k], "%s.%s" % (path, k))
            if d:
                return d
    elif isinstance(a, list):
        if len(a) != len(b):
            return "%s: %d vs %d elements" % (path, len(a), len(b))
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, "%s[%d]" % (path, i))
            if d:
                return d
    elif a != b:
        return "%s: %s vs %s" % (path, json.dumps(a)[:120], json.dumps(b)[:120])
    return None


def compare_plans(generated, real):
    for plan in (generated, real):
        plan.pop("timestamp", None)
    attributes = [sorted(map(json.dumps, p.pop("relevant_attributes", []))) for p in (generated, real)]
    if attributes[0] != attributes[1]:
        fail("relevant_attributes differ as sets")
    d = first_difference(generated, real)
    if d:
        fail("generated 17-spoke plan differs from Terraform's at " + d)


def report(cvpn_lint, config, plan):
    run = subprocess.run([cvpn_lint, "--format", "json", "--config", config, plan],
                         capture_output=True, text=True)
    if run.returncode not in (0, 1):
        fail("cvpn-lint exited %d on %s: %s" % (run.returncode, plan, run.stderr))
        return {"pairs": [], "findings": []}
    out = json.loads(run.stdout)
    out.pop("inputs", None)
    return out


def outcome_lines(rep):
    lines = set()
    for p in rep["pairs"]:
        statuses = " ".join("%s=%s" % (c["rule"], c["status"]) for c in p["checks"])
        lines.add("%s %s %s - %s %s" % (p["endpoint"], p["target"], p["port"], p["verdict"],
                                        statuses))
    return lines


def expected_lines(path):
    with open(path) as f:
        return {" ".join(l.split()) for l in f if l.strip() and not l.startswith("#")}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cvpn-lint", required=True)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="cvpn-bench-check.") as tmp:
        four = os.path.join(tmp, "4")
        generate(four, 4)
        with open(os.path.join(four, "plan.json"), "rb") as a, open(FIXTURE_PLAN, "rb") as b:
            if a.read() != b.read():
                fail("4 spokes generated from the fixture do not give the fixture's plan back")
        gen = os.path.join(tmp, "17")
        generate(gen, 17, "--expected")
        with open(os.path.join(gen, "plan.json")) as a, open(REAL_17) as b:
            compare_plans(json.load(a), json.load(b))
        config = os.path.join(gen, "cvpn-lint.yaml")
        from_generated = report(args.cvpn_lint, config, os.path.join(gen, "plan.json"))
        from_real = report(args.cvpn_lint, config, REAL_17)
        d = first_difference(from_generated, from_real)
        if d:
            fail("cvpn-lint reports differ between the generated and the real plan at " + d)
        want = expected_lines(os.path.join(gen, "expected.txt"))
        got = outcome_lines(from_real)
        for line in sorted(want - got)[:10]:
            fail("expected, not reported: " + line)
        for line in sorted(got - want)[:10]:
            fail("reported, not expected: " + line)
        print("%d pairs compared" % len(got))
    if FAILURES:
        sys.exit(1)
    print("generator matches Terraform at 4 and 17 spokes")


if __name__ == "__main__":
    main()
