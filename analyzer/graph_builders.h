// SPDX-License-Identifier: Apache-2.0
// Builders shared by every front end: they apply AWS's own normalisation (ports of protocols that
// have none, ICMP type and code in the port fields, the `cvpn-lint:ports` tag), so that a rule or
// a target means the same whatever the input language.
#pragma once

#include <string>

#include "analyzer/graph.h"

namespace cvpn {

/// What a front end read of a security group rule, before its peer.
struct SecurityGroupRuleShape {
  Origin origin;
  bool egress = false;
  Maybe<int> protocol;
  int from = -1;  ///< from_port / FromPort; the ICMP type for ICMP rules
  int to = -1;    ///< to_port / ToPort; the ICMP code for ICMP rules
};

/// A rule with its ports normalised: all ports where the protocol has none, and for ICMP the type
/// and code taken from the port fields, as AWS reads them.
SecurityGroupRule MakeSecurityGroupRule(const SecurityGroupRuleShape& shape,
                                        SecurityGroupPeer peer);

SecurityGroupPeer CidrPeer(Maybe<Ipv4Cidr> cidr);
SecurityGroupPeer GroupPeer(Link group);
SecurityGroupPeer PrefixListPeer(Link list);

/// Applies a `cvpn-lint:ports` tag value to a target: its declared ports, or the error to report.
void ApplyPortsTag(Target& target, const std::string& value);

}  // namespace cvpn
