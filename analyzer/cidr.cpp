// SPDX-License-Identifier: Apache-2.0
#include "analyzer/cidr.h"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cstddef>
#include <iterator>
#include <utility>

namespace cvpn {
namespace {

constexpr uint8_t kMaxPrefix = 32;
/// Decimal values are accumulated only up to here; anything larger is out of every range we use.
constexpr uint64_t kSaturation = 1'000'000;

uint8_t ClampPrefix(uint8_t prefix_length) { return std::min(prefix_length, kMaxPrefix); }

/// The network mask of a prefix length (clamped to 32).
uint32_t PrefixMask(uint8_t prefix_length) {
  const int prefix = ClampPrefix(prefix_length);
  return prefix == 0 ? 0U : ~uint32_t{0} << (32 - prefix);
}

/// A strictly parsed unsigned decimal number.
struct Decimal {
  bool valid = false;  ///< non-empty, digits only, no superfluous leading zero
  uint64_t value = 0;  ///< saturates at kSaturation
};

Decimal ParseDecimal(std::string_view text) {
  Decimal result;
  if (text.empty() || (text.size() > 1 && text.front() == '0')) return result;
  for (const char c : text) {
    if (c < '0' || c > '9') return result;
    if (result.value < kSaturation) {
      result.value = result.value * 10 + static_cast<uint64_t>(c - '0');
    }
  }
  result.valid = true;
  return result;
}

struct QuadResult {
  CidrError error = CidrError::kNone;  ///< kNone, kSyntax or kOctetOutOfRange
  uint32_t address = 0;
};

/// Parses a dotted quad; syntax problems anywhere win over out-of-range octets.
QuadResult ParseQuad(std::string_view text) {
  std::array<Decimal, 4> octets;
  size_t count = 0;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i != text.size() && text[i] != '.') continue;
    if (count == octets.size()) return {CidrError::kSyntax, 0};
    octets[count] = ParseDecimal(text.substr(start, i - start));
    if (!octets[count].valid) return {CidrError::kSyntax, 0};
    ++count;
    start = i + 1;
  }
  if (count != octets.size()) return {CidrError::kSyntax, 0};
  uint32_t address = 0;
  for (const Decimal& octet : octets) {
    if (octet.value > 255) return {CidrError::kOctetOutOfRange, 0};
    address = (address << 8) | static_cast<uint32_t>(octet.value);
  }
  return {CidrError::kNone, address};
}

using Interval = AddressSet::Interval;

/// Appends `interval` to a sorted list, merging it with the last one when they touch.
void AppendMerged(std::vector<Interval>& list, const Interval& interval) {
  if (!list.empty() && uint64_t{list.back().last} + 1 >= interval.first) {
    list.back().last = std::max(list.back().last, interval.last);
  } else {
    list.push_back(interval);
  }
}

/// Calls `visit` with each CIDR of the smallest list exactly covering [first, last], ascending.
template <typename Visit>
void ForEachCidr(uint32_t first, uint32_t last, Visit visit) {
  if (first > last) return;
  uint64_t current = first;
  const uint64_t end = uint64_t{last} + 1;
  while (current < end) {
    // The largest block aligned at `current` that does not run past `last`.
    int host_bits = std::min(std::countr_zero(current), 32);
    while ((uint64_t{1} << host_bits) > end - current) --host_bits;
    visit(Ipv4Cidr{static_cast<uint32_t>(current), static_cast<uint8_t>(32 - host_bits)});
    current += uint64_t{1} << host_bits;
  }
}

void AppendRange(std::vector<Ipv4Cidr>& out, uint64_t first, uint64_t last) {
  ForEachCidr(static_cast<uint32_t>(first), static_cast<uint32_t>(last),
              [&out](const Ipv4Cidr& cidr) { out.push_back(cidr); });
}

}  // namespace

uint32_t Ipv4Cidr::First() const { return address & PrefixMask(prefix_length); }

uint32_t Ipv4Cidr::Last() const { return First() | ~PrefixMask(prefix_length); }

uint64_t Ipv4Cidr::Size() const { return uint64_t{1} << (32 - ClampPrefix(prefix_length)); }

bool Ipv4Cidr::Contains(const Ipv4Cidr& other) const {
  return other.First() >= First() && other.Last() <= Last();
}

bool Ipv4Cidr::Contains(uint32_t ip) const { return ip >= First() && ip <= Last(); }

bool Ipv4Cidr::Overlaps(const Ipv4Cidr& other) const {
  return other.First() <= Last() && First() <= other.Last();
}

namespace {

/// Writes the dotted quad of `address` at `out` (room for 15 characters); returns its end.
char* WriteIpv4(char* out, uint32_t address) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    out = std::to_chars(out, out + 3, (address >> static_cast<unsigned>(shift)) & 0xFFU).ptr;
    if (shift != 0) *out++ = '.';
  }
  return out;
}

}  // namespace

std::string Ipv4Cidr::ToString() const {
  std::array<char, 20> text{};  // "255.255.255.255/32"
  char* end = WriteIpv4(text.data(), First());
  *end++ = '/';
  end = std::to_chars(end, text.data() + text.size(), ClampPrefix(prefix_length)).ptr;
  return std::string(text.data(), end);
}

CidrParseResult ParseIpv4Cidr(std::string_view text) {
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos) return {std::nullopt, CidrError::kSyntax};
  const QuadResult quad = ParseQuad(text.substr(0, slash));
  const Decimal prefix = ParseDecimal(text.substr(slash + 1));
  if (quad.error == CidrError::kSyntax || !prefix.valid) return {std::nullopt, CidrError::kSyntax};
  if (quad.error != CidrError::kNone) return {std::nullopt, quad.error};
  if (prefix.value > kMaxPrefix) return {std::nullopt, CidrError::kPrefixOutOfRange};
  const auto prefix_length = static_cast<uint8_t>(prefix.value);
  const uint32_t network = quad.address & PrefixMask(prefix_length);
  const CidrError error = network == quad.address ? CidrError::kNone : CidrError::kHostBitsSet;
  return {Ipv4Cidr{network, prefix_length}, error};
}

std::optional<uint32_t> ParseIpv4Address(std::string_view text) {
  const QuadResult quad = ParseQuad(text);
  if (quad.error != CidrError::kNone) return std::nullopt;
  return quad.address;
}

std::string FormatIpv4(uint32_t address) {
  std::array<char, 16> text{};
  return std::string(text.data(), WriteIpv4(text.data(), address));
}

std::string_view DescribeCidrError(CidrError error) {
  switch (error) {
    case CidrError::kNone:
      return "no error";
    case CidrError::kSyntax:
      return "not an IPv4 CIDR";
    case CidrError::kOctetOutOfRange:
      return "octet out of range";
    case CidrError::kPrefixOutOfRange:
      return "prefix length out of range";
    case CidrError::kHostBitsSet:
      return "host bits set";
  }
  return "unknown error";
}

std::vector<Ipv4Cidr> RangeToCidrs(uint32_t first, uint32_t last) {
  std::vector<Ipv4Cidr> out;
  AppendRange(out, first, last);
  return out;
}

AddressSet AddressSet::Of(const Ipv4Cidr& cidr) {
  AddressSet set;
  set.Add(cidr);
  return set;
}

AddressSet AddressSet::All() { return Of(Ipv4Cidr{0, 0}); }

void AddressSet::Add(const Ipv4Cidr& cidr) { Add(cidr.First(), cidr.Last()); }

void AddressSet::Add(uint32_t first, uint32_t last) {
  if (first > last) return;
  // The first interval that is not wholly below `first` with a gap between.
  const auto from = std::lower_bound(
      intervals_.begin(), intervals_.end(), first,
      [](const Interval& interval, uint32_t value) { return uint64_t{interval.last} + 1 < value; });
  Interval merged{first, last};
  auto to = from;
  while (to != intervals_.end() && to->first <= uint64_t{last} + 1) {
    merged.first = std::min(merged.first, to->first);
    merged.last = std::max(merged.last, to->last);
    ++to;
  }
  if (from == to) {
    intervals_.insert(from, merged);
  } else {
    *from = merged;
    intervals_.erase(from + 1, to);
  }
}

void AddressSet::Add(const AddressSet& other) {
  const std::vector<Interval>& a = intervals_;
  const std::vector<Interval>& b = other.intervals_;
  std::vector<Interval> merged;
  merged.reserve(a.size() + b.size());
  size_t i = 0;
  size_t j = 0;
  while (i < a.size() || j < b.size()) {
    if (j == b.size() || (i < a.size() && a[i].first <= b[j].first)) {
      AppendMerged(merged, a[i++]);
    } else {
      AppendMerged(merged, b[j++]);
    }
  }
  intervals_ = std::move(merged);
}

void AddressSet::Subtract(const Ipv4Cidr& cidr) { SubtractRange(cidr.First(), cidr.Last()); }

void AddressSet::SubtractRange(uint32_t first, uint32_t last) {
  if (first > last) return;
  const auto from = std::lower_bound(
      intervals_.begin(), intervals_.end(), first,
      [](const Interval& interval, uint32_t value) { return interval.last < value; });
  std::array<Interval, 2> kept{};
  size_t kept_count = 0;
  auto to = from;
  for (; to != intervals_.end() && to->first <= last; ++to) {
    // Only the first and the last overlapping interval can stick out of [first, last].
    if (to->first < first) kept[kept_count++] = Interval{to->first, first - 1};
    if (to->last > last) kept[kept_count++] = Interval{last + 1, to->last};
  }
  const auto at = intervals_.erase(from, to);
  intervals_.insert(at, kept.begin(), kept.begin() + static_cast<std::ptrdiff_t>(kept_count));
}

void AddressSet::Subtract(const AddressSet& other) {
  const std::vector<Interval>& b = other.intervals_;
  std::vector<Interval> result;
  result.reserve(intervals_.size() + b.size());
  size_t j = 0;
  for (const Interval& interval : intervals_) {
    while (j < b.size() && b[j].last < interval.first) ++j;
    uint64_t next = interval.first;  // the lowest address of `interval` not yet decided
    // b[j] may reach into the next interval too, so scan with k and leave j in place.
    for (size_t k = j; k < b.size() && b[k].first <= interval.last; ++k) {
      if (b[k].first > next) {
        result.push_back(Interval{static_cast<uint32_t>(next), b[k].first - 1});
      }
      next = std::max(next, uint64_t{b[k].last} + 1);
    }
    if (next <= interval.last) {
      result.push_back(Interval{static_cast<uint32_t>(next), interval.last});
    }
  }
  intervals_ = std::move(result);
}

AddressSet AddressSet::Intersect(const AddressSet& other) const {
  const std::vector<Interval>& a = intervals_;
  const std::vector<Interval>& b = other.intervals_;
  AddressSet result;
  size_t i = 0;
  size_t j = 0;
  while (i < a.size() && j < b.size()) {
    const uint32_t first = std::max(a[i].first, b[j].first);
    const uint32_t last = std::min(a[i].last, b[j].last);
    if (first <= last) AppendMerged(result.intervals_, Interval{first, last});
    if (a[i].last < b[j].last) {
      ++i;
    } else {
      ++j;
    }
  }
  return result;
}

bool AddressSet::Empty() const { return intervals_.empty(); }

bool AddressSet::CoversRange(uint32_t first, uint32_t last) const {
  // The last interval starting at or below `first`; merged intervals mean it alone must hold
  // the whole range.
  const auto after = std::upper_bound(
      intervals_.begin(), intervals_.end(), first,
      [](uint32_t value, const Interval& interval) { return value < interval.first; });
  if (after == intervals_.begin()) return false;
  return std::prev(after)->last >= last;
}

bool AddressSet::Covers(const Ipv4Cidr& cidr) const {
  return CoversRange(cidr.First(), cidr.Last());
}

bool AddressSet::Covers(const AddressSet& other) const {
  return std::all_of(
      other.intervals_.begin(), other.intervals_.end(),
      [this](const Interval& interval) { return CoversRange(interval.first, interval.last); });
}

bool AddressSet::Intersects(const Ipv4Cidr& cidr) const {
  const uint32_t first = cidr.First();
  const auto it = std::lower_bound(
      intervals_.begin(), intervals_.end(), first,
      [](const Interval& interval, uint32_t value) { return interval.last < value; });
  return it != intervals_.end() && it->first <= cidr.Last();
}

bool AddressSet::Intersects(const AddressSet& other) const {
  const std::vector<Interval>& a = intervals_;
  const std::vector<Interval>& b = other.intervals_;
  size_t i = 0;
  size_t j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i].first <= b[j].last && b[j].first <= a[i].last) return true;
    if (a[i].last < b[j].last) {
      ++i;
    } else {
      ++j;
    }
  }
  return false;
}

uint64_t AddressSet::Size() const {
  uint64_t size = 0;
  for (const Interval& interval : intervals_) {
    size += uint64_t{interval.last} - interval.first + 1;
  }
  return size;
}

std::vector<Ipv4Cidr> AddressSet::Uncovered(const Ipv4Cidr& cidr) const {
  std::vector<Ipv4Cidr> out;
  const uint32_t first = cidr.First();
  const uint32_t last = cidr.Last();
  uint64_t next = first;  // the lowest address of `cidr` not yet accounted for
  auto it = std::lower_bound(
      intervals_.begin(), intervals_.end(), first,
      [](const Interval& interval, uint32_t value) { return interval.last < value; });
  for (; it != intervals_.end() && it->first <= last; ++it) {
    if (it->first > next) AppendRange(out, next, it->first - 1);
    next = uint64_t{it->last} + 1;
  }
  if (next <= last) AppendRange(out, next, last);
  return out;
}

std::vector<Ipv4Cidr> AddressSet::ToCidrs() const {
  std::vector<Ipv4Cidr> out;
  for (const Interval& interval : intervals_) AppendRange(out, interval.first, interval.last);
  return out;
}

std::string AddressSet::ToString() const {
  if (intervals_.empty()) return "(none)";
  std::string out;
  for (const Interval& interval : intervals_) {
    ForEachCidr(interval.first, interval.last, [&out](const Ipv4Cidr& cidr) {
      if (!out.empty()) out += ", ";
      out += cidr.ToString();
    });
  }
  return out;
}

}  // namespace cvpn
