// SPDX-License-Identifier: Apache-2.0
// Security groups: whether the union of a set of groups' rules in one direction allows some
// traffic to or from a peer, given as an address range and the groups the peer carries.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analyzer/graph.h"
#include "analyzer/rule.h"

namespace cvpn {

/// The peer of the traffic: all of `range` must be allowed, or one of `groups` referenced.
struct SecurityGroupPeerSpec {
  Ipv4Cidr range;
  std::vector<NodeIndex> groups;
};

struct SecurityGroupVerdict {
  Status status = Status::kUnknown;
  /// Pass: the rule that allows it. Fail: what is missing. Unknown: why it cannot be told.
  std::string detail;
  std::optional<Origin> decided_by;  ///< the rule that allowed it, on pass
};

/// Evaluates `groups` for traffic `want` in one direction (`egress` false: inbound from the peer).
/// Without `describe`, only the status is worked out (and decided_by), not the detail.
SecurityGroupVerdict EvaluateSecurityGroups(const Graph& graph, const std::vector<Link>& groups,
                                            bool egress, const PortSpec& want,
                                            const SecurityGroupPeerSpec& peer,
                                            bool describe = true);

}  // namespace cvpn
