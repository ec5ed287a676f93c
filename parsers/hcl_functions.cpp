// SPDX-License-Identifier: Apache-2.0
// Terraform's built-in functions that networking code uses, with Terraform's semantics: IP
// address arithmetic (cidrsubnet, cidrsubnets, cidrhost, cidrnetmask), collections (concat,
// flatten, element, lookup, merge, keys, values, zipmap, ...), type conversions and strings.
// Functions that depend on the machine or the clock (file, timestamp, uuid) are not evaluated.
#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <unordered_map>

#include <fmt/format.h>

#include "parsers/hcl_eval.h"

namespace cvpn::parsers::hcl {

namespace {

using Args = std::vector<Value>;

struct Function {
  int min_args;
  int max_args;  ///< -1: any number
  /// Whether the function works on collections that hold unknown elements (else any unknown
  /// argument makes the result unknown).
  bool structural;
  std::function<Value(const Args&, Budget&)> call;
};

Value Err(std::string message) {
  return Value::Error(std::move(message));
}

/// Membership of values, in constant time on average: values are bucketed by their JSON text,
/// and compared with Terraform's `==` inside a bucket (a list of 100000 elements must not take
/// 10^10 comparisons).
class ValueIndex {
 public:
  /// Adds `v`; false when an equal value is there already.
  bool Insert(const Value& v) {
    std::vector<Value>& bucket = buckets_[v.ToJson().dump()];
    if (std::find(bucket.begin(), bucket.end(), v) != bucket.end()) {
      return false;
    }
    bucket.push_back(v);
    return true;
  }
  bool Contains(const Value& v) const {
    auto it = buckets_.find(v.ToJson().dump());
    return it != buckets_.end() &&
           std::find(it->second.begin(), it->second.end(), v) != it->second.end();
  }

 private:
  std::unordered_map<std::string, std::vector<Value>> buckets_;
};

// --- IPv4
// -----------------------------------------------------------------------------------------

struct Prefix {
  uint64_t address = 0;  ///< 32-bit address
  int length = 0;
};

std::optional<uint64_t> ParseAddress(std::string_view text) {
  uint64_t address = 0;
  int parts = 0;
  size_t i = 0;
  while (parts < 4) {
    if (i >= text.size() || text[i] < '0' || text[i] > '9') {
      return std::nullopt;
    }
    const size_t start = i;
    uint64_t octet = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      octet = octet * 10 + static_cast<uint64_t>(text[i] - '0');
      ++i;
      if (i - start > 3) {
        return std::nullopt;
      }
    }
    if (octet > 255 || (i - start > 1 && text[start] == '0')) {
      return std::nullopt;  // Go's parser rejects leading zeros
    }
    address = (address << 8) | octet;
    ++parts;
    if (parts < 4) {
      if (i >= text.size() || text[i] != '.') {
        return std::nullopt;
      }
      ++i;
    }
  }
  if (i != text.size()) {
    return std::nullopt;
  }
  return address;
}

std::string FormatAddress(uint64_t a) {
  return fmt::format("{}.{}.{}.{}", (a >> 24) & 255, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}

uint64_t MaskOf(int length) {
  return length == 0 ? 0 : ((uint64_t{0xFFFFFFFF} << (32 - length)) & 0xFFFFFFFF);
}

std::optional<Prefix> ParsePrefix(const Value& v, std::string& error) {
  if (!v.IsString()) {
    error = fmt::format("expected a CIDR prefix string, not a {}", v.TypeName());
    return std::nullopt;
  }
  const std::string& s = v.AsString();
  const size_t slash = s.find('/');
  if (slash == std::string::npos) {
    error = fmt::format("invalid CIDR expression: `{}` has no prefix length", s);
    return std::nullopt;
  }
  if (s.find(':') != std::string::npos) {
    error = fmt::format("`{}` is an IPv6 prefix; cvpn-lint computes IPv4 prefixes only", s);
    return std::nullopt;
  }
  const auto address = ParseAddress(std::string_view(s).substr(0, slash));
  const std::string length_text = s.substr(slash + 1);
  if (!address || length_text.empty() || length_text.size() > 2 ||
      !std::all_of(length_text.begin(), length_text.end(),
                   [](char c) { return c >= '0' && c <= '9'; })) {
    error = fmt::format("invalid CIDR address `{}`", s);
    return std::nullopt;
  }
  const int length = std::stoi(length_text);
  if (length > 32) {
    error = fmt::format("invalid CIDR address `{}`", s);
    return std::nullopt;
  }
  return Prefix{*address & MaskOf(length), length};
}

std::optional<int64_t> WholeNumber(const Value& v) {
  const auto n = ToNumberValue(v);
  if (!n || std::floor(*n) != *n || std::fabs(*n) > 9.0e15) {
    return std::nullopt;
  }
  return static_cast<int64_t>(*n);
}

Value CidrSubnet(const Args& a, Budget&) {
  std::string error;
  const auto prefix = ParsePrefix(a[0], error);
  if (!prefix) {
    return Err(error);
  }
  const auto newbits = WholeNumber(a[1]);
  const auto netnum = WholeNumber(a[2]);
  if (!newbits || !netnum) {
    return Err("newbits and netnum must be whole numbers");
  }
  const int64_t length = prefix->length + *newbits;
  if (*newbits < 0 || length > 32) {
    return Err(fmt::format("insufficient address space to extend prefix of {} by {}",
                           prefix->length, *newbits));
  }
  if (*netnum < 0 || (*newbits < 63 && *netnum >= (int64_t{1} << *newbits))) {
    return Err(fmt::format("prefix extension of {} does not accommodate a subnet numbered {}",
                           *newbits, *netnum));
  }
  const uint64_t address =
      prefix->address | (static_cast<uint64_t>(*netnum) << (32 - static_cast<int>(length)));
  return Value::String(fmt::format("{}/{}", FormatAddress(address & 0xFFFFFFFF), length));
}

Value CidrSubnets(const Args& a, Budget&) {
  std::string error;
  const auto prefix = ParsePrefix(a[0], error);
  if (!prefix) {
    return Err(error);
  }
  if (a.size() == 1) {
    return Value::List({});
  }
  // Terraform allocates consecutively: start just before the base prefix, then take the next
  // subnet of each requested size (go-cidr's PreviousSubnet and NextSubnet).
  auto last_of = [](uint64_t address, int length) {
    return address | (~MaskOf(length) & 0xFFFFFFFF);
  };
  const auto first_bits = WholeNumber(a[1]);
  if (!first_bits || *first_bits < 1 || prefix->length + *first_bits > 32) {
    return Err("each newbits must be between 1 and the remaining address bits");
  }
  const int first_length = prefix->length + static_cast<int>(*first_bits);
  uint64_t current = ((prefix->address - 1) & 0xFFFFFFFF) & MaskOf(first_length);
  int current_length = first_length;
  ValueList out;
  for (size_t i = 1; i < a.size(); ++i) {
    const auto bits = WholeNumber(a[i]);
    if (!bits || *bits < 1 || prefix->length + *bits > 32) {
      return Err(fmt::format("invalid newbits value {}: each must be between 1 and {}",
                             a[i].ToJson().dump(), 32 - prefix->length));
    }
    const int length = prefix->length + static_cast<int>(*bits);
    const uint64_t subnet = last_of(current, current_length) & MaskOf(length);
    const uint64_t next_raw = last_of(subnet, length) + 1;
    const uint64_t next = next_raw & 0xFFFFFFFF & MaskOf(length);
    const bool rollover = (next_raw & 0xFFFFFFFF) == 0;
    if (rollover || (next & MaskOf(prefix->length)) != prefix->address) {
      return Err(
          fmt::format("not enough remaining address space for a subnet with a prefix of "
                      "{} bits after {}",
                      length, i == 1 ? std::string("the start") : out.back().AsString()));
    }
    current = next;
    current_length = length;
    out.push_back(Value::String(fmt::format("{}/{}", FormatAddress(current), length)));
  }
  return Value::List(std::move(out));
}

Value CidrHost(const Args& a, Budget&) {
  std::string error;
  const auto prefix = ParsePrefix(a[0], error);
  if (!prefix) {
    return Err(error);
  }
  const auto hostnum = WholeNumber(a[1]);
  if (!hostnum) {
    return Err("hostnum must be a whole number");
  }
  const int64_t size = int64_t{1} << (32 - prefix->length);
  int64_t offset = *hostnum;
  if (offset < 0) {
    offset += size;
  }
  if (offset < 0 || offset >= size) {
    return Err(fmt::format("prefix of {} does not accommodate a host numbered {}", prefix->length,
                           *hostnum));
  }
  return Value::String(FormatAddress(prefix->address + static_cast<uint64_t>(offset)));
}

Value CidrNetmask(const Args& a, Budget&) {
  std::string error;
  const auto prefix = ParsePrefix(a[0], error);
  if (!prefix) {
    return Err(error);
  }
  return Value::String(FormatAddress(MaskOf(prefix->length)));
}

// --- collections ---------------------------------------------------------------------------------

bool IsListLike(const Value& v) {
  return v.IsSequence();
}

/// Converts the elements of a collection to one type as Terraform does for list(...)/set(...):
/// mixed strings, numbers and bools become strings.
ValueList Unify(const ValueList& items) {
  bool any_string = false;
  bool any_other_primitive = false;
  for (const Value& v : items) {
    any_string = any_string || v.IsString();
    any_other_primitive = any_other_primitive || v.IsNumber() || v.IsBool();
  }
  if (!(any_string && any_other_primitive)) {
    return items;
  }
  ValueList out;
  for (const Value& v : items) {
    const auto s = ToStringValue(v);
    out.push_back(s ? Value::String(*s) : v);
  }
  return out;
}

Value Length(const Args& a, Budget&) {
  const Value& v = a[0];
  if (v.IsUnknown()) {
    return v;
  }
  if (v.IsString()) {
    size_t count = 0;
    for (const char c : v.AsString()) {
      count += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    }
    return Value::Number(static_cast<double>(count));
  }
  if (v.IsSequence()) {
    return Value::Number(static_cast<double>(v.Items().size()));
  }
  if (v.IsObject()) {
    return Value::Number(static_cast<double>(v.Fields().size()));
  }
  return Err(fmt::format("length() needs a string or a collection, not a {}", v.TypeName()));
}

Value Concat(const Args& a, Budget& budget) {
  ValueList out;
  for (const Value& v : a) {
    if (v.IsUnknown()) {
      return v;
    }
    if (!IsListLike(v)) {
      return Err(fmt::format("concat() needs lists, not a {}", v.TypeName()));
    }
    if (out.size() + v.Items().size() > budget.max_elements) {
      return budget.Exceed(
          fmt::format("concat() builds a list of more than {} elements", budget.max_elements));
    }
    out.insert(out.end(), v.Items().begin(), v.Items().end());
  }
  return Value::List(std::move(out));
}

Value Flatten(const Args& a, Budget& budget) {
  if (a[0].IsUnknown()) {
    return a[0];
  }
  if (!IsListLike(a[0])) {
    return Err(fmt::format("flatten() needs a list, not a {}", a[0].TypeName()));
  }
  ValueList out;
  // Iterative depth-first walk over nested lists.
  std::vector<std::pair<const ValueList*, size_t>> stack{{&a[0].Items(), 0}};
  while (!stack.empty()) {
    auto& [list, index] = stack.back();
    if (index >= list->size()) {
      stack.pop_back();
      continue;
    }
    const Value& v = (*list)[index++];
    if (v.IsUnknown()) {
      return Value::Unknown(v.Reason(), a[0].AllOrigins());
    }
    if (IsListLike(v)) {
      if (stack.size() > 64) {
        return Err("flatten(): lists nest too deeply");
      }
      stack.emplace_back(&v.Items(), 0);
    } else {
      out.push_back(v);
      if (out.size() > budget.max_elements) {
        return budget.Exceed(
            fmt::format("flatten() builds a list of more than {} elements", budget.max_elements));
      }
    }
  }
  return Value::List(std::move(out));
}

Value Element(const Args& a, Budget&) {
  if (a[0].IsUnknown() || a[1].IsUnknown()) {
    return UnknownFrom({&a[0], &a[1]});
  }
  if (!IsListLike(a[0])) {
    return Err(fmt::format("element() needs a list, not a {}", a[0].TypeName()));
  }
  const auto index = WholeNumber(a[1]);
  if (!index) {
    return Err("the index must be a whole number");
  }
  if (*index < 0) {
    return Err("the index must not be negative");
  }
  const auto& items = a[0].Items();
  if (items.empty()) {
    return Err("cannot use element() with an empty list");
  }
  return items[static_cast<size_t>(*index) % items.size()];
}

Value Lookup(const Args& a, Budget&) {
  if (a[0].IsUnknown() || a[1].IsUnknown()) {
    return UnknownFrom({&a[0], &a[1]});
  }
  if (!a[0].IsObject()) {
    return Err(fmt::format("lookup() needs a map, not a {}", a[0].TypeName()));
  }
  const auto key = ToStringValue(a[1]);
  if (!key) {
    return Err("the key must be a string");
  }
  if (const Value* v = a[0].Field(*key)) {
    return *v;
  }
  if (a.size() > 2) {
    return a[2];
  }
  return Err(
      fmt::format("the map has no element with the key \"{}\" and no default was given", *key));
}

Value Merge(const Args& a, Budget&) {
  ValueMap out;
  for (const Value& v : a) {
    if (v.IsNull()) {
      continue;
    }
    if (v.IsUnknown()) {
      return v;
    }
    if (!v.IsObject()) {
      return Err(fmt::format("merge() needs maps or objects, not a {}", v.TypeName()));
    }
    for (const auto& [k, e] : v.Fields()) {
      out.insert_or_assign(k, e);
    }
  }
  return Value::Object(std::move(out));
}

Value Keys(const Args& a, Budget&) {
  if (a[0].IsUnknown()) {
    return a[0];
  }
  if (!a[0].IsObject()) {
    return Err(fmt::format("keys() needs a map, not a {}", a[0].TypeName()));
  }
  ValueList out;
  for (const auto& [k, v] : a[0].Fields()) {
    out.push_back(Value::String(k));
  }
  return Value::List(std::move(out));
}

Value Values(const Args& a, Budget&) {
  if (a[0].IsUnknown()) {
    return a[0];
  }
  if (!a[0].IsObject()) {
    return Err(fmt::format("values() needs a map, not a {}", a[0].TypeName()));
  }
  ValueList out;
  for (const auto& [k, v] : a[0].Fields()) {
    out.push_back(v);
  }
  return Value::List(std::move(out));
}

Value ToList(const Args& a, Budget&) {
  if (a[0].IsUnknown() || a[0].IsNull()) {
    return a[0];
  }
  if (!IsListLike(a[0])) {
    return Err(fmt::format("cannot convert a {} to a list", a[0].TypeName()));
  }
  return Value::List(Unify(a[0].Items()));
}

Value ToSet(const Args& a, Budget&) {
  if (a[0].IsUnknown() || a[0].IsNull()) {
    return a[0];
  }
  if (!IsListLike(a[0])) {
    return Err(fmt::format("cannot convert a {} to a set", a[0].TypeName()));
  }
  return Value::Set(Unify(a[0].Items()));
}

Value ToMap(const Args& a, Budget&) {
  if (a[0].IsUnknown() || a[0].IsNull()) {
    return a[0];
  }
  if (!a[0].IsObject()) {
    return Err(fmt::format("cannot convert a {} to a map", a[0].TypeName()));
  }
  ValueList items;
  std::vector<std::string> keys;
  for (const auto& [k, v] : a[0].Fields()) {
    keys.push_back(k);
    items.push_back(v);
  }
  items = Unify(items);
  ValueMap out;
  for (size_t i = 0; i < keys.size(); ++i) {
    out.emplace(keys[i], items[i]);
  }
  return Value::Object(std::move(out));
}

Value Zipmap(const Args& a, Budget&) {
  if (a[0].IsUnknown() || a[1].IsUnknown()) {
    return UnknownFrom({&a[0], &a[1]});
  }
  if (!IsListLike(a[0]) || !IsListLike(a[1])) {
    return Err("zipmap() needs two lists");
  }
  const auto& keys = a[0].Items();
  const auto& values = a[1].Items();
  if (keys.size() != values.size()) {
    return Err(
        fmt::format("zipmap() needs lists of the same length; the keys have {} elements "
                    "and the values {}",
                    keys.size(), values.size()));
  }
  ValueMap out;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (keys[i].IsUnknown()) {
      return UnknownFrom({&keys[i]});
    }
    const auto k = ToStringValue(keys[i]);
    if (!k) {
      return Err("zipmap() keys must be strings");
    }
    out.insert_or_assign(*k, values[i]);
  }
  return Value::Object(std::move(out));
}

Value Contains(const Args& a, Budget&) {
  if (!IsListLike(a[0])) {
    return Err(fmt::format("contains() needs a list or set, not a {}", a[0].TypeName()));
  }
  for (const Value& v : a[0].Items()) {
    if (v == a[1]) {
      return Value::Bool(true);
    }
    const auto s1 = ToStringValue(v);
    const auto s2 = ToStringValue(a[1]);
    if (s1 && s2 && v.kind() != a[1].kind() && *s1 == *s2) {
      return Value::Bool(true);
    }
  }
  return Value::Bool(false);
}

Value Distinct(const Args& a, Budget&) {
  if (!IsListLike(a[0])) {
    return Err(fmt::format("distinct() needs a list, not a {}", a[0].TypeName()));
  }
  ValueList out;
  ValueIndex seen;
  for (const Value& v : a[0].Items()) {
    if (seen.Insert(v)) {
      out.push_back(v);
    }
  }
  return Value::List(std::move(out));
}

Value Compact(const Args& a, Budget&) {
  if (!IsListLike(a[0])) {
    return Err(fmt::format("compact() needs a list of strings, not a {}", a[0].TypeName()));
  }
  ValueList out;
  for (const Value& v : a[0].Items()) {
    if (v.IsNull() || (v.IsString() && v.AsString().empty())) {
      continue;
    }
    const auto s = ToStringValue(v);
    if (!s) {
      return Err("compact() needs a list of strings");
    }
    out.push_back(Value::String(*s));
  }
  return Value::List(std::move(out));
}

Value Coalesce(const Args& a, Budget&) {
  for (const Value& v : a) {
    if (v.IsUnknown()) {
      return v;
    }
    if (v.IsNull() || (v.IsString() && v.AsString().empty())) {
      continue;
    }
    return v;
  }
  return Err("no non-null, non-empty-string arguments");
}

Value CoalesceList(const Args& a, Budget&) {
  for (const Value& v : a) {
    if (v.IsUnknown()) {
      return v;
    }
    if (v.IsSequence() && !v.Items().empty()) {
      return v;
    }
  }
  return Value::List({});
}

Value Range(const Args& a, Budget& budget) {
  std::vector<double> n;
  for (const Value& v : a) {
    const auto x = ToNumberValue(v);
    if (!x) {
      return Err("range() needs numbers");
    }
    n.push_back(*x);
  }
  double start = 0;
  double limit = 0;
  double step = 1;
  if (n.size() == 1) {
    limit = n[0];
  } else {
    start = n[0];
    limit = n[1];
    step = n.size() > 2 ? n[2] : (limit < start ? -1 : 1);
  }
  if (step == 0) {
    return Err("step must not be zero");
  }
  if ((step > 0 && limit < start) || (step < 0 && limit > start)) {
    return Err("step has the wrong sign to reach the limit");
  }
  ValueList out;
  for (double x = start; step > 0 ? x < limit : x > limit; x += step) {
    if (out.size() >= 1024) {
      // Terraform's own limit: `terraform plan` stops here too.
      return budget.Exceed(
          "range() generates more than 1024 values; either decrease the difference between "
          "start and end or use a smaller step");
    }
    out.push_back(Value::Number(x));
  }
  return Value::List(std::move(out));
}

Value Slice(const Args& a, Budget&) {
  if (!IsListLike(a[0])) {
    return Err("slice() needs a list");
  }
  const auto start = WholeNumber(a[1]);
  const auto end = WholeNumber(a[2]);
  const auto size = static_cast<int64_t>(a[0].Items().size());
  if (!start || !end || *start < 0 || *end > size || *start > *end) {
    return Err(fmt::format("invalid slice bounds for a list of {} elements", size));
  }
  return Value::List(ValueList(a[0].Items().begin() + *start, a[0].Items().begin() + *end));
}

Value Reverse(const Args& a, Budget&) {
  if (!IsListLike(a[0])) {
    return Err("reverse() needs a list");
  }
  ValueList out(a[0].Items().rbegin(), a[0].Items().rend());
  return Value::List(std::move(out));
}

Value Sort(const Args& a, Budget&) {
  if (!IsListLike(a[0])) {
    return Err("sort() needs a list of strings");
  }
  std::vector<std::string> strings;
  for (const Value& v : a[0].Items()) {
    const auto s = ToStringValue(v);
    if (!s) {
      return Err("sort() needs a list of strings");
    }
    strings.push_back(*s);
  }
  std::sort(strings.begin(), strings.end());
  ValueList out;
  for (std::string& s : strings) {
    out.push_back(Value::String(std::move(s)));
  }
  return Value::List(std::move(out));
}

Value Index(const Args& a, Budget&) {
  if (!IsListLike(a[0])) {
    return Err("index() needs a list");
  }
  const auto& items = a[0].Items();
  for (size_t i = 0; i < items.size(); ++i) {
    if (items[i] == a[1]) {
      return Value::Number(static_cast<double>(i));
    }
  }
  return Err("the value is not in the list");
}

Value One(const Args& a, Budget&) {
  if (a[0].IsUnknown()) {
    return a[0];
  }
  if (!IsListLike(a[0])) {
    return Err("one() needs a list or set");
  }
  const auto& items = a[0].Items();
  if (items.empty()) {
    return Value::Null();
  }
  if (items.size() > 1) {
    return Err(fmt::format("one() needs at most one element; the list has {}", items.size()));
  }
  return items.front();
}

Value SetOperation(const Args& a, int op) {
  // op: 0 union, 1 intersection, 2 subtract
  for (const Value& v : a) {
    if (!IsListLike(v)) {
      return Err("set functions need sets");
    }
  }
  ValueList result = a[0].Items();
  for (size_t i = 1; i < a.size(); ++i) {
    const ValueList& other = a[i].Items();
    if (op == 0) {
      result.insert(result.end(), other.begin(), other.end());
    } else {
      ValueIndex index;
      for (const Value& v : other) {
        index.Insert(v);
      }
      ValueList kept;
      for (const Value& v : result) {
        const bool in = index.Contains(v);
        if ((op == 1) == in) {
          kept.push_back(v);
        }
      }
      result = std::move(kept);
    }
  }
  return Value::Set(Unify(result));
}

Value Chunklist(const Args& a, Budget&) {
  if (!IsListLike(a[0])) {
    return Err("chunklist() needs a list");
  }
  const auto size = WholeNumber(a[1]);
  if (!size || *size < 0) {
    return Err("the chunk size must be a non-negative whole number");
  }
  const auto& items = a[0].Items();
  if (*size == 0) {
    return Value::List({a[0]});
  }
  ValueList out;
  for (size_t i = 0; i < items.size(); i += static_cast<size_t>(*size)) {
    const size_t end = std::min(items.size(), i + static_cast<size_t>(*size));
    out.push_back(Value::List(ValueList(items.begin() + static_cast<std::ptrdiff_t>(i),
                                        items.begin() + static_cast<std::ptrdiff_t>(end))));
  }
  return Value::List(std::move(out));
}

Value AllAny(const Args& a, bool all) {
  if (!IsListLike(a[0])) {
    return Err("alltrue() and anytrue() need a list of bools");
  }
  for (const Value& v : a[0].Items()) {
    const auto b = ToBoolValue(v);
    if (!b) {
      return Err("alltrue() and anytrue() need a list of bools");
    }
    if (all && !*b) {
      return Value::Bool(false);
    }
    if (!all && *b) {
      return Value::Bool(true);
    }
  }
  return Value::Bool(all);
}

Value MinMaxSum(const Args& a, int op) {
  // op: 0 min, 1 max, 2 sum (sum takes one list)
  ValueList items = a;
  if (op == 2) {
    if (!IsListLike(a[0]) || a[0].Items().empty()) {
      return Err("sum() needs a non-empty list of numbers");
    }
    items = a[0].Items();
  }
  if (items.empty()) {
    return Err("at least one number is needed");
  }
  double acc = op == 0 ? INFINITY : (op == 1 ? -INFINITY : 0);
  for (const Value& v : items) {
    const auto x = ToNumberValue(v);
    if (!x) {
      return Err("the arguments must be numbers");
    }
    acc = op == 0 ? std::min(acc, *x) : (op == 1 ? std::max(acc, *x) : acc + *x);
  }
  return Value::Number(acc);
}

// --- strings -------------------------------------------------------------------------------------

std::optional<std::string> Str(const Value& v) {
  return ToStringValue(v);
}

Value Join(const Args& a, Budget& budget) {
  const auto sep = Str(a[0]);
  if (!sep) {
    return Err("the separator must be a string");
  }
  std::string out;
  bool first = true;
  for (size_t i = 1; i < a.size(); ++i) {
    if (!IsListLike(a[i])) {
      return Err(fmt::format("join() needs lists of strings, not a {}", a[i].TypeName()));
    }
    for (const Value& v : a[i].Items()) {
      const auto s = Str(v);
      if (!s) {
        return Err(v.IsNull() ? "join() cannot join a null element"
                              : "join() needs lists of strings");
      }
      if (out.size() + sep->size() + s->size() > budget.max_string_bytes) {
        return budget.Exceed(
            fmt::format("join() builds a string of more than {} bytes", budget.max_string_bytes));
      }
      if (!first) {
        out += *sep;
      }
      out += *s;
      first = false;
    }
  }
  return Value::String(std::move(out));
}

Value Split(const Args& a, Budget& budget) {
  const auto sep = Str(a[0]);
  const auto text = Str(a[1]);
  if (!sep || !text) {
    return Err("split() needs two strings");
  }
  ValueList out;
  if (sep->empty()) {
    // Go's strings.Split with an empty separator splits into UTF-8 characters.
    size_t i = 0;
    while (i < text->size()) {
      size_t len = 1;
      const auto c = static_cast<unsigned char>((*text)[i]);
      if (c >= 0xF0) {
        len = 4;
      } else if (c >= 0xE0) {
        len = 3;
      } else if (c >= 0xC0) {
        len = 2;
      }
      out.push_back(Value::String(text->substr(i, len)));
      i += len;
      if (out.size() > budget.max_elements) {
        return budget.Exceed(
            fmt::format("split() builds a list of more than {} elements", budget.max_elements));
      }
    }
    return Value::List(std::move(out));
  }
  size_t start = 0;
  while (true) {
    const size_t pos = text->find(*sep, start);
    if (pos == std::string::npos) {
      out.push_back(Value::String(text->substr(start)));
      break;
    }
    out.push_back(Value::String(text->substr(start, pos - start)));
    start = pos + sep->size();
    if (out.size() > budget.max_elements) {
      return budget.Exceed(
          fmt::format("split() builds a list of more than {} elements", budget.max_elements));
    }
  }
  return Value::List(std::move(out));
}

Value Replace(const Args& a, Budget& budget) {
  const auto text = Str(a[0]);
  const auto from = Str(a[1]);
  const auto to = Str(a[2]);
  if (!text || !from || !to) {
    return Err("replace() needs three strings");
  }
  if (from->size() >= 2 && from->front() == '/' && from->back() == '/') {
    return Err("regular-expression replacement is not evaluated by cvpn-lint");
  }
  if (from->empty()) {
    return Value::String(*text);
  }
  std::string out;
  size_t start = 0;
  while (true) {
    const size_t pos = text->find(*from, start);
    if (pos == std::string::npos) {
      out += text->substr(start);
      break;
    }
    if (out.size() + (pos - start) + to->size() > budget.max_string_bytes) {
      return budget.Exceed(
          fmt::format("replace() builds a string of more than {} bytes", budget.max_string_bytes));
    }
    out += text->substr(start, pos - start) + *to;
    start = pos + from->size();
  }
  return Value::String(std::move(out));
}

Value CaseChange(const Args& a, bool upper) {
  auto s = Str(a[0]);
  if (!s) {
    return Err("a string is needed");
  }
  for (char& c : *s) {
    if (upper && c >= 'a' && c <= 'z') {
      c = static_cast<char>(c - 'a' + 'A');
    } else if (!upper && c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return Value::String(*s);
}

Value Trim(const Args& a, int mode) {
  // mode: 0 trimspace, 1 trim(chars), 2 trimprefix, 3 trimsuffix
  auto s = Str(a[0]);
  if (!s) {
    return Err("a string is needed");
  }
  if (mode == 0) {
    const size_t first = s->find_first_not_of(" \t\r\n\v\f");
    if (first == std::string::npos) {
      return Value::String("");
    }
    const size_t last = s->find_last_not_of(" \t\r\n\v\f");
    return Value::String(s->substr(first, last - first + 1));
  }
  const auto arg = Str(a[1]);
  if (!arg) {
    return Err("a string is needed");
  }
  if (mode == 1) {
    const size_t first = s->find_first_not_of(*arg);
    if (first == std::string::npos) {
      return Value::String("");
    }
    const size_t last = s->find_last_not_of(*arg);
    return Value::String(s->substr(first, last - first + 1));
  }
  if (mode == 2) {
    return Value::String(s->rfind(*arg, 0) == 0 ? s->substr(arg->size()) : *s);
  }
  if (s->size() >= arg->size() && s->compare(s->size() - arg->size(), arg->size(), *arg) == 0) {
    return Value::String(s->substr(0, s->size() - arg->size()));
  }
  return Value::String(*s);
}

Value Substr(const Args& a, Budget&) {
  const auto s = Str(a[0]);
  const auto offset = WholeNumber(a[1]);
  const auto length = WholeNumber(a[2]);
  if (!s || !offset || !length) {
    return Err("substr() needs a string, an offset and a length");
  }
  // Work in UTF-8 characters.
  std::vector<std::string> chars;
  for (size_t i = 0; i < s->size();) {
    size_t len = 1;
    const auto c = static_cast<unsigned char>((*s)[i]);
    if (c >= 0xF0) {
      len = 4;
    } else if (c >= 0xE0) {
      len = 3;
    } else if (c >= 0xC0) {
      len = 2;
    }
    chars.push_back(s->substr(i, len));
    i += len;
  }
  const auto n = static_cast<int64_t>(chars.size());
  int64_t start = *offset < 0 ? n + *offset : *offset;
  if (start < 0 || start > n) {
    return Err("the offset is out of range");
  }
  int64_t end = *length < 0 ? n : std::min(n, start + *length);
  std::string out;
  for (int64_t i = start; i < end; ++i) {
    out += chars[static_cast<size_t>(i)];
  }
  return Value::String(std::move(out));
}

Value StartsEnds(const Args& a, int mode) {
  const auto s = Str(a[0]);
  const auto p = Str(a[1]);
  if (!s || !p) {
    return Err("two strings are needed");
  }
  if (mode == 0) {
    return Value::Bool(s->rfind(*p, 0) == 0);
  }
  if (mode == 1) {
    return Value::Bool(s->size() >= p->size() &&
                       s->compare(s->size() - p->size(), p->size(), *p) == 0);
  }
  return Value::Bool(s->find(*p) != std::string::npos);
}

/// fmt.Sprintf-style formatting as Terraform's format() does it, for the common verbs.
Value Format(const Args& a, Budget& budget) {
  const auto spec = Str(a[0]);
  if (!spec) {
    return Err("the format must be a string");
  }
  std::string out;
  size_t next_arg = 1;
  for (size_t i = 0; i < spec->size(); ++i) {
    const char c = (*spec)[i];
    if (c != '%') {
      out.push_back(c);
      continue;
    }
    if (++i >= spec->size()) {
      return Err("the format ends with `%`");
    }
    if ((*spec)[i] == '%') {
      out.push_back('%');
      continue;
    }
    std::string flags;
    while (i < spec->size() && std::string_view("-+ #0").find((*spec)[i]) != std::string::npos) {
      flags.push_back((*spec)[i++]);
    }
    if (i < spec->size() && (*spec)[i] == '[') {
      const size_t close = spec->find(']', i);
      if (close == std::string::npos) {
        return Err("unterminated argument index in the format");
      }
      next_arg =
          static_cast<size_t>(std::max(1, std::atoi(spec->substr(i + 1, close - i - 1).c_str())));
      i = close + 1;
    }
    // Widths and precisions are read in 64 bits and capped: `%99999999999d` must neither
    // overflow nor allocate.
    const auto limit = static_cast<int64_t>(budget.max_string_bytes);
    int64_t width = -1;
    int64_t precision = -1;
    while (i < spec->size() && (*spec)[i] >= '0' && (*spec)[i] <= '9') {
      width = std::min(limit + 1, (width < 0 ? 0 : width * 10) + ((*spec)[i++] - '0'));
    }
    if (i < spec->size() && (*spec)[i] == '.') {
      ++i;
      precision = 0;
      while (i < spec->size() && (*spec)[i] >= '0' && (*spec)[i] <= '9') {
        precision = std::min(limit + 1, precision * 10 + ((*spec)[i++] - '0'));
      }
    }
    if (width > limit || precision > limit) {
      return budget.Exceed(fmt::format("format() pads to more than {} characters", limit));
    }
    if (i >= spec->size()) {
      return Err("the format ends inside a verb");
    }
    const char verb = (*spec)[i];
    if (next_arg >= a.size()) {
      return Err(fmt::format("not enough arguments for the format \"{}\"", *spec));
    }
    const Value& v = a[next_arg++];
    if (v.IsUnknown()) {
      return v;
    }
    std::string piece;
    switch (verb) {
      case 'v':
      case 's':
        if (flags.find('#') != std::string::npos ||
            (!v.IsString() && !v.IsNumber() && !v.IsBool())) {
          piece = v.ToJson().dump();
        } else {
          piece = *Str(v);
        }
        if (verb == 's' && precision >= 0 && static_cast<size_t>(precision) < piece.size()) {
          piece.resize(static_cast<size_t>(precision));
        }
        break;
      case 'q': {
        const auto s = Str(v);
        if (!s) {
          return Err("%q needs a string");
        }
        piece = nlohmann::json(*s).dump();
        break;
      }
      case 't': {
        const auto b = ToBoolValue(v);
        if (!b) {
          return Err("%t needs a bool");
        }
        piece = *b ? "true" : "false";
        break;
      }
      case 'd':
      case 'b':
      case 'o':
      case 'x':
      case 'X': {
        const auto n = ToNumberValue(v);
        if (!n || std::floor(*n) != *n) {
          if (verb == 'x' || verb == 'X') {
            if (const auto s = Str(v)) {
              for (const char ch : *s) {
                piece += verb == 'x' ? fmt::format("{:02x}", static_cast<unsigned char>(ch))
                                     : fmt::format("{:02X}", static_cast<unsigned char>(ch));
              }
              break;
            }
          }
          return Err(fmt::format("%{} needs a whole number", verb));
        }
        const auto x = static_cast<int64_t>(*n);
        const uint64_t magnitude = x < 0 ? static_cast<uint64_t>(-x) : static_cast<uint64_t>(x);
        std::string digits = verb == 'd'   ? fmt::format("{}", magnitude)
                             : verb == 'b' ? fmt::format("{:b}", magnitude)
                             : verb == 'o' ? fmt::format("{:o}", magnitude)
                             : verb == 'x' ? fmt::format("{:x}", magnitude)
                                           : fmt::format("{:X}", magnitude);
        const std::string sign = x < 0                                  ? "-"
                                 : flags.find('+') != std::string::npos ? "+"
                                 : flags.find(' ') != std::string::npos ? " "
                                                                        : "";
        if (flags.find('0') != std::string::npos && flags.find('-') == std::string::npos &&
            width > 0 && digits.size() + sign.size() < static_cast<size_t>(width)) {
          digits.insert(0, static_cast<size_t>(width) - digits.size() - sign.size(), '0');
        }
        piece = sign + digits;
        break;
      }
      case 'e':
      case 'E':
      case 'f':
      case 'F':
      case 'g':
      case 'G': {
        const auto n = ToNumberValue(v);
        if (!n) {
          return Err(fmt::format("%{} needs a number", verb));
        }
        // A float's precision beyond 1000 digits says nothing more (and fmt would allocate).
        const int p = precision >= 0 ? static_cast<int>(std::min<int64_t>(precision, 1000))
                                     : (verb == 'g' || verb == 'G' ? -1 : 6);
        if (verb == 'f' || verb == 'F') {
          piece = fmt::format("{:.{}f}", *n, p);
        } else if (verb == 'e' || verb == 'E') {
          piece = verb == 'e' ? fmt::format("{:.{}e}", *n, p) : fmt::format("{:.{}E}", *n, p);
        } else {
          piece = p < 0 ? fmt::format("{}", *n) : fmt::format("{:.{}g}", *n, p);
        }
        break;
      }
      default:
        return Err(fmt::format("unsupported format verb %{}", verb));
    }
    if (width > 0 && piece.size() < static_cast<size_t>(width)) {
      const size_t pad = static_cast<size_t>(width) - piece.size();
      if (flags.find('-') != std::string::npos) {
        piece.append(pad, ' ');
      } else {
        piece.insert(0, pad, ' ');
      }
    }
    if (out.size() + piece.size() > budget.max_string_bytes) {
      return budget.Exceed(
          fmt::format("format() builds a string of more than {} bytes", budget.max_string_bytes));
    }
    out += piece;
  }
  return Value::String(std::move(out));
}

Value FormatList(const Args& a, Budget& budget) {
  size_t length = 0;
  bool any_list = false;
  for (size_t i = 1; i < a.size(); ++i) {
    if (IsListLike(a[i])) {
      if (any_list && a[i].Items().size() != length) {
        return Err("formatlist() needs lists of the same length");
      }
      length = a[i].Items().size();
      any_list = true;
    }
  }
  if (!any_list) {
    length = 1;
  }
  ValueList out;
  for (size_t n = 0; n < length; ++n) {
    Args args{a[0]};
    for (size_t i = 1; i < a.size(); ++i) {
      args.push_back(IsListLike(a[i]) ? a[i].Items()[n] : a[i]);
    }
    Value v = Format(args, budget);
    if (v.IsError()) {
      return v;
    }
    out.push_back(std::move(v));
  }
  return Value::List(std::move(out));
}

Value ParseInt(const Args& a, Budget&) {
  const auto s = Str(a[0]);
  const auto base = WholeNumber(a[1]);
  if (!s || !base || *base < 2 || *base > 62) {
    return Err("parseint() needs a string and a base from 2 to 62");
  }
  try {
    size_t used = 0;
    const long long n = std::stoll(*s, &used, static_cast<int>(*base));
    if (used != s->size()) {
      return Err(fmt::format("cannot parse \"{}\" as a base {} integer", *s, *base));
    }
    return Value::Number(static_cast<double>(n));
  } catch (const std::exception&) {
    return Err(fmt::format("cannot parse \"{}\" as a base {} integer", *s, *base));
  }
}

Value JsonEncode(const Args& a, Budget&) {
  return Value::String(a[0].ToJson().dump());
}

Value JsonDecode(const Args& a, Budget&) {
  const auto s = Str(a[0]);
  if (!s) {
    return Err("jsondecode() needs a string");
  }
  try {
    return Value::FromJson(nlohmann::json::parse(*s));
  } catch (const nlohmann::json::exception&) {
    return Err("jsondecode(): the string is not valid JSON");
  }
}

Value Convert(const Args& a, char to) {
  const Value& v = a[0];
  if (v.IsNull()) {
    return v;
  }
  if (to == 's') {
    const auto s = Str(v);
    return s ? Value::String(*s)
             : Err(fmt::format("cannot convert a {} to a string", v.TypeName()));
  }
  if (to == 'n') {
    const auto n = ToNumberValue(v);
    return n ? Value::Number(*n)
             : Err(fmt::format("cannot convert {} to a number", v.ToJson().dump()));
  }
  const auto b = ToBoolValue(v);
  return b ? Value::Bool(*b) : Err(fmt::format("cannot convert {} to a bool", v.ToJson().dump()));
}

Value PathPart(const Args& a, bool base) {
  const auto s = Str(a[0]);
  if (!s) {
    return Err("a path string is needed");
  }
  std::string p = *s;
  while (p.size() > 1 && p.back() == '/') {
    p.pop_back();
  }
  const size_t slash = p.rfind('/');
  if (base) {
    return Value::String(slash == std::string::npos ? p : p.substr(slash + 1));
  }
  if (slash == std::string::npos) {
    return Value::String(".");
  }
  return Value::String(slash == 0 ? "/" : p.substr(0, slash));
}

Value NotEvaluated(const std::string& name, const std::string& why) {
  return Err(fmt::format("{}() {}", name, why));
}

const std::map<std::string, Function, std::less<>>& Functions() {
  static const std::map<std::string, Function, std::less<>> kFunctions = [] {
    std::map<std::string, Function, std::less<>> f;
    f["cidrsubnet"] = {3, 3, false, CidrSubnet};
    f["cidrsubnets"] = {1, -1, false, CidrSubnets};
    f["cidrhost"] = {2, 2, false, CidrHost};
    f["cidrnetmask"] = {1, 1, false, CidrNetmask};
    f["length"] = {1, 1, true, Length};
    f["concat"] = {0, -1, true, Concat};
    f["flatten"] = {1, 1, true, Flatten};
    f["element"] = {2, 2, true, Element};
    f["lookup"] = {2, 3, true, Lookup};
    f["merge"] = {0, -1, true, Merge};
    f["keys"] = {1, 1, true, Keys};
    f["values"] = {1, 1, true, Values};
    f["tolist"] = {1, 1, true, ToList};
    f["toset"] = {1, 1, true, ToSet};
    f["tomap"] = {1, 1, true, ToMap};
    f["zipmap"] = {2, 2, true, Zipmap};
    f["contains"] = {2, 2, false, Contains};
    f["distinct"] = {1, 1, false, Distinct};
    f["compact"] = {1, 1, false, Compact};
    f["coalesce"] = {1, -1, true, Coalesce};
    f["coalescelist"] = {1, -1, true, CoalesceList};
    f["range"] = {1, 3, false, Range};
    f["slice"] = {3, 3, true, Slice};
    f["reverse"] = {1, 1, true, Reverse};
    f["sort"] = {1, 1, false, Sort};
    f["index"] = {2, 2, false, Index};
    f["one"] = {1, 1, true, One};
    f["chunklist"] = {2, 2, true, Chunklist};
    f["setunion"] = {1, -1, false, [](const Args& a, Budget&) { return SetOperation(a, 0); }};
    f["setintersection"] = {1, -1, false,
                            [](const Args& a, Budget&) { return SetOperation(a, 1); }};
    f["setsubtract"] = {2, 2, false, [](const Args& a, Budget&) { return SetOperation(a, 2); }};
    f["alltrue"] = {1, 1, false, [](const Args& a, Budget&) { return AllAny(a, true); }};
    f["anytrue"] = {1, 1, false, [](const Args& a, Budget&) { return AllAny(a, false); }};
    f["min"] = {1, -1, false, [](const Args& a, Budget&) { return MinMaxSum(a, 0); }};
    f["max"] = {1, -1, false, [](const Args& a, Budget&) { return MinMaxSum(a, 1); }};
    f["sum"] = {1, 1, false, [](const Args& a, Budget&) { return MinMaxSum(a, 2); }};
    f["abs"] = {1, 1, false, [](const Args& a, Budget&) {
                  const auto n = ToNumberValue(a[0]);
                  return n ? Value::Number(std::fabs(*n)) : Err("abs() needs a number");
                }};
    f["ceil"] = {1, 1, false, [](const Args& a, Budget&) {
                   const auto n = ToNumberValue(a[0]);
                   return n ? Value::Number(std::ceil(*n)) : Err("ceil() needs a number");
                 }};
    f["floor"] = {1, 1, false, [](const Args& a, Budget&) {
                    const auto n = ToNumberValue(a[0]);
                    return n ? Value::Number(std::floor(*n)) : Err("floor() needs a number");
                  }};
    f["pow"] = {2, 2, false, [](const Args& a, Budget&) {
                  const auto x = ToNumberValue(a[0]);
                  const auto y = ToNumberValue(a[1]);
                  return x && y ? Value::Number(std::pow(*x, *y)) : Err("pow() needs numbers");
                }};
    f["parseint"] = {2, 2, false, ParseInt};
    f["format"] = {1, -1, false, Format};
    f["formatlist"] = {1, -1, false, FormatList};
    f["join"] = {1, -1, false, Join};
    f["split"] = {2, 2, false, Split};
    f["replace"] = {3, 3, false, Replace};
    f["lower"] = {1, 1, false, [](const Args& a, Budget&) { return CaseChange(a, false); }};
    f["upper"] = {1, 1, false, [](const Args& a, Budget&) { return CaseChange(a, true); }};
    f["trimspace"] = {1, 1, false, [](const Args& a, Budget&) { return Trim(a, 0); }};
    f["trim"] = {2, 2, false, [](const Args& a, Budget&) { return Trim(a, 1); }};
    f["trimprefix"] = {2, 2, false, [](const Args& a, Budget&) { return Trim(a, 2); }};
    f["trimsuffix"] = {2, 2, false, [](const Args& a, Budget&) { return Trim(a, 3); }};
    f["substr"] = {3, 3, false, Substr};
    f["startswith"] = {2, 2, false, [](const Args& a, Budget&) { return StartsEnds(a, 0); }};
    f["endswith"] = {2, 2, false, [](const Args& a, Budget&) { return StartsEnds(a, 1); }};
    f["strcontains"] = {2, 2, false, [](const Args& a, Budget&) { return StartsEnds(a, 2); }};
    f["jsonencode"] = {1, 1, false, JsonEncode};
    f["jsondecode"] = {1, 1, false, JsonDecode};
    f["tostring"] = {1, 1, false, [](const Args& a, Budget&) { return Convert(a, 's'); }};
    f["tonumber"] = {1, 1, false, [](const Args& a, Budget&) { return Convert(a, 'n'); }};
    f["tobool"] = {1, 1, false, [](const Args& a, Budget&) { return Convert(a, 'b'); }};
    f["basename"] = {1, 1, false, [](const Args& a, Budget&) { return PathPart(a, true); }};
    f["dirname"] = {1, 1, false, [](const Args& a, Budget&) { return PathPart(a, false); }};
    for (const char* name :
         {"file", "fileexists", "fileset", "filebase64", "templatefile", "abspath", "pathexpand"}) {
      f[name] = {0, -1, false, [n = std::string(name)](const Args&, Budget&) {
                   return NotEvaluated(n, "reads files, which cvpn-lint does not evaluate");
                 }};
    }
    for (const char* name : {"timestamp", "uuid", "uuidv5", "bcrypt", "plantimestamp"}) {
      f[name] = {0, -1, false, [n = std::string(name)](const Args&, Budget&) {
                   return Value::Unknown(fmt::format("{}() is known only when Terraform runs", n));
                 }};
    }
    for (const char* name : {"md5",
                             "sha1",
                             "sha256",
                             "sha512",
                             "base64encode",
                             "base64decode",
                             "base64sha256",
                             "base64sha512",
                             "filemd5",
                             "filesha256",
                             "regex",
                             "regexall",
                             "urlencode",
                             "yamlencode",
                             "yamldecode",
                             "textencodebase64",
                             "textdecodebase64",
                             "cidrcontains",
                             "templatestring",
                             "sensitive",
                             "nonsensitive",
                             "issensitive",
                             "ephemeralasnull",
                             "type",
                             "title",
                             "indent",
                             "chomp",
                             "strrev",
                             "matchkeys",
                             "transpose",
                             "setproduct",
                             "signum",
                             "log",
                             "timeadd",
                             "timecmp",
                             "formatdate",
                             "tuple",
                             "map",
                             "list"}) {
      if (f.count(name) == 0) {
        f[name] = {0, -1, false, [n = std::string(name)](const Args& a, Budget&) {
                     if ((n == "sensitive" || n == "nonsensitive") && a.size() == 1) {
                       return a[0];  // sensitivity does not change the value
                     }
                     return NotEvaluated(n, "is not evaluated by cvpn-lint");
                   }};
      }
    }
    return f;
  }();
  return kFunctions;
}

}  // namespace

bool IsKnownFunction(const std::string& name) {
  return Functions().count(name) != 0;
}

Value CallFunction(const std::string& name, const std::vector<Value>& args, Budget& budget) {
  auto it = Functions().find(name);
  if (it == Functions().end()) {
    return Err(fmt::format("`{}` is not a function cvpn-lint evaluates", name));
  }
  const Function& f = it->second;
  const auto count = static_cast<int>(args.size());
  if (count < f.min_args || (f.max_args >= 0 && count > f.max_args)) {
    return Err(f.max_args == f.min_args ? fmt::format("{}() takes {} argument{}", name, f.min_args,
                                                      f.min_args == 1 ? "" : "s")
                                        : fmt::format("{}() takes at least {} argument{}", name,
                                                      f.min_args, f.min_args == 1 ? "" : "s"));
  }
  if (!f.structural) {
    std::vector<const Value*> ptrs;
    bool unknown = false;
    for (const Value& a : args) {
      ptrs.push_back(&a);
      unknown = unknown || a.ContainsUnknown();
    }
    if (unknown) {
      return UnknownFrom(ptrs);
    }
  } else {
    for (const Value& a : args) {
      if (a.IsError()) {
        return a;
      }
    }
  }
  return f.call(args, budget);
}

}  // namespace cvpn::parsers::hcl
