// SPDX-License-Identifier: Apache-2.0
#include "parsers/cfn_template.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

#include <fmt/format.h>

namespace cvpn::parsers::cfn {

namespace {

// The sections CloudFormation accepts (`Globals` belongs to the SAM transform).
constexpr std::array<std::string_view, 12> kSections{"AWSTemplateFormatVersion",
                                                     "Description",
                                                     "Metadata",
                                                     "Parameters",
                                                     "Rules",
                                                     "Mappings",
                                                     "Conditions",
                                                     "Transform",
                                                     "Resources",
                                                     "Outputs",
                                                     "Hooks",
                                                     "Globals"};

constexpr std::string_view kDefaultRegion = "us-east-1";

std::string NodeKindName(const Node& n) {
  switch (n.kind) {
    case Node::Kind::kNull:
      return "nothing";
    case Node::Kind::kScalar:
      return fmt::format("`{}`", Shown(n.text));
    case Node::Kind::kSequence:
      return "a list";
    case Node::Kind::kMapping:
      return "a mapping";
  }
  return "a value";
}

void Error(const Document& doc, Position at, std::string message, InputErrors& errors) {
  errors.push_back({doc.file, at.line, at.column, std::move(message)});
}

bool IsAlphanumeric(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
  });
}

std::string Trim(std::string_view s) {
  size_t b = 0;
  size_t e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t'))
    ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t'))
    --e;
  return std::string(s.substr(b, e - b));
}

std::vector<std::string> SplitCommas(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    const size_t comma = s.find(',', start);
    out.push_back(Trim(
        s.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start)));
    if (comma == std::string_view::npos) {
      break;
    }
    start = comma + 1;
  }
  return out;
}

bool IsListType(std::string_view type) {
  return type == "CommaDelimitedList" || type.rfind("List<", 0) == 0;
}

bool IsSsmType(std::string_view type) {
  return type.rfind("AWS::SSM::Parameter::Value<", 0) == 0;
}

void ReadParameters(const Document& doc, NodeId section, Template& out, InputErrors& errors) {
  const Node& n = doc.At(section);
  if (n.kind == Node::Kind::kNull) {
    return;
  }
  if (n.kind != Node::Kind::kMapping) {
    Error(doc, n.at, "`Parameters` must be a mapping of parameter names to declarations", errors);
    return;
  }
  for (const Entry& e : n.entries) {
    const Node& decl = doc.At(e.value);
    ParameterDecl p;
    p.name = e.key;
    p.at = e.at;
    const Entry* type = doc.Find(e.value, "Type");
    if (decl.kind != Node::Kind::kMapping || type == nullptr ||
        doc.At(type->value).kind != Node::Kind::kScalar) {
      Error(doc, e.at, fmt::format("parameter `{}` needs a `Type`", e.key), errors);
      continue;
    }
    p.type = doc.At(type->value).text;
    if (const Entry* d = doc.Find(e.value, "Default")) {
      p.default_value = d->value;
    }
    if (const Entry* allowed = doc.Find(e.value, "AllowedValues")) {
      const Node& list = doc.At(allowed->value);
      if (list.kind == Node::Kind::kSequence) {
        for (NodeId item : list.items) {
          if (doc.At(item).kind == Node::Kind::kScalar) {
            p.allowed_values.push_back(doc.At(item).text);
          }
        }
      }
    }
    out.parameter_decls.push_back(std::move(p));
  }
}

bool ReadResources(const Document& doc, const Entry* section, Template& out, InputErrors& errors) {
  if (section == nullptr) {
    Error(doc, doc.At(doc.root).at,
          "the template has no `Resources` section; a CloudFormation template declares at "
          "least one resource",
          errors);
    return false;
  }
  const Node& n = doc.At(section->value);
  if (n.kind != Node::Kind::kMapping) {
    Error(doc, section->at,
          fmt::format("`Resources` must be a mapping of logical IDs to resources, found {}",
                      NodeKindName(n)),
          errors);
    return false;
  }
  if (n.entries.empty()) {
    Error(doc, section->at, "`Resources` is empty; a template declares at least one resource",
          errors);
    return false;
  }
  const size_t before = errors.size();
  for (const Entry& e : n.entries) {
    if (!IsAlphanumeric(e.key)) {
      Error(doc, e.at, fmt::format("logical ID `{}` must be alphanumeric (A-Za-z0-9)", e.key),
            errors);
      continue;
    }
    const Node& body = doc.At(e.value);
    if (body.kind != Node::Kind::kMapping) {
      Error(doc, e.at,
            fmt::format("resource `{}` must be a mapping with `Type`, found {}", e.key,
                        NodeKindName(body)),
            errors);
      continue;
    }
    ResourceDecl r;
    r.logical = e.key;
    r.at = e.at;
    const Entry* type = doc.Find(e.value, "Type");
    if (type == nullptr || doc.At(type->value).kind != Node::Kind::kScalar ||
        doc.At(type->value).text.empty()) {
      Error(doc, type == nullptr ? e.at : type->at,
            fmt::format("resource `{}` needs a `Type` such as AWS::EC2::VPC", e.key), errors);
      continue;
    }
    r.type = doc.At(type->value).text;
    if (const Entry* props = doc.Find(e.value, "Properties")) {
      const Node& p = doc.At(props->value);
      if (p.kind == Node::Kind::kMapping) {
        r.properties = props->value;
      } else if (p.kind != Node::Kind::kNull) {
        Error(doc, props->at,
              fmt::format("`{}.Properties` must be a mapping, found {}", e.key, NodeKindName(p)),
              errors);
        continue;
      }
    }
    if (const Entry* cond = doc.Find(e.value, "Condition")) {
      const Node& c = doc.At(cond->value);
      if (c.kind != Node::Kind::kScalar) {
        Error(doc, cond->at, fmt::format("`{}.Condition` must name a condition", e.key), errors);
        continue;
      }
      if (out.conditions.find(c.text) == out.conditions.end()) {
        Error(doc, cond->value == kNoNode ? cond->at : c.at,
              fmt::format("`{}.Condition` names `{}`, which `Conditions` does not declare", e.key,
                          c.text),
              errors);
        continue;
      }
      r.condition = c.text;
      r.condition_at = c.at;
    }
    out.resource_index[r.logical] = out.resources.size();
    out.resources.push_back(std::move(r));
  }
  return errors.size() == before;
}

void ReadOutputs(const Document& doc, NodeId section, Template& out, InputErrors& errors) {
  const Node& n = doc.At(section);
  if (n.kind != Node::Kind::kMapping) {
    if (n.kind != Node::Kind::kNull) {
      Error(doc, n.at, "`Outputs` must be a mapping", errors);
    }
    return;
  }
  for (const Entry& e : n.entries) {
    OutputDecl o;
    o.name = e.key;
    o.at = e.at;
    if (const Entry* value = doc.Find(e.value, "Value")) {
      o.value = value->value;
    }
    if (const Entry* exp = doc.Find(e.value, "Export")) {
      if (const Entry* name = doc.Find(exp->value, "Name")) {
        o.export_name = name->value;
      }
    }
    if (const Entry* cond = doc.Find(e.value, "Condition");
        cond != nullptr && doc.At(cond->value).kind == Node::Kind::kScalar) {
      o.condition = doc.At(cond->value).text;
    }
    out.outputs.push_back(std::move(o));
  }
}

/// The region-dependent pseudo parameters.
std::string PartitionOf(std::string_view region) {
  if (region.rfind("cn-", 0) == 0)
    return "aws-cn";
  if (region.rfind("us-gov-", 0) == 0)
    return "aws-us-gov";
  if (region.rfind("us-iso-", 0) == 0)
    return "aws-iso";
  if (region.rfind("us-isob-", 0) == 0)
    return "aws-iso-b";
  return "aws";
}

std::string UrlSuffixOf(std::string_view region) {
  return region.rfind("cn-", 0) == 0 ? "amazonaws.com.cn" : "amazonaws.com";
}

/// Splits `STACK.KEY` at the last dot; parameter names and pseudo parameters hold none.
std::pair<std::string, std::string> SplitQualified(const std::string& key) {
  const auto dot = key.rfind('.');
  if (dot == std::string::npos) {
    return {std::string(), key};
  }
  return {key.substr(0, dot), key.substr(dot + 1)};
}

}  // namespace

const ResourceDecl* Template::FindResource(std::string_view logical) const {
  auto it = resource_index.find(logical);
  return it == resource_index.end() ? nullptr : &resources[it->second];
}

std::string StackNameOf(const std::string& file) {
  std::string name = file;
  if (const auto slash = name.find_last_of("/\\"); slash != std::string::npos) {
    name = name.substr(slash + 1);
  }
  bool stripped = true;
  while (stripped) {
    stripped = false;
    for (const char* ext : {".json", ".yaml", ".yml", ".template", ".cfn", ".txt"}) {
      const std::string e(ext);
      if (name.size() > e.size() && name.compare(name.size() - e.size(), e.size(), e) == 0) {
        name.resize(name.size() - e.size());
        stripped = true;
      }
    }
  }
  return name.empty() ? "stack" : name;
}

bool ReadTemplate(Document doc, Template& out, InputErrors& errors) {
  out = Template{};
  out.doc = std::move(doc);
  const Document& d = out.doc;
  out.language =
      d.json ? Origin::Language::kCloudFormationJson : Origin::Language::kCloudFormationYaml;
  out.stem = StackNameOf(d.file);
  out.stack = out.stem;
  const Node& root = d.At(d.root);
  if (root.kind != Node::Kind::kMapping) {
    Error(d, root.at,
          fmt::format("a CloudFormation template is a mapping with `Resources`, found {}",
                      NodeKindName(root)),
          errors);
    return false;
  }
  const size_t before = errors.size();
  for (const Entry& e : root.entries) {
    if (std::find(kSections.begin(), kSections.end(), e.key) == kSections.end()) {
      Error(d, e.at, fmt::format("unknown template section `{}`", e.key), errors);
    }
  }
  if (const Entry* e = d.Find(d.root, "Parameters")) {
    ReadParameters(d, e->value, out, errors);
  }
  if (const Entry* e = d.Find(d.root, "Conditions")) {
    const Node& n = d.At(e->value);
    if (n.kind == Node::Kind::kMapping) {
      for (const Entry& c : n.entries) {
        out.conditions[c.key] = c.value;
      }
    } else if (n.kind != Node::Kind::kNull) {
      Error(d, e->at, "`Conditions` must be a mapping of condition names to conditions", errors);
    }
  }
  if (const Entry* e = d.Find(d.root, "Mappings")) {
    out.mappings = e->value;
  }
  ReadResources(d, d.Find(d.root, "Resources"), out, errors);
  if (const Entry* e = d.Find(d.root, "Outputs")) {
    ReadOutputs(d, e->value, out, errors);
  }
  return errors.size() == before;
}

void ResolveParameters(std::vector<Template>& templates,
                       const std::map<std::string, std::string>& given,
                       InputErrors& errors) {
  std::set<std::string> used;
  // Which templates a qualified key addresses: by file stem or by stack name.
  auto matches = [](const Template& t, const std::string& qualifier) {
    return qualifier == t.stem || qualifier == t.stack;
  };
  auto lookup = [&](const Template& t, const std::string& key) -> const std::string* {
    for (const auto& [k, v] : given) {
      const auto [qualifier, name] = SplitQualified(k);
      if (name == key && !qualifier.empty() && matches(t, qualifier)) {
        used.insert(k);
        return &v;
      }
    }
    if (auto it = given.find(key); it != given.end()) {
      used.insert(key);
      return &it->second;
    }
    return nullptr;
  };
  for (Template& t : templates) {
    if (const std::string* name = lookup(t, "AWS::StackName")) {
      t.stack = *name;
    }
  }
  // Logical IDs of the inputs, for --parameter values that name resources.
  std::map<std::string, std::vector<std::pair<int, std::string>>> by_logical;
  for (int i = 0; i < static_cast<int>(templates.size()); ++i) {
    for (const ResourceDecl& r : templates[static_cast<size_t>(i)].resources) {
      by_logical[r.logical].push_back({i, r.logical});
      by_logical[templates[static_cast<size_t>(i)].stack + "." + r.logical].push_back(
          {i, r.logical});
      by_logical[templates[static_cast<size_t>(i)].stem + "." + r.logical].push_back(
          {i, r.logical});
    }
  }
  auto from_option = [&](const std::string& text, Position at) {
    auto it = by_logical.find(text);
    if (it != by_logical.end() && it->second.size() == 1) {
      return Value::Scalar(
          MakeToken(TokenKind::kResource, it->second.front().first, it->second.front().second), at);
    }
    return Value::Scalar(text, at, true);
  };
  for (int ti = 0; ti < static_cast<int>(templates.size()); ++ti) {
    Template& t = templates[static_cast<size_t>(ti)];
    const Document& d = t.doc;
    const std::string* region_given = lookup(t, "AWS::Region");
    const std::string region = region_given ? *region_given : std::string(kDefaultRegion);
    const std::string* account = lookup(t, "AWS::AccountId");
    t.parameters["AWS::Region"] = Value::Scalar(region, {});
    t.parameters["AWS::StackName"] = Value::Scalar(t.stack, {});
    t.parameters["AWS::Partition"] = Value::Scalar(PartitionOf(region), {});
    t.parameters["AWS::URLSuffix"] = Value::Scalar(UrlSuffixOf(region), {});
    t.parameters["AWS::AccountId"] =
        account ? Value::Scalar(*account, {})
                : Value::Scalar(MakeToken(TokenKind::kOpaque, ti, "AWS::AccountId"), {});
    t.parameters["AWS::StackId"] =
        Value::Scalar(MakeToken(TokenKind::kOpaque, ti, "AWS::StackId"), {});
    t.parameters["AWS::NotificationARNs"] =
        Value::Unknown("`AWS::NotificationARNs` is known only at deployment", {});
    t.parameters["AWS::NoValue"] = Value::Absent();
    for (const ParameterDecl& p : t.parameter_decls) {
      const std::string* option = lookup(t, p.name);
      const std::string hint =
          templates.size() > 1 ? fmt::format("{}.{}", t.stack, p.name) : p.name;
      Value value;
      std::vector<std::string> texts;
      bool have = false;
      Position at = p.at;
      if (option != nullptr) {
        texts = IsListType(p.type) ? SplitCommas(*option) : std::vector<std::string>{*option};
        have = true;
      } else if (IsSsmType(p.type)) {
        value = Value::Unknown(
            fmt::format("parameter `{}` is read from SSM Parameter Store at deployment; give its "
                        "value with --parameter {}=VALUE",
                        p.name, hint),
            p.at);
      } else if (p.default_value != kNoNode) {
        const Node& def = d.At(p.default_value);
        at = def.at;
        if (def.kind == Node::Kind::kScalar) {
          texts = IsListType(p.type) ? SplitCommas(def.text) : std::vector<std::string>{def.text};
          have = true;
        } else if (def.kind == Node::Kind::kSequence && IsListType(p.type)) {
          for (NodeId item : def.items) {
            texts.push_back(d.At(item).text);
          }
          have = true;
        } else {
          Error(d, def.at,
                fmt::format("the `Default` of parameter `{}` must be a string, found {}", p.name,
                            NodeKindName(def)),
                errors);
        }
      }
      if (have) {
        if (!p.allowed_values.empty()) {
          for (const std::string& text : texts) {
            if (std::find(p.allowed_values.begin(), p.allowed_values.end(), text) ==
                p.allowed_values.end()) {
              Error(d, option != nullptr ? p.at : at,
                    fmt::format("parameter `{}` is `{}`, which is not one of its AllowedValues",
                                p.name, text),
                    errors);
            }
          }
        }
        std::vector<Value> items;
        for (const std::string& text : texts) {
          items.push_back(option != nullptr ? from_option(text, at)
                                            : Value::Scalar(text, at, true));
        }
        value = IsListType(p.type) ? Value::List(std::move(items), at) : std::move(items.front());
      } else if (value.IsAbsent()) {
        value = Value::Unknown(fmt::format("parameter `{}` has no default; give it with "
                                           "--parameter {}=VALUE",
                                           p.name, hint),
                               p.at);
      }
      t.parameters[p.name] = std::move(value);
    }
  }
  for (const auto& [key, value] : given) {
    if (used.count(key) != 0) {
      continue;
    }
    const auto split = SplitQualified(key);
    const std::string& qualifier = split.first;
    const std::string& name = split.second;
    const bool stack_known =
        qualifier.empty() || std::any_of(templates.begin(), templates.end(),
                                         [&](const Template& t) { return matches(t, qualifier); });
    if (!stack_known) {
      errors.push_back(
          {"--parameter", 0, 0,
           fmt::format("`{}`: no input template has the stack name `{}`", key, qualifier)});
    } else if (name.rfind("AWS::", 0) == 0) {
      if (name != "AWS::Region" && name != "AWS::AccountId" && name != "AWS::StackName") {
        errors.push_back({"--parameter", 0, 0,
                          fmt::format("`{}`: only AWS::Region, AWS::AccountId and AWS::StackName "
                                      "can be given",
                                      key)});
      }
    } else {
      errors.push_back(
          {"--parameter", 0, 0,
           fmt::format("`{}`: no input template declares a parameter `{}`", key, name)});
    }
  }
}

}  // namespace cvpn::parsers::cfn
