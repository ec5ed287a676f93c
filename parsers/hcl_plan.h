// SPDX-License-Identifier: Apache-2.0
// The synthetic plan: an evaluated configuration written as `terraform show -json` writes a plan
// (planned_values, resource_changes with after_unknown, configuration with expressions and
// references), so that PlanModel and PlanLoader read it exactly as they read a real plan. Each
// resource carries `cvpn_source` (file, line, column of its block) and, where values are unknown
// for a reason other than apply, `cvpn_unknown` (attribute -> reason).
#pragma once

#include <nlohmann/json.hpp>

#include "parsers/hcl_module.h"

namespace cvpn::parsers::hcl {

/// Builds the plan document of a session that has run.
nlohmann::json BuildPlan(Session& session);

}  // namespace cvpn::parsers::hcl
