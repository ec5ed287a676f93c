// SPDX-License-Identifier: Apache-2.0
#include "analyzer/json_writer.h"

#include <nlohmann/json.hpp>

namespace cvpn {

namespace {

/// Whether `text` is well-formed UTF-8 (Unicode 15, table 3-7: no overlong forms, no surrogates,
/// nothing above U+10FFFF).
bool ValidUtf8(std::string_view text) {
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    const auto b0 = static_cast<unsigned char>(text[i]);
    if (b0 < 0x80U) {
      ++i;
      continue;
    }
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
      return false;
    }
    if (i + length > n) {
      return false;
    }
    const auto b1 = static_cast<unsigned char>(text[i + 1]);
    if (b1 < low || b1 > high) {
      return false;
    }
    for (size_t k = 2; k < length; ++k) {
      const auto b = static_cast<unsigned char>(text[i + k]);
      if (b < 0x80U || b > 0xBFU) {
        return false;
      }
    }
    i += length;
  }
  return true;
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
  if (!ValidUtf8(text)) {
    // Rare (inputs are read as UTF-8): let nlohmann::json place the U+FFFD replacements exactly
    // as the reports always have.
    out += nlohmann::json(std::string(text))
               .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return;
  }
  out += '"';
  size_t run = 0;  // start of the bytes not yet copied
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20U && c != '"' && c != '\\') {
      continue;
    }
    out.append(text, run, i - run);
    run = i + 1;
    if (const char* escape = ShortEscape(c)) {
      out += escape;
    } else {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\u00";
      out += kHex[c >> 4U];
      out += kHex[c & 0xFU];
    }
  }
  out.append(text, run, text.size() - run);
  out += '"';
}

void JsonWriter::Indent(size_t depth) {
  out_ += '\n';
  out_.append(depth * 2, ' ');
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
  AppendJsonString(out_, key);
  out_ += ": ";
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
  out_ += std::to_string(value);
}

void JsonWriter::Number(uint64_t value) {
  BeforeValue();
  out_ += std::to_string(value);
}

}  // namespace cvpn
