// SPDX-License-Identifier: Apache-2.0
// The synthetic plan: an evaluated configuration written as `terraform show -json` writes a plan
// (planned_values, resource_changes with after_unknown, configuration with expressions and
// references), so that PlanModel and PlanLoader read it exactly as they read a real plan. Each
// resource carries `cvpn_source` (file, line, column of its block) and, where values are unknown
// for a reason other than apply, `cvpn_unknown` (attribute -> reason).
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "parsers/hcl_module.h"

namespace cvpn::parsers::hcl {

/// The plan document of a session, as text, and where its resources are declared.
struct Plan {
  /// Compact JSON, keys in order, as nlohmann::json writes it; simdjson's padding is reserved
  /// after it, so that the plan front end reads it in place.
  std::string text;
  /// Address -> the resource's `cvpn_source` (file, line, column, attributes), as in the text.
  std::map<std::string, nlohmann::json, std::less<>> sources;
};

/// Builds the plan document of a session that has run. Written straight as text: the
/// evaluated values of thousands of resources are never a tree of their own.
Plan BuildPlan(Session& session);

}  // namespace cvpn::parsers::hcl
