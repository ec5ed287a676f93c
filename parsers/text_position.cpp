// SPDX-License-Identifier: Apache-2.0
#include "parsers/text_position.h"

#include <algorithm>

#include <fmt/format.h>

namespace cvpn::parsers {

namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

/// The length of the well-formed UTF-8 sequence at `i` (1 to 4), or 0 when it is not one
/// (Unicode's table 3-7 of well-formed byte sequences).
size_t Utf8Length(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    return 1;
  }
  size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3;
    low = b0 == 0xE0 ? 0xA0 : 0x80;   // no overlong forms
    high = b0 == 0xED ? 0x9F : 0xBF;  // no surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4;
    low = b0 == 0xF0 ? 0x90 : 0x80;   // no overlong forms
    high = b0 == 0xF4 ? 0x8F : 0xBF;  // nothing above U+10FFFF
  } else {
    return 0;
  }
  if (i + length > text.size()) {
    return 0;
  }
  if (byte(i + 1) < low || byte(i + 1) > high) {
    return 0;
  }
  for (size_t k = 2; k < length; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) {
      return 0;
    }
  }
  return length;
}

}  // namespace

TextPosition PositionOf(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  TextPosition p;
  size_t line_start = text.substr(0, kByteOrderMark.size()) == kByteOrderMark && offset >= 3
                          ? kByteOrderMark.size()
                          : 0;
  for (size_t i = line_start; i < offset; ++i) {
    if (text[i] == '\n') {
      ++p.line;
      line_start = i + 1;
    }
  }
  p.column = static_cast<int>(offset - line_start) + 1;
  return p;
}

size_t FindExcessiveNesting(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) {
        return i;
      }
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return std::string_view::npos;
}

EncodingProblem FindEncodingProblem(std::string_view text, bool control_characters) {
  for (size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b == 0) {
      return {i, "the file holds a NUL byte; is it a binary file?"};
    }
    if (control_characters && ((b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b == 0x7F)) {
      return {i, fmt::format("control character U+{:04X} is not allowed here", b)};
    }
    const size_t length = Utf8Length(text, i);
    if (length == 0) {
      return {i, fmt::format("byte 0x{:02X} is not valid UTF-8; save the file as UTF-8", b)};
    }
    i += length;
  }
  return {};
}

}  // namespace cvpn::parsers
