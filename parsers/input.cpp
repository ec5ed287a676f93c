// SPDX-License-Identifier: Apache-2.0
#include "parsers/input.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "parsers/cloudformation.h"
#include "parsers/hcl_loader.h"
#include "parsers/plan_model.h"
#include "parsers/terraform_loader.h"
#include "parsers/text_position.h"

namespace cvpn::parsers {

namespace {

bool IsTerraformDocument(const Json& doc) {
  return doc.contains("planned_values") || doc.contains("resource_changes") ||
         doc.contains("prior_state") || (doc.contains("format_version") && doc.contains("values"));
}

/// Checks the types of the top-level keys a Terraform document is read through.
bool CheckTerraformShape(const std::string& name, const Json& doc, InputErrors& errors) {
  const size_t before = errors.size();
  auto expect_object = [&](const Json* node, const char* what) {
    if (node != nullptr && !node->is_object() && !node->is_null()) {
      errors.push_back(
          {name, 0, 0, fmt::format("`{}` must be a JSON object, found a {}", what,
                                   node->type_name())});
    }
  };
  auto child = [](const Json& j, const char* key) -> const Json* {
    auto it = j.find(key);
    return it == j.end() ? nullptr : &*it;
  };
  if (const Json* version = child(doc, "format_version")) {
    if (!version->is_string()) {
      errors.push_back({name, 0, 0, "`format_version` must be a string"});
    } else if (const auto& v = version->get_ref<const std::string&>();
               v.rfind("0.", 0) != 0 && v.rfind("1.", 0) != 0) {
      errors.push_back({name, 0, 0,
                        fmt::format("plan format version `{}` is not supported (0.x and 1.x are)",
                                    v)});
    }
  }
  expect_object(child(doc, "planned_values"), "planned_values");
  expect_object(child(doc, "configuration"), "configuration");
  expect_object(child(doc, "prior_state"), "prior_state");
  expect_object(child(doc, "values"), "values");
  if (const Json* pv = child(doc, "planned_values"); pv && pv->is_object()) {
    expect_object(child(*pv, "root_module"), "planned_values.root_module");
  }
  if (const Json* changes = child(doc, "resource_changes");
      changes != nullptr && !changes->is_array() && !changes->is_null()) {
    errors.push_back({name, 0, 0,
                      fmt::format("`resource_changes` must be a list, found a {}",
                                  changes->type_name())});
  }
  return errors.size() == before;
}

std::string CleanJsonMessage(const std::string& what) {
  // "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error while
  // parsing value - invalid literal; last read: 'x'" -> "syntax error while parsing value - ..."
  std::string text = what;
  if (auto pos = text.find("] "); pos != std::string::npos && text.front() == '[') {
    text = text.substr(pos + 2);
  }
  if (auto pos = text.find(": "); pos != std::string::npos && text.rfind("parse error", 0) == 0) {
    text = text.substr(pos + 2);
  }
  return text;
}

/// Every resource object of a plan's `planned_values` (or a state's `values`), with nested modules.
std::vector<Json*> ResourceObjects(Json& doc) {
  std::vector<Json*> out;
  std::vector<Json*> modules;
  for (const char* key : {"planned_values", "values"}) {
    if (doc.contains(key) && doc[key].is_object() && doc[key].contains("root_module")) {
      modules.push_back(&doc[key]["root_module"]);
    }
  }
  while (!modules.empty()) {
    Json* module = modules.back();
    modules.pop_back();
    if (!module->is_object()) {
      continue;
    }
    if (auto it = module->find("resources"); it != module->end() && it->is_array()) {
      for (Json& r : *it) {
        out.push_back(&r);
      }
    }
    if (auto it = module->find("child_modules"); it != module->end() && it->is_array()) {
      for (Json& m : *it) {
        modules.push_back(&m);
      }
    }
  }
  return out;
}

/// Points the plan's resources at their blocks in the `.tf` sources, when the sources are found:
/// `--source DIR`, or the plan's directory where it holds `.tf` files. Sources that do not
/// evaluate cleanly still give positions; their problems are not the plan's.
void AttachSourcePositions(const std::string& plan_name, Json& plan, const LoadOptions& options) {
  namespace fs = std::filesystem;
  std::string dir = options.source_dir;
  if (dir.empty()) {
    std::error_code ec;
    const fs::path parent = fs::path(plan_name).parent_path();
    const fs::path candidate = parent.empty() ? fs::path(".") : parent;
    bool has_tf = false;
    for (const auto& entry : fs::directory_iterator(candidate, ec)) {
      if (entry.path().extension() == ".tf") {
        has_tf = true;
        break;
      }
    }
    if (!has_tf) {
      return;
    }
    dir = parent.empty() ? std::string(".") : parent.string();
  }
  Json sources;
  InputErrors ignored;
  if (!BuildPlanFromSources(dir, options, sources, ignored) && !sources.is_object()) {
    return;
  }
  // Exact instance addresses first; then the configuration address (instance keys removed).
  std::map<std::string, Json> by_address;
  std::map<std::string, Json> by_config;
  for (Json* r : ResourceObjects(sources)) {
    if (!r->contains("address") || !r->contains("cvpn_source")) {
      continue;
    }
    const std::string address = (*r)["address"].get<std::string>();
    by_address.emplace(address, (*r)["cvpn_source"]);
    by_config.emplace(ConfigPathOf(address), (*r)["cvpn_source"]);
  }
  for (Json* r : ResourceObjects(plan)) {
    if (!r->contains("address") || !(*r)["address"].is_string() || r->contains("cvpn_source")) {
      continue;
    }
    const std::string address = (*r)["address"].get<std::string>();
    if (auto it = by_address.find(address); it != by_address.end()) {
      (*r)["cvpn_source"] = it->second;
    } else if (auto c = by_config.find(ConfigPathOf(address)); c != by_config.end()) {
      (*r)["cvpn_source"] = c->second;
    }
  }
}

/// Loads a Terraform plan or state document.
bool LoadTerraformJson(const std::string& name, const std::string& text, Graph& graph,
                       InputErrors& errors, const LoadOptions& options) {
  const InputLimits& limits = options.limits;
  if (const size_t deep = FindExcessiveNesting(text, limits.max_nesting_depth);
      deep != std::string_view::npos) {
    const TextPosition p = PositionOf(text, deep);
    errors.push_back({name, p.line, p.column,
                      fmt::format("JSON nests deeper than {} levels", limits.max_nesting_depth)});
    return false;
  }
  Json doc;
  try {
    doc = Json::parse(text);
  } catch (const Json::parse_error& e) {
    const TextPosition p = PositionOf(text, e.byte > 0 ? e.byte - 1 : 0);
    errors.push_back({name, p.line, p.column, "invalid JSON: " + CleanJsonMessage(e.what())});
    return false;
  } catch (const Json::exception& e) {
    errors.push_back({name, 0, 0, "invalid JSON: " + CleanJsonMessage(e.what())});
    return false;
  }
  if (!doc.is_object()) {
    errors.push_back({name, 1, 1,
                      fmt::format("expected a Terraform plan or state (a JSON object), found a {}",
                                  doc.type_name())});
    return false;
  }
  if (!IsTerraformDocument(doc)) {
    errors.push_back({name, 1, 1,
                      "this JSON is not a Terraform plan or state (no `planned_values`, "
                      "`resource_changes` or `values`) nor a CloudFormation template (no "
                      "`Resources`); create a plan with `terraform show -json plan.out > plan.json`"});
    return false;
  }
  if (!CheckTerraformShape(name, doc, errors)) {
    return false;
  }
  const size_t before = errors.size();
  try {
    AttachSourcePositions(name, doc, options);
    PlanModel model(doc, name, errors);
    PlanLoader loader(model, graph, errors);
    loader.Load();
  } catch (const Json::exception& e) {
    errors.push_back({name, 0, 0, "unexpected plan structure: " + CleanJsonMessage(e.what())});
  }
  return errors.size() == before;
}

/// The first byte that is not a byte-order mark or white space.
size_t ContentStart(const std::string& text) {
  size_t start = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  while (start < text.size() && (text[start] == ' ' || text[start] == '\t' ||
                                 text[start] == '\r' || text[start] == '\n')) {
    ++start;
  }
  return start;
}

/// Whether a JSON text is a Terraform document rather than a CloudFormation template, judged
/// from its top-level keys without building a tree.
bool LooksLikeTerraformJson(const std::string& text) {
  for (const char* key : {"\"planned_values\"", "\"resource_changes\"", "\"prior_state\"",
                          "\"terraform_version\"", "\"format_version\""}) {
    if (text.find(key) != std::string::npos) {
      return true;
    }
  }
  return false;
}

}  // namespace

bool LoadInputTexts(const std::vector<InputText>& inputs, Graph& graph, InputErrors& errors,
                    const LoadOptions& options) {
  const size_t before = errors.size();
  std::vector<InputText> templates;
  for (const InputText& input : inputs) {
    const std::string& name = input.name;
    const std::string& text = input.text;
    if (text.size() > options.limits.max_file_bytes) {
      errors.push_back({name, 0, 0,
                        fmt::format("the file is {} bytes; the limit is {}", text.size(),
                                    options.limits.max_file_bytes)});
      continue;
    }
    const size_t start = ContentStart(text);
    if (start == text.size()) {
      errors.push_back({name, 0, 0, "the file is empty"});
      continue;
    }
    graph.inputs.push_back(name);
    const bool json = text[start] == '{' || text[start] == '[';
    if (json && LooksLikeTerraformJson(text)) {
      LoadTerraformJson(name, text, graph, errors, options);
    } else if (LooksLikeCloudFormation(text)) {
      templates.push_back(input);
    } else if (json) {
      LoadTerraformJson(name, text, graph, errors, options);  // says what is missing
    } else {
      const TextPosition p = PositionOf(text, start);
      errors.push_back({name, p.line, p.column,
                        "not a Terraform plan or state in JSON, nor a CloudFormation template"});
    }
  }
  if (!templates.empty()) {
    LoadCloudFormationTemplates(templates, graph, errors, options);
  }
  return errors.size() == before;
}

bool LoadInputs(const std::vector<std::string>& paths, Graph& graph, InputErrors& errors,
                const LoadOptions& options) {
  std::vector<InputText> inputs;
  const size_t before = errors.size();
  for (const std::string& path : paths) {
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status)) {
      errors.push_back({path, 0, 0, "no such file or directory"});
      continue;
    }
    if (std::filesystem::is_directory(status)) {
      // HCL front end (issue 5): a directory of `.tf` sources, evaluated into a synthetic plan.
      graph.inputs.push_back(path);
      LoadTerraformSources(path, graph, errors, options);
      continue;
    }
    const auto size = std::filesystem::file_size(path, ec);
    if (!ec && size > options.limits.max_file_bytes) {
      errors.push_back({path, 0, 0,
                        fmt::format("the file is {} bytes; the limit is {}", size,
                                    options.limits.max_file_bytes)});
      continue;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      errors.push_back({path, 0, 0, "cannot be opened for reading"});
      continue;
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) {
      errors.push_back({path, 0, 0, "could not be read"});
      continue;
    }
    inputs.push_back({path, buffer.str()});
  }
  LoadInputTexts(inputs, graph, errors, options);
  return errors.size() == before;
}

}  // namespace cvpn::parsers
