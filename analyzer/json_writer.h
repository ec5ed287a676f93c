// SPDX-License-Identifier: Apache-2.0
// A streaming JSON writer for the reports: values go straight into one output string, pretty
// printed with two-space indentation, byte for byte as nlohmann::json's dump(2) writes the same
// document (so reports stay as they were when they were built as trees).
//
// Strings are escaped as JSON requires (quote, backslash, control characters); other UTF-8 is
// written as it is, and invalid UTF-8 becomes U+FFFD. The writer does not check that calls
// nest properly: the caller writes a well-formed document.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cvpn {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }

  /// The key of the next member of the current object.
  void Key(std::string_view key);

  void String(std::string_view value);
  void Null();
  void Bool(bool value);
  void Number(int64_t value);
  void Number(uint64_t value);
  void Number(int value) { Number(static_cast<int64_t>(value)); }

  /// Where the next byte goes: with Copy(), reuses what was written between two positions.
  size_t Position() const { return out_.size(); }
  /// Writes again, as the next value, the value that was written at [begin, end) (the same
  /// value at the same depth gives the same bytes).
  void Copy(size_t begin, size_t end) {
    BeforeValue();
    out_.append(out_, begin, end - begin);
  }

  /// Shorthands for one member.
  void Member(std::string_view key, std::string_view value) {
    Key(key);
    String(value);
  }
  void NullMember(std::string_view key) {
    Key(key);
    Null();
  }

 private:
  /// Commas, line breaks and indentation before a value (not after a key).
  void BeforeValue();
  void Open(char bracket);
  void Close(char bracket);
  void Indent(size_t depth);

  std::string& out_;
  /// Per open container: whether it has a member or element yet.
  std::vector<bool> has_items_;
  bool after_key_ = false;
};

/// Appends `text` as a quoted JSON string.
void AppendJsonString(std::string& out, std::string_view text);

/// Appends `value` as a JSON number.
void AppendJsonNumber(std::string& out, int64_t value);
void AppendJsonNumber(std::string& out, uint64_t value);

}  // namespace cvpn
