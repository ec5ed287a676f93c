// SPDX-License-Identifier: Apache-2.0
#include "parsers/cloudformation.h"

namespace cvpn::parsers {

bool LooksLikeCloudFormation(const std::string& text) {
  return text.find("AWSTemplateFormatVersion") != std::string::npos ||
         text.find("Resources") != std::string::npos;
}

bool LoadCloudFormationTemplates(const std::vector<InputText>& templates, Graph& /*graph*/,
                                 InputErrors& errors, const LoadOptions& /*options*/) {
  for (const InputText& t : templates) {
    errors.push_back({t.name, 1, 1, "CloudFormation templates are not supported yet"});
  }
  return templates.empty();
}

}  // namespace cvpn::parsers
