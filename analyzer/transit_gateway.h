// SPDX-License-Identifier: Apache-2.0
// Transit gateways: whether a gateway carries traffic entering from one attached VPC to another,
// through the route table its attachment is associated with (static routes first, then
// propagated VPC CIDRs, longest prefix first).
#pragma once

#include <optional>
#include <string>

#include "analyzer/graph.h"
#include "analyzer/rule.h"

namespace cvpn {

struct TransitGatewayHop {
  Status status = Status::kUnknown;
  std::string detail;
  std::optional<Origin> resource;  ///< what to change on failure
  NodeIndex route_table = kNone;   ///< the transit gateway route table that decided
  NodeIndex exit_attachment = kNone;  ///< where a propagation would be missing, on failure
};

/// Evaluates `tgw` for traffic to `destination` that enters from subnet `from_subnet` of VPC
/// `from_vpc` and must reach VPC `to_vpc`.
TransitGatewayHop EvaluateTransitGateway(const Graph& graph, NodeIndex tgw, NodeIndex from_subnet,
                                         NodeIndex from_vpc, const Ipv4Cidr& destination,
                                         NodeIndex to_vpc);

/// The attachment of `vpc` to `tgw`, or kNone.
NodeIndex AttachmentOf(const Graph& graph, NodeIndex tgw, NodeIndex vpc);

}  // namespace cvpn
