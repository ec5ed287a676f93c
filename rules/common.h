// SPDX-License-Identifier: Apache-2.0
// What the six rules share: the checks that a pair can be evaluated at all, and the combination
// of per-subnet outcomes into one result that names the subnets that fail.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analyzer/rule.h"

namespace cvpn::rules {

/// A result for pairs that cannot be evaluated: no associated subnet, or no known target subnet.
std::optional<CheckResult> Precheck(const PairContext& pair, std::string_view rule);

/// The outcome on one leg of the path (an associated subnet, a target subnet, or a pair of them).
struct LegOutcome {
  Status status = Status::kPass;
  std::string where;   ///< "from `aws_subnet.vpn_a` (10.0.1.0/24)"
  std::string detail;  ///< what decided it
  std::optional<Origin> resource;
  std::string fix;
};

/// Whether a security group rule in VPC `rule_vpc` can reference a group in `group_vpc`: the
/// same VPC, a same-Region active peering, or (inbound only) a transit gateway with security
/// group referencing enabled. Where given, `why_not` gets why not, for messages.
bool CanReferenceGroup(const NetworkIndex& index, NodeIndex rule_vpc, NodeIndex group_vpc,
                       bool inbound, std::string* why_not);

/// Whether a leg already fails. Combine() reports the first failing leg with its message and
/// fix and names only where the others are, so their messages and fixes need not be built.
bool HasFailure(const std::vector<LegOutcome>& legs);

/// How legs relate to each other, for the message when some fail and others work.
enum class Legs {
  kAssociatedSubnets,  ///< one per associated subnet: clients land on any, so access is intermittent
  kOther,              ///< target subnets or subnet pairs
};

/// Combines legs: fails if any fails (naming it, and the legs that work), unknown if any is
/// unknown, else passes with `pass_summary` or the first leg's detail.
CheckResult Combine(std::string_view rule, const std::vector<LegOutcome>& legs,
                    const std::string& pass_summary, Legs kind = Legs::kOther);

}  // namespace cvpn::rules
