// SPDX-License-Identifier: Apache-2.0
// CVPN001 vpc-routes: VPC routing between the endpoint's associated subnets and the target's
// subnets, both directions. Doc: rules/cvpn001_vpc_routes.md
#include <algorithm>

#include <fmt/format.h>

#include "analyzer/describe.h"
#include "analyzer/lpm.h"
#include "analyzer/routing.h"
#include "analyzer/transit_gateway.h"
#include "rules/all_rules.h"
#include "rules/common.h"
#include "rules/fixes.h"

namespace cvpn::rules {

namespace {

constexpr std::string_view kId = "CVPN001";

/// Whether a peering connection joins exactly the two VPCs.
bool Joins(const PeeringConnection& p, NodeIndex a, NodeIndex b) {
  const NodeIndex r = p.requester_vpc.index;
  const NodeIndex x = p.accepter_vpc.index;
  return (r == a && x == b) || (r == b && x == a);
}

/// A peering in the input joining the two VPCs, if any.
NodeIndex FindPeering(const NetworkIndex& index, NodeIndex a, NodeIndex b) {
  const std::vector<NodeIndex>& peerings = index.PeeringsBetween(a, b);
  return peerings.empty() ? kNone : peerings.front();
}

/// A transit gateway both VPCs are attached to, if any.
NodeIndex FindSharedTransitGateway(const NetworkIndex& index, NodeIndex a, NodeIndex b) {
  if (a == kNone || b == kNone) {
    return kNone;
  }
  const std::vector<NodeIndex>& of_b = index.GatewaysOf(b);
  for (const NodeIndex t : index.GatewaysOf(a)) {
    if (t != kNone && std::binary_search(of_b.begin(), of_b.end(), t)) {
      return t;
    }
  }
  return kNone;
}

/// How a route to the other VPC could be written: (attribute, ID expression), if any path exists.
std::optional<std::pair<std::string, std::string>> PathToVpc(const NetworkIndex& index,
                                                             NodeIndex from_vpc, NodeIndex to_vpc) {
  const Graph& g = index.graph();
  const NodeIndex peering = FindPeering(index, from_vpc, to_vpc);
  if (peering != kNone) {
    return std::pair{std::string("vpc_peering_connection_id"),
                     IdOf(g.peerings[static_cast<size_t>(peering)].origin)};
  }
  const NodeIndex tgw = FindSharedTransitGateway(index, from_vpc, to_vpc);
  if (tgw != kNone) {
    return std::pair{std::string("transit_gateway_id"),
                     IdOf(g.transit_gateways[static_cast<size_t>(tgw)].origin)};
  }
  return std::nullopt;
}

/// Another route table of the VPC that has a route for `destination`, which nothing here uses.
std::string UnusedTableHint(const NetworkIndex& index, NodeIndex vpc, NodeIndex table,
                            const Ipv4Cidr& destination, NodeIndex subnet) {
  const Graph& g = index.graph();
  for (const NodeIndex t : index.RouteTablesOf(vpc)) {
    const RouteTable& rt = g.route_tables[static_cast<size_t>(t)];
    if (t == table) {
      continue;
    }
    for (const Route& r : rt.routes) {
      if (r.destination.Known() && r.destination.value->Contains(destination)) {
        return fmt::format("; {} has a route for it, but {} does not use that table",
                           Name(rt.origin), Quote(g.subnets[static_cast<size_t>(subnet)].origin.address));
      }
    }
  }
  return {};
}

/// The fix for a failing transit gateway hop.
std::string TransitGatewayFix(const Graph& g, const TransitGatewayHop& hop, NodeIndex tgw,
                              NodeIndex from_subnet, NodeIndex from_vpc) {
  const Origin& gateway = g.transit_gateways[static_cast<size_t>(tgw)].origin;
  auto attachment = [&](NodeIndex a) -> const Origin& {
    return g.transit_gateway_attachments[static_cast<size_t>(a)].origin;
  };
  switch (hop.failure) {
    case TransitGatewayHop::Failure::kNotAttached:
      return FixTransitGatewayAttachment(gateway, g.vpcs[static_cast<size_t>(from_vpc)].origin,
                                         g.subnets[static_cast<size_t>(from_subnet)].origin);
    case TransitGatewayHop::Failure::kNoZone:
      return FixSetAttributes(attachment(hop.entry_attachment),
                              {{"subnet_ids", fmt::format("[..., {}]", IdOf(g.subnets[static_cast<size_t>(from_subnet)].origin))}},
                              "add a subnet in " + hop.zone);
    case TransitGatewayHop::Failure::kNotAssociated:
      return FixSetAttributes(attachment(hop.entry_attachment),
                              {{"transit_gateway_default_route_table_association", "true"}});
    case TransitGatewayHop::Failure::kNoRoute:
      if (hop.route_table != kNone && hop.exit_attachment != kNone) {
        return FixTransitGatewayPropagation(
            g.transit_gateway_route_tables[static_cast<size_t>(hop.route_table)].origin,
            attachment(hop.exit_attachment));
      }
      return {};
    case TransitGatewayHop::Failure::kBlackhole:
    case TransitGatewayHop::Failure::kWrongAttachment:
      if (hop.route != nullptr && hop.exit_attachment != kNone) {
        std::vector<std::pair<std::string, std::string>> lines;
        if (hop.route->blackhole) {
          lines.emplace_back("blackhole", "false");
        }
        lines.emplace_back("transit_gateway_attachment_id", IdOf(attachment(hop.exit_attachment)));
        return FixSetAttributes(hop.route->origin, lines);
      }
      return {};
    case TransitGatewayHop::Failure::kPassed:
      break;
  }
  return {};
}

/// Whether the route table of `from` delivers `destination` to `to_vpc`. `fix_destination` is
/// the CIDR a new route should cover (the other VPC's).
LegOutcome CheckDirection(const NetworkIndex& index, NodeIndex from,
                          const Ipv4Cidr& destination, NodeIndex to_vpc,
                          const Ipv4Cidr& fix_destination) {
  const Graph& g = index.graph();
  LegOutcome out;
  const Subnet& subnet = g.subnets[static_cast<size_t>(from)];
  const Link table = g.RouteTableOf(from);
  if (!table.Resolved()) {
    out.status = Status::kUnknown;
    out.detail = fmt::format("the route table of {} is not known: {}", DescribeSubnet(g, from),
                             table.unknown);
    out.resource = subnet.origin;
    return out;
  }
  const RouteTable& rt = g.route_tables[static_cast<size_t>(table.index)];
  const NodeIndex from_vpc = g.VpcOfSubnet(from);
  const RouteLookup lookup = LookupRoutes(index, table.index, destination);
  const std::string rt_name =
      fmt::format("{} (the route table of `{}`)", Name(rt.origin), subnet.origin.address);
  std::string pass_detail;
  for (const RouteDecision& d : lookup.decisions) {
    const std::string range = DescribeRange(d.first, d.last);
    if (d.via == RouteDecision::Via::kNoRoute) {
      if (!lookup.unknown.empty()) {
        out.status = Status::kUnknown;
        out.detail = fmt::format("{} has no known route for {}: {}", rt_name, range,
                                 lookup.unknown);
        out.resource = rt.origin;
        return out;
      }
      out.status = Status::kFail;
      out.detail = fmt::format("{} has no route for {}{}", rt_name, range,
                               UnusedTableHint(index, from_vpc, table.index, destination, from));
      out.resource = rt.origin;
      if (const auto path = PathToVpc(index, from_vpc, to_vpc)) {
        out.fix = FixVpcRoute(rt, fix_destination, path->first, path->second);
      } else if (from_vpc != kNone && to_vpc != kNone && from_vpc != to_vpc) {
        out.fix = FixVpcPeering(g.vpcs[static_cast<size_t>(from_vpc)].origin,
                                g.vpcs[static_cast<size_t>(to_vpc)].origin, rt, fix_destination);
      }
      return out;
    }
    if (d.via == RouteDecision::Via::kLocal) {
      if (from_vpc != to_vpc) {
        out.status = Status::kFail;
        out.detail = fmt::format("{} keeps {} local to its own VPC, but the other side is in "
                                 "another VPC with an overlapping CIDR",
                                 rt_name, range);
        out.resource = rt.origin;
        return out;
      }
      if (pass_detail.empty()) {
        pass_detail = fmt::format("the local route of {} carries {}", rt_name, range);
      }
      continue;
    }
    const Route& route = *d.route;
    const std::string route_name =
        route.origin.address == rt.origin.address
            ? fmt::format("route {} of {}", d.matched.ToString(), rt_name)
            : fmt::format("route {} (`{}`) of {}", d.matched.ToString(), route.origin.address,
                          rt_name);
    // A route that exists but goes the wrong way is fixed by changing its target.
    auto wrong_target = [&](std::string detail) {
      out.status = Status::kFail;
      out.detail = std::move(detail);
      out.resource = route.origin;
      if (const auto path = PathToVpc(index, from_vpc, to_vpc)) {
        out.fix = route.origin.address == rt.origin.address
                      ? FixVpcRoute(rt, d.matched, path->first, path->second) +
                            "\n# (in place of the route block that exists for it)"
                      : FixSetAttribute(route.origin, path->first, path->second);
      } else if (from_vpc != kNone && to_vpc != kNone) {
        out.fix = FixVpcPeering(g.vpcs[static_cast<size_t>(from_vpc)].origin,
                                g.vpcs[static_cast<size_t>(to_vpc)].origin, rt, d.matched) +
                  "\n# (in place of the route that exists for it)";
      }
      return out;
    };
    switch (route.target.kind) {
      case RouteTarget::Kind::kPeeringConnection: {
        if (!route.target.node.Resolved()) {
          out.status = Status::kUnknown;
          out.detail = fmt::format("{} sends {} to peering {}, which is not in the input{}",
                                   route_name, range, DescribeRouteTarget(route.target),
                                   route.target.node.unknown.empty()
                                       ? ""
                                       : ": " + route.target.node.unknown);
          out.resource = route.origin;
          return out;
        }
        const PeeringConnection& p = g.peerings[static_cast<size_t>(route.target.node.index)];
        if (!Joins(p, from_vpc, to_vpc)) {
          return wrong_target(fmt::format("{} sends {} to `{}`, which does not connect this VPC "
                                          "with the other side's VPC (peering is not transitive)",
                                          route_name, range, p.origin.address));
        }
        if (!p.active.Known()) {
          out.status = Status::kUnknown;
          out.detail = fmt::format("{} sends {} to `{}`, which may never be accepted: {}",
                                   route_name, range, p.origin.address, p.active.unknown);
          out.resource = p.origin;
          return out;
        }
        if (pass_detail.empty()) {
          pass_detail = fmt::format("{} sends {} to `{}`", route_name, range, p.origin.address);
        }
        continue;
      }
      case RouteTarget::Kind::kTransitGateway: {
        if (!route.target.node.Resolved()) {
          out.status = Status::kUnknown;
          out.detail = fmt::format("{} sends {} to transit gateway {}, which is not in the input{}",
                                   route_name, range, DescribeRouteTarget(route.target),
                                   route.target.node.unknown.empty()
                                       ? ""
                                       : ": " + route.target.node.unknown);
          out.resource = route.origin;
          return out;
        }
        const NodeIndex tgw = route.target.node.index;
        const TransitGatewayHop hop =
            EvaluateTransitGateway(index, tgw, from, from_vpc, destination, to_vpc);
        if (hop.status != Status::kPass) {
          out.status = hop.status;
          out.detail = fmt::format("{} sends {} to `{}`, but {}", route_name, range,
                                   g.transit_gateways[static_cast<size_t>(tgw)].origin.address,
                                   hop.detail);
          out.resource = hop.resource ? hop.resource : std::optional(route.origin);
          if (hop.status == Status::kFail) {
            out.fix = TransitGatewayFix(g, hop, tgw, from, from_vpc);
          }
          return out;
        }
        if (pass_detail.empty()) {
          pass_detail = fmt::format("{} sends {} to the transit gateway; {}", route_name, range,
                                    hop.detail);
        }
        continue;
      }
      case RouteTarget::Kind::kUnknown:
        out.status = Status::kUnknown;
        out.detail = fmt::format("{} for {} has no known target", route_name, range);
        out.resource = route.origin;
        return out;
      default:
        return wrong_target(fmt::format("{} sends {} to {}, which does not lead to the other side",
                                        route_name, range, DescribeRouteTarget(route.target)));
    }
  }
  out.status = Status::kPass;
  out.detail = pass_detail;
  return out;
}

/// The CIDR a new route toward `vpc` should cover: its primary CIDR, or `fallback`.
Ipv4Cidr VpcCidrOr(const Graph& g, NodeIndex vpc, const Ipv4Cidr& fallback) {
  const Vpc& v = g.vpcs[static_cast<size_t>(vpc)];
  if (!v.cidr_blocks.empty() && v.cidr_blocks[0].Known() &&
      v.cidr_blocks[0].value->Contains(fallback)) {
    return *v.cidr_blocks[0].value;
  }
  return fallback;
}

}  // namespace

CheckResult CheckVpcRoutes(const PairContext& pair) {
  if (auto pre = Precheck(pair, kId)) {
    return *pre;
  }
  const Graph& g = pair.graph;
  std::vector<LegOutcome> legs;
  bool same_vpc_only = true;
  std::string crossed_detail;
  for (NodeIndex a : pair.associated_subnets) {
    for (NodeIndex s : pair.target_subnets) {
      const NodeIndex vpc_a = g.VpcOfSubnet(a);
      const NodeIndex vpc_s = g.VpcOfSubnet(s);
      const std::string where = "between " + pair.SubnetText(a) + " and " + pair.SubnetText(s);
      if (vpc_a == kNone || vpc_s == kNone) {
        legs.push_back({Status::kUnknown, where, "the VPC of a subnet is not known",
                        g.subnets[static_cast<size_t>(vpc_a == kNone ? a : s)].origin, {}});
        continue;
      }
      same_vpc_only = same_vpc_only && vpc_a == vpc_s;
      if (a == s) {
        legs.push_back({Status::kPass, where, "same subnet", {}, {}});
        continue;
      }
      LegOutcome forward = CheckDirection(pair.index, a, pair.TargetRange(s), vpc_s,
                                          VpcCidrOr(g, vpc_s, pair.SubnetCidr(s)));
      if (forward.status != Status::kPass) {
        forward.where = where;
        forward.detail = "to the target: " + forward.detail;
        legs.push_back(std::move(forward));
        continue;
      }
      LegOutcome back = CheckDirection(pair.index, s, pair.SubnetCidr(a), vpc_a,
                                       VpcCidrOr(g, vpc_a, pair.SubnetCidr(a)));
      back.where = where;
      if (back.status != Status::kPass) {
        back.detail = "return traffic: " + back.detail;
      } else {
        back.detail = forward.detail + "; " + back.detail;
        if (crossed_detail.empty()) {
          crossed_detail = back.detail;
        }
      }
      legs.push_back(std::move(back));
    }
  }
  std::string summary = crossed_detail;
  if (const NodeIndex vpc = g.VpcOfSubnet(pair.associated_subnets.front());
      same_vpc_only && vpc != kNone) {  // no VPC known: every leg is unknown, no summary
    summary = fmt::format("the associated subnets and the target share `{}`; its local route "
                          "carries the traffic both ways",
                          g.vpcs[static_cast<size_t>(vpc)].origin.address);
  }
  return Combine(kId, legs, summary);
}

}  // namespace cvpn::rules
