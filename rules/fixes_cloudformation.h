// SPDX-License-Identifier: Apache-2.0
// Fixes for CloudFormation templates: a resource to add under `Resources`, written in the
// template's own language (YAML for YAML templates, JSON for JSON and CDK output). References
// to elements of the same template use `!Ref`/`!GetAtt`; elements of another template are
// imported (the fix says which export to add). rules/fixes.cpp dispatches here for every
// element whose Origin is a CloudFormation template.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/graph.h"
#include "analyzer/ports.h"
#include "rules/fixes.h"

namespace cvpn::rules {

/// An AWS::EC2::SecurityGroupIngress (or Egress) allowing `want` from (to) `peer`.
std::string CfnFixSecurityGroupRule(const SecurityGroup& group,
                                    bool egress,
                                    const PortSpec& want,
                                    const FixPeer& peer);

/// An AWS::EC2::NetworkAclEntry allowing `protocol`/`ports` to or from `cidr`.
std::string CfnFixNetworkAclEntry(const NetworkAcl& acl,
                                  bool egress,
                                  int rule_number,
                                  int protocol,
                                  const PortRange& ports,
                                  const Ipv4Cidr& cidr);

/// An AWS::EC2::ClientVpnAuthorizationRule for `cidr` (for `group`, or all groups).
std::string CfnFixAuthorizationRule(const Origin& endpoint,
                                    const Ipv4Cidr& cidr,
                                    const std::optional<std::string>& group);

/// An AWS::EC2::ClientVpnRoute for `destination` through the association of `subnet`, which
/// DependsOn the `association` where it is known.
std::string CfnFixClientVpnRoute(const Origin& endpoint,
                                 const Ipv4Cidr& destination,
                                 const Origin& subnet,
                                 const std::optional<Origin>& association);

/// Properties to set on an existing resource. `attributes` come as Terraform attribute names
/// and values (`subnet_ids`, `[..., aws_subnet.a.id]`); they are written as CloudFormation
/// properties (`SubnetIds`), with IDs as `!Ref`.
std::string CfnFixSetAttributes(const Origin& resource,
                                const std::vector<std::pair<std::string, std::string>>& attributes,
                                const std::string& note);

/// An AWS::EC2::TransitGatewayVpcAttachment of `vpc` to `tgw` through `subnet`.
std::string CfnFixTransitGatewayAttachment(const Origin& tgw,
                                           const Origin& vpc,
                                           const Origin& subnet);

/// An AWS::EC2::TransitGatewayRouteTablePropagation of `attachment` into `route_table`; for a
/// gateway's default route table, DefaultRouteTablePropagation on the gateway.
std::string CfnFixTransitGatewayPropagation(const Origin& route_table, const Origin& attachment);

/// An AWS::EC2::Route for `destination` in `table`; `target_attribute` is the Terraform name
/// of the target (`vpc_peering_connection_id`) and `target` its ID expression from IdOf().
/// CloudFormation cannot change a VPC's main route table: for that table the fix is a new
/// route table with the route, to associate with the subnets.
std::string CfnFixVpcRoute(const RouteTable& table,
                           const Ipv4Cidr& destination,
                           const std::string& target_attribute,
                           const std::string& target);

/// An AWS::EC2::VPCPeeringConnection between two VPCs, and the route through it in `table`.
std::string CfnFixVpcPeering(const Origin& from_vpc,
                             const Origin& to_vpc,
                             const RouteTable& table,
                             const Ipv4Cidr& destination);

}  // namespace cvpn::rules
