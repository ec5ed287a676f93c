// SPDX-License-Identifier: Apache-2.0
// A CloudFormation template as a tree of YAML or JSON values that keep their 1-based line and
// column. Short-form tags (`!Ref X`) become the long form (`{Ref: X}`), so later stages see one
// spelling. Loading is bounded: aliases are copied under a node budget (an alias bomb is refused,
// not expanded) and nesting under a depth limit.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/diagnostic.h"
#include "parsers/input.h"

namespace cvpn::parsers::cfn {

using NodeId = int32_t;
inline constexpr NodeId kNoNode = -1;

/// A 1-based position in the template; 0 when unknown.
struct Position {
  int line = 0;
  int column = 0;
};

/// One `key: value` of a mapping, in document order.
struct Entry {
  std::string key;
  Position at;  ///< where the key is written
  NodeId value = kNoNode;
};

struct Node {
  enum class Kind : uint8_t { kNull, kScalar, kSequence, kMapping };
  Kind kind = Kind::kNull;
  bool quoted = false;  ///< a quoted scalar (always a string), as opposed to a plain one
  Position at;
  std::string text;            ///< for scalars
  std::vector<NodeId> items;   ///< for sequences
  std::vector<Entry> entries;  ///< for mappings
};

/// A parsed template.
class Document {
 public:
  std::string file;   ///< as named on the command line
  bool json = false;  ///< written in JSON (decides the language of fixes)
  std::vector<Node> nodes;
  NodeId root = kNoNode;

  const Node& At(NodeId id) const { return nodes[static_cast<size_t>(id)]; }
  /// The entry `key` of mapping `id`, or nullptr (also when `id` is not a mapping).
  const Entry* Find(NodeId id, std::string_view key) const;
};

/// The short-form tags CloudFormation accepts, without the `!`; `Ref`, `Condition` and `GetAtt`
/// map to `Ref`, `Condition` and `Fn::GetAtt`, the rest to `Fn::<Name>`.
bool IsShortFormTag(std::string_view name);

/// Parses a template in YAML or JSON. On failure, returns false with errors that name the file
/// and, where known, the line and column.
bool ParseDocument(const std::string& name,
                   const std::string& text,
                   const InputLimits& limits,
                   Document& out,
                   InputErrors& errors);

}  // namespace cvpn::parsers::cfn
