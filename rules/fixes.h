// SPDX-License-Identifier: Apache-2.0
// Fixes in the input's own language. Each function returns the text to add, or an empty string
// where no fix can be written for that language yet. Where the element declares its rules inline,
// the fix is a block to add inside it (Terraform forbids mixing inline rules with separate rule
// resources on one group, ACL or route table).
#pragma once

#include <optional>
#include <string>

#include "analyzer/graph.h"
#include "analyzer/ports.h"

namespace cvpn::rules {

/// How the fix refers to an element: its ID expression in the input's language.
std::string IdOf(const Origin& origin);

/// The other side of a security-group rule to add: a group (possibly the group itself) or a CIDR.
struct FixPeer {
  std::optional<Origin> group;
  bool self = false;
  std::optional<Ipv4Cidr> cidr;
};

/// A security-group rule allowing `want` from (or, for egress, to) `peer`.
std::string FixSecurityGroupRule(const SecurityGroup& group, bool egress, const PortSpec& want,
                                 const FixPeer& peer);

/// A network ACL entry allowing `protocol`/`ports` to or from `cidr`.
std::string FixNetworkAclEntry(const NetworkAcl& acl, bool egress, int rule_number, int protocol,
                               const PortRange& ports, const Ipv4Cidr& cidr);

/// A Client VPN authorization rule for `cidr` (for `group`, or all groups).
std::string FixAuthorizationRule(const Origin& endpoint, const Ipv4Cidr& cidr,
                                 const std::optional<std::string>& group);

/// A Client VPN route for `destination` through `subnet`, named through its association.
std::string FixClientVpnRoute(const Origin& endpoint, const Ipv4Cidr& destination,
                              const Origin& subnet, const std::optional<Origin>& association);

/// Attributes to set on an existing resource, as (attribute, value) lines.
std::string FixSetAttribute(const Origin& resource, const std::string& attribute,
                            const std::string& value);
std::string FixSetAttributes(const Origin& resource,
                             const std::vector<std::pair<std::string, std::string>>& attributes,
                             const std::string& note = {});

/// A VPC attachment of `vpc` to `tgw` through `subnet`.
std::string FixTransitGatewayAttachment(const Origin& tgw, const Origin& vpc, const Origin& subnet);

/// A VPC route for `destination` in `table` through `target_attribute = target`.
std::string FixVpcRoute(const RouteTable& table, const Ipv4Cidr& destination,
                        const std::string& target_attribute, const std::string& target);

/// A peering between two VPCs, and the route through it in `table`.
std::string FixVpcPeering(const Origin& from_vpc, const Origin& to_vpc, const RouteTable& table,
                          const Ipv4Cidr& destination);

/// A propagation of `attachment`'s VPC CIDRs into a transit gateway route table.
std::string FixTransitGatewayPropagation(const Origin& route_table, const Origin& attachment);

}  // namespace cvpn::rules
