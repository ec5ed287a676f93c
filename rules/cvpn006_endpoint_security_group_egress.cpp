// SPDX-License-Identifier: Apache-2.0
// CVPN006 endpoint-security-group-egress: the endpoint's security groups allow egress on the port
// to the target. Doc: rules/cvpn006_*.md
#include <fmt/format.h>

#include "analyzer/describe.h"
#include "analyzer/security_groups.h"
#include "rules/all_rules.h"
#include "rules/common.h"
#include "rules/fixes.h"

namespace cvpn::rules {

namespace {
constexpr std::string_view kId = "CVPN006";
}  // namespace

CheckResult CheckEndpointSecurityGroupEgress(const PairContext& pair) {
  if (auto pre = Precheck(pair, kId)) {
    return *pre;
  }
  const Graph& g = pair.graph;
  const std::vector<Link> groups = g.EndpointSecurityGroups(pair.endpoint);
  std::vector<NodeIndex> target_groups;
  std::optional<Origin> target_group;
  if (pair.TargetNode().has_security_groups) {
    for (const Link& l : g.TargetSecurityGroups(pair.target)) {
      if (l.Resolved()) {
        target_groups.push_back(l.index);
        if (!target_group) {
          target_group = g.security_groups[static_cast<size_t>(l.index)].origin;
        }
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
  const NodeIndex endpoint_vpc = g.VpcOfSubnet(pair.associated_subnets.front());
  std::vector<LegOutcome> legs;
  for (NodeIndex s : pair.target_subnets) {
    const Ipv4Cidr range = pair.TargetRange(s);
    const NodeIndex vpc = g.VpcOfSubnet(s);
    const bool referencable =
        CanReferenceGroup(pair.index, endpoint_vpc, vpc, /*inbound=*/false, nullptr);
    // Once a leg fails, no other leg's detail is reported.
    const bool describe = !HasFailure(legs);
    SecurityGroupVerdict v = EvaluateSecurityGroups(
        g, groups, /*egress=*/true, pair.port,
        {range, referencable ? target_groups : std::vector<NodeIndex>{}}, describe);
    LegOutcome leg;
    leg.status = v.status;
    if (pair.target_subnets.size() > 1) {
      leg.where = "to " + pair.SubnetText(s);
    }
    if (v.status == Status::kFail && HasFailure(legs)) {
      legs.push_back(std::move(leg));
      continue;
    }
    if (v.status == Status::kFail && !referencable &&
        EvaluateSecurityGroups(g, groups, true, pair.port, {range, target_groups},
                               /*describe=*/false)
                .status == Status::kPass) {
      std::string why_not;
      CanReferenceGroup(pair.index, endpoint_vpc, vpc, /*inbound=*/false, &why_not);
      v.detail += fmt::format("; a rule references the target's security group, but {}", why_not);
    }
    leg.detail = v.status == Status::kFail
                     ? fmt::format("the endpoint's security groups ({}) do not let it out: {}",
                                   DescribeGroups(g, groups), v.detail)
                     : v.detail;
    if (v.status != Status::kPass && to_change != nullptr) {
      leg.resource = to_change->origin;
      FixPeer peer;
      if (target_group && referencable) {
        peer.self = target_group->address == to_change->origin.address;
        peer.group = target_group;
      } else {
        peer.cidr = range;
      }
      leg.fix = FixSecurityGroupRule(*to_change, true, pair.port, peer);
    }
    legs.push_back(std::move(leg));
  }
  return Combine(kId, legs, {});
}

}  // namespace cvpn::rules
