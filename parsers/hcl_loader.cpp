// SPDX-License-Identifier: Apache-2.0
#include "parsers/hcl_loader.h"

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <vector>

#include <fmt/format.h>

#include "parsers/hcl_module.h"
#include "parsers/json_view.h"
#include "parsers/hcl_plan.h"
#include "parsers/plan_model.h"
#include "parsers/terraform_loader.h"

namespace cvpn::parsers {

namespace {

/// The plan loader reports a problem in a value as "`ADDRESS`: ...`attribute[i].x`...", with no
/// position (plans have none). For a plan made from sources the position is known: the
/// attribute's (or nested block's) where the message names one, else the resource block's.
void PlaceErrors(const std::string& dir,
                 const std::map<std::string, nlohmann::json, std::less<>>& sources,
                 InputErrors& errors,
                 size_t from) {
  for (size_t i = from; i < errors.size(); ++i) {
    InputError& e = errors[i];
    if (e.file != dir || e.line != 0 || e.message.size() < 2 || e.message[0] != '`') {
      continue;
    }
    const size_t close = e.message.find('`', 1);
    if (close == std::string::npos) {
      continue;
    }
    auto it = sources.find(e.message.substr(1, close - 1));
    if (it == sources.end()) {
      continue;
    }
    const nlohmann::json& source = it->second;
    e.file = source.value("file", dir);
    e.line = source.value("line", 0);
    e.column = source.value("column", 0);
    // The first name the rest of the message quotes, e.g. `ingress[1].to_port`: ingress, 1.
    const size_t open = e.message.find('`', close + 1);
    if (open == std::string::npos || !source.contains("attributes")) {
      continue;
    }
    size_t end = open + 1;
    while (
        end < e.message.size() &&
        (std::isalnum(static_cast<unsigned char>(e.message[end])) != 0 || e.message[end] == '_')) {
      ++end;
    }
    const std::string name = e.message.substr(open + 1, end - open - 1);
    size_t index = 0;
    if (end < e.message.size() && e.message[end] == '[') {
      index = static_cast<size_t>(std::strtoul(e.message.c_str() + end + 1, nullptr, 10));
    }
    const nlohmann::json& attributes = source["attributes"];
    if (auto a = attributes.find(name); a != attributes.end() && a->is_array() && !a->empty()) {
      const nlohmann::json& at = index < a->size() ? (*a)[index] : a->front();
      e.line = at[0].get<int>();
      e.column = at[1].get<int>();
    }
  }
}

}  // namespace

bool BuildPlanFromSources(const std::string& dir,
                          const LoadOptions& options,
                          hcl::Plan& plan,
                          InputErrors& errors) {
  hcl::SessionOptions session_options;
  session_options.read.max_file_bytes =
      std::min(options.limits.max_file_bytes, session_options.read.max_file_bytes);
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
  hcl::Plan plan;
  if (!BuildPlanFromSources(dir, options, plan, errors)) {
    return false;
  }
  // NOLINTNEXTLINE(concurrency-mt-unsafe): read once, before any thread exists
  if (const char* dump = std::getenv("CVPN_HCL_DUMP_PLAN"); dump != nullptr && *dump != '\0') {
    const std::string indented = nlohmann::json::parse(plan.text).dump(1);
    if (std::string(dump) == "-") {
      std::cerr << indented << "\n";
    } else {
      std::ofstream(dump, std::ios::binary | std::ios::trunc) << indented << "\n";
    }
  }
  const auto document =
      JsonDocument::Parse(dir, plan.text, options.limits.max_nesting_depth + 64, errors,
                          &PlanModel::Reads());
  if (document == nullptr) {
    return false;
  }
  PlanModel model(document->Root(), dir, errors);
  PlanLoader loader(model, graph, errors);
  loader.Load();
  PlaceErrors(dir, plan.sources, errors, before);
  return errors.size() == before;
}

}  // namespace cvpn::parsers
