// SPDX-License-Identifier: Apache-2.0
// Lookups over a finalized graph that the checks make for every pair, built once per analysis so
// that no check scans a whole table: transit gateway attachments by gateway and VPC, the
// transit gateway route table each attachment is associated with, peerings between two VPCs,
// the route tables of each VPC, and the candidate routes of every route table with a prefix
// index for longest-prefix matching. Every lookup answers exactly as the scan it replaces.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/graph.h"
#include "analyzer/lpm.h"

namespace cvpn {

/// A VPC route table's candidates: the VPC's CIDRs (local routes), then its routes.
struct RouteTableCandidates {
  std::vector<Ipv4Cidr> prefixes;
  std::vector<const Route*> routes;  ///< parallel to prefixes; nullptr for local routes
  std::string unknown;               ///< why the routes may be incomplete, if so
  PrefixIndex index;
};

/// A transit gateway route table's candidates: static routes, then propagated VPC CIDRs.
struct TransitGatewayRouteCandidates {
  std::vector<Ipv4Cidr> prefixes;
  std::vector<const TransitGatewayRoute*> routes;  ///< parallel; nullptr for propagated routes
  std::vector<NodeIndex> attachments;              ///< parallel: where each route leads
  std::string unknown;  ///< why a static route's destination is not known, if so
  PrefixIndex index;
};

class NetworkIndex {
 public:
  explicit NetworkIndex(const Graph& graph);

  const Graph& graph() const { return graph_; }

  /// The first attachment (by index) of `vpc` to `tgw`, or kNone: AttachmentOf().
  NodeIndex FirstAttachment(NodeIndex tgw, NodeIndex vpc) const;
  /// The last attachment (by index) of `vpc` to `tgw`, or kNone.
  NodeIndex LastAttachment(NodeIndex tgw, NodeIndex vpc) const;
  /// The transit gateways (ascending) that `vpc` has an attachment to.
  const std::vector<NodeIndex>& GatewaysOf(NodeIndex vpc) const;
  /// The transit gateway route table an attachment is associated with:
  /// Graph::AssociatedRouteTable().
  Link AssociatedRouteTable(NodeIndex attachment) const;
  /// The peerings (ascending) whose requester and accepter VPCs are `a` and `b`, either way.
  const std::vector<NodeIndex>& PeeringsBetween(NodeIndex a, NodeIndex b) const;
  /// The route tables (ascending) whose VPC link has index `vpc` (kNone: not resolved).
  const std::vector<NodeIndex>& RouteTablesOf(NodeIndex vpc) const;

  const RouteTableCandidates& RoutesOf(NodeIndex table) const {
    return route_tables_[static_cast<size_t>(table)];
  }
  const TransitGatewayRouteCandidates& TransitGatewayRoutesOf(NodeIndex table) const {
    return transit_gateway_route_tables_[static_cast<size_t>(table)];
  }

 private:
  using VpcPair = std::pair<NodeIndex, NodeIndex>;

  const Graph& graph_;
  std::map<VpcPair, std::vector<NodeIndex>> attachments_;  ///< by (gateway, VPC), ascending
  std::map<NodeIndex, std::vector<NodeIndex>> gateways_of_vpc_;
  std::vector<Link> associated_route_table_;  ///< per attachment
  std::map<VpcPair, std::vector<NodeIndex>> peerings_;  ///< by (lower VPC, higher VPC)
  std::map<NodeIndex, std::vector<NodeIndex>> route_tables_of_vpc_;
  std::vector<RouteTableCandidates> route_tables_;
  std::vector<TransitGatewayRouteCandidates> transit_gateway_route_tables_;
  const std::vector<NodeIndex> none_;
};

}  // namespace cvpn
