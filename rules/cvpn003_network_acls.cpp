// SPDX-License-Identifier: Apache-2.0
// CVPN003 network-acls: the network ACLs of the target's and the associated subnets allow the
// traffic and its return. Doc: rules/cvpn003_network_acls.md
#include <algorithm>
#include <iterator>

#include <fmt/format.h>

#include "analyzer/describe.h"
#include "analyzer/network_acls.h"
#include "rules/all_rules.h"
#include "rules/common.h"
#include "rules/fixes.h"

namespace cvpn::rules {

namespace {

constexpr std::string_view kId = "CVPN003";

/// A rule number for a new allow entry: just before the entry that denies, or after the last.
int SuggestRuleNumber(const NetworkAcl& acl, bool egress, const NetworkAclEntry* deny,
                      std::vector<int> used) {
  for (const NetworkAclEntry& e : acl.entries) {
    if (e.egress == egress) {
      used.push_back(e.rule_number);
    }
  }
  auto is_free = [&](int n) { return std::find(used.begin(), used.end(), n) == used.end(); };
  if (deny != nullptr) {
    for (int n = deny->rule_number - 1; n >= 1; --n) {
      if (is_free(n)) {
        return n;
      }
    }
  }
  int highest = 0;
  for (int n : used) {
    highest = std::max(highest, n);
  }
  const int next = highest == 0 ? 100 : highest + 10;
  return std::min(next, 32766);
}

struct Direction {
  NodeIndex acl_subnet;  ///< whose ACL is evaluated
  bool egress;
  Ipv4Cidr peer;
  bool reply;
  const char* label;
};

}  // namespace

CheckResult CheckNetworkAcls(const PairContext& pair) {
  if (auto pre = Precheck(pair, kId)) {
    return *pre;
  }
  const Graph& g = pair.graph;
  const int protocol = pair.port.protocol;
  const bool has_ports = ProtocolHasPorts(protocol);
  std::vector<LegOutcome> legs;
  legs.reserve(pair.associated_subnets.size() * pair.target_subnets.size());
  bool crossed = false;
  for (NodeIndex a : pair.associated_subnets) {
    for (NodeIndex s : pair.target_subnets) {
      std::string where = "between " + pair.SubnetText(a) + " and " + pair.SubnetText(s);
      if (a == s) {
        legs.push_back(
            {Status::kPass, std::move(where), "same subnet: no network ACL is crossed", {}, {}});
        continue;
      }
      crossed = true;
      const Ipv4Cidr target_range = pair.TargetRange(s);
      const Ipv4Cidr client_range = pair.SubnetCidr(a);
      const Direction directions[] = {
          {a, true, target_range, false, "outbound from the associated subnet"},
          {s, false, client_range, false, "inbound to the target's subnet"},
          {s, true, client_range, true, "replies outbound from the target's subnet"},
          {a, false, target_range, true, "replies inbound to the associated subnet"},
      };
      LegOutcome leg;
      leg.where = std::move(where);
      const bool fix_unused = HasFailure(legs);  // only the first failing leg's fix is reported
      std::vector<std::string> allowed;
      allowed.reserve(std::size(directions));
      std::vector<std::string> failures;
      std::vector<std::string> fixes;
      std::string unknown;
      std::vector<std::pair<const NetworkAcl*, int>> suggested;  // per ACL and direction
      for (const Direction& d : directions) {
        const Link acl_link = g.NetworkAclOf(d.acl_subnet);
        if (!acl_link.Resolved()) {
          unknown = fmt::format("the network ACL of {} is not known: {}",
                                DescribeSubnet(g, d.acl_subnet), acl_link.unknown);
          if (!leg.resource) {
            leg.resource = g.subnets[static_cast<size_t>(d.acl_subnet)].origin;
          }
          continue;
        }
        const NetworkAcl& acl = g.network_acls[static_cast<size_t>(acl_link.index)];
        if (!acl.entries_unknown.empty()) {
          unknown = acl.entries_unknown;
          leg.resource = leg.resource ? leg.resource : std::optional(acl.origin);
          continue;
        }
        const PortRange ports = d.reply ? kEphemeralPorts : pair.port.ports;
        NetworkAclVerdict v =
            d.reply ? pair.ReplyVerdict(acl_link.index, d.egress, d.peer, protocol)
                    : EvaluateNetworkAcl(acl, d.egress, d.peer, protocol,
                                         has_ports ? ports : PortRange::All(), kIcmpEchoRequest);
        if (v.status == Status::kPass) {
          allowed.push_back(std::move(v.detail));
          continue;
        }
        if (v.status == Status::kUnknown) {
          unknown = fmt::format("{}: {}", d.label, v.detail);
          continue;
        }
        failures.push_back(fmt::format("{}: {}", d.label, v.detail));
        if (!leg.resource || failures.size() == 1) {
          leg.resource = acl.origin;
        }
        if (fix_unused) {
          continue;
        }
        std::vector<int> taken;
        for (const auto& [which, number] : suggested) {
          if (which == &acl && (number < 0) == d.egress) {
            taken.push_back(number < 0 ? -number : number);
          }
        }
        const int number = SuggestRuleNumber(acl, d.egress, v.decided_by, taken);
        suggested.emplace_back(&acl, d.egress ? -number : number);
        fixes.push_back(FixNetworkAclEntry(acl, d.egress, number, protocol, ports, d.peer));
      }
      if (!failures.empty()) {
        leg.status = Status::kFail;
        for (size_t i = 0; i < failures.size(); ++i) {
          leg.detail += (i == 0 ? "" : "; ") + failures[i];
        }
        for (size_t i = 0; i < fixes.size(); ++i) {
          if (!fixes[i].empty()) {
            leg.fix += (leg.fix.empty() ? "" : "\n\n") + fixes[i];
          }
        }
      } else if (!unknown.empty()) {
        leg.status = Status::kUnknown;
        leg.detail = unknown;
      } else {
        for (size_t i = 0; i < allowed.size(); ++i) {
          if (i == 0) {
            leg.detail = allowed.front();
          } else if (allowed[i] != allowed[i - 1]) {
            leg.detail += "; ";
            leg.detail += allowed[i];
          }
        }
      }
      legs.push_back(std::move(leg));
    }
  }
  std::string summary;
  for (const LegOutcome& leg : legs) {
    if (summary.empty() && leg.status == Status::kPass && leg.detail.rfind("same subnet", 0) != 0) {
      summary = leg.detail;
    }
  }
  if (!crossed) {
    summary = "the target is in the associated subnet itself: no network ACL is crossed";
  }
  return Combine(kId, legs, summary);
}

}  // namespace cvpn::rules
