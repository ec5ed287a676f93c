// SPDX-License-Identifier: Apache-2.0
#include "parsers/input.h"

#include <array>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "parsers/cloudformation.h"
#include "parsers/hcl_loader.h"
#include "parsers/json_view.h"
#include "parsers/plan_model.h"
#include "parsers/terraform_loader.h"
#include "parsers/text_position.h"

namespace cvpn::parsers {

namespace {

bool IsTerraformDocument(JsonView doc) {
  return doc["planned_values"] || doc["resource_changes"] || doc["prior_state"] ||
         (doc["format_version"] && doc["values"]);
}

/// Checks the types of the top-level keys a Terraform document is read through.
bool CheckTerraformShape(const std::string& name, std::string_view text, JsonView doc,
                         InputErrors& errors) {
  const size_t before = errors.size();
  // Where a top-level key is written (its first occurrence), for messages.
  auto at = [&](std::string_view key) {
    const size_t offset = text.find(fmt::format("\"{}\"", key));
    return offset == std::string_view::npos ? TextPosition{0, 0} : PositionOf(text, offset);
  };
  auto expect_object = [&](JsonView node, const char* what) {
    if (node && !node.IsObject() && !node.IsNull()) {
      const std::string_view key(what);
      const TextPosition p = at(key.substr(key.rfind('.') == std::string_view::npos
                                               ? 0
                                               : key.rfind('.') + 1));
      errors.push_back({name, p.line, p.column,
                        fmt::format("`{}` must be a JSON object, found a {}", what,
                                    node.TypeName())});
    }
  };
  if (const JsonView version = doc["format_version"]) {
    const TextPosition p = at("format_version");
    if (!version.IsString()) {
      errors.push_back({name, p.line, p.column, "`format_version` must be a string"});
    } else if (const std::string_view v = version.String();
               v.substr(0, 2) != "0." && v.substr(0, 2) != "1.") {
      errors.push_back({name, p.line, p.column,
                        fmt::format("plan format version `{}` is not supported (0.x and 1.x are)",
                                    v)});
    }
  }
  expect_object(doc["planned_values"], "planned_values");
  expect_object(doc["configuration"], "configuration");
  expect_object(doc["prior_state"], "prior_state");
  expect_object(doc["values"], "values");
  if (const JsonView pv = doc["planned_values"]; pv.IsObject()) {
    expect_object(pv["root_module"], "planned_values.root_module");
  }
  if (const JsonView changes = doc["resource_changes"];
      changes && !changes.IsArray() && !changes.IsNull()) {
    const TextPosition p = at("resource_changes");
    errors.push_back({name, p.line, p.column,
                      fmt::format("`resource_changes` must be a list, found a {}",
                                  changes.TypeName())});
  }
  return errors.size() == before;
}

/// Where the plan's resources are declared in the `.tf` sources, when the sources are found:
/// `--source DIR`, or the plan's directory where it holds `.tf` files. Sources that do not
/// evaluate cleanly still give positions; their problems are not the plan's.
SourceMap SourcesOf(const std::string& plan_name, const LoadOptions& options) {
  SourceMap map;
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
      return map;
    }
    dir = parent.empty() ? std::string(".") : parent.string();
  }
  hcl::Plan plan;
  InputErrors ignored;
  if (!BuildPlanFromSources(dir, options, plan, ignored)) {
    return map;
  }
  for (const auto& [address, source] : plan.sources) {
    SourcePosition position;
    position.file = source.value("file", "");
    position.line = source.value("line", 0);
    position.column = source.value("column", 0);
    map.by_address.emplace(address, position);
    map.by_config.emplace(ConfigPathOf(address), std::move(position));
  }
  return map;
}

/// Loads a Terraform plan or state document.
bool LoadTerraformJson(const std::string& name, const std::string& text, Graph& graph,
                       InputErrors& errors, const LoadOptions& options) {
  const auto document =
      JsonDocument::Parse(name, text, options.limits.max_nesting_depth, errors,
                          &PlanModel::Reads());
  if (document == nullptr) {
    return false;
  }
  const JsonView doc = document->Root();
  if (!doc.IsObject()) {
    errors.push_back({name, 1, 1,
                      fmt::format("expected a Terraform plan or state (a JSON object), found a {}",
                                  doc.TypeName())});
    return false;
  }
  if (!IsTerraformDocument(doc)) {
    errors.push_back({name, 1, 1,
                      "this JSON is not a Terraform plan or state (no `planned_values`, "
                      "`resource_changes` or `values`) nor a CloudFormation template (no "
                      "`Resources`); create a plan with `terraform show -json plan.out > plan.json`"});
    return false;
  }
  if (!CheckTerraformShape(name, text, doc, errors)) {
    return false;
  }
  const size_t before = errors.size();
  const SourceMap sources = SourcesOf(name, options);
  PlanModel model(doc, name, errors, &sources, text, options.limits.max_string_bytes);
  PlanLoader loader(model, graph, errors);
  loader.Load();
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
    // Read in one piece, straight into the string (a large read bypasses the stream's buffer),
    // with room after the text for the JSON parser's padding, so that it reads the text in place.
    // A file that grew since its size was taken is read on, to the limit.
    std::string text;
    const size_t expected = ec ? 0 : static_cast<size_t>(size);
    text.reserve(expected + simdjson::SIMDJSON_PADDING);
    text.resize(expected);
    in.read(text.data(), static_cast<std::streamsize>(expected));
    text.resize(static_cast<size_t>(in.gcount()));
    if (in && in.peek() != std::ifstream::traits_type::eof()) {
      std::array<char, 1 << 16> chunk{};
      while (in.read(chunk.data(), chunk.size()) || in.gcount() > 0) {
        text.append(chunk.data(), static_cast<size_t>(in.gcount()));
        if (text.size() > options.limits.max_file_bytes) {
          break;
        }
      }
    }
    if (in.bad()) {
      errors.push_back({path, 0, 0, "could not be read"});
      continue;
    }
    if (text.size() > options.limits.max_file_bytes) {
      errors.push_back({path, 0, 0,
                        fmt::format("the file is over {} bytes, the limit",
                                    options.limits.max_file_bytes)});
      continue;
    }
    inputs.push_back({path, std::move(text)});

  }
  LoadInputTexts(inputs, graph, errors, options);
  return errors.size() == before;
}

}  // namespace cvpn::parsers
