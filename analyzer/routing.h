// SPDX-License-Identifier: Apache-2.0
// VPC route tables: where a route table sends a destination range, by longest prefix match over
// its routes and the implicit local routes of its VPC.
#pragma once

#include <string>
#include <vector>

#include "analyzer/graph.h"
#include "analyzer/network_index.h"

namespace cvpn {

/// The decision for one piece of a destination range.
struct RouteDecision {
  uint32_t first = 0;
  uint32_t last = 0;
  enum class Via { kLocal, kRoute, kNoRoute } via = Via::kNoRoute;
  const Route* route = nullptr;  ///< for kRoute
  Ipv4Cidr matched;              ///< the deciding prefix (a VPC CIDR for kLocal)
};

struct RouteLookup {
  std::vector<RouteDecision> decisions;  ///< ascending, covering the whole destination
  std::string unknown;  ///< why the decision may be incomplete (unknown routes), if so
};

/// Looks up `destination` in route table `table`.
RouteLookup LookupRoutes(const NetworkIndex& index, NodeIndex table, const Ipv4Cidr& destination);

/// "local", "`aws_vpc_peering_connection.p`", "igw-123", ... for messages.
std::string DescribeRouteTarget(const RouteTarget& target);

}  // namespace cvpn
