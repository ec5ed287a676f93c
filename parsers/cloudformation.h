// SPDX-License-Identifier: Apache-2.0
// The CloudFormation front end: templates in YAML or JSON (CDK output included), loaded together
// so that exports and imports connect stacks.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "analyzer/diagnostic.h"
#include "analyzer/graph.h"
#include "parsers/input.h"

namespace cvpn::parsers {

/// Whether `text` looks like a CloudFormation template (JSON or YAML), judged by its content.
bool LooksLikeCloudFormation(const std::string& text);

/// Loads templates into `graph`; problems go to `errors` with file, line and column.
bool LoadCloudFormationTemplates(const std::vector<InputText>& templates, Graph& graph,
                                 InputErrors& errors, const LoadOptions& options);

}  // namespace cvpn::parsers
