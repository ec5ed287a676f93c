// SPDX-License-Identifier: Apache-2.0
// The value of a template expression after intrinsic functions are evaluated: absent
// (`AWS::NoValue`, or not written), a scalar, a list, a mapping, or unknown with the reason.
//
// What CloudFormation only learns at deployment (the physical ID of a resource, a VPC's default
// security group) is a *token*: an opaque scalar that names its source. Tokens survive `Fn::Join`,
// `Fn::Split` and `Fn::Sub`, compare equal only to themselves, and resolve links to graph
// elements. They are framed by ASCII record/unit separators, which a YAML template cannot
// contain as plain text, so they never collide with user strings.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parsers/cfn_document.h"

namespace cvpn::parsers::cfn {

struct MapEntry;

struct Value {
  enum class Kind : uint8_t { kAbsent, kScalar, kList, kMap, kUnknown };
  Kind kind = Kind::kAbsent;
  bool quoted = false;  ///< a scalar written as a quoted string
  Position at;          ///< where the expression that produced it is written
  std::string text;     ///< the scalar, or why the value is unknown
  std::vector<Value> items;
  std::vector<MapEntry> entries;

  static Value Absent(Position at = {});
  static Value Scalar(std::string text, Position at, bool quoted = false);
  static Value Unknown(std::string why, Position at);
  static Value List(std::vector<Value> items, Position at);

  bool IsAbsent() const { return kind == Kind::kAbsent; }
  bool IsScalar() const { return kind == Kind::kScalar; }
  bool IsList() const { return kind == Kind::kList; }
  bool IsMap() const { return kind == Kind::kMap; }
  bool IsUnknown() const { return kind == Kind::kUnknown; }
  /// The entry `key` of a mapping, or nullptr.
  const Value* Get(std::string_view key) const;
  const MapEntry* GetEntry(std::string_view key) const;
  /// "a string", "a list", "a mapping", "nothing", "an unknown value", for messages.
  std::string KindName() const;
};

struct MapEntry {
  std::string key;
  Position at;  ///< where the key is written
  Value value;
};

/// What a token stands for.
enum class TokenKind : char {
  kResource = 'R',              ///< `Ref` of a resource: its physical ID
  kDefaultSecurityGroup = 'S',  ///< `Fn::GetAtt VPC.DefaultSecurityGroup`
  kDefaultNetworkAcl = 'N',     ///< `Fn::GetAtt VPC.DefaultNetworkAcl`
  kOpaque = 'P',                ///< a pseudo parameter known only at deployment (AWS::AccountId)
};

struct Token {
  TokenKind kind = TokenKind::kResource;
  int template_index = 0;
  std::string name;  ///< the logical ID (or pseudo parameter name)
};

std::string MakeToken(TokenKind kind, int template_index, std::string_view name);
/// The token when `text` is exactly one token.
std::optional<Token> ParseToken(std::string_view text);
/// Whether `text` holds a token anywhere.
bool ContainsToken(std::string_view text);
/// `text` with each token written as what it stands for (`VpnSubnet`, `Vpc.DefaultSecurityGroup`).
std::string Readable(std::string_view text);
/// Readable(text) for a message: a long value (a hostile template's) is cut to its start and
/// its length.
std::string Shown(std::string_view text);

}  // namespace cvpn::parsers::cfn
