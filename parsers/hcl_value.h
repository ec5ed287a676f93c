// SPDX-License-Identifier: Apache-2.0
// Values of the HCL evaluator: Terraform's null, bool, number, string, list/tuple, set and
// map/object, plus `unknown` for what is known only after apply. An unknown value carries why it
// is unknown and where it comes from (`origins`: references in Terraform's own format, valid in
// the module where the value is used), so that the synthetic plan can link it as a real plan
// links it. Collections are immutable and shared, so copying a value is cheap.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace cvpn::parsers::hcl {

class Value;
using ValueList = std::vector<Value>;
using ValueMap = std::map<std::string, Value, std::less<>>;

class Value {
 public:
  enum class Kind { kNull, kUnknown, kBool, kNumber, kString, kList, kSet, kObject };

  Value() = default;
  static Value Null() { return Value(); }
  static Value Unknown(std::string reason, std::vector<std::string> origins = {});
  static Value Bool(bool b);
  static Value Number(double n);
  static Value String(std::string s);
  static Value List(ValueList items);
  /// A set: elements de-duplicated and ordered as Terraform orders them (strings lexically,
  /// numbers numerically).
  static Value Set(ValueList items);
  static Value Object(ValueMap fields);
  /// An evaluation error (unknown function, wrong type, cycle): unknown, and caught by try().
  static Value Error(std::string reason);
  /// A resource or data source instance: attributes the object does not hold are computed by the
  /// provider, so reading them gives an unknown whose origin is `address.attribute`.
  static Value Resource(ValueMap fields, std::string address, std::string reason);

  Kind kind() const { return kind_; }
  bool IsNull() const { return kind_ == Kind::kNull; }
  bool IsUnknown() const { return kind_ == Kind::kUnknown; }
  bool IsKnown() const { return kind_ != Kind::kUnknown; }
  bool IsError() const { return kind_ == Kind::kUnknown && error_; }
  /// For resource objects: the address of the instance, else empty.
  const std::string& ResourceAddress() const { return open_address_; }
  /// The unknown value of an attribute a resource object does not hold.
  Value MissingAttribute(const std::string& name) const;
  bool IsBool() const { return kind_ == Kind::kBool; }
  bool IsNumber() const { return kind_ == Kind::kNumber; }
  bool IsString() const { return kind_ == Kind::kString; }
  bool IsList() const { return kind_ == Kind::kList; }
  bool IsSet() const { return kind_ == Kind::kSet; }
  bool IsSequence() const { return kind_ == Kind::kList || kind_ == Kind::kSet; }
  bool IsObject() const { return kind_ == Kind::kObject; }
  bool IsCollection() const { return IsSequence() || IsObject(); }

  bool AsBool() const { return bool_; }
  double AsNumber() const { return number_; }
  const std::string& AsString() const { return string_; }
  const ValueList& Items() const;
  const ValueMap& Fields() const;
  /// A field of an object, or nullptr.
  const Value* Field(std::string_view key) const;

  /// Why the value is unknown (for kUnknown), or the first reason found inside a collection.
  const std::string& Reason() const { return string_; }
  const std::vector<std::string>& Origins() const { return origins_; }

  /// Whether the value or any element inside it is unknown.
  bool ContainsUnknown() const;
  /// The first unknown inside (itself included), or nullptr.
  const Value* FirstUnknown() const;
  /// Every origin of every unknown inside, sorted and unique.
  std::vector<std::string> AllOrigins() const;
  /// The same value with every unknown inside given `origins` instead of its own.
  Value WithOrigins(const std::vector<std::string>& origins) const;

  /// Whether the number is a whole number that fits an int64.
  bool IsWholeNumber() const;
  int64_t AsInteger() const { return static_cast<int64_t>(number_); }

  /// A short name of the type, for messages: "string", "number", "list", "object", ...
  std::string TypeName() const;

  /// Terraform's `==`: both known, same type family and equal content.
  friend bool operator==(const Value& a, const Value& b);

  /// Known values as plan JSON (unknowns become null).
  nlohmann::json ToJson() const;
  /// The after_unknown shape of the value: true where unknown, nested objects/arrays where a
  /// collection has unknowns inside, null where nothing is unknown.
  nlohmann::json UnknownMarks() const;
  static Value FromJson(const nlohmann::json& j);

 private:
  Kind kind_ = Kind::kNull;
  bool bool_ = false;
  double number_ = 0;
  std::string string_;  ///< the string, or the reason of an unknown
  std::vector<std::string> origins_;
  bool error_ = false;
  std::string open_address_;  ///< resource objects: the instance address
  std::string open_reason_;   ///< resource objects: why missing attributes are unknown
  std::shared_ptr<const ValueList> items_;
  std::shared_ptr<const ValueMap> fields_;
};

/// Formats a number as Terraform prints it in strings (integers without a fraction).
std::string FormatNumber(double n);

/// Terraform's automatic conversion to string of a primitive value; nullopt if not possible.
std::optional<std::string> ToStringValue(const Value& v);
/// Conversion of a primitive value to a number ("42" -> 42); nullopt if not possible.
std::optional<double> ToNumberValue(const Value& v);
/// Conversion to bool ("true" -> true); nullopt if not possible.
std::optional<bool> ToBoolValue(const Value& v);

/// Orders set elements as Terraform does.
bool SetElementLess(const Value& a, const Value& b);

/// `key` as a Terraform index step: `[0]` or `["key"]`.
std::string IndexStep(const nlohmann::json& key);

}  // namespace cvpn::parsers::hcl
