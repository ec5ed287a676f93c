// SPDX-License-Identifier: Apache-2.0
#include "analyzer/graph_builders.h"

#include <fmt/format.h>

namespace cvpn {

SecurityGroupRule MakeSecurityGroupRule(const SecurityGroupRuleShape& shape,
                                        SecurityGroupPeer peer) {
  SecurityGroupRule rule;
  rule.origin = shape.origin;
  rule.egress = shape.egress;
  rule.protocol = shape.protocol;
  if (shape.protocol.Known()) {
    rule.ports = NormalizeRuleTraffic(*shape.protocol.value, shape.from, shape.to).ports;
    if (*shape.protocol.value == kProtocolIcmp) {
      rule.icmp_type = shape.from;
      rule.icmp_code = shape.to;
    }
  }
  rule.peer = std::move(peer);
  return rule;
}

SecurityGroupPeer CidrPeer(Maybe<Ipv4Cidr> cidr) {
  SecurityGroupPeer p;
  p.kind = SecurityGroupPeer::Kind::kCidr;
  p.cidr = std::move(cidr);
  return p;
}

SecurityGroupPeer GroupPeer(Link group) {
  SecurityGroupPeer p;
  p.kind = SecurityGroupPeer::Kind::kSecurityGroup;
  p.group = std::move(group);
  return p;
}

SecurityGroupPeer PrefixListPeer(Link list) {
  SecurityGroupPeer p;
  p.kind = SecurityGroupPeer::Kind::kPrefixList;
  p.prefix_list = std::move(list);
  return p;
}

void ApplyPortsTag(Target& target, const std::string& value) {
  const PortSpecListParseResult parsed = ParsePortSpecList(value);
  if (parsed.error.empty()) {
    target.declared_ports = parsed.specs;
  } else {
    target.declared_ports_error = fmt::format("tag `cvpn-lint:ports` is `{}`: {}", value,
                                              parsed.error);
  }
}

}  // namespace cvpn
