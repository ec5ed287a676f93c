#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Scale the landing_zone fixture's real Terraform plan to N spokes, with P declared pairs.

    generate_landing_zone.py --spokes 276 --pairs 1600 --out DIR [--sources] [--expected]
    generate_landing_zone.py --fixture      # rewrite the fixture's cvpn-lint.yaml and expected.txt

fixtures/terraform/landing_zone/main.tf declares every spoke resource with `count = var.spokes`,
and its plan.json is what Terraform 1.11.4 planned for the default 4 spokes. This script writes
the plan Terraform would write for `-var spokes=N`: it copies the count instances of spoke 0
(healthy) to indexes 0 .. N-1, rewriting what depends on count.index exactly as main.tf does (the
CIDRs from cidrsubnet("10.0.0.0/8", 12, i + 1), the private IP, names, tags and descriptions,
and the misconfiguration rules of RULES below), keeps set-valued blocks in Terraform's order, and
sets the `spokes` variable. Everything else (hub, configuration, provider-unknown values) stays
as Terraform wrote it. tests/bench/generator_check.py compares the result with a real plan.

Outputs in DIR: plan.json; cvpn-lint.yaml declaring P pairs (instance i gets the ports
PORTS[0..] and then tcp/10001, tcp/10002, ... as needed, spread evenly over the instances);
with --sources, src/ holding main.tf and terraform.tfvars (spokes = N) for `cvpn-lint DIR`; with
--expected, expected.txt in the fixtures' format, computed from RULES (never by running cvpn-lint).
"""
import argparse
import copy
import ipaddress
import json
import os
import re
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.normpath(os.path.join(HERE, "..", "..", "fixtures", "terraform", "landing_zone"))
ENDPOINT = "aws_ec2_client_vpn_endpoint.main"
HUB_CIDR = "10.0.0.0/20"
VPN_SUBNETS = ["10.0.1.0/24", "10.0.2.0/24"]
OPS_SUBNET = "10.0.8.0/24"
WRONG_RETURN = "192.168.0.0/16"
MAX_SPOKES = 4095
APP_PORTS = ["tcp/%d" % p for p in range(8000, 8016)]
PORTS = APP_PORTS + ["tcp/443", "icmp", "tcp/10000"]
EXTRA_PORT_BASE = 10001  # tcp/10001, ...: admitted like tcp/10000 up to tcp/10999

# The misconfiguration rules of main.tf, by i = count.index. Keep in step with main.tf.
def no_return_route(i):
    return i % 7 == 1


def no_propagation(i):
    return i % 11 == 2


def tgw_a_in_1b(i):
    return i % 13 == 3


def sg_ops_only(i):
    return i % 9 == 4


def sg_vpn_a_only(i):
    return i % 17 == 2


def nacl_denies_8008(i):
    return i % 4 == 2


def expected_statuses(i, port):
    """The six statuses (True = pass) of pair (endpoint, aws_instance.app[i], port)."""
    cvpn001 = not (no_return_route(i) or no_propagation(i) or tgw_a_in_1b(i))
    number = int(port[4:]) if port.startswith("tcp/") else 0
    if port in APP_PORTS or 10000 <= number <= 10999:
        cvpn002 = not (sg_ops_only(i) or sg_vpn_a_only(i))
    else:
        cvpn002 = port in ("tcp/443", "icmp")  # tcp/11000 and above: in no SG rule
    cvpn003 = not (nacl_denies_8008(i) and 8008 <= number <= 8015)
    return [cvpn001, cvpn002, cvpn003, True, True, True]


# ---- per-index values (main.tf's expressions) ----------------------------------------------

def spoke_cidr(i):
    return ipaddress.ip_network("10.0.0.0/8").network_address + ((i + 1) << 12)


def spoke_strings(i):
    """The index-dependent strings of spoke i: VPC, subnets, private IP."""
    base = spoke_cidr(i)
    return {
        "vpc": "%s/20" % base,
        "app": "%s/24" % base,
        "tgw_a": "%s/28" % (base + 240 * 16),
        "tgw_b": "%s/28" % (base + 241 * 16),
        "ip": str(base + 10),
    }


def retarget(text, i):
    """Rewrite a JSON text of spoke 0's instance into spoke i's."""
    for key, zero in spoke_strings(0).items():
        text = text.replace('"%s"' % zero, '"%s"' % spoke_strings(i)[key])
    text = re.sub(r"\bspoke([- ])0(?![0-9])", lambda m: "spoke%s%d" % (m.group(1), i), text)
    return re.sub(r"\[0\]\"", "[%d]\"" % i, text)


def sorted_set(elements):
    """A set of objects in the order Terraform writes it: by the values, in key order."""
    return sorted(elements, key=lambda e: [json.dumps(e[k]) for k in sorted(e)])


def mirror_sets(change):
    """Sort the ingress and egress sets; after_unknown and after_sensitive follow their shape
    (per element, each list attribute as a list of false: known, not sensitive)."""
    for block in ("ingress", "egress"):
        change["after"][block] = sorted_set(change["after"][block])
        shape = [{k: [False] * len(v) for k, v in e.items() if isinstance(v, list)}
                 for e in change["after"][block]]
        change["after_unknown"][block] = copy.deepcopy(shape)
        change["after_sensitive"][block] = shape


def sorted_keys(obj):
    return {k: obj[k] for k in sorted(obj)}


def apply_rules(rc, i):
    """Apply main.tf's misconfiguration rules to resource change rc of spoke i."""
    kind = rc["type"] + "." + rc["name"]
    change = rc["change"]
    after, unknown = change["after"], change["after_unknown"]
    if kind == "aws_route.spoke_return":
        after["destination_cidr_block"] = WRONG_RETURN if no_return_route(i) else HUB_CIDR
    elif kind == "aws_subnet.tgw_a":
        after["availability_zone"] = "us-east-1b" if tgw_a_in_1b(i) else "us-east-1a"
    elif kind == "aws_ec2_transit_gateway_vpc_attachment.spoke":
        prop = "transit_gateway_default_route_table_propagation"
        if no_propagation(i):
            after[prop] = False
            unknown.pop(prop, None)
        change["after"] = sorted_keys(after)
    elif kind == "aws_network_acl.app":
        if nacl_denies_8008(i):
            after["ingress"] = sorted_set(after["ingress"] + [{
                "action": "deny", "cidr_block": HUB_CIDR, "from_port": 8008, "icmp_code": None,
                "icmp_type": None, "ipv6_cidr_block": "", "protocol": "tcp", "rule_no": 90,
                "to_port": 8015}])
        mirror_sets(change)
    elif kind == "aws_security_group.app":
        sources = ([OPS_SUBNET] if sg_ops_only(i) else
                   [VPN_SUBNETS[0]] if sg_vpn_a_only(i) else list(VPN_SUBNETS))
        for rule in after["ingress"]:
            if rule["description"].startswith("app port"):
                rule["cidr_blocks"] = sources
        mirror_sets(change)
    return rc


def scale_plan(base, spokes):
    """The plan of main.tf for `spokes` spokes, from the real plan `base`."""
    plan = copy.deepcopy(base)
    changes = plan["resource_changes"]
    counted = {}  # "type.name" -> spoke 0's resource change, as JSON text
    for rc in changes:
        if rc.get("index") == 0 and rc.get("module_address") is None:
            counted[rc["type"] + "." + rc["name"]] = json.dumps(rc, separators=(",", ":"))
    if not counted:
        sys.exit("generate_landing_zone.py: the base plan has no count instances")
    fixed = [rc for rc in changes if rc["type"] + "." + rc["name"] not in counted]
    scaled = []
    for kind, text in counted.items():
        for i in range(spokes):
            rc = json.loads(retarget(text, i))
            rc["index"] = i
            scaled.append(apply_rules(rc, i))
    # Terraform orders resource instances by address, count indexes numerically.
    everything = fixed + scaled
    everything.sort(key=lambda rc: (rc["type"], rc["name"], rc.get("index", -1)))
    old_planned = {r["address"]: r for r in base["planned_values"]["root_module"]["resources"]}
    schema = {r["type"]: r["schema_version"] for r in old_planned.values()}
    planned = []
    for rc in everything:
        entry = {k: v for k, v in rc.items() if k not in ("change", "action_reason")}
        entry["schema_version"] = schema[rc["type"]]
        entry["values"] = copy.deepcopy(rc["change"]["after"])
        entry["sensitive_values"] = copy.deepcopy(rc["change"]["after_sensitive"])
        planned.append(entry)
    # Same key order as Terraform: address, mode, type, name, [index,] provider_name, ...; and
    # planned_values, unlike resource_changes, sorted by the address as a string.
    planned = sorted((reorder(p, old_planned) for p in planned), key=lambda p: p["address"])
    plan["planned_values"]["root_module"]["resources"] = planned
    plan["resource_changes"] = everything
    if plan["variables"]["spokes"]["value"] != spokes:
        plan["variables"]["spokes"]["value"] = str(spokes)  # as `-var spokes=N` shows it
    return plan


def reorder(entry, old_planned):
    """Give entry the key order of its counterpart in the base plan."""
    sample = old_planned.get(entry["address"]) or old_planned[re.sub(
        r"\[\d+\]$", "[0]", entry["address"])]
    return {k: entry[k] for k in sample if k in entry}


# ---- pairs ----------------------------------------------------------------------------------

def port_lists(spokes, pairs):
    """The ports of each instance: `pairs` in all, spread evenly, PORTS first."""
    out = []
    for i in range(spokes):
        n = pairs // spokes + (1 if i < pairs % spokes else 0)
        ports = PORTS[:n] + ["tcp/%d" % (EXTRA_PORT_BASE + j) for j in range(max(0, n - len(PORTS)))]
        out.append(ports)
    return out


def write_config(path, ports, header):
    with open(path, "w") as f:
        f.write("# %s\ntargets:\n" % header)
        for i, plist in enumerate(ports):
            if plist:
                f.write("  - target: aws_instance.app[%d]\n    ports: [%s]\n    endpoint: %s\n"
                        % (i, ", ".join(plist), ENDPOINT))


def write_expected(path, ports, header):
    lines = []
    counts = {"reachable": 0, "blocked": 0}
    for i, plist in enumerate(ports):
        for port in plist:
            ok = expected_statuses(i, port)
            verdict = "reachable" if all(ok) else "blocked"
            counts[verdict] += 1
            checks = " ".join("CVPN%03d=%s" % (n + 1, "pass" if s else "fail")
                              for n, s in enumerate(ok))
            lines.append("%s aws_instance.app[%d] %s - %s %s" % (ENDPOINT, i, port, verdict, checks))
    with open(path, "w") as f:
        f.write("# %s\n# %d pairs: %d reachable, %d blocked\n"
                "# endpoint  target  port  group  verdict  six statuses\n"
                % (header, len(lines), counts["reachable"], counts["blocked"]))
        f.write("\n".join(lines) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--base", default=os.path.join(FIXTURE, "plan.json"))
    ap.add_argument("--spokes", type=int, default=4)
    ap.add_argument("--pairs", type=int, help="declared pairs (default: %d per spoke)" % len(PORTS))
    ap.add_argument("--out", help="output directory (created)")
    ap.add_argument("--sources", action="store_true", help="also write src/ (main.tf + tfvars)")
    ap.add_argument("--expected", action="store_true", help="also write expected.txt")
    ap.add_argument("--fixture", action="store_true",
                    help="write the fixture's cvpn-lint.yaml and expected.txt (4 spokes)")
    args = ap.parse_args()
    if not 1 <= args.spokes <= MAX_SPOKES:
        sys.exit("generate_landing_zone.py: --spokes must be 1 .. %d" % MAX_SPOKES)
    pairs = args.pairs if args.pairs is not None else len(PORTS) * args.spokes
    me = "generated by tests/bench/generate_landing_zone.py"
    if args.fixture:
        ports = port_lists(4, len(PORTS) * 4)
        write_config(os.path.join(FIXTURE, "cvpn-lint.yaml"), ports, me + " --fixture")
        write_expected(os.path.join(FIXTURE, "expected.txt"), ports,
                       me + " --fixture, from main.tf's rules")
        return
    if not args.out:
        ap.error("--out is required (or --fixture)")
    os.makedirs(args.out, exist_ok=True)
    with open(args.base) as f:
        base = json.load(f)
    plan = scale_plan(base, args.spokes)
    with open(os.path.join(args.out, "plan.json"), "w") as f:
        json.dump(plan, f, separators=(",", ":"), ensure_ascii=False)
        f.write("\n")
    ports = port_lists(args.spokes, pairs)
    header = "%s --spokes %d --pairs %d" % (me, args.spokes, pairs)
    write_config(os.path.join(args.out, "cvpn-lint.yaml"), ports, header)
    if args.expected:
        write_expected(os.path.join(args.out, "expected.txt"), ports, header)
    if args.sources:
        src = os.path.join(args.out, "src")
        os.makedirs(src, exist_ok=True)
        shutil.copy(os.path.join(FIXTURE, "main.tf"), src)
        with open(os.path.join(src, "terraform.tfvars"), "w") as f:
            f.write("spokes = %d\n" % args.spokes)


if __name__ == "__main__":
    main()
