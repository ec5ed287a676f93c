// SPDX-License-Identifier: Apache-2.0
// The CloudFormation front end: parses every template, names the stacks, resolves parameters,
// connects the stacks through their exports (iterated to a fixed point, since export names can
// be built from parameters and other imports), then loads the resources into the graph.
#include "parsers/cloudformation.h"

#include <exception>

#include <fmt/format.h>

#include "parsers/cfn_document.h"
#include "parsers/cfn_evaluator.h"
#include "parsers/cfn_loader.h"
#include "parsers/cfn_template.h"

namespace cvpn::parsers {

namespace {

using cfn::Evaluator;
using cfn::ExportSource;
using cfn::Template;

/// The exports of every template, as far as their names can be evaluated with the exports
/// found so far; repeated until nothing changes.
std::map<std::string, ExportSource> CollectExports(std::vector<Template>& templates,
                                                   Evaluator& evaluator,
                                                   InputErrors& errors) {
  std::map<std::string, ExportSource> exports;
  size_t outputs = 0;
  for (const Template& t : templates) {
    outputs += t.outputs.size();
  }
  for (size_t round = 0; round <= outputs; ++round) {
    evaluator.Reset();
    evaluator.SetExports(exports);
    std::map<std::string, ExportSource> found;
    for (int ti = 0; ti < static_cast<int>(templates.size()); ++ti) {
      const Template& t = templates[static_cast<size_t>(ti)];
      for (const cfn::OutputDecl& o : t.outputs) {
        if (o.export_name == cfn::kNoNode || o.value == cfn::kNoNode) {
          continue;
        }
        if (!o.condition.empty()) {
          const Maybe<bool> on = evaluator.ConditionValue(ti, o.condition, o.at);
          if (on.Known() && !*on.value) {
            continue;
          }
        }
        const cfn::Value name = evaluator.Evaluate(ti, o.export_name);
        if (!name.IsScalar()) {
          continue;  // a name known only later (or never)
        }
        found.emplace(name.text, ExportSource{ti, o.value, o.at});
      }
    }
    const bool same = found.size() == exports.size() &&
                      std::equal(found.begin(), found.end(), exports.begin(),
                                 [](const auto& a, const auto& b) { return a.first == b.first; });
    exports = std::move(found);
    if (same) {
      break;
    }
  }
  // Two stacks exporting one name cannot both deploy in a region.
  std::map<std::string, std::pair<int, cfn::Position>> first;
  for (int ti = 0; ti < static_cast<int>(templates.size()); ++ti) {
    const Template& t = templates[static_cast<size_t>(ti)];
    for (const cfn::OutputDecl& o : t.outputs) {
      if (o.export_name == cfn::kNoNode) {
        continue;
      }
      const cfn::Value name = evaluator.Evaluate(ti, o.export_name);
      if (!name.IsScalar()) {
        continue;
      }
      auto [it, inserted] = first.emplace(name.text, std::pair{ti, o.at});
      if (!inserted && (it->second.first != ti || it->second.second.line != o.at.line)) {
        errors.push_back(
            {t.doc.file, o.at.line, o.at.column,
             fmt::format("export `{}` is also exported by {}:{}; export names are unique in a "
                         "region (give the stacks different names with --parameter "
                         "STACK.AWS::StackName=NAME)",
                         cfn::Readable(name.text),
                         templates[static_cast<size_t>(it->second.first)].doc.file,
                         it->second.second.line)});
      }
    }
  }
  return exports;
}

bool LoadAll(const std::vector<InputText>& inputs,
             Graph& graph,
             InputErrors& errors,
             const LoadOptions& options) {
  const size_t before = errors.size();
  std::vector<Template> templates;
  for (const InputText& input : inputs) {
    cfn::Document doc;
    if (!cfn::ParseDocument(input.name, input.text, options.limits, doc, errors)) {
      continue;
    }
    Template t;
    if (cfn::ReadTemplate(std::move(doc), t, errors)) {
      templates.push_back(std::move(t));
    }
  }
  cfn::ResolveParameters(templates, options.parameters, errors);
  if (templates.empty()) {
    return errors.size() == before;
  }
  Evaluator evaluator(templates, errors);
  auto exports = CollectExports(templates, evaluator, errors);
  evaluator.Reset();
  evaluator.SetExports(std::move(exports));
  cfn::Loader loader(templates, evaluator, graph, errors);
  loader.Load();
  return errors.size() == before;
}

bool HasKey(const std::string& text, std::string_view key) {
  // A top-level key of a YAML template starts a line; in JSON it is a quoted string.
  size_t pos = 0;
  while ((pos = text.find(key, pos)) != std::string::npos) {
    const bool line_start = pos == 0 || text[pos - 1] == '\n' ||
                            (pos == 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0);
    const bool quoted = pos > 0 && text[pos - 1] == '"';
    if (line_start || quoted) {
      return true;
    }
    pos += key.size();
  }
  return false;
}

}  // namespace

bool LooksLikeCloudFormation(const std::string& text) {
  return HasKey(text, "AWSTemplateFormatVersion") || HasKey(text, "Resources") ||
         text.find("AWSTemplateFormatVersion") != std::string::npos;
}

bool LoadCloudFormationTemplates(const std::vector<InputText>& templates,
                                 Graph& graph,
                                 InputErrors& errors,
                                 const LoadOptions& options) {
  try {
    return LoadAll(templates, graph, errors, options);
  } catch (const std::exception& e) {
    // No exception leaves a front end: what escaped the checks above is reported, not thrown.
    errors.push_back({templates.empty() ? std::string("(templates)") : templates.front().name, 0, 0,
                      fmt::format("internal error while reading the templates: {}", e.what())});
    return false;
  }
}

}  // namespace cvpn::parsers
