// SPDX-License-Identifier: Apache-2.0
#include "analyzer/network_index.h"

#include <algorithm>

namespace cvpn {

namespace {

RouteTableCandidates MakeRouteTableCandidates(const Graph& graph, const RouteTable& rt) {
  RouteTableCandidates out;
  if (rt.vpc.Resolved()) {
    for (const Maybe<Ipv4Cidr>& cidr : graph.vpcs[static_cast<size_t>(rt.vpc.index)].cidr_blocks) {
      if (cidr.Known()) {
        out.prefixes.push_back(*cidr.value);
        out.routes.push_back(nullptr);
      } else if (!cidr.unknown.empty()) {
        out.unknown = cidr.unknown;
      }
    }
  } else if (rt.vpc.IsUnknown()) {
    out.unknown = rt.vpc.unknown;
  }
  for (const Route& r : rt.routes) {
    if (r.destination.Known()) {
      out.prefixes.push_back(*r.destination.value);
      out.routes.push_back(&r);
    } else if (!r.destination.unknown.empty()) {
      out.unknown = r.destination.unknown;
    }
  }
  if (!rt.routes_unknown.empty()) {
    out.unknown = rt.routes_unknown;
  }
  out.index = PrefixIndex(out.prefixes);
  return out;
}

TransitGatewayRouteCandidates MakeTransitGatewayRouteCandidates(
    const Graph& graph, const TransitGatewayRouteTable& table) {
  TransitGatewayRouteCandidates out;
  for (const TransitGatewayRoute& r : table.routes) {
    if (r.destination.Known()) {
      out.prefixes.push_back(*r.destination.value);
      out.routes.push_back(&r);
      out.attachments.push_back(r.attachment.index);
    } else if (!r.destination.unknown.empty()) {
      out.unknown = r.destination.unknown;
    }
  }
  for (const NodeIndex p : table.propagations) {
    const Link& vpc = graph.transit_gateway_attachments[static_cast<size_t>(p)].vpc;
    if (!vpc.Resolved()) {
      continue;
    }
    for (const auto& c : graph.vpcs[static_cast<size_t>(vpc.index)].cidr_blocks) {
      if (c.Known()) {
        out.prefixes.push_back(*c.value);
        out.routes.push_back(nullptr);
        out.attachments.push_back(p);
      }
    }
  }
  out.index = PrefixIndex(out.prefixes);
  return out;
}

}  // namespace

NetworkIndex::NetworkIndex(const Graph& graph)
    : graph_(graph), associated_route_table_(graph.transit_gateway_attachments.size()) {
  for (NodeIndex a = 0; a < static_cast<NodeIndex>(graph.transit_gateway_attachments.size()); ++a) {
    const TransitGatewayAttachment& att = graph.transit_gateway_attachments[static_cast<size_t>(a)];
    if (att.vpc.index == kNone) {
      continue;
    }
    attachments_[{att.transit_gateway.index, att.vpc.index}].push_back(a);
    std::vector<NodeIndex>& gateways = gateways_of_vpc_[att.vpc.index];
    if (std::find(gateways.begin(), gateways.end(), att.transit_gateway.index) == gateways.end()) {
      gateways.push_back(att.transit_gateway.index);
    }
  }
  for (auto& [vpc, gateways] : gateways_of_vpc_) {
    std::sort(gateways.begin(), gateways.end());
  }
  // The first route table (by index) that lists an attachment among its associations.
  for (NodeIndex r = static_cast<NodeIndex>(graph.transit_gateway_route_tables.size()); r-- > 0;) {
    const TransitGatewayRouteTable& table =
        graph.transit_gateway_route_tables[static_cast<size_t>(r)];
    for (const NodeIndex a : table.associations) {
      if (a >= 0 && static_cast<size_t>(a) < associated_route_table_.size()) {
        associated_route_table_[static_cast<size_t>(a)] = Link::To(r);
      }
    }
  }
  for (NodeIndex p = 0; p < static_cast<NodeIndex>(graph.peerings.size()); ++p) {
    const PeeringConnection& peering = graph.peerings[static_cast<size_t>(p)];
    const NodeIndex r = peering.requester_vpc.index;
    const NodeIndex x = peering.accepter_vpc.index;
    peerings_[{std::min(r, x), std::max(r, x)}].push_back(p);
  }
  route_tables_.reserve(graph.route_tables.size());
  for (NodeIndex t = 0; t < static_cast<NodeIndex>(graph.route_tables.size()); ++t) {
    const RouteTable& rt = graph.route_tables[static_cast<size_t>(t)];
    route_tables_of_vpc_[rt.vpc.index].push_back(t);
    route_tables_.push_back(MakeRouteTableCandidates(graph, rt));
  }
  transit_gateway_route_tables_.reserve(graph.transit_gateway_route_tables.size());
  for (const TransitGatewayRouteTable& table : graph.transit_gateway_route_tables) {
    transit_gateway_route_tables_.push_back(MakeTransitGatewayRouteCandidates(graph, table));
  }
}

NodeIndex NetworkIndex::FirstAttachment(NodeIndex tgw, NodeIndex vpc) const {
  const auto it = attachments_.find({tgw, vpc});
  return it == attachments_.end() ? kNone : it->second.front();
}

NodeIndex NetworkIndex::LastAttachment(NodeIndex tgw, NodeIndex vpc) const {
  const auto it = attachments_.find({tgw, vpc});
  return it == attachments_.end() ? kNone : it->second.back();
}

const std::vector<NodeIndex>& NetworkIndex::GatewaysOf(NodeIndex vpc) const {
  const auto it = gateways_of_vpc_.find(vpc);
  return it == gateways_of_vpc_.end() ? none_ : it->second;
}

Link NetworkIndex::AssociatedRouteTable(NodeIndex attachment) const {
  if (attachment < 0 || static_cast<size_t>(attachment) >= associated_route_table_.size()) {
    return graph_.AssociatedRouteTable(attachment);
  }
  return associated_route_table_[static_cast<size_t>(attachment)];
}

const std::vector<NodeIndex>& NetworkIndex::PeeringsBetween(NodeIndex a, NodeIndex b) const {
  const auto it = peerings_.find({std::min(a, b), std::max(a, b)});
  return it == peerings_.end() ? none_ : it->second;
}

const std::vector<NodeIndex>& NetworkIndex::RouteTablesOf(NodeIndex vpc) const {
  const auto it = route_tables_of_vpc_.find(vpc);
  return it == route_tables_of_vpc_.end() ? none_ : it->second;
}

}  // namespace cvpn
