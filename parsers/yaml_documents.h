// SPDX-License-Identifier: Apache-2.0
// YAML streams of more than one document, for the readers that take one (templates, the config).
#pragma once

#include <optional>
#include <string_view>

#include "parsers/text_position.h"

namespace cvpn::parsers {

/// Where a second YAML document with content starts in `text`, if one does (a document that is
/// only `---` or `...` does not count). yaml-cpp's LoadAll loops without end on some broken
/// texts (found by fuzzing the config), so this reads at most two documents' events, and only
/// when a line starts with a document marker.
std::optional<TextPosition> SecondYamlDocument(std::string_view text);

}  // namespace cvpn::parsers
