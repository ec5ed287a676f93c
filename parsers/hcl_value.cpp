// SPDX-License-Identifier: Apache-2.0
#include "parsers/hcl_value.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace cvpn::parsers::hcl {

namespace {

const ValueList& EmptyList() {
  static const ValueList kEmpty;
  return kEmpty;
}

const ValueMap& EmptyMap() {
  static const ValueMap kEmpty;
  return kEmpty;
}

void CollectOrigins(const Value& v, std::vector<std::string>& out) {
  if (v.IsUnknown()) {
    out.insert(out.end(), v.Origins().begin(), v.Origins().end());
    return;
  }
  if (v.IsSequence()) {
    for (const Value& e : v.Items()) {
      CollectOrigins(e, out);
    }
  } else if (v.IsObject()) {
    for (const auto& [k, e] : v.Fields()) {
      CollectOrigins(e, out);
    }
  }
}

}  // namespace

Value Value::Unknown(std::string reason, std::vector<std::string> origins) {
  Value v;
  v.kind_ = Kind::kUnknown;
  v.string_ = std::move(reason);
  std::sort(origins.begin(), origins.end());
  origins.erase(std::unique(origins.begin(), origins.end()), origins.end());
  v.origins_ = std::move(origins);
  return v;
}

Value Value::Bool(bool b) {
  Value v;
  v.kind_ = Kind::kBool;
  v.bool_ = b;
  return v;
}

Value Value::Number(double n) {
  Value v;
  v.kind_ = Kind::kNumber;
  v.number_ = n;
  return v;
}

Value Value::String(std::string s) {
  Value v;
  v.kind_ = Kind::kString;
  v.string_ = std::move(s);
  return v;
}

Value Value::List(ValueList items) {
  Value v;
  v.kind_ = Kind::kList;
  v.items_ = std::make_shared<const ValueList>(std::move(items));
  return v;
}

Value Value::Set(ValueList items) {
  // A set holding an unknown element is unknown as a whole: its elements cannot be told apart.
  for (const Value& e : items) {
    if (e.IsUnknown()) {
      return Unknown(e.Reason(), Value::List(items).AllOrigins());
    }
  }
  std::stable_sort(items.begin(), items.end(), SetElementLess);
  ValueList unique;
  for (Value& e : items) {
    if (unique.empty() || !(unique.back() == e)) {
      unique.push_back(std::move(e));
    }
  }
  Value v;
  v.kind_ = Kind::kSet;
  v.items_ = std::make_shared<const ValueList>(std::move(unique));
  return v;
}

Value Value::Object(ValueMap fields) {
  Value v;
  v.kind_ = Kind::kObject;
  v.fields_ = std::make_shared<const ValueMap>(std::move(fields));
  return v;
}

Value Value::Error(std::string reason) {
  Value v = Unknown(std::move(reason));
  v.error_ = true;
  return v;
}

Value Value::Resource(ValueMap fields, std::string address, std::string reason) {
  Value v = Object(std::move(fields));
  v.open_address_ = std::move(address);
  v.open_reason_ = std::move(reason);
  return v;
}

Value Value::MissingAttribute(const std::string& name) const {
  const std::string origin = open_address_ + "." + name;
  return Unknown(fmt::format("`{}` {}", origin, open_reason_), {origin});
}

const ValueList& Value::Items() const {
  return items_ ? *items_ : EmptyList();
}

const ValueMap& Value::Fields() const {
  return fields_ ? *fields_ : EmptyMap();
}

const Value* Value::Field(std::string_view key) const {
  if (!IsObject()) {
    return nullptr;
  }
  auto it = Fields().find(key);
  return it == Fields().end() ? nullptr : &it->second;
}

bool Value::ContainsUnknown() const {
  return FirstUnknown() != nullptr;
}

const Value* Value::FirstUnknown() const {
  if (IsUnknown()) {
    return this;
  }
  if (IsSequence()) {
    for (const Value& e : Items()) {
      if (const Value* u = e.FirstUnknown()) {
        return u;
      }
    }
  } else if (IsObject()) {
    for (const auto& [k, e] : Fields()) {
      if (const Value* u = e.FirstUnknown()) {
        return u;
      }
    }
  }
  return nullptr;
}

std::vector<std::string> Value::AllOrigins() const {
  std::vector<std::string> out;
  CollectOrigins(*this, out);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Value Value::WithOrigins(const std::vector<std::string>& origins) const {
  if (IsUnknown()) {
    Value v = Unknown(string_, origins);
    v.error_ = error_;
    return v;
  }
  if (!ContainsUnknown()) {
    return *this;
  }
  if (IsSequence()) {
    ValueList items;
    for (const Value& e : Items()) {
      items.push_back(e.WithOrigins(origins));
    }
    Value v = *this;
    v.items_ = std::make_shared<const ValueList>(std::move(items));
    return v;
  }
  ValueMap fields;
  for (const auto& [k, e] : Fields()) {
    fields.emplace(k, e.WithOrigins(origins));
  }
  Value v = *this;
  v.fields_ = std::make_shared<const ValueMap>(std::move(fields));
  return v;
}

bool Value::IsWholeNumber() const {
  return IsNumber() && std::isfinite(number_) && std::floor(number_) == number_ &&
         std::fabs(number_) < 9.0e15;
}

std::string Value::TypeName() const {
  switch (kind_) {
    case Kind::kNull:
      return "null";
    case Kind::kUnknown:
      return "unknown value";
    case Kind::kBool:
      return "bool";
    case Kind::kNumber:
      return "number";
    case Kind::kString:
      return "string";
    case Kind::kList:
      return "list";
    case Kind::kSet:
      return "set";
    case Kind::kObject:
      return "object";
  }
  return "value";
}

bool operator==(const Value& a, const Value& b) {
  if (a.kind_ != b.kind_) {
    return false;
  }
  switch (a.kind_) {
    case Value::Kind::kNull:
      return true;
    case Value::Kind::kUnknown:
      return false;
    case Value::Kind::kBool:
      return a.bool_ == b.bool_;
    case Value::Kind::kNumber:
      return a.number_ == b.number_;
    case Value::Kind::kString:
      return a.string_ == b.string_;
    case Value::Kind::kList:
    case Value::Kind::kSet:
      return a.Items() == b.Items();
    case Value::Kind::kObject:
      return a.Fields() == b.Fields();
  }
  return false;
}

nlohmann::json Value::ToJson() const {
  switch (kind_) {
    case Kind::kNull:
    case Kind::kUnknown:
      return nullptr;
    case Kind::kBool:
      return bool_;
    case Kind::kNumber:
      if (IsWholeNumber()) {
        return AsInteger();
      }
      return number_;
    case Kind::kString:
      return string_;
    case Kind::kList:
    case Kind::kSet: {
      nlohmann::json out = nlohmann::json::array();
      for (const Value& e : Items()) {
        out.push_back(e.ToJson());
      }
      return out;
    }
    case Kind::kObject: {
      nlohmann::json out = nlohmann::json::object();
      for (const auto& [k, e] : Fields()) {
        out[k] = e.ToJson();
      }
      return out;
    }
  }
  return nullptr;
}

nlohmann::json Value::UnknownMarks() const {
  if (IsUnknown()) {
    return true;
  }
  if (!ContainsUnknown()) {
    return nullptr;
  }
  if (IsSequence()) {
    nlohmann::json out = nlohmann::json::array();
    for (const Value& e : Items()) {
      nlohmann::json m = e.UnknownMarks();
      out.push_back(m.is_null() ? nlohmann::json(false) : m);
    }
    return out;
  }
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [k, e] : Fields()) {
    nlohmann::json m = e.UnknownMarks();
    if (!m.is_null()) {
      out[k] = m;
    }
  }
  return out;
}

Value Value::FromJson(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::null:
    case nlohmann::json::value_t::discarded:
    case nlohmann::json::value_t::binary:
      return Null();
    case nlohmann::json::value_t::boolean:
      return Bool(j.get<bool>());
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float:
      return Number(j.get<double>());
    case nlohmann::json::value_t::string:
      return String(j.get<std::string>());
    case nlohmann::json::value_t::array: {
      ValueList items;
      for (const auto& e : j) {
        items.push_back(FromJson(e));
      }
      return List(std::move(items));
    }
    case nlohmann::json::value_t::object: {
      ValueMap fields;
      for (const auto& [k, e] : j.items()) {
        fields.emplace(k, FromJson(e));
      }
      return Object(std::move(fields));
    }
  }
  return Null();
}

std::string FormatNumber(double n) {
  if (std::isfinite(n) && std::floor(n) == n && std::fabs(n) < 9.0e15) {
    return fmt::format("{}", static_cast<int64_t>(n));
  }
  return fmt::format("{}", n);
}

std::optional<std::string> ToStringValue(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kString:
      return v.AsString();
    case Value::Kind::kNumber:
      return FormatNumber(v.AsNumber());
    case Value::Kind::kBool:
      return std::string(v.AsBool() ? "true" : "false");
    default:
      return std::nullopt;
  }
}

std::optional<double> ToNumberValue(const Value& v) {
  if (v.IsNumber()) {
    return v.AsNumber();
  }
  if (!v.IsString()) {
    return std::nullopt;
  }
  const std::string& s = v.AsString();
  if (s.empty() || s.size() > 64) {
    return std::nullopt;
  }
  size_t i = 0;
  if (s[i] == '-' || s[i] == '+') {
    ++i;
  }
  bool digits = false;
  bool dot = false;
  bool exponent = false;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c >= '0' && c <= '9') {
      digits = true;
    } else if (c == '.' && !dot && !exponent) {
      dot = true;
    } else if ((c == 'e' || c == 'E') && digits && !exponent) {
      exponent = true;
      digits = false;
      if (i + 1 < s.size() && (s[i + 1] == '-' || s[i + 1] == '+')) {
        ++i;
      }
    } else {
      return std::nullopt;
    }
  }
  if (!digits) {
    return std::nullopt;
  }
  return std::strtod(s.c_str(), nullptr);
}

std::optional<bool> ToBoolValue(const Value& v) {
  if (v.IsBool()) {
    return v.AsBool();
  }
  if (v.IsString() && (v.AsString() == "true" || v.AsString() == "false")) {
    return v.AsString() == "true";
  }
  return std::nullopt;
}

bool SetElementLess(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) {
    return static_cast<int>(a.kind()) < static_cast<int>(b.kind());
  }
  switch (a.kind()) {
    case Value::Kind::kString:
      return a.AsString() < b.AsString();
    case Value::Kind::kNumber:
      return a.AsNumber() < b.AsNumber();
    case Value::Kind::kBool:
      return !a.AsBool() && b.AsBool();
    case Value::Kind::kList:
    case Value::Kind::kSet:
    case Value::Kind::kObject:
      return a.ToJson().dump() < b.ToJson().dump();
    default:
      return false;
  }
}

std::string IndexStep(const nlohmann::json& key) {
  if (key.is_number_integer()) {
    return fmt::format("[{}]", key.get<int64_t>());
  }
  if (key.is_string()) {
    return "[" + nlohmann::json(key.get<std::string>()).dump() + "]";
  }
  return "[" + key.dump() + "]";
}

}  // namespace cvpn::parsers::hcl
