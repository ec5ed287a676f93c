// SPDX-License-Identifier: Apache-2.0
// Read-only JSON documents for the Terraform plan front end: simdjson parses the text into a
// compact tape, and JsonView walks it without copying. A view may be absent (a missing key, an
// index out of range), which every accessor treats like a value of no type.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "analyzer/diagnostic.h"
#include "parsers/json_selection.h"

namespace cvpn::parsers {

class JsonView {
 public:
  JsonView() = default;
  explicit JsonView(simdjson::dom::element element) : element_(element), present_(true) {}

  /// Whether the view names a value (absent: a missing key or index).
  explicit operator bool() const { return present_; }

  bool IsNull() const { return present_ && element_.is_null(); }
  bool IsObject() const { return present_ && element_.is_object(); }
  bool IsArray() const { return present_ && element_.is_array(); }
  bool IsString() const { return present_ && element_.is_string(); }
  bool IsBool() const { return present_ && element_.is_bool(); }
  /// A whole number that fits in int64 (written without fraction or exponent).
  bool IsInteger() const { return present_ && element_.is_int64(); }
  bool IsDouble() const { return present_ && element_.is_double(); }
  bool IsNumber() const { return present_ && element_.is_number(); }

  /// The value; empty, false or 0 when the view is of another type.
  std::string_view String() const;
  bool Bool() const;
  int64_t Integer() const;
  double Double() const;

  /// The member `key` of an object; absent otherwise.
  JsonView operator[](std::string_view key) const;
  /// The element `index` of an array; absent otherwise. Linear in `index`: iterate with
  /// Elements() to visit every element.
  JsonView At(size_t index) const;
  /// Elements of an array or members of an object; 0 otherwise.
  size_t Size() const;
  bool Empty() const { return Size() == 0; }

  /// Iterates the elements of an array (nothing for any other value).
  class ElementIterator;
  struct Elements;
  Elements Items() const;

  /// Iterates the members of an object (nothing for any other value).
  class MemberIterator;
  struct Members;
  Members ObjectMembers() const;

  /// The value as compact JSON text ("" for an absent view).
  std::string Dump() const;
  /// "object", "array", "string", "number", "boolean", "null" ("nothing" when absent).
  const char* TypeName() const;

  /// Same type and value (objects compare member by member, in order).
  friend bool operator==(const JsonView& a, const JsonView& b);
  /// A string value equal to `text`.
  bool operator==(std::string_view text) const { return IsString() && String() == text; }

  simdjson::dom::element Element() const { return element_; }

 private:
  simdjson::dom::element element_;
  bool present_ = false;
};

class JsonView::ElementIterator {
 public:
  ElementIterator() = default;
  explicit ElementIterator(simdjson::dom::array::iterator it) : it_(it) {}
  JsonView operator*() const { return JsonView(*it_); }
  ElementIterator& operator++() {
    ++it_;
    return *this;
  }
  bool operator!=(const ElementIterator& other) const { return it_ != other.it_; }
  bool operator==(const ElementIterator& other) const { return !(it_ != other.it_); }

 private:
  simdjson::dom::array::iterator it_;
};

class JsonView::MemberIterator {
 public:
  MemberIterator() = default;
  explicit MemberIterator(simdjson::dom::object::iterator it) : it_(it) {}
  std::pair<std::string_view, JsonView> operator*() const {
    return {it_.key(), JsonView(it_.value())};
  }
  MemberIterator& operator++() {
    ++it_;
    return *this;
  }
  bool operator!=(const MemberIterator& other) const { return it_ != other.it_; }
  bool operator==(const MemberIterator& other) const { return !(it_ != other.it_); }

 private:
  simdjson::dom::object::iterator it_;
};

struct JsonView::Elements {
  JsonView array;
  ElementIterator begin() const;
  ElementIterator end() const;
};
inline JsonView::Elements JsonView::Items() const { return Elements{*this}; }

struct JsonView::Members {
  JsonView object;
  MemberIterator begin() const;
  MemberIterator end() const;
};
inline JsonView::Members JsonView::ObjectMembers() const { return Members{*this}; }

/// A parsed JSON document; views into it live as long as it does.
class JsonDocument {
 public:
  /// Parses `text`; on failure reports the file, line and column to `errors` and returns null.
  /// `text` is read in place when its capacity leaves simdjson's padding after its size; then
  /// `selection`, when given, says which parts of it the tree holds (the others are checked).
  static std::unique_ptr<JsonDocument> Parse(const std::string& name, const std::string& text,
                                             int max_depth, InputErrors& errors,
                                             const JsonSelection* selection = nullptr);
  JsonView Root() const { return root_; }

 private:
  simdjson::dom::document document_;
  JsonView root_;
};

/// A JSON string literal for `text` (quotes and escapes), as messages quote keys.
std::string JsonQuote(std::string_view text);

}  // namespace cvpn::parsers
