// SPDX-License-Identifier: Apache-2.0
// CVPN004 authorization-rules: an authorization rule of the endpoint covers the target's network
// for the pair's group. Doc: rules/cvpn004_authorization_rules.md
#include <fmt/format.h>

#include "analyzer/describe.h"
#include "analyzer/lpm.h"
#include "rules/all_rules.h"
#include "rules/common.h"
#include "rules/fixes.h"

namespace cvpn::rules {

namespace {

constexpr std::string_view kId = "CVPN004";

std::string DescribeRule(const ClientVpnAuthorizationRule& r) {
  return fmt::format("`{}` ({}, {})", r.origin.address, r.target_network.value->ToString(),
                     r.all_groups ? "all groups" : "group " + r.access_group);
}

}  // namespace

CheckResult CheckAuthorization(const PairContext& pair) {
  if (auto pre = Precheck(pair, kId)) {
    return *pre;
  }
  const ClientVpnEndpoint& e = pair.Endpoint();
  const bool certificate_only = e.CertificateOnly();
  std::vector<Ipv4Cidr> prefixes;
  std::vector<const ClientVpnAuthorizationRule*> rules;
  std::string unknown;
  for (const ClientVpnAuthorizationRule& r : e.authorization_rules) {
    if (r.target_network.Known()) {
      prefixes.push_back(*r.target_network.value);
      rules.push_back(&r);
    } else if (!r.target_network.unknown.empty()) {
      unknown = fmt::format("the network of `{}` is not known: {}", r.origin.address,
                            r.target_network.unknown);
    }
  }
  std::vector<LegOutcome> legs;
  for (NodeIndex s : pair.target_subnets) {
    const Ipv4Cidr range = pair.TargetRange(s);
    LegOutcome leg;
    if (pair.target_subnets.size() > 1) {
      leg.where = "for " + pair.SubnetText(s);
    }
    std::string granted;  // the first piece that is granted, for messages
    std::string denied;   // why the first denied piece is denied
    for (const LpmPiece& piece : LongestPrefixPieces(range, prefixes)) {
      const std::string what = DescribeRange(piece.first, piece.last);
      const ClientVpnAuthorizationRule* granting = nullptr;
      for (size_t w : piece.winners) {
        const ClientVpnAuthorizationRule& r = *rules[w];
        const bool grants =
            r.all_groups || (!certificate_only && (pair.group ? r.access_group == *pair.group
                                                              : !r.access_group.empty()));
        if (grants) {
          granting = &r;
          break;
        }
      }
      if (granting != nullptr) {
        if (granted.empty()) {
          granted = fmt::format("authorization rule {} covers {}", DescribeRule(*granting), what);
        }
        continue;
      }
      if (!denied.empty()) {
        continue;
      }
      if (piece.winners.empty()) {
        denied = fmt::format("no authorization rule of `{}` covers {}", e.origin.address, what);
      } else {
        std::string winners;
        for (size_t w : piece.winners) {
          winners += (winners.empty() ? "" : ", ") + DescribeRule(*rules[w]);
        }
        const std::string who =
            certificate_only ? std::string("certificate-authenticated users have no groups")
            : pair.group     ? fmt::format("group `{}` is not among them", *pair.group)
                             : std::string("no group is named");
        denied = fmt::format("the most specific authorization rule for {} is {}; {}", what,
                             winners, who);
      }
    }
    if (denied.empty()) {
      leg.detail = granted;
    } else {
      // The target may get any address of its subnet: every part of the range must be granted.
      leg.status = Status::kFail;
      leg.detail = granted.empty()
                       ? denied
                       : fmt::format("{}; only part of {} is authorized ({}), and `{}` may get "
                                     "any address in it",
                                     denied, range.ToString(), granted,
                                     pair.TargetNode().origin.address);
      leg.resource = e.origin;
      leg.fix = FixAuthorizationRule(e.origin, range,
                                     certificate_only ? std::nullopt : pair.group);
    }
    if (leg.status == Status::kFail && !unknown.empty()) {
      leg.status = Status::kUnknown;
      leg.detail += "; " + unknown;
    }
    legs.push_back(std::move(leg));
  }
  return Combine(kId, legs, {});
}

}  // namespace cvpn::rules
