// SPDX-License-Identifier: Apache-2.0
// CVPN005 client-vpn-routes: the endpoint's route table has a route covering the target's network
// through every associated subnet. Doc: rules/cvpn005_client_vpn_routes.md
#include <algorithm>

#include <fmt/format.h>

#include "analyzer/describe.h"
#include "rules/all_rules.h"
#include "rules/common.h"
#include "rules/fixes.h"

namespace cvpn::rules {

namespace {
constexpr std::string_view kId = "CVPN005";
}  // namespace

CheckResult CheckClientVpnRoutes(const PairContext& pair) {
  const ClientVpnEndpoint& e = pair.Endpoint();
  if (pair.associated_subnets.empty() && pair.associations_unknown.empty()) {
    CheckResult r;
    r.rule = std::string(kId);
    r.status = Status::kFail;
    r.message = fmt::format("`{}` has no associated subnet, so its route table is empty",
                            e.origin.address);
    r.resource = e.origin;
    return r;
  }
  if (auto pre = Precheck(pair, kId)) {
    return *pre;
  }
  const Graph& g = pair.graph;
  std::string unknown;
  std::vector<LegOutcome> legs;
  for (NodeIndex a : pair.associated_subnets) {
    // AWS rejects an association outside the endpoint's VPC: it adds no route at all.
    const NodeIndex subnet_vpc = g.VpcOfSubnet(a);
    if (e.vpc.Resolved() && subnet_vpc != kNone && subnet_vpc != e.vpc.index) {
      LegOutcome leg;
      leg.status = Status::kFail;
      leg.where = "via " + pair.SubnetText(a);
      leg.detail = fmt::format(
          "the subnet is in `{}`, but the endpoint's vpc_id is `{}`: AWS rejects the association, "
          "so no route goes through it",
          g.vpcs[static_cast<size_t>(subnet_vpc)].origin.address,
          g.vpcs[static_cast<size_t>(e.vpc.index)].origin.address);
      leg.resource = e.origin;
      leg.fix = FixSetAttribute(e.origin, "vpc_id",
                                IdOf(g.vpcs[static_cast<size_t>(subnet_vpc)].origin));
      legs.push_back(std::move(leg));
      continue;
    }
    // The routes that send traffic out through this association.
    AddressSet covered;
    std::vector<std::pair<Ipv4Cidr, std::string>> via;  // each route through this subnet
    const NodeIndex vpc = g.VpcOfSubnet(a);
    Ipv4Cidr vpc_cidr = pair.SubnetCidr(a);
    if (vpc == kNone) {
      // The association's own route covers its VPC: without the VPC, coverage is unknown.
      const Link& link = pair.SubnetAt(a).vpc;
      unknown = fmt::format("the VPC of {} is not known, so neither is the route its association "
                            "adds{}",
                            DescribeSubnet(g, a), link.unknown.empty() ? "" : ": " + link.unknown);
    } else {
      const Vpc& v = g.vpcs[static_cast<size_t>(vpc)];
      if (!v.cidr_blocks.empty() && v.cidr_blocks[0].Known()) {
        vpc_cidr = *v.cidr_blocks[0].value;
        covered.Add(vpc_cidr);
        via.emplace_back(vpc_cidr,
                         fmt::format("the route {} that associating it adds", vpc_cidr.ToString()));
      }
    }
    for (const ClientVpnRoute& r : e.routes) {
      if (!r.target_subnet.Resolved() || r.target_subnet.index != a) {
        if (r.target_subnet.IsUnknown()) {
          unknown = r.target_subnet.unknown;
        }
        continue;
      }
      if (r.destination.Known()) {
        covered.Add(*r.destination.value);
        via.emplace_back(*r.destination.value,
                         fmt::format("`{}` ({})", r.origin.address,
                                     r.destination.value->ToString()));
      } else if (!r.destination.unknown.empty()) {
        unknown = r.destination.unknown;
      }
    }
    for (NodeIndex s : pair.target_subnets) {
      const Ipv4Cidr range = pair.TargetRange(s);
      LegOutcome leg;
      leg.where = "via " + pair.SubnetText(a);
      if (covered.Covers(range)) {
        // Name the most specific route that covers the target, else the routes that together do.
        const std::pair<Ipv4Cidr, std::string>* best = nullptr;
        for (const auto& route : via) {
          if (route.first.Contains(range) &&
              (best == nullptr || route.first.prefix_length > best->first.prefix_length)) {
            best = &route;
          }
        }
        leg.detail = best != nullptr
                         ? fmt::format("{} covers {}", best->second, range.ToString())
                         : fmt::format("its routes together cover {}", range.ToString());
        legs.push_back(std::move(leg));
        continue;
      }
      leg.status = unknown.empty() ? Status::kFail : Status::kUnknown;
      const std::string missing = covered.Intersects(range)
                                      ? fmt::format("only part of {} is routed", range.ToString())
                                      : fmt::format("no route covers {}", range.ToString());
      if (unknown.empty()) {
        leg.detail = fmt::format("{}; clients that land on this subnet cannot reach `{}`{}",
                                 missing, pair.TargetNode().origin.address,
                                 e.split_tunnel ? " (with split tunnel they never send it)" : "");
      } else {
        leg.detail = fmt::format("no known route covers {}, and a route of the endpoint is not "
                                 "fully known: {}",
                                 range.ToString(), unknown);
      }
      // Routes that target subnets never associated do not help.
      for (const ClientVpnRoute& r : e.routes) {
        if (r.target_subnet.Resolved() && r.destination.Known() &&
            r.destination.value->Overlaps(range) &&
            std::find(pair.associated_subnets.begin(), pair.associated_subnets.end(),
                      r.target_subnet.index) == pair.associated_subnets.end()) {
          leg.detail += fmt::format("; `{}` targets {}, which is not associated with the endpoint",
                                    r.origin.address, DescribeSubnet(g, r.target_subnet.index));
        }
      }
      leg.resource = e.origin;
      // Mirror a route other associations already have, else route the target's VPC CIDR.
      std::optional<Ipv4Cidr> destination;
      for (const ClientVpnRoute& r : e.routes) {
        if (r.destination.Known() && r.destination.value->Contains(range) &&
            (!destination || r.destination.value->prefix_length < destination->prefix_length)) {
          destination = *r.destination.value;
        }
      }
      const NodeIndex target_vpc = g.VpcOfSubnet(s);
      if (!destination && target_vpc != kNone) {
        const Vpc& tv = g.vpcs[static_cast<size_t>(target_vpc)];
        if (!tv.cidr_blocks.empty() && tv.cidr_blocks[0].Known() &&
            tv.cidr_blocks[0].value->Contains(range)) {
          destination = *tv.cidr_blocks[0].value;
        }
      }
      std::optional<Origin> association;
      for (const ClientVpnAssociation& assoc : e.associations) {
        if (assoc.subnet.index == a) {
          association = assoc.origin;
          break;
        }
      }
      leg.fix = FixClientVpnRoute(e.origin, destination.value_or(range), pair.SubnetAt(a).origin,
                                  association);
      legs.push_back(std::move(leg));
    }
  }
  return Combine(kId, legs, {}, Legs::kAssociatedSubnets);
}

}  // namespace cvpn::rules
