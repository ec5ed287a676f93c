// SPDX-License-Identifier: Apache-2.0
#include "analyzer/routing.h"

#include <fmt/format.h>

#include "analyzer/lpm.h"

namespace cvpn {

RouteLookup LookupRoutes(const NetworkIndex& index, NodeIndex table, const Ipv4Cidr& destination) {
  RouteLookup out;
  const RouteTableCandidates& candidates = index.RoutesOf(table);
  const std::vector<Ipv4Cidr>& prefixes = candidates.prefixes;
  const std::vector<const Route*>& routes = candidates.routes;  // nullptr for local routes
  out.unknown = candidates.unknown;
  for (const LpmPiece& piece : LongestPrefixPieces(destination, prefixes, candidates.index)) {
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
