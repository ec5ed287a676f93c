// SPDX-License-Identifier: Apache-2.0
// Fixes in the input's own language. Each function returns the text of a resource to add, or an
// empty string where no fix can be written for that language yet.
#pragma once

#include <optional>
#include <string>

#include "analyzer/graph.h"
#include "analyzer/ports.h"

namespace cvpn::rules {

/// How the fix refers to an element: its ID expression in the input's language.
std::string IdOf(const Origin& origin);

/// A security-group rule allowing `want` from (or, for egress, to) a group or a CIDR.
std::string FixSecurityGroupRule(const Origin& group, bool egress, const PortSpec& want,
                                 const std::optional<Origin>& peer_group,
                                 const std::optional<Ipv4Cidr>& peer_cidr);

/// A network ACL entry allowing `protocol`/`ports` to or from `cidr`.
std::string FixNetworkAclEntry(const Origin& acl, bool egress, int rule_number, int protocol,
                               const PortRange& ports, const Ipv4Cidr& cidr);

/// A Client VPN authorization rule for `cidr` (for `group`, or all groups).
std::string FixAuthorizationRule(const Origin& endpoint, const Ipv4Cidr& cidr,
                                 const std::optional<std::string>& group);

/// A Client VPN route for `destination` through the association of `subnet`.
std::string FixClientVpnRoute(const Origin& endpoint, const Ipv4Cidr& destination,
                              const Origin& subnet);

/// A VPC route for `destination` in `route_table` through `target` (an ID expression).
std::string FixVpcRoute(const Origin& route_table, const Ipv4Cidr& destination,
                        const std::string& target_attribute, const std::string& target);

/// A peering between two VPCs, and the route through it in `route_table`.
std::string FixVpcPeering(const Origin& from_vpc, const Origin& to_vpc, const Origin& route_table,
                          const Ipv4Cidr& destination);

}  // namespace cvpn::rules
