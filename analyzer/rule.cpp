// SPDX-License-Identifier: Apache-2.0
#include "analyzer/rule.h"

#include <algorithm>

#include <fmt/format.h>

#include "analyzer/describe.h"

namespace cvpn {

Ipv4Cidr PairContext::TargetRange(NodeIndex subnet) const {
  const Ipv4Cidr cidr = SubnetCidr(subnet);
  const Target& t = TargetNode();
  if (t.private_ip && cidr.Contains(*t.private_ip)) {
    return Ipv4Cidr{*t.private_ip, 32};
  }
  return cidr;
}

const std::string& PairContext::SubnetText(NodeIndex subnet) const {
  for (const auto& [s, text] : subnet_texts) {
    if (s == subnet) {
      return text;
    }
  }
  return subnet_texts.emplace_back(subnet, DescribeSubnet(graph, subnet)).second;
}

const NetworkAclVerdict& PairContext::ReplyVerdict(NodeIndex acl, bool egress,
                                                   const Ipv4Cidr& peer, int protocol) const {
  const ReplyQuery query{acl, egress, peer, protocol};
  for (const auto& [q, verdict] : reply_verdicts) {
    if (q == query) {
      return verdict;
    }
  }
  return reply_verdicts
      .emplace_back(query, EvaluateNetworkAcl(graph.network_acls[static_cast<size_t>(acl)],
                                              egress, peer, protocol, kEphemeralPorts,
                                              kIcmpEchoReply))
      .second;
}

PairContext MakePairContext(const NetworkIndex& index, NodeIndex endpoint, NodeIndex target,
                            const PortSpec& port, std::optional<std::string> group) {
  const Graph& graph = index.graph();
  PairContext c{graph, index, endpoint, target, port, std::move(group), {}, {}, {}, {}, {}, {}};
  const ClientVpnEndpoint& e = graph.endpoints[static_cast<size_t>(endpoint)];
  for (const ClientVpnAssociation& a : e.associations) {
    if (!a.subnet.Resolved()) {
      c.associations_unknown = a.subnet.unknown.empty()
                                   ? fmt::format("the subnet of `{}` is not known",
                                                 a.origin.address)
                                   : a.subnet.unknown;
      continue;
    }
    const Subnet& s = graph.subnets[static_cast<size_t>(a.subnet.index)];
    if (!s.cidr.Known()) {
      c.associations_unknown =
          s.cidr.unknown.empty()
              ? fmt::format("the CIDR of `{}` is not known", s.origin.address)
              : s.cidr.unknown;
      continue;
    }
    if (std::find(c.associated_subnets.begin(), c.associated_subnets.end(), a.subnet.index) ==
        c.associated_subnets.end()) {
      c.associated_subnets.push_back(a.subnet.index);
    }
  }
  if (!e.associations_unknown.empty()) {
    c.associations_unknown = e.associations_unknown;
  }
  const Target& t = graph.targets[static_cast<size_t>(target)];
  for (const Link& l : t.subnets) {
    if (!l.Resolved()) {
      continue;
    }
    const Subnet& s = graph.subnets[static_cast<size_t>(l.index)];
    if (!s.cidr.Known()) {
      c.target_unknown = s.cidr.unknown.empty()
                             ? fmt::format("the CIDR of `{}` is not known", s.origin.address)
                             : s.cidr.unknown;
      continue;
    }
    c.target_subnets.push_back(l.index);
  }
  if (!t.subnets_unknown.empty()) {
    c.target_unknown = t.subnets_unknown;
  }
  for (const auto* list : {&c.associated_subnets, &c.target_subnets}) {
    for (const NodeIndex s : *list) {
      c.subnet_texts.emplace_back(s, DescribeSubnet(graph, s));
    }
  }
  return c;
}

}  // namespace cvpn
