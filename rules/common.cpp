// SPDX-License-Identifier: Apache-2.0
#include "rules/common.h"

#include <algorithm>

#include <fmt/format.h>

#include "analyzer/describe.h"

namespace cvpn::rules {

std::optional<CheckResult> Precheck(const PairContext& pair, std::string_view rule) {
  CheckResult r;
  r.rule = std::string(rule);
  if (pair.associated_subnets.empty()) {
    r.status = Status::kUnknown;
    r.message = pair.associations_unknown.empty()
                    ? fmt::format("`{}` has no associated subnet, so there is no path to check",
                                  pair.Endpoint().origin.address)
                    : fmt::format("no associated subnet of `{}` is known: {}",
                                  pair.Endpoint().origin.address, pair.associations_unknown);
    r.resource = pair.Endpoint().origin;
    return r;
  }
  if (pair.target_subnets.empty()) {
    r.status = Status::kUnknown;
    r.message = pair.target_unknown.empty()
                    ? fmt::format("the subnets of `{}` are not known",
                                  pair.TargetNode().origin.address)
                    : fmt::format("the subnets of `{}` are not known: {}",
                                  pair.TargetNode().origin.address, pair.target_unknown);
    r.resource = pair.TargetNode().origin;
    return r;
  }
  return std::nullopt;
}

bool HasFailure(const std::vector<LegOutcome>& legs) {
  return std::any_of(legs.begin(), legs.end(),
                     [](const LegOutcome& leg) { return leg.status == Status::kFail; });
}

bool CanReferenceGroup(const NetworkIndex& index, NodeIndex rule_vpc, NodeIndex group_vpc,
                       bool inbound, std::string* why_not) {
  if (rule_vpc == kNone || group_vpc == kNone || rule_vpc == group_vpc) {
    return true;
  }
  const Graph& g = index.graph();
  for (const NodeIndex i : index.PeeringsBetween(rule_vpc, group_vpc)) {
    const PeeringConnection& p = g.peerings[static_cast<size_t>(i)];
    if (p.same_region && p.active.Known() && *p.active.value) {
      return true;
    }
  }
  // The first gateway both VPCs are attached to decides.
  const std::vector<NodeIndex>& rule_gateways = index.GatewaysOf(rule_vpc);
  const std::vector<NodeIndex>& group_gateways = index.GatewaysOf(group_vpc);
  for (const NodeIndex t : rule_gateways) {
    if (t == kNone || !std::binary_search(group_gateways.begin(), group_gateways.end(), t)) {
      continue;
    }
    const TransitGatewayAttachment& rule_side =
        g.transit_gateway_attachments[static_cast<size_t>(index.LastAttachment(t, rule_vpc))];
    const TransitGatewayAttachment& group_side =
        g.transit_gateway_attachments[static_cast<size_t>(index.LastAttachment(t, group_vpc))];
    const TransitGateway& tgw = g.transit_gateways[static_cast<size_t>(t)];
    if (!inbound) {
      if (why_not != nullptr) {
        *why_not = fmt::format("outbound rules cannot reference security groups across `{}`",
                               tgw.origin.address);
      }
      return false;
    }
    if (!tgw.security_group_referencing) {
      if (why_not != nullptr) {
        *why_not = fmt::format("`{}` does not enable security_group_referencing_support",
                               tgw.origin.address);
      }
      return false;
    }
    for (const TransitGatewayAttachment* a : {&rule_side, &group_side}) {
      if (!a->security_group_referencing) {
        if (why_not != nullptr) {
          *why_not = fmt::format("`{}` sets security_group_referencing_support to disable",
                                 a->origin.address);
        }
        return false;
      }
    }
    return true;
  }
  if (why_not != nullptr) {
    *why_not = fmt::format("`{}` and `{}` are not joined by a same-Region peering or a transit "
                           "gateway that allows security group references",
                           g.vpcs[static_cast<size_t>(rule_vpc)].origin.address,
                           g.vpcs[static_cast<size_t>(group_vpc)].origin.address);
  }
  return false;
}

CheckResult Combine(std::string_view rule, const std::vector<LegOutcome>& legs,
                    const std::string& pass_summary, Legs kind) {
  CheckResult r;
  r.rule = std::string(rule);
  std::vector<const LegOutcome*> failing;
  std::vector<const LegOutcome*> unknown;
  std::vector<const LegOutcome*> passing;
  for (const LegOutcome& leg : legs) {
    (leg.status == Status::kFail      ? failing
     : leg.status == Status::kUnknown ? unknown
                                      : passing)
        .push_back(&leg);
  }
  auto join_where = [](const std::vector<const LegOutcome*>& list) {
    std::string out;
    for (const LegOutcome* leg : list) {
      if (leg->where.empty()) {
        continue;
      }
      if (!out.empty()) {
        out += ", ";
      }
      out += leg->where;
    }
    return out;
  };
  if (!failing.empty()) {
    const LegOutcome& first = *failing.front();
    r.status = Status::kFail;
    r.message = first.where.empty() ? first.detail : fmt::format("{}: {}", first.where, first.detail);
    if (failing.size() > 1) {
      r.message += fmt::format(" (also failing: {})",
                               join_where({failing.begin() + 1, failing.end()}));
    }
    if (!passing.empty() && !join_where(passing).empty()) {
      r.message += fmt::format("; it works {}{}", join_where(passing),
                               kind == Legs::kAssociatedSubnets
                                   ? ": clients land on any associated subnet, so access is "
                                     "intermittent"
                                   : "");
    }
    r.resource = first.resource;
    r.fix = first.fix;
    return r;
  }
  if (!unknown.empty()) {
    const LegOutcome& first = *unknown.front();
    r.status = Status::kUnknown;
    r.message = first.where.empty() ? first.detail : fmt::format("{}: {}", first.where, first.detail);
    r.resource = first.resource;
    return r;
  }
  r.status = Status::kPass;
  r.message = pass_summary;
  if (r.message.empty() && !passing.empty()) {
    r.message = passing.front()->detail;
  }
  return r;
}

}  // namespace cvpn::rules
