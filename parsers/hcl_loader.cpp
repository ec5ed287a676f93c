// SPDX-License-Identifier: Apache-2.0
#include "parsers/hcl_loader.h"

#include <cstdlib>
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "parsers/hcl_module.h"
#include "parsers/json_view.h"
#include "parsers/hcl_plan.h"
#include "parsers/plan_model.h"
#include "parsers/terraform_loader.h"

namespace cvpn::parsers {

bool BuildPlanFromSources(const std::string& dir,
                          const LoadOptions& options,
                          nlohmann::json& plan,
                          InputErrors& errors) {
  hcl::SessionOptions session_options;
  session_options.read.max_file_bytes = options.limits.max_file_bytes;
  session_options.read.max_nesting_depth = std::min(options.limits.max_nesting_depth, 200);
  session_options.cli_variables = options.variables;
  try {
    hcl::Session session(dir, session_options, errors);
    if (!session.Run()) {
      return false;
    }
    plan = hcl::BuildPlan(session);
    return true;
  } catch (const std::bad_alloc&) {
    errors.push_back({dir, 0, 0, "out of memory while evaluating the configuration"});
  } catch (const std::exception& e) {
    errors.push_back({dir, 0, 0,
                      fmt::format("internal error while evaluating the "
                                  "configuration: {}",
                                  e.what())});
  }
  return false;
}

bool LoadTerraformSources(const std::string& dir,
                          Graph& graph,
                          InputErrors& errors,
                          const LoadOptions& options) {
  const size_t before = errors.size();
  nlohmann::json plan;
  if (!BuildPlanFromSources(dir, options, plan, errors)) {
    return false;
  }
  // NOLINTNEXTLINE(concurrency-mt-unsafe): read once, before any thread exists
  if (const char* dump = std::getenv("CVPN_HCL_DUMP_PLAN"); dump != nullptr && *dump != '\0') {
    if (std::string(dump) == "-") {
      std::cerr << plan.dump(1) << "\n";
    } else {
      std::ofstream(dump, std::ios::binary | std::ios::trunc) << plan.dump(1) << "\n";
    }
  }
  // The plan front end reads documents through simdjson: hand it the plan as text.
  std::string text = plan.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  plan = nullptr;
  text.reserve(text.size() + simdjson::SIMDJSON_PADDING);
  const auto document =
      JsonDocument::Parse(dir, text, options.limits.max_nesting_depth + 64, errors);
  if (document == nullptr) {
    return false;
  }
  PlanModel model(document->Root(), dir, errors);
  PlanLoader loader(model, graph, errors);
  loader.Load();
  return errors.size() == before;
}

}  // namespace cvpn::parsers
