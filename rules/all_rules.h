// SPDX-License-Identifier: Apache-2.0
// The entry points of the rules, one per file, registered in all_rules.cpp.
#pragma once

#include "analyzer/rule.h"

namespace cvpn::rules {

CheckResult CheckVpcRoutes(const PairContext& pair);
CheckResult CheckTargetSecurityGroups(const PairContext& pair);
CheckResult CheckNetworkAcls(const PairContext& pair);
CheckResult CheckAuthorization(const PairContext& pair);
CheckResult CheckClientVpnRoutes(const PairContext& pair);
CheckResult CheckEndpointSecurityGroupEgress(const PairContext& pair);

}  // namespace cvpn::rules

namespace cvpn {

/// Every rule, sorted by ID.
const std::vector<Rule>& AllRules();

}  // namespace cvpn
