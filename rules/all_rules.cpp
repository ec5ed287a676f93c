// SPDX-License-Identifier: Apache-2.0
// The only registration point of rules: a list sorted by ID.
#include "rules/all_rules.h"

namespace cvpn {

const std::vector<Rule>& AllRules() {
  static const std::vector<Rule> kRules{
      {"CVPN001", "vpc-routes",
       "VPC routes carry traffic between the endpoint's associated subnets and the target's "
       "subnets, both ways.",
       &rules::CheckVpcRoutes, /*reads_port=*/false, /*reads_group=*/false},
      {"CVPN002", "target-security-groups",
       "The target's security groups allow the port from every associated subnet or from the "
       "endpoint's security group.",
       &rules::CheckTargetSecurityGroups, /*reads_port=*/true, /*reads_group=*/false},
      {"CVPN003", "network-acls",
       "The network ACLs of the target's and the associated subnets allow the traffic and its "
       "return.",
       &rules::CheckNetworkAcls, /*reads_port=*/true, /*reads_group=*/false},
      {"CVPN004", "authorization-rules",
       "An authorization rule of the endpoint covers the target's network for the pair's group.",
       &rules::CheckAuthorization, /*reads_port=*/false, /*reads_group=*/true},
      {"CVPN005", "client-vpn-routes",
       "The endpoint's route table has a route covering the target's network through every "
       "associated subnet.",
       &rules::CheckClientVpnRoutes, /*reads_port=*/false, /*reads_group=*/false},
      {"CVPN006", "endpoint-security-group-egress",
       "The endpoint's security groups allow egress on the port to the target.",
       &rules::CheckEndpointSecurityGroupEgress, /*reads_port=*/true, /*reads_group=*/false},
  };
  return kRules;
}

}  // namespace cvpn
