// SPDX-License-Identifier: Apache-2.0
// The sections of a CloudFormation template (Parameters, Conditions, Mappings, Resources,
// Outputs) read from its document, and the parameter values of a set of templates: defaults,
// overridden by `--parameter KEY=VALUE` (for every template that declares KEY) or
// `--parameter STACK.KEY=VALUE` (for one template), plus the pseudo parameters.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "analyzer/diagnostic.h"
#include "analyzer/graph.h"
#include "parsers/cfn_document.h"
#include "parsers/cfn_value.h"

namespace cvpn::parsers::cfn {

struct ParameterDecl {
  std::string name;
  Position at;
  std::string type;
  NodeId default_value = kNoNode;
  std::vector<std::string> allowed_values;
};

struct ResourceDecl {
  std::string logical;
  std::string type;
  Position at;                  ///< where the logical ID is written
  NodeId properties = kNoNode;  ///< the Properties mapping, if any
  std::string condition;        ///< the resource's Condition, if any
  Position condition_at;
};

struct OutputDecl {
  std::string name;
  Position at;
  NodeId value = kNoNode;
  NodeId export_name = kNoNode;  ///< Export.Name, if any
  std::string condition;
};

/// One template of the set, with its stack name and resolved parameters.
struct Template {
  Document doc;
  std::string stem;   ///< the file name without directories and extensions
  std::string stack;  ///< AWS::StackName: the stem unless given with --parameter
  Origin::Language language = Origin::Language::kCloudFormationYaml;
  std::vector<ParameterDecl> parameter_decls;
  /// Parameter values by name, pseudo parameters (AWS::Region, ...) included.
  std::map<std::string, Value, std::less<>> parameters;
  std::map<std::string, NodeId, std::less<>> conditions;
  NodeId mappings = kNoNode;
  std::vector<ResourceDecl> resources;  ///< in document order
  std::map<std::string, size_t, std::less<>> resource_index;
  std::vector<OutputDecl> outputs;

  const ResourceDecl* FindResource(std::string_view logical) const;
};

/// The stack name a file gets by default: its name without directories and without the
/// extensions `.json`, `.yaml`, `.yml`, `.template` (`cdk.out/Net.template.json` -> `Net`).
std::string StackNameOf(const std::string& file);

/// Reads the sections of a parsed document. Returns false (with errors) for a document that is
/// not a usable template: not a mapping, no `Resources`, a resource without `Type`, ...
bool ReadTemplate(Document doc, Template& out, InputErrors& errors);

/// Names the stacks and resolves every template's parameters from defaults and `given`
/// (`--parameter` values). A `--parameter` value naming a resource of the inputs by logical ID
/// (`PrivateSubnet1`, or `vpc.PrivateSubnet1` with the stack name) stands for that resource's
/// ID, so stacks wired together by a deployment tool can be checked together. Keys that no
/// template declares are errors.
void ResolveParameters(std::vector<Template>& templates,
                       const std::map<std::string, std::string>& given,
                       InputErrors& errors);

}  // namespace cvpn::parsers::cfn
