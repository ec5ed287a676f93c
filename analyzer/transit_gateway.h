// SPDX-License-Identifier: Apache-2.0
// Transit gateways: whether a gateway carries traffic entering from one attached VPC to another,
// through the route table its attachment is associated with (static routes first, then
// propagated VPC CIDRs, longest prefix first).
#pragma once

#include <optional>
#include <string>

#include "analyzer/graph.h"
#include "analyzer/network_index.h"
#include "analyzer/rule.h"

namespace cvpn {

struct TransitGatewayHop {
  Status status = Status::kUnknown;
  std::string detail;
  std::optional<Origin> resource;  ///< what to change on failure
  /// Why it failed, for the fix.
  enum class Failure {
    kPassed,
    kNotAttached,      ///< the source VPC has no attachment
    kNoZone,           ///< the attachment has no subnet in the source subnet's zone
    kNotAssociated,    ///< the attachment is associated with no route table
    kNoRoute,          ///< the route table has no route for the destination
    kBlackhole,        ///< a blackhole route decides
    kWrongAttachment,  ///< a route sends it to another VPC's attachment
  } failure = Failure::kPassed;
  NodeIndex entry_attachment = kNone;  ///< the source VPC's attachment
  NodeIndex route_table = kNone;       ///< the transit gateway route table that decided
  NodeIndex exit_attachment = kNone;   ///< the destination VPC's attachment, if any
  const TransitGatewayRoute* route = nullptr;  ///< the static route that decided
  std::string zone;                    ///< the source subnet's zone, for kNoZone
};

/// Evaluates `tgw` for traffic to `destination` that enters from subnet `from_subnet` of VPC
/// `from_vpc` and must reach VPC `to_vpc`.
TransitGatewayHop EvaluateTransitGateway(const NetworkIndex& index, NodeIndex tgw,
                                         NodeIndex from_subnet,
                                         NodeIndex from_vpc, const Ipv4Cidr& destination,
                                         NodeIndex to_vpc);

/// The attachment of `vpc` to `tgw`, or kNone.
NodeIndex AttachmentOf(const Graph& graph, NodeIndex tgw, NodeIndex vpc);

}  // namespace cvpn
