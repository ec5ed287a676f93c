// SPDX-License-Identifier: Apache-2.0
#include "parsers/hcl_loader.h"

#include <array>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <iostream>
#include <map>
#include <vector>

#include <fmt/format.h>

#include "analyzer/json_writer.h"
#include "parsers/hcl_module.h"
#include "parsers/json_view.h"
#include "parsers/hcl_plan.h"
#include "parsers/plan_model.h"
#include "parsers/terraform_loader.h"

namespace cvpn::parsers {

namespace {

/// The `cvpn_source` of every resource of a plan made from sources, by address.
std::map<std::string, const nlohmann::json*> SourcesByAddress(const nlohmann::json& plan) {
  std::map<std::string, const nlohmann::json*> out;
  std::vector<const nlohmann::json*> modules;
  if (auto pv = plan.find("planned_values"); pv != plan.end() && pv->contains("root_module")) {
    modules.push_back(&(*pv)["root_module"]);
  }
  while (!modules.empty()) {
    const nlohmann::json& module = *modules.back();
    modules.pop_back();
    if (auto rs = module.find("resources"); rs != module.end() && rs->is_array()) {
      for (const auto& r : *rs) {
        if (r.contains("address") && r["address"].is_string() && r.contains("cvpn_source")) {
          out.emplace(r["address"].get<std::string>(), &r["cvpn_source"]);
        }
      }
    }
    if (auto cs = module.find("child_modules"); cs != module.end() && cs->is_array()) {
      for (const auto& c : *cs) {
        modules.push_back(&c);
      }
    }
  }
  return out;
}

/// The plan loader reports a problem in a value as "`ADDRESS`: ...`attribute[i].x`...", with no
/// position (plans have none). For a plan made from sources the position is known: the
/// attribute's (or nested block's) where the message names one, else the resource block's.
void PlaceErrors(const std::string& dir,
                 const nlohmann::json& plan,
                 InputErrors& errors,
                 size_t from) {
  const auto sources = SourcesByAddress(plan);
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
    const nlohmann::json& source = *it->second;
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

template <typename Integer>
void AppendNumber(std::string& out, Integer value) {
  std::array<char, 24> digits{};
  const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), value).ptr;
  out.append(digits.data(), end);
}

/// Appends `value` as compact JSON, byte for byte as nlohmann::json's dump() with invalid UTF-8
/// replaced, in a fraction of its time (the plan of thousands of resources is written once and
/// read back by the plan front end).
void AppendCompactJson(std::string& out, const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, member] : value.get_ref<const nlohmann::json::object_t&>()) {
        if (!first) {
          out += ',';
        }
        first = false;
        AppendJsonString(out, key);
        out += ':';
        AppendCompactJson(out, member);
      }
      out += '}';
      return;
    }
    case nlohmann::json::value_t::array: {
      out += '[';
      bool first = true;
      for (const auto& element : value) {
        if (!first) {
          out += ',';
        }
        first = false;
        AppendCompactJson(out, element);
      }
      out += ']';
      return;
    }
    case nlohmann::json::value_t::string:
      AppendJsonString(out, value.get_ref<const std::string&>());
      return;
    case nlohmann::json::value_t::number_integer:
      AppendNumber(out, value.get<int64_t>());
      return;
    case nlohmann::json::value_t::number_unsigned:
      AppendNumber(out, value.get<uint64_t>());
      return;
    case nlohmann::json::value_t::boolean:
      out += value.get<bool>() ? "true" : "false";
      return;
    default:  // null, floating-point numbers (as nlohmann writes them), binary, discarded
      out += value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      return;
  }
}

}  // namespace

bool BuildPlanFromSources(const std::string& dir,
                          const LoadOptions& options,
                          nlohmann::json& plan,
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
  std::string text;
  AppendCompactJson(text, plan);
  text.reserve(text.size() + simdjson::SIMDJSON_PADDING);
  const auto document =
      JsonDocument::Parse(dir, text, options.limits.max_nesting_depth + 64, errors,
                          &PlanModel::Reads());
  if (document == nullptr) {
    return false;
  }
  PlanModel model(document->Root(), dir, errors);
  PlanLoader loader(model, graph, errors);
  loader.Load();
  PlaceErrors(dir, plan, errors, before);
  return errors.size() == before;
}

}  // namespace cvpn::parsers
