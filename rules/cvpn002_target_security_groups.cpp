// SPDX-License-Identifier: Apache-2.0
// CVPN002 target-security-groups: the target's security groups allow the port from every
// associated subnet or from the endpoint's security group. Doc: rules/cvpn002_*.md
#include <fmt/format.h>

#include "analyzer/describe.h"
#include "analyzer/security_groups.h"
#include "rules/all_rules.h"
#include "rules/common.h"
#include "rules/fixes.h"

namespace cvpn::rules {

namespace {

constexpr std::string_view kId = "CVPN002";

/// The most common mistake: allowing the client CIDR, which source NAT hides from the target.
std::string ClientCidrHint(const Graph& g, const std::vector<Link>& groups,
                           const PairContext& pair) {
  const auto& client = pair.Endpoint().client_cidr;
  if (!client.Known()) {
    return {};
  }
  for (const Link& l : groups) {
    if (!l.Resolved()) {
      continue;
    }
    for (const SecurityGroupRule& r : g.security_groups[static_cast<size_t>(l.index)].rules) {
      if (r.egress || r.peer.kind != SecurityGroupPeer::Kind::kCidr || !r.peer.cidr.Known() ||
          !r.protocol.Known() || !r.peer.cidr.value->Overlaps(*client.value) ||
          MatchTraffic(RuleTraffic{*r.protocol.value, r.ports}, pair.port) == TrafficMatch::kNone) {
        continue;
      }
      return fmt::format("; `{}` allows the client CIDR {}, but Client VPN translates client "
                         "addresses to its network interfaces in the associated subnets, so the "
                         "target never sees them",
                         r.origin.address, r.peer.cidr.value->ToString());
    }
  }
  return {};
}

}  // namespace

CheckResult CheckTargetSecurityGroups(const PairContext& pair) {
  if (auto pre = Precheck(pair, kId)) {
    return *pre;
  }
  const Graph& g = pair.graph;
  const Target& target = pair.TargetNode();
  if (!target.has_security_groups) {
    return CheckResult{std::string(kId), Status::kPass,
                       fmt::format("`{}` has no security groups, so all traffic reaches it",
                                   target.origin.address),
                       std::nullopt, {}};
  }
  const std::vector<Link> groups = g.TargetSecurityGroups(pair.target);
  std::vector<NodeIndex> endpoint_groups;
  std::optional<Origin> endpoint_group;
  for (const Link& l : g.EndpointSecurityGroups(pair.endpoint)) {
    if (l.Resolved()) {
      endpoint_groups.push_back(l.index);
      if (!endpoint_group) {
        endpoint_group = g.security_groups[static_cast<size_t>(l.index)].origin;
      }
    }
  }
  const SecurityGroup* to_change = nullptr;
  for (const Link& l : groups) {
    if (l.Resolved()) {
      to_change = &g.security_groups[static_cast<size_t>(l.index)];
      break;
    }
  }
  const NodeIndex target_vpc = g.VpcOfSubnet(pair.target_subnets.front());
  std::vector<LegOutcome> legs;
  for (NodeIndex a : pair.associated_subnets) {
    // The endpoint's groups sit in the associated subnets' VPC; the target's rules may reference
    // them only where AWS honours references between the two VPCs.
    const NodeIndex vpc = g.VpcOfSubnet(a);
    const bool referencable =
        CanReferenceGroup(pair.index, target_vpc, vpc, /*inbound=*/true, nullptr);
    // Once a leg fails, no other leg's detail is reported.
    const bool describe = !HasFailure(legs);
    SecurityGroupVerdict v = EvaluateSecurityGroups(
        g, groups, /*egress=*/false, pair.port,
        {pair.SubnetCidr(a), referencable ? endpoint_groups : std::vector<NodeIndex>{}}, describe);
    LegOutcome leg;
    leg.status = v.status;
    leg.where = "from " + pair.SubnetText(a);
    if (v.status == Status::kFail && HasFailure(legs)) {
      legs.push_back(std::move(leg));
      continue;
    }
    if (v.status == Status::kFail && !referencable &&
        EvaluateSecurityGroups(g, groups, false, pair.port, {pair.SubnetCidr(a), endpoint_groups},
                               /*describe=*/false)
                .status == Status::kPass) {
      std::string why_not;
      CanReferenceGroup(pair.index, target_vpc, vpc, /*inbound=*/true, &why_not);
      v.detail += fmt::format("; a rule references the endpoint's security group, but {}",
                              why_not);
    }
    if (v.status == Status::kFail) {
      v.detail += ClientCidrHint(g, groups, pair);
    }
    leg.detail = v.status == Status::kFail
                     ? fmt::format("the security groups of `{}` ({}) do not admit it: {}",
                                   target.origin.address, DescribeGroups(g, groups), v.detail)
                     : v.detail;
    if (v.status != Status::kPass && to_change != nullptr) {
      leg.resource = to_change->origin;
      FixPeer peer;
      if (endpoint_group && referencable) {
        peer.self = endpoint_group->address == to_change->origin.address;
        peer.group = endpoint_group;
      } else {
        peer.cidr = pair.SubnetCidr(a);
      }
      leg.fix = FixSecurityGroupRule(*to_change, false, pair.port, peer);
    }
    legs.push_back(std::move(leg));
  }
  return Combine(kId, legs, {}, Legs::kAssociatedSubnets);
}

}  // namespace cvpn::rules
