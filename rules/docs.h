// SPDX-License-Identifier: Apache-2.0
// The rules' user documentation, embedded at build time from rules/cvpnNNN_*.md.
#pragma once

#include <string_view>

namespace cvpn::rules {

/// The whole Markdown page of rule `id` (for example "CVPN001"), or an empty view for an ID with
/// no page. The text lives for the whole program.
std::string_view RuleDoc(std::string_view id);

}  // namespace cvpn::rules
