// SPDX-License-Identifier: Apache-2.0
#include "analyzer/json_writer.h"

#include <array>
#include <charconv>
#include <cstring>

#include <nlohmann/json.hpp>

namespace cvpn {

namespace {

/// The length of the well-formed UTF-8 sequence that starts with the non-ASCII byte at `i`, or 0
/// (Unicode 15, table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF).
size_t Utf8SequenceLength(std::string_view text, size_t i) {
  const auto b0 = static_cast<unsigned char>(text[i]);
  size_t length = 0;
  unsigned char low = 0x80U;
  unsigned char high = 0xBFU;
  if (b0 >= 0xC2U && b0 <= 0xDFU) {
    length = 2;
  } else if (b0 >= 0xE0U && b0 <= 0xEFU) {
    length = 3;
    low = b0 == 0xE0U ? 0xA0U : 0x80U;
    high = b0 == 0xEDU ? 0x9FU : 0xBFU;
  } else if (b0 >= 0xF0U && b0 <= 0xF4U) {
    length = 4;
    low = b0 == 0xF0U ? 0x90U : 0x80U;
    high = b0 == 0xF4U ? 0x8FU : 0xBFU;
  } else {
    return 0;
  }
  if (i + length > text.size()) {
    return 0;
  }
  const auto b1 = static_cast<unsigned char>(text[i + 1]);
  if (b1 < low || b1 > high) {
    return 0;
  }
  for (size_t k = 2; k < length; ++k) {
    const auto b = static_cast<unsigned char>(text[i + k]);
    if (b < 0x80U || b > 0xBFU) {
      return 0;
    }
  }
  return length;
}

/// Printable ASCII that JSON takes as it is.
bool Plain(unsigned char c) { return c >= 0x20U && c < 0x80U && c != '"' && c != '\\'; }

/// The first byte at or after `i` that is not Plain, or the end; eight bytes at a time.
size_t SkipPlain(std::string_view text, size_t i) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  while (i + 8 <= text.size()) {
    uint64_t x = 0;
    std::memcpy(&x, text.data() + i, 8);
    const uint64_t quote = x ^ (kOnes * '"');
    const uint64_t backslash = x ^ (kOnes * '\\');
    // High bit set in a byte that is below 0x20, a quote, a backslash, or not ASCII.
    const uint64_t special = ((x - kOnes * 0x20U) & ~x) | ((quote - kOnes) & ~quote) |
                             ((backslash - kOnes) & ~backslash) | x;
    if ((special & kHigh) != 0) {
      break;
    }
    i += 8;
  }
  while (i < text.size() && Plain(static_cast<unsigned char>(text[i]))) {
    ++i;
  }
  return i;
}

/// The escape of a byte that needs one, or nullptr.
const char* ShortEscape(unsigned char c) {
  switch (c) {
    case '"':
      return "\\\"";
    case '\\':
      return "\\\\";
    case '\b':
      return "\\b";
    case '\f':
      return "\\f";
    case '\n':
      return "\\n";
    case '\r':
      return "\\r";
    case '\t':
      return "\\t";
    default:
      return nullptr;
  }
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view text) {
  const size_t start = out.size();
  out += '"';
  size_t run = 0;  // the start of the bytes not yet copied
  size_t i = 0;
  while ((i = SkipPlain(text, i)) < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80U) {
      const size_t length = Utf8SequenceLength(text, i);
      if (length == 0) {
        // Rare (inputs are read as UTF-8): let nlohmann::json place the U+FFFD replacements
        // exactly as the reports always have.
        out.resize(start);
        out += nlohmann::json(std::string(text))
                   .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        return;
      }
      i += length;
      continue;
    }
    out.append(text, run, i - run);
    if (const char* escape = ShortEscape(c)) {
      out += escape;
    } else {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\u00";
      out += kHex[c >> 4U];
      out += kHex[c & 0xFU];
    }
    run = ++i;
  }
  out.append(text, run, text.size() - run);
  out += '"';
}

void JsonWriter::Indent(size_t depth) {
  static constexpr std::string_view kBreak =
      "\n                                                                ";
  const size_t width = depth * 2;
  if (width < kBreak.size()) {
    out_.append(kBreak.data(), width + 1);
    return;
  }
  out_ += '\n';
  out_.append(width, ' ');
}

void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (has_items_.empty()) {
    return;
  }
  if (has_items_.back()) {
    out_ += ',';
  }
  has_items_.back() = true;
  Indent(has_items_.size());
}

void JsonWriter::Open(char bracket) {
  BeforeValue();
  out_ += bracket;
  has_items_.push_back(false);
}

void JsonWriter::Close(char bracket) {
  const bool had_items = has_items_.back();
  has_items_.pop_back();
  if (had_items) {
    Indent(has_items_.size());
  }
  out_ += bracket;
}

void JsonWriter::Key(std::string_view key) {
  BeforeValue();
  if (SkipPlain(key, 0) == key.size()) {  // every key the reports use
    out_ += '"';
    out_.append(key);
    out_.append("\": ", 3);
  } else {
    AppendJsonString(out_, key);
    out_.append(": ", 2);
  }
  after_key_ = true;
}

void JsonWriter::String(std::string_view value) {
  BeforeValue();
  AppendJsonString(out_, value);
}

void JsonWriter::Null() {
  BeforeValue();
  out_ += "null";
}

void JsonWriter::Bool(bool value) {
  BeforeValue();
  out_ += value ? "true" : "false";
}

void JsonWriter::Number(int64_t value) {
  BeforeValue();
  AppendJsonNumber(out_, value);
}

void JsonWriter::Number(uint64_t value) {
  BeforeValue();
  AppendJsonNumber(out_, value);
}

namespace {

template <typename Integer>
void AppendInteger(std::string& out, Integer value) {
  std::array<char, 24> digits{};
  const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), value).ptr;
  out.append(digits.data(), end);
}

}  // namespace

void AppendJsonNumber(std::string& out, int64_t value) { AppendInteger(out, value); }

void AppendJsonNumber(std::string& out, uint64_t value) { AppendInteger(out, value); }

}  // namespace cvpn
