// SPDX-License-Identifier: Apache-2.0
// The rule interface: one requirement of a Client VPN path, checked for one pair.
//
// A rule reads the graph through a PairContext and returns one CheckResult: pass, fail or
// unknown, with a message naming the route, rule or entry that decided it, the resource a user
// would change, and a fix in the input's own language. Rules never throw and hold no state.
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/graph.h"
#include "analyzer/network_acls.h"
#include "analyzer/network_index.h"
#include "analyzer/ports.h"
#include "analyzer/status.h"

namespace cvpn {

/// The outcome of one rule on one pair.
struct CheckResult {
  std::string rule;  ///< CVPN001..CVPN006
  Status status = Status::kUnknown;
  std::string message;
  std::optional<Origin> resource;  ///< what to change, where a change would help
  std::string fix;                 ///< empty when there is no fix to suggest

  friend bool operator==(const CheckResult&, const CheckResult&) = default;
};

/// One (endpoint, target, port, group) to check, with what every rule needs precomputed.
struct PairContext {
  const Graph& graph;
  const NetworkIndex& index;  ///< lookups over `graph`
  NodeIndex endpoint = kNone;
  NodeIndex target = kNone;
  PortSpec port;
  std::optional<std::string> group;

  /// Associated subnets with a known CIDR, in declaration order.
  std::vector<NodeIndex> associated_subnets;
  /// Why some association could not be evaluated (unknown subnet or CIDR); empty if none.
  std::string associations_unknown;
  /// The target's subnets with a known CIDR.
  std::vector<NodeIndex> target_subnets;
  std::string target_unknown;

  /// DescribeSubnet() of the subnets rules name, worked out once per context (a deque: the
  /// texts stay where they are as it grows).
  mutable std::deque<std::pair<NodeIndex, std::string>> subnet_texts;

  /// A network ACL's verdict on replies (ephemeral destination ports): the same whatever the
  /// pair's port, so worked out once per context and protocol.
  const NetworkAclVerdict& ReplyVerdict(NodeIndex acl, bool egress, const Ipv4Cidr& peer,
                                        int protocol) const;
  struct ReplyQuery {
    NodeIndex acl;
    bool egress;
    Ipv4Cidr peer;
    int protocol;
    friend bool operator==(const ReplyQuery&, const ReplyQuery&) = default;
  };
  mutable std::deque<std::pair<ReplyQuery, NetworkAclVerdict>> reply_verdicts;

  /// The addresses the target may have in `subnet`: its private IP, or the subnet's CIDR.
  Ipv4Cidr TargetRange(NodeIndex subnet) const;
  /// DescribeSubnet(graph, subnet): "`aws_subnet.a` (10.0.1.0/24)".
  const std::string& SubnetText(NodeIndex subnet) const;
  const ClientVpnEndpoint& Endpoint() const {
    return graph.endpoints[static_cast<size_t>(endpoint)];
  }
  const Target& TargetNode() const { return graph.targets[static_cast<size_t>(target)]; }
  const Subnet& SubnetAt(NodeIndex s) const { return graph.subnets[static_cast<size_t>(s)]; }
  Ipv4Cidr SubnetCidr(NodeIndex s) const { return *SubnetAt(s).cidr.value; }
};

/// Builds the context for a pair: resolves associations and target placement.
PairContext MakePairContext(const NetworkIndex& index, NodeIndex endpoint, NodeIndex target,
                            const PortSpec& port, std::optional<std::string> group);

/// A rule's identity and entry point.
struct Rule {
  std::string_view id;       ///< CVPN001
  std::string_view name;     ///< kebab-case, e.g. vpc-routes
  std::string_view summary;  ///< one sentence, the first of its doc
  CheckResult (*check)(const PairContext& pair);
  /// Whether the check reads the pair's port, or its group. A check that reads neither gives the
  /// same result for every pair of one endpoint and target, so the engine runs it once for them
  /// all (and once per group where it reads only the group).
  bool reads_port = true;
  bool reads_group = true;
};

}  // namespace cvpn
