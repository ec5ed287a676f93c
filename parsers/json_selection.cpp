// SPDX-License-Identifier: Apache-2.0
#include "parsers/json_selection.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <string>

namespace cvpn::parsers {

namespace {

bool IsDigit(uint8_t c) { return c >= '0' && c <= '9'; }

/// What may follow a literal or a number: white space or a structural character.
bool EndsToken(uint8_t c) {
  switch (c) {
    case ' ':
    case '\t':
    case '\n':
    case '\r':
    case ',':
    case ':':
    case ']':
    case '}':
      return true;
    default:
      return false;
  }
}

/// How a structural character changes the nesting: +1 opens, -1 closes.
constexpr std::array<int8_t, 256> kNesting = [] {
  std::array<int8_t, 256> table{};
  table['{'] = table['['] = 1;
  table['}'] = table[']'] = -1;
  return table;
}();

/// Walks the structural index once. Entries of kept parts are written back from the start of
/// the index, in order; a kept entry is never written after the entry it reads, so the walk
/// works in place.
class Selector {
 public:
  Selector(const uint8_t* text, size_t length, uint32_t* index, uint32_t count, size_t max_depth,
           const simdjson::internal::dom_parser_implementation& strings)
      : text_(text), length_(length), index_(index), count_(count), max_depth_(max_depth),
        strings_(strings) {}

  std::optional<uint32_t> Run(const JsonSelection& selection) {
    uint32_t i = 0;
    if (!Value(i, &selection, 0) || i != count_) {
      return std::nullopt;
    }
    return out_;
  }

 private:
  /// The character of entry `i`; NUL past the end.
  uint8_t At(uint32_t i) const { return i < count_ ? text_[index_[i]] : 0; }
  void Keep(uint32_t i) { index_[out_++] = index_[i]; }

  bool Value(uint32_t& i, const JsonSelection* selection, size_t depth) {
    const uint8_t c = At(i);
    if (selection != nullptr && c == '{' && !selection->members.empty()) {
      return Object(i, *selection, depth);
    }
    if (selection != nullptr && c == '[' && selection->elements != nullptr) {
      return Array(i, *selection->elements, depth);
    }
    return Whole(i, depth);
  }

  bool Object(uint32_t& i, const JsonSelection& selection, size_t depth) {
    if (depth + 1 >= max_depth_) {
      return false;
    }
    Keep(i++);
    if (At(i) == '}') {
      Keep(i++);
      return true;
    }
    uint32_t kept = 0;
    for (;;) {
      const uint32_t key = i;
      if (At(key) != '"' || At(key + 1) != ':') {
        return false;
      }
      i = key + 2;
      const JsonSelection::Member* member = Find(selection, key);
      if (member != nullptr) {
        if (kept++ > 0) {
          Keep(key - 1);  // the comma before the key: not the object's first member
        }
        Keep(key);
        Keep(key + 1);
        if (!Value(i, member->value, depth + 1)) {
          return false;
        }
      } else if (!String(key) || !Dropped(i, depth + 1)) {
        return false;
      }
      const uint8_t next = At(i);
      if (next == '}') {
        Keep(i++);
        return true;
      }
      if (next != ',') {
        return false;
      }
      ++i;
    }
  }

  bool Array(uint32_t& i, const JsonSelection& elements, size_t depth) {
    if (depth + 1 >= max_depth_) {
      return false;
    }
    Keep(i++);
    if (At(i) == ']') {
      Keep(i++);
      return true;
    }
    for (;;) {
      if (!Value(i, &elements, depth + 1)) {
        return false;
      }
      const uint8_t next = At(i);
      if (next != ',' && next != ']') {
        return false;
      }
      Keep(i++);
      if (next == ']') {
        return true;
      }
    }
  }

  /// A value kept whole: its entries are copied; the second stage checks it.
  bool Whole(uint32_t& i, size_t depth) {
    const uint32_t start = i;
    int64_t open = 0;
    int64_t deepest = 0;
    do {
      if (i >= count_) {
        return false;
      }
      open += kNesting[text_[index_[i++]]];
      deepest = std::max(deepest, open);
    } while (open > 0);
    if (open < 0 || depth + static_cast<size_t>(deepest) >= max_depth_) {
      return false;
    }
    if (out_ != start) {
      std::memmove(index_ + out_, index_ + start, (i - start) * sizeof(uint32_t));
    }
    out_ += i - start;
    return true;
  }

  /// A value left out: checked, not copied.
  bool Dropped(uint32_t& i, size_t depth) {
    const uint32_t start = i;
    if (!DroppedStructure(i, depth)) {
      return false;
    }
    // Its strings are unescaped one by one only where its text holds an escape.
    const std::string_view text(reinterpret_cast<const char*>(text_) + index_[start],
                                (i < count_ ? index_[i] : length_) - index_[start]);
    if (text.find('\\') == std::string_view::npos) {
      return true;
    }
    for (uint32_t k = start; k < i; ++k) {
      if (text_[index_[k]] == '"' && !String(k)) {
        return false;
      }
    }
    return true;
  }

  /// The structure, literals and numbers of a value left out.
  bool DroppedStructure(uint32_t& i, size_t depth) {
    open_.clear();
    for (;;) {
      // A value starts at i.
      if (i >= count_) {
        return false;
      }
      switch (At(i)) {
        case '{':
        case '[': {
          const bool object = At(i) == '{';
          if (depth + open_.size() + 1 >= max_depth_) {
            return false;
          }
          if (At(i + 1) == (object ? '}' : ']')) {
            i += 2;
            break;
          }
          open_.push_back(object ? '{' : '[');
          ++i;
          if (object && !Key(i)) {
            return false;
          }
          continue;
        }
        case '"':
          ++i;
          break;
        case 't':
        case 'f':
        case 'n':
          if (!Literal(i++)) {
            return false;
          }
          break;
        default:
          if (!Number(i++)) {
            return false;
          }
          break;
      }
      // After a value: the container goes on or closes.
      for (;;) {
        if (open_.empty()) {
          return true;
        }
        const bool object = open_.back() == '{';
        const uint8_t next = At(i);
        if (next == ',') {
          ++i;
          if (object && !Key(i)) {
            return false;
          }
          break;
        }
        if (next != (object ? '}' : ']')) {
          return false;
        }
        open_.pop_back();
        ++i;
      }
    }
  }

  /// A key and its colon, left out (the key's escapes are checked with the value's strings).
  bool Key(uint32_t& i) {
    if (At(i) != '"' || At(i + 1) != ':') {
      return false;
    }
    i += 2;
    return true;
  }

  /// The text of entry `i` up to the next entry (or the end).
  std::string_view Span(uint32_t i) const {
    const size_t end = i + 1 < count_ ? index_[i + 1] : length_;
    return {reinterpret_cast<const char*>(text_) + index_[i], end - index_[i]};
  }

  /// The string at entry `i`: stage 1 checked its UTF-8 and control characters; its escapes
  /// are checked here, by simdjson's own unescaping, where it has any.
  bool String(uint32_t i) {
    const std::string_view span = Span(i);
    if (span.find('\\') == std::string_view::npos) {
      return true;
    }
    Unescape(i);
    return unescaped_ok_;
  }

  /// Unescapes the string at entry `i` into scratch_ (unescaped_ok_ false if it is invalid).
  std::string_view Unescape(uint32_t i) {
    const std::string_view span = Span(i);
    scratch_.resize(span.size() + simdjson::SIMDJSON_PADDING);
    const uint8_t* end = strings_.parse_string(text_ + index_[i] + 1, scratch_.data());
    unescaped_ok_ = end != nullptr;
    return unescaped_ok_ ? std::string_view(reinterpret_cast<const char*>(scratch_.data()),
                                            static_cast<size_t>(end - scratch_.data()))
                         : std::string_view();
  }

  bool Literal(uint32_t i) const {
    const size_t at = index_[i];
    const std::string_view word = text_[at] == 't' ? "true" : text_[at] == 'f' ? "false" : "null";
    return at + word.size() <= length_ && std::memcmp(text_ + at, word.data(), word.size()) == 0 &&
           (at + word.size() == length_ || EndsToken(text_[at + word.size()]));
  }

  /// JSON's number syntax: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
  bool Number(uint32_t i) const {
    size_t p = index_[i];
    auto digits = [&] {
      const size_t from = p;
      while (p < length_ && IsDigit(text_[p])) {
        ++p;
      }
      return p > from;
    };
    if (p < length_ && text_[p] == '-') {
      ++p;
    }
    if (p < length_ && text_[p] == '0') {
      ++p;
    } else if (!digits()) {
      return false;
    }
    if (p < length_ && text_[p] == '.') {
      ++p;
      if (!digits()) {
        return false;
      }
    }
    if (p < length_ && (text_[p] == 'e' || text_[p] == 'E')) {
      ++p;
      if (p < length_ && (text_[p] == '+' || text_[p] == '-')) {
        ++p;
      }
      if (!digits()) {
        return false;
      }
    }
    return p == length_ || EndsToken(text_[p]);
  }

  /// The member of `selection` the key at entry `key` names, or null. Keys are compared as
  /// written, and unescaped only where they hold an escape.
  const JsonSelection::Member* Find(const JsonSelection& selection, uint32_t key) {
    const std::string_view span = Span(key).substr(1);  // after the opening quote
    for (const JsonSelection::Member& member : selection.members) {
      if (span.size() > member.key.size() && span[member.key.size()] == '"' &&
          span.compare(0, member.key.size(), member.key) == 0) {
        return &member;
      }
    }
    const size_t close = span.find('"');
    if (span.substr(0, close).find('\\') == std::string_view::npos) {
      return nullptr;
    }
    const std::string_view unescaped = Unescape(key);
    if (!unescaped_ok_) {
      return nullptr;  // left out, where String() refuses it
    }
    for (const JsonSelection::Member& member : selection.members) {
      if (unescaped == member.key) {
        return &member;
      }
    }
    return nullptr;
  }

  const uint8_t* text_;
  size_t length_;
  uint32_t* index_;
  uint32_t count_;
  size_t max_depth_;
  const simdjson::internal::dom_parser_implementation& strings_;
  uint32_t out_ = 0;
  std::string open_;  ///< containers open in a value left out: `{` or `[`
  std::vector<uint8_t> scratch_;
  bool unescaped_ok_ = false;
};

}  // namespace

std::optional<uint32_t> SelectStructurals(const uint8_t* text, size_t length, uint32_t* index,
                                          uint32_t count, const JsonSelection& selection,
                                          size_t max_depth,
                                          const simdjson::internal::dom_parser_implementation&
                                              strings) {
  return Selector(text, length, index, count, max_depth, strings).Run(selection);
}

}  // namespace cvpn::parsers
