// SPDX-License-Identifier: Apache-2.0
#include "analyzer/security_groups.h"

#include <algorithm>

#include <fmt/format.h>

#include "analyzer/describe.h"

namespace cvpn {

namespace {

/// One rule reduced to what matters for the query.
struct Candidate {
  const SecurityGroupRule* rule;
  PortRange ports;          ///< the part of the wanted ports it allows
  AddressSet addresses;     ///< peer addresses it allows
  bool peer_group = false;  ///< it references one of the peer's groups
};

}  // namespace

SecurityGroupVerdict EvaluateSecurityGroups(const Graph& graph, const std::vector<Link>& groups,
                                            bool egress, const PortSpec& want,
                                            const SecurityGroupPeerSpec& peer, bool describe) {
  SecurityGroupVerdict out;
  std::string unknown;
  std::vector<Candidate> candidates;
  size_t rule_count = 0;
  for (const Link& link : groups) {
    if (link.Resolved()) {
      rule_count += graph.security_groups[static_cast<size_t>(link.index)].rules.size();
    }
  }
  candidates.reserve(rule_count);
  const bool has_ports = ProtocolHasPorts(want.protocol);
  for (const Link& link : groups) {
    if (!link.Resolved()) {
      unknown = link.unknown.empty() ? "a security group is not known" : link.unknown;
      continue;
    }
    const SecurityGroup& group = graph.security_groups[static_cast<size_t>(link.index)];
    if (!group.rules_unknown.empty()) {
      unknown = group.rules_unknown;
    }
    for (const SecurityGroupRule& rule : group.rules) {
      if (rule.egress != egress) {
        continue;
      }
      if (!rule.protocol.Known()) {
        unknown = rule.protocol.unknown.empty()
                      ? fmt::format("a rule of `{}` has no known protocol", group.origin.address)
                      : rule.protocol.unknown;
        continue;
      }
      const RuleTraffic traffic{*rule.protocol.value, rule.ports};
      const TrafficMatch match = MatchTraffic(traffic, want);
      if (match == TrafficMatch::kNone ||
          (match == TrafficMatch::kPartial && !has_ports)) {
        continue;
      }
      if (want.protocol == kProtocolIcmp && traffic.protocol == kProtocolIcmp &&
          !IcmpMatches(rule.icmp_type, rule.icmp_code, kIcmpEchoRequest)) {
        continue;  // another ICMP type, e.g. the path MTU rule (type 3 code 4)
      }
      Candidate c{&rule, want.ports, {}, false};
      if (has_ports && ProtocolHasPorts(traffic.protocol)) {
        c.ports = PortRange{std::max(want.ports.first, rule.ports.first),
                            std::min(want.ports.last, rule.ports.last)};
      }
      switch (rule.peer.kind) {
        case SecurityGroupPeer::Kind::kCidr:
          if (rule.peer.cidr.Known()) {
            c.addresses.Add(*rule.peer.cidr.value);
          } else if (!rule.peer.cidr.unknown.empty()) {
            unknown = rule.peer.cidr.unknown;
          }
          break;
        case SecurityGroupPeer::Kind::kPrefixList:
          if (rule.peer.prefix_list.Resolved()) {
            for (const auto& e :
                 graph.prefix_lists[static_cast<size_t>(rule.peer.prefix_list.index)].entries) {
              if (e.Known()) {
                c.addresses.Add(*e.value);
              } else if (!e.unknown.empty()) {
                unknown = e.unknown;
              }
            }
          } else if (!rule.peer.prefix_list.unknown.empty()) {
            unknown = rule.peer.prefix_list.unknown;
          }
          break;
        case SecurityGroupPeer::Kind::kSecurityGroup:
          if (rule.peer.group.Resolved()) {
            c.peer_group = std::find(peer.groups.begin(), peer.groups.end(),
                                     rule.peer.group.index) != peer.groups.end();
          } else if (!rule.peer.group.unknown.empty()) {
            unknown = rule.peer.group.unknown;
          }
          break;
      }
      candidates.push_back(std::move(c));
    }
  }
  // Cut the wanted ports where any candidate starts or ends, then check each piece.
  std::vector<int> cuts;
  cuts.reserve(2 * candidates.size() + 2);
  cuts.push_back(want.ports.first);
  cuts.push_back(want.ports.last + 1);
  for (const Candidate& c : candidates) {
    cuts.push_back(c.ports.first);
    cuts.push_back(c.ports.last + 1);
  }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  const char* direction = egress ? "to" : "from";
  std::optional<std::string> failure;
  const Candidate* first_allowing = nullptr;
  for (size_t i = 0; i + 1 < cuts.size() && !failure; ++i) {
    const PortRange piece{cuts[i], cuts[i + 1] - 1};
    if (!want.ports.Contains(piece)) {
      continue;
    }
    const Candidate* by_group = nullptr;
    const Candidate* by_address = nullptr;
    for (const Candidate& c : candidates) {
      if (!c.ports.Contains(piece)) {
        continue;
      }
      if (c.peer_group && by_group == nullptr) {
        by_group = &c;
      }
      if (by_address == nullptr && c.addresses.Covers(peer.range)) {
        by_address = &c;
      }
    }
    const Candidate* deciding = by_group != nullptr ? by_group : by_address;
    // No one rule admits the whole range: perhaps several together do.
    AddressSet allowed;
    if (deciding == nullptr) {
      for (const Candidate& c : candidates) {
        if (c.ports.Contains(piece)) {
          allowed.Add(c.addresses);
        }
      }
    }
    if (deciding == nullptr && allowed.Covers(peer.range)) {
      for (const Candidate& c : candidates) {
        if (c.ports.Contains(piece) && c.addresses.Intersects(peer.range)) {
          deciding = &c;
          break;
        }
      }
    }
    if (deciding != nullptr) {
      if (first_allowing == nullptr) {
        first_allowing = deciding;
      }
      continue;
    }
    if (!describe) {
      failure.emplace();
      break;
    }
    const std::string traffic =
        has_ports ? fmt::format("{}/{}", ProtocolName(want.protocol), piece.ToString())
                  : DescribeTraffic(want);
    const AddressSet part = allowed.Intersect(AddressSet::Of(peer.range));
    if (part.Empty()) {
      failure = fmt::format("no {} rule allows {} {} {}", egress ? "outbound" : "inbound",
                            traffic, direction, peer.range.ToString());
    } else {
      failure = fmt::format("{} rules allow {} {} only {} of {}", egress ? "outbound" : "inbound",
                            traffic, direction, part.ToString(), peer.range.ToString());
    }
  }
  if (!failure) {
    out.status = Status::kPass;
    if (first_allowing != nullptr) {
      const SecurityGroupRule& r = *first_allowing->rule;
      out.decided_by = r.origin;
      if (!describe) {
        return out;
      }
      std::string what;
      if (first_allowing->peer_group) {
        what = fmt::format("the security group `{}`",
                           graph.security_groups[static_cast<size_t>(r.peer.group.index)]
                               .origin.address);
      } else {
        what = first_allowing->addresses.ToString();
      }
      // "`aws_security_group.app` allows tcp/443 from 10.0.0.0/16"
      std::string& d = out.detail;
      d += '`';
      d += r.origin.address;
      d += "` allows ";
      d += DescribeTraffic(want);
      d += ' ';
      d += direction;
      d += ' ';
      d += what;
    }
    return out;
  }
  if (!unknown.empty()) {
    out.status = Status::kUnknown;
    out.detail = fmt::format("{}; {}", *failure, unknown);
    return out;
  }
  out.status = Status::kFail;
  out.detail = *failure;
  return out;
}

}  // namespace cvpn
