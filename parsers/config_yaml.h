// SPDX-License-Identifier: Apache-2.0
// A fast reader for the plain YAML that config files are written in, which yaml-cpp reads at
// thousands of instructions per byte: block mappings and sequences, one-line flow sequences of
// scalars, plain and simply quoted one-line scalars, and comments. It builds the tree yaml-cpp
// builds, with the same positions (0-based, as yaml-cpp's marks).
//
// It reads nothing it is not sure of: anchors, tags, block scalars, multi-line or escaped
// scalars, flow mappings, null values, tabs, non-ASCII bytes, duplicate keys and anything else
// make it give up, and the caller reads the text with yaml-cpp instead.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace cvpn::parsers {

/// A node of a plain YAML document, with the parts of yaml-cpp's YAML::Node interface the config
/// reader uses.
class PlainYamlNode {
 public:
  YAML::NodeType::value Type() const { return type_; }
  bool IsNull() const { return type_ == YAML::NodeType::Null; }
  bool IsScalar() const { return type_ == YAML::NodeType::Scalar; }
  bool IsSequence() const { return type_ == YAML::NodeType::Sequence; }
  bool IsMap() const { return type_ == YAML::NodeType::Map; }
  const std::string& Scalar() const { return scalar_; }
  YAML::Mark Mark() const;

  /// The items of a sequence.
  const std::vector<PlainYamlNode>& Items() const { return children_; }
  /// The keys and values of a mapping, alternating: key, value, key, value...
  const std::vector<PlainYamlNode>& KeysAndValues() const { return children_; }

 private:
  friend class PlainYamlReader;

  YAML::NodeType::value type_ = YAML::NodeType::Null;
  std::string scalar_;
  int line_ = 0;    ///< 0-based
  int column_ = 0;  ///< 0-based
  int pos_ = 0;     ///< byte offset
  std::vector<PlainYamlNode> children_;
};

/// The document of `text`, or nullopt where it is not plain YAML as described above.
std::optional<PlainYamlNode> ReadPlainYaml(std::string_view text);

}  // namespace cvpn::parsers
