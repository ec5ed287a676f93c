// SPDX-License-Identifier: Apache-2.0
// Which parts of a JSON document to build into its tree. A Terraform plan repeats every
// resource's values in `resource_changes` (`after`, `after_sensitive`) and carries much that
// cvpn-lint never reads; leaving those parts out of the tree halves the parse's work and memory.
// The parts left out are still checked, so that a malformed file is refused wherever the damage
// is: their structure, their strings (escapes, UTF-8, control characters) and their literals;
// numbers for their syntax, not for their range.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include <simdjson.h>

namespace cvpn::parsers {

struct JsonSelection {
  struct Member {
    std::string_view key;
    const JsonSelection* value = nullptr;  ///< the selection of its value; null: all of it
  };
  /// Of an object: the members kept, the others left out; empty: every member, whole.
  std::vector<Member> members;
  /// Of an array: the selection of each element; null: every element, whole.
  const JsonSelection* elements = nullptr;
};

/// Keeps, of the structural index that simdjson's first stage wrote for `text` (`count`
/// entries, in place), only the entries of the selected parts, in order, so that the second
/// stage builds the tree of those parts alone; the parts left out are checked. A value of
/// another type than its selection expects (a string where an object is selected) is kept
/// whole, for the reader to report. Returns the number of entries kept, or nothing when the
/// text is not well-formed JSON or nests deeper than `max_depth` (the caller then parses all of
/// it, which says where and why).
std::optional<uint32_t> SelectStructurals(const uint8_t* text, size_t length, uint32_t* index,
                                          uint32_t count, const JsonSelection& selection,
                                          size_t max_depth,
                                          const simdjson::internal::dom_parser_implementation&
                                              strings);

}  // namespace cvpn::parsers
