// SPDX-License-Identifier: Apache-2.0
#include "analyzer/routing.h"

#include <fmt/format.h>

#include "analyzer/lpm.h"

namespace cvpn {

RouteLookup LookupRoutes(const Graph& graph, NodeIndex table, const Ipv4Cidr& destination) {
  RouteLookup out;
  const RouteTable& rt = graph.route_tables[static_cast<size_t>(table)];
  std::vector<Ipv4Cidr> prefixes;
  std::vector<const Route*> routes;  // nullptr for local routes
  if (rt.vpc.Resolved()) {
    for (const Maybe<Ipv4Cidr>& cidr : graph.vpcs[static_cast<size_t>(rt.vpc.index)].cidr_blocks) {
      if (cidr.Known()) {
        prefixes.push_back(*cidr.value);
        routes.push_back(nullptr);
      } else if (!cidr.unknown.empty()) {
        out.unknown = cidr.unknown;
      }
    }
  } else if (rt.vpc.IsUnknown()) {
    out.unknown = rt.vpc.unknown;
  }
  for (const Route& r : rt.routes) {
    if (r.destination.Known()) {
      prefixes.push_back(*r.destination.value);
      routes.push_back(&r);
    } else if (!r.destination.unknown.empty()) {
      out.unknown = r.destination.unknown;
    }
  }
  if (!rt.routes_unknown.empty()) {
    out.unknown = rt.routes_unknown;
  }
  for (const LpmPiece& piece : LongestPrefixPieces(destination, prefixes)) {
    RouteDecision d;
    d.first = piece.first;
    d.last = piece.last;
    if (!piece.winners.empty()) {
      // Local routes win a tie: AWS allows no route equal to a VPC CIDR.
      size_t chosen = piece.winners.front();
      for (size_t w : piece.winners) {
        if (routes[w] == nullptr) {
          chosen = w;
          break;
        }
      }
      d.matched = prefixes[chosen];
      d.route = routes[chosen];
      d.via = d.route == nullptr ? RouteDecision::Via::kLocal : RouteDecision::Via::kRoute;
    }
    out.decisions.push_back(d);
  }
  return out;
}

std::string DescribeRouteTarget(const RouteTarget& target) {
  if (target.kind == RouteTarget::Kind::kLocal) {
    return "local";
  }
  return fmt::format("`{}`", target.text);
}

}  // namespace cvpn
