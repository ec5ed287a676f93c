// SPDX-License-Identifier: Apache-2.0
// Byte offsets to 1-based line and column, and a check of bracket nesting depth that runs before
// any parser builds a tree.
#pragma once

#include <cstddef>
#include <string_view>

namespace cvpn::parsers {

struct TextPosition {
  int line = 1;
  int column = 1;
};

/// The 1-based line and byte column of `offset` in `text` (clamped to the end).
TextPosition PositionOf(std::string_view text, size_t offset);

/// The offset where JSON-style `[`/`{` nesting first exceeds `max_depth` (outside strings), or
/// std::string_view::npos when it never does.
size_t FindExcessiveNesting(std::string_view text, int max_depth);

}  // namespace cvpn::parsers
