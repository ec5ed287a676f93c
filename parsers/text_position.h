// SPDX-License-Identifier: Apache-2.0
// Byte offsets to 1-based line and column, a check of bracket nesting depth that runs before any
// parser builds a tree, and a check of the text's encoding (UTF-8, no NUL bytes).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cvpn::parsers {

struct TextPosition {
  int line = 1;
  int column = 1;
};

/// The 1-based line and byte column of `offset` in `text` (clamped to the end). A byte-order mark
/// at the start is not counted: editors do not show it.
TextPosition PositionOf(std::string_view text, size_t offset);

/// The offset where JSON-style `[`/`{` nesting first exceeds `max_depth` (outside strings), or
/// std::string_view::npos when it never does.
size_t FindExcessiveNesting(std::string_view text, int max_depth);

/// A byte that makes a text unreadable as source code.
struct EncodingProblem {
  size_t offset = std::string_view::npos;  ///< npos: none
  std::string message;
  bool Found() const { return offset != std::string_view::npos; }
};

/// The first byte that is not well-formed UTF-8 (overlong forms, surrogates and code points
/// above U+10FFFF included), or a NUL byte; with `control_characters`, also any other C0 control
/// character but tab, line feed and carriage return, and DEL (YAML forbids them).
EncodingProblem FindEncodingProblem(std::string_view text, bool control_characters = false);

}  // namespace cvpn::parsers
