// SPDX-License-Identifier: Apache-2.0
#include "analyzer/transit_gateway.h"

#include <algorithm>

#include <fmt/format.h>

#include "analyzer/describe.h"
#include "analyzer/lpm.h"

namespace cvpn {

NodeIndex AttachmentOf(const Graph& g, NodeIndex tgw, NodeIndex vpc) {
  for (NodeIndex a = 0; a < static_cast<NodeIndex>(g.transit_gateway_attachments.size()); ++a) {
    const TransitGatewayAttachment& att = g.transit_gateway_attachments[static_cast<size_t>(a)];
    if (att.transit_gateway.index == tgw && att.vpc.index == vpc && vpc != kNone) {
      return a;
    }
  }
  return kNone;
}

TransitGatewayHop EvaluateTransitGateway(const NetworkIndex& index, NodeIndex tgw,
                                         NodeIndex from_subnet, NodeIndex from_vpc,
                                         const Ipv4Cidr& destination, NodeIndex to_vpc) {
  const Graph& g = index.graph();
  TransitGatewayHop out;
  const TransitGateway& gateway = g.transit_gateways[static_cast<size_t>(tgw)];
  const std::string& gw = gateway.origin.address;
  const NodeIndex entry = from_vpc == kNone ? kNone : index.FirstAttachment(tgw, from_vpc);
  out.exit_attachment = to_vpc == kNone ? kNone : index.FirstAttachment(tgw, to_vpc);
  out.entry_attachment = entry;
  if (entry == kNone) {
    out.failure = TransitGatewayHop::Failure::kNotAttached;
    out.status = Status::kFail;
    out.detail = fmt::format("`{}` is not attached to `{}`",
                             g.vpcs[static_cast<size_t>(from_vpc)].origin.address, gw);
    out.resource = gateway.origin;
    return out;
  }
  const TransitGatewayAttachment& att = g.transit_gateway_attachments[static_cast<size_t>(entry)];
  // A subnet reaches the gateway only through an attachment subnet in its own Availability Zone.
  const std::string& zone = g.subnets[static_cast<size_t>(from_subnet)].availability_zone;
  if (!zone.empty()) {
    bool all_known = !att.subnets.empty();
    bool same_zone = false;
    for (const Link& s : att.subnets) {
      if (!s.Resolved() || g.subnets[static_cast<size_t>(s.index)].availability_zone.empty()) {
        all_known = false;
        continue;
      }
      same_zone = same_zone || g.subnets[static_cast<size_t>(s.index)].availability_zone == zone;
    }
    if (all_known && !same_zone) {
      out.failure = TransitGatewayHop::Failure::kNoZone;
      out.zone = zone;
      out.status = Status::kFail;
      out.detail = fmt::format("`{}` has no subnet in {}, so `{}` cannot reach `{}`",
                               att.origin.address, zone,
                               g.subnets[static_cast<size_t>(from_subnet)].origin.address, gw);
      out.resource = att.origin;
      return out;
    }
  }
  const Link table_link = index.AssociatedRouteTable(entry);
  if (!table_link.Resolved()) {
    out.failure = TransitGatewayHop::Failure::kNotAssociated;
    out.status = Status::kFail;
    out.detail = fmt::format("`{}` is associated with no route table of `{}`", att.origin.address,
                             gw);
    out.resource = att.origin;
    return out;
  }
  out.route_table = table_link.index;
  const TransitGatewayRouteTable& table =
      g.transit_gateway_route_tables[static_cast<size_t>(table_link.index)];
  // Static routes and propagated VPC CIDRs; static routes win on the same prefix.
  const TransitGatewayRouteCandidates& candidates =
      index.TransitGatewayRoutesOf(table_link.index);
  const std::string& unknown = candidates.unknown;
  std::string passed;
  for (const LpmPiece& piece : LongestPrefixPieces(destination, candidates.prefixes,
                                                   candidates.index)) {
    const std::string range = DescribeRange(piece.first, piece.last);
    if (piece.winners.empty()) {
      out.failure = TransitGatewayHop::Failure::kNoRoute;
      out.status = unknown.empty() ? Status::kFail : Status::kUnknown;
      std::string why;
      if (out.exit_attachment != kNone) {
        const auto& exit = g.transit_gateway_attachments[static_cast<size_t>(out.exit_attachment)];
        why = fmt::format(": `{}` does not propagate into it{}", exit.origin.address,
                          exit.default_propagation.Known() && !*exit.default_propagation.value
                              ? " (its transit_gateway_default_route_table_propagation is false)"
                              : "");
      }
      out.detail = fmt::format("{} has no route for {}{}{}", Name(table.origin), range, why,
                               unknown.empty() ? "" : "; " + unknown);
      out.resource = table.origin;
      return out;
    }
    size_t chosen = piece.winners.front();
    for (size_t w : piece.winners) {
      if (candidates.routes[w] != nullptr) {
        chosen = w;
        break;
      }
    }
    const TransitGatewayRoute* chosen_route = candidates.routes[chosen];
    const Ipv4Cidr& chosen_prefix = candidates.prefixes[chosen];
    const NodeIndex chosen_attachment = candidates.attachments[chosen];
    const std::string via = chosen_route != nullptr
                                ? fmt::format("static route {} (`{}`)", chosen_prefix.ToString(),
                                              chosen_route->origin.address)
                                : fmt::format("propagated route {}", chosen_prefix.ToString());
    out.route = chosen_route;
    if (chosen_route != nullptr && chosen_route->blackhole) {
      out.failure = TransitGatewayHop::Failure::kBlackhole;
      out.status = Status::kFail;
      out.detail = fmt::format("the {} in {} is a blackhole for {}", via, Name(table.origin),
                               range);
      out.resource = chosen_route->origin;
      return out;
    }
    if (chosen_attachment == kNone) {
      out.status = Status::kUnknown;
      out.detail = fmt::format("the {} in `{}` leads to an attachment that is not known", via,
                               table.origin.address);
      return out;
    }
    const TransitGatewayAttachment& exit =
        g.transit_gateway_attachments[static_cast<size_t>(chosen_attachment)];
    if (exit.vpc.index != to_vpc) {
      out.failure = TransitGatewayHop::Failure::kWrongAttachment;
      out.status = Status::kFail;
      out.detail = fmt::format("the {} in {} sends {} to `{}`, not to the other side's VPC",
                               via, Name(table.origin), range, exit.origin.address);
      out.resource = chosen_route != nullptr ? chosen_route->origin : table.origin;
      return out;
    }
    if (passed.empty()) {
      passed = fmt::format("`{}` routes {} through the {} in {} to `{}`", gw, range, via,
                           Name(table.origin), exit.origin.address);
    }
  }
  out.status = Status::kPass;
  out.detail = passed;
  return out;
}

}  // namespace cvpn
