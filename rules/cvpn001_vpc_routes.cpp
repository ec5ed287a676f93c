// SPDX-License-Identifier: Apache-2.0
// CVPN001 vpc-routes: VPC routing between the endpoint's associated subnets and the target's
// subnets, both directions. Doc: rules/cvpn001_vpc_routes.md
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
NodeIndex FindPeering(const Graph& g, NodeIndex a, NodeIndex b) {
  for (NodeIndex i = 0; i < static_cast<NodeIndex>(g.peerings.size()); ++i) {
    if (Joins(g.peerings[static_cast<size_t>(i)], a, b)) {
      return i;
    }
  }
  return kNone;
}

/// A transit gateway both VPCs are attached to, if any.
NodeIndex FindSharedTransitGateway(const Graph& g, NodeIndex a, NodeIndex b) {
  for (NodeIndex t = 0; t < static_cast<NodeIndex>(g.transit_gateways.size()); ++t) {
    if (AttachmentOf(g, t, a) != kNone && AttachmentOf(g, t, b) != kNone) {
      return t;
    }
  }
  return kNone;
}

/// Whether the route table of `from` delivers `destination` to `to_vpc`.
LegOutcome CheckDirection(const Graph& g, NodeIndex from, const Ipv4Cidr& destination,
                          NodeIndex to_vpc, const Ipv4Cidr& fix_destination) {
  LegOutcome out;
  const Link table = g.RouteTableOf(from);
  if (!table.Resolved()) {
    out.status = Status::kUnknown;
    out.detail = fmt::format("the route table of {} is not known: {}", DescribeSubnet(g, from),
                             table.unknown);
    return out;
  }
  const RouteTable& rt = g.route_tables[static_cast<size_t>(table.index)];
  const NodeIndex from_vpc = g.VpcOfSubnet(from);
  const RouteLookup lookup = LookupRoutes(g, table.index, destination);
  const std::string rt_name =
      fmt::format("route table `{}` of {}", rt.origin.address, DescribeSubnet(g, from));
  std::string pass_detail;
  for (const RouteDecision& d : lookup.decisions) {
    const std::string range = DescribeRange(d.first, d.last);
    auto fail = [&](std::string detail) {
      out.status = Status::kFail;
      out.detail = std::move(detail);
      out.resource = rt.origin;
      const NodeIndex peering = FindPeering(g, from_vpc, to_vpc);
      const NodeIndex shared_tgw = FindSharedTransitGateway(g, from_vpc, to_vpc);
      if (peering == kNone && shared_tgw != kNone) {
        out.fix = FixVpcRoute(rt, fix_destination, "transit_gateway_id",
                              IdOf(g.transit_gateways[static_cast<size_t>(shared_tgw)].origin));
      } else if (peering != kNone) {
        out.fix = FixVpcRoute(rt, fix_destination, "vpc_peering_connection_id",
                              IdOf(g.peerings[static_cast<size_t>(peering)].origin));
      } else if (from_vpc != kNone && to_vpc != kNone) {
        out.fix = FixVpcPeering(g.vpcs[static_cast<size_t>(from_vpc)].origin,
                                g.vpcs[static_cast<size_t>(to_vpc)].origin, rt,
                                fix_destination);
      }
      return out;
    };
    if (d.via == RouteDecision::Via::kNoRoute) {
      if (!lookup.unknown.empty()) {
        out.status = Status::kUnknown;
        out.detail = fmt::format("{} has no known route for {}: {}", rt_name, range,
                                 lookup.unknown);
        return out;
      }
      return fail(fmt::format("{} has no route for {}", rt_name, range));
    }
    if (d.via == RouteDecision::Via::kLocal) {
      if (from_vpc != to_vpc) {
        return fail(fmt::format("{} keeps {} local to its own VPC, but the other side is in "
                                "another VPC",
                                rt_name, range));
      }
      if (pass_detail.empty()) {
        pass_detail = fmt::format("the local route of {} carries {}", rt_name, range);
      }
      continue;
    }
    const Route& route = *d.route;
    const std::string route_name = fmt::format("route {} of `{}` (from `{}`)",
                                               d.matched.ToString(), rt.origin.address,
                                               route.origin.address);
    switch (route.target.kind) {
      case RouteTarget::Kind::kPeeringConnection: {
        if (!route.target.node.Resolved()) {
          out.status = Status::kUnknown;
          out.detail = fmt::format("{} sends {} to peering {}, which is not in the input{}",
                                   route_name, range, DescribeRouteTarget(route.target),
                                   route.target.node.unknown.empty()
                                       ? ""
                                       : ": " + route.target.node.unknown);
          return out;
        }
        const PeeringConnection& p = g.peerings[static_cast<size_t>(route.target.node.index)];
        if (!Joins(p, from_vpc, to_vpc)) {
          return fail(fmt::format("{} sends {} to `{}`, which does not connect this VPC with the "
                                  "other side's VPC (peering is not transitive)",
                                  route_name, range, p.origin.address));
        }
        if (!p.active.Known()) {
          out.status = Status::kUnknown;
          out.detail = fmt::format("{} sends {} to `{}`, which may never be accepted: {}",
                                   route_name, range, p.origin.address, p.active.unknown);
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
          return out;
        }
        const NodeIndex tgw = route.target.node.index;
        const TransitGatewayHop hop =
            EvaluateTransitGateway(g, tgw, from, from_vpc, destination, to_vpc);
        if (hop.status != Status::kPass) {
          out.status = hop.status;
          out.detail = fmt::format("{} sends {} to `{}`, but {}", route_name, range,
                                   g.transit_gateways[static_cast<size_t>(tgw)].origin.address,
                                   hop.detail);
          out.resource = hop.resource;
          if (hop.status == Status::kFail && hop.route_table != kNone &&
              hop.exit_attachment != kNone) {
            out.fix = FixTransitGatewayPropagation(
                g.transit_gateway_route_tables[static_cast<size_t>(hop.route_table)].origin,
                g.transit_gateway_attachments[static_cast<size_t>(hop.exit_attachment)].origin);
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
        return out;
      default:
        return fail(fmt::format("{} sends {} to {}, which does not lead to the other side",
                                route_name, range, DescribeRouteTarget(route.target)));
    }
  }
  out.status = Status::kPass;
  out.detail = pass_detail;
  return out;
}

}  // namespace

CheckResult CheckVpcRoutes(const PairContext& pair) {
  if (auto pre = Precheck(pair, kId)) {
    return *pre;
  }
  const Graph& g = pair.graph;
  std::vector<LegOutcome> legs;
  bool same_vpc_only = true;
  for (NodeIndex a : pair.associated_subnets) {
    for (NodeIndex s : pair.target_subnets) {
      const NodeIndex vpc_a = g.VpcOfSubnet(a);
      const NodeIndex vpc_s = g.VpcOfSubnet(s);
      const std::string where = fmt::format("between {} and {}", DescribeSubnet(g, a),
                                            DescribeSubnet(g, s));
      if (vpc_a == kNone || vpc_s == kNone) {
        legs.push_back({Status::kUnknown, where, "the VPC of a subnet is not known", {}, {}});
        continue;
      }
      same_vpc_only = same_vpc_only && vpc_a == vpc_s;
      if (a == s) {
        legs.push_back({Status::kPass, where, "same subnet", {}, {}});
        continue;
      }
      const Vpc& target_vpc = g.vpcs[static_cast<size_t>(vpc_s)];
      const Vpc& client_vpc = g.vpcs[static_cast<size_t>(vpc_a)];
      LegOutcome forward = CheckDirection(
          g, a, pair.TargetRange(s), vpc_s,
          target_vpc.cidr_blocks.empty() || !target_vpc.cidr_blocks[0].Known()
              ? pair.SubnetCidr(s)
              : *target_vpc.cidr_blocks[0].value);
      if (forward.status != Status::kPass) {
        forward.where = where;
        forward.detail = "to the target: " + forward.detail;
        legs.push_back(std::move(forward));
        continue;
      }
      LegOutcome back = CheckDirection(
          g, s, pair.SubnetCidr(a), vpc_a,
          client_vpc.cidr_blocks.empty() || !client_vpc.cidr_blocks[0].Known()
              ? pair.SubnetCidr(a)
              : *client_vpc.cidr_blocks[0].value);
      back.where = where;
      if (back.status != Status::kPass) {
        back.detail = "return traffic: " + back.detail;
      } else {
        back.detail = forward.detail + "; " + back.detail;
      }
      legs.push_back(std::move(back));
    }
  }
  std::string summary;
  if (same_vpc_only) {
    const NodeIndex vpc = g.VpcOfSubnet(pair.associated_subnets.front());
    summary = fmt::format("the associated subnets and the target share `{}`; its local route "
                          "carries the traffic both ways",
                          g.vpcs[static_cast<size_t>(vpc)].origin.address);
  }
  return Combine(kId, legs, summary);
}

}  // namespace cvpn::rules
